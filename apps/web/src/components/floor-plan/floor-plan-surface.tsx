"use client";

import type { KeyboardEvent, PointerEvent, ReactNode } from "react";
import type { FloorMPoint } from "@shelf/core";
import { FloorGrid } from "./floor-grid";
import { floorPointAt } from "./pointer";

/** The plan a surface draws: its name and size in metres. */
export interface PlanSize {
  name: string;
  widthM: number;
  heightM: number;
}

/**
 * A floor plan to draw on: a bordered box with the plan's aspect ratio holding an SVG whose user units are
 * metres (FloorM, origin top-left, y down), with a 1 m grid under `children`. Pointer positions reach the
 * callbacks already mapped to the floor (kept on the plan, rounded to centimetres).
 */
export function FloorPlanSurface({
  plan,
  children,
  onFloorClick,
  onFloorPointerMove,
  onPointerUp,
  onKeyDown,
  gridStroke,
  className = "",
  tabIndex,
  role,
  ariaLabel,
  testId,
}: {
  plan: PlanSize;
  children?: ReactNode;
  /** A click on the plan, at a floor point. */
  onFloorClick?: (p: FloorMPoint) => void;
  /** The pointer moving over the plan (e.g. dragging a handle), at a floor point. */
  onFloorPointerMove?: (p: FloorMPoint) => void;
  onPointerUp?: (e: PointerEvent<SVGSVGElement>) => void;
  onKeyDown?: (e: KeyboardEvent<SVGSVGElement>) => void;
  gridStroke?: string;
  /** Extra classes of the SVG (e.g. a cursor). */
  className?: string;
  tabIndex?: number;
  role?: string;
  /** The accessible name; default: the plan's name and size. */
  ariaLabel?: string;
  testId?: string;
}) {
  return (
    <div
      className="overflow-hidden rounded-lg border border-slate-300 bg-white"
      style={{ aspectRatio: `${plan.widthM} / ${plan.heightM}` }}
    >
      <svg
        viewBox={`0 0 ${plan.widthM} ${plan.heightM}`}
        className={`h-full w-full ${className}`}
        onClick={
          onFloorClick &&
          ((e) => {
            const p = floorPointAt(e.currentTarget, e.clientX, e.clientY, plan);
            if (p) onFloorClick(p);
          })
        }
        onPointerMove={
          onFloorPointerMove &&
          ((e) => {
            const p = floorPointAt(e.currentTarget, e.clientX, e.clientY, plan);
            if (p) onFloorPointerMove(p);
          })
        }
        onPointerUp={onPointerUp}
        onKeyDown={onKeyDown}
        tabIndex={tabIndex}
        role={role}
        aria-label={ariaLabel ?? `Floor plan ${plan.name}, ${plan.widthM} by ${plan.heightM} metres`}
        data-testid={testId}
      >
        <FloorGrid widthM={plan.widthM} heightM={plan.heightM} stroke={gridStroke} />
        {children}
      </svg>
    </div>
  );
}
