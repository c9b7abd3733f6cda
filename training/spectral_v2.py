"""spectral-extractor-v2: the log-magnitude spectrum of the noise residual, pooled, projected by a
linear map fitted on real generators (within-generator whitening), exported to ONNX.

Why this design (measured, see resources/models/spectral-extractor-v2.md): on real text-to-image
generators v1's CNN, trained on toy synthetic autoencoders, barely carries the generator's
identity, while the plain residual spectrum does; what hides it is content and compression
variation inside each generator. A within-class covariance normalisation (WCCN, as in speaker
recognition) fitted on the train generators' images, each also re-encoded the way shared images
are (JPEG q60-95, WebP, half size), suppresses exactly the directions in which one generator's
images differ, whatever the generator.

Per crop (the engine's sliding window, methods.md 1.4): residual = crop - 5x5 Gaussian (valid),
|DFT2| by MatMul (v1's front end, nearest-resized to 128), ln(|.| + 1e-3), 4x4 average pooling
(3 x 32 x 32), standardise, project to D dims. The engine averages the crop outputs and
L2-normalises: the projection is affine, so that is the projection of the mean crop spectrum.

Run: /usr/bin/python3 -m training.spectral_v2 --corpus training/artifacts/real-corpus
"""
from __future__ import annotations

import argparse
import hashlib
import io
import json
import math
import os
import random
import time
from pathlib import Path

import numpy as np
import onnx
import torch
from PIL import Image
from torch import nn

from .pipeline.full import image_crops
from .pipeline.spectral import ClassicalResidual, DFTMagnitude

POOL = 4
EPS_REL = 1e-3  # ridge on the within-class covariance, relative to its mean eigenvalue


