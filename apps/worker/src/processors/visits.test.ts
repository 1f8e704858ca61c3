import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { pino } from "pino";
import {
  EXPRESSIONS,
  interactionId,
  QUEUES,
  redisKeys,
  redisLayout,
  ZExpressionProbs,
  type Expression,
  type TrackContext,
  type TrackEvent,
} from "@shelf/core";
import { WorkerCounters } from "../counters.ts";
import type { InteractionRecord } from "../interaction-writer.ts";
import { LivePublisher } from "../live.ts";
import { debouncedRescore } from "../rescore.ts";
import { SamplesStore } from "../samples-store.ts";
import { TEST_REDIS_URL, testRedis } from "../test-support/redis.ts";
import { VisitBook } from "../visit-book.ts";
import { JobRejected } from "./rejected.ts";
import { abandonedEnd, processTrackEvent, type VisitDeps } from "./visits.ts";

const logger = pino({ level: "silent" });
const T0 = 1_700_000_000_000;
const context: TrackContext = {
  storeId: "store-1",
  cameraId: "cam-1",
  zoneId: "zone-1",
  itemId: "item-1",
  trackKey: "run:cam-1:7:1",
  calibrationVersion: 1,
};
/** Probabilities, EXPRESSIONS order, with `e` dominant. */
const probs = (e: Expression) => ZExpressionProbs.parse(EXPRESSIONS.map((x) => (x === e ? 0.64 : 0.06)));
const end = (over: Partial<Extract<TrackEvent, { type: "end" }>> = {}): TrackEvent => ({
  type: "end",
  context,
  startedAt: T0,
  endedAt: T0 + 4_000,
  cropsSent: 3,
  ...over,
});

