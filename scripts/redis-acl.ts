/**
 * A store's camera-agent Redis user: `npm run redis:acl -- --store <slug> [--password <p>] [--apply] [--json]`.
 *
 * Prints the `ACL SETUSER agent-<slug> …` that confines the agent to its store's keys (`~<prefix>:{s:<id>}:*`,
 * the commands in AGENT_ACL_COMMANDS, no channels) and the REDIS_URL the agent then uses. The password is
 * random unless given, and Redis only ever gets its SHA-256. `--apply` runs it on REDIS_URL as the central
 * (admin) user — with REDIS_CLUSTER_NODES set, on every node of the cluster (ACL users are per node), printing
 * each node's outcome and exiting 1 if any refused (scripts/redis-acl-apply.ts); then persist it on every node
 * (`ACL SAVE` with an `aclfile`, or copy the line into redis.conf). Reads DATABASE_URL (the store's id),
 * REDIS_URL, REDIS_TLS_CA_FILE, REDIS_CLUSTER_NODES and QUEUE_PREFIX.
 *
 * `--apply` also reads each node's `default` user: on with no password, anyone who reaches the node has its rights
 * (all of them, out of the box) and the agent's confinement protects nothing. It then names those nodes (and any
 * whose default user it could not read) and exits 2 (the user is applied all the same), unless
 * `--allow-open-default` (a Redis only the central services can reach).
 */
import { createHash, randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { z } from "zod";
import {
  agentAclUser,
  DEFAULT_DATABASE_URL,
  DEFAULT_QUEUE_PREFIX,
  DEFAULT_REDIS_URL,
  parseEnv,
  redisConnectionConfig,
  redisLayout,
  storeAgentAclRules,
  ZPostgresUrl,
  ZRedisConnectionEnv,
  ZRedisUrl,
} from "@shelf/core";
import { createDb } from "@shelf/db";
import { AclApplyError, applyAclUser, type AclNodeResult } from "./redis-acl-apply.ts";

const env = parseEnv(
  z.object({
    DATABASE_URL: ZPostgresUrl.default(DEFAULT_DATABASE_URL),
    REDIS_URL: ZRedisUrl.default(DEFAULT_REDIS_URL),
    QUEUE_PREFIX: z
      .string()
      .regex(/^[a-z0-9_-]+$/i)
      .default(DEFAULT_QUEUE_PREFIX),
    ...ZRedisConnectionEnv.shape,
  }),
  process.env,
);
const redis = redisConnectionConfig(env);
const { values } = parseArgs({
  options: {
    store: { type: "string" },
    password: { type: "string" },
    apply: { type: "boolean", default: false },
    "allow-open-default": { type: "boolean", default: false },
    json: { type: "boolean", default: false },
  },
});
const args = z
  .object({
    store: z.string().regex(/^[a-z0-9-]{1,60}$/, "--store <slug> (lower-case letters, digits, -)"),
    password: z.string().min(16, "--password must be at least 16 characters").optional(),
    apply: z.boolean(),
    "allow-open-default": z.boolean(),
    json: z.boolean(),
  })
  .parse(values);

const db = createDb({ url: env.DATABASE_URL, poolMax: 1 });
try {
  const store = await db.store.findUnique({ where: { slug: args.store }, select: { id: true } });
  if (!store) throw new Error(`no store with slug ${args.store}`);
  const user = agentAclUser(args.store);
  const password = args.password ?? randomBytes(24).toString("base64url");
  const hash = createHash("sha256").update(password).digest("hex");
  const rules = storeAgentAclRules(redisLayout(env.QUEUE_PREFIX), store.id, hash);
  const central = new URL(env.REDIS_URL);
  const agentUrl = `${central.protocol}//${encodeURIComponent(user)}:${encodeURIComponent(password)}@${central.host}${central.pathname === "/" ? "" : central.pathname}`;
  let nodes: AclNodeResult[] | null = null;
  let failure: AclApplyError | null = null;
  if (args.apply)
    try {
      nodes = await applyAclUser(redis, user, rules);
    } catch (err) {
      if (!(err instanceof AclApplyError)) throw err;
      nodes = err.results;
      failure = err;
    }
  const command = `ACL SETUSER ${user} ${rules.join(" ")}`;
  const cluster = Boolean(redis.clusterNodes);
  // Nodes where anyone may connect as the default user (no password), and nodes that took the user but whose
  // default user could not be read (treated alike: unsure counts as open).
  const openDefault = (nodes ?? []).filter((n) => n.defaultUserOpen === true).map((n) => n.address);
  const unreadDefault = (nodes ?? []).filter((n) => n.ok && n.defaultUserOpen === null).map((n) => n.address);
  if (args.json)
    console.log(
      JSON.stringify({
        user,
        storeId: store.id,
        applied: args.apply && !failure,
        ...(args.apply ? { openDefaultUser: openDefault, unreadDefaultUser: unreadDefault } : {}),
        command,
        agentRedisUrl: agentUrl,
        ...(cluster && nodes ? { nodes } : {}),
      }),
    );
  else {
    const where = cluster ? "every node of the Redis Cluster" : "the central Redis";
    console.log(
      `# ${args.apply ? (failure ? "Tried on" : "Applied on") : "Run on"} ${where} as its admin user:`,
    );
    console.log(command);
    if (cluster && nodes)
      for (const n of nodes)
        console.log(
          `# ${n.ok ? "applied " : "REFUSED "} ${n.address} ${n.role}${n.slots ? ` (${n.slots} slots)` : ""}` +
            `${n.id ? ` ${n.id.slice(0, 8)}` : ""}: ${n.reply}`,
        );
    if (!failure) {
      console.log(
        `# The agent of store ${args.store} then runs with (keep it secret; Redis holds only its hash):`,
      );
      console.log(`REDIS_URL=${agentUrl}`);
    }
  }
  if (openDefault.length > 0) {
    console.error(
      `The default user needs no password on ${openDefault.join(", ")}: anyone who reaches ${openDefault.length > 1 ? "these nodes" : "it"} ` +
        `has the default user's rights (every key and command unless restricted), whatever the agents' users allow. ` +
        `Give it a password (requirepass, or ACL SETUSER default on >…) or turn it off (ACL SETUSER default off) ` +
        `on every node, with the central services on a user of their own; --allow-open-default if only they can reach it.`,
    );
    if (!args["allow-open-default"]) process.exitCode = 2;
  }
  if (unreadDefault.length > 0) {
    console.error(
      `Could not read the default user (ACL GETUSER default) on ${unreadDefault.join(", ")}: check by hand that it ` +
        `has a password or is off there.`,
    );
    if (!args["allow-open-default"]) process.exitCode = 2;
  }
  if (failure) {
    // The user is on some nodes only: an agent would fail whenever its slot is (or fails over) elsewhere.
    console.error(`${failure.message}\nFix those nodes and run it again (it replaces the user everywhere).`);
    process.exitCode = 1;
  }
} finally {
  await db.$disconnect();
}
