import { z } from "zod";
import { BACKENDS } from "./runtime.ts";
import { DEFAULT_MAX_PIXELS } from "./frame.ts";
import { InferenceConfigError } from "./errors.ts";

/** Every property optional, recursively; arrays are replaced whole, not merged. */
export type DeepPartial<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;

const ZTinyConfig = z
  .object({
    /**
     * Longer side of the network input, px, multiple of 32. The frame is resized to it keeping its aspect
     * ratio: no square padding, so a 4:3 frame costs 25 % less than face-api's own square input and a 16:9
     * one 44 % less. Faces smaller than about 45 px at network scale are missed, so pick it from the
     * smallest face you need: `inputSize ≈ frame long side × 55 / smallest face px`.
     */
    inputSize: z.number().int().min(128).max(2048).multipleOf(32),
    /** Minimum detector confidence, 0…1. */
    scoreThreshold: z.number().min(0.05).max(0.99),
    /** Boxes overlapping a better one by more than this IoU are suppressed. */
    nmsIou: z.number().min(0.1).max(0.9),
  })
  .strict();

const ZBlazeFaceConfig = z
  .object({
    /**
     * Minimum detection score, 0…1. At 0.65 recall is 100 % on face-boxes and 98.5 % on the annotated store
     * clips at 97.7 % / 100 % precision; lower lets in textures and heads seen from behind, higher loses
     * 12–16 px faces (threshold sweep in the README, "Detection").
     */
    minScore: z.number().min(0.05).max(0.99),
    /** Smallest face a full scan looks for, px in the frame: sets the pyramid's finest level. */
    minFacePx: z.number().min(4).max(512),
    /** Largest face a full scan looks for, as a fraction of the frame's shorter side: sets the coarsest level. */
    maxFaceFraction: z.number().min(0.05).max(1),
    /** Detections overlapping a better one by more than this IoU are suppressed (across scales too). */
    nmsIou: z.number().min(0.1).max(0.9),
  })
  .strict();

const ZSsdConfig = z
  .object({
    /** Minimum detector confidence, 0…1. The network always sees a 512×512 square of the frame. */
    minConfidence: z.number().min(0.05).max(0.99),
  })
  .strict();

export const ZAnalyzerConfig = z
  .object({
    /** Backends tried in order; the first that starts wins (see `BACKENDS`). */
    backends: z.array(z.enum(BACKENDS)).min(1),
    /** Folders with model weights; empty string = the installed package's own folder. */
    models: z
      .object({
        faceApiDir: z.string(),
        humanDir: z.string(),
        wasmDir: z.string(),
        /** The ONNX expression model file; empty string = the one shipped in `models/`. */
        expressionOnnx: z.string(),
        /** The ONNX BlazeFace file; empty string = the one shipped in `models/`. */
        blazefaceOnnx: z.string(),
      })
      .strict(),
    detector: z
      .object({
        /**
         * `blazeface` (default: MediaPipe's BlazeFace on ONNX Runtime, run as a pyramid or on regions; falls
         * back to `tiny` when onnxruntime-node cannot load), `tiny` (face-api's TinyFaceDetector on tfjs) or
         * `ssd` (face-api's SsdMobilenetv1 on tfjs: fixed 512 px input, slow).
         */
        kind: z.enum(["blazeface", "tiny", "ssd"]),
        blazeface: ZBlazeFaceConfig,
        tiny: ZTinyConfig,
        ssd: ZSsdConfig,
        /** At most this many faces per frame (highest scores kept). */
        maxFaces: z.number().int().min(1).max(500),
      })
      .strict(),
    /**
     * Measure each face's frontality. BlazeFace's own six keypoints do it for free; with `tiny` or `ssd` this
     * runs face-api's 68-point landmark net (tfjs, ~5–9 ms per face).
     */
    landmarks: z.boolean(),
    expression: z
      .object({
        /**
         * `onnx`: our own FER-2013 model on ONNX Runtime (default; README "Expression"); `ensemble`: the
         * tfjs ensemble of Human's and face-api's models. When onnxruntime-node cannot load on a machine,
         * `onnx` falls back to `ensemble` with a warning. `none`: no expression model at all (the camera
         * agent only detects; classify() then throws).
         */
        model: z.enum(["onnx", "ensemble", "none"]),
        /** ONNX Runtime intra-op threads (1 = one core per process, like the wasm backend). */
        onnxThreads: z.number().int().min(1).max(64),
        /**
         * `ensemble` only: weight of Human's emotion model (mini-Xception, 64×64 grey) in the probability
         * average; face-api's expression net gets the rest. 0.7 was best on FER-2013 PublicTest (README).
         */
        humanWeight: z.number().min(0).max(1),
        /** Also classify each crop mirrored and average (test-time augmentation, 2× cost; README "Expression"). */
        flip: z.boolean(),
        /**
         * `onnx` only: average ten views instead (centre and four corner crops, each mirrored; 10× cost of one
         * view, still faster than the ensemble; README "Expression").
         */
        tenCrop: z.boolean(),
        /** Crops per model call. */
        batchSize: z.number().int().min(1).max(256),
      })
      .strict(),
    quality: z
      .object({
        /** Smallest face, px (shorter box side in the frame), worth reading an expression from. */
        minFaceSize: z.number().min(8).max(2000),
        /** Detection score below which a face is reported but not trusted, 0…1. */
        minScore: z.number().min(0).max(1),
        /** Largest accepted blur, 0…1 (see `greyBlur`; FER-2013 itself reaches 0.92 only once, a blank). */
        maxBlur: z.number().min(0).max(1),
        /** Smallest accepted grey-level standard deviation, 0–255: below it a crop is flat (blank, dark). */
        minContrast: z.number().min(0).max(128),
        /**
         * Smallest accepted frontality, 0…1 (needs `landmarks`): BlazeFace keypoints — nose between the eyes and
         * both ears equally far from their eye; 68-point landmarks — jaw symmetry about the nose (~25° yaw at 0.3).
         */
        minFrontal: z.number().min(0).max(1),
        /** Smallest crop side classify() accepts, px. */
        minCropSide: z.number().int().min(8).max(160),
      })
      .strict(),
    /** Largest frame or encoded image accepted, px. */
    maxPixels: z.number().int().min(1).max(500_000_000),
  })
  .strict();

