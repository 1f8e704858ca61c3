import type * as TF from "@tensorflow/tfjs";
import type { FramePxBox } from "@shelf/core";
import { clipBox, nonMaxSuppression } from "./box-math.ts";
import type { FaceApiTinyFaceDetector, Tf } from "./runtime.ts";

/**
 * face-api's TinyFaceDetector (a Tiny-YOLOv2 with depthwise-separable convolutions, stride 32, five
 * anchors), driven directly so that the frame keeps its aspect ratio: face-api pads every input to a
 * square first, which for a 16:9 camera spends 44 % of the work on black bars.
 */

/** Anchor sizes in grid cells (32 px at network scale), from face-api's TinyFaceDetector. */
const ANCHORS: readonly (readonly [number, number])[] = [
  [1.603231, 2.094468],
  [6.041143, 7.080126],
  [2.882459, 3.518061],
  [4.266906, 5.178857],
  [9.041765, 10.66308],
];
/** Per-channel mean the network was trained with, subtracted before scaling to 0…1. */
const MEAN_RGB = [117.001, 114.697, 97.404] as const;
const STRIDE = 32;

export interface RawDetection {
  box: FramePxBox;
  score: number;
}

/** Network input size for a frame: longer side = `inputSize`, aspect kept, both sides multiples of 32. */
export function tinyInputShape(
  width: number,
  height: number,
  inputSize: number,
): { width: number; height: number } {
  const scale = inputSize / Math.max(width, height);
  const round = (v: number) => Math.max(STRIDE, Math.round((v * scale) / STRIDE) * STRIDE);
  return { width: round(width), height: round(height) };
}

/**
 * Detects faces in an RGB frame tensor ([height, width, 3], any numeric dtype, 0…255).
 *
 * @returns boxes in the frame's pixels (clipped to it), best score first, after NMS.
 */
export async function detectTiny(
  tf: Tf,
  net: FaceApiTinyFaceDetector,
  frame: TF.Tensor3D,
  opts: { inputSize: number; scoreThreshold: number; nmsIou: number; maxFaces: number },
): Promise<RawDetection[]> {
  const [frameH, frameW] = frame.shape;
  const input = tinyInputShape(frameW, frameH, opts.inputSize);
  const out = tf.tidy(() => {
    const resized = tf.image.resizeBilinear(tf.cast(frame, "float32").expandDims(0) as TF.Tensor4D, [
      input.height,
      input.width,
    ]);
    const normalised = tf.div(
      tf.sub(resized, tf.tensor1d(MEAN_RGB as unknown as number[])),
      255,
    ) as TF.Tensor4D;
    return net.runMobilenet(normalised, net.params);
  });
  const [, rows, cols] = out.shape as [number, number, number, number];
  const data = await out.data();
  out.dispose();
  // Grid cells per frame pixel, separately per axis: rounding to multiples of 32 may stretch slightly.
  const cellsPerPxX = input.width / frameW / STRIDE;
  const cellsPerPxY = input.height / frameH / STRIDE;
  const logitThreshold = Math.log(opts.scoreThreshold / (1 - opts.scoreThreshold));
  const found: RawDetection[] = [];
  for (let row = 0; row < rows; row++) {
    for (let col = 0; col < cols; col++) {
      for (let a = 0; a < ANCHORS.length; a++) {
        const o = ((row * cols + col) * ANCHORS.length + a) * 5;
        // Compare logits so that sigmoid runs only for the few boxes that pass.
        if (!(data[o + 4]! > logitThreshold)) continue;
        const [ax, ay] = ANCHORS[a]!;
        const cx = (col + sigmoid(data[o]!)) / cellsPerPxX;
        const cy = (row + sigmoid(data[o + 1]!)) / cellsPerPxY;
        const w = (Math.exp(data[o + 2]!) * ax) / cellsPerPxX;
        const h = (Math.exp(data[o + 3]!) * ay) / cellsPerPxY;
        const box = clipBox({ x: cx - w / 2, y: cy - h / 2, w, h }, frameW, frameH);
        if (box) found.push({ box, score: sigmoid(data[o + 4]!) });
      }
    }
  }
  return nonMaxSuppression(found, opts.nmsIou, opts.maxFaces);
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}
