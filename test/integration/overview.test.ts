import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { wilsonInterval } from "@shelf/core";
import { createDb, rebuildRollupsFromHours, type Db } from "@shelf/db";
import { DEFAULT_QUESTIONS } from "@shelf/survey-engine";
import type { SessionUser } from "../../packages/api/src/auth/session-user.ts";
import { chainOverview } from "../../packages/api/src/routers/overview/chain-overview.handler.ts";
import { storeOverview } from "../../packages/api/src/routers/overview/store-overview.handler.ts";
import { itemSummaries } from "../../packages/api/src/routers/reports/item-summaries.handler.ts";
import { testDatabaseUrl } from "../setup/env.ts";
import {
  addRollups,
  callerAs,
  createUser,
  createWebStore,
  dropWebStore,
  type WebStore,
} from "../support/web-fixtures.ts";

/** A fixed "now": 13:00 in Berlin on Sunday 15 March 2026; the current week is 9–15 March, the previous 2–8. */
const NOW = Date.parse("2026-03-15T12:00:00Z");
const at = (day: string, hourUtc = 10) => new Date(`${day}T${String(hourUtc).padStart(2, "0")}:00:00Z`);

describe("overview: what needs attention now", () => {
  const db: Db = createDb({ url: testDatabaseUrl() });
  let s: WebStore;
  let other: WebStore;
  let merchandiser: SessionUser;
  let staff: SessionUser;

  beforeAll(async () => {
    s = await createWebStore(db, { k: 5 });
    other = await createWebStore(db, { k: 5 });
    merchandiser = await createUser(db, { role: "merchandiser", storeId: s.store.id });
    // Staff in the other store: its reports are not theirs, so the chain view leaves it out.
    await db.membership.create({ data: { userId: merchandiser.id, storeId: other.store.id, role: "staff" } });
    staff = await createUser(db, { role: "staff", storeId: s.store.id });
    const base = { storeId: s.store.id, zoneId: s.zones.snacks };
    const crisps = { ...base, itemId: s.items.crisps.id };
    // Crisps: half negative on three days this week, plus a 2-interaction day (under k); 10 % last week.
    for (const day of ["2026-03-10", "2026-03-12", "2026-03-14"])
      await addRollups(db, { ...crisps, hour: at(day), counts: { happy: 20, disgust: 20 } });
    await addRollups(db, { ...crisps, hour: at("2026-03-15", 9), counts: { happy: 2 } });
    await addRollups(db, { ...crisps, hour: at("2026-03-03"), counts: { happy: 45, disgust: 5 } });
    // Cola: 5 % this week.
    await addRollups(db, {
      storeId: s.store.id,
      zoneId: s.zones.drinks,
      itemId: s.items.cola.id,
      hour: at("2026-03-11"),
      counts: { happy: 57, angry: 3 },
    });
    // Cola last week: 20 interactions, hidden as the complement of peanuts' 3 (else 3 = total − shown).
    await addRollups(db, {
      storeId: s.store.id,
      zoneId: s.zones.drinks,
      itemId: s.items.cola.id,
      hour: at("2026-03-05"),
      counts: { happy: 20 },
    });
    // Peanuts: three interactions last week only (under k).
    await addRollups(db, {
      ...base,
      itemId: s.items.peanuts.id,
      hour: at("2026-03-04"),
      counts: { happy: 3 },
    });
    // Before the previous week: not read.
    await addRollups(db, { ...crisps, hour: at("2026-03-01"), counts: { disgust: 500 } });

    // Survey answers: six about crisps (taste ×4, price ×2), two about cola (under k).
    const template = await db.surveyTemplate.create({
      data: { category: `unused-${s.tag}`, questions: DEFAULT_QUESTIONS },
    });
    const respond = async (itemId: string, reason: string) => {
      const invite = await db.surveyInvite.create({
        data: {
          storeId: s.store.id,
          itemId,
          templateId: template.id,
          channel: "qr",
          tokenHash: randomBytes(16).toString("hex"),
          expiresAt: new Date(NOW + 3_600_000),
          usedAt: new Date(NOW),
        },
      });
      await db.surveyResponse.create({
        data: {
          inviteId: invite.id,
          itemId,
          consentTextVersion: "v1",
          answers: { reason: [reason] },
          rating: 2,
        },
      });
    };
    for (const r of ["taste", "taste", "price", "taste", "price", "taste"])
      await respond(s.items.crisps.id, r);
    for (const r of ["price", "price"]) await respond(s.items.cola.id, r);
  });

  afterAll(async () => {
    await db.user.deleteMany({ where: { id: { in: [merchandiser.id, staff.id] } } });
    await db.surveyTemplate.deleteMany({ where: { category: `unused-${s.tag}` } });
    await dropWebStore(db, s);
    await dropWebStore(db, other);
    await db.$disconnect();
  });

  it("ranks products by the lower bound, with the change, sparkline and top survey reason", async () => {
    const o = await storeOverview(
      { ctx: { db, store: s.store }, input: { storeSlug: s.store.slug, days: 7, limit: 10 } },
      NOW,
    );
    expect(o.days).toEqual([
      "2026-03-09",
      "2026-03-10",
      "2026-03-11",
      "2026-03-12",
      "2026-03-13",
      "2026-03-14",
      "2026-03-15",
    ]);
    expect(o.range).toEqual({ from: new Date("2026-03-08T23:00:00Z"), to: new Date("2026-03-15T23:00:00Z") });
    expect(o.previousRange).toEqual({
      from: new Date("2026-03-01T23:00:00Z"),
      to: new Date("2026-03-08T23:00:00Z"),
    });
    expect(o.products.map((p) => p.sku)).toEqual([s.items.crisps.sku, s.items.cola.sku]);

    const [crisps, cola] = o.products;
    const want = wilsonInterval(60, 122);
    expect(crisps).toMatchObject({ n: 122, negatives: 60 });
    expect(crisps!.rejection.lower).toBeCloseTo(want.lower, 10);
    expect(crisps!.previous).toMatchObject({ n: 50, rate: 0.1 });
    expect(crisps!.change!.rate).toBeCloseTo(60 / 122 - 0.1, 10);
    // 15 March (2 interactions) is under k; one more day goes too, or it could be read off the total.
    expect(crisps!.spark).toEqual([null, null, null, 0.5, null, 0.5, null]);
    expect(crisps!.reason).toEqual({ label: "Taste or smell", count: 4, responses: 6, source: "choice" });

    expect(cola).toMatchObject({ n: 60, negatives: 3, previous: null, change: null, reason: null });
    expect(cola!.spark).toEqual([null, null, 0.05, null, null, null, null]);
  });

  it("shows a product's rate exactly when the Products page does (same suppression)", async () => {
    // Peanuts get 2 interactions this week: hidden, and the next smallest (cola) hidden with it.
    await addRollups(db, {
      storeId: s.store.id,
      zoneId: s.zones.snacks,
      itemId: s.items.peanuts.id,
      hour: at("2026-03-13"),
      counts: { happy: 2 },
    });
    try {
      const o = await storeOverview(
        { ctx: { db, store: s.store }, input: { storeSlug: s.store.slug, days: 7, limit: 10 } },
        NOW,
      );
      const page = await itemSummaries({
        ctx: { db, store: s.store },
        input: { storeSlug: s.store.slug, ...o.range },
      });
      const visible = page.items.filter((i) => !i.hidden && i.rejection).map((i) => i.sku);
      expect(o.products.map((p) => p.sku)).toEqual([s.items.crisps.sku]);
      expect(visible).toEqual([s.items.crisps.sku]);
      expect(o.hiddenProducts).toBe(2);
    } finally {
      await db.hourlyRollup.deleteMany({ where: { itemId: s.items.peanuts.id, hour: at("2026-03-13") } });
      await db.$transaction((tx) => rebuildRollupsFromHours(tx, s.store.id));
    }
  });

  it("lists open flags by workflow state", async () => {
    const flag = await db.flag.create({
      data: {
        storeId: s.store.id,
        itemId: s.items.crisps.id,
        rate: 0.5,
        lower: 0.41,
        upper: 0.59,
        n: 122,
        negatives: 60,
        threshold: 0.3,
        thresholdLevel: "global",
        windowHours: 168,
      },
    });
    try {
      let o = await storeOverview(
        { ctx: { db, store: s.store }, input: { storeSlug: s.store.slug, days: 7, limit: 10 } },
        NOW,
      );
      expect(o.flags.new.map((f) => f.flagId)).toEqual([flag.id]);
      expect(o.products[0]!.flag).toEqual({ flagId: flag.id, status: "new" });
      await callerAs(db, merchandiser).flags.acknowledge({ storeSlug: s.store.slug, flagId: flag.id });
      o = await storeOverview(
        { ctx: { db, store: s.store }, input: { storeSlug: s.store.slug, days: 7, limit: 10 } },
        NOW,
      );
      expect(o.flags.new).toEqual([]);
      expect(o.flags.acknowledged.map((f) => f.flagId)).toEqual([flag.id]);
      expect(o.flags.acknowledged[0]!.acknowledged!.by).toBe(merchandiser.name);
    } finally {
      await db.flag.delete({ where: { id: flag.id } });
    }
  });

  it("is for merchandisers and admins; the chain view holds only the stores whose reports you read", async () => {
    const err = await callerAs(db, staff)
      .overview.store({ storeSlug: s.store.slug })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TRPCError);
    expect((err as TRPCError).code).toBe("FORBIDDEN");

    const viaRouter = await callerAs(db, merchandiser).overview.store({ storeSlug: s.store.slug, days: 30 });
    expect(viaRouter.days).toHaveLength(30);

    const chain = await chainOverview(
      { ctx: { db, user: merchandiser }, input: { days: 7, limit: 10 } },
      NOW,
    );
    expect(chain.stores.map((x) => x.store.slug)).toEqual([s.store.slug]);
    expect(chain.products.map((p) => [p.store.slug, p.sku])).toEqual([
      [s.store.slug, s.items.crisps.sku],
      [s.store.slug, s.items.cola.sku],
    ]);
    expect(chain.stores[0]!.top.map((p) => p.sku)).toEqual([s.items.crisps.sku, s.items.cola.sku]);
  });
});
