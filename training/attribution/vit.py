"""Our own small Vision Transformer, the bundled layered encoder for C_T curves (docs/methods.md §2).

Why our own: the paper uses a pretrained vit-base-patch16-224; no pretrained weights may be
downloaded here, and a 86 M-parameter ViT could not be trained on 2 CPU cores anyway. The
architecture is the standard pre-norm ViT (class token, learned position embeddings, blocks of
LayerNorm -> multi-head self-attention -> residual, LayerNorm -> GELU MLP -> residual), so the
curve is computed exactly as with the paper's encoder: the CLS token after every block.

Tokens come from a small convolutional stem (stride-2 convs, BatchNorm, ReLU; Xiao et al. 2021,
"Early convolutions help transformers see better") instead of one linear patchify: a first
run with the plain 16 x 16 patch embedding learned content but, after 300 steps, nothing about the
source (real-vs-generated accuracy stayed at the majority share), while generator traces are
local high-frequency statistics that a few convolutions with a nonlinearity expose directly.
The stem also gets the image's noise residual (image minus a 5x5 Gaussian-smoothed copy, the
spectral extractor's classical residual, here zero-padded to keep the size) as 3 extra channels:
that is where the generator traces live, and it made the source objective learn several times
faster in short trial runs.

`forward` returns the list of CLS tokens (one [N, D] tensor per block, the residual stream
*before* any final LayerNorm, like Hugging Face's `hidden_states`); the training heads live in
layered_encoder.py and are not exported.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

import torch
import torch.nn.functional as F
from torch import nn

from ..pipeline.spectral import gaussian_kernel


@dataclass(frozen=True)
class VitConfig:
    size: int = 128        # input side S (after the engine's resize + centre crop)
    patch: int = 32        # token grid: (size / patch)^2 = 16 tokens + CLS; the stem has log2(patch) stride-2 convs
    stem: tuple[int, ...] = (8, 16, 32, 64)  # widths of the stem's stride-2 convs before the last one (-> dim)
    highpass: bool = True  # feed the stem [image, HIGHPASS_GAIN * noise residual] (6 channels)
    dim: int = 96
    depth: int = 8
    heads: int = 4
    mlp_ratio: int = 3

    def to_dict(self) -> dict:
        return asdict(self)


class Attention(nn.Module):
    """Multi-head self-attention written with plain MatMul/Softmax so it exports to any opset-17
    runtime (torch 1.13 has no fused attention; nn.MultiheadAttention exports the same ops)."""

    def __init__(self, dim: int, heads: int) -> None:
        super().__init__()
        self.heads = heads
        self.scale = (dim // heads) ** -0.5
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        n, t, d = x.shape
        qkv = self.qkv(x).reshape(n, t, 3, self.heads, d // self.heads).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]
        att = torch.softmax((q * self.scale) @ k.transpose(-2, -1), dim=-1)
        return self.proj((att @ v).transpose(1, 2).reshape(n, t, d))


class Block(nn.Module):
    """Pre-norm transformer block."""

    def __init__(self, dim: int, heads: int, mlp_ratio: int) -> None:
        super().__init__()
        self.n1 = nn.LayerNorm(dim)
        self.att = Attention(dim, heads)
        self.n2 = nn.LayerNorm(dim)
        self.mlp = nn.Sequential(nn.Linear(dim, mlp_ratio * dim), nn.GELU(), nn.Linear(mlp_ratio * dim, dim))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x + self.att(self.n1(x))
        return x + self.mlp(self.n2(x))


HIGHPASS_GAIN = 8.0  # residuals are ~10x smaller than pixels; brings both inputs to a similar scale


class HighPass(nn.Module):
    """[x, gain * (x - gauss5(x))]: the image and its noise residual (fixed depthwise conv, zero padding)."""

    def __init__(self) -> None:
        super().__init__()
        self.register_buffer("weight", gaussian_kernel(5, 1.0).expand(3, 1, 5, 5).contiguous())

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.cat([x, HIGHPASS_GAIN * (x - F.conv2d(x, self.weight, padding=2, groups=3))], 1)


def conv_stem(cfg: VitConfig) -> nn.Sequential:
    """log2(patch) stride-2 convs (first 4x4, then 3x3), BN + ReLU between, the last to `dim` (linear);
    preceded by the high-pass input when cfg.highpass."""
    widths = [6 if cfg.highpass else 3, *cfg.stem, cfg.dim]
    assert 2 ** (len(widths) - 1) == cfg.patch, "the stem must downsample by exactly `patch`"
    layers: list[nn.Module] = [HighPass()] if cfg.highpass else []
    for i, (cin, cout) in enumerate(zip(widths[:-1], widths[1:])):
        last = i == len(widths) - 2
        k, pad = (4, 1) if i == 0 else (3, 1)
        layers.append(nn.Conv2d(cin, cout, k, 2, pad, bias=last))
        if not last:
            layers += [nn.BatchNorm2d(cout), nn.ReLU()]
    return nn.Sequential(*layers)


class Vit(nn.Module):
    """pixel_values [N,3,S,S] (normalised) -> [CLS after block 1, ..., CLS after block L]."""

    def __init__(self, cfg: VitConfig) -> None:
        super().__init__()
        assert cfg.size % cfg.patch == 0 and cfg.dim % cfg.heads == 0
        self.cfg = cfg
        tokens = (cfg.size // cfg.patch) ** 2
        self.patch = conv_stem(cfg)
        self.cls = nn.Parameter(torch.zeros(1, 1, cfg.dim))
        self.pos = nn.Parameter(torch.zeros(1, tokens + 1, cfg.dim))
        self.blocks = nn.ModuleList(Block(cfg.dim, cfg.heads, cfg.mlp_ratio) for _ in range(cfg.depth))
        nn.init.trunc_normal_(self.pos, std=0.02)
        nn.init.trunc_normal_(self.cls, std=0.02)
        for m in self.modules():
            if isinstance(m, nn.Linear):
                nn.init.trunc_normal_(m.weight, std=0.02)
                nn.init.zeros_(m.bias)

    def forward(self, x: torch.Tensor) -> list[torch.Tensor]:
        x = self.patch(x).flatten(2).transpose(1, 2)
        x = torch.cat([self.cls.expand(x.shape[0], -1, -1), x], 1) + self.pos
        out = []
        for b in self.blocks:
            x = b(x)
            out.append(x[:, 0])
        return out


def vit_macs(cfg: VitConfig) -> int:
    """Multiply-accumulates of one forward pass (conv stem, projections, MLPs, attention)."""
    t = (cfg.size // cfg.patch) ** 2 + 1
    d = cfg.dim
    widths, side, patch = [6 if cfg.highpass else 3, *cfg.stem, d], cfg.size, 0
    for i, (cin, cout) in enumerate(zip(widths[:-1], widths[1:])):
        side //= 2
        patch += side * side * cin * cout * (16 if i == 0 else 9)
    per_block = t * (3 * d * d + d * d + 2 * cfg.mlp_ratio * d * d) + 2 * t * t * d
    return int(patch + cfg.depth * per_block)
