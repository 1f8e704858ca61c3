import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type * as Ort from "onnxruntime-node";
import type { FramePxBox, FramePxPoint } from "@shelf/core";
import { clipBox } from "./box-math.ts";
import { InferenceConfigError } from "./errors.ts";
import type { RgbFrame } from "./frame.ts";
import { createOnnxSession } from "./onnx-session.ts";

/**
 * MediaPipe's BlazeFace "back camera" model (the face detector Human ships, converted to ONNX by
 * `tools/tfjs_graph_to_onnx.py`, model card `models/blazeface-back.md`) on ONNX Runtime, one thread.
 *
 * The network is fully convolutional: it runs on any input whose sides are multiples of 32, at the frame's
 * own aspect ratio, and finds faces of roughly 14–70 px **at network scale**. A {@link ScanRegion} says
 * which part of the frame to look at and at what scale, so one network serves every face size: a pyramid
 * (scale 1, ½, ¼ …) for a full scan, one well-chosen scale around a face already known.
 */

/** The default model, shipped in this package's `models/` folder. */
export const BLAZEFACE_MODEL = "blazeface-back";

/**
 * The same network with its inner channel counts padded to multiples of 16 by zero channels
 * (`tools/tfjs_graph_to_onnx.py --align 16`): on AVX-512 CPUs ONNX Runtime then keeps every residual block
 * in its blocked layout (measured on a 640×480 input: 41 → 36 ms CPU); on AVX2 CPUs the plain file is faster.
 */
const ALIGNED_SUFFIX = "-c16";

/** Whether this CPU runs ONNX Runtime's AVX-512 kernels (Linux: the kernel lists `avx512f`). */
function hasAvx512(): boolean {
  try {
    return /\bavx512f\b/.test(readFileSync("/proc/cpuinfo", "utf8"));
  } catch {
    return false;
  }
}

/**
 * The shipped model file for this CPU: `blazeface-back-c16.onnx` where AVX-512 is available, else
 * `blazeface-back.onnx` (the same detections either way; see the model card).
 */
export function defaultBlazeFaceModelPath(opts: { avx512?: boolean } = {}): string {
  const aligned = opts.avx512 ?? hasAvx512();
  return path.resolve(
    path.dirname(fileURLToPath(import.meta.url)),
    "..",
    "models",
    `${BLAZEFACE_MODEL}${aligned ? ALIGNED_SUFFIX : ""}.onnx`,
  );
}

/**
 * At most this many regions of one shape run as one batch: at most 1.5 MB of input for regions around followed
 * faces (up to 256 px a side: 7 sides of a 32 px face); whole-frame pyramid levels each have their own shape.
 */
const MAX_BATCH = 8;

/** Network input sides are multiples of this, px (the coarsest feature map has stride 32). */
export const BLAZEFACE_ALIGN = 32;

/** The sides snapped regions use, px (see {@link ScanRegion.snap}). */
export const NET_SIDES = [64, 96, 128, 160, 192, 256, 320, 384, 512, 640, 768, 1024] as const;

/** Keypoints in BlazeFace's order. */
export const BLAZEFACE_KEYPOINTS = ["rightEye", "leftEye", "nose", "mouth", "rightEar", "leftEar"] as const;

/** Detection heads: stride (px at network scale) and anchors per feature-map cell. */
const LEVELS = [
  { stride: 16, anchors: 2 },
  { stride: 32, anchors: 6 },
] as const;
/**
 * Box sizes kept, px at network scale. BlazeFace's boxes run ~15 % smaller than the annotated face (brow to
 * chin); pyramid levels and region scales aim faces at 16–50 px (face-scan.ts), so these bounds leave a
 * margin on both sides.
 */
const NET_BOX_MIN = 8;
const NET_BOX_MAX = 80;
/** Values per anchor in a regressor map: box centre offset (2), size (2), six keypoints (12). */
const REG = 16;

export interface FaceDetection {
  box: FramePxBox;
  /** 0…1 */
  score: number;
  /** Six keypoints in {@link BLAZEFACE_KEYPOINTS} order, frame px. */
  keypoints: FramePxPoint[];
}

/**
 * A rectangle of the frame to scan, and the scale to scan it at (network px per frame px, ≤ 1 shrinks).
 * The rectangle is widened (inside the frame) so that its scaled sides are multiples of 32; where the frame
 * is too small for that, the network input is padded with grey.
 */
