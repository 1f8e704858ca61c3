import { describe, expect, it } from "vitest";
import { boxArea, boxCentre, iou } from "./boxes.ts";
import type { FramePxBox } from "./coords.ts";

const box = (x: number, y: number, w: number, h: number): FramePxBox => ({ x, y, w, h });

describe("iou", () => {
  it("is 1 for identical boxes and 0 for disjoint or touching ones", () => {
    expect(iou(box(0, 0, 10, 10), box(0, 0, 10, 10))).toBe(1);
    expect(iou(box(0, 0, 10, 10), box(20, 0, 10, 10))).toBe(0);
    expect(iou(box(0, 0, 10, 10), box(10, 0, 10, 10))).toBe(0);
  });

  it("computes partial overlaps", () => {
    // Half-shifted: intersection 50, union 150.
    expect(iou(box(0, 0, 10, 10), box(5, 0, 10, 10))).toBeCloseTo(1 / 3, 12);
    // Contained: 4 / 100.
    expect(iou(box(0, 0, 10, 10), box(2, 2, 2, 2))).toBeCloseTo(0.04, 12);
  });

  it("is symmetric", () => {
    const a = box(3, 4, 17, 9);
    const b = box(10, 1, 8, 20);
    expect(iou(a, b)).toBe(iou(b, a));
    expect(iou(a, b)).toBeGreaterThan(0);
  });

  it("treats degenerate boxes as overlapping nothing", () => {
    expect(iou(box(0, 0, 0, 10), box(0, 0, 10, 10))).toBe(0);
    expect(iou(box(0, 0, -5, 10), box(-5, 0, 10, 10))).toBe(0);
    expect(iou(box(Number.NaN, 0, 5, 5), box(0, 0, 5, 5))).toBe(0);
  });
});

describe("boxArea / boxCentre", () => {
  it("computes area and centre", () => {
    expect(boxArea(box(1, 2, 3, 4))).toBe(12);
    expect(boxArea(box(1, 2, -3, 4))).toBe(0);
    expect(boxCentre(box(10, 20, 4, 6))).toEqual({ x: 12, y: 23 });
  });
});
