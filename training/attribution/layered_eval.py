"""Validation of the layered encoder, per block, on generators of architectures it never saw.

The validation split holds the generators of the VALIDATION architectures (a subset of TRAIN
excluded from the encoder's training) rendering validation content, plus that content as real
images. For the CLS after every block we measure what C_T needs from it:
* generator identification: 1:N over the validation generators, gallery entry = mean of a
  generator's first 10 renders, every other render classified by cosine (generator level);
* real vs generated: logistic-regression probe fitted on half of the contents, scored on the
  other half (source level);
* content retrieval: a generated image's nearest real image (cosine) shows the same content
  (content level, across a generator never seen).
The trained heads' accuracies on the last block are reported too.
"""
from __future__ import annotations

import numpy as np
import torch
from sklearn.linear_model import LogisticRegression

from .layered_data import ATTRS, Split
from .layered_train import Heads

GALLERY = 10


def _unit(x: np.ndarray) -> np.ndarray:
    return x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)


def generator_identification(emb: np.ndarray, source: np.ndarray) -> float:
    gens = np.unique(source[source >= 0])
    cents, queries, labels = [], [], []
    for k, g in enumerate(gens):
        rows = np.flatnonzero(source == g)
        cents.append(_unit(emb[rows[:GALLERY]]).mean(0))
        queries.append(emb[rows[GALLERY:]])
        labels += [k] * (len(rows) - GALLERY)
    sim = _unit(np.concatenate(queries)) @ _unit(np.stack(cents)).T
    return float((sim.argmax(1) == np.array(labels)).mean())


def real_probe(emb: np.ndarray, split: Split) -> float:
    half = split.content % 2 == 0
    y = (split.source >= 0).astype(int)
    mu, sd = emb[half].mean(0), emb[half].std(0) + 1e-6
    clf = LogisticRegression(max_iter=2000, class_weight="balanced").fit((emb[half] - mu) / sd, y[half])
    return float(clf.score((emb[~half] - mu) / sd, y[~half]))


def content_retrieval(emb: np.ndarray, split: Split) -> float:
    real = np.flatnonzero(split.source < 0)
    gen = np.flatnonzero(split.source >= 0)
    sim = _unit(emb[gen]) @ _unit(emb[real]).T
    return float((split.content[real][sim.argmax(1)] == split.content[gen]).mean())


@torch.no_grad()
def head_accuracy(heads: Heads, cls_last: np.ndarray, split: Split) -> dict:
    h = heads.src_norm(torch.from_numpy(cls_last))
    is_gen = split.source >= 0
    out = {"real_vs_generated": float((heads.real(h).argmax(1).numpy() == is_gen).mean())}
    ag = split.attrs[split.source[is_gen]]
    for j, head in enumerate(heads.attrs):
        out[ATTRS[j]] = float((head(h[torch.from_numpy(is_gen)]).argmax(1).numpy() == ag[:, j]).mean())
    return out


def evaluate(layers: list[np.ndarray], split: Split, heads: Heads) -> dict:
    per_layer = [{"block": i + 1,
                  "generator_identification": round(generator_identification(e, split.source), 4),
                  "real_vs_generated_probe": round(real_probe(e, split), 4),
                  "content_retrieval": round(content_retrieval(e, split), 4)}
                 for i, e in enumerate(layers)]
    n_gen = int(len(np.unique(split.source[split.source >= 0])))
    return {"per_block": per_layer, "heads_last_block": {k: round(v, 4) for k, v in head_accuracy(heads, layers[-1], split).items()},
            "validation_generators": n_gen, "validation_images": int(len(split.source)),
            "validation_real_images": int((split.source < 0).sum()),
            "chance": {"generator_identification": round(1 / n_gen, 4),
                       "content_retrieval": round(1 / int((split.source < 0).sum()), 4)}}
