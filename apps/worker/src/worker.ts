import { Redis } from "ioredis";
import { DelayedError, Queue, type Job } from "bullmq";
import type { Logger } from "pino";
import {
  JOB_OPTIONS,
  MAX_CROP_TTL_MS,
  MAX_JOB_BYTES,
  QUEUES,
  trackJobId,
  type QueueName,
  type TrackContext,
} from "@shelf/core";
import { scoringSettings, type Db, type ScoreOutcome } from "@shelf/db";
import type { FaceAnalyzer, FaceCrop } from "@shelf/inference";
import { MicroBatcher } from "./micro-batcher.ts";
import { SamplesStore } from "./samples-store.ts";
import { LivePublisher } from "./live.ts";
import { WorkerCounters } from "./counters.ts";
import { CropKeyHolder } from "./crop-keys.ts";
import { DbGate, type DbGateOptions } from "./db-gate.ts";
import { GuardedWorker, oversizedPayload } from "./guarded-worker.ts";
import { VisitBook } from "./visit-book.ts";
import { processCrop } from "./processors/crops.ts";
import { KnownPlaces, processTrackEvent } from "./processors/visits.ts";
import { processScore } from "./processors/scoring.ts";
import { processFlagRaised } from "./processors/surveys.ts";
import { runRetention, sweep } from "./processors/maintenance.ts";
import { JobRejected, type WaitOutcome } from "./processors/rejected.ts";

export interface WorkerDeps {
  db: Db;
  redisUrl: string;
  /** BullMQ key prefix (tests use a random one). */
  prefix: string;
  /** A loaded analyzer; the worker classifies with it and never sees a model file. */
  analyzer: Pick<FaceAnalyzer, "classify">;
  logger: Logger;
  classifyBatch?: number;
  classifyBatchWaitMs?: number;
  /**
   * Safety bound only: a visit's end stops waiting for its still-queued crops once it has been queued this
   * long, ms. The end normally waits exactly as long as crops of the visit are queued. Default: the longest
   * crop TTL plus 10 minutes.
   */
  finaliseWaitMs?: number;
  /** A visit with no start, crop or end for this long is finalised from its samples (agent gone), ms. Default 5 min. */
  visitSilentMs?: number;
  /** How often silent visits and leftover crop jobs are looked for, ms. Default 15 s. */
  sweepEveryMs?: number;
  /** How jobs wait out a PostgreSQL outage. */
  dbRetry?: DbGateOptions;
  /** How often the retention job runs, ms. Default hourly. */
  retentionEveryMs?: number;
  /** Job lock duration and stalled-job check interval, ms (BullMQ defaults 30 000 each). */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
}

export interface RunningWorkers {
  /** Emitted when an interaction row is written (new) — used by tests and the live feed. */
  onInteraction(listener: (id: string, context: TrackContext) => void): void;
  /** Emitted after each rejection-score update. */
  onScore(listener: (storeId: string, itemId: string, outcome: ScoreOutcome) => void): void;
  /** The shared worker counters (Prometheus text via `render()`). */
  counters: WorkerCounters;
  close(): Promise<void>;
}

/** Scoring waits this long for more interactions of the same item, ms. */
const SCORE_DEBOUNCE_MS = 500;

type ClassifyResult = Awaited<ReturnType<FaceAnalyzer["classify"]>>[number];

/**
 * Starts every processor on one process: crops (classification), tracks (visits → interactions), scoring,
 * survey hand-off and maintenance (retention, silent visits). The processors are plain functions in
 * `processors/`; this file wires them to BullMQ, Redis and PostgreSQL:
 * - every worker is a GuardedWorker (payload size caps before parsing; crop jobs removed on completion and
 *   failure whatever their producer asked);
 * - bad input fails once, counted and logged with a reason that names the field;
 * - a step that needs PostgreSQL waits out an outage instead of failing (DbGate).
 */
