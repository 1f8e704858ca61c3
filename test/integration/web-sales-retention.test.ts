import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXPRESSIONS } from "@shelf/core";
import { createDb, type Db } from "@shelf/db";
import type { SessionUser } from "../../packages/api/src/auth/session-user.ts";
import { deleteExpiredData } from "@shelf/db";
import { type HeldReadings, LiveWindow } from "../../packages/api/src/live/window.ts";
import { testDatabaseUrl } from "../setup/env.ts";
import {
  addRollups,
  callerAs,
  createUser,
  createWebStore,
  dropWebStore,
  type WebStore,
} from "../support/web-fixtures.ts";

describe("sales import", () => {
  const db: Db = createDb({ url: testDatabaseUrl() });
  let s: WebStore;
  let merch: SessionUser;

  beforeAll(async () => {
    s = await createWebStore(db, { k: 5 });
    merch = await createUser(db, { role: "merchandiser", storeId: s.store.id });
  });

  afterAll(async () => {
    await db.user.delete({ where: { id: merch.id } });
    await dropWebStore(db, s);
    await db.$disconnect();
  });

  it("imports a good file, days in the store's time zone, and shows sales against emotion", async () => {
    const api = callerAs(db, merch);
    const sku = s.items.crisps.sku;
    const csv = [
      "SKU,Period Start,Units,Revenue,Currency",
      `${sku},2026-11-02,10,24.90,EUR`,
      `${sku},2026-11-03,4,9.96,EUR`,
      `${sku},2026-11-04,12,29.88,EUR`,
      `${s.items.cola.sku},2026-11-02T09:00,3,4.50,`,
    ].join("\r\n");
    const result = await api.sales.import({ storeSlug: s.store.slug, csv });
    expect(result).toMatchObject({ ok: true, rows: 4, items: 2 });
    const first = await db.salesRecord.findFirstOrThrow({
      where: { storeId: s.store.id, itemId: s.items.crisps.id },
      orderBy: { periodStart: "asc" },
    });
    // Midnight in Berlin (UTC+1), one day long.
    expect(first.periodStart.toISOString()).toBe("2026-11-01T23:00:00.000Z");
    expect(first.periodEnd.toISOString()).toBe("2026-11-02T23:00:00.000Z");
    expect(first.revenueMinor).toBe(2490);
    const cola = await db.salesRecord.findFirstOrThrow({
      where: { storeId: s.store.id, itemId: s.items.cola.id },
    });
    expect(cola.periodEnd.getTime() - cola.periodStart.getTime()).toBe(3_600_000);

    // Emotion of the same days: rejected more on the day fewer were sold.
    const day = (iso: string) => new Date(iso);
    await addRollups(db, {
      storeId: s.store.id,
      zoneId: s.zones.snacks,
      itemId: s.items.crisps.id,
      hour: day("2026-11-02T10:00:00Z"),
      counts: { happy: 9, disgust: 1 },
    });
    await addRollups(db, {
      storeId: s.store.id,
      zoneId: s.zones.snacks,
      itemId: s.items.crisps.id,
      hour: day("2026-11-03T10:00:00Z"),
      counts: { happy: 4, disgust: 6 },
    });
    await addRollups(db, {
      storeId: s.store.id,
      zoneId: s.zones.snacks,
      itemId: s.items.crisps.id,
      hour: day("2026-11-04T10:00:00Z"),
      counts: { happy: 10 },
    });
    const report = await api.reports.itemReport({
      storeSlug: s.store.slug,
      itemId: s.items.crisps.id,
      from: day("2026-11-01T00:00:00Z"),
      to: day("2026-11-08T00:00:00Z"),
    });
    expect(report.sales.map((p) => [p.units, p.n, p.rejection?.rate])).toEqual([
      [10, 10, 0.1],
      [4, 10, 0.6],
      [12, 10, 0],
    ]);
    // Three overlapping days: too few for a correlation, however strong it looks.
    expect(report.salesCorrelation).toEqual({ r: null, periods: 3, needed: 10 });
    expect(report.salesBucket).toBe("day");

    // Importing the same periods again replaces them.
    const again = await api.sales.import({
      storeSlug: s.store.slug,
      csv: `sku,period_start,units,revenue\n${sku},2026-11-02,11,27.39`,
    });
    expect(again.ok).toBe(true);
    expect(await db.salesRecord.count({ where: { storeId: s.store.id, itemId: s.items.crisps.id } })).toBe(3);
    const overview = await api.sales.overview({ storeSlug: s.store.slug });
    expect(overview.find((o) => o.item.id === s.items.crisps.id)).toMatchObject({
      periods: 3,
      units: 27,
      revenueMinor: 2739 + 996 + 2988,
    });
    expect(await db.auditLog.count({ where: { storeId: s.store.id, action: "sales.import" } })).toBe(2);
  });

  it("rolls hourly and daily sales up to the report's bucket and correlates from ten periods on", async () => {
    const api = callerAs(db, merch);
    const sku = s.items.peanuts.sku;
    // Ten Berlin days in December: a whole-day record on odd days, two hourly ones on even days.
    const lines = ["sku,period_start,period_end,units,revenue"];
    for (let d = 1; d <= 10; d++) {
      const day = `2026-12-${String(d).padStart(2, "0")}`;
      if (d % 2) lines.push(`${sku},${day},,${20 - d},1.00`);
      else
        lines.push(
          `${sku},${day}T09:00,${day}T10:00,${10 - d},1.00`,
          `${sku},${day}T15:00,${day}T16:00,10,1.00`,
        );
    }
    expect(await api.sales.import({ storeSlug: s.store.slug, csv: lines.join("\n") })).toMatchObject({
      ok: true,
    });
    for (let d = 1; d <= 10; d++)
      await addRollups(db, {
        storeId: s.store.id,
        zoneId: s.zones.snacks,
        itemId: s.items.peanuts.id,
        hour: new Date(`2026-12-${String(d).padStart(2, "0")}T10:00:00Z`),
        counts: { happy: 10 - (d % 5), disgust: d % 5 },
      });
    const input = {
      storeSlug: s.store.slug,
      itemId: s.items.peanuts.id,
      from: new Date("2026-12-01T00:00:00Z"),
      to: new Date("2026-12-11T00:00:00Z"),
    };
    const daily = await api.reports.itemReport(input);
    expect(daily.salesBucket).toBe("day");
    // One period per day, never a day next to an hour.
    expect(daily.sales).toHaveLength(10);
    expect(daily.sales.map((p) => p.units)).toEqual([19, 18, 17, 16, 15, 14, 13, 12, 11, 10]);
    expect(daily.sales.map((p) => p.records)).toEqual([1, 2, 1, 2, 1, 2, 1, 2, 1, 2]);
    for (const p of daily.sales) expect(p.periodEnd.getTime() - p.periodStart.getTime()).toBe(86_400_000);
    expect(daily.sales.map((p) => p.rejection?.rate)).toEqual([0.1, 0.2, 0.3, 0.4, 0, 0.1, 0.2, 0.3, 0.4, 0]);
    expect(daily.salesCorrelation.periods).toBe(10);
    expect(daily.salesCorrelation.r).not.toBeNull();
    expect(daily.salesCorrelation.r!).toBeCloseTo(0, 0);

    // An hourly report cannot split a day's sales into hours: the sales stay per day.
    const hourly = await api.reports.itemReport({ ...input, bucket: "hour" });
    expect(hourly.bucket).toBe("hour");
    expect(hourly.salesBucket).toBe("day");
    expect(hourly.sales.map((p) => p.units)).toEqual(daily.sales.map((p) => p.units));
  });

  it("refuses a malformed file whole, naming each bad line", async () => {
    const api = callerAs(db, merch);
    const before = await db.salesRecord.count({ where: { storeId: s.store.id } });
    const csv = [
      "sku,period_start,period_end,units,revenue",
      `${s.items.peanuts.sku},2026-11-05,,3,4.50`,
      `${s.items.peanuts.sku},05/11/2026,,3,4.50`,
      `NOPE-${s.tag},2026-11-05,,3,4.50`,
      `${s.items.peanuts.sku},2026-11-06,,-2,4.50`,
      `${s.items.peanuts.sku},2026-11-07,2026-11-06,2,1.999`,
      `${s.items.peanuts.sku},2026-11-05,,1,1.00`,
    ].join("\n");
    const result = await api.sales.import({ storeSlug: s.store.slug, csv });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => e.line)).toEqual([3, 4, 5, 6, 7]);
    expect(result.errors[0]!.message).toMatch(/period_start "05\/11\/2026"/);
    expect(result.errors.find((e) => e.line === 4)!.message).toMatch(/no product with SKU/);
    expect(result.errors.find((e) => e.line === 7)!.message).toMatch(/twice/);
    expect(await db.salesRecord.count({ where: { storeId: s.store.id } })).toBe(before);
    const noHeader = await api.sales.import({ storeSlug: s.store.slug, csv: "a,b\n1,2" });
    expect(noHeader).toMatchObject({
      ok: false,
      errors: [
        { line: 1, message: expect.stringMatching(/missing columns: sku, period_start, units, revenue/) },
      ],
    });
  });
});

