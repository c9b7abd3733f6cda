"""Render resources/models/set-encoder-v1.md from the set encoder's results JSON.

Every figure is read from the results file written by set_encoder.py. The held-out test figures
come from the engine's evaluation (docs/results/attribution.md); the card marks where they go.
Re-render: /usr/bin/python3 -m training.attribution.set_card
"""
from __future__ import annotations

import json
from pathlib import Path

from ..common import MODELS_DIR

NAME = "set-encoder-v1"
RESULTS = Path(__file__).with_name("results") / f"{NAME}.json"


def _pct(x: float) -> str:
    return f"{100 * x:.1f}"


# The engine's held-out evaluation (`modelprint evaluate` on eval_bags), kept beside the results document.
TEST_RESULTS = Path(__file__).resolve().parents[2] / "docs" / "results" / "data" / "eval-bags.json"


def test_figures(sha256: str) -> str:
    """The held-out table from the engine's evaluation, when it was run with this very model."""
    if not TEST_RESULTS.exists():
        return "Not measured yet: run the engine evaluation of docs/results/attribution.md, then re-render this card."
    a = json.loads(TEST_RESULTS.read_text()).get("attribution") or {}
    if (a.get("setEncoder") or {}).get("sha256") != sha256:
        return "The engine evaluation in docs/results/data/eval-bags.json was made with another set encoder: re-run it."
    rows = "\n".join(
        f"| {c['bagSize']} | {_pct(c['accuracy']['mean'])} | {_pct(c['accuracy']['deepsets'])} | "
        f"{c['auc']['mean']:.4f} | {c['auc']['deepsets']:.4f} | {c['better']} |" for c in a["comparison"])
    return f"""Engine evaluation (`modelprint evaluate`, docs/results/attribution.md) on the 43 held-out
architectures (110 images each; gallery = first 10 images, disjoint query bags):

| bag size | identification, mean % | identification, DeepSets % | AUC, mean | AUC, DeepSets | better |
|---|---|---|---|---|---|
{rows}
"""


