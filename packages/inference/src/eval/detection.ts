import { readFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import type { FaceAnalyzer } from "../analyzer.ts";
import { InferenceInputError } from "../errors.ts";
import { matchDetections } from "./metrics.ts";

/** `annotations.json`: per image file, its size and face boxes (FramePx). */
export const ZFaceBoxAnnotations = z.record(
  z.string().min(1),
  z.object({
    width: z.number().int().positive(),
    height: z.number().int().positive(),
    boxes: z.array(
      z.object({
        x: z.number(),
        y: z.number(),
        w: z.number().positive(),
        h: z.number().positive(),
        ignore: z.boolean().optional(),
      }),
    ),
  }),
);

export interface DetectionEvalReport {
  iouThreshold: number;
  images: number;
  /** Faces to find (ignored boxes excluded). */
  faces: number;
  detections: number;
  tp: number;
  fp: number;
  fn: number;
  recall: number;
  precision: number;
  /** Mean detector time per image (timings.detect: decode and quality gate excluded), ms. */
  msPerImage: number;
  perImage: { file: string; faces: number; tp: number; fp: number; fn: number }[];
}

/**
 * Runs the analyzer's detector over a folder with `annotations.json` and scores it at an IoU threshold.
 *
 * @param opts.negatives - image files in `dir` known to hold no human face: every detection there is a
 *   false positive (face-boxes ships `dogs.jpg` for this).
 * @param opts.iouThreshold - default 0.4.
 */
export async function evaluateDetection(
  analyzer: FaceAnalyzer,
  dir: string,
  opts: { iouThreshold?: number; negatives?: readonly string[] } = {},
): Promise<DetectionEvalReport> {
  const iouThreshold = opts.iouThreshold ?? 0.4;
  const annotationsFile = path.join(dir, "annotations.json");
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(annotationsFile, "utf8"));
  } catch (err) {
    throw new InferenceInputError(`cannot read ${annotationsFile}: ${String(err)}`, { cause: err });
  }
  const parsed = ZFaceBoxAnnotations.safeParse(raw);
  if (!parsed.success)
    throw new InferenceInputError(
      `${annotationsFile}: ${parsed.error.issues[0]?.path.join(".")} ${parsed.error.issues[0]?.message}`,
    );
  const work = [
    ...Object.entries(parsed.data).map(([file, a]) => ({ file, boxes: a.boxes })),
    ...(opts.negatives ?? []).map((file) => ({ file, boxes: [] })),
  ];
  const report: DetectionEvalReport = {
    iouThreshold,
    images: work.length,
    faces: 0,
    detections: 0,
    tp: 0,
    fp: 0,
    fn: 0,
    recall: 0,
    precision: 0,
    msPerImage: 0,
    perImage: [],
  };
  let detectMs = 0;
  for (const { file, boxes } of work) {
    let image: Uint8Array;
    try {
      image = await readFile(path.join(dir, file));
    } catch (err) {
      throw new InferenceInputError(`cannot read ${path.join(dir, file)}: ${String(err)}`, { cause: err });
    }
    const { faces, timings } = await analyzer.detect(image);
    detectMs += timings.detect ?? 0;
    const m = matchDetections(boxes, faces, iouThreshold);
    const wanted = boxes.filter((b) => !b.ignore).length;
    report.faces += wanted;
    report.detections += faces.length;
    report.tp += m.tp;
    report.fp += m.fp;
    report.fn += m.fn;
    report.perImage.push({ file, faces: wanted, ...m });
  }
  report.recall = report.faces ? report.tp / report.faces : 0;
  report.precision = report.tp + report.fp ? report.tp / (report.tp + report.fp) : 1;
  report.msPerImage = work.length ? detectMs / work.length : 0;
  return report;
}