export interface ScanRegion {
  box: FramePxBox;
  scale: number;
  /**
   * Round the network input up to one of {@link NET_SIDES} (widening the source to match) instead of the next
   * multiple of 32. ONNX Runtime plans each new input shape on first use (10–200 ms): regions around faces
   * come in every size, so they snap to a few shapes that stay planned (and that faces of similar size share,
   * so they run as one batch). Motion regions do not snap (see FaceScanner).
   */
  snap?: boolean;
  /** Overrides the call's minimum score here (e.g. a lower one around a face already being followed). */
  minScore?: number;
}

export interface BlazeFaceDetector {
  /** `onnx:blazeface-back` */
  readonly name: string;
  /**
   * Runs the network on each region and returns every anchor scoring ≥ `minScore` (no suppression:
   * {@link mergeDetections} does that across regions and scales).
   */
  detect(frame: RgbFrame, regions: readonly ScanRegion[], minScore: number): Promise<FaceDetection[]>;
  /** Network pixels processed so far (a cost counter for benchmarks and tests). */
  readonly pixelsProcessed: number;
  dispose(): Promise<void>;
}

/**
 * Opens the ONNX model.
 *
 * @throws OnnxRuntimeUnavailable when onnxruntime-node cannot load (the analyzer falls back to tfjs).
 * @throws InferenceConfigError when the file is missing or does not have BlazeFace's four heads.
 */
export async function loadBlazeFace(
  file = defaultBlazeFaceModelPath(),
  opts: { threads?: number } = {},
): Promise<BlazeFaceDetector> {
  const { ort, session } = await createOnnxSession(file, { ...opts, dynamicShapes: true });
  if (session.inputNames.length !== 1 || session.outputNames.length !== 4) {
    await session.release();
    throw new InferenceConfigError(
      `${file}: expected one input and four head outputs, found ${session.inputNames.join(",")} → ${session.outputNames.join(",")}`,
    );
  }
  const inputName = session.inputNames[0]!;
  let pixels = 0;
  return {
    // The channel-aligned file is the same network: one name for both.
    name: `onnx:${path.basename(file, ".onnx").replace(/-c16$/, "")}`,
    get pixelsProcessed() {
      return pixels;
    },
    async detect(frame, regions, minScore) {
      const found: FaceDetection[] = [];
      // Regions of one input shape (snapped regions around faces of similar size) run as one batch: one
      // ONNX Runtime call instead of several (~0.6 ms of fixed cost each on a 64–128 px input).
      const byShape = new Map<string, { plan: InputPlan; minScore: number }[]>();
      for (const region of regions) {
        const plan = planInput(frame, region);
        if (!plan) continue;
        const key = `${plan.netW}x${plan.netH}`;
        const group = byShape.get(key) ?? [];
        group.push({ plan, minScore: region.minScore ?? minScore });
        byShape.set(key, group);
      }
      for (const group of byShape.values())
        for (let start = 0; start < group.length; start += MAX_BATCH) {
          const batch = group.slice(start, start + MAX_BATCH);
          const { netW, netH } = batch[0]!.plan;
          const size = netW * netH * 3;
          let data: Uint8Array;
          if (batch.length === 1) data = sampleRegion(frame, batch[0]!.plan);
          else {
            data = new Uint8Array(size * batch.length);
            batch.forEach(({ plan }, b) => data.set(sampleRegion(frame, plan), b * size));
          }
          const input = new ort.Tensor("uint8", data, [batch.length, netH, netW, 3]);
          const out = await session.run({ [inputName]: input });
          pixels += netW * netH * batch.length;
          const heads = Object.values(out);
          batch.forEach(({ plan, minScore: min }, b) => decodeHeads(heads, plan, min, found, b));
          input.dispose();
          for (const t of heads) t.dispose();
        }
      return found;
    },
    async dispose() {
      await session.release();
    },
  };
}

/** Where a region's network input comes from: frame rectangle `src` resampled to `netW × netH`. */
export interface InputPlan {
  /** Frame px; may reach past the frame where it is too small (padded with grey). */
  src: FramePxBox;
  netW: number;
  netH: number;
}

/**
 * Sizes a region's network input: sides rounded up to multiples of 32 (to one of {@link NET_SIDES} when the
 * region snaps), the source widened to match.
 */
