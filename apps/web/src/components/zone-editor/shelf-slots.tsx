import type { FloorMPoint } from "@shelf/core";
import { pointAlong } from "../floor-plan/geometry";
import { slotColor, type DraftSlot } from "./zone-draft";

/**
 * A zone's shelf line on the plan (FloorM) and each product's stretch of it, in the slot's colour with the
 * product's name.
 */
export function ShelfSlots({
  axis,
  slots,
  itemName,
  textSize,
}: {
  axis: readonly [FloorMPoint, FloorMPoint];
  slots: readonly DraftSlot[];
  itemName: (itemId: string) => string;
  /** Label text height in metres. */
  textSize: number;
}) {
  return (
    <g>
      <line
        x1={axis[0].x}
        y1={axis[0].y}
        x2={axis[1].x}
        y2={axis[1].y}
        stroke="#0f172a"
        strokeWidth={5}
        strokeOpacity={0.25}
        vectorEffect="non-scaling-stroke"
      />
      {slots.map((s, i) => {
        const a = pointAlong(axis, s.start);
        const b = pointAlong(axis, s.end);
        return (
          <g key={i}>
            <line
              x1={a.x}
              y1={a.y}
              x2={b.x}
              y2={b.y}
              stroke={slotColor(i)}
              strokeWidth={4}
              vectorEffect="non-scaling-stroke"
            />
            <text
              x={(a.x + b.x) / 2}
              y={(a.y + b.y) / 2 - textSize / 1.6}
              fontSize={textSize}
              textAnchor="middle"
              fill="#0f172a"
            >
              {itemName(s.itemId)}
            </text>
          </g>
        );
      })}
    </g>
  );
}
