"""Run scales: every knob that trades compute for quality lives here, nowhere else.

`tiny` validates every stage end to end in minutes; `full` is sized (by measuring `tiny`)
to finish within ~75 minutes on 2 shared CPU cores. The paper's own scale is recorded next to
each knob so the model card can state the gap honestly.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Config:
    name: str
    seed: int = 20260308

    # --- real-image pool (paper: CelebA + LSUN, resized to 128) ---
    pool_train_size: int = 2400          # 128x128 images for AE / denoiser / extractor samples
    pool_eval_size: int = 400            # 256x256 images, disjoint seeds and photos, eval only
    pool_photo_share: float = 0.2        # share of pool images that are skimage photo crops

    # --- synthetic model space (paper: 288 archs x 20 seeds, trained to L1 < 0.005) ---
    heldout_fraction: float = 0.15
    val_fraction: float = 0.15           # of TRAIN archs; used only to choose residual/spectrum
    seeds_per_arch: int = 2              # paper: 20
    ae_width: tuple[int, int] = (16, 32) # channels after down block 1 and 2
    ae_crop: int = 32                    # AE training crops (fully convolutional)
    ae_batch: int = 16
    ae_max_steps: int = 150              # cap; stop earlier when running L1 < ae_stop_l1
    ae_stop_l1: float = 0.005
    ae_lr: float = 3e-3
    ae_workers: int = 2                  # processes x 1 thread each
    archs_limit: int | None = None       # tiny runs: only this many archs (stratified)

    # --- fingerprinted training samples ---
    imgs_per_model: int = 24             # rendered 128x128 samples per training model

    # --- residual stage ---
    classical_kernel: str = "gauss5"     # image minus 5x5 Gaussian (sigma 1), valid conv
    denoiser_layers: int = 6             # DnCNN-style, no padding (128 -> 116)
    denoiser_width: int = 16
    denoiser_steps: int = 1500
    denoiser_batch: int = 16
    denoiser_crop: int = 64

    # --- extractor (paper: ResNet50, 2048-d, 40 epochs x batch 200, lr 1e-4) ---
    emb_dim: int = 128
    widths: tuple[int, ...] = (16, 24, 48, 96, 160)
    batch_p: int = 24                    # models per batch
    batch_k: int = 4                     # images per model per batch
    lr: float = 1e-3
    weight_decay: float = 0.01
    triplet_margin: float = 0.3
    compare_steps: int = 250             # per residual/spectrum variant (validation runs)
    final_steps: int = 2500
    restart_period: int = 1200           # cosine warm restart period T_0 (steps)
    warmup_steps: int = 100

    # --- evaluation (paper: 1000 images/model, 10 gallery images) ---
    eval_imgs_per_model: int = 30
    eval_size: int = 256
    gallery_size: int = 10
    verif_pairs: int = 5000
    val_imgs_per_model: int = 24          # 128 px validation images per val model

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)


TINY = Config(
    name="tiny",
    seeds_per_arch=1,
    pool_train_size=300,
    pool_eval_size=60,
    archs_limit=40,
    ae_max_steps=20,
    imgs_per_model=12,
    denoiser_steps=40,
    compare_steps=30,
    final_steps=60,
    restart_period=30,
    warmup_steps=10,
    batch_p=8,
    eval_imgs_per_model=14,
    val_imgs_per_model=12,
    verif_pairs=500,
)

FULL = Config(name="full")

PRESETS = {"tiny": TINY, "full": FULL}


def get_config(name: str, **overrides: object) -> Config:
    """Preset by name, with optional field overrides (used for timing probes)."""
    return dataclasses.replace(PRESETS[name], **overrides)  # type: ignore[arg-type]
