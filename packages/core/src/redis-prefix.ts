import { fnv1a128Hex } from "./hash.ts";

/** Redis key prefix for BullMQ, live channels and survey keys (tests use a random one so runs never collide). */
export const DEFAULT_QUEUE_PREFIX = "shelf";

/**
 * Where every Redis key of one installation lives: the one place that names a prefix. `base` is QUEUE_PREFIX
 * (default `shelf`; letters, digits, `-` and `_`, so it never holds a `{`).
 *
 * | prefix                  | holds                                                                        | who     |
 * |-------------------------|------------------------------------------------------------------------------|---------|
 * | `<base>:{s:<storeId>}`  | one store's agent queues (crops, tracks), its wrapped crop keys, visit crops | agent writes, workers consume |
 * | `{<base>}`              | central queues (scoring, rescore, surveys, alerts, maintenance), open visits, workers' public crop keys | workers, web |
 * | `<base>:`               | web/survey keys (rate limits, kiosk prompts, sign-in throttle), samples, counters, live-recent; live pub/sub channels | workers, web |
 *
 * Why hash tags: on a Redis Cluster only the part between the first `{` and `}` is hashed, so every key of a
 * prefix lands in one slot. BullMQ's Lua scripts touch several keys of a queue at once and require that; one
 * tag per store spreads stores over the cluster's slots, while the central queues share `{<base>}` (one slot,
 * so one master serves them: they carry ids, not pixels). The per-store prefix is also what a Redis ACL user
 * of that store's agent is confined to (`~<base>:{s:<storeId>}:*`, see {@link storeAclKeyPattern}).
 */
export interface RedisLayout {
  /** QUEUE_PREFIX as configured. */
  readonly base: string;
  /** `{<base>}`: central queues and worker state. */
  readonly central: string;
  /** `<base>:{s:<storeId>}`: the prefix of one store's agent queues and keys. */
  store(storeId: string): string;
}

/** The key layout of an installation whose QUEUE_PREFIX is `base`. */
export function redisLayout(base: string = DEFAULT_QUEUE_PREFIX): RedisLayout {
  if (/[{}]/.test(base)) throw new Error(`queue prefix ${base} must not contain { or }`);
  return {
    base,
    central: `{${base}}`,
    store: (storeId) => {
      // The id ends the hash tag and is matched by an ACL glob: no braces, glob or separator characters.
      if (!/^[A-Za-z0-9_-]{1,64}$/.test(storeId)) throw new Error(`store id ${storeId} is not a key-safe id`);
      return `${base}:{s:${storeId}}`;
    },
  };
}

/** Redis ACL key pattern of one store's keys: its agent user may touch these and no other key it writes. */
export function storeAclKeyPattern(layout: RedisLayout, storeId: string): string {
  return `${layout.store(storeId)}:*`;
}

/**
 * One worker process's share of the stores: `index` of `count` (`STORE_SHARD=index/count`, default `0/1` =
 * every store). A store belongs to shard `hash(storeId) mod count`; the hash is stable (FNV-1a), so every
 * worker process agrees without talking to the others, and a new store lands in exactly one shard.
 */
export interface StoreShard {
  index: number;
  count: number;
}

/** Parses `index/count` (e.g. `0/4`); throws on anything else. */
export function parseStoreShard(text: string): StoreShard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || count > 4096 || index >= count)
    throw new Error(`STORE_SHARD must be index/count with 0 ≤ index < count ≤ 4096, got ${text}`);
  return { index, count };
}

/** True when `storeId` belongs to `shard`. */
export function inStoreShard(storeId: string, shard: StoreShard): boolean {
  if (shard.count === 1) return true;
  return Number(BigInt(`0x${fnv1a128Hex(storeId).slice(-12)}`) % BigInt(shard.count)) === shard.index;
}
