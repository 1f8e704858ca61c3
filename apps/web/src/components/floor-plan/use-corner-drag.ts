"use client";

import { useState } from "react";
import type { FloorMPoint } from "@shelf/core";
import type { Xy } from "./geometry";
import { moveCorner, nudgeCorner } from "./polygon-edit";

/**
 * Dragging and nudging the corners of a polygon on a floor plan. The polygon is the caller's state
 * (`onChange` receives each new one); the hook holds which corner the pointer is dragging.
 */
export function useCornerDrag(
  polygon: readonly FloorMPoint[],
  onChange: (polygon: FloorMPoint[]) => void,
  plan: { widthM: number; heightM: number },
) {
  const [dragging, setDragging] = useState<number | null>(null);
  return {
    /** The corner being dragged, or null. */
    dragging,
    start: (corner: number) => setDragging(corner),
    end: () => setDragging(null),
    /** The pointer moved to `p` (FloorM): the dragged corner follows, kept on the plan. */
    moveTo: (p: FloorMPoint) => {
      if (dragging !== null) onChange(moveCorner(polygon, dragging, p, plan));
    },
    /** An arrow key on corner `i`. */
    nudge: (corner: number, d: Xy) => onChange(nudgeCorner(polygon, corner, d)),
  };
}
