"""ONNX export and runtime parity shared by the layered encoder and the set encoder.

Export: torch.onnx at opset 17 with a dynamic first axis, symbolic output dims the exporter
could not infer pinned to their static value (the engine reads shapes from the signature),
onnx.checker. Parity: the serialised file is run by onnxruntime-node (the engine's runtime,
through ort_run.mjs) and compared with PyTorch on the same inputs.
"""
from __future__ import annotations

import base64
import hashlib
import json
import subprocess
import tempfile
from pathlib import Path

import numpy as np
import onnx
import torch

from ..common import REPO_ROOT
from ..export_onnx import fix_static_dims

ORT_RUN = Path(__file__).with_name("ort_run.mjs")


def export(module: torch.nn.Module, dummy: torch.Tensor, path: Path, input_name: str,
           outputs: dict[str, int], dynamic_outputs: bool, doc: str) -> dict:
    """Export `module` (returns one tensor per name in `outputs`, each [*, dim]); returns file facts.

    `outputs` maps output name -> its static last dim. `dynamic_outputs`: the outputs' first axis
    follows the input's (False for a pooled output of fixed size 1).
    """
    module.eval()
    path.parent.mkdir(parents=True, exist_ok=True)
    names = list(outputs)
    axes = {input_name: {0: "N"}, **({o: {0: "N"} for o in names} if dynamic_outputs else {})}
    torch.onnx.export(module, dummy, str(path), opset_version=17, input_names=[input_name],
                      output_names=names, dynamic_axes=axes, do_constant_folding=True)
    m = onnx.load(str(path))
    fix_static_dims(m, {o: {1: d} for o, d in outputs.items()})
    onnx.checker.check_model(m)
    m.producer_name = "modelprint-training"
    m.doc_string = doc
    onnx.save(m, str(path))
    data = path.read_bytes()
    return {"file": path.name, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest(), "opset": 17,
            "ops": sorted({n.op_type for n in m.graph.node}),
            "inputs": [_sig(v) for v in m.graph.input], "outputs": [_sig(v) for v in m.graph.output]}


def _sig(v: onnx.ValueInfoProto) -> dict:
    dims = [d.dim_param or d.dim_value for d in v.type.tensor_type.shape.dim]
    return {"name": v.name, "shape": dims}


def ort_run(path: Path, feeds: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Outputs of onnxruntime-node for float32 feeds (one process; single-threaded, deterministic)."""
    with tempfile.TemporaryDirectory() as tmp:
        src, dst = Path(tmp) / "in.json", Path(tmp) / "out.json"
        src.write_text(json.dumps({k: {"dims": list(v.shape), "b64": base64.b64encode(
            np.ascontiguousarray(v, dtype="<f4").tobytes()).decode()} for k, v in feeds.items()}))
        subprocess.run(["node", str(ORT_RUN), str(path), str(src), str(dst)], check=True, cwd=REPO_ROOT)
        out = json.loads(dst.read_text())
    return {k: np.frombuffer(base64.b64decode(v["b64"]), dtype="<f4").reshape(v["dims"]) for k, v in out.items()}


def max_abs_diff(a: dict[str, np.ndarray], b: dict[str, np.ndarray]) -> float:
    """Largest |a - b| over every output both dicts hold (shapes must agree)."""
    assert set(a) == set(b), (sorted(a), sorted(b))
    return float(max(np.abs(a[k] - b[k]).max() for k in a))


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
