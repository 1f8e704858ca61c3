import { Redis } from "ioredis";
import { DelayedError, Queue, UnrecoverableError, Worker, type Job } from "bullmq";
import type { Logger } from "pino";
import {
  aggregateInteraction,
  interactionId,
  JOB_OPTIONS,
  QUEUES,
  ZCropJob,
  ZExpressionProbs,
  ZFlagRaisedJob,
  ZScoreJob,
  ZTrackEvent,
  type CropJob,
  type TrackContext,
} from "@shelf/core";
import { deleteExpiredData, scoreItem, scoringSettings, type Db, type ScoreOutcome } from "@shelf/db";
import type { FaceAnalyzer, FaceCrop } from "@shelf/inference";
import { MicroBatcher } from "./micro-batcher.ts";
import { SamplesStore, type StoredSample } from "./samples-store.ts";
import { writeInteraction } from "./interaction-writer.ts";
import { LivePublisher } from "./live.ts";

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
  /** How long a track end waits for its crops to be classified before finalising with what it has, ms. */
  finaliseWaitMs?: number;
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
  close(): Promise<void>;
}

/** A visit whose crops are still being classified is looked at again after this long, ms. */
const FINALISE_POLL_MS = 100;

/** Scoring waits this long for more interactions of the same item, ms. */
const SCORE_DEBOUNCE_MS = 500;

type ClassifyResult = Awaited<ReturnType<FaceAnalyzer["classify"]>>[number];

/** Decodes a crop payload; a malformed one is a bad payload, not a transient failure. */
function decodeCrop(job: CropJob): FaceCrop {
  const data = Buffer.from(job.crop.data, "base64");
  const expected = job.crop.width * job.crop.height * job.crop.channels;
  if (data.length !== expected)
    throw new UnrecoverableError(`crop has ${data.length} bytes, expected ${expected}`);
  return {
    width: job.crop.width,
    height: job.crop.height,
    channels: job.crop.channels,
    data: new Uint8Array(data),
  };
}

/**
 * Starts the crop-classification and track-finalisation workers on one process.
 * Crop jobs carry pixels: they are removed from Redis on completion and on failure (JOB_OPTIONS), and the
 * decoded pixels are dropped as soon as the model has run.
 */
