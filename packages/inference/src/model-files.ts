import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import type * as TF from "@tensorflow/tfjs";
import { InferenceConfigError } from "./errors.ts";
import type { Tf } from "./runtime.ts";

const require = createRequire(import.meta.url);

/** `@vladmandic/face-api/model`: the weights face-api ships. */
export function defaultFaceApiModelDir(): string {
  return path.join(path.dirname(require.resolve("@vladmandic/face-api/package.json")), "model");
}

/** `@vladmandic/human/models`: the weights Human ships (its package exports hide package.json). */
export function defaultHumanModelDir(): string {
  return path.resolve(path.dirname(require.resolve("@vladmandic/human")), "..", "models");
}

interface WeightsGroup {
  paths: string[];
  weights: TF.io.WeightsManifestEntry[];
}

/**
 * Reads a face-api weights manifest (`<name>-weights_manifest.json` + its shards) from disk into named
 * tensors, without any URL or fetch: models load offline, from the installed package.
 *
 * @throws InferenceConfigError naming the file that is missing or malformed.
 */
export async function readFaceApiWeights(tf: Tf, dir: string, name: string): Promise<TF.NamedTensorMap> {
  const manifestPath = path.join(dir, `${name}-weights_manifest.json`);
  const manifest = await readJson<WeightsGroup[]>(manifestPath);
  const map: TF.NamedTensorMap = {};
  for (const group of manifest) {
    const shards = await Promise.all(group.paths.map((p) => readBinary(path.join(dir, p))));
    Object.assign(map, tf.io.decodeWeights(concat(shards), group.weights));
  }
  return map;
}

/**
 * Loads a TensorFlow.js graph model (`<name>.json` + `.bin` shards, the format Human ships) from disk
 * through `tf.io.fromMemory`.
 *
 * @throws InferenceConfigError naming the file that is missing or malformed.
 */
export async function readGraphModel(tf: Tf, dir: string, name: string): Promise<TF.GraphModel> {
  const jsonPath = path.join(dir, `${name}.json`);
  const json = await readJson<{ modelTopology: unknown; weightsManifest: WeightsGroup[] }>(jsonPath);
  if (!json.modelTopology || !Array.isArray(json.weightsManifest))
    throw new InferenceConfigError(`${jsonPath} is not a TensorFlow.js graph model`);
  const weightSpecs = json.weightsManifest.flatMap((g) => g.weights);
  const shards = await Promise.all(
    json.weightsManifest.flatMap((g) => g.paths).map((p) => readBinary(path.join(dir, p))),
  );
  try {
    return await tf.loadGraphModel(
      tf.io.fromMemory({
        modelTopology: json.modelTopology as object,
        weightSpecs,
        weightData: concat(shards),
      }),
    );
  } catch (err) {
    throw new InferenceConfigError(`cannot load graph model ${jsonPath}: ${String(err)}`, { cause: err });
  }
}

async function readJson<T>(file: string): Promise<T> {
  try {
    return JSON.parse(await readFile(file, "utf8")) as T;
  } catch (err) {
    throw new InferenceConfigError(`cannot read model file ${file}: ${String(err)}`, { cause: err });
  }
}

async function readBinary(file: string): Promise<Uint8Array> {
  try {
    return await readFile(file);
  } catch (err) {
    throw new InferenceConfigError(`cannot read model file ${file}: ${String(err)}`, { cause: err });
  }
}

/** One ArrayBuffer holding every shard back to back (what tfjs weight decoding expects). */
function concat(parts: Uint8Array[]): ArrayBuffer {
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out.buffer;
}
