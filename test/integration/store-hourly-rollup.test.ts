import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { cpSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXPRESSIONS } from "@shelf/core";
import { createDb, deleteExpiredData, rebuildStoreHourlyRollups, type Db } from "@shelf/db";
import * as now from "../../packages/api/src/reports/rollups.ts";
import { ROOT, testDatabaseUrl } from "../setup/env.ts";
import {
  expectSameReads,
  expectSameSums,
  FIRST,
  RETENTION_NOW,
  writeVisits,
} from "../support/rollup-equality.ts";
import {
  callerAs,
  createUser,
  createWebStore,
  dropWebStore,
  type WebStore,
} from "../support/web-fixtures.ts";

const MIGRATION = "20261201100500_store_hourly_rollup";

/** A store's StoreHourlyRollup rows, comparable (no ids; valence to 1e-6). */
async function totalRows(db: Db, storeId: string) {
  const rows = await db.storeHourlyRollup.findMany({
    where: { storeId },
    orderBy: [{ hour: "asc" }, { expression: "asc" }],
    omit: { id: true },
  });
  return rows.map((r) => ({ ...r, valenceSum: Math.round(r.valenceSum * 1e6) }));
}

/** A store's HourlyRollup rows summed over zones and items, as totalRows shows them. */
async function hourlySums(db: Db, storeId: string) {
  const rows = await db.$queryRaw<
    {
      storeId: string;
      hour: Date;
      expression: string;
      count: number;
      hesitationCount: number;
      dwellMsSum: bigint;
      valenceSum: number;
    }[]
  >`
    SELECT "storeId", hour, expression, SUM(count)::int AS count, SUM("hesitationCount")::int AS "hesitationCount",
      SUM("dwellMsSum")::bigint AS "dwellMsSum", SUM("valenceSum") AS "valenceSum"
    FROM "HourlyRollup" WHERE "storeId" = ${storeId}
    GROUP BY "storeId", hour, expression ORDER BY hour, expression`;
  return rows.map((r) => ({ ...r, valenceSum: Math.round(r.valenceSum * 1e6) }));
}

describe("store hourly rollups: store-wide time-bucketed reads read StoreHourlyRollup and return what HourlyRollup gives", () => {
  const db: Db = createDb({ url: testDatabaseUrl() });
  const stores: WebStore[] = [];

  beforeAll(async () => {
    for (const [i, timezone] of ["Europe/Berlin", "America/New_York", "Asia/Kolkata"].entries()) {
      const s = await createWebStore(db, { timezone });
      stores.push(s);
      await db.storeSettings.update({ where: { storeId: s.store.id }, data: { retentionDays: 400 } });
      await writeVisits(db, s, 700, 26 + i);
      const [merged] = await deleteExpiredData(db, { now: RETENTION_NOW, storeId: s.store.id });
      expect(merged!.rollupsMerged).toBeGreaterThan(0);
    }
  });

  afterAll(async () => {
    for (const s of stores) await dropWebStore(db, s);
    await db.$disconnect();
  });

  it("the worker's increments and the retention merge leave the hourly rows summed per store hour", async () => {
    for (const s of stores) {
      const written = await totalRows(db, s.store.id);
      expect(written.length).toBeGreaterThan(0);
      expect(written.length).toBeLessThan(await db.hourlyRollup.count({ where: { storeId: s.store.id } }));
      expect(written.reduce((n, r) => n + r.count, 0)).toBe(700);
      expect(written).toEqual(await hourlySums(db, s.store.id));
      await db.$transaction((tx) => rebuildStoreHourlyRollups(tx, s.store.id));
      expect(await totalRows(db, s.store.id)).toEqual(written);
    }
  });

  it("every report read is the same as before, in every time zone", async () => {
    for (const s of stores) expect(await expectSameReads(db, s)).toBeGreaterThan(0);
  });

  it("the store-wide reads come from StoreHourlyRollup alone", async () => {
    const s = stores[1]!;
    const f = { storeId: s.store.id, from: new Date(FIRST - 86_400_000), to: RETENTION_NOW };
    const tz = s.store.timezone;
    const read = async () => ({
      hod: await now.sumsByHourOfDay(db, f, tz),
      hours: await now.sumsByBucket(db, f, "hour", tz),
      days: await now.sumsByBucket(db, f, "day", tz),
    });
    const want = await read();
    expect(want.hod.length).toBeGreaterThan(0);
    // Without the store's cells the same reads give the same rows (rolled back).
    const rollback = new Error("rollback");
    await expect(
      db.$transaction(async (tx) => {
        await tx.hourlyRollup.deleteMany({ where: { storeId: s.store.id } });
        await tx.dailyRollup.deleteMany({ where: { storeId: s.store.id } });
        const got = {
          hod: await now.sumsByHourOfDay(tx, f, tz),
          hours: await now.sumsByBucket(tx, f, "hour", tz),
          days: await now.sumsByBucket(tx, f, "day", tz),
        };
        expectSameSums(got.hod, want.hod, (r) => `${r.hourOfDay}|${r.expression}`);
        expectSameSums(got.hours, want.hours, (r) => `${r.label}|${r.expression}`);
        expectSameSums(got.days, want.days, (r) => `${r.label}|${r.expression}`);
        // A zone or item filter still reads the cells.
        expect(await now.sumsByHourOfDay(tx, { ...f, zoneId: s.zones.snacks }, tz)).toEqual([]);
        throw rollback;
      }),
    ).rejects.toBe(rollback);
  });

  it("deleting a zone takes its hours out of the store's totals, and the reads stay the same", async () => {
    const s = stores[2]!;
    const staff = await createUser(db, { role: "staff", storeId: s.store.id });
    const drinks = await db.hourlyRollup.count({ where: { zoneId: s.zones.drinks } });
    expect(drinks).toBeGreaterThan(0);
    await callerAs(db, staff).zones.delete({ storeSlug: s.store.slug, zoneId: s.zones.drinks });
    const left = await totalRows(db, s.store.id);
    expect(left.reduce((n, r) => n + r.count, 0)).toBeLessThan(700);
    // Hours only the zone had are gone, not left at 0.
    expect(left.every((r) => r.count > 0)).toBe(true);
    expect(left.map((r) => ({ ...r, valenceSum: 0 }))).toEqual(
      (await hourlySums(db, s.store.id)).map((r) => ({ ...r, valenceSum: 0 })),
    );
    expect(await expectSameReads(db, s)).toBeGreaterThan(0);
  });
});

