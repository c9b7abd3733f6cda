"""Fresh "real" content for the attribution sets, one named stream per use.

Why streams: a query must never show content that any reference image of the same experiment
showed (otherwise a content match could pass for a generator match). Image i of stream S is
`make_image(derive_seed(run seed, "attribution-content", S, i), kind, size, photos)`, the same
procedural recipe as the EVAL real pool, so two streams (or two indices) never share a seed.

The only content that seeds cannot separate is the photo kind: crops of the 3 held-out skimage
photos (EVAL_PHOTOS). Each photo is therefore cut in half along its long side: images with the
role "reference" crop from the first half, images with the role "query" from the second half.
A query and a reference can thus never show the same photo pixels.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

from ..common import derive_seed
from ..data.real_pool import EVAL_PHOTOS, kind_schedule, load_photos, make_image

ROLES = ("reference", "query")
PHOTO_SHARE = 0.2  # same share as the pools the extractor and the generators know


@lru_cache(maxsize=None)
def role_photos(role: str) -> dict[str, np.ndarray]:
    """The held-out photos cut to the half that `role` may crop from (see module doc)."""
    if role not in ROLES:
        raise ValueError(role)
    out = {}
    for name, img in load_photos(EVAL_PHOTOS).items():
        axis = 0 if img.shape[0] > img.shape[1] else 1
        cut = img.shape[axis] // 2
        part = img[:cut] if axis == 0 else img[:, :cut]
        if role == "query":
            part = img[cut:] if axis == 0 else img[:, cut:]
        out[name] = np.ascontiguousarray(part)
    return out


class ContentStream:
    """`n` content images of one size from the named stream; kinds fixed per stream."""

    def __init__(self, name: str, n: int, size: int, run_seed: int, kinds: tuple[str, ...] | None = None) -> None:
        self.name, self.n, self.size, self.run_seed = name, n, size, run_seed
        if kinds is None:
            self.kinds = kind_schedule(n, PHOTO_SHARE, derive_seed(run_seed, "attribution-kinds", name))
        else:  # a single-kind stream (fine-tune content): cycle the given kinds
            self.kinds = [kinds[i % len(kinds)] for i in range(n)]

    def image(self, i: int, role: str) -> np.ndarray:
        """uint8 [size,size,3]; deterministic in (run seed, stream name, i, role)."""
        if not 0 <= i < self.n:
            raise IndexError(f"{self.name}: index {i} outside 0..{self.n - 1}")
        seed = derive_seed(self.run_seed, "attribution-content", self.name, i)
        return make_image(seed, self.kinds[i], self.size, role_photos(role))

    def batch(self, indices: range | list[int], roles: list[str]) -> np.ndarray:
        """uint8 [len,size,size,3] for the given indices, each with its role."""
        return np.stack([self.image(i, r) for i, r in zip(indices, roles)])

    def describe(self) -> dict:
        """Manifest entry: the stream's rule and its kind counts."""
        return {
            "stream": self.name,
            "images": self.n,
            "size": self.size,
            "seed_rule": f"derive_seed({self.run_seed}, 'attribution-content', '{self.name}', i)",
            "kinds": {k: self.kinds.count(k) for k in sorted(set(self.kinds))},
            "photos": f"{list(EVAL_PHOTOS)}; 'reference' role crops the first half of each photo "
                      "(long side), 'query' role the second half",
        }
