export {
  createFaceAnalyzer,
  type FaceAnalyzer,
  type DetectedFace,
  type DetectResult,
  type FaceQuality,
  type QualityReason,
  type ClassifyResult,
  type DetectOptions,
  type CropFraming,
  CROP_FRAMING,
} from "./analyzer.ts";
export { FaceScanner, type FaceScannerOptions, type ScanMode, type ScanResult } from "./face-scanner.ts";
export {
  pyramidRegions,
  regionAroundFace,
  mergeDetections,
  NET_FACE_MIN,
  NET_FACE_MAX,
  type PyramidOptions,
} from "./face-scan.ts";
export {
  loadBlazeFace,
  keypointFrontality,
  defaultBlazeFaceModelPath,
  BLAZEFACE_KEYPOINTS,
  type BlazeFaceDetector,
  type FaceDetection,
  type ScanRegion,
} from "./blazeface.ts";
export {
  decodeImage,
  cropFace,
  assertRgbFrame,
  DEFAULT_CROP,
  DEFAULT_MAX_PIXELS,
  type RgbFrame,
  type FaceCrop,
  type CropOptions,
} from "./frame.ts";
export {
  DEFAULT_ANALYZER_CONFIG,
  ZAnalyzerConfig,
  resolveConfig,
  type AnalyzerConfig,
  type DeepPartial,
} from "./config.ts";
export { InferenceError, InferenceInputError, InferenceStateError, InferenceConfigError } from "./errors.ts";
export { BACKENDS, type BackendName, type InferenceLogger } from "./runtime.ts";
export {
  loadOnnxExpressionModel,
  defaultOnnxModelPath,
  DEFAULT_ONNX_MODEL,
  ONNX_EXPRESSION_INPUT,
  OnnxRuntimeUnavailable,
  type ExpressionClassifier,
  type OnnxExpressionModel,
} from "./onnx-expression.ts";
