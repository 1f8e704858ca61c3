/**
 * A store's camera-agent Redis user: `npm run redis:acl -- --store <slug> [--password <p>] [--apply] [--json]`.
 *
 * Prints the `ACL SETUSER agent-<slug> …` that confines the agent to its store's keys (`~<prefix>:{s:<id>}:*`,
 * the commands in AGENT_ACL_COMMANDS, no channels) and the REDIS_URL the agent then uses. The password is
 * random unless given, and Redis only ever gets its SHA-256. `--apply` runs it on REDIS_URL as the central
 * (admin) user; then persist it (`ACL SAVE` with an `aclfile`, or copy the line into redis.conf). Reads
 * DATABASE_URL (the store's id), REDIS_URL, REDIS_TLS_CA_FILE and QUEUE_PREFIX.
 */
import { createHash, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { Redis } from "ioredis";
import { z } from "zod";
import {
  agentAclUser,
  DEFAULT_DATABASE_URL,
  DEFAULT_QUEUE_PREFIX,
  DEFAULT_REDIS_URL,
  parseEnv,
  redisLayout,
  storeAgentAclRules,
  ZPostgresUrl,
  ZRedisUrl,
} from "@shelf/core";
import { createDb } from "@shelf/db";

const env = parseEnv(
  z.object({
    DATABASE_URL: ZPostgresUrl.default(DEFAULT_DATABASE_URL),
    REDIS_URL: ZRedisUrl.default(DEFAULT_REDIS_URL),
    REDIS_TLS_CA_FILE: z.string().min(1).optional(),
    QUEUE_PREFIX: z
      .string()
      .regex(/^[a-z0-9_-]+$/i)
      .default(DEFAULT_QUEUE_PREFIX),
  }),
  process.env,
);
const { values } = parseArgs({
  options: {
    store: { type: "string" },
    password: { type: "string" },
    apply: { type: "boolean", default: false },
    json: { type: "boolean", default: false },
  },
});
const args = z
  .object({
    store: z.string().regex(/^[a-z0-9-]{1,60}$/, "--store <slug> (lower-case letters, digits, -)"),
    password: z.string().min(16, "--password must be at least 16 characters").optional(),
    apply: z.boolean(),
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
  if (args.apply) {
    const redis = new Redis(env.REDIS_URL, {
      maxRetriesPerRequest: 1,
      ...(central.protocol === "rediss:"
        ? { tls: env.REDIS_TLS_CA_FILE ? { ca: readFileSync(env.REDIS_TLS_CA_FILE, "utf8") } : {} }
        : {}),
    });
    try {
      await redis.call("ACL", "SETUSER", user, ...rules);
    } finally {
      redis.disconnect();
    }
  }
  const command = `ACL SETUSER ${user} ${rules.join(" ")}`;
  if (args.json)
    console.log(
      JSON.stringify({ user, storeId: store.id, applied: args.apply, command, agentRedisUrl: agentUrl }),
    );
  else {
    console.log(`# ${args.apply ? "Applied on" : "Run on"} the central Redis as its admin user:`);
    console.log(command);
    console.log(
      `# The agent of store ${args.store} then runs with (keep it secret; Redis holds only its hash):`,
    );
    console.log(`REDIS_URL=${agentUrl}`);
  }
} finally {
  await db.$disconnect();
}
