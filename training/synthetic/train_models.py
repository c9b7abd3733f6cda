"""Train the synthetic generators (reconstruction AEs) and render fingerprinted images.

Each (architecture, seed) model is trained on random crops of the TRAIN real pool to
reconstruct its input (L1), stopping when the running L1 residual drops below
``cfg.ae_stop_l1`` (the paper's eta = 0.005) or at the step cap ``cfg.ae_max_steps`` that the
CPU budget allows. Everything is seeded from (run seed, arch id, seed index), so a model can
be retrained bit-for-bit on the same machine with the same thread count (1 per worker): this
is how make_eval_set regenerates held-out generators when the saved weights are absent.
"""
from __future__ import annotations

import multiprocessing as mp
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from ..common import ARTIFACTS, derive_seed, quantize_u8
from ..config import Config
from .autoencoder import SyntheticAE
from .space import Arch

GEN_DIR = ARTIFACTS / "generators"


def model_id(arch_id: str, seed: int) -> str:
    """Stable name of one synthetic model."""
    return f"{arch_id}_s{seed}"


def weights_path(arch_id: str, seed: int, cfg: Config) -> Path:
    """Weights file; the path encodes everything that changes the weights."""
    tag = f"w{cfg.ae_width[0]}x{cfg.ae_width[1]}-c{cfg.ae_crop}-b{cfg.ae_batch}-n{cfg.ae_max_steps}-r{cfg.seed}"
    return GEN_DIR / tag / f"{model_id(arch_id, seed)}.pt"


def to_float(u8: torch.Tensor) -> torch.Tensor:
    """uint8 NHWC -> float NCHW in [0,1]."""
    return u8.permute(0, 3, 1, 2).float().div_(255.0)


def train_ae(arch_id: str, seed: int, pool: torch.Tensor, cfg: Config) -> tuple[dict, dict]:
    """Train one AE; returns (state_dict, stats). `pool` is uint8 [N,H,W,3] (train split)."""
    s = derive_seed(cfg.seed, "ae", arch_id, seed)
    torch.manual_seed(s)
    g = torch.Generator().manual_seed(s + 1)
    model = SyntheticAE(Arch.from_id(arch_id), cfg.ae_width)
    opt = torch.optim.Adam(model.parameters(), lr=cfg.ae_lr)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, cfg.ae_max_steps, eta_min=cfg.ae_lr * 0.1)
    n, h, w, _ = pool.shape
    c = cfg.ae_crop
    run = None
    steps = 0
    t0 = time.time()
    model.train()
    for steps in range(1, cfg.ae_max_steps + 1):
        idx = torch.randint(0, n, (cfg.ae_batch,), generator=g)
        ys = torch.randint(0, h - c + 1, (cfg.ae_batch,), generator=g)
        xs = torch.randint(0, w - c + 1, (cfg.ae_batch,), generator=g)
        batch = torch.stack([pool[i, y:y + c, x:x + c] for i, y, x in zip(idx.tolist(), ys.tolist(), xs.tolist())])
        x = to_float(batch)
        loss = F.l1_loss(model(x), x)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        sched.step()
        lv = float(loss)
        run = lv if run is None else 0.9 * run + 0.1 * lv
        if run < cfg.ae_stop_l1:
            break
    stats = {"steps": steps, "final_l1": round(float(run), 5), "seconds": round(time.time() - t0, 2)}
    return {k: v.clone() for k, v in model.state_dict().items()}, stats


def load_ae(arch_id: str, seed: int, cfg: Config) -> SyntheticAE | None:
    """Load a saved generator in eval mode, or None when its weights are absent."""
    p = weights_path(arch_id, seed, cfg)
    if not p.exists():
        return None
    blob = torch.load(p)
    model = SyntheticAE(Arch.from_id(arch_id), cfg.ae_width)
    model.load_state_dict({k: v.float() for k, v in blob["state"].items()})
    return model.eval()


def save_ae(arch_id: str, seed: int, cfg: Config, state: dict, stats: dict) -> None:
    """Save weights as float16 (compact: the rendered fingerprint survives 16-bit weights)."""
    p = weights_path(arch_id, seed, cfg)
    p.parent.mkdir(parents=True, exist_ok=True)
    half = {k: (v.half() if v.is_floating_point() else v) for k, v in state.items()}
    torch.save({"state": half, "stats": stats}, p)


# The saved weights are float16; rendering always uses the *loaded* float16-rounded weights,
# both right after training and when make_eval_set reloads them, so both paths agree.

_POOL: torch.Tensor | None = None
_CFG: Config | None = None


def _init_worker(pool: torch.Tensor, cfg: Config) -> None:
    global _POOL, _CFG
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    _POOL, _CFG = pool, cfg


def _job(key: tuple[str, int]) -> tuple[str, int, dict]:
    arch_id, seed = key
    assert _POOL is not None and _CFG is not None
    state, stats = train_ae(arch_id, seed, _POOL, _CFG)
    save_ae(arch_id, seed, _CFG, state, stats)
    return arch_id, seed, stats


def train_many(keys: list[tuple[str, int]], pool_u8: np.ndarray, cfg: Config,
               progress: callable | None = None) -> dict[str, dict]:
    """Train every missing (arch, seed) model in `cfg.ae_workers` single-thread processes.

    Returns stats per model id (cached models report their saved stats).
    """
    out: dict[str, dict] = {}
    todo = []
    for a, s in keys:
        p = weights_path(a, s, cfg)
        if p.exists():
            out[model_id(a, s)] = torch.load(p)["stats"]
        else:
            todo.append((a, s))
    if not todo:
        return out
    pool = torch.from_numpy(pool_u8)
    ctx = mp.get_context("fork")
    with ctx.Pool(cfg.ae_workers, initializer=_init_worker, initargs=(pool, cfg)) as p:
        for i, (a, s, stats) in enumerate(p.imap(_job, todo, chunksize=1)):
            out[model_id(a, s)] = stats
            if progress and (i + 1) % max(1, len(todo) // 10) == 0:
                progress(i + 1, len(todo), stats)
    return out


@torch.no_grad()
def render(model: SyntheticAE, images_u8: np.ndarray, batch: int = 16) -> np.ndarray:
    """Pass real images (uint8 NHWC) through a generator -> 8-bit generated images (uint8 NHWC)."""
    outs = []
    for i in range(0, len(images_u8), batch):
        x = to_float(torch.from_numpy(images_u8[i:i + batch]))
        y = quantize_u8(model(x))
        outs.append((y * 255).round().to(torch.uint8).permute(0, 2, 3, 1).numpy())
    return np.concatenate(outs, 0)
