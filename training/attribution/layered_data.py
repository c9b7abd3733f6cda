"""Training and validation images for the layered encoder (our ViT).

What the encoder must learn (docs/methods.md §2): C_T compares, in the encoder's space, how close
generated images Q and held-out real images P are to a real training set T. So the CLS tokens
must carry *content* (which image is this, to find near neighbours in T) and *source* (real or
generated, and by what kind of generator). The data therefore comes as renders of the same
content by several sources:

* content: a dedicated pool made with the project's procedural real-image generator
  (training/data/real_pool.py) from its own seed stream ("layered-content"), so no image is
  shared with the generators' training pool (the C_T reference T) nor with P; the last
  `val_content` images are validation content only;
* sources: 'real' (the content itself) and the existing synthetic generators
  (training/artifacts/generators/) of TRAIN architectures that are not validation
  architectures; the validation architectures' generators render validation images only.
  HELD-OUT architectures (splits.json) are never loaded.

Every content image is rendered by `gens_per_content` random generators plus real; a training
pair is two different renders of one content. Everything is seeded; arrays are cached.
"""
from __future__ import annotations

import hashlib
import multiprocessing as mp
from dataclasses import dataclass

import numpy as np
import torch

from ..common import ARTIFACTS, SPLITS_PATH, derive_seed, log
from ..config import get_config
from ..data import real_pool
from ..synthetic.space import Arch, OPTIONS
from ..synthetic.train_models import load_ae, model_id, render

CACHE = ARTIFACTS / "attribution" / "layered"
ATTRS = tuple(OPTIONS)  # K, L, order, up, act, norm
GEN_CFG = get_config("full")  # the generators the spectral extractor was trained with


@dataclass(frozen=True)
class DataConfig:
    seed: int = 20260501
    content: int = 4000          # 128 px content images (pool share of photos as the extractor's)
    val_content: int = 600       # last images: validation content only
    gens_per_content: int = 4    # generator renders per training content image (+ the real one)
    val_imgs_per_gen: int = 24   # validation renders per validation generator
    size: int = 128


@dataclass
class Split:
    """Images (uint8 NHWC), their content index, source index (-1 = real) and source names."""

    images: np.ndarray
    content: np.ndarray
    source: np.ndarray
    sources: list[str]
    attrs: np.ndarray  # [n_sources, 6] option index per attribute


def split_generators() -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """(fit generators, validation generators): TRAIN archs minus val archs, and val archs; seeds 0, 1."""
    import json

    sp = json.loads(SPLITS_PATH.read_text())
    val = set(sp["val"])
    held = set(sp["heldout"])
    fit = [(a, s) for a in sp["train"] if a not in val for s in range(GEN_CFG.seeds_per_arch)]
    vgen = [(a, s) for a in sp["val"] for s in range(GEN_CFG.seeds_per_arch)]
    assert not {a for a, _ in fit + vgen} & held, "held-out architectures must never be used"
    return fit, vgen


def attr_index(arch_id: str) -> list[int]:
    """Option index of each architecture attribute (the generator-level training targets)."""
    a = Arch.from_id(arch_id)
    return [OPTIONS[k].index(getattr(a, k)) for k in ATTRS]


def _make(job: tuple[int, str]) -> np.ndarray:
    return real_pool.make_image(job[0], job[1], 128, real_pool._PHOTOS)


def content_pool(dc: DataConfig) -> np.ndarray:
    """The encoder's own content images (uint8 [n,128,128,3]), cached."""
    key = hashlib.sha256(f"layered-content/v1/{dc.seed}/{dc.content}".encode()).hexdigest()[:12]
    path = CACHE / f"content_{key}.npy"
    if path.exists():
        return np.load(path)
    photos = real_pool.load_photos(real_pool.TRAIN_PHOTOS)
    kinds = real_pool.kind_schedule(dc.content, GEN_CFG.pool_photo_share, derive_seed(dc.seed, "layered-kinds"))
    jobs = [(derive_seed(dc.seed, "layered-content", i), k) for i, k in enumerate(kinds)]
    real_pool._PHOTOS = photos
    with mp.get_context("fork").Pool(2) as p:  # each image is individually seeded: order-independent
        out = np.stack(p.map(_make, jobs, chunksize=16))
    path.parent.mkdir(parents=True, exist_ok=True)
    np.save(path, out)
    log(f"layered content pool: {len(out)} images, kinds { {k: kinds.count(k) for k in real_pool.KINDS} }")
    return out


def _render_split(pool: np.ndarray, gens: list[tuple[str, int]], plan: dict[int, np.ndarray],
                  real_content: np.ndarray) -> Split:
    """Render plan[g] (content indices) through generator g, plus the real images of real_content."""
    imgs, content, source = [pool[real_content]], [real_content], [np.full(len(real_content), -1)]
    for g, (a, s) in enumerate(gens):
        idx = plan[g]
        if len(idx) == 0:
            continue
        ae = load_ae(a, s, GEN_CFG)
        if ae is None:
            raise FileNotFoundError(f"generator {model_id(a, s)} missing: run `bash training/train.sh` first")
        imgs.append(render(ae, pool[idx], batch=32))
        content.append(idx)
        source.append(np.full(len(idx), g))
    return Split(np.concatenate(imgs), np.concatenate(content), np.concatenate(source),
                 [model_id(a, s) for a, s in gens], np.array([attr_index(a) for a, _ in gens]))


def build(dc: DataConfig) -> tuple[Split, Split]:
    """(train split, validation split); cached as .npz under training/artifacts/attribution/layered/."""
    key = hashlib.sha256(repr(dc).encode()).hexdigest()[:12]
    paths = [CACHE / f"{name}_{key}.npz" for name in ("train", "val")]
    if all(p.exists() for p in paths):
        out = []
        for p in paths:
            z = np.load(p, allow_pickle=False)
            out.append(Split(z["images"], z["content"], z["source"], z["sources"].tolist(), z["attrs"]))
        return out[0], out[1]
    torch.set_num_threads(2)
    pool = content_pool(dc)
    fit, vgen = split_generators()
    n_fit = dc.content - dc.val_content
    rng = np.random.default_rng(derive_seed(dc.seed, "layered-plan"))
    # training: each fit content image -> gens_per_content distinct random generators
    choice = np.stack([rng.choice(len(fit), dc.gens_per_content, replace=False) for _ in range(n_fit)])
    plan = {g: np.flatnonzero((choice == g).any(1)) for g in range(len(fit))}
    train = _render_split(pool, fit, plan, np.arange(n_fit))
    # validation: each validation generator renders val_imgs_per_gen random validation contents
    vcont = np.arange(n_fit, dc.content)
    vplan = {g: np.sort(rng.choice(vcont, dc.val_imgs_per_gen, replace=False)) for g in range(len(vgen))}
    val = _render_split(pool, vgen, vplan, vcont)
    for p, s in zip(paths, (train, val)):
        np.savez(p, images=s.images, content=s.content, source=s.source, sources=np.array(s.sources),
                 attrs=s.attrs)
    log(f"layered data: train {len(train.images)} images ({len(fit)} generators + real), "
        f"val {len(val.images)} images ({len(vgen)} generators + real)")
    return train, val
