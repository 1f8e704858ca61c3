import { describe, expect, it } from "vitest";
import { tinyInputShape } from "./tiny-face-detector.ts";
import { clipBox, nonMaxSuppression } from "./box-math.ts";

describe("tinyInputShape", () => {
  it("keeps the aspect ratio instead of padding to a square", () => {
    expect(tinyInputShape(640, 480, 800)).toEqual({ width: 800, height: 608 });
    expect(tinyInputShape(1280, 720, 800)).toEqual({ width: 800, height: 448 });
    expect(tinyInputShape(480, 640, 416)).toEqual({ width: 320, height: 416 });
  });

  it("never goes below one 32 px cell", () => {
    expect(tinyInputShape(2000, 10, 320)).toEqual({ width: 320, height: 32 });
  });
});

describe("nonMaxSuppression", () => {
  it("keeps the best of overlapping boxes and caps the count", () => {
    const items = [
      { box: { x: 0, y: 0, w: 10, h: 10 }, score: 0.6 },
      { box: { x: 1, y: 0, w: 10, h: 10 }, score: 0.9 },
      { box: { x: 50, y: 0, w: 10, h: 10 }, score: 0.7 },
    ];
    expect(nonMaxSuppression(items, 0.4).map((i) => i.score)).toEqual([0.9, 0.7]);
    expect(nonMaxSuppression(items, 0.4, 1).map((i) => i.score)).toEqual([0.9]);
  });
});

describe("clipBox", () => {
  it("clips to the frame and drops boxes left with no area", () => {
    expect(clipBox({ x: -5, y: -5, w: 20, h: 20 }, 10, 10)).toEqual({ x: 0, y: 0, w: 10, h: 10 });
    expect(clipBox({ x: 20, y: 0, w: 5, h: 5 }, 10, 10)).toBeUndefined();
  });
});
