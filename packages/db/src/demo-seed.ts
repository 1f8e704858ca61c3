import { estimateHomography, type FloorMPoint, type FramePxPoint } from "@shelf/core";
import type { Prisma, PrismaClient } from "./generated/prisma/client.ts";
import {
  DEMO_PRODUCTS,
  DEMO_STORES,
  DEMO_STORY,
  DEMO_ZONE_LAYOUT,
  type DemoProduct,
  type DemoStoreDef,
} from "./demo/catalogue.ts";

type DbOrTx = PrismaClient | Prisma.TransactionClient;

/** One planogram slot of a demo zone (0–1 along the shelf axis). */
export interface DemoSlot {
  sku: string;
  name: string;
  category: string;
  start: number;
  end: number;
  level: number;
}

/** A demo shelf zone (FloorM) with its planogram. */
export interface DemoZone {
  name: string;
  polygon: FloorMPoint[];
  shelfLine: [FloorMPoint, FloorMPoint] | null;
  staffOnly: boolean;
  items: DemoSlot[];
}

const rect = (x0: number, y0: number, x1: number, y1: number): FloorMPoint[] => [
  { x: x0, y: y0 },
  { x: x1, y: y0 },
  { x: x1, y: y1 },
  { x: x0, y: y1 },
];

/**
 * A chain store's zones and planogram: the four bays of `DEMO_ZONE_LAYOUT` along the back wall (shelves at
 * y = 7 m, the aisle strip y = 3.5–7 m in front of them) and a staff-only stock room. Each bay holds its
 * category's products in catalogue order, equal spans, shelf levels 1–3. `afterMove` applies the story's
 * planogram change (the main store's cold-brew coffee in the chiller); pass false for the layout before it.
 */
export function demoZones(storeSlug: string, afterMove = true): DemoZone[] {
  const move = DEMO_STORY.moved;
  const moved = afterMove && storeSlug === move.storeSlug;
  const zones: DemoZone[] = DEMO_ZONE_LAYOUT.map((bay) => {
    let products: DemoProduct[] = DEMO_PRODUCTS.filter((p) => p.category === bay.category);
    if (moved && bay.name === move.fromZone) products = products.filter((p) => p.sku !== move.sku);
    if (moved && bay.name === move.toZone)
      products = [...products, DEMO_PRODUCTS.find((p) => p.sku === move.sku)!];
    return {
      name: bay.name,
      polygon: rect(bay.x0, 3.5, bay.x1, 7),
      shelfLine: [
        { x: bay.x0, y: 7 },
        { x: bay.x1, y: 7 },
      ],
      staffOnly: false,
      items: products.map((p, i) => ({
        sku: p.sku,
        name: p.name,
        category: p.category,
        start: i / products.length,
        end: (i + 1) / products.length,
        // The moved product sat on the bottom shelf before the move and at eye level after it.
        level: p.sku === move.sku && storeSlug === move.storeSlug ? (moved ? 2 : 0) : 1 + (i % 3),
      })),
    };
  });
  zones.push({
    name: "Stock room (staff only)",
    polygon: rect(0, 0, 2, 2),
    shelfLine: null,
    staffOnly: true,
    items: [],
  });
  return zones;
}

/**
 * The demo store: one camera reading the photos that @vladmandic/face-api ships (letterboxed to 640×480),
 * calibrated to a floor plan with four shelf bays of products and one staff-only zone.
 *
 * Geometry (FloorM, plan 12 m × 8 m, origin top-left): shelves run along y = 7 m; the camera hangs about
 * 4 m up across the aisle and looks at the shoppers facing the shelves. Four floor point pairs calibrate it;
 * faces are projected on the chin-height plane derived from that calibration. The photos' 22 faces land in the
 * aisle strip at x ≈ 4.2–7.7 m, y ≈ 3.7–6.2 m; the bays are cut where they land (Snacks x 2–5: 5 faces,
 * Confectionery 5–6: 6, Beverages 6–7: 5, Dairy & chilled 7–10: 6), so every bay gets live visits.
 */
export const DEMO = {
  storeSlug: "demo",
  cameraName: "Aisle 3 — demo photos",
  sourceUrl: "demo:face-api",
  frame: { width: 640, height: 480 },
  pointPairs: [
    { frame: { x: 0, y: 480 }, floor: { x: 3, y: 3 } },
    { frame: { x: 640, y: 480 }, floor: { x: 9, y: 3 } },
    { frame: { x: 640, y: 200 }, floor: { x: 10, y: 6 } },
    { frame: { x: 0, y: 200 }, floor: { x: 2, y: 6 } },
  ] as { frame: FramePxPoint; floor: FloorMPoint }[],
  zones: demoZones("demo"),
};

