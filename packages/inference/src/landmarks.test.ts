import { describe, expect, it } from "vitest";
import { frontalFromLandmarks } from "./landmarks.ts";

/** 68 landmarks of a schematic face: jaw ends at x = ±jaw, nose tip at `noseX`, eyes level. */
function face(noseX: number, rollDeg = 0): number[] {
  const pts: [number, number][] = Array.from({ length: 68 }, () => [0, 0]);
  pts[0] = [-1, 0];
  pts[16] = [1, 0];
  pts[30] = [noseX, 0.2];
  for (let i = 36; i <= 41; i++) pts[i] = [-0.5, -0.3];
  for (let i = 42; i <= 47; i++) pts[i] = [0.5, -0.3];
  const r = (rollDeg * Math.PI) / 180;
  return pts.flatMap(([x, y]) => [x * Math.cos(r) - y * Math.sin(r), x * Math.sin(r) + y * Math.cos(r)]);
}

describe("frontalFromLandmarks", () => {
  it("is 1 for a symmetric face and falls as the nose moves toward one jaw end", () => {
    expect(frontalFromLandmarks(face(0))).toBeCloseTo(1);
    expect(frontalFromLandmarks(face(0.5))).toBeCloseTo(0.5 / 1.5);
    expect(frontalFromLandmarks(face(-0.5))).toBeCloseTo(0.5 / 1.5);
    expect(frontalFromLandmarks(face(1.2))).toBe(0);
  });

  it("ignores head roll", () => {
    expect(frontalFromLandmarks(face(0.3, 30))).toBeCloseTo(frontalFromLandmarks(face(0.3)), 5);
  });
});
