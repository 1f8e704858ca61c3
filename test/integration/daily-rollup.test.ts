import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXPRESSIONS, seededRandom } from "@shelf/core";
import { createDb, deleteExpiredData, rebuildDailyRollups, type Db } from "@shelf/db";
import { type InteractionRecord, writeInteraction } from "../../apps/worker/src/interaction-writer.ts";
import { snapToStoreDays } from "../../packages/api/src/reports/day-range.ts";
import type { DateRange } from "../../packages/api/src/reports/range.ts";
import * as now from "../../packages/api/src/reports/rollups.ts";
import * as before from "../support/hourly-rollups-reference.ts";
import { testDatabaseUrl } from "../setup/env.ts";
import {
  callerAs,
  createUser,
  createWebStore,
  dropWebStore,
  type WebStore,
} from "../support/web-fixtures.ts";

const FIRST = Date.parse("2026-02-20T00:00:00Z");
const LAST = Date.parse("2026-04-10T00:00:00Z");
/** The retention job's "now": hours before 6 March are merged into days, as production leaves them. */
const RETENTION_NOW = new Date("2026-04-10T12:00:00Z");

/**
 * Interactions over 7 weeks (US and EU daylight-saving starts inside), written by the worker's writer, so
 * HourlyRollup and DailyRollup hold what production would.
 */
async function writeVisits(db: Db, s: WebStore, n: number, seed: number): Promise<void> {
  const random = seededRandom(seed);
  const places = [
    { zoneId: s.zones.snacks, itemId: s.items.crisps.id },
    { zoneId: s.zones.snacks, itemId: s.items.peanuts.id },
    { zoneId: s.zones.drinks, itemId: s.items.cola.id },
    { zoneId: s.zones.drinks, itemId: null },
  ];
  for (let i = 0; i < n; i++) {
    const startedAt = FIRST + Math.floor(random() * (LAST - FIRST));
    const dwellMs = 500 + Math.floor(random() * 15_000);
    const record: InteractionRecord = {
      id: `daily-${s.tag}-${seed}-${i}`,
      context: {
        storeId: s.store.id,
        cameraId: s.cameraId,
        ...places[Math.floor(random() * places.length)]!,
        trackKey: `run:${i}:1`,
        calibrationVersion: 1,
      },
      startedAt,
      endedAt: startedAt + dwellMs,
      dwellMs,
      sampleCount: 3,
      meanProbs: [0.1, 0.1, 0.1, 0.3, 0.1, 0.1, 0.2],
      dominant: EXPRESSIONS[Math.floor(random() * EXPRESSIONS.length)]!,
      valence: random() * 200 - 100,
      hesitation: random() < 0.2,
      negative: false,
    };
    expect(await writeInteraction(db, record)).toBe(true);
  }
}

/** The rows of two reads, matched by their keys: counts, hesitations and dwell equal, valence sums too (to rounding). */
function expectSameSums<T extends { valenceSum: number }>(got: T[], want: T[], key: (r: T) => string): void {
  const index = (rows: T[]) => new Map(rows.map((r) => [key(r), r]));
  const [g, w] = [index(got), index(want)];
  expect(g.size).toBe(got.length);
  expect([...g.keys()].sort()).toEqual([...w.keys()].sort());
  for (const [k, row] of w) {
    const other = g.get(k)!;
    // Float sums in another order differ in the last bits only (the old query's parallel plans did too).
    expect(Math.abs(other.valenceSum - row.valenceSum)).toBeLessThanOrEqual(
      1e-9 * Math.max(1, Math.abs(row.valenceSum)),
    );
    expect({ ...other, valenceSum: 0 }).toEqual({ ...row, valenceSum: 0 });
  }
}

