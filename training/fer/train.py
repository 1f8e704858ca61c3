"""Trains a named recipe on the FER-2013 Training split; checkpoints every epoch and resumes by itself.

    python3 -m fer.train --config fer-vgg-s [--threads 2] [--device auto|cpu|cuda] [--max-minutes M]

Writes ``training/runs/<config>/``: ``checkpoint.pt`` (model, optimiser, epoch, RNG: resuming gives the
run an unbroken one would have), ``log.jsonl`` (one line per epoch) and, at the end, ``final.pt`` (weights
of the last epoch). No checkpoint is picked by its test score: PublicTest is printed while training only
to watch the run, and the shipped model is always the last epoch.
"""

from __future__ import annotations

import argparse
import functools
import json
import math
import os
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from .augment import augment, centre, normalise
from .configs import CONFIGS
from .data import TRAINING_DIR, load_split
from .models import build, macs, n_params


def run_dir(config: str) -> Path:
    return Path(os.environ.get("SHELF_TRAINING_RUNS", TRAINING_DIR / "runs")) / config


def pick_device(name: str) -> torch.device:
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    return torch.device(name)


@functools.cache
def cpu_has_bf16() -> bool:
    """Whether this CPU computes bf16 in hardware (AVX-512 BF16 or AMX; Linux lists them in /proc/cpuinfo).
    Read once: `autocast` asks on every training step."""
    try:
        flags = Path("/proc/cpuinfo").read_text()
    except OSError:
        return False
    return " avx512_bf16" in flags or " amx_bf16" in flags


def autocast(device: torch.device):
    # bf16 on CPUs with AVX-512 BF16 / AMX (oneDNN) and on GPUs; BatchNorm and the loss stay fp32. Elsewhere fp32:
    # oneDNN emulates bf16 there, ~25x slower (an AVX2 AMD EPYC: a 3x3 conv 0.06 s fp32, 1.6 s under bf16 autocast;
    # the smoke test took 15+ min instead of under one).
    return torch.autocast(device.type, dtype=torch.bfloat16, enabled=device.type != "cpu" or cpu_has_bf16())


def lr_at(step: int, total: int, cfg: dict) -> float:
    p = step / total
    w = cfg["warmup"]
    if p < w:
        return cfg["lr"] * (0.02 + 0.98 * p / w)
    return cfg["lr"] * 0.5 * (1 + math.cos(math.pi * min(1.0, (p - w) / (1 - w))))


@torch.no_grad()
def monitor(model, x_u8: torch.Tensor, y: torch.Tensor, device) -> tuple[float, float]:
    """Centre-crop and mirror-averaged accuracy (watching the run only; nothing is selected by it)."""
    model.eval()
    hit = hit_flip = 0
    for i in range(0, len(y), 512):
        x = centre(normalise(x_u8[i : i + 512])).to(device).contiguous(memory_format=torch.channels_last)
        with autocast(device):
            p = F.softmax(model(torch.cat([x, x.flip(-1)])).float(), 1).view(2, x.shape[0], -1).cpu()
        yb = y[i : i + 512]
        hit += (p[0].argmax(1) == yb).sum().item()
        hit_flip += (p.sum(0).argmax(1) == yb).sum().item()
    model.train()
    return hit / len(y), hit_flip / len(y)


class threads:
    """Small batched ops (the augmentation's warps) run faster on one thread than on two busy ones."""

    def __init__(self, n: int):
        self.n = n

    def __enter__(self):
        self.prev = torch.get_num_threads()
        torch.set_num_threads(self.n)

    def __exit__(self, *exc):
        torch.set_num_threads(self.prev)


