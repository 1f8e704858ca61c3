import { storeAclKeyPattern, type RedisLayout } from "./redis-prefix.ts";

/**
 * The commands a store's camera agent sends, directly or from BullMQ's Lua scripts (Redis checks a script's
 * `redis.call`s against the caller's ACL too), and nothing else. Read off `MONITOR` while the real sink sent
 * visits, and checked by test/security/redis-acl.test.ts (`ACL LOG` stays empty while the agent works):
 * - scripts: EVALSHA, and EVAL when the script is not cached yet (ioredis);
 * - inside BullMQ's `addStandardJob` / `getCounts`: EXISTS, HGET, HMGET, HMSET, HSET, INCR, LPUSH, LINDEX, LLEN,
 *   XADD (the queue's event stream), ZADD (the marker), ZCARD;
 * - the sink: MULTI/EXEC of SADD + PEXPIRE (a visit's crop set); its key ring: HGETALL of the workers' public
 *   keys, MULTI/EXEC (or DISCARD) of HSET + PEXPIREAT (wrapped data keys);
 * - connection: PING.
 * - on a Redis Cluster (REDIS_CLUSTER_NODES), ioredis's own: CLUSTER SLOTS (the slot map, read on connect and
 *   after every MOVED; only that subcommand, not CLUSTER NODES or any that changes the cluster); ASKING (sent
 *   before retrying a command that a slot being migrated to a new node answered with ASK); READONLY (sent on its
 *   connection to each replica, though the agent reads masters only); CLIENT SETNAME (its slot-map connection
 *   names itself). The last three change only the caller's own connection and reach no key; READONLY and SETNAME
 *   failing would not stop the agent, but would fill every node's ACL LOG. Without CLUSTER SLOTS an agent's user
 *   never gets a connection up on a cluster. All read off ACL LOG on a 3-master + 3-replica cluster with the real
 *   sink: test/security/redis-acl-cluster.test.ts.
 * Not granted: keyless commands that list or pick keys (SCAN, KEYS, RANDOMKEY) — ACL key patterns do not
 * filter their answers — nor INFO (the whole server's state: clients, memory, every store's key counts; the
 * sink's queues set BullMQ's `skipVersionCheck` and its connection ioredis's `enableReadyCheck: false`, so
 * neither sends it), nor GET/DEL/… , nor any @admin, @dangerous or pub/sub command.
 */
export const AGENT_ACL_COMMANDS = [
  "evalsha",
  "eval",
  "multi",
  "exec",
  "discard",
  "ping",
  "exists",
  "hget",
  "hgetall",
  "hmget",
  "hmset",
  "hset",
  "incr",
  "lindex",
  "llen",
  "lpush",
  "pexpire",
  "pexpireat",
  "sadd",
  "xadd",
  "zadd",
  "zcard",
  "cluster|slots",
  "asking",
  "readonly",
  "client|setname",
] as const;

/** The ACL user name of a store's agent: `agent-<slug>`. */
export function agentAclUser(storeSlug: string): string {
  if (!/^[a-z0-9-]{1,60}$/.test(storeSlug))
    throw new Error(`store slug ${storeSlug} cannot name an ACL user`);
  return `agent-${storeSlug}`;
}

/**
 * The rules of `ACL SETUSER <user> …` for one store's agent: on, its password (as a SHA-256 hash, so the plain
 * text is never sent to Redis nor kept in its ACL file), only the store's keys, no pub/sub channels, and only
 * {@link AGENT_ACL_COMMANDS}. `reset` first, so applying it again replaces every earlier rule.
 */
export function storeAgentAclRules(
  layout: RedisLayout,
  storeId: string,
  passwordSha256Hex: string,
): string[] {
  if (!/^[0-9a-f]{64}$/.test(passwordSha256Hex))
    throw new Error("password hash must be 64 hex digits (SHA-256)");
  return [
    "reset",
    "on",
    `#${passwordSha256Hex}`,
    `~${storeAclKeyPattern(layout, storeId)}`,
    "resetchannels",
    "-@all",
    ...AGENT_ACL_COMMANDS.map((c) => `+${c}`),
  ];
}
