"""Train the layered encoder: a generator-level objective at the last block, a content-level one
in the middle, so the CLS curve moves from "what is shown" to "who made it" (docs/methods.md §2).

Objective (one step = B content images, two different renders of each, 2B images):
* source heads on the CLS after the LAST block: real vs generated (all images) and the six
  architecture attributes of the generator (K, L, order, upsampling, activation, normalisation;
  generated images only), cross-entropy each. Attributes rather than generator ids: 416
  generators with ~30 renders each would be memorised, while the attributes are shared with
  architectures the encoder never saw (validation and held-out ones), which is what a curve of
  an unknown model needs;
* content head on the CLS after the MIDDLE block: NT-Xent (InfoNCE, temperature 0.1) where the
  positive of an image is the other render of the same content and all other 2B - 2 images are
  negatives, so middle layers encode content and stay comparable across sources (C_T's
  nearest-neighbour distances to T need this).
Heads (LayerNorm + Linear) are training devices only and are not exported.
"""
from __future__ import annotations

import math
import time
from dataclasses import asdict, dataclass

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from ..common import derive_seed, log
from ..synthetic.space import OPTIONS
from .layered_data import ATTRS, Split
from .vit import Vit, VitConfig

MEAN = 0.5  # pixel_values = (byte / 255 - MEAN) / STD, as the sidecar states
STD = 0.5


@dataclass(frozen=True)
class TrainConfig:
    seed: int = 20260502
    steps: int = 2400
    pairs: int = 32               # content images per step (2 renders each)
    lr: float = 1e-3
    weight_decay: float = 0.05
    warmup: int = 60
    temperature: float = 0.1
    content_weight: float = 0.5
    content_dim: int = 64

    def to_dict(self) -> dict:
        return asdict(self)


class Heads(nn.Module):
    """Training-only heads: source (real + attributes) on the last CLS, content on the middle CLS."""

    def __init__(self, dim: int, content_dim: int) -> None:
        super().__init__()
        self.src_norm = nn.LayerNorm(dim)
        self.real = nn.Linear(dim, 2)
        self.attrs = nn.ModuleList(nn.Linear(dim, len(OPTIONS[a])) for a in ATTRS)
        self.content = nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, content_dim))


def to_pixels(u8: np.ndarray) -> torch.Tensor:
    """uint8 NHWC -> normalised float NCHW, exactly the engine's preprocessing after resize/crop."""
    x = torch.from_numpy(u8).permute(0, 3, 1, 2).float().div_(255.0)
    return (x - MEAN) / STD


def nt_xent(z: torch.Tensor, temperature: float) -> torch.Tensor:
    """InfoNCE over 2B embeddings where rows i and i + B are the two views of one content."""
    z = F.normalize(z, dim=1)
    n = z.shape[0] // 2
    sim = z @ z.t() / temperature
    sim = sim.masked_fill(torch.eye(2 * n, dtype=torch.bool), float("-inf"))
    target = torch.cat([torch.arange(n, 2 * n), torch.arange(n)])
    return F.cross_entropy(sim, target)


def source_loss(heads: Heads, cls_last: torch.Tensor, source: torch.Tensor, attrs: torch.Tensor) -> tuple[torch.Tensor, dict]:
    """CE(real vs generated) + mean CE over the six attributes of the generated images."""
    h = heads.src_norm(cls_last)
    is_gen = source >= 0
    real_logits = heads.real(h)
    loss = F.cross_entropy(real_logits, is_gen.long())
    acc = {"real": float((real_logits.argmax(1) == is_gen.long()).float().mean())}
    if is_gen.any():
        hg = h[is_gen]
        ag = attrs[source[is_gen]]
        parts = []
        for j, head in enumerate(heads.attrs):
            logits = head(hg)
            parts.append(F.cross_entropy(logits, ag[:, j]))
            acc[ATTRS[j]] = float((logits.argmax(1) == ag[:, j]).float().mean())
        loss = loss + torch.stack(parts).mean()
    return loss, acc


