"""The contrastive bag loss must equal a hand computation of the paper's formula.

Run: /usr/bin/python3 -m unittest training.tests.test_set_loss
"""
from __future__ import annotations

import math
import unittest

import torch

from training.attribution.set_loss import bag_contrastive_loss


class BagLossByHand(unittest.TestCase):
    def test_three_bags(self) -> None:
        # z0 = (0,0), z1 = (1,0) from model A; z2 = (0,2) from model B.
        # squared distances: d01 = 1, d02 = 4, d12 = 1 + 4 = 5.
        # anchor 0: p(z1|z0) = e^-1 / (e^-1 + e^-4);  anchor 1: p(z0|z1) = e^-1 / (e^-1 + e^-5);
        # anchor 2 has no other bag of model B: excluded from the mean.
        z = torch.tensor([[0.0, 0.0], [1.0, 0.0], [0.0, 2.0]])
        y = torch.tensor([0, 0, 1])
        l0 = -math.log(math.exp(-1) / (math.exp(-1) + math.exp(-4)))
        l1 = -math.log(math.exp(-1) / (math.exp(-1) + math.exp(-5)))
        self.assertAlmostEqual(bag_contrastive_loss(z, y).item(), (l0 + l1) / 2, places=6)

    def test_probabilities_of_same_model_bags_are_summed(self) -> None:
        # 1-D: z = 0, 1, 3 (model A) and 2 (model B). Anchor 0: distances 1, 9 (A) and 4 (B):
        # loss0 = -log((e^-1 + e^-9) / (e^-1 + e^-9 + e^-4)); likewise for anchors 1 and 2.
        # Anchor 3 (B) has no positive.
        z = torch.tensor([[0.0], [1.0], [3.0], [2.0]])
        y = torch.tensor([0, 0, 0, 1])
        e = math.exp
        l0 = -math.log((e(-1) + e(-9)) / (e(-1) + e(-9) + e(-4)))
        l1 = -math.log((e(-1) + e(-4)) / (e(-1) + e(-4) + e(-1)))
        l2 = -math.log((e(-9) + e(-4)) / (e(-9) + e(-4) + e(-1)))
        self.assertAlmostEqual(bag_contrastive_loss(z, y).item(), (l0 + l1 + l2) / 3, places=6)

    def test_far_bags_do_not_underflow(self) -> None:
        # every distance is huge: naive exp() underflows to 0/0 even in float64; log-sum-exp gives
        # the exact value. anchor 0: -log(e^-10000 / (e^-10000 + e^-40000)) = log(1 + e^-30000) ~= 0
        # (float64 so that the logits' rounding, ~1e-3 at 1e4 in float32, does not blur the check)
        z = torch.tensor([[0.0], [100.0], [200.0]], dtype=torch.float64)
        y = torch.tensor([0, 0, 1])
        loss = bag_contrastive_loss(z, y)
        self.assertTrue(torch.isfinite(loss))
        # anchor 1: positive at d = 1e4, negative at d = 1e4 too -> log 2
        self.assertAlmostEqual(loss.item(), (0.0 + math.log(2)) / 2, places=5)

    def test_identical_bags_have_finite_gradient(self) -> None:
        z = torch.tensor([[0.5, 0.5], [0.5, 0.5], [1.0, 0.0]], requires_grad=True)
        bag_contrastive_loss(z, torch.tensor([0, 0, 1])).backward()
        self.assertTrue(torch.isfinite(z.grad).all())

    def test_no_positive_pair_is_an_error(self) -> None:
        with self.assertRaises(ValueError):
            bag_contrastive_loss(torch.zeros(2, 3), torch.tensor([0, 1]))


if __name__ == "__main__":
    unittest.main()
