import "server-only";
import { Redis } from "ioredis";
import { encodeLiveEvent, liveChannel, type LiveEvent } from "@shelf/survey-engine";
import { webEnv } from "../env.ts";
import { LiveHub } from "../survey/redis.ts";
import { logger } from "../logger.ts";

const g = globalThis as unknown as { shelfLivePublisher?: Redis; shelfLiveHub?: LiveHub };

/** The dashboard's shared live-event subscriber (one per process, fanned out to every open live view). */
export function dashboardLiveHub(): LiveHub {
  g.shelfLiveHub ??= new LiveHub(webEnv().REDIS_URL);
  return g.shelfLiveHub;
}

function publisher(): Redis {
  if (!g.shelfLivePublisher) {
    // Fails fast: a live event is a courtesy (Postgres holds the truth), never worth hanging a request on.
    const redis = new Redis(webEnv().REDIS_URL, {
      maxRetriesPerRequest: 1,
      commandTimeout: 2000,
      connectTimeout: 5000,
    });
    redis.on("error", (err) => logger().warn({ err: err.message }, "live publisher: Redis error"));
    g.shelfLivePublisher = redis;
  }
  return g.shelfLivePublisher;
}

/** Publishes live events (e.g. flags an admin's threshold change raised or cleared); logs and drops on failure. */
export async function publishLive(events: LiveEvent[]): Promise<void> {
  if (!events.length) return;
  const prefix = webEnv().QUEUE_PREFIX;
  try {
    const redis = publisher();
    await Promise.all(events.map((e) => redis.publish(liveChannel(e.storeId, prefix), encodeLiveEvent(e))));
  } catch (err) {
    logger().warn({ err: err instanceof Error ? err.message : String(err) }, "live events not published");
  }
}
