import { z } from "zod";
import type { FloorMPoint, Polygon } from "./coords.ts";

/**
 * One item's stretch of a shelf: `start`…`end` are fractions (0…1) along the zone's shelf axis
 * (see {@link shelfAxis}). Slots on different shelf levels may cover the same stretch.
 */
export interface PlanogramSlot {
  readonly itemId: string;
  readonly start: number;
  readonly end: number;
  /** Shelf level, 0 = bottom. Informative: a floor point cannot tell levels apart. Default 0. */
  readonly level?: number;
}

/** A shelf zone on the floor plan. Staff-only zones are never analysed (no emotion inference on employees). */
export interface ShelfZone {
  readonly id: string;
  readonly name?: string;
  /** The zone's outline on the floor, FloorM, ≥ 3 vertices in either winding. */
  readonly polygon: Polygon<"FloorM">;
  /** Axis along which slots are laid out, FloorM, from fraction 0 to fraction 1; absent: the longest polygon edge. */
  readonly shelfLine?: readonly [FloorMPoint, FloorMPoint] | null;
  readonly staffOnly: boolean;
  readonly slots: readonly PlanogramSlot[];
}

/** The zone a floor point belongs to, and how firmly. */
export interface ZoneMatch<Z extends ShelfZone = ShelfZone> {
  readonly zone: Z;
  /** Distance from the point to the zone's outline, metres; 0 when inside. */
  readonly distanceM: number;
  readonly inside: boolean;
}

/** Bounds that keep stored zones sane: coordinates within ±10 km, outlines of at most 256 vertices. */
export const MAX_FLOOR_COORDINATE_M = 10_000;
export const MAX_ZONE_VERTICES = 256;
export const MAX_ZONE_SLOTS = 500;
/** Smallest zone area accepted, m² (1 cm²): anything smaller is a mis-click, not a shelf. */
export const MIN_ZONE_AREA_M2 = 1e-4;

const ZFloorPoint = z
  .object({
    x: z.number().min(-MAX_FLOOR_COORDINATE_M).max(MAX_FLOOR_COORDINATE_M),
    y: z.number().min(-MAX_FLOOR_COORDINATE_M).max(MAX_FLOOR_COORDINATE_M),
  })
  .strict();

/** The `ShelfZone.polygon` JSON column: a simple (non-self-intersecting) polygon with a real area. */
export const ZZonePolygon = z
  .array(ZFloorPoint)
  .min(3)
  .max(MAX_ZONE_VERTICES)
  .superRefine((polygon, ctx) => {
    if (polygonArea(polygon) < MIN_ZONE_AREA_M2)
      ctx.addIssue({ code: "custom", message: `polygon area must be at least ${MIN_ZONE_AREA_M2} m²` });
    else if (!isSimplePolygon(polygon))
      ctx.addIssue({ code: "custom", message: "polygon edges must not cross each other" });
  });

/** The `ShelfZone.shelfLine` JSON column: two distinct points. */
export const ZShelfLine = z
  .tuple([ZFloorPoint, ZFloorPoint])
  .refine(([a, b]) => Math.hypot(b.x - a.x, b.y - a.y) >= 0.01, "shelf line must be at least 1 cm long");

/** One planogram slot: a stretch `start` < `end` within 0…1 of the shelf axis. */
export const ZPlanogramSlot = z
  .object({
    itemId: z.string().min(1).max(64),
    start: z.number().min(0).max(1),
    end: z.number().min(0).max(1),
    level: z.number().int().min(0).max(50).default(0),
  })
  .strict()
  .refine((s) => s.start < s.end, "slot start must be before its end");

