import { readFile } from "node:fs/promises";
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import sharp from "sharp";
import { z } from "zod";
import type { DetectOptions, DetectResult, FaceAnalyzer } from "../analyzer.ts";
import { InferenceInputError } from "../errors.ts";
import { FaceScanner, type FaceScannerOptions, type ScanMode } from "../face-scanner.ts";
import { decodeImage, type RgbFrame } from "../frame.ts";
import { locateDataset } from "../datasets.ts";
import { matchDetections, type GroundTruthBox } from "./metrics.ts";

const ZBox = z.object({
  x: z.number(),
  y: z.number(),
  w: z.number().positive(),
  h: z.number().positive(),
  ignore: z.boolean().optional(),
});

/** `annotations.json` (face-boxes format): per image file, its size and face boxes (FramePx). */
export const ZFaceBoxAnnotations = z.record(
  z.string().min(1),
  z.object({ width: z.number().int().positive(), height: z.number().int().positive(), boxes: z.array(ZBox) }),
);

/**
 * The project's own annotations of the shared store clips (`eval-data/store-video-faces.json`): per clip, per
 * annotated frame (1-based decode order), faces and ignore regions.
 */
export const ZClipAnnotations = z.object({
  about: z.string(),
  clips: z.record(
    z.string().min(1),
    z.object({
      width: z.number().int().positive(),
      height: z.number().int().positive(),
      frames: z.record(
        z.string().regex(/^\d+$/, "frame numbers are 1-based integers"),
        z.object({ faces: z.array(ZBox), ignore: z.array(ZBox.extend({ why: z.string().optional() })) }),
      ),
    }),
  ),
});
export type ClipAnnotations = z.infer<typeof ZClipAnnotations>;

/** Faces the face-boxes annotation leaves out, found while evaluating (`eval-data/face-boxes-supplement.json`). */
export const ZFaceBoxSupplement = z.object({
  about: z.string(),
  images: z.record(z.string().min(1), z.array(ZBox.extend({ why: z.string() }))),
});

const EVAL_DATA = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "eval-data");
export const STORE_VIDEO_ANNOTATIONS = path.join(EVAL_DATA, "store-video-faces.json");
export const FACE_BOXES_SUPPLEMENT = path.join(EVAL_DATA, "face-boxes-supplement.json");

/** Face-size buckets of the report, px (shorter side of the annotated box). */
export const SIZE_BUCKETS = [
  { name: "<24", min: 0, max: 24 },
  { name: "24-48", min: 24, max: 48 },
  { name: "48-96", min: 48, max: 96 },
  { name: ">96", min: 96, max: Number.POSITIVE_INFINITY },
] as const;

/**
 * The face sizes the default detector is specified for (issue "Faces at every scale": 16 px up to half the frame
 * height, shorter side of the annotated box). Annotated faces outside it (the walking clip's 12–15 px ones) still
 * count in `recall`; `inSpec` leaves them out.
 */
export const SPEC_RANGE = { minPx: 16, maxFrameHeightShare: 0.5 } as const;

export interface Counts {
  faces: number;
  tp: number;
  fp: number;
  fn: number;
  /** Detections inside ignore regions (heads from behind, unannotated faces): counted in neither. */
  ignored: number;
  recall: number;
  precision: number;
}

export interface DetectionEvalReport extends Counts {
  set: string;
  iouThreshold: number;
  images: number;
  detections: number;
  /** Mean detector time per image (timings.detect: decode and quality gate excluded), ms. */
  msPerImage: number;
  /** Recall per face size: faces, found. Precision has no size (a false positive matches no face). */
  buckets: { name: string; faces: number; tp: number; recall: number }[];
  /**
   * The detector's specified range only ({@link SPEC_RANGE}: faces of 16 px to half the frame's height): recall
   * and precision with the faces outside it treated as ignore regions (neither missed nor false when found).
   */
  inSpec: { faces: number; tp: number; fp: number; recall: number; precision: number };
  /** Sequence runs only: how often each scan mode ran. */
  modes?: Record<ScanMode, number>;
  perImage: { file: string; faces: number; tp: number; fp: number; fn: number; ignored: number }[];
}

/** One annotated image: where it comes from and what is in it. */
export interface EvalItem {
  name: string;
  load(): Promise<RgbFrame>;
  boxes: GroundTruthBox[];
}

