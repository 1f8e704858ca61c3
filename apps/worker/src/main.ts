import { fork } from "node:child_process";
import { createServer } from "node:http";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { redisConnectionConfig } from "@shelf/core";
import { createDb, loadCameraSecretKey } from "@shelf/db";
import { createFaceAnalyzer } from "@shelf/inference";
import { loadWorkerEnv } from "./env.ts";
import { createLogger } from "./logger.ts";
import { startWorkers } from "./worker.ts";

const env = loadWorkerEnv();
const processes = env.WORKER_PROCESSES === "auto" ? availableParallelism() : env.WORKER_PROCESSES;

if (processes > 1 && env.SHELF_WORKER_CHILD === undefined) {
  await supervise(processes);
} else {
  await runWorker();
}

/**
 * Several processes, one core each: inference runs on one thread per process, so throughput scales with
 * processes, and BullMQ hands each job to exactly one of them. A child that dies is restarted.
 */
async function supervise(n: number): Promise<void> {
  const logger = createLogger(env.LOG_LEVEL, "worker-supervisor");
  const self = fileURLToPath(import.meta.url);
  const children = new Set<ReturnType<typeof fork>>();
  let stopping = false;
  const spawnChild = (index: number) => {
    const child = fork(self, {
      env: { ...process.env, SHELF_WORKER_CHILD: String(index) },
      execArgv: process.execArgv,
    });
    children.add(child);
    child.on("exit", (code, signal) => {
      children.delete(child);
      if (stopping) return;
      logger.error({ index, code, signal }, "worker process exited; restarting");
      setTimeout(() => spawnChild(index), 1000);
    });
  };
  for (let i = 0; i < n; i++) spawnChild(i);
  logger.info({ processes: n }, "worker processes started");
  const stop = (signal: NodeJS.Signals) => {
    stopping = true;
    for (const c of children) c.kill(signal);
    const wait = setInterval(() => children.size === 0 && (clearInterval(wait), process.exit(0)), 100);
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

async function runWorker(): Promise<void> {
  const logger = createLogger(env.LOG_LEVEL, "worker").child({ pid: process.pid });
  const db = createDb({ url: env.DATABASE_URL });
  const analyzer = createFaceAnalyzer({ expression: { model: env.EXPRESSION_MODEL } });
  await analyzer.load();
  await analyzer.warmup();
  logger.info(
    { model: analyzer.expressionModel, backend: analyzer.backend, notes: analyzer.backendNotes },
    "expression model loaded",
  );
  const workers = startWorkers({
    db,
    redisUrl: redisConnectionConfig(env),
    prefix: env.QUEUE_PREFIX,
    shard: env.STORE_SHARD,
    storeRefreshMs: env.STORE_REFRESH_MS,
    analyzer,
    logger,
    classifyBatch: env.CLASSIFY_BATCH,
    classifyBatchWaitMs: env.CLASSIFY_BATCH_WAIT_MS,
    lockDurationMs: env.JOB_LOCK_MS,
    stalledIntervalMs: env.STALLED_CHECK_MS,
    visitSilentMs: env.VISIT_SILENT_MS,
    sweepEveryMs: env.VISIT_SWEEP_MS,
    alerts: {
      smtpUrl: env.SMTP_URL,
      from: env.ALERT_EMAIL_FROM,
      publicBaseUrl: env.PUBLIC_BASE_URL ?? null,
      secretKey: () => loadCameraSecretKey({ key: env.CAMERA_SECRET_KEY, file: env.CAMERA_SECRET_KEY_FILE }),
    },
    dbRetry: {
      retryMinMs: env.DB_RETRY_MIN_MS,
      retryMaxMs: env.DB_RETRY_MAX_MS,
      outageMaxMs: env.DB_OUTAGE_MAX_MS,
    },
  });
  await workers.ready;
  logger.info({ prefix: env.QUEUE_PREFIX, shard: env.STORE_SHARD }, "worker started");
  // The counters are shared in Redis, so one process (the first) serves them for all.
  const metricsServer =
    env.WORKER_METRICS_PORT > 0 && (env.SHELF_WORKER_CHILD ?? "0") === "0"
      ? createServer((req, res) => {
          if (req.url !== "/metrics") return void res.writeHead(404).end();
          workers.counters.render().then(
            (text) => res.writeHead(200, { "content-type": "text/plain; version=0.0.4" }).end(text),
            (err: unknown) => res.writeHead(503).end(String((err as Error).message)),
          );
        }).listen(env.WORKER_METRICS_PORT)
      : null;

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down: workers, then queues, then database");
    const force = setTimeout(() => {
      logger.error("shutdown timed out; exiting");
      process.exit(1);
    }, 20_000).unref();
    metricsServer?.close();
    await workers.close();
    await analyzer.dispose();
    await db.$disconnect();
    clearTimeout(force);
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
}
