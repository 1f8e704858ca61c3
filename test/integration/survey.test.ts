import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { pino } from "pino";
import { QUEUES, redisLayout, storeRulesOf } from "@shelf/core";
import { startWorkers, type RunningWorkers } from "@shelf/worker";
import { createDb, type Db } from "@shelf/db";
import {
  CLAIM_COOLDOWNS_LUA,
  CONSENT_TEXT,
  cooldownKeys,
  parsePendingPrompt,
  pendingPromptKey,
  encodeLiveEvent,
  liveChannel,
  parseLiveEvent,
  signInviteToken,
  tokenHash,
  ZSurveyQuestions,
  type InteractionEvent,
  type LiveEvent,
} from "@shelf/survey-engine";
import { createTextAnalyzer } from "@shelf/survey-engine/text";
import { createInvite, loadInvite } from "../../packages/api/src/survey/invites.ts";
import { declineSurvey, submitSurvey } from "../../packages/api/src/survey/submit.ts";
import { SurveyRateLimiter } from "../../packages/api/src/survey/rate-limiter.ts";
import { LiveHub } from "../../packages/api/src/survey/redis.ts";
import {
  deliverWaitingPrompt,
  sendKioskPrompt,
  waitingPrompt,
  mintKioskPrompt,
  type PromptDeps,
} from "../../packages/api/src/survey/prompts.ts";
import {
  prismaSurveyReads,
  processSurveyTrigger,
  queueSurveyTrigger,
  type SurveyTriggerDeps,
} from "../../apps/worker/src/processors/surveys.ts";
import { itemSurveySummary } from "../../packages/api/src/routers/survey/survey.handler.ts";
import { randomPrefix, testDatabaseUrl, testRedisUrl } from "../setup/env.ts";
import { obliterateQueues } from "../support/redis-layout.ts";

/**
 * Survey I/O against the real PostgreSQL and Redis: invites (hash only), single use under concurrency,
 * consent and decline, hostile input, rate limits, kiosk prompts (decided by a real worker, delivered by the
 * kiosk stream's functions) and their cooldowns, summaries.
 * Everything lives in its own store / item / category / Redis prefix, so parallel runs never collide.
 */

const secret = "integration-survey-secret-".padEnd(48, "x");
const analyzer = createTextAnalyzer();

