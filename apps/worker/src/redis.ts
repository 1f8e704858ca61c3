import { readFileSync } from "node:fs";
import { Cluster, Redis, type RedisOptions } from "ioredis";
import { redisNodeOptions, type RedisConnectionConfig } from "@shelf/core";

/**
 * A Redis connection from a URL or a full config (`redisConnectionConfig`): an ACL user and password from the
 * URL, TLS for `rediss://` with the CA file, or a `Cluster` over the seed nodes. The same rule as the camera agent's
 * `redis.ts` (both read `redisNodeOptions` from core; apps may not import each other).
 */
export function connectRedis(target: string | RedisConnectionConfig, options: RedisOptions): Redis | Cluster {
  const config = typeof target === "string" ? { url: target } : target;
  const node = { ...options, ...redisNodeOptions(config, (file) => readFileSync(file, "utf8")) };
  if (config.clusterNodes)
    return new Cluster(config.clusterNodes, {
      redisOptions: node,
      enableOfflineQueue: options.enableOfflineQueue ?? true,
    });
  return new Redis(config.url, node);
}
