"""Batch-hard triplet loss (Hermans et al. 2017), as used by the reference with margin 0.3."""
from __future__ import annotations

import torch
import torch.nn.functional as F


def batch_hard_triplet(emb: torch.Tensor, labels: torch.Tensor, margin: float) -> torch.Tensor:
    """For each anchor: hardest positive (farthest same id) vs hardest negative (closest other id).

    `emb` is L2-normalised, so Euclidean distances lie in [0, 2] and a 0.3 margin is meaningful.
    Requires P x K batches (K >= 2 images per id).
    """
    d = torch.cdist(emb, emb).clamp_min(1e-12)
    same = labels[:, None] == labels[None, :]
    eye = torch.eye(len(labels), dtype=torch.bool, device=emb.device)
    pos = d.masked_fill(~same | eye, -1.0).amax(1)
    neg = d.masked_fill(same, float("inf")).amin(1)
    return F.relu(pos - neg + margin).mean()
