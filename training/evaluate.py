"""The paper's evaluation protocols on embeddings of models never seen in training.

* 1:N identification: a model's gallery entry is the mean embedding of `gallery` of its images
  (here: the first `gallery` images in file-name order, so any implementation picks the same
  ones); every other image goes to the gallery entry of highest cosine. Accuracy, macro-F1.
* 1:1 verification: `n_pairs` same-model and `n_pairs` different-model random pairs (seeded),
  cosine similarity; AUC, EER, best accuracy over thresholds. Also the same figures over ALL
  pairs, which need no random choice and are therefore exactly reproducible by the engine.
* Embedding quality: silhouette (cosine) and Davies-Bouldin (Euclidean on L2-normalised
  embeddings) with one cluster per model.
"""
from __future__ import annotations

import numpy as np
from sklearn.metrics import davies_bouldin_score, f1_score, roc_auc_score, roc_curve, silhouette_score


def _norm(x: np.ndarray) -> np.ndarray:
    return x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)


def identification(emb: np.ndarray, labels: np.ndarray, gallery: int) -> dict:
    """Gallery = mean of the first `gallery` images of each model (array order = file order)."""
    emb = _norm(emb)
    classes = np.unique(labels)
    g_rows, probe_mask = [], np.ones(len(labels), bool)
    for c in classes:
        idx = np.flatnonzero(labels == c)[:gallery]
        g_rows.append(emb[idx].mean(0))
        probe_mask[idx] = False
    g = _norm(np.stack(g_rows))
    sims = emb[probe_mask] @ g.T
    pred = classes[sims.argmax(1)]
    true = labels[probe_mask]
    return {"accuracy": float((pred == true).mean()),
            "macro_f1": float(f1_score(true, pred, average="macro")),
            "models": int(len(classes)), "probes": int(probe_mask.sum()), "gallery_per_model": gallery}


def _verif_scores(sim: np.ndarray, same: np.ndarray) -> dict:
    auc = roc_auc_score(same, sim)
    fpr, tpr, thr = roc_curve(same, sim)
    fnr = 1 - tpr
    i = int(np.nanargmin(np.abs(fnr - fpr)))
    eer = float((fpr[i] + fnr[i]) / 2)
    # best accuracy over thresholds (balanced: positives and negatives weighted by their counts)
    order = np.argsort(-sim)
    s_sorted, y_sorted = sim[order], same[order].astype(np.int64)
    tp = np.cumsum(y_sorted)
    fp = np.cumsum(1 - y_sorted)
    n_pos, n_neg = y_sorted.sum(), len(y_sorted) - y_sorted.sum()
    acc = (tp + (n_neg - fp)) / len(y_sorted)
    # only cut between distinct scores
    valid = np.r_[s_sorted[1:] != s_sorted[:-1], True]
    j = int(np.argmax(np.where(valid, acc, -1)))
    best_acc = max(float(acc[j]), float(n_neg / len(y_sorted)))
    return {"auc": float(auc), "eer": eer, "best_accuracy": best_acc, "best_threshold": float(s_sorted[j]),
            "pairs_same": int(n_pos), "pairs_different": int(n_neg)}


def verification(emb: np.ndarray, labels: np.ndarray, n_pairs: int, seed: int) -> dict:
    """`n_pairs` same-model + `n_pairs` different-model random pairs (distinct images)."""
    emb = _norm(emb)
    rng = np.random.default_rng(seed)
    by = {c: np.flatnonzero(labels == c) for c in np.unique(labels)}
    classes = np.array(sorted(by))
    a, b = [], []
    while len(a) < n_pairs:  # same
        c = classes[rng.integers(len(classes))]
        i, j = rng.choice(by[c], 2, replace=False)
        a.append(i)
        b.append(j)
    while len(a) < 2 * n_pairs:  # different
        i, j = rng.integers(len(labels), size=2)
        if labels[i] != labels[j]:
            a.append(i)
            b.append(j)
    a_, b_ = np.array(a), np.array(b)
    sim = (emb[a_] * emb[b_]).sum(1)
    same = labels[a_] == labels[b_]
    return _verif_scores(sim, same)


def verification_all_pairs(emb: np.ndarray, labels: np.ndarray) -> dict:
    """Every unordered pair of distinct images: no sampling, exactly reproducible."""
    emb = _norm(emb)
    iu = np.triu_indices(len(labels), 1)
    sim = (emb @ emb.T)[iu]
    same = (labels[:, None] == labels[None, :])[iu]
    return _verif_scores(sim, same)


def cluster_quality(emb: np.ndarray, labels: np.ndarray) -> dict:
    """Silhouette (cosine; higher is better) and Davies-Bouldin (lower is better)."""
    emb = _norm(emb)
    return {"silhouette": float(silhouette_score(emb, labels, metric="cosine")),
            "davies_bouldin": float(davies_bouldin_score(emb, labels))}


def evaluate_all(emb: np.ndarray, labels: np.ndarray, gallery: int, n_pairs: int, seed: int) -> dict:
    """All protocols; `labels` are ints, images of a model in file-name order."""
    return {
        "identification": identification(emb, labels, gallery),
        "verification": verification(emb, labels, n_pairs, seed),
        "verification_all_pairs": verification_all_pairs(emb, labels),
        "clustering": cluster_quality(emb, labels),
    }
