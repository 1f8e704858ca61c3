"use client";

import { useState } from "react";
import type { FloorMPoint, FramePxPoint } from "@shelf/core";
import { editPair, placePoint, type DraftPair, type PairSide } from "./point-pairs";

/**
 * The point pairs being entered, starting from the saved calibration's. `onEdit` runs when a point is
 * clicked or typed (e.g. to clear a previous save's outcome).
 */
export function usePointPairs(saved: readonly DraftPair[], onEdit: () => void) {
  const [pairs, setPairs] = useState<DraftPair[]>([...saved]);
  return {
    pairs,
    placeFrame(p: FramePxPoint) {
      setPairs((cur) => placePoint(cur, "frame", p));
      onEdit();
    },
    placeFloor(p: FloorMPoint) {
      setPairs((cur) => placePoint(cur, "floor", p));
      onEdit();
    },
    edit(i: number, side: PairSide, axis: "x" | "y", value: number) {
      if (!Number.isFinite(value)) return;
      setPairs((cur) => editPair(cur, i, side, axis, value));
      onEdit();
    },
    remove: (i: number) => setPairs((cur) => cur.filter((_, j) => j !== i)),
    addEmpty: () => setPairs((cur) => [...cur, { frame: null, floor: null }]),
    reset: () => setPairs([...saved]),
    clear: () => setPairs([]),
  };
}

export type PointPairsState = ReturnType<typeof usePointPairs>;
