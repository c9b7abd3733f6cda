"""Fingerprinted samples: real-pool images passed through trained synthetic generators.

Content split of the TRAIN real pool (so validation images show content the extractor never
saw): the first 85% of the pool feeds extractor training samples, the last 15% feeds the
validation renders. (Generators and the denoiser train on the whole TRAIN pool: content, not
labels.) Held-out evaluation images use the separate EVAL pool (see make_eval_set).
"""
from __future__ import annotations

import numpy as np

from .common import derive_seed
from .config import Config
from .synthetic.train_models import load_ae, model_id, render


def content_split(n: int) -> tuple[np.ndarray, np.ndarray]:
    """(indices for training samples, indices for validation samples) of the TRAIN pool."""
    cut = int(round(n * 0.85))
    return np.arange(cut), np.arange(cut, n)


def render_samples(keys: list[tuple[str, int]], pool_u8: np.ndarray, content: np.ndarray,
                   n_per_model: int, cfg: Config, tag: str) -> tuple[np.ndarray, np.ndarray]:
    """For each model, n random content images (seeded by model id) -> (uint8 images, labels)."""
    imgs, labels = [], []
    for label, (arch_id, seed) in enumerate(keys):
        ae = load_ae(arch_id, seed, cfg)
        if ae is None:
            raise FileNotFoundError(f"generator {model_id(arch_id, seed)} not trained")
        rng = np.random.default_rng(derive_seed(cfg.seed, tag, arch_id, seed))
        pick = rng.choice(content, n_per_model, replace=len(content) < n_per_model)
        imgs.append(render(ae, pool_u8[pick]))
        labels += [label] * n_per_model
    return np.concatenate(imgs), np.array(labels)
