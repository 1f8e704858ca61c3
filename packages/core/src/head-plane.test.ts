import { describe, expect, it } from "vitest";
import type { FloorMPoint, FramePxPoint } from "./coords.ts";
import { headPlaneFromFloor } from "./head-plane.ts";
import { applyHomography, estimateHomography, homographyFromMatrix, HomographyError } from "./homography.ts";
import { faceFloorPoint } from "./projection.ts";
import { seededRandom } from "./prng.ts";
import { projectWorld, SHELF_CAMERA, type PinholeCamera } from "./test-support/pinhole-camera.ts";

const SIZE = { width: 1920, height: 1080 };

function calibration(cam: PinholeCamera, noisePx = 0, mirror = false) {
  const next = seededRandom(17);
  const pairs: { frame: FramePxPoint; floor: FloorMPoint }[] = [];
  for (let i = 0; i < 4; i++)
    for (let j = 0; j < 4; j++) {
      const x = 0.5 + i;
      const y = 1.8 + 1.3 * j;
      const frame = projectWorld(cam, x, y, 0);
      // A mirrored plan (y up instead of down) must work just as well: plans come either way.
      pairs.push({
        frame: { x: frame.x + noisePx * (next() - 0.5), y: frame.y + noisePx * (next() - 0.5) },
        floor: mirror ? { x, y: -y } : { x, y },
      });
    }
  return estimateHomography(pairs).homography;
}

/** Largest floor error of the derived plane for points at `z` over the calibrated area, metres. */
function planeError(cam: PinholeCamera, z: number, mirror = false, noisePx = 0): number {
  const { homography } = headPlaneFromFloor(calibration(cam, noisePx, mirror), SIZE, z);
  let worst = 0;
  for (let x = 0.5; x <= 3.5; x += 0.5)
    for (let y = 2; y <= 5.5; y += 0.5) {
      const q = applyHomography(homography, projectWorld(cam, x, y, z));
      worst = Math.max(worst, Math.hypot(q.x - x, q.y - (mirror ? -y : y)));
    }
  return worst;
}

describe("headPlaneFromFloor", () => {
  it("recovers focal length and camera height from an exact floor calibration", () => {
    const { focalPx, cameraHeightM } = headPlaneFromFloor(calibration(SHELF_CAMERA), SIZE, 1.5);
    expect(focalPx).toBeCloseTo(SHELF_CAMERA.focalPx, 3);
    expect(cameraHeightM).toBeCloseTo(SHELF_CAMERA.heightM, 6);
  });

  it("maps pixels of points at the plane's height to the floor point beneath them", () => {
    expect(planeError(SHELF_CAMERA, 1.5)).toBeLessThan(1e-6);
    expect(planeError(SHELF_CAMERA, 0)).toBeLessThan(1e-6);
    expect(planeError(SHELF_CAMERA, 2.2)).toBeLessThan(1e-6);
  });

  it("works for mirrored floor plans and for a camera whose axes align with the plan", () => {
    expect(planeError(SHELF_CAMERA, 1.5, true)).toBeLessThan(1e-6);
    expect(planeError({ ...SHELF_CAMERA, yawRad: 0 }, 1.5)).toBeLessThan(1e-6);
    expect(planeError({ ...SHELF_CAMERA, yawRad: -0.4, tiltRad: 0.3, heightM: 3.2 }, 1.6)).toBeLessThan(1e-6);
  });

  it("stays within a few centimetres with 1 px click noise", () => {
    expect(planeError(SHELF_CAMERA, 1.5, false, 1)).toBeLessThan(0.05);
  });

  it("gives faceFloorPoint an exact position where the feet estimate is 0.6 m off", () => {
    const H = calibration(SHELF_CAMERA);
    const headPlane = headPlaneFromFloor(H, SIZE, 1.5).homography;
    const chin = projectWorld(SHELF_CAMERA, 2, 4, 1.5);
    const top = projectWorld(SHELF_CAMERA, 2, 4, 1.75);
    const box = { x: chin.x - 20, y: top.y, w: 40, h: chin.y - top.y };
    const withPlane = faceFloorPoint(box, SIZE, H, { headPlane });
    const withFeet = faceFloorPoint(box, SIZE, H);
    expect(Math.hypot(withPlane.floor.x - 2, withPlane.floor.y - 4)).toBeLessThan(1e-6);
    expect(Math.hypot(withFeet.floor.x - 2, withFeet.floor.y - 4)).toBeGreaterThan(0.3);
  });

  it("refuses a camera looking straight down (focal length unobservable)", () => {
    const down: PinholeCamera = { ...SHELF_CAMERA, tiltRad: Math.PI / 2, x: 2, y: 3 };
    const pairs = [
      { x: 1, y: 2 },
      { x: 3, y: 2 },
      { x: 3, y: 4 },
      { x: 1, y: 4 },
    ].map((floor: FloorMPoint) => ({ frame: projectWorld(down, floor.x, floor.y, 0), floor }));
    const H = estimateHomography(pairs).homography;
    expect(() => headPlaneFromFloor(H, SIZE, 1.5)).toThrow(HomographyError);
  });

  it("refuses a floor homography that no centred pinhole camera produces", () => {
    // A pure shear with perspective: orthonormality cannot hold for any focal length.
    const H = homographyFromMatrix<"FramePx", "FloorM">([0.01, 0.008, -5, 0, 0.002, 1, 0, 0.0008, 1]);
    expect(() => headPlaneFromFloor(H, SIZE, 1.5)).toThrow(HomographyError);
  });

  it("refuses planes at or above the camera and bad arguments", () => {
    const H = calibration(SHELF_CAMERA);
    expect(() => headPlaneFromFloor(H, SIZE, 2.7)).toThrow(RangeError);
    expect(() => headPlaneFromFloor(H, SIZE, 2.5)).not.toThrow();
    expect(() => headPlaneFromFloor(H, SIZE, -1)).toThrow(RangeError);
    expect(() => headPlaneFromFloor(H, { width: 0, height: 1080 }, 1.5)).toThrow(RangeError);
  });
});
