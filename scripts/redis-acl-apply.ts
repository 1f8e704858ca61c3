/**
 * `ACL SETUSER` on every Redis node that must know the user: the one Redis, or every node of a Redis Cluster.
 * Used by `npm run redis:acl -- --apply` (scripts/redis-acl.ts) and by test/security/redis-acl-cluster.test.ts.
 *
 * Redis keeps ACL users per node: a cluster neither replicates `ACL SETUSER` to replicas nor shares it between
 * masters. An agent reaches its store's slot on whichever master holds it now, and a replica becomes that master on
 * failover, so the user must be on every node — masters, replicas, and masters that hold no slot yet (they get
 * slots when the cluster is resharded). The nodes come from `CLUSTER NODES` (every node the cluster knows), not
 * from `CLUSTER SLOTS` (ioredis's `cluster.nodes("all")`: only nodes that serve slots, so an empty new master would
 * be missed), and each node's own `CLUSTER NODES` adds any node the seed had not heard of yet.
 */
import { readFileSync } from "node:fs";
import { Redis } from "ioredis";
import { redisNodeOptions, type RedisConnectionConfig, type RedisNode } from "@shelf/core";

/** What happened on one node. */
export interface AclNodeResult {
  /** `host:port` as the cluster announces it (or as REDIS_URL names the one Redis). */
  address: string;
  /** `single` for a Redis outside a cluster; on a cluster, the node's own view of its role. */
  role: "single" | "master" | "replica" | "unknown";
  /** The cluster node id (40 hex digits); null for a single Redis or a node that did not answer. */
  id: string | null;
  /** Hash slots the node serves (0 for replicas and empty masters). */
  slots: number;
  /** Whether the node stored the user (`OK`). */
  ok: boolean;
  /** `OK`, or the node's refusal / why it could not be reached. */
  reply: string;
  /**
   * Whether the node's `default` user is on with no password (`nopass`): anyone who reaches the node is then that
   * user, with whatever it may do (every key and command, out of the box), and the agents' confinement means
   * nothing. null: not read (the node did not take the user, or refused `ACL GETUSER`).
   */
  defaultUserOpen: boolean | null;
}

/** Some node did not take the user: every node's outcome, so the operator sees which to fix and rerun on. */
export class AclApplyError extends Error {
  constructor(readonly results: AclNodeResult[]) {
    const failed = results.filter((r) => !r.ok);
    super(
      `ACL SETUSER failed on ${failed.length} of ${results.length} Redis node(s): ` +
        failed.map((r) => `${r.address} (${r.role}): ${r.reply}`).join("; "),
    );
    this.name = "AclApplyError";
  }
}

/** A line of `CLUSTER NODES`: `<id> <ip:port@cport[,hostname]> <flags> <master> … <slot> <slot-range> …`. */
export interface ClusterNodeLine {
  id: string;
  /** A replica's master id; null for a master. */
  masterId: string | null;
  /** `ip:port`, or null when the node's address is unknown (`noaddr`, or `:0`). */
  address: string | null;
  flags: string[];
  slots: number;
}

/** Parses `CLUSTER NODES` (skipping importing/migrating markers, `[slot->-id]`). */
export function parseClusterNodesReply(text: string): ClusterNodeLine[] {
  return text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)
    .map((line) => {
      const [id, addr, flags, master, , , , , ...slotRanges] = line.split(" ");
      // `ip:port@cport,hostname`: the ip may be IPv6 (colons), so the port is after the last colon.
      const ipPort = addr!.split("@")[0]!;
      const colon = ipPort.lastIndexOf(":");
      const host = ipPort.slice(0, colon);
      const port = Number(ipPort.slice(colon + 1));
      const slots = slotRanges
        .filter((r) => !r.startsWith("["))
        .reduce((n, r) => {
          const [from, to] = r.split("-").map(Number);
          return n + (to === undefined ? 1 : to - from! + 1);
        }, 0);
      return {
        id: id!,
        masterId: master === "-" || !master ? null : master,
        address: host && port > 0 ? `${host.includes(":") ? `[${host}]` : host}:${port}` : null,
        flags: flags!.split(","),
        slots,
      };
    });
}

/**
 * Whether an `ACL GETUSER default` reply (RESP2: alternating field names and values) shows the user on with no
 * password. A missing user (null) is not open.
 */
export function defaultUserOpen(reply: unknown): boolean {
  if (!Array.isArray(reply)) return false;
  const i = reply.findIndex((v) => String(v) === "flags");
  const flags = i >= 0 && Array.isArray(reply[i + 1]) ? (reply[i + 1] as unknown[]).map(String) : [];
  return flags.includes("on") && flags.includes("nopass");
}

const roleOf = (flags: string[]): AclNodeResult["role"] =>
  flags.includes("master") ? "master" : flags.includes("slave") ? "replica" : "unknown";

function hostPort(address: string): RedisNode {
  const colon = address.lastIndexOf(":");
  return { host: address.slice(0, colon).replace(/^\[|\]$/g, ""), port: Number(address.slice(colon + 1)) };
}

/**
 * Runs `ACL SETUSER <user> <rules…>` as REDIS_URL's (admin) user on the one Redis, or on every node of the cluster
 * when `target.clusterNodes` is set; tries every node even after one refuses, then throws {@link AclApplyError}
 * if any did not answer `OK` (refused: NOPERM, WRONGPASS, …; unreachable; address unknown) or no seed answered.
 * Resolves with one result per node. `connectTimeoutMs` (default 5000) bounds each node's connect.
 */
