import { describe, expect, it } from "vitest";
import type { FramePxBox } from "./coords.ts";
import { estimateHomography, HomographyError } from "./homography.ts";
import {
  boxToFrameNorm,
  boxToFramePx,
  DEFAULT_BODY_TO_FACE_RATIO,
  faceFloorPoint,
  toFrameNorm,
  toFramePx,
} from "./projection.ts";
import {
  projectWorld,
  SHELF_CAMERA,
  unprojectToPlane,
  type PinholeCamera,
} from "./test-support/pinhole-camera.ts";

const SIZE = { width: 1920, height: 1080 };

function calibrate(cam: PinholeCamera, planeZ = 0) {
  const pairs = [];
  for (let i = 0; i < 5; i++)
    for (let j = 0; j < 5; j++) {
      const floor = { x: 0.5 + 0.75 * i, y: 1.5 + j };
      pairs.push({ frame: projectWorld(cam, floor.x, floor.y, planeZ), floor });
    }
  return estimateHomography(pairs).homography;
}

/** The face box of an upright person standing at (x, y): chin at `chinM`, face `faceM` tall, 0.8 as wide. */
function faceBox(cam: PinholeCamera, x: number, y: number, chinM: number, faceM: number): FramePxBox {
  const chin = projectWorld(cam, x, y, chinM);
  const top = projectWorld(cam, x, y, chinM + faceM);
  const h = chin.y - top.y;
  return { x: chin.x - 0.4 * h, y: top.y, w: 0.8 * h, h };
}

describe("FramePx ↔ FrameNorm", () => {
  it("converts points and boxes both ways", () => {
    expect(toFrameNorm({ x: 960, y: 270 }, SIZE)).toEqual({ x: 0.5, y: 0.25 });
    expect(toFramePx({ x: 0.5, y: 0.25 }, SIZE)).toEqual({ x: 960, y: 270 });
    const box = { x: 192, y: 108, w: 96, h: 216 };
    const norm = boxToFrameNorm(box, SIZE);
    expect(norm).toEqual({ x: 0.1, y: 0.1, w: 0.05, h: 0.2 });
    const back = boxToFramePx(norm, SIZE);
    for (const k of ["x", "y", "w", "h"] as const) expect(back[k]).toBeCloseTo(box[k], 9);
  });

  it("rejects empty or non-finite frame sizes", () => {
    expect(() => toFrameNorm({ x: 1, y: 1 }, { width: 0, height: 1080 })).toThrow(RangeError);
    expect(() => toFramePx({ x: 1, y: 1 }, { width: 1920, height: Number.NaN })).toThrow(RangeError);
  });
});

describe("faceFloorPoint", () => {
  const floorH = calibrate(SHELF_CAMERA);

  it("uses the chin through the head-plane homography when given: exact for a chin on that plane", () => {
    const headPlane = calibrate(SHELF_CAMERA, 1.5);
    for (const [x, y] of [
      [1, 2],
      [2.5, 3.5],
      [3, 5.5],
    ] as const) {
      const box = faceBox(SHELF_CAMERA, x, y, 1.5, 0.25);
      const result = faceFloorPoint(box, SIZE, floorH, { headPlane });
      expect(result.method).toBe("head-plane");
      expect(result.clamped).toBe(false);
      expect(result.framePoint).toEqual({ x: box.x + box.w / 2, y: box.y + box.h });
      expect(result.floor.x).toBeCloseTo(x, 6);
      expect(result.floor.y).toBeCloseTo(y, 6);
    }
  });

  it("maps the estimated feet pixel (chin + (ratio − 1) × face height) through the floor homography", () => {
    const box = { x: 900, y: 300, w: 40, h: 50 };
    const result = faceFloorPoint(box, SIZE, floorH);
    expect(result.method).toBe("feet-estimate");
    expect(result.framePoint).toEqual({ x: 920, y: 350 + (DEFAULT_BODY_TO_FACE_RATIO - 1) * 50 });
    const expected = unprojectToPlane(SHELF_CAMERA, result.framePoint);
    expect(result.floor.x).toBeCloseTo(expected.x, 6);
    expect(result.floor.y).toBeCloseTo(expected.y, 6);
    expect(faceFloorPoint(box, SIZE, floorH, { bodyToFaceRatio: 5 }).framePoint.y).toBe(350 + 4 * 50);
  });

  it("is far closer to the truth than projecting the chin as if it were on the floor", () => {
    // Proportions match the default ratio (face 0.25 m, chin at 1.5 m: 1.75 m tall).
    for (const [x, y] of [
      [1, 3],
      [2, 4],
      [3, 6],
    ] as const) {
      const box = faceBox(SHELF_CAMERA, x, y, 1.5, 0.25);
      const estimate = faceFloorPoint(box, SIZE, floorH);
      expect(estimate.clamped).toBe(false);
      const naive = unprojectToPlane(SHELF_CAMERA, { x: box.x + box.w / 2, y: box.y + box.h });
      const estimateError = Math.hypot(estimate.floor.x - x, estimate.floor.y - y);
      const naiveError = Math.hypot(naive.x - x, naive.y - y);
      expect(naiveError).toBeGreaterThan(2);
      // The documented bias for this camera: about 0.6 m, towards the camera (smaller y).
      expect(estimateError).toBeLessThan(0.7);
      expect(estimate.floor.y).toBeLessThan(y);
    }
  });

  it("is nearly exact for a camera at chin height looking level (no foreshortening)", () => {
    const level: PinholeCamera = { ...SHELF_CAMERA, heightM: 1.5, tiltRad: 0.05, yawRad: 0 };
    const pairs = [];
    for (let i = 0; i < 4; i++)
      for (let j = 0; j < 4; j++) {
        const floor = { x: 1 + 0.7 * i, y: 2 + j };
        pairs.push({ frame: projectWorld(level, floor.x, floor.y, 0), floor });
      }
    const H = estimateHomography(pairs).homography;
    const box = faceBox(level, 2.2, 3.5, 1.5, 0.25);
    const result = faceFloorPoint(box, SIZE, H);
    expect(Math.hypot(result.floor.x - 2.2, result.floor.y - 3.5)).toBeLessThan(0.15);
  });

  it("clamps feet that fall below the frame and says so", () => {
    const box = { x: 900, y: 700, w: 200, h: 250 };
    const result = faceFloorPoint(box, SIZE, floorH);
    expect(result.clamped).toBe(true);
    expect(result.framePoint).toEqual({ x: 1000, y: 1080 });
    const expected = unprojectToPlane(SHELF_CAMERA, { x: 1000, y: 1080 });
    expect(result.floor.x).toBeCloseTo(expected.x, 6);
  });

  it("rejects empty boxes and ratios below 1", () => {
    expect(() => faceFloorPoint({ x: 1, y: 1, w: 0, h: 10 }, SIZE, floorH)).toThrow(RangeError);
    expect(() =>
      faceFloorPoint({ x: 1, y: 1, w: 10, h: 10 }, SIZE, floorH, { bodyToFaceRatio: 0.5 }),
    ).toThrow(RangeError);
  });

  it("surfaces a chin on the head plane's horizon as a HomographyError", () => {
    // Horizon of this plane: 0.01·y + 1 = 0, i.e. y = −100; the box's chin is exactly there.
    const headPlane = { h: [1, 0, 0, 0, 1, 0, 0, 0.01, 1] } as const;
    expect(() => faceFloorPoint({ x: 10, y: -110, w: 10, h: 10 }, SIZE, floorH, { headPlane })).toThrow(
      HomographyError,
    );
  });
});
