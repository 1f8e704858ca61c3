import { describe, expect, it } from "vitest";
import { CROP_FRAMING, createFaceAnalyzer, type DetectOptions, type DetectResult } from "./analyzer.ts";
import { FaceScanner } from "./face-scanner.ts";
import type { RgbFrame } from "./frame.ts";
import { decodeGifFrame, frameCount } from "./eval/detection.ts";
import { describeWithDataset } from "./test-support/datasets.ts";

const W = 320;
const H = 240;

function grey(level = 100): RgbFrame {
  return { width: W, height: H, channels: 3, data: new Uint8Array(W * H * 3).fill(level) };
}

/** A frame with a bright square (something moving) at x, y. */
function withSquare(x: number, y: number, side = 40): RgbFrame {
  const f = grey();
  for (let j = y; j < y + side; j++)
    for (let i = x; i < x + side; i++) f.data.fill(250, (j * W + i) * 3, (j * W + i) * 3 + 3);
  return f;
}

/** Records every detect call; "finds" the faces it is told to. */
function recorder(faces: { x: number; y: number; w: number; h: number }[] = []) {
  const calls: DetectOptions[] = [];
  return {
    calls,
    faces,
    async detect(frame: RgbFrame, opts: DetectOptions = {}): Promise<DetectResult> {
      calls.push(opts);
      return {
        faces: this.faces.map((box) => ({
          box,
          score: 0.9,
          quality: { ok: true, reasons: [], sizePx: box.w },
        })),
        timings: { detect: 1 },
        frame,
        cropFraming: CROP_FRAMING.blazeface,
      };
    },
  };
}

