"""Render resources/models/layered-encoder-v1.md from the layered encoder's results JSON.

Every figure is read from the results file written by layered_encoder.py, never typed by hand.
Re-render: /usr/bin/python3 -m training.attribution.layered_card
"""
from __future__ import annotations

import json
from pathlib import Path

from ..common import MODELS_DIR
from .layered_export import NAME
from .vit import HIGHPASS_GAIN

RESULTS = Path(__file__).with_name("results") / f"{NAME}.json"


def _pct(x: float) -> str:
    return f"{100 * x:.1f}"


def render(r: dict) -> str:
    assert r["vit"]["highpass"], "the architecture text below describes the high-pass stem input"
    v, d, tc, tr = r["vit"], r["data"], r["train_config"], r["training"]
    val, base, o, n = r["validation"], r["untrained_baseline"], r["onnx"], r["data_counts"]
    grid = v["size"] // v["patch"]
    tokens = grid * grid
    stem = ", ".join(str(w) for w in [*v["stem"], v["dim"]])
    n_stem = len(v["stem"]) + 1
    gain = HIGHPASS_GAIN
    outs = ", ".join(f"`{x['name']}`" for x in o["outputs"])
    rows = "\n".join(
        f"| {a['block']} | {_pct(a['generator_identification'])} ({_pct(b['generator_identification'])}) | "
        f"{_pct(a['real_vs_generated_probe'])} ({_pct(b['real_vs_generated_probe'])}) | "
        f"{_pct(a['content_retrieval'])} ({_pct(b['content_retrieval'])}) |"
        for a, b in zip(val["per_block"], base["per_block"]))
    heads = ", ".join(f"{k} {_pct(x)}%" for k, x in val["heads_last_block"].items())
    t = r["stage_seconds"]
    return f"""# Model card: {NAME}

**What it is.** The bundled *layered encoder* of Modelprint: a small Vision Transformer of our own
({v['depth']} blocks) whose CLS token after every block embeds an image at {v['depth']} depths. The engine
computes the layer-wise C_T curve of a set of images with it (the embedding-space-selection paper,
docs/methods.md §2): for each block, C_T compares how close the set is to a real reference set T
relative to held-out real images P. The curve of a set is a fingerprint of its source; curves are
matched by the paper's score. Any user-exported ViT with per-block outputs can replace it (sidecar
format below); this one exists because no pretrained ViT may be downloaded or shipped here.

> **CPU-scale model, no accelerator.** No GPU was lent for this task: data rendering and training ran
> on 2 shared CPU cores in **{r['wall_minutes']} minutes** wall-clock (training {t['train']:.0f} s; {r['cpu_seconds'] / 60:.1f} CPU-minutes
> over all threads; the data stage took {t['data']:.0f} s: it reuses cached renders when present). The paper's
> encoder is vit-base-patch16-224 (86 M parameters, 12 blocks, ImageNet-21k pretraining); this one has
> {tr['params'] / 1e6:.2f} M parameters and was trained only on the project's synthetic generators and
> procedural "real" images, so its curves are not comparable in value with the paper's.

## Input / output contract

`{NAME}.onnx`, opset 17, {o['bytes'] / 1e6:.1f} MB, sha256 `{o['sha256']}`.
Operators used: {', '.join(o['ops'])}.

| name | type | shape | meaning |
|---|---|---|---|
| `pixel_values` (input) | float32 | [N,3,{v['size']},{v['size']}] | RGB, (byte / 255 - 0.5) / 0.5, N dynamic |
| {outs} | float32 | [N,{v['dim']}] each | the CLS token after block 1 ... {v['depth']} (residual stream, no final LayerNorm) |

Sidecar `{NAME}.layers.json`: `{{"input": "pixel_values", "size": {v['size']}, "resize": {v['size']}, "mean": [0.5, 0.5, 0.5],
"std": [0.5, 0.5, 0.5], "outputs": [...], "token": null}}`. Preprocessing (done by the engine for every
image it embeds: T, P, gallery and case sets): decode 8-bit RGB, resize the shorter side to {v['size']}
(sharp, kernel linear), centre-crop {v['size']} x {v['size']}, normalise. The training images were all
{v['size']} px, for which that resize is the identity (checked: sharp returns the same bytes), so training and
engine preprocessing agree exactly on {v['size']} px sets; larger images (e.g. 256 px) are downscaled first, which
removes part of a generator's high-frequency traces (the encoder never saw downscaled images).

`{NAME}.reference.json`: fixed inputs (base64 uint8, CHW) with PyTorch's output of every block.
The exported file run by onnxruntime-node (the engine's runtime) differs from PyTorch by at most
{o['onnxruntime_node_vs_pytorch_max_abs']:.1e} (outputs reach {o['output_abs_max']:.1f} in magnitude).

## Architecture

Pre-norm ViT with a convolutional stem. Stem: the image and its noise residual (image minus a 5x5
Gaussian-smoothed copy, sigma 1, the spectral extractor's classical residual, zero-padded, x{gain:g}) as 6
channels, then {n_stem} stride-2 convolutions (first 4x4, then 3x3; widths {stem}; BatchNorm + ReLU between,
folded into the convolutions at export) down to a {grid} x {grid} grid of {v['dim']}-d tokens ({tokens} tokens + CLS).
Learned position embeddings, {v['depth']} blocks of [LayerNorm, {v['heads']}-head self-attention, residual; LayerNorm,
GELU MLP ({v['mlp_ratio']}x), residual]. {r['macs_per_image'] / 1e6:.1f} MMAC per image; PyTorch on 2 threads embeds an image in
{1000 * r['seconds_per_image_pytorch_2_threads']:.1f} ms. Why these choices (all measured in short trial runs on the training data, not on
held-out generators): with the paper's plain linear 16 x 16 patch embedding, 300 training steps taught
the CLS content but nothing about the source (real-vs-generated accuracy stayed at the majority
share); the conv stem and the residual input made the source objective learn; the coarse {grid} x {grid}
token grid keeps the cost low enough to train on 2 shared CPU cores. Input {v['size']} px, not the
paper's 224 px: the engine's reference and gallery sets are {v['size']} px, so they are embedded without
any resampling, which would blur away the generators' traces.

## Training objective (and why)

Each step takes {tc['pairs']} content images and two different renders of each ({tr['images_per_step']} images); a render
is either the content itself ("real") or the content passed through a synthetic generator.
- **Source, on the CLS after block {tr['source_block']}** (LayerNorm + linear heads): real vs generated, and the
  six architecture attributes of the generator (number of blocks K, layers per up block L,
  norm/activation order, upsampling, activation, normalisation), cross-entropy each. Attributes
  rather than generator ids: the attributes are shared with architectures never seen (validation and
  held-out ones, and real models' unknown ones), generator ids would be memorised.
- **Content, on the CLS after block {tr['content_block']}**: NT-Xent (temperature {tc['temperature']}) with the other
  render of the same content as the positive and the other {tr['images_per_step'] - 2} images as negatives, weight
  {tc['content_weight']}: the middle of the network encodes *what* is shown, independently of who rendered it, which
  is what C_T's nearest-neighbour distances to the real set T rely on.
So the curve runs from content (early/middle blocks) to source (late blocks). The heads are training
devices and are not exported.

Optimiser: AdamW, lr {tc['lr']}, weight decay {tc['weight_decay']} (not on biases and normalisation parameters),
{tc['warmup']} warm-up steps then cosine decay, {tr['steps']} steps, gradient norm clipped at 1; seed {tc['seed']}.

## Training data (exactly)

- **Content**: {d['content']} images of 128 px from the project's procedural real-image generator
  (training/data/real_pool.py: 1/f noise, dead leaves, shapes, 20% crops of the 11 training skimage
  photos) with their own seed stream ("layered-content", seed {d['seed']}): no image is shared with the
  synthetic generators' training pool (the default C_T reference T) or with P; photo crops come from the
  same 11 photos as T's photo crops (different random crops). The last {d['val_content']} are validation content only.
- **Sources**: real, and the existing synthetic generators (training/artifacts/generators, trained for
  the spectral extractor) of the TRAIN architectures minus the validation architectures:
  {n['train_generators']} generators (2 seeds each). Each training content image was rendered by {d['gens_per_content']} random
  generators: {n['train_images']} training images, of which {n['train_real_images']} real.
- HELD-OUT architectures (training/splits.json) were never used. Validation: the {n['validation_generators']} generators of the
  validation architectures (never trained on) x {d['val_imgs_per_gen']} renders of validation content, plus the
  {val['validation_real_images']} validation content images as real ({n['validation_images']} images).

## Validation (per block; validation generators of unseen architectures, unseen content)

Trained encoder, with the same architecture at random initialisation in brackets:

| block | generator identification % | real vs generated (linear probe) % | content retrieval % |
|---|---|---|---|
{rows}

- *generator identification*: 1:N over the {val['validation_generators']} validation generators, gallery entry = mean of a generator's
  first 10 renders, other renders by cosine (chance {_pct(val['chance']['generator_identification'])}%);
- *real vs generated*: logistic regression fitted on the images of half of the contents, accuracy on the other half;
- *content retrieval*: the nearest real validation image (cosine) to a generated one shows the same
  content (chance {_pct(val['chance']['content_retrieval'])}%).

Heads on the last block, validation generators: {heads}.

C_T curves and curve matching are measured by the engine (docs/results), not here.

## Limitations

- Trained on shallow synthetic auto-encoders and procedural content only; how well its curves
  separate real generative models is not measured here.
- One seed, one training run ({r['machine']['threads']} CPU threads, torch {r['machine']['torch']}); no hyper-parameter search.
- Downscaled inputs (larger than {v['size']} px) were not seen in training.

Rendered from training/attribution/results/{NAME}.json by training/attribution/layered_card.py.
Reproduce: `bash training/train-attribution.sh` (stage "layered encoder").
"""


def write_card(results: Path = RESULTS, out_dir: Path = MODELS_DIR) -> Path:
    path = out_dir / f"{NAME}.md"
    path.write_text(render(json.loads(results.read_text())))
    return path


if __name__ == "__main__":
    print(write_card())
