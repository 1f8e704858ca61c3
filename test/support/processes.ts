import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { ROOT } from "../setup/env.ts";

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });
}

export async function until(cond: () => Promise<boolean> | boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** A worker as production runs it: its own process (`apps/worker/src/main.ts`), real model, real services. */
export function spawnWorker(env: Record<string, string>): ChildProcess & { output: () => string } {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "apps/worker/src/main.ts")], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (d: Buffer) => (out = (out + d).slice(-20_000)));
  child.stderr!.on("data", (d: Buffer) => (out = (out + d).slice(-20_000)));
  return Object.assign(child, { output: () => out });
}

/**
 * A private redis-server with AOF on (as production must run it), on a free port, in a temp dir.
 * `restart()` shuts it down cleanly (fsyncing the AOF) and starts it again on the same port and data.
 */
export async function startPrivateRedis(options: { args?: string[] } = {}): Promise<{
  url: string;
  /** Its data folder (AOF under appendonlydir/, dump.rdb after a SAVE). */
  dir: string;
  restart(downMs?: number): Promise<void>;
  stop(): Promise<void>;
}> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), "shelf-redis-"));
  let proc: ChildProcess;
  const start = async () => {
    proc = spawn(
      "redis-server",
      [
        "--port",
        String(port),
        "--bind",
        "127.0.0.1",
        "--dir",
        dir,
        "--appendonly",
        "yes",
        "--appendfsync",
        "everysec",
        "--save",
        "",
        "--maxmemory-policy",
        "noeviction",
        ...(options.args ?? []),
      ],
      { stdio: "ignore" },
    );
    await until(() => canConnect(port), 10_000, "redis-server to accept connections");
  };
  const shutdown = async () => {
    const exited = new Promise((r) => proc.once("exit", r));
    await redisCommand(port, "SHUTDOWN").catch(() => undefined);
    await exited;
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    dir,
    async restart(downMs = 2000) {
      await shutdown();
      await new Promise((r) => setTimeout(r, downMs));
      await start();
    },
    stop: shutdown,
  };
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, "127.0.0.1");
    s.on("connect", () => (s.destroy(), resolve(true)));
    s.on("error", () => resolve(false));
  });
}

function redisCommand(port: number, cmd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, "127.0.0.1", () => s.write(`${cmd}\r\n`));
    s.on("close", () => resolve());
    s.on("error", reject);
  });
}

/**
 * A TCP proxy in front of a server (PostgreSQL here) that a test can cut: `cut()` drops every connection and
 * refuses new ones until `restore()` — a network outage as the client sees it.
 */
export async function startTcpProxy(target: { host: string; port: number }): Promise<{
  port: number;
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}> {
  const sockets = new Set<net.Socket>();
  let down = false;
  const server = net.createServer((client) => {
    if (down) return client.destroy();
    const upstream = net.connect(target.port, target.host);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
      s.on("error", () => s.destroy());
    }
    client.pipe(upstream).pipe(client);
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
  });
  const port = await freePort();
  await new Promise<void>((r) => server.listen(port, "127.0.0.1", r));
  return {
    port,
    cut() {
      down = true;
      for (const s of sockets) s.destroy();
    },
    restore() {
      down = false;
    },
    close: () =>
      new Promise((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

/** A live HTTP MJPEG camera: ffmpeg serving a video in a loop at its native rate on `/feed.mjpg`. */
export function mjpegServer(video: string, port: number): ChildProcess {
  return spawn(
    "ffmpeg",
    [
      "-hide_banner",
      "-loglevel",
      "error",
      "-re",
      "-stream_loop",
      "-1",
      "-i",
      video,
      "-f",
      "mpjpeg",
      "-q:v",
      "5",
      "-listen",
      "1",
      `http://127.0.0.1:${port}/feed.mjpg`,
    ],
    { stdio: "ignore" },
  );
}
