import { polygonsOverlap, ZShelfZone, type FloorMPoint } from "@shelf/core";
import { plainMessage } from "../../lib/form-errors";
import { roundCm } from "../floor-plan/geometry";

/** A product's stretch of a shelf: 0…1 along the shelf line, on shelf level `level` (0 = floor). */
export interface DraftSlot {
  itemId: string;
  start: number;
  end: number;
  level: number;
}

/** A zone being drawn or edited, before it is saved. */
export interface ZoneDraft {
  /** null: not saved yet. */
  id: string | null;
  name: string;
  polygon: FloorMPoint[];
  /** null: the longest polygon edge. */
  shelfLine: [FloorMPoint, FloorMPoint] | null;
  staffOnly: boolean;
  slots: DraftSlot[];
}

/** A zone to start drawing. */
export const emptyDraft = (): ZoneDraft => ({
  id: null,
  name: "",
  polygon: [],
  shelfLine: null,
  staffOnly: false,
  slots: [],
});

/** A saved zone as a draft to edit. */
export function draftFromZone(zone: {
  id: string;
  name: string;
  polygon: FloorMPoint[];
  shelfLine: [FloorMPoint, FloorMPoint] | null;
  staffOnly: boolean;
  slots: DraftSlot[];
}): ZoneDraft {
  const { id, name, polygon, shelfLine, staffOnly, slots } = zone;
  return { id, name, polygon, shelfLine, staffOnly, slots };
}

/** What a draft is checked against besides itself: the floor plan (metres) and the plan's other zones. */
export interface DraftContext {
  plan?: { widthM: number; heightM: number };
  others?: readonly { id: string; name: string; polygon: readonly FloorMPoint[]; staffOnly: boolean }[];
}

const PART: Record<string, string> = { polygon: "Outline", shelfLine: "Shelf line", name: "Name" };

/** "Slot 2: …", "Outline: …": where in the zone a rule's message applies. */
function where(path: readonly PropertyKey[]): string {
  const [head, index] = path;
  if (head === "slots" && typeof index === "number") return `Slot ${index + 1}`;
  return PART[String(head)] ?? "Zone";
}

/**
 * What keeps a draft from being saved, in words for staff; empty when it can be saved. The zone rules are
 * core's `ZShelfZone`; with `context`, also the two the server adds (every corner on the floor plan, no
 * floor shared with another shelf zone); plus the two the form adds: a name, and no products in a
 * staff-only zone.
 */
export function draftProblems(draft: ZoneDraft, context: DraftContext = {}): string[] {
  const result = ZShelfZone.safeParse({
    id: draft.id ?? "new",
    name: draft.name || undefined,
    polygon: draft.polygon,
    shelfLine: draft.shelfLine,
    staffOnly: draft.staffOnly,
    slots: draft.slots,
  });
  const problems = result.success
    ? []
    : result.error.issues
        // With fewer than three corners, "draw more corners" is the one thing to say about the outline.
        .filter((i) => i.path[0] !== "polygon" || i.code === "too_small" || draft.polygon.length >= 3)
        .map((i) =>
          i.path[0] === "polygon" && i.code === "too_small"
            ? "Outline: draw at least 3 corners."
            : `${where(i.path)}: ${plainMessage({ path: [], code: i.code, message: i.message })}`,
        );
  if (!draft.name.trim()) problems.unshift("Give the zone a name.");
  if (draft.staffOnly && draft.slots.length)
    problems.push("A staff-only zone is never analysed: remove its products.");
  const { plan, others = [] } = context;
  if (plan)
    draft.polygon.forEach((p, i) => {
      if (p.x < 0 || p.y < 0 || p.x > plan.widthM || p.y > plan.heightM)
        problems.push(
          `Corner ${i + 1} (${p.x} m, ${p.y} m) is outside the floor plan (${plan.widthM} m × ${plan.heightM} m).`,
        );
    });
  if (!draft.staffOnly && result.success)
    for (const other of others)
      if (other.id !== draft.id && !other.staffOnly && polygonsOverlap(draft.polygon, other.polygon))
        problems.push(`Overlaps the zone “${other.name}”: shelf zones must not share floor area.`);
  return problems;
}

/** The polygon edge (index of its first corner) the custom shelf line runs along, or "auto". */
export function shelfLineEdge(draft: Pick<ZoneDraft, "polygon" | "shelfLine">): string {
  const line = draft.shelfLine;
  if (!line) return "auto";
  return String(draft.polygon.findIndex((p) => p.x === line[0].x && p.y === line[0].y));
}

/** The shelf line along polygon edge `i` (from corner i to the next), or null for "auto". */
export function shelfLineFromEdge(polygon: FloorMPoint[], edge: string): [FloorMPoint, FloorMPoint] | null {
  if (edge === "auto") return null;
  const i = Number(edge);
  return [polygon[i]!, polygon[(i + 1) % polygon.length]!];
}

/** Where the floor-level products end along the shelf (0…1). */
export function floorLevelEnd(slots: readonly DraftSlot[]): number {
  return slots.reduce((m, s) => (s.level === 0 ? Math.max(m, s.end) : m), 0);
}

/** The next product slot: a quarter of the shelf after the last floor-level one; null when the shelf is full. */
export function nextSlot(slots: readonly DraftSlot[], itemId: string): DraftSlot | null {
  const last = floorLevelEnd(slots);
  if (last >= 1) return null;
  return { itemId, start: roundCm(last), end: roundCm(Math.min(1, last + 0.25)), level: 0 };
}

const SLOT_COLORS = ["#2563eb", "#d97706", "#16a34a", "#db2777", "#7c3aed", "#0891b2", "#65a30d", "#dc2626"];

/** The colour of slot `i` on the plan. */
export const slotColor = (i: number): string => SLOT_COLORS[i % SLOT_COLORS.length]!;

/** A zone's name in the zone list, saying "staff only" unless the name already does. */
export function zoneListLabel(zone: { name: string; staffOnly: boolean }): string {
  return zone.staffOnly && !/staff/i.test(zone.name) ? `${zone.name} (staff only)` : zone.name;
}
