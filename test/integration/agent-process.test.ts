import { spawn } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { QUEUES, ZTrackEvent } from "@shelf/core";
import { createDb, seedDemoStore, type Db } from "@shelf/db";
import { randomPrefix, ROOT, testDatabaseUrl, testRedisUrl } from "../setup/env.ts";
import { freePort, until } from "../support/processes.ts";
import { testQueue } from "../support/redis-layout.ts";

/** The agent as production runs it: its own process, /healthz and /metrics, and a clean SIGTERM. */
describe("camera agent process", () => {
  let db: Db;
  let storeId: string;
  beforeAll(async () => {
    db = createDb({ url: testDatabaseUrl() });
    ({ storeId } = await seedDemoStore(db));
  });
  afterAll(() => db?.$disconnect());

  it("serves health and metrics, and on SIGTERM ends every open visit before exiting 0", async () => {
    const port = await freePort();
    const prefix = randomPrefix("agent-proc");
    const child = spawn(
      process.execPath,
      ["--import", "tsx", path.join(ROOT, "apps/camera-agent/src/main.ts")],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          DATABASE_URL: testDatabaseUrl(),
          REDIS_URL: testRedisUrl(),
          QUEUE_PREFIX: prefix,
          AGENT_PORT: String(port),
          STORE_SLUG: "demo",
          LOG_LEVEL: "warn",
        },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d));
    child.stderr.on("data", (d: Buffer) => (output += d));
    const tracks = testQueue(testRedisUrl(), prefix, QUEUES.tracks, storeId);
    const crops = testQueue(testRedisUrl(), prefix, QUEUES.crops, storeId);
    try {
      const metric = async (name: string) => {
        const text = await fetch(`http://127.0.0.1:${port}/metrics`).then(
          (r) => r.text(),
          () => "",
        );
        const line = text.split("\n").find((l) => l.startsWith(name));
        return line ? Number(line.split(" ").at(-1)) : 0;
      };
      await until(
        async () => (await metric("shelf_agent_crops_enqueued_total")) > 0,
        90_000,
        "crops in the metrics",
      );
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(health.status).toBe(200);
      const body = (await health.json()) as { ok: boolean; cameras: { up: boolean; name: string }[] };
      expect(body.ok).toBe(true);
      expect(body.cameras).toHaveLength(1);
      expect(await metric("shelf_agent_frames_analysed_total")).toBeGreaterThan(0);

      const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
      child.kill("SIGTERM");
      const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r("timeout"), 25_000))]);
      expect(code, output).toBe(0);

      const events = (await tracks.getJobs(["waiting", "delayed", "prioritized"])).map((j) =>
        ZTrackEvent.parse(j.data),
      );
      const started = events
        .filter((e) => e.type === "start")
        .map((e) => e.context.trackKey)
        .sort();
      const ended = events
        .filter((e) => e.type === "end")
        .map((e) => e.context.trackKey)
        .sort();
      expect(started.length).toBeGreaterThan(0);
      expect(ended).toEqual(started);
    } finally {
      child.kill("SIGKILL");
      for (const q of [tracks, crops]) {
        await q.obliterate({ force: true });
        await q.close();
      }
    }
  });
});
