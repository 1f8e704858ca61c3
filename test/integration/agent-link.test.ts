import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { pino } from "pino";
import { Registry } from "prom-client";
import {
  aggregateInteraction,
  interactionId,
  QUEUES,
  redisKeys,
  redisLayout,
  type ClassifiedSample,
  type TrackEvent,
} from "@shelf/core";
import { createDb, seedDemoStore, type Db } from "@shelf/db";
import { createFaceAnalyzer, type FaceCrop } from "@shelf/inference";
import { BullJobSink, compactProbs } from "@shelf/camera-agent";
import { randomPrefix, testDatabaseUrl, testRedisUrl } from "../setup/env.ts";
import { findPixelsInRedis } from "../support/pixels.ts";
import { spawnWorker, startTcpProxy, until } from "../support/processes.ts";
import { demoCrops, scriptedVisits, type ScriptedVisit } from "../support/scripted-stream.ts";

/**
 * The store ↔ centre link cut for minutes. Two agents of one store talk to the central Redis through a TCP proxy
 * (real sockets: the cut destroys every connection and refuses new ones); a real worker process sits next to Redis.
 * The agents' clock is simulated (it runs 5 minutes during the cut, which lasts a few real seconds; the worker's
 * VISIT_SILENT_MS is 8 s, so to it the cut is as long as 5 minutes are to a production worker): visits start and end
 * while the link is down, and every interaction must arrive exactly once when it returns.
 *
 * - central classification, visits whose crops were sent before the cut and whose end comes during it: the worker
 *   finalises them as abandoned (agent silent) from their samples, and the agent's late end lands on the same job;
 * - central classification, visits wholly inside the cut: their crops are dropped at once (pixels are never
 *   buffered), so there is no interaction — counted by the worker as visits whose crops were dropped;
 * - edge classification (vectors in the end): held in the agent's buffer, delivered, written once.
 */
