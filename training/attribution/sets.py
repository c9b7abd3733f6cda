"""One builder per attribution data folder (plan: "Data"), each writing `<out>/<set>/`.

Layout of a generator set: `<set>/<model id>/<nnn>.png` + `<set>/manifest.json`. Content rules
(also written into each manifest): generator sets rendered from fresh content take the images of
model m (in manifest order) from indices [m*per, (m+1)*per) of the set's own content stream, so
no two images of any set, and no two sets, share content; within a model, the files before
`gallery` (name order) have the "reference" role, the rest the "query" role (content.py).
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import Callable

import numpy as np

from ..common import REPO_ROOT, derive_seed, log
from ..config import Config
from ..data.real_pool import build_pool
from ..samples import content_split
from ..synthetic.autoencoder import SyntheticAE
from ..synthetic.space import Arch
from ..synthetic.train_models import model_id, render
from . import generators as gen
from .content import ContentStream
from .finetune import FineTune, finetuned
from .pngs import AtomicSet, folder_bytes, save_folder

REGENERATE = "/usr/bin/python3 -m training.attribution.render_sets --out DIR --only {name}"
FINETUNES_KINDS = {"nearest": "leaves", "transposed": "pink"}  # parent = first family model of that type


def _header(name: str, about: str, cfg: Config, size: int, per: int) -> dict:
    return {"set": name, "about": about, "regenerate": REGENERATE.format(name=name), "config": cfg.name,
            "run_seed": cfg.seed, "image_size": size, "images_per_model": per,
            "layout": "<model id>/<nnn>.png, 8-bit RGB PNG"}


def _render_models(folder: Path, models: list[tuple[dict, SyntheticAE]],
                   content: Callable[[int], np.ndarray], name: str) -> None:
    """Render every model's content (content(m) -> uint8 batch) into folder/<id>/."""
    t0 = time.time()
    for m, (desc, ae) in enumerate(models):
        save_folder(folder / desc["id"], render(ae, content(m), batch=16))
        if (m + 1) % max(1, len(models) // 10) == 0 or m + 1 == len(models):
            log(f"  {name}: {m + 1}/{len(models)} models, {time.time() - t0:.0f}s")


def _stream_content(stream: ContentStream, per: int, gallery: int) -> Callable[[int], np.ndarray]:
    roles = ["reference" if k < gallery else "query" for k in range(per)]
    return lambda m: stream.batch(range(m * per, (m + 1) * per), roles)


def _content_rule(stream: ContentStream, per: int, gallery: int) -> dict:
    roles = (f"files 000..{gallery - 1:03d} have role 'reference', the rest 'query'" if 0 < gallery < per
             else "every file has role 'reference'" if gallery >= per else "every file has role 'query'")
    return {**stream.describe(),
            "slice_rule": f"model m (manifest order) uses stream indices [m*{per}, (m+1)*{per}); {roles}"}


def _trained(keys: list[tuple[str, int]], cfg: Config) -> list[tuple[dict, SyntheticAE]]:
    """(manifest entry, generator) per key; generators without weights are trained first."""
    stats = gen.ensure_trained(keys, cfg)
    return [(gen.describe(k, cfg, stats.get(model_id(*k))), gen.load(k, cfg)) for k in keys]


def _model_set(out: Path, name: str, about: str, models: list[tuple[dict, SyntheticAE]], cfg: Config,
               size: int, per: int, gallery: int, protocol: dict | None = None) -> dict:
    """Render fresh content of the set's own stream through every model (module doc: slice rule)."""
    stream = ContentStream(name, len(models) * per, size, cfg.seed)
    with AtomicSet(out, name) as s:
        _render_models(s.tmp, models, _stream_content(stream, per, gallery), name)
        s.manifest = {**_header(name, about, cfg, size, per), "content": _content_rule(stream, per, gallery),
                      **({"protocol": protocol} if protocol else {}),
                      "models": [d for d, _ in models]}
    return s.manifest


def _gallery_protocol(per: int) -> dict:
    return {"gallery": "first 10 files of each folder, sorted by name (mean embedding = the entry)",
            "queries": f"the other {per - 10} files",
            "same_source": "query (or bag of queries) vs its own model's entry",
            "different_source": "vs every other model's entry"}


def build_settrain(out: Path, cfg: Config) -> dict:
    """TRAIN archs x 2 seeds, 32 images at 128 px of TRAIN-pool validation content."""
    keys, per = gen.settrain_keys(), 32
    pool = build_pool("train", cfg.pool_train_size, 128, cfg.pool_photo_share, cfg.seed)
    _, content = content_split(len(pool))
    picks = [np.random.default_rng(derive_seed(cfg.seed, "attribution-settrain", a, s))
             .choice(content, per, replace=False) for a, s in keys]
    models = _trained(keys, cfg)
    with AtomicSet(out, "settrain") as s:
        _render_models(s.tmp, models, lambda m: pool[picks[m]], "settrain")
        for (desc, _), pick in zip(models, picks):
            desc["content_indices"] = pick.tolist()
        s.manifest = {**_header("settrain", "DeepSets training data: the extractor's TRAIN generators "
                                "(both seeds). Training only; never evaluate on it.", cfg, 128, per),
                      "content": {"pool": f"TRAIN real pool ({cfg.pool_train_size} images, 128 px)",
                                  "slice_rule": f"validation slice of the TRAIN pool, indices "
                                                f"{int(content[0])}..{int(content[-1])} (training.samples."
                                                "content_split: content the extractor never trained on); "
                                                f"{per} per model without replacement, rng derive_seed("
                                                f"{cfg.seed}, 'attribution-settrain', arch, seed); "
                                                "per-model indices in models[].content_indices"},
                      "models": [d for d, _ in models]}
    return s.manifest


def build_calibration(out: Path, cfg: Config) -> dict:
    ccfg = gen.calibration_config(cfg)
    about = ("Calibration population: 48 generators used nowhere else (architectures stratified over "
             "all 288, seed 100, width 24x48 the extractor never saw).")
    return _model_set(out, "calibration", about, _trained(gen.calibration_keys(cfg), ccfg), cfg, 256, 70, 10,
                      _gallery_protocol(70))


def build_eval_bags(out: Path, cfg: Config) -> dict:
    about = ("Test generators: the 43 HELD-OUT architectures, seed 0 (never used in any training or "
             "calibration). Bags of 1/5/10/50 queries.")
    return _model_set(out, "eval_bags", about, _trained(gen.eval_keys(), cfg), cfg, 256, 110, 10,
                      _gallery_protocol(110))


def family_models(cfg: Config) -> list[tuple[dict, SyntheticAE]]:
    """The 12 family generators then the 2 fine-tunes, with manifest entries (also used by fixtures)."""
    keys = gen.family_keys(cfg)
    models = _trained(keys, cfg)
    for up, kind in FINETUNES_KINDS.items():
        parent_key = next(k for k in keys if Arch.from_id(k[0]).up == up)
        parent = next(ae for d, ae in models if d["id"] == model_id(*parent_key))
        child = FineTune(parent_key, kind)
        ae, ft_stats = finetuned(child, parent, cfg)
        desc = {**gen.describe(parent_key, cfg, None), "id": child.id, "parent": model_id(*parent_key),
                "weights": str(child.path(cfg).relative_to(REPO_ROOT)),
                "finetune": ft_stats}
        models.append((desc, ae))
    return models


def unknown_models(cfg: Config) -> list[tuple[dict, SyntheticAE]]:
    return _trained(gen.unknown_keys(cfg), cfg)


def build_families(out: Path, cfg: Config) -> dict:
    about = ("Self-trained gallery families: 12 generators of HELD-OUT architectures with a NEW seed (1), "
             "4 per upsampling type, plus 2 fine-tunes (parent given). Reference images for the "
             "default gallery (spectral fingerprints and C_T curves).")
    return _model_set(out, "families", about, family_models(cfg), cfg, 128, 300, 300)


def build_unknown(out: Path, cfg: Config) -> dict:
    about = ("Open-set generators: 4 held-out-architecture seed-1 generators that are NOT in the "
             "gallery (no family architecture).")
    return _model_set(out, "unknown", about, unknown_models(cfg), cfg, 128, 300, 0)


def build_ct_reference(out: Path, cfg: Config) -> dict:
    """T = the generators' own training pool (first 2000), P = 500 fresh held-out real images."""
    n_t, n_p = 2000, 500
    pool = build_pool("train", cfg.pool_train_size, 128, cfg.pool_photo_share, cfg.seed)
    stream = ContentStream("ct_reference/P", n_p, 128, cfg.seed)
    with AtomicSet(out, "ct_reference") as s:
        save_folder(s.tmp / "T", pool[:n_t], digits=4)
        save_folder(s.tmp / "P", stream.batch(range(n_p), ["reference"] * n_p), digits=4)
        s.manifest = {
            "set": "ct_reference", "regenerate": REGENERATE.format(name="ct_reference"), "config": cfg.name,
            "run_seed": cfg.seed, "image_size": 128, "layout": "T/<nnnn>.png, P/<nnnn>.png, 8-bit RGB PNG",
            "about": "C_T reference (docs/methods.md §2): T = the synthetic generators' training data, "
                     "P = held-out real images never used for training anything.",
            "T": {"images": n_t, "source": f"TRAIN real pool ({cfg.pool_train_size} images, 128 px, "
                                            "every generator trained on all of it)",
                  "slice_rule": f"pool indices 0..{n_t - 1}, in order"},
            "P": {**stream.describe(), "slice_rule": "stream indices 0..499, role 'reference'"},
        }
    log(f"ct_reference: {folder_bytes(s.final) / 1e6:.1f} MB")
    return s.manifest


BUILDERS: dict[str, Callable[[Path, Config], dict]] = {
    "settrain": build_settrain,
    "calibration": build_calibration,
    "ct_reference": build_ct_reference,
    "families": build_families,
    "unknown": build_unknown,
    "eval_bags": build_eval_bags,
}
