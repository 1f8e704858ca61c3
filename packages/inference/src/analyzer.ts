import type * as TF from "@tensorflow/tfjs";
import { dominantExpression, type Expression, type FramePxBox, type FramePxPoint } from "@shelf/core";
import { resolveConfig, type AnalyzerConfig, type DeepPartial } from "./config.ts";
import { InferenceInputError, InferenceStateError } from "./errors.ts";
import { tfjsEnsemble } from "./expression.ts";
import {
  assertRgbFrame,
  cropFace,
  DEFAULT_CROP,
  cropProblem,
  cropToGrey,
  decodeImage,
  type FaceCrop,
  type RgbFrame,
} from "./frame.ts";
import { greyBlur, greyContrast, resizeGrey } from "./image-quality.ts";
import { FACE_API_INPUT, frontalScores } from "./landmarks.ts";
import {
  defaultFaceApiModelDir,
  defaultHumanModelDir,
  readFaceApiWeights,
  readGraphModel,
} from "./model-files.ts";
import {
  defaultOnnxModelPath,
  loadOnnxExpressionModel,
  OnnxRuntimeUnavailable,
  type ExpressionClassifier,
} from "./onnx-expression.ts";
import {
  defaultWasmDir,
  loadRuntime,
  type FaceApiProcessorNet,
  type FaceApiSsd,
  type FaceApiTinyFaceDetector,
  type InferenceLogger,
  type Runtime,
} from "./runtime.ts";
import { clipBox } from "./box-math.ts";
import { detectTiny, type RawDetection } from "./tiny-face-detector.ts";
import {
  defaultBlazeFaceModelPath,
  keypointFrontality,
  loadBlazeFace,
  NET_SIDES,
  type BlazeFaceDetector,
  type ScanRegion,
} from "./blazeface.ts";
import { mergeDetections, pyramidRegions, type PyramidOptions } from "./face-scan.ts";

/** Why a face or crop is not trusted for an expression reading. */
export type QualityReason = "too-small" | "low-score" | "too-blurred" | "flat" | "off-frontal";

export interface FaceQuality {
  /** True when no reason applies: the face is worth cropping and classifying. */
  ok: boolean;
  reasons: QualityReason[];
  /** Shorter side of the box, px in the frame. */
  sizePx: number;
  /** 0 (crisp) … 1 (no detail), measured on the 64 px grey crop (see `greyBlur`). */
  blur?: number;
  /** 0 (profile) … 1 (facing the camera); present when landmarks run and the face is not too small. */
  frontal?: number;
}

export interface DetectedFace {
  box: FramePxBox;
  /** Detector confidence, 0…1. */
  score: number;
  quality: FaceQuality;
  /** BlazeFace only: right eye, left eye, nose, mouth, right ear, left ear (frame px). */
  keypoints?: FramePxPoint[];
}

/** Per-call detection options. */
export interface DetectOptions {
  /**
   * BlazeFace only: scan just these regions (each at its own scale) instead of the full-frame pyramid —
   * how {@link FaceScanner} spends detector time only where faces can be.
   */
  regions?: readonly ScanRegion[];
  /** Overrides the configured minimum score for this call (e.g. a low one for the snapshot blur). */
  minScore?: number;
  /** Skip the quality gate and frontality (boxes only: blurring, evaluation). */
  boxesOnly?: boolean;
  /** BlazeFace full scans: face-size range of the pyramid for this call (default: the configured one). */
  pyramid?: PyramidOptions;
}

/**
 * How to frame a crop of this detector's boxes for the expression model (pass to `cropFace`): FER-2013's
 * framing, measured against each detector's boxes on face-boxes (README "Detection").
 */
export interface CropFraming {
  margin: number;
  offsetY: number;
}

/**
 * The tiny detector's boxes are ~1.25× the annotated face and sit low: `cropFace`'s defaults. BlazeFace's are
 * 0.95× and centred (mean over the 43 faces of face-boxes), so the same FER framing needs 15.5 % more on each
 * side and a smaller upward shift.
 */
export const CROP_FRAMING: Record<"blazeface" | "tiny" | "ssd", CropFraming> = {
  blazeface: { margin: 0.155, offsetY: -0.08 },
  tiny: { margin: DEFAULT_CROP.margin, offsetY: DEFAULT_CROP.offsetY },
  ssd: { margin: DEFAULT_CROP.margin, offsetY: DEFAULT_CROP.offsetY },
};

