import type { FloorMPoint, Point, Space } from "@shelf/core";

/** A point in SVG user units: whatever space the drawing's viewBox is in (FramePx or FloorM). */
export interface Xy {
  readonly x: number;
  readonly y: number;
}

/** The `points` attribute of an SVG polygon or polyline: "x,y x,y …". */
export function svgPoints(points: readonly Xy[]): string {
  return points.map((p) => `${p.x},${p.y}`).join(" ");
}

/** `v` rounded to centimetres when `v` is in metres (two decimals). */
export const roundCm = (v: number): number => Math.round(v * 100) / 100;

/** `v` kept within lo…hi. */
export const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));

/** A point of space `S` kept inside the rectangle 0…width × 0…height of the same space. */
export function clampToRect<S extends Space>(p: Point<S>, width: number, height: number): Point<S> {
  return { x: clamp(p.x, 0, width), y: clamp(p.y, 0, height) };
}

/** A floor point kept on a plan of `widthM` × `heightM` metres and rounded to centimetres. */
export function onPlan(p: Xy, plan: { widthM: number; heightM: number }): FloorMPoint {
  return { x: roundCm(clamp(p.x, 0, plan.widthM)), y: roundCm(clamp(p.y, 0, plan.heightM)) };
}

/** The point a fraction `t` (0…1) of the way from `axis[0]` to `axis[1]`. */
export function pointAlong<P extends Xy>(axis: readonly [P, P], t: number): P {
  const [a, b] = axis;
  return { x: a.x + t * (b.x - a.x), y: a.y + t * (b.y - a.y) } as P;
}

/**
 * The size of marks drawn on a plan (handles, labels), in the plan's own units: one `divisor`-th of its
 * longer side, so that marks look the same on a 10 m shop and on a 200 m warehouse.
 */
export function markSize(plan: { widthM: number; heightM: number }, divisor: number): number {
  return Math.max(plan.widthM, plan.heightM) / divisor;
}

/** Where a zone's name goes: inside its bounding box's top-left corner, `size` being the text size. */
export function labelAnchor(polygon: readonly Xy[], size: number): Xy {
  return {
    x: Math.min(...polygon.map((p) => p.x)) + size * 0.4,
    y: Math.min(...polygon.map((p) => p.y)) + size * 1.4,
  };
}

/** Metres a keyboard nudge moves a point; Shift moves further. */
export const NUDGE_M = { small: 0.1, large: 0.5 } as const;

/** The step an arrow key moves a point (y grows downwards, as on the plan), or null for other keys. */
export function nudgeDelta(key: string, large: boolean): Xy | null {
  const step = large ? NUDGE_M.large : NUDGE_M.small;
  switch (key) {
    case "ArrowLeft":
      return { x: -step, y: 0 };
    case "ArrowRight":
      return { x: step, y: 0 };
    case "ArrowUp":
      return { x: 0, y: -step };
    case "ArrowDown":
      return { x: 0, y: step };
    default:
      return null;
  }
}
