import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Cluster } from "ioredis";
import { pino } from "pino";
import {
  encodeLiveEvent,
  liveChannel,
  parseLiveEvent,
  redisConnectionConfig,
  type LiveEvent,
  type RedisConnectionConfig,
} from "@shelf/core";
import { connectRedis, type RedisClient } from "@shelf/core/redis-client";
import { createDb, type Db } from "@shelf/db";
import { startWorkers } from "@shelf/worker";
import { bullRescoreRequester } from "../../packages/api/src/flags/rescore.ts";
import { RedisWindowCounter } from "../../packages/api/src/redis-window-counter.ts";
import {
  claimKioskStream,
  stillOwnsKiosk,
  streamOwnerKey,
} from "../../packages/api/src/survey/kiosk-pairing.ts";
import { createCommandRedis, LiveHub } from "../../packages/api/src/survey/redis.ts";
import { randomPrefix, testDatabaseUrl } from "../setup/env.ts";
import { until } from "../support/processes.ts";
import {
  makeTestCa,
  startRedisCluster,
  startRedisServer,
  type TestCa,
  type TestRedisCluster,
  type TestRedisServer,
} from "../support/redis-servers.ts";
import { createWebStore, dropWebStore, type WebStore } from "../support/web-fixtures.ts";

const distribution = (storeId: string, at: number): LiveEvent => ({
  kind: "zone-distribution",
  storeId,
  at,
  zones: [{ zoneId: "zone-1", shoppers: 2, negative: 1 }],
});

/**
 * The web's Redis connections (survey command connection, LiveHub subscriber, sign-in / survey limits, kiosk
 * claims, the rescore requester) follow REDIS_CLUSTER_NODES and REDIS_TLS_CA_FILE as the agent and the worker
 * do: all of them open their connection with `connectRedis` (`@shelf/core/redis-client`). A 3-master Redis
 * Cluster and a TLS-only redis-server, started here.
 */