/** A whole zone as the agent and worker receive it. Slots on one level must not overlap. */
export const ZShelfZone = z
  .object({
    id: z.string().min(1).max(64),
    name: z.string().min(1).max(100).optional(),
    polygon: ZZonePolygon,
    shelfLine: ZShelfLine.nullable().optional(),
    staffOnly: z.boolean(),
    slots: z.array(ZPlanogramSlot).max(MAX_ZONE_SLOTS),
  })
  .strict()
  .superRefine((zone, ctx) => {
    const byLevel = new Map<number, { start: number; end: number; index: number }[]>();
    zone.slots.forEach((s, index) =>
      byLevel.set(s.level, [...(byLevel.get(s.level) ?? []), { ...s, index }]),
    );
    for (const [level, slots] of byLevel) {
      const sorted = [...slots].sort((a, b) => a.start - b.start);
      for (let i = 1; i < sorted.length; i++)
        if (sorted[i]!.start < sorted[i - 1]!.end)
          ctx.addIssue({
            code: "custom",
            path: ["slots", sorted[i]!.index],
            message: `slot overlaps slot ${sorted[i - 1]!.index} on level ${level}`,
          });
    }
  });

/** Options of {@link locateZone}. */
export interface LocateZoneOptions {
  /**
   * A point outside every zone still belongs to the nearest one within this distance, metres:
   * it absorbs the error of projecting a face to the floor. Default 0.5.
   */
  readonly maxDistanceM?: number;
}

/**
 * The zone a floor point belongs to.
 *
 * 1. Zones containing the point (even–odd ray casting, so concave outlines work; a point on the
 *    outline counts as inside). If several overlap, a staff-only one wins — when in doubt, nobody is
 *    analysed — then the smallest, then the first listed.
 * 2. Otherwise the zone whose outline is nearest, if within `maxDistanceM` (ties: first listed).
 *    Staff-only zones take part like any other, so a face next to a staff area is attributed to it
 *    rather than to a shopper zone further away.
 * 3. Otherwise null.
 *
 * Callers must check {@link isStaffOnly} on the result and skip staff-only zones.
 */
export function locateZone<Z extends ShelfZone>(
  point: FloorMPoint,
  zones: readonly Z[],
  options: LocateZoneOptions = {},
): ZoneMatch<Z> | null {
  const maxDistanceM = options.maxDistanceM ?? 0.5;
  if (!(maxDistanceM >= 0)) throw new RangeError("maxDistanceM must be ≥ 0");
  if (!Number.isFinite(point.x) || !Number.isFinite(point.y)) return null;

  let inside: { zone: Z; area: number } | null = null;
  for (const zone of zones) {
    if (!pointInPolygon(point, zone.polygon)) continue;
    const area = polygonArea(zone.polygon);
    const better =
      !inside ||
      (zone.staffOnly && !inside.zone.staffOnly) ||
      (zone.staffOnly === inside.zone.staffOnly && area < inside.area);
    if (better) inside = { zone, area };
  }
  if (inside) return { zone: inside.zone, distanceM: 0, inside: true };

  let nearest: ZoneMatch<Z> | null = null;
  for (const zone of zones) {
    const distanceM = distanceToPolygon(point, zone.polygon);
    if (distanceM <= maxDistanceM && (!nearest || distanceM < nearest.distanceM))
      nearest = { zone, distanceM, inside: false };
  }
  return nearest;
}

/** Options of {@link locateItem}. */
export interface LocateItemOptions {
  /** A point beyond every slot still maps to the nearest slot within this distance along the shelf, metres. Default 0.5. */
  readonly maxSlotDistanceM?: number;
}

/**
 * The item at a floor point in a zone: the point is projected onto the shelf axis and the slot
 * whose stretch contains it wins. Slots stacked on several levels cannot be told apart from the
 * floor: the one whose centre is nearest along the axis is taken, then the lowest level, then the
 * first listed. Between or beyond slots, the nearest slot within `maxSlotDistanceM` (metres along
 * the axis) is taken. Null when the zone has no slot near enough.
 */
