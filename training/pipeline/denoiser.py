"""Train our own small DnCNN-style denoiser on the TRAIN real pool (no third-party weights).

The reference uses a pretrained DnCNN under a non-commercial licence. Ours learns the same
task (predict the additive noise of a noisy image; the prediction is the residual) on our
procedural pool with synthetic Gaussian noise sigma ~ U(0, 0.05), which is cheap enough for
a CPU budget. Held-out generators' images are never seen (it never sees generated images).
"""
from __future__ import annotations

import torch
import torch.nn.functional as F

from ..common import derive_seed, log
from ..config import Config
from .spectral import DnCNNResidual


def train_denoiser(pool_u8: torch.Tensor, cfg: Config) -> tuple[DnCNNResidual, dict]:
    """Train for cfg.denoiser_steps Adam steps on random crops; returns the eval-mode model."""
    s = derive_seed(cfg.seed, "denoiser")
    torch.manual_seed(s)
    g = torch.Generator().manual_seed(s + 1)
    net = DnCNNResidual(cfg.denoiser_layers, cfg.denoiser_width)
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, cfg.denoiser_steps, eta_min=1e-4)
    n, h, w, _ = pool_u8.shape
    c, b, d = cfg.denoiser_crop, cfg.denoiser_batch, cfg.denoiser_layers
    net.train()
    run = None
    for step in range(1, cfg.denoiser_steps + 1):
        idx = torch.randint(0, n, (b,), generator=g)
        ys = torch.randint(0, h - c + 1, (b,), generator=g)
        xs = torch.randint(0, w - c + 1, (b,), generator=g)
        clean = torch.stack([pool_u8[i, y:y + c, x:x + c] for i, y, x in
                             zip(idx.tolist(), ys.tolist(), xs.tolist())]).permute(0, 3, 1, 2).float() / 255
        sigma = torch.rand(b, 1, 1, 1, generator=g) * 0.05
        noise = torch.randn(clean.shape, generator=g) * sigma
        pred = net(clean + noise)
        loss = F.mse_loss(pred, noise[:, :, d:-d, d:-d])
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        sched.step()
        run = float(loss) if run is None else 0.95 * run + 0.05 * float(loss)
        if step % max(1, cfg.denoiser_steps // 5) == 0:
            log(f"denoiser step {step}/{cfg.denoiser_steps} mse {run:.3e} (noise var ~{0.05**2/3:.1e})")
    net.eval()
    return net, {"steps": cfg.denoiser_steps, "final_mse": run, "layers": d, "width": cfg.denoiser_width,
                 "noise": "gaussian sigma~U(0,0.05)", "crop": c, "batch": b}
