"""The "real image" pool, made here because no dataset can be downloaded.

The paper feeds CelebA + LSUN photos through its synthetic generators. What matters for the
fingerprint extractor is that the *content* is varied and natural-looking in its statistics
(so the extractor learns to ignore content and look at generator traces), not that it shows
faces or bedrooms. We therefore mix:

* ``pink``   1/f^a noise colour fields (a in [0.8, 1.4] for amplitude, i.e. power ~ 1/f^(1.6..2.8)),
             channels mixed by a random colour matrix;
* ``leaves`` dead-leaves images: occluding discs and rectangles whose size r follows the
             natural-image law p(r) ~ 1/r^3, each filled with a flat colour, a gradient or a
             pink-noise texture;
* ``shapes`` smooth gradient background + random ellipses / polygons / sinusoidal textures;
* ``photo``  crops of the photos bundled with scikit-image that load without network
             (rescaled by 1, 0.75 or 0.5 with anti-aliasing, random flips; grayscale photos
             get a random colour tint).

Post-processing (per image, random): Gaussian blur of sigma 0.4-1.2 (soft edges, as in
camera images) with p=0.4, and additive Gaussian noise of sigma 0.002-0.01 with p=0.4.
No JPEG is applied anywhere. All images are stored as uint8 RGB (as real files are).

Two disjoint splits: ``train`` (128x128, procedural seeds from the "train" stream, 11 photos)
and ``eval`` (256x256, seeds from the "eval" stream, 3 other photos). Evaluation images are
therefore new content *and* come from held-out generators.
"""
from __future__ import annotations

import hashlib
import multiprocessing as mp
from pathlib import Path

import numpy as np
from scipy import ndimage

from ..common import ARTIFACTS, derive_seed, log

# Photos bundled with skimage.data that load without network (checked with skimage 0.19.3),
# with the licence stated in their skimage docstring. Excluded: cat (same photo as chelsea),
# moon / page / stereo_motorcycle (no licence statement), synthetic/binary/microscopy arrays.
PHOTO_LICENCES: dict[str, str] = {
    "astronaut": "NASA; no known copyright restrictions, public domain",
    "brick": "CC0 (CC0Textures)",
    "camera": "CC0 (Lav Varshney)",
    "chelsea": "CC0 (Stefan van der Walt)",
    "clock": "public domain (Stefan van der Walt)",
    "coffee": "CC0 (Rachel Michetti)",
    "coins": "Brooklyn Museum; no known copyright restrictions",
    "grass": "CC0 (DeviantArt linolafett)",
    "gravel": "CC0 (CC0Textures)",
    "hubble_deep_field": "NASA; public domain",
    "immunohistochemistry": "CMMI; no known copyright restrictions",
    "retina": "CC0 1.0 (Wikimedia Commons)",
    "rocket": "SpaceX; public domain",
    "text": "Wikipedia; public domain",
}
EVAL_PHOTOS = ("coffee", "rocket", "grass")
TRAIN_PHOTOS = tuple(p for p in PHOTO_LICENCES if p not in EVAL_PHOTOS)
KINDS = ("pink", "leaves", "shapes", "photo")


def load_photos(names: tuple[str, ...]) -> dict[str, np.ndarray]:
    """Load skimage sample photos as float RGB in [0,1]; silently skip any that need a download."""
    import skimage.data as skd

    out: dict[str, np.ndarray] = {}
    for n in names:
        try:
            img = getattr(skd, n)()
        except Exception:  # noqa: BLE001 - a missing optional file just drops the photo
            continue
        img = np.asarray(img, dtype=np.float64)
        if img.max() > 1.0:
            img = img / 255.0
        if img.ndim == 2:
            img = img[..., None]
        out[n] = img[..., :3]
    return out


# ----------------------------------------------------------------------------------------
# procedural generators; each takes a numpy Generator and a size and returns HxWx3 in [0,1]
# ----------------------------------------------------------------------------------------

