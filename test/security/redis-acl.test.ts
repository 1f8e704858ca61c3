import { createHash, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { pino } from "pino";
import {
  agentAclUser,
  QUEUES,
  redisKeys,
  redisLayout,
  storeAgentAclRules,
  type RedisConnectionConfig,
} from "@shelf/core";
import { createDb, type Db } from "@shelf/db";
import { createFaceAnalyzer, type FaceAnalyzer, type FaceCrop } from "@shelf/inference";
import { startWorkers, type RunningWorkers } from "@shelf/worker";
import { BullJobSink } from "@shelf/camera-agent";
import { randomPrefix, testDatabaseUrl } from "../setup/env.ts";
import { seedAgentStore } from "../support/agent-store.ts";
import { until } from "../support/processes.ts";
import { makeTestCa, startRedisServer, type TestCa, type TestRedisServer } from "../support/redis-servers.ts";
import { demoCrops, scriptedVisits } from "../support/scripted-stream.ts";

const logger = pino({ level: "silent" });

interface Store {
  slug: string;
  storeId: string;
  cameraId: string;
  zoneId: string;
  itemId: string;
  password: string;
}

/**
 * Edge → centre: each store's agent reaches the central Redis as its own ACL user (`npm run redis:acl`),
 * confined to its store's keys. Real redis-server processes started here (plain and TLS), the real agent sink,
 * the real worker with the central (default) user.
 */
describe("per-store Redis ACL users (own redis-server, plain and TLS)", () => {
  let db: Db;
  let analyzer: FaceAnalyzer;
  let faces: FaceCrop[];
  const stores: Store[] = [];
  const prefix = randomPrefix("acl");
  const layout = redisLayout(prefix);

  beforeAll(async () => {
    db = createDb({ url: testDatabaseUrl() });
    analyzer = createFaceAnalyzer();
    await analyzer.load();
    faces = await demoCrops(analyzer);
    for (const name of ["a", "b"]) {
      const slug = `acl-${name}-${randomBytes(3).toString("hex")}`;
      const seeded = await seedAgentStore(db, {
        slug,
        sourceUrl: "demo:none",
        width: 640,
        height: 480,
        fps: 2,
      });
      stores.push({ slug, ...seeded, password: randomBytes(24).toString("base64url") });
    }
  });
  afterAll(async () => {
    await db?.store.deleteMany({ where: { slug: { in: stores.map((s) => s.slug) } } });
    await db?.$disconnect();
    await analyzer?.dispose();
  });

  /** Creates the agent users of both stores as the central (default) user would, with the CLI's rules. */
  async function createAgentUsers(admin: Redis): Promise<void> {
    for (const s of stores) {
      const hash = createHash("sha256").update(s.password).digest("hex");
      expect(
        await admin.call(
          "ACL",
          "SETUSER",
          agentAclUser(s.slug),
          ...storeAgentAclRules(layout, s.storeId, hash),
        ),
      ).toBe("OK");
    }
  }

  const agentUrl = (server: TestRedisServer, s: Store) =>
    server.url.replace("://", `://${agentAclUser(s.slug)}:${s.password}@`);

  /** A visit of store `s`: its crops and end through the sink; resolves with the interaction id to wait for. */
  async function sendVisit(sink: BullJobSink, s: Store, runId: string): Promise<string> {
    const [visit] = scriptedVisits({
      runId,
      storeId: s.storeId,
      cameraId: s.cameraId,
      places: [{ zoneId: s.zoneId, itemId: s.itemId }],
      crops: faces,
      visits: 1,
      cropsPerVisit: 3,
    });
    // The first crop waits for the worker's public key under the store's prefix (the agent reads only there).
    await until(async () => sink.crop(visit!.crops[0]!), 30_000, "the agent's first crop");
    for (const c of visit!.crops.slice(1)) expect(await sink.crop(c)).toBe(true);
    await sink.track(visit!.end);
    expect(sink.pendingTrackEvents).toBe(0);
    return visit!.interactionId;
  }

  describe("plain TCP", () => {
    let server: TestRedisServer;
    let admin: Redis;
    let workers: RunningWorkers;

    beforeAll(async () => {
      server = await startRedisServer();
      admin = new Redis(server.url);
      await createAgentUsers(admin);
      workers = startWorkers({ db, redisUrl: server.url, prefix, analyzer, logger, finaliseWaitMs: 20_000 });
      await workers.ready;
    });
    afterAll(async () => {
      await workers?.close();
      await admin?.quit();
      await server?.stop();
    });

    it("store A's agent enqueues A's jobs with its own user, and the central worker turns them into A's interaction", async () => {
      const [a] = stores;
      await admin.call("ACL", "LOG", "RESET");
      const sink = new BullJobSink(agentUrl(server, a!), layout.store(a!.storeId), logger);
      try {
        const id = await sendVisit(sink, a!, `${prefix}-a`);
        await until(
          async () => (await db.interaction.count({ where: { id } })) === 1,
          60_000,
          "A's interaction",
        );
        expect(
          await db.interaction.findFirst({ where: { id }, select: { storeId: true, sampleCount: true } }),
        ).toEqual({
          storeId: a!.storeId,
          sampleCount: 3,
        });
      } finally {
        await sink.close();
      }
      // Nothing the agent needed was refused: the granted command list is enough.
      expect(await admin.call("ACL", "LOG")).toEqual([]);
    });

    it("store A's credentials can neither read nor write store B's jobs and keys, nor any central key (NOPERM)", async () => {
      const [a, b] = stores;
      const bPrefix = layout.store(b!.storeId);
      // A job of store B, queued by B's agent user.
      // As the agent sink does, no version check: BullMQ would read it with INFO, which agents are refused.
      const bQueue = new Queue(QUEUES.tracks, {
        connection: { url: agentUrl(server, b!) },
        prefix: bPrefix,
        skipVersionCheck: true,
      });
      await bQueue.add("start", { secret: "of B" }, { jobId: "b-job" });
      await bQueue.close();

      const asA = new Redis(agentUrl(server, a!), { maxRetriesPerRequest: 0, enableReadyCheck: false });
      const refused = async (p: Promise<unknown>) => expect(p).rejects.toThrow(/NOPERM/);
      // A key reached only inside a script (not declared) is refused there, in other words.
      const refusedInScript = async (p: Promise<unknown>) =>
        expect(p).rejects.toThrow(/The user executing the script can't access at least one of the keys/);
      try {
        // B's job hash, its wait list, its crop keys and public keys: not readable, not writable.
        await refused(asA.hgetall(redisKeys.job(bPrefix, QUEUES.tracks, "b-job")));
        await refused(asA.hset(redisKeys.job(bPrefix, QUEUES.tracks, "b-job"), "data", "{}"));
        await refused(asA.hgetall(redisKeys.cropRecipients(bPrefix)));
        await refused(asA.sadd(redisKeys.visitCrops(bPrefix, { trackKey: "t", zoneId: "z" }), "x"));
        // A script naming B's key is refused, whether the key is declared (at the call) or not (inside it).
        await refused(
          asA.eval(
            "return redis.call('hgetall', KEYS[1])",
            1,
            redisKeys.job(bPrefix, QUEUES.tracks, "b-job"),
          ),
        );
        await refusedInScript(
          asA.eval(`return redis.call('hgetall', '${redisKeys.job(bPrefix, QUEUES.tracks, "b-job")}')`, 0),
        );
        // Central queues and keys.
        await refused(asA.hset(`${layout.central}:${QUEUES.scoring}:x`, "a", "b"));
        // Commands that list keys, read other data types, publish, or administer.
        await refused(asA.scan("0"));
        await refused(asA.keys("*"));
        await refused(asA.get(`${layout.store(a!.storeId)}:x`)); // GET is not needed, so not granted
        await refused(asA.publish(`${prefix}:live:${b!.storeId}`, "{}"));
        await refused(asA.call("CONFIG", "GET", "*"));
        await refused(asA.call("FLUSHALL"));
        await refused(asA.call("ACL", "LIST"));
        // INFO shows the whole server (clients, memory, keyspace of every store): not granted either.
        await refused(asA.info());
        await refused(asA.info("server"));
      } finally {
        asA.disconnect();
      }

      // BullMQ as store A, aimed at store B's queue: adding and reading fail.
      const aIntoB = new Queue(QUEUES.tracks, {
        connection: { url: agentUrl(server, a!), maxRetriesPerRequest: 0 },
        prefix: bPrefix,
        // Refused for B's keys, not for INFO (the version check).
        skipVersionCheck: true,
      });
      aIntoB.on("error", () => undefined);
      try {
        await refused(aIntoB.add("end", { forged: true }, { jobId: "forged" }));
        await refused(aIntoB.getJob("b-job"));
        await refused(aIntoB.getJobCounts());
      } finally {
        await aIntoB.close();
      }
      // The agent sink itself, given B's prefix with A's user, sends nothing.
      const sink = new BullJobSink(agentUrl(server, a!), bPrefix, logger);
      try {
        await until(async () => (await admin.ping()) === "PONG", 5_000, "redis");
        const [visit] = scriptedVisits({
          runId: `${prefix}-forge`,
          storeId: b!.storeId,
          cameraId: b!.cameraId,
          places: [{ zoneId: b!.zoneId, itemId: b!.itemId }],
          crops: faces,
          visits: 1,
          cropsPerVisit: 1,
        });
        await new Promise((r) => setTimeout(r, 500)); // connected
        expect(await sink.crop(visit!.crops[0]!)).toBe(false);
        await sink.track(visit!.end);
        expect(sink.pendingTrackEvents).toBe(1); // waiting, never delivered
      } finally {
        await sink.close();
      }
      // B's job is untouched and nothing was forged into B's queue.
      expect(await admin.hget(redisKeys.job(bPrefix, QUEUES.tracks, "b-job"), "data")).toBe(
        JSON.stringify({ secret: "of B" }),
      );
      expect(await admin.exists(redisKeys.job(bPrefix, QUEUES.tracks, "forged"))).toBe(0);
      expect(await admin.call("ACL", "LOG")).not.toEqual([]); // and every refusal was logged by Redis
    });
  });

  describe("TLS (rediss:// with a private CA)", () => {
    let ca: TestCa;
    let server: TestRedisServer;
    let admin: Redis;
    let workers: RunningWorkers;

    beforeAll(async () => {
      ca = await makeTestCa();
      server = await startRedisServer({ tls: ca });
      const central: RedisConnectionConfig = { url: server.url, caFile: ca.caCert };
      admin = new Redis(server.url, { tls: { ca: readPem(ca.caCert) } });
      await createAgentUsers(admin);
      workers = startWorkers({ db, redisUrl: central, prefix, analyzer, logger, finaliseWaitMs: 20_000 });
      await workers.ready;
    });
    afterAll(async () => {
      await workers?.close();
      await admin?.quit();
      await server?.stop();
      ca?.remove();
    });

    it("the agent connects with rediss://, its ACL user and the CA file; the worker processes its visit", async () => {
      const [a] = stores;
      const sink = new BullJobSink(
        { url: agentUrl(server, a!), caFile: ca.caCert },
        layout.store(a!.storeId),
        logger,
      );
      try {
        const id = await sendVisit(sink, a!, `${prefix}-tls`);
        await until(
          async () => (await db.interaction.count({ where: { id } })) === 1,
          60_000,
          "A's interaction over TLS",
        );
      } finally {
        await sink.close();
      }
    });

    it("without the CA the agent does not trust the server, and a plain connection to the TLS port gets nowhere", async () => {
      const [a] = stores;
      const untrusting = new BullJobSink(agentUrl(server, a!), layout.store(a!.storeId), logger);
      const plain = new Redis(`redis://127.0.0.1:${server.port}`, {
        maxRetriesPerRequest: 0,
        connectTimeout: 1000,
        retryStrategy: () => null,
      });
      plain.on("error", () => undefined);
      try {
        await new Promise((r) => setTimeout(r, 1500));
        const [visit] = scriptedVisits({
          runId: `${prefix}-untrusted`,
          storeId: a!.storeId,
          cameraId: a!.cameraId,
          places: [{ zoneId: a!.zoneId, itemId: a!.itemId }],
          crops: faces,
          visits: 1,
          cropsPerVisit: 1,
        });
        expect(await untrusting.crop(visit!.crops[0]!)).toBe(false);
        await expect(plain.ping()).rejects.toThrow();
      } finally {
        await untrusting.close();
        plain.disconnect();
      }
    });
  });
});

function readPem(file: string): string {
  return readFileSync(file, "utf8");
}
