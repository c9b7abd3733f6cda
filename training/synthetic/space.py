"""The paper's synthetic architecture space and its fixed train / validation / held-out split.

288 architectures = K{1,2} x L{1,2} x order{pre,post} x up{nearest,bilinear,transposed}
x act{none,relu,sigmoid,tanh} x norm{none,batch,instance}.

The split is what makes the evaluation honest: held-out architectures never take part in any
training step (AEs are trained for them only to *render evaluation images*), and the
validation architectures (a subset of TRAIN) are the only ones used to pick the residual and
spectrum variants. It is drawn once from a fixed seed and written to training/splits.json.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from ..common import SPLITS_PATH, derive_seed, write_json

OPTIONS: dict[str, tuple] = {
    "K": (1, 2),
    "L": (1, 2),
    "order": ("pre", "post"),
    "up": ("nearest", "bilinear", "transposed"),
    "act": ("none", "relu", "sigmoid", "tanh"),
    "norm": ("none", "batch", "instance"),
}


@dataclass(frozen=True)
class Arch:
    """One point of the architecture space."""

    K: int
    L: int
    order: str
    up: str
    act: str
    norm: str

    @property
    def id(self) -> str:
        return f"K{self.K}-L{self.L}-{self.order}-{self.up}-{self.act}-{self.norm}"

    @staticmethod
    def from_id(s: str) -> "Arch":
        k, l, order, up, act, norm = s.split("-")
        return Arch(int(k[1:]), int(l[1:]), order, up, act, norm)


def all_archs() -> list[Arch]:
    """All 288 architectures in a fixed order."""
    return [Arch(*v) for v in itertools.product(*OPTIONS.values())]


def _balanced(sel: list[Arch], total: list[Arch], frac: float, tol: float) -> bool:
    """True when every option value's share in `sel` is within frac*(1 +- tol) of its count."""
    for name, values in OPTIONS.items():
        for v in values:
            n_all = sum(getattr(a, name) == v for a in total)
            n_sel = sum(getattr(a, name) == v for a in sel)
            if n_sel == 0 or n_sel == n_all:
                return False
            if abs(n_sel / n_all - frac) > frac * tol:
                return False
    return True


def stratified_pick(pool: list[Arch], frac: float, seed: int, tol: float = 0.5) -> list[Arch]:
    """Seeded random subset of size round(frac*len) whose option-value shares are balanced."""
    n = int(round(frac * len(pool)))
    for attempt in range(100000):
        rng = np.random.default_rng(derive_seed(seed, "split", attempt))
        idx = rng.choice(len(pool), n, replace=False)
        sel = [pool[i] for i in sorted(idx)]
        if _balanced(sel, pool, frac, tol):
            return sel
    raise RuntimeError("no balanced split found")


def make_splits(seed: int, heldout_fraction: float, val_fraction: float) -> dict[str, list[str]]:
    """Held-out archs from all 288, then validation archs from the remaining train archs."""
    archs = all_archs()
    held = stratified_pick(archs, heldout_fraction, derive_seed(seed, "heldout"))
    held_ids = {a.id for a in held}
    train = [a for a in archs if a.id not in held_ids]
    val = stratified_pick(train, val_fraction, derive_seed(seed, "val"))
    return {
        "train": [a.id for a in train],
        "val": [a.id for a in val],  # subset of train
        "heldout": [a.id for a in held],
    }


def write_splits(seed: int, heldout_fraction: float, val_fraction: float) -> dict:
    """Create training/splits.json (idempotent: same seed -> identical file)."""
    sp = make_splits(seed, heldout_fraction, val_fraction)
    doc = {
        "about": "Fixed architecture split. 'heldout' archs are never used in any training step "
                 "(denoiser, extractor, variant selection). 'val' is a subset of 'train' used only "
                 "to choose residual/spectrum variants; the final extractor trains on all 'train'.",
        "seed": seed,
        "heldout_fraction": heldout_fraction,
        "val_fraction_of_train": val_fraction,
        "options": {k: list(v) for k, v in OPTIONS.items()},
        "counts": {k: len(v) for k, v in sp.items()},
        **sp,
    }
    write_json(SPLITS_PATH, doc)
    return doc


def limit_archs(ids: list[str], n: int | None, seed: int) -> list[str]:
    """Deterministic subset for tiny runs (keeps order); None keeps everything."""
    if n is None or n >= len(ids):
        return ids
    rng = np.random.default_rng(derive_seed(seed, "limit", len(ids)))
    keep = set(rng.choice(len(ids), n, replace=False).tolist())
    return [a for i, a in enumerate(ids) if i in keep]