describe("retention job", () => {
  const db: Db = createDb({ url: testDatabaseUrl() });
  let s: WebStore;

  beforeAll(async () => {
    s = await createWebStore(db);
    await db.storeSettings.update({ where: { storeId: s.store.id }, data: { retentionDays: 30 } });
  });

  afterAll(async () => {
    await dropWebStore(db, s);
    await db.$disconnect();
  });

  it("deletes interactions and survey responses past the store's retention, keeps rollups, audits", async () => {
    const now = new Date("2026-11-20T12:00:00Z");
    const at = (days: number) => new Date(now.getTime() - days * 86_400_000);
    const interaction = (id: string, startedAt: Date) => ({
      id,
      storeId: s.store.id,
      cameraId: s.cameraId,
      zoneId: s.zones.snacks,
      itemId: s.items.crisps.id,
      startedAt,
      endedAt: new Date(startedAt.getTime() + 5000),
      dwellMs: 5000,
      sampleCount: 3,
      ...Object.fromEntries(
        ["pAngry", "pDisgust", "pFear", "pHappy", "pSad", "pSurprise", "pNeutral"].map((k) => [k, 1 / 7]),
      ),
      dominant: "happy" as const,
      valence: 10,
      hesitation: false,
      negative: false,
    });
    const ids = Array.from({ length: 7 }, () => randomUUID());
    await db.interaction.createMany({
      data: [
        ...ids.slice(0, 5).map((id) => interaction(id, at(45))),
        interaction(ids[5]!, at(29)),
        interaction(ids[6]!, at(1)),
      ] as never,
    });
    await addRollups(db, {
      storeId: s.store.id,
      zoneId: s.zones.snacks,
      itemId: s.items.crisps.id,
      hour: at(45),
      counts: { happy: 5 },
    });
    const template = await db.surveyTemplate.create({ data: { itemId: s.items.crisps.id, questions: [] } });
    const response = async (createdAt: Date) => {
      const invite = await db.surveyInvite.create({
        data: {
          storeId: s.store.id,
          itemId: s.items.crisps.id,
          templateId: template.id,
          channel: "qr",
          tokenHash: randomUUID(),
          expiresAt: createdAt,
        },
      });
      return db.surveyResponse.create({
        data: {
          inviteId: invite.id,
          itemId: s.items.crisps.id,
          consentTextVersion: "v1",
          answers: {},
          freeText: "too salty",
          createdAt,
        },
      });
    };
    const old = await response(at(40));
    const recent = await response(at(2));

    const [result] = await deleteExpiredData(db, { now, storeId: s.store.id, batchSize: 2 });
    expect(result).toMatchObject({ storeId: s.store.id, interactions: 5, surveyResponses: 1 });
    expect(result!.cutoff.toISOString()).toBe(at(30).toISOString());
    expect(
      (await db.interaction.findMany({ where: { storeId: s.store.id }, select: { id: true } }))
        .map((i) => i.id)
        .sort(),
    ).toEqual(ids.slice(5).sort());
    expect(await db.surveyResponse.findUnique({ where: { id: old.id } })).toBeNull();
    expect(await db.surveyResponse.findUnique({ where: { id: recent.id } })).not.toBeNull();
    expect(await db.hourlyRollup.count({ where: { storeId: s.store.id } })).toBe(1);
    expect(
      await db.auditLog.findFirst({ where: { storeId: s.store.id, action: "retention.delete" } }),
    ).toMatchObject({
      after: expect.objectContaining({ interactions: 5, surveyResponses: 1, retentionDays: 30 }),
    });
    // Idempotent.
    const [again] = await deleteExpiredData(db, { now, storeId: s.store.id });
    expect(again).toMatchObject({ interactions: 0, surveyResponses: 0 });
  });
});

