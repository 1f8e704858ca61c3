import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, deleteExpiredData, type Db } from "@shelf/db";
import type { SessionUser } from "../../packages/api/src/auth/session-user.ts";
import { chainOverview } from "../../packages/api/src/routers/overview/chain-overview.handler.ts";
import { testDatabaseUrl } from "../setup/env.ts";
import { chainOverviewReference } from "../support/chain-overview-reference.ts";
import { RETENTION_NOW, writeVisits } from "../support/rollup-equality.ts";
import {
  addRollups,
  createUser,
  createWebStore,
  dropWebStore,
  type WebStore,
} from "../support/web-fixtures.ts";

/**
 * The chain overview reads its stores together (a few statements for all of them): it must show exactly what
 * each store's own overview shows, merged as before (chain-overview-reference.ts), across time zones (DST
 * starts inside the periods), store rules and k, products off the planogram, flags in every state, survey
 * reasons, and rollups the retention job merged into days.
 */
describe("chain overview: stores read together, as each store's overview", () => {
  const db: Db = createDb({ url: testDatabaseUrl() });
  const stores: WebStore[] = [];
  let stray: { id: string; sku: string };
  let merchandiser: SessionUser;
  let superAdmin: SessionUser;
  let templateCategory: string;

  beforeAll(async () => {
    const zones = ["Europe/Berlin", "America/New_York", "Asia/Kolkata", "Pacific/Auckland"];
    const ks = [5, 3, 10, 5];
    for (const [i, timezone] of zones.entries())
      stores.push(await createWebStore(db, { timezone, k: ks[i]! }));
    const [berlin, newYork, kolkata, auckland] = stores as [WebStore, WebStore, WebStore, WebStore];
    // Other rules: sadness and fear count as negative in New York, and hesitation does in Auckland.
    await db.storeSettings.update({
      where: { storeId: newYork.store.id },
      data: { negativeExpressions: ["sad", "fear"] },
    });
    await db.storeSettings.update({
      where: { storeId: auckland.store.id },
      data: { includeHesitation: true },
    });
    // Visits by the worker's writer (every rollup as production keeps it), then the retention job's merge.
    for (const [i, s] of stores.entries()) {
      await writeVisits(db, s, 300 + 100 * i, 11 + i);
      await deleteExpiredData(db, { storeId: s.store.id, now: RETENTION_NOW });
    }
    // Crisps drawing disgust in Berlin and Kolkata this week; a product on no planogram seen in Berlin.
    for (const s of [berlin, kolkata])
      await addRollups(db, {
        storeId: s.store.id,
        zoneId: s.zones.snacks,
        itemId: s.items.crisps.id,
        hour: new Date("2026-03-27T10:00:00Z"),
        counts: { disgust: 30, happy: 10 },
      });
    stray = await db.item.create({
      data: { sku: `STRAY-${berlin.tag}`, name: "Stray product", category: `stray-${berlin.tag}` },
      select: { id: true, sku: true },
    });
    await addRollups(db, {
      storeId: berlin.store.id,
      zoneId: berlin.zones.drinks,
      itemId: stray.id,
      hour: new Date("2026-03-26T15:00:00Z"),
      counts: { angry: 9, neutral: 3 },
    });
    // Flags in every state.
    const flag = (s: WebStore, itemId: string, extra: object = {}) =>
      db.flag.create({
        data: {
          storeId: s.store.id,
          itemId,
          rate: 0.5,
          lower: 0.35,
          upper: 0.65,
          n: 40,
          negatives: 20,
          threshold: 0.2,
          thresholdLevel: "global",
          windowHours: 168,
          ...extra,
        },
      });
    const at = new Date("2026-03-28T09:00:00Z");
    await flag(berlin, berlin.items.crisps.id);
    await flag(berlin, berlin.items.cola.id, { acknowledgedAt: at });
    await flag(kolkata, kolkata.items.crisps.id, { acknowledgedAt: at, resolvedAt: at });
    await flag(newYork, newYork.items.peanuts.id, { clearedAt: at });
    // Survey answers: over k about crisps in Berlin and Kolkata (different top reasons), under k in New York.
    templateCategory = `chain-unused-${berlin.tag}`;
    const template = await db.surveyTemplate.create({
      data: { category: templateCategory, questions: [] },
    });
    const respond = async (s: WebStore, itemId: string, reasons: string[]) => {
      for (const [i, reason] of reasons.entries()) {
        const invite = await db.surveyInvite.create({
          data: {
            storeId: s.store.id,
            itemId,
            templateId: template.id,
            channel: "qr",
            tokenHash: randomBytes(16).toString("hex"),
            expiresAt: new Date("2026-04-01T00:00:00Z"),
            usedAt: new Date("2026-03-27T12:00:00Z"),
          },
        });
        await db.surveyResponse.create({
          data: {
            inviteId: invite.id,
            itemId,
            consentTextVersion: "v1",
            answers: { reason: [reason] },
            rating: 2,
            createdAt: new Date(Date.parse("2026-03-27T12:00:00Z") + i * 60_000),
          },
        });
      }
    };
    await respond(berlin, berlin.items.crisps.id, ["taste", "taste", "price", "taste", "quality", "taste"]);
    await respond(
      kolkata,
      kolkata.items.crisps.id,
      Array.from({ length: 12 }, (_, i) => (i % 3 ? "price" : "taste")),
    );
    await respond(newYork, newYork.items.cola.id, ["price", "price"]);

    merchandiser = await createUser(db, { role: "merchandiser", storeId: berlin.store.id });
    await db.membership.createMany({
      data: [
        { userId: merchandiser.id, storeId: newYork.store.id, role: "admin" },
        { userId: merchandiser.id, storeId: kolkata.store.id, role: "merchandiser" },
        // Staff in Auckland: not a store whose reports they read.
        { userId: merchandiser.id, storeId: auckland.store.id, role: "staff" },
      ],
    });
    superAdmin = await createUser(db, { superAdmin: true, label: "chain-admin" });
  });

  afterAll(async () => {
    await db.user.deleteMany({ where: { id: { in: [merchandiser.id, superAdmin.id] } } });
    await db.surveyTemplate.deleteMany({ where: { category: templateCategory } });
    for (const s of stores) await dropWebStore(db, s);
    await db.item.deleteMany({ where: { id: stray.id } });
    await db.$disconnect();
  });

  // The week after both DST starts (US 8 March, EU 29 March); a month reaching hours merged into days.
  const cases = [
    { now: Date.parse("2026-03-30T10:00:00Z"), days: 7, limit: 10 },
    { now: Date.parse("2026-03-30T10:00:00Z"), days: 14, limit: 2 },
    { now: Date.parse("2026-03-29T23:30:00Z"), days: 7, limit: 1 },
    { now: Date.parse("2026-04-09T20:00:00Z"), days: 30, limit: 50 },
  ];

  it.each(cases)("a merchandiser's chain at $now, $days days, top $limit", async ({ now, days, limit }) => {
    const ctx = { db, user: merchandiser };
    const got = await chainOverview({ ctx, input: { days, limit } }, now);
    expect(got).toEqual(await chainOverviewReference({ ctx, input: { days, limit } }, now));
    expect(got.stores.map((s) => s.store.id).sort()).toEqual(
      stores
        .slice(0, 3)
        .map((s) => s.store.id)
        .sort(),
    );
  });

  it("shows every part the store overviews show (so the comparison above compares something)", async () => {
    const ctx = { db, user: merchandiser };
    const got = await chainOverview({ ctx, input: { days: 7, limit: 10 } }, cases[0]!.now);
    const products = [...got.products, ...got.stores.flatMap((s) => s.top)];
    expect(products.some((p) => p.reason !== null)).toBe(true);
    expect(products.some((p) => p.flag?.status === "acknowledged")).toBe(true);
    expect(products.some((p) => p.previous !== null)).toBe(true);
    expect(products.some((p) => p.spark.some((x) => x !== null))).toBe(true);
    expect(products.some((p) => p.sku === stray.sku)).toBe(true);
    expect(got.stores.map((s) => s.k).sort()).toEqual([10, 3, 5]);
    expect(
      got.stores.reduce((n, s) => n + s.flags.new + s.flags.acknowledged + s.flags.resolvedOpen, 0),
    ).toBe(3);
  });

  it("a super admin's chain (every store in the database, up to the cap)", async () => {
    const ctx = { db, user: superAdmin };
    for (const { now, days, limit } of cases.slice(0, 2))
      expect(await chainOverview({ ctx, input: { days, limit } }, now)).toEqual(
        await chainOverviewReference({ ctx, input: { days, limit } }, now),
      );
  });
});
