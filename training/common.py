"""Shared plumbing: paths, seeding, thread limits, logging and timing.

Every stage calls :func:`setup_torch` first so that runs are deterministic and never take
more than the two CPU cores this machine shares with other jobs.
"""
from __future__ import annotations

import hashlib
import json
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import torch

TRAINING_DIR = Path(__file__).resolve().parent
REPO_ROOT = TRAINING_DIR.parent
ARTIFACTS = TRAINING_DIR / "artifacts"
MODELS_DIR = REPO_ROOT / "resources" / "models"
SPLITS_PATH = TRAINING_DIR / "splits.json"
RESULTS_PATH = TRAINING_DIR / "results.json"


def setup_torch(threads: int | None = None) -> None:
    """Pin thread count and deterministic kernels.

    Thread count is part of the determinism contract: float reductions may be ordered
    differently with a different number of threads.
    """
    n = threads if threads is not None else int(os.environ.get("MODELPRINT_THREADS", "2"))
    torch.set_num_threads(n)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:  # already set in this process
        pass
    torch.use_deterministic_algorithms(True)


def seed_everything(seed: int) -> None:
    """Seed python, numpy and torch global generators (local generators are preferred)."""
    random.seed(seed)
    np.random.seed(seed % (2**32))
    torch.manual_seed(seed)


def derive_seed(*parts: Any) -> int:
    """Stable 63-bit seed from any printable parts (python's hash() is salted per process)."""
    h = hashlib.sha256("/".join(str(p) for p in parts).encode()).digest()
    return int.from_bytes(h[:8], "little") & ((1 << 63) - 1)


_T0 = time.time()


def log(msg: str) -> None:
    """Timestamped progress line on stdout (flushed: the full run is watched through a log)."""
    print(f"[{time.time() - _T0:8.1f}s] {msg}", flush=True)
    sys.stdout.flush()


class Timer:
    """Context manager recording elapsed wall time under a name into a dict."""

    def __init__(self, sink: dict[str, float], name: str) -> None:
        self.sink, self.name = sink, name

    def __enter__(self) -> "Timer":
        self.t = time.time()
        log(f"--> {self.name}")
        return self

    def __exit__(self, *exc: Any) -> None:
        dt = time.time() - self.t
        self.sink[self.name] = round(dt, 1)
        log(f"<-- {self.name}: {dt:.1f}s")


def write_json(path: Path, obj: Any) -> None:
    """Write JSON atomically (indent 2) so a killed run never leaves half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(obj, indent=2, sort_keys=False) + "\n")
    tmp.replace(path)


def quantize_u8(x: torch.Tensor) -> torch.Tensor:
    """Clamp to [0,1] and round to 8-bit levels, as a PNG writer would.

    Training samples are quantized exactly like the evaluation PNGs so the extractor never
    learns from sub-LSB detail that real files do not carry.
    """
    return torch.round(x.clamp(0.0, 1.0) * 255.0) / 255.0