export async function applyAclUser(
  target: RedisConnectionConfig,
  user: string,
  rules: string[],
  opts: { connectTimeoutMs?: number } = {},
): Promise<AclNodeResult[]> {
  const nodeOptions = {
    ...redisNodeOptions(target, (file) => readFileSync(file, "utf8")),
    connectTimeout: opts.connectTimeoutMs ?? 5000,
    maxRetriesPerRequest: 1,
    // One try per node: an unreachable node is reported, not waited for.
    retryStrategy: () => null,
    lazyConnect: true,
  };
  const describe = (err: unknown) => (err instanceof Error ? err.message : String(err));

  /** Connects (once), runs `f`, disconnects; an error names why, e.g. a refused AUTH. */
  async function using<T>(redis: Redis, f: (r: Redis) => Promise<T>): Promise<T> {
    // A refused AUTH (WRONGPASS) arrives as an error event; the command then only says the connection closed.
    let connectionError: string | null = null;
    redis.on("error", (err: Error) => (connectionError = err.message));
    try {
      await redis.connect();
      return await f(redis);
    } catch (err) {
      const message = describe(err);
      throw new Error(
        connectionError && !message.includes(connectionError) ? `${message} (${connectionError})` : message,
      );
    } finally {
      redis.disconnect();
    }
  }
  const setUser = async (r: Redis) => String(await r.call("ACL", "SETUSER", user, ...rules));
  /** The default user's state on this node (see {@link AclNodeResult.defaultUserOpen}). */
  const defaultOpen = async (r: Redis): Promise<boolean | null> => {
    try {
      return defaultUserOpen(await r.call("ACL", "GETUSER", "default"));
    } catch {
      return null;
    }
  };

  if (!target.clusterNodes) {
    const single = { address: new URL(target.url).host, role: "single", id: null, slots: 0 } as const;
    try {
      const [reply, open] = await using(new Redis(target.url, nodeOptions), async (r) => [
        await setUser(r),
        await defaultOpen(r),
      ]);
      return [{ ...single, ok: true, reply, defaultUserOpen: open }];
    } catch (err) {
      throw new AclApplyError([{ ...single, ok: false, reply: describe(err), defaultUserOpen: null }]);
    }
  }

  /**
   * One node: set the user (unless only asked), then read what the node knows of the cluster (its own line and its
   * peers). A node that took the user but would not list the cluster is reported as failed: its peers went unchecked.
   */
  const onNode = (address: string, set: boolean) =>
    using(new Redis({ ...hostPort(address), ...nodeOptions }), async (r) => {
      const reply = set ? await setUser(r) : null;
      const open = set ? await defaultOpen(r) : null;
      try {
        return { reply, open, nodes: parseClusterNodesReply(String(await r.call("CLUSTER", "NODES"))) };
      } catch (err) {
        throw new Error(`${reply ? `ACL SETUSER ${reply}, but ` : ""}CLUSTER NODES: ${describe(err)}`);
      }
    });

  // The seeds only say where the cluster is: the first that answers lists the nodes.
  const known = new Map<string, ClusterNodeLine>();
  const results: AclNodeResult[] = [];
  const seedErrors: string[] = [];
  for (const seed of target.clusterNodes) {
    const address = `${seed.host.includes(":") ? `[${seed.host}]` : seed.host}:${seed.port}`;
    try {
      const { nodes } = await onNode(address, false);
      for (const n of nodes) known.set(n.id, n);
      break;
    } catch (err) {
      seedErrors.push(`${address}: ${describe(err)}`);
    }
  }
  if (known.size === 0) throw new Error(`no cluster seed answered CLUSTER NODES (${seedErrors.join("; ")})`);

  const done = new Set<string>();
  for (
    let next = [...known.values()];
    next.length > 0;
    next = [...known.values()].filter((n) => !done.has(n.id))
  ) {
    for (const node of next) {
      done.add(node.id);
      const base = { role: roleOf(node.flags), id: node.id, slots: node.slots };
      if (!node.address) {
        results.push({
          ...base,
          address: "(no address)",
          ok: false,
          reply: "the cluster knows no address for it",
          defaultUserOpen: null,
        });
        continue;
      }
      try {
        const { reply, open, nodes } = await onNode(node.address, true);
        // The node's own line is the truth about its role and slots; its peers may include nodes new to us.
        const self = nodes.find((n) => n.flags.includes("myself"));
        for (const n of nodes) if (!known.has(n.id)) known.set(n.id, n);
        results.push({
          ...base,
          ...(self ? { role: roleOf(self.flags), slots: self.slots } : {}),
          address: node.address,
          ok: reply === "OK",
          reply: reply ?? "",
          defaultUserOpen: open,
        });
      } catch (err) {
        const failed = node.flags.includes("fail") ? " (the cluster marks it failed)" : "";
        results.push({
          ...base,
          address: node.address,
          ok: false,
          reply: `${describe(err)}${failed}`,
          defaultUserOpen: null,
        });
      }
    }
  }
  if (results.some((r) => !r.ok)) throw new AclApplyError(results);
  return results;
}
