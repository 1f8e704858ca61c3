import { z } from "zod";
import { DEFAULT_REDIS_URL, parseEnv, ZPostgresUrl, ZRedisUrl } from "@shelf/core";
import { DEFAULT_DATABASE_URL } from "@shelf/db";

export const ZWebEnv = z.object({
  DATABASE_URL: ZPostgresUrl.default(DEFAULT_DATABASE_URL),
  REDIS_URL: ZRedisUrl.default(DEFAULT_REDIS_URL),
  /** Store shown when none is chosen. */
  DEFAULT_STORE_SLUG: z.string().min(1).default("demo"),
});
export type WebEnv = z.infer<typeof ZWebEnv>;

let cached: WebEnv | undefined;
/** The only place the web app reads process.env (server side). */
export function webEnv(): WebEnv {
  cached ??= parseEnv(ZWebEnv, process.env);
  return cached;
}
