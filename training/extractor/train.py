"""Extractor training on precomputed spectra: CE over synthetic-model ids + batch-hard triplet.

Spectra are computed once per residual variant (the residual stage is frozen: fixed kernel
or a separately trained denoiser) and stored as float16 plain magnitudes; the log variant is
applied on the fly. This removes the residual+DFT cost from every epoch, which on 2 CPU cores
is the difference between a few and a few dozen passes over the data.

Optimiser as in the reference, scaled to the budget: AdamW (weight decay 0.01), linear
warm-up then cosine annealing with warm restarts (period cfg.restart_period steps),
P x K batches (P models x K images) so every batch has triplets.
"""
from __future__ import annotations

import math
import time

import numpy as np
import torch
import torch.nn.functional as F

from ..common import derive_seed, log
from ..config import Config
from ..pipeline.spectral import DFTMagnitude
from .losses import batch_hard_triplet
from .model import SpectrumEncoder

LOG_EPS = 1e-3


@torch.no_grad()
def compute_spectra(residual: torch.nn.Module, images_u8: np.ndarray, batch: int = 64) -> torch.Tensor:
    """uint8 NHWC 128x128 images -> float16 plain |DFT| spectra [N,3,128,128]."""
    residual.eval()
    dft = DFTMagnitude(residual.out_size, log=False)  # type: ignore[arg-type]
    out = torch.empty(len(images_u8), 3, 128, 128, dtype=torch.float16)
    for i in range(0, len(images_u8), batch):
        x = torch.from_numpy(images_u8[i:i + batch]).permute(0, 3, 1, 2).float() / 255.0
        out[i:i + batch] = dft(residual(x)).half()
    return out


def prep(spec16: torch.Tensor, use_log: bool) -> torch.Tensor:
    """Stored float16 magnitude -> encoder input (must match DFTMagnitude's log exactly)."""
    x = spec16.float()
    return torch.log(x + LOG_EPS) if use_log else x


def lr_factor(step: int, warmup: int, period: int) -> float:
    """Linear warm-up, then cosine annealing with warm restarts (to 1% of the peak)."""
    if step < warmup:
        return (step + 1) / warmup
    t = (step - warmup) % period
    return 0.01 + 0.99 * 0.5 * (1 + math.cos(math.pi * t / period))


def train_extractor(spectra: torch.Tensor, labels: np.ndarray, use_log: bool, steps: int,
                    cfg: Config, tag: str) -> tuple[SpectrumEncoder, dict]:
    """Train a fresh encoder for `steps` P x K batches; returns (eval-mode encoder, stats)."""
    s = derive_seed(cfg.seed, "extractor", tag)
    torch.manual_seed(s)
    rng = np.random.default_rng(s)
    classes = np.unique(labels)
    assert np.array_equal(classes, np.arange(len(classes))), "labels must be 0..C-1"
    by_class = [np.flatnonzero(labels == c) for c in classes]
    model = SpectrumEncoder(cfg.widths, cfg.emb_dim, len(classes))
    opt = torch.optim.AdamW(model.parameters(), lr=cfg.lr, weight_decay=cfg.weight_decay)
    period = min(cfg.restart_period, max(1, steps - cfg.warmup_steps))
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda st: lr_factor(st, cfg.warmup_steps, period))
    p = min(cfg.batch_p, len(classes))
    model.train()
    t0 = time.time()
    hist: list[dict] = []
    run_ce = run_tr = run_acc = None
    for step in range(steps):
        cls = rng.choice(len(classes), p, replace=False)
        idx = np.concatenate([rng.choice(by_class[c], cfg.batch_k, replace=len(by_class[c]) < cfg.batch_k)
                              for c in cls])
        x = prep(spectra[torch.from_numpy(idx)], use_log)
        y = torch.from_numpy(labels[idx]).long()
        h = model.features(x)
        logits = model.logits(h)
        ce = F.cross_entropy(logits, y)
        tr = batch_hard_triplet(F.normalize(h, dim=1), y, cfg.triplet_margin)
        loss = ce + tr
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        sched.step()
        acc = float((logits.argmax(1) == y).float().mean())
        a = 0.05
        run_ce = float(ce) if run_ce is None else (1 - a) * run_ce + a * float(ce)
        run_tr = float(tr) if run_tr is None else (1 - a) * run_tr + a * float(tr)
        run_acc = acc if run_acc is None else (1 - a) * run_acc + a * acc
        if (step + 1) % max(1, steps // 10) == 0 or step + 1 == steps:
            el = time.time() - t0
            log(f"[{tag}] step {step + 1}/{steps} ce {run_ce:.3f} triplet {run_tr:.3f} "
                f"batch-acc {run_acc:.3f} lr {sched.get_last_lr()[0]:.2e} ({el:.0f}s, {el / (step + 1):.2f}s/step)")
            hist.append({"step": step + 1, "ce": round(run_ce, 4), "triplet": round(run_tr, 4),
                         "batch_acc": round(run_acc, 4), "seconds": round(el, 1)})
    model.eval()
    stats = {"steps": steps, "batch": f"{p}x{cfg.batch_k}", "classes": int(len(classes)),
             "samples": int(len(labels)), "epochs_equiv": round(steps * p * cfg.batch_k / len(labels), 2),
             "seconds": round(time.time() - t0, 1), "history": hist, "log_spectrum": use_log}
    return model, stats
