"""Residual and spectrum stages, built only from ops that torch 1.13 exports to ONNX opset 17.

torch 1.13 cannot export torch.fft, so the 2-D DFT magnitude is computed as four real matrix
products with fixed cos/sin matrices: for a residual X (H x W) and DFT matrices
F_H = C_H - i S_H, F_W = C_W - i S_W,

    F_H X F_W^T = (C_H X C_W^T - S_H X S_W^T) - i (S_H X C_W^T + C_H X S_W^T)

and |.| = sqrt(re^2 + im^2). This equals |torch.fft.fft2(X)| up to float rounding (checked in
training/tests/test_dft.py). The reference pipeline then resizes the H x W spectrum to
128 x 128 with nearest-neighbour interpolation; nearest resizing only repeats rows/columns,
so it is folded into the DFT matrices by selecting rows (out index i <- floor(i * H / 128),
PyTorch's "nearest" rule). No Resize op, no fftshift, no normalisation, as in the reference.
"""
from __future__ import annotations

import math

import numpy as np
import torch
from torch import nn

OUT = 128  # spectrum side fed to the encoder


def nearest_index(n_in: int, n_out: int) -> np.ndarray:
    """Source index of each output index for PyTorch 'nearest' resize (floor(i * in / out))."""
    return np.floor(np.arange(n_out) * (n_in / n_out)).astype(np.int64).clip(0, n_in - 1)


def dft_matrices(n_in: int, n_out: int = OUT) -> tuple[torch.Tensor, torch.Tensor]:
    """cos and sin DFT matrices (n_out x n_in) with nearest-resize rows already selected.

    Angles are reduced mod n in integers and evaluated in float64 before the cast, so the
    float32 matrices are as exact as float32 allows even for large k*n products.
    """
    k = nearest_index(n_in, n_out)[:, None]
    n = np.arange(n_in)[None, :]
    ang = 2.0 * math.pi * ((k * n) % n_in) / n_in
    return torch.from_numpy(np.cos(ang)).float(), torch.from_numpy(np.sin(ang)).float()


class DFTMagnitude(nn.Module):
    """|DFT2| per channel via MatMul, resized (nearest) to 128 x 128; optional log."""

    def __init__(self, n_in: int, log: bool, eps: float = 1e-3) -> None:
        super().__init__()
        c, s = dft_matrices(n_in)
        self.register_buffer("c", c)
        self.register_buffer("s", s)
        self.register_buffer("ct", c.t().contiguous())
        self.register_buffer("st", s.t().contiguous())
        self.log = log
        self.eps = eps
        self.n_in = n_in

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # x: [N, C, H, W] -> [N, C, 128, 128]
        xc = torch.matmul(x, self.ct)          # X C^T   [N,C,H,128]
        xs = torch.matmul(x, self.st)          # X S^T
        re = torch.matmul(self.c, xc) - torch.matmul(self.s, xs)
        im = torch.matmul(self.s, xc) + torch.matmul(self.c, xs)  # sign irrelevant for |.|
        mag = torch.sqrt(re * re + im * im)
        if self.log:
            return torch.log(mag + self.eps)
        return mag


def reference_spectrum(x: torch.Tensor, log: bool, eps: float = 1e-3) -> torch.Tensor:
    """Ground truth with torch.fft (not exportable): |fft2| then nearest resize to 128."""
    mag = torch.fft.fft2(x.double()).abs()
    mag = torch.nn.functional.interpolate(mag, size=(OUT, OUT), mode="nearest")
    mag = mag.float()
    return torch.log(mag + eps) if log else mag


# ---------------------------------------------------------------------------------------
# residual stages
# ---------------------------------------------------------------------------------------

def gaussian_kernel(size: int, sigma: float) -> torch.Tensor:
    """Normalised 2-D Gaussian kernel."""
    ax = torch.arange(size, dtype=torch.float64) - (size - 1) / 2
    g = torch.exp(-(ax**2) / (2 * sigma**2))
    k = torch.outer(g, g)
    return (k / k.sum()).float()


CLASSICAL_KERNELS = {
    "gauss5": (5, 1.0),   # 5x5 Gaussian, sigma 1
    "box3": (3, None),    # 3x3 mean
}


class ClassicalResidual(nn.Module):
    """Residual = image - smoothed image (fixed depthwise conv, valid: H -> H - k + 1).

    Valid convolution (no padding) avoids inventing border content, mirroring the
    reference DnCNN's unpadded convolutions.
    """

    def __init__(self, kind: str = "gauss5") -> None:
        super().__init__()
        size, sigma = CLASSICAL_KERNELS[kind]
        k = gaussian_kernel(size, sigma) if sigma else torch.full((size, size), 1.0 / size**2)
        self.register_buffer("weight", k.expand(3, 1, size, size).contiguous())
        self.crop = size // 2
        self.out_size = OUT - 2 * self.crop
        self.kind = kind

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        smooth = nn.functional.conv2d(x, self.weight, groups=3)
        c = self.crop
        return x[:, :, c:-c, c:-c] - smooth


class DnCNNResidual(nn.Module):
    """Small DnCNN-style noise estimator trained here (no third-party weights).

    conv+ReLU, (D-2) x conv+BN+ReLU, conv; 3x3, no padding (128 -> 128 - 2D). As in the
    reference, the network output (the estimated noise) *is* the residual.
    """

    def __init__(self, layers: int = 6, width: int = 16) -> None:
        super().__init__()
        mods: list[nn.Module] = [nn.Conv2d(3, width, 3), nn.ReLU()]
        for _ in range(layers - 2):
            mods += [nn.Conv2d(width, width, 3, bias=False), nn.BatchNorm2d(width), nn.ReLU()]
        mods.append(nn.Conv2d(width, 3, 3))
        self.net = nn.Sequential(*mods)
        self.layers = layers
        self.out_size = OUT - 2 * layers

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x)


def make_residual(kind: str, denoiser: DnCNNResidual | None = None) -> nn.Module:
    """'dncnn' uses the given trained denoiser; anything else is a classical kernel name."""
    if kind == "dncnn":
        assert denoiser is not None
        return denoiser
    return ClassicalResidual(kind)