export interface DetectResult {
  faces: DetectedFace[];
  /** Crop framing for these boxes (see {@link CropFraming}). */
  cropFraming: CropFraming;
  /** Per-stage wall time, ms: decode, detect, quality, landmarks, total. */
  timings: Record<string, number>;
  /** The frame the boxes refer to (decoded when an encoded image came in). */
  frame: RgbFrame;
}

export type ClassifyResult =
  | {
      status: "ok";
      /** 7 probabilities in EXPRESSIONS order, summing to 1. */ probs: number[];
      dominant: Expression;
    }
  | {
      status: "unknown";
      /** Starts with a stable code: invalid-crop, too-small, too-blurred, flat. */ reason: string;
    };

/**
 * Face detection and expression classification with an explicit lifecycle:
 * `load()` → `warmup()` → `detect()` / `classify()` … → `dispose()`. All model state lives in the instance.
 */
export interface FaceAnalyzer {
  /**
   * The tfjs backend in use after `load()` ("tensorflow", "wasm" or "cpu"), or "none" when no tfjs model is
   * needed (BlazeFace and the ONNX expression model both run on onnxruntime-node).
   */
  readonly backend: string;
  /** The face detector in use after `load()`, e.g. `onnx:blazeface-back` or `tfjs:tiny-800`; "none" before. */
  readonly detector: string;
  /** Why that backend (and expression model): what was tried and how it went. */
  readonly backendNotes: readonly string[];
  /** The expression model in use after `load()`: `onnx:<name>` or `tfjs:human+face-api`; "none" before. */
  readonly expressionModel: string;
  /** The effective configuration (defaults merged with what was passed). */
  readonly config: AnalyzerConfig;
  /** Starts the backend and reads every model from disk. Idempotent. */
  load(): Promise<void>;
  /** Runs each model once so that the first real frame does not pay kernel set-up. */
  warmup(): Promise<void>;
  /** Frees every tensor the analyzer owns. Idempotent; the analyzer cannot be used afterwards. */
  dispose(): Promise<void>;
  /**
   * Finds faces in a raw RGB frame or an encoded image, with a quality verdict for each.
   *
   * @throws InferenceInputError on an unusable frame or image; InferenceStateError before load().
   */
  detect(frame: RgbFrame | Uint8Array, opts?: DetectOptions): Promise<DetectResult>;
  /**
   * Expression probabilities for a batch of crops; a crop failing the crop-level checks (malformed,
   * too small, too blurred, flat) gets `status: "unknown"` and never fails the rest of the batch.
   *
   * @throws InferenceStateError before load().
   */
  classify(crops: FaceCrop[]): Promise<ClassifyResult[]>;
  /** Live tensors in the process's tfjs engine (shared by every analyzer in the process). */
  tensorCount(): number;
}

/**
 * Creates an analyzer; nothing is loaded until `load()`.
 *
 * @param config - deep-merged over {@link DEFAULT_ANALYZER_CONFIG}, then validated.
 * @param deps.logger - receives backend choice and warnings; default `console`.
 * @throws InferenceConfigError on an invalid configuration.
 */
export function createFaceAnalyzer(
  config: DeepPartial<AnalyzerConfig> = {},
  deps: { logger?: InferenceLogger } = {},
): FaceAnalyzer {
  return new Analyzer(resolveConfig(config), deps.logger ?? console);
}

interface LoadedModels {
  /** tfjs, loaded only when a tfjs model is in use. */
  runtime?: Runtime;
  blazeface?: BlazeFaceDetector;
  tiny?: FaceApiTinyFaceDetector;
  ssd?: FaceApiSsd;
  landmarks?: FaceApiProcessorNet;
  expression?: ExpressionClassifier;
  /** Notes on the expression model choice (e.g. a fallback), appended to the runtime's. */
  notes: string[];
}

/** Side of the grey crop the quality gate measures blur and contrast on, px. */
const QUALITY_CROP = 64;

class Analyzer implements FaceAnalyzer {
  private models: LoadedModels | undefined;
  private loading: Promise<void> | undefined;
  private disposed = false;

  constructor(
    readonly config: AnalyzerConfig,
    private readonly logger: InferenceLogger,
  ) {}

  get backend(): string {
    return this.models?.runtime?.backend ?? "none";
  }

  get backendNotes(): readonly string[] {
    return this.models ? [...(this.models.runtime?.notes ?? []), ...this.models.notes] : [];
  }

  get expressionModel(): string {
    return this.models?.expression?.name ?? "none";
  }

  get detector(): string {
    const m = this.models;
    if (!m) return "none";
    if (m.blazeface) return m.blazeface.name;
    return m.tiny ? `tfjs:tiny-${this.config.detector.tiny.inputSize}` : "tfjs:ssd-mobilenetv1";
  }

