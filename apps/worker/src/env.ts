import { z } from "zod";
import {
  DEFAULT_QUEUE_PREFIX,
  DEFAULT_REDIS_URL,
  parseEnv,
  ZLogLevel,
  ZPostgresUrl,
  ZRedisUrl,
} from "@shelf/core";
import { DEFAULT_DATABASE_URL } from "@shelf/db";

export const ZWorkerEnv = z.object({
  DATABASE_URL: ZPostgresUrl.default(DEFAULT_DATABASE_URL),
  REDIS_URL: ZRedisUrl.default(DEFAULT_REDIS_URL),
  QUEUE_PREFIX: z
    .string()
    .regex(/^[a-z0-9_-]+$/i)
    .default(DEFAULT_QUEUE_PREFIX),
  LOG_LEVEL: ZLogLevel.default("info"),
  /** Crops classified in one model call. */
  CLASSIFY_BATCH: z.coerce.number().int().min(1).max(64).default(8),
  /** Longest wait for a batch to fill, ms. */
  CLASSIFY_BATCH_WAIT_MS: z.coerce.number().int().min(0).max(1000).default(15),
});
export type WorkerEnv = z.infer<typeof ZWorkerEnv>;

/** The only place the worker reads process.env. */
export function loadWorkerEnv(source: Record<string, string | undefined> = process.env): WorkerEnv {
  return parseEnv(ZWorkerEnv, source);
}
