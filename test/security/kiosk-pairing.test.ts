import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Redis } from "ioredis";
import { createDb, type Db } from "@shelf/db";
import { encodeLiveEvent, liveChannel, type SurveyPromptEvent } from "@shelf/survey-engine";
import { randomPrefix, testDatabaseUrl, testRedisUrl } from "../setup/env.ts";
import { createWebStore, dropWebStore, type WebStore } from "../support/web-fixtures.ts";
import { openSse, type SseStream } from "../support/sse.ts";
import { createUser, FIXTURE_PASSWORD } from "../support/web-fixtures.ts";
import { signInHttp, trpcMutation as trpcMutationHttp } from "../support/web-http.ts";
import { startWebServer } from "../support/web-server.ts";
import { webTestEnv } from "../support/web-session.ts";

/**
 * Attacks on the kiosk stream, which mints a single-use survey invite for every prompt it shows: opening it
 * by id alone, with another kiosk's credential, after revocation, twice at once; replaying and guessing
 * pairing codes. Against the built app (`next start`), real PostgreSQL and Redis.
 */
describe("kiosk pairing attacks", () => {
  const url = testDatabaseUrl();
  const redisUrl = testRedisUrl();
  const prefix = randomPrefix("sec-kiosk");
  let db: Db;
  let redis: Redis;
  let s: WebStore;
  let web: Awaited<ReturnType<typeof startWebServer>>;
  let adminCookie: string;
  const userIds: string[] = [];
  const streams: SseStream[] = [];

  /** An admin's tRPC mutation through the app; throws on an error answer. */
  const trpcMutation = <T>(path: string, input: unknown) =>
    trpcMutationHttp<T>(web.url, adminCookie, path, input);

  const events = (kioskId: string, cookie?: string) =>
    openSse(`${web.url}/api/kiosk/${kioskId}/events`, cookie ? { cookie } : {}).then((st) => {
      streams.push(st);
      return st;
    });

  /** An admin creates a kiosk at the snacks zone through the app; returns its id and one-time code. */
  const createKiosk = (name: string) =>
    trpcMutation<{ kioskId: string; code: string }>("kiosks.create", {
      storeSlug: s.store.slug,
      name,
      zoneId: s.zones.snacks,
    });

  /** Types a code into the pairing form; returns the response (303 + cookie on success). */
  const pair = (code: string, headers: Record<string, string> = {}) =>
    fetch(`${web.url}/api/kiosk/pair`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
      body: new URLSearchParams({ code }).toString(),
    });

  const deviceCookie = (res: Response) => res.headers.getSetCookie()[0]?.split(";")[0] ?? "";

  /** A prompt for `kioskId`, as the cooldown claim publishes it. */
  const publishPrompt = (kioskId: string) => {
    const prompt: SurveyPromptEvent = {
      kind: "survey-prompt",
      storeId: s.store.id,
      kioskId,
      zoneId: s.zones.snacks,
      itemId: s.items.crisps.id,
      promptId: randomUUID(),
      at: Date.now(),
      reason: "manual",
    };
    return redis.publish(liveChannel(s.store.id, prefix), encodeLiveEvent(prompt));
  };

  beforeAll(async () => {
    db = createDb({ url });
    redis = new Redis(redisUrl);
    s = await createWebStore(db);
    // An open flag: the crisps' survey is active, so a prompt mints an invite.
    await db.flag.create({
      data: {
        storeId: s.store.id,
        itemId: s.items.crisps.id,
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
    const admin = await createUser(db, { role: "admin", storeId: s.store.id });
    userIds.push(admin.id);
    web = await startWebServer({
      DATABASE_URL: url,
      REDIS_URL: redisUrl,
      SURVEY_SECRET: "security-kiosk-secret-".padEnd(48, "k"),
      ...webTestEnv({ QUEUE_PREFIX: prefix }),
    });
    adminCookie = await signInHttp(web.url, admin.email, FIXTURE_PASSWORD);
  });

  afterAll(async () => {
    streams.forEach((st) => st.close());
    await web?.stop();
    await db.user.deleteMany({ where: { id: { in: userIds } } });
    if (s) await dropWebStore(db, s);
    await redis?.quit();
    await db?.$disconnect();
  });

  it("opening a kiosk's stream by its id alone (never paired) is refused and mints no invite", async () => {
    const kiosk = await db.kiosk.create({
      data: { storeId: s.store.id, zoneId: s.zones.snacks, name: "Raw" },
    });
    const st = await events(kiosk.id);
    expect(st.status).toBe(401);
    await publishPrompt(kiosk.id);
    await new Promise((r) => setTimeout(r, 1500));
    expect(await db.surveyInvite.count({ where: { kioskId: kiosk.id } })).toBe(0);
    const page = await fetch(`${web.url}/kiosk/${kiosk.id}`, { redirect: "manual" });
    expect(page.status).toBe(307);
    expect(page.headers.get("location")).toMatch(/\/kiosk\/pair$/);
  });

  it("a pairing code works once: a replay pairs nothing; the device's credential is an HttpOnly, SameSite=Strict cookie, Secure over https", async () => {
    const { kioskId, code } = await createKiosk("Replay");
    const first = await pair(code.toLowerCase(), { "x-forwarded-proto": "https" });
    expect(first.status).toBe(303);
    expect(first.headers.get("location")).toBe(`/kiosk/${kioskId}`);
    const setCookie = first.headers.getSetCookie()[0]!;
    expect(setCookie).toMatch(/^shelf_kiosk=/);
    expect(setCookie).toMatch(/; HttpOnly/);
    expect(setCookie).toMatch(/; SameSite=Strict/);
    expect(setCookie).toMatch(/; Secure/);
    // Only hashes are stored: neither the code nor the credential is in the row.
    const row = await db.kiosk.findUniqueOrThrow({ where: { id: kioskId } });
    expect(JSON.stringify(row)).not.toContain(deviceCookie(first).split(".")[1]);
    expect(row.pairingCodeHash).toBeNull();

    const replay = await pair(code);
    expect(replay.status).toBe(303);
    expect(replay.headers.get("location")).toBe("/kiosk/pair?error=unknown");
    expect(replay.headers.getSetCookie()).toEqual([]);
    // Over plain http the cookie is not marked Secure (it would never be sent back).
    const { code: code2 } = await trpcMutation<{ code: string }>("kiosks.pairingCode", {
      storeSlug: s.store.slug,
      kioskId,
    });
    expect((await pair(code2)).headers.getSetCookie()[0]).not.toMatch(/Secure/);
  });

  it("an expired pairing code pairs nothing", async () => {
    const { kioskId, code } = await createKiosk("Expired");
    await db.kiosk.update({
      where: { id: kioskId },
      data: { pairingExpiresAt: new Date(Date.now() - 1000) },
    });
    const res = await pair(code);
    expect(res.headers.get("location")).toBe("/kiosk/pair?error=unknown");
    expect(res.headers.getSetCookie()).toEqual([]);
  });

  it("kiosk A's device credential opens neither kiosk B's stream nor its page", async () => {
    const a = await createKiosk("A");
    const b = await createKiosk("B");
    const cookieA = deviceCookie(await pair(a.code));
    const own = await events(a.kioskId, cookieA);
    expect(own.status).toBe(200);
    await own.waitFor((e) => e.event === "ready");
    own.close();
    const other = await events(b.kioskId, cookieA);
    expect(other.status).toBe(401);
    // A credential with B's id in front of A's secret is no better.
    const forged = cookieA.replace(a.kioskId, b.kioskId);
    expect((await events(b.kioskId, forged)).status).toBe(401);
    const page = await fetch(`${web.url}/kiosk/${b.kioskId}`, {
      redirect: "manual",
      headers: { cookie: cookieA },
    });
    expect(page.status).toBe(307);
  });

  it("a second stream of the same kiosk replaces the first: one prompt mints exactly one invite", async () => {
    const { kioskId, code } = await createKiosk("Twice");
    const cookie = deviceCookie(await pair(code));
    const first = await events(kioskId, cookie);
    await first.waitFor((e) => e.event === "ready");
    const second = await events(kioskId, cookie);
    await second.waitFor((e) => e.event === "ready");
    await first.waitFor((e) => e.event === "replaced");
    await first.ended();
    await publishPrompt(kioskId);
    const prompt = await second.waitFor((e) => e.event === "prompt");
    expect(JSON.parse(prompt.data)).toMatchObject({ itemName: "Sea-salt crisps" });
    await new Promise((r) => setTimeout(r, 1000));
    expect(first.events.filter((e) => e.event === "prompt")).toEqual([]);
    expect(await db.surveyInvite.count({ where: { kioskId } })).toBe(1);
  });

  it("revoking a kiosk locks its device out: stream and page refused, the open stream mints nothing", async () => {
    const { kioskId, code } = await createKiosk("Lost tablet");
    const cookie = deviceCookie(await pair(code));
    const open = await events(kioskId, cookie);
    await open.waitFor((e) => e.event === "ready");
    await trpcMutation("kiosks.revoke", { storeSlug: s.store.slug, kioskId });
    await publishPrompt(kioskId);
    await open.ended(5000);
    expect(open.events.filter((e) => e.event === "prompt")).toEqual([]);
    expect(await db.surveyInvite.count({ where: { kioskId } })).toBe(0);
    expect((await events(kioskId, cookie)).status).toBe(401);
  });

  it("guessing pairing codes is rate limited", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 70; i++) statuses.push((await pair("AAAAA-AAAAA")).status);
    expect(statuses.filter((st) => st === 429).length).toBeGreaterThan(0);
    // A real code is refused too while the limit holds (no way around it by being right).
    const { code } = await createKiosk("During flood");
    expect((await pair(code)).status).toBe(429);
  });
});