  load(): Promise<void> {
    if (this.disposed) return Promise.reject(new InferenceStateError("analyzer was disposed"));
    this.loading ??= this.loadModels().catch((err: unknown) => {
      this.loading = undefined;
      throw err;
    });
    return this.loading;
  }

  private async loadModels(): Promise<void> {
    const { models: dirs, detector } = this.config;
    const owned: { dispose(): unknown }[] = [];
    const notes: string[] = [];
    let runtime: Runtime | undefined;
    // tfjs starts only for a tfjs model: BlazeFace and the ONNX expression model run on onnxruntime-node.
    const tfjs = async (): Promise<Runtime> =>
      (runtime ??= await loadRuntime(this.config.backends, this.logger, dirs.wasmDir || defaultWasmDir()));
    const faceApiDir = dirs.faceApiDir || defaultFaceApiModelDir();
    const net = async <N extends { loadFromWeightMap(m: TF.NamedTensorMap): void; dispose(): void }>(
      make: (rt: Runtime) => N,
      file: string,
    ): Promise<N> => {
      const rt = await tfjs();
      const n = make(rt);
      n.loadFromWeightMap(await readFaceApiWeights(rt.tf, faceApiDir, file));
      owned.push(n);
      return n;
    };
    try {
      const ensemble = async () => {
        const rt = await tfjs();
        const human = await readGraphModel(rt.tf, dirs.humanDir || defaultHumanModelDir(), "emotion");
        owned.push(human);
        const faceApi = await net((r) => new r.faceapi.FaceExpressionNet(), "face_expression_model");
        return tfjsEnsemble(rt.tf, rt.faceapi, { human, faceApi }, this.config.expression.humanWeight);
      };
      const loaded: LoadedModels = { notes };
      const { model } = this.config.expression;
      if (model === "onnx") {
        try {
          loaded.expression = await loadOnnxExpressionModel(dirs.expressionOnnx || defaultOnnxModelPath(), {
            threads: this.config.expression.onnxThreads,
          });
          owned.push(loaded.expression);
          notes.push(`expression: ${loaded.expression.name} on onnxruntime-node (CPU)`);
        } catch (err) {
          if (!(err instanceof OnnxRuntimeUnavailable)) throw err;
          this.logger.warn(`${err.message}; falling back to the tfjs expression ensemble`);
          loaded.expression = await ensemble();
          notes.push(`expression: ${loaded.expression.name} (onnxruntime-node unavailable)`);
        }
      } else if (model === "ensemble") {
        loaded.expression = await ensemble();
        notes.push(`expression: ${loaded.expression.name}`);
      }
      let kind = detector.kind;
      if (kind === "blazeface") {
        try {
          loaded.blazeface = await loadBlazeFace(dirs.blazefaceOnnx || defaultBlazeFaceModelPath(), {
            threads: this.config.expression.onnxThreads,
          });
          owned.push(loaded.blazeface);
          notes.push(`detector: ${loaded.blazeface.name} on onnxruntime-node (CPU)`);
        } catch (err) {
          if (!(err instanceof OnnxRuntimeUnavailable)) throw err;
          this.logger.warn(`${err.message}; falling back to the tfjs tiny face detector`);
          kind = "tiny";
          notes.push("detector: tfjs tiny face detector (onnxruntime-node unavailable)");
        }
      }
      if (kind === "tiny")
        loaded.tiny = await net((r) => new r.faceapi.TinyFaceDetector(), "tiny_face_detector_model");
      else if (kind === "ssd")
        loaded.ssd = await net((r) => new r.faceapi.SsdMobilenetv1(), "ssd_mobilenetv1_model");
      // BlazeFace measures frontality from its own keypoints; the others need the 68-point net.
      if (this.config.landmarks && !loaded.blazeface)
        loaded.landmarks = await net(
          (r) => new r.faceapi.FaceLandmark68TinyNet(),
          "face_landmark_68_tiny_model",
        );
      loaded.runtime = runtime;
      if (this.disposed) throw new InferenceStateError("analyzer was disposed while loading");
      this.models = loaded;
    } catch (err) {
      for (const m of owned) await Promise.resolve(m.dispose()).catch(() => undefined);
      throw err;
    }
  }

