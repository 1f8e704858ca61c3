import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Queue, Worker } from "bullmq";
import { Cluster } from "ioredis";
import { pino } from "pino";
import {
  liveChannel,
  parseLiveEvent,
  QUEUES,
  redisLayout,
  type LiveEvent,
  type RedisConnectionConfig,
} from "@shelf/core";
import { connectRedis } from "@shelf/core/redis-client";
import { createDb, type Db } from "@shelf/db";
import { createFaceAnalyzer, type FaceAnalyzer } from "@shelf/inference";
import { startWorkers } from "@shelf/worker";
import { BullJobSink } from "@shelf/camera-agent";
import { LivePublisher } from "../../apps/worker/src/live.ts";
import { LiveHub } from "../../packages/api/src/survey/redis.ts";
import { randomPrefix, testDatabaseUrl } from "../setup/env.ts";
import { seedAgentStore } from "../support/agent-store.ts";
import { until } from "../support/processes.ts";
import { startRedisCluster, type TestRedisCluster } from "../support/redis-servers.ts";
import { demoCrops, scriptedVisits } from "../support/scripted-stream.ts";

const logger = pino({ level: "silent" });

/**
 * Redis Cluster: 3 masters on loopback ports, started here (`redis-server --cluster-enabled yes` +
 * `redis-cli --cluster create`). BullMQ needs every key of a queue in one slot: the layout's hash tags give each
 * store's queues one slot (`<prefix>:{s:<id>}`) and the central queues another (`{<prefix>}`).
 */
