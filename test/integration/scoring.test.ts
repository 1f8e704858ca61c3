import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { pino } from "pino";
import { EXPRESSIONS, JOB_OPTIONS, QUEUES, type Expression, redisLayout } from "@shelf/core";
import { createDb, seedDemoStore, type Db } from "@shelf/db";
import { liveChannel, parseLiveEvent, type LiveEvent } from "@shelf/survey-engine";
import { startWorkers, writeInteraction, type RunningWorkers } from "@shelf/worker";
import { randomPrefix, testDatabaseUrl, testRedisUrl } from "../setup/env.ts";
import { until } from "../support/processes.ts";
import { obliterateQueues } from "../support/redis-layout.ts";

/**
 * Rejection scoring end to end on the real scoring worker: interactions land, the item's Wilson bound is
 * computed from the rollups, a flag is raised over the threshold with its reasons and published live, kept inside the hysteresis band, and cleared below it.
 */
describe("rejection scoring and flags (real worker, Redis, PostgreSQL)", () => {
  const redisUrl = testRedisUrl();
  const prefix = randomPrefix("scoring");
  let db: Db;
  let workers: RunningWorkers;
  let sub: Redis;
  const events: LiveEvent[] = [];
  let storeId: string;
  let cameraId: string;
  let n = 0;

  beforeAll(async () => {
    db = createDb({ url: testDatabaseUrl() });
    ({ storeId, cameraId } = await seedDemoStore(db)); // global threshold 0.2, hysteresis 0.05; minSample 10
    // The scoring worker never classifies: an analyzer that would be a bug to call.
    const analyzer = { classify: () => Promise.reject(new Error("not used")) };
    workers = startWorkers({
      db,
      redisUrl,
      prefix,
      analyzer,
      logger: pino({ level: "silent" }),
      retentionEveryMs: 1000,
    });
    sub = new Redis(redisUrl);
    await sub.subscribe(liveChannel(storeId, prefix));
    sub.on("message", (_c, m) => {
      const e = parseLiveEvent(m);
      if (e) events.push(e);
    });
  });

  afterAll(async () => {
    await workers?.close();
    await sub?.quit();
    await obliterateQueues(redisUrl, prefix);
    await db?.$disconnect();
  });

  async function land(sku: string, dominants: Expression[]): Promise<string> {
    const item = await db.item.findUniqueOrThrow({ where: { sku }, include: { slots: true } });
    for (const dominant of dominants) {
      const i = n++;
      await writeInteraction(db, {
        id: `${prefix}-${i}`,
        context: {
          storeId,
          cameraId,
          zoneId: item.slots[0]!.zoneId,
          itemId: item.id,
          trackKey: `s:${i}`,
          calibrationVersion: 1,
        },
        startedAt: Date.now() - 60_000,
        endedAt: Date.now() - 55_000,
        dwellMs: 5000,
        sampleCount: 2,
        meanProbs: EXPRESSIONS.map((e) => (e === dominant ? 0.94 : 0.01)),
        dominant,
        valence: 0,
        hesitation: false,
        negative: dominant === "disgust" || dominant === "angry",
      });
    }
    const scoring = new Queue(QUEUES.scoring, {
      connection: { url: redisUrl },
      prefix: redisLayout(prefix).central,
    });
    await scoring.add("score", { storeId, itemId: item.id });
    await scoring.close();
    return item.id;
  }

  const score = (itemId: string) =>
    db.rejectionScore.findUnique({ where: { storeId_itemId: { storeId, itemId } } });
  const openFlag = (itemId: string) => db.flag.findFirst({ where: { storeId, itemId, clearedAt: null } });

  it("stays quiet below the minimum sample, whatever the rate", async () => {
    const itemId = await land("BEV-002", Array(8).fill("disgust"));
    await until(async () => (await score(itemId))?.n === 8, 20_000, "the score");
    expect((await score(itemId))!.rate).toBe(1);
    expect(await openFlag(itemId)).toBeNull(); // 8 < minSample 10
  });

  it("raises a flag with its reasons when the Wilson lower bound passes the threshold", async () => {
    const itemId = await land("SNK-001", [
      ...Array(15).fill("disgust"),
      ...Array(5).fill("angry"),
      ...Array(20).fill("happy"),
    ]);
    await until(async () => (await openFlag(itemId)) !== null, 20_000, "the flag");
    const flag = (await openFlag(itemId))!;
    expect(flag).toMatchObject({
      n: 40,
      negatives: 20,
      rate: 0.5,
      threshold: 0.2,
      thresholdLevel: "global",
      windowHours: 168,
    });
    expect(flag.lower).toBeCloseTo(0.3518, 3); // Wilson 95 % lower bound of 20/40
    expect(flag.upper).toBeCloseTo(0.6482, 3);
    // The open flag is what activates the item's survey: the trigger engine reads it on each new interaction
    // (test/integration/survey.test.ts); nothing is handed over.
    await until(
      () => events.some((e) => e.kind === "flag" && e.flagId === flag.id && e.state === "raised"),
      5000,
      "the live flag event",
    );
  });

  it("keeps the flag inside the hysteresis band and clears it below", async () => {
    const itemId = (await db.item.findUniqueOrThrow({ where: { sku: "SNK-001" } })).id;
    // 20/70 negative: lower bound ≈ 0.19 — below the 0.2 threshold but above 0.15: still flagged.
    await land("SNK-001", Array(30).fill("happy"));
    await until(async () => (await score(itemId))?.n === 70, 20_000, "the score over 70");
    expect((await score(itemId))!.lower).toBeGreaterThan(0.15);
    expect((await score(itemId))!.lower).toBeLessThan(0.2);
    expect(await openFlag(itemId)).not.toBeNull();
    // 20/170: lower bound ≈ 0.08 — cleared.
    await land("SNK-001", Array(100).fill("neutral"));
    await until(async () => (await openFlag(itemId)) === null, 20_000, "the flag to clear");
    const flags = await db.flag.findMany({ where: { storeId, itemId } });
    expect(flags).toHaveLength(1);
    expect(flags[0]!.clearedAt).not.toBeNull();
    await until(
      () => events.some((e) => e.kind === "flag" && e.state === "cleared"),
      5000,
      "the live clear event",
    );
  });

  it("resolves an item threshold before the category and global ones", async () => {
    const item = await db.item.findUniqueOrThrow({ where: { sku: "BEV-001" } });
    await db.threshold.create({
      data: { storeId, level: "category", category: "beverages", threshold: 0.1 },
    });
    await db.threshold.create({ data: { storeId, level: "item", itemId: item.id, threshold: 0.6 } });
    await land("BEV-001", [...Array(20).fill("angry"), ...Array(20).fill("happy")]); // lower ≈ 0.35
    await until(async () => (await score(item.id))?.n === 40, 20_000, "the score");
    expect(await openFlag(item.id)).toBeNull(); // 0.35 < the item's 0.6, although > category 0.1 and global 0.2
  });

  it("fails a malformed job once, with a clear reason, and never keeps a bad crop", async () => {
    const tracks = new Queue(QUEUES.tracks, {
      connection: { url: redisUrl },
      prefix: redisLayout(prefix).store(storeId),
      defaultJobOptions: JOB_OPTIONS[QUEUES.tracks],
    });
    const crops = new Queue(QUEUES.crops, {
      connection: { url: redisUrl },
      prefix: redisLayout(prefix).store(storeId),
      defaultJobOptions: JOB_OPTIONS[QUEUES.crops],
    });
    const bad = await tracks.add("end", { type: "end", context: { storeId } }, { jobId: "bad-track" });
    await crops.add("crop", { context: { storeId }, crop: { data: "AAAA" } }, { jobId: "bad-crop" });
    await until(async () => (await bad.getState()) === "failed", 10_000, "the bad track job to fail");
    const failed = await tracks.getJob("bad-track");
    expect(failed!.attemptsMade).toBe(1); // no retries for bad input
    expect(failed!.failedReason).toMatch(/invalid track event/);
    await until(
      async () => (await crops.getJob("bad-crop")) === undefined,
      10_000,
      "the bad crop to be removed",
    );
    await tracks.close();
    await crops.close();
  });

  it("runs the retention job on schedule: interactions older than the store's retention are deleted", async () => {
    const item = await db.item.findUniqueOrThrow({ where: { sku: "SNK-002" }, include: { slots: true } });
    const old = Date.now() - 200 * 86_400_000; // retention is 90 days
    await writeInteraction(db, {
      id: `${prefix}-old`,
      context: {
        storeId,
        cameraId,
        zoneId: item.slots[0]!.zoneId,
        itemId: item.id,
        trackKey: "old:1",
        calibrationVersion: 1,
      },
      startedAt: old,
      endedAt: old + 4000,
      dwellMs: 4000,
      sampleCount: 1,
      meanProbs: EXPRESSIONS.map((e) => (e === "happy" ? 0.94 : 0.01)),
      dominant: "happy",
      valence: 90,
      hesitation: false,
      negative: false,
    });
    await until(
      async () => (await db.interaction.count({ where: { id: `${prefix}-old` } })) === 0,
      15_000,
      "retention",
    );
    expect(await db.interaction.count({ where: { storeId } })).toBeGreaterThan(0); // recent ones stay
  });
});