export function planInput(
  frame: { width: number; height: number },
  region: ScanRegion,
): InputPlan | undefined {
  const box = clipBox(region.box, frame.width, frame.height);
  if (!box || !(region.scale > 0)) return undefined;
  const side = (px: number) => {
    const aligned = Math.max(BLAZEFACE_ALIGN, Math.ceil(px / BLAZEFACE_ALIGN) * BLAZEFACE_ALIGN);
    return region.snap ? (NET_SIDES.find((s) => s >= aligned) ?? aligned) : aligned;
  };
  const netW = side(box.w * region.scale);
  const netH = side(box.h * region.scale);
  return {
    src: {
      ...widen(box.x, box.w, netW / region.scale, frame.width),
      ...widenY(box, netH / region.scale, frame.height),
    },
    netW,
    netH,
  };
}

function widen(x: number, w: number, want: number, limit: number): { x: number; w: number } {
  // Grow around the centre, then slide back inside the frame; only a frame narrower than `want` is exceeded.
  let x0 = x + w / 2 - want / 2;
  x0 = Math.min(Math.max(0, x0), Math.max(0, limit - want));
  return { x: x0, w: want };
}

function widenY(box: FramePxBox, want: number, limit: number): { y: number; h: number } {
  const { x: y, w: h } = widen(box.y, box.h, want, limit);
  return { y, h };
}

/**
 * Resamples `plan.src` of the frame to `netW × netH` RGB bytes: a box filter when shrinking (each output pixel
 * averages the source pixels it covers: no aliasing at ½, ¼ …), bilinear when enlarging (nearest-neighbour
 * blocks make BlazeFace miss faces). Outside the frame: mid grey.
 */
export function sampleRegion(frame: RgbFrame, plan: InputPlan): Uint8Array {
  const { netW, netH, src } = plan;
  const sx = src.w / netW;
  const sy = src.h / netH;
  if (sx < 0.999 || sy < 0.999) return enlarge(frame, plan, sx, sy);
  return shrinkByInteger(frame, plan, sx, sy) ?? shrink(frame, plan, sx, sy);
}

/**
 * The pyramid's common case, fast: a whole-number factor (1, 2, 4 …, the same on both axes) from a source
 * that starts on a pixel. Exactly what {@link shrink} computes (same samples, same rounding), without its
 * per-pixel bounds checks and float offsets: at scale 1 a row copy (or the frame's own bytes when the plan
 * is the whole frame), at ½ a plain 2×2 mean. Measured on a 640×480 frame: 7.5 → 0.1 ms at scale 1, 2.8 →
 * 0.6 ms at ½. Returns undefined when the plan is not of that kind.
 */
function shrinkByInteger(frame: RgbFrame, plan: InputPlan, sx: number, sy: number): Uint8Array | undefined {
  const { netW, netH, src } = plan;
  const k = Math.round(sx);
  if (Math.abs(sx - k) > 1e-9 || Math.abs(sy - k) > 1e-9 || k < 1) return undefined;
  if (!Number.isInteger(src.x) || !Number.isInteger(src.y)) return undefined;
  const { width: W, height: H, data } = frame;
  if (k === 1 && src.x === 0 && src.y === 0 && netW === W && netH === H) return data;
  const out = new Uint8Array(netW * netH * 3);
  // Output columns/rows whose whole k×k block lies inside the frame; the rest is grey, as in shrink().
  const i0 = Math.max(0, Math.ceil(-src.x / k));
  const i1 = Math.min(netW, Math.floor((W - src.x) / k));
  const j0 = Math.max(0, Math.ceil(-src.y / k));
  const j1 = Math.min(netH, Math.floor((H - src.y) / k));
  if (i0 > 0 || j0 > 0 || i1 < netW || j1 < netH) out.fill(128);
  if (i1 <= i0 || j1 <= j0) return out;
  const rowBytes = W * 3;
  if (k === 1) {
    // A plain typed-array view: a Buffer's subarray() builds a Buffer per row, several times slower.
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.length);
    for (let j = j0; j < j1; j++) {
      const from = (src.y + j) * rowBytes + (src.x + i0) * 3;
      out.set(bytes.subarray(from, from + (i1 - i0) * 3), (j * netW + i0) * 3);
    }
    return out;
  }
  if (k === 2) {
    for (let j = j0; j < j1; j++) {
      const a = (src.y + 2 * j) * rowBytes + (src.x + 2 * i0) * 3;
      const b = a + rowBytes;
      const end = (j * netW + i1) * 3;
      for (let o = (j * netW + i0) * 3, p = a, q = b; o < end; o += 3, p += 6, q += 6) {
        out[o] = (data[p]! + data[p + 3]! + data[q]! + data[q + 3]! + 2) >> 2;
        out[o + 1] = (data[p + 1]! + data[p + 4]! + data[q + 1]! + data[q + 4]! + 2) >> 2;
        out[o + 2] = (data[p + 2]! + data[p + 5]! + data[q + 2]! + data[q + 5]! + 2) >> 2;
      }
    }
    return out;
  }
  const step = k >= 4 ? k >> 1 : 1;
  const inv = 1 / (Math.ceil(k / step) * Math.ceil(k / step));
  for (let j = j0; j < j1; j++) {
    const top = (src.y + j * k) * rowBytes;
    let o = (j * netW + i0) * 3;
    for (let i = i0; i < i1; i++, o += 3) {
      const left = top + (src.x + i * k) * 3;
      let r = 0;
      let g = 0;
      let b = 0;
      for (let y = 0; y < k; y += step)
        for (let x = 0, p = left + y * rowBytes; x < k; x += step, p += step * 3) {
          r += data[p]!;
          g += data[p + 1]!;
          b += data[p + 2]!;
        }
      out[o] = r * inv + 0.5;
      out[o + 1] = g * inv + 0.5;
      out[o + 2] = b * inv + 0.5;
    }
  }
  return out;
}

