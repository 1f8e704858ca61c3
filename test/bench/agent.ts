/**
 * bench:agent — one camera pipeline (ffmpeg decode at the analysis rate → face detection → tracking → floor
 * mapping → crops to Redis) on real store footage (face-demographics-walking-and-pause, looped) scaled to
 * 480p and 720p, analysed at `--fps` (default 5) in real time, per detector configuration. Prints faces per
 * frame, CPU per analysed frame (agent process + its ffmpeg), detector time per frame (wall and CPU), and how
 * many cameras at that rate a 2-core box holds; then a full-frame 640×480 BlazeFace scan's p50/p95 on one core
 * (wall and CPU time: on a shared machine the CPU time is the steadier figure).
 * The first `--warmup` seconds (default 5) run uncounted: steady state is what a camera running for days costs.
 * Usage: npm run bench:agent -- [--seconds 20] [--warmup 5] [--fps 5] [--all] [--scan-only] [--json]
 *   (--all: SSD, 720p tiny; --scan-only: the full-frame scan alone)
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { Queue } from "bullmq";
import { pino } from "pino";
import { QUEUES, redisLayout } from "@shelf/core";
import { createFaceAnalyzer, type DetectOptions, type FaceAnalyzer, type RgbFrame } from "@shelf/inference";
import { BullJobSink, CameraPipeline, FfmpegSource, letterbox } from "@shelf/camera-agent";
import { datasetsDir } from "../setup/env.ts";
import { wholeFrameCamera } from "./bench-camera.ts";
import { args, machine, percentile, printTable, round } from "./stats.ts";

const a = args();
const seconds = a.get("seconds", 20);
const targetFps = a.get("fps", 5);
const warmup = a.get("warmup", 5);
const data = datasetsDir();
if (!data) throw new Error("bench:agent needs ../shared/datasets (store-video)");
const video = path.join(data, "store-video/face-demographics-walking-and-pause.gif");
const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const logger = pino({ level: "silent" });
/** Backend notes go to stderr: stdout holds only the table or the JSON. */
const quietInference = {
  info: (msg: string) => process.stderr.write(`${msg}\n`),
  warn: (msg: string) => process.stderr.write(`warning: ${msg}\n`),
};
const TICK_S = 0.01; // /proc stat clock ticks (USER_HZ = 100)

function procCpuSeconds(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(f[11]) + Number(f[12])) * TICK_S; // utime + stime
  } catch {
    return 0;
  }
}

interface Config {
  detector: string;
  default: boolean;
  analyzer: Parameters<typeof createFaceAnalyzer>[0];
  pipeline?: ConstructorParameters<typeof CameraPipeline>[1]["options"];
  resolutions: (readonly ["480p" | "720p", number, number])[];
}
const R480 = ["480p", 854, 480] as const;
const R720 = ["720p", 1280, 720] as const;
const all = process.argv.includes("--all");
/** --scan-only: just the full-frame scan (the last table), no camera pipeline. */
const scanOnly = process.argv.includes("--scan-only");
const CONFIGS: Config[] = scanOnly
  ? []
  : [
      {
        detector: "blazeface (regions + motion, full scan every 2 s, its finest level every 4 s)",
        default: true,
        analyzer: { expression: { model: "none" } },
        resolutions: [R480, R720],
      },
      {
        // The default before the periodic scan skipped its finest level every other time.
        detector: "blazeface (regions + motion, complete full scan every 2 s)",
        default: false,
        analyzer: { expression: { model: "none" } },
        pipeline: { scanner: { fineScanEvery: 1 } },
        resolutions: [R480],
      },
      {
        detector: "blazeface (full pyramid every frame)",
        default: false,
        analyzer: { expression: { model: "none" } },
        pipeline: { scanner: { fullScanMs: 0, fineScanEvery: 1 } },
        resolutions: [R480],
      },
      {
        detector: "tiny-800 (tfjs-wasm, the old default)",
        default: false,
        analyzer: { detector: { kind: "tiny" }, expression: { model: "none" } },
        resolutions: all ? [R480, R720] : [R480],
      },
      ...(all
        ? [
            {
              detector: "ssd (tfjs-wasm)",
              default: false,
              analyzer: { detector: { kind: "ssd" as const }, expression: { model: "none" as const } },
              resolutions: [R480],
            },
          ]
        : []),
    ];

