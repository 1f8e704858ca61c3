import type * as TF from "@tensorflow/tfjs";
import { EXPRESSIONS } from "@shelf/core";
import type { FaceCrop } from "./frame.ts";
import { FACE_API_INPUT } from "./landmarks.ts";
import type { ExpressionClassifier } from "./onnx-expression.ts";
import type { FaceApiModule, FaceApiProcessorNet, Tf } from "./runtime.ts";

/**
 * The expression ensemble: Human's emotion model (mini-Xception trained on FER-2013, 64×64 grey, output
 * already in {@link EXPRESSIONS} order) and face-api's expression net (112×112 RGB, its own label order),
 * averaged with weights, optionally with each crop's mirror image too.
 */

/** Faces per face-api call (see classifyGroup). */
const FACE_API_CHUNK = 8;

/** Input side of Human's emotion model, px. */
export const HUMAN_EMOTION_INPUT = 64;

/**
 * face-api's output order is neutral, happy, sad, angry, fearful, disgusted, surprised; entry i is the
 * face-api index of `EXPRESSIONS[i]`.
 */
export const FACE_API_EXPRESSION_INDEX: readonly number[] = [3, 5, 4, 1, 2, 6, 0];

export interface ExpressionModels {
  human: TF.GraphModel;
  faceApi: FaceApiProcessorNet;
}

/** The ensemble as an {@link ExpressionClassifier}; disposing it frees both models. */
export function tfjsEnsemble(
  tf: Tf,
  faceapi: FaceApiModule,
  models: ExpressionModels,
  humanWeight: number,
): ExpressionClassifier {
  return {
    name: "tfjs:human+face-api",
    classify: (crops, { flip }) => classifyExpressions(tf, faceapi, models, crops, { humanWeight, flip }),
    async dispose() {
      models.faceApi.dispose();
      models.human.dispose();
    },
  };
}

/**
 * Probabilities over {@link EXPRESSIONS} for each crop (well-formed crops only; the caller gates them).
 *
 * @param opts.humanWeight - weight of Human's model, 0…1; face-api's gets the rest.
 * @param opts.flip - also classify the mirrored crop and average.
 */
export async function classifyExpressions(
  tf: Tf,
  faceapi: FaceApiModule,
  models: ExpressionModels,
  crops: readonly FaceCrop[],
  opts: { humanWeight: number; flip: boolean },
): Promise<number[][]> {
  const out: number[][] = new Array(crops.length);
  // Crops of one shape go through as one tensor (the agent sends all crops at one size).
  const groups = new Map<string, number[]>();
  crops.forEach((c, i) => {
    const key = `${c.width}x${c.height}x${c.channels}`;
    const group = groups.get(key);
    if (group) group.push(i);
    else groups.set(key, [i]);
  });
  for (const indices of groups.values()) {
    const probs = await classifyGroup(
      tf,
      faceapi,
      models,
      indices.map((i) => crops[i]!),
      opts,
    );
    indices.forEach((i, k) => (out[i] = probs[k]!));
  }
  return out;
}

async function classifyGroup(
  tf: Tf,
  faceapi: FaceApiModule,
  models: ExpressionModels,
  crops: readonly FaceCrop[],
  opts: { humanWeight: number; flip: boolean },
): Promise<number[][]> {
  const w = opts.humanWeight;
  const { width, height, channels } = crops[0]!;
  const combined = tf.tidy(() => {
    const pixels = new Float32Array(crops.length * width * height * channels);
    crops.forEach((c, i) => pixels.set(c.data, i * c.data.length));
    const batch = tf.tensor4d(pixels, [crops.length, height, width, channels]);
    const grey =
      channels === 1
        ? batch
        : (tf.sum(tf.mul(batch, tf.tensor1d([0.299, 0.587, 0.114])), 3, true) as TF.Tensor4D);
    const rgb = channels === 3 ? batch : (tf.tile(batch, [1, 1, 1, 3]) as TF.Tensor4D);
    const runHuman = (x: TF.Tensor4D) =>
      // Human feeds the model grey levels scaled to −1…1.
      models.human.execute(tf.mul(tf.sub(tf.div(x, 255), 0.5), 2)) as TF.Tensor2D;
    const runFaceApi = (x: TF.Tensor4D) => {
      // Its dense blocks keep 112×112 feature maps: past ~8 faces per call they fall out of cache and
      // each face gets slower (measured: 10.4 ms/face at 8, 16 ms at 64 on wasm).
      const chunks: TF.Tensor2D[] = [];
      for (let i = 0; i < x.shape[0]; i += FACE_API_CHUNK) {
        const part = tf.slice(x, [i, 0, 0, 0], [Math.min(FACE_API_CHUNK, x.shape[0] - i), -1, -1, -1]);
        // face-api's NetInput subtracts its own mean and scales; it wants a list of 3-D tensors.
        chunks.push(models.faceApi.forwardInput(new faceapi.NetInput(tf.unstack(part) as TF.Tensor3D[])));
      }
      const probs = chunks.length === 1 ? chunks[0]! : tf.concat(chunks, 0);
      return tf.gather(probs, FACE_API_EXPRESSION_INDEX as number[], 1) as TF.Tensor2D;
    };
    const withMirror = (run: (x: TF.Tensor4D) => TF.Tensor2D, x: TF.Tensor4D) =>
      opts.flip ? tf.div(tf.add(run(x), run(tf.reverse(x, 2))), 2) : run(x);
    const parts: TF.Tensor2D[] = [];
    if (w > 0) {
      const humanIn = tf.image.resizeBilinear(grey, [HUMAN_EMOTION_INPUT, HUMAN_EMOTION_INPUT]);
      parts.push(tf.mul(withMirror(runHuman, humanIn), w));
    }
    if (w < 1) {
      const faceApiIn = tf.image.resizeBilinear(rgb, [FACE_API_INPUT, FACE_API_INPUT]);
      parts.push(tf.mul(withMirror(runFaceApi, faceApiIn), 1 - w));
    }
    const mix = tf.addN(parts);
    // Both models end in softmax; renormalising only removes float drift.
    return tf.div(mix, tf.sum(mix, 1, true)) as TF.Tensor2D;
  });
  const flat = await combined.data();
  combined.dispose();
  const n = EXPRESSIONS.length;
  return crops.map((_, i) => Array.from(flat.subarray(i * n, (i + 1) * n)));
}
