import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type * as Ort from "onnxruntime-node";
import { EXPRESSIONS } from "@shelf/core";
import { InferenceConfigError } from "./errors.ts";
import { cropToGrey, type FaceCrop } from "./frame.ts";
import { resizeGrey } from "./image-quality.ts";

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
  classify(crops: readonly FaceCrop[], opts: { flip: boolean }): Promise<number[][]>;
  dispose(): Promise<void>;
}

/** onnxruntime-node could not be loaded (its native binding is missing or broken on this machine). */
export class OnnxRuntimeUnavailable extends Error {}

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
  let ort: typeof Ort;
  try {
    ort = await import("onnxruntime-node");
  } catch (err) {
    throw new OnnxRuntimeUnavailable(`onnxruntime-node is not usable here: ${String(err)}`, { cause: err });
  }
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (err) {
    throw new InferenceConfigError(`cannot read the expression model ${file}: ${String(err)}`, {
      cause: err,
    });
  }
  let session: Ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(bytes, {
      executionProviders: ["cpu"],
      intraOpNumThreads: opts.threads ?? 1,
      interOpNumThreads: 1,
      executionMode: "sequential",
      graphOptimizationLevel: "all",
    });
  } catch (err) {
    throw new InferenceConfigError(`${file} is not a usable ONNX model: ${String(err)}`, { cause: err });
  }
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
    async classify(crops, { flip }) {
      const n = crops.length;
      if (!n) return [];
      const rows = flip ? 2 * n : n;
      const pixels = new Float32Array(rows * side * side);
      crops.forEach((crop, i) => {
        const grey = resizeGrey(cropToGrey(crop), crop.width, crop.height, side);
        pixels.set(grey, i * side * side);
        if (flip) {
          const base = (n + i) * side * side;
          for (let y = 0; y < side; y++)
            for (let x = 0; x < side; x++) pixels[base + y * side + x] = grey[y * side + side - 1 - x]!;
        }
      });
      const out = await logits(pixels, rows);
      return crops.map((_, i) => {
        const p = softmax(out, i * k, k);
        if (!flip) return p;
        const m = softmax(out, (n + i) * k, k);
        return p.map((v, j) => (v + m[j]!) / 2);
      });
    },
    async dispose() {
      await session.release();
    },
  };
}

function softmax(logits: Float32Array, offset: number, k: number): number[] {
  let max = -Infinity;
  for (let j = 0; j < k; j++) max = Math.max(max, logits[offset + j]!);
  const e = Array.from({ length: k }, (_, j) => Math.exp(logits[offset + j]! - max));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
}
