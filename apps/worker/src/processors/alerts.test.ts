import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Queue, UnrecoverableError, Worker } from "bullmq";
import { pino } from "pino";
import { alertJobId, QUEUES } from "@shelf/core";
import { TEST_REDIS_URL, testRedis } from "../test-support/redis.ts";
import {
  ALERT_REQUEUE_GRACE_MS,
  ALERT_REQUEUE_LIMIT,
  ALERT_REQUEUE_WINDOW_MS,
  requeueMissingAlerts,
  type AlertBacklog,
  type AlertChannel,
} from "./alerts.ts";

const logger = pino({ level: "silent" });
const connection = { url: TEST_REDIS_URL };

/** A backlog answering fixed flag ids and keeping what it was asked. */
function backlog(ids: string[]): AlertBacklog & {
  asked: { raised: { from: Date; to: Date }; channels: readonly AlertChannel[]; limit: number }[];
} {
  const asked: { raised: { from: Date; to: Date }; channels: readonly AlertChannel[]; limit: number }[] = [];
  return {
    asked,
    undelivered: async (raised, channels, limit) => {
      asked.push({ raised, channels, limit });
      return ids;
    },
  };
}

describe("requeueMissingAlerts (real Redis and BullMQ)", () => {
  let r: ReturnType<typeof testRedis>;
  let alerts: Queue;

  beforeEach(() => {
    r = testRedis("alert-requeue");
    alerts = new Queue(QUEUES.alerts, { connection, prefix: r.prefix });
  });
  afterEach(async () => {
    await alerts.obliterate({ force: true });
    await alerts.close();
    await r.cleanup();
  });

  it("queues only alerts whose job is gone, under the fixed id; waiting, delayed, completed and failed jobs are left", async () => {
    // A completed and a failed (attempts used up) job, as the alerts worker leaves them.
    await alerts.add("alert", { flagId: "f-done" }, { jobId: alertJobId("f-done") });
    await alerts.add("alert", { flagId: "f-gave-up" }, { jobId: alertJobId("f-gave-up"), attempts: 1 });
    const worker = new Worker(
      QUEUES.alerts,
      async (job) => {
        if ((job.data as { flagId: string }).flagId === "f-gave-up") throw new UnrecoverableError("HTTP 500");
        return { sent: ["webhook"] };
      },
      { connection, prefix: r.prefix },
    );
    for (let i = 0; i < 250; i++) {
      const c = await alerts.getJobCounts("completed", "failed");
      if (c.completed === 1 && c.failed === 1) break;
      await new Promise((f) => setTimeout(f, 20));
    }
    await worker.close();
    // Waiting for a worker, and in a retry's backoff.
    await alerts.add("alert", { flagId: "f-waiting" }, { jobId: alertJobId("f-waiting") });
    await alerts.add("alert", { flagId: "f-backoff" }, { jobId: alertJobId("f-backoff"), delay: 60_000 });

    const ids = ["f-done", "f-gave-up", "f-waiting", "f-backoff", "f-lost-1", "f-lost-2"];
    const now = 1_800_000_000_000;
    const b = backlog(ids);
    const deps = { backlog: b, alerts, channels: ["email", "webhook"] as const, logger };
    expect(await requeueMissingAlerts(deps, now)).toEqual({ requeued: 2, inFlight: 2, settled: 2 });
    expect(b.asked).toEqual([
      {
        raised: {
          from: new Date(now - ALERT_REQUEUE_WINDOW_MS),
          to: new Date(now - ALERT_REQUEUE_GRACE_MS),
        },
        channels: ["email", "webhook"],
        limit: ALERT_REQUEUE_LIMIT,
      },
    ]);
    for (const id of ["f-lost-1", "f-lost-2"]) {
      const job = await alerts.getJob(alertJobId(id));
      expect(job?.data).toEqual({ flagId: id });
      expect(await job?.getState()).toBe("waiting");
    }
    expect(await alerts.getJobCounts("waiting", "delayed", "completed", "failed")).toMatchObject({
      waiting: 3,
      delayed: 1,
      completed: 1,
      failed: 1,
    });
    // The failed job was not retried, and its failure is untouched.
    expect((await alerts.getJob(alertJobId("f-gave-up")))?.failedReason).toBe("HTTP 500");

    // The next run finds every job in Redis: nothing more is queued.
    expect(await requeueMissingAlerts(deps, now)).toEqual({ requeued: 0, inFlight: 4, settled: 2 });
    expect(await alerts.count()).toBe(4);
  });

  it("asks for nothing when this worker can send no channel", async () => {
    const b = backlog(["f-1"]);
    expect(await requeueMissingAlerts({ backlog: b, alerts, channels: [], logger })).toEqual({
      requeued: 0,
      inFlight: 0,
      settled: 0,
    });
    expect(b.asked).toEqual([]);
    expect(await alerts.count()).toBe(0);
  });
});
