import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Redis } from "ioredis";
import { pino } from "pino";
import { Registry } from "prom-client";
import { cropJobId, QUEUES, redisLayout } from "@shelf/core";
import { createDb, seedDemoStore, type Db } from "@shelf/db";
import { createFaceAnalyzer, type FaceCrop } from "@shelf/inference";
import { BullJobSink } from "@shelf/camera-agent";
import { randomPrefix, testDatabaseUrl, testRedisUrl } from "../setup/env.ts";
import { compressRatio, filesUnder, findPixelsInFiles } from "../support/pixels.ts";
import { keysOf, testQueue } from "../support/redis-layout.ts";
import { spawnWorker, startPrivateRedis, until } from "../support/processes.ts";
import { demoCrops, scriptedVisits } from "../support/scripted-stream.ts";

/**
 * Face crops travel through Redis, and production Redis writes what it is given to disk (AOF, RDB). These
 * attacks read that disk, and stuff the queue while workers are away.
 */
describe("crop pixels and a persistent Redis (real redis-server, producer and worker processes)", () => {
  const logger = pino({ level: "silent" });
  let db: Db;
  let crops: FaceCrop[];
  let place: { storeId: string; cameraId: string; places: { zoneId: string; itemId: string | null }[] };

  beforeAll(async () => {
    db = createDb({ url: testDatabaseUrl() });
    const analyzer = createFaceAnalyzer();
    await analyzer.load();
    crops = await demoCrops(analyzer); // faces from real photos: recognisable
    await analyzer.dispose();
    const { storeId, cameraId } = await seedDemoStore(db);
    const slots = await db.planogramSlot.findMany({ where: { zone: { storeId } } });
    place = { storeId, cameraId, places: slots.map((s) => ({ zoneId: s.zoneId, itemId: s.itemId })) };
  });
  afterAll(() => db?.$disconnect());

  const visitsFor = (prefix: string, visits: number, cropsPerVisit: number) =>
    scriptedVisits({ runId: prefix, ...place, crops, visits, cropsPerVisit });

  it("a Redis with AOF and RDB on never writes a face crop to its files: crops are sealed, and the seal's keys stay in memory", async () => {
    // rdbcompression off: the scan reads the files as an attacker who decompresses would.
    const redis = await startPrivateRedis({ args: ["--rdbcompression", "no"] });
    const prefix = randomPrefix("aof");
    const sink = new BullJobSink(redis.url, redisLayout(prefix).store(place.storeId), logger);
    const visits = visitsFor(prefix, 8, 4);
    const client = new Redis(redis.url);
    const worker = spawnWorker({
      DATABASE_URL: testDatabaseUrl(),
      REDIS_URL: redis.url,
      QUEUE_PREFIX: prefix,
    });
    try {
      await until(async () => sink.crop(visits[0]!.crops[0]!), 10_000, "the producer to reach Redis");
      for (const c of visits.flatMap((v) => v.crops).slice(1)) expect(await sink.crop(c)).toBe(true);
      for (const v of visits) await sink.track(v.end);
      // A snapshot taken while crops wait in the queue (as `save` or a backup would).
      await client.call("SAVE");
      const ids = visits.map((v) => v.interactionId);
      await until(
        async () => (await db.interaction.count({ where: { id: { in: ids } } })) === ids.length,
        120_000,
        "every visit's interaction",
      );
      await new Promise((r) => setTimeout(r, 1500)); // appendfsync everysec
      const problems = findPixelsInFiles(
        redis.dir,
        crops.map((c) => c.data),
      );
      expect(problems).toEqual([]);
      // Not vacuous: every crop job did pass through these files, and the bar tells face pixels from ciphertext.
      const text = filesUnder(redis.dir)
        .map((f) => readFileSync(f, "latin1"))
        .join("\n");
      for (const v of visits)
        for (const c of v.crops) expect(text).toContain(cropJobId(c.context.trackKey, c.capturedAt));
      expect(crops.every((c) => compressRatio(Buffer.from(c.data)) < 0.95)).toBe(true);
    } catch (error) {
      throw new Error(`${(error as Error).message}\n--- worker ---\n${worker.output()}`);
    } finally {
      worker.kill("SIGKILL");
      await sink.close();
      await client.quit();
      await redis.stop();
    }
  });

  it("a crop still queued past its TTL is dropped unread, and counted", async () => {
    const prefix = randomPrefix("ttl");
    const sink = new BullJobSink(testRedisUrl(), redisLayout(prefix).store(place.storeId), logger, {
      cropTtlMs: 1500,
    });
    const visit = visitsFor(prefix, 1, 5)[0]!;
    const redis = new Redis(testRedisUrl());
    await until(() => redis.ping().then(() => true), 5000, "redis");
    for (const c of visit.crops) expect(await sink.crop(c)).toBe(true);
    await new Promise((r) => setTimeout(r, 2500)); // the workers are down for longer than the TTL
    const worker = spawnWorker({
      DATABASE_URL: testDatabaseUrl(),
      REDIS_URL: testRedisUrl(),
      QUEUE_PREFIX: prefix,
    });
    const queue = testQueue(testRedisUrl(), prefix, QUEUES.crops, place.storeId);
    try {
      await until(
        async () => Object.values(await queue.getJobCounts()).every((n) => n === 0),
        90_000,
        "the crop queue to drain",
      );
      const metrics = await redis.hgetall(`${prefix}:worker-metrics`);
      expect(Number(metrics.shelf_worker_crops_stale_total)).toBe(5);
      expect(await redis.exists(`${prefix}:samples:${visit.context.trackKey}:${visit.context.zoneId}`)).toBe(
        0,
      );
    } catch (error) {
      throw new Error(`${(error as Error).message}\n--- worker ---\n${worker.output()}`);
    } finally {
      worker.kill("SIGKILL");
      await sink.close();
      await queue.obliterate({ force: true });
      await queue.close();
      const keys = await keysOf(redis, prefix);
      if (keys.length) await redis.del(...keys);
      await redis.quit();
    }
  });

  it("with no worker reading, the agent stops sending crops at the backlog cap and counts the ones it held back", async () => {
    const prefix = randomPrefix("backlog");
    const sink = new BullJobSink(testRedisUrl(), redisLayout(prefix).store(place.storeId), logger, {
      cropBacklogCap: 10,
    });
    const registry = new Registry();
    sink.registerMetrics(registry);
    const visit = visitsFor(prefix, 1, 25)[0]!;
    const queue = testQueue(testRedisUrl(), prefix, QUEUES.crops, place.storeId);
    try {
      await until(async () => sink.crop(visit.crops[0]!), 10_000, "the producer to reach Redis");
      const sent = [true];
      for (const c of visit.crops.slice(1)) sent.push(await sink.crop(c));
      expect(sent.filter(Boolean).length).toBe(10);
      expect(await queue.getWaitingCount()).toBe(10);
      expect(sink.cropsRefusedBacklog).toBe(15);
      expect(await registry.metrics()).toMatch(/shelf_agent_crops_backlog_refused_total 15/);
    } finally {
      await sink.close();
      await queue.obliterate({ force: true });
      await queue.close();
    }
  });
});
