#!/usr/bin/env bash
# Reproduce the bundled spectral fingerprint extractor end to end (CPU, ~1 hour on 2 cores).
# Writes resources/models/spectral-extractor-v1.{onnx,reference.json,md} and training/results.json.
# Usage: bash training/train.sh [full|tiny]
set -euo pipefail
cd "$(dirname "$0")/.."
CONFIG="${1:-full}"
PY=/usr/bin/python3   # Debian's python with python3-torch/onnx/sklearn/skimage (not the pyenv one on PATH)
export MODELPRINT_THREADS="${MODELPRINT_THREADS:-2}"
mkdir -p training/artifacts
"$PY" -m unittest training.tests.test_dft
if [ "$CONFIG" = "tiny" ]; then
  # smoke test: every stage in ~2 minutes, outputs kept out of resources/
  exec nice -n 10 "$PY" -m training.run_all --config tiny --out-models training/artifacts/tiny_models \
    --results training/artifacts/tiny_results.json
fi
nice -n 10 "$PY" -m training.run_all --config full 2>&1 | tee training/artifacts/full_run.log
