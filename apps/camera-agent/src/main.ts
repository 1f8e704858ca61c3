import { pino } from "pino";
import { createDb } from "@shelf/db";
import { createFaceAnalyzer } from "@shelf/inference";
import { CameraAgent } from "./agent.ts";
import { loadAgentEnv } from "./env.ts";
import { BullJobSink } from "./job-sink.ts";

const env = loadAgentEnv();
const logger = pino({ name: "camera-agent", level: env.LOG_LEVEL });
const db = createDb({ url: env.DATABASE_URL, poolMax: 2 });
const analyzer = createFaceAnalyzer({
  detector: { kind: env.DETECTOR, tiny: { inputSize: env.DETECTOR_INPUT_SIZE } },
});
await analyzer.load();
await analyzer.warmup();
logger.info({ backend: analyzer.backend }, "face detector loaded");
const sink = new BullJobSink(env.REDIS_URL, env.QUEUE_PREFIX, logger);
const agent = new CameraAgent({
  db,
  analyzer,
  sink,
  logger,
  storeSlug: env.STORE_SLUG,
  configPollMs: env.CONFIG_POLL_MS,
  pipeline: { cropsPerSecond: env.CROPS_PER_SECOND },
  loop: true,
});
await agent.start();
const server = agent.listen(env.AGENT_PORT);
logger.info({ port: env.AGENT_PORT, runId: agent.runId }, "agent running");

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, "shutting down: cameras (ending open visits), then queues, then database");
  const force = setTimeout(() => process.exit(1), 20_000).unref();
  await agent.stop();
  await sink.close();
  server.close();
  await analyzer.dispose();
  await db.$disconnect();
  clearTimeout(force);
  process.exit(0);
}
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));
