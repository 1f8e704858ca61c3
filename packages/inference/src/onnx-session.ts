import { readFile } from "node:fs/promises";
import type * as Ort from "onnxruntime-node";
import { InferenceConfigError } from "./errors.ts";

/** onnxruntime-node could not be loaded (its native binding is missing or broken on this machine). */
export class OnnxRuntimeUnavailable extends Error {}

/** The onnxruntime-node module, imported once per process. */
let ortModule: Promise<typeof Ort> | undefined;

/**
 * Imports onnxruntime-node.
 *
 * @throws OnnxRuntimeUnavailable when its native binding cannot load (the caller may fall back to tfjs).
 */
export function importOrt(): Promise<typeof Ort> {
  ortModule ??= import("onnxruntime-node").catch((err: unknown) => {
    ortModule = undefined;
    throw new OnnxRuntimeUnavailable(`onnxruntime-node is not usable here: ${String(err)}`, { cause: err });
  });
  return ortModule;
}

/**
 * Opens an ONNX model on the CPU provider. One intra-op thread by default: like the tfjs wasm backend, one
 * process uses one core, and throughput scales with processes.
 *
 * @throws OnnxRuntimeUnavailable when onnxruntime-node cannot be imported.
 * @throws InferenceConfigError when the file is missing, unreadable or not a valid model.
 */
export async function createOnnxSession(
  file: string,
  opts: { threads?: number; dynamicShapes?: boolean } = {},
): Promise<{ ort: typeof Ort; session: Ort.InferenceSession }> {
  const ort = await importOrt();
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (err) {
    throw new InferenceConfigError(`cannot read the model ${file}: ${String(err)}`, { cause: err });
  }
  try {
    const session = await ort.InferenceSession.create(bytes, {
      executionProviders: ["cpu"],
      intraOpNumThreads: opts.threads ?? 1,
      interOpNumThreads: 1,
      executionMode: "sequential",
      graphOptimizationLevel: "all",
      // Inputs change shape from call to call (BlazeFace regions): a memory pattern planned for one shape is
      // thrown away at the next and cost 5× a run (measured: a 480×864 scan 200 ms with it, 40 ms without).
      enableMemPattern: opts.dynamicShapes ? false : true,
    });
    return { ort, session };
  } catch (err) {
    throw new InferenceConfigError(`${file} is not a usable ONNX model: ${String(err)}`, { cause: err });
  }
}
