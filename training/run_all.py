"""One command for everything: `/usr/bin/python3 -m training.run_all [--config full|tiny]`.

Stages (each timed into results.json):
 1. splits.json (fixed architecture split), real pools (train 128 px, eval 256 px)
 2. synthetic generators: TRAIN archs x seeds, HELD-OUT archs x seed 0 (the latter only render
    evaluation images)
 3. fingerprinted samples: training renders (train archs) and validation renders (val archs,
    unseen content)
 4. our DnCNN-style denoiser (train pool + synthetic noise)
 5. variant selection on VALIDATION archs: {classical, dncnn} residual x {plain, log} spectrum,
    each a short extractor run on train-minus-val archs at equal budget, scored by 1:N
    identification on val archs; pick the best
 6. final extractor on all TRAIN archs with the chosen variant
 7. held-out evaluation: write the PNG eval set, read it back, 3x3 sliding window, protocols
 8. ONNX export + reference JSON (+ numpy re-execution of the ONNX graph)
 9. results.json, then the model card is rendered from it (training/write_card.py)
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import time
from pathlib import Path

import numpy as np
import torch

from .common import ARTIFACTS, MODELS_DIR, RESULTS_PATH, Timer, log, setup_torch, write_json
from .config import Config, get_config
from .data.real_pool import build_pool, pool_description
from .evaluate import evaluate_all, identification
from .export_onnx import export, write_reference
from .extractor.model import macs
from .extractor.train import compute_spectra, train_extractor
from .make_eval_set import EVAL_SEED, heldout_keys, read_eval_set, write_eval_set
from .pipeline.denoiser import train_denoiser
from .pipeline.full import FingerprintPipeline, embed_images
from .pipeline.spectral import ClassicalResidual, make_residual
from .samples import content_split, render_samples
from .synthetic.space import limit_archs, write_splits
from .synthetic.train_models import model_id, train_many

ONNX_NAME = "spectral-extractor-v1.onnx"
REF_NAME = "spectral-extractor-v1.reference.json"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--config", default="full", choices=["tiny", "full"])
    ap.add_argument("--out-models", default=str(MODELS_DIR), help="where the .onnx/.json/.md go")
    ap.add_argument("--results", default=str(RESULTS_PATH))
    args = ap.parse_args()
    cfg = get_config(args.config)
    setup_torch()
    t_start = time.time()
    times: dict[str, float] = {}
    res: dict = {"config": cfg.to_dict(), "stage_seconds": times,
                 "machine": {"python": platform.python_version(), "torch": torch.__version__,
                             "threads": torch.get_num_threads(), "cpu_count": os.cpu_count(),
                             "accelerator": "none (CPU only)"}}
    log(f"config {cfg.name}: {cfg}")

    # 1. splits and pools --------------------------------------------------------------
    with Timer(times, "splits_and_pools"):
        splits = write_splits(cfg.seed, cfg.heldout_fraction, cfg.val_fraction)
        train_archs = limit_archs(splits["train"], cfg.archs_limit, cfg.seed)
        val_set = set(splits["val"])
        val_archs = [a for a in train_archs if a in val_set]
        fit_archs = [a for a in train_archs if a not in val_set]  # train minus val (selection runs)
        pool = build_pool("train", cfg.pool_train_size, 128, cfg.pool_photo_share, cfg.seed)
        build_pool("eval", cfg.pool_eval_size, cfg.eval_size, cfg.pool_photo_share, cfg.seed)
    res["splits"] = {"counts_in_splits_json": splits["counts"], "train_archs_used": len(train_archs),
                     "val_archs_used": len(val_archs), "heldout_eval_models": len(heldout_keys(cfg))}
    res["real_pool"] = {"train": pool_description("train", cfg.pool_train_size, cfg.pool_photo_share, cfg.seed),
                        "eval": pool_description("eval", cfg.pool_eval_size, cfg.pool_photo_share, cfg.seed)}

    # 2. generators ----------------------------------------------------------------------
    train_keys = [(a, s) for a in train_archs for s in range(cfg.seeds_per_arch)]
    held_keys = heldout_keys(cfg)
    assert not {a for a, _ in held_keys} & set(train_archs)
    with Timer(times, "generators"):
        gen_stats = train_many(train_keys + held_keys, pool, cfg,
                               progress=lambda i, n, st: log(f"generators {i}/{n} last {st}"))
    l1 = np.array([v["final_l1"] for v in gen_stats.values()])
    res["generators"] = {
        "trained": len(gen_stats), "train_models": len(train_keys), "heldout_models": len(held_keys),
        "final_l1": {"mean": float(l1.mean()), "median": float(np.median(l1)), "min": float(l1.min()),
                     "max": float(l1.max()), "share_below_stop": float((l1 < cfg.ae_stop_l1).mean())},
        "steps_mean": float(np.mean([v["steps"] for v in gen_stats.values()])),
        "seconds_mean_per_model_1thread": float(np.mean([v["seconds"] for v in gen_stats.values()])),
        "final_l1_by_K": {k: float(np.mean([v["final_l1"] for m, v in gen_stats.items() if m.startswith(k)]))
                          for k in ("K1", "K2")},
    }

    # 3. samples -------------------------------------------------------------------------
    with Timer(times, "render_samples"):
        c_train, c_val = content_split(len(pool))
        tr_imgs, tr_labels = render_samples(train_keys, pool, c_train, cfg.imgs_per_model, cfg, "train-samples")
        val_keys = [(a, EVAL_SEED) for a in val_archs]
        va_imgs, va_labels = render_samples(val_keys, pool, c_val, cfg.val_imgs_per_model, cfg, "val-samples")
    is_fit = np.isin(np.array([train_keys[i][0] for i in tr_labels]), fit_archs)
    fit_label_map = {old: new for new, old in enumerate(sorted(set(tr_labels[is_fit].tolist())))}
    fit_labels = np.array([fit_label_map[x] for x in tr_labels[is_fit]])
    res["samples"] = {"train_images": int(len(tr_labels)), "train_models": len(train_keys),
                      "fit_models_for_selection": len(fit_label_map), "val_models": len(val_keys),
                      "val_images": int(len(va_labels))}

    # 4. denoiser ------------------------------------------------------------------------
    with Timer(times, "denoiser"):
        denoiser, den_stats = train_denoiser(torch.from_numpy(pool), cfg)
    res["denoiser"] = den_stats

    # 5. variant selection on validation architectures ----------------------------------
    residuals = {"classical": make_residual(cfg.classical_kernel), "dncnn": denoiser}
    spectra: dict[str, torch.Tensor] = {}
    selection: dict[str, dict] = {}
    for rname, rmod in residuals.items():
        with Timer(times, f"spectra_{rname}"):
            spectra[rname] = compute_spectra(rmod, tr_imgs)
        for use_log in (False, True):
            tag = f"{rname}-{'log' if use_log else 'plain'}"
            with Timer(times, f"select_{tag}"):
                enc, st = train_extractor(spectra[rname][torch.from_numpy(np.flatnonzero(is_fit))], fit_labels,
                                          use_log, cfg.compare_steps, cfg, f"select-{tag}")
                pipe = FingerprintPipeline(rmod, use_log, enc)
                emb = embed_images(pipe, va_imgs)
                ident = identification(emb, va_labels, cfg.gallery_size)
            selection[tag] = {"val_identification_accuracy": ident["accuracy"],
                              "val_macro_f1": ident["macro_f1"], "val_models": ident["models"],
                              "train_seconds": st["seconds"], "steps": st["steps"]}
            log(f"selection {tag}: val identification {ident['accuracy']:.4f}")
    best = max(selection, key=lambda k: (selection[k]["val_identification_accuracy"], selection[k]["val_macro_f1"]))
    rbest, sbest = best.split("-")
    res["selection"] = {"variants": selection, "chosen": best,
                        "criterion": "1:N identification accuracy on validation architectures (subset of TRAIN, "
                                     "excluded from these runs), ties by macro-F1"}
    log(f"chosen variant: {best}")
    for k in list(spectra):
        if k != rbest:
            del spectra[k]

    # 6. final extractor -----------------------------------------------------------------
    with Timer(times, "final_extractor"):
        enc, fst = train_extractor(spectra[rbest], tr_labels, sbest == "log", cfg.final_steps, cfg, "final")
    enc.cls = None  # the classification head is a training device only; not exported
    n_params = sum(p.numel() for p in enc.parameters())
    pipe = FingerprintPipeline(residuals[rbest], sbest == "log", enc).eval()
    res["extractor"] = {**fst, "widths": list(cfg.widths), "emb_dim": cfg.emb_dim,
                        "encoder_macs_per_crop": macs(enc), "encoder_params": n_params,
                        "residual": rbest, "residual_out_size": residuals[rbest].out_size,
                        "spectrum": sbest}
    if rbest == "dncnn":
        res["extractor"]["residual_macs_per_crop"] = macs_residual(residuals[rbest])
    else:  # depthwise k x k conv, one output per pixel and channel
        res["extractor"]["residual_macs_per_crop"] = int(3 * residuals[rbest].out_size ** 2 * (128 - residuals[rbest].out_size + 1) ** 2)
    res["extractor"]["dft_macs_per_crop"] = int(3 * 4 * 2 * 128 * 128 * residuals[rbest].out_size)
    del spectra
    torch.save({"state": pipe.state_dict(), "residual": rbest, "spectrum": sbest, "config": cfg.to_dict()},
               ARTIFACTS / f"extractor_{cfg.name}.pt")  # re-export without retraining

    # 7. held-out evaluation ---------------------------------------------------------------
    eval_dir = ARTIFACTS / f"eval_set_{cfg.name}"
    with Timer(times, "heldout_eval"):
        manifest = write_eval_set(eval_dir, cfg)
        ids, ev_imgs, ev_labels = read_eval_set(eval_dir)
        t = time.time()
        emb = embed_images(pipe, ev_imgs)
        per_image = (time.time() - t) / len(ev_imgs)
        heldout = evaluate_all(emb, ev_labels, cfg.gallery_size, cfg.verif_pairs, cfg.seed)
        centre = [im[64:192, 64:192] for im in ev_imgs]
        emb_c = embed_images(pipe, centre)
        heldout_centre = evaluate_all(emb_c, ev_labels, cfg.gallery_size, cfg.verif_pairs, cfg.seed)
        # how the selection runs' variants fare is NOT measured on held-out (no tuning on it)
    res["heldout"] = {"sliding_window_3x3": heldout, "single_centre_crop": heldout_centre,
                      "eval_set": {"dir": str(eval_dir.relative_to(ARTIFACTS.parent.parent)), "models": len(ids),
                                   "images_per_model": manifest["images_per_model"],
                                   "image_size": manifest["image_size"]},
                      "seconds_per_256px_image_9_crops": round(per_image, 4)}
    log(f"HELD-OUT: {json.dumps(heldout)}")

    # 8. export ---------------------------------------------------------------------------
    out_models = Path(args.out_models)
    with Timer(times, "export"):
        onnx_path = out_models / ONNX_NAME
        facts = export(pipe, onnx_path)
        extra = {"heldout_generated": ev_imgs[0], "real_pool_image": pool[len(pool) - 1]}
        parity = write_reference(pipe, onnx_path, out_models / REF_NAME, extra, sbest == "log")
    res["onnx"] = {**facts, "numpy_reexecution_parity": parity}

    times["total"] = round(time.time() - t_start, 1)
    res["wall_minutes"] = round(times["total"] / 60, 1)
    write_json(Path(args.results), res)
    log(f"results -> {args.results}")
    from .write_card import write_card
    write_card(Path(args.results), out_models)
    log(f"done in {times['total'] / 60:.1f} min")


def macs_residual(net: torch.nn.Module) -> int:
    """MACs of the denoiser's convolutions for one 128 px crop."""
    total = 0
    size = 128
    for m in net.modules():
        if isinstance(m, torch.nn.Conv2d):
            size -= m.kernel_size[0] - 1
            total += size * size * m.in_channels * m.out_channels * m.kernel_size[0] * m.kernel_size[1]
    return total


if __name__ == "__main__":
    main()
