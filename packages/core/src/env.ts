import { z } from "zod";
import { DEFAULT_QUEUE_PREFIX } from "./jobs.ts";
import { ZRedisConnectionEnv } from "./redis-connection.ts";

/** Thrown when the environment does not satisfy an app's env schema; names every offending variable. */
export class EnvError extends Error {
  constructor(readonly issues: { variable: string; message: string }[]) {
    super(
      `Invalid environment:\n${issues.map((i) => `  ${i.variable}: ${i.message}`).join("\n")}\n` +
        "Fix or unset these variables (see README, Configuration).",
    );
    this.name = "EnvError";
  }
}

/**
 * Validates `source` (normally `process.env`, passed in by the app's own env module) against `schema`.
 * Empty strings count as unset, so `FOO=` falls back to the default.
 */
export function parseEnv<S extends z.ZodObject>(
  schema: S,
  source: Record<string, string | undefined>,
): z.infer<S> {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    throw new EnvError(
      result.error.issues.map((i) => ({ variable: String(i.path[0] ?? "?"), message: i.message })),
    );
  }
  return result.data;
}

/** postgresql:// URL. */
export const ZPostgresUrl = z
  .string()
  .refine((u) => isUrl(u, /^postgres(ql)?:$/), "must be a postgresql:// URL");
/** redis:// or rediss:// URL. */
export const ZRedisUrl = z.string().refine((u) => isUrl(u, /^rediss?:$/), "must be a redis:// URL");

function isUrl(value: string, protocol: RegExp): boolean {
  try {
    return protocol.test(new URL(value).protocol);
  } catch {
    return false;
  }
}

export const DEFAULT_REDIS_URL = "redis://127.0.0.1:6379";
/** The local development database (the machine's PostgreSQL, trust auth). */
export const DEFAULT_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/shelf";
export const ZLogLevel = z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]);

/**
 * Variables every queue service (agent, worker) reads, with local defaults; apps `.extend()` it.
 * QUEUE_PREFIX namespaces every Redis key (queues, samples, live channels; layout in `redisLayout`);
 * REDIS_TLS_CA_FILE and REDIS_CLUSTER_NODES: see `ZRedisConnectionEnv`.
 */
export const ZServiceEnv = z.object({
  DATABASE_URL: ZPostgresUrl.default(DEFAULT_DATABASE_URL),
  REDIS_URL: ZRedisUrl.default(DEFAULT_REDIS_URL),
  QUEUE_PREFIX: z
    .string()
    .regex(/^[a-z0-9_-]+$/i, "letters, digits, - and _ only")
    .default(DEFAULT_QUEUE_PREFIX),
  LOG_LEVEL: ZLogLevel.default("info"),
  ...ZRedisConnectionEnv.shape,
});
