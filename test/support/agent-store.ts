import { estimateHomography } from "@shelf/core";
import type { Db } from "@shelf/db";

/**
 * A store with one camera whose whole view maps into one big shelf zone with one item: every face the
 * detector finds lands in the zone. The calibration is a plausible pinhole view (camera ~3 m up, looking
 * down the aisle) so faces are projected on the chin-height plane.
 */
export async function seedAgentStore(
  db: Db,
  opts: {
    slug: string;
    /** As the web app stores it: `local:<name>` (a file via the agent's localSources), rtsp/http, `demo:…`. */
    sourceUrl: string;
    width: number;
    height: number;
    fps: number;
    staffOnly?: boolean;
    /** The store's camera allowlist (admin-set): needed for network sources. */
    allowlist?: string[];
  },
): Promise<{ storeId: string; cameraId: string; zoneId: string; itemId: string }> {
  await db.store.deleteMany({ where: { slug: opts.slug } });
  const store = await db.store.create({
    data: {
      slug: opts.slug,
      name: `Test ${opts.slug}`,
      ...(opts.allowlist ? { cameraSourcePolicy: { create: { allowlist: opts.allowlist } } } : {}),
    },
  });
  const plan = await db.floorPlan.create({
    data: { storeId: store.id, name: "floor", widthM: 40, heightM: 40 },
  });
  const camera = await db.camera.create({
    data: {
      storeId: store.id,
      floorPlanId: plan.id,
      name: "test camera",
      sourceUrl: opts.sourceUrl,
      widthPx: opts.width,
      heightPx: opts.height,
      analysisFps: opts.fps,
    },
  });
  const { width: w, height: h } = opts;
  const pointPairs = [
    { frame: { x: 0, y: h }, floor: { x: 18, y: 12 } },
    { frame: { x: w, y: h }, floor: { x: 22, y: 12 } },
    { frame: { x: w, y: h * 0.4 }, floor: { x: 26, y: 24 } },
    { frame: { x: 0, y: h * 0.4 }, floor: { x: 14, y: 24 } },
  ];
  const fit = estimateHomography(pointPairs);
  await db.calibration.create({
    data: {
      cameraId: camera.id,
      version: 1,
      pointPairs,
      homography: [...fit.homography.h],
      reprojectionRmsM: fit.reprojectionError.rmsM,
      reprojectionMaxM: fit.reprojectionError.maxM,
    },
  });
  const zone = await db.shelfZone.create({
    data: {
      storeId: store.id,
      floorPlanId: plan.id,
      name: "everything",
      polygon: [
        { x: -500, y: -500 },
        { x: 500, y: -500 },
        { x: 500, y: 500 },
        { x: -500, y: 500 },
      ],
      staffOnly: opts.staffOnly ?? false,
    },
  });
  const item = await db.item.upsert({
    where: { sku: `TEST-${opts.slug}` },
    create: { sku: `TEST-${opts.slug}`, name: "Test item", category: "test" },
    update: {},
  });
  await db.planogramSlot.create({ data: { zoneId: zone.id, itemId: item.id, start: 0, end: 1 } });
  return { storeId: store.id, cameraId: camera.id, zoneId: zone.id, itemId: item.id };
}
