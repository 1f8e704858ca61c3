import { pino } from "pino";
import { redisConnectionConfig, redisLayout } from "@shelf/core";
import { createDb, loadCameraSecretKey, sealPlaintextCameraCredentials } from "@shelf/db";
import { createFaceAnalyzer } from "@shelf/inference";
import { CameraAgent } from "./agent.ts";
import { loadAgentEnv } from "./env.ts";
import { BullJobSink } from "./job-sink.ts";

const env = loadAgentEnv();
// Belt and braces: sources are logged redacted, and these fields never print at all.
const logger = pino({
  name: "camera-agent",
  level: env.LOG_LEVEL,
  redact: ["sourceCredentials", "*.sourceCredentials", "password", "*.password"],
});
if (env.MALLOC_ARENA_MAX === undefined && process.platform === "linux")
  logger.warn(
    "MALLOC_ARENA_MAX is not set: with glibc's default arenas this process's memory grows for hours (every " +
      "calibration snapshot fragments another thread's arena); launch it with MALLOC_ARENA_MAX=2, as npm start does",
  );
const db = createDb({ url: env.DATABASE_URL, poolMax: 2 });
const secretKey = loadCameraSecretKey({ key: env.CAMERA_SECRET_KEY, file: env.CAMERA_SECRET_KEY_FILE });
// The store's id names its Redis prefix (the only keys its ACL user may touch): wait until it exists.
let store = await db.store.findUnique({ where: { slug: env.STORE_SLUG }, select: { id: true } });
while (!store) {
  logger.warn({ store: env.STORE_SLUG }, "no such store yet: waiting for it to be created");
  await new Promise((r) => setTimeout(r, env.CONFIG_POLL_MS));
  store = await db.store.findUnique({ where: { slug: env.STORE_SLUG }, select: { id: true } });
}
// Passwords still written in source URLs (rows from before sealing) are sealed before anything reads them.
const sealed = await sealPlaintextCameraCredentials(db, secretKey, { storeId: store.id });
if (sealed) logger.info({ sealed }, "sealed camera passwords that were stored in plain text");
// By default the agent only detects and the worker classifies, so no expression model is loaded here; with
// AGENT_CLASSIFY=1 it classifies too, and only expression vectors leave the store.
const analyzer = createFaceAnalyzer({
  detector: { kind: env.DETECTOR, tiny: { inputSize: env.DETECTOR_INPUT_SIZE } },
  expression: { model: env.AGENT_CLASSIFY ? "onnx" : "none" },
});
await analyzer.load();
await analyzer.warmup();
logger.info(
  { detector: analyzer.detector, backend: analyzer.backend, expression: analyzer.expressionModel },
  env.AGENT_CLASSIFY
    ? "face detector and expression model loaded (edge classification)"
    : "face detector loaded",
);
const sink = new BullJobSink(
  redisConnectionConfig(env),
  redisLayout(env.QUEUE_PREFIX).store(store.id),
  logger,
  {
    trackBuffer: {
      maxEvents: env.AGENT_LINK_BUFFER_EVENTS,
      maxBytes: env.AGENT_LINK_BUFFER_MB * 1024 * 1024,
    },
  },
);
const agent = new CameraAgent({
  db,
  analyzer,
  ...(env.AGENT_CLASSIFY ? { classifier: analyzer } : {}),
  sink,
  logger,
  storeSlug: env.STORE_SLUG,
  configPollMs: env.CONFIG_POLL_MS,
  pipeline: { cropsPerSecond: env.CROPS_PER_SECOND },
  loop: true,
  localSources: env.AGENT_LOCAL_SOURCES,
  secretKey,
});
// The sink's crop backlog and refusals, and its visit-event buffer (depth, drops), on the agent's /metrics.
sink.registerMetrics(agent.metrics.registry);
await agent.start();
const server = agent.listen(env.AGENT_PORT, { host: env.AGENT_HOST, token: env.AGENT_METRICS_TOKEN });
logger.info(
  { host: env.AGENT_HOST, port: env.AGENT_PORT, token: Boolean(env.AGENT_METRICS_TOKEN), runId: agent.runId },
  "agent running",
);

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
