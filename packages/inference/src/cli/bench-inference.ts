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
  --classification-only time only expression classification (skip detection timings and the soak)

Classification is timed for our ONNX model and the tfjs ensemble, mirror averaging on and off, in
batches of 1, 8 and 32 (ms per face, median). Frames are face-api's demo photos letterboxed to 640×480 and 1280×720 (as the demo camera sends them);
crops are 64 px grey faces cut from them. Run it on an otherwise idle machine.`;

const ZArgs = z
  .object({
    json: z.boolean().default(false),
    iterations: numberFlag(z.number().int().min(5).max(100_000)).default(60),
    frames: numberFlag(z.number().int().min(1).max(1_000_000)).default(2000),
    backend: z.enum(BACKENDS).optional(),
    "classification-only": z.boolean().default(false),
  })
  .strict();

const SIZES = [
  [640, 480],
  [1280, 720],
] as const;

const quiet = { info: () => undefined, warn: (msg: string) => stderrLogger.warn(msg) };

await runCli(USAGE, async () => {
  const args = parseCliArgs(
    process.argv.slice(2),
    {
      json: { type: "boolean" },
      iterations: { type: "string" },
      frames: { type: "string" },
      backend: { type: "string" },
      "classification-only": { type: "boolean" },
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
    const frames = await Promise.all(photos.map((p) => letterbox(p, w, h)));
    framesBySize[key] = frames;
    if (args["classification-only"]) continue;
    log(`detection on ${key}`);
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

  const crops = await facesOf(analyzer, framesBySize["1280x720"]!);
  const soakFramesCount = args["classification-only"] ? 0 : args.frames;
  log(`memory soak: ${soakFramesCount} frames of 640x480`);
  const soakFrames = framesBySize["640x480"]!;
  let soakFaces = 0;
  // RSS along the soak: a plateau is the wasm heap reaching its high-water mark (it never shrinks);
  // a leak keeps climbing.
  const rssDuringSoak: { frame: number; rssMiB: number }[] = [];
  const soakStarted = performance.now();
  for (let i = 0; i < soakFramesCount; i++) {
    const frame = soakFrames[i % soakFrames.length]!;
    const { faces } = await analyzer.detect(frame);
    // Every 20th frame also goes through classification, as a worker would see its crops.
    if (i % 20 === 0) {
      const ok = faces.filter((f) => f.quality.ok).map((f) => cropFace(frame, f.box));
      soakFaces += (await analyzer.classify(ok)).length;
    }
    if ((i + 1) % Math.max(1, Math.floor(soakFramesCount / 8)) === 0)
      rssDuringSoak.push({ frame: i + 1, rssMiB: Math.round(mib(process.memoryUsage().rss)) });
    if (!args.json && process.stderr.isTTY && i % 100 === 0) process.stderr.write(`\r${i}/${args.frames}`);
  }
  const soakSeconds = (performance.now() - soakStarted) / 1000;
  const rssAfterFrames = mib(process.memoryUsage().rss);
  const tensorsAfterFrames = analyzer.tensorCount();
  const { backend, backendNotes } = analyzer;
  await analyzer.dispose();

  // Each expression model and set of views on the same crops; one analyzer at a time.
  const classification: ClassificationTiming[] = [];
  let tensorsAfterDisposeAndReload = -1;
  const variants = [
    { model: "onnx", flip: true, tenCrop: false },
    { model: "onnx", flip: false, tenCrop: false },
    { model: "onnx", flip: true, tenCrop: true },
    { model: "ensemble", flip: true, tenCrop: false },
    { model: "ensemble", flip: false, tenCrop: false },
  ] as const;
  for (const { model, flip, tenCrop } of variants) {
    log(`classification: ${model}, ${tenCrop ? "ten-crop" : `mirror ${flip ? "on" : "off"}`}`);
    const a = createFaceAnalyzer({ ...backends, expression: { model, flip, tenCrop } }, { logger: quiet });
    await a.load();
    await a.warmup();
    // Equal to tensorsAfterLoad only if dispose() freed everything the first analyzer held.
    if (tensorsAfterDisposeAndReload < 0) tensorsAfterDisposeAndReload = a.tensorCount();
    classification.push({
      model: a.expressionModel,
      views: tenCrop ? "ten-crop" : flip ? "mirror" : "centre",
      ...(await timeClassify(a, crops, args.iterations)),
    });
    await a.dispose();
  }
  const defaultViews = analyzer.config.expression.flip ? "mirror" : "centre";
  const chosen = classification.find((c) => c.model.startsWith("onnx") && c.views === defaultViews);

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
    classificationMsPerFace: classification,
    framesPerSecond: Object.fromEntries(Object.entries(detection).map(([k, d]) => [k, 1000 / d.mean])),
    facesPerSecondBatch32: chosen ? 1000 / chosen.batch32 : undefined,
    soak: { frames: soakFramesCount, classifiedFaces: soakFaces, seconds: soakSeconds },
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
      ...(args["classification-only"]
        ? []
        : [
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
          ]),
      "",
      formatTable(
        [
          "expression model",
          "mirror",
          "ms/face (1)",
          "ms/face (batch 8)",
          "ms/face (batch 32)",
          "faces/s (32)",
        ],
        classification.map((c) => [
          c.model,
          c.views,
          c.single.toFixed(2),
          c.batch8.toFixed(2),
          c.batch32.toFixed(2),
          (1000 / c.batch32).toFixed(0),
        ]),
      ),
      "",
      formatTable(
        ["", "RSS MiB", "tensors"],
        [
          ["after load", rssAfterLoad.toFixed(0), tensorsAfterLoad],
          [`after ${soakFramesCount} frames`, rssAfterFrames.toFixed(0), tensorsAfterFrames],
          ["after dispose() and a fresh load", "", tensorsAfterDisposeAndReload],
        ],
      ),
      ...(soakFramesCount
        ? [`RSS during the soak (MiB): ${rssDuringSoak.map((r) => `${r.frame}: ${r.rssMiB}`).join(", ")}`]
        : []),
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

interface ClassificationTiming {
  model: string;
  /** Views averaged per face: centre only, centre + mirror, or ten-crop. */
  views: "centre" | "mirror" | "ten-crop";
  /** Median ms per face: one crop per call, and in batches of 8 and 32 (quality gate included). */
  single: number;
  batch8: number;
  batch32: number;
}

async function timeClassify(
  analyzer: FaceAnalyzer,
  crops: FaceCrop[],
  iterations: number,
): Promise<{ single: number; batch8: number; batch32: number }> {
  const perFace = async (size: number, rounds: number) => {
    const batch = Array.from({ length: size }, (_, i) => crops[i % crops.length]!);
    const times: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const started = performance.now();
      await analyzer.classify(batch);
      times.push((performance.now() - started) / size);
    }
    return quantile(times, 0.5);
  };
  return {
    single: await perFace(1, iterations),
    batch8: await perFace(8, Math.max(5, Math.ceil(iterations / 4))),
    batch32: await perFace(32, Math.max(3, Math.ceil(iterations / 10))),
  };
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
