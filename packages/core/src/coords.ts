import { z } from "zod";

/**
 * Coordinate spaces are named in the types so that a point in one space cannot be passed where
 * another is expected:
 * - `FramePx`   — pixels of the camera frame, origin top-left, x right, y down.
 * - `FrameNorm` — the same frame scaled to 0…1 on both axes (resolution-independent).
 * - `FloorM`    — metres on the store floor plan, origin at the plan's top-left corner, x right, y down.
 */
export type Space = "FramePx" | "FrameNorm" | "FloorM";

export interface Point<S extends Space> {
  readonly x: number;
  readonly y: number;
  /** Phantom brand: never set at run time. */
  readonly __space?: S;
}
export type FramePxPoint = Point<"FramePx">;
export type FrameNormPoint = Point<"FrameNorm">;
export type FloorMPoint = Point<"FloorM">;

/** Axis-aligned box in `S`; x, y is the top-left corner. */
export interface Box<S extends Space> {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
  readonly __space?: S;
}
export type FramePxBox = Box<"FramePx">;

/** A 3×3 projective transform from space `From` to `To`, row-major, h[8] normalised to 1. */
export interface Homography<From extends Space, To extends Space> {
  readonly h: readonly [number, number, number, number, number, number, number, number, number];
  readonly __from?: From;
  readonly __to?: To;
}

export const ZPoint = z.object({ x: z.number().finite(), y: z.number().finite() }).strict();
export const ZBox = z
  .object({
    x: z.number().finite(),
    y: z.number().finite(),
    w: z.number().positive(),
    h: z.number().positive(),
  })
  .strict();
/** A polygon as at least three vertices, in order (either winding). */
export const ZPolygon = z.array(ZPoint).min(3);
export const ZHomographyMatrix = z.array(z.number().finite()).length(9);

export type Polygon<S extends Space> = readonly Point<S>[];
