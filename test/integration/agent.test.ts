import type { ChildProcess } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { pino } from "pino";
import { QUEUES, redisLayout, ZCropQueueJob, ZTrackEvent } from "@shelf/core";
import { createDb, type Db } from "@shelf/db";
import { createFaceAnalyzer, type FaceAnalyzer } from "@shelf/inference";
import { BullJobSink, CameraAgent } from "@shelf/camera-agent";
import { datasetsDir, randomPrefix, ROOT, testDatabaseUrl, testRedisUrl } from "../setup/env.ts";
import { seedAgentStore } from "../support/agent-store.ts";
import { testQueue } from "../support/redis-layout.ts";
import { freePort, mjpegServer, until } from "../support/processes.ts";

const data = datasetsDir();
const GIF = data ? path.join(data, "store-video/face-demographics-walking-and-pause.gif") : "";
const logger = pino({ level: "silent" });
const redisUrl = testRedisUrl();

const sum = async (m: { get(): Promise<{ values: { value: number }[] }> }) =>
  (await m.get()).values.reduce((a, v) => a + v.value, 0);

/** Files (not folders) under a directory, shallow for tmp, recursive for the repo minus build output. */
function fileSet(dir: string, recursive: boolean): Set<string> {
  const out = new Set<string>();
  const skip = new Set(["node_modules", ".git", ".next", ".turbo", "test-results", ".data"]);
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) {
        if (recursive && !skip.has(e.name)) walk(p);
      } else if (e.isFile()) out.add(`${p}:${statSync(p).size}`);
    }
  };
  walk(dir);
  return out;
}

async function queueJobs(prefix: string, storeId: string) {
  const crops = testQueue(redisUrl, prefix, QUEUES.crops, storeId);
  const tracks = testQueue(redisUrl, prefix, QUEUES.tracks, storeId);
  const cropJobs = await crops.getJobs(["waiting", "delayed", "prioritized"]);
  const trackJobs = await tracks.getJobs(["waiting", "delayed", "prioritized"]);
  return {
    crops: cropJobs.map((j) => j.data),
    tracks: trackJobs.map((j) => j.data),
    async obliterate() {
      for (const q of [crops, tracks]) {
        await q.obliterate({ force: true });
        await q.close();
      }
    },
  };
}

