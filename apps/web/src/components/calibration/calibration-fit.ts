import {
  estimateHomography,
  fieldOfView,
  floorToFrame,
  frontSign,
  headPlaneFromFloor,
  HomographyError,
  invertHomography,
  transferErrors,
  type FloorMPoint,
  type FramePxPoint,
  type HomographyEstimate,
} from "@shelf/core";
import type { CompletePair } from "./point-pairs";

/** The camera's height from the head plane, or why there is none. */
export type HeadPlaneFit = { ok: true; cameraHeightM: number } | { ok: false; reason: string };

/** A usable fit: the mapping, each pair's transfer error (m), the head plane and the field of view (FloorM). */
export interface GoodFit {
  ok: true;
  estimate: HomographyEstimate<"FramePx", "FloorM">;
  residuals: number[];
  head: HeadPlaneFit;
  fov: FloorMPoint[];
}

/** null: fewer than four pairs; otherwise a fit, or why the pairs cannot make one. */
export type CalibrationFit = null | GoodFit | { ok: false; message: string };

/**
 * Fits the frame → floor homography to the complete pairs and derives what the studio shows of it. Errors
 * other than a {@link HomographyError} (bad pairs, said to the user) are bugs and are thrown.
 */
export function fitCalibration(
  complete: readonly CompletePair[],
  frame: { width: number; height: number },
  plan: { widthM: number; heightM: number },
  headHeightM: number,
): CalibrationFit {
  if (complete.length < 4) return null;
  try {
    const estimate = estimateHomography(complete);
    const residuals = transferErrors(estimate.homography, complete);
    let head: HeadPlaneFit;
    try {
      head = {
        ok: true,
        cameraHeightM: headPlaneFromFloor(estimate.homography, frame, headHeightM).cameraHeightM,
      };
    } catch (err) {
      head = { ok: false, reason: err instanceof Error ? err.message : String(err) };
    }
    const fov = fieldOfView(estimate.homography, frame, plan, complete[0]!.frame);
    return { ok: true, estimate, residuals, head, fov };
  } catch (err) {
    if (err instanceof HomographyError) return { ok: false, message: err.message };
    throw err;
  }
}

/**
 * The zones drawn onto the camera image (FramePx) through the inverse mapping: a direct check of the
 * calibration. A zone with a corner behind the camera is left out.
 */
export function zonesInFrame<
  Z extends { id: string; name: string; staffOnly: boolean; polygon: FloorMPoint[] },
>(
  fit: CalibrationFit,
  zones: readonly Z[],
  complete: readonly CompletePair[],
): { id: string; name: string; staffOnly: boolean; points: FramePxPoint[] }[] {
  if (!fit?.ok) return [];
  const inv = invertHomography(fit.estimate.homography);
  // A calibration floor point is in front of the camera: its side of the inverse's horizon is the seen side.
  const side = frontSign(inv, complete[0]!.floor);
  return zones.flatMap((z) => {
    const pts = z.polygon.map((p) => floorToFrame(inv, p, side));
    return pts.every((p) => p)
      ? [{ id: z.id, name: z.name, staffOnly: z.staffOnly, points: pts as FramePxPoint[] }]
      : [];
  });
}
