import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { pino } from "pino";
import { QUEUES, redisLayout, type TrackContext } from "@shelf/core";
import { createDb, seedDemoStore, type Db } from "@shelf/db";
import { createFaceAnalyzer, type FaceCrop } from "@shelf/inference";
import { BullJobSink } from "@shelf/camera-agent";
import { randomPrefix, testDatabaseUrl, testRedisUrl } from "../setup/env.ts";
import { findPixelsInRedis } from "../support/pixels.ts";
import { keysOf } from "../support/redis-layout.ts";
import { spawnWorker, until } from "../support/processes.ts";
import { demoCrops, scriptedVisits } from "../support/scripted-stream.ts";

/** Peak resident memory of a process, MB (Linux /proc). */
function peakRssMb(pid: number): number {
  const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
  return Number(kb) / 1024;
}

/**
 * A producer is anyone who can write to Redis. These attacks push jobs with their own options and payloads to
 * a real worker process: the worker must hold its own rules (removal of pixels, size caps, known stores, clear
 * reasons) whatever it is sent.
 */
describe("a worker process against hostile producers (real worker process, Redis, PostgreSQL)", () => {
  const redisUrl = testRedisUrl();
  const prefix = randomPrefix("qopts");
  const logger = pino({ level: "silent" });
  const connection = { url: redisUrl };
  // The demo store's queues (redisLayout().store), made once its id is known; scoring is central.
  let crops: Queue;
  let tracks: Queue;
  const scoring = new Queue(QUEUES.scoring, { connection, prefix: redisLayout(prefix).central });
  const redis = new Redis(redisUrl);
  let db: Db;
  let faces: FaceCrop[];
  let context: TrackContext;
  let worker: ReturnType<typeof spawnWorker>;
  let sink: BullJobSink;
  const metrics = async () => redis.hgetall(`${prefix}:worker-metrics`);
  const gone = (q: Queue, id: string, what: string) =>
    until(async () => (await q.getJob(id)) === undefined, 60_000, what);

  beforeAll(async () => {
    db = createDb({ url: testDatabaseUrl() });
    const analyzer = createFaceAnalyzer();
    await analyzer.load();
    faces = await demoCrops(analyzer);
    await analyzer.dispose();
    const { storeId, cameraId } = await seedDemoStore(db);
    crops = new Queue(QUEUES.crops, { connection, prefix: redisLayout(prefix).store(storeId) });
    tracks = new Queue(QUEUES.tracks, { connection, prefix: redisLayout(prefix).store(storeId) });
    const slot = await db.planogramSlot.findFirstOrThrow({ where: { zone: { storeId } } });
    context = {
      storeId,
      cameraId,
      zoneId: slot.zoneId,
      itemId: slot.itemId,
      trackKey: `${prefix}:1:1`,
      calibrationVersion: 1,
    };
    worker = spawnWorker({ DATABASE_URL: testDatabaseUrl(), REDIS_URL: redisUrl, QUEUE_PREFIX: prefix });
    sink = new BullJobSink(redisUrl, redisLayout(prefix).store(storeId), logger);
    // Ready when a real visit goes through.
    const [visit] = scriptedVisits({
      runId: `${prefix}-warm`,
      storeId,
      cameraId,
      places: [{ zoneId: slot.zoneId, itemId: slot.itemId }],
      crops: faces,
      visits: 1,
      cropsPerVisit: 2,
    });
    await until(async () => sink.crop(visit!.crops[0]!), 10_000, "the producer to reach Redis");
    await sink.crop(visit!.crops[1]!);
    await sink.track(visit!.end);
    await until(
      async () => (await db.interaction.count({ where: { id: visit!.interactionId } })) === 1,
      120_000,
      `the worker to be up\n${worker.output()}`,
    );
  });

  afterAll(async () => {
    worker?.kill("SIGKILL");
    await sink?.close();
    for (const q of [crops, tracks, scoring]) {
      if (!q) continue;
      await q.obliterate({ force: true }).catch(() => undefined);
      await q.close();
    }
    const keys = await keysOf(redis, prefix);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
    await db?.$disconnect();
  });

  it("a crop job pushed with removeOnFail:false leaves no pixels in the failed set", async () => {
    const face = faces[0]!;
    await crops.add(
      "crop",
      {
        context,
        capturedAt: Date.now(),
        box: { x: 1, y: 1, w: 60, h: 60 },
        detectionScore: 0.9,
        crop: {
          width: face.width,
          height: face.height,
          channels: 1,
          data: Buffer.from(face.data).toString("base64"),
        },
      },
      { jobId: "keep-on-fail", removeOnFail: false, attempts: 1 },
    );
    await gone(crops, "keep-on-fail", "the failed crop job to be removed");
    expect(await crops.getFailedCount()).toBe(0);
    expect(await findPixelsInRedis(redis, prefix)).toEqual([]);
  });

  it("a sealed crop replayed with removeOnComplete:false is classified and still removed", async () => {
    await crops.pause();
    const [visit] = scriptedVisits({
      runId: `${prefix}-replay`,
      storeId: context.storeId,
      cameraId: context.cameraId,
      places: [{ zoneId: context.zoneId, itemId: context.itemId }],
      crops: faces,
      visits: 1,
      cropsPerVisit: 1,
    });
    expect(await sink.crop(visit!.crops[0]!)).toBe(true);
    const [original] = await crops.getWaiting();
    await original!.remove();
    await crops.add("crop", original!.data, {
      jobId: "keep-on-complete",
      removeOnComplete: false,
      removeOnFail: false,
    });
    await crops.resume();
    await gone(crops, "keep-on-complete", "the completed crop job to be removed");
    expect(await crops.getCompletedCount()).toBe(0);
    // It was classified, not refused: its sample waits for the visit's end.
    expect(await redis.hlen(`${prefix}:samples:${visit!.context.trackKey}:${visit!.context.zoneId}`)).toBe(1);
    expect(await findPixelsInRedis(redis, prefix)).toEqual([]);
  });

  it("a 50 MB crop job is refused before it is parsed, and the worker's memory stays bounded", async () => {
    const before = peakRssMb(worker.pid!);
    await crops.add(
      "crop",
      {
        context,
        capturedAt: Date.now(),
        crop: { width: 160, height: 160, channels: 3, data: "A".repeat(50_000_000) },
      },
      { jobId: "huge", attempts: 1 },
    );
    await gone(crops, "huge", "the huge crop job to be removed");
    await until(() => /over the \d+-byte cap/.test(worker.output()), 10_000, "the refusal in the log");
    expect(worker.output()).toMatch(
      /payload: 5\d{7} bytes, over the 131072-byte cap of shelf-crops; refused unparsed/,
    );
    expect(
      Number((await metrics())['shelf_worker_jobs_rejected_total{queue="shelf-crops",reason="oversize"}']),
    ).toBe(1);
    // Reading the reply costs its size once or twice; parsing and decoding it (the old path) cost ≈ 250 MB.
    expect(peakRssMb(worker.pid!) - before).toBeLessThan(160);
  });

  it("a visit end naming another store than its queue's is rejected with a logged, counted reason", async () => {
    const job = await tracks.add(
      "end",
      {
        type: "end",
        context: { ...context, storeId: "no-such-store", trackKey: `${prefix}:9:1` },
        startedAt: Date.now() - 5000,
        endedAt: Date.now(),
        cropsSent: 0,
      },
      { jobId: "unknown-store", attempts: 3 },
    );
    await until(async () => (await job.getState()) === "failed", 30_000, "the end to be rejected");
    const failed = (await tracks.getJob("unknown-store"))!;
    // A store's agent may write only its own queues (ACL); the worker serves a queue for its store alone.
    expect(failed.failedReason).toMatch(/context\.storeId: no-such-store is not the store of this queue/);
    expect(failed.attemptsMade).toBe(1);
    expect(
      Number(
        (await metrics())['shelf_worker_jobs_rejected_total{queue="shelf-tracks",reason="wrong-store"}'],
      ),
    ).toBe(1);
    expect(worker.output()).toMatch(/no-such-store is not the store of this queue/);
  });

  it("every job-validation error names the offending field", async () => {
    const track = await tracks.add(
      "end",
      { type: "end", context: { storeId: "x" } },
      { jobId: "bad-fields" },
    );
    const score = await scoring.add("score", { storeId: 5, itemId: "i" }, { jobId: "bad-score" });
    await crops.add(
      "crop",
      { context, capturedAt: 1, box: { x: 0, y: 0, w: 1, h: 1 }, detectionScore: 2, expiresAt: 2, crop: {} },
      { jobId: "bad-crop" },
    );
    for (const j of [track, score])
      await until(async () => (await j.getState()) === "failed", 30_000, `${j.id} to fail`);
    expect((await tracks.getJob("bad-fields"))!.failedReason).toMatch(
      /^invalid track event: .*context\.cameraId: .*context\.zoneId: /,
    );
    expect((await scoring.getJob("bad-score"))!.failedReason).toMatch(/^invalid scoring job: storeId: /);
    await until(() => /invalid crop job: /.test(worker.output()), 30_000, "the crop refusal in the log");
    expect(worker.output()).toMatch(/invalid crop job: detectionScore: [^"]*crop\.width: /);
  });
});
