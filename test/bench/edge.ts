/**
 * bench:edge — where to classify: at the centre (default: the agent sends sealed face crops to the workers) or at
 * the edge (AGENT_CLASSIFY=1: the agent runs the expression model and sends only 7-class vectors with each visit's
 * end). The same camera pipeline (ffmpeg at `--fps`, BlazeFace regions + motion, tracking, floor mapping) runs on
 * real store footage (face-demographics-walking-and-pause, looped, 480p) once per mode, its producer talking to
 * Redis through a byte-counting TCP proxy. Prints per mode: agent CPU per analysed frame (agent + ffmpeg), CPU of
 * the expression model per face (edge), and the bytes the agent sent over the link (everything the proxy carried
 * upstream: BullMQ commands, job payloads, crop keys) per interaction (visit end), per crop and per vector.
 * The first `--warmup` seconds (default 5) run uncounted. No worker runs: what is measured is the agent and its link.
 * Usage: npm run bench:edge -- [--seconds 20] [--warmup 5] [--fps 5] [--json]
 */
import net from "node:net";
import { readFileSync } from "node:fs";
import path from "node:path";
import { Queue } from "bullmq";
import { pino } from "pino";
import { QUEUES, type TrackEvent } from "@shelf/core";
import { createFaceAnalyzer, type FaceAnalyzer } from "@shelf/inference";
import { BullJobSink, CameraPipeline, FfmpegSource } from "@shelf/camera-agent";
import { datasetsDir } from "../setup/env.ts";
import { wholeFrameCamera } from "./bench-camera.ts";
import { args, machine, percentile, printTable, round } from "./stats.ts";

const a = args();
const seconds = a.get("seconds", 20);
const targetFps = a.get("fps", 5);
const warmup = a.get("warmup", 5);
const data = datasetsDir();
if (!data) throw new Error("bench:edge needs ../shared/datasets (store-video)");
const video = path.join(data, "store-video/face-demographics-walking-and-pause.gif");
const redisUrl = new URL(process.env.REDIS_URL ?? "redis://127.0.0.1:6379");
const logger = pino({ level: "silent" });
const quietInference = {
  info: (msg: string) => process.stderr.write(`${msg}\n`),
  warn: (msg: string) => process.stderr.write(`warning: ${msg}\n`),
};
const TICK_S = 0.01; // /proc stat clock ticks (USER_HZ = 100)
const [WIDTH, HEIGHT] = [854, 480];

function procCpuSeconds(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(f[11]) + Number(f[12])) * TICK_S; // utime + stime
  } catch {
    return 0;
  }
}

/** A TCP proxy to Redis that counts the bytes each way: what the store's link would carry. */
async function countingProxy(): Promise<{
  url: string;
  up: () => number;
  down: () => number;
  close(): void;
}> {
  let up = 0;
  let down = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(redisUrl.port || 6379), redisUrl.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
      s.on("error", () => s.destroy());
    }
    client.on("data", (d: Buffer) => (up += d.length));
    upstream.on("data", (d: Buffer) => (down += d.length));
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as net.AddressInfo).port;
  const url = new URL(redisUrl);
  url.host = `127.0.0.1:${port}`;
  return {
    url: url.toString(),
    up: () => up,
    down: () => down,
    close() {
      for (const s of sockets) s.destroy();
      server.close();
    },
  };
}

/** The expression model as the pipeline calls it (one crop at a time), with its CPU and wall time added up. */
function timedClassifier(analyzer: FaceAnalyzer) {
  let cpuMs = 0;
  const wallMs: number[] = [];
  let faces = 0;
  return {
    classifier: {
      async classify(crops: Parameters<FaceAnalyzer["classify"]>[0]) {
        const c = process.cpuUsage();
        const t = performance.now();
        try {
          return await analyzer.classify(crops);
        } finally {
          wallMs.push(performance.now() - t);
          const used = process.cpuUsage(c);
          cpuMs += (used.user + used.system) / 1000;
          faces += crops.length;
        }
      },
    },
    stats: () => ({ faces, cpuMs, wallMs }),
  };
}

