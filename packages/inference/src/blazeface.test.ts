import { readFile } from "node:fs/promises";
import type { Tensor } from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  defaultBlazeFaceModelPath,
  keypointFrontality,
  loadBlazeFace,
  planInput,
  sampleRegion,
  type BlazeFaceDetector,
  type FaceDetection,
  type ScanRegion,
} from "./blazeface.ts";
import { defaultHumanModelDir, readGraphModel } from "./model-files.ts";
import { createOnnxSession, importOrt } from "./onnx-session.ts";
import { defaultWasmDir, loadRuntime } from "./runtime.ts";
import { decodeImage, type RgbFrame } from "./frame.ts";
import { demoPhotoPath } from "./test-support/demo-photos.ts";
import { regionAroundFace } from "./face-scan.ts";

const quiet = { info: () => undefined, warn: () => undefined };

/** Seeded noise with smooth gradients: a deterministic, face-free input. */
function syntheticRgb(width: number, height: number, seed = 7): Uint8Array {
  const data = new Uint8Array(width * height * 3);
  let s = seed;
  for (let i = 0; i < data.length; i++) {
    s = (s * 16807) % 2147483647;
    const px = Math.floor(i / 3);
    data[i] = ((px % width) + Math.floor(px / width) + (s % 64)) % 256;
  }
  return data;
}

describe("BlazeFace as ONNX matches Human's tfjs graph", () => {
  it("gives the same four head maps (within 1e-3, relative above 1) on the same 256 px input", async () => {
    const rt = await loadRuntime(["wasm", "cpu"], quiet, defaultWasmDir());
    const graph = await readGraphModel(rt.tf, defaultHumanModelDir(), "blazeface");
    const { ort, session } = await createOnnxSession(defaultBlazeFaceModelPath({ avx512: false }));
    try {
      const bytes = syntheticRgb(256, 256);
      const input = rt.tf.tidy(() =>
        rt.tf.sub(rt.tf.div(rt.tf.tensor4d(Float32Array.from(bytes), [1, 256, 256, 3]), 127.5), 1),
      );
      const tfOut = graph.execute(input) as Tensor[];
      const expected = await Promise.all(tfOut.map((t) => t.data() as Promise<Float32Array>));
      const out = await session.run({ input: new ort.Tensor("uint8", bytes, [1, 256, 256, 3]) });
      const heads = Object.values(out);
      expect(heads).toHaveLength(4);
      for (const head of heads) {
        const got = head.data as Float32Array;
        // tfjs reshapes the NHWC map to [1, cells × anchors, k]: the same values in the same order.
        const twin = expected.find((e) => e.length === got.length)!;
        expect(twin, `a tfjs output of ${got.length} values`).toBeDefined();
        // Relative where a value exceeds 1: score logits reach ±630 on this input, and CPUs' kernels round them
        // differently (an AVX2 AMD EPYC: 1.19e-3 absolute on such a logit, 1.9e-5 relative; 1.1e-4 on values
        // under 1; the AVX-512 Xeon this test was written on stayed under 1e-3 absolute).
        let max = 0;
        for (let i = 0; i < got.length; i++)
          max = Math.max(max, Math.abs(got[i]! - twin[i]!) / Math.max(1, Math.abs(twin[i]!)));
        expect(max).toBeLessThan(1e-3);
      }
      input.dispose();
      rt.tf.dispose(tfOut);
      graph.dispose();
    } finally {
      await session.release();
    }
  });

  it("the channel-padded file (AVX-512) computes the same function as the plain one", async () => {
    const ort = await importOrt();
    // Without graph fusions both run the same arithmetic: the padded channels stay exactly zero.
    const open = async (avx512: boolean, level: "basic" | "all") =>
      ort.InferenceSession.create(await readFile(defaultBlazeFaceModelPath({ avx512 })), {
        intraOpNumThreads: 1,
        graphOptimizationLevel: level,
      });
    const bytes = syntheticRgb(256, 192);
    const run = async (s: Awaited<ReturnType<typeof open>>) => {
      const out = await s.run({ input: new ort.Tensor("uint8", bytes, [1, 192, 256, 3]) });
      await s.release();
      return Object.values(out).map((t) => t.data as Float32Array);
    };
    const [plain, padded] = [await run(await open(false, "basic")), await run(await open(true, "basic"))];
    expect(padded.map((h) => h.length)).toEqual(plain.map((h) => h.length));
    padded.forEach((h, i) => expect(Buffer.from(h.buffer).equals(Buffer.from(plain[i]!.buffer))).toBe(true));
    // With them (what runs), only float rounding differs: within 1e-5 of each value's magnitude (score
    // logits reach ±600 on this noise, so a fused sum in another order moves them by up to ~6e-4).
    const fused = await run(await open(true, "all"));
    fused.forEach((h, i) => {
      for (let k = 0; k < h.length; k++)
        expect(Math.abs(h[k]! - plain[i]![k]!)).toBeLessThanOrEqual(1e-4 + 1e-5 * Math.abs(plain[i]![k]!));
    });
  });
});