class SpectralProjection(nn.Module):
    """crops [N,3,128,128] -> (embedding [N,D], residual [N,3,124,124], spectrum [N,3,128,128] log)."""

    def __init__(self, mean: np.ndarray, scale: np.ndarray, projection: np.ndarray) -> None:
        super().__init__()
        self.residual = ClassicalResidual("gauss5")
        self.spectrum = DFTMagnitude(self.residual.out_size, log=True)
        self.register_buffer("mean", torch.from_numpy(mean.astype(np.float32)))
        self.register_buffer("scale", torch.from_numpy(scale.astype(np.float32)))
        self.register_buffer("projection", torch.from_numpy(projection.astype(np.float32)))

    def features(self, crops: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        r = self.residual(crops)
        s = self.spectrum(r)
        pooled = nn.functional.avg_pool2d(s, POOL).flatten(1)
        return pooled, r, s

    def forward(self, crops: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        pooled, r, s = self.features(crops)
        return torch.matmul((pooled - self.mean) * self.scale, self.projection), r, s


def decode(data: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGB"), dtype=np.uint8)


def augment(data: bytes, kind: str, rng: random.Random) -> bytes:
    """The sharing conditions of `modelprint evaluate`, with JPEG qualities drawn from 60-95."""
    if kind == "as-published":
        return data
    im = Image.open(io.BytesIO(data)).convert("RGB")
    out = io.BytesIO()
    if kind == "jpeg":
        im.save(out, "JPEG", quality=rng.randint(60, 95))
    elif kind == "webp":
        im.save(out, "WEBP", quality=80)
    elif kind == "downscale":
        im.resize((max(1, im.width // 2), max(1, im.height // 2)), Image.LANCZOS).save(out, "PNG")
    return out.getvalue()


AUGMENTATIONS = ["as-published", "jpeg", "jpeg", "webp", "downscale"]


@torch.no_grad()
def image_feature(front: SpectralProjection, img: np.ndarray) -> np.ndarray:
    crops = image_crops(img)
    pooled, _, _ = front.features(crops)
    return pooled.mean(0).double().numpy()


def list_generators(split_dir: Path) -> dict[str, list[Path]]:
    return {g.name: sorted(p for p in g.iterdir() if p.is_file() and not p.name.startswith(".")) for g in sorted(split_dir.iterdir()) if g.is_dir()}


def features_of(front: SpectralProjection, split_dir: Path, augmentations: list[str], seed: int, cap: int) -> tuple[np.ndarray, list[str]]:
    rng = random.Random(seed)
    feats, labels = [], []
    for name, files in list_generators(split_dir).items():
        for f in files[:cap]:
            data = f.read_bytes()
            for kind in augmentations:
                try:
                    feats.append(image_feature(front, decode(augment(data, kind, rng))))
                    labels.append(name)
                except Exception as error:  # unreadable files are skipped, as the engine does
                    print(f"skip {f}: {error}")
    return np.stack(feats), labels


def fit_projection(x: np.ndarray, labels: list[str], dims: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict]:
    """Standardise, PCA to `dims`, then whiten the pooled within-generator covariance (WCCN)."""
    mean = x.mean(0)
    scale = 1.0 / (x.std(0) + 1e-6)
    z = (x - mean) * scale
    _, s, vt = np.linalg.svd(z - z.mean(0), full_matrices=False)
    pca = vt[:dims].T
    zp = z @ pca
    y = np.array(labels)
    within = np.zeros((dims, dims))
    for g in sorted(set(labels)):
        a = zp[y == g]
        if len(a) < 2:
            continue
        a = a - a.mean(0)
        within += a.T @ a
    within /= len(zp)
    within += EPS_REL * np.trace(within) / dims * np.eye(dims)
    whitening = np.linalg.cholesky(np.linalg.inv(within))
    explained = float((s[:dims] ** 2).sum() / (s**2).sum())
    return mean, scale, pca @ whitening, {"pca_variance_explained": explained}


def embed(model: SpectralProjection, feats: np.ndarray) -> np.ndarray:
    mean = model.mean.double().numpy()
    scale = model.scale.double().numpy()
    p = model.projection.double().numpy()
    e = ((feats - mean) * scale) @ p
    return e / np.linalg.norm(e, axis=1, keepdims=True)


def leave_one_out(e: np.ndarray, labels: list[str], refs: int = 10) -> dict:
    """1:N identification and verification AUC, leave-one-out entries of up to `refs` images."""
    y = np.array(labels)
    names = sorted(set(labels))
    idx = {g: np.where(y == g)[0] for g in names}
    fixed = {g: e[idx[g][:refs]].mean(0) for g in names}
    correct = total = 0
    same, diff = [], []
    for g in names:
        members = idx[g]
        if len(members) < 2:
            continue
        for i in members:
            own = e[[j for j in members if j != i][:refs]].mean(0)
            scores = {h: float(e[i] @ (own if h == g else fixed[h]) / np.linalg.norm(own if h == g else fixed[h])) for h in names}
            correct += max(scores, key=scores.get) == g
            total += 1
            same.append(scores[g])
            diff += [v for h, v in scores.items() if h != g]
    s, d = np.array(same), np.sort(np.array(diff))
    auc = float((np.searchsorted(d, s, side="left") + np.searchsorted(d, s, side="right")).sum() / (2 * len(s) * len(d)))
    return {"identification": correct / total, "auc": auc, "queries": total}


def export(model: SpectralProjection, path: Path) -> dict:
    model.eval()
    dummy = torch.rand(2, 3, 128, 128, generator=torch.Generator().manual_seed(0))
    names = ["embedding", "residual", "spectrum"]
    torch.onnx.export(model, dummy, str(path), opset_version=17, input_names=["crops"], output_names=names,
                      dynamic_axes={"crops": {0: "N"}, **{o: {0: "N"} for o in names}}, do_constant_folding=True)
    m = onnx.load(str(path))
    d = m.graph.output[0].type.tensor_type.shape.dim[1]
    d.ClearField("dim_param")
    d.dim_value = model.projection.shape[1]
    onnx.checker.check_model(m)
    m.producer_name = "modelprint-training"
    m.doc_string = "Modelprint spectral fingerprint extractor v2: crops -> residual -> ln|DFT2| (MatMul) -> 4x4 pooling -> within-generator whitening. See spectral-extractor-v2.md."
    onnx.save(m, str(path))
    data = path.read_bytes()
    return {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest(), "ops": sorted({n.op_type for n in m.graph.node})}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", default="training/artifacts/real-corpus")
    parser.add_argument("--out", default="resources/models")
    parser.add_argument("--dims", type=int, nargs="+", default=[32, 64, 96, 128])
    parser.add_argument("--cap", type=int, default=400, help="images per train generator")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    torch.set_num_threads(int(os.environ.get("MODELPRINT_THREADS", "2")))
    start = time.time()
    corpus = Path(args.corpus)
    front = SpectralProjection(np.zeros(3 * 32 * 32), np.ones(3 * 32 * 32), np.eye(3 * 32 * 32, 8))
    x, labels = features_of(front, corpus / "train", AUGMENTATIONS, args.seed, args.cap)
    # The choice of D is made on the calibration generators (never on validation ones), as published.
    dev, dev_labels = features_of(front, corpus / "calibration", ["as-published"], args.seed, 10_000)
    trials = []
    for dims in args.dims:
        mean, scale, p, facts = fit_projection(x, labels, dims)
        trial = {"dims": dims, **facts, **leave_one_out(embed(SpectralProjection(mean, scale, p), dev), dev_labels)}
        print(json.dumps(trial))
        trials.append(trial)
    best = max(trials, key=lambda t: (t["auc"], t["identification"]))
    mean, scale, p, _ = fit_projection(x, labels, best["dims"])
    model = SpectralProjection(mean, scale, p)
    out = Path(args.out) / "spectral-extractor-v2.onnx"
    facts = export(model, out)
    result = {
        "train": {"generators": sorted(set(labels)), "samples": len(labels), "augmentations": AUGMENTATIONS, "cap": args.cap},
        "choice": {"on": "calibration generators, as published, leave-one-out 1:N / AUC", "trials": trials, "chosen_dims": best["dims"]},
        "onnx": facts,
        "wall_seconds": round(time.time() - start, 1),
        "torch_threads": torch.get_num_threads(),
    }
    Path("training/results-v2.json").write_text(json.dumps(result, indent=1) + "\n")
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