async function run(mode: "centre" | "edge", analyzer: FaceAnalyzer) {
  const prefix = `bench-edge-${mode}-${Math.random().toString(36).slice(2, 8)}`;
  const proxy = await countingProxy();
  const sink = new BullJobSink(proxy.url, prefix, logger);
  const timed = mode === "edge" ? timedClassifier(analyzer) : null;
  const ends: Extract<TrackEvent, { type: "end" }>[] = [];
  let cropsSent = 0;
  // The sink as the pipeline sees it, noting what it is handed (the bytes are counted on the wire, not here).
  const counting = {
    crop: async (job: Parameters<BullJobSink["crop"]>[0]) => {
      const sent = await sink.crop(job);
      if (sent) cropsSent++;
      return sent;
    },
    track: async (event: TrackEvent) => {
      if (event.type === "end") ends.push(event);
      await sink.track(event);
    },
    close: () => sink.close(),
  };
  const pipeline = new CameraPipeline(
    wholeFrameCamera({ cameraId: "bench-edge", sourceUrl: video, width: WIDTH, height: HEIGHT }),
    {
      analyzer,
      ...(timed ? { classifier: timed.classifier } : {}),
      sink: counting,
      logger,
      runId: prefix,
    },
  );
  const source = new FfmpegSource({
    url: video,
    width: WIDTH,
    height: HEIGHT,
    fps: targetFps,
    realtime: true,
    loop: true,
    logger,
  });
  const abort = new AbortController();
  let frames = 0;
  let faces = 0;
  let ffmpegCpu = 0;
  let lastPid: number | undefined;
  let cpu0 = process.cpuUsage();
  let ffmpegCpu0 = 0;
  let up0 = 0;
  let ends0 = 0;
  let crops0 = 0;
  let classified0 = { faces: 0, cpuMs: 0, wall: 0 };
  const start = performance.now();
  let t0 = Number.NaN;
  let warmedAt = Infinity;
  for await (const { frame, capturedAt } of source.frames(abort.signal)) {
    if (source.pid !== lastPid) {
      ffmpegCpu += procCpuSeconds(lastPid);
      lastPid = source.pid;
    }
    if (Number.isNaN(t0) && performance.now() - start >= warmup * 1000) {
      t0 = performance.now();
      warmedAt = Date.now();
      cpu0 = process.cpuUsage();
      ffmpegCpu0 = ffmpegCpu + procCpuSeconds(source.pid);
      [up0, ends0, crops0] = [proxy.up(), ends.length, cropsSent];
      const s = timed?.stats();
      classified0 = { faces: s?.faces ?? 0, cpuMs: s?.cpuMs ?? 0, wall: s?.wallMs.length ?? 0 };
    }
    const found = (await pipeline.process(frame, capturedAt)).faces.length;
    if (Number.isNaN(t0)) continue;
    frames++;
    faces += found;
    if (performance.now() - t0 > seconds * 1000) {
      ffmpegCpu += procCpuSeconds(source.pid);
      abort.abort();
    }
  }
  ffmpegCpu -= ffmpegCpu0;
  const cpu = process.cpuUsage(cpu0);
  // Visits still open end now; their ends (and their vectors) count, as the frames they came from did.
  await pipeline.flush(Date.now());
  await sink.close();
  const upBytes = proxy.up() - up0;
  const downBytes = proxy.down();
  proxy.close();
  // The job payloads as Redis holds them (no worker ran: every job is still waiting), after the warm-up.
  const payload = { crops: 0, tracks: 0, ends: 0 };
  for (const q of [QUEUES.crops, QUEUES.tracks]) {
    const queue = new Queue(q, { connection: { url: redisUrl.toString() }, prefix });
    for (const job of await queue.getJobs(["waiting", "delayed", "prioritized"])) {
      if (job.timestamp < warmedAt) continue;
      const bytes = Buffer.byteLength(JSON.stringify(job.data));
      if (q === QUEUES.crops) payload.crops += bytes;
      else payload.tracks += bytes;
      if (job.name === "end") payload.ends++;
    }
    await queue.obliterate({ force: true });
    await queue.close();
  }
  const visitEnds = ends.slice(ends0);
  const interactions = visitEnds.filter((e) => (mode === "edge" ? e.samples : e.cropsSent > 0)).length;
  const vectors = visitEnds.reduce((n, e) => n + (e.samples?.length ?? 0), 0);
  const crops = cropsSent - crops0;
  const agentCpu = (cpu.user + cpu.system) / 1e6;
  const s = timed?.stats();
  const classifiedFaces = (s?.faces ?? 0) - classified0.faces;
  const classifyWall = s?.wallMs.slice(classified0.wall) ?? [];
  return {
    mode,
    framesAnalysed: frames,
    facesPerFrame: round(faces / frames),
    cpuMsPerFrame: round(((agentCpu + ffmpegCpu) / frames) * 1000, 1),
    coresPerCameraAtTargetFps: round(((agentCpu + ffmpegCpu) / frames) * targetFps, 3),
    cropsSent: crops,
    facesClassifiedInAgent: classifiedFaces,
    classifyCpuMsPerFace: classifiedFaces
      ? round(((s?.cpuMs ?? 0) - classified0.cpuMs) / classifiedFaces, 2)
      : 0,
    classifyWallMsP50: classifyWall.length ? round(percentile(classifyWall, 50), 2) : 0,
    classifyCpuMsPerFrame: round(((s?.cpuMs ?? 0) - classified0.cpuMs) / frames, 2),
    visitEnds: visitEnds.length,
    interactions,
    vectorsSent: vectors,
    linkBytesUp: upBytes,
    linkBytesDownTotal: downBytes,
    linkBytesPerInteraction: interactions ? Math.round(upBytes / interactions) : null,
    /** JSON payloads of the jobs queued after the warm-up (crop jobs: sealed pixels; visit ends: ids, times, vectors). */
    payloadBytesCrops: payload.crops,
    payloadBytesTracks: payload.tracks,
    payloadBytesPerInteraction: interactions
      ? Math.round((payload.crops + payload.tracks) / interactions)
      : null,
    payloadBytesPerCrop: crops ? Math.round(payload.crops / crops) : null,
    linkBytesPerCrop: crops ? Math.round(upBytes / crops) : null,
    linkBytesPerVector: vectors ? Math.round(upBytes / vectors) : null,
    linkKbitPerSecond: round((upBytes * 8) / 1000 / seconds, 1),
  };
}