/** face-boxes-style folder: the annotated images, then the negatives (no face: every detection counts). */
export async function faceBoxItems(
  dir: string,
  opts: { negatives?: readonly string[]; supplement?: boolean } = {},
): Promise<EvalItem[]> {
  const annotationsFile = path.join(dir, "annotations.json");
  const annotations = await readJson(annotationsFile, ZFaceBoxAnnotations);
  const extra =
    opts.supplement && existsSync(FACE_BOXES_SUPPLEMENT)
      ? (await readJson(FACE_BOXES_SUPPLEMENT, ZFaceBoxSupplement)).images
      : {};
  const item = (file: string, boxes: GroundTruthBox[]): EvalItem => ({
    name: file,
    boxes: [...boxes, ...(extra[file] ?? []).map((b) => ({ ...b, ignore: true }))],
    load: async () => decodeImage(await readImage(path.join(dir, file))),
  });
  return [
    ...Object.entries(annotations).map(([file, a]) => item(file, a.boxes)),
    ...(opts.negatives ?? []).map((file) => item(file, [])),
  ];
}

/**
 * face-boxes rotated by `degrees` (clockwise, the canvas grown to hold it, new corners mid grey): head roll.
 * Each face box becomes the box of the same size around its rotated centre — a rolled face's brow-to-chin
 * box, not the larger axis-aligned hull of the rotated square.
 */
export function rotateItems(items: readonly EvalItem[], degrees: number): EvalItem[] {
  const a = (degrees * Math.PI) / 180;
  const cos = Math.cos(a);
  const sin = Math.sin(a);
  return items.map((item): EvalItem => ({
    name: `${item.name}@${degrees}°`,
    boxes: [] as GroundTruthBox[],
    async load() {
      const frame = await item.load();
      const { data, info } = await sharp(frame.data, {
        raw: { width: frame.width, height: frame.height, channels: 3 },
      })
        .rotate(degrees, { background: { r: 128, g: 128, b: 128 } })
        .removeAlpha()
        .raw()
        .toBuffer({ resolveWithObject: true });
      // Where each face went: rotate its centre about the image centre, then shift to the grown canvas.
      const [cx, cy, ncx, ncy] = [frame.width / 2, frame.height / 2, info.width / 2, info.height / 2];
      this.boxes = item.boxes.map((b) => {
        const dx = b.x + b.w / 2 - cx;
        const dy = b.y + b.h / 2 - cy;
        const x = ncx + dx * cos - dy * sin;
        const y = ncy + dx * sin + dy * cos;
        return { ...b, x: x - b.w / 2, y: y - b.h / 2 };
      });
      return { width: info.width, height: info.height, channels: 3, data: new Uint8Array(data) };
    },
  }));
}

/** The annotated frames of one store clip, decoded with sharp (the same pixels ffmpeg decodes: tested). */
export async function clipItems(
  videoDir: string,
  clip: string,
  annotations: ClipAnnotations,
): Promise<EvalItem[]> {
  const a = annotations.clips[clip];
  if (!a) throw new InferenceInputError(`no annotations for clip ${clip}`);
  const file = path.join(videoDir, clip);
  return Object.entries(a.frames)
    .sort(([p], [q]) => Number(p) - Number(q))
    .map(([n, f]) => ({
      name: `${clip}#${n}`,
      boxes: [...f.faces, ...f.ignore.map((b) => ({ ...b, ignore: true }))],
      load: () => decodeGifFrame(file, Number(n)),
    }));
}

export async function readClipAnnotations(file = STORE_VIDEO_ANNOTATIONS): Promise<ClipAnnotations> {
  return readJson(file, ZClipAnnotations);
}

/** Frame n (1-based) of an animated image, RGB. */
export async function decodeGifFrame(file: string, n: number): Promise<RgbFrame> {
  const { data, info } = await sharp(file, { page: n - 1 })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, channels: 3, data: new Uint8Array(data) };
}

/** Number of frames in an animated image. */
export async function frameCount(file: string): Promise<number> {
  return (await sharp(file).metadata()).pages ?? 1;
}

/**
 * Scores still images: each is detected on its own (a full scan), matched at `iouThreshold`.
 */
export async function evaluateStills(
  analyzer: Pick<FaceAnalyzer, "detect">,
  set: string,
  items: readonly EvalItem[],
  opts: { iouThreshold?: number; detect?: DetectOptions } = {},
): Promise<DetectionEvalReport> {
  const report = emptyReport(set, opts.iouThreshold ?? 0.4);
  for (const item of items) {
    const result = await analyzer.detect(await item.load(), opts.detect);
    addImage(report, item, result);
  }
  return finish(report);
}

/**
 * Scores a clip the way the agent runs: every frame in order through a {@link FaceScanner} (regions around
 * known faces, motion, periodic full scans), scored on the annotated frames. `fps` sets capture times.
 */
