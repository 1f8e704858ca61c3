import { Queue } from "bullmq";
import { JOB_OPTIONS, QUEUES, rescoreJobId, type RescoreJob, redisLayout } from "@shelf/core";

/**
 * After the demo seed: one `shelf-rescore` job per store, so the worker — the only place that computes scores
 * and decides flags — scores every product from the seeded rollups and raises the flags. The jobs wait in Redis
 * until a worker runs (`npm start` starts it right after seeding). Job ids are fixed per store and request, so a
 * retried seed run does not queue twice.
 *
 * @returns the job ids.
 */
export async function enqueueDemoRescores(opts: {
  redisUrl: string;
  prefix: string;
  storeIds: readonly string[];
  /** Names the request in the job id and the worker's log (default `demo-seed`). */
  requestId?: string;
}): Promise<string[]> {
  // A producer fails fast when Redis is down instead of queueing commands in memory (BullMQ advice).
  const queue = new Queue(QUEUES.rescore, {
    connection: { url: opts.redisUrl, enableOfflineQueue: false },
    prefix: redisLayout(opts.prefix).central,
    defaultJobOptions: JOB_OPTIONS[QUEUES.rescore],
  });
  queue.on("error", () => undefined); // surfaced by add() below
  try {
    await queue.waitUntilReady();
    const ids: string[] = [];
    for (const storeId of opts.storeIds) {
      const job: RescoreJob = { storeId, mode: "rescore", requestId: opts.requestId ?? "demo-seed" };
      const added = await queue.add("rescore", job, { jobId: rescoreJobId(job) });
      ids.push(added.id!);
    }
    return ids;
  } finally {
    await queue.close();
  }
}
