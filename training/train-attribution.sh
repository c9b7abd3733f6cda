#!/usr/bin/env bash
# Reproduce the attribution models end to end (CPU; see the cards for measured wall times):
#   1. unit test of the contrastive bag loss
#   2. the attribution data folders (training/attribution/render_sets.py -> training/artifacts/attribution/)
#   3. the layered encoder (our ViT): train, validate, export resources/models/layered-encoder-v1.*
#   4. the engine's spectral embeddings of settrain (modelprint evaluate --save-embeddings)
#   5. the DeepSets set encoder: train, validate, export resources/models/set-encoder-v1.*
# Each model card (.md) is rendered from its measured results (training/attribution/results/).
# Needs the spectral extractor's generators (training/artifacts/generators/, made by train.sh).
# Deterministic: fixed seeds everywhere, thread count pinned by MODELPRINT_THREADS (default 2).
# Usage: bash training/train-attribution.sh
set -euo pipefail
cd "$(dirname "$0")/.."
PY=/usr/bin/python3   # Debian's python with python3-torch/onnx/sklearn/skimage (not the pyenv one on PATH)
export MODELPRINT_THREADS="${MODELPRINT_THREADS:-2}"
# OpenMP threads must sleep, not spin, while they wait: on a shared, oversubscribed machine spinning
# made a 2-thread torch training step 20-30x slower (measured: 0.45 s vs 8-15 s per step)
export OMP_WAIT_POLICY=PASSIVE
DATA=training/artifacts/attribution
LOGS="$DATA/logs"
mkdir -p "$LOGS"

stage() {  # stage NAME COMMAND...: run with low priority, log to $LOGS/NAME.log, report wall time
  local name="$1"; shift
  local t0=$SECONDS
  echo "--> $name"
  nice -n 10 "$@" 2>&1 | tee "$LOGS/$name.log"
  echo "<-- $name: $((SECONDS - t0)) s"
}

"$PY" -m unittest training.tests.test_set_loss
stage render_sets "$PY" -m training.attribution.render_sets --out "$DATA"
stage layered_encoder "$PY" -m training.attribution.layered_encoder
# --embeddings would reuse an existing cache only when its file list and extractor sha256 match;
# always recompute here so the cache is exactly what this checkout's engine produces
stage settrain_embeddings node bin/modelprint.js evaluate "$DATA/settrain" \
  --save-embeddings "$DATA/settrain.npy" --out "$LOGS/settrain-evaluation.json"
stage set_encoder "$PY" -m training.attribution.set_encoder \
  --embeddings "$DATA/settrain.npy" --set "$DATA/settrain"
echo "done: resources/models/{layered-encoder-v1,set-encoder-v1}.* (cards rendered from training/attribution/results/)"
