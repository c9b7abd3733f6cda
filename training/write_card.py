"""Render resources/models/spectral-extractor-v1.md from training/results.json.

The card's numbers are never typed by hand: every figure below is read from results.json
(written by run_all), so the card and the shipped model cannot drift apart. Re-render with
`/usr/bin/python3 -m training.write_card`.
"""
from __future__ import annotations

import json
from pathlib import Path

from .common import MODELS_DIR, RESULTS_PATH

PAPER = {"ident_acc": 93.2, "auc": 92.7}


def _pct(x: float) -> str:
    return f"{100 * x:.1f}"


def _f(x: float, n: int = 3) -> str:
    return f"{x:.{n}f}"


def render(r: dict) -> str:
    c = r["config"]
    g = r["generators"]
    sel = r["selection"]
    ex = r["extractor"]
    ho = r["heldout"]["sliding_window_3x3"]
    hc = r["heldout"]["single_centre_crop"]
    ev = r["heldout"]["eval_set"]
    pool_tr, pool_ev = r["real_pool"]["train"], r["real_pool"]["eval"]
    onnx = r["onnx"]
    t = r["stage_seconds"]
    sp = r["splits"]
    res_desc = {
        "classical": f"image minus a 5x5 Gaussian (sigma 1) smoothed copy, valid depthwise conv: 128 -> {124} px",
        "dncnn": f"our DnCNN-style denoiser ({r['denoiser']['layers']} conv layers, {r['denoiser']['width']} "
                 f"features, BN on the middle layers, no padding: 128 -> {128 - 2 * r['denoiser']['layers']} px); "
                 "its output (the estimated noise) is the residual, as in the reference",
    }
    spec_desc = {"plain": "plain magnitude abs(DFT2) (as in the reference)",
                 "log": "log(abs(DFT2) + 1e-3)"}
    rows = "\n".join(
        f"| {k} | {_pct(v['val_identification_accuracy'])} | {_pct(v['val_macro_f1'])} | {v['steps']} | "
        f"{v['train_seconds']:.0f} | {'**chosen**' if k == sel['chosen'] else ''} |"
        for k, v in sel["variants"].items())
    by_res = {}
    for k, v in sel["variants"].items():
        rn, sn = k.split("-")
        by_res.setdefault(rn, []).append(v["val_identification_accuracy"])
    by_spec = {}
    for k, v in sel["variants"].items():
        rn, sn = k.split("-")
        by_spec.setdefault(sn, []).append(v["val_identification_accuracy"])
    photos_tr = ", ".join(pool_tr["photos_used"])
    photos_ev = ", ".join(pool_ev["photos_used"])
    lic = "\n".join(f"- `{p}`: {l}" for p, l in {**pool_tr["photo_licences"], **pool_ev["photo_licences"]}.items())
    total_min = r["wall_minutes"]
    ref_macs = 8.0e9
    if ex["residual"] == "classical" and not ex["residual_macs_per_crop"]:
        ex["residual_macs_per_crop"] = 3 * 25 * ex["residual_out_size"] ** 2  # 5x5 depthwise conv
    our_macs = ex["encoder_macs_per_crop"] + ex["residual_macs_per_crop"] + ex["dft_macs_per_crop"]
    return f"""# Model card: spectral-extractor-v1

**What it is.** The bundled spectral fingerprint extractor of Modelprint. For one 128x128 RGB crop
it computes a noise residual, the 2-D Fourier magnitude spectrum of that residual, and a
{ex['emb_dim']}-d L2-normalised embedding from a compact CNN. Embeddings of images from the same
generator are close (cosine), so a gallery of known generators supports 1:N identification and
1:1 verification of generators never seen in training. It follows the model-synthesis paper
(*model synthesis for zero-shot model attribution*; the project's docs/methods.md §1 pins the
reference details): the extractor is trained **only on synthetic generators** (shallow auto-encoders
spanning the paper's 288-architecture space), never on real generative models.

> **CPU-scale reproduction.** No accelerator was lent for this task. Everything (real-image pool,
> {g['trained']} synthetic generators, denoiser, variant selection, extractor) was trained on 2 shared
> CPU cores in **{total_min} minutes** wall-clock. The scale is far below the paper's (table below);
> the figures are for held-out *synthetic* generators and do not transfer one-to-one to real
> generative models.

| | paper (reference code) | this model |
|---|---|---|
| real images | CelebA + LSUN | procedural pool + {len(pool_tr['photos_used'])} skimage photos ({pool_tr['images']} train images, 128 px) |
| synthetic models | 288 archs x 20 seeds = 5760 | {sp['train_archs_used']} train archs x {c['seeds_per_arch']} seed(s) = {g['train_models']} (+ {g['heldout_models']} held-out for evaluation only) |
| generator training | until L1 residual < 0.005 (53-113 s on a 3090 each) | Adam, <= {c['ae_max_steps']} steps of {c['ae_batch']} crops of {c['ae_crop']} px (mean {g['seconds_mean_per_model_1thread']:.1f} s on 1 CPU thread); mean final L1 {_f(g['final_l1']['mean'])} |
| residual | pretrained DnCNN (17 layers, non-commercial weights) | {sel['chosen'].split('-')[0]} (measured choice, see below) |
| spectrum | plain abs(FFT2) resized to 128 | {spec_desc[ex['spectrum']]}, same resize (measured choice) |
| extractor | ResNet50, 2048-d | compact ResNet, {len(c['widths']) - 1} stages, widths {tuple(c['widths'])}, {ex['emb_dim']}-d, {ex['encoder_params'] / 1e6:.2f} M params |
| training | 40 epochs, batch 200, AdamW 1e-4 | {ex['steps']} steps of {ex['batch']} (P models x K images) = {ex['epochs_equiv']} epochs over {ex['samples']} samples, AdamW {c['lr']} |
| cost per crop | ~8 GMAC (DnCNN ~6.7 + ResNet50 ~1.3) | {our_macs / 1e6:.0f} MMAC ({ref_macs / our_macs:.0f}x less) |

## Input / output contract

`spectral-extractor-v1.onnx`, opset 17, {onnx['bytes'] / 1e6:.1f} MB, sha256 `{onnx['sha256']}`.
Operators used: {', '.join(onnx['ops'])} (no DFT/FFT op: the DFT is built from MatMul).

| name | type | shape | meaning |
|---|---|---|---|
| `crops` (input) | float32 | [N,3,128,128] | RGB crops, values in [0,1] (8-bit value / 255), N dynamic |
| `embedding` | float32 | [N,{ex['emb_dim']}] | L2-normalised embedding per crop |
| `residual` | float32 | [N,3,{ex['residual_out_size']},{ex['residual_out_size']}] | the noise residual (for display) |
| `spectrum` | float32 | [N,3,128,128] | exactly what the encoder sees: {spec_desc[ex['spectrum']]} of the residual, nearest-resized from {ex['residual_out_size']} to 128, DC at [0,0] (no fftshift; shift it for display) |

The engine only crops. Per docs/methods.md §1.4: for an image larger than 128 on both sides,
stride s = (side - 128) // 2 and a 3x3 grid of crops at offsets 0, s, 2s (corners and centre);
the image embedding is the mean of the 9 crop embeddings (we re-normalise it; cosine is unaffected).
Smaller images: centre crop/zero-pad to 128. Degenerate strides (side 129..131, s = 0 or 1): one
centred crop. **Never resize** before fingerprinting: resampling destroys the traces. Decode 8-bit RGB
(drop alpha; greyscale -> 3 equal channels).

`spectral-extractor-v1.reference.json` holds 4 fixed inputs (base64 uint8, CHW; two are also given
as integer formulas) with PyTorch's outputs: full embeddings, and residual/spectrum summary stats
plus sampled values. Expected ONNX-vs-PyTorch tolerance: embedding max abs diff <= 1e-4 (cosine >=
0.9999), residual <= 1e-5, spectrum as stated in the file. Re-executing the serialised ONNX graph
op-by-op in numpy (training/onnx_check.py) gave embedding max abs diff
{onnx['numpy_reexecution_parity']['embedding_max_abs']:.1e}, residual {onnx['numpy_reexecution_parity']['residual_max_abs']:.1e},
spectrum relative {onnx['numpy_reexecution_parity']['spectrum_max_rel_to_max']:.1e}.

## Architecture

1. **Residual**: {res_desc[ex['residual']]}.
2. **Spectrum**: per colour channel, the 2-D DFT magnitude as four MatMuls with fixed cos/sin
   matrices (re = C X C^T - S X S^T, im = S X C^T + C X S^T), the nearest resize to 128 folded into the
   matrices by row selection. Unit-checked equal to `torch.fft.fft2(x).abs()` + nearest resize
   (training/tests/test_dft.py: max abs error < 1e-5 of the spectrum maximum). Encoder input:
   {spec_desc[ex['spectrum']]}.
3. **Encoder**: input BatchNorm (learned per-channel scale of the spectrum), 3x3 stride-2 stem,
   {len(c['widths']) - 1} residual BasicBlocks each with stride 2 (widths {tuple(c['widths'])}), global average
   pool, linear projection to {ex['emb_dim']} dims, L2 normalisation. {ex['encoder_macs_per_crop'] / 1e6:.1f} MMAC
   for the encoder, {ex['dft_macs_per_crop'] / 1e6:.1f} MMAC for the DFT, {ex['residual_macs_per_crop'] / 1e6:.1f} MMAC for the residual.
   Training-only head: a linear classifier over synthetic-model ids (not exported).

## Training data (exactly)

**Real-image pool** (made here; training/data/real_pool.py). TRAIN split: {pool_tr['images']} images of
128x128: {pool_tr['counts']['pink']} colour 1/f noise fields (amplitude ~ 1/f^a, a ~ U(0.8, 1.4), random
colour mixing), {pool_tr['counts']['leaves']} dead-leaves images (occluding discs and rectangles, radius
density ~ r^-3 on [4, 85] px, flat / gradient / 1/f-textured fills), {pool_tr['counts']['shapes']}
smooth-shape images (gradient or vignetted background, 3-11 ellipses/polygons with flat, gradient,
sinusoidal or textured fills), {pool_tr['counts']['photo']} crops of skimage photos ({photos_tr};
anti-aliased rescale x1/0.75/0.5, flips, colour tint for greyscale ones). Post-processing: Gaussian
blur sigma 0.4-1.2 with p = 0.4 (not photos), additive Gaussian noise sigma 0.002-0.01 with p = 0.4;
no JPEG. Stored as 8-bit. EVAL split (evaluation content only): {pool_ev['images']} images of
256x256 from a disjoint seed stream ({pool_ev['counts']}), photos {photos_ev} only. Skimage photos
excluded: `cat` (duplicate of chelsea), `moon`, `page`, `stereo_motorcycle` (no licence statement),
and the synthetic / binary / microscopy arrays; `brain`, `cells3d`, `eagle`, `human_mitosis`, `kidney`,
`lily`, `nickel_solidification`, `protein_transport`, `skin`, `vortex` need a download and were not used.

**Synthetic generator space** (training/synthetic/): K down blocks (AvgPool2d(2) + 2 x [Conv3x3, BN,
ReLU]) then K up blocks (upsampling, then L x [norm, act, conv] ("pre") or [conv, norm, act] ("post"))
and a linear 3x3 to-RGB conv; widths {tuple(c['ae_width'])}. Options K {{1,2}} x L {{1,2}} x order
{{pre,post}} x upsampling {{nearest, bilinear, transposed conv k2 s2}} x activation {{none, ReLU,
sigmoid, tanh}} x norm {{none, batch, instance}} = 288 architectures.

**Splits** (training/splits.json, seed {c['seed']}): {sp['counts_in_splits_json']['heldout']} HELD-OUT
architectures (15%, stratified: every option value on both sides), {sp['counts_in_splits_json']['train']}
TRAIN architectures, of which {sp['counts_in_splits_json']['val']} are VALIDATION architectures used only to choose the
residual/spectrum variant. Held-out architectures take part in no training step (not the denoiser,
not the extractor, not the selection); their generators are trained only to render evaluation images.

**Generators**: {g['train_models']} training models ({sp['train_archs_used']} archs x seeds 0..{c['seeds_per_arch'] - 1}) and
{g['heldout_models']} held-out models (seed 0), each trained with L1 reconstruction on random {c['ae_crop']} px crops of
the TRAIN pool, Adam lr {c['ae_lr']} (cosine to 10%), batch {c['ae_batch']}, stop at running L1 < {c['ae_stop_l1']} or
{c['ae_max_steps']} steps. On this budget no generator reached the paper's 0.005 (share below:
{_pct(g['final_l1']['share_below_stop'])}%); final L1: mean {_f(g['final_l1']['mean'])}, median {_f(g['final_l1']['median'])},
range {_f(g['final_l1']['min'])}-{_f(g['final_l1']['max'])} (K=1: {_f(g['final_l1_by_K']['K1'])}, K=2: {_f(g['final_l1_by_K']['K2'])}).
Their outputs are therefore visibly blurrier than the paper's near-perfect reconstructions (and some,
mostly K=2 ones, lose most of the colour), and their fingerprints are stronger than a converged
generator's.

**Samples**: a training sample is a TRAIN-pool image (first 85% of the pool) passed through a
training generator, 8-bit quantised, labelled with that generator's id: {r['samples']['train_images']} samples
({c['imgs_per_model']} per generator, content chosen per generator by seed).

**Denoiser** (candidate residual; training/pipeline/denoiser.py): trained here on TRAIN-pool crops of
{r['denoiser']['crop']} px with Gaussian noise sigma ~ U(0, 0.05), MSE on the noise, Adam, {r['denoiser']['steps']} steps of
{r['denoiser']['batch']}. No third-party weights.

## Training

Loss = cross-entropy over the {ex['classes']} synthetic-model ids (linear head on the unnormalised
embedding) + batch-hard triplet loss (margin {c['triplet_margin']}) on the L2-normalised embedding; batches of
{c['batch_p']} generators x {c['batch_k']} images; AdamW lr {c['lr']}, weight decay {c['weight_decay']}; linear warm-up
{c['warmup_steps']} steps then cosine annealing with warm restarts every {c['restart_period']} steps; {ex['steps']} steps
(~{ex['epochs_equiv']} epochs) in {ex['seconds'] / 60:.1f} min. Spectra are precomputed once (the residual stage is
frozen) and stored as float16.

## Residual and spectrum: measured choice

Four short runs at equal budget ({list(sel['variants'].values())[0]['steps']} steps each), trained on TRAIN minus VALIDATION
architectures, scored by 1:N identification on the {list(sel['variants'].values())[0]['val_models']} VALIDATION generators
({c['val_imgs_per_model']} images each, 128 px, unseen content; gallery = first {c['gallery_size']}). Held-out architectures
were not used for this choice.

| variant (residual-spectrum) | val ident. acc % | val macro-F1 % | steps | train s | |
|---|---|---|---|---|---|
{rows}

Residual stage (averaged over both spectrum variants): classical {_pct(sum(by_res['classical']) / 2)}%,
our denoiser {_pct(sum(by_res['dncnn']) / 2)}%. Spectrum (averaged over both residual stages): plain
{_pct(sum(by_spec['plain']) / 2)}%, log {_pct(sum(by_spec['log']) / 2)}%; with the classical residual alone: plain
{_pct(sel['variants']['classical-plain']['val_identification_accuracy'])}% vs log {_pct(sel['variants']['classical-log']['val_identification_accuracy'])}%.
Short runs are noisy (one seed each): differences of a few points are within run-to-run variation, so
the plain-vs-log choice is weakly supported, the classical-vs-denoiser one strongly. A plausible
reason for the denoiser's poor showing (not separately measured): it is small, trained briefly on
Gaussian noise only, so its output is a content-dependent noise estimate that keeps less of the
generators' periodic traces than a fixed high-pass does; it also crops more border (128 -> {128 - 2 * r['denoiser']['layers']} px).

## Evaluation on held-out generators

Protocol (docs/methods.md §1; training/evaluate.py): {ev['models']} held-out generators (one per held-out
architecture, seed 0) x {ev['images_per_model']} images of {ev['image_size']}x{ev['image_size']} (EVAL-pool content),
written as PNG and read back; image embedding = mean of the 3x3 sliding-window crop embeddings.
1:N identification: gallery entry = mean embedding of the first {c['gallery_size']} images (file-name order) of
each generator, the other {ho['identification']['probes']} images classified by highest cosine. 1:1 verification:
{c['verif_pairs']} same-generator + {c['verif_pairs']} different-generator random pairs (seed {c['seed']}), cosine; also
all {ho['verification_all_pairs']['pairs_same'] + ho['verification_all_pairs']['pairs_different']} pairs (no sampling, exactly reproducible).

| metric | paper (unseen real models, synthetic-only training) | this model, held-out synthetic, 3x3 window | single centre crop |
|---|---|---|---|
| 1:N identification accuracy | {PAPER['ident_acc']} | **{_pct(ho['identification']['accuracy'])}** | {_pct(hc['identification']['accuracy'])} |
| 1:N macro-F1 | - | **{_pct(ho['identification']['macro_f1'])}** | {_pct(hc['identification']['macro_f1'])} |
| 1:1 verification AUC (5000+5000 pairs) | {PAPER['auc']} | **{_pct(ho['verification']['auc'])}** | {_pct(hc['verification']['auc'])} |
| 1:1 EER | - | {_pct(ho['verification']['eer'])} | {_pct(hc['verification']['eer'])} |
| 1:1 best accuracy | - | {_pct(ho['verification']['best_accuracy'])} | {_pct(hc['verification']['best_accuracy'])} |
| 1:1 AUC, all pairs | - | {_pct(ho['verification_all_pairs']['auc'])} | {_pct(hc['verification_all_pairs']['auc'])} |
| silhouette (cosine, higher better) | - | {_f(ho['clustering']['silhouette'])} | {_f(hc['clustering']['silhouette'])} |
| Davies-Bouldin (lower better) | - | {_f(ho['clustering']['davies_bouldin'])} | {_f(hc['clustering']['davies_bouldin'])} |

The comparison with the paper is indicative only: the paper evaluates on real generative models
(GANs, VAEs, flows, diffusion, text-to-image), we on held-out architectures of the same synthetic
family (which the paper does not report). Our generators are under-trained (above), which makes
their fingerprints stronger, while our extractor, data and compute are far smaller.

{_engine_section()}

## Known limitations and failure modes

- Trained only on shallow synthetic auto-encoders, at CPU scale: {g['train_models']} generators instead of 5760,
  under-trained (L1 ~{_f(g['final_l1']['mean'], 2)} instead of < 0.005), procedural real images instead of CelebA/LSUN.
  Generalisation to real text-to-image models is **unmeasured** here; treat scores as investigative
  leads, never as proof.
- JPEG compression, resizing, cropping to odd grids, screenshots, filters and heavy denoising
  destroy or alter spectral fingerprints; social-media copies are typically unattributable.
- Images smaller than 128 px on a side are zero-padded: weak evidence.
- Generators with no upsampling artifacts or post-processing that removes them may be
  indistinguishable; fine-tunes/LoRAs of one base model are expected to land close to it.
- The embedding reflects spectral traces, not content; two images with identical processing chains
  (e.g. the same resizer) can look alike even from different generators.
- Thresholds (e.g. the verification threshold {_f(ho['verification']['best_threshold'])} that was best on this held-out set)
  are properties of this synthetic evaluation, not calibrated for casework.

## Reproduction and compute

`bash training/train.sh` (= `nice -n 10 /usr/bin/python3 -m training.run_all --config full`) regenerates
everything: splits, pools, generators, denoiser, selection, extractor, evaluation, this ONNX file,
the reference JSON, training/results.json and this card. Wall time here: {total_min} min on 2 shared CPU cores
(torch {r['machine']['torch']}, {r['machine']['threads']} threads; stage times in results.json: generators
{t['generators'] / 60:.1f} min, selection {sum(v for k, v in t.items() if k.startswith('select_')) / 60:.1f} min, final extractor
{t['final_extractor'] / 60:.1f} min). Seeds are fixed everywhere; results are deterministic for the same thread count
(float reduction order depends on it).

## Licences

All code and weights are our own (Modelprint project), trained from scratch here; no third-party
weights (in particular not the reference DnCNN, whose licence is non-commercial). Sample photos
from scikit-image used in the real pool, with the licence stated in their skimage docstrings:
{lic}
"""


