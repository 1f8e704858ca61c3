import { iou, type FramePxBox } from "@shelf/core";

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
    if (kept.every((k) => iou(k.box, item.box) <= iouThreshold)) kept.push(item);
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
