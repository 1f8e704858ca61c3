/**
 * bench:soak — one camera agent as production runs it (its own process, apps/camera-agent/src/main.ts) on looped
 * store footage (face-demographics-walking-and-pause, ffmpeg `-stream_loop`), with one real worker process
 * consuming its crops, for `--minutes` (default 60). Every `--sample` seconds it reads the agent's resident set
 * (VmRSS in /proc/<pid>/status), its ffmpeg child's, and the agent's /metrics (V8 heap used, external memory,
 * frames analysed, crops sent; the tfjs tensor count where the agent exports one). ONNX Runtime, which runs the
 * default detector, has no memory API: its native allocations are part of the RSS and nowhere else.
 *
 * The clock starts at the agent's first analysed frame (model loading is not soaked). Prints one line per minute
 * (the curve) and a summary: the RSS slope after `--warmup` minutes (least squares over per-minute means, MB per
 * hour, with its 95 % interval; and over the second half alone) and a verdict against `--threshold` MB/h
 * (default 1), given at least 20 steady minutes:
 * - flat: the whole 95 % interval lies below the threshold;
 * - leaking: the whole interval lies above it and so does the second half's slope (still growing at the end);
 * - inconclusive: otherwise (noisy, or a settling tail); a shorter run says "too short to judge".
 * Why 1 MB/h: an edge agent runs for weeks between upgrades; 1 MB/h is 0.72 GB in 30 days, about twice the
 * agent's whole footprint, which an edge box sized for its steady state would not have spare. Anything
 * steeper has to be found and fixed, not absorbed by restarts.
 *
 * The agent runs with MALLOC_ARENA_MAX=2, as its start script launches it (apps/camera-agent/package.json: glibc's
 * per-thread malloc arenas fragment under the snapshot's sharp work, see apps/camera-agent/README.md);
 * `--malloc-arena-max 0` runs it with glibc's default (8 arenas per core) instead.
 *
 * Usage: npm run bench:soak -- [--minutes 60] [--warmup 5] [--sample 10] [--threshold 1] [--malloc-arena-max 2]
 *   [--json]
 * Database: shelf_test_soak next to DATABASE_URL (dropped and migrated); Redis: a private redis-server.
 */
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { createDb, seedDemoStore } from "@shelf/db";
import { datasetsDir, ROOT } from "../setup/env.ts";
import { freePort, spawnWorker, startPrivateRedis } from "../support/processes.ts";
import { args, machine, printTable, round } from "./stats.ts";

const a = args();
const minutes = a.get("minutes", 60);
const sampleS = a.get("sample", 10);
const warmupMin = a.get("warmup", Math.min(5, minutes / 5));
const thresholdMbH = a.get("threshold", 1);
const arenaArg = process.argv.indexOf("--malloc-arena-max");
const mallocArenaMax = arenaArg >= 0 ? Number(process.argv[arenaArg + 1]) : 2;
const log = (m: string) => !a.json && console.error(m);
const data = datasetsDir();
if (!data) throw new Error("bench:soak needs ../shared/datasets (store-video)");
const video = path.join(data, "store-video/face-demographics-walking-and-pause.gif");
const MB = 1024 * 1024;
/** Longest wait for the agent's first analysed frame, ms. */
const STARTUP_MAX_MS = 10 * 60_000;
/**
 * Least steady-state minutes for a verdict. Memory that settles (allocator arenas, JIT, V8 old space) grows for
 * minutes after start-up; a short run cannot tell that tail from a leak, so it says so instead of guessing.
 */
const MIN_JUDGE_MINUTES = 20;

/** VmRSS of a process, bytes; NaN once it is gone. */
function rss(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) * 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** Child processes of `pid` (ffmpeg under the agent). */
function children(pid: number): number[] {
  const out: number[] = [];
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, "utf8");
      if (Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === pid) out.push(Number(d));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** Prometheus text → value of the first sample of each metric name (labels ignored, summed per name). */
function metricValues(text: string): Map<string, number> {
  const values = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (line.startsWith("#") || line.trim() === "") continue;
    const name = line.split(/[{\s]/)[0]!;
    const v = Number(line.split(" ").at(-1));
    if (Number.isFinite(v)) values.set(name, (values.get(name) ?? 0) + v);
  }
  return values;
}

