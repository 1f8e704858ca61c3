import { readFileSync } from "node:fs";
import { Cluster, Redis, type RedisOptions } from "ioredis";
import { redisNodeOptions, type RedisConnectionConfig } from "./redis-connection.ts";

/**
 * Every service's one way to open a Redis connection (Node only: `@shelf/core/redis-client`, the one core module
 * that does I/O, kept out of `@shelf/core` so the web's client bundles never see ioredis).
 */

/** A single Redis or a Cluster: the commands the services send (single-key, or keys of one slot) work on both. */
export type RedisClient = Redis | Cluster;

/**
 * A Redis connection from a URL or a full config (`redisConnectionConfig(env)`): an ACL user and password from the
 * URL, TLS for `rediss://` with the CA file, or a `Cluster` over the seed nodes. `options` apply to every node's
 * connection; on a cluster, `enableOfflineQueue`, `enableReadyCheck` and `lazyConnect` also set the Cluster's own.
 */
export function connectRedis(
  target: string | RedisConnectionConfig,
  options: RedisOptions = {},
): RedisClient {
  const config = typeof target === "string" ? { url: target } : target;
  const node = { ...options, ...redisNodeOptions(config, (file) => readFileSync(file, "utf8")) };
  if (config.clusterNodes)
    return new Cluster(config.clusterNodes, {
      redisOptions: node,
      enableOfflineQueue: options.enableOfflineQueue ?? true,
      enableReadyCheck: options.enableReadyCheck ?? true,
      lazyConnect: options.lazyConnect ?? false,
    });
  return new Redis(config.url, node);
}
