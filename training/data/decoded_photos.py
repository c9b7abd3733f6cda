"""Further generator classes for fitting the v2 projection: real photographs passed through the small real
latent decoders of ../shared/docs/real-data.md (encode, then decode), so each decoder leaves its own
upsampling trace on natural content, as a text-to-image model's VAE decoder does.

One complete encoder/decoder pair exists in the allowed sources: taesd's FLUX.2 pair (taef2_encoder.pth +
taef2_decoder.pth). The other taesd weights are absent, taesana has no decoder, and VAElight's
VAEpreview.onnx is a preview: it returns the image at the latent's resolution (a 512 px photo comes back
at 64 px), so it leaves no upsampling trace to learn from. The network definition is the repository's own
`taesd.py`, read from the local git copy at the recorded commit and imported from training/artifacts
(never committed here).

Photos: the corpus's train photo pool (never its calibration or validation photos), cropped to a multiple
of 8 (the decoder's stride), at most 512 px a side (centre crop: no resampling, which would add its own trace).

Run: /usr/bin/python3 -m training.data.decoded_photos --decoder taef2 [--mirrors /work/.mirror]
"""
from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np
import torch
from PIL import Image

MAX_SIDE = 512
Reconstruct = Callable[[np.ndarray], np.ndarray]  # float32 HxWx3 in [0, 1] -> uint8 HxWx3


@dataclass(frozen=True)
class DecoderSource:
    repo: str
    commit: str
    files: tuple[str, ...]
    mirror: str  # the local git copy, under --mirrors


SOURCES = {
    "taef2": DecoderSource("madebyollin/taesd", "5cccb12", ("taesd.py", "taef2_encoder.pth", "taef2_decoder.pth"), "madebyollin+taesd/repo"),
}


def checkout(source: DecoderSource, mirrors: Path, work: Path) -> dict[str, str]:
    """Writes the source's files at its commit into `work`; their sha256 by name."""
    work.mkdir(parents=True, exist_ok=True)
    digests = {}
    for name in source.files:
        data = subprocess.run(["git", "--git-dir", str(mirrors / source.mirror), "show", f"{source.commit}:{name}"], check=True, capture_output=True).stdout
        digests[name] = hashlib.sha256(data).hexdigest()
        (work / name).write_bytes(data)
    return digests


def taef2(work: Path) -> Reconstruct:
    spec = importlib.util.spec_from_file_location("taesd_upstream", work / "taesd.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["taesd_upstream"] = module
    spec.loader.exec_module(module)
    model = module.TAESD(encoder_path=str(work / "taef2_encoder.pth"), decoder_path=str(work / "taef2_decoder.pth")).eval()

    def run(x: np.ndarray) -> np.ndarray:
        t = torch.from_numpy(x).permute(2, 0, 1)[None]
        return to_bytes(model.decoder(model.encoder(t)).clamp(0, 1)[0].permute(1, 2, 0).numpy())

    return run


DECODERS: dict[str, Callable[[Path], Reconstruct]] = {"taef2": taef2}


def to_bytes(x: np.ndarray) -> np.ndarray:
    return (np.clip(x, 0.0, 1.0) * 255.0 + 0.5).astype(np.uint8)


def centre_crop(img: Image.Image) -> Image.Image:
    w, h = img.size
    cw, ch = min(MAX_SIDE, w - w % 8), min(MAX_SIDE, h - h % 8)
    left, top = (w - cw) // 2, (h - ch) // 2
    return img.crop((left, top, left + cw, top + ch))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--decoder", choices=sorted(DECODERS), required=True)
    parser.add_argument("--mirrors", default="/work/.mirror", help="folder of local git copies, <owner>+<name>/repo")
    parser.add_argument("--photos", default="training/artifacts/real-corpus/photos/train")
    parser.add_argument("--out", default="training/artifacts/decoded-photos")
    parser.add_argument("--cap", type=int, default=300, help="photos per data set")
    args = parser.parse_args()
    torch.set_num_threads(int(os.environ.get("MODELPRINT_THREADS", "2")))
    out = Path(args.out) / args.decoder
    out.mkdir(parents=True, exist_ok=True)
    source = SOURCES[args.decoder]
    work = Path("training/artifacts/decoder-sources") / args.decoder
    digests = checkout(source, Path(args.mirrors), work)
    reconstruct = DECODERS[args.decoder](work)
    records = []
    for dataset in sorted(p for p in Path(args.photos).iterdir() if p.is_dir()):
        for photo in sorted(dataset.iterdir())[: args.cap]:
            target = out / f"{dataset.name}__{photo.stem}.png"
            if not target.exists():
                with torch.no_grad():
                    pixels = np.asarray(centre_crop(Image.open(photo)).convert("RGB"), dtype=np.float32) / 255.0
                    Image.fromarray(reconstruct(pixels)).save(target)
            records.append({"photo": f"{dataset.name}/{photo.name}", "photo_sha256": hashlib.sha256(photo.read_bytes()).hexdigest(), "file": target.name})
        print(f"{dataset.name}: {len(records)} decoded", flush=True)
    manifest = {"decoder": args.decoder, "repo": source.repo, "commit": source.commit, "files": digests, "max_side": MAX_SIDE, "images": records}
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")


if __name__ == "__main__":
    main()
