import path from "node:path";
import { fileURLToPath } from "node:url";
import { EXPRESSIONS } from "@shelf/core";
import { InferenceConfigError } from "./errors.ts";
import { cropToGrey, type FaceCrop } from "./frame.ts";
import { resizeGrey } from "./image-quality.ts";
import { createOnnxSession } from "./onnx-session.ts";

/**
 * Shelf Sentiment's own expression model (trained in `training/`, see `models/<name>.md`), run on ONNX
 * Runtime's CPU provider. The graph takes grey levels 0–255 as float32 `[n,1,48,48]` and does its own
 * scaling, standardisation and centre crop; it returns logits `[n,7]` in {@link EXPRESSIONS} order.
 */

/** Input side of the exported graph, px (FER-2013's size). */
export const ONNX_EXPRESSION_INPUT = 48;

/** The model shipped with the package and used by default. */
export const DEFAULT_ONNX_MODEL = "fer-vgg-s";

export function defaultOnnxModelPath(name = DEFAULT_ONNX_MODEL): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "models", `${name}.onnx`);
}

/** A loaded expression model: probabilities over EXPRESSIONS for well-formed crops. */
export interface ExpressionClassifier {
  /** e.g. `onnx:fer-vgg-s` or `tfjs:human+face-api`. */
  readonly name: string;
  /**
   * @param opts.flip - also read the mirrored crop and average.
   * @param opts.tenCrop - ONNX only: average ten views (centre and four corner crops, each mirrored).
   */
  classify(crops: readonly FaceCrop[], opts: { flip: boolean; tenCrop?: boolean }): Promise<number[][]>;
  dispose(): Promise<void>;
}

export { OnnxRuntimeUnavailable } from "./onnx-session.ts";

export interface OnnxExpressionModel extends ExpressionClassifier {
  /** Raw logits for pixels already at 48×48 grey, `[n,1,48,48]` row-major (the parity test's entry point). */
  logits(pixels: Float32Array, n: number): Promise<Float32Array>;
}

/**
 * Loads the ONNX expression model. One intra-op thread by default: like the tfjs wasm backend, one process
 * uses one core, and throughput scales with worker processes.
 *
 * @throws OnnxRuntimeUnavailable when onnxruntime-node cannot be imported (the caller may fall back).
 * @throws InferenceConfigError when the model file is missing, unreadable or has the wrong signature.
 */
export async function loadOnnxExpressionModel(
  file: string,
  opts: { threads?: number } = {},
): Promise<OnnxExpressionModel> {
  const { ort, session } = await createOnnxSession(file, { threads: opts.threads });
  if (session.inputNames[0] !== "pixels" || session.outputNames[0] !== "logits") {
    await session.release();
    throw new InferenceConfigError(
      `${file}: expected input "pixels" and output "logits", found ${session.inputNames.join(",")} → ${session.outputNames.join(",")}`,
    );
  }
  const side = ONNX_EXPRESSION_INPUT;
  const k = EXPRESSIONS.length;

  const logits = async (pixels: Float32Array, n: number): Promise<Float32Array> => {
    const input = new ort.Tensor("float32", pixels, [n, 1, side, side]);
    const out = await session.run({ pixels: input });
    const t = out.logits!;
    if (t.dims[1] !== k)
      throw new InferenceConfigError(`${file} returns ${t.dims[1]} classes, expected ${k}`);
    const data = t.data as Float32Array;
    input.dispose();
    return data;
  };

  return {
    name: `onnx:${path.basename(file, ".onnx")}`,
    logits,
    async classify(crops, { flip, tenCrop = false }) {
      const n = crops.length;
      if (!n) return [];
      const views = tenCrop ? TEN_CROP : flip ? MIRROR : CENTRE;
      const v = views.length;
      const area = side * side;
      const pixels = new Float32Array(n * v * area);
      crops.forEach((crop, i) => {
        const grey = resizeGrey(cropToGrey(crop), crop.width, crop.height, side);
        views.forEach((view, j) =>
          writeView(grey, view, pixels.subarray((i * v + j) * area, (i * v + j + 1) * area)),
        );
      });
      const out = await logits(pixels, n * v);
      return crops.map((_, i) => {
        const sum = new Array<number>(k).fill(0);
        for (let j = 0; j < v; j++) softmax(out, (i * v + j) * k, k).forEach((p, c) => (sum[c]! += p / v));
        return sum;
      });
    },
    async dispose() {
      await session.release();
    },
  };
}

/**
 * A view of the 48 px face: mirrored or not, then shifted by (dy, dx) px with edge clamping. The graph reads
 * the centre 44 px, so a shift of ±2 px makes it read a corner crop — ten-crop without a second graph.
 */
interface View {
  mirror: boolean;
  dy: number;
  dx: number;
}
const CENTRE: readonly View[] = [{ mirror: false, dy: 0, dx: 0 }];
const MIRROR: readonly View[] = [...CENTRE, { mirror: true, dy: 0, dx: 0 }];
const CORNERS = [
  [0, 0],
  [2, 2],
  [2, -2],
  [-2, 2],
  [-2, -2],
] as const;
const TEN_CROP: readonly View[] = [false, true].flatMap((mirror) =>
  CORNERS.map(([dy, dx]) => ({ mirror, dy, dx })),
);

function writeView(grey: Uint8Array, { mirror, dy, dx }: View, out: Float32Array): void {
  const side = ONNX_EXPRESSION_INPUT;
  const clamp = (v: number) => (v < 0 ? 0 : v > side - 1 ? side - 1 : v);
  for (let y = 0; y < side; y++) {
    const row = clamp(y - dy) * side;
    for (let x = 0; x < side; x++) {
      const sx = clamp(x - dx);
      out[y * side + x] = grey[row + (mirror ? side - 1 - sx : sx)]!;
    }
  }
}

function softmax(logits: Float32Array, offset: number, k: number): number[] {
  let max = -Infinity;
  for (let j = 0; j < k; j++) max = Math.max(max, logits[offset + j]!);
  const e = Array.from({ length: k }, (_, j) => Math.exp(logits[offset + j]! - max));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
}
