import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import superjson from "superjson";
import { Redis } from "ioredis";
import { EXPRESSIONS, type Expression } from "@shelf/core";
import { createDb, type Db } from "@shelf/db";
import { encodeLiveEvent, liveChannel, type LiveEvent } from "@shelf/survey-engine";
import { zonedTimeToUtc } from "../../packages/api/src/reports/time-zone.ts";
import { randomPrefix, testDatabaseUrl, testRedisUrl } from "../setup/env.ts";
import { openSse, type SseStream } from "../support/sse.ts";
import {
  addRollups,
  createUser,
  createWebStore,
  dropWebStore,
  FIXTURE_PASSWORD,
  type WebStore,
} from "../support/web-fixtures.ts";
import { signInHttp, trpcHttp } from "../support/web-http.ts";
import { startWebServer } from "../support/web-server.ts";
import { webTestEnv } from "../support/web-session.ts";

interface Stats {
  n: number;
  hidden: boolean;
  counts: Record<Expression, number> | null;
}

/**
 * Singling out one shopper's expression from k-anonymous reports by difference: two overlapping date
 * ranges, a hidden cell next to a shown total, a store admin setting k = 1, two consecutive live pushes.
 * Against the built app, real PostgreSQL and Redis. Store time zone Europe/Berlin, k = 5.
 */
