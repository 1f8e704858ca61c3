import {
  EXPRESSIONS,
  shelfAxis,
  ZShelfLine,
  ZZonePolygon,
  type Expression,
  type FloorMPoint,
} from "@shelf/core";
import { NotFoundError, type StoreContext } from "../../trpc.ts";
import { Cell, cellStats, cellStatsWithComplements, type CellStats } from "../../reports/cell.ts";
import { snapToStoreDays } from "../../reports/day-range.ts";
import { resolveRange, type DateRange } from "../../reports/range.ts";
import { sumsByZoneItem } from "../../reports/rollups.ts";
import { storeRules } from "../../reports/rules.ts";
import type { StoreMapInput } from "./schemas.ts";
import { logger } from "../../logger.ts";

export interface MapZone extends CellStats {
  id: string;
  name: string;
  staffOnly: boolean;
  /** FloorM */
  polygon: FloorMPoint[];
  items: (CellStats & { itemId: string; name: string; sku: string })[];
}

/** One heatmap point: where shoppers stood for a product (FloorM), weighted by matching interactions. */
export interface HeatPoint {
  x: number;
  y: number;
  weight: number;
  zoneId: string;
  itemId: string | null;
}

export interface StoreMap {
  store: StoreContext["store"];
  k: number;
  range: DateRange;
  expressions: Expression[];
  /** The store's own negative set (its rules), for the map's "negative only" filter. */
  negativeExpressions: Expression[];
  floorPlan: { id: string; name: string; widthM: number; heightM: number };
  floorPlans: { id: string; name: string }[];
  zones: MapZone[];
  heat: HeatPoint[];
}

/** Area centroid of a simple polygon (vertex mean when degenerate). */
export function centroid(polygon: readonly FloorMPoint[]): FloorMPoint {
  let a = 0;
  let cx = 0;
  let cy = 0;
  polygon.forEach((p, i) => {
    const q = polygon[(i + 1) % polygon.length]!;
    const cross = p.x * q.y - q.x * p.y;
    a += cross;
    cx += (p.x + q.x) * cross;
    cy += (p.y + q.y) * cross;
  });
  if (Math.abs(a) < 1e-9) {
    const n = polygon.length;
    return { x: polygon.reduce((s, p) => s + p.x, 0) / n, y: polygon.reduce((s, p) => s + p.y, 0) / n };
  }
  return { x: cx / (3 * a), y: cy / (3 * a) };
}

/**
 * Where shoppers stand for a planogram slot: the middle of the slot's stretch of the shelf axis, stepped
 * into the zone (towards its centroid) by up to 0.8 m — the aisle in front of the product.
 */
export function slotStandPoint(
  zone: { polygon: readonly FloorMPoint[]; shelfLine: readonly [FloorMPoint, FloorMPoint] | null },
  slot: { start: number; end: number },
): FloorMPoint {
  const [a, b] = shelfAxis({ polygon: zone.polygon, shelfLine: zone.shelfLine });
  const t = (slot.start + slot.end) / 2;
  const p = { x: a.x + t * (b.x - a.x), y: a.y + t * (b.y - a.y) };
  const c = centroid(zone.polygon);
  const d = Math.hypot(c.x - p.x, c.y - p.y);
  if (d < 1e-9) return p;
  const step = Math.min(0.8, 0.4 * d);
  return { x: p.x + ((c.x - p.x) / d) * step, y: p.y + ((c.y - p.y) / d) * step };
}

/**
 * A floor plan of the store with its shelf zones coloured by rejection rate, and an interaction heatmap
 * filtered by dominant expression, over a range. Zones and products with fewer than k interactions show
 * their count only and add nothing to the heatmap.
 */
