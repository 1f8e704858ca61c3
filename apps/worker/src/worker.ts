import type { Redis } from "ioredis";
import { Queue, type Job } from "bullmq";
import type { Logger } from "pino";
import {
  JOB_OPTIONS,
  MAX_CROP_TTL_MS,
  QUEUES,
  redisLayout,
  type QueueName,
  type RedisConnectionConfig,
  type StoreQueueName,
  type StoreShard,
  type TrackContext,
  ZTrackContext,
} from "@shelf/core";
import { connectRedis } from "@shelf/core/redis-client";
import { loadCameraSecretKey, openWebhookSecret, storeRules, type Db } from "@shelf/db";
import type { FaceAnalyzer } from "@shelf/inference";
import { SamplesStore } from "./samples-store.ts";
import { LivePublisher } from "./live.ts";
import { WorkerCounters } from "./counters.ts";
import { CropKeyHolder } from "./crop-keys.ts";
import { DbGate, type DbGateOptions } from "./db-gate.ts";
import { GuardedWorker } from "./guarded-worker.ts";
import { writeInteraction } from "./interaction-writer.ts";
import { jobHandler } from "./job-handler.ts";
import { JobRejected } from "./processors/rejected.ts";
import { StoreConsumers } from "./store-consumers.ts";
import { cachedNegativeSets } from "./negative-sets.ts";
import { debouncedRescore } from "./rescore.ts";
import { VisitBook } from "./visit-book.ts";
import { batchedClassifier, processCrop } from "./processors/crops.ts";
import { KnownPlaces, processTrackEvent } from "./processors/visits.ts";
import {
  prismaScoringStore,
  processRescore,
  processScore,
  type ScoreOutcome,
  type ScoringDeps,
} from "./processors/scoring.ts";
import { prismaSurveyReads, processSurveyTrigger, queueSurveyTrigger } from "./processors/surveys.ts";
import { processMaintenance, runRetention, scheduleMaintenance, sweep } from "./processors/maintenance.ts";
import {
  postWebhook,
  prismaAlertBacklog,
  prismaAlertStore,
  processAlert,
  queueFlagAlert,
  requeueMissingAlerts,
  smtpSender,
  type AlertChannel,
  type AlertDeps,
} from "./processors/alerts.ts";

export interface WorkerDeps {
  db: Db;
  /** A redis:// or rediss:// URL, or a full config (TLS CA file, cluster nodes). */
  redisUrl: string | RedisConnectionConfig;
  /** QUEUE_PREFIX, the base of every key (`redisLayout`; tests use a random one). */
  prefix: string;
  /** The stores whose crop and track queues this process consumes (`STORE_SHARD`). Default: all. */
  shard?: StoreShard;
  /** How often the store list is read again, ms (`STORE_REFRESH_MS`). Default 10 s. */
  storeRefreshMs?: number;
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
  /** Flag alerts (`processors/alerts.ts`). */
  alerts?: {
    /** smtp:// or smtps:// URL of the mail server; absent: no e-mail alerts (webhooks still go). */
    smtpUrl?: string;
    /** The e-mails' From. Default "Shelf Sentiment <alerts@localhost>". */
    from?: string;
    /** The dashboard's origin for links in alerts (PUBLIC_BASE_URL). */
    publicBaseUrl?: string | null;
    /**
     * The installation's secret key that opens sealed webhook secrets (the web app's CAMERA_SECRET_KEY), asked
     * for on the first sealed secret. Default: the key file (`loadCameraSecretKey`).
     */
    secretKey?: () => Buffer;
    /** Posts a webhook (tests); default {@link postWebhook}. */
    postWebhook?: AlertDeps["postWebhook"];
    /**
     * How often open flags whose alert never went out (queueing failed, job lost) are queued again, ms.
     * Default 5 min (`ALERT_REQUEUE_EVERY_MS`).
     */
    requeueEveryMs?: number;
  };
}

