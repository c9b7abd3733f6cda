"""Export the layered encoder: ONNX with one output per block, its sidecar, and reference vectors.

Contract (attribution plan):
  input    pixel_values  float32 [N,3,S,S]  (byte / 255 - 0.5) / 0.5 after the engine's resize
                                             (shorter side -> R, sharp, kernel 'linear') and centre crop S
  outputs  cls_1..cls_L  float32 [N,D]      the CLS token after each block
Sidecar layered-encoder-v1.layers.json: {input, size, resize, mean, std, outputs, token: null}.
The reference JSON carries fixed inputs (base64 uint8 CHW, already S x S) with PyTorch's
per-block outputs so the engine can test its runtime against PyTorch.
"""
from __future__ import annotations

import base64
from pathlib import Path

import numpy as np
import torch
from torch import nn

from ..common import log, write_json
from ..export_onnx import reference_inputs
from . import onnx_io
from .layered_train import MEAN, STD, to_pixels
from .vit import Vit

NAME = "layered-encoder-v1"
INPUT = "pixel_values"


class PerBlock(nn.Module):
    """Tuple output so the exporter names every block's CLS token."""

    def __init__(self, vit: Vit) -> None:
        super().__init__()
        self.vit = vit

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, ...]:
        return tuple(self.vit(x))


def output_names(depth: int) -> list[str]:
    return [f"cls_{i + 1}" for i in range(depth)]


def sidecar(vit: Vit) -> dict:
    c = vit.cfg
    return {"input": INPUT, "size": c.size, "resize": c.size, "mean": [MEAN] * 3, "std": [STD] * 3,
            "outputs": output_names(c.depth), "token": None}


def export_all(vit: Vit, out_dir: Path, extra_images: dict[str, np.ndarray]) -> dict:
    """Write <NAME>.onnx, .layers.json and .reference.json; returns facts incl. runtime parity."""
    c = vit.cfg
    names = output_names(c.depth)
    onnx_path = out_dir / f"{NAME}.onnx"
    dummy = torch.zeros(2, 3, c.size, c.size)
    facts = onnx_io.export(PerBlock(vit), dummy, onnx_path, INPUT, {n: c.dim for n in names}, True,
                           f"Modelprint layered encoder v1: our small ViT ({c.depth} blocks, dim {c.dim}, "
                           f"patch {c.patch}, {c.size} px); outputs the CLS token after every block. "
                           f"See {NAME}.md.")
    write_json(out_dir / f"{NAME}.layers.json", sidecar(vit))
    ins = reference_inputs(extra_images)  # uint8 CHW, 128 x 128
    assert all(v.shape == (3, c.size, c.size) for v in ins.values())
    x = to_pixels(np.stack([v.transpose(1, 2, 0) for v in ins.values()]))
    with torch.no_grad():
        ref = {n: t.numpy() for n, t in zip(names, vit(x))}
    got = onnx_io.ort_run(onnx_path, {INPUT: x.numpy()})
    parity = onnx_io.max_abs_diff(ref, got)
    scale = float(max(np.abs(v).max() for v in ref.values()))
    log(f"layered encoder: onnxruntime-node vs PyTorch max abs diff {parity:.2e} (outputs up to {scale:.1f})")
    write_json(out_dir / f"{NAME}.reference.json", {
        "model": onnx_path.name,
        "input_encoding": f"each input is base64 of 3*{c.size}*{c.size} uint8 bytes in CHW order (RGB), already "
                          f"{c.size} x {c.size} (no resize/crop needed); pixel_values = (byte / 255 - {MEAN}) / {STD}",
        "tolerance": {"max_abs": 1e-3},
        "onnxruntime_node_vs_pytorch_max_abs": parity,
        "cases": [{"name": n, "input_b64": base64.b64encode(ins[n].tobytes()).decode(),
                   **{o: [float(v) for v in ref[o][k]] for o in names}}
                  for k, n in enumerate(ins)],
    })
    return {**facts, "onnxruntime_node_vs_pytorch_max_abs": parity, "output_abs_max": scale}
