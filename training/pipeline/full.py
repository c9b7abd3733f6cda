"""The whole per-crop pipeline as one module: crops -> residual -> spectrum -> embedding.

This exact module is what gets exported to ONNX and what the Python evaluation runs, so the
card's figures are figures of the shipped graph (up to ONNX runtime float differences).
"""
from __future__ import annotations

import numpy as np
import torch
from torch import nn

from ..extractor.model import SpectrumEncoder
from .spectral import OUT, DFTMagnitude


class FingerprintPipeline(nn.Module):
    """crops [N,3,128,128] in [0,1] -> (embedding [N,D], residual [N,3,h,h], spectrum [N,3,128,128])."""

    def __init__(self, residual: nn.Module, log_spectrum: bool, encoder: SpectrumEncoder) -> None:
        super().__init__()
        self.residual = residual
        self.spectrum = DFTMagnitude(residual.out_size, log_spectrum)  # type: ignore[arg-type]
        self.encoder = encoder

    def forward(self, crops: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        r = self.residual(crops)
        s = self.spectrum(r)
        return self.encoder(s), r, s


def window_offsets(side: int, crop: int = OUT) -> list[int]:
    """Sliding-window offsets along one side (docs/methods.md §1.4).

    side > 128: stride s = (side - 128) // 2 and offsets 0, s, 2s (3 per side -> 3x3 grid
    covering corners and centre). Degenerate strides (side 129..131 -> s = 0 or 1, i.e. three
    near-identical crops) collapse to one centred crop. side <= 128: handled by the caller
    (centre crop with zero padding).
    """
    s = (side - crop) // 2
    if side - crop < 4:
        return [max(0, (side - crop) // 2)]
    return [0, s, 2 * s]


def image_crops(img_u8: np.ndarray, crop: int = OUT) -> torch.Tensor:
    """uint8 HxWx3 -> float crops [n,3,128,128] in [0,1]; never resizes (it would erase traces)."""
    x = torch.from_numpy(np.array(img_u8, dtype=np.uint8, copy=True)).permute(2, 0, 1).float() / 255.0
    _, h, w = x.shape
    if h < crop or w < crop:  # centre crop/pad with zeros to 128
        canvas = torch.zeros(3, max(h, crop), max(w, crop))
        oy, ox = (max(h, crop) - h) // 2, (max(w, crop) - w) // 2
        canvas[:, oy:oy + h, ox:ox + w] = x
        x = canvas
        _, h, w = x.shape
        if h == crop and w == crop:
            return x[None]
    ys = window_offsets(h, crop)
    xs = window_offsets(w, crop)
    return torch.stack([x[:, y:y + crop, xo:xo + crop] for y in ys for xo in xs])


@torch.no_grad()
def embed_images(pipe: FingerprintPipeline, images: list[np.ndarray] | np.ndarray, batch: int = 64) -> np.ndarray:
    """Image embeddings = mean of the sliding-window crop embeddings, L2-normalised."""
    pipe.eval()
    crops, owner = [], []
    for i, im in enumerate(images):
        c = image_crops(im)
        crops.append(c)
        owner += [i] * len(c)
    allc = torch.cat(crops)
    embs = torch.cat([pipe(allc[i:i + batch])[0] for i in range(0, len(allc), batch)])
    owner_t = torch.tensor(owner)
    out = torch.zeros(len(images), embs.shape[1]).index_add_(0, owner_t, embs)
    out /= torch.bincount(owner_t, minlength=len(images))[:, None].float()
    return torch.nn.functional.normalize(out, dim=1).numpy()
