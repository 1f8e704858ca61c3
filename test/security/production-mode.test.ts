import { spawn, type ChildProcess } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyPassword } from "better-auth/crypto";
import { createDb, type Db } from "@shelf/db";
import { DEMO_USERS, seedDemoUsers } from "../../packages/api/src/auth/demo-users.ts";
import { randomPrefix, ROOT, testDatabaseUrl, testRedisUrl } from "../setup/env.ts";
import { attemptSignIn } from "../support/web-sign-in.ts";
import { freePort, startWebServer } from "../support/web-server.ts";
import { webTestEnv } from "../support/web-session.ts";
import {
  createUser,
  createWebStore,
  dropWebStore,
  FIXTURE_PASSWORD,
  type WebStore,
} from "../support/web-fixtures.ts";

const SUPER = DEMO_USERS.find((u) => u.isSuperAdmin)!;
const DEMO_EMAILS = DEMO_USERS.map((u) => u.email);

interface Run {
  child: ChildProcess;
  output: () => string;
  exit: Promise<number | null>;
}

/** `npm start` as an operator runs it (scripts/start.sh), on the tests' database and the build made for them. */
function start(args: string[], env: Record<string, string>): Run {
  const clean = { ...process.env };
  for (const k of ["AUTH_SECRET", "SURVEY_SECRET", "SHELF_MODE", "DATABASE_URL", "NODE_ENV"]) delete clean[k];
  const child = spawn("bash", [path.join(ROOT, "scripts/start.sh"), ...args], {
    cwd: ROOT,
    env: { ...clean, NEXT_TELEMETRY_DISABLED: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let out = "";
  child.stdout!.on("data", (d: Buffer) => (out += d));
  child.stderr!.on("data", (d: Buffer) => (out += d));
  const exit = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  return { child, output: () => out, exit };
}

/** Stops a start.sh run and everything it started (its own process group). */
async function stop(run: Run): Promise<void> {
  if (run.child.exitCode !== null || run.child.signalCode !== null) return;
  process.kill(-run.child.pid!, "SIGTERM");
  await Promise.race([run.exit, new Promise((r) => setTimeout(r, 10_000))]);
  if (run.child.exitCode === null) process.kill(-run.child.pid!, "SIGKILL");
}

async function waitForWeb(url: string, run: Run, ms = 150_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (run.child.exitCode !== null)
      throw new Error(`start.sh exited (${run.child.exitCode}):\n${run.output()}`);
    try {
      const res = await fetch(`${url}/sign-in`, { signal: AbortSignal.timeout(5000) });
      if (res.status < 500) return;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) throw new Error(`web did not come up:\n${run.output()}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Resolves with the exit code, or "still running" after `ms`. */
const exitWithin = (run: Run, ms: number) =>
  Promise.race([run.exit, new Promise<"still running">((r) => setTimeout(() => r("still running"), ms))]);

describe("npm start: demo only on purpose, production never with demo accounts", () => {
  const db: Db = createDb({ url: testDatabaseUrl() });
  const dataDir = mkdtempSync(path.join(tmpdir(), "shelf-sec-data-"));
  let s: WebStore;

  const deleteDemoAccounts = () => db.user.deleteMany({ where: { email: { in: DEMO_EMAILS } } });
  const baseEnv = () => ({
    DATABASE_URL: testDatabaseUrl(),
    REDIS_URL: testRedisUrl(),
    QUEUE_PREFIX: randomPrefix("prod"),
    SHELF_DATA_DIR: dataDir,
  });

  beforeAll(async () => {
    s = await createWebStore(db);
    await deleteDemoAccounts();
    // A data folder as an older start.sh left it: readable by every local user.
    chmodSync(dataDir, 0o755);
    for (const f of ["auth-secret", "survey-secret"]) {
      writeFileSync(path.join(dataDir, f), `${f}-`.padEnd(64, "s"));
      chmodSync(path.join(dataDir, f), 0o644);
    }
  });

  afterAll(async () => {
    await deleteDemoAccounts();
    await dropWebStore(db, s);
    await db.$disconnect();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("signs in as the README's demo super admin on a production start", async () => {
    const port = await freePort();
    const run = start(["--production", "--no-build", "--web-only"], { ...baseEnv(), PORT: String(port) });
    try {
      const url = `http://127.0.0.1:${port}`;
      await waitForWeb(url, run);
      const attempt = await attemptSignIn(url, SUPER.email, SUPER.password);
      expect(attempt.status).not.toBe(200);
      expect(await db.user.count({ where: { email: { in: DEMO_EMAILS } } })).toBe(0);
      expect(run.output()).toMatch(/admin:create/);

      // The same start tightened the data folder it found world-readable.
      expect(statSync(dataDir).mode & 0o777).toBe(0o700);
      for (const f of ["auth-secret", "survey-secret"])
        expect(statSync(path.join(dataDir, f)).mode & 0o777).toBe(0o600);
    } finally {
      await stop(run);
    }
  });

  it("starts in production on a database that holds the public demo accounts", async () => {
    await seedDemoUsers(db, s.store.slug);
    try {
      const run = start(["--production", "--no-build", "--web-only"], {
        ...baseEnv(),
        PORT: String(await freePort()),
      });
      try {
        const code = await exitWithin(run, 90_000);
        expect(code).not.toBe("still running");
        expect(code).not.toBe(0);
        expect(run.output()).toMatch(/demo accounts/);
        expect(run.output()).toContain(SUPER.email);
      } finally {
        await stop(run);
      }
    } finally {
      await deleteDemoAccounts();
    }
  });

  it("seeds the public demo accounts into the database that DATABASE_URL names", async () => {
    const run = start(["--no-build", "--web-only"], { ...baseEnv(), PORT: String(await freePort()) });
    try {
      const code = await exitWithin(run, 60_000);
      expect(code).not.toBe("still running");
      expect(code).not.toBe(0);
      expect(run.output()).toMatch(/--production/);
      expect(await db.user.count({ where: { email: { in: DEMO_EMAILS } } })).toBe(0);
    } finally {
      await stop(run);
    }
  });

  it("signs in with a demo password on a production web server whose database has the demo accounts", async () => {
    await seedDemoUsers(db, s.store.slug);
    const web = await startWebServer({
      ...webTestEnv(),
      DATABASE_URL: testDatabaseUrl(),
      QUEUE_PREFIX: randomPrefix("prod-web"),
    });
    try {
      const attempt = await attemptSignIn(web.url, SUPER.email, SUPER.password);
      expect(attempt.status).toBe(403);
      expect(attempt.body).toMatch(/demo accounts cannot sign in/);
    } finally {
      await web.stop();
      await deleteDemoAccounts();
    }
  });

  it("takes over an existing account through the first-admin setup", async () => {
    const victim = await createUser(db, { label: "victim" });
    try {
      const child = spawn(
        "npm",
        ["run", "-s", "admin:create", "--", "--email", victim.email, "--name", "Mallory"],
        {
          cwd: ROOT,
          env: { ...process.env, DATABASE_URL: testDatabaseUrl() },
          stdio: ["pipe", "pipe", "pipe"],
        },
      );
      let out = "";
      child.stdout!.on("data", (d: Buffer) => (out += d));
      child.stderr!.on("data", (d: Buffer) => (out += d));
      child.stdin!.end("mallorys-password-1\n");
      const code = await new Promise<number | null>((r) => child.once("exit", r));
      expect(code, out).not.toBe(0);
      expect(out).toMatch(/already has an account; it is left as it is/);
      const account = await db.account.findFirstOrThrow({
        where: { userId: victim.id, providerId: "credential" },
      });
      expect(await verifyPassword({ hash: account.password!, password: FIXTURE_PASSWORD })).toBe(true);
      const after = await db.user.findUniqueOrThrow({ where: { id: victim.id } });
      expect(after).toMatchObject({ name: victim.name, isSuperAdmin: false });
    } finally {
      await db.user.delete({ where: { id: victim.id } });
    }
  });
});