  async warmup(): Promise<void> {
    const m = this.ready();
    const frame: RgbFrame = {
      width: 640,
      height: 480,
      channels: 3,
      data: new Uint8Array(640 * 480 * 3).fill(128),
    };
    await this.detect(frame);
    if (m.blazeface) {
      // Plan the square region shapes the FaceScanner uses (ScanRegion.snap) before the first real frame.
      for (const side of NET_SIDES.filter((s) => s <= 384))
        await m.blazeface.detect(
          frame,
          [{ box: { x: 0, y: 0, w: side, h: side }, scale: 1, snap: true }],
          0.99,
        );
    }
    const crop = cropFace(frame, { x: 280, y: 200, w: 80, h: 80 }, { size: FACE_API_INPUT, channels: 3 });
    if (m.landmarks && m.runtime) await frontalScores(m.runtime.tf, m.runtime.faceapi, m.landmarks, [crop]);
    await m.expression?.classify([crop], this.config.expression);
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    // A load in flight finishes first, so that what it allocated is freed here rather than leaked.
    await this.loading?.catch(() => undefined);
    const m = this.models;
    this.models = undefined;
    if (!m) return;
    m.tiny?.dispose();
    m.ssd?.dispose();
    m.landmarks?.dispose();
    await m.blazeface?.dispose();
    await m.expression?.dispose();
  }

  tensorCount(): number {
    return this.models?.runtime ? this.models.runtime.tf.memory().numTensors : 0;
  }

  async detect(input: RgbFrame | Uint8Array, opts: DetectOptions = {}): Promise<DetectResult> {
    const m = this.ready();
    const timings: Record<string, number> = {};
    const started = performance.now();
    let lap = started;
    const mark = (stage: string) => {
      const now = performance.now();
      timings[stage] = round2(now - lap);
      lap = now;
    };

    let frame: RgbFrame;
    if (input instanceof Uint8Array) frame = await decodeImage(input, { maxPixels: this.config.maxPixels });
    else {
      assertRgbFrame(input, this.config.maxPixels);
      frame = input;
    }
    mark("decode");

    const raw = await this.runDetector(m, frame, opts);
    mark("detect");
    if (opts.boxesOnly) {
      timings.total = round2(performance.now() - started);
      const faces = raw.map(({ box, score, keypoints }) => ({
        box,
        score,
        quality: { ok: false, reasons: [], sizePx: round2(Math.min(box.w, box.h)) },
        ...(keypoints ? { keypoints } : {}),
      }));
      return { faces, timings, frame, cropFraming: this.framing(m) };
    }

    const { quality: q } = this.config;
    const framing = this.framing(m);
    const faces: DetectedFace[] = raw.map(({ box, score, keypoints }) => {
      const grey = cropFace(frame, box, { size: QUALITY_CROP, channels: 1, ...framing }).data;
      const sizePx = Math.min(box.w, box.h);
      const blur = greyBlur(grey, QUALITY_CROP, QUALITY_CROP);
      const reasons: QualityReason[] = [];
      if (sizePx < q.minFaceSize) reasons.push("too-small");
      if (score < q.minScore) reasons.push("low-score");
      if (blur > q.maxBlur) reasons.push("too-blurred");
      if (greyContrast(grey) < q.minContrast) reasons.push("flat");
      const quality: FaceQuality = {
        ok: reasons.length === 0,
        reasons,
        sizePx: round2(sizePx),
        blur: round3(blur),
      };
      if (keypoints && this.config.landmarks && !reasons.includes("too-small")) {
        quality.frontal = round3(keypointFrontality(keypoints));
        if (quality.frontal < q.minFrontal) {
          reasons.push("off-frontal");
          quality.ok = false;
        }
      }
      return { box, score, quality, ...(keypoints ? { keypoints } : {}) };
    });
    mark("quality");

    if (m.landmarks && m.runtime) {
      const { tf } = m.runtime;
      // Landmarks on a face already too small would be guesswork and cost 5-9 ms each: skip those.
      const measured = faces.filter((f) => !f.quality.reasons.includes("too-small"));
      const crops = measured.map((f) =>
        cropFace(frame, f.box, { size: FACE_API_INPUT, channels: 3, margin: 0, offsetY: 0 }),
      );
      const frontal = await frontalScores(tf, m.runtime.faceapi, m.landmarks, crops);
      measured.forEach((f, i) => {
        f.quality.frontal = round3(frontal[i]!);
        if (frontal[i]! < q.minFrontal) {
          f.quality.reasons.push("off-frontal");
          f.quality.ok = false;
        }
      });
      mark("landmarks");
    }
    timings.total = round2(performance.now() - started);
    return { faces, timings, frame, cropFraming: framing };
  }