async function createSurveyStore(db: Db) {
  const tag = randomBytes(4).toString("hex");
  const store = await db.store.create({
    data: {
      slug: `survey-it-${tag}`,
      name: "Survey Test Market",
      settings: { create: { surveyCooldownKioskS: 120, surveyCooldownItemS: 600 } },
    },
  });
  const plan = await db.floorPlan.create({
    data: { storeId: store.id, name: "Floor", widthM: 10, heightM: 10 },
  });
  const polygon = [
    { x: 0, y: 0 },
    { x: 2, y: 0 },
    { x: 2, y: 2 },
  ];
  const zone = await db.shelfZone.create({
    data: { storeId: store.id, floorPlanId: plan.id, name: "Snacks", polygon },
  });
  const otherZone = await db.shelfZone.create({
    data: { storeId: store.id, floorPlanId: plan.id, name: "Drinks", polygon },
  });
  // A category of its own: templates created for it cannot leak into other tests.
  const item = await db.item.create({
    data: { sku: `SRV-${tag}`, name: "Sea-salt crisps", category: `snacks-${tag}` },
  });
  const unflagged = await db.item.create({
    data: { sku: `SRV-${tag}-2`, name: "Chilli peanuts", category: `snacks-${tag}` },
  });
  await db.planogramSlot.create({ data: { zoneId: zone.id, itemId: item.id, start: 0, end: 0.5 } });
  await db.planogramSlot.create({ data: { zoneId: zone.id, itemId: unflagged.id, start: 0.5, end: 1 } });
  // Paired (a device holds its credential): the trigger engine prompts only kiosks that can show a prompt.
  const kiosk = await db.kiosk.create({
    data: {
      storeId: store.id,
      zoneId: zone.id,
      name: "Kiosk A",
      deviceTokenHash: `paired-${tag}`,
      pairedAt: new Date(),
    },
  });
  await db.flag.create({
    data: {
      storeId: store.id,
      itemId: item.id,
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
  return {
    store,
    zone,
    otherZone,
    item,
    unflagged,
    kiosk,
    async cleanup() {
      await db.store.delete({ where: { id: store.id } });
      await db.item.deleteMany({ where: { id: { in: [item.id, unflagged.id] } } });
      await db.surveyTemplate.deleteMany({ where: { category: item.category } });
    },
  };
}

describe("survey invites and responses (PostgreSQL)", () => {
  let db: Db;
  let fx: Awaited<ReturnType<typeof createSurveyStore>>;
  const invite = (ttlMs = 60_000, now?: Date) =>
    createInvite({ db, secret, storeId: fx.store.id, itemId: fx.item.id, channel: "qr", ttlMs, now });
  type Fields = [string, string][];
  const goodFields = (comment = "Way too salty, and the bag was half empty."): Fields => [
    ["q.overall", "2"],
    ["q.reason", "price"],
    ["q.reason", "taste"],
    ["q.comment", comment],
  ];
  const submit = (
    token: string,
    fields: Fields = goodFields(),
    consentVersion: unknown = CONSENT_TEXT.version,
  ) => submitSurvey({ db, analyzer, secret, token, consentVersion, fields });

  beforeAll(async () => {
    db = createDb({ url: testDatabaseUrl() });
    fx = await createSurveyStore(db);
  });

  afterAll(async () => {
    await fx?.cleanup();
    await db?.$disconnect();
  });

  it("stores only the token's hash, and a default category template on first use", async () => {
    const { token, inviteId } = await invite();
    const row = await db.surveyInvite.findUniqueOrThrow({ where: { id: inviteId } });
    expect(row.tokenHash).toBe(tokenHash(token));
    expect(JSON.stringify(row)).not.toContain(token);
    expect(JSON.stringify(row)).not.toContain(token.split(".")[1]);
    const template = await db.surveyTemplate.findUniqueOrThrow({ where: { id: row.templateId } });
    expect(template.category).toBe(fx.item.category);
    expect(ZSurveyQuestions.parse(template.questions).map((q) => q.id)).toEqual([
      "overall",
      "reason",
      "comment",
    ]);
    expect((await loadInvite(db, token, secret)).state).toBe("open");
  });

  it("uses an item's own template over its category's", async () => {
    const own = await db.surveyTemplate.create({
      data: {
        itemId: fx.unflagged.id,
        questions: [{ id: "spice", kind: "rating", prompt: "How hot?", scale: 3 }],
      },
    });
    const { token } = await createInvite({
      db,
      secret,
      storeId: fx.store.id,
      itemId: fx.unflagged.id,
      channel: "qr",
      ttlMs: 60_000,
    });
    const view = await loadInvite(db, token, secret);
    expect(view.state === "open" && view.templateId).toBe(own.id);
    expect(view.state === "open" && view.questions.map((q) => q.id)).toEqual(["spice"]);
  });

  it("refuses forged, tampered, unknown and expired tokens, with nothing stored", async () => {
    const { token } = await invite();
    const [body, sig] = token.split(".") as [string, string];
    expect((await loadInvite(db, token, "other-secret".padEnd(40, "y"))).state).toBe("invalid");
    expect((await loadInvite(db, `${body}.${sig.slice(0, -2)}AA`, secret)).state).toBe("invalid");
    expect((await loadInvite(db, "garbage", secret)).state).toBe("invalid");
    const unknown = signInviteToken(
      "00000000-0000-0000-0000-000000000000",
      new Date(Date.now() + 60_000),
      secret,
    );
    expect((await loadInvite(db, unknown, secret)).state).toBe("invalid");
    expect(await submit(unknown)).toEqual({ status: "invalid" });
    const past = new Date(Date.now() - 120_000);
    const old = await invite(60_000, past);
    expect(await loadInvite(db, old.token, secret)).toEqual({ state: "expired", kioskId: null });
    expect(await submit(old.token)).toEqual({ status: "expired", kioskId: null });
    expect(await declineSurvey({ db, secret, token: old.token })).toEqual({
      status: "expired",
      kioskId: null,
    });
    expect(await db.surveyResponse.count({ where: { inviteId: old.inviteId } })).toBe(0);
    expect(await db.consent.count({ where: { inviteId: old.inviteId } })).toBe(0);
  });

  it("stores a consented response once: consent version, answers, sentiment and topics; a reused token is refused", async () => {
    const { token, inviteId } = await invite();
    const first = await submit(token);
    expect(first.status).toBe("saved");
    const response = await db.surveyResponse.findUniqueOrThrow({ where: { inviteId } });
    expect(response).toMatchObject({
      itemId: fx.item.id,
      consentTextVersion: CONSENT_TEXT.version,
      rating: 2,
      freeText: "Way too salty, and the bag was half empty.",
      answers: {
        overall: 2,
        reason: ["price", "taste"],
        comment: "Way too salty, and the bag was half empty.",
      },
    });
    expect(response.sentiment).toBeLessThan(0);
    expect(response.topics).toEqual(expect.arrayContaining(["salty", "bag"]));
    expect(await db.consent.findUniqueOrThrow({ where: { inviteId } })).toMatchObject({
      granted: true,
      textVersion: CONSENT_TEXT.version,
    });
    expect((await db.surveyInvite.findUniqueOrThrow({ where: { id: inviteId } })).usedAt).not.toBeNull();
    expect(await submit(token)).toEqual({ status: "used", kioskId: null });
    expect(await declineSurvey({ db, secret, token })).toEqual({ status: "used", kioskId: null });
    expect((await loadInvite(db, token, secret)).state).toBe("used");
    expect(await db.surveyResponse.count({ where: { inviteId } })).toBe(1);
  });

  it("concurrent double (and tenfold) submits store exactly one response", async () => {
    const { token, inviteId } = await invite();
    const results = await Promise.all(Array.from({ length: 10 }, () => submit(token)));
    expect(results.filter((r) => r.status === "saved")).toHaveLength(1);
    expect(results.filter((r) => r.status === "used")).toHaveLength(9);
    expect(await db.surveyResponse.count({ where: { inviteId } })).toBe(1);
    expect(await db.consent.count({ where: { inviteId } })).toBe(1);
  });

  it("a concurrent decline and submit: exactly one wins", async () => {
    const { token, inviteId } = await invite();
    const [a, b] = await Promise.all([submit(token), declineSurvey({ db, secret, token })]);
    expect([a.status, b.status].sort()).toEqual(
      a.status === "saved" ? ["saved", "used"] : ["declined", "used"],
    );
    expect(await db.consent.count({ where: { inviteId } })).toBe(1);
    expect(await db.surveyResponse.count({ where: { inviteId } })).toBe(a.status === "saved" ? 1 : 0);
  });

  it("declining records a declined consent and no answers, and ends the invite", async () => {
    const { token, inviteId } = await invite();
    expect(await declineSurvey({ db, secret, token })).toEqual({ status: "declined", kioskId: null });
    expect(await db.consent.findUniqueOrThrow({ where: { inviteId } })).toMatchObject({
      granted: false,
      textVersion: CONSENT_TEXT.version,
    });
    expect(await db.surveyResponse.count({ where: { inviteId } })).toBe(0);
    expect(await submit(token)).toEqual({ status: "used", kioskId: null });
  });

  it("stores nothing without the current consent version", async () => {
    const { token, inviteId } = await invite();
    const noConsent = await submitSurvey({
      db,
      analyzer,
      secret,
      token,
      consentVersion: undefined,
      fields: goodFields(),
    });
    expect(noConsent).toEqual({ status: "consent-changed", kioskId: null });
    expect(await submit(token, goodFields(), "consent-1999-v0")).toEqual({
      status: "consent-changed",
      kioskId: null,
    });
    expect(await db.consent.count({ where: { inviteId } })).toBe(0);
    expect((await loadInvite(db, token, secret)).state).toBe("open");
  });

  it("refuses oversized and malformed answers without storing or using up the invite", async () => {
    const { token, inviteId } = await invite();
    const huge = await submit(token, goodFields("x".repeat(100_000)));
    expect(huge).toMatchObject({ status: "invalid-answers", issues: [{ questionId: "comment" }] });
    const bad = await submit(token, [
      ["q.overall", "9"],
      ["q.evil", "1"],
    ]);
    expect(bad.status).toBe("invalid-answers");
    expect(await db.surveyResponse.count({ where: { inviteId } })).toBe(0);
    expect((await loadInvite(db, token, secret)).state).toBe("open");
  });

  it("stores script-laden and SQL-ish text verbatim (parameterised), minus control characters", async () => {
    const { token, inviteId } = await invite();
    const hostile = `<script>alert("x")</script><img src=x onerror=alert(1)> '); DROP TABLE "SurveyResponse";--\u0000`;
    expect((await submit(token, goodFields(hostile))).status).toBe("saved");
    const stored = await db.surveyResponse.findUniqueOrThrow({ where: { inviteId } });
    expect(stored.freeText).toBe(hostile.replace("\u0000", ""));
    expect(await db.surveyResponse.count()).toBeGreaterThan(0);
  });

  it("summarises an item: counts, ratings, declines, options, topics with example answers", async () => {
    const texts = [
      "Far too salty for me",
      "Too salty, I could not finish the bag",
      "Salty and greasy",
      "Too expensive for such a small bag",
      "Expensive. Really expensive",
    ];
    for (const [i, t] of texts.entries()) {
      const { token } = await invite();
      expect(
        (
          await submit(token, [
            ["q.overall", String((i % 3) + 1)],
            ["q.comment", t],
          ])
        ).status,
      ).toBe("saved");
    }
    const r = await itemSurveySummary({ db, input: { storeSlug: fx.store.slug, itemId: fx.item.id } });
    expect(r.active).toBe(true);
    expect(r.templateSource).toBe("category");
    const responses = await db.surveyResponse.count({ where: { itemId: fx.item.id } });
    expect(r.summary.responses).toBe(responses);
    expect(r.summary.declined).toBeGreaterThanOrEqual(1);
    expect(r.summary.rating.n).toBe(responses);
    expect(r.summary.rating.distribution.reduce((a, b) => a + b, 0)).toBe(responses);
    const labels = r.summary.topics.map((t) => t.label);
    expect(labels.some((l) => l.startsWith("salty"))).toBe(true);
    expect(labels.some((l) => l.includes("expensive"))).toBe(true);
    const salty = r.summary.topics.find((t) => t.label.startsWith("salty"))!;
    expect(salty.examples.length).toBeGreaterThan(0);
    expect(salty.examples.every((e) => /salty/i.test(e.text))).toBe(true);
  });
});

describe("rate limiting on Redis", () => {
  const redisUrl = testRedisUrl();
  const prefix = randomPrefix("survey-rl");
  let redis: Redis;

  beforeAll(() => {
    redis = new Redis(redisUrl);
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  });

  it("limits a flood per token, shared across limiter instances (processes), with hashed keys and expiry", async () => {
    // One fixed instant, so the flood cannot straddle a window edge.
    const now = () => Math.floor(Date.now() / 60_000) * 60_000 + 1000;
    const a = new SurveyRateLimiter(redis, { prefix, secret, now });
    const b = new SurveyRateLimiter(redis, { prefix, secret, now });
    const token = "some.token";
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => (i % 2 ? a : b).hit("submit-token", token)),
    );
    expect(results.filter((r) => r.allowed)).toHaveLength(5);
    expect(results.filter((r) => !r.allowed).every((r) => r.retryAfterS >= 1)).toBe(true);
    const keys = await redis.keys(`${prefix}:*`);
    expect(keys).toHaveLength(1);
    expect(keys[0]).not.toContain(token);
    expect(await redis.pttl(keys[0]!)).toBeGreaterThan(0);
    expect((await a.hit("submit-token", "another.token")).allowed).toBe(true);
    expect((await a.hit("submit-client", "203.0.113.7")).allowed).toBe(true);
    expect(JSON.stringify(await redis.keys(`${prefix}:*`))).not.toContain("203.0.113.7");
  });

  it("falls back to a per-process limit when Redis is unreachable", async () => {
    const dead = new Redis("redis://127.0.0.1:1", {
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      lazyConnect: true,
      retryStrategy: () => null,
    });
    dead.on("error", () => undefined);
    const limiter = new SurveyRateLimiter(dead, {
      prefix,
      secret,
      now: () => Math.floor(Date.now() / 60_000) * 60_000 + 1000,
    });
    const results = [];
    for (let i = 0; i < 7; i++) results.push(await limiter.hit("submit-token", "t"));
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, true, true, false, false]);
    dead.disconnect();
  });
});

