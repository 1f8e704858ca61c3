import { randomBytes, randomUUID } from "node:crypto";
import { EXPRESSIONS, estimateHomography, type Expression } from "@shelf/core";
import { rebuildRollupsFromHours, type Db, type Role } from "@shelf/db";
import { createPasswordUser } from "../../packages/api/src/auth/users.ts";
import type { SessionUser } from "../../packages/api/src/auth/session-user.ts";
import { createCaller } from "../../packages/api/src/root.ts";
import type { RescoreRequester } from "../../packages/api/src/flags/rescore.ts";

/** Password of every fixture account. */
export const FIXTURE_PASSWORD = "fixture-password-1";

export interface WebStore {
  tag: string;
  store: { id: string; slug: string; name: string; timezone: string };
  planId: string;
  cameraId: string;
  zones: { snacks: string; drinks: string; staff: string };
  items: {
    crisps: { id: string; sku: string };
    peanuts: { id: string; sku: string };
    cola: { id: string; sku: string };
  };
}

/** A store of its own (unique slug, SKUs and category), so tests never meet each other's data. */
export async function createWebStore(
  db: Db,
  opts: { timezone?: string; k?: number; minSample?: number } = {},
): Promise<WebStore> {
  const tag = randomBytes(4).toString("hex");
  const store = await db.store.create({
    data: {
      slug: `web-${tag}`,
      name: `Web Test Market ${tag}`,
      timezone: opts.timezone ?? "Europe/Berlin",
      settings: { create: { kAnonymity: opts.k ?? 5, minSample: opts.minSample ?? 10 } },
    },
    select: { id: true, slug: true, name: true, timezone: true },
  });
  const plan = await db.floorPlan.create({
    data: { storeId: store.id, name: "Ground floor", widthM: 12, heightM: 8 },
  });
  const rect = (x0: number, y0: number, x1: number, y1: number) => [
    { x: x0, y: y0 },
    { x: x1, y: y0 },
    { x: x1, y: y1 },
    { x: x0, y: y1 },
  ];
  const zone = (name: string, polygon: { x: number; y: number }[], staffOnly = false) =>
    db.shelfZone.create({ data: { storeId: store.id, floorPlanId: plan.id, name, polygon, staffOnly } });
  const snacks = await zone("Snacks", rect(2, 3.5, 6, 7));
  const drinks = await zone("Drinks", rect(6, 3.5, 10, 7));
  const staff = await zone("Stock room", rect(0, 0, 2, 2), true);
  const item = (sku: string, name: string, category: string) =>
    db.item.create({
      data: { sku: `${sku}-${tag}`, name, category: `${category}-${tag}` },
      select: { id: true, sku: true },
    });
  const crisps = await item("CRISP", "Sea-salt crisps", "snacks");
  const peanuts = await item("PEANUT", "Chilli peanuts", "snacks");
  const cola = await item("COLA", "Cola", "drinks");
  await db.planogramSlot.createMany({
    data: [
      { zoneId: snacks.id, itemId: crisps.id, start: 0, end: 0.5 },
      { zoneId: snacks.id, itemId: peanuts.id, start: 0.5, end: 1 },
      { zoneId: drinks.id, itemId: cola.id, start: 0, end: 1 },
    ],
  });
  const camera = await db.camera.create({
    data: {
      storeId: store.id,
      floorPlanId: plan.id,
      name: "Aisle cam",
      sourceUrl: "demo:face-api",
      widthPx: 640,
      heightPx: 480,
    },
  });
  const pairs = [
    { frame: { x: 0, y: 480 }, floor: { x: 3, y: 3 } },
    { frame: { x: 640, y: 480 }, floor: { x: 9, y: 3 } },
    { frame: { x: 640, y: 200 }, floor: { x: 10, y: 6 } },
    { frame: { x: 0, y: 200 }, floor: { x: 2, y: 6 } },
  ];
  const fit = estimateHomography(pairs);
  await db.calibration.create({
    data: {
      cameraId: camera.id,
      version: 1,
      pointPairs: pairs,
      homography: [...fit.homography.h],
      reprojectionRmsM: fit.reprojectionError.rmsM,
      reprojectionMaxM: fit.reprojectionError.maxM,
    },
  });
  return {
    tag,
    store,
    planId: plan.id,
    cameraId: camera.id,
    zones: { snacks: snacks.id, drinks: drinks.id, staff: staff.id },
    items: { crisps, peanuts, cola },
  };
}

