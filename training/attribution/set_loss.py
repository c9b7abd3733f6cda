"""The set-encoder paper's contrastive bag loss, written from its formula (no public code exists).

For bag fingerprints z_1..z_B with source-model labels y_1..y_B:
    p(z_j | z_i) = exp(-||z_i - z_j||^2) / sum_{k != i} exp(-||z_i - z_k||^2)      (j != i)
    loss_i       = -log sum_{j != i, y_j = y_i} p(z_j | z_i)
and the batch loss is the mean of loss_i over the anchors i that have at least one other bag of
the same model in the batch (for the others the sum is empty and the loss undefined).
Computed with log-sum-exp so that distant bags do not underflow to log(0).
"""
from __future__ import annotations

import torch


def bag_contrastive_loss(z: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    """z: [B, d] bag fingerprints; labels: [B] model ids. Returns the scalar mean loss."""
    # explicit squared distances, not torch.cdist: cdist's gradient is NaN at zero distance
    # (two identical bags), and B is small (a few hundred bags per batch)
    d2 = (z[:, None, :] - z[None, :, :]).pow(2).sum(-1)
    logits = -d2
    self_mask = torch.eye(z.shape[0], dtype=torch.bool, device=z.device)
    same = (labels[:, None] == labels[None, :]) & ~self_mask
    neg_inf = torch.finfo(z.dtype).min
    log_all = torch.logsumexp(logits.masked_fill(self_mask, neg_inf), dim=1)
    log_pos = torch.logsumexp(logits.masked_fill(~same, neg_inf), dim=1)
    has_pos = same.any(1)
    if not bool(has_pos.any()):
        raise ValueError("no anchor has another bag of the same model in the batch")
    return (log_all - log_pos)[has_pos].mean()
