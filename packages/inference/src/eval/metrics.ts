import type { FramePxBox } from "@shelf/core";
import { boxIou } from "../box-math.ts";

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
  /** A face too small or ambiguous to count: matching it is neither a hit nor a false positive. */
  ignore?: boolean;
}

/**
 * Matches detections to ground truth the PASCAL VOC way: detections in descending score order each take
 * the unmatched ground-truth box they overlap most, if that overlap is at least `iouThreshold`.
 *
 * @returns true positives, false positives (unmatched detections) and false negatives (missed faces);
 *   detections matched to `ignore` boxes and ignored faces themselves count in none of them.
 */
export function matchDetections(
  truth: readonly GroundTruthBox[],
  detections: readonly { box: FramePxBox; score: number }[],
  iouThreshold: number,
): { tp: number; fp: number; fn: number } {
  const taken = new Array<boolean>(truth.length).fill(false);
  let tp = 0;
  let fp = 0;
  for (const d of [...detections].sort((a, b) => b.score - a.score)) {
    let best = -1;
    let bestIou = iouThreshold;
    truth.forEach((g, i) => {
      if (taken[i]) return;
      const v = boxIou(g, d.box);
      if (v >= bestIou) [best, bestIou] = [i, v];
    });
    if (best < 0) fp++;
    else {
      taken[best] = true;
      if (!truth[best]!.ignore) tp++;
    }
  }
  const fn = truth.filter((g, i) => !g.ignore && !taken[i]).length;
  return { tp, fp, fn };
}
