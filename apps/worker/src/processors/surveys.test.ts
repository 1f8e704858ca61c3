import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Queue } from "bullmq";
import { pino } from "pino";
import { QUEUES, type InteractionEvent, type LiveEvent } from "@shelf/core";
import {
  cooldownKeys,
  parsePendingPrompt,
  pendingPromptKey,
  PROMPT_VALID_MS,
  type KioskRef,
} from "@shelf/survey-engine";
import { TEST_REDIS_URL, testRedis } from "../test-support/redis.ts";
import { JobRejected } from "./rejected.ts";
import { processSurveyTrigger, queueSurveyTrigger, type SurveyTriggerDeps } from "./surveys.ts";

const logger = pino({ level: "silent" });
const NOW = 1_800_000_000_000;

describe("the survey trigger engine (real Redis; flags, kiosks and rules are ports)", () => {
  let r: ReturnType<typeof testRedis>;
  let published: LiveEvent[];
  let active: Set<string>;
  let kiosks: KioskRef[];
  let clock: number;
  let seq: number;

  const deps = (over: Partial<SurveyTriggerDeps> = {}): SurveyTriggerDeps => ({
    surveyActive: async (_s, itemId) => active.has(itemId),
    kiosks: async (_s, zoneId) => kiosks.filter((k) => k.zoneId === zoneId),
    rules: async () => ({ surveyCooldowns: { kioskMs: 120_000, itemMs: 600_000 } }),
    redis: r.redis,
    prefix: r.prefix,
    live: { publish: async (e) => void published.push(e) },
    logger,
    now: () => clock,
    newId: () => `prompt-${String(++seq).padStart(4, "0")}`,
    ...over,
  });
  const interaction = (over: Partial<InteractionEvent> = {}): InteractionEvent => ({
    kind: "interaction",
    storeId: "s1",
    zoneId: "z1",
    itemId: "crisps",
    interactionId: `i-${++seq}`,
    at: clock - 500,
    dominant: "disgust",
    valence: -70,
    negative: true,
    dwellMs: 4000,
    ...over,
  });

  beforeEach(() => {
    r = testRedis("surveys");
    published = [];
    active = new Set(["crisps"]);
    kiosks = [
      { id: "k-b", zoneId: "z1" },
      { id: "k-a", zoneId: "z1" },
      { id: "k-other", zoneId: "z2" },
    ];
    clock = NOW;
    seq = 0;
  });
  afterEach(() => r.cleanup());

  it("a negative interaction at a flagged item prompts one kiosk of its zone: cooldowns claimed, waiting, published", async () => {
    const out = await processSurveyTrigger(deps(), interaction());
    expect(out).toEqual({
      prompted: true,
      event: {
        kind: "survey-prompt",
        storeId: "s1",
        kioskId: "k-a", // never prompted: ties go to the smallest id
        zoneId: "z1",
        itemId: "crisps",
        promptId: expect.stringMatching(/^prompt-/),
        at: NOW,
        reason: "negative-interaction",
      },
    });
    const prompt = out.prompted ? out.event : null;
    expect(published).toEqual([prompt]);
    const waiting = parsePendingPrompt(await r.redis.get(pendingPromptKey("k-a", r.prefix)));
    expect(waiting).toEqual({ event: prompt, expiresAt: NOW + PROMPT_VALID_MS });
    expect(await r.redis.pttl(pendingPromptKey("k-a", r.prefix))).toBeGreaterThan(PROMPT_VALID_MS - 5000);
    const keys = cooldownKeys({ storeId: "s1", kioskId: "k-a", itemId: "crisps" }, r.prefix);
    expect(Number(await r.redis.get(keys.kiosk))).toBe(NOW);
    expect(await r.redis.pttl(keys.item)).toBeGreaterThan(590_000);
  });

  it("decides once however many workers take the same interaction at once", async () => {
    const event = interaction();
    const outs = await Promise.all(Array.from({ length: 6 }, () => processSurveyTrigger(deps(), event)));
    expect(outs.filter((o) => o.prompted)).toHaveLength(1);
    for (const o of outs)
      if (!o.prompted) expect(["claimed-elsewhere", "item-cooldown", "kiosk-cooldown"]).toContain(o.reason);
    expect(published).toHaveLength(1);
  });

  it("holds the item cooldown, then rotates kiosks once it has passed", async () => {
    expect((await processSurveyTrigger(deps(), interaction())).prompted).toBe(true);
    clock += 60_000;
    expect(await processSurveyTrigger(deps(), interaction())).toEqual({
      prompted: false,
      reason: "item-cooldown",
    });
    clock += 600_000;
    // Redis expires the item key when its (real-time) cooldown ends; on the test's clock, do it by hand.
    await r.redis.del(cooldownKeys({ storeId: "s1", kioskId: "k-a", itemId: "crisps" }, r.prefix).item);
    const again = await processSurveyTrigger(deps(), interaction());
    expect(again.prompted && again.event.kioskId).toBe("k-b"); // k-a was prompted last
  });

  it("skips positive, item-less, stale and unflagged interactions, and zones without a kiosk", async () => {
    const reasons = [];
    for (const e of [
      interaction({ negative: false, dominant: "happy", valence: 60 }),
      interaction({ itemId: null }),
      interaction({ at: clock - 10 * 60_000 }),
      interaction({ itemId: "peanuts" }),
      interaction({ zoneId: "z9" }),
    ]) {
      const o = await processSurveyTrigger(deps(), e);
      reasons.push(o.prompted ? "prompted" : o.reason);
    }
    expect(reasons).toEqual(["not-negative", "no-item", "stale", "not-flagged", "no-kiosk"]);
    expect(published).toEqual([]);
    expect(await r.redis.keys(`${r.prefix}:*`)).toEqual([]);
  });

  it("rejects a malformed job once, naming the field", async () => {
    const err = await processSurveyTrigger(deps(), { ...interaction(), dominant: "smug" }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(JobRejected);
    expect((err as Error).message).toMatch(/dominant/);
  });

  it("the visits hand-off queues only interactions that may prompt, once per interaction", async () => {
    const surveys = new Queue(QUEUES.surveys, { connection: { url: TEST_REDIS_URL }, prefix: r.prefix });
    try {
      const trigger = queueSurveyTrigger(surveys);
      const negative = interaction();
      await trigger(negative);
      await trigger(negative); // a retried visit end
      await trigger(interaction({ negative: false }));
      await trigger(interaction({ itemId: null }));
      const jobs = await surveys.getWaiting();
      expect(jobs.map((j) => j.data)).toEqual([negative]);
      expect(jobs[0]!.id).toBe(`survey_${negative.interactionId}`);
    } finally {
      await surveys.obliterate({ force: true });
      await surveys.close();
    }
  });
});
