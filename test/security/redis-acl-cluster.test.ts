import { execFile } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Queue } from "bullmq";
import { Cluster, Redis } from "ioredis";
import { pino } from "pino";
import {
  agentAclUser,
  QUEUES,
  redisConnectionConfig,
  redisKeys,
  redisLayout,
  storeAgentAclRules,
  type RedisConnectionConfig,
} from "@shelf/core";
import { createDb, type Db } from "@shelf/db";
import { createFaceAnalyzer, type FaceAnalyzer, type FaceCrop } from "@shelf/inference";
import { startWorkers, type RunningWorkers } from "@shelf/worker";
import { BullJobSink } from "@shelf/camera-agent";
import {
  AclApplyError,
  applyAclUser,
  parseClusterNodesReply,
  type AclNodeResult,
} from "../../scripts/redis-acl-apply.ts";
import { randomPrefix, ROOT, testDatabaseUrl } from "../setup/env.ts";
import { seedAgentStore } from "../support/agent-store.ts";
import { until } from "../support/processes.ts";
import { startRedisCluster, type TestRedisCluster } from "../support/redis-servers.ts";
import { demoCrops, scriptedVisits } from "../support/scripted-stream.ts";

const run = promisify(execFile);
const logger = pino({ level: "silent" });

interface Store {
  slug: string;
  storeId: string;
  cameraId: string;
  zoneId: string;
  itemId: string;
  password: string;
  /** Port of the master that serves the store's slot (at the start). */
  masterPort: number;
}

/**
 * Edge → centre on a Redis Cluster: ACL users are per node (not replicated, not shared between masters), so
 * `npm run redis:acl -- --apply` sets each store's agent user on every node the cluster reports. 3 masters and 3
 * replicas started here; the real agent sink built as the agent builds it (REDIS_URL with the agent's user +
 * REDIS_CLUSTER_NODES), the real worker with the central (default) user. The stores' slots are on different
 * masters, so each refusal is checked on the node that holds the key.
 */
