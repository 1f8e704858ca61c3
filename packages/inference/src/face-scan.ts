import type { FramePxBox } from "@shelf/core";
import type { FaceDetection, ScanRegion } from "./blazeface.ts";

/**
 * Where and at what scale to look for faces. Pure functions: the planning that makes one small network
 * find faces from 16 px to half the frame height, and the suppression that merges what it found.
 */

/**
 * Face sizes BlazeFace finds reliably, px at network scale (shorter box side). Measured with
 * `eval:detection --compare` on face-boxes and the annotated store clips: below ~14 px recall falls, above
 * ~80 px the box collapses onto part of the face. A pyramid level covers [MIN, MAX] / scale frame px.
 */
export const NET_FACE_MIN = 16;
export const NET_FACE_MAX = 50;

/**
 * Scale ratio between pyramid levels. A level finds faces of {@link NET_FACE_MIN}–{@link NET_FACE_MAX} network px,
 * a ratio of 3.1, so any step up to 3 leaves no gap; the finer the step the more pixels the coarse levels cost.
 * Measured: 2 → 415 k network px for a 640×480 scan; 2.5 → 368 k with the same `eval:detection` recall on the
 * store clips (face-boxes precision 97.7 → 100 %, one more miss of 172 rolled faces), but `eval:visits` then
 * splits one visit at the zone edge through a standing face (boxes from other scales move its face point); 3 →
 * 349 k, face-boxes precision 95.6 %. Kept at 2.
 */
export const PYRAMID_STEP = 2;

export interface PyramidOptions {
  /** Smallest face to find, frame px. Default 16. */
  minFacePx?: number;
  /** Largest face to find, as a fraction of the frame's shorter side. Default 0.5. */
  maxFaceFraction?: number;
  /**
   * Scale ratio between levels, 1.25–3. Default {@link PYRAMID_STEP}. A smaller step costs more and sees every
   * face at more scales: what a fail-closed pass (the snapshot blur) wants.
   */
  step?: number;
}

/**
 * A full scan: the whole frame at the scale where a `minFacePx` face is {@link NET_FACE_MIN} px, then that
 * scale divided by `step` ({@link PYRAMID_STEP}) again and again until the largest level reaches
 * `maxFaceFraction` of the frame (1, ½, ¼, ⅛ for 640×480). Never enlarges beyond 2× (tiny frames) and never
 * shrinks a level below 32 px (the last step is shortened to stop there).
 */
export function pyramidRegions(
  frame: { width: number; height: number },
  opts: PyramidOptions = {},
): ScanRegion[] {
  const minFace = opts.minFacePx ?? 16;
  const maxFace = (opts.maxFaceFraction ?? 0.5) * Math.min(frame.width, frame.height);
  const step = Math.min(3, Math.max(1.25, opts.step ?? PYRAMID_STEP));
  const box = { x: 0, y: 0, w: frame.width, h: frame.height };
  const regions: ScanRegion[] = [];
  let scale = Math.min(2, NET_FACE_MIN / minFace);
  if (!(scale > 0) || !(frame.width >= 1 && frame.height >= 1)) return [];
  // At most 12 levels (a 2^12 range of face sizes): a bound whatever the inputs.
  for (let level = 0; level < 12; level++) {
    regions.push({ box, scale });
    if (NET_FACE_MAX / scale >= maxFace) break;
    // The last step may be shorter: a level the frame's shorter side fills with 32 px still covers the
    // largest faces (a whole step would fall under 32 px and be dropped, leaving them uncovered).
    const next = Math.max(scale / step, 32 / Math.min(frame.width, frame.height));
    if (!(next < scale)) break;
    scale = next;
  }
  return regions;
}

/**
 * The scale at which a face of the given box is cheap and still easy for BlazeFace (1 up to 32 px, then halving
 * to keep it at 16–32 px at network scale), and the region around it: the face box grown by `context` box sides
 * on every side (default 3 under 32 px, else 2) — room to move between two analysed frames, and the surroundings
 * the network needs (with less than ~2 sides of context its scores drop). Faces under 20 px are not enlarged:
 * at 1.25 (the first choice) BlazeFace boxed the walking clip's 12–22 px faces ~0.6× their size and one missed
 * (IoU 0.36); at 1, as the full scan sees them, all 24 are found as the agent runs, with no false positive
 * (eval:detection sequence, 95.8 / 95.8 % → 100 / 100 %; eval:visits still 8 visits for 8).
 */
export function regionAroundFace(box: FramePxBox, context?: number): ScanRegion {
  const face = Math.min(box.w, box.h);
  const scale = face < 32 ? 1 : 2 ** -Math.ceil(Math.log2(face / 32));
  // Small faces need more surroundings (measured on the 12–20 px faces of the walking clip); large ones less.
  const grow = Math.max(box.w, box.h) * (context ?? (face < 32 ? 3 : 2));
  return {
    box: { x: box.x - grow, y: box.y - grow, w: box.w + 2 * grow, h: box.h + 2 * grow },
    scale,
    snap: true,
  };
}

/** Share of the smaller box covered by the intersection, 0…1. */
export function overlapOfSmaller(a: FramePxBox, b: FramePxBox): number {
  const w = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
  if (!(w > 0 && h > 0)) return 0;
  return (w * h) / Math.min(a.w * a.h, b.w * b.h);
}

/**
 * Greedy suppression across regions and scales: the best-scoring detection wins, and a later one is dropped
 * when it overlaps a kept one by more than `iou`, or when half of either lies inside the other (the same face
 * seen at two scales often yields a whole-face box and a part-of-face box whose IoU is small).
 */
export function mergeDetections(
  found: readonly FaceDetection[],
  opts: { iou?: number; contained?: number; maxFaces?: number } = {},
): FaceDetection[] {
  const iou = opts.iou ?? 0.3;
  const contained = opts.contained ?? 0.5;
  const max = opts.maxFaces ?? Number.POSITIVE_INFINITY;
  const sorted = [...found].sort((p, q) => q.score - p.score);
  const kept: FaceDetection[] = [];
  for (const d of sorted) {
    if (kept.length >= max) break;
    const clash = kept.some((k) => {
      const o = overlapOfSmaller(k.box, d.box);
      if (o >= contained) return true;
      const inter = o * Math.min(k.box.w * k.box.h, d.box.w * d.box.h);
      return inter / (k.box.w * k.box.h + d.box.w * d.box.h - inter) > iou;
    });
    if (!clash) kept.push(d);
  }
  return kept;
}
