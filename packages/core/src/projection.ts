import type { Box, FloorMPoint, FrameNormPoint, FramePxPoint, Homography } from "./coords.ts";
import { applyHomography } from "./homography.ts";

/** Size of a camera frame, in pixels. */
export interface FrameSizePx {
  readonly width: number;
  readonly height: number;
}

function assertFrameSize(size: FrameSizePx): void {
  if (!(size.width > 0 && size.height > 0 && Number.isFinite(size.width) && Number.isFinite(size.height)))
    throw new RangeError(`frame size must be positive and finite, got ${size.width}×${size.height}`);
}

/** FramePx → FrameNorm: divides by the frame size (0…1 inside the frame). */
export function toFrameNorm(p: FramePxPoint, size: FrameSizePx): FrameNormPoint {
  assertFrameSize(size);
  return { x: p.x / size.width, y: p.y / size.height };
}

/** FrameNorm → FramePx: multiplies by the frame size. */
export function toFramePx(p: FrameNormPoint, size: FrameSizePx): FramePxPoint {
  assertFrameSize(size);
  return { x: p.x * size.width, y: p.y * size.height };
}

/** A FramePx box in FrameNorm. */
export function boxToFrameNorm(b: Box<"FramePx">, size: FrameSizePx): Box<"FrameNorm"> {
  assertFrameSize(size);
  return { x: b.x / size.width, y: b.y / size.height, w: b.w / size.width, h: b.h / size.height };
}

/** A FrameNorm box in FramePx. */
export function boxToFramePx(b: Box<"FrameNorm">, size: FrameSizePx): Box<"FramePx"> {
  assertFrameSize(size);
  return { x: b.x * size.width, y: b.y * size.height, w: b.w * size.width, h: b.h * size.height };
}

/**
 * Standing body height over face-box height. Adult stature is about 7.5 head heights (the classic
 * anthropometric canon); a face detector's box runs brow to chin, slightly shorter than the head,
 * and shoppers lean towards shelves, which together give about 7.
 */
export const DEFAULT_BODY_TO_FACE_RATIO = 7;

/** Options of {@link faceFloorPoint}. */
export interface FaceFloorOptions {
  /**
   * Homography from the frame to the floor for points on the horizontal plane at chin height
   * (calibrated with markers at that height): maps a pixel showing a point at that height to the
   * floor point directly beneath it. When given, it is used instead of the feet estimate. Derive
   * it from the floor calibration with `headPlaneFromFloor`, or calibrate it with its own points.
   */
  readonly headPlane?: Homography<"FramePx", "FloorM">;
  /** Body height / face-box height, ≥ 1, for the feet estimate. Default {@link DEFAULT_BODY_TO_FACE_RATIO}. */
  readonly bodyToFaceRatio?: number;
}

/** Where a face stands on the floor, and how that was worked out. */
export interface FaceFloorPoint {
  /** The floor point under the face, FloorM. */
  readonly floor: FloorMPoint;
  /** The pixel that was mapped to `floor` (the chin, or the estimated feet), FramePx. */
  readonly framePoint: FramePxPoint;
  /** `head-plane`: chin through the head-height homography; `feet-estimate`: estimated feet pixel through the floor homography. */
  readonly method: "head-plane" | "feet-estimate";
  /** True when the estimated feet fell outside the frame and were clamped to its edge (see {@link faceFloorPoint}). */
  readonly clamped: boolean;
}

/**
 * The documented floor point of a face.
 *
 * A face is not on the floor, so mapping any pixel of the face through the floor homography (which
 * was calibrated with points clicked on the floor, z = 0) would place the shopper too far away: the
 * ray through the face meets the floor behind the person. The point used is the **bottom-centre of
 * the face box (the chin)**, because it is the face point closest to the body's vertical axis that
 * every detector reports stably, and then:
 *
 * 1. with `headPlane` (a homography calibrated on the horizontal plane at chin height), the chin is
 *    mapped through it: exact for an upright shopper whose chin is at that height; off by roughly
 *    (height difference) × (horizontal distance / camera height above the plane) otherwise.
 *    This is the better choice whenever the camera is mounted well above head height.
 * 2. otherwise the feet pixel is estimated as `chin + (bodyToFaceRatio − 1) × faceHeight` straight
 *    down the frame, clamped into the frame, and mapped through the floor homography. This assumes
 *    an upright person standing on the calibrated floor, a camera without
 *    roll or strong lens distortion (frame vertical ≈ world vertical near the person), and an
 *    average body-to-face proportion: children, seated people and crouching shoppers come out
 *    nearer the camera than they are. For a camera above head height, looking down, the body below
 *    the chin is farther from the camera and foreshortened, so it spans fewer pixels than the ratio
 *    predicts and the estimate lands nearer the camera than the person: about 0.6 m for a camera
 *    2.6 m high tilted 30° down (see the tests). When the feet fall outside the frame, the frame edge
 *    is used and `clamped` is set: the point then errs away from the camera, towards the near edge
 *    of the visible floor.
 *
 * Zone lookup should tolerate this error (see `locateZone`'s `maxDistanceM`).
 *
 * @param box - face box, FramePx.
 * @param frameSize - frame size in pixels (for clamping).
 * @param floor - the calibrated FramePx → FloorM homography of the floor plane.
 * @throws RangeError for an empty box, a bad frame size or a ratio below 1; HomographyError
 *   `point_at_infinity` when the mapped pixel lies on the homography's horizon.
 */
export function faceFloorPoint(
  box: Box<"FramePx">,
  frameSize: FrameSizePx,
  floor: Homography<"FramePx", "FloorM">,
  options: FaceFloorOptions = {},
): FaceFloorPoint {
  assertFrameSize(frameSize);
  if (!(box.w > 0 && box.h > 0) || ![box.x, box.y, box.w, box.h].every(Number.isFinite))
    throw new RangeError("face box must have a positive, finite size");
  const ratio = options.bodyToFaceRatio ?? DEFAULT_BODY_TO_FACE_RATIO;
  if (!(ratio >= 1) || !Number.isFinite(ratio))
    throw new RangeError(`bodyToFaceRatio must be ≥ 1, got ${ratio}`);

  const chin: FramePxPoint = { x: box.x + box.w / 2, y: box.y + box.h };
  if (options.headPlane) {
    return {
      floor: applyHomography(options.headPlane, chin),
      framePoint: chin,
      method: "head-plane",
      clamped: false,
    };
  }
  const raw: FramePxPoint = { x: chin.x, y: chin.y + (ratio - 1) * box.h };
  const feet: FramePxPoint = { x: clamp(raw.x, 0, frameSize.width), y: clamp(raw.y, 0, frameSize.height) };
  return {
    floor: applyHomography(floor, feet),
    framePoint: feet,
    method: "feet-estimate",
    clamped: feet.x !== raw.x || feet.y !== raw.y,
  };
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}