def pair_sampler(split: Split, seed: int):
    """Yields (row indices of view A, row indices of view B): two different renders per content."""
    by_content: dict[int, np.ndarray] = {}
    order = np.argsort(split.content, kind="stable")
    bounds = np.flatnonzero(np.diff(split.content[order])) + 1
    for rows in np.split(order, bounds):
        by_content[int(split.content[rows[0]])] = rows
    contents = np.array(sorted(by_content))
    rng = np.random.default_rng(seed)

    def draw(b: int) -> tuple[np.ndarray, np.ndarray]:
        cs = rng.choice(contents, b, replace=False)
        pairs = np.stack([rng.choice(by_content[int(c)], 2, replace=False) for c in cs])
        return pairs[:, 0], pairs[:, 1]

    return draw


def train(train_split: Split, vc: VitConfig, tc: TrainConfig) -> tuple[Vit, dict]:
    """Returns the trained encoder (eval mode) and training statistics."""
    torch.manual_seed(derive_seed(tc.seed, "init"))
    model, heads = Vit(vc), Heads(vc.dim, tc.content_dim)
    params = list(model.parameters()) + list(heads.parameters())
    decay = [p for p in params if p.ndim >= 2]
    no_decay = [p for p in params if p.ndim < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": tc.weight_decay},
                             {"params": no_decay, "weight_decay": 0.0}], lr=tc.lr)

    def lr_at(step: int) -> float:
        if step < tc.warmup:
            return tc.lr * (step + 1) / tc.warmup
        return tc.lr * 0.5 * (1 + math.cos(math.pi * (step - tc.warmup) / (tc.steps - tc.warmup)))

    draw = pair_sampler(train_split, derive_seed(tc.seed, "pairs"))
    attrs = torch.from_numpy(train_split.attrs).long()
    mid = vc.depth // 2 - 1  # index of the middle block's CLS
    model.train()
    t0 = time.time()
    hist: list[dict] = []
    run: dict[str, float] = {}
    for step in range(tc.steps):
        for g in opt.param_groups:
            g["lr"] = lr_at(step)
        a, b = draw(tc.pairs)
        rows = np.concatenate([a, b])
        x = to_pixels(train_split.images[rows])
        source = torch.from_numpy(train_split.source[rows]).long()
        cls = model(x)
        l_src, acc = source_loss(heads, cls[-1], source, attrs)
        l_con = nt_xent(heads.content(cls[mid]), tc.temperature)
        loss = l_src + tc.content_weight * l_con
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        cur = {"source": float(l_src), "content": float(l_con), **{f"acc_{k}": v for k, v in acc.items()}}
        run = cur if not run else {k: 0.95 * run.get(k, v) + 0.05 * v for k, v in cur.items()}
        if (step + 1) % 25 == 0 or step == tc.steps - 1:
            el = time.time() - t0
            log(f"[layered] step {step + 1}/{tc.steps} " + " ".join(f"{k} {v:.3f}" for k, v in run.items())
                + f" ({el:.0f}s, {el / (step + 1):.2f}s/step)")
            hist.append({"step": step + 1, **{k: round(v, 4) for k, v in run.items()}})
    model.eval()
    stats = {"seconds": round(time.time() - t0, 1), "steps": tc.steps, "images_per_step": 2 * tc.pairs,
             "params": sum(p.numel() for p in model.parameters()), "history": hist,
             "final_running": {k: round(v, 4) for k, v in run.items()},
             "content_block": mid + 1, "source_block": vc.depth}
    heads.eval()
    stats["_heads"] = heads  # popped by the driver for validation of the heads
    return model, stats


@torch.no_grad()
def embed(model: Vit, images_u8: np.ndarray, batch: int = 128) -> list[np.ndarray]:
    """CLS after each block for uint8 NHWC images: list over blocks of [n, D] float32."""
    outs: list[list[np.ndarray]] = []
    for i in range(0, len(images_u8), batch):
        cls = model(to_pixels(images_u8[i:i + batch]))
        outs.append([c.numpy() for c in cls])
    return [np.concatenate([o[k] for o in outs]) for k in range(len(outs[0]))]
