"""Train the DeepSets set encoder with the contrastive bag loss; validate against mean pooling.

A step draws `models_per_step` TRAIN generators and `bags_per_model` bags of random size
1..`max_bag` from each (set_data.sample_bags), so every anchor bag has positives of other sizes:
a bag of 1 image must land near a bag of 50 of the same model. Every `eval_every` steps the
loss is computed on fixed bags of the validation generators (validation architectures, never
trained on; `val_bags_per_model` bags each, drawn once), and the checkpoint with the lowest
validation loss is kept (early stopping). Not the identification accuracy: on these generators it
saturates at 100% from bags of 5 images, so it cannot rank checkpoints.

Validation protocol (per generator, files in name order): gallery entry = the set of its first
10 images; queries = consecutive, disjoint bags of k of the other images (k = 1, 5, 10 and all);
1:N identification by cosine over the validation generators, and the AUC of same-source against
different-source cosine scores. Mean pooling (the engine's 'mean' fingerprint: average of the
L2-normalised image embeddings) is scored the same way as the baseline.
"""
from __future__ import annotations

import copy
import time
from dataclasses import asdict, dataclass
from typing import Callable

import numpy as np
import torch
from sklearn.metrics import roc_auc_score

from ..common import derive_seed, log
from .deepsets import DeepSets, SetConfig
from .set_data import SetData, sample_bags
from .set_loss import bag_contrastive_loss

GALLERY = 10


@dataclass(frozen=True)
class SetTrainConfig:
    seed: int = 20260503
    steps: int = 2000
    models_per_step: int = 48
    bags_per_model: int = 3
    max_bag: int = 50
    lr: float = 1e-3
    weight_decay: float = 1e-4
    eval_every: int = 100
    val_bags_per_model: int = 4

    def to_dict(self) -> dict:
        return asdict(self)


Encoder = Callable[[list[np.ndarray]], np.ndarray]  # list of bags [k_i, 128] -> fingerprints [n, d]


def mean_encoder(bags: list[np.ndarray]) -> np.ndarray:
    return np.stack([b.mean(0) for b in bags])


def deepsets_encoder(model: DeepSets) -> Encoder:
    @torch.no_grad()
    def enc(bags: list[np.ndarray]) -> np.ndarray:
        x = torch.from_numpy(np.concatenate(bags))
        idx = torch.from_numpy(np.concatenate([np.full(len(b), i) for i, b in enumerate(bags)]))
        return model.bags(x, idx, len(bags)).numpy()
    return enc


def _unit(x: np.ndarray) -> np.ndarray:
    return x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)


def validate(data: SetData, encode: Encoder) -> dict:
    """Identification accuracy and verification AUC per query bag size (see module doc)."""
    gal = _unit(encode([e[:GALLERY] for e in data.embeddings]))
    n_query = min(len(e) for e in data.embeddings) - GALLERY
    out = {}
    for k in (1, 5, 10, n_query):
        bags, labels = [], []
        for m, e in enumerate(data.embeddings):
            rest = e[GALLERY:]
            for j in range(len(rest) // k):
                bags.append(rest[j * k:(j + 1) * k])
                labels.append(m)
        labels = np.array(labels)
        sim = _unit(encode(bags)) @ gal.T
        same = np.zeros_like(sim, dtype=bool)
        same[np.arange(len(labels)), labels] = True
        out[str(k)] = {"bags": len(bags),
                       "identification": round(float((sim.argmax(1) == labels).mean()), 4),
                       "auc": round(float(roc_auc_score(same.ravel(), sim.ravel())), 4)}
    out["mean_identification"] = round(float(np.mean([v["identification"] for v in out.values()])), 4)
    return out


def train(fit: SetData, val: SetData, sc: SetConfig, tc: SetTrainConfig) -> tuple[DeepSets, dict]:
    """Returns the best-on-validation model (eval mode) and the training record."""
    torch.manual_seed(derive_seed(tc.seed, "init"))
    model = DeepSets(sc)
    opt = torch.optim.AdamW(model.parameters(), lr=tc.lr, weight_decay=tc.weight_decay)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, tc.steps, eta_min=tc.lr * 0.05)
    rng = np.random.default_rng(derive_seed(tc.seed, "bags"))
    vx, vbag, vlab = (torch.from_numpy(a) for a in sample_bags(
        val, np.arange(len(val.names)), tc.val_bags_per_model, tc.max_bag,
        np.random.default_rng(derive_seed(tc.seed, "val-bags"))))
    with torch.no_grad():  # at initialisation the model is mean pooling at length init_scale
        initial_vloss = float(bag_contrastive_loss(model.bags(vx, vbag, len(vlab)), vlab))
    best = (float("inf"), 0, None)
    curve = []
    t0 = time.time()
    run = None
    for step in range(1, tc.steps + 1):
        model.train()
        models = rng.choice(len(fit.names), tc.models_per_step, replace=False)
        x, bag, labels = sample_bags(fit, models, tc.bags_per_model, tc.max_bag, rng)
        z = model.bags(torch.from_numpy(x), torch.from_numpy(bag), len(labels))
        loss = bag_contrastive_loss(z, torch.from_numpy(labels))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        sched.step()
        run = float(loss) if run is None else 0.95 * run + 0.05 * float(loss)
        if step % tc.eval_every == 0 or step == tc.steps:
            model.eval()
            with torch.no_grad():
                vloss = float(bag_contrastive_loss(model.bags(vx, vbag, len(vlab)), vlab))
            v = validate(val, deepsets_encoder(model))
            curve.append({"step": step, "loss": round(run, 4), "val_loss": round(vloss, 4),
                          "val_mean_identification": v["mean_identification"],
                          "scale": round(float(model.log_scale.exp()), 3)})
            if vloss < best[0]:
                best = (vloss, step, copy.deepcopy(model.state_dict()))
            if step % (5 * tc.eval_every) == 0 or step == tc.steps:
                log(f"[set] step {step}/{tc.steps} loss {run:.4f} val loss {vloss:.4f} val mean identification "
                    f"{v['mean_identification']:.4f} scale {float(model.log_scale.exp()):.2f} ({time.time() - t0:.0f}s)")
    model.load_state_dict(best[2])
    model.eval()
    return model, {"seconds": round(time.time() - t0, 1), "best_step": best[1], "best_val_loss": round(best[0], 4),
                   "initial_val_loss": round(initial_vloss, 4),
                   "val_bags": int(len(vlab)),
                   "curve": curve, "scale": round(float(model.log_scale.exp()), 4),
                   "params": sum(p.numel() for p in model.parameters())}