describe("Redis Cluster (3 local masters started by the test)", () => {
  let cluster: TestRedisCluster;
  let client: Cluster;
  const prefix = randomPrefix("cluster");
  const layout = redisLayout(prefix);

  beforeAll(async () => {
    cluster = await startRedisCluster(3);
    client = new Cluster(cluster.nodes.map((n) => ({ host: "127.0.0.1", port: n.port })));
  });
  afterAll(async () => {
    await client?.quit();
    await cluster?.stop();
  });

  const slot = async (key: string) => Number(await client.call("CLUSTER", "KEYSLOT", key));

  it("BullMQ over ioredis Cluster runs a store queue's job and a central queue's job, each queue in one slot", async () => {
    const connection = new Cluster(
      cluster.nodes.map((n) => ({ host: "127.0.0.1", port: n.port })),
      { redisOptions: { maxRetriesPerRequest: null } },
    );
    const cases = [
      { name: QUEUES.tracks, queuePrefix: layout.store("storeA") },
      { name: QUEUES.tracks, queuePrefix: layout.store("storeB") },
      { name: QUEUES.scoring, queuePrefix: layout.central },
    ];
    const seen: string[] = [];
    const running: { queue: Queue; worker: Worker }[] = [];
    try {
      for (const c of cases) {
        const queue = new Queue(c.name, { connection, prefix: c.queuePrefix });
        const worker = new Worker(
          c.name,
          async (job) => {
            seen.push(`${c.queuePrefix}/${job.id}`);
            return { ok: true };
          },
          { connection, prefix: c.queuePrefix },
        );
        running.push({ queue, worker });
        await queue.add("job", { n: 1 }, { jobId: "j1", removeOnComplete: false });
      }
      await until(() => seen.length === cases.length, 30_000, "every job to be processed");
      for (const [i, c] of cases.entries()) {
        const job = await running[i]!.queue.getJob("j1");
        expect(await job!.getState()).toBe("completed");
        expect(job!.returnvalue).toEqual({ ok: true });
        // Every key BullMQ made for this queue hashes to the queue's one slot.
        const keys = (
          await Promise.all(client.nodes("master").map((m) => m.keys(`${c.queuePrefix}:${c.name}:*`)))
        ).flat();
        expect(keys.length).toBeGreaterThan(2);
        expect(new Set(await Promise.all(keys.map(slot))).size).toBe(1);
      }
      // The stores and the centre are spread over slots (and so, with enough stores, over masters).
      const slots = await Promise.all(cases.map((c) => slot(`${c.queuePrefix}:x`)));
      expect(new Set(slots).size).toBe(3);
    } finally {
      for (const r of running) {
        await r.worker.close();
        await r.queue.obliterate({ force: true });
        await r.queue.close();
      }
      await connection.quit();
    }
  });

  it("the worker's live publisher finds every store's recent faces on all masters, and a LiveHub hears each store", async () => {
    const config: RedisConnectionConfig = {
      url: "redis://127.0.0.1:6379", // only its credentials and scheme are used on a cluster
      clusterNodes: cluster.nodes.map((n) => ({ host: "127.0.0.1", port: n.port })),
    };
    const redis = connectRedis(config, { maxRetriesPerRequest: 3 });
    const live = new LivePublisher(redis, prefix, logger, async () => new Set(["sad"]));
    const hub = new LiveHub(config);
    const stores = Array.from({ length: 12 }, (_, i) => `live-store-${i}`);
    const heard: LiveEvent[] = [];
    try {
      for (const storeId of stores)
        await hub.subscribe(liveChannel(storeId, prefix), (m) => {
          const e = parseLiveEvent(m);
          if (e) heard.push(e);
        });
      const now = Date.now();
      // One face per store, read as sad (index 4 of EXPRESSIONS): one shopper, negative, in zone-1.
      for (const storeId of stores)
        await live.sample(
          {
            storeId,
            cameraId: "cam-1",
            zoneId: "zone-1",
            itemId: null,
            trackKey: `t-${storeId}`,
            calibrationVersion: 1,
          },
          now - 100,
          [0, 0, 0, 0, 1, 0, 0],
        );
      // The stores' sets are spread over the masters: a SCAN of one node would miss some.
      const perMaster = await Promise.all(
        client.nodes("master").map(async (m) => (await m.keys(`${prefix}:live-recent:*`)).length),
      );
      expect(perMaster.reduce((a, b) => a + b, 0)).toBe(stores.length);
      expect(perMaster.filter((n) => n > 0).length).toBeGreaterThan(1);

      const published = await live.tick(now);
      expect(published.map((e) => e.storeId).sort()).toEqual([...stores].sort());
      for (const e of published)
        expect(e).toMatchObject({
          kind: "zone-distribution",
          zones: [{ zoneId: "zone-1", shoppers: 1, negative: 1, expressions: [0, 0, 0, 0, 1, 0, 0] }],
        });
      await until(() => heard.length === stores.length, 10_000, "every store's distribution at the hub");
      expect(heard.map((e) => e.storeId).sort()).toEqual([...stores].sort());
    } finally {
      live.stop();
      await hub.close();
      await Promise.all(stores.map((s) => redis.del(`${prefix}:live-recent:${s}`)));
      await redis.quit();
    }
  });

  describe("the agent sink and the worker on REDIS_CLUSTER_NODES", () => {
    let db: Db;
    let analyzer: FaceAnalyzer;
    const slug = `cluster-${Math.random().toString(36).slice(2, 8)}`;

    beforeAll(async () => {
      db = createDb({ url: testDatabaseUrl() });
      analyzer = createFaceAnalyzer();
      await analyzer.load();
    });
    afterAll(async () => {
      await db?.store.deleteMany({ where: { slug } });
      await db?.$disconnect();
      await analyzer?.dispose();
    });

    it("a store's visit goes agent → store queues → worker → interaction, and its score job runs on the central queue", async () => {
      const place = await seedAgentStore(db, {
        slug,
        sourceUrl: "demo:none",
        width: 640,
        height: 480,
        fps: 2,
      });
      const config: RedisConnectionConfig = {
        url: "redis://127.0.0.1:6379", // only its credentials and scheme are used on a cluster
        clusterNodes: cluster.nodes.map((n) => ({ host: "127.0.0.1", port: n.port })),
      };
      const workers = startWorkers({
        db,
        redisUrl: config,
        prefix,
        analyzer,
        logger,
        finaliseWaitMs: 20_000,
      });
      const scored: string[] = [];
      workers.onScore((storeId, itemId) => scored.push(`${storeId}/${itemId}`));
      await workers.ready;
      const sink = new BullJobSink(config, layout.store(place.storeId), logger);
      try {
        const [visit] = scriptedVisits({
          runId: prefix,
          storeId: place.storeId,
          cameraId: place.cameraId,
          places: [{ zoneId: place.zoneId, itemId: place.itemId }],
          crops: await demoCrops(analyzer),
          visits: 1,
          cropsPerVisit: 3,
        });
        await until(async () => sink.crop(visit!.crops[0]!), 30_000, "the agent's first crop");
        for (const c of visit!.crops.slice(1)) expect(await sink.crop(c)).toBe(true);
        await sink.track(visit!.end);
        await until(
          async () => (await db.interaction.count({ where: { id: visit!.interactionId } })) === 1,
          60_000,
          "the interaction",
        );
        expect(
          await db.interaction.findFirst({
            where: { id: visit!.interactionId },
            select: { sampleCount: true },
          }),
        ).toEqual({
          sampleCount: 3,
        });
        // The interaction asks for its item's rescore: a central-queue job, processed on the cluster too.
        await until(() => scored.includes(`${place.storeId}/${place.itemId}`), 30_000, "the item's score");
      } finally {
        await sink.close();
        await workers.close();
      }
    });
  });
});
