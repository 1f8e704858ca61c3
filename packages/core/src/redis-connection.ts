import { z } from "zod";

/**
 * How a service reaches Redis, from its environment (validated once by the app's env module):
 * - `REDIS_URL`: `redis://[user:password@]host:port[/db]`, or `rediss://` for TLS. A store's agent uses its own
 *   ACL user here (`npm run redis:acl`), the central services the default or a central user.
 * - `REDIS_TLS_CA_FILE`: PEM file of the CA that signed the server's certificate (a private CA); without it
 *   `rediss://` trusts the system's CAs.
 * - `REDIS_CLUSTER_NODES`: `host:port,host:port,…` — seed nodes of a Redis Cluster. Credentials and TLS still
 *   come from REDIS_URL (its host is then unused).
 */
export const ZRedisConnectionEnv = z.object({
  REDIS_TLS_CA_FILE: z.string().min(1).optional(),
  REDIS_CLUSTER_NODES: z
    .string()
    .refine((s) => parseClusterNodes(s) !== null, "must be host:port,host:port,… (at least one node)")
    .optional(),
});

export interface RedisNode {
  host: string;
  port: number;
}

/** The connection settings `connectRedis` (`@shelf/core/redis-client`) turns into an ioredis `Redis` or `Cluster`. */
export interface RedisConnectionConfig {
  url: string;
  /** PEM CA file for `rediss://`. */
  caFile?: string;
  /** Cluster seed nodes; absent: a single Redis (or a proxy in front of one). */
  clusterNodes?: RedisNode[];
}

/** `host:port,host:port` → nodes, or null when any entry is malformed. */
export function parseClusterNodes(text: string): RedisNode[] | null {
  const nodes: RedisNode[] = [];
  for (const part of text.split(",").map((s) => s.trim())) {
    const m = /^(\[[0-9a-f:]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/i.exec(part);
    const port = Number(m?.[2]);
    if (!m || port < 1 || port > 65535) return null;
    nodes.push({ host: m[1]!.replace(/^\[|\]$/g, ""), port });
  }
  return nodes.length > 0 ? nodes : null;
}

/** The config from validated env values. */
export function redisConnectionConfig(env: {
  REDIS_URL: string;
  REDIS_TLS_CA_FILE?: string | undefined;
  REDIS_CLUSTER_NODES?: string | undefined;
}): RedisConnectionConfig {
  return {
    url: env.REDIS_URL,
    ...(env.REDIS_TLS_CA_FILE ? { caFile: env.REDIS_TLS_CA_FILE } : {}),
    ...(env.REDIS_CLUSTER_NODES ? { clusterNodes: parseClusterNodes(env.REDIS_CLUSTER_NODES)! } : {}),
  };
}

/**
 * The ioredis options the URL implies for a cluster's nodes (ioredis's Cluster takes no URL): ACL user,
 * password, and TLS with the CA's PEM text (`readCa` reads `caFile`; the caller does the I/O).
 */
export function redisNodeOptions(
  config: RedisConnectionConfig,
  readCa: (file: string) => string,
): { username?: string; password?: string; tls?: { ca?: string } } {
  const url = new URL(config.url);
  return {
    ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
    ...(url.protocol === "rediss:" ? { tls: config.caFile ? { ca: readCa(config.caFile) } : {} } : {}),
  };
}