describe("kiosk prompts: decided by the worker, delivered by kiosk streams (PostgreSQL + Redis)", () => {
  const redisUrl = testRedisUrl();
  const prefix = randomPrefix("survey-kiosk");
  let db: Db;
  let redis: Redis;
  let hub: LiveHub;
  let workers: RunningWorkers;
  let fx: Awaited<ReturnType<typeof createSurveyStore>>;
  let deps: PromptDeps;
  let trigger: SurveyTriggerDeps;
  let clock = Date.now();

  const interaction = (over: Partial<InteractionEvent> = {}): InteractionEvent => ({
    kind: "interaction",
    storeId: fx.store.id,
    zoneId: fx.zone.id,
    itemId: fx.item.id,
    interactionId: `i-${Math.random().toString(36).slice(2)}`,
    at: Date.now() - 500,
    dominant: "disgust",
    valence: -70,
    negative: true,
    dwellMs: 4000,
    ...over,
  });
  const kioskRef = () => ({ id: fx.kiosk.id, storeId: fx.store.id, zoneId: fx.zone.id });
  const clearCooldowns = () =>
    redis.del(
      ...Object.values(
        cooldownKeys({ storeId: fx.store.id, kioskId: fx.kiosk.id, itemId: fx.item.id }, prefix),
      ),
    );

  beforeAll(async () => {
    db = createDb({ url: testDatabaseUrl() });
    redis = new Redis(redisUrl);
    hub = new LiveHub(redisUrl);
    fx = await createSurveyStore(db);
    deps = { db, redis, secret, prefix, now: () => clock };
    trigger = {
      ...prismaSurveyReads(db),
      rules: async (storeId) => storeRulesOf(await db.storeSettings.findUnique({ where: { storeId } })),
      redis,
      prefix,
      live: { publish: async () => undefined },
      logger: pino({ level: "silent" }),
      now: () => clock,
    };
    workers = startWorkers({
      db,
      redisUrl,
      prefix,
      analyzer: { classify: () => Promise.reject(new Error("not used")) },
      logger: pino({ level: "silent" }),
    });
  });

  afterAll(async () => {
    await workers?.close();
    await obliterateQueues(redisUrl, prefix);
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    await hub?.close();
    await redis?.quit();
    await fx?.cleanup();
    await db?.$disconnect();
  });

  it("the live hub fans one subscription out and unsubscribes after the last listener", async () => {
    const channel = liveChannel(fx.store.id, prefix);
    const got: string[][] = [[], []];
    const off0 = await hub.subscribe(channel, (m) => got[0]!.push(m));
    const off1 = await hub.subscribe(channel, (m) => got[1]!.push(m));
    expect(hub.count(channel)).toBe(2);
    await redis.publish(channel, "hello");
    await expect.poll(() => got.map((g) => g.length)).toEqual([1, 1]);
    off0();
    off1();
    expect(hub.count(channel)).toBe(0);
    await expect.poll(async () => (await redis.pubsub("NUMSUB", channel))[1]).toBe(0);
  });

  it("negative interactions handed to the worker prompt once, with no kiosk open: cooldowns claimed, prompt waiting and published", async () => {
    const channel = liveChannel(fx.store.id, prefix);
    const seen: LiveEvent[] = [];
    const off = await hub.subscribe(channel, (m) => {
      const e = parseLiveEvent(m);
      if (e) seen.push(e);
    });
    // Five shoppers disgusted at once (and one visit end retried): the worker decides on each, one prompt.
    const surveys = new Queue(QUEUES.surveys, {
      connection: { url: redisUrl },
      prefix: redisLayout(prefix).central,
    });
    const handOff = queueSurveyTrigger(surveys);
    const events = Array.from({ length: 5 }, () => interaction());
    await Promise.all([...events, events[0]!].map((e) => handOff(e)));
    await expect
      .poll(() => seen.filter((e) => e.kind === "survey-prompt"), { timeout: 10_000 })
      .toHaveLength(1);
    // One job per interaction (the retried end landed on its job); each decided, exactly one prompted.
    const outcomes = async () =>
      Promise.all(
        events.map(async (e) => (await surveys.getJob(`survey_${e.interactionId}`))?.returnvalue ?? null),
      );
    await expect
      .poll(async () => (await outcomes()).every((o) => o !== null), { timeout: 10_000 })
      .toBe(true);
    const decided = (await outcomes()) as { prompted: boolean; reason?: string }[];
    expect(decided.filter((o) => o.prompted)).toHaveLength(1);
    for (const o of decided)
      if (!o.prompted) expect(["claimed-elsewhere", "item-cooldown", "kiosk-cooldown"]).toContain(o.reason);
    expect(await surveys.count()).toBe(0);
    await surveys.close();
    const prompt = seen.find((e) => e.kind === "survey-prompt")!;
    expect(prompt).toMatchObject({
      kioskId: fx.kiosk.id,
      itemId: fx.item.id,
      reason: "negative-interaction",
    });
    // Waiting for the kiosk (none is connected), for as long as a prompt is valid.
    const waiting = parsePendingPrompt(await redis.get(pendingPromptKey(fx.kiosk.id, prefix)));
    expect(waiting?.event).toEqual(prompt);
    // Cooldown keys carry the prompt time and expire with the cooldown (store settings, seconds → ms).
    const keys = cooldownKeys({ storeId: fx.store.id, kioskId: fx.kiosk.id, itemId: fx.item.id }, prefix);
    expect(Number(await redis.get(keys.kiosk))).toBe(prompt.kind === "survey-prompt" && prompt.at);
    expect(await redis.pttl(keys.item)).toBeGreaterThan(590_000);
    // Another negative interaction within the cooldown: no prompt.
    clock = Date.now();
    expect(await processSurveyTrigger(trigger, interaction())).toEqual({
      prompted: false,
      reason: "item-cooldown",
    });
    off();
  });

  it("the cooldown claim is atomic: of concurrent claims exactly one wins, and a zero cooldown sets no key", async () => {
    const keys = cooldownKeys({ storeId: fx.store.id, kioskId: "claim-k", itemId: "claim-i" }, prefix);
    const claims = await Promise.all(
      Array.from({ length: 8 }, () =>
        redis.eval(CLAIM_COOLDOWNS_LUA, 2, keys.kiosk, keys.item, "1", "60000", "0"),
      ),
    );
    expect(claims.filter((c) => c === 1)).toHaveLength(1);
    expect(await redis.exists(keys.item)).toBe(0);
    expect(await redis.pttl(keys.kiosk)).toBeGreaterThan(50_000);
  });

  it("skips positive interactions, zones without a kiosk, unflagged items and stale events without prompting", async () => {
    await clearCooldowns();
    clock = Date.now();
    const reasons = [];
    for (const e of [
      interaction({ negative: false, dominant: "happy", valence: 60 }),
      interaction({ zoneId: fx.otherZone.id }),
      interaction({ itemId: fx.unflagged.id }),
      interaction({ itemId: null }),
      interaction({ at: clock - 10 * 60_000 }),
    ]) {
      const r = await processSurveyTrigger(trigger, e);
      reasons.push(r.prompted ? "prompted" : r.reason);
    }
    expect(reasons).toEqual(["not-negative", "no-kiosk", "not-flagged", "no-item", "stale"]);
  });

  it("a kiosk stream delivers a prompt once: a waiting one when it connects, a published one at once; a cleared flag mints nothing", async () => {
    clock = Date.now();
    const waiting = parsePendingPrompt(await redis.get(pendingPromptKey(fx.kiosk.id, prefix)))!;
    // The kiosk connects: the prompt decided while it was away is shown, with a single-use kiosk invite.
    const payload = await deliverWaitingPrompt(deps, kioskRef());
    expect(payload).toMatchObject({ promptId: waiting.event.promptId, itemName: "Sea-salt crisps" });
    expect(payload!.href).toMatch(/^\/s\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    const view = await loadInvite(db, payload!.href.slice(3), secret);
    expect(view).toMatchObject({ state: "open", channel: "kiosk", kioskId: fx.kiosk.id });
    // Delivered once: neither a reconnect nor the live event (another process's stream) mints it again.
    expect(await deliverWaitingPrompt(deps, kioskRef())).toBeNull();
    expect(await mintKioskPrompt(deps, kioskRef(), waiting.event)).toBeNull();
    expect(await db.surveyInvite.count({ where: { kioskId: fx.kiosk.id } })).toBe(1);
    // A published prompt: only its own kiosk mints it, once.
    const prompt = { ...waiting.event, promptId: "prompt-0002" };
    expect(await mintKioskPrompt(deps, { ...kioskRef(), id: "another-kiosk" }, prompt)).toBeNull();
    expect(await mintKioskPrompt(deps, kioskRef(), prompt)).toMatchObject({ promptId: "prompt-0002" });
    // The live event never carried the token.
    expect(encodeLiveEvent(prompt)).not.toContain(payload!.href.slice(3));
    // A stream that closes while minting (the kiosk reloads) hands the prompt back: it waits again, is published
    // once more for the kiosk's open stream, and that stream shows it.
    const sub = redis.duplicate();
    const republished: string[] = [];
    sub.on("message", (_channel: string, message: string) => republished.push(message));
    await sub.subscribe(liveChannel(fx.store.id, prefix));
    const reloading = { closed: true, send: () => expect.unreachable("a closed stream sends nothing") };
    const handedBack = { ...waiting.event, promptId: "prompt-0004" };
    expect(await sendKioskPrompt(deps, kioskRef(), handedBack, reloading)).toBe("returned");
    expect((await waitingPrompt(deps, kioskRef()))?.promptId).toBe("prompt-0004");
    const promptIdOf = (m: string) => {
      const e = parseLiveEvent(m);
      return e?.kind === "survey-prompt" ? e.promptId : e?.kind;
    };
    await expect.poll(() => republished.map(promptIdOf)).toEqual(["prompt-0004"]);
    const sent: unknown[] = [];
    const open = { closed: false, send: (_event: string, data: unknown) => sent.push(data) };
    expect(await sendKioskPrompt(deps, kioskRef(), handedBack, open)).toBe("sent");
    expect(sent).toEqual([expect.objectContaining({ promptId: "prompt-0004", itemName: "Sea-salt crisps" })]);
    expect(await waitingPrompt(deps, kioskRef())).toBeNull();
    expect(await sendKioskPrompt(deps, kioskRef(), handedBack, open)).toBe("none");
    // Minting fails (the database is unreachable): the prompt waits again for the stream's next try, without
    // being republished (a failing database must not make streams spin), and is shown once it works.
    const unreachable = createDb({ url: "postgresql://postgres@127.0.0.1:1/unreachable" });
    const failed = { ...waiting.event, promptId: "prompt-0005" };
    await expect(sendKioskPrompt({ ...deps, db: unreachable }, kioskRef(), failed, open)).rejects.toThrow();
    await unreachable.$disconnect();
    expect((await waitingPrompt(deps, kioskRef()))?.promptId).toBe("prompt-0005");
    expect(await sendKioskPrompt(deps, kioskRef(), failed, open)).toBe("sent");
    expect(sent).toHaveLength(2);
    expect(republished).toHaveLength(1);
    await sub.quit();
    await db.flag.updateMany({
      where: { storeId: fx.store.id, itemId: fx.item.id },
      data: { clearedAt: new Date() },
    });
    expect(await mintKioskPrompt(deps, kioskRef(), { ...prompt, promptId: "prompt-0003" })).toBeNull();
    await clearCooldowns();
    expect(await processSurveyTrigger(trigger, interaction())).toEqual({
      prompted: false,
      reason: "not-flagged",
    });
    // An operator's start wins over the (cleared) flag: the same rule as the QR pages (surveyIsActive).
    await db.surveyRun.create({ data: { storeId: fx.store.id, itemId: fx.item.id, running: true } });
    expect((await processSurveyTrigger(trigger, interaction())).prompted).toBe(true);
  });
});
