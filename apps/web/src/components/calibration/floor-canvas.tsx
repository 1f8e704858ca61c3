"use client";

import type { FloorMPoint } from "@shelf/core";
import { FloorPlanSurface, type PlanSize } from "../floor-plan/floor-plan-surface";
import { markSize, svgPoints } from "../floor-plan/geometry";
import { PointMarker } from "../floor-plan/point-marker";
import { ZoneShape, type ZoneOutline } from "../floor-plan/zone-shape";
import { pairColor, type DraftPair } from "./point-pairs";

/** The floor plan (FloorM): a click places a floor point; shaded, what the camera sees once fitted. */
export function FloorCanvas({
  plan,
  zones,
  pairs,
  fov,
  onPlace,
}: {
  plan: PlanSize;
  zones: readonly ZoneOutline[];
  pairs: readonly DraftPair[];
  /** The field of view on the floor; empty when not known. */
  fov: readonly FloorMPoint[];
  onPlace: (p: FloorMPoint) => void;
}) {
  const r = markSize(plan, 90);
  return (
    <FloorPlanSurface
      plan={plan}
      className="cursor-crosshair"
      onFloorClick={onPlace}
      testId="floor-canvas"
      role="img"
      ariaLabel="Floor plan: click to place a floor point"
    >
      {zones.map((z) => (
        <ZoneShape key={z.id} zone={z} fill="#dcfce7" textSize={markSize(plan, 55)} />
      ))}
      {fov.length ? (
        <polygon
          points={svgPoints(fov)}
          fill="#3b82f633"
          stroke="#2563eb"
          strokeWidth={2}
          strokeDasharray="6 4"
          vectorEffect="non-scaling-stroke"
          data-testid="field-of-view"
        />
      ) : null}
      {pairs.map((p, i) =>
        p.floor ? (
          <PointMarker key={i} at={p.floor} r={r} color={pairColor(i)} label={String(i + 1)} />
        ) : null,
      )}
    </FloorPlanSurface>
  );
}
