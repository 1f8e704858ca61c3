import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Redis } from "ioredis";
import { agentAclUser } from "@shelf/core";
import { createDb, type Db } from "@shelf/db";
import { defaultUserOpen } from "../../scripts/redis-acl-apply.ts";
import { randomPrefix, ROOT, testDatabaseUrl } from "../setup/env.ts";
import { seedAgentStore } from "../support/agent-store.ts";
import { startRedisServer, type TestRedisServer } from "../support/redis-servers.ts";

const run = promisify(execFile);

/**
 * An agent's ACL user confines nothing while the node's `default` user is on with no password (Redis's out-of-the-box
 * state): whoever reaches the node connects as `default`, with every key and command. `redis:acl --apply` reads the
 * default user on every node it applies to and refuses to pass that by silently. Real redis-server processes: one as
 * installed, one with `requirepass`.
 */
describe("redis:acl --apply and an open default user", () => {
  let db: Db;
  let open: TestRedisServer;
  let locked: TestRedisServer;
  const password = randomBytes(18).toString("base64url");
  const slug = `acl-default-${randomBytes(3).toString("hex")}`;
  const prefix = randomPrefix("acld");

  /** The CLI as an operator runs it; its exit code, output and JSON. */
  async function apply(redisUrl: string, ...extra: string[]) {
    const result = await run(
      "npx",
      ["tsx", "scripts/redis-acl.ts", "--store", slug, "--apply", "--json", ...extra],
      {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: testDatabaseUrl(), REDIS_URL: redisUrl, QUEUE_PREFIX: prefix },
      },
    ).then(
      (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
    return {
      ...result,
      json: JSON.parse(result.stdout) as {
        applied: boolean;
        openDefaultUser: string[];
        unreadDefaultUser: string[];
      },
    };
  }

  /** Whether the node now holds the agent's user (applied even when the CLI warns). */
  async function hasAgentUser(server: TestRedisServer, auth?: string): Promise<boolean> {
    const r = new Redis({ port: server.port, host: "127.0.0.1", ...(auth ? { password: auth } : {}) });
    try {
      return (await r.call("ACL", "GETUSER", agentAclUser(slug))) !== null;
    } finally {
      r.disconnect();
    }
  }

  beforeAll(async () => {
    db = createDb({ url: testDatabaseUrl() });
    await seedAgentStore(db, { slug, sourceUrl: "demo:none", width: 640, height: 480, fps: 2 });
    [open, locked] = await Promise.all([
      startRedisServer(),
      startRedisServer({ args: ["--requirepass", password] }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([open?.stop(), locked?.stop()]);
    await db?.store.deleteMany({ where: { slug } });
    await db?.$disconnect();
  });

  it("on a node whose default user has no password: applies the user, names the node and exits 2", async () => {
    const out = await apply(open.url);
    expect(out.code).toBe(2);
    expect(out.json.applied).toBe(true);
    expect(out.json.openDefaultUser).toEqual([`127.0.0.1:${open.port}`]);
    expect(out.stderr).toContain(`The default user needs no password on 127.0.0.1:${open.port}`);
    expect(await hasAgentUser(open)).toBe(true);
  });

  it("--allow-open-default: the same warning, exit 0", async () => {
    const out = await apply(open.url, "--allow-open-default");
    expect(out.code).toBe(0);
    expect(out.json.openDefaultUser).toEqual([`127.0.0.1:${open.port}`]);
    expect(out.stderr).toContain("The default user needs no password");
  });

  it("with requirepass (the default user has a password): no warning, exit 0", async () => {
    const out = await apply(`redis://default:${password}@127.0.0.1:${locked.port}`);
    expect(out.code).toBe(0);
    expect(out.json).toMatchObject({ applied: true, openDefaultUser: [], unreadDefaultUser: [] });
    expect(out.stderr).not.toContain("default user");
    expect(await hasAgentUser(locked, password)).toBe(true);
  });

  it("an admin user that may set users but not read them: unsure counts as open (named, exit 2)", async () => {
    const admin = new Redis({ port: locked.port, host: "127.0.0.1", password });
    const opsPassword = randomBytes(18).toString("base64url");
    try {
      await admin.call("ACL", "SETUSER", "ops", "on", `>${opsPassword}`, "~*", "+@all", "-acl|getuser");
    } finally {
      admin.disconnect();
    }
    const out = await apply(`redis://ops:${opsPassword}@127.0.0.1:${locked.port}`);
    expect(out.code).toBe(2);
    expect(out.json).toMatchObject({
      applied: true,
      openDefaultUser: [],
      unreadDefaultUser: [`127.0.0.1:${locked.port}`],
    });
    expect(out.stderr).toContain(
      `Could not read the default user (ACL GETUSER default) on 127.0.0.1:${locked.port}`,
    );
  });

  it("reads ACL GETUSER's flags: on + nopass is open; off, or a password, is not", async () => {
    const r = new Redis({ port: open.port, host: "127.0.0.1" });
    try {
      expect(defaultUserOpen(await r.call("ACL", "GETUSER", "default"))).toBe(true);
      await r.call("ACL", "SETUSER", "probe", "off", "nopass");
      expect(defaultUserOpen(await r.call("ACL", "GETUSER", "probe"))).toBe(false);
      await r.call("ACL", "SETUSER", "probe", "on", "resetpass", `>${password}`);
      expect(defaultUserOpen(await r.call("ACL", "GETUSER", "probe"))).toBe(false);
      expect(defaultUserOpen(await r.call("ACL", "GETUSER", "nobody"))).toBe(false);
    } finally {
      r.disconnect();
    }
  });
});