def save_atomic(obj, path: Path) -> None:
    tmp = path.with_suffix(".tmp")
    torch.save(obj, tmp)
    os.replace(tmp, path)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--config", default="fer-vgg-s", choices=sorted(CONFIGS))
    ap.add_argument("--threads", type=int, default=min(2, os.cpu_count() or 1))
    ap.add_argument("--device", default="auto")
    ap.add_argument("--max-minutes", type=float, default=0, help="stop (resumably) after this long; 0 = no limit")
    ap.add_argument("--monitor-every", type=int, default=5, help="print PublicTest accuracy every N epochs (watching only)")
    ap.add_argument("--stop-after", type=int, default=0, help="stop (resumably) after N epochs of this call")
    ap.add_argument("--fresh", action="store_true", help="ignore an existing checkpoint")
    a = ap.parse_args(argv)

    cfg = CONFIGS[a.config]
    torch.set_num_threads(a.threads)
    device = pick_device(a.device)
    out = run_dir(a.config)
    out.mkdir(parents=True, exist_ok=True)
    xtr, ytr = (torch.from_numpy(v) for v in load_split("fer2013-train"))
    if cfg.get("subset"):
        keep = torch.randperm(len(ytr), generator=torch.Generator().manual_seed(cfg["seed"]))[: cfg["subset"]]
        xtr, ytr = xtr[keep], ytr[keep]
    xte, yte = (torch.from_numpy(v) for v in load_split("fer2013-publictest"))

    torch.manual_seed(cfg["seed"])
    model = build(cfg["arch"])
    info = {"params": n_params(model), "macs": macs(model)}
    model = model.to(device).to(memory_format=torch.channels_last)
    decay = [p for p in model.parameters() if p.ndim > 1]
    no_decay = [p for p in model.parameters() if p.ndim <= 1]
    opt = torch.optim.SGD(
        [{"params": decay, "weight_decay": cfg["weight_decay"]}, {"params": no_decay, "weight_decay": 0.0}],
        lr=cfg["lr"], momentum=0.9, nesterov=True,
    )
    g = torch.Generator().manual_seed(cfg["seed"])
    steps_per_epoch = len(ytr) // cfg["batch"]  # the last partial batch is dropped
    total = steps_per_epoch * cfg["epochs"]
    epoch = 0
    ckpt_path = out / "checkpoint.pt"
    if ckpt_path.exists() and not a.fresh:
        ck = torch.load(ckpt_path, map_location=device)
        if ck["config"] != json.loads(json.dumps(cfg)):
            raise SystemExit(f"{ckpt_path} was written by a different recipe; use --fresh to start over")
        model.load_state_dict(ck["model"])
        opt.load_state_dict(ck["optimizer"])
        g.set_state(ck["generator"])
        torch.set_rng_state(ck["torch_rng"])
        epoch = ck["epoch"]
        print(f"resumed {a.config} at epoch {epoch}/{cfg['epochs']}", flush=True)
    elif a.fresh:
        (out / "log.jsonl").unlink(missing_ok=True)
    print(f"{a.config}: {info['params'] / 1e6:.2f} M params, {info['macs'] / 1e6:.0f} M MACs, device {device}, "
          f"{a.threads} threads, {cfg['epochs']} epochs of {steps_per_epoch} steps", flush=True)

    started = time.time()
    first_epoch = epoch
    model.train()
    while epoch < cfg["epochs"]:
        t0 = time.time()
        perm = torch.randperm(len(ytr), generator=g)
        loss_sum = hits = seen = 0
        for s in range(steps_per_epoch):
            step = epoch * steps_per_epoch + s
            for group in opt.param_groups:
                group["lr"] = lr_at(step, total, cfg)
            idx = perm[s * cfg["batch"] : (s + 1) * cfg["batch"]]
            with threads(1):
                x = augment(xtr[idx], g, **cfg["augment"])
            x = x.to(device).contiguous(memory_format=torch.channels_last)
            y = ytr[idx].to(device)
            with autocast(device):
                logits = model(x).float()
            loss = F.cross_entropy(logits, y, label_smoothing=cfg["label_smoothing"])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            loss_sum += loss.item() * len(y)
            hits += (logits.argmax(1) == y).sum().item()
            seen += len(y)
        epoch += 1
        line = {
            "epoch": epoch, "seconds": round(time.time() - t0, 1), "lr": round(lr_at(epoch * steps_per_epoch - 1, total, cfg), 5),
            "loss": round(loss_sum / seen, 4), "trainAcc": round(hits / seen, 4),
        }
        if epoch % a.monitor_every == 0 or epoch == cfg["epochs"]:
            acc, acc_flip = monitor(model, xte, yte, device)
            line |= {"publicTestMonitor": round(acc, 4), "publicTestMonitorFlip": round(acc_flip, 4)}
        print(json.dumps(line), flush=True)
        with open(out / "log.jsonl", "a") as f:
            f.write(json.dumps(line) + "\n")
        save_atomic(
            {"config": json.loads(json.dumps(cfg)), "epoch": epoch, "model": model.state_dict(), "optimizer": opt.state_dict(),
             "generator": g.get_state(), "torch_rng": torch.get_rng_state()},
            ckpt_path,
        )
        out_of_time = a.max_minutes and time.time() - started > a.max_minutes * 60
        if epoch < cfg["epochs"] and (out_of_time or (a.stop_after and epoch - first_epoch >= a.stop_after)):
            print(f"stopping after epoch {epoch}; run the same command to resume", flush=True)
            return
    save_atomic({"config": json.loads(json.dumps(cfg)), "arch": cfg["arch"], "info": info,
                 "model": {k: v.cpu() for k, v in model.state_dict().items()}}, out / "final.pt")
    print(f"done: {out / 'final.pt'}", flush=True)


if __name__ == "__main__":
    main()
