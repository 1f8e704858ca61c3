import {
  estimateHomography,
  ZPointPairs,
  ZZonePolygon,
  type FloorMPoint,
  type FramePxPoint,
} from "@shelf/core";
import { Prisma } from "@shelf/db";
import { ConflictError, DomainRuleError, NotFoundError, type StoreContext } from "../../trpc.ts";
import { writeAudit } from "../../audit.ts";
import type { CameraInput, SaveCalibrationInput } from "./schemas.ts";

type Ctx = Pick<StoreContext, "db" | "store" | "user">;

export interface CalibrationVersion {
  version: number;
  rmsM: number;
  maxM: number;
  headHeightM: number;
  createdAt: Date;
  createdBy: string | null;
}

export interface CalibrationStudio {
  camera: {
    id: string;
    name: string;
    widthPx: number;
    heightPx: number;
    /** Face-blurred JPEG data URL from the agent; null until it sends one. */
    snapshot: string | null;
    snapshotAt: Date | null;
    status: string;
  };
  floorPlan: { id: string; name: string; widthM: number; heightM: number };
  zones: { id: string; name: string; staffOnly: boolean; polygon: FloorMPoint[] }[];
  latest: (CalibrationVersion & { pointPairs: { frame: FramePxPoint; floor: FloorMPoint }[] }) | null;
  history: CalibrationVersion[];
}

/** Everything the calibration studio shows for one camera. */
export async function calibrationStudio({
  ctx,
  input,
}: {
  ctx: Pick<StoreContext, "db" | "store">;
  input: CameraInput;
}): Promise<CalibrationStudio> {
  const { db, store } = ctx;
  const camera = await db.camera.findUnique({
    where: { id: input.cameraId },
    include: {
      floorPlan: { select: { id: true, name: true, widthM: true, heightM: true } },
      calibrations: { orderBy: { version: "desc" }, take: 50 },
    },
  });
  if (!camera || camera.storeId !== store.id) throw new NotFoundError(`camera "${input.cameraId}"`);
  const zones = await db.shelfZone.findMany({
    where: { floorPlanId: camera.floorPlanId },
    orderBy: { name: "asc" },
    select: { id: true, name: true, staffOnly: true, polygon: true },
  });
  const authors = await db.user.findMany({
    where: { id: { in: camera.calibrations.flatMap((c) => (c.createdById ? [c.createdById] : [])) } },
    select: { id: true, name: true },
  });
  const authorOf = new Map(authors.map((a) => [a.id, a.name]));
  const history = camera.calibrations.map((c): CalibrationVersion => ({
    version: c.version,
    rmsM: c.reprojectionRmsM,
    maxM: c.reprojectionMaxM,
    headHeightM: c.headHeightM,
    createdAt: c.createdAt,
    createdBy: c.createdById ? (authorOf.get(c.createdById) ?? null) : null,
  }));
  const newest = camera.calibrations[0];
  const pairs = newest ? ZPointPairs.safeParse(newest.pointPairs) : null;
  return {
    camera: {
      id: camera.id,
      name: camera.name,
      widthPx: camera.widthPx,
      heightPx: camera.heightPx,
      snapshot: camera.snapshot,
      snapshotAt: camera.snapshotAt,
      status: camera.status,
    },
    floorPlan: camera.floorPlan,
    zones: zones.flatMap((z) => {
      const polygon = ZZonePolygon.safeParse(z.polygon);
      return polygon.success
        ? [{ id: z.id, name: z.name, staffOnly: z.staffOnly, polygon: polygon.data }]
        : [];
    }),
    latest: newest ? { ...history[0]!, pointPairs: pairs?.success ? pairs.data : [] } : null,
    history,
  };
}

/**
 * Saves a calibration as the camera's next version: the homography is fitted here from the point pairs
 * (whatever the browser showed), with its reprojection error. The running agent polls its config and
 * switches to the new version. Audited.
 */
export async function saveCalibration({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: SaveCalibrationInput;
}): Promise<CalibrationVersion & { inliers: number[] }> {
  const { db, store, user } = ctx;
  const camera = await db.camera.findUnique({
    where: { id: input.cameraId },
    include: { floorPlan: { select: { widthM: true, heightM: true } } },
  });
  if (!camera || camera.storeId !== store.id) throw new NotFoundError(`camera "${input.cameraId}"`);
  const { widthPx, heightPx } = camera;
  const { widthM, heightM } = camera.floorPlan;
  input.pointPairs.forEach((p, i) => {
    if (p.frame.x < 0 || p.frame.y < 0 || p.frame.x > widthPx || p.frame.y > heightPx)
      throw new DomainRuleError(`pair ${i + 1}: the frame point is outside the ${widthPx}×${heightPx} frame`);
    if (p.floor.x < 0 || p.floor.y < 0 || p.floor.x > widthM || p.floor.y > heightM)
      throw new DomainRuleError(
        `pair ${i + 1}: the floor point is outside the ${widthM} m × ${heightM} m plan`,
      );
  });
  const fit = estimateHomography(input.pointPairs); // HomographyError → 400 with its reason
  try {
    return await db.$transaction(async (tx) => {
      const previous = await tx.calibration.findFirst({
        where: { cameraId: camera.id },
        orderBy: { version: "desc" },
      });
      const current = previous?.version ?? 0;
      if (input.baseVersion != null && input.baseVersion !== current)
        throw new ConflictError(
          `version ${current} was saved while you edited version ${input.baseVersion}: reload to see it`,
        );
      const saved = await tx.calibration.create({
        data: {
          cameraId: camera.id,
          version: current + 1,
          pointPairs: input.pointPairs.map((p) => ({
            frame: { x: p.frame.x, y: p.frame.y },
            floor: { x: p.floor.x, y: p.floor.y },
          })),
          homography: [...fit.homography.h],
          reprojectionRmsM: fit.reprojectionError.rmsM,
          reprojectionMaxM: fit.reprojectionError.maxM,
          headHeightM: input.headHeightM,
          createdById: user.id,
        },
      });
      const summary = (c: typeof saved) => ({
        version: c.version,
        pairs: Array.isArray(c.pointPairs) ? c.pointPairs.length : null,
        rmsM: c.reprojectionRmsM,
        maxM: c.reprojectionMaxM,
        headHeightM: c.headHeightM,
      });
      await writeAudit(tx, {
        storeId: store.id,
        userId: user.id,
        action: "calibration.create",
        entity: "Camera",
        entityId: camera.id,
        before: previous ? summary(previous) : undefined,
        after: summary(saved),
      });
      return {
        version: saved.version,
        rmsM: saved.reprojectionRmsM,
        maxM: saved.reprojectionMaxM,
        headHeightM: saved.headHeightM,
        createdAt: saved.createdAt,
        createdBy: user.name,
        inliers: fit.inliers,
      };
    });
  } catch (err) {
    // Two saves of the same version: the unique (cameraId, version) key lets only one win.
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002")
      throw new ConflictError(
        "another calibration of this camera was saved at the same moment: reload and try again",
      );
    throw err;
  }
}
