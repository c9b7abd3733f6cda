"""Which synthetic generators each attribution set uses, and getting their weights.

Rules (all seeded, so every run picks the same models):
* settrain    : TRAIN architectures (splits.json) x seeds 0, 1 — the extractor's own generators.
* eval_bags   : HELD-OUT architectures, seed 0 — the extractor's test generators.
* calibration : 48 architectures stratified over all 288 (space.stratified_pick), seed 100, and a
                width the extractor never saw (24, 48): a population of "other generators" used
                nowhere else, so calibrated LRs are not fitted on the test generators.
* families    : HELD-OUT architectures, NEW seed 1 (never trained before): 4 per upsampling type.
* unknown     : 4 further held-out architectures, seed 1, none of the family architectures:
                one per upsampling type plus one more (open set: same families, unknown models).
Held-out architectures are never used in any training step; their generators only render images.
"""
from __future__ import annotations

import dataclasses
import json

import numpy as np

from ..common import REPO_ROOT, SPLITS_PATH, derive_seed, log
from ..config import Config
from ..data.real_pool import build_pool
from ..synthetic.autoencoder import SyntheticAE
from ..synthetic.space import OPTIONS, Arch, all_archs, stratified_pick
from ..synthetic.train_models import load_ae, model_id, train_many, weights_path

UPS = OPTIONS["up"]
CALIBRATION_SEED = 100
CALIBRATION_WIDTH = (24, 48)
CALIBRATION_MODELS = 48
FAMILY_SEED = 1
FAMILY_PER_UP = 4
UNKNOWN_MODELS = 4
EVAL_SEED = 0


def family_label(arch_id: str) -> str:
    """Family of a synthetic generator: its upsampling type (the block that dominates its fingerprint)."""
    return f"synthetic AE, {Arch.from_id(arch_id).up} upsampling"


def splits() -> dict:
    return json.loads(SPLITS_PATH.read_text())


def calibration_config(cfg: Config) -> Config:
    """The run config with the calibration width (weights land in their own w24x48 folder)."""
    return dataclasses.replace(cfg, ae_width=CALIBRATION_WIDTH)


def settrain_keys() -> list[tuple[str, int]]:
    return [(a, s) for a in splits()["train"] for s in (0, 1)]


def eval_keys() -> list[tuple[str, int]]:
    return [(a, EVAL_SEED) for a in splits()["heldout"]]


def calibration_keys(cfg: Config) -> list[tuple[str, int]]:
    frac = CALIBRATION_MODELS / len(all_archs())
    picked = stratified_pick(all_archs(), frac, derive_seed(cfg.seed, "attribution-calibration"))
    assert len(picked) == CALIBRATION_MODELS
    return [(a.id, CALIBRATION_SEED) for a in picked]


def _heldout_by_up() -> dict[str, list[str]]:
    held = splits()["heldout"]
    return {up: [a for a in held if Arch.from_id(a).up == up] for up in UPS}


def family_keys(cfg: Config) -> list[tuple[str, int]]:
    """4 held-out archs per upsampling type (seeded pick, kept in splits.json order), seed 1."""
    out = []
    for up, archs in _heldout_by_up().items():
        rng = np.random.default_rng(derive_seed(cfg.seed, "attribution-families", up))
        keep = set(rng.choice(len(archs), FAMILY_PER_UP, replace=False).tolist())
        out += [(a, FAMILY_SEED) for i, a in enumerate(archs) if i in keep]
    return out


def unknown_keys(cfg: Config) -> list[tuple[str, int]]:
    """One remaining held-out arch per upsampling type, then one more from all the rest, seed 1."""
    fam = {a for a, _ in family_keys(cfg)}
    rest = {up: [a for a in archs if a not in fam] for up, archs in _heldout_by_up().items()}
    rng = np.random.default_rng(derive_seed(cfg.seed, "attribution-unknown"))
    picks = [rest[up].pop(int(rng.integers(len(rest[up])))) for up in UPS]
    pool = [a for up in UPS for a in rest[up]]
    picks.append(pool[int(rng.integers(len(pool)))])
    assert len(picks) == UNKNOWN_MODELS
    return [(a, FAMILY_SEED) for a in picks]


def ensure_trained(keys: list[tuple[str, int]], cfg: Config) -> dict[str, dict]:
    """Train the generators whose weights are absent (train_many: 2 single-thread processes).

    Returns training stats per model id (saved stats for the ones that already existed).
    """
    missing = [k for k in keys if not weights_path(*k, cfg).exists()]
    if missing:
        log(f"training {len(missing)} new generators (width {cfg.ae_width}) on the TRAIN pool")
    pool = build_pool("train", cfg.pool_train_size, 128, cfg.pool_photo_share, cfg.seed)
    return train_many(keys, pool, cfg)


def load(key: tuple[str, int], cfg: Config) -> SyntheticAE:
    ae = load_ae(*key, cfg)
    if ae is None:
        raise FileNotFoundError(f"generator {model_id(*key)} not trained ({weights_path(*key, cfg)})")
    return ae


def describe(key: tuple[str, int], cfg: Config, stats: dict | None) -> dict:
    """Manifest entry of one generator."""
    arch_id, seed = key
    return {
        "id": model_id(arch_id, seed),
        "arch_id": arch_id,
        "arch": vars(Arch.from_id(arch_id)),
        "seed": seed,
        "width": list(cfg.ae_width),
        "family": family_label(arch_id),
        "parent": None,
        "weights": str(weights_path(arch_id, seed, cfg).relative_to(REPO_ROOT)),
        "train_stats": stats,
    }
