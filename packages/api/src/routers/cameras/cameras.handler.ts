import { sealPlaintextCameraCredentials, sealSecret } from "@shelf/db";
import { NotFoundError, type StoreContext } from "../../trpc.ts";
import { writeAudit } from "../../audit.ts";
import type {
  CreateCameraInput,
  SetCameraSourceInput,
  SetSourcePolicyInput,
  UpdateCameraInput,
} from "./schemas.ts";
import { cameraSecretKey, checkedSource, storeAllowlist } from "./source-policy.ts";
import { maskSourceUrl } from "./source-url.ts";

type Ctx = Pick<StoreContext, "db" | "store" | "user">;

export interface CameraView {
  id: string;
  name: string;
  /** Without credentials (older rows: password masked). */
  source: string;
  /** Whether a user name / password is stored for the source; never the credentials themselves. */
  credentials: "set" | "not set";
  widthPx: number;
  heightPx: number;
  analysisFps: number;
  enabled: boolean;
  /** As the agent reports it ("refused" when the agent would not read the source). */
  status: string;
  lastSeenAt: Date | null;
  snapshotAt: Date | null;
  floorPlan: { id: string; name: string };
  calibration: { version: number; rmsM: number; maxM: number; createdAt: Date } | null;
}

/** The store's cameras, their state and newest calibration, and its floor plans (to register a camera on). */
export async function listCameras({ ctx }: { ctx: Pick<StoreContext, "db" | "store" | "role"> }) {
  const { db, store } = ctx;
  // Rows from before credentials were sealed get sealed on first sight (the key is not in the database).
  await sealPlaintextCameraCredentials(db, cameraSecretKey(), { storeId: store.id });
  const [cameras, floorPlans] = await Promise.all([
    db.camera.findMany({
      where: { storeId: store.id },
      orderBy: { name: "asc" },
      select: {
        id: true,
        name: true,
        sourceUrl: true,
        sourceCredentials: true,
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
    cameras: cameras.map(({ sourceUrl, sourceCredentials, calibrations, ...c }): CameraView => {
      const cal = calibrations[0];
      return {
        ...c,
        source: maskSourceUrl(sourceUrl),
        credentials: sourceCredentials ? "set" : "not set",
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
    /** Registering cameras and setting sources is for admins. */
    canSetSources: ctx.role === "admin",
  };
}

async function assertFloorPlan(ctx: Ctx, floorPlanId: string) {
  const plan = await ctx.db.floorPlan.findUnique({ where: { id: floorPlanId }, select: { storeId: true } });
  if (!plan || plan.storeId !== ctx.store.id) throw new NotFoundError(`floor plan "${floorPlanId}"`);
}

const auditView = (c: {
  name: string;
  sourceUrl: string;
  sourceCredentials: string | null;
  widthPx: number;
  heightPx: number;
  analysisFps: number;
  enabled: boolean;
  floorPlanId: string;
}) => ({
  name: c.name,
  source: maskSourceUrl(c.sourceUrl),
  credentials: c.sourceCredentials ? "set" : "not set",
  widthPx: c.widthPx,
  heightPx: c.heightPx,
  analysisFps: c.analysisFps,
  enabled: c.enabled,
  floorPlanId: c.floorPlanId,
});

/** The source as stored: URL without credentials, and the credentials sealed (null when none). */
async function storedSource(ctx: Ctx, sourceUrl: string) {
  const source = await checkedSource(ctx.db, ctx.store.id, sourceUrl);
  if (source.kind !== "network")
    return { sourceUrl: `${source.kind}:${source.name}`, sourceCredentials: null };
  return {
    sourceUrl: source.url,
    sourceCredentials: source.credentials ? sealSecret(cameraSecretKey(), source.credentials) : null,
  };
}

/** Admins: registers a camera (the store's agent starts it on its next config poll). Audited. */
export async function createCamera({
  ctx,
  input: { storeSlug: _, sourceUrl, ...input },
}: {
  ctx: Ctx;
  input: CreateCameraInput;
}): Promise<{ id: string }> {
  await assertFloorPlan(ctx, input.floorPlanId);
  const source = await storedSource(ctx, sourceUrl);
  return ctx.db.$transaction(async (tx) => {
    const camera = await tx.camera.create({ data: { ...input, ...source, storeId: ctx.store.id } });
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

async function findCamera(ctx: Ctx, cameraId: string) {
  const camera = await ctx.db.camera.findUnique({ where: { id: cameraId } });
  if (!camera || camera.storeId !== ctx.store.id) throw new NotFoundError(`camera "${cameraId}"`);
  return camera;
}

async function saveCamera(
  ctx: Ctx,
  before: Awaited<ReturnType<typeof findCamera>>,
  data: Record<string, unknown>,
  action: string,
): Promise<{ id: string }> {
  return ctx.db.$transaction(async (tx) => {
    const after = await tx.camera.update({ where: { id: before.id }, data });
    await writeAudit(tx, {
      storeId: ctx.store.id,
      userId: ctx.user.id,
      action,
      entity: "Camera",
      entityId: before.id,
      before: auditView(before),
      after: auditView(after),
    });
    return { id: before.id };
  });
}

/** Staff: changes a camera's name, frame size, rate, floor plan or enabled state (not its source). Audited. */
export async function updateCamera({ ctx, input }: { ctx: Ctx; input: UpdateCameraInput }) {
  const { storeSlug: _, cameraId, ...changes } = input;
  const before = await findCamera(ctx, cameraId);
  if (changes.floorPlanId) await assertFloorPlan(ctx, changes.floorPlanId);
  return saveCamera(ctx, before, changes, "camera.update");
}

/** Admins: points a camera at a new source, checked against the store's allowlist. Audited. */
export async function setCameraSource({ ctx, input }: { ctx: Ctx; input: SetCameraSourceInput }) {
  const before = await findCamera(ctx, input.cameraId);
  return saveCamera(ctx, before, await storedSource(ctx, input.sourceUrl), "camera.source");
}

/** Admins: the store's camera allowlist. */
export async function getSourcePolicy({ ctx }: { ctx: Pick<StoreContext, "db" | "store"> }) {
  return { allowlist: await storeAllowlist(ctx.db, ctx.store.id) };
}

/**
 * Admins: replaces the store's camera allowlist. Cameras already saved are not re-checked here: the agent
 * checks every source against the current list each time it (re)starts a camera. Audited.
 */
export async function setSourcePolicy({ ctx, input }: { ctx: Ctx; input: SetSourcePolicyInput }) {
  const before = await storeAllowlist(ctx.db, ctx.store.id);
  const allowlist = [...new Set(input.allowlist)];
  await ctx.db.$transaction(async (tx) => {
    await tx.cameraSourcePolicy.upsert({
      where: { storeId: ctx.store.id },
      create: { storeId: ctx.store.id, allowlist },
      update: { allowlist },
    });
    await writeAudit(tx, {
      storeId: ctx.store.id,
      userId: ctx.user.id,
      action: "camera.sourcePolicy",
      entity: "Store",
      entityId: ctx.store.id,
      before: { allowlist: before },
      after: { allowlist },
    });
  });
  return { allowlist };
}