export function startWorkers(deps: WorkerDeps): RunningWorkers {
  const { db, prefix, logger } = deps;
  const batchSize = deps.classifyBatch ?? 8;
  const finaliseWaitMs = deps.finaliseWaitMs ?? 30_000;
  // A killed worker's jobs are recovered once their lock expires (stalled-job check), then retried.
  const lockOptions = {
    lockDuration: deps.lockDurationMs ?? 30_000,
    stalledInterval: deps.stalledIntervalMs ?? 30_000,
    maxStalledCount: 2,
  };
  // Workers block on Redis: maxRetriesPerRequest must be null (BullMQ requirement).
  const connection = new Redis(deps.redisUrl, { maxRetriesPerRequest: null });
  const samplesRedis = new Redis(deps.redisUrl, { maxRetriesPerRequest: 3 });
  const samples = new SamplesStore(samplesRedis, prefix);
  const negativeCache = new Map<string, { at: number; set: ReadonlySet<string> }>();
  const live = new LivePublisher(samplesRedis, prefix, logger, async (storeId) => {
    const hit = negativeCache.get(storeId);
    if (hit && Date.now() - hit.at < 30_000) return hit.set;
    const set = new Set<string>((await scoringSettings(db, storeId)).negative);
    negativeCache.set(storeId, { at: Date.now(), set });
    return set;
  });
  live.start();
  const listeners: ((id: string, context: TrackContext) => void)[] = [];
  const scoreListeners: ((storeId: string, itemId: string, outcome: ScoreOutcome) => void)[] = [];
  const scoringQueue = new Queue(QUEUES.scoring, {
    connection,
    prefix,
    defaultJobOptions: JOB_OPTIONS[QUEUES.scoring],
  });
  const surveysQueue = new Queue(QUEUES.surveys, {
    connection,
    prefix,
    defaultJobOptions: JOB_OPTIONS[QUEUES.surveys],
  });
  for (const q of [scoringQueue, surveysQueue])
    q.on("error", (err) => logger.error({ err, queue: q.name }, "queue error"));

  const batcher = new MicroBatcher<FaceCrop, ClassifyResult>(
    (crops) => deps.analyzer.classify(crops),
    batchSize,
    deps.classifyBatchWaitMs ?? 15,
  );

  const cropWorker = new Worker(
    QUEUES.crops,
    async (job: Job) => {
      const parsed = ZCropJob.safeParse(job.data);
      if (!parsed.success)
        throw new UnrecoverableError(`invalid crop job: ${parsed.error.issues[0]?.message}`);
      const { context, capturedAt } = parsed.data;
      let crop: FaceCrop | null = decodeCrop(parsed.data);
      const result = await batcher.push(crop);
      crop = null; // pixels dropped: only probabilities go on
      const sample: StoredSample =
        result.status === "ok"
          ? { status: "ok", capturedAt, probs: ZExpressionProbs.parse(result.probs) }
          : { status: "unknown", capturedAt, reason: result.reason };
      await samples.put(context, sample);
      if (sample.status === "ok") await live.sample(context, capturedAt, sample.probs);
      return { status: sample.status };
    },
    { connection, prefix, concurrency: batchSize, ...lockOptions },
  );

  const trackWorker = new Worker(
    QUEUES.tracks,
    async (job: Job, token?: string) => {
      const parsed = ZTrackEvent.safeParse(job.data);
      if (!parsed.success)
        throw new UnrecoverableError(`invalid track event: ${parsed.error.issues[0]?.message}`);
      const event = parsed.data;
      if (event.type === "start") return { status: "noted" };
      const log = logger.child({ job: job.id, zone: event.context.zoneId, camera: event.context.cameraId });
      const have = await samples.count(event.context);
      // Crops may still be in the crop queue: wait for them (bounded), then finalise with what arrived.
      if (have < event.cropsSent && Date.now() - job.timestamp < finaliseWaitMs) {
        await job.moveToDelayed(Date.now() + FINALISE_POLL_MS, token);
        throw new DelayedError();
      }
      const all = await samples.all(event.context);
      const ok = all.filter((s): s is Extract<StoredSample, { status: "ok" }> => s.status === "ok");
      if (ok.length === 0) {
        log.info(
          { sent: event.cropsSent, unknown: all.length },
          "visit had no classifiable face; no interaction",
        );
        await samples.drop(event.context);
        return { status: "skipped" };
      }
      const rules = await scoringSettings(db, event.context.storeId);
      const summary = aggregateInteraction(
        ok.map((s) => ({ capturedAt: s.capturedAt, probs: s.probs })),
        { startedAt: event.startedAt, endedAt: event.endedAt },
        { negativeSet: rules.negative, includeHesitation: rules.includeHesitation },
      )!; // non-null: at least one sample
      const id = interactionId({
        storeId: event.context.storeId,
        cameraId: event.context.cameraId,
        trackKey: event.context.trackKey,
        zoneId: event.context.zoneId,
        startedAt: event.startedAt,
      });
      const fresh = await writeInteraction(db, {
        id,
        context: event.context,
        startedAt: event.startedAt,
        endedAt: event.endedAt,
        dwellMs: summary.dwellMs,
        sampleCount: summary.sampleCount,
        meanProbs: summary.meanProbs,
        dominant: summary.dominant,
        valence: summary.valence,
        hesitation: summary.hesitation,
        negative: summary.negative,
      });
      await samples.drop(event.context);
      if (fresh) {
        log.info({ interaction: id, dominant: summary.dominant, samples: ok.length }, "interaction written");
        listeners.forEach((l) => l(id, event.context));
        await live.publish({
          kind: "interaction",
          storeId: event.context.storeId,
          zoneId: event.context.zoneId,
          itemId: event.context.itemId,
          interactionId: id,
          at: event.endedAt,
          dominant: summary.dominant,
          valence: summary.valence,
          negative: summary.negative,
          dwellMs: Math.round(summary.dwellMs),
        });
        if (event.context.itemId) {
          await scoringQueue.add(
            "score",
            { storeId: event.context.storeId, itemId: event.context.itemId },
            // Debounced: a burst of interactions for one item makes one scoring run, after the burst.
            {
              delay: SCORE_DEBOUNCE_MS,
              deduplication: {
                id: `score_${event.context.storeId}_${event.context.itemId}`,
                ttl: SCORE_DEBOUNCE_MS,
                extend: true,
                replace: true,
              },
            },
          );
        }
      }
      return { status: fresh ? "written" : "duplicate", id };
    },
    { connection, prefix, concurrency: 4, ...lockOptions },
  );

  const scoringWorker = new Worker(
    QUEUES.scoring,
    async (job: Job) => {
      const parsed = ZScoreJob.safeParse(job.data);
      if (!parsed.success)
        throw new UnrecoverableError(`invalid scoring job: ${parsed.error.issues[0]?.message}`);
      const { storeId, itemId } = parsed.data;
      const outcome = await scoreItem(db, storeId, itemId);
      if (outcome.change) {
        logger.info({ storeId, itemId, ...outcome }, `flag ${outcome.change}`);
        await live.publish({
          kind: "flag",
          storeId,
          itemId,
          flagId: outcome.flagId!,
          state: outcome.change,
          at: Date.now(),
          lower: outcome.lower,
          threshold: outcome.threshold!,
        });
        if (outcome.change === "raised")
          await surveysQueue.add(
            "flag-raised",
            { storeId, itemId, flagId: outcome.flagId },
            { jobId: `flag_${outcome.flagId}` },
          );
      }
      scoreListeners.forEach((l) => l(storeId, itemId, outcome));
      return outcome;
    },
    { connection, prefix, concurrency: 2, ...lockOptions },
  );

  // The survey hand-off: a raised flag activates the item's survey (the survey engine treats an open flag as
  // an active survey; kiosks and QR codes pick it up). Here it is confirmed and logged, or found stale.
  const surveysWorker = new Worker(
    QUEUES.surveys,
    async (job: Job) => {
      const parsed = ZFlagRaisedJob.safeParse(job.data);
      if (!parsed.success)
        throw new UnrecoverableError(`invalid survey hand-off: ${parsed.error.issues[0]?.message}`);
      const flag = await db.flag.findUnique({ where: { id: parsed.data.flagId } });
      const active = flag !== null && flag.clearedAt === null;
      logger.info(
        { ...parsed.data, active },
        active ? "survey active for flagged item" : "flag already cleared",
      );
      return { active };
    },
    { connection, prefix, concurrency: 1, ...lockOptions },
  );

  // Retention, hourly: one repeatable job across all worker processes (BullMQ job schedulers are idempotent).
  const maintenanceQueue = new Queue(QUEUES.maintenance, {
    connection,
    prefix,
    defaultJobOptions: JOB_OPTIONS[QUEUES.maintenance],
  });
  maintenanceQueue.on("error", (err) => logger.error({ err, queue: QUEUES.maintenance }, "queue error"));
  void maintenanceQueue
    .upsertJobScheduler(
      "retention-hourly",
      { every: deps.retentionEveryMs ?? 3_600_000 },
      { name: "retention" },
    )
    .catch((err: unknown) => logger.error({ err }, "retention schedule not set"));
  const maintenanceWorker = new Worker(
    QUEUES.maintenance,
    async () => {
      const results = await deleteExpiredData(db);
      const deleted = results.filter((r) => r.interactions || r.surveyResponses);
      if (deleted.length) logger.info({ deleted }, "retention: expired interactions and responses deleted");
      return { stores: results.length, deleted: deleted.length };
    },
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
      await Promise.all([scoringQueue.close(), surveysQueue.close(), maintenanceQueue.close()]);
      await Promise.all([connection.quit(), samplesRedis.quit()]);
    },
  };
}
