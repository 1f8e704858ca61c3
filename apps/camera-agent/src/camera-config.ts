import { z } from "zod";
import { ZHomographyMatrix, ZShelfZone } from "@shelf/core";
import type { Db } from "@shelf/db";

/** Everything one camera pipeline needs, validated (JSON columns included) before use. */
export const ZCameraConfig = z
  .object({
    storeId: z.string(),
    cameraId: z.string(),
    name: z.string(),
    /** Checked (packages/core camera-source.ts) when the camera starts, not here: a refused source is reported. */
    sourceUrl: z.string().min(1),
    /** Sealed credentials (opened only to build ffmpeg's URL). */
    sourceCredentials: z.string().nullable(),
    /** The store's camera allowlist (hosts, addresses, CIDRs). */
    allowlist: z.array(z.string()),
    width: z.number().int().min(32).max(7680),
    height: z.number().int().min(32).max(4320),
    analysisFps: z.number().min(0.2).max(60),
    calibration: z
      .object({
        version: z.number().int(),
        homography: ZHomographyMatrix,
        headHeightM: z.number().min(0.5).max(2.5),
      })
      .nullable(),
    zones: z.array(ZShelfZone),
  })
  .strict();
export type CameraConfig = z.infer<typeof ZCameraConfig>;

/**
 * Reads the enabled cameras of a store with their newest calibration, zones and planogram.
 * Throws a ZodError naming the camera and field when stored config is malformed.
 */
export async function loadCameraConfigs(db: Db, storeSlug: string): Promise<CameraConfig[]> {
  const store = await db.store.findUnique({
    where: { slug: storeSlug },
    include: {
      cameraSourcePolicy: { select: { allowlist: true } },
      cameras: {
        where: { enabled: true },
        include: { calibrations: { orderBy: { version: "desc" }, take: 1 } },
        orderBy: { name: "asc" },
      },
      zones: { include: { slots: { orderBy: { start: "asc" } } } },
    },
  });
  if (!store) throw new Error(`store "${storeSlug}" not found: seed it (npm run db:seed) or set STORE_SLUG`);
  return store.cameras.map((camera) => {
    const calibration = camera.calibrations[0];
    return ZCameraConfig.parse({
      storeId: store.id,
      cameraId: camera.id,
      name: camera.name,
      sourceUrl: camera.sourceUrl,
      sourceCredentials: camera.sourceCredentials,
      allowlist: store.cameraSourcePolicy?.allowlist ?? [],
      width: camera.widthPx,
      height: camera.heightPx,
      analysisFps: camera.analysisFps,
      calibration: calibration
        ? {
            version: calibration.version,
            homography: calibration.homography,
            headHeightM: calibration.headHeightM,
          }
        : null,
      zones: store.zones
        .filter((zone) => zone.floorPlanId === camera.floorPlanId)
        .map((zone) => ({
          id: zone.id,
          name: zone.name,
          polygon: zone.polygon,
          shelfLine: zone.shelfLine ?? null,
          staffOnly: zone.staffOnly,
          slots: zone.slots.map((s) => ({ itemId: s.itemId, start: s.start, end: s.end, level: s.level })),
        })),
    });
  });
}

/** A fingerprint of a config: the pipeline restarts its mapping when it changes (hot reload). */
export function configVersion(c: CameraConfig): string {
  return JSON.stringify([sourceKey(c), c.calibration, c.zones]);
}

/** What the camera's source depends on: when it changes the camera restarts (and its source is checked again). */
export function sourceKey(c: CameraConfig): string {
  return JSON.stringify([c.sourceUrl, c.sourceCredentials, c.allowlist, c.width, c.height, c.analysisFps]);
}