describe("the web's Redis connections on a Redis Cluster (3 local masters started by the test)", () => {
  let cluster: TestRedisCluster;
  let config: RedisConnectionConfig;
  let client: RedisClient;
  const prefix = randomPrefix("web-cluster");

  beforeAll(async () => {
    cluster = await startRedisCluster(3);
    // As the web's env gives it: REDIS_URL's host is unused on a cluster, only its scheme and credentials.
    config = redisConnectionConfig({
      REDIS_URL: "redis://127.0.0.1:1",
      REDIS_CLUSTER_NODES: cluster.nodeList,
    });
    client = connectRedis(config, { maxRetriesPerRequest: 3 });
  });
  afterAll(async () => {
    await client?.quit();
    await cluster?.stop();
  });

  it("a LiveHub listener receives the live events a worker-side cluster client publishes, whichever master it reaches", async () => {
    const hub = new LiveHub(config);
    const worker = connectRedis(config, { maxRetriesPerRequest: 3 });
    expect(worker).toBeInstanceOf(Cluster);
    const received: LiveEvent[] = [];
    try {
      // Three stores: channels of different slots (pub/sub is not sharded: PUBLISH reaches every node).
      const stores = ["store-a", "store-b", "store-c"];
      for (const storeId of stores)
        await hub.subscribe(liveChannel(storeId, prefix), (m) => {
          const e = parseLiveEvent(m);
          if (e) received.push(e);
        });
      // Through the cluster client (the worker's LivePublisher.publish), then on each master directly.
      const masters = (worker as Cluster).nodes("master");
      expect(masters).toHaveLength(3);
      const sent: LiveEvent[] = [];
      for (const [i, storeId] of stores.entries()) {
        const e = distribution(storeId, 1_000 + i);
        sent.push(e);
        // PUBLISH answers the receiving node's own subscriber count (0 unless the hub's node): not checked.
        await worker.publish(liveChannel(storeId, prefix), encodeLiveEvent(e));
      }
      for (const [i, master] of masters.entries()) {
        const e = distribution(stores[i]!, 2_000 + i);
        sent.push(e);
        await master.publish(liveChannel(e.storeId, prefix), encodeLiveEvent(e));
      }
      await until(() => received.length === sent.length, 10_000, "every live event at the hub");
      expect(received.sort((a, b) => a.at - b.at)).toEqual(sent);
      expect(hub.count(liveChannel("store-a", prefix))).toBe(1);
    } finally {
      await hub.close();
      await worker.quit();
    }
  });

  it("the command connection counts limits and claims kiosks on the cluster", async () => {
    const redis = createCommandRedis(config);
    try {
      expect(redis).toBeInstanceOf(Cluster);
      const counter = new RedisWindowCounter(redis, "test limiter");
      const rule = { limit: 2, windowMs: 60_000 };
      const now = Date.now();
      // Keys of different slots (and so of different masters, here): each counted where it lives.
      const keys = ["a", "b", "c", "d"].map((k) => `${prefix}:rl:${k}`);
      for (const key of keys) {
        expect(await counter.hit(key, rule, now)).toMatchObject({ allowed: true, count: 1 });
        expect(await counter.hit(key, rule, now)).toMatchObject({ allowed: true, count: 2 });
        expect(await counter.hit(key, rule, now)).toMatchObject({ allowed: false, count: 3 });
        expect(await client.get(key)).toBe("3"); // in Redis, not the per-process fallback
      }
      const slots = await Promise.all(keys.map((k) => client.call("CLUSTER", "KEYSLOT", k)));
      expect(new Set(slots).size).toBeGreaterThan(1);

      const first = await claimKioskStream(redis, prefix, "kiosk-1");
      expect(await stillOwnsKiosk(redis, prefix, "kiosk-1", first)).toBe(true);
      const second = await claimKioskStream(redis, prefix, "kiosk-1");
      expect(await stillOwnsKiosk(redis, prefix, "kiosk-1", first)).toBe(false);
      expect(await client.get(streamOwnerKey(prefix, "kiosk-1"))).toBe(second);
    } finally {
      await redis.quit();
    }
  });

  describe("the rescore requester", () => {
    const db: Db = createDb({ url: testDatabaseUrl() });
    let s: WebStore;
    beforeAll(async () => {
      s = await createWebStore(db, { minSample: 10 });
    });
    afterAll(async () => {
      if (s) await dropWebStore(db, s);
      await db.$disconnect();
    });

    it("queues a rescore on the cluster's central queue and gets the worker's answer through QueueEvents", async () => {
      const workers = startWorkers({
        db,
        redisUrl: config,
        prefix,
        analyzer: { classify: () => Promise.reject(new Error("not used")) },
        logger: pino({ level: "silent" }),
      });
      const rescore = bullRescoreRequester({ redisUrl: config, prefix });
      try {
        await workers.ready;
        const result = await rescore({
          storeId: s.store.id,
          mode: "rescore",
          requestId: randomBytes(8).toString("hex"),
        });
        expect(result.changes).toEqual([]);
        expect(result.items).toBeGreaterThanOrEqual(0);
      } finally {
        await rescore.close();
        await workers.close();
      }
    });
  });
});

describe("the web's Redis connections over TLS (rediss:// with a private CA, own redis-server)", () => {
  let ca: TestCa;
  let server: TestRedisServer;
  const prefix = randomPrefix("web-tls");

  beforeAll(async () => {
    ca = await makeTestCa();
    server = await startRedisServer({ tls: ca });
  });
  afterAll(async () => {
    await server?.stop();
    ca?.remove();
  });

  it("with REDIS_TLS_CA_FILE the command connection and the LiveHub reach the server; without it they do not", async () => {
    const config = redisConnectionConfig({ REDIS_URL: server.url, REDIS_TLS_CA_FILE: ca.caCert });
    const redis = createCommandRedis(config);
    const hub = new LiveHub(config);
    const received: string[] = [];
    try {
      await hub.subscribe(liveChannel("store-t", prefix), (m) => received.push(m));
      const e = distribution("store-t", 3_000);
      expect(await redis.publish(liveChannel("store-t", prefix), encodeLiveEvent(e))).toBe(1);
      await until(() => received.length === 1, 10_000, "the live event over TLS");
      expect(parseLiveEvent(received[0]!)).toEqual(e);
    } finally {
      await hub.close();
      await redis.quit();
    }
    // The system's CAs do not know the test CA: the same URL without the CA file gets no answer.
    const untrusting = createCommandRedis(server.url);
    try {
      await expect(untrusting.ping()).rejects.toThrow();
    } finally {
      untrusting.disconnect();
    }
  });
});
