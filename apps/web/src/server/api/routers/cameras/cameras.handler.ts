import { NotFoundError, type StoreContext } from "../../trpc.ts";
import { writeAudit } from "../../../audit.ts";
import type { CreateCameraInput, UpdateCameraInput } from "./schemas.ts";
import { ZCreateCameraInput } from "./schemas.ts";
import { maskSourceUrl } from "./source-url.ts";

type Ctx = Pick<StoreContext, "db" | "store" | "user">;

export interface CameraView {
  id: string;
  name: string;
  /** Passwords masked. */
  source: string;
  widthPx: number;
  heightPx: number;
  analysisFps: number;
  enabled: boolean;
  /** As the agent reports it. */
  status: string;
  lastSeenAt: Date | null;
  snapshotAt: Date | null;
  floorPlan: { id: string; name: string };
  calibration: { version: number; rmsM: number; maxM: number; createdAt: Date } | null;
}

/** The store's cameras, their state and newest calibration, and its floor plans (to register a camera on). */
export async function listCameras({ ctx }: { ctx: Pick<StoreContext, "db" | "store"> }) {
  const { db, store } = ctx;
  const [cameras, floorPlans] = await Promise.all([
    db.camera.findMany({
      where: { storeId: store.id },
      orderBy: { name: "asc" },
      select: {
        id: true,
        name: true,
        sourceUrl: true,
        widthPx: true,
        heightPx: true,
        analysisFps: true,
        enabled: true,
        status: true,
        lastSeenAt: true,
        snapshotAt: true,
        floorPlan: { select: { id: true, name: true } },
        calibrations: {
          orderBy: { version: "desc" },
          take: 1,
          select: { version: true, reprojectionRmsM: true, reprojectionMaxM: true, createdAt: true },
        },
      },
    }),
    db.floorPlan.findMany({
      where: { storeId: store.id },
      orderBy: { createdAt: "asc" },
      select: { id: true, name: true, widthM: true, heightM: true },
    }),
  ]);
  return {
    cameras: cameras.map(({ sourceUrl, calibrations, ...c }): CameraView => {
      const cal = calibrations[0];
      return {
        ...c,
        source: maskSourceUrl(sourceUrl),
        calibration: cal
          ? {
              version: cal.version,
              rmsM: cal.reprojectionRmsM,
              maxM: cal.reprojectionMaxM,
              createdAt: cal.createdAt,
            }
          : null,
      };
    }),
    floorPlans,
  };
}

async function assertFloorPlan(ctx: Ctx, floorPlanId: string) {
  const plan = await ctx.db.floorPlan.findUnique({ where: { id: floorPlanId }, select: { storeId: true } });
  if (!plan || plan.storeId !== ctx.store.id) throw new NotFoundError(`floor plan "${floorPlanId}"`);
}

const auditView = (c: {
  name: string;
  sourceUrl: string;
  widthPx: number;
  heightPx: number;
  analysisFps: number;
  enabled: boolean;
  floorPlanId: string;
}) => ({
  name: c.name,
  source: maskSourceUrl(c.sourceUrl),
  widthPx: c.widthPx,
  heightPx: c.heightPx,
  analysisFps: c.analysisFps,
  enabled: c.enabled,
  floorPlanId: c.floorPlanId,
});

/** Registers a camera (the store's agent starts it on its next config poll). Audited. */
export async function createCamera({
  ctx,
  input: raw,
}: {
  ctx: Ctx;
  input: CreateCameraInput;
}): Promise<{ id: string }> {
  const { storeSlug: _, ...input } = ZCreateCameraInput.parse(raw);
  await assertFloorPlan(ctx, input.floorPlanId);
  return ctx.db.$transaction(async (tx) => {
    const camera = await tx.camera.create({ data: { ...input, storeId: ctx.store.id } });
    await writeAudit(tx, {
      storeId: ctx.store.id,
      userId: ctx.user.id,
      action: "camera.create",
      entity: "Camera",
      entityId: camera.id,
      after: auditView(camera),
    });
    return { id: camera.id };
  });
}

/** Changes a camera's name, source, frame size, rate, floor plan or enabled state. Audited. */
export async function updateCamera({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: UpdateCameraInput;
}): Promise<{ id: string }> {
  const { storeSlug: _, cameraId, ...changes } = input;
  const before = await ctx.db.camera.findUnique({ where: { id: cameraId } });
  if (!before || before.storeId !== ctx.store.id) throw new NotFoundError(`camera "${cameraId}"`);
  if (changes.floorPlanId) await assertFloorPlan(ctx, changes.floorPlanId);
  return ctx.db.$transaction(async (tx) => {
    const after = await tx.camera.update({ where: { id: cameraId }, data: changes });
    await writeAudit(tx, {
      storeId: ctx.store.id,
      userId: ctx.user.id,
      action: "camera.update",
      entity: "Camera",
      entityId: cameraId,
      before: auditView(before),
      after: auditView(after),
    });
    return { id: cameraId };
  });
}
