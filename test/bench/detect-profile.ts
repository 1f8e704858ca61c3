/**
 * bench:detect-profile — where the camera agent's detection time goes, per component of the FaceScanner, on
 * bench:agent's footage (face-demographics-walking-and-pause scaled to 854×480, analysed at 5 fps, looped).
 * Frames are decoded once (ffmpeg, the agent's fps and scale filters) and fed in order with capture times
 * 1000 / fps apart, so every run sees the same frames: the network pixel counts are exact and repeatable,
 * the CPU times are as steady as the machine.
 *
 * Components: the motion check (FaceScanner.scan minus the detector), regions around followed faces,
 * motion regions (per pyramid level), and full scans (periodic, first frame, motion over half the frame; a
 * periodic scan without its finest level counts its whole-frame levels here, its other regions above).
 * To time each kind on its own, the wrapped analyzer runs each kind of region in its own `detect` call and
 * merges the results as the single call would (one suppression across all of them).
 *
 * Usage: npm run bench:detect-profile -- [--frames 300] [--warmup 25] [--fps 5] [--width 854 --height 480]
 *   [--scanner '{"fullScanMs":2000}'] [--json]
 */
import path from "node:path";
import {
  createFaceAnalyzer,
  FaceScanner,
  mergeDetections,
  type DetectOptions,
  type DetectResult,
  type FaceAnalyzer,
  type FaceScannerOptions,
  type RgbFrame,
  type ScanRegion,
} from "@shelf/inference";
import { planInput } from "../../packages/inference/src/blazeface.ts";
import { datasetsDir } from "../setup/env.ts";
import { decodeClipFrames } from "./bench-camera.ts";
import { args, machine, percentile, printTable, round } from "./stats.ts";

const a = args();
const frames = a.get("frames", 300);
const warmup = a.get("warmup", 25);
const fps = a.get("fps", 5);
const width = a.get("width", 854);
const height = a.get("height", 480);
const scannerArg = process.argv.indexOf("--scanner");
const scannerOpts = (scannerArg >= 0 ? JSON.parse(process.argv[scannerArg + 1]!) : {}) as FaceScannerOptions;
const data = datasetsDir();
if (!data) throw new Error("bench:detect-profile needs ../shared/datasets (store-video)");
const video = path.join(data, "store-video/face-demographics-walking-and-pause.gif");

/** One pass of the clip, decoded as the agent's FfmpegSource asks ffmpeg to. */
const decode = () => decodeClipFrames(video, { fps, width, height });

type Kind = "tracked" | "motion" | "full";
interface Cost {
  calls: number;
  /** Wall ms of the analyzer's stages (decode, detect, quality …), summed. */
  stages: Record<string, number>;
  runs: number;
  netPx: number;
  cpuMs: number;
}
const empty = (): Cost => ({ stages: {}, calls: 0, runs: 0, netPx: 0, cpuMs: 0 });

