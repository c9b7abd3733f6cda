"""The committed demo set tests/fixtures/attribution/ (small, with its truth in manifest.json).

    known/<gallery model>-NNN.png    2 per family model (families set), 256 px
    unknown/<model>-NNN.png          3 per unknown-set model (not in the gallery), 256 px
    ct-set/<family model>/NNN.png    150 images of one family model, 128 px (a seized set for C_T)

Why its own content streams with the "query" role: the family references use the "families"
stream with the "reference" role, so no demo image shares seed or photo pixels with any
gallery reference (an attribution of the demo is evidence, not a lookup). PNGs are written with
zlib level 9 to keep the folder under the repository's 8 MB budget.
"""
from __future__ import annotations

from pathlib import Path

from ..common import REPO_ROOT, log
from ..config import Config
from ..synthetic.train_models import render
from .content import ContentStream
from .pngs import AtomicSet, folder_bytes, save_folder, save_png
from .sets import REGENERATE, family_models, unknown_models

FIXTURE_DIR = REPO_ROOT / "tests" / "fixtures" / "attribution"
KNOWN_PER, UNKNOWN_PER, CT_IMAGES = 2, 3, 150
QUERY_SIZE, CT_SIZE = 256, 128
MAX_BYTES = 7_800_000  # plan: < 8 MB on disk (du adds ~0.3 MB of block slack); 200 ct-set images would overrun it


def _query_images(folder: Path, kind: str, models: list, per: int, cfg: Config) -> tuple[list[dict], dict]:
    """per images of each model into folder/<model>-NNN.png; (truth rows, content rule)."""
    stream = ContentStream(f"fixture/{kind}", len(models) * per, QUERY_SIZE, cfg.seed)
    folder.mkdir(parents=True)
    rows = []
    for m, (desc, ae) in enumerate(models):
        imgs = render(ae, stream.batch(range(m * per, (m + 1) * per), ["query"] * per), batch=8)
        for k, img in enumerate(imgs):
            name = f"{desc['id']}-{k:03d}.png"
            save_png(folder / name, img, compress_level=9)
            known = kind == "known"
            rows.append({"file": f"{kind}/{name}", "truth": desc["id"], "family": desc["family"],
                         "parent": desc["parent"], "in_gallery": known,
                         "expected_decision": "attributed" if known else "no-known-model",
                         "expected_model": desc["id"] if known else None})
    rule = {**stream.describe(), "slice_rule": f"model m uses stream indices [m*{per}, (m+1)*{per}), role 'query'"}
    return rows, rule


def build_fixtures(cfg: Config, out: Path = FIXTURE_DIR) -> dict:
    families, unknown = family_models(cfg), unknown_models(cfg)
    ct_desc, ct_ae = families[0]
    ct_stream = ContentStream("fixture/ct-set", CT_IMAGES, CT_SIZE, cfg.seed)
    with AtomicSet(out.parent, out.name) as s:
        known_rows, known_rule = _query_images(s.tmp / "known", "known", families, KNOWN_PER, cfg)
        unknown_rows, unknown_rule = _query_images(s.tmp / "unknown", "unknown", unknown, UNKNOWN_PER, cfg)
        ct_imgs = render(ct_ae, ct_stream.batch(range(CT_IMAGES), ["query"] * CT_IMAGES), batch=16)
        save_folder(s.tmp / "ct-set" / ct_desc["id"], ct_imgs, compress_level=9)
        size = folder_bytes(s.tmp)
        if size > MAX_BYTES:
            raise RuntimeError(f"demo fixtures are {size / 1e6:.2f} MB, over the {MAX_BYTES / 1e6:.1f} MB budget")
        s.manifest = {
            "about": "Attribution demo set with its truth. Gallery = the 'families' set of "
                     "training/artifacts/attribution (12 generators + 2 fine-tunes, 300 references each); "
                     "unknown/ models are deliberately NOT in the gallery. Content never shown to any "
                     "gallery reference (own seed streams, 'query' photo halves).",
            "regenerate": REGENERATE.format(name="fixtures").replace("--out DIR ", "--out DIR [--fixtures DIR] "),
            "config": cfg.name, "run_seed": cfg.seed,
            "images": [*known_rows, *unknown_rows],
            "ct_set": {"folder": f"ct-set/{ct_desc['id']}", "truth": ct_desc["id"], "family": ct_desc["family"],
                       "images": CT_IMAGES, "image_size": CT_SIZE,
                       "content": {**ct_stream.describe(), "slice_rule": f"stream indices 0..{CT_IMAGES - 1}, role 'query'"}},
            "image_size": {"known": QUERY_SIZE, "unknown": QUERY_SIZE, "ct-set": CT_SIZE},
            "content": {"known": known_rule, "unknown": unknown_rule},
            "gallery_models": [d["id"] for d, _ in families],
            "unknown_models": [d["id"] for d, _ in unknown],
            "bytes": size,
        }
    log(f"fixtures: {size / 1e6:.2f} MB -> {out}")
    return s.manifest
