import type { FloorMPoint, FramePxPoint } from "@shelf/core";

/** A calibration point pair being entered: either side may still be missing. */
export interface DraftPair {
  frame: FramePxPoint | null;
  floor: FloorMPoint | null;
}

/** A pair with both sides: what the homography is fitted to. */
export interface CompletePair {
  frame: FramePxPoint;
  floor: FloorMPoint;
}

export type PairSide = "frame" | "floor";

/**
 * A point clicked on one side: it completes the first pair that lacks that side, or starts a new pair.
 * So clicking frame, floor, frame, floor… builds pairs in order, and either side may come first.
 */
export function placePoint<S extends PairSide>(
  pairs: readonly DraftPair[],
  side: S,
  p: NonNullable<DraftPair[S]>,
): DraftPair[] {
  const i = pairs.findIndex((x) => !x[side]);
  if (i >= 0) return pairs.map((x, j) => (j === i ? { ...x, [side]: p } : x));
  // The other side stays missing; `side` and `p` agree by the signature.
  const added = { frame: null, floor: null, [side]: p } as DraftPair;
  return [...pairs, added];
}

/** One coordinate of one side of pair `i` typed in (a missing side starts at 0, 0); non-numbers are ignored. */
export function editPair(
  pairs: readonly DraftPair[],
  i: number,
  side: PairSide,
  axis: "x" | "y",
  value: number,
): DraftPair[] {
  if (!Number.isFinite(value)) return [...pairs];
  return pairs.map((p, j) =>
    j === i ? { ...p, [side]: { ...(p[side] ?? { x: 0, y: 0 }), [axis]: value } } : p,
  );
}

/** The pairs with both sides, as the same objects (so a pair's index among them can be looked up). */
export function completePairs(pairs: readonly DraftPair[]): CompletePair[] {
  return pairs.filter((p): p is CompletePair => !!p.frame && !!p.floor);
}

/** The first pair still missing a side, or -1. */
export function openPair(pairs: readonly DraftPair[]): number {
  return pairs.findIndex((p) => !p.frame || !p.floor);
}

/** What to click next, in words. */
export function pairPrompt(pairs: readonly DraftPair[]): string {
  const open = openPair(pairs);
  if (open < 0)
    return `Click a point on the camera image or the floor plan to start pair ${pairs.length + 1}.`;
  return pairs[open]!.frame
    ? `Pair ${open + 1}: now click the same point on the floor plan.`
    : `Pair ${open + 1}: now click the same point on the camera image.`;
}

const PAIR_COLORS = ["#dc2626", "#2563eb", "#16a34a", "#d97706", "#7c3aed", "#db2777", "#0891b2", "#65a30d"];

/** The colour of pair `i`, the same on the image, the plan and in the table. */
export const pairColor = (i: number): string => PAIR_COLORS[i % PAIR_COLORS.length]!;
