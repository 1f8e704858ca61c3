import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "@shelf/db";
import { faceApiDemoDir } from "@shelf/camera-agent";
import { randomPrefix, ROOT, testDatabaseUrl, testRedisUrl } from "../setup/env.ts";
import { freePort, until } from "../support/processes.ts";

/**
 * Camera sources written straight into the database (a compromised or careless admin account, a restored
 * backup, a hand-edited row): the agent process itself must refuse what the web API refuses, and ffmpeg must
 * not follow a camera's playlist or redirect somewhere else. The agent runs as production runs it
 * (apps/camera-agent/src/main.ts) with real ffmpeg against HTTP servers on this machine.
 */
describe("camera agent: sources written to the database", () => {
  const tag = randomBytes(4).toString("hex");
  const slug = `sec-agent-${tag}`;
  const password = `hunter2-${tag}`;
  let db: Db;
  let dir: string;
  let agent: ChildProcess;
  let output = "";
  /** 127.0.0.1: allowlisted, the "camera" an attacker controls (playlist, redirect). */
  let allowed: Server;
  /** 127.0.0.2: not allowlisted, somewhere the agent must never be sent. */
  let internal: Server;
  const allowedHits: string[] = [];
  const internalHits: string[] = [];
  const cameras: Record<string, string> = {};

  beforeAll(async () => {
    db = createDb({ url: testDatabaseUrl() });
    dir = mkdtempSync(path.join(os.tmpdir(), "sec-agent-"));
    // A secret image on the agent's disk, and the same picture as a video segment on the internal host.
    const secretJpg = path.join(dir, "secret.jpg");
    execFileSync("cp", [path.join(faceApiDemoDir(), "sample1.jpg"), secretJpg]);
    const secretTs = path.join(dir, "secret.ts");
    execFileSync("ffmpeg", [
      "-hide_banner",
      "-loglevel",
      "error",
      "-i",
      secretJpg,
      "-c:v",
      "mpeg2video",
      "-f",
      "mpegts",
      secretTs,
    ]);
    const segment = readFileSync(secretTs);

    internal = createServer((req, res) => {
      internalHits.push(req.url ?? "");
      res.writeHead(200, { "content-type": "video/mp2t" }).end(segment);
    });
    await new Promise<void>((r) => internal.listen(0, "127.0.0.2", r));
    const internalUrl = `http://127.0.0.2:${(internal.address() as AddressInfo).port}`;
    allowed = createServer((req, res) => {
      allowedHits.push(req.url ?? "");
      if (req.url === "/playlist.m3u8")
        res
          .writeHead(200, { "content-type": "application/vnd.apple.mpegurl" })
          .end(`#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\n${internalUrl}/secret.ts\n#EXT-X-ENDLIST\n`);
      else if (req.url === "/redirect") res.writeHead(302, { location: `${internalUrl}/secret.ts` }).end();
      else res.writeHead(404).end();
    });
    await new Promise<void>((r) => allowed.listen(0, "127.0.0.1", r));
    const allowedUrl = `http://127.0.0.1:${(allowed.address() as AddressInfo).port}`;
    const closedPort = await freePort();

    await db.store.deleteMany({ where: { slug } });
    const store = await db.store.create({
      data: {
        slug,
        name: `Security ${tag}`,
        cameraSourcePolicy: { create: { allowlist: ["127.0.0.1/32"] } },
      },
    });
    const plan = await db.floorPlan.create({
      data: { storeId: store.id, name: "floor", widthM: 10, heightM: 10 },
    });
    const sources: Record<string, string> = {
      fileUrl: "file:///etc/passwd",
      path: "/etc/passwd",
      secretImage: secretJpg,
      secretImageUrl: `file://${secretJpg}`,
      device: "v4l2:/dev/video0",
      metadata: "http://169.254.169.254/latest/meta-data/",
      notAllowlisted: `${internalUrl}/secret.ts`,
      unknownLocal: "local:not-configured",
      hlsToInternal: `${allowedUrl}/playlist.m3u8`,
      redirectToInternal: `${allowedUrl}/redirect`,
      // A legacy row with the password in the URL, at a camera that is down: ffmpeg's error names the URL.
      plainPassword: `rtsp://viewer:${password}@127.0.0.1:${closedPort}/live`,
    };
    for (const [name, sourceUrl] of Object.entries(sources)) {
      const camera = await db.camera.create({
        data: {
          storeId: store.id,
          floorPlanId: plan.id,
          name,
          sourceUrl,
          widthPx: 320,
          heightPx: 240,
          analysisFps: 2,
        },
      });
      cameras[name] = camera.id;
    }

    agent = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "apps/camera-agent/src/main.ts")], {
      cwd: ROOT,
      env: {
        ...process.env,
        DATABASE_URL: testDatabaseUrl(),
        REDIS_URL: testRedisUrl(),
        QUEUE_PREFIX: randomPrefix("sec-agent"),
        AGENT_PORT: String(await freePort()),
        STORE_SLUG: slug,
        LOG_LEVEL: "info",
        CONFIG_POLL_MS: "1000",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    agent.stdout!.on("data", (d: Buffer) => (output += d));
    agent.stderr!.on("data", (d: Buffer) => (output += d));
    // ffmpeg has tried the allowlisted camera's playlist and redirect, and failed on the password camera.
    await until(
      () => allowedHits.includes("/playlist.m3u8") && allowedHits.includes("/redirect"),
      120_000,
      `the agent to open the allowlisted camera\n${output.slice(-3000)}`,
    ).catch(() => undefined);
    await until(() => /stream lost/.test(output), 60_000, "a reconnect of the password camera").catch(
      () => undefined,
    );
    await new Promise((r) => setTimeout(r, 3000));
  });

  afterAll(async () => {
    agent?.kill("SIGKILL");
    await new Promise((r) => allowed?.close(r));
    await new Promise((r) => internal?.close(r));
    await db.store.deleteMany({ where: { slug } });
    await db.$disconnect();
    rmSync(dir, { recursive: true, force: true });
  });

  const status = async (name: string) =>
    db.camera.findUniqueOrThrow({ where: { id: cameras[name]! }, select: { status: true, snapshot: true } });

  it.each([
    "fileUrl",
    "path",
    "secretImage",
    "secretImageUrl",
    "device",
    "metadata",
    "notAllowlisted",
    "unknownLocal",
  ])("refuses a %s source from the database and never shows it as a snapshot", async (name) => {
    await until(
      async () => (await status(name)).status === "refused",
      30_000,
      `camera ${name} refused`,
    ).catch(() => undefined);
    const camera = await status(name);
    expect(camera.snapshot, output.slice(-2000)).toBeNull();
    expect(camera.status, output.slice(-2000)).toBe("refused");
  });

  it("an allowlisted camera serving an HLS playlist or a redirect cannot send ffmpeg to another host", async () => {
    expect(allowedHits).toContain("/playlist.m3u8");
    expect(allowedHits).toContain("/redirect");
    expect(internalHits).toEqual([]);
    for (const name of ["hlsToInternal", "redirectToInternal", "notAllowlisted"])
      expect((await status(name)).snapshot, name).toBeNull();
  });

  it("never logs a camera password, and seals one found in plain text", async () => {
    expect(output).toMatch(/stream lost/);
    expect(output).not.toContain(password);
    const row = await db.camera.findUniqueOrThrow({ where: { id: cameras.plainPassword! } });
    expect(JSON.stringify(row)).not.toContain(password);
    expect(row.sourceCredentials).toMatch(/^v1:/);
  });
});
