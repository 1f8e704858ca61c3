import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFaceAnalyzer, type FaceAnalyzer } from "@shelf/inference";
import { blurredSnapshot, faceApiDemoDir, letterbox } from "@shelf/camera-agent";

/** The calibration snapshot leaves the agent with every face unrecognisable: the real detector finds none. */
describe("face-blurred calibration snapshot", () => {
  let analyzer: FaceAnalyzer;
  beforeAll(async () => {
    analyzer = createFaceAnalyzer();
    await analyzer.load();
  });
  afterAll(() => analyzer?.dispose());

  it.each(["sample1.jpg", "sample3.jpg", "sample6.jpg"])("%s: faces before, none after", async (file) => {
    const frame = await letterbox(await readFile(path.join(faceApiDemoDir(), file)), 640, 480);
    const { faces } = await analyzer.detect(frame);
    expect(faces.length).toBeGreaterThan(1);
    const url = await blurredSnapshot(
      frame,
      faces.map((f) => f.box),
    );
    expect(url).toMatch(/^data:image\/jpeg;base64,/);
    const jpeg = new Uint8Array(Buffer.from(url.slice(url.indexOf(",") + 1), "base64"));
    const after = await analyzer.detect(jpeg);
    expect(after.frame.width).toBe(640);
    expect(after.faces).toEqual([]);
  });
});