export type AnalyzerConfig = z.infer<typeof ZAnalyzerConfig>;

/**
 * Documented defaults. Detection: BlazeFace as a pyramid from 16 px faces to half the frame's shorter side,
 * which finds every face of face-boxes and of the annotated store clips (README, "Detection").
 */
export const DEFAULT_ANALYZER_CONFIG: AnalyzerConfig = {
  backends: ["tensorflow", "wasm", "cpu"],
  models: { faceApiDir: "", humanDir: "", wasmDir: "", expressionOnnx: "", blazefaceOnnx: "" },
  detector: {
    kind: "blazeface",
    blazeface: { minScore: 0.65, minFacePx: 16, maxFaceFraction: 0.5, nmsIou: 0.3 },
    tiny: { inputSize: 800, scoreThreshold: 0.4, nmsIou: 0.4 },
    ssd: { minConfidence: 0.5 },
    maxFaces: 64,
  },
  landmarks: true,
  expression: { model: "onnx", onnxThreads: 1, humanWeight: 0.7, flip: true, tenCrop: false, batchSize: 32 },
  quality: {
    minFaceSize: 40,
    minScore: 0.5,
    maxBlur: 0.92,
    minContrast: 8,
    minFrontal: 0.3,
    minCropSide: 32,
  },
  maxPixels: DEFAULT_MAX_PIXELS,
};

/**
 * Deep-merges `partial` over the defaults and validates the result.
 *
 * @throws InferenceConfigError listing every invalid field by path.
 */
export function resolveConfig(partial: DeepPartial<AnalyzerConfig> = {}): AnalyzerConfig {
  const merged = deepMerge(DEFAULT_ANALYZER_CONFIG, partial);
  const parsed = ZAnalyzerConfig.safeParse(merged);
  if (!parsed.success)
    throw new InferenceConfigError(
      `invalid analyzer config: ${parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ")}`,
    );
  return parsed.data;
}

function deepMerge(base: unknown, over: unknown): unknown {
  if (over === undefined) return structuredClone(base);
  if (isPlainObject(base) && isPlainObject(over)) {
    const out: Record<string, unknown> = {};
    for (const key of new Set([...Object.keys(base), ...Object.keys(over)]))
      out[key] = deepMerge(base[key], over[key]);
    return out;
  }
  return over;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
