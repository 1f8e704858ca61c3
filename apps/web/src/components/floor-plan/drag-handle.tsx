"use client";

import type { FloorMPoint } from "@shelf/core";
import { focusRing } from "~/lib/classes";
import { nudgeDelta, type Xy } from "./geometry";

/**
 * A draggable point on a floor plan (FloorM): a circle that is a button to assistive technology, dragged
 * with the pointer (the SVG captures it, so the drag follows outside the circle) or moved with the arrow keys
 * (Shift for bigger steps). `disabled`: drawn, but neither focusable nor draggable.
 */
export function DragHandle({
  at,
  r,
  label,
  disabled = false,
  onDragStart,
  onNudge,
}: {
  at: FloorMPoint;
  /** Radius in metres. */
  r: number;
  /** The accessible name, e.g. "Corner 2 at 3.5, 4 m". */
  label: string;
  disabled?: boolean;
  onDragStart: () => void;
  /** An arrow key: move by `d` metres. */
  onNudge: (d: Xy) => void;
}) {
  return (
    <circle
      cx={at.x}
      cy={at.y}
      r={r}
      fill="white"
      stroke="#0f172a"
      strokeWidth={2}
      vectorEffect="non-scaling-stroke"
      tabIndex={disabled ? -1 : 0}
      role="button"
      aria-label={label}
      className={`${disabled ? "" : "cursor-move"} ${focusRing}`}
      onPointerDown={(e) => {
        if (disabled) return;
        e.stopPropagation();
        (e.currentTarget.ownerSVGElement ?? e.currentTarget).setPointerCapture?.(e.pointerId);
        onDragStart();
      }}
      onKeyDown={(e) => {
        const d = nudgeDelta(e.key, e.shiftKey);
        if (!d) return;
        e.preventDefault();
        onNudge(d);
      }}
    />
  );
}