describe("per-store Redis ACL users on a Redis Cluster (3 masters + 3 replicas started here)", () => {
  let db: Db;
  let analyzer: FaceAnalyzer;
  let faces: FaceCrop[];
  let cluster: TestRedisCluster;
  let admin: Cluster;
  let workers: RunningWorkers;
  let central: RedisConnectionConfig;
  const stores: Store[] = [];
  const prefix = randomPrefix("aclc");
  const layout = redisLayout(prefix);
  /** Per store, what the apply reported. */
  const applied = new Map<string, AclNodeResult[]>();

  /** A direct (non-cluster) connection to one node, as `user` or the default user. */
  const nodeConnection = (port: number, auth?: { username: string; password: string }) => {
    const r = new Redis({
      host: "127.0.0.1",
      port,
      ...auth,
      maxRetriesPerRequest: 0,
      enableReadyCheck: false,
      disableClientInfo: true,
      retryStrategy: () => null,
    });
    r.on("error", () => undefined);
    return r;
  };
  const asAdmin = async <T>(port: number, f: (r: Redis) => Promise<T>): Promise<T> => {
    const r = nodeConnection(port);
    try {
      return await f(r);
    } finally {
      r.disconnect();
    }
  };
  const slotOf = async (key: string) => Number(await admin.call("CLUSTER", "KEYSLOT", key));
  /** The port of the master serving `key`'s slot now. */
  const masterOf = async (key: string): Promise<number> => {
    const slot = await slotOf(key);
    const ranges = (await admin.call("CLUSTER", "SLOTS")) as [number, number, [string, number]][];
    const range = ranges.find(([from, to]) => from <= slot && slot <= to)!;
    return range[2][1];
  };
  const agentAuth = (s: Store) => ({ username: agentAclUser(s.slug), password: s.password });
  /** A cluster client logged in as a store's agent user (`maxRetriesPerRequest: 0` where a refusal must fail fast). */
  const clusterAs = (s: Store, opts: { maxRetriesPerRequest?: number } = {}) =>
    new Cluster(
      cluster.nodes.map((n) => ({ host: "127.0.0.1", port: n.port })),
      {
        redisOptions: { ...agentAuth(s), ...opts, enableReadyCheck: false, disableClientInfo: true },
        enableReadyCheck: false,
      },
    );
  /** The agent's config exactly as apps/camera-agent/src/main.ts builds it from its environment. */
  const agentConfig = (s: Store) =>
    redisConnectionConfig({
      REDIS_URL: `redis://${agentAclUser(s.slug)}:${s.password}@127.0.0.1:6379`,
      REDIS_CLUSTER_NODES: cluster.nodeList,
    });
  const forEveryNode = <T>(f: (r: Redis, port: number) => Promise<T>) =>
    Promise.all(cluster.nodes.map((n) => asAdmin(n.port, (r) => f(r, n.port))));

  beforeAll(async () => {
    db = createDb({ url: testDatabaseUrl() });
    analyzer = createFaceAnalyzer();
    await analyzer.load();
    faces = await demoCrops(analyzer);
    cluster = await startRedisCluster(3, 1);
    admin = new Cluster(cluster.nodes.map((n) => ({ host: "127.0.0.1", port: n.port })));
    // Two stores whose slots are on different masters (a store id hashes to one of the three: a few tries).
    for (let i = 0; stores.length < 2 && i < 20; i++) {
      const slug = `aclc-${i}-${randomBytes(3).toString("hex")}`;
      const seeded = await seedAgentStore(db, {
        slug,
        sourceUrl: "demo:none",
        width: 640,
        height: 480,
        fps: 2,
      });
      const masterPort = await masterOf(`${layout.store(seeded.storeId)}:x`);
      if (stores.some((s) => s.masterPort === masterPort)) {
        await db.store.delete({ where: { id: seeded.storeId } });
        continue;
      }
      stores.push({ slug, ...seeded, password: randomBytes(24).toString("base64url"), masterPort });
    }
    expect(stores).toHaveLength(2);
    // Store A through the CLI, as an operator would (one seed node: it finds the other five). The worker here uses
    // the nodes' default user, which has no password: the CLI names every node and is told that is meant.
    const [a, b] = stores;
    const { stdout } = await run(
      "npx",
      [
        "tsx",
        "scripts/redis-acl.ts",
        "--store",
        a!.slug,
        "--password",
        a!.password,
        "--apply",
        "--allow-open-default",
        "--json",
      ],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          DATABASE_URL: testDatabaseUrl(),
          REDIS_URL: "redis://127.0.0.1:6379", // only its credentials and scheme are used on a cluster
          REDIS_CLUSTER_NODES: `127.0.0.1:${cluster.nodes[0]!.port}`,
          QUEUE_PREFIX: prefix,
        },
      },
    );
    const out = JSON.parse(stdout) as { applied: boolean; openDefaultUser: string[]; nodes: AclNodeResult[] };
    expect(out.applied).toBe(true);
    expect(out.nodes.map((n) => n.defaultUserOpen)).toEqual(Array(6).fill(true));
    expect(out.openDefaultUser.toSorted()).toEqual(
      cluster.nodes.map((n) => `127.0.0.1:${n.port}`).toSorted(),
    );
    applied.set(a!.slug, out.nodes);
    // Store B through the function the CLI calls.
    central = {
      url: "redis://127.0.0.1:6379",
      clusterNodes: [{ host: "127.0.0.1", port: cluster.nodes[1]!.port }],
    };
    const hashB = createHash("sha256").update(b!.password).digest("hex");
    applied.set(
      b!.slug,
      await applyAclUser(central, agentAclUser(b!.slug), storeAgentAclRules(layout, b!.storeId, hashB)),
    );
    workers = startWorkers({
      db,
      redisUrl: redisConnectionConfig({
        REDIS_URL: "redis://127.0.0.1:6379",
        REDIS_CLUSTER_NODES: cluster.nodeList,
      }),
      prefix,
      analyzer,
      logger,
      finaliseWaitMs: 20_000,
    });
    await workers.ready;
  });
  afterAll(async () => {
    await workers?.close();
    await admin?.quit();
    await cluster?.stop();
    await db?.store.deleteMany({ where: { slug: { in: stores.map((s) => s.slug) } } });
    await db?.$disconnect();
    await analyzer?.dispose();
  });

  /** A visit of store `s` through the sink; resolves with the interaction id to wait for. */
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

  it("the apply sets each agent user on all six nodes, masters and replicas, from one seed", async () => {
    for (const s of stores) {
      const results = applied.get(s.slug)!;
      expect(results.map((r) => [r.ok, r.reply])).toEqual(Array(6).fill([true, "OK"]));
      expect(
        results
          .filter((r) => r.role === "master")
          .map((r) => r.slots)
          .reduce((x, y) => x + y),
      ).toBe(16384);
      expect(results.filter((r) => r.role === "replica")).toHaveLength(3);
      expect(new Set(results.map((r) => r.address))).toEqual(
        new Set(cluster.nodes.map((n) => `127.0.0.1:${n.port}`)),
      );
    }
    // Each node holds both users, confined to their own store's keys.
    const users = await forEveryNode(async (r) => {
      const [a, b] = await Promise.all(stores.map((s) => r.call("ACL", "GETUSER", agentAclUser(s.slug))));
      return [JSON.stringify(a), JSON.stringify(b)];
    });
    for (const [a, b] of users) {
      expect(a).toContain(`~${layout.store(stores[0]!.storeId)}:*`);
      expect(b).toContain(`~${layout.store(stores[1]!.storeId)}:*`);
    }
  });

  it("store A's agent, as the agent builds it over the cluster, delivers its visit; the worker makes A's interaction; no node refused it", async () => {
    const [a] = stores;
    await forEveryNode((r) => r.call("ACL", "LOG", "RESET"));
    const sink = new BullJobSink(agentConfig(a!), layout.store(a!.storeId), logger);
    try {
      const id = await sendVisit(sink, a!, `${prefix}-a`);
      await until(
        async () => (await db.interaction.count({ where: { id } })) === 1,
        60_000,
        "A's interaction",
      );
      expect(
        await db.interaction.findFirst({ where: { id }, select: { storeId: true, sampleCount: true } }),
      ).toEqual({ storeId: a!.storeId, sampleCount: 3 });
    } finally {
      await sink.close();
    }
    // Nothing the agent needed (its queues' scripts, its key ring, the cluster's slot map) was refused anywhere.
    expect(await forEveryNode((r) => r.call("ACL", "LOG"))).toEqual(Array(6).fill([]));
  });

  it("with A's credentials, store B's keys and every other key are refused (NOPERM) on the node that holds them and on every other node", async () => {
    const [a, b] = stores;
    const bPrefix = layout.store(b!.storeId);
    const bJob = redisKeys.job(bPrefix, QUEUES.tracks, "b-job");
    // A job of store B, queued by B's agent user over the cluster.
    const bConnection = clusterAs(b!);
    const bQueue = new Queue(QUEUES.tracks, {
      connection: bConnection,
      prefix: bPrefix,
      skipVersionCheck: true,
    });
    await bQueue.add("start", { secret: "of B" }, { jobId: "b-job" });
    await bQueue.close();
    await bConnection.quit();
    expect(await masterOf(bJob)).toBe(b!.masterPort);
    expect(b!.masterPort).not.toBe(a!.masterPort);

    const refused = async (p: Promise<unknown>) => expect(p).rejects.toThrow(/NOPERM/);
    // Keys outside A's prefix on each master: B's keys on B's master, the centre's, and plain keys elsewhere.
    const masters = (await admin.call("CLUSTER", "SLOTS")) as [number, number, [string, number]][];
    const outsideA: string[] = [
      bJob,
      redisKeys.cropRecipients(bPrefix),
      `${layout.central}:${QUEUES.scoring}:x`,
    ];
    for (const [from, to] of masters)
      for (let i = 0; ; i++) {
        const slot = await slotOf(`${prefix}:other:${i}`);
        if (from <= slot && slot <= to) {
          outsideA.push(`${prefix}:other:${i}`);
          break;
        }
      }
    expect(new Set(await Promise.all(outsideA.map(masterOf))).size).toBe(3);

    // Through the cluster client (each command goes to the key's master).
    const asA = clusterAs(a!, { maxRetriesPerRequest: 0 });
    asA.on("error", () => undefined);
    try {
      for (const key of outsideA) {
        await refused(asA.hgetall(key));
        await refused(asA.hset(key, "data", "{}"));
        await refused(asA.sadd(key, "x"));
        await refused(asA.eval("return redis.call('hgetall', KEYS[1])", 1, key));
      }
      await refused(asA.get(`${layout.store(a!.storeId)}:x`)); // GET is not needed, so not granted
      await refused(asA.publish(`${prefix}:live:${b!.storeId}`, "{}"));
    } finally {
      asA.disconnect();
    }

    // On every node directly, replicas included: refused before the node would redirect (MOVED) — while A's own
    // key, on a node that does not serve it, is redirected: the refusals are the ACL, not the topology.
    const aKey = `${layout.store(a!.storeId)}:probe`;
    for (const n of cluster.nodes) {
      const r = nodeConnection(n.port, agentAuth(a!));
      try {
        for (const key of outsideA) {
          await refused(r.hgetall(key));
          await refused(r.hset(key, "data", "{}"));
        }
        await refused(r.info());
        await refused(r.info("keyspace"));
        await refused(r.keys("*"));
        await refused(r.scan("0"));
        await refused(r.call("FLUSHALL"));
        await refused(r.call("FLUSHDB"));
        await refused(r.call("CONFIG", "GET", "*"));
        await refused(r.call("ACL", "LIST"));
        await refused(r.call("ACL", "SETUSER", agentAclUser(a!.slug), "~*", "+@all"));
        await refused(r.call("CLUSTER", "NODES"));
        await refused(r.call("CLUSTER", "RESET"));
        await refused(r.call("CLUSTER", "FAILOVER"));
        // Of CLUSTER and CLIENT only what ioredis's Cluster sends about its own connection is granted.
        await refused(r.call("CLIENT", "LIST"));
        await refused(r.call("CLIENT", "KILL", "ID", "1"));
        await refused(r.call("MONITOR"));
        await refused(r.subscribe(`${prefix}:live:${b!.storeId}`));
        if (n.port !== a!.masterPort) await expect(r.hget(aKey, "x")).rejects.toThrow(/MOVED/);
        else expect(await r.hget(aKey, "x")).toBeNull();
      } finally {
        r.disconnect();
      }
    }

    // BullMQ as store A, aimed at store B's queue over the cluster: adding and reading fail.
    const aConnection = clusterAs(a!, { maxRetriesPerRequest: 0 });
    const aIntoB = new Queue(QUEUES.tracks, {
      connection: aConnection,
      prefix: bPrefix,
      skipVersionCheck: true,
    });
    aIntoB.on("error", () => undefined);
    try {
      await refused(aIntoB.add("end", { forged: true }, { jobId: "forged" }));
      await refused(aIntoB.getJob("b-job"));
      await refused(aIntoB.getJobCounts());
    } finally {
      await aIntoB.close();
      aConnection.disconnect();
    }
    // The agent sink itself, given B's prefix with A's user, delivers nothing.
    const sink = new BullJobSink(agentConfig(a!), bPrefix, logger);
    try {
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
    // B's job is untouched, nothing was forged, and B's master logged the refusals.
    expect(await admin.hget(bJob, "data")).toBe(JSON.stringify({ secret: "of B" }));
    expect(await admin.exists(redisKeys.job(bPrefix, QUEUES.tracks, "forged"))).toBe(0);
    expect(await asAdmin(b!.masterPort, (r) => r.call("ACL", "LOG"))).not.toEqual([]);
  });

  it("after A's master fails over to its replica, A's agent goes on delivering there (the replica had the user)", async () => {
    const [a] = stores;
    const nodes = parseClusterNodesReply(
      String(await asAdmin(a!.masterPort, (r) => r.call("CLUSTER", "NODES"))),
    );
    const master = nodes.find((n) => n.flags.includes("myself"))!;
    const replica = nodes.find((n) => n.flags.includes("slave") && n.masterId === master.id)!;
    const replicaPort = Number(replica.address!.split(":")[1]);
    expect(await asAdmin(replicaPort, (r) => r.call("CLUSTER", "FAILOVER"))).toBe("OK");
    await until(
      async () => ((await asAdmin(replicaPort, (r) => r.call("ROLE"))) as [string])[0] === "master",
      30_000,
      "the replica to take over",
    );
    await until(
      async () => (await masterOf(`${layout.store(a!.storeId)}:x`)) === replicaPort,
      30_000,
      "the cluster to agree",
    );
    await forEveryNode((r) => r.call("ACL", "LOG", "RESET"));
    const sink = new BullJobSink(agentConfig(a!), layout.store(a!.storeId), logger);
    try {
      const id = await sendVisit(sink, a!, `${prefix}-a-failover`);
      await until(
        async () => (await db.interaction.count({ where: { id } })) === 1,
        60_000,
        "A's interaction after the failover",
      );
    } finally {
      await sink.close();
    }
    expect(await forEveryNode((r) => r.call("ACL", "LOG"))).toEqual(Array(6).fill([]));
  });

  it("the apply fails clearly, naming the node, when one node refuses (an admin user missing there), and still sets the others", async () => {
    const [a] = stores;
    // An operator user present on five nodes only, as on a node added later without it.
    const opsPassword = randomBytes(16).toString("hex");
    const left = cluster.nodes[5]!.port;
    await forEveryNode(async (r, port) =>
      port === left ? null : r.call("ACL", "SETUSER", "ops", "on", `>${opsPassword}`, "~*", "&*", "+@all"),
    );
    const hash = createHash("sha256").update(a!.password).digest("hex");
    const err = await applyAclUser(
      {
        url: `redis://ops:${opsPassword}@127.0.0.1:6379`,
        clusterNodes: [{ host: "127.0.0.1", port: cluster.nodes[0]!.port }],
      },
      agentAclUser(a!.slug),
      storeAgentAclRules(layout, a!.storeId, hash),
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AclApplyError);
    const results = (err as AclApplyError).results;
    expect(results).toHaveLength(6);
    expect(results.filter((r) => !r.ok).map((r) => r.address)).toEqual([`127.0.0.1:${left}`]);
    expect(results.find((r) => !r.ok)!.reply).toMatch(/WRONGPASS/);
    expect((err as AclApplyError).message).toContain(`127.0.0.1:${left}`);

    // The CLI exits 1, prints the refusal per node, and gives no agent URL.
    const cli = await run(
      "npx",
      ["tsx", "scripts/redis-acl.ts", "--store", a!.slug, "--password", a!.password, "--apply"],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          DATABASE_URL: testDatabaseUrl(),
          REDIS_URL: `redis://ops:${opsPassword}@127.0.0.1:6379`,
          REDIS_CLUSTER_NODES: `127.0.0.1:${cluster.nodes[0]!.port}`,
          QUEUE_PREFIX: prefix,
        },
      },
    ).then(
      () => ({ code: 0, stdout: "", stderr: "" }),
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
    expect(cli.code).toBe(1);
    expect(cli.stdout.match(/^# applied /gm)).toHaveLength(5);
    expect(cli.stdout).toMatch(new RegExp(`^# REFUSED  127\\.0\\.0\\.1:${left} .*WRONGPASS`, "m"));
    expect(cli.stdout).not.toContain("REDIS_URL=");
    expect(cli.stderr).toContain(`127.0.0.1:${left}`);
  });
});
