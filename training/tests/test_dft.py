"""The exportable MatMul DFT must equal |torch.fft.fft2| (+ nearest resize) up to float error.

Run: /usr/bin/python3 -m unittest training.tests.test_dft
"""
from __future__ import annotations

import unittest

import torch

from training.pipeline.spectral import DFTMagnitude, reference_spectrum


class DFTEquivalence(unittest.TestCase):
    def check(self, n: int, log: bool) -> None:
        g = torch.Generator().manual_seed(n)
        # residual-like input: small zero-mean noise plus a periodic (upsampling-like) trace
        x = torch.randn(2, 3, n, n, generator=g) * 0.02
        x[..., ::2, ::2] += 0.01
        got = DFTMagnitude(n, log)(x)
        ref = reference_spectrum(x, log)
        self.assertEqual(tuple(got.shape), (2, 3, 128, 128))
        err = (got - ref).abs().max().item()
        if log:
            # d log(m + eps) = dm / (m + eps) <= dm / eps: a 1e-6 magnitude error near an exact
            # zero of the spectrum becomes <= 1e-3 in log space (eps = 1e-3)
            self.assertLess(err, 1e-3, f"n={n} log err={err}")
        else:
            scale = ref.abs().max().item()
            # float32 sums of n terms: allow 1e-5 of the spectrum's maximum
            self.assertLess(err, 1e-5 * max(scale, 1.0), f"n={n} err={err} scale={scale}")

    def test_sizes(self) -> None:
        for n in (128, 124, 116, 94):
            for log in (False, True):
                self.check(n, log)


if __name__ == "__main__":
    unittest.main()
