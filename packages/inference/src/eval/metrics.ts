import { iou, type FramePxBox } from "@shelf/core";

/** Classification metrics over `labels.length` classes; a prediction of -1 means "unknown" (abstained). */
export interface ClassificationMetrics {
  n: number;
  /** Correct / n: an abstention counts as an error. */
  accuracy: number;
  /** Classified / n. */
  coverage: number;
  /** Correct / classified. */
  accuracyOnClassified: number;
  /** Unweighted mean of per-class F1 (abstentions count as misses of their true class). */
  macroF1: number;
  perClass: Record<string, { n: number; recall: number; precision: number; f1: number }>;
  /** Rows: true class; columns: predicted class, then one last column for "unknown". */
  confusion: number[][];
}

/**
 * Accuracy, macro-F1, per-class recall/precision/F1 and the confusion matrix.
 *
 * @param truth - true class index per sample.
 * @param predicted - predicted class index per sample, or -1 when the model abstained.
 */
export function classificationMetrics(
  labels: readonly string[],
  truth: readonly number[],
  predicted: readonly number[],
): ClassificationMetrics {
  if (truth.length !== predicted.length) throw new Error("truth and predicted differ in length");
  const k = labels.length;
  const confusion = Array.from({ length: k }, () => new Array<number>(k + 1).fill(0));
  truth.forEach((t, i) => {
    const p = predicted[i]!;
    confusion[t]![p < 0 ? k : p]!++;
  });
  const n = truth.length;
  let correct = 0;
  let classified = 0;
  const perClass: ClassificationMetrics["perClass"] = {};
  let f1Sum = 0;
  labels.forEach((label, c) => {
    const row = confusion[c]!;
    const support = row.reduce((a, b) => a + b, 0);
    const tp = row[c]!;
    const predictedAsC = confusion.reduce((a, r) => a + r[c]!, 0);
    correct += tp;
    classified += support - row[k]!;
    const recall = support ? tp / support : 0;
    const precision = predictedAsC ? tp / predictedAsC : 0;
    const f1 = recall + precision ? (2 * recall * precision) / (recall + precision) : 0;
    f1Sum += f1;
    perClass[label] = { n: support, recall, precision, f1 };
  });
  return {
    n,
    accuracy: n ? correct / n : 0,
    coverage: n ? classified / n : 0,
    accuracyOnClassified: classified ? correct / classified : 0,
    macroF1: k ? f1Sum / k : 0,
    perClass,
    confusion,
  };
}

export interface GroundTruthBox extends FramePxBox {
  /**
   * A region to ignore (a face too small or ambiguous to count, a head seen from behind): a detection
   * lying mostly inside it (≥ half of the detection's area, the Caltech-pedestrian rule) is neither a hit
   * nor a false positive, and missing it is no miss.
   */
  ignore?: boolean;
}

/**
 * Matches detections to ground truth the PASCAL VOC way: detections in descending score order each take
 * the unmatched face box they overlap most, if that overlap is at least `iouThreshold`; a detection that
 * matches no face but lies mostly inside an `ignore` region is dropped from the count.
 *
 * @returns true positives, false positives (unmatched detections), false negatives (missed faces) and the
 *   detections that fell in ignore regions.
 */
export function matchDetections(
  truth: readonly GroundTruthBox[],
  detections: readonly { box: FramePxBox; score: number }[],
  iouThreshold: number,
): { tp: number; fp: number; fn: number; ignored: number } {
  const taken = new Array<boolean>(truth.length).fill(false);
  let tp = 0;
  let fp = 0;
  let ignored = 0;
  for (const d of [...detections].sort((a, b) => b.score - a.score)) {
    let best = -1;
    let bestIou = iouThreshold;
    truth.forEach((g, i) => {
      if (taken[i] || g.ignore) return;
      const v = iou(g, d.box);
      if (v >= bestIou) [best, bestIou] = [i, v];
    });
    if (best >= 0) {
      taken[best] = true;
      tp++;
    } else if (truth.some((g) => g.ignore && insideShare(d.box, g) >= 0.5)) ignored++;
    else fp++;
  }
  const fn = truth.filter((g, i) => !g.ignore && !taken[i]).length;
  return { tp, fp, fn, ignored };
}

/** Share of `a`'s area inside `b`, 0…1. */
function insideShare(a: FramePxBox, b: FramePxBox): number {
  const w = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? (w * h) / (a.w * a.h) : 0;
}
