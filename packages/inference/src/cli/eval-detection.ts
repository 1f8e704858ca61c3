import { existsSync, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { createFaceAnalyzer, type FaceAnalyzer } from "../analyzer.ts";
import type { AnalyzerConfig, DeepPartial } from "../config.ts";
import { BACKENDS } from "../runtime.ts";
import {
  clipItems,
  combineReports,
  decodeGifFrame,
  evaluateSequence,
  evaluateStills,
  faceBoxItems,
  folderSequence,
  frameCount,
  readClipAnnotations,
  gifFps,
  standardSets,
  type DetectionEvalReport,
} from "../eval/detection.ts";
import { decodeImage } from "../frame.ts";
import {
  emit,
  formatTable,
  numberFlag,
  parseCliArgs,
  pct,
  runCli,
  stderrLogger,
  userPath,
} from "./cli-support.ts";

const USAGE = `usage: npm run eval:detection -w @shelf/inference -- [options]

  With no --data: every annotated set — face-boxes (../shared/datasets/face-boxes plus
  eval-data/face-boxes-supplement.json; dogs.jpg, a negative, on its own row) and each store clip (../shared/datasets/store-video, annotated
  in eval-data/store-video-faces.json) as still frames AND as a sequence through the agent's FaceScanner.

  --data <dir>          a face-boxes-style folder (annotations.json + images) instead of the sets
  --negatives <files>   comma-separated images in <dir> with no human face (default for face-boxes: dogs.jpg)
  --sequence <path>     one clip (.gif, annotated in eval-data) or a folder of frames sorted by name (with an
                        annotations.json) through the FaceScanner, as the agent runs
  --fps <n>             capture rate of a --sequence folder (default 10)
  --full-scan-ms <ms>   sequences: the FaceScanner's full-scan period, ms of capture time (default 2000)
  --fine-scan-every <n> sequences: the periodic full scan includes the finest level every n-th time (default 2)
  --json                print the report as JSON
  --iou <t>             IoU a detection needs to count as a hit (default 0.4)
  --detector <kind>     blazeface | tiny | ssd (default blazeface)
  --threshold <s>       detector score threshold 0..1 (default: the analyzer's)
  --input-size <px>     tiny detector input, longer side, multiple of 32 (default 800)
  --min-face <px>       blazeface: smallest face of a full scan (default 16)
  --blazeface-model <f> blazeface: another ONNX file of the same network (e.g. models/blazeface-back-int8.onnx)
  --compare             one row per configuration: blazeface, tiny at 320/416/608/800, ssd (stills)
  --backend <name>      tfjs backend for tiny/ssd: tensorflow | wasm | cpu`;

const ZArgs = z
  .object({
    data: z
      .string()
      .min(1)
      .transform(userPath)
      .refine((dir) => existsSync(dir), { error: (issue) => `no such directory: ${String(issue.input)}` })
      .optional(),
    sequence: z
      .string()
      .min(1)
      .transform(userPath)
      .refine((p) => existsSync(p), { error: (issue) => `no such file or folder: ${String(issue.input)}` })
      .optional(),
    fps: numberFlag(z.number().positive().max(120)).default(10),
    "full-scan-ms": numberFlag(z.number().min(0).max(600_000)).optional(),
    "fine-scan-every": numberFlag(z.number().int().min(1).max(100)).optional(),
    json: z.boolean().default(false),
    negatives: z
      .string()
      .transform((s) =>
        s
          .split(",")
          .map((f) => f.trim())
          .filter(Boolean),
      )
      .optional(),
    iou: numberFlag(z.number().gt(0).max(1)).default(0.4),
    detector: z.enum(["blazeface", "tiny", "ssd"]).default("blazeface"),
    "input-size": numberFlag(
      z.number().int().min(128).max(2048).multipleOf(32, "must be a multiple of 32"),
    ).optional(),
    "min-face": numberFlag(z.number().min(4).max(512)).optional(),
    "blazeface-model": z
      .string()
      .min(1)
      .transform(userPath)
      .refine((p) => existsSync(p), { error: (issue) => `no such file: ${String(issue.input)}` })
      .optional(),
    threshold: numberFlag(z.number().min(0.05).max(0.99)).optional(),
    compare: z.boolean().default(false),
    backend: z.enum(BACKENDS).optional(),
  })
  .strict();
type Args = z.infer<typeof ZArgs>;
type Detector = DeepPartial<AnalyzerConfig["detector"]>;

interface Row extends DetectionEvalReport {
  config: string;
  mode: "stills" | "sequence";
}

await runCli(USAGE, async () => {
  const args = parseCliArgs(
    process.argv.slice(2),
    {
      data: { type: "string" },
      sequence: { type: "string" },
      fps: { type: "string" },
      "full-scan-ms": { type: "string" },
      "fine-scan-every": { type: "string" },
      json: { type: "boolean" },
      negatives: { type: "string" },
      iou: { type: "string" },
      detector: { type: "string" },
      "input-size": { type: "string" },
      "min-face": { type: "string" },
      "blazeface-model": { type: "string" },
      threshold: { type: "string" },
      compare: { type: "boolean" },
      backend: { type: "string" },
    },
    ZArgs,
  );
  const configs = args.compare ? compareSet(args) : [single(args)];
  const rows: Row[] = [];
  for (const { name, detector } of configs) {
    // Detection quality only: frontality does not change which boxes come out.
    const analyzer = createFaceAnalyzer(
      {
        ...(args.backend ? { backends: [args.backend] } : {}),
        ...(args["blazeface-model"] ? { models: { blazefaceOnnx: args["blazeface-model"] } } : {}),
        landmarks: false,
        expression: { model: "none" },
        detector,
      },
      { logger: stderrLogger },
    );
    await analyzer.load();
    await analyzer.warmup();
    const opts = {
      iouThreshold: args.iou,
      detect: { boxesOnly: true },
      scanner: {
        ...(args["full-scan-ms"] === undefined ? {} : { fullScanMs: args["full-scan-ms"] }),
        ...(args["fine-scan-every"] === undefined ? {} : { fineScanEvery: args["fine-scan-every"] }),
      },
    };
    const push = (r: DetectionEvalReport, mode: Row["mode"]) => rows.push({ config: name, mode, ...r });
    if (args.sequence) push(await sequenceOf(analyzer, args, opts), "sequence");
    else if (args.data)
      push(
        await evaluateStills(
          analyzer,
          path.basename(args.data),
          await faceBoxItems(args.data, { negatives: args.negatives ?? [] }),
          opts,
        ),
        "stills",
      );
    else {
      const sets = await standardSets({ negatives: args.negatives });
      for (const [set, items] of sets.stills)
        push(await evaluateStills(analyzer, set, items, opts), "stills");
      const clips = rows.filter((r) => r.config === name && r.set.endsWith(".gif"));
      push(combineReports("store-video (all clips)", clips), "stills");
      // The agent's way (FaceScanner over every frame) only for the detector that supports regions.
      if (analyzer.detector.startsWith("onnx:")) {
        const seq: DetectionEvalReport[] = [];
        for (const clip of sets.clips) {
          const r = await evaluateSequence(analyzer, clip.name, clip.frames, clip.annotated, opts);
          seq.push(r);
          push(r, "sequence");
        }
        push(combineReports("store-video (all clips)", seq), "sequence");
      }
    }
    rows.forEach((r) => (r.config === name ? (r.config = `${name} [${analyzer.detector}]`) : undefined));
    await analyzer.dispose();
  }
  emit(args.json, { iouThreshold: args.iou, results: rows }, () =>
    [
      `IoU ≥ ${args.iou}. Recall per face size (px, shorter side): <24, 24-48, 48-96, >96 ("-": none in the set).`,
      `spec R / P: recall and precision on the faces the detector is specified for (16 px to half the frame height; others ignored).`,
      `ms: detector time per image (stills) or per analysed frame (sequence), this machine, one thread.`,
      "",
      formatTable(
        [
          "config",
          "set",
          "mode",
          "faces",
          "recall",
          "precision",
          "spec R",
          "spec P",
          "TP",
          "FP",
          "FN",
          "ign",
          "<24",
          "24-48",
          "48-96",
          ">96",
          "ms",
        ],
        rows.map((r) => [
          r.config,
          r.set,
          r.mode,
          r.faces,
          pct(r.recall),
          pct(r.precision),
          pct(r.inSpec.recall),
          pct(r.inSpec.precision),
          r.tp,
          r.fp,
          r.fn,
          r.ignored,
          ...r.buckets.map((b) => (b.faces ? pct(b.recall, 0) : "-")),
          r.msPerImage.toFixed(1),
        ]),
      ),
    ].join("\n"),
  );
});

async function sequenceOf(
  analyzer: FaceAnalyzer,
  args: Args,
  opts: Parameters<typeof evaluateSequence>[4],
): Promise<DetectionEvalReport> {
  const p = args.sequence!;
  if (statSync(p).isDirectory()) {
    const { files, annotated } = await folderSequence(p);
    return evaluateSequence(
      analyzer,
      path.basename(p),
      {
        count: files.length,
        fps: args.fps,
        load: async (n) => decodeImage(await readFile(path.join(p, files[n - 1]!))),
      },
      annotated,
      opts,
    );
  }
  const clip = path.basename(p);
  const items = await clipItems(path.dirname(p), clip, await readClipAnnotations());
  return evaluateSequence(
    analyzer,
    clip,
    { count: await frameCount(p), fps: await gifFps(p), load: (n) => decodeGifFrame(p, n) },
    new Map(items.map((it) => [Number(it.name.split("#")[1]), it])),
    opts,
  );
}

function single(args: Args): { name: string; detector: Detector } {
  if (args.detector === "ssd") {
    const minConfidence = args.threshold ?? 0.5;
    return { name: `ssd@${minConfidence}`, detector: { kind: "ssd", ssd: { minConfidence } } };
  }
  if (args.detector === "tiny") {
    const inputSize = args["input-size"] ?? 800;
    const scoreThreshold = args.threshold ?? 0.4;
    return {
      name: `tiny-${inputSize}@${scoreThreshold}`,
      detector: { kind: "tiny", tiny: { inputSize, scoreThreshold } },
    };
  }
  const blazeface = {
    ...(args.threshold === undefined ? {} : { minScore: args.threshold }),
    ...(args["min-face"] === undefined ? {} : { minFacePx: args["min-face"] }),
  };
  return {
    name: `blazeface${args.threshold === undefined ? "" : `@${args.threshold}`}`,
    detector: { kind: "blazeface", blazeface },
  };
}

function compareSet(args: Args): { name: string; detector: Detector }[] {
  return [
    single({ ...args, detector: "blazeface" }),
    ...[320, 416, 608, 800].map((inputSize) =>
      single({ ...args, detector: "tiny", "input-size": inputSize, threshold: undefined }),
    ),
    single({ ...args, detector: "ssd", threshold: undefined }),
  ];
}
