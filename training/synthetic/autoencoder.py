"""Shallow auto-encoder generators: the paper's synthetic models.

Why this shape: the paper shows that the *last* generative blocks (upsampling, normalisation,
activation, their order) dominate the spectral fingerprint, so a shallow AE whose up path
varies exactly those components reproduces a wide range of real-generator fingerprints at a
tiny fraction of their training cost.

Layout for K blocks (widths c1, c2):
  down_i : AvgPool2d(2) -> Conv3x3 -> BN -> ReLU -> Conv3x3 -> BN -> ReLU   (fixed, as in the paper)
  up_j   : Upsample(op) -> L x layer, layer = [norm -> act -> conv] (pre) or [conv -> norm -> act] (post)
  to_rgb : Conv3x3 -> 3 channels (linear; the generator output is clamped to [0,1] when rendered)
A separate to_rgb keeps every option effective: otherwise, in "post" order with L=1, the last
layer's norm/activation would have to be dropped and several architectures would coincide.
"""
from __future__ import annotations

import torch
from torch import nn

from .space import Arch


def _norm(kind: str, ch: int) -> nn.Module:
    if kind == "batch":
        return nn.BatchNorm2d(ch)
    if kind == "instance":
        return nn.InstanceNorm2d(ch, affine=True)
    return nn.Identity()


def _act(kind: str) -> nn.Module:
    return {"none": nn.Identity(), "relu": nn.ReLU(), "sigmoid": nn.Sigmoid(), "tanh": nn.Tanh()}[kind]


class DownBlock(nn.Sequential):
    """Fixed encoder block: halve resolution, two 3x3 convs with BN + ReLU."""

    def __init__(self, cin: int, cout: int) -> None:
        super().__init__(
            nn.AvgPool2d(2),
            nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU(),
            nn.Conv2d(cout, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU(),
        )


class UpBlock(nn.Sequential):
    """Variable generative block: the options that shape the fingerprint live here."""

    def __init__(self, cin: int, cout: int, arch: Arch) -> None:
        layers: list[nn.Module] = []
        if arch.up == "transposed":
            layers.append(nn.ConvTranspose2d(cin, cin, 2, stride=2))
        elif arch.up == "bilinear":
            layers.append(nn.Upsample(scale_factor=2, mode="bilinear", align_corners=False))
        else:
            layers.append(nn.Upsample(scale_factor=2, mode="nearest"))
        c = cin
        for _ in range(arch.L):
            if arch.order == "pre":
                layers += [_norm(arch.norm, c), _act(arch.act), nn.Conv2d(c, cout, 3, padding=1)]
            else:
                layers += [nn.Conv2d(c, cout, 3, padding=1), _norm(arch.norm, cout), _act(arch.act)]
            c = cout
        super().__init__(*layers)


class SyntheticAE(nn.Module):
    """K down blocks, K up blocks, linear to-RGB conv."""

    def __init__(self, arch: Arch, widths: tuple[int, int]) -> None:
        super().__init__()
        self.arch = arch
        chans = [3, widths[0], widths[1]][: arch.K + 1]
        self.down = nn.Sequential(*[DownBlock(chans[i], chans[i + 1]) for i in range(arch.K)])
        ups = []
        for i in range(arch.K, 0, -1):
            ups.append(UpBlock(chans[i], chans[max(i - 1, 1)], arch))
        self.up = nn.Sequential(*ups)
        self.to_rgb = nn.Conv2d(chans[1], 3, 3, padding=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.to_rgb(self.up(self.down(x)))
