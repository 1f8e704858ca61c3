"""Exports trained weights to ONNX for packages/inference, with a parity fixture and metadata.

    python3 -m fer.export --config fer-vgg-s [--weights PATH] [--out ../packages/inference/models]

The graph takes what the project's crops give it — grey levels 0..255, float32 [N,1,48,48] — and does
the rest itself: scaling, standardisation and the centre 44 px crop. Output: logits [N,7] in the
project's expression order. The batch dimension is dynamic. Alongside: ``<name>.json`` (metadata and
measured accuracy) and ``<name>.parity.json`` (fixed inputs and PyTorch fp32 logits; the runtime's test
compares ONNX Runtime's outputs with them).
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import inspect
import json
import subprocess
from pathlib import Path

import numpy as np
import onnx
import torch
from torch import nn

from .data import LABELS, TRAINING_DIR
from .evaluate import load_weights
from .models import CROP, MEAN, STD, macs, n_params
from .train import run_dir

OPSET = 17
SIDE = 48


class Deployed(nn.Module):
    def __init__(self, net: nn.Module):
        super().__init__()
        self.net = net
        m = (SIDE - CROP) // 2
        self.lo, self.hi = m, m + CROP

    def forward(self, pixels: torch.Tensor) -> torch.Tensor:
        x = pixels[:, :, self.lo : self.hi, self.lo : self.hi]
        return self.net((x / 255.0 - MEAN) / STD)


def parity_inputs(n: int = 8) -> np.ndarray:
    """Fixed, dataset-free inputs: seeded noise blended with smooth face-like gradients, uint8 [n,1,48,48]."""
    rng = np.random.default_rng(20261130)
    yy, xx = np.mgrid[0:SIDE, 0:SIDE] / (SIDE - 1)
    out = np.empty((n, 1, SIDE, SIDE), np.uint8)
    for i in range(n):
        blob = np.exp(-(((xx - 0.5) / 0.3) ** 2 + ((yy - 0.45) / 0.38) ** 2))
        eyes = sum(np.exp(-(((xx - cx) / 0.06) ** 2 + ((yy - 0.38) / 0.04) ** 2)) for cx in (0.33, 0.67))
        mouth = np.exp(-(((xx - 0.5) / (0.1 + 0.03 * i)) ** 2 + ((yy - 0.72) / 0.03) ** 2))
        img = 200 * blob - 120 * eyes - (60 + 10 * i) * mouth + rng.normal(0, 12 + 4 * i, (SIDE, SIDE)) + 30
        out[i, 0] = np.clip(img, 0, 255).astype(np.uint8)
    return out


def git_commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "HEAD"], cwd=TRAINING_DIR, capture_output=True, text=True, check=True).stdout.strip()
    except Exception:  # noqa: BLE001 - metadata only
        return "unknown"


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--config", default="fer-vgg-s")
    ap.add_argument("--weights", help="default: training/runs/<config>/final.pt")
    ap.add_argument("--out", default=str(TRAINING_DIR.parent / "packages" / "inference" / "models"))
    a = ap.parse_args(argv)
    torch.set_num_threads(2)
    weights = Path(a.weights) if a.weights else run_dir(a.config) / "final.pt"
    net = load_weights(weights)
    model = Deployed(net).eval()
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    onnx_path = out / f"{a.config}.onnx"

    dummy = torch.rand(2, 1, SIDE, SIDE) * 255
    extra = {}
    if "dynamo" in inspect.signature(torch.onnx.export).parameters:
        extra["dynamo"] = False  # PyTorch >= 2.9 defaults to the dynamo exporter; keep the TorchScript one
    torch.onnx.export(
        model, dummy, str(onnx_path), opset_version=OPSET, input_names=["pixels"], output_names=["logits"],
        dynamic_axes={"pixels": {0: "n"}, "logits": {0: "n"}}, do_constant_folding=True, **extra,
    )
    onnx.checker.check_model(onnx.load(str(onnx_path)))

    x = parity_inputs()
    with torch.no_grad():
        logits = model(torch.from_numpy(x).float()).numpy().astype(np.float32)
    (out / f"{a.config}.parity.json").write_text(json.dumps({
        "description": "Fixed inputs (uint8 [n,1,48,48], base64) and the PyTorch fp32 logits of the exported model",
        "shape": list(x.shape), "pixels": base64.b64encode(x.tobytes()).decode(),
        "logits": [[float(v) for v in row] for row in logits],
    }) + "\n")

    eval_path = run_dir(a.config) / "eval.json"
    measured = json.loads(eval_path.read_text()) if eval_path.exists() else None
    ck = torch.load(weights, map_location="cpu")
    meta = {
        "name": a.config,
        "labels": list(LABELS),
        "input": {"name": "pixels", "shape": ["n", 1, SIDE, SIDE], "range": [0, 255], "grey": True},
        "output": {"name": "logits", "shape": ["n", len(LABELS)]},
        "inside": f"x/255, (x - {MEAN}) / {STD}, centre {CROP}x{CROP} crop",
        "params": n_params(net), "macs": macs(net), "opset": OPSET,
        "sha256": hashlib.sha256(onnx_path.read_bytes()).hexdigest(),
        "recipe": ck["config"], "exportedFrom": git_commit(),
        "publicTest": None if measured is None else {
            k: {"accuracy": round(measured[k]["all"]["accuracy"], 4), "macroF1": round(measured[k]["all"]["macroF1"], 4),
                "accuracyWithoutDuplicates": round(measured[k]["withoutDuplicates"]["accuracy"], 4)}
            for k in ("centre", "flip", "tenCrop")
        },
    }
    (out / f"{a.config}.json").write_text(json.dumps(meta, indent=2) + "\n")
    print(f"exported {onnx_path} ({onnx_path.stat().st_size / 1e6:.2f} MB), parity fixture and metadata")


if __name__ == "__main__":
    main()
