import type { FloorMPoint } from "@shelf/core";
import { clamp, roundCm, type Xy } from "./geometry.ts";

/**
 * Edits of a polygon being drawn on the floor plan (FloorM). Each returns a new array: React state stays
 * immutable and every edit is a plain function to test.
 */
export type FloorPolygon = readonly FloorMPoint[];

/** The polygon with `p` added as its last corner. */
export function appendCorner(polygon: FloorPolygon, p: FloorMPoint): FloorMPoint[] {
  return [...polygon, p];
}

/** The polygon without its last corner (undo while drawing). */
export function dropLastCorner(polygon: FloorPolygon): FloorMPoint[] {
  return polygon.slice(0, -1);
}

/** The polygon with corner `i` removed. */
export function removeCorner(polygon: FloorPolygon, i: number): FloorMPoint[] {
  return polygon.filter((_, j) => j !== i);
}

/** The polygon with corner `i` dragged to `p`, kept on the plan. */
export function moveCorner(
  polygon: FloorPolygon,
  i: number,
  p: Xy,
  plan: { widthM: number; heightM: number },
): FloorMPoint[] {
  return polygon.map((v, j) =>
    j === i ? { x: clamp(p.x, 0, plan.widthM), y: clamp(p.y, 0, plan.heightM) } : v,
  );
}

/** The polygon with corner `i` moved by `d` metres, rounded to centimetres. */
export function nudgeCorner(polygon: FloorPolygon, i: number, d: Xy): FloorMPoint[] {
  return polygon.map((v, j) => (j === i ? { x: roundCm(v.x + d.x), y: roundCm(v.y + d.y) } : v));
}

/** The polygon with one coordinate of corner `i` typed in; a non-finite value changes nothing. */
export function setCornerAxis(
  polygon: FloorPolygon,
  i: number,
  axis: "x" | "y",
  value: number,
): FloorMPoint[] {
  if (!Number.isFinite(value)) return [...polygon];
  return polygon.map((v, j) => (j === i ? { ...v, [axis]: value } : v));
}

/** A closed outline needs three corners. */
export const MIN_CORNERS = 3;