describe.skipIf(!data)("camera agent on real footage (ffmpeg, face detection, Redis)", () => {
  let db: Db;
  let analyzer: FaceAnalyzer;
  const servers: ChildProcess[] = [];

  beforeAll(async () => {
    db = createDb({ url: testDatabaseUrl() });
    // SSD: the tiny detector misses most faces of these dithered 480×270 GIFs (see the camera-agent README).
    analyzer = createFaceAnalyzer({ detector: { kind: "ssd" } });
    await analyzer.load();
  });
  afterEach(() => servers.forEach((s) => s.kill("SIGKILL")));
  afterAll(async () => {
    await analyzer?.dispose();
    await db?.$disconnect();
  });

  it("reads a video file, tracks the faces it sees and enqueues their crops and visits; writes no pixels to disk", async () => {
    const before = { tmp: fileSet(os.tmpdir(), false), repo: fileSet(ROOT, true) };
    const prefix = randomPrefix("agent-file");
    // Recorded footage is configured on the agent (AGENT_LOCAL_SOURCES); the database only names it.
    const { storeId } = await seedAgentStore(db, {
      slug: "agent-file",
      sourceUrl: "local:footage",
      width: 480,
      height: 270,
      fps: 6,
    });
    const sink = new BullJobSink(redisUrl, redisLayout(prefix).store(storeId), logger);
    const agent = new CameraAgent({
      db,
      analyzer,
      sink,
      logger,
      storeSlug: "agent-file",
      localSources: { footage: GIF },
      fast: true,
      loop: false,
    });
    await agent.start();
    await agent.idle();
    await agent.stop();
    await sink.close();

    expect(await sum(agent.metrics.faces)).toBeGreaterThan(5);
    const jobs = await queueJobs(prefix, storeId);
    try {
      expect(jobs.crops.length).toBeGreaterThan(0);
      expect(jobs.crops.length).toBe(await sum(agent.metrics.cropsEnqueued));
      for (const c of jobs.crops) expect(ZCropQueueJob.safeParse(c).success).toBe(true);
      const events = jobs.tracks.map((t) => ZTrackEvent.parse(t));
      const starts = events.filter((e) => e.type === "start");
      const ends = events.filter((e) => e.type === "end");
      expect(starts.length).toBeGreaterThan(0);
      // Every visit that started has ended (the file ended), and its crops add up.
      expect(ends.map((e) => e.context.trackKey).sort()).toEqual(
        starts.map((e) => e.context.trackKey).sort(),
      );
      expect(ends.reduce((a, e) => a + (e.type === "end" ? e.cropsSent : 0), 0)).toBe(jobs.crops.length);
    } finally {
      await jobs.obliterate();
    }
    const after = { tmp: fileSet(os.tmpdir(), false), repo: fileSet(ROOT, true) };
    const created = [...after.tmp, ...after.repo].filter((f) => !before.tmp.has(f) && !before.repo.has(f));
    expect(created.filter((f) => /\.(jpe?g|png|bmp|raw|rgb|webp|gif)/i.test(f))).toEqual([]);
  });

  it("never crops faces in a staff-only zone", async () => {
    const prefix = randomPrefix("agent-staff");
    const { storeId } = await seedAgentStore(db, {
      slug: "agent-staff",
      sourceUrl: "local:footage",
      width: 480,
      height: 270,
      fps: 6,
      staffOnly: true,
    });
    const sink = new BullJobSink(redisUrl, redisLayout(prefix).store(storeId), logger);
    const agent = new CameraAgent({
      db,
      analyzer,
      sink,
      logger,
      storeSlug: "agent-staff",
      localSources: { footage: GIF },
      fast: true,
      loop: false,
    });
    await agent.start();
    await agent.idle();
    await agent.stop();
    await sink.close();
    expect(await sum(agent.metrics.faces)).toBeGreaterThan(5);
    expect(await sum(agent.metrics.staffSkipped)).toBeGreaterThan(0);
    const jobs = await queueJobs(prefix, storeId);
    expect(jobs.crops).toEqual([]);
    expect(jobs.tracks).toEqual([]);
    await jobs.obliterate();
  });

  it("follows a live HTTP MJPEG camera through a restart and picks up a zone change without restarting", async () => {
    const port = await freePort();
    servers.push(mjpegServer(GIF, port));
    const prefix = randomPrefix("agent-live");
    const { storeId, zoneId } = await seedAgentStore(db, {
      slug: "agent-live",
      sourceUrl: `http://127.0.0.1:${port}/feed.mjpg`,
      // Loopback is refused unless the store's allowlist names it exactly.
      allowlist: ["127.0.0.1/32"],
      width: 480,
      height: 270,
      fps: 5,
    });
    const sink = new BullJobSink(redisUrl, redisLayout(prefix).store(storeId), logger);
    const agent = new CameraAgent({
      db,
      analyzer,
      sink,
      logger,
      storeSlug: "agent-live",
      configPollMs: 300,
      loop: true,
    });
    await agent.start();
    try {
      await until(
        async () => (await sum(agent.metrics.cropsEnqueued)) >= 3,
        60_000,
        "crops from the live stream",
      );
      servers.forEach((s) => s.kill("SIGKILL")); // the camera goes away
      await until(() => agent.status().cameras[0]?.up === false, 30_000, "the camera to be reported down");
      servers.push(mjpegServer(GIF, port)); // and comes back
      const cropsBefore = await sum(agent.metrics.cropsEnqueued);
      await until(
        async () => (await sum(agent.metrics.cropsEnqueued)) > cropsBefore,
        60_000,
        "crops after the restart",
      );
      expect(agent.status().cameras[0]!.reconnects).toBeGreaterThanOrEqual(1);

      // Staff mark the zone staff-only: the running agent stops cropping there.
      await db.shelfZone.update({ where: { id: zoneId }, data: { staffOnly: true } });
      const skippedBefore = await sum(agent.metrics.staffSkipped);
      await until(
        async () => (await sum(agent.metrics.staffSkipped)) > skippedBefore,
        30_000,
        "the reload to apply",
      );
      const cropsAtReload = await sum(agent.metrics.cropsEnqueued);
      await new Promise((r) => setTimeout(r, 2000));
      expect(await sum(agent.metrics.cropsEnqueued)).toBe(cropsAtReload);
    } finally {
      await agent.stop();
      await sink.close();
      const jobs = await queueJobs(prefix, storeId);
      await jobs.obliterate();
    }
  });
});
