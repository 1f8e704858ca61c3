import { readdir, readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { z } from "zod";
import { createFaceAnalyzer, type FaceAnalyzer } from "../analyzer.ts";
import { cropFace, type FaceCrop, type RgbFrame } from "../frame.ts";
import { BACKENDS } from "../runtime.ts";
import { emit, formatTable, numberFlag, parseCliArgs, runCli, stderrLogger } from "./cli-support.ts";

const USAGE = `usage: npm run bench:inference -w @shelf/inference -- [options]

  --json                print the results as JSON
  --iterations <n>      timed detections per frame size (default 60)
  --frames <n>          frames in the memory soak (default 2000)
  --backend <name>      tensorflow | wasm | cpu (default: first that starts, in that order)

Frames are face-api's demo photos letterboxed to 640×480 and 1280×720 (as the demo camera sends them);
crops are 64 px grey faces cut from them. Run it on an otherwise idle machine.`;

const ZArgs = z
  .object({
    json: z.boolean().default(false),
    iterations: numberFlag(z.number().int().min(5).max(100_000)).default(60),
    frames: numberFlag(z.number().int().min(1).max(1_000_000)).default(2000),
    backend: z.enum(BACKENDS).optional(),
  })
  .strict();

const SIZES = [
  [640, 480],
  [1280, 720],
] as const;

await runCli(USAGE, async () => {
  const args = parseCliArgs(
    process.argv.slice(2),
    {
      json: { type: "boolean" },
      iterations: { type: "string" },
      frames: { type: "string" },
      backend: { type: "string" },
    },
    ZArgs,
  );
  const log = (msg: string) => stderrLogger.info(`bench: ${msg}`);
  const backends = args.backend ? { backends: [args.backend] } : {};
  const photos = await demoPhotos();
  const rssBeforeLoad = mib(process.memoryUsage().rss);

  const analyzer = createFaceAnalyzer(backends, { logger: stderrLogger });
  const loadStarted = performance.now();
  await analyzer.load();
  const loadMs = performance.now() - loadStarted;
  await analyzer.warmup();
  const rssAfterLoad = mib(process.memoryUsage().rss);
  const tensorsAfterLoad = analyzer.tensorCount();

  const detection: Record<
    string,
    { p50: number; p95: number; mean: number; detectP50: number; facesPerFrame: number }
  > = {};
  const framesBySize: Record<string, RgbFrame[]> = {};
  for (const [w, h] of SIZES) {
    const key = `${w}x${h}`;
    log(`detection on ${key}`);
    const frames = await Promise.all(photos.map((p) => letterbox(p, w, h)));
    framesBySize[key] = frames;
    const total: number[] = [];
    const detect: number[] = [];
    let faces = 0;
    for (let i = 0; i < args.iterations; i++) {
      const r = await analyzer.detect(frames[i % frames.length]!);
      total.push(r.timings.total!);
      detect.push(r.timings.detect!);
      faces += r.faces.length;
    }
    detection[key] = {
      p50: quantile(total, 0.5),
      p95: quantile(total, 0.95),
      mean: mean(total),
      detectP50: quantile(detect, 0.5),
      facesPerFrame: faces / args.iterations,
    };
  }

  log("classification");
  const crops = await facesOf(analyzer, framesBySize["1280x720"]!);
  const classification = await timeClassify(analyzer, crops, args.iterations);

  log(`memory soak: ${args.frames} frames of 640x480`);
  const soakFrames = framesBySize["640x480"]!;
  let soakFaces = 0;
  // RSS along the soak: a plateau is the wasm heap reaching its high-water mark (it never shrinks);
  // a leak keeps climbing.
  const rssDuringSoak: { frame: number; rssMiB: number }[] = [];
  const soakStarted = performance.now();
  for (let i = 0; i < args.frames; i++) {
    const frame = soakFrames[i % soakFrames.length]!;
    const { faces } = await analyzer.detect(frame);
    // Every 20th frame also goes through classification, as a worker would see its crops.
    if (i % 20 === 0) {
      const ok = faces.filter((f) => f.quality.ok).map((f) => cropFace(frame, f.box));
      soakFaces += (await analyzer.classify(ok)).length;
    }
    if ((i + 1) % Math.max(1, Math.floor(args.frames / 8)) === 0)
      rssDuringSoak.push({ frame: i + 1, rssMiB: Math.round(mib(process.memoryUsage().rss)) });
    if (!args.json && process.stderr.isTTY && i % 100 === 0) process.stderr.write(`\r${i}/${args.frames}`);
  }
  const soakSeconds = (performance.now() - soakStarted) / 1000;
  const rssAfterFrames = mib(process.memoryUsage().rss);
  const tensorsAfterFrames = analyzer.tensorCount();
  const { backend, backendNotes } = analyzer;
  await analyzer.dispose();

  // The cost of mirror averaging: the same crops through an ensemble without it.
  const noFlip = createFaceAnalyzer({ ...backends, expression: { flip: false } }, { logger: stderrLogger });
  await noFlip.load();
  await noFlip.warmup();
  // Equal to tensorsAfterLoad only if dispose() freed everything the first analyzer held.
  const tensorsAfterDisposeAndReload = noFlip.tensorCount();
  const classificationNoFlip = await timeClassify(noFlip, crops, args.iterations);
  await noFlip.dispose();

  const result = {
    machine: {
      cpu: os.cpus()[0]?.model ?? "unknown",
      cores: os.availableParallelism(),
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
      platform: `${os.platform()} ${os.arch()}`,
    },
    backend,
    backendNotes,
    config: {
      detector: analyzer.config.detector,
      landmarks: analyzer.config.landmarks,
      expression: analyzer.config.expression,
    },
    loadMs,
    detectionMs: detection,
    classificationMsPerFace: { ...classification, noFlip: classificationNoFlip },
    framesPerSecond: Object.fromEntries(Object.entries(detection).map(([k, d]) => [k, 1000 / d.mean])),
    facesPerSecondBatched: 1000 / classification.batched,
    soak: { frames: args.frames, classifiedFaces: soakFaces, seconds: soakSeconds },
    rssMiB: {
      beforeLoad: rssBeforeLoad,
      afterLoad: rssAfterLoad,
      afterFrames: rssAfterFrames,
      duringSoak: rssDuringSoak,
    },
    tensors: {
      afterLoad: tensorsAfterLoad,
      afterFrames: tensorsAfterFrames,
      afterDisposeAndReload: tensorsAfterDisposeAndReload,
    },
  };
  emit(args.json, result, () =>
    [
      `machine: ${result.machine.cpu}, ${result.machine.cores} cores, ${result.machine.memoryGiB} GiB, node ${result.machine.node}`,
      `backend: ${result.backend} (${result.backendNotes.join("; ")})`,
      `detector: ${result.config.detector.kind} ${result.config.detector.kind === "tiny" ? result.config.detector.tiny.inputSize + " px" : ""}, landmarks ${result.config.landmarks ? "on" : "off"}; load ${loadMs.toFixed(0)} ms`,
      "",
      formatTable(
        ["frame", "p50 ms", "p95 ms", "detector p50 ms", "frames/s", "faces/frame"],
        Object.entries(detection).map(([k, d]) => [
          k,
          d.p50.toFixed(1),
          d.p95.toFixed(1),
          d.detectP50.toFixed(1),
          (1000 / d.mean).toFixed(2),
          d.facesPerFrame.toFixed(1),
        ]),
      ),
      "",
      formatTable(
        ["classification", "ms/face (single)", "ms/face (batch 32)", "faces/s (batch 32)"],
        [
          [
            "mirror on (default)",
            classification.single.toFixed(1),
            classification.batched.toFixed(1),
            (1000 / classification.batched).toFixed(1),
          ],
          [
            "mirror off",
            classificationNoFlip.single.toFixed(1),
            classificationNoFlip.batched.toFixed(1),
            (1000 / classificationNoFlip.batched).toFixed(1),
          ],
        ],
      ),
      "",
      formatTable(
        ["", "RSS MiB", "tensors"],
        [
          ["after load", rssAfterLoad.toFixed(0), tensorsAfterLoad],
          [`after ${args.frames} frames`, rssAfterFrames.toFixed(0), tensorsAfterFrames],
          ["after dispose() and a fresh load", "", tensorsAfterDisposeAndReload],
        ],
      ),
      `RSS during the soak (MiB): ${rssDuringSoak.map((r) => `${r.frame}: ${r.rssMiB}`).join(", ")}`,
    ].join("\n"),
  );
});

async function demoPhotos(): Promise<Uint8Array[]> {
  const require = createRequire(import.meta.url);
  const dir = path.join(path.dirname(require.resolve("@vladmandic/face-api/package.json")), "demo");
  const files = (await readdir(dir)).filter((f) => /^sample\d+\.jpg$/.test(f)).sort();
  return Promise.all(files.map((f) => readFile(path.join(dir, f))));
}

async function letterbox(image: Uint8Array, width: number, height: number): Promise<RgbFrame> {
  const { data, info } = await sharp(image)
    .resize(width, height, { fit: "contain", background: { r: 0, g: 0, b: 0 } })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, channels: 3, data: new Uint8Array(data) };
}

async function facesOf(analyzer: FaceAnalyzer, frames: RgbFrame[]): Promise<FaceCrop[]> {
  const crops: FaceCrop[] = [];
  for (const frame of frames)
    for (const f of (await analyzer.detect(frame)).faces) crops.push(cropFace(frame, f.box));
  if (!crops.length) throw new Error("no faces found in the demo photos: cannot time classification");
  return crops;
}

async function timeClassify(
  analyzer: FaceAnalyzer,
  crops: FaceCrop[],
  iterations: number,
): Promise<{ single: number; batched: number }> {
  const singles: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const started = performance.now();
    await analyzer.classify([crops[i % crops.length]!]);
    singles.push(performance.now() - started);
  }
  const batch = Array.from({ length: 32 }, (_, i) => crops[i % crops.length]!);
  const batched: number[] = [];
  for (let i = 0; i < Math.max(3, Math.ceil(iterations / 10)); i++) {
    const started = performance.now();
    await analyzer.classify(batch);
    batched.push((performance.now() - started) / batch.length);
  }
  return { single: quantile(singles, 0.5), batched: quantile(batched, 0.5) };
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

function mib(bytes: number): number {
  return bytes / 2 ** 20;
}