/**
 * Wraps an analyzer's detect() to add up its wall time and the process's CPU time during it (ms). ONNX
 * Runtime runs on the calling thread, so the CPU time is the detector's own; on a shared machine the wall time
 * also counts the time other processes held the core.
 */
function timed(analyzer: FaceAnalyzer): {
  analyzer: Pick<FaceAnalyzer, "detect">;
  ms: () => number;
  cpuMs: () => number;
} {
  let total = 0;
  let cpu = 0;
  return {
    analyzer: {
      async detect(frame: RgbFrame | Uint8Array, opts?: DetectOptions) {
        const t = performance.now();
        const c = process.cpuUsage();
        try {
          return await analyzer.detect(frame, opts);
        } finally {
          total += performance.now() - t;
          const used = process.cpuUsage(c);
          cpu += (used.user + used.system) / 1000;
        }
      },
    },
    ms: () => total,
    cpuMs: () => cpu,
  };
}

let backend = "";
const results = [];
for (const c of CONFIGS) {
  const analyzer = createFaceAnalyzer(c.analyzer, { logger: quietInference });
  await analyzer.load();
  await analyzer.warmup();
  backend = analyzer.backend;
  for (const [label, width, height] of c.resolutions) {
    const prefix = `bench-agent-${Math.random().toString(36).slice(2, 8)}`;
    const sink = new BullJobSink(redisUrl, redisLayout(prefix).store("bench"), logger);
    const config = wholeFrameCamera({ cameraId: `bench-${width}`, sourceUrl: video, width, height });
    const detect = timed(analyzer);
    const pipeline = new CameraPipeline(config, {
      analyzer: detect.analyzer,
      sink,
      logger,
      runId: prefix,
      ...(c.pipeline ? { options: c.pipeline } : {}),
    });
    // ffmpeg decodes only the analysed frames (fps and scale filters), paced like a live camera.
    const source = new FfmpegSource({
      url: video,
      width,
      height,
      fps: targetFps,
      realtime: true,
      loop: true,
      logger,
    });
    const abort = new AbortController();
    const frameMs: number[] = [];
    let faces = 0;
    let ffmpegCpu = 0;
    let lastPid: number | undefined;
    let cpu0 = process.cpuUsage();
    let ffmpegCpu0 = 0;
    const start = performance.now();
    let t0 = Number.NaN;
    let detectMs0 = 0;
    let detectCpuMs0 = 0;
    for await (const { frame, capturedAt } of source.frames(abort.signal)) {
      if (source.pid !== lastPid) {
        ffmpegCpu += procCpuSeconds(lastPid);
        lastPid = source.pid;
      }
      // Steady state: the first `warmup` seconds (ONNX Runtime planning each input shape once, the first
      // full scan, tracks forming) run but are not counted — a camera runs for days.
      if (Number.isNaN(t0) && performance.now() - start >= warmup * 1000) {
        t0 = performance.now();
        cpu0 = process.cpuUsage();
        ffmpegCpu0 = ffmpegCpu + procCpuSeconds(source.pid);
        detectMs0 = detect.ms();
        detectCpuMs0 = detect.cpuMs();
      }
      const s = performance.now();
      const found = (await pipeline.process(frame, capturedAt)).faces.length;
      if (Number.isNaN(t0)) continue;
      faces += found;
      frameMs.push(performance.now() - s);
      if (performance.now() - t0 > seconds * 1000) {
        ffmpegCpu += procCpuSeconds(source.pid);
        abort.abort();
      }
    }
    ffmpegCpu -= ffmpegCpu0;
    const cpu = process.cpuUsage(cpu0);
    await pipeline.flush(Date.now());
    await sink.close();
    for (const q of [QUEUES.crops, QUEUES.tracks]) {
      const queue = new Queue(q, {
        connection: { url: redisUrl },
        prefix: redisLayout(prefix).store("bench"),
      });
      await queue.obliterate({ force: true });
      await queue.close();
    }
    const agentCpu = (cpu.user + cpu.system) / 1e6;
    const cpuPerFrame = (agentCpu + ffmpegCpu) / frameMs.length; // core-seconds
    const coresPerCamera = cpuPerFrame * targetFps;
    results.push({
      detector: c.detector,
      default: c.default,
      engine: analyzer.detector,
      resolution: label,
      width,
      height,
      framesAnalysed: frameMs.length,
      framesDropped: source.droppedFrames,
      facesPerFrame: round(faces / frameMs.length),
      frameMsP50: round(percentile(frameMs, 50), 1),
      frameMsP95: round(percentile(frameMs, 95), 1),
      detectMsPerFrame: round((detect.ms() - detectMs0) / frameMs.length, 1),
      detectCpuMsPerFrame: round((detect.cpuMs() - detectCpuMs0) / frameMs.length, 1),
      cpuMsPerFrame: round(cpuPerFrame * 1000, 1),
      ffmpegCpuShare: round(ffmpegCpu / (agentCpu + ffmpegCpu)),
      coresPerCameraAtTargetFps: round(coresPerCamera, 3),
      camerasPer2CoreBox: Math.floor(2 / coresPerCamera),
    });
  }
  await analyzer.dispose();
}

