"""Compact ResNet-style fingerprint encoder over the 3-channel spectrum.

Why not ResNet50: the engine runs on examiners' CPUs, 9 crops per image. The reference
pipeline costs ~8 GMAC per crop (17-layer DnCNN + ResNet50 at 128 px); this encoder costs
~70 MMAC (see `macs()`), two orders of magnitude less, which is also what made training it
on 2 CPU cores possible at all.

Input BatchNorm: the spectrum's scale (plain magnitude vs log) differs by orders of magnitude
between variants; a learned per-channel affine at the input makes both trainable with the same
optimiser settings and is a plain Mul/Add once exported.
"""
from __future__ import annotations

import torch
from torch import nn
import torch.nn.functional as F


class BasicBlock(nn.Module):
    """Two 3x3 convs with BN; strided 1x1 projection shortcut when the shape changes."""

    def __init__(self, cin: int, cout: int, stride: int) -> None:
        super().__init__()
        self.c1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.b1 = nn.BatchNorm2d(cout)
        self.c2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.b2 = nn.BatchNorm2d(cout)
        self.short = nn.Identity() if (stride == 1 and cin == cout) else nn.Sequential(
            nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = F.relu(self.b1(self.c1(x)))
        y = self.b2(self.c2(y))
        return F.relu(y + self.short(x))


class SpectrumEncoder(nn.Module):
    """stem (stride 2) + one BasicBlock per stage (stride 2 each) -> GAP -> embedding head.

    forward() returns the L2-normalised embedding; `logits()` adds the classification head
    used only in training (cross-entropy over synthetic-model ids).
    """

    def __init__(self, widths: tuple[int, ...], emb_dim: int, n_classes: int = 0) -> None:
        super().__init__()
        self.in_norm = nn.BatchNorm2d(3)
        self.stem = nn.Sequential(nn.Conv2d(3, widths[0], 3, 2, 1, bias=False), nn.BatchNorm2d(widths[0]), nn.ReLU())
        self.stages = nn.Sequential(*[BasicBlock(widths[i], widths[i + 1], 2) for i in range(len(widths) - 1)])
        self.proj = nn.Linear(widths[-1], emb_dim)
        self.cls = nn.Linear(emb_dim, n_classes) if n_classes else None

    def features(self, spec: torch.Tensor) -> torch.Tensor:
        """Unnormalised embedding h (the paper applies both losses to h)."""
        x = self.stages(self.stem(self.in_norm(spec)))
        return self.proj(x.mean(dim=(2, 3)))

    def forward(self, spec: torch.Tensor) -> torch.Tensor:
        return F.normalize(self.features(spec), dim=1)

    def logits(self, h: torch.Tensor) -> torch.Tensor:
        assert self.cls is not None
        return self.cls(h)


def macs(model: nn.Module, size: int = 128) -> int:
    """Multiply-accumulates of convs + linears for one crop (hooks; BN/ReLU ignored)."""
    total = 0

    def conv_hook(m: nn.Conv2d, _i: tuple, o: torch.Tensor) -> None:
        nonlocal total
        total += o.numel() // o.shape[0] * (m.in_channels // m.groups) * m.kernel_size[0] * m.kernel_size[1]

    def lin_hook(m: nn.Linear, _i: tuple, o: torch.Tensor) -> None:
        nonlocal total
        total += m.in_features * m.out_features

    hs = []
    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            hs.append(m.register_forward_hook(conv_hook))
        elif isinstance(m, nn.Linear):
            hs.append(m.register_forward_hook(lin_hook))
    was = model.training
    model.eval()
    with torch.no_grad():
        model(torch.zeros(1, 3, size, size))
    model.train(was)
    for h in hs:
        h.remove()
    return total