export function locateItem(
  point: FloorMPoint,
  zone: ShelfZone,
  options: LocateItemOptions = {},
): string | null {
  const maxSlotDistanceM = options.maxSlotDistanceM ?? 0.5;
  if (!(maxSlotDistanceM >= 0)) throw new RangeError("maxSlotDistanceM must be ≥ 0");
  const [a, b] = shelfAxis(zone);
  const lengthM = Math.hypot(b.x - a.x, b.y - a.y);
  const t = shelfPosition(point, zone);
  if (!(lengthM > 0) || !Number.isFinite(t)) return null;

  let best: { slot: PlanogramSlot; key: [number, number, number] } | null = null;
  for (const slot of zone.slots) {
    const gapM = Math.max(0, slot.start - t, t - slot.end) * lengthM;
    if (gapM > maxSlotDistanceM) continue;
    // Lexicographic: gap to the slot, then distance to its centre, then level; a strict comparison
    // keeps the first listed on full ties.
    const key: [number, number, number] = [gapM, Math.abs((slot.start + slot.end) / 2 - t), slot.level ?? 0];
    if (!best || lexLess(key, best.key)) best = { slot, key };
  }
  return best?.slot.itemId ?? null;
}

/** Whether a zone is staff-only (never analysed). */
export function isStaffOnly(zone: Pick<ShelfZone, "staffOnly">): boolean {
  return zone.staffOnly;
}

/**
 * The zone's shelf axis, FloorM: its `shelfLine` when set, else its longest polygon edge (first
 * longest in polygon order), directed from that edge's vertex to the next one. Slot fractions run
 * from the axis' first point (0) to its second (1).
 */
export function shelfAxis(
  zone: Pick<ShelfZone, "polygon" | "shelfLine">,
): readonly [FloorMPoint, FloorMPoint] {
  if (zone.shelfLine) return zone.shelfLine;
  const poly = zone.polygon;
  let best: [FloorMPoint, FloorMPoint] = [poly[0]!, poly[1 % poly.length]!];
  let bestLength = -1;
  poly.forEach((p, i) => {
    const q = poly[(i + 1) % poly.length]!;
    const length = Math.hypot(q.x - p.x, q.y - p.y);
    if (length > bestLength) {
      bestLength = length;
      best = [p, q];
    }
  });
  return best;
}

/** Position of a floor point's projection on the zone's shelf axis, as a fraction (0 and 1 are the axis ends; not clamped). */
export function shelfPosition(point: FloorMPoint, zone: Pick<ShelfZone, "polygon" | "shelfLine">): number {
  const [a, b] = shelfAxis(zone);
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  return ((point.x - a.x) * dx + (point.y - a.y) * dy) / (dx * dx + dy * dy);
}

/** Even–odd point-in-polygon test (ray casting); points on the outline count as inside. */
export function pointInPolygon(p: FloorMPoint, polygon: Polygon<"FloorM">): boolean {
  const n = polygon.length;
  if (n < 3) return false;
  let inside = false;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const a = polygon[i]!;
    const b = polygon[j]!;
    if (distanceToSegment(p, a, b) <= 1e-12 * (1 + Math.abs(p.x) + Math.abs(p.y))) return true;
    // Half-open rule on y (a.y > p.y) !== (b.y > p.y) counts a vertex exactly once.
    if (a.y > p.y !== b.y > p.y) {
      const xCross = a.x + ((p.y - a.y) * (b.x - a.x)) / (b.y - a.y);
      if (p.x < xCross) inside = !inside;
    }
  }
  return inside;
}

/** Shortest distance from a point to a polygon's outline, in the polygon's units (0 on the outline). */
export function distanceToPolygon(p: FloorMPoint, polygon: Polygon<"FloorM">): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < polygon.length; i++)
    best = Math.min(best, distanceToSegment(p, polygon[i]!, polygon[(i + 1) % polygon.length]!));
  return best;
}

/** Unsigned area of a polygon (shoelace), in square units of its space. */
export function polygonArea(polygon: readonly { readonly x: number; readonly y: number }[]): number {
  let twice = 0;
  for (let i = 0; i < polygon.length; i++) {
    const a = polygon[i]!;
    const b = polygon[(i + 1) % polygon.length]!;
    twice += a.x * b.y - b.x * a.y;
  }
  return Math.abs(twice) / 2;
}

