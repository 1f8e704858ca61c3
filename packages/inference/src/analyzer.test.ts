import { readFileSync } from "node:fs";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXPRESSIONS } from "@shelf/core";
import { createFaceAnalyzer, CROP_FRAMING, type DetectedFace, type FaceAnalyzer } from "./analyzer.ts";
import { InferenceInputError, InferenceStateError } from "./errors.ts";
import { cropFace, decodeImage, type FaceCrop, type RgbFrame } from "./frame.ts";
import { demoPhotoPath } from "./test-support/demo-photos.ts";

const quiet = { info: () => undefined, warn: () => undefined };

/** Faces a person counts in face-api's demo photos sample1…6 (one is a profile looking down). */
const FACES_IN_PHOTO = [3, 3, 3, 4, 5, 4];

async function letterbox(image: Uint8Array, width: number, height: number): Promise<RgbFrame> {
  const { data, info } = await sharp(image)
    .resize(width, height, { fit: "contain", background: "#000" })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, channels: 3, data: new Uint8Array(data) };
}

describe("face analyzer on the demo photos", () => {
  let analyzer: FaceAnalyzer;
  const photos: Buffer[] = [];
  const frames: RgbFrame[] = [];
  const faces: DetectedFace[][] = [];
  const framing = CROP_FRAMING.blazeface;

  beforeAll(async () => {
    // Portraits: no face under 48 px, so the pyramid starts there (a 1920 px photo scanned for 16 px faces
    // costs seconds and finds textures in clothes).
    analyzer = createFaceAnalyzer({ detector: { blazeface: { minFacePx: 48 } } }, { logger: quiet });
    await analyzer.load();
    await analyzer.warmup();
    for (let n = 1; n <= 6; n++) {
      const photo = readFileSync(demoPhotoPath(n));
      photos.push(photo);
      const result = await analyzer.detect(photo);
      frames.push(result.frame);
      faces.push(result.faces);
    }
  });

  afterAll(async () => {
    await analyzer?.dispose();
  });

  it("runs BlazeFace and our expression model on onnxruntime-node, without starting tfjs", () => {
    expect(analyzer.detector).toBe("onnx:blazeface-back");
    expect(analyzer.expressionModel).toBe("onnx:fer-vgg-s");
    expect(analyzer.backend).toBe("none");
    expect(analyzer.backendNotes.join(" ")).toMatch(/detector: onnx:blazeface-back on onnxruntime-node/);
  });

  it("finds the faces a person sees, and nothing else", () => {
    faces.forEach((found, i) => {
      expect(found.length, `sample${i + 1}.jpg`).toBeGreaterThanOrEqual(FACES_IN_PHOTO[i]! - 1);
      expect(found.length, `sample${i + 1}.jpg`).toBeLessThanOrEqual(FACES_IN_PHOTO[i]!);
    });
    const total = faces.reduce((n, f) => n + f.length, 0);
    expect(total).toBeGreaterThanOrEqual(20);
    for (const [i, found] of faces.entries())
      for (const f of found) {
        // Faces in these 1920 px photos are 200-300 px; boxes lie inside the frame.
        expect(f.box.w).toBeGreaterThan(150);
        expect(f.box.w).toBeLessThan(400);
        expect(f.box.x).toBeGreaterThanOrEqual(0);
        expect(f.box.x + f.box.w).toBeLessThanOrEqual(frames[i]!.width);
        expect(f.score).toBeGreaterThan(0.4);
        expect(f.score).toBeLessThanOrEqual(1);
      }
  });

  it("reports per-stage timings", async () => {
    const { timings } = await analyzer.detect(frames[0]!);
    // BlazeFace's keypoints give frontality inside the quality stage: no separate landmark stage.
    for (const stage of ["decode", "detect", "quality", "total"])
      expect(timings[stage]).toBeGreaterThanOrEqual(0);
    expect(timings.total).toBeGreaterThanOrEqual(timings.detect!);
  });

  it("reads the smiles in the photos as happy", async () => {
    const crops = faces.flatMap((found, i) =>
      found.filter((f) => f.quality.ok).map((f) => cropFace(frames[i]!, f.box, framing)),
    );
    expect(crops.length).toBeGreaterThanOrEqual(10);
    const results = await analyzer.classify(crops);
    const happy: number[] = [];
    for (const r of results) {
      expect(r.status).toBe("ok");
      if (r.status !== "ok") continue;
      expect(r.probs).toHaveLength(EXPRESSIONS.length);
      expect(r.probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
      expect(r.probs.indexOf(Math.max(...r.probs))).toBe(EXPRESSIONS.indexOf(r.dominant));
      happy.push(r.probs[EXPRESSIONS.indexOf("happy")]!);
    }
    // Most people in face-api's demo photos smile; several broadly.
    expect(results.filter((r) => r.status === "ok" && r.dominant === "happy").length).toBeGreaterThanOrEqual(
      crops.length / 2,
    );
    expect(happy.filter((p) => p > 0.9).length).toBeGreaterThanOrEqual(3);
  });

  it("gives the same answer for a crop alone and inside a batch", async () => {
    const crops = faces[5]!.map((f) => cropFace(frames[5]!, f.box, framing));
    const batch = await analyzer.classify(crops);
    const alone = await analyzer.classify([crops[1]!]);
    expect(alone[0]).toEqual(batch[1]);
  });

  it("flags faces turned away, and says how it measured", () => {
    const all = faces.flat();
    for (const f of all) {
      expect(f.quality.sizePx).toBeCloseTo(Math.min(f.box.w, f.box.h), 1);
      expect(f.quality.blur).toBeGreaterThanOrEqual(0);
      expect(f.quality.frontal).toBeGreaterThanOrEqual(0);
      expect(f.quality.ok).toBe(f.quality.reasons.length === 0);
      if (f.quality.reasons.includes("off-frontal"))
        expect(f.quality.frontal).toBeLessThan(analyzer.config.quality.minFrontal);
    }
    // sample5 has a woman in three-quarter view; sample6's four face the camera (BlazeFace keypoints).
    expect(faces[4]!.some((f) => f.quality.reasons.includes("off-frontal"))).toBe(true);
    expect(faces[5]!.every((f) => f.quality.ok)).toBe(true);
  });

  it("applies the size and score thresholds from config", async () => {
    const strict = createFaceAnalyzer(
      { detector: { blazeface: { minFacePx: 48 } }, quality: { minFaceSize: 1000, minScore: 0.999 } },
      { logger: quiet },
    );
    await strict.load();
    const { faces: found } = await strict.detect(frames[5]!);
    expect(found.length).toBeGreaterThan(0);
    for (const f of found) {
      expect(f.quality.ok).toBe(false);
      expect(f.quality.reasons).toEqual(expect.arrayContaining(["too-small", "low-score"]));
      // No frontality measured on a face already too small.
      expect(f.quality.frontal).toBeUndefined();
    }
    await strict.dispose();
  });

  it("finds faces in a letterboxed 640×480 camera frame too", async () => {
    const frame = await letterbox(photos[5]!, 640, 480);
    const { faces: found } = await analyzer.detect(frame);
    expect(found.length).toBe(4);
  });

  it("detects with SsdMobilenetv1 when configured", async () => {
    const ssd = createFaceAnalyzer({ detector: { kind: "ssd" }, landmarks: false }, { logger: quiet });
    await ssd.load();
    const { faces: found } = await ssd.detect(frames[5]!);
    expect(found.length).toBe(4);
    await ssd.dispose();
  });

  describe("classify() quality gate", () => {
    let face: FaceCrop;
    beforeAll(() => {
      face = cropFace(frames[5]!, faces[5]![0]!.box);
    });

    it("returns unknown with a reason for crops not worth reading, and classifies the rest in place", async () => {
      const blurred: FaceCrop = { ...face, data: await blur(face) };
      const flat: FaceCrop = { width: 64, height: 64, channels: 1, data: new Uint8Array(64 * 64).fill(120) };
      const tiny: FaceCrop = { width: 20, height: 20, channels: 1, data: face.data.subarray(0, 400) };
      const farAway: FaceCrop = { ...face, sourceSizePx: 18 };
      const malformed: FaceCrop = { width: 64, height: 64, channels: 1, data: new Uint8Array(10) };
      const rgb = cropFace(frames[5]!, faces[5]![0]!.box, { channels: 3, size: 112 });
      const results = await analyzer.classify([face, blurred, flat, tiny, farAway, malformed, rgb]);
      expect(results.map((r) => (r.status === "ok" ? "ok" : r.reason.split(":")[0]))).toEqual([
        "ok",
        "too-blurred",
        "flat",
        "too-small",
        "too-small",
        "invalid-crop",
        "ok",
      ]);
      expect(results[4]).toMatchObject({ reason: expect.stringMatching(/18 px in the frame/) });
      expect(results[5]).toMatchObject({ reason: expect.stringMatching(/10 bytes/) });
    });

    it("returns an empty list for an empty batch", async () => {
      expect(await analyzer.classify([])).toEqual([]);
    });

    async function blur(crop: FaceCrop): Promise<Uint8Array> {
      const raw = { width: crop.width, height: crop.height, channels: crop.channels };
      return new Uint8Array(
        await sharp(Buffer.from(crop.data), { raw }).blur(3).extractChannel(0).raw().toBuffer(),
      );
    }
  });

  describe("bad input", () => {
    const bomb = async () => {
      // A real JPEG whose header claims 20000×20000: decoding it would need 1.2 GB.
      const jpeg = Buffer.from(
        await sharp({ create: { width: 16, height: 16, channels: 3, background: "#888" } })
          .jpeg()
          .toBuffer(),
      );
      const sof = jpeg.findIndex((b, i) => b === 0xff && jpeg[i + 1] === 0xc0);
      jpeg.writeUInt16BE(20_000, sof + 5);
      jpeg.writeUInt16BE(20_000, sof + 7);
      return jpeg;
    };

    it.each<[string, () => Promise<RgbFrame | Uint8Array>, RegExp]>([
      ["an empty buffer", async () => new Uint8Array(0), /empty/],
      ["a corrupt JPEG", async () => readFileSync(demoPhotoPath(4)).subarray(0, 5000), /cannot decode image/],
      ["bytes that are no image", async () => new Uint8Array(4096).fill(7), /cannot read image header/],
      ["a 20000×20000 JPEG", bomb, /20000×20000 = 400\.0 MP/],
      [
        "a frame whose data is too short",
        async () => ({ width: 640, height: 480, channels: 3, data: new Uint8Array(100) }),
        /expected 640×480×3/,
      ],
      [
        "a frame with wrong dimensions",
        async () => ({ width: -1, height: 480, channels: 3, data: new Uint8Array(0) }),
        /positive integers/,
      ],
      [
        "a 20000×20000 raw frame",
        async () => ({ width: 20_000, height: 20_000, channels: 3, data: new Uint8Array(3) }),
        /over the/,
      ],
      [
        "a grey raw frame",
        async () => ({ width: 2, height: 2, channels: 1, data: new Uint8Array(4) }) as unknown as RgbFrame,
        /3 channels/,
      ],
    ])("rejects %s with InferenceInputError and keeps working", async (_name, make, message) => {
      const before = analyzer.tensorCount();
      const input = await make();
      await expect(analyzer.detect(input)).rejects.toThrow(InferenceInputError);
      await expect(analyzer.detect(input)).rejects.toThrow(message);
      expect(analyzer.tensorCount()).toBe(before);
      const { faces: found } = await analyzer.detect(frames[2]!);
      expect(found.length).toBe(faces[2]!.length);
    });

    it("rejects a non-array batch", async () => {
      await expect(analyzer.classify("nope" as never)).rejects.toThrow(InferenceInputError);
    });
  });

  it("does not grow the tensor count over many calls", async () => {
    const frame = await letterbox(photos[0]!, 640, 480);
    await analyzer.detect(frame);
    const before = analyzer.tensorCount();
    for (let i = 0; i < 40; i++) {
      const { faces: found } = await analyzer.detect(i % 2 ? frame : frames[i % 6]!);
      await analyzer.classify(found.map((f) => cropFace(i % 2 ? frame : frames[i % 6]!, f.box)));
      await analyzer.detect(new Uint8Array(0)).catch(() => undefined);
    }
    expect(analyzer.tensorCount()).toBe(before);
  });
});

describe("analyzer lifecycle", () => {
  it("refuses work before load() and after dispose(), and frees its tensors", async () => {
    // The tiny detector runs on tfjs, so this analyzer owns tensors to free.
    const a = createFaceAnalyzer({ landmarks: false, detector: { kind: "tiny" } }, { logger: quiet });
    expect(a.backend).toBe("none");
    await expect(a.detect(new Uint8Array(10))).rejects.toThrow(InferenceStateError);
    await expect(a.classify([])).rejects.toThrow(/load\(\)/);
    await a.load();
    await a.load(); // idempotent
    const loaded = a.tensorCount();
    expect(loaded).toBeGreaterThan(0);
    const other = createFaceAnalyzer({ landmarks: false, detector: { kind: "tiny" } }, { logger: quiet });
    await other.load();
    expect(other.tensorCount()).toBeGreaterThan(loaded);
    await other.dispose();
    expect(a.tensorCount()).toBe(loaded);
    await a.dispose();
    await a.dispose(); // idempotent
    await expect(a.classify([])).rejects.toThrow(/disposed/);
    await expect(a.load()).rejects.toThrow(InferenceStateError);
  });

  it("loads the same frame from raw RGB and from the encoded image", async () => {
    const a = createFaceAnalyzer({ landmarks: false }, { logger: quiet });
    await a.load();
    const jpeg = readFileSync(demoPhotoPath(6));
    const fromJpeg = await a.detect(jpeg);
    const fromRaw = await a.detect(await decodeImage(jpeg));
    expect(fromRaw.faces).toEqual(fromJpeg.faces);
    await a.dispose();
  });
});