/** What {@link createDemoStoreStructure} made. */
export interface DemoStoreIds {
  storeId: string;
  cameraId: string;
  /** Zone ids by zone name. */
  zoneIds: Map<string, string>;
  /** Item ids by SKU. */
  itemIds: Map<string, string>;
}

/**
 * Creates one chain store's structure (no observations): settings, floor plan, camera with its calibration,
 * zones, products and planogram. The live-camera store gets the demo camera; the others a camera that is off
 * (`local:` source, disabled) — their history came from it.
 */
export async function createDemoStoreStructure(
  db: DbOrTx,
  def: DemoStoreDef,
  options: { minSample?: number; slotCreatedAt?: (slot: DemoSlot) => Date | undefined } = {},
): Promise<DemoStoreIds> {
  const store = await db.store.create({
    data: {
      slug: def.slug,
      name: def.name,
      timezone: def.timezone,
      settings: { create: options.minSample === undefined ? {} : { minSample: options.minSample } },
    },
  });
  const plan = await db.floorPlan.create({
    data: { storeId: store.id, name: "Ground floor", widthM: 12, heightM: 8 },
  });
  const camera = await db.camera.create({
    data: {
      storeId: store.id,
      floorPlanId: plan.id,
      name: def.liveCamera ? DEMO.cameraName : "Aisle 3",
      sourceUrl: def.liveCamera ? DEMO.sourceUrl : "local:aisle-3",
      enabled: def.liveCamera,
      widthPx: DEMO.frame.width,
      heightPx: DEMO.frame.height,
      analysisFps: 5,
    },
  });
  const fit = estimateHomography(DEMO.pointPairs);
  await db.calibration.create({
    data: {
      cameraId: camera.id,
      version: 1,
      pointPairs: DEMO.pointPairs.map((p) => ({
        frame: { x: p.frame.x, y: p.frame.y },
        floor: { x: p.floor.x, y: p.floor.y },
      })),
      homography: [...fit.homography.h],
      reprojectionRmsM: fit.reprojectionError.rmsM,
      reprojectionMaxM: fit.reprojectionError.maxM,
    },
  });
  const zones = demoZones(def.slug);
  const itemIds = await upsertDemoItems(
    db,
    zones.flatMap((z) => z.items),
  );
  const zoneIds = new Map<string, string>();
  for (const z of zones) {
    const zone = await db.shelfZone.create({
      data: {
        storeId: store.id,
        floorPlanId: plan.id,
        name: z.name,
        polygon: z.polygon.map((p) => ({ ...p })),
        shelfLine: z.shelfLine ? z.shelfLine.map((p) => ({ ...p })) : undefined,
        staffOnly: z.staffOnly,
      },
    });
    zoneIds.set(z.name, zone.id);
    await db.planogramSlot.createMany({
      data: z.items.map((it) => ({
        zoneId: zone.id,
        itemId: itemIds.get(it.sku)!,
        start: it.start,
        end: it.end,
        level: it.level,
        ...(options.slotCreatedAt?.(it) ? { createdAt: options.slotCreatedAt(it) } : {}),
      })),
    });
  }
  return { storeId: store.id, cameraId: camera.id, zoneIds, itemIds };
}

/** Creates the missing demo products (an existing SKU keeps its row, name and category updated); ids by SKU. */
export async function upsertDemoItems(
  db: DbOrTx,
  items: readonly Pick<DemoSlot, "sku" | "name" | "category">[],
): Promise<Map<string, string>> {
  const skus = items.map((i) => i.sku);
  await db.item.createMany({
    data: items.map((i) => ({ sku: i.sku, name: i.name, category: i.category })),
    skipDuplicates: true,
  });
  const rows = await db.item.findMany({ where: { sku: { in: skus } }, select: { id: true, sku: true } });
  return new Map(rows.map((r) => [r.sku, r.id]));
}

/** The demo's every-store rule: flag at a Wilson lower bound of 20 %, clear 5 points below. */
export async function seedDemoThreshold(db: DbOrTx): Promise<void> {
  await db.threshold.deleteMany({ where: { storeId: null, level: "global" } });
  await db.threshold.create({ data: { level: "global", threshold: 0.2, hysteresis: 0.05 } });
}

/**
 * Creates (or recreates) the demo store's structure only — no history: the store, its camera and calibration,
 * zones and planogram, and the global threshold. Idempotent: a store with the demo slug is deleted first.
 * Tests and benchmarks start from it; `npm start` seeds the whole chain with `seedDemoChain`.
 */
export async function seedDemoStore(db: PrismaClient): Promise<{ storeId: string; cameraId: string }> {
  await db.store.deleteMany({ where: { slug: DEMO.storeSlug } });
  const def = DEMO_STORES.find((s) => s.slug === DEMO.storeSlug)!;
  const { storeId, cameraId } = await createDemoStoreStructure(db, def, { minSample: 10 });
  await seedDemoThreshold(db);
  return { storeId, cameraId };
}
