export { startWorkers, type RunningWorkers, type WorkerDeps } from "./worker.ts";
export { loadWorkerEnv, ZWorkerEnv, type WorkerEnv } from "./env.ts";
export { createLogger } from "./logger.ts";
export { writeInteraction, type InteractionRecord } from "./interaction-writer.ts";
