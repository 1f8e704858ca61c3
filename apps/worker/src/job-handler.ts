import { DelayedError, type Job } from "bullmq";
import type { Logger } from "pino";
import { MAX_JOB_BYTES, type QueueName } from "@shelf/core";
import type { WorkerCounters } from "./counters.ts";
import { oversizedPayload } from "./guarded-worker.ts";
import { JobRejected, type WaitOutcome } from "./processors/rejected.ts";

/**
 * A BullMQ processor around one of ours: an oversized payload is refused unparsed, a rejection (bad input) is
 * counted in `shelf_worker_jobs_rejected_total` and logged, and a "wait" outcome puts the job back (delayed
 * until `until`, no attempt used).
 */
export function jobHandler<R>(
  name: QueueName,
  run: (job: Job, token?: string) => Promise<R | WaitOutcome>,
  deps: { counters: Pick<WorkerCounters, "inc">; logger: Logger },
): (job: Job, token?: string) => Promise<R> {
  return async (job, token) => {
    try {
      const bytes = oversizedPayload(job);
      if (bytes !== undefined)
        throw new JobRejected(
          `payload: ${bytes} bytes, over the ${MAX_JOB_BYTES[name]}-byte cap of ${name}; refused unparsed`,
          "oversize",
        );
      const result = await run(job, token);
      if (isWait(result)) {
        await job.moveToDelayed(result.until, token);
        throw new DelayedError();
      }
      return result;
    } catch (err) {
      if (err instanceof JobRejected) {
        deps.counters.inc("shelf_worker_jobs_rejected_total", { queue: name, reason: err.code });
        deps.logger.warn({ queue: name, job: job.id, reason: err.message }, "job rejected");
      }
      throw err;
    }
  };
}

function isWait(result: unknown): result is WaitOutcome {
  return typeof result === "object" && result !== null && (result as { status?: unknown }).status === "wait";
}
