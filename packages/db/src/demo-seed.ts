import { estimateHomography, type FloorMPoint, type FramePxPoint } from "@shelf/core";
import type { PrismaClient } from "./generated/prisma/client.ts";

/**
 * The demo store: one camera reading the photos that @vladmandic/face-api ships (letterboxed to 640×480),
 * calibrated to a floor plan with two shelf zones of products and one staff-only zone.
 *
 * Geometry (FloorM, plan 12 m × 8 m, origin top-left): shelves run along y = 7 m; the camera hangs about
 * 4 m up across the aisle and looks at the shoppers facing the shelves. Four floor point pairs calibrate it;
 * faces are projected on the chin-height plane derived from that calibration and land in the aisle strip
 * y ≈ 3.5–7 m in front of the shelves, x ≈ 4–8 m, i.e. in both product zones.
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
  zones: [
    {
      name: "Snacks",
      polygon: [
        { x: 2, y: 3.5 },
        { x: 6, y: 3.5 },
        { x: 6, y: 7 },
        { x: 2, y: 7 },
      ],
      shelfLine: [
        { x: 2, y: 7 },
        { x: 6, y: 7 },
      ],
      staffOnly: false,
      items: [
        { sku: "SNK-001", name: "Sea-salt crisps", category: "snacks", start: 0, end: 0.5 },
        { sku: "SNK-002", name: "Chilli peanuts", category: "snacks", start: 0.5, end: 1 },
      ],
    },
    {
      name: "Beverages",
      polygon: [
        { x: 6, y: 3.5 },
        { x: 10, y: 3.5 },
        { x: 10, y: 7 },
        { x: 6, y: 7 },
      ],
      shelfLine: [
        { x: 6, y: 7 },
        { x: 10, y: 7 },
      ],
      staffOnly: false,
      items: [
        { sku: "BEV-001", name: "Sparkling lemonade", category: "beverages", start: 0, end: 0.5 },
        { sku: "BEV-002", name: "Cold-brew coffee", category: "beverages", start: 0.5, end: 1 },
      ],
    },
    {
      name: "Stock room (staff only)",
      polygon: [
        { x: 0, y: 0 },
        { x: 2, y: 0 },
        { x: 2, y: 2 },
        { x: 0, y: 2 },
      ],
      shelfLine: null,
      staffOnly: true,
      items: [],
    },
  ],
} as const;

/**
 * Creates (or recreates) the demo store. Idempotent: a store with the demo slug is deleted first, so the
 * demo can be reset by running the seed again. Returns the ids the agent and tests need.
 */
export async function seedDemoStore(db: PrismaClient): Promise<{ storeId: string; cameraId: string }> {
  await db.store.deleteMany({ where: { slug: DEMO.storeSlug } });
  const store = await db.store.create({
    data: {
      slug: DEMO.storeSlug,
      name: "Demo Market",
      timezone: "Europe/Berlin",
      settings: { create: { minSample: 10 } },
    },
  });
  const plan = await db.floorPlan.create({
    data: { storeId: store.id, name: "Ground floor", widthM: 12, heightM: 8 },
  });
  const camera = await db.camera.create({
    data: {
      storeId: store.id,
      floorPlanId: plan.id,
      name: DEMO.cameraName,
      sourceUrl: DEMO.sourceUrl,
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
  for (const z of DEMO.zones) {
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
    for (const it of z.items) {
      const item = await db.item.upsert({
        where: { sku: it.sku },
        create: { sku: it.sku, name: it.name, category: it.category },
        update: { name: it.name, category: it.category },
      });
      await db.planogramSlot.create({
        data: { zoneId: zone.id, itemId: item.id, start: it.start, end: it.end },
      });
    }
  }
  await db.threshold.deleteMany({ where: { storeId: null, level: "global" } });
  await db.threshold.create({ data: { level: "global", threshold: 0.2, hysteresis: 0.05 } });
  return { storeId: store.id, cameraId: camera.id };
}
