import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Redis } from "ioredis";
import pg from "pg";
import { pino } from "pino";
import { EXPRESSIONS, QUEUES, redisLayout } from "@shelf/core";
import { createDb, DEMO, seedDemoStore, type Db } from "@shelf/db";
import { createFaceAnalyzer, type FaceAnalyzer } from "@shelf/inference";
import { startWorkers, type RunningWorkers } from "@shelf/worker";
import { liveChannel, parseLiveEvent, type LiveEvent } from "@shelf/survey-engine";
import { BullJobSink, CameraAgent } from "@shelf/camera-agent";
import { randomPrefix, testDatabaseUrl, testRedisUrl } from "../setup/env.ts";
import { findPixelsInDatabase, findPixelsInRedis } from "../support/pixels.ts";
import { keysOf, obliterateQueues, testQueue } from "../support/redis-layout.ts";

/**
 * The thin slice, real at every step: the demo camera (face-api's photos) → real face detection → IoU
 * tracking → calibrated floor mapping → zone and item → BullMQ crops → real expression model → interaction
 * rows and rollups in PostgreSQL. Then: nothing with pixels is left anywhere.
 */
describe("thin slice: demo photos → interactions", () => {
  const url = testDatabaseUrl();
  const redisUrl = testRedisUrl();
  const prefix = randomPrefix("slice");
  const logger = pino({ level: "silent" });
  let db: Db;
  let analyzer: FaceAnalyzer;
  let workers: RunningWorkers;
  let storeId: string;
  let redis: Redis;
  let sub: Redis;
  const live: LiveEvent[] = [];

  beforeAll(async () => {
    db = createDb({ url });
    redis = new Redis(redisUrl);
    ({ storeId } = await seedDemoStore(db));
    sub = new Redis(redisUrl);
    await sub.subscribe(liveChannel(storeId, prefix));
    sub.on("message", (_c, m) => {
      const e = parseLiveEvent(m);
      if (e) live.push(e);
    });
    analyzer = createFaceAnalyzer();
    await analyzer.load();
    workers = startWorkers({ db, redisUrl, prefix, analyzer, logger, finaliseWaitMs: 20_000 });
  });

  afterAll(async () => {
    await workers?.close();
    await obliterateQueues(redisUrl, prefix, [storeId]);
    const leftovers = await keysOf(redis, prefix);
    if (leftovers.length) await redis.del(...leftovers);
    await redis.quit();
    await sub?.quit();
    await analyzer?.dispose();
    await db?.$disconnect();
  });

  it("turns the demo photos into anonymous interactions at the seeded zones and items", async () => {
    const sink = new BullJobSink(redisUrl, redisLayout(prefix).store(storeId), logger);
    const agent = new CameraAgent({
      db,
      analyzer,
      sink,
      logger,
      storeSlug: DEMO.storeSlug,
      fast: true,
      loop: false,
    });
    await agent.start();
    await agent.idle();
    await agent.stop();
    await sink.close();

    const cropsEnqueued = (await agent.metrics.cropsEnqueued.get()).values.reduce((a, v) => a + v.value, 0);
    const faces = (await agent.metrics.faces.get()).values.reduce((a, v) => a + v.value, 0);
    expect(faces).toBeGreaterThan(0);
    expect(cropsEnqueued).toBeGreaterThan(0);

    // Wait until the worker has finalised every visit.
    const tracks = testQueue(redisUrl, prefix, QUEUES.tracks, storeId);
    const crops = testQueue(redisUrl, prefix, QUEUES.crops, storeId);
    const deadline = Date.now() + 120_000;
    for (;;) {
      const [t, c] = await Promise.all([
        tracks.getJobCounts("waiting", "active", "delayed", "prioritized"),
        crops.getJobCounts("waiting", "active", "delayed", "prioritized"),
      ]);
      if (Object.values(t).every((n) => n === 0) && Object.values(c).every((n) => n === 0)) break;
      if (Date.now() > deadline)
        throw new Error(`queues did not drain: tracks ${JSON.stringify(t)} crops ${JSON.stringify(c)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const failed = await tracks.getJobCounts("failed");
    expect(failed.failed).toBe(0);
    // Crop jobs carry pixels: none may remain in any state, completed or failed.
    const cropCounts = await crops.getJobCounts();
    expect(Object.values(cropCounts).reduce((a, n) => a + n, 0)).toBe(0);
    await tracks.close();
    await crops.close();

    const interactions = await db.interaction.findMany({
      where: { storeId },
      include: { zone: true, item: true },
    });
    expect(interactions.length).toBeGreaterThanOrEqual(3);
    const seededSkus = DEMO.zones.flatMap((z) => z.items.map((i) => i.sku)) as string[];
    for (const i of interactions) {
      expect(i.zone.staffOnly).toBe(false);
      expect(i.item).not.toBeNull();
      expect(seededSkus).toContain(i.item!.sku);
      const probs = [i.pAngry, i.pDisgust, i.pFear, i.pHappy, i.pSad, i.pSurprise, i.pNeutral];
      expect(probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 3);
      expect(EXPRESSIONS[probs.indexOf(Math.max(...probs))]).toBe(i.dominant);
      expect(i.valence).toBeGreaterThanOrEqual(-100);
      expect(i.valence).toBeLessThanOrEqual(100);
      expect(i.sampleCount).toBeGreaterThan(0);
      expect(i.endedAt.getTime()).toBeGreaterThanOrEqual(i.startedAt.getTime());
    }
    // face-api's demo photos are mostly smiling people: the real model must see that.
    expect(interactions.filter((i) => i.dominant === "happy").length).toBeGreaterThan(0);

    // The live feed saw every new interaction, and per-zone expression distributions while faces were in view.
    const liveIds = live.flatMap((e) => (e.kind === "interaction" ? [e.interactionId] : []));
    expect(liveIds.sort()).toEqual(interactions.map((i) => i.id).sort());
    const dist = live.filter((e) => e.kind === "zone-distribution");
    expect(dist.length).toBeGreaterThan(0);
    expect(
      dist.some(
        (e) =>
          e.kind === "zone-distribution" &&
          e.zones.some((z) => z.shoppers > 0 && z.expressions!.reduce((a, b) => a + b, 0) > 0),
      ),
    ).toBe(true);

    // Rollups account for every interaction exactly once.
    const rollup = await db.hourlyRollup.aggregate({ where: { storeId }, _sum: { count: true } });
    expect(rollup._sum.count).toBe(interactions.length);

    // Nothing with pixels persisted: not in Postgres, not in Redis.
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    expect(await findPixelsInDatabase(client)).toEqual([]);
    await client.end();
    expect(await findPixelsInRedis(redis, prefix)).toEqual([]);
  });
});
