import { execFile } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import sharp from "sharp";
import { z } from "zod";
import { planInput, sampleRegion } from "../blazeface.ts";
import { locateDataset } from "../datasets.ts";
import { readClipAnnotations } from "../eval/detection.ts";
import { pyramidRegions } from "../face-scan.ts";
import type { RgbFrame } from "../frame.ts";
import { createOnnxSession } from "../onnx-session.ts";
import { numberFlag, parseCliArgs, runCli, userPath } from "./cli-support.ts";

const USAGE = `usage: npm run -s calibrate:blazeface -w @shelf/inference -- --model <calib.onnx> --out <stats.json>

  Activation statistics for tools/quantize_qdq.py: runs a calibration copy of the BlazeFace graph (every
  activation exposed as an output: \`python3 tools/quantize_qdq.py expose\`) on real frames, each as the
  full-scan pyramid feeds it (every level), and writes per activation its min, max and a histogram.
  Frames: the shared store clips (../shared/datasets/store-video, decoded with ffmpeg into memory) — only
  frames the evaluation does NOT annotate — and face-api's demo photos (shrunk to 640 px wide).
  The JSON holds numbers only: no pixels.

  --model <file>     the calibration copy (.onnx)
  --out <file>       where to write the statistics (.json)
  --every <n>        take every n-th unannotated clip frame (default 4)
  --bins <n>         histogram bins (default 2048)`;

const ZArgs = z
  .object({
    model: z.string().min(1).transform(userPath),
    out: z.string().min(1).transform(userPath),
    every: numberFlag(z.number().int().min(1).max(100)).default(4),
    bins: numberFlag(z.number().int().min(64).max(65536)).default(2048),
  })
  .strict();

const run = promisify(execFile);

/** Every frame of a clip, RGB, decoded by ffmpeg into memory (frames in decode order, none duplicated). */
async function ffmpegFrames(file: string): Promise<RgbFrame[]> {
  const { width = 0, height = 0 } = await sharp(file).metadata();
  const { stdout } = await run(
    "ffmpeg",
    ["-v", "error", "-i", file, "-fps_mode", "passthrough", "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"],
    { encoding: "buffer", maxBuffer: 1 << 30 },
  );
  const size = width * height * 3;
  const frames: RgbFrame[] = [];
  for (let o = 0; o + size <= stdout.length; o += size)
    frames.push({ width, height, channels: 3, data: new Uint8Array(stdout.subarray(o, o + size)) });
  return frames;
}

async function photo(file: string): Promise<RgbFrame> {
  const { data, info } = await sharp(await readFile(file))
    .rotate()
    .resize({ width: 640 })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, channels: 3, data: new Uint8Array(data) };
}

await runCli(USAGE, async () => {
  const args = parseCliArgs(
    process.argv.slice(2),
    {
      model: { type: "string" },
      out: { type: "string" },
      every: { type: "string" },
      bins: { type: "string" },
    },
    ZArgs,
  );
  const frames: { name: string; frame: RgbFrame }[] = [];
  const video = locateDataset("store-video").dir;
  const annotations = await readClipAnnotations();
  for (const [clip, a] of Object.entries(annotations.clips)) {
    const all = await ffmpegFrames(path.join(video, clip));
    let k = 0;
    all.forEach((frame, i) => {
      if (a.frames[String(i + 1)]) return; // annotated: kept out of calibration
      if (k++ % args.every === 0) frames.push({ name: `${clip}#${i + 1}`, frame });
    });
  }
  const demo = path.resolve(import.meta.dirname, "../../../../node_modules/@vladmandic/face-api/demo");
  for (let i = 1; i <= 6; i++)
    frames.push({ name: `sample${i}.jpg`, frame: await photo(path.join(demo, `sample${i}.jpg`)) });

  const inputs: { dims: number[]; data: Uint8Array }[] = [];
  for (const { frame } of frames)
    for (const region of pyramidRegions(frame)) {
      const plan = planInput(frame, region);
      if (plan) inputs.push({ dims: [1, plan.netH, plan.netW, 3], data: sampleRegion(frame, plan) });
    }
  const { ort, session } = await createOnnxSession(args.model, { dynamicShapes: true });
  const names = session.outputNames.filter((n) => !n.startsWith("head_"));
  const min = new Map(names.map((n) => [n, Infinity]));
  const max = new Map(names.map((n) => [n, -Infinity]));
  const hist = new Map(names.map((n) => [n, new Float64Array(args.bins)]));
  const count = new Map(names.map((n) => [n, 0]));
  // Per channel (NCHW) too: what cross-layer equalisation in quantize_qdq.py --equalize needs.
  const chMin = new Map<string, Float64Array>();
  const chMax = new Map<string, Float64Array>();
  const runAll = async (visit: (name: string, v: Float32Array, dims: readonly number[]) => void) => {
    for (const { dims, data } of inputs) {
      const out = await session.run({ [session.inputNames[0]!]: new ort.Tensor("uint8", data, dims) });
      for (const n of names) visit(n, out[n]!.data as Float32Array, out[n]!.dims);
      for (const t of Object.values(out)) t.dispose();
    }
  };
  // Pass 1: ranges. Pass 2: histograms over them.
  await runAll((n, v, dims) => {
    let lo = min.get(n)!;
    let hi = max.get(n)!;
    for (const x of v) {
      if (x < lo) lo = x;
      if (x > hi) hi = x;
    }
    min.set(n, lo);
    max.set(n, hi);
    const channels = dims[1]!;
    const plane = v.length / channels;
    if (!chMin.has(n)) {
      chMin.set(n, new Float64Array(channels).fill(Infinity));
      chMax.set(n, new Float64Array(channels).fill(-Infinity));
    }
    const cmin = chMin.get(n)!;
    const cmax = chMax.get(n)!;
    for (let c = 0; c < channels; c++) {
      let a = cmin[c]!;
      let b = cmax[c]!;
      for (let i = c * plane; i < (c + 1) * plane; i++) {
        const x = v[i]!;
        if (x < a) a = x;
        if (x > b) b = x;
      }
      cmin[c] = a;
      cmax[c] = b;
    }
  });
  await runAll((n, v) => {
    const lo = min.get(n)!;
    const w = (max.get(n)! - lo) / args.bins || 1;
    const h = hist.get(n)!;
    for (const x of v) h[Math.min(args.bins - 1, Math.floor((x - lo) / w))]!++;
    count.set(n, count.get(n)! + v.length);
  });
  await session.release();
  const tensors = Object.fromEntries(
    names.map((n) => [
      n,
      {
        min: min.get(n)!,
        max: max.get(n)!,
        count: count.get(n)!,
        histMin: min.get(n)!,
        histMax: max.get(n)!,
        hist: [...hist.get(n)!],
        channelMin: [...chMin.get(n)!],
        channelMax: [...chMax.get(n)!],
      },
    ]),
  );
  await writeFile(
    args.out,
    JSON.stringify({
      about:
        "BlazeFace activation statistics for tools/quantize_qdq.py (npm run calibrate:blazeface): numbers only, no pixels",
      frames: frames.map((f) => f.name),
      inputs: inputs.length,
      tensors,
    }),
  );
  process.stderr.write(
    `${frames.length} frames, ${inputs.length} network inputs, ${names.length} activations → ${args.out}\n`,
  );
});
