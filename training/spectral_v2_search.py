"""Design search for spectral-extractor-v2 on the DEVELOPMENT generators only.

The train generators fit each candidate projection; the calibration generators score it (leave-one-out
1:N and verification AUC, as published and under JPEG q75 with the gallery entry under the same
condition, as `modelprint evaluate` does). The validation generators are never read here.

The expensive part, the mean log residual spectrum of every image under every condition, is computed
once per crop grid and cached (training/artifacts/v2-search/); the candidates (pooling, channels,
dimension, augmentation mix) are then cheap linear algebra on the cache.

Run: /usr/bin/python3 -m training.spectral_v2_search [--out training/artifacts/v2-search/trials.json]
"""
from __future__ import annotations

import argparse
import io
import json
import os
import random
import time
from pathlib import Path

import numpy as np
import torch
from PIL import Image
from torch import nn

from .pipeline.full import image_crops
from .pipeline.spectral import ClassicalResidual, DFTMagnitude
from .spectral_v2 import EPS_REL, decode, leave_one_out, list_generators, principal_axes, whiten

TRAIN_CONDITIONS = ["as-published", "jpeg-a", "jpeg-b", "jpeg-c", "webp", "downscale"]
DEV_CONDITIONS = ["as-published", "jpeg-q75"]
LUMA = torch.tensor([0.299, 0.587, 0.114])


