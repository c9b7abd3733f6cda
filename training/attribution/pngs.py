"""Writing image folders: 8-bit RGB PNGs, and sets that appear all at once.

Why atomic: other jobs (embedding, calibration, C_T) start as soon as a set's folder exists, so a
set is written into `<name>.partial/` and renamed to `<name>/` only when complete, manifest last.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
from PIL import Image

from ..common import write_json


def save_png(path: Path, img: np.ndarray, compress_level: int = 6) -> None:
    """uint8 HxWx3 -> RGB PNG (no alpha, no gamma chunk: what the engine reads is the pixels)."""
    assert img.dtype == np.uint8 and img.ndim == 3 and img.shape[2] == 3, (img.dtype, img.shape)
    Image.fromarray(img, "RGB").save(path, optimize=False, compress_level=compress_level)


def save_folder(folder: Path, imgs: np.ndarray, digits: int = 3, compress_level: int = 6) -> None:
    """imgs[k] -> folder/<k zero-padded>.png."""
    folder.mkdir(parents=True, exist_ok=True)
    for k, img in enumerate(imgs):
        save_png(folder / f"{k:0{digits}d}.png", img, compress_level)


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


class AtomicSet:
    """Context manager: yields `<out>/<name>.partial`; on success writes manifest.json and renames."""

    def __init__(self, out: Path, name: str) -> None:
        self.final = out / name
        self.tmp = out / f"{name}.partial"
        self.manifest: dict = {}

    def __enter__(self) -> "AtomicSet":
        if self.tmp.exists():
            shutil.rmtree(self.tmp)
        self.tmp.mkdir(parents=True)
        return self

    def __exit__(self, exc_type, *exc) -> None:
        if exc_type is not None:
            return
        write_json(self.tmp / "manifest.json", self.manifest)
        if self.final.exists():
            shutil.rmtree(self.final)
        self.tmp.rename(self.final)
