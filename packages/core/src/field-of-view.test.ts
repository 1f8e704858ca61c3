import { describe, expect, it } from "vitest";
import { applyHomography, estimateHomography, invertHomography } from "./homography.ts";
import { fieldOfView, floorToFrame, frontSign } from "./field-of-view.ts";

// The demo calibration: a camera across the aisle, the frame's top 200 px above the floor's far edge.
const pairs = [
  { frame: { x: 0, y: 480 }, floor: { x: 3, y: 3 } },
  { frame: { x: 640, y: 480 }, floor: { x: 9, y: 3 } },
  { frame: { x: 640, y: 200 }, floor: { x: 10, y: 6 } },
  { frame: { x: 0, y: 200 }, floor: { x: 2, y: 6 } },
];
const H = estimateHomography(pairs).homography;

describe("fieldOfView", () => {
  it("maps the frame onto the plan and clips it to the plan", () => {
    const fov = fieldOfView(H, { width: 640, height: 480 }, { widthM: 12, heightM: 8 }, pairs[0]!.frame);
    expect(fov.length).toBeGreaterThanOrEqual(3);
    for (const p of fov) {
      expect(p.x).toBeGreaterThanOrEqual(-1e-9);
      expect(p.x).toBeLessThanOrEqual(12 + 1e-9);
      expect(p.y).toBeGreaterThanOrEqual(-1e-9);
      expect(p.y).toBeLessThanOrEqual(8 + 1e-9);
    }
    // The bottom corners of the frame are on the plan, so they are corners of the view.
    for (const corner of [pairs[0]!.floor, pairs[1]!.floor])
      expect(fov.some((p) => Math.hypot(p.x - corner.x, p.y - corner.y) < 1e-6)).toBe(true);
  });

  it("cuts the frame at the horizon instead of wrapping around it", () => {
    // Frame rows above y = 200 run towards the horizon: the view reaches the plan's far edge (y = 8 m).
    const fov = fieldOfView(H, { width: 640, height: 480 }, { widthM: 12, heightM: 8 }, pairs[0]!.frame);
    expect(Math.max(...fov.map((p) => p.y))).toBeCloseTo(8, 6);
    expect(Math.min(...fov.map((p) => p.y))).toBeCloseTo(3, 6);
  });

  it("round-trips floor points into the frame", () => {
    const inv = invertHomography(H);
    const floor0 = pairs[0]!.floor;
    const p = floorToFrame(inv, { x: 6, y: 4 }, frontSign(inv, floor0))!;
    const back = applyHomography(H, p);
    expect(back.x).toBeCloseTo(6, 9);
    expect(back.y).toBeCloseTo(4, 9);
  });

  it("returns null for a floor point behind the camera", () => {
    const inv = invertHomography(H);
    const side = frontSign(inv, pairs[0]!.floor);
    // The far side of the horizon: the sign of w flips there.
    const [, , , , , , g, h, i] = inv.h;
    const behind = { x: 6, y: (-i - g * 6) / h + Math.sign(h) * -side * 50 };
    expect(Math.sign(g * behind.x + h * behind.y + i)).toBe(-side);
    expect(floorToFrame(inv, behind, side)).toBeNull();
    expect(floorToFrame(inv, behind, -side)).not.toBeNull();
  });
});