export interface RunningWorkers {
  /** Emitted when an interaction row is written (new) — used by tests and the live feed. */
  onInteraction(listener: (id: string, context: TrackContext) => void): void;
  /** Emitted after each rejection-score update. */
  onScore(listener: (storeId: string, itemId: string, outcome: ScoreOutcome) => void): void;
  /** The shared worker counters (Prometheus text via `render()`). */
  counters: WorkerCounters;
  /** Reads the store list now and starts consumers for new stores of the shard (also done every refresh). */
  refreshStores(): Promise<void>;
  /** Resolves once the stores known at start are served. */
  ready: Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts every processor on one process: crops (classification), tracks (visits → interactions), scoring
 * (items, and whole stores on request), survey triggers, flag alerts and maintenance (retention, silent visits,
 * alerts that never went out). The processors are plain functions in
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
  const layout = redisLayout(prefix);
  // Workers block on Redis: maxRetriesPerRequest must be null (BullMQ requirement).
  const connection = connectRedis(deps.redisUrl, { maxRetriesPerRequest: null });
  const redisClient = connectRedis(deps.redisUrl, { maxRetriesPerRequest: 3 });
  // Samples, counters and survey keys use single-key commands, which a Cluster serves alike; the live
  // publisher's SCAN goes to every master itself.
  const redis = redisClient as Redis;
  const samples = new SamplesStore(redis, prefix);
  const visits = new VisitBook(redisClient, layout);
  const counters = new WorkerCounters(redis, prefix, logger);
  const keys = new CropKeyHolder(redisClient, layout, logger);
  keys.start();
  const gate = new DbGate(db, counters, logger, deps.dbRetry);
  const places = new KnownPlaces(db);
  const live = new LivePublisher(
    redisClient,
    prefix,
    logger,
    cachedNegativeSets(async (storeId) => [...(await storeRules(db, storeId)).negative]),
  );
  live.start();
  const listeners: ((id: string, context: TrackContext) => void)[] = [];
  const scoreListeners: ((storeId: string, itemId: string, outcome: ScoreOutcome) => void)[] = [];
  const queue = (name: QueueName, queuePrefix = layout.central) => {
    const q = new Queue(name, { connection, prefix: queuePrefix, defaultJobOptions: JOB_OPTIONS[name] });
    q.on("error", (err) => logger.error({ err, queue: name }, "queue error"));
    return q;
  };
  const scoringQueue = queue(QUEUES.scoring);
  const surveysQueue = queue(QUEUES.surveys);
  const maintenanceQueue = queue(QUEUES.maintenance);
  const alertsQueue = queue(QUEUES.alerts);
  // A store's queues as a producer (the sweep's abandoned ends, its crop clean-up), made on first use.
  const storeQueues = new Map<string, Queue>();
  const storeQueue = (storeId: string, name: StoreQueueName) => {
    const key = `${name}|${storeId}`;
    let q = storeQueues.get(key);
    if (!q) storeQueues.set(key, (q = queue(name, layout.store(storeId))));
    return q;
  };

  const classify = batchedClassifier(deps.analyzer, {
    batchSize,
    waitMs: deps.classifyBatchWaitMs ?? 15,
  });
  const handle = <R>(name: QueueName, run: Parameters<typeof jobHandler<R>>[1]) =>
    jobHandler(name, run, { counters, logger });

  const watch = (name: string, w: GuardedWorker) => {
    w.on("error", (err) => logger.error({ err, worker: name }, "worker error"));
    w.on("failed", (job, err) =>
      logger.warn(
        { worker: name, job: job?.id, attempts: job?.attemptsMade, err: err.message },
        "job failed",
      ),
    );
  };
  // A store's agent can only write its own queues (ACL): a job naming another store is refused, not served.
  const ofStore =
    <R>(storeId: string, run: (job: Job, token?: string) => Promise<R>) =>
    (job: Job, token?: string) => {
      // A malformed context is the processor's to refuse (its reason names the field).
      const context = ZTrackContext.safeParse((job.data as { context?: unknown } | null)?.context);
      if (context.success && context.data.storeId !== storeId)
        throw new JobRejected(
          `context.storeId: ${context.data.storeId} is not the store of this queue (${storeId})`,
          "wrong-store",
        );
      return run(job, token);
    };

  const storeWorkers = (storeId: string) => {
    const storePrefix = layout.store(storeId);
    const cropWorker = new GuardedWorker(
      QUEUES.crops,
      handle(
        QUEUES.crops,
        ofStore(storeId, (job) =>
          processCrop({ keys, classify, samples, visits, live, counters, logger }, job.data),
        ),
      ),
      { connection, prefix: storePrefix, concurrency: batchSize, ...lockOptions },
    );
    const trackWorker = new GuardedWorker(
      QUEUES.tracks,
      handle(
        QUEUES.tracks,
        ofStore(storeId, (job, token) =>
          gate.run(job, token, () =>
            processTrackEvent(
              {
                settings: (id) => storeRules(db, id),
                write: (record) => writeInteraction(db, record),
                samples,
                visits,
                places,
                live,
                counters,
                logger,
                finaliseGuardMs: deps.finaliseWaitMs ?? MAX_CROP_TTL_MS + 600_000,
                written: (id, context) => listeners.forEach((l) => l(id, context)),
                rescore: debouncedRescore(scoringQueue),
                triggerSurvey: queueSurveyTrigger(surveysQueue),
              },
              job.data,
              job,
            ),
          ),
        ),
      ),
      { connection, prefix: storePrefix, concurrency: 4, ...lockOptions },
    );
    for (const [name, w] of [
      ["crops", cropWorker],
      ["tracks", trackWorker],
    ] as const)
      watch(`${name}:${storeId}`, w);
    return [cropWorker, trackWorker];
  };
  const stores = new StoreConsumers({
    listStores: async () =>
      (await db.store.findMany({ select: { id: true }, orderBy: { id: "asc" } })).map((s) => s.id),
    shard: deps.shard ?? { index: 0, count: 1 },
    refreshMs: deps.storeRefreshMs,
    start: storeWorkers,
    changed: (served) => keys.serve(served),
    logger,
  });
  const ready = stores.start();

