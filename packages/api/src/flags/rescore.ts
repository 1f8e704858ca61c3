import { Queue, QueueEvents } from "bullmq";
import {
  JOB_OPTIONS,
  QUEUES,
  redisLayout,
  rescoreJobId,
  ZRescoreResult,
  type RedisConnectionConfig,
  type RescoreJob,
  type RescoreResult,
} from "@shelf/core";
import { connectRedis } from "@shelf/core/redis-client";

/**
 * The web app's way to have a store's scores and flags redone after an admin changed its rules: it does not
 * compute them (the worker is the only place that scores and decides flags), it enqueues a `shelf-rescore`
 * job and waits for the worker's answer, so the admin page can say "2 raised, 0 cleared" at once.
 */
export type RescoreRequester = (job: RescoreJob) => Promise<RescoreResult>;

/** Default longest wait for the worker's answer, ms. */
export const RESCORE_TIMEOUT_MS = 20_000;

/** No worker answered a rescore in time (or none is running): the change is saved, its effect comes later. */
export class RescoreUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "RescoreUnavailableError";
  }
}

/**
 * A {@link RescoreRequester} on BullMQ: adds the job under its fixed id (`rescoreJobId`: a retried request
 * lands on the same job) and waits for it to finish through `QueueEvents`. Throws
 * {@link RescoreUnavailableError} when no worker finishes it within `timeoutMs` or Redis is unreachable; the
 * job stays queued, so a worker that starts later still applies it.
 */
export function bullRescoreRequester(opts: {
  /** A URL, or the env's full config (ACL user, TLS CA, Redis Cluster nodes). */
  redisUrl: string | RedisConnectionConfig;
  prefix: string;
  /** ms; default {@link RESCORE_TIMEOUT_MS}. */
  timeoutMs?: number;
}): RescoreRequester & { close(): Promise<void> } {
  const timeoutMs = opts.timeoutMs ?? RESCORE_TIMEOUT_MS;
  // A producer fails fast when Redis is down instead of queueing commands in memory (BullMQ advice).
  const connection = connectRedis(opts.redisUrl, { enableOfflineQueue: false });
  // QueueEvents blocks on a duplicate of the connection it is given: this one is only its template, never
  // connected (lazy).
  const eventsTemplate = connectRedis(opts.redisUrl, { maxRetriesPerRequest: null, lazyConnect: true });
  const queue = new Queue(QUEUES.rescore, {
    connection,
    prefix: redisLayout(opts.prefix).central,
    defaultJobOptions: JOB_OPTIONS[QUEUES.rescore],
  });
  const events = new QueueEvents(QUEUES.rescore, {
    connection: eventsTemplate,
    prefix: redisLayout(opts.prefix).central,
  });
  // Errors surface per request (below); these listeners keep an outage from becoming an unhandled error.
  queue.on("error", () => undefined);
  events.on("error", () => undefined);
  connection.on("error", () => undefined);
  const request = async (job: RescoreJob): Promise<RescoreResult> => {
    let added;
    try {
      await events.waitUntilReady();
      added = await queue.add("rescore", job, { jobId: rescoreJobId(job) });
    } catch (err) {
      throw new RescoreUnavailableError(
        `the rules are saved, but the rescore could not be queued (Redis: ${err instanceof Error ? err.message : String(err)}); flags follow once the worker rescores`,
        { cause: err },
      );
    }
    try {
      return ZRescoreResult.parse(await added.waitUntilFinished(events, timeoutMs));
    } catch (err) {
      const timedOut = err instanceof Error && /timed out/i.test(err.message);
      throw new RescoreUnavailableError(
        timedOut
          ? `the rules are saved, but no worker answered the rescore within ${Math.round(timeoutMs / 1000)} s — is the worker running? Flags follow once it rescores`
          : `the rules are saved, but the rescore failed: ${err instanceof Error ? err.message : String(err)}`,
        { cause: err },
      );
    }
  };
  return Object.assign(request, {
    async close() {
      await Promise.all([queue.close(), events.close()]);
      // BullMQ closes only the connections it made (the events' duplicate), not those it was given.
      await connection.quit().catch(() => connection.disconnect());
      eventsTemplate.disconnect();
    },
  });
}
