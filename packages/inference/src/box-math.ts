import type { FramePxBox } from "@shelf/core";

/** Intersection over union of two boxes, 0…1; 0 when either has no area. */
export function boxIou(a: FramePxBox, b: FramePxBox): number {
  const w = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
  if (!(w > 0 && h > 0)) return 0;
  const inter = w * h;
  return inter / (a.w * a.h + b.w * b.h - inter);
}

/**
 * Greedy non-maximum suppression: keeps the best-scoring item, drops every later one overlapping a kept
 * item by more than `iouThreshold`, and stops after `maxKeep`.
 */
export function nonMaxSuppression<T extends { box: FramePxBox; score: number }>(
  items: readonly T[],
  iouThreshold: number,
  maxKeep = Number.POSITIVE_INFINITY,
): T[] {
  const sorted = [...items].sort((p, q) => q.score - p.score);
  const kept: T[] = [];
  for (const item of sorted) {
    if (kept.length >= maxKeep) break;
    if (kept.every((k) => boxIou(k.box, item.box) <= iouThreshold)) kept.push(item);
  }
  return kept;
}

/** The part of `box` inside a width × height frame, or undefined when nothing is left. */
export function clipBox(box: FramePxBox, width: number, height: number): FramePxBox | undefined {
  const x1 = Math.max(0, box.x);
  const y1 = Math.max(0, box.y);
  const x2 = Math.min(width, box.x + box.w);
  const y2 = Math.min(height, box.y + box.h);
  if (!(x2 - x1 >= 1 && y2 - y1 >= 1)) return undefined;
  return { x: x1, y: y1, w: x2 - x1, h: y2 - y1 };
}
