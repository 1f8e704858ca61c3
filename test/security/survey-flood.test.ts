import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "@shelf/db";
import { SURVEY_RATE_LIMITS, signShelfCode } from "@shelf/survey-engine";
import { randomPrefix, testDatabaseUrl, testRedisUrl } from "../setup/env.ts";
import { createWebStore, dropWebStore, type WebStore } from "../support/web-fixtures.ts";
import { startWebServer } from "../support/web-server.ts";
import { webTestEnv } from "../support/web-session.ts";

/**
 * Flooding an item's survey from a photo of its printed QR code: every scan mints an invite, and every
 * invite can carry a fake answer. Against the built app (`next start`), real PostgreSQL and Redis.
 */
describe("survey flood attacks", () => {
  const url = testDatabaseUrl();
  const SECRET = "security-survey-secret-".padEnd(48, "s");
  let db: Db;
  let s: WebStore;
  let web: Awaited<ReturnType<typeof startWebServer>>;

  const flag = (itemId: string) =>
    db.flag.create({
      data: {
        storeId: s.store.id,
        itemId,
        rate: 0.4,
        lower: 0.3,
        upper: 0.5,
        n: 50,
        negatives: 20,
        threshold: 0.2,
        thresholdLevel: "global",
        windowHours: 168,
      },
    });

  /** GET from a chosen loopback address (127.0.0.0/8), as if from another shopper's phone. */
  const getFrom = (localAddress: string, path: string, headers: Record<string, string> = {}) =>
    new Promise<number>((resolve, reject) => {
      const { hostname, port } = new URL(web.url);
      const req = request({ host: hostname, port, path, localAddress, headers }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", reject);
      req.end();
    });

  beforeAll(async () => {
    db = createDb({ url });
    s = await createWebStore(db);
    await flag(s.items.crisps.id);
    await flag(s.items.peanuts.id);
    web = await startWebServer({
      DATABASE_URL: url,
      REDIS_URL: testRedisUrl(),
      SURVEY_SECRET: SECRET,
      ...webTestEnv({ QUEUE_PREFIX: randomPrefix("sec-survey") }),
    });
  });

  afterAll(async () => {
    await web?.stop();
    if (s) await dropWebStore(db, s);
    await db?.$disconnect();
  });

  it("a shelf code printed 181 days ago mints no invite (codes expire; re-print)", async () => {
    const old = signShelfCode(
      s.store.id,
      s.items.peanuts.id,
      SECRET,
      new Date(Date.now() - 181 * 86_400_000),
    );
    const res = await fetch(`${web.url}/s/q/${old}`, { redirect: "manual" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/s/status/expired");
    expect(await db.surveyInvite.count({ where: { itemId: s.items.peanuts.id } })).toBe(0);
    // A freshly printed code for the same item still works.
    const fresh = await fetch(`${web.url}/s/q/${signShelfCode(s.store.id, s.items.peanuts.id, SECRET)}`, {
      redirect: "manual",
    });
    expect(fresh.headers.get("location")).toMatch(/^\/s\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
  });

  it("a photo of a shelf code plus a new X-Forwarded-For per request mints no more than the per-code hourly limit, and raises an anomaly alert", async () => {
    // Per-code windows are aligned to the hour: start well inside one.
    const left = 3_600_000 - (Date.now() % 3_600_000);
    if (left < 60_000) await new Promise((r) => setTimeout(r, left + 500));
    const code = signShelfCode(s.store.id, s.items.crisps.id, SECRET);
    const statuses: number[] = [];
    // Each scan from its own address (so no per-client limit applies), each claiming yet another one.
    for (let i = 0; i < 45; i++)
      statuses.push(
        await getFrom(`127.0.0.${i + 2}`, `/s/q/${code}`, { "x-forwarded-for": `198.51.100.${i}` }),
      );
    const minted = await db.surveyInvite.count({ where: { itemId: s.items.crisps.id } });
    const hourly = SURVEY_RATE_LIMITS["qr-code"].limit;
    expect(hourly).toBeLessThanOrEqual(30);
    expect(minted).toBeLessThanOrEqual(hourly);
    expect(statuses.filter((st) => st === 429).length).toBe(45 - minted);
    const alerts = await db.auditLog.findMany({
      where: { storeId: s.store.id, action: "survey.code-limit", entityId: s.items.crisps.id },
    });
    expect(alerts).toHaveLength(1);
  });
});