def _stretch(x: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Map a field to [0,1] by robust percentiles with a random contrast/brightness."""
    lo, hi = np.percentile(x, [1, 99])
    y = (x - lo) / max(hi - lo, 1e-8)
    c = rng.uniform(0.5, 1.0)
    return np.clip(0.5 + (y - 0.5) * c + rng.uniform(-0.15, 0.15), 0.0, 1.0)


def pink_field(rng: np.random.Generator, size: int, channels: int = 3) -> np.ndarray:
    """1/f^a noise (amplitude exponent a random), independent per channel before mixing."""
    fy = np.fft.fftfreq(size)[:, None]
    fx = np.fft.fftfreq(size)[None, :]
    f = np.sqrt(fx**2 + fy**2)
    f[0, 0] = 1.0 / size
    a = rng.uniform(0.8, 1.4)
    amp = f ** (-a)
    amp[0, 0] = 0.0
    out = np.empty((size, size, channels))
    for c in range(channels):
        phase = rng.uniform(0, 2 * np.pi, (size, size))
        out[..., c] = np.real(np.fft.ifft2(amp * np.exp(1j * phase)))
    return out


def pink_image(rng: np.random.Generator, size: int) -> np.ndarray:
    """Colour 1/f field: 3 pink fields mixed by a random matrix (correlated channels)."""
    f = pink_field(rng, size)
    mix = rng.normal(0, 1, (3, 3)) * 0.4 + np.eye(3) * rng.uniform(0.3, 1.0)
    if rng.random() < 0.5:  # strongly correlated (mostly luminance) variant
        mix = np.full((3, 3), 1.0) + rng.normal(0, 0.2, (3, 3))
    x = f @ mix.T
    return np.stack([_stretch(x[..., c], rng) for c in range(3)], -1)


def _fill(rng: np.random.Generator, h: int, w: int) -> np.ndarray:
    """Fill pattern for a leaf/shape: flat colour, linear gradient, or faint pink texture."""
    grey = rng.uniform(0, 1)
    base = np.clip(grey + rng.uniform(0.1, 0.6) * rng.uniform(-1, 1, 3), 0, 1)  # moderate saturation
    r = rng.random()
    if r < 0.5:
        return np.broadcast_to(base, (h, w, 3)).copy()
    if r < 0.8:
        other = np.clip(base + rng.uniform(-0.4, 0.4, 3), 0, 1)
        ang = rng.uniform(0, 2 * np.pi)
        yy, xx = np.mgrid[0:h, 0:w]
        t = (np.cos(ang) * xx + np.sin(ang) * yy).astype(np.float64)
        t = (t - t.min()) / max(t.max() - t.min(), 1.0)
        return base * (1 - t[..., None]) + other * t[..., None]
    n = max(h, w)
    tex = pink_field(rng, max(8, int(2 ** np.ceil(np.log2(n)))), 1)[:h, :w, 0]
    tex = tex / (np.abs(tex).max() + 1e-8)
    return np.clip(base + rng.uniform(0.05, 0.25) * tex[..., None], 0, 1)


def dead_leaves(rng: np.random.Generator, size: int) -> np.ndarray:
    """Dead-leaves model: occluding discs/rectangles, radius density ~ r^-3 on [rmin, rmax]."""
    img = np.zeros((size, size, 3))
    covered = np.zeros((size, size), bool)
    rmin, rmax = max(2.0, size / 32), size / 1.5
    yy, xx = np.mgrid[0:size, 0:size]
    # Paint front-to-back: a pixel takes the first leaf that covers it (exact occlusion).
    for _ in range(4000):
        # inverse CDF of p(r) ~ r^-3 on [rmin, rmax]
        u = rng.random()
        r = (rmin**-2 - u * (rmin**-2 - rmax**-2)) ** -0.5
        cy, cx = rng.uniform(-r, size + r, 2)
        y0, y1 = int(max(0, cy - r)), int(min(size, cy + r + 1))
        x0, x1 = int(max(0, cx - r)), int(min(size, cx + r + 1))
        if y1 <= y0 or x1 <= x0:
            continue
        sy, sx = yy[y0:y1, x0:x1], xx[y0:y1, x0:x1]
        if rng.random() < 0.6:
            m = (sy - cy) ** 2 + (sx - cx) ** 2 <= r * r
        else:
            ar = rng.uniform(0.4, 1.0)
            m = (np.abs(sy - cy) <= r * ar) & (np.abs(sx - cx) <= r / max(ar, 0.4))
        m &= ~covered[y0:y1, x0:x1]
        if not m.any():
            continue
        fill = _fill(rng, y1 - y0, x1 - x0)
        img[y0:y1, x0:x1][m] = fill[m]
        covered[y0:y1, x0:x1] |= m
        if covered.all():
            break
    img[~covered] = rng.uniform(0, 1, 3)
    return img


def shapes_image(rng: np.random.Generator, size: int) -> np.ndarray:
    """Smooth gradient background with random ellipses, polygons and sinusoidal textures."""
    from skimage.draw import ellipse, polygon

    img = _fill(rng, size, size)
    if rng.random() < 0.5:  # radial vignette/gradient
        yy, xx = np.mgrid[0:size, 0:size] / size
        cy, cx = rng.uniform(0, 1, 2)
        d = np.sqrt((yy - cy) ** 2 + (xx - cx) ** 2)
        img = np.clip(img * (1 - 0.5 * d[..., None]) + 0.2 * rng.uniform(-1, 1, 3) * d[..., None], 0, 1)
    for _ in range(rng.integers(3, 12)):
        kind = rng.random()
        if kind < 0.45:
            rr, cc = ellipse(rng.uniform(0, size), rng.uniform(0, size), rng.uniform(size / 30, size / 4),
                             rng.uniform(size / 30, size / 4), shape=(size, size), rotation=rng.uniform(0, np.pi))
        else:
            n = int(rng.integers(3, 8))
            c = rng.uniform(0, size, 2)
            ang = np.sort(rng.uniform(0, 2 * np.pi, n))
            rad = rng.uniform(size / 20, size / 3, n)
            rr, cc = polygon(c[0] + rad * np.sin(ang), c[1] + rad * np.cos(ang), shape=(size, size))
        if len(rr) == 0:
            continue
        if rng.random() < 0.3:  # sinusoidal texture
            f = rng.uniform(0.05, 0.6)
            th = rng.uniform(0, np.pi)
            v = 0.5 + 0.5 * np.sin(f * (np.cos(th) * cc + np.sin(th) * rr) + rng.uniform(0, 6.3))
            col1, col2 = rng.uniform(0, 1, 3), rng.uniform(0, 1, 3)
            img[rr, cc] = col1 * v[:, None] + col2 * (1 - v[:, None])
        else:
            fill = _fill(rng, size, size)
            img[rr, cc] = fill[rr, cc]
    return img


def photo_crop(rng: np.random.Generator, size: int, photos: dict[str, np.ndarray]) -> np.ndarray:
    """Random crop of a random photo after a random anti-aliased rescale and flips."""
    from skimage.transform import rescale

    names = sorted(photos)
    img = photos[names[int(rng.integers(len(names)))]]
    scales = [s for s in (1.0, 0.75, 0.5) if min(img.shape[:2]) * s >= size]
    s = scales[int(rng.integers(len(scales)))] if scales else size / min(img.shape[:2])
    if s != 1.0:
        img = rescale(img, s, channel_axis=-1, anti_aliasing=True, order=1)
    h, w = img.shape[:2]
    y, x = int(rng.integers(0, h - size + 1)), int(rng.integers(0, w - size + 1))
    crop = img[y:y + size, x:x + size]
    if crop.shape[-1] == 1:
        tint = rng.uniform(0.7, 1.0, 3)
        crop = np.clip(crop * tint + rng.uniform(0, 0.1, 3), 0, 1)
    if rng.random() < 0.5:
        crop = crop[:, ::-1]
    if rng.random() < 0.3:
        crop = crop[::-1]
    return np.ascontiguousarray(crop)


def _postprocess(rng: np.random.Generator, img: np.ndarray, kind: str) -> np.ndarray:
    """Soft edges (blur) and mild sensor-like noise, each with p=0.4 (not on photos' noise)."""
    if kind != "photo" and rng.random() < 0.4:
        s = rng.uniform(0.4, 1.2)
        img = ndimage.gaussian_filter(img, sigma=(s, s, 0), mode="reflect")
    if rng.random() < 0.4:
        img = img + rng.normal(0, rng.uniform(0.002, 0.01), img.shape)
    return np.clip(img, 0, 1)


def make_image(seed: int, kind: str, size: int, photos: dict[str, np.ndarray]) -> np.ndarray:
    """One pool image as uint8 HxWx3, fully determined by (seed, kind, size, photo set)."""
    rng = np.random.default_rng(seed)
    if kind == "pink":
        img = pink_image(rng, size)
    elif kind == "leaves":
        img = dead_leaves(rng, size)
    elif kind == "shapes":
        img = shapes_image(rng, size)
    elif kind == "photo":
        img = photo_crop(rng, size, photos)
    else:
        raise ValueError(kind)
    img = _postprocess(rng, img, kind)
    return np.round(img * 255).astype(np.uint8)


def kind_schedule(n: int, photo_share: float, seed: int) -> list[str]:
    """Deterministic list of kinds: photo_share photos, the rest split evenly over procedural kinds."""
    n_photo = int(round(n * photo_share)) if photo_share > 0 else 0
    rest = n - n_photo
    kinds = ["photo"] * n_photo + [("pink", "leaves", "shapes")[i % 3] for i in range(rest)]
    order = np.random.default_rng(seed).permutation(n)
    return [kinds[i] for i in order]


_PHOTOS: dict[str, np.ndarray] = {}


def _make_job(job: tuple[int, str, int]) -> np.ndarray:
    return make_image(job[0], job[1], job[2], _PHOTOS)


def build_pool(split: str, n: int, size: int, photo_share: float, base_seed: int) -> np.ndarray:
    """Build (or load from cache) the N x size x size x 3 uint8 pool for a split."""
    photos_names = TRAIN_PHOTOS if split == "train" else EVAL_PHOTOS
    key = hashlib.sha256(f"v1/{split}/{n}/{size}/{photo_share}/{base_seed}".encode()).hexdigest()[:12]
    cache = ARTIFACTS / f"pool_{split}_{key}.npy"
    if cache.exists():
        return np.load(cache)
    photos = load_photos(photos_names)
    share = photo_share if photos else 0.0
    kinds = kind_schedule(n, share, derive_seed(base_seed, split, "kinds"))
    jobs = [(derive_seed(base_seed, split, i), k, size) for i, k in enumerate(kinds)]
    global _PHOTOS
    _PHOTOS = photos
    # images are independent and individually seeded: 2 processes give identical results
    with mp.get_context("fork").Pool(2) as p:
        out = np.stack(p.map(_make_job, jobs, chunksize=16))
    cache.parent.mkdir(parents=True, exist_ok=True)
    np.save(cache, out)
    log(f"real pool '{split}': {n} images {size}px, kinds "
        f"{ {k: kinds.count(k) for k in KINDS} }, photos {sorted(photos)}")
    return out


def pool_description(split: str, n: int, photo_share: float, base_seed: int) -> dict:
    """Exact composition of a split, for results.json and the model card."""
    photos = load_photos(TRAIN_PHOTOS if split == "train" else EVAL_PHOTOS)
    share = photo_share if photos else 0.0
    kinds = kind_schedule(n, share, derive_seed(base_seed, split, "kinds"))
    return {
        "images": n,
        "counts": {k: kinds.count(k) for k in KINDS},
        "photos_used": sorted(photos),
        "photo_licences": {p: PHOTO_LICENCES[p] for p in sorted(photos)},
    }
