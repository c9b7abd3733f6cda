"""Train, validate and export the DeepSets set encoder; render its card.

    nice -n 10 /usr/bin/python3 -m training.attribution.set_encoder \
        [--embeddings training/artifacts/attribution/settrain.npy] [--set training/artifacts/attribution/settrain]

Needs the engine's embeddings of the settrain set (train-attribution.sh makes them). Writes
resources/models/set-encoder-v1.{onnx,json,reference.json,md} and
training/attribution/results/set-encoder-v1.json.
"""
from __future__ import annotations

import argparse
import os
import platform
import time
from pathlib import Path

import numpy as np
import torch

from ..common import ARTIFACTS, MODELS_DIR, Timer, log, setup_torch, write_json
from . import onnx_io, set_data
from .deepsets import DeepSets, SetConfig
from .set_card import NAME, write_card
from .set_train import SetTrainConfig, deepsets_encoder, mean_encoder, train, validate

RESULTS = Path(__file__).with_name("results") / f"{NAME}.json"
INPUT, OUTPUT = "embeddings", "set_fingerprint"
EXTRACTOR = "spectral-extractor-v1"


def export_all(model: DeepSets, val: set_data.SetData, out_dir: Path) -> dict:
    """ONNX + sidecar + reference vectors (bags of 1, 10 and 32 validation embeddings), with parity."""
    d = model.cfg.dim_out
    onnx_path = out_dir / f"{NAME}.onnx"
    facts = onnx_io.export(model, torch.zeros(3, model.cfg.dim_in), onnx_path, INPUT, {OUTPUT: d}, False,
                           f"Modelprint set encoder v1: DeepSets over {model.cfg.dim_in}-d spectral embeddings "
                           f"(phi MLP, mean pooling, rho MLP, fixed length). See {NAME}.md.")
    write_json(out_dir / f"{NAME}.json", {"input": INPUT, "output": OUTPUT, "dim": d})
    cases, worst = [], 0.0
    e = val.embeddings[0]
    for n in (1, 10, len(e)):
        x = np.ascontiguousarray(e[:n])
        with torch.no_grad():
            ref = model(torch.from_numpy(x)).numpy()
        got = onnx_io.ort_run(onnx_path, {INPUT: x})
        worst = max(worst, onnx_io.max_abs_diff({OUTPUT: ref}, got))
        cases.append({"name": f"{val.names[0]} first {n}", "embeddings": x.tolist(), OUTPUT: ref[0].tolist()})
    log(f"set encoder: onnxruntime-node vs PyTorch max abs diff {worst:.2e}")
    write_json(out_dir / f"{NAME}.reference.json", {
        "model": onnx_path.name, "input_encoding": f"embeddings: rows of the {EXTRACTOR} embedding (float32)",
        "tolerance": {"max_abs": 1e-4}, "onnxruntime_node_vs_pytorch_max_abs": worst, "cases": cases})
    return {**facts, "onnxruntime_node_vs_pytorch_max_abs": worst}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--embeddings", default=str(ARTIFACTS / "attribution" / "settrain.npy"))
    ap.add_argument("--set", default=str(ARTIFACTS / "attribution" / "settrain"))
    ap.add_argument("--steps", type=int, default=SetTrainConfig().steps)
    ap.add_argument("--out-models", default=str(MODELS_DIR))
    ap.add_argument("--results", default=str(RESULTS))
    args = ap.parse_args()
    setup_torch()
    out_dir = Path(args.out_models)
    times: dict[str, float] = {}
    t0 = time.time()
    fit, val = set_data.load(Path(args.embeddings), Path(args.set) / "manifest.json")
    shipped = onnx_io.file_sha256(MODELS_DIR / f"{EXTRACTOR}.onnx")
    if fit.extractor.get("sha256") != shipped:
        raise SystemExit(f"{args.embeddings} was made with extractor {fit.extractor}, not the shipped "
                         f"{EXTRACTOR} ({shipped}): re-run the engine's embedding step")
    sc, tc = SetConfig(), SetTrainConfig(steps=args.steps)
    log(f"set encoder data: {len(fit.names)} fit generators, {len(val.names)} validation generators")
    with Timer(times, "mean_baseline"):
        baseline = validate(val, mean_encoder)
    with Timer(times, "train"):
        model, stats = train(fit, val, sc, tc)
    with Timer(times, "validate"):
        final = validate(val, deepsets_encoder(model))
    log(f"validation mean pooling {baseline}")
    log(f"validation deepsets     {final}")
    with Timer(times, "export"):
        facts = export_all(model, val, out_dir)
    times["total"] = round(time.time() - t0, 1)
    n_img = lambda d: int(sum(len(e) for e in d.embeddings))  # noqa: E731
    res = {
        "set_config": sc.to_dict(), "train_config": tc.to_dict(), "extractor": fit.extractor,
        "data": {"embeddings_file": os.path.relpath(args.embeddings, ARTIFACTS.parent.parent),
                 "fit_generators": len(fit.names), "fit_images": n_img(fit),
                 "validation_generators": len(val.names), "validation_images": n_img(val),
                 "images_per_generator": sorted({len(e) for e in fit.embeddings + val.embeddings})},
        "training": stats, "validation": {"mean_pooling": baseline, "deepsets": final},
        "onnx": facts, "stage_seconds": times, "wall_minutes": round(times["total"] / 60, 1),
        "machine": {"python": platform.python_version(), "torch": torch.__version__,
                    "threads": torch.get_num_threads(), "cpu_count": os.cpu_count(),
                    "accelerator": "none (CPU only)"},
    }
    write_json(Path(args.results), res)
    write_card(Path(args.results), out_dir)
    log(f"set encoder done in {res['wall_minutes']} min; sha256 {facts['sha256']}")


if __name__ == "__main__":
    main()
