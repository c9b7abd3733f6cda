"""Small checks of the sliding window and the evaluation protocols (fast, no training).

Run: /usr/bin/python3 -m unittest training.tests.test_protocols
"""
from __future__ import annotations

import unittest

import numpy as np

from training.evaluate import evaluate_all, identification
from training.pipeline.full import image_crops, window_offsets
from training.synthetic.space import all_archs, make_splits


class Window(unittest.TestCase):
    def test_offsets(self) -> None:
        self.assertEqual(window_offsets(256), [0, 64, 128])
        self.assertEqual(window_offsets(300), [0, 86, 172])
        for side in (128, 129, 130, 131):
            self.assertEqual(len(window_offsets(side)), 1)

    def test_crops(self) -> None:
        self.assertEqual(tuple(image_crops(np.zeros((256, 256, 3), np.uint8)).shape), (9, 3, 128, 128))
        self.assertEqual(tuple(image_crops(np.zeros((100, 300, 3), np.uint8)).shape), (3, 3, 128, 128))
        self.assertEqual(tuple(image_crops(np.zeros((100, 90, 3), np.uint8)).shape), (1, 3, 128, 128))


class Protocols(unittest.TestCase):
    def test_perfect_and_random(self) -> None:
        rng = np.random.default_rng(0)
        labels = np.repeat(np.arange(5), 20)
        centres = rng.normal(size=(5, 16))
        emb = centres[labels] + 0.01 * rng.normal(size=(100, 16))
        r = evaluate_all(emb, labels, gallery=10, n_pairs=200, seed=0)
        self.assertEqual(r["identification"]["accuracy"], 1.0)
        self.assertAlmostEqual(r["verification"]["auc"], 1.0)
        self.assertLess(r["verification"]["eer"], 1e-9)
        noise = identification(rng.normal(size=(100, 16)), labels, 10)
        self.assertLess(noise["accuracy"], 0.6)


class Splits(unittest.TestCase):
    def test_space_and_split(self) -> None:
        archs = all_archs()
        self.assertEqual(len(archs), 288)
        self.assertEqual(len({a.id for a in archs}), 288)
        sp = make_splits(1, 0.15, 0.15)
        self.assertFalse(set(sp["heldout"]) & set(sp["train"]))
        self.assertTrue(set(sp["val"]) <= set(sp["train"]))
        self.assertEqual(len(sp["heldout"]) + len(sp["train"]), 288)
        self.assertEqual(make_splits(1, 0.15, 0.15), sp)  # deterministic


if __name__ == "__main__":
    unittest.main()
