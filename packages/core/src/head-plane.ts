import type { Homography } from "./coords.ts";
import { homographyFromMatrix, HomographyError } from "./homography.ts";
import { mat3Inverse, mat3Multiply, type Mat3 } from "./linalg.ts";
import type { FrameSizePx } from "./projection.ts";

/** A head-height plane derived from the floor calibration, with the camera parameters it implies. */
export interface HeadPlaneEstimate {
  /** FramePx → FloorM for points at the plane's height: the floor point directly beneath. */
  readonly homography: Homography<"FramePx", "FloorM">;
  /** Focal length recovered from the floor homography, pixels. */
  readonly focalPx: number;
  /** Height of the camera above the floor, metres. */
  readonly cameraHeightM: number;
}

/**
 * Derives the homography of the horizontal plane `planeHeightM` above the floor from the floor
 * homography alone, so that faces can be projected on a head-height plane without a second
 * calibration (`Calibration.headHeightM`).
 *
 * A floor homography of a pinhole camera is K·[r₁ r₂ t] up to scale. Assuming square pixels, no
 * skew and the principal point at the frame centre, the rotation's orthonormality (r₁ ⊥ r₂,
 * |r₁| = |r₂|) gives the focal length, then r₁, r₂, t and the camera height; the plane at height h
 * is K·[r₁ r₂ t + h·r₃], with r₃ pointing to the camera's side of the floor.
 *
 * Limits: the focal length is unobservable when the camera looks straight down (an affine floor
 * homography), and the result degrades with lens distortion or an off-centre principal point;
 * those cases throw rather than return a wrong plane. Real heads vary in height: a face whose
 * projected point is Δh off the plane lands about Δh × (horizontal distance ÷ (camera height − h))
 * off on the floor, so prefer a camera mounted well above head height.
 *
 * @param floor - the calibrated FramePx → FloorM floor homography.
 * @param frameSize - frame size in pixels (its centre is taken as the principal point).
 * @param planeHeightM - height of the plane above the floor, metres, below the camera; for
 *   `faceFloorPoint` (which projects the chin) about 1.45–1.5 m for adults.
 * @throws HomographyError `ill_conditioned` when the camera cannot be recovered (looking straight
 *   down, implausible focal length, inconsistent with a pinhole camera), `singular` for a singular
 *   homography; RangeError for bad arguments or a plane at or above the camera.
 */
export function headPlaneFromFloor(
  floor: Homography<"FramePx", "FloorM">,
  frameSize: FrameSizePx,
  planeHeightM: number,
): HeadPlaneEstimate {
  const { width, height } = frameSize;
  if (!(width > 0 && height > 0 && Number.isFinite(width) && Number.isFinite(height)))
    throw new RangeError(`frame size must be positive and finite, got ${width}×${height}`);
  if (!(planeHeightM >= 0) || !Number.isFinite(planeHeightM))
    throw new RangeError("planeHeightM must be ≥ 0");

  const inverse = mat3Inverse(floor.h);
  if (!inverse) throw new HomographyError("singular", "the floor homography is singular");
  const cx = width / 2;
  const cy = height / 2;
  // Floor → frame with the principal point moved to the origin: G ∝ K·[r₁ r₂ t], K = diag(f, f, 1).
  const g = mat3Multiply([1, 0, -cx, 0, 1, -cy, 0, 0, 1], inverse);
  const col = (j: number) => [g[j]!, g[3 + j]!, g[6 + j]!] as const;
  const [g1, g2, g3] = [col(0), col(1), col(2)];

  // r₁ ⊥ r₂ and |r₁| = |r₂| are each linear in u = 1/f²: a·u + b = 0. Least squares over both.
  const a1 = g1[0] * g2[0] + g1[1] * g2[1];
  const b1 = g1[2] * g2[2];
  const a2 = g1[0] ** 2 + g1[1] ** 2 - g2[0] ** 2 - g2[1] ** 2;
  const b2 = g1[2] ** 2 - g2[2] ** 2;
  const u = -(a1 * b1 + a2 * b2) / (a1 * a1 + a2 * a2);
  const diagonal = Math.hypot(width, height);
  const focalPx = 1 / Math.sqrt(u);
  if (!(u > 0) || !(focalPx > 0.1 * diagonal && focalPx < 20 * diagonal))
    throw new HomographyError(
      "ill_conditioned",
      "cannot recover the camera from the floor calibration (camera looking straight down, or lens far from a pinhole): calibrate the head plane with its own points",
    );

  const kInv = (v: readonly [number, number, number]) => [v[0] / focalPx, v[1] / focalPx, v[2]];
  const k1 = kInv(g1);
  const k2 = kInv(g2);
  const k3 = kInv(g3);
  const norm = (v: readonly number[]) => Math.hypot(...v);
  // The overall sign of the scale is irrelevant: flipping it flips r₁, r₂ and t together, the
  // camera's side of the floor with them, and so the plane offset below; the result is the same.
  const lambda = 2 / (norm(k1) + norm(k2));
  const r1 = k1.map((v) => lambda * v);
  const r2 = k2.map((v) => lambda * v);
  const t = k3.map((v) => lambda * v);
  const dot = (p: readonly number[], q: readonly number[]) => p[0]! * q[0]! + p[1]! * q[1]! + p[2]! * q[2]!;
  // A pinhole camera makes these exact; a large mismatch means the assumptions above do not hold.
  if (Math.abs(dot(r1, r2)) > 0.1 || Math.abs(norm(r1) - norm(r2)) > 0.1)
    throw new HomographyError(
      "ill_conditioned",
      "the floor calibration is inconsistent with a pinhole camera centred in the frame: calibrate the head plane with its own points",
    );
  const cross = [
    r1[1]! * r2[2]! - r1[2]! * r2[1]!,
    r1[2]! * r2[0]! - r1[0]! * r2[2]!,
    r1[0]! * r2[1]! - r1[1]! * r2[0]!,
  ];
  const r3 = cross.map((v) => v / norm(cross));
  // Camera centre C = −Rᵀt; its component along r₃ is its signed height over the floor.
  const cameraZ = -dot(r3, t);
  const cameraHeightM = Math.abs(cameraZ);
  if (!(planeHeightM < cameraHeightM))
    throw new RangeError(
      `plane height ${planeHeightM} m is not below the camera (${cameraHeightM.toFixed(2)} m)`,
    );

  const up = Math.sign(cameraZ);
  const th = t.map((v, i) => v + planeHeightM * up * r3[i]!);
  const gPlane: Mat3 = [
    focalPx * r1[0]!,
    focalPx * r2[0]!,
    focalPx * th[0]!,
    focalPx * r1[1]!,
    focalPx * r2[1]!,
    focalPx * th[1]!,
    r1[2]!,
    r2[2]!,
    th[2]!,
  ];
  const planeToFrame = mat3Multiply([1, 0, cx, 0, 1, cy, 0, 0, 1], gPlane);
  const frameToPlane = mat3Inverse(planeToFrame);
  if (!frameToPlane) throw new HomographyError("ill_conditioned", "the head plane passes through the camera");
  return { homography: homographyFromMatrix(frameToPlane), focalPx, cameraHeightM };
}
