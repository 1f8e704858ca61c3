import { createDb } from "@shelf/db";
import { createFaceAnalyzer } from "@shelf/inference";
import { loadWorkerEnv } from "./env.ts";
import { createLogger } from "./logger.ts";
import { startWorkers } from "./worker.ts";

const env = loadWorkerEnv();
const logger = createLogger(env.LOG_LEVEL);
const db = createDb({ url: env.DATABASE_URL });
const analyzer = createFaceAnalyzer();
await analyzer.load();
await analyzer.warmup();
logger.info({ backend: analyzer.backend }, "expression model loaded");
const workers = startWorkers({
  db,
  redisUrl: env.REDIS_URL,
  prefix: env.QUEUE_PREFIX,
  analyzer,
  logger,
  classifyBatch: env.CLASSIFY_BATCH,
  classifyBatchWaitMs: env.CLASSIFY_BATCH_WAIT_MS,
});
logger.info({ prefix: env.QUEUE_PREFIX }, "worker started");

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, "shutting down: workers, then queues, then database");
  const force = setTimeout(() => {
    logger.error("shutdown timed out; exiting");
    process.exit(1);
  }, 20_000).unref();
  await workers.close();
  await analyzer.dispose();
  await db.$disconnect();
  clearTimeout(force);
  process.exit(0);
}
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));
