"""The set encoder's data: the engine's spectral embeddings of the `settrain` images.

The engine writes them (`modelprint evaluate <settrain> --save-embeddings FILE.npy`): FILE.npy is
float32 [n, 128], one row per image in listing order, FILE.npy.json says which generator each
row comes from. Generators are split by architecture: the VALIDATION architectures of
training/splits.json (a subset of TRAIN) are held out for early stopping; the others train.
A HELD-OUT (test) architecture in the file is an error: they must never reach training.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..common import SPLITS_PATH


@dataclass
class SetData:
    """Per generator: name and its embeddings [n_i, 128] (rows in file-name order)."""

    names: list[str]
    embeddings: list[np.ndarray]
    extractor: dict


def load(npy: Path, manifest: Path) -> tuple[SetData, SetData]:
    """(fit generators, validation generators) from the engine's embedding cache and the set manifest."""
    emb = np.load(npy).astype(np.float32)
    index = json.loads(Path(str(npy) + ".json").read_text())
    arch_of = {m["id"]: m["arch_id"] for m in json.loads(manifest.read_text())["models"]}
    sp = json.loads(SPLITS_PATH.read_text())
    val, held = set(sp["val"]), set(sp["heldout"])
    rows: dict[str, list[tuple[str, int]]] = {}
    for r, f in enumerate(index["files"]):
        rows.setdefault(index["generators"][f["generator"]], []).append((f["file"], r))
    if len(index["files"]) != len(emb):
        raise ValueError(f"{npy}: {len(emb)} rows but {len(index['files'])} files in its index")
    fit, vset = SetData([], [], index["extractor"]), SetData([], [], index["extractor"])
    for name in sorted(rows):
        arch = arch_of[name]
        if arch in held:
            raise ValueError(f"{name}: held-out architecture {arch} must never be used for training")
        target = vset if arch in val else fit
        target.names.append(name)
        target.embeddings.append(emb[[r for _, r in sorted(rows[name])]])
    return fit, vset


def sample_bags(data: SetData, models: np.ndarray, bags_per_model: int, max_size: int,
                rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Bags of uniform random size 1..max_size for the given model indices.

    Returns (rows [total, 128], bag index per row, model label per bag). A bag takes distinct
    images while the model has enough; a bag larger than the model's image count takes all its
    images plus random repeats (settrain has 32 images per model, bags reach 50).
    """
    xs, bag_of_row, labels = [], [], []
    for m in models:
        e = data.embeddings[int(m)]
        for _ in range(bags_per_model):
            k = int(rng.integers(1, max_size + 1))
            pick = rng.permutation(len(e))[:k]
            if k > len(e):
                pick = np.concatenate([pick, rng.integers(0, len(e), k - len(e))])
            xs.append(e[pick])
            bag_of_row.append(np.full(k, len(labels)))
            labels.append(int(m))
    return np.concatenate(xs), np.concatenate(bag_of_row), np.array(labels)
