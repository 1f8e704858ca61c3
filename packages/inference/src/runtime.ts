import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type * as TF from "@tensorflow/tfjs";
import { InferenceConfigError } from "./errors.ts";

/** The TensorFlow.js namespace (the one instance face-api bundles against). */
export type Tf = typeof TF;

/**
 * Backends in the order tried by default:
 * - `tensorflow` — native libtensorflow via `@tensorflow/tfjs-node` (optional dependency, fastest; it
 *   does not install everywhere, so its absence is normal and silent apart from a note);
 * - `wasm` — `@tensorflow/tfjs-backend-wasm` with SIMD, wasm binaries read from the local package;
 * - `cpu` — plain JavaScript kernels, 10–50× slower: usable for tests, not for a camera.
 */
export const BACKENDS = ["tensorflow", "wasm", "cpu"] as const;
export type BackendName = (typeof BACKENDS)[number];

/** Where diagnostics go; pino's logger fits (`(obj?, msg)` is not needed, plain strings are passed). */
export interface InferenceLogger {
  info(msg: string): void;
  warn(msg: string): void;
}

/** The parts of face-api's network classes this package drives; face-api's own typings bundle a private tf. */
export interface FaceApiNet {
  loadFromWeightMap(weightMap: TF.NamedTensorMap): void;
  dispose(throwOnRedispose?: boolean): void;
  readonly isLoaded: boolean;
}
export interface FaceApiTinyFaceDetector extends FaceApiNet {
  readonly params: unknown;
  runMobilenet(x: TF.Tensor4D, params: unknown): TF.Tensor4D;
}
export interface FaceApiDetection {
  score: number;
  box: { x: number; y: number; width: number; height: number };
}
export interface FaceApiSsd extends FaceApiNet {
  locateFaces(input: TF.Tensor3D, options: unknown): Promise<FaceApiDetection[]>;
}
/** Expression and landmark nets: 112×112 RGB in, one row per face out. */
export interface FaceApiProcessorNet extends FaceApiNet {
  forwardInput(input: unknown): TF.Tensor2D;
}
export interface FaceApiModule {
  TinyFaceDetector: new () => FaceApiTinyFaceDetector;
  SsdMobilenetv1: new () => FaceApiSsd;
  SsdMobilenetv1Options: new (o: { minConfidence: number; maxResults: number }) => unknown;
  FaceExpressionNet: new () => FaceApiProcessorNet;
  FaceLandmark68TinyNet: new () => FaceApiProcessorNet;
  NetInput: new (inputs: TF.Tensor3D[]) => unknown;
}

/** A TensorFlow.js engine with one backend active, and face-api built against it. */
export interface Runtime {
  tf: Tf;
  faceapi: FaceApiModule;
  backend: BackendName;
  /** What was tried and why it failed or was chosen, for logs and the benchmark. */
  notes: string[];
}

const require = createRequire(import.meta.url);

/** Folder holding tfjs-backend-wasm's `.wasm` files, with trailing slash (what `setWasmPaths` wants). */
export function defaultWasmDir(): string {
  return (
    path.join(path.dirname(require.resolve("@tensorflow/tfjs-backend-wasm/package.json")), "dist") + path.sep
  );
}

/**
 * Starts TensorFlow.js on the first backend in `preferences` that initialises, falling through on any
 * failure (module missing, native binding broken, wasm file unreadable). Choosing `cpu` logs a loud warning.
 * The tfjs engine is process-wide: every analyzer in a process shares the backend chosen here, and a
 * second call with other preferences switches it for all of them.
 *
 * @throws InferenceConfigError when no backend in `preferences` starts.
 */
export async function loadRuntime(
  preferences: readonly BackendName[],
  logger: InferenceLogger,
  wasmDir: string = defaultWasmDir(),
): Promise<Runtime> {
  const notes: string[] = [];
  for (const backend of preferences) {
    try {
      const started = await startBackend(backend, wasmDir, notes);
      if (!started) continue;
      if (backend === "cpu")
        logger.warn(
          "inference: running on the plain-JS cpu backend — 10-50x slower than wasm; fine for tests, " +
            `too slow for cameras (${notes.join("; ")})`,
        );
      else logger.info(`inference: tfjs backend ${backend} (${notes.join("; ")})`);
      return { ...started, backend, notes };
    } catch (err) {
      notes.push(`${backend}: ${err instanceof Error ? err.message.split("\n")[0] : String(err)}`);
    }
  }
  throw new InferenceConfigError(`no tfjs backend could start: ${notes.join("; ")}`);
}

async function startBackend(
  backend: BackendName,
  wasmDir: string,
  notes: string[],
): Promise<{ tf: Tf; faceapi: FaceApiModule } | undefined> {
  if (backend === "tensorflow") {
    // A variable specifier keeps TypeScript and bundlers from requiring the optional package.
    const tfjsNode = "@tensorflow/tfjs-node";
    try {
      await import(tfjsNode);
    } catch (err) {
      const missing = (err as { code?: string }).code === "ERR_MODULE_NOT_FOUND";
      notes.push(
        `tensorflow: @tensorflow/tfjs-node ${missing ? "not installed" : `failed to load (${firstLine(err)})`}`,
      );
      return undefined;
    }
    const faceapi = await importFaceApi("@vladmandic/face-api/dist/face-api.node.js");
    const tf = faceapi.tf;
    if (!(await tf.setBackend("tensorflow"))) {
      notes.push("tensorflow: backend failed to initialise");
      return undefined;
    }
    notes.push("tensorflow: native libtensorflow");
    return { tf, faceapi: faceapi.module };
  }
  const faceapi = await importFaceApi("@vladmandic/face-api/dist/face-api.node-wasm.js");
  const tf = faceapi.tf;
  if (backend === "wasm") {
    const simd = path.join(wasmDir, "tfjs-backend-wasm-simd.wasm");
    if (!existsSync(simd)) {
      notes.push(`wasm: ${simd} not found`);
      return undefined;
    }
    faceapi.setWasmPaths(wasmDir);
    if (!(await tf.setBackend("wasm"))) {
      notes.push(`wasm: backend failed to initialise from ${wasmDir}`);
      return undefined;
    }
    await tf.ready();
    const hasSimd = await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT");
    notes.push(`wasm: ${hasSimd ? "SIMD" : "no SIMD"}, 1 thread`);
    return { tf, faceapi: faceapi.module };
  }
  if (!(await tf.setBackend("cpu"))) {
    notes.push("cpu: backend failed to initialise");
    return undefined;
  }
  notes.push("cpu: plain JavaScript kernels");
  return { tf, faceapi: faceapi.module };
}

async function importFaceApi(
  specifier: string,
): Promise<{ module: FaceApiModule; tf: Tf; setWasmPaths: (dir: string) => void }> {
  const mod = (await import(specifier)) as { default?: unknown };
  // face-api's bundles are CommonJS: Node's ESM loader exposes module.exports as `default` as well.
  const api = (mod.default ?? mod) as FaceApiModule & {
    tf: Tf & { setWasmPaths?: (dir: string) => void };
  };
  return {
    module: api,
    tf: api.tf,
    setWasmPaths: (dir) => {
      if (!api.tf.setWasmPaths) throw new Error("this face-api bundle has no wasm backend");
      api.tf.setWasmPaths(dir);
    },
  };
}

function firstLine(err: unknown): string {
  return err instanceof Error ? err.message.split("\n")[0]! : String(err);
}
