"""Accuracy, per-class recall/precision, macro-F1 and confusion, as the project's eval CLI reports them."""

from __future__ import annotations

import numpy as np

from .data import LABELS


def report(truth: np.ndarray, pred: np.ndarray) -> dict:
    k = len(LABELS)
    conf = np.zeros((k, k), np.int64)
    np.add.at(conf, (truth, pred), 1)
    tp = np.diag(conf).astype(float)
    recall = tp / np.maximum(conf.sum(1), 1)
    precision = tp / np.maximum(conf.sum(0), 1)
    f1 = np.where(recall + precision > 0, 2 * recall * precision / np.maximum(recall + precision, 1e-12), 0.0)
    return {
        "n": int(len(truth)),
        "accuracy": float(tp.sum() / max(len(truth), 1)),
        "macroF1": float(f1.mean()),
        "perClass": {
            LABELS[i]: {"n": int(conf[i].sum()), "recall": float(recall[i]), "precision": float(precision[i]), "f1": float(f1[i])}
            for i in range(k)
        },
        "confusion": conf.tolist(),
    }