describe("agent link outage (TCP proxy to the central Redis, real worker and PostgreSQL)", () => {
  const dbUrl = testDatabaseUrl();
  const redisUrl = testRedisUrl();
  const logger = pino({ level: "silent" });
  let db: Db;
  let crops: FaceCrop[];
  /** What an AGENT_CLASSIFY agent gets from the model for each crop (base64 of its pixels → vector). */
  const vectors = new Map<string, number[]>();
  const disposers: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    db = createDb({ url: dbUrl });
    const analyzer = createFaceAnalyzer();
    await analyzer.load();
    crops = await demoCrops(analyzer);
    for (const [i, r] of (await analyzer.classify(crops)).entries())
      if (r.status === "ok") vectors.set(Buffer.from(crops[i]!.data).toString("base64"), r.probs);
    await analyzer.dispose();
    expect(crops.length).toBeGreaterThan(5);
  });
  afterAll(async () => {
    for (const d of disposers.reverse()) await d().catch(() => undefined);
    await db?.$disconnect();
  });

  it("delivers every visit event once after a 5-minute (simulated) cut; crops are dropped, not buffered", async () => {
    const { storeId, cameraId } = await seedDemoStore(db);
    const slots = await db.planogramSlot.findMany({ where: { zone: { storeId } } });
    const places = slots.map((s) => ({ zoneId: s.zoneId, itemId: s.itemId }));
    const base = randomPrefix("link");
    const layout = redisLayout(base);
    const storePrefix = layout.store(storeId);
    const u = new URL(redisUrl);
    const proxy = await startTcpProxy({ host: u.hostname, port: Number(u.port || 6379) });
    disposers.push(() => proxy.close());
    const viaProxy = new URL(redisUrl);
    viaProxy.host = `127.0.0.1:${proxy.port}`;

    // The agents' clock: 10 minutes ago, then it runs 5 minutes during the cut.
    let clock = Date.now() - 10 * 60_000;
    const agentOptions = { trackBuffer: { now: () => clock } };
    const central = new BullJobSink(viaProxy.toString(), storePrefix, logger, agentOptions);
    const edge = new BullJobSink(viaProxy.toString(), storePrefix, logger, agentOptions);
    const registry = new Registry();
    edge.registerMetrics(registry);
    disposers.push(
      () => central.close(),
      () => edge.close(),
    );

    const worker = spawnWorker({
      DATABASE_URL: dbUrl,
      REDIS_URL: redisUrl,
      QUEUE_PREFIX: base,
      VISIT_SILENT_MS: "8000",
      VISIT_SWEEP_MS: "500",
    });
    disposers.push(async () => void worker.kill("SIGKILL"));
    const redis = new Redis(redisUrl);
    disposers.push(async () => void redis.disconnect());

    const script = (name: string, n: number, startAt: number) =>
      scriptedVisits({
        runId: `${base}-${name}`,
        storeId,
        cameraId,
        places,
        crops,
        visits: n,
        cropsPerVisit: 4,
        startAt,
      });
    const before = script("before", 6, clock); // crops sent before the cut; 3 end before it, 3 during it
    const inside = script("inside", 6, clock + 60_000); // central mode, wholly inside the cut
    const edgeVisits = script("edge", 6, clock + 120_000); // edge mode, wholly inside the cut
    const edgeEnds = new Map<ScriptedVisit, Extract<TrackEvent, { type: "end" }>>();
    for (const v of edgeVisits) {
      const samples: ClassifiedSample[] = v.crops.map((c) => ({
        capturedAt: c.capturedAt,
        probs: compactProbs(vectors.get(c.crop.data)!),
      }));
      edgeEnds.set(v, { ...v.end, cropsSent: 0, samples });
    }

    const t0 = Date.now();
    const mark = (what: string) => process.stderr.write(`agent-link ${Date.now() - t0} ms: ${what}\n`);
    try {
      await until(
        async () => (await redis.hlen(redisKeys.cropRecipients(storePrefix))) > 0,
        60_000,
        "the worker's crop key",
      );
      mark("worker ready");
      await until(async () => central.crop(before[0]!.crops[0]!), 10_000, "the agent to reach Redis");
      for (const v of before) {
        await central.track({ type: "start", context: v.context, at: v.end.startedAt });
        for (const c of v.crops) expect(await central.crop(c)).toBe(true);
      }
      for (const v of before.slice(0, 3)) await central.track(v.end);
      expect(central.pendingTrackEvents).toBe(0);
      // Their crops are classified (and the first three visits written) before the link goes.
      const cropQueue = new Queue(QUEUES.crops, { connection: { url: redisUrl }, prefix: storePrefix });
      disposers.push(() => cropQueue.close());
      await until(
        async () =>
          Object.values(await cropQueue.getJobCounts("waiting", "active", "delayed", "prioritized")).every(
            (n) => n === 0,
          ) && (await db.interaction.count({ where: { storeId } })) >= 3,
        90_000,
        "the crops sent before the cut to be classified",
      );

      mark("crops classified; cutting");
      // Still open (the worker has not yet given up on them): the cut comes while they are.
      expect(await db.interaction.count({ where: { storeId } })).toBe(3);
      proxy.cut();
      await until(
        () => central.crop(before[0]!.crops[0]!).then((sent) => !sent),
        5_000,
        "the cut to be seen",
      );
      const cutAt = Date.now();
      const dropped = { crops: 0 };
      for (let step = 0; step < 30; step++) {
        clock += 10_000; // 30 × 10 s = 5 simulated minutes
        if (step === 1) for (const v of before.slice(3)) await central.track(v.end);
        const v = inside[step % inside.length]!;
        if (step < inside.length) {
          await central.track({ type: "start", context: v.context, at: v.end.startedAt });
          let sent = 0;
          for (const c of v.crops)
            if (await central.crop(c)) sent++;
            else dropped.crops++;
          await central.track({ ...v.end, cropsSent: sent, cropsDropped: v.crops.length - sent });
        }
        const e = edgeVisits[step];
        if (e) await edge.track(edgeEnds.get(e)!);
        await new Promise((r) => setTimeout(r, 200));
      }
      // Long enough (real time) for the worker to give up on the visits that were open when the link went.
      await until(() => Date.now() - cutAt > 14_000, 20_000, "the cut to last");
      expect(dropped.crops).toBe(inside.length * 4); // pixels are never buffered
      expect(central.pendingTrackEvents).toBe(3 + 2 * inside.length);
      expect(edge.pendingTrackEvents).toBe(edgeVisits.length);
      const during = await registry.metrics();
      expect(during).toMatch(new RegExp(`^shelf_agent_track_buffer_depth ${edgeVisits.length}$`, "m"));
      expect(during).toMatch(/^shelf_agent_track_buffer_oldest_seconds (2[6-9]\d|300)$/m);
      expect(during).toMatch(/^shelf_agent_track_buffer_dropped_total 0$/m);

      mark("restoring");
      proxy.restore();
      await until(
        () => central.pendingTrackEvents === 0 && edge.pendingTrackEvents === 0,
        20_000,
        "the buffers to drain after the link returns",
      );
      mark("buffers drained");
      // An agent retry (a restart replaying its ends, a flush racing the reconnect) lands on the same jobs.
      for (const v of before) await central.track(v.end);
      for (const [, end] of edgeEnds) await edge.track(end);

      const expected = new Set([...before, ...edgeVisits].map((v) => v.interactionId));
      const lost = inside.map((v) => v.interactionId);
      const tracks = new Queue(QUEUES.tracks, { connection: { url: redisUrl }, prefix: storePrefix });
      disposers.push(async () => {
        await tracks.obliterate({ force: true });
        await tracks.close();
      });
      await until(
        async () => (await db.interaction.count({ where: { storeId } })) >= expected.size,
        90_000,
        `all ${expected.size} interactions`,
      );
      await until(
        async () =>
          Object.values(await tracks.getJobCounts("waiting", "active", "delayed", "prioritized")).every(
            (n) => n === 0,
          ),
        30_000,
        "the track queue to drain",
      );
      mark("all written");
      const rows = await db.interaction.findMany({ where: { storeId } });
      expect(rows.map((r) => r.id).sort()).toEqual([...expected].sort()); // each once, nothing else
      expect(rows.some((r) => lost.includes(r.id))).toBe(false);
      const rollup = await db.hourlyRollup.aggregate({ where: { storeId }, _sum: { count: true } });
      expect(rollup._sum.count).toBe(expected.size);
      expect((await tracks.getJobCounts("failed")).failed).toBe(0);

      // The edge visits: built from the agent's vectors, with the dominant expression they say.
      for (const v of edgeVisits) {
        const end = edgeEnds.get(v)!;
        const row = rows.find((r) => r.id === v.interactionId)!;
        const summary = aggregateInteraction(end.samples!, {
          startedAt: end.startedAt,
          endedAt: end.endedAt,
        })!;
        expect(row.dominant).toBe(summary.dominant);
        expect(row.sampleCount).toBe(end.samples!.length);
      }
      const counters = await redis.hgetall(`${base}:worker-metrics`);
      expect(Number(counters.shelf_worker_edge_visits_total)).toBe(edgeVisits.length);
      expect(Number(counters.shelf_worker_visits_crops_dropped_total)).toBe(inside.length);
      // The visits open when the link went were finalised by the worker from their samples; their late ends
      // (and the retries) landed on those jobs.
      expect(Number(counters.shelf_worker_visits_abandoned_total)).toBe(3);
      expect(Number(counters.shelf_worker_interactions_written_total)).toBe(expected.size);
      expect(await findPixelsInRedis(redis, base)).toEqual([]);
      expect(interactionId({ ...before[0]!.context, startedAt: before[0]!.end.startedAt })).toBe(
        before[0]!.interactionId,
      );
    } catch (error) {
      throw new Error(`${(error as Error).message}\n--- worker ---\n${worker.output()}`);
    } finally {
      worker.kill("SIGKILL");
      for (const name of [QUEUES.crops, QUEUES.tracks]) {
        const q = new Queue(name, { connection: { url: redisUrl }, prefix: storePrefix });
        await q.obliterate({ force: true }).catch(() => undefined);
        await q.close();
      }
    }
  }, 300_000);
});
