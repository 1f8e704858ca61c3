import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, deleteExpiredData, rebuildDailyRollups, type Db } from "@shelf/db";
import { testDatabaseUrl } from "../setup/env.ts";
import { expectSameReads, RETENTION_NOW, writeVisits } from "../support/rollup-equality.ts";
import {
  callerAs,
  createUser,
  createWebStore,
  dropWebStore,
  type WebStore,
} from "../support/web-fixtures.ts";

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