const centreAnalyzer = createFaceAnalyzer({ expression: { model: "none" } }, { logger: quietInference });
await centreAnalyzer.load();
await centreAnalyzer.warmup();
const centre = await run("centre", centreAnalyzer);
await centreAnalyzer.dispose();
const edgeAnalyzer = createFaceAnalyzer({}, { logger: quietInference });
await edgeAnalyzer.load();
await edgeAnalyzer.warmup();
const edge = await run("edge", edgeAnalyzer);
const { expressionModel, backend } = edgeAnalyzer;
await edgeAnalyzer.dispose();

const out = {
  machine: { ...machine(), backend, expressionModel },
  targetFps,
  seconds,
  resolution: `${WIDTH}×${HEIGHT}`,
  centre,
  edge,
  edgeExtraCpuMsPerFrame: round(edge.cpuMsPerFrame - centre.cpuMsPerFrame, 1),
  payloadBytesRatio:
    centre.payloadBytesPerInteraction && edge.payloadBytesPerInteraction
      ? round(centre.payloadBytesPerInteraction / edge.payloadBytesPerInteraction, 1)
      : null,
  linkBytesRatio:
    centre.linkBytesPerInteraction && edge.linkBytesPerInteraction
      ? round(centre.linkBytesPerInteraction / edge.linkBytesPerInteraction, 1)
      : null,
};
if (a.json) console.log(JSON.stringify(out, null, 2));
else {
  for (const r of [centre, edge])
    printTable(
      `bench:edge classification at the ${r.mode}, ${out.resolution} at ${targetFps} fps — ${out.machine.cpus} cores`,
      [
        ["frames analysed", r.framesAnalysed],
        ["faces per frame", r.facesPerFrame],
        ["CPU per frame, agent + ffmpeg (ms)", r.cpuMsPerFrame],
        ["expression model CPU per face in the agent (ms)", r.classifyCpuMsPerFace],
        ["crops sent / vectors sent", `${r.cropsSent} / ${r.vectorsSent}`],
        ["visit ends (interactions)", `${r.visitEnds} (${r.interactions})`],
        ["bytes up the link per interaction (wire)", r.linkBytesPerInteraction ?? "-"],
        ["job payload bytes per interaction", r.payloadBytesPerInteraction ?? "-"],
        ["link, kbit/s up", r.linkKbitPerSecond],
      ],
    );
  printTable("edge vs centre", [
    ["extra agent CPU per frame (ms)", out.edgeExtraCpuMsPerFrame],
    ["wire bytes per interaction, centre ÷ edge", out.linkBytesRatio ?? "-"],
    ["payload bytes per interaction, centre ÷ edge", out.payloadBytesRatio ?? "-"],
  ]);
}
process.exit();
