/**
 * bench:detect-memory — the camera agent's native memory over an hour, in minutes: its detection path
 * (FaceScanner over the analyzer, as CameraPipeline runs it) on bench:soak's footage as fast as the CPU allows
 * (≈ 18,000 frames is an hour of the soak at 5 fps), optionally with the agent's calibration snapshot far more
 * often than its 10 minutes, every possible network input shape, or the frames read through the agent's own
 * FfmpegSource (its reader thread). Prints this process's resident set every `--every` frames with the V8 heap,
 * external memory, the distinct network input shapes seen so far, the snapshots taken and the CPU per frame.
 * What bench:soak cannot tell apart in an hour (a bounded cache, an arena settling, a leak) shows here.
 *
 * Frames are decoded once (ffmpeg, the agent's scale and fps filters at the demo camera's 640×480, 5 fps) and
 * fed in order, looped, with capture times 1000 / fps apart (`--drop p`: each next frame skipped with
 * probability p, as a live source drops frames).
 *
 * Options: `--snapshot-every N` a blurredSnapshot every N frames (the agent: every 3,000); `--all-shapes 1` one
 * more region a frame, cycling through all 144 snapped input shapes (NET_SIDES², this clip alone meets about
 * 17); `--source 1` frames from FfmpegSource (looped, lossless) instead of the decoded clip; `--no-detect`;
 * `--ort '{"enableCpuMemArena":false}'` extra ONNX Runtime session options. glibc's malloc settings come from
 * the environment (`MALLOC_ARENA_MAX=2 npm run …`).
 *
 * Usage: npm run bench:detect-memory -- [--frames 18000] [--every 1000] [--fps 5] [--width 640 --height 480]
 *   [--drop 0] [--snapshot-every 0] [--all-shapes 0] [--source 0] [--no-detect] [--ort '{…}'] [--json]
 */
import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createFaceAnalyzer, FaceScanner, type FaceAnalyzer, type RgbFrame } from "@shelf/inference";
import { NET_SIDES, planInput } from "../../packages/inference/src/blazeface.ts";
import { blurredSnapshot } from "../../apps/camera-agent/src/snapshot.ts";
import { FfmpegSource } from "../../apps/camera-agent/src/sources/ffmpeg.ts";
import { datasetsDir } from "../setup/env.ts";
import { decodeClipFrames } from "./bench-camera.ts";
import { args, machine, round } from "./stats.ts";

const a = args();
const frames = a.get("frames", 18_000);
const every = a.get("every", 1000);
const fps = a.get("fps", 5);
const width = a.get("width", 640);
const height = a.get("height", 480);
const drop = a.get("drop", 0);
/** 1: frames come through the agent's FfmpegSource (its reader thread), looped, as fast as they are taken. */
const viaSource = a.get("source", 0) === 1;
/** `--no-detect`: frames are taken and dropped (the source alone). */
const detectOn = !process.argv.includes("--no-detect");
/**
 * 1: besides the scanner's regions, each frame also runs one region of the next of the 144 snapped input
 * shapes (NET_SIDES × NET_SIDES, in a shuffled order): a camera that sees faces and motion of every size
 * over weeks meets them all; this clip alone meets about 17.
 */
const allShapes = a.get("all-shapes", 0) === 1;
/**
 * Every this many frames, the agent's calibration snapshot (blurredSnapshot: an eager detection pass and sharp)
 * on the frame, as the agent takes one every 10 minutes (3,000 frames at 5 fps). 0 = none.
 */
const snapshotEvery = a.get("snapshot-every", 0);
let snapshots = 0;
const data = datasetsDir();
if (!data) throw new Error("bench:detect-memory needs ../shared/datasets (store-video)");
const video = path.join(data, "store-video/face-demographics-walking-and-pause.gif");
const MB = 1024 * 1024;

/** VmRSS of this process, MB. */
function rssMB(): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"));
  return m ? Number(m[1]) / 1024 : Number.NaN;
}