/** A signed-up user (email + password) with a role in a store (or none). */
export async function createUser(
  db: Db,
  opts: { role?: Role; storeId?: string; superAdmin?: boolean; label?: string } = {},
): Promise<SessionUser> {
  const tag = randomBytes(4).toString("hex");
  const user = await createPasswordUser(db, {
    email: `${opts.label ?? opts.role ?? "user"}-${tag}@test.example`,
    name: `${opts.label ?? opts.role ?? "User"} ${tag}`,
    password: FIXTURE_PASSWORD,
    isSuperAdmin: opts.superAdmin ?? false,
  });
  if (opts.role && opts.storeId)
    await db.membership.create({ data: { userId: user.id, storeId: opts.storeId, role: opts.role } });
  return user;
}

/** A tRPC caller acting as `user` (null: signed out), collecting what it would publish live. */
export function callerAs(
  db: Db,
  user: SessionUser | null,
  /** How rule changes reach the worker (`bullRescoreRequester` + a running worker); absent: not at all. */
  requestRescore?: RescoreRequester,
) {
  return createCaller({ db, user, requestRescore });
}

/**
 * Adds rollup rows, hourly, daily and the store's hourly totals (and nothing else), for an item: `counts` interactions per dominant expression in the hour
 * starting at `hour`, each with `dwellMs` dwell and `valence` valence.
 */
export async function addRollups(
  db: Db,
  opts: {
    storeId: string;
    zoneId: string;
    itemId: string | null;
    hour: Date;
    counts: Partial<Record<Expression, number>>;
    hesitations?: Partial<Record<Expression, number>>;
    dwellMs?: number;
    valence?: Partial<Record<Expression, number>>;
  },
): Promise<void> {
  const data = EXPRESSIONS.flatMap((expression) => {
    const count = opts.counts[expression] ?? 0;
    if (!count) return [];
    return [
      {
        id: randomUUID(),
        storeId: opts.storeId,
        zoneId: opts.zoneId,
        itemKey: opts.itemId ?? "",
        itemId: opts.itemId,
        hour: opts.hour,
        expression,
        count,
        hesitationCount: opts.hesitations?.[expression] ?? 0,
        dwellMsSum: BigInt(count * (opts.dwellMs ?? 4000)),
        valenceSum: count * (opts.valence?.[expression] ?? 0),
      },
    ];
  });
  await db.hourlyRollup.createMany({ data });
  // The store-local days and the store's hours the worker increments beside each hour.
  await db.$transaction((tx) => rebuildRollupsFromHours(tx, opts.storeId));
}

/** Writes the worker's rejection score for an item (as if it had just scored). */
export async function setScore(
  db: Db,
  opts: {
    storeId: string;
    itemId: string;
    n: number;
    negatives: number;
    lower: number;
    upper: number;
    windowHours?: number;
  },
): Promise<void> {
  const windowEnd = new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000);
  const windowStart = new Date(windowEnd.getTime() - (opts.windowHours ?? 168) * 3_600_000);
  const data = {
    windowStart,
    windowEnd,
    n: opts.n,
    negatives: opts.negatives,
    rate: opts.negatives / opts.n,
    lower: opts.lower,
    upper: opts.upper,
  };
  await db.rejectionScore.upsert({
    where: { storeId_itemId: { storeId: opts.storeId, itemId: opts.itemId } },
    create: { storeId: opts.storeId, itemId: opts.itemId, ...data },
    update: data,
  });
}

/** Deletes a fixture store (cascades its zones, rollups, flags…) and its products. */
export async function dropWebStore(db: Db, s: WebStore): Promise<void> {
  await db.store.delete({ where: { id: s.store.id } }).catch(() => undefined);
  await db.item.deleteMany({ where: { id: { in: Object.values(s.items).map((i) => i.id) } } });
}
