import { existsSync } from "node:fs";
import { z } from "zod";
import { createFaceAnalyzer } from "../analyzer.ts";
import type { AnalyzerConfig, DeepPartial } from "../config.ts";
import { BACKENDS } from "../runtime.ts";
import { evaluateDetection, type DetectionEvalReport } from "../eval/detection.ts";
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

const USAGE = `usage: npm run eval:detection -w @shelf/inference -- --data <dir> [options]

  --data <dir>          folder with annotations.json ({file: {width, height, boxes: [{x,y,w,h,ignore?}]}})
                        and the images it names
  --json                print the report as JSON
  --negatives <files>   comma-separated images in <dir> with no human face (e.g. dogs.jpg): every
                        detection there is a false positive
  --iou <t>             IoU a detection needs to count as a hit (default 0.4)
  --detector <kind>     tiny | ssd (default tiny)
  --input-size <px>     tiny detector input, longer side, multiple of 32 (default 800)
  --threshold <s>       detector score threshold 0..1 (default tiny 0.4, ssd 0.5)
  --compare             evaluate tiny at 320, 416, 608 and 800 px and ssd, one row each
  --backend <name>      tensorflow | wasm | cpu (default: first that starts, in that order)`;

const ZArgs = z
  .object({
    data: z
      .string({ error: "is required" })
      .min(1)
      .transform(userPath)
      .refine((dir) => existsSync(dir), { error: (issue) => `no such directory: ${String(issue.input)}` }),
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
    detector: z.enum(["tiny", "ssd"]).default("tiny"),
    "input-size": numberFlag(
      z.number().int().min(128).max(2048).multipleOf(32, "must be a multiple of 32"),
    ).optional(),
    threshold: numberFlag(z.number().min(0.05).max(0.99)).optional(),
    compare: z.boolean().default(false),
    backend: z.enum(BACKENDS).optional(),
  })
  .strict();
type Args = z.infer<typeof ZArgs>;

interface Row extends DetectionEvalReport {
  name: string;
}

await runCli(USAGE, async () => {
  const args = parseCliArgs(
    process.argv.slice(2),
    {
      data: { type: "string" },
      json: { type: "boolean" },
      negatives: { type: "string" },
      iou: { type: "string" },
      detector: { type: "string" },
      "input-size": { type: "string" },
      threshold: { type: "string" },
      compare: { type: "boolean" },
      backend: { type: "string" },
    },
    ZArgs,
  );
  const configs = args.compare ? compareSet(args) : [single(args)];
  const rows: Row[] = [];
  let backend = "none";
  for (const { name, detector } of configs) {
    // Detection quality only: the landmark stage does not change which boxes come out.
    const analyzer = createFaceAnalyzer(
      { ...(args.backend ? { backends: [args.backend] } : {}), landmarks: false, detector },
      { logger: stderrLogger },
    );
    await analyzer.load();
    await analyzer.warmup();
    backend = analyzer.backend;
    const report = await evaluateDetection(analyzer, args.data, {
      iouThreshold: args.iou,
      ...(args.negatives ? { negatives: args.negatives } : {}),
    });
    await analyzer.dispose();
    rows.push({ name, ...report });
  }
  const result = { backend, data: args.data, negatives: args.negatives ?? [], results: rows };
  emit(args.json, args.compare ? result : { ...result, ...rows[0] }, () =>
    [
      `IoU ≥ ${args.iou}; ${rows[0]!.images} images, ${rows[0]!.faces} faces; backend ${backend}`,
      "",
      formatTable(
        ["detector", "recall", "precision", "TP", "FP", "FN", "ms/image"],
        rows.map((r) => [r.name, pct(r.recall), pct(r.precision), r.tp, r.fp, r.fn, r.msPerImage.toFixed(1)]),
      ),
    ].join("\n"),
  );
});

type Detector = DeepPartial<AnalyzerConfig["detector"]>;

function single(args: Args): { name: string; detector: Detector } {
  if (args.detector === "ssd") {
    const minConfidence = args.threshold ?? 0.5;
    return { name: `ssd@${minConfidence}`, detector: { kind: "ssd", ssd: { minConfidence } } };
  }
  const inputSize = args["input-size"] ?? 800;
  const scoreThreshold = args.threshold ?? 0.4;
  return {
    name: `tiny-${inputSize}@${scoreThreshold}`,
    detector: { kind: "tiny", tiny: { inputSize, scoreThreshold } },
  };
}

function compareSet(args: Args): { name: string; detector: Detector }[] {
  const threshold = args.threshold;
  return [
    ...[320, 416, 608, 800].map((inputSize) =>
      single({ ...args, detector: "tiny", "input-size": inputSize, threshold }),
    ),
    single({ ...args, detector: "ssd", threshold }),
  ];
}
