import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Queue, QueueEvents, type Job } from "bullmq";
import { pino } from "pino";
import { MAX_JOB_BYTES, QUEUES } from "@shelf/core";
import { WorkerCounters } from "./counters.ts";
import { GuardedWorker } from "./guarded-worker.ts";
import { jobHandler } from "./job-handler.ts";
import { JobRejected } from "./processors/rejected.ts";
import { TEST_REDIS_URL, testRedis } from "./test-support/redis.ts";

const logger = pino({ level: "silent" });
const connection = { url: TEST_REDIS_URL };

describe("jobHandler on a real GuardedWorker", () => {
  let r: ReturnType<typeof testRedis>;
  let queue: Queue;
  let events: QueueEvents;
  let worker: GuardedWorker | undefined;
  let counters: WorkerCounters;

  beforeEach(async () => {
    r = testRedis("handler");
    queue = new Queue(QUEUES.scoring, { connection, prefix: r.prefix });
    events = new QueueEvents(QUEUES.scoring, { connection, prefix: r.prefix });
    await events.waitUntilReady();
    counters = new WorkerCounters(r.redis, r.prefix, logger);
  });
  afterEach(async () => {
    await worker?.close();
    await events.close();
    await queue.obliterate({ force: true });
    await queue.close();
    await r.cleanup();
  });

  const start = (run: (job: Job) => Promise<unknown>) => {
    worker = new GuardedWorker(QUEUES.scoring, jobHandler(QUEUES.scoring, run, { counters, logger }), {
      connection,
      prefix: r.prefix,
    });
  };

  it("refuses an oversized payload unparsed, once, and counts it", async () => {
    let ran = 0;
    start(async () => ++ran);
    const job = await queue.add(
      "score",
      { pad: "x".repeat(MAX_JOB_BYTES[QUEUES.scoring] + 10) },
      { attempts: 5 },
    );
    await expect(job.waitUntilFinished(events, 10_000)).rejects.toThrow(/over the 1024-byte cap/);
    expect(ran).toBe(0);
    expect((await queue.getJob(job.id!))?.attemptsMade).toBe(1);
    expect(
      (await counters.read())['shelf_worker_jobs_rejected_total{queue="shelf-scoring",reason="oversize"}'],
    ).toBe(1);
  });

  it("fails bad input at once, counted under its reason", async () => {
    start(async () => {
      throw new JobRejected("storeId: required", "invalid");
    });
    const job = await queue.add("score", {}, { attempts: 5 });
    await expect(job.waitUntilFinished(events, 10_000)).rejects.toThrow("storeId: required");
    expect((await queue.getJob(job.id!))?.attemptsMade).toBe(1);
    const read = await counters.read();
    expect(
      Object.entries(read)
        .filter(([k]) => k.includes('reason="invalid"'))
        .map(([, v]) => v),
    ).toEqual([1]);
  });

  it("puts a job that must wait back, delayed, without using an attempt", async () => {
    const until = Date.now() + 60_000;
    start(async () => ({ status: "wait", until }));
    const job = await queue.add("score", {}, { attempts: 1 });
    for (let i = 0; i < 100 && (await queue.getDelayedCount()) === 0; i++)
      await new Promise((f) => setTimeout(f, 20));
    const delayed = await queue.getJob(job.id!);
    expect(await delayed?.getState()).toBe("delayed");
    expect(delayed?.attemptsMade).toBe(0);
  });
});