export async function evaluateSequence(
  analyzer: Pick<FaceAnalyzer, "detect">,
  set: string,
  frames: { count: number; fps: number; load(n: number): Promise<RgbFrame> },
  annotated: ReadonlyMap<number, EvalItem>,
  opts: { iouThreshold?: number; scanner?: FaceScannerOptions; detect?: DetectOptions } = {},
): Promise<DetectionEvalReport> {
  const report = emptyReport(set, opts.iouThreshold ?? 0.4);
  report.modes = { full: 0, regions: 0, idle: 0 };
  const scanner = new FaceScanner(analyzer, opts.scanner);
  let detectMs = 0;
  for (let n = 1; n <= frames.count; n++) {
    const result = await scanner.scan(await frames.load(n), (n - 1) * (1000 / frames.fps), opts.detect);
    report.modes[result.mode]++;
    detectMs += result.timings.detect ?? 0;
    const item = annotated.get(n);
    if (item) addImage(report, item, result, false);
  }
  finish(report);
  // Per analysed frame, not per annotated one: that is what a camera pays.
  report.msPerImage = detectMs / frames.count;
  return report;
}

/** Sums reports (e.g. every clip into "store-video"). */
export function combineReports(set: string, reports: readonly DetectionEvalReport[]): DetectionEvalReport {
  const out = emptyReport(set, reports[0]?.iouThreshold ?? 0.4);
  let ms = 0;
  for (const r of reports) {
    for (const k of ["faces", "tp", "fp", "fn", "ignored", "images", "detections"] as const) out[k] += r[k];
    r.buckets.forEach((b, i) => {
      out.buckets[i]!.faces += b.faces;
      out.buckets[i]!.tp += b.tp;
    });
    for (const k of ["faces", "tp", "fp"] as const) out.inSpec[k] += r.inSpec[k];
    out.perImage.push(...r.perImage);
    ms += r.msPerImage * r.images;
  }
  finish(out);
  out.msPerImage = out.images ? ms / out.images : 0;
  return out;
}

function emptyReport(set: string, iouThreshold: number): DetectionEvalReport {
  return {
    set,
    iouThreshold,
    images: 0,
    faces: 0,
    detections: 0,
    tp: 0,
    fp: 0,
    fn: 0,
    ignored: 0,
    recall: 0,
    precision: 0,
    msPerImage: 0,
    buckets: SIZE_BUCKETS.map((b) => ({ name: b.name, faces: 0, tp: 0, recall: 0 })),
    inSpec: { faces: 0, tp: 0, fp: 0, recall: 0, precision: 0 },
    perImage: [],
  };
}

function addImage(report: DetectionEvalReport, item: EvalItem, result: DetectResult, timed = true): void {
  const { faces } = result;
  const m = matchDetections(item.boxes, faces, report.iouThreshold);
  const wanted = item.boxes.filter((b) => !b.ignore);
  report.images++;
  report.faces += wanted.length;
  report.detections += faces.length;
  report.tp += m.tp;
  report.fp += m.fp;
  report.fn += m.fn;
  report.ignored += m.ignored;
  if (timed) report.msPerImage += result.timings.detect ?? 0;
  report.perImage.push({ file: item.name, faces: wanted.length, ...m });
  // Recall per size bucket: match each bucket's faces alone (other faces as ignore regions).
  SIZE_BUCKETS.forEach((b, i) => {
    const inBucket = (g: GroundTruthBox) =>
      !g.ignore && Math.min(g.w, g.h) >= b.min && Math.min(g.w, g.h) < b.max;
    const n = wanted.filter(inBucket).length;
    if (!n) return;
    const truth = item.boxes.map((g) => (inBucket(g) ? g : { ...g, ignore: true }));
    report.buckets[i]!.faces += n;
    report.buckets[i]!.tp += matchDetections(truth, faces, report.iouThreshold).tp;
  });
  const maxPx = SPEC_RANGE.maxFrameHeightShare * result.frame.height;
  const inSpec = (g: GroundTruthBox) => Math.min(g.w, g.h) >= SPEC_RANGE.minPx && Math.min(g.w, g.h) <= maxPx;
  const specTruth = item.boxes.map((g) => (g.ignore || inSpec(g) ? g : { ...g, ignore: true }));
  const spec = matchDetections(specTruth, faces, report.iouThreshold);
  report.inSpec.faces += specTruth.filter((g) => !g.ignore).length;
  report.inSpec.tp += spec.tp;
  report.inSpec.fp += spec.fp;
}

