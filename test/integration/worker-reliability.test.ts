import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { pino } from "pino";
import { JOB_OPTIONS, QUEUES, redisKeys, redisLayout } from "@shelf/core";
import { createDb, seedDemoStore, type Db } from "@shelf/db";
import { createFaceAnalyzer, type FaceCrop } from "@shelf/inference";
import { BullJobSink } from "@shelf/camera-agent";
import { randomPrefix, testDatabaseUrl, testRedisUrl } from "../setup/env.ts";
import { findPixelsInRedis } from "../support/pixels.ts";
import { testQueue } from "../support/redis-layout.ts";
import { spawnWorker, startPrivateRedis, startTcpProxy, until } from "../support/processes.ts";
import { demoCrops, scriptedVisits, type ScriptedVisit } from "../support/scripted-stream.ts";

/**
 * Exactly-once under failure, with real processes: a scripted stream of visits goes through Redis to worker
 * processes running the real model; a worker is killed with SIGKILL mid-batch, Redis restarts, Postgres is
 * unreachable for seconds. Every interaction must be written exactly once, the rollups must agree, and no
 * pixels may be left in Redis.
 */
describe("worker reliability (real worker processes, Redis, PostgreSQL)", () => {
  const dbUrl = testDatabaseUrl();
  const logger = pino({ level: "silent" });
  let db: Db;
  let crops: FaceCrop[];

  beforeAll(async () => {
    db = createDb({ url: dbUrl });
    const analyzer = createFaceAnalyzer();
    await analyzer.load();
    crops = await demoCrops(analyzer);
    await analyzer.dispose();
    expect(crops.length).toBeGreaterThan(5);
  });
  afterAll(() => db?.$disconnect());

  async function scenario(opts: {
    name: string;
    redisUrl: string;
    workerDbUrl?: string;
    workerEnv?: Record<string, string>;
    /** Runs once the first interaction is written; returns when the fault is over. */
    fault: (ctl: { killWorker(): void; startWorker(): void }) => Promise<void>;
  }) {
    const { storeId, cameraId } = await seedDemoStore(db);
    const slots = await db.planogramSlot.findMany({ where: { zone: { storeId } } });
    const prefix = randomPrefix(opts.name);
    const visits: ScriptedVisit[] = scriptedVisits({
      runId: prefix,
      storeId,
      cameraId,
      places: slots.map((s) => ({ zoneId: s.zoneId, itemId: s.itemId })),
      crops,
      visits: 40,
      cropsPerVisit: 6,
    });
    const expected = new Set(visits.map((v) => v.interactionId));

    const sink = new BullJobSink(opts.redisUrl, redisLayout(prefix).store(storeId), logger);
    await until(async () => sink.crop(visits[0]!.crops[0]!), 10_000, "the producer to reach Redis");
    for (const v of visits) for (const c of v.crops) expect(await sink.crop(c)).toBe(true);
    for (const v of visits) await sink.track(v.end);
    // The agent stays up, as in production: crop keys live in its memory and are wrapped for each worker that
    // starts (the workers below start after the crops were sealed).
    // A duplicated delivery of some track ends (another job id): must not double-count.
    const tracks = new Queue(QUEUES.tracks, {
      connection: { url: opts.redisUrl },
      prefix: redisLayout(prefix).store(storeId),
      defaultJobOptions: JOB_OPTIONS[QUEUES.tracks],
    });
    for (const v of visits.slice(0, 5))
      await tracks.add("end", v.end, { jobId: `dup_${v.context.trackKey.replaceAll(":", "_")}` });

    const workerEnv = {
      DATABASE_URL: opts.workerDbUrl ?? dbUrl,
      REDIS_URL: opts.redisUrl,
      QUEUE_PREFIX: prefix,
      JOB_LOCK_MS: "3000",
      STALLED_CHECK_MS: "1500",
      CLASSIFY_BATCH: "4",
      ...opts.workerEnv,
    };
    const workers = [spawnWorker(workerEnv)];
    const count = () => db.interaction.count({ where: { id: { in: [...expected] } } });
    try {
      await until(async () => (await count()) > 0, 120_000, `a first interaction (${opts.name})`);
      // The fault strikes while most of the stream is still in flight.
      expect(await count()).toBeLessThan(expected.size / 2);
      await opts.fault({
        killWorker: () => workers.forEach((w) => w.kill("SIGKILL")),
        startWorker: () => void workers.push(spawnWorker(workerEnv)),
      });
      await until(
        async () => (await count()) === expected.size,
        180_000,
        `all ${expected.size} interactions (${opts.name})`,
      );
      await until(
        async () =>
          Object.values(await tracks.getJobCounts("waiting", "active", "delayed", "prioritized")).every(
            (n) => n === 0,
          ),
        60_000,
        "the track queue to drain",
      );

      const rows = await db.interaction.findMany({ where: { storeId }, select: { id: true } });
      expect(rows.map((r) => r.id).sort()).toEqual([...expected].sort()); // exactly once, nothing extra
      const rollup = await db.hourlyRollup.aggregate({ where: { storeId }, _sum: { count: true } });
      expect(rollup._sum.count).toBe(expected.size);
      expect((await tracks.getJobCounts("failed")).failed).toBe(0);
      const cropQueue = new Queue(QUEUES.crops, {
        connection: { url: opts.redisUrl },
        prefix: redisLayout(prefix).store(storeId),
      });
      expect(Object.values(await cropQueue.getJobCounts()).reduce((a, n) => a + n, 0)).toBe(0);
      const redis = new Redis(opts.redisUrl);
      expect(await findPixelsInRedis(redis, prefix)).toEqual([]);
      await redis.quit();
      await cropQueue.obliterate({ force: true });
      await cropQueue.close();
    } catch (error) {
      throw new Error(
        `${(error as Error).message}\n--- worker output ---\n${workers.map((w) => w.output()).join("\n---\n")}`,
      );
    } finally {
      workers.forEach((w) => w.kill("SIGKILL"));
      await sink.close();
      await tracks.obliterate({ force: true }).catch(() => undefined);
      await tracks.close();
    }
  }

  it("survives SIGKILL of a worker mid-batch: another worker picks up the stalled jobs", async () => {
    await scenario({
      name: "kill9",
      redisUrl: testRedisUrl(),
      fault: async ({ killWorker, startWorker }) => {
        killWorker();
        startWorker();
      },
    });
  });

  it("survives a Redis restart (AOF on, as production must run it)", async () => {
    const redis = await startPrivateRedis();
    try {
      await scenario({ name: "redis", redisUrl: redis.url, fault: () => redis.restart(3000) });
    } finally {
      await redis.stop();
    }
  });

  it("survives PostgreSQL being unreachable for several seconds", async () => {
    const u = new URL(dbUrl);
    const proxy = await startTcpProxy({ host: u.hostname, port: Number(u.port || 5432) });
    const viaProxy = new URL(dbUrl);
    viaProxy.host = `127.0.0.1:${proxy.port}`;
    try {
      await scenario({
        name: "pg",
        redisUrl: testRedisUrl(),
        workerDbUrl: viaProxy.toString(),
        fault: async () => {
          proxy.cut();
          await new Promise((r) => setTimeout(r, 6000));
          proxy.restore();
        },
      });
    } finally {
      await proxy.close();
    }
  });

  it("survives PostgreSQL unreachable for longer than the old retry budget (75 s > 64 s): jobs wait for it", async () => {
    const u = new URL(dbUrl);
    const proxy = await startTcpProxy({ host: u.hostname, port: Number(u.port || 5432) });
    const viaProxy = new URL(dbUrl);
    viaProxy.host = `127.0.0.1:${proxy.port}`;
    try {
      await scenario({
        name: "pg-long",
        redisUrl: testRedisUrl(),
        workerDbUrl: viaProxy.toString(),
        // Waits capped at 2 s so the drill ends soon after the database is back (default 30 s).
        workerEnv: { DB_RETRY_MIN_MS: "200", DB_RETRY_MAX_MS: "2000" },
        fault: async () => {
          proxy.cut();
          await new Promise((r) => setTimeout(r, 75_000));
          proxy.restore();
        },
      });
    } finally {
      await proxy.close();
    }
  });

  it("finalises the visits of an agent killed mid-visit (no end ever comes) from their samples, and counts them", async () => {
    const { storeId, cameraId } = await seedDemoStore(db);
    const slots = await db.planogramSlot.findMany({ where: { zone: { storeId } } });
    const prefix = randomPrefix("silent");
    const visits = scriptedVisits({
      runId: prefix,
      storeId,
      cameraId,
      places: slots.map((s) => ({ zoneId: s.zoneId, itemId: s.itemId })),
      crops,
      visits: 10,
      cropsPerVisit: 3,
    });
    const worker = spawnWorker({
      DATABASE_URL: dbUrl,
      REDIS_URL: testRedisUrl(),
      QUEUE_PREFIX: prefix,
      VISIT_SILENT_MS: "3000",
      VISIT_SWEEP_MS: "500",
    });
    const redis = new Redis(testRedisUrl());
    const sink = new BullJobSink(testRedisUrl(), redisLayout(prefix).store(storeId), logger);
    const ids = visits.map((v) => v.interactionId);
    try {
      await until(
        async () => (await redis.hlen(redisKeys.cropRecipients(redisLayout(prefix).store(storeId)))) > 0,
        60_000,
        "the worker",
      );
      for (const v of visits) {
        await sink.track({ type: "start", context: v.context, at: v.end.startedAt });
        for (const c of v.crops) expect(await sink.crop(c)).toBe(true);
      }
      // The agent dies here: its visits never end.
      await until(
        async () => (await db.interaction.count({ where: { id: { in: ids } } })) === ids.length,
        60_000,
        "every silent visit to be finalised",
      );
      const rows = await db.interaction.findMany({ where: { id: { in: ids } } });
      expect(rows.every((r) => r.sampleCount === 3)).toBe(true);
      const metrics = await redis.hgetall(`${prefix}:worker-metrics`);
      expect(Number(metrics.shelf_worker_visits_abandoned_total)).toBe(visits.length);
      expect(worker.output()).toMatch(/visit end never came/);
      expect(await redis.keys(`${prefix}:samples:*`)).toEqual([]);
    } catch (error) {
      throw new Error(`${(error as Error).message}\n--- worker ---\n${worker.output()}`);
    } finally {
      worker.kill("SIGKILL");
      await sink.close();
      for (const name of [QUEUES.crops, QUEUES.tracks, QUEUES.scoring, QUEUES.maintenance]) {
        const q = testQueue(testRedisUrl(), prefix, name, storeId);
        await q.obliterate({ force: true }).catch(() => undefined);
        await q.close();
      }
      await redis.quit();
    }
  });

  it("a worker outage longer than 30 s does not finalise visits before their crops are read", async () => {
    const { storeId, cameraId } = await seedDemoStore(db);
    const slots = await db.planogramSlot.findMany({ where: { zone: { storeId } } });
    const prefix = randomPrefix("outage");
    const visits = scriptedVisits({
      runId: prefix,
      storeId,
      cameraId,
      places: slots.map((s) => ({ zoneId: s.zoneId, itemId: s.itemId })),
      crops,
      visits: 20,
      cropsPerVisit: 6,
    });
    const sink = new BullJobSink(testRedisUrl(), redisLayout(prefix).store(storeId), logger);
    const ids = visits.map((v) => v.interactionId);
    let worker: ReturnType<typeof spawnWorker> | undefined;
    try {
      await until(async () => sink.crop(visits[0]!.crops[0]!), 10_000, "the producer to reach Redis");
      for (const c of visits.flatMap((v) => v.crops).slice(1)) expect(await sink.crop(c)).toBe(true);
      for (const v of visits) await sink.track(v.end);
      await new Promise((r) => setTimeout(r, 32_000)); // no worker running
      worker = spawnWorker({ DATABASE_URL: dbUrl, REDIS_URL: testRedisUrl(), QUEUE_PREFIX: prefix });
      await until(
        async () => (await db.interaction.count({ where: { id: { in: ids } } })) === ids.length,
        120_000,
        "every visit's interaction",
      );
      const rows = await db.interaction.findMany({
        where: { id: { in: ids } },
        select: { sampleCount: true },
      });
      expect(rows.map((r) => r.sampleCount)).toEqual(ids.map(() => 6));
    } catch (error) {
      throw new Error(`${(error as Error).message}\n--- worker ---\n${worker?.output()}`);
    } finally {
      worker?.kill("SIGKILL");
      await sink.close();
      for (const name of [QUEUES.crops, QUEUES.tracks, QUEUES.scoring, QUEUES.maintenance]) {
        const q = testQueue(testRedisUrl(), prefix, name, storeId);
        await q.obliterate({ force: true }).catch(() => undefined);
        await q.close();
      }
    }
  });
});
