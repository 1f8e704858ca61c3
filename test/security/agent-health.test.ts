import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "@shelf/db";
import { randomPrefix, ROOT, testDatabaseUrl, testRedisUrl } from "../setup/env.ts";
import { freePort, until } from "../support/processes.ts";

/** This machine's first non-loopback IPv4 address: what another machine on the network would connect to. */
const lanAddress = Object.values(os.networkInterfaces())
  .flat()
  .find((i) => i && i.family === "IPv4" && !i.internal)?.address;

/**
 * The agent's /healthz and /metrics (camera names, per-camera counters, process details) as seen from the
 * network: the real agent process, started as production starts it.
 */
describe.skipIf(!lanAddress)("camera agent health and metrics from the network", () => {
  const slug = `sec-health-${randomBytes(4).toString("hex")}`;
  let db: Db;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    db = createDb({ url: testDatabaseUrl() });
    await db.store.create({ data: { slug, name: "Health check store" } }); // no cameras: starts fast
  });
  afterEach(() => children.splice(0).forEach((c) => c.kill("SIGKILL")));
  afterAll(async () => {
    await db.store.deleteMany({ where: { slug } });
    await db.$disconnect();
  });

  function startAgent(env: Record<string, string>) {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", path.join(ROOT, "apps/camera-agent/src/main.ts")],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          DATABASE_URL: testDatabaseUrl(),
          REDIS_URL: testRedisUrl(),
          QUEUE_PREFIX: randomPrefix("sec-health"),
          STORE_SLUG: slug,
          LOG_LEVEL: "info",
          ...env,
        },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    children.push(child);
    let output = "";
    child.stdout!.on("data", (d: Buffer) => (output += d));
    child.stderr!.on("data", (d: Buffer) => (output += d));
    const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
    return { child, output: () => output, exited };
  }

  const get = (url: string, token?: string) =>
    fetch(url, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
      signal: AbortSignal.timeout(5000),
    }).then(
      (r) => r.status,
      (err: Error & { cause?: { code?: string } }) => err.cause?.code ?? err.message,
    );

  it("by default listens on loopback only: another machine cannot read /metrics or /healthz", async () => {
    const port = await freePort();
    const agent = startAgent({ AGENT_PORT: String(port) });
    await until(
      async () => (await get(`http://127.0.0.1:${port}/healthz`)) === 200,
      90_000,
      "the agent",
    ).catch(() => undefined);
    expect(await get(`http://127.0.0.1:${port}/healthz`), agent.output()).toBe(200);
    expect(await get(`http://${lanAddress}:${port}/metrics`)).toBe("ECONNREFUSED");
    expect(await get(`http://${lanAddress}:${port}/healthz`)).toBe("ECONNREFUSED");
  });

  it("refuses to listen beyond this machine without a token", async () => {
    const port = await freePort();
    const agent = startAgent({ AGENT_PORT: String(port), AGENT_HOST: "0.0.0.0" });
    const code = await Promise.race([
      agent.exited,
      new Promise((r) => setTimeout(() => r("still running"), 60_000)),
    ]);
    expect(code, agent.output()).toBe(1);
    expect(agent.output()).toMatch(/AGENT_HOST: listening beyond this machine needs AGENT_METRICS_TOKEN/);
    expect(await get(`http://${lanAddress}:${port}/metrics`)).toBe("ECONNREFUSED");
  });

  it("answers 401 to a missing or wrong bearer token, and refuses a short token", async () => {
    const short = startAgent({ AGENT_PORT: String(await freePort()), AGENT_METRICS_TOKEN: "short" });
    expect(await short.exited, short.output()).toBe(1);
    expect(short.output()).toMatch(/AGENT_METRICS_TOKEN: must be at least 32 characters/);

    const port = await freePort();
    const token = randomBytes(32).toString("base64url");
    const agent = startAgent({ AGENT_PORT: String(port), AGENT_HOST: "0.0.0.0", AGENT_METRICS_TOKEN: token });
    const base = `http://${lanAddress}:${port}`;
    await until(async () => typeof (await get(`${base}/healthz`)) === "number", 90_000, "the agent").catch(
      () => undefined,
    );
    for (const p of ["/healthz", "/metrics"]) {
      expect(await get(`${base}${p}`), agent.output()).toBe(401);
      expect(await get(`${base}${p}`, `${token}x`)).toBe(401);
      expect(await get(`${base}${p}`, token.slice(0, -1))).toBe(401);
      expect(await get(`${base}${p}`, token)).toBe(200);
    }
    const metrics = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${token}` } });
    expect(await metrics.text()).toMatch(/shelf_agent_/);
  });
});