  const scoring: ScoringDeps = {
    store: prismaScoringStore(db),
    live,
    logger,
    scored: (storeId, itemId, outcome) => scoreListeners.forEach((l) => l(storeId, itemId, outcome)),
    flagRaised: queueFlagAlert(alertsQueue),
  };
  const scoringWorker = new GuardedWorker(
    QUEUES.scoring,
    handle(QUEUES.scoring, (job, token) => gate.run(job, token, () => processScore(scoring, job.data))),
    { connection, prefix: layout.central, concurrency: 2, ...lockOptions },
  );
  const rescoreWorker = new GuardedWorker(
    QUEUES.rescore,
    handle(QUEUES.rescore, (job, token) => gate.run(job, token, () => processRescore(scoring, job.data))),
    { connection, prefix: layout.central, concurrency: 1, ...lockOptions },
  );

  const surveysWorker = new GuardedWorker(
    QUEUES.surveys,
    handle(QUEUES.surveys, (job, token) =>
      gate.run(job, token, () =>
        processSurveyTrigger(
          {
            ...prismaSurveyReads(db),
            rules: (storeId) => storeRules(db, storeId),
            redis,
            prefix,
            live,
            logger,
          },
          job.data,
        ),
      ),
    ),
    { connection, prefix: layout.central, concurrency: 2, ...lockOptions },
  );

  const smtp = deps.alerts?.smtpUrl ? smtpSender(deps.alerts.smtpUrl) : null;
  let secretKey: Buffer | undefined;
  const loadSecretKey = deps.alerts?.secretKey ?? (() => loadCameraSecretKey());
  const alertDeps: AlertDeps = {
    store: prismaAlertStore(db),
    sendMail: smtp?.send,
    postWebhook: deps.alerts?.postWebhook ?? ((req) => postWebhook(req)),
    webhookKey: (stored) => openWebhookSecret(() => (secretKey ??= loadSecretKey()), stored),
    publicBaseUrl: deps.alerts?.publicBaseUrl?.replace(/\/+$/, "") ?? null,
    from: deps.alerts?.from ?? "Shelf Sentiment <alerts@localhost>",
    logger,
  };
  const alertsWorker = new GuardedWorker(
    QUEUES.alerts,
    handle(QUEUES.alerts, (job, token) =>
      gate.run(job, token, () => processAlert(alertDeps, job.data, job.attemptsMade + 1)),
    ),
    { connection, prefix: layout.central, concurrency: 2, ...lockOptions },
  );

  void scheduleMaintenance(
    maintenanceQueue,
    {
      retentionMs: deps.retentionEveryMs,
      sweepMs: deps.sweepEveryMs,
      alertsMs: deps.alerts?.requeueEveryMs,
    },
    logger,
  );
  // Without an SMTP server e-mail is never sent: re-queueing for it would go on for the whole window.
  const alertChannels: AlertChannel[] = smtp ? ["email", "webhook"] : ["webhook"];
  const maintenanceWorker = new GuardedWorker(
    QUEUES.maintenance,
    handle<object>(QUEUES.maintenance, (job, token) =>
      processMaintenance(
        {
          sweep: () =>
            sweep({
              visits,
              samples,
              tracks: (storeId) => storeQueue(storeId, QUEUES.tracks),
              crops: () => stores.allStores.map((id) => storeQueue(id, QUEUES.crops)),
              logger,
              silentMs: deps.visitSilentMs ?? 300_000,
            }),
          retention: () => gate.run(job, token, () => runRetention({ db, logger })),
          alerts: () =>
            gate.run(job, token, () =>
              requeueMissingAlerts({
                backlog: prismaAlertBacklog(db),
                alerts: alertsQueue,
                channels: alertChannels,
                logger,
              }),
            ),
        },
        job.name,
      ),
    ),
    { connection, prefix: layout.central, concurrency: 1, ...lockOptions },
  );

  for (const [name, w] of [
    ["maintenance", maintenanceWorker],
    ["scoring", scoringWorker],
    ["rescore", rescoreWorker],
    ["surveys", surveysWorker],
    ["alerts", alertsWorker],
  ] as const)
    watch(name, w);

  return {
    onInteraction: (l) => void listeners.push(l),
    onScore: (l) => void scoreListeners.push(l),
    counters,
    refreshStores: () => stores.refresh(),
    ready,
    async close() {
      // Workers first (finish in-flight jobs), then queues, then connections. The DB is the caller's.
      live.stop();
      await Promise.all([
        stores.close(),
        scoringWorker.close(),
        rescoreWorker.close(),
        surveysWorker.close(),
        maintenanceWorker.close(),
        alertsWorker.close(),
      ]);
      smtp?.close();
      await keys.close();
      await Promise.all(
        [scoringQueue, surveysQueue, maintenanceQueue, alertsQueue, ...storeQueues.values()].map((q) =>
          q.close(),
        ),
      );
      await Promise.all([connection.quit(), redisClient.quit()]);
    },
  };
}