export function startWorkers(deps: WorkerDeps): RunningWorkers {
  const { db, prefix, logger } = deps;
  const batchSize = deps.classifyBatch ?? 8;
  // A killed worker's jobs are recovered once their lock expires (stalled-job check), then retried.
  const lockOptions = {
    lockDuration: deps.lockDurationMs ?? 30_000,
    stalledInterval: deps.stalledIntervalMs ?? 30_000,
    maxStalledCount: 2,
  };
  // Workers block on Redis: maxRetriesPerRequest must be null (BullMQ requirement).
  const connection = new Redis(deps.redisUrl, { maxRetriesPerRequest: null });
  const redis = new Redis(deps.redisUrl, { maxRetriesPerRequest: 3 });
  const samples = new SamplesStore(redis, prefix);
  const visits = new VisitBook(redis, prefix);
  const counters = new WorkerCounters(redis, prefix, logger);
  const keys = new CropKeyHolder(redis, prefix, logger);
  keys.start();
  const gate = new DbGate(db, counters, logger, deps.dbRetry);
  const places = new KnownPlaces(db);
  const negativeCache = new Map<string, { at: number; set: ReadonlySet<string> }>();
  const live = new LivePublisher(redis, prefix, logger, async (storeId) => {
    const hit = negativeCache.get(storeId);
    if (hit && Date.now() - hit.at < 30_000) return hit.set;
    const set = new Set<string>((await scoringSettings(db, storeId)).negative);
    negativeCache.set(storeId, { at: Date.now(), set });
    return set;
  });
  live.start();
  const listeners: ((id: string, context: TrackContext) => void)[] = [];
  const scoreListeners: ((storeId: string, itemId: string, outcome: ScoreOutcome) => void)[] = [];
  const queue = (name: QueueName) => {
    const q = new Queue(name, { connection, prefix, defaultJobOptions: JOB_OPTIONS[name] });
    q.on("error", (err) => logger.error({ err, queue: name }, "queue error"));
    return q;
  };
  const scoringQueue = queue(QUEUES.scoring);
  const surveysQueue = queue(QUEUES.surveys);
  const tracksQueue = queue(QUEUES.tracks);
  const cropsQueue = queue(QUEUES.crops);
  const maintenanceQueue = queue(QUEUES.maintenance);

  const batcher = new MicroBatcher<FaceCrop, ClassifyResult>(
    (crops) => deps.analyzer.classify(crops),
    batchSize,
    deps.classifyBatchWaitMs ?? 15,
  );

  /**
   * Runs a processor for a job: an oversized payload is refused unparsed, a rejection is counted and logged,
   * a "wait" outcome puts the job back (delayed, no attempt used).
   */
  const handle =
    <R>(name: QueueName, run: (job: Job, token?: string) => Promise<R | WaitOutcome>) =>
    async (job: Job, token?: string): Promise<R> => {
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
          counters.inc("shelf_worker_jobs_rejected_total", { queue: name, reason: err.code });
          logger.warn({ queue: name, job: job.id, reason: err.message }, "job rejected");
        }
        throw err;
      }
    };

  const cropWorker = new GuardedWorker(
    QUEUES.crops,
    handle(QUEUES.crops, (job) =>
      processCrop(
        { keys, classify: (crop) => batcher.push(crop), samples, visits, live, counters, logger },
        job.data,
      ),
    ),
    { connection, prefix, concurrency: batchSize, ...lockOptions },
  );

  const trackWorker = new GuardedWorker(
    QUEUES.tracks,
    handle(QUEUES.tracks, (job, token) =>
      gate.run(job, token, () =>
        processTrackEvent(
          {
            db,
            samples,
            visits,
            places,
            live,
            counters,
            logger,
            finaliseGuardMs: deps.finaliseWaitMs ?? MAX_CROP_TTL_MS + 600_000,
            written: (id, context) => listeners.forEach((l) => l(id, context)),
            rescore: async (storeId, itemId) => {
              await scoringQueue.add(
                "score",
                { storeId, itemId },
                // Debounced: a burst of interactions for one item makes one scoring run, after the burst.
                {
                  delay: SCORE_DEBOUNCE_MS,
                  deduplication: {
                    id: `score_${storeId}_${itemId}`,
                    ttl: SCORE_DEBOUNCE_MS,
                    extend: true,
                    replace: true,
                  },
                },
              );
            },
          },
          job.data,
          job,
        ),
      ),
    ),
    { connection, prefix, concurrency: 4, ...lockOptions },
  );

  const scoringWorker = new GuardedWorker(
    QUEUES.scoring,
    handle(QUEUES.scoring, (job, token) =>
      gate.run(job, token, () =>
        processScore(
          {
            db,
            live,
            logger,
            flagRaised: async (j) =>
              void (await surveysQueue.add("flag-raised", j, { jobId: `flag_${j.flagId}` })),
            scored: (storeId, itemId, outcome) => scoreListeners.forEach((l) => l(storeId, itemId, outcome)),
          },
          job.data,
        ),
      ),
    ),
    { connection, prefix, concurrency: 2, ...lockOptions },
  );

  const surveysWorker = new GuardedWorker(
    QUEUES.surveys,
    handle(QUEUES.surveys, (job, token) =>
      gate.run(job, token, () => processFlagRaised({ db, logger }, job.data)),
    ),
    { connection, prefix, concurrency: 1, ...lockOptions },
  );

  // Repeatable housekeeping: one job per schedule across all worker processes (job schedulers are idempotent).
  for (const [id, every, name] of [
    ["retention-hourly", deps.retentionEveryMs ?? 3_600_000, "retention"],
    ["visits-sweep", deps.sweepEveryMs ?? 15_000, "sweep"],
  ] as const)
    void maintenanceQueue
      .upsertJobScheduler(id, { every }, { name })
      .catch((err: unknown) => logger.error({ err, schedule: id }, "housekeeping schedule not set"));
  const maintenanceWorker = new GuardedWorker(
    QUEUES.maintenance,
    handle<object>(QUEUES.maintenance, (job, token) =>
      job.name === "sweep"
        ? sweep({
            visits,
            samples,
            logger,
            silentMs: deps.visitSilentMs ?? 300_000,
            queueEnd: async (event) =>
              void (await tracksQueue.add("end", event, { jobId: trackJobId("end", event.context) })),
            purgeFinishedCrops: async () =>
              (await cropsQueue.clean(0, 10_000, "completed")).length +
              (await cropsQueue.clean(0, 10_000, "failed")).length,
          })
        : gate.run(job, token, () => runRetention({ db, logger })),
    ),
    { connection, prefix, concurrency: 1, ...lockOptions },
  );

  for (const [name, w] of [
    ["maintenance", maintenanceWorker],
    ["crops", cropWorker],
    ["tracks", trackWorker],
    ["scoring", scoringWorker],
    ["surveys", surveysWorker],
  ] as const) {
    w.on("error", (err) => logger.error({ err, worker: name }, "worker error"));
    w.on("failed", (job, err) =>
      logger.warn(
        { worker: name, job: job?.id, attempts: job?.attemptsMade, err: err.message },
        "job failed",
      ),
    );
  }

  return {
    onInteraction: (l) => void listeners.push(l),
    onScore: (l) => void scoreListeners.push(l),
    counters,
    async close() {
      // Workers first (finish in-flight jobs), then queues, then connections. The DB is the caller's.
      live.stop();
      await Promise.all([
        cropWorker.close(),
        trackWorker.close(),
        scoringWorker.close(),
        surveysWorker.close(),
        maintenanceWorker.close(),
      ]);
      await keys.close();
      await Promise.all(
        [scoringQueue, surveysQueue, tracksQueue, cropsQueue, maintenanceQueue].map((q) => q.close()),
      );
      await Promise.all([connection.quit(), redis.quit()]);
    },
  };
}

function isWait(result: unknown): result is WaitOutcome {
  return typeof result === "object" && result !== null && (result as { status?: unknown }).status === "wait";
}