describe("FaceScanner", () => {
  it("scans the whole frame first, then spends nothing on a still, empty scene", async () => {
    const det = recorder();
    const scanner = new FaceScanner(det);
    expect((await scanner.scan(grey(), 0)).mode).toBe("full");
    expect(det.calls[0]!.regions).toBeUndefined();
    for (let t = 200; t < 1800; t += 200) expect((await scanner.scan(grey(), t)).mode).toBe("idle");
    expect(det.calls).toHaveLength(1);
  });

  it("scans where something moved, at every pyramid scale, and nowhere else", async () => {
    const det = recorder();
    const scanner = new FaceScanner(det);
    await scanner.scan(grey(), 0);
    const r = await scanner.scan(withSquare(200, 100), 200);
    expect(r.mode).toBe("regions");
    const regions = det.calls[1]!.regions!;
    expect(regions.length).toBeGreaterThan(0);
    for (const region of regions) {
      // The moving square, with a cell of margin: nothing near the left half.
      expect(region.box.x).toBeGreaterThanOrEqual(180);
      expect(region.box.x + region.box.w).toBeLessThanOrEqual(260);
    }
  });

  it("follows known faces at a lower score, coasts over a miss, and forgets them after that", async () => {
    const det = recorder([{ x: 100, y: 80, w: 20, h: 20 }]);
    const scanner = new FaceScanner(det, { keepScore: 0.35, coastFrames: 1, stillFaceSkip: 0 });
    await scanner.scan(grey(), 0);
    det.faces = [];
    await scanner.scan(grey(), 200);
    const around = det.calls[1]!.regions!;
    expect(around).toHaveLength(1);
    expect(around[0]).toMatchObject({ scale: 1, minScore: 0.35 });
    // Missed once: still searched (coasting); missed twice: dropped, and the still scene costs nothing.
    await scanner.scan(grey(), 400);
    expect(det.calls[2]!.regions).toHaveLength(1);
    expect((await scanner.scan(grey(), 600)).mode).toBe("idle");
  });

  it("carries a still face over for stillFaceSkip frames, and scans it at once when its head moves", async () => {
    const face = { x: 100, y: 80, w: 20, h: 20 };
    const det = recorder([face]);
    const scanner = new FaceScanner(det, { stillFaceSkip: 2 });
    await scanner.scan(grey(), 0);
    // Found a second time at the same place: now known to stand still.
    await scanner.scan(grey(), 200);
    expect(det.calls).toHaveLength(2);
    // Two still frames: the face comes back without a detector call.
    for (const t of [400, 600]) {
      const r = await scanner.scan(grey(), t);
      expect(r.faces.map((f) => f.box)).toEqual([face]);
      expect(r.regions).toBe(0);
    }
    expect(det.calls).toHaveLength(2);
    // Then re-detected (a region around it).
    await scanner.scan(grey(), 800);
    expect(det.calls[2]!.regions).toHaveLength(1);
    // The head moves: scanned at once, without waiting.
    await scanner.scan(withSquare(96, 76, 24), 1000);
    expect(det.calls).toHaveLength(4);
  });

  it("ignores motion that a followed person's own body explains", async () => {
    const det = recorder([{ x: 140, y: 20, w: 20, h: 20 }]);
    const scanner = new FaceScanner(det, { stillFaceSkip: 0 });
    await scanner.scan(grey(), 0);
    // Arm moving below the face, inside the body column.
    await scanner.scan(withSquare(130, 80, 24), 200);
    expect(det.calls[1]!.regions).toHaveLength(1); // only the region around the face
  });

  it("runs a full scan every fullScanMs, and when most of the frame changes", async () => {
    const det = recorder();
    const scanner = new FaceScanner(det, { fullScanMs: 1000 });
    await scanner.scan(grey(), 0);
    await scanner.scan(grey(), 500);
    expect((await scanner.scan(grey(), 1000)).mode).toBe("full");
    expect((await scanner.scan(grey(200), 1200)).mode).toBe("full"); // lights on
  });

  it("includes the finest level in every fineScanEvery-th periodic scan; in between the coarser levels, motion and small followed faces at the finest", async () => {
    const small = { x: 40, y: 40, w: 20, h: 20 };
    const large = { x: 200, y: 40, w: 60, h: 60 };
    const det = recorder([small, large]);
    const scanner = new FaceScanner(det, { fullScanMs: 1000, stillFaceSkip: 0 });
    await scanner.scan(grey(), 0);
    expect(det.calls[0]!.regions).toBeUndefined(); // the first scan is complete
    await scanner.scan(grey(), 500);
    const r = await scanner.scan(withSquare(100, 150), 1000);
    expect(r.mode).toBe("full");
    const coarse = det.calls[2]!.regions!;
    const whole = coarse.filter((g) => g.box.w === W && g.box.h === H);
    // 320×240: levels 1, ½, ¼; the periodic scan without the finest one.
    expect(whole.map((g) => g.scale)).toEqual([0.5, 0.25]);
    const finest = coarse.filter((g) => g.scale >= 1);
    // The 20 px face (under the ½ level's 32 px) is followed at a low score; the 60 px one is left to the
    // coarser levels; the moving square is scanned at the finest level.
    expect(finest.filter((g) => g.minScore === 0.4)).toHaveLength(1);
    expect(finest.find((g) => g.minScore === 0.4)!.box.x).toBeLessThan(small.x);
    expect(finest.filter((g) => g.minScore === undefined && g.box.x >= 80 && g.box.x < 100)).toHaveLength(1);
    expect(finest.some((g) => g.box.x <= large.x && g.box.x + g.box.w >= large.x + large.w)).toBe(false);
    // The next periodic scan is complete again; with fineScanEvery 1, every one is.
    await scanner.scan(grey(), 1500);
    await scanner.scan(grey(), 2000);
    expect(det.calls.at(-1)!.regions).toBeUndefined();
    const every = recorder();
    const always = new FaceScanner(every, { fullScanMs: 1000, fineScanEvery: 1 });
    for (const t of [0, 1000, 2000]) await always.scan(grey(), t);
    expect(every.calls.map((c) => c.regions)).toEqual([undefined, undefined, undefined]);
  });
});

describeWithDataset("store-video", "FaceScanner on a real clip", (dir) => {
  it("follows the three faces of face-demographics-walking-and-pause at a fraction of full-scan cost", async () => {
    const analyzer = createFaceAnalyzer({ expression: { model: "none" } });
    await analyzer.load();
    const file = `${dir}/face-demographics-walking-and-pause.gif`;
    const scanner = new FaceScanner(analyzer);
    let faces = 0;
    let full = 0;
    const n = await frameCount(file);
    for (let i = 1; i <= n; i++) {
      const r = await scanner.scan(await decodeGifFrame(file, i), (i - 1) * 83);
      faces += r.faces.length;
      if (r.mode === "full") full++;
    }
    await analyzer.dispose();
    expect(faces / n).toBeGreaterThan(2.8);
    // 41 frames at 12 fps: a full scan at 0 s, 2 s and (maybe) 3.3 s; the rest around the faces.
    expect(full).toBeLessThanOrEqual(3);
  });
});