describe("processTrackEvent (real Redis; the store's settings and the exactly-once writer are ports)", () => {
  let r: ReturnType<typeof testRedis>;
  let sub: Redis;
  let samples: SamplesStore;
  let visits: VisitBook;
  let counters: WorkerCounters;
  let scoring: Queue;
  /** The interaction table, by id (the real writer's exactly-once rule: a known id is not written again). */
  let table: Map<string, InteractionRecord>;
  let negative: Expression[];
  let published: { kind: string; [k: string]: unknown }[];
  let written: string[];
  let triggered: string[];

  const deps = (over: Partial<VisitDeps> = {}): VisitDeps => ({
    settings: async () => ({ negative: new Set(negative), includeHesitation: false }),
    write: async (record) => (table.has(record.id) ? false : (table.set(record.id, record), true)),
    samples,
    visits,
    places: {
      problem: async (c) =>
        c.zoneId === "zone-1"
          ? null
          : { code: "unknown-zone", reason: `context.zoneId: no zone ${c.zoneId}` },
    },
    live: new LivePublisher(r.redis, r.prefix, logger, async () => new Set(negative)),
    counters,
    logger,
    rescore: debouncedRescore(scoring),
    triggerSurvey: async (event) => void triggered.push(event.interactionId),
    written: (id) => written.push(id),
    finaliseGuardMs: 60_000,
    ...over,
  });
  const job = (timestamp = T0 + 5_000) => ({ id: "j1", timestamp });
  const put = (at: number, e: Expression) =>
    samples.put(context, { status: "ok", capturedAt: at, probs: probs(e) });

  beforeEach(async () => {
    r = testRedis("visits");
    samples = new SamplesStore(r.redis, r.prefix);
    visits = new VisitBook(r.redis, redisLayout(r.prefix));
    counters = new WorkerCounters(r.redis, r.prefix, logger);
    scoring = new Queue(QUEUES.scoring, { connection: { url: TEST_REDIS_URL }, prefix: r.prefix });
    table = new Map();
    negative = ["angry", "disgust"];
    published = [];
    written = [];
    triggered = [];
    sub = r.redis.duplicate();
    await sub.subscribe(`${r.prefix}:live:store-1`);
    sub.on("message", (_channel, message: string) => published.push(JSON.parse(message)));
  });
  afterEach(async () => {
    await sub.quit();
    await scoring.obliterate({ force: true });
    await scoring.close();
    await r.cleanup();
  });

  /** Pub/sub delivery is asynchronous: a round trip on the subscriber's server lets it arrive. */
  const settle = () => new Promise((f) => setTimeout(f, 50));

  it("a start opens the visit", async () => {
    expect(await processTrackEvent(deps(), { type: "start", context, at: T0 }, job(), 1_000)).toEqual({
      status: "noted",
    });
    expect(await visits.silentSince(2_000)).toEqual([{ context, at: T0 }]);
  });

  it("an end carrying the agent's vectors (edge classification) is written from them, without waiting for crops", async () => {
    // A crop of some other origin is still queued for this visit: an edge end does not wait on it.
    const store = redisLayout(r.prefix).store(context.storeId);
    await r.redis.sadd(redisKeys.visitCrops(store, context), "crop_x");
    await r.redis.hset(redisKeys.job(store, QUEUES.crops, "crop_x"), "data", "{}");
    expect(await visits.queuedCrops(context)).toBe(1);
    const vectors = [
      { capturedAt: T0 + 500, probs: probs("sad") },
      { capturedAt: T0 + 1_000, probs: probs("sad") },
      { capturedAt: T0 + 1_500, probs: probs("happy") },
    ];
    const edgeEnd = end({ cropsSent: 0, samples: vectors });
    const id = interactionId({ ...context, startedAt: T0 });
    expect(await processTrackEvent(deps(), edgeEnd, job(), T0 + 6_000)).toEqual({ status: "written", id });
    expect(table.get(id)).toMatchObject({ dominant: "sad", sampleCount: 3, endedAt: T0 + 4_000 });
    expect(await processTrackEvent(deps(), edgeEnd, job(), T0 + 7_000)).toEqual({ status: "duplicate", id });
    expect(table.size).toBe(1);
    const metrics = await r.redis.hgetall(counters.key);
    expect(Number(metrics.shelf_worker_edge_visits_total)).toBe(2);
    expect(Number(metrics.shelf_worker_interactions_written_total)).toBe(1);
  });

  it("a visit whose crops were all dropped by its agent (link down) writes nothing and is counted as such", async () => {
    const out = await processTrackEvent(deps(), end({ cropsSent: 0, cropsDropped: 4 }), job(), T0 + 6_000);
    expect(out).toEqual({ status: "skipped" });
    expect(table.size).toBe(0);
    const metrics = await r.redis.hgetall(counters.key);
    expect(Number(metrics.shelf_worker_visits_crops_dropped_total)).toBe(1);
    expect(Number(metrics.shelf_worker_visits_without_face_total)).toBe(1);
  });

  it("an end writes one interaction from the classified samples, publishes it and asks for a rescore", async () => {
    await visits.opened(context, T0, 1_000);
    await put(T0 + 1_000, "angry");
    await put(T0 + 2_000, "angry");
    await samples.put(context, { status: "unknown", capturedAt: T0 + 3_000, reason: "too-small" });
    await put(T0 + 3_500, "happy");

    const out = await processTrackEvent(deps(), end({ cropsSent: 4 }), job(), T0 + 6_000);
    const id = interactionId({ ...context, startedAt: T0 });
    expect(out).toEqual({ status: "written", id });
    const row = table.get(id)!;
    expect(row).toMatchObject({
      context,
      startedAt: T0,
      endedAt: T0 + 4_000,
      dwellMs: 4_000,
      sampleCount: 3, // the unknown face is not a sample
      dominant: "angry",
      negative: true,
    });
    expect(row.meanProbs.reduce((a, p) => a + p, 0)).toBeCloseTo(1, 6);
    expect(written).toEqual([id]);
    expect(triggered).toEqual([id]); // handed to the survey trigger engine
    // The samples are gone and the visit is closed (a late start does not reopen it).
    expect(await samples.count(context)).toBe(0);
    await visits.opened(context, T0, 1_000);
    expect(await visits.silentSince(Number.MAX_SAFE_INTEGER)).toEqual([]);
    await settle();
    expect(published).toEqual([
      expect.objectContaining({ kind: "interaction", interactionId: id, dominant: "angry", negative: true }),
    ]);
    const [score] = await scoring.getDelayed();
    expect(score?.data).toEqual({ storeId: "store-1", itemId: "item-1" });
  });

  it("counts as negative what the store's own negative set says", async () => {
    negative = ["sad"];
    await put(T0 + 1_000, "sad");
    const out = await processTrackEvent(deps(), end({ cropsSent: 1 }), job(), T0 + 6_000);
    expect(out.status).toBe("written");
    expect([...table.values()][0]).toMatchObject({ dominant: "sad", negative: true });

    negative = ["angry"];
    const other = { ...context, trackKey: "run:cam-1:8:1" };
    await samples.put(other, { status: "ok", capturedAt: T0 + 1_000, probs: probs("sad") });
    await processTrackEvent(deps(), end({ context: other, cropsSent: 1 }), job(), T0 + 6_000);
    expect(table.get(interactionId({ ...other, startedAt: T0 }))).toMatchObject({ negative: false });
  });

  it("a second end of the same visit writes nothing more and publishes nothing", async () => {
    await put(T0 + 1_000, "happy");
    await processTrackEvent(deps(), end({ cropsSent: 1 }), job(), T0 + 6_000);
    await scoring.obliterate({ force: true });
    await settle();
    published = [];
    await put(T0 + 1_000, "happy"); // a retried crop landed again
    const again = await processTrackEvent(deps(), end({ cropsSent: 1 }), job(), T0 + 7_000);
    expect(again).toEqual({ status: "duplicate", id: interactionId({ ...context, startedAt: T0 }) });
    expect(table.size).toBe(1);
    expect(written).toHaveLength(1);
    await settle();
    expect(published).toEqual([]);
    expect(await scoring.count()).toBe(0);
    expect(triggered).toHaveLength(1); // the survey engine heard of the visit once
    expect(await samples.count(context)).toBe(0);
    expect((await counters.read())["shelf_worker_interactions_written_total"]).toBe(1); // counted once
  });

  it("waits while crops of the visit are still queued, and goes on once they are done", async () => {
    await put(T0 + 1_000, "happy");
    const cropSet = redisKeys.visitCrops(redisLayout(r.prefix).store(context.storeId), context);
    const jobKey = redisKeys.job(redisLayout(r.prefix).store(context.storeId), QUEUES.crops, "crop_2");
    await r.redis.sadd(cropSet, "crop_2");
    await r.redis.hset(jobKey, "data", "{}"); // the crop job still exists: waiting or active

    const now = T0 + 6_000;
    expect(await processTrackEvent(deps(), end({ cropsSent: 2 }), job(), now)).toEqual({
      status: "wait",
      until: now + 200,
    });
    expect(table.size).toBe(0);

    await r.redis.del(jobKey); // classified (or dropped at its TTL)
    expect((await processTrackEvent(deps(), end({ cropsSent: 2 }), job(), now + 200)).status).toBe("written");
  });

  it("stops waiting for queued crops once the end has been queued longer than the guard", async () => {
    await put(T0 + 1_000, "happy");
    await r.redis.sadd(redisKeys.visitCrops(redisLayout(r.prefix).store(context.storeId), context), "crop_2");
    await r.redis.hset(
      redisKeys.job(redisLayout(r.prefix).store(context.storeId), QUEUES.crops, "crop_2"),
      "data",
      "{}",
    );
    const queuedAt = T0 + 5_000;
    const out = await processTrackEvent(deps(), end({ cropsSent: 2 }), job(queuedAt), queuedAt + 60_000);
    expect(out.status).toBe("written");
  });

  it("a visit with no classifiable face writes nothing and is closed", async () => {
    await samples.put(context, { status: "unknown", capturedAt: T0 + 1_000, reason: "flat" });
    expect(await processTrackEvent(deps(), end({ cropsSent: 1 }), job(), T0 + 6_000)).toEqual({
      status: "skipped",
    });
    expect(table.size).toBe(0);
    expect(await samples.count(context)).toBe(0);
    expect(await scoring.count()).toBe(0);
    expect(triggered).toEqual([]);
    expect((await counters.read())["shelf_worker_visits_without_face_total"]).toBe(1);
  });

  it("an abandoned visit ends at its last sample and is counted", async () => {
    await visits.opened(context, T0, 1_000);
    await put(T0 + 1_000, "neutral");
    await put(T0 + 2_500, "neutral");
    const event = abandonedEnd({ context, at: T0 }, await samples.all(context));
    expect(event).toMatchObject({ endedAt: T0 + 2_500, cropsSent: 0, abandoned: true });
    const out = await processTrackEvent(deps(), event, job(), T0 + 400_000);
    expect(out.status).toBe("written");
    expect([...table.values()][0]).toMatchObject({ endedAt: T0 + 2_500, dwellMs: 2_500 });
    expect((await counters.read())["shelf_worker_visits_abandoned_total"]).toBe(1);
  });

  it("a visit at no item asks for no rescore", async () => {
    const shelfOnly = { ...context, itemId: null, trackKey: "run:cam-1:9:1" };
    await samples.put(shelfOnly, { status: "ok", capturedAt: T0 + 1_000, probs: probs("angry") });
    const out = await processTrackEvent(deps(), end({ context: shelfOnly, cropsSent: 1 }), job(), T0 + 6_000);
    expect(out.status).toBe("written");
    expect(await scoring.count()).toBe(0);
  });

  it("refuses a visit at a place the store does not have, and a malformed event", async () => {
    const elsewhere = { ...context, zoneId: "zone-x" };
    const err = await processTrackEvent(deps(), end({ context: elsewhere }), job(), T0).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(JobRejected);
    expect((err as JobRejected).code).toBe("unknown-zone");

    const bad = await processTrackEvent(deps(), { ...end(), startedAt: "yesterday" }, job(), T0).catch(
      (e: unknown) => e,
    );
    expect(bad).toBeInstanceOf(JobRejected);
    expect((bad as JobRejected).code).toBe("invalid");
    expect((bad as Error).message).toMatch(/startedAt/);
  });
});
