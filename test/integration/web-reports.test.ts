import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { wilsonInterval } from "@shelf/core";
import { createDb, type Db } from "@shelf/db";
import type { SessionUser } from "../../packages/api/src/auth/session-user.ts";
import { testDatabaseUrl } from "../setup/env.ts";
import {
  addRollups,
  callerAs,
  createUser,
  createWebStore,
  dropWebStore,
  type WebStore,
} from "../support/web-fixtures.ts";

/** Reports read the hourly rollups in the store's time zone and hide every cell with fewer than k interactions. */
describe("report procedures", () => {
  const db: Db = createDb({ url: testDatabaseUrl() });
  let s: WebStore;
  let merch: SessionUser;
  // A fixed week in the store's zone (Europe/Berlin, UTC+1 in November).
  const from = new Date("2026-11-01T00:00:00Z");
  const to = new Date("2026-11-08T00:00:00Z");
  const h = (iso: string) => new Date(iso);

  beforeAll(async () => {
    s = await createWebStore(db, { k: 5 });
    merch = await createUser(db, { role: "merchandiser", storeId: s.store.id });
    // Crisps: 6 interactions, 2 disgust (negative), one hesitating neutral; 23:00 UTC is midnight in Berlin.
    await addRollups(db, {
      storeId: s.store.id,
      zoneId: s.zones.snacks,
      itemId: s.items.crisps.id,
      hour: h("2026-11-02T23:00:00Z"),
      counts: { happy: 3, disgust: 2, neutral: 1 },
      hesitations: { neutral: 1 },
      dwellMs: 5000,
      valence: { happy: 60, disgust: -70, neutral: 0 },
    });
    // Peanuts: 3 interactions, below k = 5.
    await addRollups(db, {
      storeId: s.store.id,
      zoneId: s.zones.snacks,
      itemId: s.items.peanuts.id,
      hour: h("2026-11-03T10:00:00Z"),
      counts: { angry: 3 },
    });
    // Complementary suppression hides the smallest shown cell next to a hidden one, so a shown total minus
    // the shown cells never gives peanuts' 3 away: cola (5, another hour) and 5 interactions at no product
    // of the snacks zone (at crisps' hour) are those cells here, and crisps stays shown.
    await addRollups(db, {
      storeId: s.store.id,
      zoneId: s.zones.drinks,
      itemId: s.items.cola.id,
      hour: h("2026-11-03T12:00:00Z"),
      counts: { happy: 5 },
    });
    await addRollups(db, {
      storeId: s.store.id,
      zoneId: s.zones.snacks,
      itemId: null,
      hour: h("2026-11-02T23:00:00Z"),
      counts: { surprise: 5 },
    });
    // Outside the range: never counted.
    await addRollups(db, {
      storeId: s.store.id,
      zoneId: s.zones.snacks,
      itemId: s.items.crisps.id,
      hour: h("2026-10-20T10:00:00Z"),
      counts: { angry: 50 },
    });
  });

  afterAll(async () => {
    await db.user.delete({ where: { id: merch.id } });
    await dropWebStore(db, s);
    await db.$disconnect();
  });

  it("summarises products over a range, hiding mixes below k", async () => {
    const r = await callerAs(db, merch).reports.itemSummaries({ storeSlug: s.store.slug, from, to });
    expect(r.k).toBe(5);
    const crisps = r.items.find((i) => i.itemId === s.items.crisps.id)!;
    expect(crisps.n).toBe(6);
    expect(crisps.hidden).toBe(false);
    expect(crisps.mix!.happy).toBeCloseTo(0.5);
    expect(crisps.meanValence).toBeCloseTo((3 * 60 - 2 * 70) / 6);
    expect(crisps.meanDwellMs).toBe(5000);
    const expected = wilsonInterval(2, 6);
    expect(crisps.rejection).toMatchObject({ negatives: 2, rate: 2 / 6 });
    expect(crisps.rejection!.lower).toBeCloseTo(expected.lower);
    const peanuts = r.items.find((i) => i.itemId === s.items.peanuts.id)!;
    expect(peanuts).toMatchObject({ n: 3, hidden: true, mix: null, rejection: null, meanValence: null });
    // Shown, cola (the smallest) would give peanuts away by subtraction from the products' total.
    const cola = r.items.find((i) => i.itemId === s.items.cola.id)!;
    expect(cola).toMatchObject({ n: 5, hidden: true, mix: null });
  });

  it("counts hesitations as rejections when the store says so", async () => {
    await db.storeSettings.update({ where: { storeId: s.store.id }, data: { includeHesitation: true } });
    try {
      const r = await callerAs(db, merch).reports.itemSummaries({ storeSlug: s.store.slug, from, to });
      expect(r.items.find((i) => i.itemId === s.items.crisps.id)!.rejection!.negatives).toBe(3);
    } finally {
      await db.storeSettings.update({ where: { storeId: s.store.id }, data: { includeHesitation: false } });
    }
  });

  it("buckets a product's trend by the store's local day and hour", async () => {
    const days = await callerAs(db, merch).reports.itemReport({
      storeSlug: s.store.slug,
      itemId: s.items.crisps.id,
      from,
      to,
      bucket: "day",
    });
    expect(days.series.map((p) => [p.label, p.n])).toEqual([["2026-11-03", 6]]);
    expect(days.series[0]!.start.toISOString()).toBe("2026-11-02T23:00:00.000Z");
    expect(days.totals.n).toBe(6);
    const hours = await callerAs(db, merch).reports.itemReport({
      storeSlug: s.store.slug,
      itemId: s.items.crisps.id,
      from,
      to,
      bucket: "hour",
    });
    expect(hours.series.map((p) => p.label)).toEqual(["2026-11-03T00:00"]);
    await expect(
      callerAs(db, merch).reports.itemReport({
        storeSlug: s.store.slug,
        itemId: s.items.crisps.id,
        from: new Date("2026-01-01"),
        to,
        bucket: "hour",
      }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(
      callerAs(db, merch).reports.itemReport({ storeSlug: s.store.slug, itemId: "no-such-item", from, to }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("stacks hours of the day by expression, totals only below k", async () => {
    const r = await callerAs(db, merch).reports.hourOfDay({ storeSlug: s.store.slug, from, to });
    expect(r.hours).toHaveLength(24);
    expect(r.hours[0]).toMatchObject({ hour: 0, n: 11 });
    expect(r.hours[0]!.counts).toMatchObject({ happy: 3, disgust: 2, neutral: 1, surprise: 5 });
    expect(r.hours[11]).toEqual({ hour: 11, n: 3, counts: null }); // 10:00 UTC = 11:00 Berlin, 3 < k
    expect(r.hours[13]).toEqual({ hour: 13, n: 5, counts: null }); // hidden with it (complementary)
    const visits = await callerAs(db, merch).reports.dailyVisits({ storeSlug: s.store.slug, from, to });
    expect(visits.days.map((d) => [d.day, d.visits])).toEqual([["2026-11-03", 19]]);
  });

  it("maps zones by rejection and heats only cells with at least k interactions", async () => {
    const all = await callerAs(db, merch).reports.storeMap({ storeSlug: s.store.slug, from, to });
    expect(all.floorPlan).toMatchObject({ widthM: 12, heightM: 8 });
    const snacks = all.zones.find((z) => z.id === s.zones.snacks)!;
    expect(snacks.n).toBe(14);
    expect(snacks.rejection!.negatives).toBe(5); // 2 disgust + 3 angry
    expect(snacks.items.find((i) => i.itemId === s.items.peanuts.id)).toMatchObject({ n: 3, hidden: true });
    expect(all.zones.find((z) => z.id === s.zones.staff)).toMatchObject({ staffOnly: true, n: 0 });
    // In the snacks zone only crisps (6 ≥ k) heats the map, at the middle of its slot, stepped into the
    // aisle (the 5 at no product are hidden next to peanuts); cola heats the drinks zone.
    const snacksHeat = all.heat.filter((p) => p.zoneId === s.zones.snacks);
    expect(snacksHeat).toHaveLength(1);
    expect(snacksHeat[0]).toMatchObject({ itemId: s.items.crisps.id, weight: 6 });
    expect(snacksHeat[0]!.x).toBeGreaterThan(2);
    expect(snacksHeat[0]!.x).toBeLessThan(4);
    expect(all.heat.filter((p) => p.zoneId === s.zones.drinks)).toMatchObject([{ itemId: s.items.cola.id }]);
    const disgust = await callerAs(db, merch).reports.storeMap({
      storeSlug: s.store.slug,
      from,
      to,
      expressions: ["disgust"],
    });
    expect(disgust.heat[0]!.weight).toBe(2);
    const fear = await callerAs(db, merch).reports.storeMap({
      storeSlug: s.store.slug,
      from,
      to,
      expressions: ["fear"],
    });
    expect(fear.heat).toEqual([]);
  });

  it("gives the map's 'negative only' filter the store's own negative set, the one its rejections use", async () => {
    const map = () => callerAs(db, merch).reports.storeMap({ storeSlug: s.store.slug, from, to });
    expect((await map()).negativeExpressions).toEqual(["angry", "disgust"]);
    await db.storeSettings.update({
      where: { storeId: s.store.id },
      data: { negativeExpressions: ["sad", "disgust"] },
    });
    try {
      const narrowed = await map();
      expect(narrowed.negativeExpressions).toEqual(["disgust", "sad"]); // EXPRESSIONS order
      // The same set counts the zone's rejections: the 3 angry visits no longer do.
      expect(narrowed.zones.find((z) => z.id === s.zones.snacks)!.rejection!.negatives).toBe(2);
    } finally {
      await db.storeSettings.update({
        where: { storeId: s.store.id },
        data: { negativeExpressions: ["disgust", "angry"] },
      });
    }
  });

  it("ranks flagged products by the certainty of their rejection, with the reason", async () => {
    const base = { storeId: s.store.id, threshold: 0.2, thresholdLevel: "global", windowHours: 168 };
    await db.flag.create({
      data: { ...base, itemId: s.items.crisps.id, rate: 0.4, lower: 0.25, upper: 0.55, n: 40, negatives: 16 },
    });
    await db.flag.create({
      data: { ...base, itemId: s.items.cola.id, rate: 0.6, lower: 0.45, upper: 0.75, n: 40, negatives: 24 },
    });
    await db.flag.create({
      data: {
        ...base,
        itemId: s.items.peanuts.id,
        rate: 0.5,
        lower: 0.3,
        upper: 0.7,
        n: 3,
        negatives: 2,
        clearedAt: new Date(),
      },
    });
    const r = await callerAs(db, merch).reports.flaggedItems({ storeSlug: s.store.slug });
    expect(r.open.map((f) => f.item.id)).toEqual([s.items.cola.id, s.items.crisps.id]);
    expect(r.open[0]!.reason).toMatchObject({ lower: 0.45, threshold: 0.2, thresholdLevel: "global", n: 40 });
    expect(r.cleared).toHaveLength(1);
    expect(r.cleared[0]!.reason).toBeNull(); // n = 3 < k
    const summaries = await callerAs(db, merch).reports.itemSummaries({ storeSlug: s.store.slug, from, to });
    expect(
      summaries.items
        .filter((i) => i.flagged)
        .map((i) => i.itemId)
        .sort(),
    ).toEqual([s.items.cola.id, s.items.crisps.id].sort());
  });
});
