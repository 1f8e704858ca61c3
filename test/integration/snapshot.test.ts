import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FramePxBox } from "@shelf/core";
import { createFaceAnalyzer, type FaceAnalyzer, type RgbFrame } from "@shelf/inference";
import { blurredSnapshot, faceApiDemoDir, letterbox } from "@shelf/camera-agent";
import { datasetsDir } from "../setup/env.ts";

/**
 * The calibration snapshot leaves the agent with no readable face: every detector we have, at a low
 * threshold, finds nothing on snapshots made from every shared store clip and from the demo photos where
 * it found a face before.
 */
const LOW = { blazeface: 0.3, tiny: 0.3, ssd: 0.3 } as const;

function iou(a: FramePxBox, b: FramePxBox): number {
  const w = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? (w * h) / (a.w * a.h + b.w * b.h - w * h) : 0;
}

async function decodeDataUrl(url: string): Promise<Uint8Array> {
  expect(url).toMatch(/^data:image\/jpeg;base64,/);
  return new Uint8Array(Buffer.from(url.slice(url.indexOf(",") + 1), "base64"));
}

describe("face-blurred calibration snapshot", () => {
  const detectors: { name: keyof typeof LOW; analyzer: FaceAnalyzer }[] = [];
  let agentAnalyzer: FaceAnalyzer;
  const frames: { name: string; frame: RgbFrame }[] = [];

  beforeAll(async () => {
    agentAnalyzer = createFaceAnalyzer({ expression: { model: "none" } });
    await agentAnalyzer.load();
    for (const name of ["blazeface", "tiny", "ssd"] as const) {
      const analyzer = createFaceAnalyzer({
        detector: { kind: name, tiny: { inputSize: 800 } },
        landmarks: false,
        expression: { model: "none" },
      });
      await analyzer.load();
      detectors.push({ name, analyzer });
    }
    for (const file of ["sample1.jpg", "sample3.jpg", "sample6.jpg"])
      frames.push({
        name: file,
        frame: await letterbox(await readFile(path.join(faceApiDemoDir(), file)), 640, 480),
      });
    const video = path.join(datasetsDir() ?? "", "store-video");
    for (const clip of [
      "face-demographics-walking-and-pause.gif",
      "face-demographics-walking.gif",
      "one-by-one-person-detection.gif",
      "people-detection.gif",
      "store-aisle-detection.gif",
    ]) {
      const gif = await readFile(path.join(video, clip));
      frames.push({ name: clip, frame: await letterbox(gif, 854, 480) });
    }
  }, 180_000);
  afterAll(async () => {
    await agentAnalyzer?.dispose();
    for (const d of detectors) await d.analyzer.dispose();
  });

  it("no detector finds, on any snapshot, a face it found in the frame", async () => {
    let facesBefore = 0;
    for (const { name, frame } of frames) {
      // What the pipeline passes: the faces it found (here: none, so the snapshot must find them itself).
      const jpeg = await decodeDataUrl(await blurredSnapshot(frame, agentAnalyzer));
      for (const d of detectors) {
        const before = (await d.analyzer.detect(frame, { minScore: LOW[d.name], boxesOnly: true })).faces;
        const after = await d.analyzer.detect(jpeg, { minScore: LOW[d.name], boxesOnly: true });
        expect(after.frame.width).toBe(frame.width);
        facesBefore += before.length;
        const readable = after.faces.filter((a) => before.some((b) => iou(a.box, b.box) >= 0.3));
        expect(readable, `${d.name} on the snapshot of ${name}`).toEqual([]);
      }
    }
    // The check means something only if the detectors did find faces in the frames.
    expect(facesBefore).toBeGreaterThan(20);
  }, 300_000);

  it("the agent's own detector, at its default threshold, finds no face at all on any snapshot", async () => {
    for (const { name, frame } of frames) {
      const jpeg = await decodeDataUrl(await blurredSnapshot(frame, agentAnalyzer));
      expect((await agentAnalyzer.detect(jpeg, { boxesOnly: true })).faces, name).toEqual([]);
    }
  }, 120_000);
});