export async function storeMap({
  ctx,
  input,
}: {
  ctx: Pick<StoreContext, "db" | "store">;
  input: StoreMapInput;
}): Promise<StoreMap> {
  const { db, store } = ctx;
  const range = snapToStoreDays(resolveRange(input), store.timezone);
  const plans = await db.floorPlan.findMany({
    where: { storeId: store.id },
    orderBy: { createdAt: "asc" },
    select: { id: true, name: true, widthM: true, heightM: true },
  });
  const plan = input.floorPlanId ? plans.find((p) => p.id === input.floorPlanId) : plans[0];
  if (!plan)
    throw new NotFoundError(
      input.floorPlanId ? `floor plan "${input.floorPlanId}"` : "a floor plan of this store",
    );
  const [rules, zones, rows] = await Promise.all([
    storeRules(db, store.id),
    db.shelfZone.findMany({
      where: { storeId: store.id, floorPlanId: plan.id },
      orderBy: { name: "asc" },
      include: { slots: { include: { item: { select: { id: true, name: true, sku: true } } } } },
    }),
    sumsByZoneItem(db, { storeId: store.id, ...range }, store.timezone),
  ]);
  const expressions = input.expressions?.length ? [...new Set(input.expressions)] : [...EXPRESSIONS];
  const selected = new Set<Expression>(expressions);

  const zoneCells = new Map<string, Cell>();
  const itemCells = new Map<string, Cell>(); // `${zoneId}\u0000${itemId ?? ""}`
  for (const row of rows) {
    let z = zoneCells.get(row.zoneId);
    if (!z) zoneCells.set(row.zoneId, (z = new Cell()));
    z.add(row);
    const key = `${row.zoneId}\u0000${row.itemId ?? ""}`;
    let c = itemCells.get(key);
    if (!c) itemCells.set(key, (c = new Cell()));
    c.add(row);
  }

  const heat: HeatPoint[] = [];
  const out: MapZone[] = [];
  for (const zone of zones) {
    const polygon = ZZonePolygon.safeParse(zone.polygon);
    if (!polygon.success) {
      logger().error({ zoneId: zone.id }, "zone has an invalid polygon; left off the map");
      continue;
    }
    const shelfLine = zone.shelfLine === null ? null : (ZShelfLine.safeParse(zone.shelfLine).data ?? null);
    const geometry = { polygon: polygon.data, shelfLine };
    const itemIds = new Set(zone.slots.map((s) => s.itemId));
    for (const key of itemCells.keys()) {
      const [zoneId, itemId] = key.split("\u0000") as [string, string];
      if (zoneId === zone.id && itemId) itemIds.add(itemId);
    }
    const names = new Map(zone.slots.map((s) => [s.item.id, s.item]));
    const missing = [...itemIds].filter((id) => !names.has(id));
    if (missing.length)
      for (const it of await db.item.findMany({
        where: { id: { in: missing } },
        select: { id: true, name: true, sku: true },
      }))
        names.set(it.id, it);
    const listed = [...itemIds].filter((id) => names.has(id));
    const zoneCell = zoneCells.get(zone.id) ?? new Cell();
    // The zone's total is shown: its products (and the interactions at no product, never listed) get
    // complementary suppression, so a hidden product is not the zone minus the shown ones.
    const noItem = itemCells.get(`${zone.id}\u0000`) ?? new Cell();
    const itemStats = cellStatsWithComplements(
      [...listed.map((id) => itemCells.get(`${zone.id}\u0000${id}`) ?? new Cell()), noItem],
      rules,
      zoneCell.n,
    );
    const noItemStats = itemStats.pop()!;
    if (!noItemStats.hidden && noItem.n >= rules.k) {
      const weight = [...selected].reduce((sum, e) => sum + noItem.counts[e], 0);
      if (weight > 0) heat.push({ ...centroid(polygon.data), weight, zoneId: zone.id, itemId: null });
    }
    const items: MapZone["items"] = [];
    listed.forEach((itemId, i) => {
      const it = names.get(itemId)!;
      const stats = itemStats[i]!;
      items.push({ itemId, name: it.name, sku: it.sku, ...stats });
      const cell = itemCells.get(`${zone.id}\u0000${itemId}`);
      if (!cell || stats.hidden || cell.n < rules.k) return;
      const weight = [...selected].reduce((sum, e) => sum + cell.counts[e], 0);
      if (weight === 0) return;
      const slots = zone.slots.filter((s) => s.itemId === itemId);
      const points = slots.length ? slots.map((s) => slotStandPoint(geometry, s)) : [centroid(polygon.data)];
      for (const p of points) heat.push({ ...p, weight: weight / points.length, zoneId: zone.id, itemId });
    });
    items.sort((a, b) => a.name.localeCompare(b.name));
    out.push({
      id: zone.id,
      name: zone.name,
      staffOnly: zone.staffOnly,
      polygon: polygon.data,
      items,
      ...cellStats(zoneCell, rules),
    });
  }
  return {
    store,
    k: rules.k,
    range,
    expressions,
    negativeExpressions: EXPRESSIONS.filter((e) => rules.negative.has(e)),
    floorPlan: plan,
    floorPlans: plans.map((p) => ({ id: p.id, name: p.name })),
    zones: out,
    heat,
  };
}
