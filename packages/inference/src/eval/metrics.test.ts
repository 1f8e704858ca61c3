import { describe, expect, it } from "vitest";
import { classificationMetrics, matchDetections } from "./metrics.ts";

describe("classificationMetrics", () => {
  const labels = ["a", "b", "c"];

  it("computes accuracy, coverage, per-class scores and the confusion matrix", () => {
    // truth:     a a a b b c
    // predicted: a a b b ? c   (? = abstained)
    const m = classificationMetrics(labels, [0, 0, 0, 1, 1, 2], [0, 0, 1, 1, -1, 2]);
    expect(m.n).toBe(6);
    expect(m.accuracy).toBeCloseTo(4 / 6);
    expect(m.coverage).toBeCloseTo(5 / 6);
    expect(m.accuracyOnClassified).toBeCloseTo(4 / 5);
    expect(m.confusion).toEqual([
      [2, 1, 0, 0],
      [0, 1, 0, 1],
      [0, 0, 1, 0],
    ]);
    expect(m.perClass.a).toEqual({ n: 3, recall: 2 / 3, precision: 1, f1: 0.8 });
    expect(m.perClass.b!.recall).toBeCloseTo(0.5);
    expect(m.perClass.b!.precision).toBeCloseTo(0.5);
    expect(m.macroF1).toBeCloseTo((0.8 + 0.5 + 1) / 3);
  });

  it("scores an absent class as 0 without dividing by zero", () => {
    const m = classificationMetrics(labels, [0, 0], [0, 0]);
    expect(m.perClass.c).toEqual({ n: 0, recall: 0, precision: 0, f1: 0 });
    expect(m.accuracy).toBe(1);
  });
});

describe("matchDetections", () => {
  const gt = [
    { x: 0, y: 0, w: 10, h: 10 },
    { x: 100, y: 0, w: 10, h: 10 },
    { x: 200, y: 0, w: 10, h: 10, ignore: true },
  ];

  it("counts hits, duplicates, misses and ignores", () => {
    const dets = [
      { box: { x: 1, y: 1, w: 10, h: 10 }, score: 0.9 }, // hit on gt 0
      { box: { x: 0, y: 0, w: 10, h: 10 }, score: 0.5 }, // duplicate: gt 0 taken → FP
      { box: { x: 201, y: 0, w: 10, h: 10 }, score: 0.8 }, // on an ignored face: neither
      { box: { x: 500, y: 0, w: 10, h: 10 }, score: 0.7 }, // nothing there → FP
    ];
    expect(matchDetections(gt, dets, 0.4)).toEqual({ tp: 1, fp: 2, fn: 1, ignored: 1 });
  });

  it("ignores a detection mostly inside an ignore region even at a low IoU, and only then", () => {
    const region = [{ x: 0, y: 0, w: 40, h: 40, ignore: true }];
    // A 10 px box inside a 40 px region: IoU 0.06, but all of it lies inside → ignored.
    expect(matchDetections(region, [{ box: { x: 5, y: 5, w: 10, h: 10 }, score: 1 }], 0.4)).toMatchObject({
      fp: 0,
      ignored: 1,
    });
    // Only a third of it inside → a false positive.
    expect(matchDetections(region, [{ box: { x: 35, y: 5, w: 15, h: 10 }, score: 1 }], 0.4)).toMatchObject({
      fp: 1,
      ignored: 0,
    });
  });

  it("needs the IoU threshold", () => {
    // IoU of a 10×10 box shifted by 5 px: 50 / 150 = 0.33.
    expect(matchDetections([gt[0]!], [{ box: { x: 5, y: 0, w: 10, h: 10 }, score: 1 }], 0.4)).toEqual({
      tp: 0,
      fp: 1,
      fn: 1,
      ignored: 0,
    });
    expect(matchDetections([gt[0]!], [{ box: { x: 5, y: 0, w: 10, h: 10 }, score: 1 }], 0.3)).toEqual({
      tp: 1,
      fp: 0,
      fn: 0,
      ignored: 0,
    });
  });
});