function finish(report: DetectionEvalReport): DetectionEvalReport {
  report.recall = report.faces ? report.tp / report.faces : 1;
  report.precision = report.tp + report.fp ? report.tp / (report.tp + report.fp) : 1;
  if (report.images && !report.modes) report.msPerImage /= report.images;
  for (const b of report.buckets) b.recall = b.faces ? b.tp / b.faces : 1;
  const spec = report.inSpec;
  spec.recall = spec.faces ? spec.tp / spec.faces : 1;
  spec.precision = spec.tp + spec.fp ? spec.tp / (spec.tp + spec.fp) : 1;
  return report;
}

async function readImage(file: string): Promise<Uint8Array> {
  try {
    return await readFile(file);
  } catch (err) {
    throw new InferenceInputError(`cannot read ${file}: ${String(err)}`, { cause: err });
  }
}

async function readJson<S extends z.ZodType>(file: string, schema: S): Promise<z.infer<S>> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, "utf8"));
  } catch (err) {
    throw new InferenceInputError(`cannot read ${file}: ${String(err)}`, { cause: err });
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InferenceInputError(`${file}: ${issue?.path.join(".")}: ${issue?.message}`);
  }
  return parsed.data;
}

/** Frames of a folder, sorted by name (a sequence), with its face-boxes-style `annotations.json`. */
export async function folderSequence(
  dir: string,
): Promise<{ files: string[]; annotated: Map<number, EvalItem> }> {
  const files = readdirSync(dir)
    .filter((f) => /\.(png|jpe?g|webp)$/i.test(f))
    .sort();
  const annotations = await readJson(path.join(dir, "annotations.json"), ZFaceBoxAnnotations);
  const annotated = new Map<number, EvalItem>();
  files.forEach((f, i) => {
    const a = annotations[f];
    if (a)
      annotated.set(i + 1, {
        name: f,
        boxes: a.boxes,
        load: async () => decodeImage(await readImage(path.join(dir, f))),
      });
  });
  return { files, annotated };
}

/** A GIF's frame rate from its first frame delay (the shared clips are 10–15 fps). */
export async function gifFps(file: string): Promise<number> {
  const delay = (await sharp(file).metadata()).delay?.[0];
  return delay && delay > 0 ? 1000 / delay : 10;
}

export interface ClipSequence {
  name: string;
  frames: { count: number; fps: number; load(n: number): Promise<RgbFrame> };
  annotated: Map<number, EvalItem>;
}

/**
 * Every annotated set in the shared datasets: face-boxes (with the supplement), its negative image(s) on
 * their own, and each store clip — as still frames, and as sequences for {@link evaluateSequence}.
 *
 * @throws InferenceInputError when the shared datasets are missing.
 */
export async function standardSets(opts: { negatives?: readonly string[] } = {}): Promise<{
  stills: Map<string, EvalItem[]>;
  clips: ClipSequence[];
}> {
  const faceBoxes = locateDataset("face-boxes");
  const video = locateDataset("store-video");
  if (!faceBoxes.present || !video.present)
    throw new InferenceInputError(
      `the shared datasets are missing (${faceBoxes.dir}, ${video.dir}): pass --data or set SHELF_DATASETS`,
    );
  const stills = new Map<string, EvalItem[]>();
  // The annotated photos, and the negative image(s) on their own row: precision on faces people annotated,
  // and what fires where there is no human face at all (dogs.jpg: four dog faces) are different questions.
  const photos = await faceBoxItems(faceBoxes.dir, { supplement: true });
  stills.set("face-boxes", photos);
  // Head roll: the same photos turned ±30° and ±45°.
  stills.set(
    "face-boxes rolled ±30°, ±45°",
    [-45, -30, 30, 45].flatMap((deg) => rotateItems(photos, deg)),
  );
  const negatives = opts.negatives ?? ["dogs.jpg"];
  stills.set(
    `face-boxes negatives (${negatives.join(", ")})`,
    (await faceBoxItems(faceBoxes.dir, { negatives })).filter((it) => negatives.includes(it.name)),
  );
  const annotations = await readClipAnnotations();
  const clips: ClipSequence[] = [];
  for (const clip of Object.keys(annotations.clips).sort()) {
    const items = await clipItems(video.dir, clip, annotations);
    stills.set(clip, items);
    const file = path.join(video.dir, clip);
    clips.push({
      name: clip,
      frames: {
        count: await frameCount(file),
        fps: await gifFps(file),
        load: (n) => decodeGifFrame(file, n),
      },
      annotated: new Map(items.map((it) => [Number(it.name.split("#")[1]), it])),
    });
  }
  return { stills, clips };
}
