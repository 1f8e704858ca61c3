import type { Box, Point, Space } from "./coords.ts";

/** Area of a box, in square units of its space; 0 for empty or inverted boxes. */
export function boxArea<S extends Space>(b: Box<S>): number {
  return b.w > 0 && b.h > 0 ? b.w * b.h : 0;
}

/** Centre of a box, in the box's space. */
export function boxCentre<S extends Space>(b: Box<S>): Point<S> {
  return { x: b.x + b.w / 2, y: b.y + b.h / 2 };
}

/**
 * Intersection over union of two boxes in the same space, in 0…1. Boxes with no area (or non-finite
 * coordinates) overlap nothing: the result is 0, never NaN.
 */
export function iou<S extends Space>(a: Box<S>, b: Box<S>): number {
  const areaA = boxArea(a);
  const areaB = boxArea(b);
  if (!(areaA > 0) || !(areaB > 0)) return 0;
  const w = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
  if (!(w > 0) || !(h > 0)) return 0;
  const inter = w * h;
  const result = inter / (areaA + areaB - inter);
  return Number.isFinite(result) ? Math.min(1, result) : 0;
}
