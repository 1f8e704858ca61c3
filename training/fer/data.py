"""FER-2013 image folders -> uint8 arrays, cached once per machine.

The datasets are read where they lie (``../shared/datasets`` next to the project, or ``$SHELF_DATASETS``)
and never copied into the project: the decoded arrays are cached outside it, in
``$SHELF_TRAINING_CACHE`` (default ``~/.cache/shelf-sentiment/fer2013``), and rebuilt whenever the file
list changes.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import numpy as np
from PIL import Image

# The project's expression order (packages/core EXPRESSIONS); label folders carry these names.
LABELS = ("angry", "disgust", "fear", "happy", "sad", "surprise", "neutral")
SIDE = 48

TRAINING_DIR = Path(__file__).resolve().parent.parent
CACHE_DIR = Path(
    os.environ.get("SHELF_TRAINING_CACHE")
    or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "shelf-sentiment" / "fer2013"
)


def datasets_dir() -> Path:
    env = os.environ.get("SHELF_DATASETS")
    d = Path(env) if env else TRAINING_DIR.parent.parent / "shared" / "datasets"
    if not d.is_dir():
        raise SystemExit(f"datasets folder not found: {d} (set SHELF_DATASETS)")
    return d


def _list(split_dir: Path) -> list[tuple[str, int]]:
    found = {p.name for p in split_dir.iterdir() if p.is_dir()}
    unknown = found - set(LABELS)
    if unknown:
        raise SystemExit(f"{split_dir}: unknown label folder(s) {sorted(unknown)}")
    files = []
    for label, name in enumerate(LABELS):
        d = split_dir / name
        if d.is_dir():
            files += [(f"{name}/{f}", label) for f in sorted(os.listdir(d)) if f.lower().endswith((".png", ".jpg", ".jpeg"))]
    if not files:
        raise SystemExit(f"{split_dir} has no images in its label folders")
    return files


def load_split(split: str) -> tuple[np.ndarray, np.ndarray]:
    """Returns (pixels uint8 [N,48,48], labels int64 [N]) of ``datasets/<split>``, in label-then-name order."""
    split_dir = datasets_dir() / split
    files = _list(split_dir)
    key = hashlib.sha256("\n".join(f for f, _ in files).encode()).hexdigest()[:16]
    cache = CACHE_DIR / f"{split}-{key}.npz"
    if cache.exists():
        d = np.load(cache)
        return d["x"], d["y"]
    xs = np.empty((len(files), SIDE, SIDE), np.uint8)
    for i, (rel, _) in enumerate(files):
        with Image.open(split_dir / rel) as im:
            im = im.convert("L")
            if im.size != (SIDE, SIDE):
                im = im.resize((SIDE, SIDE), Image.BILINEAR)
            xs[i] = np.asarray(im, np.uint8)
    ys = np.array([label for _, label in files], np.int64)
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    tmp = cache.with_suffix(".tmp.npz")
    np.savez(tmp, x=xs, y=ys)
    tmp.replace(cache)
    return xs, ys


def duplicate_mask(test: np.ndarray, train: np.ndarray) -> np.ndarray:
    """True for each test image that is pixel-identical to some training image (a known FER-2013 wart:
    280 of PublicTest's 3,589; a model scores ~95 % on them, so accuracy is also reported without them)."""
    seen = {x.tobytes() for x in train}
    return np.array([x.tobytes() in seen for x in test], bool)