/** Least-squares slope of y over x with its 95 % interval (normal approximation; n ≥ 10 samples). */
function slope(xs: number[], ys: number[]): { slope: number; low: number; high: number } {
  const n = xs.length;
  const mx = xs.reduce((s, x) => s + x, 0) / n;
  const my = ys.reduce((s, y) => s + y, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (xs[i]! - mx) ** 2;
    sxy += (xs[i]! - mx) * (ys[i]! - my);
  }
  const b = sxy / sxx;
  let sse = 0;
  for (let i = 0; i < n; i++) sse += (ys[i]! - (my + b * (xs[i]! - mx))) ** 2;
  const se = Math.sqrt(sse / Math.max(1, n - 2) / sxx);
  const t = n > 30 ? 1.96 : 2.1; // about t(0.975) for 18–30 degrees of freedom
  return { slope: b, low: b - t * se, high: b + t * se };
}

interface Sample {
  tS: number;
  agentRssMB: number;
  ffmpegRssMB: number;
  heapUsedMB: number;
  externalMB: number;
  tfTensors: number | null;
  frames: number;
  crops: number;
  workerRssMB: number;
  load1: number;
}

const base = process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/shelf";
const dbUrl = `${base.slice(0, base.lastIndexOf("/"))}/shelf_test_soak`;
execFileSync(process.execPath, [path.join(ROOT, "scripts/drop-database.mjs"), dbUrl], { stdio: "ignore" });
execFileSync(process.execPath, [path.join(ROOT, "scripts/prisma/migrate.mjs"), "deploy"], {
  env: { ...process.env, DATABASE_URL: dbUrl },
  stdio: "ignore",
});
const db = createDb({ url: dbUrl, poolMax: 1 });
const { cameraId } = await seedDemoStore(db);
// The demo store's camera, reading the footage through the agent's own `local:` mapping (looped by the agent).
await db.camera.update({ where: { id: cameraId }, data: { sourceUrl: "local:soak", enabled: true } });
await db.$disconnect();

const redis = await startPrivateRedis();
const prefix = `soak-${Math.random().toString(36).slice(2, 8)}`;
const port = await freePort();
const env = { DATABASE_URL: dbUrl, REDIS_URL: redis.url, QUEUE_PREFIX: prefix, LOG_LEVEL: "warn" };
const worker = spawnWorker({ ...env, WORKER_PROCESSES: "1", WORKER_METRICS_PORT: "0" });
const agent = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "apps/camera-agent/src/main.ts")], {
  cwd: ROOT,
  env: {
    ...process.env,
    ...env,
    AGENT_PORT: String(port),
    STORE_SLUG: "demo",
    AGENT_LOCAL_SOURCES: JSON.stringify({ soak: video }),
    ...(mallocArenaMax > 0 ? { MALLOC_ARENA_MAX: String(mallocArenaMax) } : {}),
  },
  stdio: ["ignore", "ignore", "pipe"],
});
let agentErr = "";
agent.stderr.on("data", (d: Buffer) => (agentErr = (agentErr + d).slice(-4000)));
let agentExit: number | null | undefined;
agent.once("exit", (code) => (agentExit = code));

const samples: Sample[] = [];
/** The clock starts at the first analysed frame: loading models on a busy box is not part of the soak. */
let t0 = Number.NaN;
const launched = performance.now();
let stop = false;
process.on("SIGINT", () => (stop = true));
log(
  `soak: agent pid ${agent.pid} on ${path.basename(video)} (looped), ${minutes} min, a sample every ${sampleS} s …`,
);
if (!a.json)
  console.log(
    "  min  agent RSS MB  heap MB  external MB  ffmpeg RSS MB  frames/min  crops/min  worker RSS MB  load(1m)",
  );
