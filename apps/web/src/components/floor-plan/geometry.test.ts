import { describe, expect, it } from "vitest";
import {
  clamp,
  clampToRect,
  labelAnchor,
  markSize,
  nudgeDelta,
  onPlan,
  pointAlong,
  roundCm,
  svgPoints,
  type Xy,
} from "./geometry.ts";

describe("floor-plan geometry", () => {
  it("writes SVG points as x,y pairs", () => {
    expect(
      svgPoints([
        { x: 0, y: 1.5 },
        { x: 2, y: 3 },
      ]),
    ).toBe("0,1.5 2,3");
    expect(svgPoints([])).toBe("");
  });

  it("rounds metres to centimetres", () => {
    expect(roundCm(1.234)).toBe(1.23);
    expect(roundCm(1.235001)).toBe(1.24);
    expect(roundCm(-0.004)).toBe(-0);
  });

  it("clamps into a range and a rectangle", () => {
    expect(clamp(-1, 0, 5)).toBe(0);
    expect(clamp(6, 0, 5)).toBe(5);
    expect(clamp(2.5, 0, 5)).toBe(2.5);
    expect(clampToRect({ x: 700, y: -3 }, 640, 480)).toEqual({ x: 640, y: 0 });
  });

  it("keeps a floor point on the plan, in centimetres", () => {
    const plan = { widthM: 12, heightM: 8 };
    expect(onPlan({ x: 3.14159, y: 2.71828 }, plan)).toEqual({ x: 3.14, y: 2.72 });
    expect(onPlan({ x: 12.5, y: -0.2 }, plan)).toEqual({ x: 12, y: 0 });
  });

  it("interpolates along an axis", () => {
    const axis: [Xy, Xy] = [
      { x: 1, y: 1 },
      { x: 5, y: 3 },
    ];
    expect(pointAlong(axis, 0)).toEqual({ x: 1, y: 1 });
    expect(pointAlong(axis, 1)).toEqual({ x: 5, y: 3 });
    expect(pointAlong(axis, 0.25)).toEqual({ x: 2, y: 1.5 });
  });

  it("sizes marks by the plan's longer side", () => {
    expect(markSize({ widthM: 40, heightM: 20 }, 80)).toBe(0.5);
    expect(markSize({ widthM: 10, heightM: 20 }, 80)).toBe(0.25);
  });

  it("anchors a label inside the polygon's bounding box, top-left", () => {
    const a = labelAnchor(
      [
        { x: 2, y: 5 },
        { x: 6, y: 3 },
        { x: 4, y: 8 },
      ],
      1,
    );
    expect(a.x).toBeCloseTo(2.4, 9);
    expect(a.y).toBeCloseTo(4.4, 9);
  });

  it("moves by 10 cm per arrow key, 50 cm with Shift, y growing downwards", () => {
    expect(nudgeDelta("ArrowLeft", false)).toEqual({ x: -0.1, y: 0 });
    expect(nudgeDelta("ArrowRight", true)).toEqual({ x: 0.5, y: 0 });
    expect(nudgeDelta("ArrowUp", false)).toEqual({ x: 0, y: -0.1 });
    expect(nudgeDelta("ArrowDown", true)).toEqual({ x: 0, y: 0.5 });
    expect(nudgeDelta("Enter", false)).toBeNull();
  });
});