function shrink(frame: RgbFrame, plan: InputPlan, sx: number, sy: number): Uint8Array {
  const { netW, netH, src } = plan;
  const out = new Uint8Array(netW * netH * 3);
  const { width: W, height: H, data } = frame;
  const kx = Math.max(1, Math.round(sx));
  const ky = Math.max(1, Math.round(sy));
  // Averaging every pixel of a 4×4 (or larger) block costs more than the network on it: a 2×2 grid of
  // samples spread over the block keeps the low-pass effect that matters (measured: same detections).
  const stepX = kx >= 4 ? kx >> 1 : 1;
  const stepY = ky >= 4 ? ky >> 1 : 1;
  const inv = 1 / (Math.ceil(kx / stepX) * Math.ceil(ky / stepY));
  // Byte offset of each output column's first source pixel, or −1 where its block leaves the frame: computed
  // once per column, not per pixel.
  const colAt = new Int32Array(netW);
  for (let i = 0; i < netW; i++) {
    const x0 = Math.floor(src.x + i * sx + (sx - kx) / 2);
    colAt[i] = x0 < 0 || x0 + kx > W ? -1 : x0 * 3;
  }
  const rowBytes = W * 3;
  const dx = stepX * 3;
  const dy = stepY * rowBytes;
  const blockW = kx * 3;
  const blockH = ky * rowBytes;
  let o = 0;
  for (let j = 0; j < netH; j++) {
    const y0 = Math.floor(src.y + j * sy + (sy - ky) / 2);
    if (y0 < 0 || y0 + ky > H) {
      out.fill(128, o, o + netW * 3);
      o += netW * 3;
      continue;
    }
    const top = y0 * rowBytes;
    for (let i = 0; i < netW; i++, o += 3) {
      const col = colAt[i]!;
      if (col < 0) {
        out[o] = out[o + 1] = out[o + 2] = 128;
        continue;
      }
      let r = 0;
      let g = 0;
      let b = 0;
      const start = top + col;
      for (let y = start; y < start + blockH; y += dy)
        for (let p = y; p < y + blockW; p += dx) {
          r += data[p]!;
          g += data[p + 1]!;
          b += data[p + 2]!;
        }
      out[o] = r * inv + 0.5;
      out[o + 1] = g * inv + 0.5;
      out[o + 2] = b * inv + 0.5;
    }
  }
  return out;
}

function enlarge(frame: RgbFrame, plan: InputPlan, sx: number, sy: number): Uint8Array {
  const { netW, netH, src } = plan;
  const out = new Uint8Array(netW * netH * 3);
  const { width: W, height: H, data } = frame;
  let o = 0;
  for (let j = 0; j < netH; j++) {
    const fy = src.y + (j + 0.5) * sy - 0.5;
    for (let i = 0; i < netW; i++, o += 3) {
      const fx = src.x + (i + 0.5) * sx - 0.5;
      if (fx < -0.5 || fy < -0.5 || fx > W - 0.5 || fy > H - 0.5) {
        out[o] = out[o + 1] = out[o + 2] = 128;
        continue;
      }
      const x0 = Math.max(0, Math.min(W - 1, Math.floor(fx)));
      const y0 = Math.max(0, Math.min(H - 1, Math.floor(fy)));
      const x1 = Math.min(W - 1, x0 + 1);
      const y1 = Math.min(H - 1, y0 + 1);
      const ax = Math.max(0, Math.min(1, fx - x0));
      const ay = Math.max(0, Math.min(1, fy - y0));
      const p00 = (y0 * W + x0) * 3;
      const p01 = (y0 * W + x1) * 3;
      const p10 = (y1 * W + x0) * 3;
      const p11 = (y1 * W + x1) * 3;
      for (let c = 0; c < 3; c++) {
        const top = data[p00 + c]! + (data[p01 + c]! - data[p00 + c]!) * ax;
        const bottom = data[p10 + c]! + (data[p11 + c]! - data[p10 + c]!) * ax;
        out[o + c] = top + (bottom - top) * ay + 0.5;
      }
    }
  }
  return out;
}