let lastPrinted = { frames: 0, crops: 0 };
while (
  !stop &&
  agentExit === undefined &&
  (Number.isNaN(t0)
    ? performance.now() - launched < STARTUP_MAX_MS
    : performance.now() - t0 < minutes * 60_000)
) {
  await new Promise((r) => setTimeout(r, sampleS * 1000));
  const metrics = await fetch(`http://127.0.0.1:${port}/metrics`)
    .then((r) => r.text())
    .catch(() => "");
  if (!metrics) continue; // not listening yet (model loading)
  const m = metricValues(metrics);
  const ffmpeg = children(agent.pid!).map(rss);
  const tensors = m.get("shelf_agent_tfjs_tensors");
  if (Number.isNaN(t0)) {
    if ((m.get("shelf_agent_frames_analysed_total") ?? 0) === 0) continue;
    t0 = performance.now();
    log(`  first frame analysed ${round((t0 - launched) / 1000, 1)} s after launch: the soak clock starts`);
  }
  const s: Sample = {
    tS: (performance.now() - t0) / 1000,
    agentRssMB: rss(agent.pid!) / MB,
    ffmpegRssMB: ffmpeg.reduce((x, y) => x + (Number.isFinite(y) ? y : 0), 0) / MB,
    heapUsedMB: (m.get("shelf_agent_nodejs_heap_size_used_bytes") ?? Number.NaN) / MB,
    externalMB: (m.get("shelf_agent_nodejs_external_memory_bytes") ?? Number.NaN) / MB,
    tfTensors: tensors ?? null,
    frames: m.get("shelf_agent_frames_analysed_total") ?? 0,
    crops: m.get("shelf_agent_crops_enqueued_total") ?? 0,
    workerRssMB: rss(worker.pid!) / MB,
    load1: os.loadavg()[0]!,
  };
  samples.push(s);
  const minute = Math.floor(s.tS / 60);
  const prev = samples.at(-2);
  if (prev && Math.floor(prev.tS / 60) < minute && !a.json) {
    console.log(
      [
        String(minute).padStart(5),
        round(s.agentRssMB, 1).toString().padStart(13),
        round(s.heapUsedMB, 1).toString().padStart(8),
        round(s.externalMB, 1).toString().padStart(12),
        round(s.ffmpegRssMB, 1).toString().padStart(14),
        String(s.frames - lastPrinted.frames).padStart(11),
        String(s.crops - lastPrinted.crops).padStart(10),
        round(s.workerRssMB, 1).toString().padStart(14),
        round(s.load1).toString().padStart(9),
      ].join(""),
    );
    lastPrinted = { frames: s.frames, crops: s.crops };
  }
}

agent.kill("SIGTERM");
await new Promise((r) => (agentExit !== undefined ? r(null) : agent.once("exit", r)));
worker.kill("SIGTERM");
await new Promise((r) => (worker.exitCode !== null ? r(null) : worker.once("exit", r)));
await redis.stop();

const steady = samples.filter((s) => s.tS >= warmupMin * 60);
const steadyMinutes = steady.length > 1 ? (steady.at(-1)!.tS - steady[0]!.tS) / 60 : 0;
/**
 * Slope over per-minute means (successive samples within a minute are not independent: a GC cycle spans
 * several), with its 95 % interval; and over the second half alone, to tell a settling tail from steady growth.
 */
const fit = (f: (s: Sample) => number, of = steady) => {
  const minutes = new Map<number, number[]>();
  for (const s of of)
    minutes.set(Math.floor(s.tS / 60), [...(minutes.get(Math.floor(s.tS / 60)) ?? []), f(s)]);
  if (minutes.size < 3) return null;
  const xs = [...minutes.keys()].map((m) => (m + 0.5) / 60);
  const ys = [...minutes.values()].map((v) => v.reduce((x, y) => x + y, 0) / v.length);
  const r = slope(xs, ys);
  return { mbPerHour: round(r.slope, 2), ci95: [round(r.low, 2), round(r.high, 2)] };
};
const rssFit = fit((s) => s.agentRssMB);
const secondHalf =
  steady.length > 1 ? steady.filter((s) => s.tS >= (steady[0]!.tS + steady.at(-1)!.tS) / 2) : [];
const rssSecondHalf = fit((s) => s.agentRssMB, secondHalf);
const verdict =
  steadyMinutes < MIN_JUDGE_MINUTES || !rssFit
    ? `too short to judge (${round(steadyMinutes, 1)} steady minutes; a verdict needs ${MIN_JUDGE_MINUTES})`
    : rssFit.ci95[1]! < thresholdMbH
      ? "flat"
      : rssFit.ci95[0]! > thresholdMbH && (rssSecondHalf?.mbPerHour ?? 0) > thresholdMbH
        ? "leaking"
        : "inconclusive";