ENGINE_EVALUATION_DIR = Path(__file__).resolve().parent / "engine-evaluation"
ENGINE_SETS = {
    "heldout": "held-out synthetic generators (`make_eval_set`)",
    "fixtures": "`../shared/fixtures/generated` (real generators, 2-3 images each)",
}


def _engine_row(label: str, e: dict) -> str:
    ident, ver, cl = e["identification"], e["verification"], e["clusters"]
    return (f"| {label} | {len(e['generators'])} | {e['images']} | {ident['queries']} | {_pct(ident['accuracy'])} | "
            f"{_pct(ident['macroF1'])} | {_pct(ver['auc'])} | {_pct(ver['eer'])} | {_f(cl['silhouette'])} | "
            f"{_f(cl['daviesBouldin'])} |")


def _engine_section() -> str:
    """The same protocols run by the Node engine (`modelprint evaluate --json --out`), read from the
    JSON it wrote into training/engine-evaluation/, so the card shows what the shipped engine measures."""
    found = {k: json.loads((ENGINE_EVALUATION_DIR / f"{k}.json").read_text())
             for k in ENGINE_SETS if (ENGINE_EVALUATION_DIR / f"{k}.json").exists()}
    if not found:
        return "Engine figures: not measured yet (run `modelprint evaluate DIR --json --out training/engine-evaluation/NAME.json`)."
    rows = "\n".join(_engine_row(ENGINE_SETS[k], e) for k, e in found.items())
    notes = "".join(f"\n- {ENGINE_SETS[k]}: " + "; ".join(e["notes"]) for k, e in found.items() if e.get("notes"))
    return f"""### Measured by the engine (`modelprint evaluate`)

The same protocols run by the shipped engine (Node, onnxruntime-node, the ONNX file above, 3x3 sliding
window): gallery = the first 10 images of each generator in file-name order (all but one when a generator
has 10 or fewer), the rest are queries; 5000 + 5000 verification pairs drawn with seed
{next(iter(found.values()))['seed']}. Held-out set: `/usr/bin/python3 -m training.make_eval_set --out DIR`, then
`modelprint evaluate DIR`. JSON outputs in training/engine-evaluation/.

| set | generators | images | queries | ident. acc % | macro-F1 % | AUC % | EER % | silhouette | Davies-Bouldin |
|---|---|---|---|---|---|---|---|---|---|
{rows}

Identification reproduces the Python figures above exactly; verification differs only through the
sampled pairs. The fixture row is a sanity check, not an accuracy claim: one query per generator, and
verification pairs repeat the few distinct ones.{notes}
"""


def write_card(results: Path = RESULTS_PATH, out_dir: Path = MODELS_DIR) -> Path:
    """Render the card next to the ONNX file."""
    r = json.loads(Path(results).read_text())
    p = Path(out_dir) / "spectral-extractor-v1.md"
    p.write_text(render(r))
    return p


if __name__ == "__main__":
    print(write_card())