def transform(data: bytes, condition: str, rng: random.Random) -> bytes:
    if condition == "as-published":
        return data
    im = Image.open(io.BytesIO(data)).convert("RGB")
    out = io.BytesIO()
    if condition.startswith("jpeg-q"):
        im.save(out, "JPEG", quality=int(condition[6:]))
    elif condition.startswith("jpeg"):
        im.save(out, "JPEG", quality=rng.randint(60, 95))
    elif condition == "webp":
        im.save(out, "WEBP", quality=80)
    elif condition == "downscale":
        im.resize((max(1, im.width // 2), max(1, im.height // 2)), Image.LANCZOS).save(out, "PNG")
    return out.getvalue()


def all_tiles(img: np.ndarray, cap: int) -> torch.Tensor:
    """Non-overlapping 128 px tiles on a centred grid (at most cap, evenly spread); small images as the engine."""
    h, w = img.shape[:2]
    if h < 256 and w < 256:
        return image_crops(img)
    ny, nx = h // 128, w // 128
    oy, ox = (h - 128 * ny) // 2, (w - 128 * nx) // 2
    cells = [(oy + 128 * i, ox + 128 * j) for i in range(ny) for j in range(nx)]
    if len(cells) > cap:
        cells = [cells[round(k * (len(cells) - 1) / (cap - 1))] for k in range(cap)]
    x = torch.from_numpy(np.array(img, dtype=np.uint8, copy=True)).permute(2, 0, 1).float() / 255.0
    return torch.stack([x[:, y:y + 128, xo:xo + 128] for y, xo in cells])


class Spectra(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.residual = ClassicalResidual("gauss5")
        self.spectrum = DFTMagnitude(self.residual.out_size, log=True)

    @torch.no_grad()
    def forward(self, crops: torch.Tensor) -> np.ndarray:
        r = self.residual(crops)
        y = (r * LUMA[None, :, None, None]).sum(1, keepdim=True)  # the residual is linear: luminance's residual
        s = self.spectrum(torch.cat([r, y], 1))  # [n,4,128,128]: R, G, B, luminance
        return s.mean(0).numpy().astype(np.float16)


def cache_split(split_dir: Path, conditions: list[str], grid: str, out: Path, seed: int) -> dict:
    if out.exists():
        z = np.load(out, allow_pickle=False)
        return {"x": z["x"], "labels": list(z["labels"]), "conditions": list(z["conditions"])}
    model = Spectra()
    rng = random.Random(seed)
    xs, labels, conds = [], [], []
    start = time.time()
    for name, files in list_generators(split_dir).items():
        for f in files:
            data = f.read_bytes()
            for c in conditions:
                try:
                    img = decode(transform(data, c, rng))
                except Exception as error:
                    print(f"skip {f} {c}: {error}")
                    continue
                crops = image_crops(img) if grid == "engine" else all_tiles(img, 36)
                xs.append(model(crops))
                labels.append(name)
                conds.append(c)
        print(f"{split_dir.name}/{name} {grid}: {len(xs)} records, {time.time() - start:.0f} s", flush=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez(out, x=np.stack(xs), labels=np.array(labels), conditions=np.array(conds))
    return cache_split(split_dir, conditions, grid, out, seed)


def pooled(x: np.ndarray, pool: int, channels: str) -> np.ndarray:
    sel = {"rgb": [0, 1, 2], "y": [3], "rgby": [0, 1, 2, 3]}[channels]
    t = torch.from_numpy(x[:, sel].astype(np.float32))
    return nn.functional.avg_pool2d(t, pool).flatten(1).double().numpy()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", default="training/artifacts/real-corpus")
    parser.add_argument("--cache", default="training/artifacts/v2-search")
    parser.add_argument("--grids", nargs="+", default=["engine", "tiles"])
    parser.add_argument("--out", default="training/artifacts/v2-search/trials.json")
    args = parser.parse_args()
    torch.set_num_threads(int(os.environ.get("MODELPRINT_THREADS", "2")))
    corpus, cache = Path(args.corpus), Path(args.cache)
    trials = []
    for grid in args.grids:
        train = cache_split(corpus / "train", TRAIN_CONDITIONS, grid, cache / f"train-{grid}.npz", 0)
        dev = cache_split(corpus / "calibration", DEV_CONDITIONS, grid, cache / f"calibration-{grid}.npz", 1)
        tc, dc = np.array(train["conditions"]), np.array(dev["conditions"])
        for channels in ["rgb", "y", "rgby"]:
            for pool in [8, 4, 2]:
                xt_all = pooled(train["x"], pool, channels)
                xd_all = pooled(dev["x"], pool, channels)
                for mix in ["v2", "jpeg-heavy"]:
                    keep = np.isin(tc, ["as-published", "jpeg-a", "jpeg-b", "webp", "downscale"] if mix == "v2" else TRAIN_CONDITIONS)
                    xt, lt = xt_all[keep], [l for l, k in zip(train["labels"], keep) if k]
                    mean, scale, axes, _ = principal_axes(xt, 256)
                    for dims in [64, 128, 256]:
                        if dims >= xt.shape[1]:
                            continue
                        p = whiten(xt, lt, mean, scale, axes[:, :dims])
                        trial = {"grid": grid, "channels": channels, "pool": pool, "mix": mix, "dims": dims}
                        for cond in DEV_CONDITIONS:
                            m = dc == cond
                            e = ((xd_all[m] - mean) * scale) @ p
                            e /= np.linalg.norm(e, axis=1, keepdims=True)
                            r = leave_one_out(e, [l for l, k in zip(dev["labels"], m) if k])
                            trial[cond] = {"identification": round(r["identification"], 4), "auc": round(r["auc"], 4)}
                        print(json.dumps(trial), flush=True)
                        trials.append(trial)
    Path(args.out).write_text(json.dumps(trials, indent=1) + "\n")




def study_args(mode: str, out: str) -> argparse.Namespace:
    """The options every study mode takes (corpus, cache, output), with the thread count pinned."""
    parser = argparse.ArgumentParser()
    parser.add_argument(mode)
    parser.add_argument("--corpus", default="training/artifacts/real-corpus")
    parser.add_argument("--cache", default="training/artifacts/v2-search")
    parser.add_argument("--out", default=out)
    args = parser.parse_args()
    torch.set_num_threads(int(os.environ.get("MODELPRINT_THREADS", "2")))
    return args


# ---- Further classes for the within-generator whitening (development generators only) ----

EXTRA_CLASSES = {
    "photos": ("training/artifacts/real-corpus/photos/train", "photos-train"),
    "taef2": ("training/artifacts/decoded-photos", "decoded-photos"),
}


def classes_main() -> None:
    """The shipped design (engine crops, RGB, 4x4 pooling, v2 mix) with the whitening fitted on the train
    generators plus further classes: the train photo data sets (each camera data set one class) and the train
    photos through taef2 (training/data/decoded_photos.py). Scored on the calibration generators only."""
    args = study_args("classes", "docs/results/data/v2-extra-classes.json")
    corpus, cache = Path(args.corpus), Path(args.cache)
    mix = ["as-published", "jpeg-a", "jpeg-b", "webp", "downscale"]
    parts = {"generators": cache_split(corpus / "train", TRAIN_CONDITIONS, "engine", cache / "train-engine.npz", 0)}
    for name, (folder, key) in EXTRA_CLASSES.items():
        parts[name] = cache_split(Path(folder), TRAIN_CONDITIONS, "engine", cache / f"{key}-engine.npz", 3)
    dev = cache_split(corpus / "calibration", DEV_CONDITIONS, "engine", cache / "calibration-engine.npz", 1)
    dc = np.array(dev["conditions"])
    xd_all = pooled(dev["x"], 4, "rgb")
    result = {"about": classes_main.__doc__.strip().replace("\n    ", " "), "trials": []}
    for combo in [["generators"], ["generators", "photos"], ["generators", "taef2"], ["generators", "photos", "taef2"]]:
        xs, ls = [], []
        for name in combo:
            part = parts[name]
            keep = np.isin(np.array(part["conditions"]), mix)
            xs.append(pooled(part["x"], 4, "rgb")[keep])
            ls += [f"{name}:{l}" for l, k in zip(part["labels"], keep) if k]
        xt = np.concatenate(xs)
        mean, scale, axes, _ = principal_axes(xt, 256)
        for dims in [64, 128, 256]:
            p = whiten(xt, ls, mean, scale, axes[:, :dims])
            trial = {"classes": combo, "class_count": len(set(ls)), "samples": len(ls), "dims": dims}
            for cond in DEV_CONDITIONS:
                m = dc == cond
                e = ((xd_all[m] - mean) * scale) @ p
                e /= np.linalg.norm(e, axis=1, keepdims=True)
                r = leave_one_out(e, [l for l, k in zip(dev["labels"], m) if k])
                trial[cond] = {"identification": round(r["identification"], 4), "auc": round(r["auc"], 4)}
            print(json.dumps(trial), flush=True)
            result["trials"].append(trial)
    Path(args.out).write_text(json.dumps(result, indent=1) + "\n")


# ---- Backend comparison on the validation generators (reporting only: the design is fixed above) ----

def leave_one_out_scored(x: np.ndarray, labels: list[str], score, refs: int = 10) -> dict:
    """spectral_v2.leave_one_out with any score(query, entry images) instead of the cosine with their mean."""
    y = np.array(labels)
    names = sorted(set(labels))
    idx = {g: np.where(y == g)[0] for g in names}
    fixed = {g: x[idx[g][:refs]] for g in names}
    correct = total = 0
    same, diff = [], []
    for g in names:
        members = idx[g]
        if len(members) < 2:
            continue
        for i in members:
            own = x[[j for j in members if j != i][:refs]]
            scores = {h: float(score(x[i], own if h == g else fixed[h])) for h in names}
            correct += max(scores, key=scores.get) == g
            total += 1
            same.append(scores[g])
            diff += [v for h, v in scores.items() if h != g]
    s, d = np.array(same), np.sort(np.array(diff))
    auc = float((np.searchsorted(d, s, side="left") + np.searchsorted(d, s, side="right")).sum() / (2 * len(s) * len(d)))
    return {"identification": round(correct / total, 4), "auc": round(auc, 4), "queries": total}


def cosine_with_mean(q: np.ndarray, entry: np.ndarray) -> float:
    e = entry / np.linalg.norm(entry, axis=1, keepdims=True)
    m = e.mean(0)
    return float(q @ m / (np.linalg.norm(q) * np.linalg.norm(m)))


def class_covariances(z: np.ndarray, labels: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    y = np.array(labels)
    names = sorted(set(labels))
    means = np.stack([z[y == g].mean(0) for g in names])
    centred = np.concatenate([z[y == g] - z[y == g].mean(0) for g in names])
    within = centred.T @ centred / len(z)
    between = np.cov(means.T, bias=True)
    return means.mean(0), between, within


def plda_scorer(mu: np.ndarray, between: np.ndarray, within: np.ndarray):
    """Two-covariance PLDA: log p(q | entry's images) - log p(q), identity mean ~ N(mu, B), image ~ N(identity, W)."""
    d = len(mu)
    ridge = EPS_REL * np.trace(between) / d * np.eye(d)  # B from a few generators is rank-deficient
    b_inv = np.linalg.inv(between + ridge)
    w_inv = np.linalg.inv(within + EPS_REL * np.trace(within) / d * np.eye(d))

    def log_normal(x: np.ndarray, mean: np.ndarray, cov: np.ndarray) -> float:
        sign, logdet = np.linalg.slogdet(cov)
        r = x - mean
        return -0.5 * (logdet + r @ np.linalg.solve(cov, r))

    marginal = between + ridge + np.linalg.inv(w_inv)

    def score(q: np.ndarray, entry: np.ndarray) -> float:
        n = len(entry)
        post_cov = np.linalg.inv(b_inv + n * w_inv)
        post_mean = post_cov @ (b_inv @ mu + n * w_inv @ entry.mean(0))
        return log_normal(q, post_mean, post_cov + np.linalg.inv(w_inv)) - log_normal(q, mu, marginal)

    return score


def backends_main() -> None:
    """The shipped v2 design (engine crops, RGB, 4x4 pooling, D=128, v2 augmentations) with each scoring backend."""
    args = study_args("backends", "docs/results/data/backend-comparison.json")
    corpus, cache = Path(args.corpus), Path(args.cache)
    train = cache_split(corpus / "train", TRAIN_CONDITIONS, "engine", cache / "train-engine.npz", 0)
    val = cache_split(corpus / "validation", DEV_CONDITIONS, "engine", cache / "validation-engine.npz", 2)
    tc, vc = np.array(train["conditions"]), np.array(val["conditions"])
    keep = np.isin(tc, ["as-published", "jpeg-a", "jpeg-b", "webp", "downscale"])
    xt = pooled(train["x"], 4, "rgb")[keep]
    lt = [l for l, k in zip(train["labels"], keep) if k]
    xv = pooled(val["x"], 4, "rgb")
    mean, scale, axes, _ = principal_axes(xt, 128)
    wccn = whiten(xt, lt, mean, scale, axes)
    zt = ((xt - mean) * scale) @ axes
    mu, between, within = class_covariances(zt, lt)
    # LDA on top of the whitening: the between-generator directions of the train generators only.
    wt = ((xt - mean) * scale) @ wccn
    _, between_w, _ = class_covariances(wt, lt)
    evals, evecs = np.linalg.eigh(between_w)
    lda = wccn @ evecs[:, ::-1][:, : len(set(lt)) - 1]
    backends = {
        "cosine (standardised spectrum, PCA 128, no within-generator model)": (axes, cosine_with_mean),
        "WCCN + cosine (spectral-extractor-v2 as shipped)": (wccn, cosine_with_mean),
        f"WCCN + LDA ({len(set(lt)) - 1} dims) + cosine": (lda, cosine_with_mean),
        "PLDA, two-covariance, on PCA 128": (axes, plda_scorer(mu, between, within)),
    }
    result = {"about": "Scoring backends for the v2 spectrum on the validation generators (leave-one-out, entries of up to 10 images, matched conditions); every backend fitted on the 8 train generators only; reported after the design was fixed, chose nothing.",
              "train_generators": sorted(set(lt)), "rows": []}
    for name, (projection, score) in backends.items():
        row = {"backend": name}
        for cond in DEV_CONDITIONS:
            m = vc == cond
            e = ((xv[m] - mean) * scale) @ projection
            if score is cosine_with_mean:
                e = e / np.linalg.norm(e, axis=1, keepdims=True)
            row[cond] = leave_one_out_scored(e, [l for l, k in zip(val["labels"], m) if k], score)
        print(json.dumps(row), flush=True)
        result["rows"].append(row)
    Path(args.out).write_text(json.dumps(result, indent=1) + "\n")


if __name__ == "__main__":
    import sys
    mode = sys.argv[1] if len(sys.argv) > 1 else ""
    {"backends": backends_main, "classes": classes_main}.get(mode, main)()