const last = samples.at(-1);
const first = steady[0];
const result = {
  machine: machine(),
  options: {
    minutes,
    warmupMin: round(warmupMin, 2),
    sampleS,
    thresholdMbPerHour: thresholdMbH,
    mallocArenaMax: mallocArenaMax > 0 ? mallocArenaMax : "glibc default",
  },
  startupS: round((t0 - launched) / 1000, 1),
  steadyMinutes: round(steadyMinutes, 1),
  ranS: round(last?.tS ?? 0, 1),
  agentExitedEarly: agentExit !== undefined && (last?.tS ?? 0) < minutes * 60 - sampleS ? agentExit : null,
  framesAnalysed: last?.frames ?? 0,
  cropsSent: last?.crops ?? 0,
  loadAverage1m: {
    min: round(Math.min(...samples.map((s) => s.load1))),
    max: round(Math.max(...samples.map((s) => s.load1))),
  },
  agentRssMB: {
    afterWarmup: first ? round(first.agentRssMB, 1) : null,
    end: last ? round(last.agentRssMB, 1) : null,
    min: round(Math.min(...steady.map((s) => s.agentRssMB)), 1),
    max: round(Math.max(...steady.map((s) => s.agentRssMB)), 1),
  },
  slopes: {
    agentRss: rssFit,
    agentRssSecondHalf: rssSecondHalf,
    heapUsed: fit((s) => s.heapUsedMB),
    external: fit((s) => s.externalMB),
    ffmpegRss: fit((s) => s.ffmpegRssMB),
    workerRss: fit((s) => s.workerRssMB),
  },
  tfTensors: last?.tfTensors ?? "not exported (the default detector runs on ONNX Runtime)",
  verdict,
  curve: samples.map((s) => ({
    tS: round(s.tS, 1),
    agentRssMB: round(s.agentRssMB, 1),
    heapUsedMB: round(s.heapUsedMB, 1),
    externalMB: round(s.externalMB, 1),
    ffmpegRssMB: round(s.ffmpegRssMB, 1),
    workerRssMB: round(s.workerRssMB, 1),
    frames: s.frames,
    crops: s.crops,
    load1: round(s.load1),
  })),
};
if (result.agentExitedEarly !== null) {
  console.error(`the agent exited early (code ${agentExit}):\n${agentErr}`);
  process.exitCode = 1;
}
if (result.framesAnalysed === 0) {
  console.error("the agent analysed no frame: the soak measured an idle process");
  process.exitCode = 1;
}

if (a.json) console.log(JSON.stringify(result, null, 2));
else {
  const f = (x: { mbPerHour: number; ci95: number[] } | null) =>
    x ? `${x.mbPerHour} (95 %: ${x.ci95[0]} … ${x.ci95[1]})` : "too few samples";
  printTable(
    `bench:soak — ${round(result.ranS / 60, 1)} min, ${result.machine.cpus} cores, ${result.machine.cpuModel}`,
    [
      ["frames analysed / crops sent", `${result.framesAnalysed} / ${result.cropsSent}`],
      ["load average (1 min), min … max", `${result.loadAverage1m.min} … ${result.loadAverage1m.max}`],
      ["agent RSS after warm-up → end (MB)", `${result.agentRssMB.afterWarmup} → ${result.agentRssMB.end}`],
      ["agent RSS slope (MB/h)", f(result.slopes.agentRss)],
      ["agent RSS slope, second half (MB/h)", f(result.slopes.agentRssSecondHalf)],
      ["V8 heap used slope (MB/h)", f(result.slopes.heapUsed)],
      ["V8 external slope (MB/h)", f(result.slopes.external)],
      ["ffmpeg RSS slope (MB/h)", f(result.slopes.ffmpegRss)],
      ["worker RSS slope (MB/h)", f(result.slopes.workerRss)],
      [`verdict (threshold ${thresholdMbH} MB/h)`, verdict],
    ],
  );
}
process.exit();