describe("live window", () => {
  it("aggregates the last minutes per zone and hides zones below k", () => {
    const w = new LiveWindow(60_000, 0);
    const t = 1_000_000;
    for (let i = 0; i < 5; i++)
      w.add({ id: `a${i}`, zoneId: "a", dominant: i < 2 ? "disgust" : "happy", negative: i < 2, at: t + i });
    w.add({ id: "b0", zoneId: "b", dominant: "happy", negative: false, at: t });
    w.setNow("b", 2, [0, 0, 0, 3, 0, 0, 1], t);
    w.setNow("a", 5, [2, 0, 0, 2, 0, 0, 0], t);
    const [a, b] = w.stats(["a", "b"], 5, t + 10);
    // Right now: only how many shoppers (their expressions would show one person by difference).
    expect(a).toMatchObject({ zoneId: "a", n: 5, negativeShare: 0.4, now: { shoppers: 5, mix: null } });
    expect(a!.mix!.happy).toBeCloseTo(0.6);
    expect(EXPRESSIONS.reduce((sum, e) => sum + a!.mix![e], 0)).toBeCloseTo(1);
    expect(b).toEqual({ zoneId: "b", n: 1, mix: null, negativeShare: null, now: { shoppers: 2, mix: null } });
    expect(w.evict(t + 60_002)).toBe(true);
    expect(w.stats(["a", "b"], 5, t + 60_002).map((z) => z.n)).toEqual([5, 1]);
    expect(w.stats(["b"], 1, t + 60_002)[0]!.now).toBeNull();
  });

  it("holds a zone's reading until k interactions joined or left it, and delays new ones", () => {
    const w = new LiveWindow(15 * 60_000, 60_000);
    const t = 10_000_000;
    for (let i = 0; i < 5; i++)
      w.add({ id: `h${i}`, zoneId: "a", dominant: "happy", negative: false, at: t + i });
    const first = w.stats(["a"], 5, t + 61_000)[0]!;
    expect(first).toMatchObject({ n: 5, negativeShare: 0 });
    // One more shopper: the reading does not move (it would show that shopper's expression).
    w.add({ id: "d0", zoneId: "a", dominant: "disgust", negative: true, at: t + 70_000 });
    w.add({ id: "d0", zoneId: "a", dominant: "disgust", negative: true, at: t + 70_000 }); // counted once
    expect(w.stats(["a"], 5, t + 140_000)[0]).toEqual(first);
    // Four more: k changes since the last reading, which now moves.
    for (let i = 1; i < 5; i++)
      w.add({ id: `d${i}`, zoneId: "a", dominant: "disgust", negative: true, at: t + 80_000 + i });
    expect(w.stats(["a"], 5, t + 100_000)[0]).toEqual(first); // still within the delay
    expect(w.stats(["a"], 5, t + 150_000)[0]).toMatchObject({ n: 10, negativeShare: 0.5 });
  });

  it("shares held readings between the live views of a store (opening the view again shows no fresh reading)", () => {
    const held: HeldReadings = new Map();
    const t = 10_000_000;
    const first = new LiveWindow(15 * 60_000, 0, held);
    for (let i = 0; i < 5; i++)
      first.add({ id: `h${i}`, zoneId: "a", dominant: "happy", negative: false, at: t + i });
    expect(first.stats(["a"], 5, t + 10)[0]!.n).toBe(5);
    const again = new LiveWindow(15 * 60_000, 0, held);
    for (let i = 0; i < 6; i++)
      again.add({
        id: i < 5 ? `h${i}` : "x",
        zoneId: "a",
        dominant: i < 5 ? "happy" : "angry",
        negative: i === 5,
        at: t + i,
      });
    expect(again.stats(["a"], 5, t + 20)[0]).toMatchObject({ n: 5, negativeShare: 0 });
  });
});