def render(r: dict) -> str:
    sc, tc, tr, d, o = r["set_config"], r["train_config"], r["training"], r["data"], r["onnx"]
    vm, vd = r["validation"]["mean_pooling"], r["validation"]["deepsets"]
    sizes = [k for k in vm if k != "mean_identification"]
    rows = "\n".join(
        f"| {k} | {vm[k]['bags']} | {_pct(vm[k]['identification'])} | {_pct(vd[k]['identification'])} | "
        f"{vm[k]['auc']:.4f} | {vd[k]['auc']:.4f} |" for k in sizes)
    ex = r["extractor"]
    return f"""# Model card: {NAME}

**What it is.** The set encoder of Modelprint: it turns a *set* ("bag") of images believed to come
from one source into one fingerprint, following the set-encoder paper (docs/methods.md §3). Input:
the per-image embeddings of the bundled spectral extractor (`{ex.get('name')}`, sha256
`{ex.get('sha256')}`); output: one {sc['dim_out']}-d set fingerprint, compared by cosine.

> **CPU only, small scale.** No GPU was lent for this task; training ran on 2 shared CPU cores in
> {tr['seconds']:.0f} s ({r['wall_minutes']} minutes for the whole stage). The paper trains with 100-300 images per bag and
> 100 bags per model; here every training generator has {', '.join(map(str, d['images_per_generator']))} images, so bags of more
> than that many images repeat images.

## Input / output contract

`{NAME}.onnx`, opset 17, {o['bytes'] / 1e3:.0f} kB, sha256 `{o['sha256']}`.
Operators used: {', '.join(o['ops'])}.

| name | type | shape | meaning |
|---|---|---|---|
| `embeddings` (input) | float32 | [N,{sc['dim_in']}] | the {ex.get('name')} embeddings of the N >= 1 images of one set (one row per image, any order) |
| `set_fingerprint` | float32 | [1,{sc['dim_out']}] | the set's fingerprint, length {tr['scale']:.3f} (learned; compare by cosine) |

Sidecar `{NAME}.json`: `{{"input": "embeddings", "output": "set_fingerprint", "dim": {sc['dim_out']}}}`.
`{NAME}.reference.json`: bags of 1, 10 and 32 validation embeddings with PyTorch's fingerprints; the
exported file run by onnxruntime-node (the engine's runtime) differs from PyTorch by at most
{o['onnxruntime_node_vs_pytorch_max_abs']:.1e}.

## Architecture

DeepSets: F(bag) = s * u / ||u||, u = rho(m), m = mean over the bag's images of phi(x), with
phi(x) = [x, mlp_phi(x)], mlp_phi = Linear({sc['dim_in']},{sc['hidden']}) ReLU Linear({sc['hidden']},{sc['hidden']}) ReLU, and
rho([a, b]) = W a + mlp_rho(b), mlp_rho = Linear({sc['hidden']},{sc['hidden']}) ReLU Linear({sc['hidden']},{sc['dim_out']}); {tr['params']} parameters.
W starts as the identity and mlp_rho's last layer at zero, so training starts from plain mean pooling
of the embeddings and learns a correction: an earlier trial with plain MLPs (no skip path) ended below
mean pooling on the validation generators for single images (see training/attribution/deepsets.py).
Mean rather than sum pooling: fingerprints of bags of different sizes must be comparable. The fixed
length s (learned; {tr['scale']:.3f}) makes the loss's squared Euclidean distance 2 s^2 (1 - cos), so cosine
ranking (what the engine uses) equals the loss's ranking, and s acts as the temperature the paper's
formula leaves implicit. Skip path, pooling, length and temperature are our reading; the paper states none.

## Training objective

The paper's contrastive bag loss, written from its formula (no public implementation exists;
training/attribution/set_loss.py, unit-tested against hand computations in
training/tests/test_set_loss.py): for bag fingerprints z_i with models y_i in a batch,
p(z_j | z_i) = exp(-||z_i - z_j||^2) / sum over k != i of exp(-||z_i - z_k||^2), and
loss_i = -log of the sum of p(z_j | z_i) over the other bags j of the same model; the batch loss is
the mean over anchors. A batch: {tc['models_per_step']} training generators x {tc['bags_per_model']} bags, each bag of uniform random size
1..{tc['max_bag']} (distinct images up to the generator's count, then repeats). AdamW lr {tc['lr']}, weight decay
{tc['weight_decay']}, cosine decay, {tc['steps']} steps, seed {tc['seed']}. Early stopping: every {tc['eval_every']} steps the same loss on
{tr['val_bags']} fixed bags of the validation generators ({tc['val_bags_per_model']} per generator, sizes 1..{tc['max_bag']}); the step with the lowest
value ({tr['best_step']}: {tr['best_val_loss']:.4f}; {tr['initial_val_loss']:.4f} at initialisation, i.e. for mean pooling at length
{sc['init_scale']:g}) is the shipped model. Identification accuracy could not rank steps: it saturates (table below).

## Training data (exactly)

`settrain` (made by training/attribution/render_sets.py): the spectral extractor's TRAIN generators
(TRAIN architectures of training/splits.json x seeds 0 and 1), each rendering images at 128 px of
content the extractor never trained on; embedded by the engine (`modelprint evaluate ...
--save-embeddings {d['embeddings_file']}`), so the set encoder sees exactly the embeddings the engine
computes. Split by architecture: {d['fit_generators']} generators ({d['fit_images']} images) train; the
{d['validation_generators']} generators of the VALIDATION architectures ({d['validation_images']} images) only choose the step.
HELD-OUT architectures are never used (the loader refuses them).

## Validation (validation architectures, never trained on)

Per generator, files in name order: the gallery entry is the set of its first 10 images; queries are
disjoint bags of k of its other images; 1:N identification over the {d['validation_generators']} validation generators by
cosine, and the AUC of same-source against different-source scores. "mean" is the engine's plain
mean pooling of the image embeddings on the same bags.

| bag size k | query bags | identification, mean % | identification, DeepSets % | AUC, mean | AUC, DeepSets |
|---|---|---|---|---|---|
{rows}

Mean identification over bag sizes: mean pooling {_pct(vm['mean_identification'])}%, DeepSets {_pct(vd['mean_identification'])}%.
These generators were seen by the spectral extractor in its training (its TRAIN split includes the
validation architectures), so the figures are optimistic for unseen generators.

## Test figures (held-out architectures)

{test_figures(r["onnx"]["sha256"])}

## Limitations

- Trained on synthetic auto-encoders' spectral embeddings only; real generative models not measured here.
- Small bags and models: {', '.join(map(str, d['images_per_generator']))} images per generator; one seed, no hyper-parameter search.
- Tied to `{ex.get('name')}`: embeddings from any other extractor are meaningless to it.

Rendered from training/attribution/results/{NAME}.json by training/attribution/set_card.py.
Reproduce: `bash training/train-attribution.sh` (stage "set encoder").
"""


def write_card(results: Path = RESULTS, out_dir: Path = MODELS_DIR) -> Path:
    path = out_dir / f"{NAME}.md"
    path.write_text(render(json.loads(results.read_text())))
    return path


if __name__ == "__main__":
    print(write_card())