  private framing(m: LoadedModels): CropFraming {
    return m.blazeface ? CROP_FRAMING.blazeface : m.tiny ? CROP_FRAMING.tiny : CROP_FRAMING.ssd;
  }

  private async runDetector(
    m: LoadedModels,
    frame: RgbFrame,
    opts: DetectOptions,
  ): Promise<(RawDetection & { keypoints?: FramePxPoint[] })[]> {
    const { detector } = this.config;
    if (m.blazeface) {
      const cfg = detector.blazeface;
      const regions = opts.regions ?? pyramidRegions(frame, { ...cfg, ...opts.pyramid });
      const found = await m.blazeface.detect(frame, regions, opts.minScore ?? cfg.minScore);
      return mergeDetections(found, { iou: cfg.nmsIou, maxFaces: detector.maxFaces }).flatMap((d) => {
        const box = clipBox(d.box, frame.width, frame.height);
        return box ? [{ box, score: d.score, keypoints: d.keypoints }] : [];
      });
    }
    const { tf, faceapi } = m.runtime!;
    const tensor = tf.tensor3d(frame.data, [frame.height, frame.width, 3], "int32");
    try {
      if (m.tiny)
        return await detectTiny(tf, m.tiny, tensor, {
          ...detector.tiny,
          ...(opts.minScore === undefined ? {} : { scoreThreshold: opts.minScore }),
          maxFaces: detector.maxFaces,
        });
      const found = await m.ssd!.locateFaces(
        tensor,
        new faceapi.SsdMobilenetv1Options({
          minConfidence: opts.minScore ?? detector.ssd.minConfidence,
          maxResults: detector.maxFaces,
        }),
      );
      return found.map((d) => ({
        box: { x: d.box.x, y: d.box.y, w: d.box.width, h: d.box.height },
        score: d.score,
      }));
    } finally {
      tensor.dispose();
    }
  }

  async classify(crops: FaceCrop[]): Promise<ClassifyResult[]> {
    const m = this.ready();
    const model = m.expression;
    if (!model)
      throw new InferenceStateError('this analyzer has no expression model (expression.model is "none")');
    if (!Array.isArray(crops)) throw new InferenceInputError("classify() takes an array of crops");
    const { expression } = this.config;
    const results: ClassifyResult[] = new Array(crops.length);
    const accepted: { index: number; crop: FaceCrop }[] = [];
    crops.forEach((crop, index) => {
      const reason = this.cropRejection(crop);
      if (reason) results[index] = { status: "unknown", reason };
      else accepted.push({ index, crop });
    });
    for (let i = 0; i < accepted.length; i += expression.batchSize) {
      const batch = accepted.slice(i, i + expression.batchSize);
      const probs = await model.classify(
        batch.map((b) => b.crop),
        expression,
      );
      batch.forEach((b, k) => {
        const p = probs[k]!;
        results[b.index] = { status: "ok", probs: p, dominant: dominantExpression(p) };
      });
    }
    return results;
  }

  /** The crop-level gate: why this crop cannot be classified, or undefined when it can. */
  private cropRejection(crop: FaceCrop): string | undefined {
    const problem = cropProblem(crop);
    if (problem) return `invalid-crop: ${problem}`;
    const q = this.config.quality;
    const side = Math.min(crop.width, crop.height);
    if (side < q.minCropSide)
      return `too-small: crop is ${crop.width}×${crop.height} px, need ≥ ${q.minCropSide}`;
    if (crop.sourceSizePx !== undefined && crop.sourceSizePx < q.minFaceSize)
      return `too-small: face is ${round2(crop.sourceSizePx)} px in the frame, need ≥ ${q.minFaceSize}`;
    const grey = resizeGrey(cropToGrey(crop), crop.width, crop.height, QUALITY_CROP);
    const contrast = greyContrast(grey);
    if (contrast < q.minContrast) return `flat: grey-level spread ${contrast.toFixed(1)} < ${q.minContrast}`;
    const blur = greyBlur(grey, QUALITY_CROP, QUALITY_CROP);
    if (blur > q.maxBlur) return `too-blurred: blur ${blur.toFixed(3)} > ${q.maxBlur}`;
    return undefined;
  }

  private ready(): LoadedModels {
    if (this.disposed) throw new InferenceStateError("analyzer was disposed");
    if (!this.models) throw new InferenceStateError("call and await load() before using the analyzer");
    return this.models;
  }
}

function round2(v: number): number {
  return Math.round(v * 100) / 100;
}

function round3(v: number): number {
  return Math.round(v * 1000) / 1000;
}
