import { describe, expect, it } from "vitest";
import {
  mergeDetections,
  NET_FACE_MAX,
  NET_FACE_MIN,
  PYRAMID_STEP,
  pyramidRegions,
  regionAroundFace,
} from "./face-scan.ts";

describe("pyramidRegions", () => {
  it("covers 16 px faces to half the frame's shorter side in steps of PYRAMID_STEP, with no gap", () => {
    const levels = pyramidRegions({ width: 640, height: 480 }).map((r) => r.scale);
    expect(levels).toEqual([1, 1 / PYRAMID_STEP, 1 / PYRAMID_STEP ** 2, 1 / PYRAMID_STEP ** 3]);
    // Finest level: a 16 px face is NET_FACE_MIN at network scale; coarsest reaches 240 px faces.
    expect(16 * levels[0]!).toBe(NET_FACE_MIN);
    expect(NET_FACE_MAX / levels.at(-1)!).toBeGreaterThanOrEqual(240);
    // Each level's largest face is at least the next level's smallest (frame px).
    for (let i = 1; i < levels.length; i++)
      expect(NET_FACE_MAX / levels[i - 1]!).toBeGreaterThanOrEqual(NET_FACE_MIN / levels[i]!);
  });

  it("needs fewer levels for a small frame, and stops at 32 px with a shorter last step", () => {
    expect(pyramidRegions({ width: 480, height: 270 }).map((r) => r.scale)).toEqual([1, 0.5, 0.25]);
    // 64 px: 1, then 0.5 (a step of 2.5 would make it 25.6 px: shortened to 0.5, which finds faces up to 100 px).
    expect(
      pyramidRegions({ width: 64, height: 64 }, { maxFaceFraction: 1, step: 2.5 }).map((r) => r.scale),
    ).toEqual([1, 0.5]);
    expect(pyramidRegions({ width: 32, height: 200 }, { maxFaceFraction: 1 }).map((r) => r.scale)).toEqual([
      1,
    ]);
  });

  it("takes a denser step on request (the snapshot's fail-closed pass), within 1.25–3", () => {
    expect(pyramidRegions({ width: 640, height: 480 }, { step: 2 }).map((r) => r.scale)).toEqual([
      1, 0.5, 0.25, 0.125,
    ]);
    expect(pyramidRegions({ width: 640, height: 480 }, { step: 10 }).map((r) => r.scale)).toEqual([
      1,
      1 / 3,
      1 / 9,
    ]);
  });

  it("returns nothing for a degenerate frame instead of looping", () => {
    expect(pyramidRegions({ width: Number.NaN, height: 10 })).toEqual([]);
    expect(pyramidRegions({ width: 100, height: 100 }, { minFacePx: Number.NaN })).toHaveLength(0);
  });
});

describe("regionAroundFace", () => {
  it("picks a scale that keeps the face at most 32 px (never enlarged), with 3 face sides of context when small, 2 when large", () => {
    // Small faces are not enlarged (measured: enlarged 1.25×, BlazeFace boxed them too small).
    expect(regionAroundFace({ x: 100, y: 100, w: 15, h: 15 }).scale).toBe(1);
    expect(regionAroundFace({ x: 100, y: 100, w: 30, h: 30 }).scale).toBe(1);
    expect(regionAroundFace({ x: 100, y: 100, w: 120, h: 120 }).scale).toBe(0.25);
    expect(regionAroundFace({ x: 100, y: 100, w: 20, h: 20 }).box).toEqual({ x: 40, y: 40, w: 140, h: 140 });
    expect(regionAroundFace({ x: 100, y: 100, w: 40, h: 40 }).box).toEqual({ x: 20, y: 20, w: 200, h: 200 });
  });
});

describe("mergeDetections", () => {
  const det = (x: number, y: number, w: number, score: number) => ({
    box: { x, y, w, h: w },
    score,
    keypoints: [],
  });

  it("keeps the best of overlapping boxes", () => {
    const out = mergeDetections([det(0, 0, 20, 0.7), det(2, 2, 20, 0.9), det(100, 0, 20, 0.8)]);
    expect(out.map((d) => d.score)).toEqual([0.9, 0.8]);
  });

  it("drops a part-of-face box inside a whole-face box from another scale, whatever their IoU", () => {
    // IoU 100 / 1600 = 0.06, but the small box lies wholly inside the big one.
    const out = mergeDetections([det(0, 0, 40, 0.9), det(10, 10, 10, 0.8)]);
    expect(out).toHaveLength(1);
  });

  it("caps the count", () => {
    expect(mergeDetections([det(0, 0, 10, 0.5), det(50, 0, 10, 0.6)], { maxFaces: 1 })).toHaveLength(1);
  });
});