describe("k-anonymity differencing attacks", () => {
  const url = testDatabaseUrl();
  const prefix = randomPrefix("sec-report");
  const TZ = "Europe/Berlin";
  let db: Db;
  let redis: Redis;
  let s: WebStore;
  let web: Awaited<ReturnType<typeof startWebServer>>;
  const cookies: Record<"merchandiser" | "admin" | "super", string> = {
    merchandiser: "",
    admin: "",
    super: "",
  };
  const userIds: string[] = [];
  const streams: SseStream[] = [];
  /** A day three days ago, store time. */
  let day: { year: number; month: number; day: number };
  const at = (hour: number, dayOffset = 0) => zonedTimeToUtc({ ...day, day: day.day + dayOffset, hour }, TZ);

  async function query<T>(
    who: keyof typeof cookies,
    path: string,
    input: Record<string, unknown>,
  ): Promise<T> {
    const { json, meta } = superjson.serialize(input);
    const res = await trpcHttp(web.url, cookies[who], "query", path, json, meta);
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${res.message}`);
    return res.data as T;
  }

  beforeAll(async () => {
    db = createDb({ url });
    redis = new Redis(testRedisUrl());
    s = await createWebStore(db, { timezone: TZ, k: 5 });
    const d = new Date(Date.now() - 3 * 86_400_000);
    const parts = new Intl.DateTimeFormat("en-CA", {
      timeZone: TZ,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
    })
      .format(d)
      .split("-")
      .map(Number);
    day = { year: parts[0]!, month: parts[1]!, day: parts[2]! };
    const rollup = (hour: Date, counts: Partial<Record<Expression, number>>) =>
      addRollups(db, {
        storeId: s.store.id,
        zoneId: s.zones.snacks,
        itemId: s.items.crisps.id,
        hour,
        counts,
      });
    await rollup(at(10), { happy: 5 });
    await rollup(at(14), { disgust: 1 }); // the shopper an attacker wants to single out
    await rollup(at(12, -1), { angry: 1 }); // a lone shopper the day before
    const merchandiser = await createUser(db, { role: "merchandiser", storeId: s.store.id });
    const admin = await createUser(db, { role: "admin", storeId: s.store.id });
    const superAdmin = await createUser(db, { superAdmin: true, label: "super" });
    userIds.push(merchandiser.id, admin.id, superAdmin.id);
    web = await startWebServer({
      DATABASE_URL: url,
      REDIS_URL: testRedisUrl(),
      ...webTestEnv({ QUEUE_PREFIX: prefix }),
    });
    cookies.merchandiser = await signInHttp(web.url, merchandiser.email, FIXTURE_PASSWORD);
    cookies.admin = await signInHttp(web.url, admin.email, FIXTURE_PASSWORD);
    cookies.super = await signInHttp(web.url, superAdmin.email, FIXTURE_PASSWORD);
  });

  afterAll(async () => {
    streams.forEach((st) => st.close());
    await web?.stop();
    await db.user.deleteMany({ where: { id: { in: userIds } } });
    if (s) await dropWebStore(db, s);
    await redis?.quit();
    await db?.$disconnect();
  });

  it("two overlapping date ranges that differ by one hour do not reveal the shopper in that hour", async () => {
    const report = (to: Date) =>
      query<{ totals: Stats }>("merchandiser", "reports.itemReport", {
        storeSlug: s.store.slug,
        itemId: s.items.crisps.id,
        from: at(0),
        to,
      });
    const before = await report(at(14));
    const after = await report(at(15));
    // Whole store days are read, so both ranges are the same day: nothing to subtract.
    expect(after.totals).toEqual(before.totals);
    const summaries = (to: Date) =>
      query<{ items: (Stats & { itemId: string })[] }>("merchandiser", "reports.itemSummaries", {
        storeSlug: s.store.slug,
        from: at(0),
        to,
      }).then((r) => r.items.find((i) => i.itemId === s.items.crisps.id));
    expect(await summaries(at(15))).toEqual(await summaries(at(14)));
  });

  it("a hidden day next to a shown total cannot be read off by subtraction (complementary suppression)", async () => {
    const r = await query<{ totals: Stats; series: (Stats & { label: string })[] }>(
      "merchandiser",
      "reports.itemReport",
      { storeSlug: s.store.slug, itemId: s.items.crisps.id, from: at(0, -1), to: at(0, 1), bucket: "day" },
    );
    expect(r.totals.hidden).toBe(false);
    const hiddenN = r.series.filter((p) => p.hidden).reduce((sum, p) => sum + p.n, 0);
    // What the total minus the shown cells reveals is the hidden cells together: never 1…k−1 shoppers.
    expect(hiddenN === 0 || hiddenN >= 5).toBe(true);
    const shown = EXPRESSIONS.map((e) => r.series.reduce((sum, p) => sum + (p.counts?.[e] ?? 0), 0));
    const remainder = EXPRESSIONS.map((e, i) => r.totals.counts![e] - shown[i]!);
    const remainderN = remainder.reduce((a, b) => a + b, 0);
    expect(remainderN === 0 || remainderN >= 5).toBe(true);
  });

  it("a store admin cannot set k below 5; a super admin can", async () => {
    const set = (who: keyof typeof cookies, k: number) =>
      trpcHttp(web.url, cookies[who], "mutation", "admin.updateSettings", {
        storeSlug: s.store.slug,
        kAnonymity: k,
      });
    const refused = await set("admin", 1);
    expect(refused.status).toBe(400);
    expect(refused.message).toMatch(/kAnonymity/);
    expect((await db.storeSettings.findUniqueOrThrow({ where: { storeId: s.store.id } })).kAnonymity).toBe(5);
    expect((await set("super", 2)).status).toBe(200);
    expect((await set("admin", 5)).status).toBe(200);
  });

  it("two consecutive live pushes do not differ by one shopper, and the people standing there now show no expressions", async () => {
    const now = Date.now();
    const interaction = (i: number, dominant: Expression, endedAt: number) => ({
      id: randomUUID(),
      storeId: s.store.id,
      cameraId: s.cameraId,
      zoneId: s.zones.drinks,
      itemId: s.items.cola.id,
      startedAt: new Date(endedAt - 5000),
      endedAt: new Date(endedAt),
      dwellMs: 5000,
      sampleCount: 10,
      pAngry: 0,
      pDisgust: dominant === "disgust" ? 1 : 0,
      pFear: 0,
      pHappy: dominant === "happy" ? 1 : 0,
      pSad: 0,
      pSurprise: 0,
      pNeutral: 0,
      dominant,
      valence: dominant === "happy" ? 80 : -80,
      hesitation: false,
      negative: dominant === "disgust",
    });
    await db.interaction.createMany({
      data: Array.from({ length: 5 }, (_, i) => interaction(i, "happy", now - 3 * 60_000 - i * 1000)),
    });
    const live = await openSse(`${web.url}/api/live/${s.store.slug}`, { cookie: cookies.merchandiser });
    streams.push(live);
    expect(live.status).toBe(200);
    const snapshot = JSON.parse((await live.waitFor((e) => e.event === "snapshot")).data) as {
      distribution: { zoneId: string; n: number; mix: unknown }[];
    };
    const drinksN = (d: { zoneId: string; n: number }[]) => d.find((z) => z.zoneId === s.zones.drinks)!.n;
    expect(drinksN(snapshot.distribution)).toBe(5);
    // One more shopper, who ended two minutes ago (any delay the view applies has passed): stored, then
    // published, as the worker does.
    const publish = (e: LiveEvent) => redis.publish(liveChannel(s.store.id, prefix), encodeLiveEvent(e));
    const sixth = interaction(5, "disgust", Date.now() - 2 * 60_000);
    await db.interaction.create({ data: sixth });
    await publish({
      kind: "interaction",
      storeId: s.store.id,
      zoneId: s.zones.drinks,
      itemId: s.items.cola.id,
      interactionId: sixth.id,
      at: sixth.endedAt.getTime(),
      dominant: "disgust",
      valence: -80,
      negative: true,
      dwellMs: 5000,
    });
    await publish({
      kind: "zone-distribution",
      storeId: s.store.id,
      at: Date.now(),
      zones: [{ zoneId: s.zones.drinks, shoppers: 6, negative: 1, expressions: [0, 1, 0, 5, 0, 0, 0] }],
    });
    await new Promise((r) => setTimeout(r, 12_000));
    const pushes = live.events
      .filter((e) => e.event === "zones")
      .map(
        (e) =>
          JSON.parse(e.data) as {
            distribution: { zoneId: string; n: number; now: { shoppers: number; mix: unknown } | null }[];
          },
      );
    let previous = drinksN(snapshot.distribution);
    for (const p of pushes) {
      const n = drinksN(p.distribution);
      expect(Math.abs(n - previous)).not.toBe(1);
      previous = n;
      const drinks = p.distribution.find((z) => z.zoneId === s.zones.drinks)!;
      expect(drinks.now?.mix ?? null).toBeNull();
    }
    // Opening the view again is no way around it: the new snapshot is no fresher.
    const again = await openSse(`${web.url}/api/live/${s.store.slug}`, { cookie: cookies.merchandiser });
    streams.push(again);
    const fresh = JSON.parse((await again.waitFor((e) => e.event === "snapshot")).data) as {
      distribution: { zoneId: string; n: number }[];
    };
    expect(Math.abs(drinksN(fresh.distribution) - drinksN(snapshot.distribution))).not.toBe(1);
  });
});
