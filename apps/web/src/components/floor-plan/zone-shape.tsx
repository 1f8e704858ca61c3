import type { FloorMPoint } from "@shelf/core";
import { labelAnchor, svgPoints } from "./geometry";

/** A zone as the plan draws it. */
export interface ZoneOutline {
  id: string;
  name: string;
  polygon: readonly FloorMPoint[];
  staffOnly: boolean;
}

/**
 * A shelf zone on a floor plan (FloorM): its outline, dashed and grey when staff-only, and its name in the
 * top-left corner of its bounding box.
 */
export function ZoneShape({
  zone,
  fill,
  textSize,
  onClick,
  className,
}: {
  zone: ZoneOutline;
  /** Fill of a zone that is analysed (staff-only zones are always grey). */
  fill: string;
  /** Label text height in metres. */
  textSize: number;
  onClick?: () => void;
  className?: string;
}) {
  const anchor = labelAnchor(zone.polygon, textSize);
  return (
    <g onClick={onClick} className={className}>
      <polygon
        points={svgPoints(zone.polygon)}
        fill={zone.staffOnly ? "#e2e8f0" : fill}
        stroke="#64748b"
        strokeWidth={1}
        strokeDasharray={zone.staffOnly ? "4 3" : undefined}
        vectorEffect="non-scaling-stroke"
      />
      <text x={anchor.x} y={anchor.y} fontSize={textSize} fill="#334155">
        {zone.name}
      </text>
    </g>
  );
}
