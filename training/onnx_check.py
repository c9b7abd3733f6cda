"""A tiny numpy interpreter for the exported graph, used as an independent parity check.

There is no onnxruntime for Python on this machine (the engine checks parity in Node against
the reference JSON). Running the *serialised* ONNX graph here, op by op in float32 numpy,
still catches export mistakes (wrong op semantics, wrong constants, wrong output wiring)
before the file leaves this folder. Only the ops our exporter emits are implemented; an
unknown op raises, so a silent gap is impossible.
"""
from __future__ import annotations

import numpy as np
import onnx
from onnx import numpy_helper


def _attrs(node: onnx.NodeProto) -> dict:
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def _conv(x: np.ndarray, w: np.ndarray, b: np.ndarray | None, a: dict) -> np.ndarray:
    from numpy.lib.stride_tricks import sliding_window_view

    group = int(a.get("group", 1))
    pads = a.get("pads", [0, 0, 0, 0])
    strides = a.get("strides", [1, 1])
    dil = a.get("dilations", [1, 1])
    assert list(dil) == [1, 1]
    x = np.pad(x, ((0, 0), (0, 0), (pads[0], pads[2]), (pads[1], pads[3])))
    n, c, _, _ = x.shape
    m, cg, kh, kw = w.shape
    win = sliding_window_view(x, (kh, kw), axis=(2, 3))[:, :, ::strides[0], ::strides[1]]  # n,c,oh,ow,kh,kw
    outs = []
    mg = m // group
    for g in range(group):
        xs = win[:, g * cg:(g + 1) * cg]
        ws = w[g * mg:(g + 1) * mg]
        outs.append(np.einsum("ncyxij,mcij->nmyx", xs, ws, optimize=True))
    y = np.concatenate(outs, 1).astype(np.float32)
    if b is not None:
        y += b[None, :, None, None]
    return y


def run(model_path: str, feeds: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Evaluate the graph on `feeds`; returns every graph output by name."""
    m = onnx.load(model_path)
    env: dict[str, np.ndarray] = {t.name: numpy_helper.to_array(t) for t in m.graph.initializer}
    env.update(feeds)
    for node in m.graph.node:
        a = _attrs(node)
        i = [env[n] if n else None for n in node.input]
        op = node.op_type
        if op == "Conv":
            y = _conv(i[0], i[1], i[2] if len(i) > 2 else None, a)
        elif op == "BatchNormalization":
            x, s, b, mean, var = i
            sh = (1, -1) + (1,) * (x.ndim - 2)
            y = (x - mean.reshape(sh)) / np.sqrt(var.reshape(sh) + a.get("epsilon", 1e-5)) * s.reshape(sh) + b.reshape(sh)
        elif op == "Relu":
            y = np.maximum(i[0], 0)
        elif op == "Add":
            y = i[0] + i[1]
        elif op == "Sub":
            y = i[0] - i[1]
        elif op == "Mul":
            y = i[0] * i[1]
        elif op == "Div":
            y = i[0] / i[1]
        elif op == "Sqrt":
            y = np.sqrt(i[0])
        elif op == "Log":
            y = np.log(i[0])
        elif op == "MatMul":
            y = np.matmul(i[0], i[1])
        elif op == "Gemm":
            A, B = i[0], i[1]
            if a.get("transA", 0):
                A = A.T
            if a.get("transB", 0):
                B = B.T
            y = a.get("alpha", 1.0) * (A @ B)
            if len(i) > 2 and i[2] is not None:
                y = y + a.get("beta", 1.0) * i[2]
        elif op == "ReduceMean":
            y = np.mean(i[0], axis=tuple(a["axes"]), keepdims=bool(a.get("keepdims", 1)))
        elif op == "ReduceL2":
            axes = tuple(a["axes"]) if "axes" in a else (tuple(i[1]) if len(i) > 1 else None)
            y = np.sqrt(np.sum(i[0] ** 2, axis=axes, keepdims=bool(a.get("keepdims", 1))))
        elif op == "Clip":
            lo = i[1] if len(i) > 1 and i[1] is not None else -np.inf
            hi = i[2] if len(i) > 2 and i[2] is not None else np.inf
            y = np.clip(i[0], lo, hi)
        elif op == "Expand":
            y = i[0] * np.ones(tuple(i[1]), dtype=i[0].dtype)
        elif op == "Shape":
            y = np.array(i[0].shape, dtype=np.int64)
        elif op == "Constant":
            y = numpy_helper.to_array(a["value"])
        elif op == "Slice":
            starts, ends = i[1], i[2]
            axes = i[3] if len(i) > 3 and i[3] is not None else np.arange(len(starts))
            steps = i[4] if len(i) > 4 and i[4] is not None else np.ones(len(starts), np.int64)
            sl = [slice(None)] * i[0].ndim
            for s, e, ax, st in zip(starts, ends, axes, steps):
                sl[int(ax)] = slice(int(s), int(max(min(e, 2**62), -2**62)), int(st))
            y = i[0][tuple(sl)]
        elif op == "Identity":
            y = i[0]
        elif op in ("Flatten",):
            ax = a.get("axis", 1)
            y = i[0].reshape(int(np.prod(i[0].shape[:ax])), -1)
        elif op == "GlobalAveragePool":
            y = i[0].mean(axis=(2, 3), keepdims=True)
        else:
            raise NotImplementedError(f"onnx_check: op {op} not implemented")
        env[node.output[0]] = np.asarray(y, dtype=np.asarray(y).dtype)
    return {o.name: env[o.name] for o in m.graph.output}