/** Turns the four head maps into frame-space detections (anchor centres + offsets, then back to frame px). */
function decodeHeads(
  heads: Ort.Tensor[],
  plan: InputPlan,
  minScore: number,
  found: FaceDetection[],
  batchIndex = 0,
): void {
  const sx = plan.src.w / plan.netW;
  const sy = plan.src.h / plan.netH;
  const minLogit = Math.log(minScore / (1 - minScore));
  for (const level of LEVELS) {
    const scores = heads.find((t) => t.dims[3] === level.anchors);
    const regs = heads.find((t) => t.dims[3] === level.anchors * REG);
    if (!scores || !regs) throw new InferenceConfigError("BlazeFace heads do not match the expected layout");
    const rows = scores.dims[1]!;
    const cols = scores.dims[2]!;
    // This batch element's maps.
    const cells = rows * cols * level.anchors;
    const s = (scores.data as Float32Array).subarray(batchIndex * cells, (batchIndex + 1) * cells);
    const r = (regs.data as Float32Array).subarray(batchIndex * cells * REG, (batchIndex + 1) * cells * REG);
    for (let row = 0; row < rows; row++)
      for (let col = 0; col < cols; col++)
        for (let a = 0; a < level.anchors; a++) {
          const i = (row * cols + col) * level.anchors + a;
          if (!(s[i]! >= minLogit)) continue;
          const o = i * REG;
          const ax = (col + 0.5) * level.stride;
          const ay = (row + 0.5) * level.stride;
          const cx = ax + r[o]!;
          const cy = ay + r[o + 1]!;
          const w = r[o + 2]!;
          const h = r[o + 3]!;
          // Outside the sizes this network finds reliably at this scale: another pyramid level (or
          // region scale) covers that face, and here such boxes are mostly parts of a larger face.
          if (!(Math.min(w, h) >= NET_BOX_MIN && Math.max(w, h) <= NET_BOX_MAX)) continue;
          const keypoints: FramePxPoint[] = [];
          for (let k = 0; k < BLAZEFACE_KEYPOINTS.length; k++)
            keypoints.push({
              x: plan.src.x + (ax + r[o + 4 + 2 * k]!) * sx,
              y: plan.src.y + (ay + r[o + 5 + 2 * k]!) * sy,
            });
          found.push({
            box: {
              x: plan.src.x + (cx - w / 2) * sx,
              y: plan.src.y + (cy - h / 2) * sy,
              w: w * sx,
              h: h * sy,
            },
            score: 1 / (1 + Math.exp(-s[i]!)),
            keypoints,
          });
        }
  }
}

/**
 * How squarely a face looks at the camera, 0 (profile) … 1 (frontal), from BlazeFace's keypoints, measured
 * along the eye line so that head roll does not count: the nose and the mouth lie midway between the eyes
 * on a frontal face and move towards one eye as the head turns (at ~45° of yaw they are over it). The ear
 * keypoints are too unsteady on small faces to use.
 */
export function keypointFrontality(keypoints: readonly FramePxPoint[]): number {
  const [rEye, lEye, nose, mouth] = keypoints;
  if (!rEye || !lEye || !nose || !mouth) return 0;
  const ex = lEye.x - rEye.x;
  const ey = lEye.y - rEye.y;
  const eyeDist = Math.hypot(ex, ey);
  if (!(eyeDist > 0)) return 0;
  // Position along the eye line: 0 at the right eye, 1 at the left, 0.5 midway.
  const along = (p: FramePxPoint) => ((p.x - rEye.x) * ex + (p.y - rEye.y) * ey) / (eyeDist * eyeDist);
  const offset = (Math.abs(along(nose) - 0.5) + Math.abs(along(mouth) - 0.5)) / 2;
  return Math.max(0, Math.min(1, 1 - offset / 0.5));
}
