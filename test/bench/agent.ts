/**
 * bench:agent — one camera pipeline (ffmpeg decode → face detection → tracking → floor mapping → crops to
 * Redis) on real store footage scaled to 480p and 720p, as fast as one process can go. Prints frames/s,
 * CPU per analysed frame (agent process + its ffmpeg), and how many cameras at 5 analysed fps a 2-core box
 * holds. Usage: npm run bench:agent -- [--seconds 20] [--fps 5] [--json]
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { Queue } from "bullmq";
import { pino } from "pino";
import { estimateHomography, QUEUES } from "@shelf/core";
import { createFaceAnalyzer } from "@shelf/inference";
import { BullJobSink, CameraPipeline, FfmpegSource, type CameraConfig } from "@shelf/camera-agent";
import { datasetsDir } from "../setup/env.ts";
import { args, machine, percentile, printTable, round } from "./stats.ts";

const a = args();
const seconds = a.get("seconds", 20);
const targetFps = a.get("fps", 5);
const data = datasetsDir();
if (!data) throw new Error("bench:agent needs ../shared/datasets (store-video)");
const video = path.join(data, "store-video/face-demographics-walking-and-pause.gif");
const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const logger = pino({ level: "silent" });
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

function wholeFrameConfig(width: number, height: number): CameraConfig {
  const pairs = [
    { frame: { x: 0, y: height }, floor: { x: 18, y: 12 } },
    { frame: { x: width, y: height }, floor: { x: 22, y: 12 } },
    { frame: { x: width, y: height * 0.4 }, floor: { x: 26, y: 24 } },
    { frame: { x: 0, y: height * 0.4 }, floor: { x: 14, y: 24 } },
  ];
  return {
    storeId: "bench",
    cameraId: `bench-${width}`,
    name: "bench",
    sourceUrl: video,
    sourceCredentials: null,
    allowlist: [],
    width,
    height,
    analysisFps: 30,
    calibration: { version: 1, homography: [...estimateHomography(pairs).homography.h], headHeightM: 1.5 },
    zones: [
      {
        id: "z",
        polygon: [
          { x: -500, y: -500 },
          { x: 500, y: -500 },
          { x: 500, y: 500 },
          { x: -500, y: 500 },
        ],
        staffOnly: false,
        slots: [{ itemId: "i", start: 0, end: 1, level: 0 }],
      },
    ],
  };
}

let backend = "";
const results = [];
for (const detector of ["tiny", "ssd"] as const) {
  const analyzer = createFaceAnalyzer({ detector: { kind: detector } });
  await analyzer.load();
  await analyzer.warmup();
  backend = analyzer.backend;
  for (const [label, width, height] of [
    ["480p", 854, 480],
    ["720p", 1280, 720],
  ] as const) {
    const prefix = `bench-agent-${Math.random().toString(36).slice(2, 8)}`;
    const sink = new BullJobSink(redisUrl, prefix, logger);
    const config = wholeFrameConfig(width, height);
    const pipeline = new CameraPipeline(config, { analyzer, sink, logger, runId: prefix });
    // The camera delivers 30 fps; the pipeline takes the newest frame whenever it is free.
    const source = new FfmpegSource({
      url: video,
      width,
      height,
      fps: 30,
      realtime: true,
      loop: true,
      logger,
    });
    const abort = new AbortController();
    const frameMs: number[] = [];
    let faces = 0;
    let ffmpegCpu = 0;
    let lastPid: number | undefined;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    for await (const { frame, capturedAt } of source.frames(abort.signal)) {
      if (source.pid !== lastPid) {
        ffmpegCpu += procCpuSeconds(lastPid);
        lastPid = source.pid;
      }
      const s = performance.now();
      faces += (await pipeline.process(frame, capturedAt)).faces.length;
      frameMs.push(performance.now() - s);
      if (performance.now() - t0 > seconds * 1000) {
        ffmpegCpu += procCpuSeconds(source.pid);
        abort.abort();
      }
    }
    const wall = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    await pipeline.flush(Date.now());
    await sink.close();
    for (const q of [QUEUES.crops, QUEUES.tracks]) {
      const queue = new Queue(q, { connection: { url: redisUrl }, prefix });
      await queue.obliterate({ force: true });
      await queue.close();
    }
    const agentCpu = (cpu.user + cpu.system) / 1e6;
    const cpuPerFrame = (agentCpu + ffmpegCpu) / frameMs.length; // core-seconds
    const coresPerCamera = cpuPerFrame * targetFps;
    results.push({
      detector,
      resolution: label,
      width,
      height,
      framesAnalysed: frameMs.length,
      framesDropped: source.droppedFrames,
      facesPerFrame: round(faces / frameMs.length),
      analysedFps: round(frameMs.length / wall, 1),
      frameMsP50: round(percentile(frameMs, 50), 1),
      frameMsP95: round(percentile(frameMs, 95), 1),
      cpuMsPerFrame: round(cpuPerFrame * 1000, 1),
      ffmpegCpuShare: round(ffmpegCpu / (agentCpu + ffmpegCpu)),
      coresPerCameraAtTargetFps: round(coresPerCamera),
      camerasPer2CoreBox: Math.floor(2 / coresPerCamera),
    });
  }
  await analyzer.dispose();
}
const out = { machine: { ...machine(), backend }, targetFps, seconds, results };
if (a.json) console.log(JSON.stringify(out, null, 2));
else
  for (const r of results)
    printTable(
      `bench:agent ${r.resolution} (${r.width}×${r.height}) — ${out.machine.cpus} cores, ${backend}`,
      [
        ["frames analysed (dropped)", `${r.framesAnalysed} (${r.framesDropped})`],
        ["faces per frame", r.facesPerFrame],
        ["analysed frames/s, one process", r.analysedFps],
        ["frame time p50 / p95 (ms)", `${r.frameMsP50} / ${r.frameMsP95}`],
        ["CPU per frame, agent + ffmpeg (ms)", r.cpuMsPerFrame],
        ["ffmpeg share of that CPU", r.ffmpegCpuShare],
        [`cores per camera at ${targetFps} fps`, r.coresPerCameraAtTargetFps],
        [`cameras at ${targetFps} fps per 2-core box`, r.camerasPer2CoreBox],
      ],
    );
process.exit();
