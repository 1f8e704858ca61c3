import { createHash } from "node:crypto";
import { readdir } from "node:fs/promises";
import path from "node:path";
import sharp from "sharp";
import { EXPRESSIONS, MAX_CROP_SIDE } from "@shelf/core";
import type { FaceAnalyzer } from "../analyzer.ts";
import { InferenceInputError } from "../errors.ts";
import type { FaceCrop } from "../frame.ts";
import { classificationMetrics, type ClassificationMetrics } from "./metrics.ts";

const IMAGE_FILE = /\.(png|jpe?g|webp|bmp|gif)$/i;

export interface ExpressionEvalReport extends ClassificationMetrics {
  labels: string[];
  /** How often each abstention code came up (too-small, too-blurred, flat, …). */
  unknownReasons: Record<string, number>;
  /** Wall time per image for classification only (decoding excluded), ms. */
  msPerImage: number;
  /**
   * With `opts.trainingPixels`: the same metrics without the test images whose pixels equal a training image
   * (FER-2013 PublicTest has 280 such duplicates; a model trained on them scores ~95 % there).
   */
  withoutDuplicates?: ClassificationMetrics & { duplicates: number };
}

/** Pixel fingerprints of every image of a `<label>/*` folder tree, as `readCrop` decodes them. */
export async function pixelFingerprints(dir: string): Promise<Set<string>> {
  const seen = new Set<string>();
  for (const s of await listSamples(dir)) seen.add(fingerprint(await readCrop(s.file)));
  return seen;
}

function fingerprint(crop: FaceCrop): string {
  return createHash("sha1").update(crop.data).digest("hex");
}

/**
 * Classifies every image of a folder laid out as `<dir>/<label>/*.png` (FER-2013's image-folder layout,
 * labels = {@link EXPRESSIONS}) and scores the predictions. Images are used whole as face crops, grey,
 * shrunk to at most MAX_CROP_SIDE px; they are read in place and never copied.
 *
 * @param opts.limit - use only every k-th image of each class so that about `limit` images are scored
 *   (quick runs); default all.
 * @throws InferenceInputError when the folder has no label folders or an unknown label.
 */
export async function evaluateExpressions(
  analyzer: FaceAnalyzer,
  dir: string,
  opts: {
    limit?: number;
    batchSize?: number;
    onProgress?: (done: number, total: number) => void;
    /** Fingerprints of training images (see `pixelFingerprints`): also report without those duplicates. */
    trainingPixels?: Set<string>;
  } = {},
): Promise<ExpressionEvalReport> {
  const samples = await listSamples(dir);
  const stride = opts.limit && opts.limit < samples.length ? samples.length / opts.limit : 1;
  const chosen = stride > 1 ? samples.filter((_, i) => Math.floor(i % stride) === 0) : samples;
  const truth: number[] = [];
  const predicted: number[] = [];
  const unknownReasons: Record<string, number> = {};
  const duplicate: boolean[] = [];
  const batchSize = opts.batchSize ?? 64;
  let classifyMs = 0;
  for (let i = 0; i < chosen.length; i += batchSize) {
    const batch = chosen.slice(i, i + batchSize);
    const crops = await Promise.all(batch.map((s) => readCrop(s.file)));
    if (opts.trainingPixels) for (const c of crops) duplicate.push(opts.trainingPixels.has(fingerprint(c)));
    const started = performance.now();
    const results = await analyzer.classify(crops);
    classifyMs += performance.now() - started;
    results.forEach((r, k) => {
      truth.push(batch[k]!.label);
      if (r.status === "ok") predicted.push(EXPRESSIONS.indexOf(r.dominant));
      else {
        predicted.push(-1);
        const code = r.reason.split(":")[0]!;
        unknownReasons[code] = (unknownReasons[code] ?? 0) + 1;
      }
    });
    opts.onProgress?.(Math.min(i + batchSize, chosen.length), chosen.length);
  }
  const keep = (_: number, i: number) => !duplicate[i];
  return {
    labels: [...EXPRESSIONS],
    ...classificationMetrics(EXPRESSIONS, truth, predicted),
    unknownReasons,
    msPerImage: chosen.length ? classifyMs / chosen.length : 0,
    ...(opts.trainingPixels && {
      withoutDuplicates: {
        ...classificationMetrics(EXPRESSIONS, truth.filter(keep), predicted.filter(keep)),
        duplicates: duplicate.filter(Boolean).length,
      },
    }),
  };
}

async function listSamples(dir: string): Promise<{ label: number; file: string }[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    throw new InferenceInputError(`cannot read ${dir}: ${String(err)}`, { cause: err });
  }
  const folders = entries.filter((e) => e.isDirectory()).map((e) => e.name);
  const unknown = folders.filter((f) => !(EXPRESSIONS as readonly string[]).includes(f));
  if (unknown.length)
    throw new InferenceInputError(
      `${dir}: unknown label folder(s) ${unknown.join(", ")}; expected some of ${EXPRESSIONS.join(", ")}`,
    );
  if (!folders.length)
    throw new InferenceInputError(`${dir} has no <label>/ folders (${EXPRESSIONS.join(", ")})`);
  const samples: { label: number; file: string }[] = [];
  for (const [label, name] of EXPRESSIONS.entries()) {
    if (!folders.includes(name)) continue;
    const files = (await readdir(path.join(dir, name))).filter((f) => IMAGE_FILE.test(f)).sort();
    for (const f of files) samples.push({ label, file: path.join(dir, name, f) });
  }
  if (!samples.length) throw new InferenceInputError(`${dir} has no images in its label folders`);
  return samples;
}

async function readCrop(file: string): Promise<FaceCrop> {
  const { data, info } = await sharp(file)
    .greyscale()
    .resize({ width: MAX_CROP_SIDE, height: MAX_CROP_SIDE, fit: "inside", withoutEnlargement: true })
    .extractChannel(0)
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, channels: 1, data: new Uint8Array(data) };
}
