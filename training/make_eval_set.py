"""Write the held-out evaluation set as PNGs: one folder per generator, for `modelprint evaluate`.

    /usr/bin/python3 -m training.make_eval_set --out DIR [--config full]

Layout: DIR/<model id>/<nnn>.png (256x256 RGB, 8-bit) and DIR/manifest.json (the protocol:
gallery = first 10 files of each folder in name order). Deterministic: the EVAL real pool is
procedural + fixed photos, generators are the HELD-OUT architectures (seed 0), loaded from
training/artifacts/generators/ or retrained deterministically when absent (needs only the
TRAIN real pool, itself procedural). These images are NOT to be committed.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import torch

from .common import SPLITS_PATH, derive_seed, log, setup_torch, write_json
from .config import Config, get_config
from .data.real_pool import build_pool
from .synthetic.space import Arch, limit_archs, write_splits
from .synthetic.train_models import load_ae, model_id, render, train_many

EVAL_SEED = 0  # seed index of the held-out generators used for evaluation


def heldout_keys(cfg: Config) -> list[tuple[str, int]]:
    """Held-out (arch, seed) models used for evaluation, from splits.json (created if absent)."""
    sp = json.loads(SPLITS_PATH.read_text()) if SPLITS_PATH.exists() else write_splits(
        cfg.seed, cfg.heldout_fraction, cfg.val_fraction)
    ids = limit_archs(sp["heldout"], None if cfg.archs_limit is None else max(4, cfg.archs_limit // 4), cfg.seed)
    return [(a, EVAL_SEED) for a in ids]


def build_eval_images(cfg: Config) -> tuple[list[str], np.ndarray, np.ndarray]:
    """(model ids, uint8 images [M*n,256,256,3], labels) — generators retrained if missing."""
    keys = heldout_keys(cfg)
    missing = [k for k in keys if load_ae(*k, cfg) is None]
    if missing:
        log(f"retraining {len(missing)} held-out generators (weights absent)")
        train_pool = build_pool("train", cfg.pool_train_size, 128, cfg.pool_photo_share, cfg.seed)
        train_many(missing, train_pool, cfg)
    pool = build_pool("eval", cfg.pool_eval_size, cfg.eval_size, cfg.pool_photo_share, cfg.seed)
    imgs, labels = [], []
    for label, (a, s) in enumerate(keys):
        rng = np.random.default_rng(derive_seed(cfg.seed, "eval-content", a, s))
        pick = rng.choice(len(pool), cfg.eval_imgs_per_model, replace=False)
        imgs.append(render(load_ae(a, s, cfg), pool[pick], batch=8))  # type: ignore[arg-type]
        labels += [label] * cfg.eval_imgs_per_model
    return [model_id(a, s) for a, s in keys], np.concatenate(imgs), np.array(labels)


def write_eval_set(out: Path, cfg: Config) -> dict:
    """Write PNGs + manifest; returns the manifest."""
    from PIL import Image

    ids, imgs, labels = build_eval_images(cfg)
    out.mkdir(parents=True, exist_ok=True)
    per = cfg.eval_imgs_per_model
    for m, mid in enumerate(ids):
        d = out / mid
        d.mkdir(exist_ok=True)
        for k in range(per):
            Image.fromarray(imgs[m * per + k]).save(d / f"{k:03d}.png", optimize=False, compress_level=6)
    manifest = {
        "about": "Held-out synthetic generators (architectures never used in training), one folder per "
                 "generator. Regenerate: /usr/bin/python3 -m training.make_eval_set --out DIR",
        "config": cfg.name,
        "image_size": cfg.eval_size,
        "images_per_model": per,
        "models": [{"id": mid, "arch": vars(Arch.from_id(mid.rsplit("_s", 1)[0]))} for mid in ids],
        "protocol": {"identification_gallery": f"first {cfg.gallery_size} files of each folder, sorted by name",
                     "crop_embedding": "3x3 sliding window of 128 px crops, mean of crop embeddings",
                     "verification_pairs_each": cfg.verif_pairs},
    }
    write_json(out / "manifest.json", manifest)
    log(f"eval set: {len(ids)} models x {per} images ({cfg.eval_size}px) -> {out}")
    return manifest


def read_eval_set(out: Path) -> tuple[list[str], list[np.ndarray], np.ndarray]:
    """Read the PNG folder back (what the engine sees): (model ids, images, int labels)."""
    from PIL import Image

    ids = sorted(p.name for p in out.iterdir() if p.is_dir())
    imgs, labels = [], []
    for m, mid in enumerate(ids):
        for f in sorted((out / mid).glob("*.png")):
            imgs.append(np.asarray(Image.open(f).convert("RGB")))
            labels.append(m)
    return ids, imgs, np.array(labels)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True, type=Path)
    ap.add_argument("--config", default="full", choices=["tiny", "full"])
    args = ap.parse_args()
    setup_torch()
    torch.manual_seed(0)
    write_eval_set(args.out, get_config(args.config))


if __name__ == "__main__":
    main()
