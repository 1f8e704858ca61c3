import "server-only";
import { redisConnectionConfig } from "@shelf/core";
import { webEnv } from "../env.ts";
import { LiveHub } from "../survey/redis.ts";

const g = globalThis as unknown as { shelfLiveHub?: LiveHub };

/** The dashboard's shared live-event subscriber (one per process, fanned out to every open live view). */
export function dashboardLiveHub(): LiveHub {
  g.shelfLiveHub ??= new LiveHub(redisConnectionConfig(webEnv()));
  return g.shelfLiveHub;
}
