import "server-only";
import { redisConnectionConfig, type RescoreJob, type RescoreResult } from "@shelf/core";
import { webEnv } from "../env.ts";
import { bullRescoreRequester } from "./rescore.ts";

const g = globalThis as unknown as { shelfRescoreRequester?: ReturnType<typeof bullRescoreRequester> };

/** The web process's rescore requester (one queue and one QueueEvents connection per process). */
export function requestRescore(job: RescoreJob): Promise<RescoreResult> {
  const env = webEnv();
  g.shelfRescoreRequester ??= bullRescoreRequester({
    redisUrl: redisConnectionConfig(env),
    prefix: env.QUEUE_PREFIX,
  });
  return g.shelfRescoreRequester(job);
}