describe("network input planning", () => {
  it("rounds each side up to a multiple of 32 and widens the source inside the frame", () => {
    const plan = planInput({ width: 640, height: 480 }, { box: { x: 600, y: 10, w: 40, h: 40 }, scale: 1 });
    expect(plan).toMatchObject({ netW: 64, netH: 64 });
    // Widened around the centre, then slid back inside the frame's right edge.
    expect(plan!.src).toEqual({ x: 576, y: 0, w: 64, h: 64 });
  });

  it("rounds a snapped region's sides up to the next of NET_SIDES (a few shapes ONNX Runtime keeps planned)", () => {
    const frame = { width: 854, height: 480 };
    const box = { x: 100, y: 100, w: 200, h: 70 };
    // 200 → 224 → 256 and 70 → 96 (already one of the sides); unsnapped, 224 × 96.
    expect(planInput(frame, { box, scale: 1, snap: true })).toMatchObject({ netW: 256, netH: 96 });
    expect(planInput(frame, { box, scale: 1 })).toMatchObject({ netW: 224, netH: 96 });
    expect(planInput(frame, { box, scale: 1, snap: true })!.src).toMatchObject({ w: 256, h: 96 });
  });

  it("plans a full frame at a scale, and nothing for a box outside the frame", () => {
    expect(
      planInput({ width: 640, height: 480 }, { box: { x: 0, y: 0, w: 640, h: 480 }, scale: 0.5 }),
    ).toMatchObject({
      netW: 320,
      netH: 256,
    });
    expect(
      planInput({ width: 640, height: 480 }, { box: { x: 700, y: 0, w: 40, h: 40 }, scale: 1 }),
    ).toBeUndefined();
  });

  it("copies pixels at scale 1, averages 2×2 blocks at ½, pads outside the frame with grey", () => {
    const frame: RgbFrame = { width: 4, height: 2, channels: 3, data: new Uint8Array(24) };
    frame.data.forEach((_, i) => (frame.data[i] = i * 10));
    expect(sampleRegion(frame, { src: { x: 0, y: 0, w: 4, h: 2 }, netW: 4, netH: 2 })).toEqual(frame.data);
    const half = sampleRegion(frame, { src: { x: 0, y: 0, w: 4, h: 2 }, netW: 2, netH: 1 });
    // Pixel (0,0) averages source pixels (0,0), (1,0), (0,1), (1,1): red channel (0 + 30 + 120 + 150) / 4.
    expect(half[0]).toBe(75);
    const padded = sampleRegion(frame, { src: { x: -4, y: 0, w: 8, h: 2 }, netW: 8, netH: 2 });
    expect([...padded.slice(0, 3)]).toEqual([128, 128, 128]);
  });

  it("gives the same bytes on the whole-number fast path as on the general one (pyramid levels, padding)", () => {
    const frame: RgbFrame = { width: 333, height: 250, channels: 3, data: syntheticRgb(333, 250) };
    for (const scale of [1, 0.5, 0.25, 0.125]) {
      const plan = planInput(frame, { box: { x: 0, y: 0, w: 333, h: 250 }, scale })!;
      const fast = sampleRegion(frame, plan);
      // A source offset by a hair is no whole pixel: the general path, with the same samples.
      const nudged = { ...plan.src, x: plan.src.x + 1e-7, y: plan.src.y + 1e-7 };
      expect(
        Buffer.from(fast).equals(Buffer.from(sampleRegion(frame, { ...plan, src: nudged }))),
        `scale ${scale}`,
      ).toBe(true);
    }
    const inside = { src: { x: 10, y: 20, w: 128, h: 64 }, netW: 64, netH: 32 };
    expect(sampleRegion(frame, inside)).toEqual(
      sampleRegion(frame, { ...inside, src: { ...inside.src, x: 10 + 1e-7, y: 20 + 1e-7 } }),
    );
  });
});