function cpuNow(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** One pass of the clip, decoded as the agent's FfmpegSource asks ffmpeg to. */
const decode = () => decodeClipFrames(video, { fps, width, height });

const clip = await decode();
// `--ort`: extra options for every ONNX Runtime session (e.g. {"enableCpuMemArena":false}), set by wrapping
// InferenceSession.create before the analyzer loads (one module instance for the whole process).
const ortArg = process.argv.indexOf("--ort");
if (ortArg >= 0) {
  const ort = await import("onnxruntime-node");
  const extra = JSON.parse(process.argv[ortArg + 1]!) as object;
  const create = ort.InferenceSession.create.bind(ort.InferenceSession) as (...x: unknown[]) => unknown;
  (ort.InferenceSession as unknown as { create: unknown }).create = (bytes: unknown, o: object) =>
    create(bytes, { ...o, ...extra });
}
const analyzer = createFaceAnalyzer(
  { expression: { model: "none" } },
  { logger: { info: () => undefined, warn: (m: string) => process.stderr.write(`warning: ${m}\n`) } },
);
await analyzer.load();
await analyzer.warmup();
const shapes = new Set<string>();
const detector: Pick<FaceAnalyzer, "detect"> = {
  detect(frame, opts) {
    const f = frame as RgbFrame;
    for (const r of opts?.regions ?? []) {
      const p = planInput(f, r);
      if (p) shapes.add(`${p.netW}x${p.netH}`);
    }
    return analyzer.detect(frame, opts);
  },
};
const scanner = new FaceScanner(detector);
/** Every snapped shape once, in a fixed shuffled order (netW, netH). */
const shapeOrder = NET_SIDES.flatMap((w) => NET_SIDES.map((h) => [w, h] as const))
  .map((s, i) => ({ s, k: (i * 7919) % 144 }))
  .sort((x, y) => x.k - y.k)
  .map((x) => x.s);

interface Row {
  frames: number;
  rssMB: number;
  heapMB: number;
  externalMB: number;
  shapes: number;
  snapshots: number;
  cpuMsPerFrame: number;
  load1: number;
}
const rows: Row[] = [];
const startRss = rssMB();
if (!a.json)
  console.log("  frames   RSS MB  heap MB  external MB  shapes  snapshots  CPU ms/frame  load(1m)");
let c0 = cpuNow();
// Deterministic pseudo-random drops (mulberry32), as a live source drops frames the main thread cannot take.
let seed = 1;
const rand = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
let at = 0;
const abort = new AbortController();
const source = new FfmpegSource({ url: video, width, height, fps, realtime: false, loop: true })
  .frames(abort.signal)
  [Symbol.asyncIterator]();
for (let n = 1; n <= frames; n++) {
  at++;
  while (drop > 0 && rand() < drop) at++;
  const frame = viaSource ? (await source.next()).value!.frame : clip[(at - 1) % clip.length]!;
  const scan = detectOn ? await scanner.scan(frame, (at - 1) * (1000 / fps)) : undefined;
  if (snapshotEvery > 0 && n % snapshotEvery === 0) {
    await blurredSnapshot(frame, analyzer, scan?.faces.map((f) => f.box) ?? []);
    snapshots++;
  }
  if (allShapes) {
    const [w, h] = shapeOrder[n % shapeOrder.length]!;
    // A region whose network input is exactly w × h (scaled up where the frame is smaller).
    const scale = Math.max(1, w / width, h / height);
    await detector.detect(frame, { regions: [{ box: { x: 0, y: 0, w: w / scale, h: h / scale }, scale }] });
  }
  if (n % every !== 0) continue;
  const mem = process.memoryUsage();
  const row: Row = {
    frames: n,
    rssMB: round(rssMB(), 1),
    heapMB: round(mem.heapUsed / MB, 1),
    externalMB: round(mem.external / MB, 1),
    shapes: shapes.size,
    snapshots,
    cpuMsPerFrame: round((cpuNow() - c0) / every, 2),
    load1: round(os.loadavg()[0]!),
  };
  c0 = cpuNow();
  rows.push(row);
  if (!a.json)
    console.log(
      [
        String(row.frames).padStart(8),
        String(row.rssMB).padStart(9),
        String(row.heapMB).padStart(9),
        String(row.externalMB).padStart(13),
        String(row.shapes).padStart(8),
        String(row.snapshots).padStart(11),
        String(row.cpuMsPerFrame).padStart(14),
        String(row.load1).padStart(10),
      ].join(""),
    );
}
abort.abort();
await analyzer.dispose();
const out = {
  machine: machine(),
  clipFrames: clip.length,
  frames,
  width,
  height,
  fps,
  startRssMB: round(startRss, 1),
  shapes: [...shapes].sort(),
  rows,
};
if (a.json) console.log(JSON.stringify(out, null, 2));
process.exit();
