"""The training pipeline end to end on the smoke recipe: augmentation, duplicate detection, training that
resumes to exactly the weights of an unbroken run, evaluation and ONNX export."""

from __future__ import annotations

import base64
import contextlib
import io
import json
import os
import tempfile
import unittest
from pathlib import Path

import numpy as np
import onnx
import torch

from fer import evaluate, export, train
from fer.augment import augment, ten_crop
from fer.data import LABELS, duplicate_mask
from fer.models import CROP


def quietly(fn, *args):
    with contextlib.redirect_stdout(io.StringIO()):
        return fn(*args)


class Augmentation(unittest.TestCase):
    def test_shapes_and_determinism(self):
        x = torch.randint(0, 256, (16, 48, 48), dtype=torch.uint8)
        a = augment(x, torch.Generator().manual_seed(1))
        b = augment(x, torch.Generator().manual_seed(1))
        c = augment(x, torch.Generator().manual_seed(2))
        self.assertEqual(tuple(a.shape), (16, 1, CROP, CROP))
        self.assertTrue(torch.equal(a, b))
        self.assertFalse(torch.equal(a, c))

    def test_ten_crop_views(self):
        x = torch.arange(48 * 48, dtype=torch.float32).view(1, 1, 48, 48)
        views = ten_crop(x)
        self.assertEqual(len(views), 10)
        self.assertTrue(torch.equal(views[5], views[0].flip(-1)))
        self.assertEqual(views[0][0, 0, 0, 0].item(), 2 * 48 + 2)  # centre crop starts at (2, 2)


class Duplicates(unittest.TestCase):
    def test_marks_pixel_identical_images_only(self):
        train_x = np.random.default_rng(0).integers(0, 256, (5, 48, 48), dtype=np.uint8)
        near = train_x[1].copy()
        near[0, 0] ^= 1
        test_x = np.stack([train_x[3], near, train_x[0]])
        self.assertEqual(duplicate_mask(test_x, train_x).tolist(), [True, False, True])


class SmokeRun(unittest.TestCase):
    """Needs ../shared/datasets (FER-2013); a 2-epoch run on 2,048 faces takes well under a minute."""

    def test_resume_evaluate_export(self):
        with tempfile.TemporaryDirectory() as tmp:
            os.environ["SHELF_TRAINING_RUNS"] = tmp
            try:
                quietly(train.main, ["--config", "smoke", "--fresh", "--threads", "2"])
                unbroken = torch.load(Path(tmp, "smoke", "final.pt"))["model"]
                quietly(train.main, ["--config", "smoke", "--fresh", "--threads", "2", "--stop-after", "1"])
                ck = torch.load(Path(tmp, "smoke", "checkpoint.pt"))
                self.assertEqual(ck["epoch"], 1)
                quietly(train.main, ["--config", "smoke", "--threads", "2"])
                resumed = torch.load(Path(tmp, "smoke", "final.pt"))["model"]
                for k, v in unbroken.items():
                    self.assertTrue(torch.allclose(v.float(), resumed[k].float(), atol=1e-6), k)
                log = [json.loads(line) for line in Path(tmp, "smoke", "log.jsonl").read_text().splitlines()]
                self.assertEqual([r["epoch"] for r in log], [1, 2])

                quietly(evaluate.main, ["--config", "smoke", "--threads", "2", "--limit", "400"])
                report = json.loads(Path(tmp, "smoke", "eval.json").read_text())
                n, dups = report["flip"]["all"]["n"], report["duplicatesOfTraining"]
                self.assertEqual(n, 400)
                self.assertTrue(15 <= dups <= 50, dups)  # ~7.8 % of PublicTest duplicates training images
                self.assertEqual(report["flip"]["withoutDuplicates"]["n"], n - dups)

                out = Path(tmp, "models")
                quietly(export.main, ["--config", "smoke", "--out", str(out)])
                onnx.checker.check_model(onnx.load(str(out / "smoke.onnx")))
                meta = json.loads((out / "smoke.json").read_text())
                self.assertEqual(meta["labels"], list(LABELS))
                self.assertEqual(meta["input"]["shape"], ["n", 1, 48, 48])
                parity = json.loads((out / "smoke.parity.json").read_text())
                self.assertEqual(len(base64.b64decode(parity["pixels"])), 8 * 48 * 48)
                # The fixture's logits are the exported module's own fp32 outputs.
                net = export.Deployed(evaluate.load_weights(Path(tmp, "smoke", "final.pt"))).eval()
                pixels = np.frombuffer(base64.b64decode(parity["pixels"]), np.uint8).reshape(8, 1, 48, 48)
                with torch.no_grad():
                    again = net(torch.from_numpy(pixels.copy()).float()).numpy()
                np.testing.assert_allclose(again, np.array(parity["logits"], np.float32), atol=1e-5)
            finally:
                os.environ.pop("SHELF_TRAINING_RUNS", None)


if __name__ == "__main__":
    unittest.main()
