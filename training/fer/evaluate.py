"""Evaluates trained weights on FER-2013 PublicTest in fp32 (what ONNX Runtime runs): centre crop, mirror
averaging and ten-crop, on all 3,589 faces and without the 280 that duplicate training images.

    python3 -m fer.evaluate --config fer-vgg-s [--weights PATH] [--json]
"""

from __future__ import annotations

import argparse
import json

import numpy as np
import torch
import torch.nn.functional as F

from .augment import normalise, ten_crop
from .data import LABELS, duplicate_mask, load_split
from .metrics import report
from .models import build
from .train import run_dir


@torch.no_grad()
def view_probs(model, x_u8: np.ndarray) -> torch.Tensor:
    """Softmax of the ten views, [10, N, 7] (view 0 = centre, view 5 = mirrored centre)."""
    model.eval()
    out = []
    for i in range(0, len(x_u8), 256):
        views = ten_crop(normalise(torch.from_numpy(x_u8[i : i + 256])))
        n = views[0].shape[0]
        # fp32 (what ONNX Runtime runs); channels-last is ~3x faster on oneDNN than the default layout.
        x = torch.cat(views).contiguous(memory_format=torch.channels_last)
        out.append(F.softmax(model(x), 1).view(10, n, -1))
    return torch.cat(out, 1)


def load_weights(path) -> torch.nn.Module:
    ck = torch.load(path, map_location="cpu")
    model = build(ck["config"]["arch"])
    model.load_state_dict(ck["model"])
    return model.eval().to(memory_format=torch.channels_last)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--config", default="fer-vgg-s")
    ap.add_argument("--weights", help="default: training/runs/<config>/final.pt")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--json", action="store_true", help="print the JSON report only")
    ap.add_argument("--limit", type=int, default=0, help="every k-th face so that about N are scored (quick checks)")
    a = ap.parse_args(argv)
    torch.set_num_threads(a.threads)
    path = a.weights or run_dir(a.config) / "final.pt"
    model = load_weights(path)
    xte, yte = load_split("fer2013-publictest")
    xtr, _ = load_split("fer2013-train")
    if a.limit and a.limit < len(yte):
        keep = np.arange(0, len(yte), len(yte) / a.limit).astype(int)
        xte, yte = xte[keep], yte[keep]
    dup = duplicate_mask(xte, xtr)
    p = view_probs(model, xte)
    preds = {"centre": p[0], "flip": (p[0] + p[5]) / 2, "tenCrop": p.mean(0)}
    result = {"weights": str(path), "split": "fer2013-publictest", "duplicatesOfTraining": int(dup.sum())}
    for name, probs in preds.items():
        pred = probs.argmax(1).numpy()
        result[name] = {"all": report(yte, pred), "withoutDuplicates": report(yte[~dup], pred[~dup])}
    out = run_dir(a.config) / "eval.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    if a.json:
        print(json.dumps(result))
        return
    print(f"{path} on PublicTest ({len(yte)} faces; {int(dup.sum())} duplicates of training images)")
    print(f"{'view':8s} {'accuracy':>9s} {'macro-F1':>9s} {'acc w/o dups':>13s}")
    for name in preds:
        r, c = result[name]["all"], result[name]["withoutDuplicates"]
        print(f"{name:8s} {r['accuracy'] * 100:8.2f}% {r['macroF1']:9.3f} {c['accuracy'] * 100:12.2f}%")
    flip = result["flip"]["all"]["perClass"]
    print("recall (flip): " + ", ".join(f"{k} {flip[k]['recall'] * 100:.1f}%" for k in LABELS))
    print(f"written {out}")


if __name__ == "__main__":
    main()