describe("keypoint frontality", () => {
  const frontal = [
    { x: 30, y: 40 },
    { x: 70, y: 40 },
    { x: 50, y: 60 },
    { x: 50, y: 80 },
    { x: 10, y: 45 },
    { x: 90, y: 45 },
  ];
  const rotate = (deg: number) => {
    const a = (deg * Math.PI) / 180;
    return frontal.map((p) => ({
      x: 50 + (p.x - 50) * Math.cos(a) - (p.y - 50) * Math.sin(a),
      y: 50 + (p.x - 50) * Math.sin(a) + (p.y - 50) * Math.cos(a),
    }));
  };

  it("is 1 for a frontal face at any head roll", () => {
    for (const roll of [0, 30, -45]) expect(keypointFrontality(rotate(roll))).toBeCloseTo(1, 6);
  });

  it("falls as nose and mouth move towards one eye (head turning)", () => {
    const turned = frontal.map((p, i) => (i === 2 || i === 3 ? { ...p, x: p.x + 12 } : p));
    const profile = frontal.map((p, i) => (i === 2 || i === 3 ? { ...p, x: 72 } : p));
    expect(keypointFrontality(turned)).toBeCloseTo(0.4, 6);
    expect(keypointFrontality(profile)).toBe(0);
    expect(keypointFrontality([])).toBe(0);
  });
});

describe("BlazeFace detector", () => {
  let detector: BlazeFaceDetector;
  beforeAll(async () => {
    detector = await loadBlazeFace();
  });
  afterAll(() => detector?.dispose());

  it("finds nothing in a flat grey frame and counts the pixels it processed", async () => {
    const frame: RgbFrame = {
      width: 320,
      height: 240,
      channels: 3,
      data: new Uint8Array(320 * 240 * 3).fill(128),
    };
    const before = detector.pixelsProcessed;
    const found = await detector.detect(frame, [{ box: { x: 0, y: 0, w: 320, h: 240 }, scale: 1 }], 0.3);
    expect(found).toEqual([]);
    expect(detector.pixelsProcessed - before).toBe(320 * 256);
  });

  it("runs regions of one shape as one batch with the same detections as one call each", async () => {
    const frame = await decodeImage(await readFile(demoPhotoPath(2)));
    // The regions a FaceScanner follows its four faces with: two share a shape (faces of ~200 px at ⅛), the
    // others have their own.
    const faces = [
      { x: 1454, y: 190, w: 199, h: 199 },
      { x: 887, y: 257, w: 203, h: 203 },
      { x: 349, y: 187, w: 234, h: 234 },
      { x: 1563, y: 64, w: 69, h: 69 },
    ];
    const regions: ScanRegion[] = faces.map((f) => regionAroundFace(f));
    const shapes = regions.map((r) => `${planInput(frame, r)!.netW}x${planInput(frame, r)!.netH}`);
    expect(new Set(shapes).size).toBeLessThan(regions.length);
    const batched = await detector.detect(frame, regions, 0.5);
    const single: FaceDetection[] = [];
    for (const r of regions) single.push(...(await detector.detect(frame, [r], 0.5)));
    expect(batched.length).toBeGreaterThanOrEqual(4);
    const key = (d: FaceDetection) => `${d.box.x.toFixed(1)},${d.box.y.toFixed(1)},${d.box.w.toFixed(1)}`;
    expect(batched.map(key).sort()).toEqual(single.map(key).sort());
    const byKey = new Map(single.map((d) => [key(d), d.score]));
    for (const d of batched) expect(Math.abs(d.score - byKey.get(key(d))!)).toBeLessThan(1e-4);
  });
});
