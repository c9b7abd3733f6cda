"""Export the whole per-crop pipeline to ONNX (opset 17) plus reference vectors for the engine.

Contract (resources/models/spectral-extractor-v1.onnx):
  input   crops      float32 [N,3,128,128]  RGB in [0,1], N dynamic
  outputs embedding  float32 [N,D]          L2-normalised per crop
          residual   float32 [N,3,h,h]      the noise residual (h = 128 - border of the residual stage)
          spectrum   float32 [N,3,128,128]  exactly what the encoder sees (|DFT| or log(|DFT|+1e-3),
                                            nearest-resized to 128, DC at [0,0], no fftshift)

The reference JSON carries 4 fixed inputs as base64 uint8 (value = byte / 255, layout CHW,
C=3,H=128,W=128) with PyTorch's outputs, and the tolerances we expect ONNX runtimes to meet.
"""
from __future__ import annotations

import base64
import hashlib
from pathlib import Path

import numpy as np
import onnx
import torch

from .common import log, write_json
from .pipeline.full import FingerprintPipeline
from . import onnx_check

INPUT_NAME = "crops"
OUTPUT_NAMES = ["embedding", "residual", "spectrum"]


def export(pipe: FingerprintPipeline, path: Path) -> dict:
    """torch.onnx.export with a dynamic batch; checks the model and returns file facts."""
    pipe.eval()
    path.parent.mkdir(parents=True, exist_ok=True)
    dummy = torch.rand(2, 3, 128, 128, generator=torch.Generator().manual_seed(0))
    torch.onnx.export(
        pipe, dummy, str(path), opset_version=17, input_names=[INPUT_NAME], output_names=OUTPUT_NAMES,
        dynamic_axes={INPUT_NAME: {0: "N"}, **{o: {0: "N"} for o in OUTPUT_NAMES}},
        do_constant_folding=True,
    )
    m = onnx.load(str(path))
    fix_static_dims(m, {"embedding": {1: pipe.encoder.proj.out_features}})
    onnx.checker.check_model(m)
    m.producer_name = "modelprint-training"
    m.doc_string = ("Modelprint spectral fingerprint extractor v1: crops -> residual -> |DFT2| (MatMul) -> "
                    "compact ResNet -> L2-normalised embedding. See spectral-extractor-v1.md.")
    onnx.save(m, str(path))
    data = path.read_bytes()
    ops = sorted({n.op_type for n in m.graph.node})
    return {"path": str(path.name), "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest(),
            "opset": 17, "ops": ops}


def fix_static_dims(m: onnx.ModelProto, dims: dict[str, dict[int, int]]) -> None:
    """Replace symbolic output dims the exporter could not infer (e.g. 'Divembedding_dim_1')
    by their static value, so the engine sees [N, D] in the model's signature."""
    for out in m.graph.output:
        for axis, value in dims.get(out.name, {}).items():
            d = out.type.tensor_type.shape.dim[axis]
            d.ClearField("dim_param")
            d.dim_value = value


def reference_inputs(extra: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """4 deterministic uint8 CHW inputs: two integer formulas + two given images (HWC uint8)."""
    c, i, j = np.meshgrid(np.arange(3), np.arange(128), np.arange(128), indexing="ij")
    out = {
        # byte[c][i][j] = (7*i + 13*j + 50*c + (i*j) % 17) % 256
        "formula_ramp": ((7 * i + 13 * j + 50 * c + (i * j) % 17) % 256).astype(np.uint8),
        # byte[c][i][j] = ((i>>1)*17 + (j>>1)*29 + 71*c) % 200 + 28*((i+j)%2): a 2x2 "upsampling" grid
        "formula_grid": (((i >> 1) * 17 + (j >> 1) * 29 + 71 * c) % 200 + 28 * ((i + j) % 2)).astype(np.uint8),
    }
    for k, v in extra.items():
        out[k] = np.ascontiguousarray(v[:128, :128].transpose(2, 0, 1)).astype(np.uint8)
    return out


def _stats(x: np.ndarray, n_samples: int = 8) -> dict:
    flat = x.reshape(-1)
    idx = np.linspace(0, flat.size - 1, n_samples).round().astype(int)
    return {"shape": list(x.shape), "mean": float(flat.mean()), "std": float(flat.std()),
            "min": float(flat.min()), "max": float(flat.max()),
            "samples": [{"flat_index": int(k), "value": float(flat[k])} for k in idx]}


def write_reference(pipe: FingerprintPipeline, onnx_path: Path, out: Path, extra: dict[str, np.ndarray],
                    log_spectrum: bool) -> dict:
    """Run PyTorch on the reference inputs, cross-check with the numpy ONNX interpreter, write JSON."""
    ins = reference_inputs(extra)
    names = list(ins)
    x = torch.from_numpy(np.stack([ins[n] for n in names]).astype(np.float32) / 255.0)
    with torch.no_grad():
        emb, res, spec = (t.numpy() for t in pipe.eval()(x))
    onnx_out = onnx_check.run(str(onnx_path), {INPUT_NAME: x.numpy()})
    parity = {
        "embedding_max_abs": float(np.abs(onnx_out["embedding"] - emb).max()),
        "residual_max_abs": float(np.abs(onnx_out["residual"] - res).max()),
        "spectrum_max_abs": float(np.abs(onnx_out["spectrum"] - spec).max()),
        "spectrum_max_rel_to_max": float(np.abs(onnx_out["spectrum"] - spec).max() / np.abs(spec).max()),
        "min_cosine": float((onnx_out["embedding"] * emb).sum(1).min()),
    }
    log(f"numpy-ONNX vs PyTorch parity: {parity}")
    tol = {
        "embedding_max_abs": 1e-4,
        "embedding_min_cosine": 0.9999,
        "residual_max_abs": 1e-5,
        "spectrum": ("max abs 2e-3 (log spectrum: d log(m+1e-3) <= dm/1e-3)" if log_spectrum
                     else "max abs <= 1e-4 * max(|spectrum|) of that input"),
    }
    doc = {
        "model": onnx_path.name,
        "input_encoding": "each input is base64 of 3*128*128 uint8 bytes in CHW order (C=RGB); "
                          "crops[n][c][i][j] = byte / 255 as float32",
        "formulas": {
            "formula_ramp": "byte[c][i][j] = (7*i + 13*j + 50*c + (i*j) % 17) % 256",
            "formula_grid": "byte[c][i][j] = ((i>>1)*17 + (j>>1)*29 + 71*c) % 200 + 28*((i+j)%2)",
        },
        "tolerance": tol,
        "python_numpy_onnx_parity": parity,
        "cases": [
            {"name": n, "input_b64": base64.b64encode(ins[n].tobytes()).decode(),
             "embedding": [float(v) for v in emb[k]],
             "residual": _stats(res[k]), "spectrum": _stats(spec[k])}
            for k, n in enumerate(names)
        ],
    }
    write_json(out, doc)
    return parity
