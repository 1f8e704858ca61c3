"use client";

import { shelfAxis, type FloorMPoint } from "@shelf/core";
import { EditablePolygon } from "../floor-plan/editable-polygon";
import { FloorPlanSurface, type PlanSize } from "../floor-plan/floor-plan-surface";
import { markSize } from "../floor-plan/geometry";
import { appendCorner, MIN_CORNERS } from "../floor-plan/polygon-edit";
import { useCornerDrag } from "../floor-plan/use-corner-drag";
import { ZoneShape, type ZoneOutline } from "../floor-plan/zone-shape";
import type { ZoneDraftState } from "./use-zone-draft";
import { ShelfSlots } from "./shelf-slots";

/**
 * The floor plan with its zones: click a zone to edit it; while drawing, each click adds a corner (Enter
 * closes the outline, Escape cancels); once drawn, corners are dragged or moved with the arrow keys.
 */
export function ZoneCanvas<Z extends ZoneOutline>({
  plan,
  zones,
  zone,
  itemName,
  onSelect,
}: {
  plan: PlanSize;
  zones: readonly Z[];
  zone: ZoneDraftState;
  itemName: (itemId: string) => string;
  /** A zone clicked (null: close the editor). */
  onSelect: (zone: Z | null) => void;
}) {
  const { draft, drawing } = zone;
  const polygon = draft?.polygon ?? [];
  const setPolygon = (p: FloorMPoint[]) => zone.update({ polygon: p });
  const drag = useCornerDrag(polygon, setPolygon, plan);
  const handleR = markSize(plan, 80);
  const textSize = handleR * 1.6;
  const axis =
    draft && draft.polygon.length >= 2 && !drawing
      ? shelfAxis({ polygon: draft.polygon, shelfLine: draft.shelfLine })
      : null;

  return (
    <div className="space-y-2">
      <p role="status" className="text-sm text-slate-600">
        {drawing
          ? `Click the zone’s corners on the plan (${polygon.length} so far), then “Finish outline”. Escape cancels.`
          : draft
            ? "Drag the corners (or focus one and use the arrow keys; Shift for bigger steps)."
            : "Pick a zone in the list or on the plan to edit it."}
      </p>
      <FloorPlanSurface
        plan={plan}
        gridStroke="#f1f5f9"
        className={drawing ? "cursor-crosshair" : ""}
        onFloorClick={(p) => drawing && draft && setPolygon(appendCorner(draft.polygon, p))}
        onFloorPointerMove={drag.moveTo}
        onPointerUp={drag.end}
        onKeyDown={(e) => {
          if (!drawing) return;
          if (e.key === "Escape") onSelect(null);
          if (e.key === "Enter" && polygon.length >= MIN_CORNERS) zone.finishOutline();
        }}
        tabIndex={drawing ? 0 : -1}
        testId="zone-canvas"
      >
        {zones
          .filter((z) => z.id !== draft?.id)
          .map((z) => (
            <ZoneShape
              key={z.id}
              zone={z}
              fill="#dbeafe"
              textSize={textSize}
              onClick={() => !drawing && onSelect(z)}
              className={drawing ? "" : "cursor-pointer"}
            />
          ))}
        {draft ? (
          <EditablePolygon
            polygon={draft.polygon}
            drawing={drawing}
            fill={draft.staffOnly ? "#e2e8f0" : "#bfdbfe"}
            handleR={handleR}
            onDragStart={drag.start}
            onNudge={drag.nudge}
            testId="draft-zone"
          >
            {axis ? (
              <ShelfSlots axis={axis} slots={draft.slots} itemName={itemName} textSize={textSize} />
            ) : null}
          </EditablePolygon>
        ) : null}
      </FloorPlanSurface>
    </div>
  );
}
