import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Queue, Worker } from "bullmq";
import { pino } from "pino";
import {
  EXPRESSIONS,
  QUEUES,
  redisLayout,
  trackJobId,
  ZExpressionProbs,
  ZTrackEvent,
  type TrackContext,
} from "@shelf/core";
import { SamplesStore } from "../samples-store.ts";
import { TEST_REDIS_URL, testRedis } from "../test-support/redis.ts";
import { VisitBook } from "../visit-book.ts";
import {
  maintenanceSchedules,
  processMaintenance,
  scheduleMaintenance,
  sweep,
  type SweepDeps,
} from "./maintenance.ts";
import { JobRejected } from "./rejected.ts";

const logger = pino({ level: "silent" });
const T0 = 1_700_000_000_000;
const SILENT_MS = 300_000;
const ctx = (n: number): TrackContext => ({
  storeId: "store-1",
  cameraId: "cam-1",
  zoneId: "zone-1",
  itemId: "item-1",
  trackKey: `run:cam-1:${n}:1`,
  calibrationVersion: 1,
});
const neutral = ZExpressionProbs.parse(EXPRESSIONS.map((e) => (e === "neutral" ? 0.7 : 0.05)));

describe("sweep (real Redis and BullMQ queues)", () => {
  let r: ReturnType<typeof testRedis>;
  let visits: VisitBook;
  let samples: SamplesStore;
  let tracks: Queue;
  let crops: Queue;
  const connection = { url: TEST_REDIS_URL };

  // One store's queues, as the worker makes them (redisLayout().store).
  const deps = (): SweepDeps => ({
    visits,
    samples,
    tracks: (storeId) => (storeId === "store-1" ? tracks : expect.fail(`no queue for ${storeId}`)),
    crops: () => [crops],
    logger,
    silentMs: SILENT_MS,
  });
  let storePrefix: string;

  beforeEach(() => {
    r = testRedis("maintenance");
    const layout = redisLayout(r.prefix);
    storePrefix = layout.store("store-1");
    visits = new VisitBook(r.redis, layout);
    samples = new SamplesStore(r.redis, r.prefix);
    tracks = new Queue(QUEUES.tracks, { connection, prefix: storePrefix });
    crops = new Queue(QUEUES.crops, { connection, prefix: storePrefix });
  });
  afterEach(async () => {
    for (const q of [tracks, crops]) {
      await q.obliterate({ force: true });
      await q.close();
    }
    await r.cleanup();
  });

  it("queues an end for each silent visit under the agent's own job id, and leaves live visits alone", async () => {
    const now = 10_000_000;
    await visits.opened(ctx(1), T0, now - SILENT_MS - 1); // silent
    await samples.put(ctx(1), { status: "ok", capturedAt: T0 + 2_000, probs: neutral });
    await samples.put(ctx(1), { status: "ok", capturedAt: T0 + 3_000, probs: neutral });
    await visits.opened(ctx(2), T0, now - 1_000); // its agent is alive

    expect(await sweep(deps(), now)).toEqual({ abandoned: 1, purged: 0 });
    const job = await tracks.getJob(trackJobId("end", ctx(1)));
    expect(ZTrackEvent.parse(job?.data)).toEqual({
      type: "end",
      context: ctx(1),
      startedAt: T0,
      endedAt: T0 + 3_000,
      cropsSent: 0,
      abandoned: true,
    });
    expect(await tracks.count()).toBe(1);
    // Forgotten once its end is queued: the next sweep does not queue it again; the live visit stays open.
    expect(await sweep(deps(), now + 1)).toEqual({ abandoned: 0, purged: 0 });
    expect((await visits.silentSince(now)).map((v) => v.context.trackKey)).toEqual([ctx(2).trackKey]);
  });

  it("a late real end from the agent lands on the job the sweep queued", async () => {
    await visits.opened(ctx(3), T0, 1);
    await sweep(deps(), SILENT_MS + 10);
    await tracks.add(
      "end",
      { type: "end", context: ctx(3), startedAt: T0, endedAt: T0 + 1, cropsSent: 1 },
      {
        jobId: trackJobId("end", ctx(3)),
      },
    );
    expect(await tracks.count()).toBe(1);
  });

  it("removes finished crop jobs a producer left behind", async () => {
    // A producer that asked to keep its finished jobs (ours never does): one completes, one fails.
    await crops.add("crop", { n: 1 }, { removeOnComplete: false, removeOnFail: false });
    await crops.add("crop", { n: 2 }, { removeOnComplete: false, removeOnFail: false, attempts: 1 });
    const worker = new Worker(
      QUEUES.crops,
      async (job) => {
        if ((job.data as { n: number }).n === 2) throw new Error("no");
      },
      { connection, prefix: storePrefix },
    );
    for (let i = 0; i < 100; i++) {
      const c = await crops.getJobCounts("completed", "failed");
      if (c.completed === 1 && c.failed === 1) break;
      await new Promise((f) => setTimeout(f, 20));
    }
    await worker.close();
    expect(await sweep(deps(), 1)).toEqual({ abandoned: 0, purged: 2 });
    expect(await crops.getJobCounts("completed", "failed")).toEqual({ completed: 0, failed: 0 });
  });
});

describe("maintenance schedules and dispatch", () => {
  it("schedules retention and the sweep once, whoever sets them and however often", async () => {
    const r = testRedis("schedules");
    const queue = new Queue(QUEUES.maintenance, { connection: { url: TEST_REDIS_URL }, prefix: r.prefix });
    try {
      const every = { retentionMs: 60_000, sweepMs: 2_000, alertsMs: 30_000 };
      await scheduleMaintenance(queue, every, logger);
      await scheduleMaintenance(queue, every, logger); // a second process
      const schedulers = await queue.getJobSchedulers();
      expect(schedulers.map((s) => [s.key, s.every, s.name]).sort()).toEqual([
        ["alerts-requeue", 30_000, "alerts"],
        ["retention-hourly", 60_000, "retention"],
        ["visits-sweep", 2_000, "sweep"],
      ]);
    } finally {
      await queue.obliterate({ force: true });
      await queue.close();
      await r.cleanup();
    }
  });

  it("defaults to hourly retention, a sweep every 15 s and an alert re-queue every 5 min", () => {
    expect(maintenanceSchedules().map((s) => [s.name, s.every])).toEqual([
      ["retention", 3_600_000],
      ["sweep", 15_000],
      ["alerts", 300_000],
    ]);
  });

  it("runs the job its name says and refuses any other name", async () => {
    const run = {
      sweep: async () => ({ ran: "sweep" }),
      retention: async () => ({ ran: "retention" }),
      alerts: async () => ({ ran: "alerts" }),
    };
    expect(await processMaintenance(run, "sweep")).toEqual({ ran: "sweep" });
    expect(await processMaintenance(run, "retention")).toEqual({ ran: "retention" });
    expect(await processMaintenance(run, "alerts")).toEqual({ ran: "alerts" });
    const err = await processMaintenance(run, "vacuum").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(JobRejected);
    expect((err as JobRejected).code).toBe("invalid");
  });
});
