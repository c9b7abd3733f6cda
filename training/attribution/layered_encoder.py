"""Train, validate and export the bundled layered encoder; render its card.

    nice -n 10 /usr/bin/python3 -m training.attribution.layered_encoder [--steps N] [--out-models DIR]

Stages (each timed): data (content pool + renders, cached), an untrained baseline of the
per-block validation, training, per-block validation, ONNX export + onnxruntime-node parity +
sidecar + reference, results JSON (training/attribution/results/layered-encoder-v1.json) and the
model card rendered from it. Deterministic for a fixed thread count (MODELPRINT_THREADS, 2).
"""
from __future__ import annotations

import argparse
import dataclasses
import os
import platform
import time
from pathlib import Path

import torch

from ..common import ARTIFACTS, MODELS_DIR, Timer, log, setup_torch, write_json
from . import layered_data
from .layered_card import write_card
from .layered_eval import evaluate
from .layered_export import NAME, export_all
from .layered_train import Heads, TrainConfig, embed, train
from .vit import Vit, VitConfig, vit_macs

RESULTS = Path(__file__).with_name("results") / f"{NAME}.json"
VIT = VitConfig()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--steps", type=int, default=TrainConfig().steps)
    ap.add_argument("--out-models", default=str(MODELS_DIR))
    ap.add_argument("--results", default=str(RESULTS))
    args = ap.parse_args()
    setup_torch()
    dc, tc = layered_data.DataConfig(), dataclasses.replace(TrainConfig(), steps=args.steps)
    times: dict[str, float] = {}
    t0 = time.time()
    with Timer(times, "data"):
        tr, va = layered_data.build(dc)
    with Timer(times, "untrained_baseline"):
        torch.manual_seed(0)
        base = evaluate(embed(Vit(VIT).eval(), va.images), va, Heads(VIT.dim, tc.content_dim).eval())
    with Timer(times, "train"):
        vit, stats = train(tr, VIT, tc)
        heads = stats.pop("_heads")
    torch.save({"state": vit.state_dict(), "vit": VIT.to_dict()}, ARTIFACTS / "attribution" / f"{NAME}.pt")
    with Timer(times, "validate"):
        t = time.time()
        layers = embed(vit, va.images)
        per_image = (time.time() - t) / len(va.images)
        val = evaluate(layers, va, heads)
    log(f"validation per block: {val['per_block']}")
    log(f"heads on unseen architectures: {val['heads_last_block']}")
    with Timer(times, "export"):
        gen_row = int((va.source >= 0).argmax())
        facts = export_all(vit, Path(args.out_models), {"validation_generated": va.images[gen_row],
                                                        "validation_real": va.images[int((va.source < 0).argmax())]})
    times["total"] = round(time.time() - t0, 1)
    res = {
        "vit": VIT.to_dict(), "data": dataclasses.asdict(dc), "train_config": tc.to_dict(),
        "data_counts": {"train_images": int(len(tr.images)), "train_generators": len(tr.sources),
                        "train_real_images": int((tr.source < 0).sum()),
                        "validation_images": int(len(va.images)), "validation_generators": len(va.sources)},
        "training": stats, "validation": val, "untrained_baseline": base,
        "macs_per_image": vit_macs(VIT), "seconds_per_image_pytorch_2_threads": round(per_image, 5),
        "onnx": facts, "stage_seconds": times, "wall_minutes": round(times["total"] / 60, 1),
        "cpu_seconds": round(time.process_time(), 1),  # all threads; wall time depends on the shared load
        "machine": {"python": platform.python_version(), "torch": torch.__version__,
                    "threads": torch.get_num_threads(), "cpu_count": os.cpu_count(),
                    "accelerator": "none (CPU only)"},
    }
    write_json(Path(args.results), res)
    write_card(Path(args.results), Path(args.out_models))
    log(f"layered encoder done in {res['wall_minutes']} min; sha256 {facts['sha256']}")


if __name__ == "__main__":
    main()