/** A database of this file's own (the migration test deploys the history before StoreHourlyRollup). */
function ownDatabaseUrl(suffix: string): string {
  const url = new URL(testDatabaseUrl());
  url.pathname = `${url.pathname}_${suffix}`;
  return url.toString();
}

const migrate = path.join(ROOT, "scripts/prisma/migrate.mjs");
function run(cmd: string, url: string, env: Record<string, string> = {}): string {
  return execFileSync(process.execPath, [migrate, cmd], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: url, ...env },
    encoding: "utf8",
  });
}

describe("store hourly rollups: the retention merge", () => {
  const db: Db = createDb({ url: testDatabaseUrl() });
  const blocker: Db = createDb({ url: testDatabaseUrl(), poolMax: 1 });
  let s: WebStore;

  beforeAll(async () => {
    s = await createWebStore(db, { timezone: "Europe/Berlin" });
    await db.storeSettings.update({ where: { storeId: s.store.id }, data: { retentionDays: 400 } });
    await writeVisits(db, s, 200, 41);
  });

  afterAll(async () => {
    await dropWebStore(db, s);
    await Promise.all([db.$disconnect(), blocker.$disconnect()]);
  });

  it("outlasts Prisma's 5 s transaction default (a store's merge waited on its rows for 6 s) and merges everything", async () => {
    // Another session holds this store's StoreHourlyRollup rows for 6 s, as a slow disk or a busy chain database
    // makes a first merge last (P2028 on the first of 1,000 stores before the merge had its own timeout).
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let blocking!: Promise<unknown>;
    await new Promise<void>((locked) => {
      blocking = blocker.$transaction(
        async (tx) => {
          await tx.$queryRaw`SELECT id FROM "StoreHourlyRollup" WHERE "storeId" = ${s.store.id} FOR UPDATE`;
          locked();
          await held;
        },
        { timeout: 60_000 },
      );
    });
    const started = Date.now();
    const merging = deleteExpiredData(db, { now: RETENTION_NOW, storeId: s.store.id });
    setTimeout(release, 6_000);
    const [result] = await merging;
    await blocking;
    expect(Date.now() - started).toBeGreaterThan(5_500);
    expect(result!.rollupsMerged).toBeGreaterThan(0);
    expect(await totalRows(db, s.store.id)).toEqual(await hourlySums(db, s.store.id));
  }, 60_000);
});

describe("store hourly rollups: the migration", () => {
  const url = ownDatabaseUrl("storehourly");
  const history = mkdtempSync(path.join(tmpdir(), "shelf-migrations-"));
  let db: Db | undefined;
  const drop = () => execFileSync(process.execPath, [path.join(ROOT, "scripts/drop-database.mjs"), url]);

  afterAll(async () => {
    await db?.$disconnect();
    rmSync(history, { recursive: true, force: true });
    drop();
  });

  it("backfills every store's hourly rows summed per store hour, and leaves no drift", async () => {
    drop();
    cpSync(path.join(ROOT, "prisma/migrations"), history, { recursive: true });
    for (const name of readdirSync(history))
      if (/^\d{14}_/.test(name) && name >= MIGRATION) rmSync(path.join(history, name), { recursive: true });
    run("deploy", url, { PRISMA_MIGRATIONS_DIR: history });
    db = createDb({ url, poolMax: 2 });
    // Hourly rows as the previous version's worker and retention job leave them: two stores, every zone and
    // item (and none), hours and merged days.
    const stores = [await createWebStore(db), await createWebStore(db, { timezone: "America/New_York" })];
    const data = stores.flatMap((s, k) =>
      [
        { zoneId: s.zones.snacks, itemId: s.items.crisps.id },
        { zoneId: s.zones.snacks, itemId: s.items.peanuts.id },
        { zoneId: s.zones.drinks, itemId: null },
      ].flatMap((place, p) =>
        [0, 1, 5, 24, 25, 24 * 40].flatMap((h) =>
          EXPRESSIONS.slice(0, 3 + p).map((expression, e) => ({
            id: randomUUID(),
            storeId: s.store.id,
            zoneId: place.zoneId,
            itemKey: place.itemId ?? "",
            itemId: place.itemId,
            hour: new Date(Date.UTC(2026, 2, 1, 8 + k) + h * 3_600_000),
            expression,
            count: 1 + e + p,
            hesitationCount: e % 2,
            dwellMsSum: BigInt(1000 * (1 + e + p)),
            valenceSum: (e - 3) * 10.25 + p,
          })),
        ),
      ),
    );
    await db.hourlyRollup.createMany({ data });

    expect(run("deploy", url)).toContain(MIGRATION);
    for (const s of stores) {
      const rows = await totalRows(db, s.store.id);
      expect(rows.length).toBeGreaterThan(0);
      expect(rows).toEqual(await hourlySums(db, s.store.id));
    }
    expect(run("check", url)).toContain("No drift");
  });
});