function cpuNow(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function netPixels(frame: RgbFrame, regions: readonly ScanRegion[]): number {
  let px = 0;
  for (const r of regions) {
    const p = planInput(frame, r);
    if (p) px += p.netW * p.netH;
  }
  return px;
}

/** The analyzer, each kind of region timed in its own call (see the header). */
function profiled(analyzer: FaceAnalyzer, pyramidRegionsOf: (f: RgbFrame) => ScanRegion[]) {
  const costs: Record<Kind, Cost> = { tracked: empty(), motion: empty(), full: empty() };
  const motionLevels = new Map<number, { runs: number; netPx: number }>();
  let counting = false;
  async function timedCall(kind: Kind, frame: RgbFrame, opts: DetectOptions, regions: ScanRegion[]) {
    const c0 = cpuNow();
    const r = await analyzer.detect(frame, opts);
    const ms = cpuNow() - c0;
    if (counting) {
      const c = costs[kind];
      c.calls++;
      c.runs += regions.length;
      c.netPx += netPixels(frame, regions);
      c.cpuMs += ms;
      for (const [k, v] of Object.entries(r.timings)) c.stages[k] = (c.stages[k] ?? 0) + v;
    }
    return r;
  }
  return {
    costs,
    motionLevels,
    count(on: boolean) {
      counting = on;
    },
    analyzer: {
      async detect(frame: RgbFrame | Uint8Array, opts: DetectOptions = {}): Promise<DetectResult> {
        const f = frame as RgbFrame;
        if (!opts.regions) return timedCall("full", f, opts, pyramidRegionsOf(f));
        // Regions around followed faces carry their own (lower) minimum score; whole-frame ones are pyramid
        // levels of a periodic scan (see FaceScanner's fineScanEvery); the rest are motion regions.
        const whole = (r: ScanRegion) =>
          r.box.x <= 0 && r.box.y <= 0 && r.box.w >= f.width && r.box.h >= f.height;
        const tracked = opts.regions.filter((r) => r.minScore !== undefined);
        const levels = opts.regions.filter((r) => r.minScore === undefined && whole(r));
        const motion = opts.regions.filter((r) => r.minScore === undefined && !whole(r));
        if (counting && process.argv.includes("--verbose"))
          process.stderr.write(
            `${opts.regions
              .map((r) => {
                const q = planInput(f, r);
                const kind = r.minScore !== undefined ? "T" : whole(r) ? "F" : "M";
                return `${kind}${round(r.scale, 3)}:${Math.round(r.box.w)}x${Math.round(r.box.h)}->${q?.netW}x${q?.netH}`;
              })
              .join(" ")}\n`,
          );
        if (counting)
          for (const r of motion) {
            const l = motionLevels.get(r.scale) ?? { runs: 0, netPx: 0 };
            l.runs++;
            l.netPx += netPixels(f, [r]);
            motionLevels.set(r.scale, l);
          }
        const parts: DetectResult[] = [];
        if (tracked.length) parts.push(await timedCall("tracked", f, { ...opts, regions: tracked }, tracked));
        if (motion.length) parts.push(await timedCall("motion", f, { ...opts, regions: motion }, motion));
        if (levels.length) parts.push(await timedCall("full", f, { ...opts, regions: levels }, levels));
        // One suppression across the parts, as the single call does (keypoints are not compared).
        const all = parts.flatMap((p) =>
          p.faces.map((face) => ({ ...face, keypoints: face.keypoints ?? [] })),
        );
        const kept = new Set(mergeDetections(all, { iou: analyzer.config.detector.blazeface.nmsIou }));
        return { ...parts[0]!, faces: all.filter((x) => kept.has(x)) };
      },
    },
  };
}

const clip = await decode();
const analyzer = createFaceAnalyzer(
  { expression: { model: "none" } },
  { logger: { info: () => undefined, warn: (m: string) => process.stderr.write(`warning: ${m}\n`) } },
);
await analyzer.load();
await analyzer.warmup();
const { pyramidRegions } = await import("@shelf/inference");
const p = profiled(analyzer, (f) => pyramidRegions(f, analyzer.config.detector.blazeface));
const scanner = new FaceScanner(p.analyzer, scannerOpts);
const modes = { full: 0, regions: 0, idle: 0 };
let scanCpu = 0;
let faces = 0;
const frameCpu: number[] = [];
for (let n = 0; n < warmup + frames; n++) {
  const counting = n >= warmup;
  p.count(counting);
  const c0 = cpuNow();
  const r = await scanner.scan(clip[n % clip.length]!, n * (1000 / fps));
  const ms = cpuNow() - c0;
  if (!counting) continue;
  scanCpu += ms;
  frameCpu.push(ms);
  modes[r.mode]++;
  faces += r.faces.length;
}
await analyzer.dispose();
const detectCpu = Object.values(p.costs).reduce((s, c) => s + c.cpuMs, 0);
const per = (v: number) => round(v / frames, 2);
const components = {
  motionCheck: { cpuMsPerFrame: per(scanCpu - detectCpu) },
  ...Object.fromEntries(
    Object.entries(p.costs).map(([k, c]) => [
      k,
      {
        calls: c.calls,
        runsPerFrame: per(c.runs),
        netKpxPerFrame: per(c.netPx / 1000),
        cpuMsPerFrame: per(c.cpuMs),
        cpuMsPerCall: c.calls ? round(c.cpuMs / c.calls, 2) : 0,
        wallMsPerFrameByStage: Object.fromEntries(Object.entries(c.stages).map(([s, v]) => [s, per(v)])),
      },
    ]),
  ),
};
const motionLevels = [...p.motionLevels.entries()]
  .sort((x, y) => y[0] - x[0])
  .map(([scale, l]) => ({
    scale: round(scale, 4),
    runsPerFrame: per(l.runs),
    netKpxPerFrame: per(l.netPx / 1000),
  }));
const out = {
  machine: machine(),
  clipFrames: clip.length,
  frames,
  width,
  height,
  fps,
  scanner: scannerOpts,
  modes,
  facesPerFrame: per(faces),
  scanCpuMsPerFrame: per(scanCpu),
  frameCpuMsP95: round(percentile(frameCpu, 95), 1),
  components,
  motionLevels,
};
if (a.json) console.log(JSON.stringify(out, null, 2));
else {
  printTable(
    `bench:detect-profile ${width}×${height} @ ${fps} fps, ${frames} frames — ${out.machine.cpus} cores`,
    [
      ["modes full / regions / idle", `${modes.full} / ${modes.regions} / ${modes.idle}`],
      ["faces per frame", out.facesPerFrame],
      ["scan CPU ms per frame (p95)", `${out.scanCpuMsPerFrame} (${out.frameCpuMsP95})`],
      ["  motion check + planning", components.motionCheck.cpuMsPerFrame],
      ...(["tracked", "motion", "full"] as const).map((k): [string, string] => {
        const c = (
          components as unknown as Record<
            Kind,
            { runsPerFrame: number; netKpxPerFrame: number; cpuMsPerFrame: number }
          >
        )[k];
        return [
          `  ${k}: runs / kpx / CPU ms per frame`,
          `${c.runsPerFrame} / ${c.netKpxPerFrame} / ${c.cpuMsPerFrame}`,
        ];
      }),
      ...motionLevels.map((l): [string, string] => [
        `    motion level ${l.scale}: runs / kpx`,
        `${l.runsPerFrame} / ${l.netKpxPerFrame}`,
      ]),
    ],
  );
}
process.exit();