/** Every read the reports make, today's and the hourly-only reference, on the same data and ranges. */
async function expectSameReads(db: Db, s: WebStore): Promise<number> {
  const tz = (await db.store.findUniqueOrThrow({ where: { id: s.store.id } })).timezone;
  const day = (iso: string) => new Date(`${iso}T12:00:00Z`);
  const ranges: DateRange[] = [
    ["2026-02-18", "2026-04-12"],
    ["2026-03-01", "2026-03-31"],
    ["2026-03-05", "2026-03-09"], // US DST start, the merge horizon
    ["2026-03-27", "2026-03-30"], // EU DST start
    ["2026-03-29", "2026-03-29"],
  ].map(([from, to]) => snapToStoreDays({ from: day(from!), to: day(to!) }, tz));
  // Not whole days: read from the hours, as before.
  ranges.push({ from: new Date("2026-03-03T10:00:00Z"), to: new Date("2026-03-20T15:00:00Z") });
  const filters = [{}, { itemId: s.items.crisps.id }, { zoneId: s.zones.drinks }];
  let rows = 0;
  for (const range of ranges)
    for (const filter of filters) {
      const f = { storeId: s.store.id, ...range, ...filter };
      const byItem = await now.sumsByItem(db, f, tz);
      expectSameSums(byItem, await before.sumsByItem(db, f), (r) => `${r.itemId}|${r.expression}`);
      expectSameSums(
        await now.sumsByZoneItem(db, f, tz),
        await before.sumsByZoneItem(db, f),
        (r) => `${r.zoneId}|${r.itemId}|${r.expression}`,
      );
      for (const unit of ["day", "hour"] as const)
        expectSameSums(
          await now.sumsByBucket(db, f, unit, tz),
          await before.sumsByBucket(db, f, unit, tz),
          (r) => `${r.label}|${r.start.toISOString()}|${r.expression}`,
        );
      expectSameSums(
        await now.sumsByHourOfDay(db, f, tz),
        await before.sumsByHourOfDay(db, f, tz),
        (r) => `${r.hourOfDay}|${r.expression}`,
      );
      expectSameSums(
        await now.sumsByItemDay(db, f, tz),
        await before.sumsByItemDay(db, f, tz),
        (r) => `${r.itemId}|${r.label}|${r.expression}`,
      );
      rows += byItem.length;
    }
  return rows;
}

/** The store's DailyRollup rows, comparable (no ids). */
async function dailyRows(db: Db, storeId: string) {
  const rows = await db.dailyRollup.findMany({
    where: { storeId },
    orderBy: [{ day: "asc" }, { zoneId: "asc" }, { itemKey: "asc" }, { expression: "asc" }],
    omit: { id: true },
  });
  return rows.map((r) => ({ ...r, valenceSum: Math.round(r.valenceSum * 1e6) }));
}

describe("daily rollups: whole-day reports read DailyRollup and return what HourlyRollup gives", () => {
  const db: Db = createDb({ url: testDatabaseUrl() });
  const stores: WebStore[] = [];

  beforeAll(async () => {
    for (const [i, timezone] of ["Europe/Berlin", "America/New_York", "Asia/Kolkata"].entries()) {
      const s = await createWebStore(db, { timezone });
      stores.push(s);
      await db.storeSettings.update({ where: { storeId: s.store.id }, data: { retentionDays: 400 } });
      await writeVisits(db, s, 700, 16 + i);
      const [merged] = await deleteExpiredData(db, { now: RETENTION_NOW, storeId: s.store.id });
      expect(merged!.rollupsMerged).toBeGreaterThan(0);
    }
  });

  afterAll(async () => {
    for (const s of stores) await dropWebStore(db, s);
    await db.$disconnect();
  });

  it("the worker's daily increments are the hourly rows summed per store day", async () => {
    for (const s of stores) {
      const written = await dailyRows(db, s.store.id);
      const hourly = await db.hourlyRollup.count({ where: { storeId: s.store.id } });
      expect(written.length).toBeGreaterThan(0);
      expect(written.length).toBeLessThan(hourly);
      expect(written.reduce((n, r) => n + r.count, 0)).toBe(700);
      await db.$transaction((tx) => rebuildDailyRollups(tx, s.store.id));
      expect(await dailyRows(db, s.store.id)).toEqual(written);
    }
  });

  it("every report read is the same as before, whole days or not, in every time zone", async () => {
    for (const s of stores) expect(await expectSameReads(db, s)).toBeGreaterThan(0);
  });

  it("a store's new time zone rebuilds its days, and the reads stay the same", async () => {
    const s = stores[0]!;
    const admin = await createUser(db, { role: "admin", storeId: s.store.id });
    const days = await dailyRows(db, s.store.id);
    await callerAs(db, admin).admin.updateSettings({ storeSlug: s.store.slug, timezone: "Asia/Kolkata" });
    expect(await dailyRows(db, s.store.id)).not.toEqual(days);
    expect(await expectSameReads(db, s)).toBeGreaterThan(0);
    // And the worker's next visits land on the new zone's days.
    await writeVisits(db, s, 50, 99);
    const written = await dailyRows(db, s.store.id);
    await db.$transaction((tx) => rebuildDailyRollups(tx, s.store.id));
    expect(await dailyRows(db, s.store.id)).toEqual(written);
  });
});
