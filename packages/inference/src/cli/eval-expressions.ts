import { existsSync } from "node:fs";
import { z } from "zod";
import { createFaceAnalyzer } from "../analyzer.ts";
import { BACKENDS } from "../runtime.ts";
import { evaluateExpressions, pixelFingerprints, type ExpressionEvalReport } from "../eval/expressions.ts";
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

const USAGE = `usage: npm run eval:expressions -w @shelf/inference -- --data <dir> [options]

  --data <dir>          folder of <label>/*.png (FER-2013 image-folder layout; labels:
                        angry disgust fear happy sad surprise neutral)
  --json                print the report as JSON
  --limit <n>           score only about n images, spread over every class (quick check)
  --model <m>           onnx (default: our own model on ONNX Runtime) | ensemble (tfjs models)
  --onnx <file>         another ONNX expression model (default: the shipped models/fer-vgg-s.onnx)
  --train <dir>         training images in the same layout: also report accuracy without test
                        images whose pixels equal a training image (FER-2013 has 280)
  --ten-crop            onnx only: average ten views (centre + four corners, each mirrored)
  --human-weight <w>    ensemble only: weight 0..1 of Human's emotion model (default 0.7)
  --no-flip             do not also classify mirrored crops
  --backend <name>      tensorflow | wasm | cpu (default: first that starts, in that order)`;

const ZArgs = z
  .object({
    data: z
      .string({ error: "is required" })
      .min(1)
      .transform(userPath)
      .refine((dir) => existsSync(dir), { error: (issue) => `no such directory: ${String(issue.input)}` }),
    json: z.boolean().default(false),
    limit: numberFlag(z.number().int().min(1)).optional(),
    model: z.enum(["onnx", "ensemble"]).default("onnx"),
    onnx: z
      .string()
      .min(1)
      .transform(userPath)
      .refine((f) => existsSync(f), { error: (issue) => `no such file: ${String(issue.input)}` })
      .optional(),
    train: z
      .string()
      .min(1)
      .transform(userPath)
      .refine((dir) => existsSync(dir), { error: (issue) => `no such directory: ${String(issue.input)}` })
      .optional(),
    "human-weight": numberFlag(z.number().min(0).max(1)).optional(),
    "no-flip": z.boolean().default(false),
    "ten-crop": z.boolean().default(false),
    backend: z.enum(BACKENDS).optional(),
  })
  .strict();

await runCli(USAGE, async () => {
  const args = parseCliArgs(
    process.argv.slice(2),
    {
      data: { type: "string" },
      json: { type: "boolean" },
      limit: { type: "string" },
      model: { type: "string" },
      onnx: { type: "string" },
      train: { type: "string" },
      "human-weight": { type: "string" },
      "no-flip": { type: "boolean" },
      "ten-crop": { type: "boolean" },
      backend: { type: "string" },
    },
    ZArgs,
  );
  const analyzer = createFaceAnalyzer(
    {
      ...(args.backend ? { backends: [args.backend] } : {}),
      landmarks: false,
      ...(args.onnx ? { models: { expressionOnnx: args.onnx } } : {}),
      expression: {
        model: args.model,
        ...(args["human-weight"] !== undefined ? { humanWeight: args["human-weight"] } : {}),
        flip: !args["no-flip"],
        tenCrop: args["ten-crop"],
      },
    },
    { logger: stderrLogger },
  );
  await analyzer.load();
  await analyzer.warmup();
  const trainingPixels = args.train ? await pixelFingerprints(args.train) : undefined;
  const report = await evaluateExpressions(analyzer, args.data, {
    ...(args.limit ? { limit: args.limit } : {}),
    ...(trainingPixels ? { trainingPixels } : {}),
    onProgress: (done, total) => {
      if (!args.json && process.stderr.isTTY) process.stderr.write(`\r${done}/${total}`);
    },
  });
  if (!args.json && process.stderr.isTTY) process.stderr.write("\n");
  const result = {
    backend: analyzer.backend,
    model: analyzer.expressionModel,
    data: args.data,
    config: analyzer.config.expression,
    ...report,
  };
  await analyzer.dispose();
  emit(args.json, result, () => render(result));
});

function render(
  r: ExpressionEvalReport & {
    backend: string;
    model: string;
    config: { humanWeight: number; flip: boolean; tenCrop: boolean };
  },
): string {
  const summary = formatTable(
    ["n", "accuracy", "macro-F1", "coverage", "acc. on classified", "ms/image", "backend"],
    [
      [
        r.n,
        pct(r.accuracy, 2),
        r.macroF1.toFixed(4),
        pct(r.coverage, 2),
        pct(r.accuracyOnClassified, 2),
        r.msPerImage.toFixed(1),
        r.backend,
      ],
    ],
  );
  const perClass = formatTable(
    ["class", "n", "recall", "precision", "F1"],
    r.labels.map((l) => {
      const c = r.perClass[l]!;
      return [l, c.n, pct(c.recall), pct(c.precision), c.f1.toFixed(3)];
    }),
  );
  const confusion = formatTable(
    ["true \\ predicted", ...r.labels, "unknown"],
    r.labels.map((l, i) => [l, ...r.confusion[i]!]),
  );
  const unknown = Object.entries(r.unknownReasons)
    .map(([k, v]) => `${k} ${v}`)
    .join(", ");
  const model = r.model.startsWith("tfjs")
    ? `ensemble: Human weight ${r.config.humanWeight}, face-api ${(1 - r.config.humanWeight).toFixed(2)}`
    : `model: ${r.model}`;
  const clean = r.withoutDuplicates
    ? `without the ${r.withoutDuplicates.duplicates} test images that duplicate training images: n ${r.withoutDuplicates.n}, accuracy ${pct(r.withoutDuplicates.accuracy, 2)}, macro-F1 ${r.withoutDuplicates.macroF1.toFixed(4)}`
    : undefined;
  return [
    `${model}, ${r.config.tenCrop ? "ten-crop" : `mirror ${r.config.flip ? "on" : "off"}`}`,
    "",
    summary,
    ...(clean ? [clean] : []),
    "",
    perClass,
    "",
    confusion,
    "",
    `unknown (not classified): ${unknown || "none"} — counted as errors in accuracy`,
  ].join("\n");
}
