"""The plain-spectrum baseline: a linear probe on log-magnitude spectra of the residual.

Per image: the mean over the engine's sliding-window crops of ln|DFT2| of the 5x5-Gaussian residual,
4x4-pooled (the features spectral-extractor-v2 projects, before any learned map); then PCA to 64 and
multinomial logistic regression, 5-fold stratified cross-validation, closed set, on one folder of
generator folders per condition. It is a supervised upper reference on the same images (it trains on
the very generators it tests), not a zero-shot method.

Run: /usr/bin/python3 -m training.linear_probe --folders DIR[=LABEL] ... --out FILE.json
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import torch
from sklearn.decomposition import PCA
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from .spectral_v2 import SpectralProjection, decode, image_feature, list_generators


def probe(folder: Path, front: SpectralProjection, seed: int = 0) -> dict:
    feats, labels = [], []
    for name, files in list_generators(folder).items():
        for f in files:
            try:
                feats.append(image_feature(front, decode(f.read_bytes())))
                labels.append(name)
            except Exception:
                continue
    x, y = np.stack(feats), np.array(labels)
    counts = {g: int((y == g).sum()) for g in sorted(set(labels))}
    keep = np.isin(y, [g for g, n in counts.items() if n >= 5])  # 5 folds need 5 images of a class
    x, y = x[keep], y[keep]
    correct = 0
    for train, test in StratifiedKFold(5, shuffle=True, random_state=seed).split(x, y):
        model = make_pipeline(StandardScaler(), PCA(64, random_state=seed), LogisticRegression(max_iter=2000))
        model.fit(x[train], y[train])
        correct += int((model.predict(x[test]) == y[test]).sum())
    return {"accuracy": correct / len(y), "images": int(len(y)), "generators": sorted(set(y.tolist())), "left_out_below_5_images": [g for g, n in counts.items() if n < 5]}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--folders", nargs="+", required=True, help="DIR or DIR=CONDITION")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    torch.set_num_threads(2)
    front = SpectralProjection(np.zeros(3 * 32 * 32), np.ones(3 * 32 * 32), np.eye(3 * 32 * 32, 8))
    results = {}
    for spec in args.folders:
        folder, _, condition = spec.partition("=")
        results[condition or Path(folder).name] = probe(Path(folder), front)
        print(condition, results[condition or Path(folder).name]["accuracy"])
    Path(args.out).write_text(json.dumps({"method": __doc__.split("\n\n")[1].replace("\n", " "), "conditions": results}, indent=1) + "\n")


if __name__ == "__main__":
    main()
