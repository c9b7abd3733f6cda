"""Fine-tuned children of family generators: the gallery's lineage examples.

Why: a fine-tune (or LoRA) of a known model should land near its base model in fingerprint
space (docs/methods.md §3, "family and lineage"). A child here is its parent's saved weights trained a
few dozen more L1-reconstruction steps on content the parent never saw (one procedural kind of
a stream of its own), exactly like a model fine-tuned on a new domain. Everything is seeded
from (run seed, child id); weights are cached as float16 like every generator.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass

import torch
import torch.nn.functional as F

from ..common import derive_seed, log
from ..config import Config
from ..synthetic.autoencoder import SyntheticAE
from ..synthetic.space import Arch
from ..synthetic.train_models import model_id, to_float, weights_path
from .content import ContentStream

STEPS = 48
LR_SHARE = 0.3        # of the generators' own learning rate: a gentle continuation
CONTENT_IMAGES = 256  # 128 px images of the child's own content stream


@dataclass(frozen=True)
class FineTune:
    """A child of `parent` (arch id, seed) fine-tuned on procedural content of one `kind`."""

    parent: tuple[str, int]
    kind: str

    @property
    def id(self) -> str:
        return f"{model_id(*self.parent)}-ft-{self.kind}"

    def stream(self, cfg: Config) -> ContentStream:
        return ContentStream(f"finetune/{self.id}", CONTENT_IMAGES, 128, cfg.seed, kinds=(self.kind,))

    def path(self, cfg: Config):
        parent_path = weights_path(*self.parent, cfg)
        return parent_path.parent / "finetune" / f"{self.id}.pt"


def _train(child: FineTune, parent: SyntheticAE, cfg: Config) -> tuple[SyntheticAE, dict]:
    s = derive_seed(cfg.seed, "attribution-finetune", child.id)
    torch.manual_seed(s)
    g = torch.Generator().manual_seed(s + 1)
    pool = torch.from_numpy(child.stream(cfg).batch(range(CONTENT_IMAGES), ["reference"] * CONTENT_IMAGES))
    model = copy.deepcopy(parent).train()
    opt = torch.optim.Adam(model.parameters(), lr=cfg.ae_lr * LR_SHARE)
    n, h, w, _ = pool.shape
    c = cfg.ae_crop
    losses = []
    for _ in range(STEPS):
        idx = torch.randint(0, n, (cfg.ae_batch,), generator=g)
        ys = torch.randint(0, h - c + 1, (cfg.ae_batch,), generator=g)
        xs = torch.randint(0, w - c + 1, (cfg.ae_batch,), generator=g)
        x = to_float(torch.stack([pool[i, y:y + c, x0:x0 + c] for i, y, x0 in zip(idx.tolist(), ys.tolist(), xs.tolist())]))
        loss = F.l1_loss(model(x), x)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        losses.append(float(loss))
    stats = {"steps": STEPS, "lr": cfg.ae_lr * LR_SHARE, "first_l1": round(losses[0], 5),
             "final_l1": round(sum(losses[-8:]) / 8, 5), "content_kind": child.kind,
             "content_stream": child.stream(cfg).describe()}
    return model.eval(), stats


def finetuned(child: FineTune, parent: SyntheticAE, cfg: Config) -> tuple[SyntheticAE, dict]:
    """The child generator (eval mode, float16-rounded weights) and its fine-tune stats; cached."""
    p = child.path(cfg)
    if not p.exists():
        log(f"fine-tuning {child.id} ({STEPS} steps on '{child.kind}' content)")
        model, stats = _train(child, parent, cfg)
        p.parent.mkdir(parents=True, exist_ok=True)
        half = {k: (v.half() if v.is_floating_point() else v) for k, v in model.state_dict().items()}
        torch.save({"state": half, "stats": stats}, p)
    blob = torch.load(p)
    model = SyntheticAE(Arch.from_id(child.parent[0]), cfg.ae_width)
    model.load_state_dict({k: v.float() for k, v in blob["state"].items()})
    return model.eval(), blob["stats"]
