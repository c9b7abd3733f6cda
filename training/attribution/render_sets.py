"""Render every attribution data folder (plan "Data") and the committed demo fixtures.

    /usr/bin/python3 -m training.attribution.render_sets --out training/artifacts/attribution [--only NAME]

NAME: settrain, calibration, ct_reference, families, unknown, fixtures, eval_bags (default: all,
in that order: the order in which other jobs need them). Deterministic for a given thread count
(MODELPRINT_THREADS, default 2): fixed seeds everywhere (common.derive_seed), generators trained
with train_many when their weights are absent and reused when present. Each set appears atomically
(`<set>.partial/` renamed when complete, manifest.json inside). Do not commit the artifacts; the
fixtures (tests/fixtures/attribution/, < 8 MB) are committed.
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

from ..common import log, setup_torch
from ..config import get_config
from .fixtures import FIXTURE_DIR, build_fixtures
from .pngs import folder_bytes
from .sets import BUILDERS

ORDER = ("settrain", "calibration", "ct_reference", "families", "unknown", "fixtures", "eval_bags")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True, type=Path)
    ap.add_argument("--only", choices=ORDER, action="append", help="repeatable; default: every set")
    ap.add_argument("--fixtures", type=Path, default=FIXTURE_DIR, help="where the demo set goes")
    ap.add_argument("--config", default="full", choices=["full"], help="the generators' run config")
    args = ap.parse_args()
    setup_torch()
    cfg = get_config(args.config)
    timings: dict[str, float] = {}
    for name in [n for n in ORDER if not args.only or n in args.only]:
        t0 = time.time()
        log(f"--> {name}")
        if name == "fixtures":
            build_fixtures(cfg, args.fixtures)
            where = args.fixtures
        else:
            BUILDERS[name](args.out, cfg)
            where = args.out / name
        timings[name] = round(time.time() - t0, 1)
        log(f"<-- {name}: {timings[name]:.1f}s, {folder_bytes(where) / 1e6:.1f} MB in {where}")
    log(f"timings (s): {timings}")


if __name__ == "__main__":
    main()