// A full scan (the still-image path and the agent's periodic scan): the whole 640×480 frame as a pyramid.
const fullScan = await (async () => {
  const analyzer = createFaceAnalyzer({ expression: { model: "none" } }, { logger: quietInference });
  await analyzer.load();
  // The clip's first frame, letterboxed into 640×480 as a camera would deliver it.
  const frame = await letterbox(readFileSync(video), 640, 480);
  const ms: number[] = [];
  const cpuMs: number[] = [];
  let faces = 0;
  for (let i = 0; i < 110; i++) {
    // CPU time of the process during the scan (one thread): on a shared machine wall time also counts the
    // time other processes held the core.
    const c = process.cpuUsage();
    const r = await analyzer.detect(frame, { boxesOnly: true });
    const used = process.cpuUsage(c);
    if (i >= 10) {
      ms.push(r.timings.detect!);
      cpuMs.push((used.user + used.system) / 1000);
      faces = r.faces.length;
    }
  }
  await analyzer.dispose();
  return {
    frame: "640×480",
    runs: ms.length,
    faces,
    detectMsP50: round(percentile(ms, 50), 1),
    detectMsP95: round(percentile(ms, 95), 1),
    cpuMsP50: round(percentile(cpuMs, 50), 1),
    cpuMsP95: round(percentile(cpuMs, 95), 1),
  };
})();
const out = { machine: { ...machine(), backend }, targetFps, seconds, results, fullScan };
if (a.json) console.log(JSON.stringify(out, null, 2));
else
  for (const r of results)
    printTable(
      `bench:agent ${r.detector}${r.default ? " [default]" : ""}, ${r.resolution} (${r.width}×${r.height}) — ${out.machine.cpus} cores`,
      [
        ["frames analysed (dropped)", `${r.framesAnalysed} (${r.framesDropped})`],
        ["faces per frame", r.facesPerFrame],
        ["frame time p50 / p95 (ms)", `${r.frameMsP50} / ${r.frameMsP95}`],
        ["detector time per frame, wall / CPU (ms)", `${r.detectMsPerFrame} / ${r.detectCpuMsPerFrame}`],
        ["CPU per frame, agent + ffmpeg (ms)", r.cpuMsPerFrame],
        ["ffmpeg share of that CPU", r.ffmpegCpuShare],
        [`cores per camera at ${targetFps} fps`, r.coresPerCameraAtTargetFps],
        [`cameras at ${targetFps} fps per 2-core box`, r.camerasPer2CoreBox],
      ],
    );
if (!a.json)
  printTable(`full-frame scan (BlazeFace pyramid, one core), ${fullScan.frame}`, [
    ["runs (faces found)", `${fullScan.runs} (${fullScan.faces})`],
    ["detector time p50 / p95 (ms)", `${fullScan.detectMsP50} / ${fullScan.detectMsP95}`],
    ["CPU time p50 / p95 (ms)", `${fullScan.cpuMsP50} / ${fullScan.cpuMsP95}`],
  ]);
process.exit();
