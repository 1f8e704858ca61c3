"use client";

import type { ReactNode } from "react";
import type { FloorMPoint } from "@shelf/core";
import { DragHandle } from "./drag-handle";
import { svgPoints, type Xy } from "./geometry";

/**
 * A polygon being drawn or edited on a floor plan (FloorM). While `drawing`, an open outline through the
 * corners placed so far; then a closed, filled polygon with a draggable, keyboard-movable handle on every
 * corner. `children` are drawn between the outline and the handles (e.g. what lies along it).
 */
export function EditablePolygon({
  polygon,
  drawing,
  fill,
  handleR,
  onDragStart,
  onNudge,
  testId,
  children,
}: {
  polygon: readonly FloorMPoint[];
  drawing: boolean;
  fill: string;
  /** Handle radius in metres. */
  handleR: number;
  onDragStart: (corner: number) => void;
  onNudge: (corner: number, d: Xy) => void;
  /** Test id of the closed polygon. */
  testId?: string;
  children?: ReactNode;
}) {
  const outline = { stroke: "#0f172a", strokeWidth: 2, vectorEffect: "non-scaling-stroke" } as const;
  return (
    <g>
      {drawing ? (
        <polyline points={svgPoints(polygon)} fill="none" {...outline} />
      ) : (
        <polygon points={svgPoints(polygon)} fill={fill} {...outline} data-testid={testId} />
      )}
      {children}
      {polygon.map((p, i) => (
        <DragHandle
          key={i}
          at={p}
          r={handleR}
          label={`Corner ${i + 1} at ${p.x}, ${p.y} m`}
          disabled={drawing}
          onDragStart={() => onDragStart(i)}
          onNudge={(d) => onNudge(i, d)}
        />
      ))}
    </g>
  );
}