function distanceToSegment(
  p: { readonly x: number; readonly y: number },
  a: { readonly x: number; readonly y: number },
  b: { readonly x: number; readonly y: number },
): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const lengthSq = dx * dx + dy * dy;
  const t = lengthSq > 0 ? Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / lengthSq)) : 0;
  return Math.hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}

function lexLess(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]!;
  return false;
}

type Xy = { readonly x: number; readonly y: number };

function orientation(a: Xy, b: Xy, c: Xy): number {
  return Math.sign((b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x));
}

function onSegment(a: Xy, b: Xy, p: Xy): boolean {
  return (
    Math.min(a.x, b.x) <= p.x &&
    p.x <= Math.max(a.x, b.x) &&
    Math.min(a.y, b.y) <= p.y &&
    p.y <= Math.max(a.y, b.y)
  );
}

function segmentsIntersect(a: Xy, b: Xy, c: Xy, d: Xy): boolean {
  const o1 = orientation(a, b, c);
  const o2 = orientation(a, b, d);
  const o3 = orientation(c, d, a);
  const o4 = orientation(c, d, b);
  if (o1 !== o2 && o3 !== o4) return true;
  return (
    (o1 === 0 && onSegment(a, b, c)) ||
    (o2 === 0 && onSegment(a, b, d)) ||
    (o3 === 0 && onSegment(c, d, a)) ||
    (o4 === 0 && onSegment(c, d, b))
  );
}

/** No two non-adjacent edges touch or cross (O(n²); outlines are small). */
function isSimplePolygon(polygon: readonly Xy[]): boolean {
  const n = polygon.length;
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      if (j === i + 1 || (i === 0 && j === n - 1)) continue;
      if (segmentsIntersect(polygon[i]!, polygon[(i + 1) % n]!, polygon[j]!, polygon[(j + 1) % n]!))
        return false;
    }
  return true;
}

/** Shared edges and corners of neighbouring shelves are not overlap: 1 µm of slack, metres. */
const OVERLAP_EPS_M = 1e-6;

function strictlyInside(p: FloorMPoint, polygon: Polygon<"FloorM">): boolean {
  return pointInPolygon(p, polygon) && distanceToPolygon(p, polygon) > OVERLAP_EPS_M;
}

/** Points of a polygon to probe the other with: corners, edge midpoints and interior samples (fan centroids). */
function probePoints(polygon: Polygon<"FloorM">): FloorMPoint[] {
  const n = polygon.length;
  const points: FloorMPoint[] = [...polygon];
  for (let i = 0; i < n; i++) {
    const a = polygon[i]!;
    const b = polygon[(i + 1) % n]!;
    points.push({ x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 });
  }
  for (let i = 1; i + 1 < n; i++) {
    const [a, b, c] = [polygon[0]!, polygon[i]!, polygon[i + 1]!];
    const centroid = { x: (a.x + b.x + c.x) / 3, y: (a.y + b.y + c.y) / 3 };
    if (strictlyInside(centroid, polygon)) points.push(centroid);
  }
  return points;
}

/**
 * Whether two simple polygons share floor area. Touching along an edge or at a corner (neighbouring
 * shelves) is not overlap. True when two edges cross properly, or a corner, edge midpoint or interior
 * sample of one lies strictly inside the other (this catches containment and identical outlines).
 */
export function polygonsOverlap(a: Polygon<"FloorM">, b: Polygon<"FloorM">): boolean {
  if (a.length < 3 || b.length < 3) return false;
  for (let i = 0; i < a.length; i++)
    for (let j = 0; j < b.length; j++) {
      const [p, q] = [a[i]!, a[(i + 1) % a.length]!];
      const [r, s] = [b[j]!, b[(j + 1) % b.length]!];
      const o1 = orientation(p, q, r);
      const o2 = orientation(p, q, s);
      const o3 = orientation(r, s, p);
      const o4 = orientation(r, s, q);
      if (o1 * o2 < 0 && o3 * o4 < 0) return true;
    }
  return probePoints(a).some((p) => strictlyInside(p, b)) || probePoints(b).some((p) => strictlyInside(p, a));
}
