"""The paper's reference fingerprint pipeline, with random weights, as ONNX for timing only.

    /usr/bin/python3 bench/reference/export_reference.py OUT.onnx

Per 128x128 crop (docs/methods.md §1): DnCNN-17 residual (3x3 convs, 64 features, BN on layers 2-16,
ReLU on 1-16, no padding: 128 -> 94) -> |DFT2| per channel (plain magnitude, nearest-resized back
to 128; the DFT as matrix products because torch 1.13 cannot export torch.fft) -> ResNet50
encoder (bottlenecks 3-4-6-3, global average pool, 2048-d, L2-normalised). Same I/O contract as
the engine's extractor (input `crops`, outputs `embedding`, `residual`, `spectrum`), so the
benchmark runs both through the same path. ~100 MB: written to a cache, never committed.
"""
import math
import sys

import numpy as np
import torch
from torch import nn

CROP = 128


class DnCNN(nn.Module):
    def __init__(self, layers=17, features=64):
        super().__init__()
        mods = [nn.Conv2d(3, features, 3), nn.ReLU()]
        for _ in range(layers - 2):
            mods += [nn.Conv2d(features, features, 3, bias=False), nn.BatchNorm2d(features), nn.ReLU()]
        mods.append(nn.Conv2d(features, 3, 3))
        self.net = nn.Sequential(*mods)

    def forward(self, x):
        return self.net(x)  # the reference uses the network output itself as the residual


class DFTMagnitude(nn.Module):
    """|F_H X F_W^T| with the nearest resize to 128 folded into the DFT matrices' rows."""

    def __init__(self, n):
        super().__init__()
        k = np.floor(np.arange(CROP) * n / CROP).astype(np.int64)[:, None]
        angle = 2 * math.pi * ((k * np.arange(n)[None, :]) % n) / n
        self.register_buffer("c", torch.from_numpy(np.cos(angle)).float())
        self.register_buffer("s", torch.from_numpy(np.sin(angle)).float())

    def forward(self, x):
        xc = torch.matmul(x, self.c.t())
        xs = torch.matmul(x, self.s.t())
        re = torch.matmul(self.c, xc) - torch.matmul(self.s, xs)
        im = torch.matmul(self.s, xc) + torch.matmul(self.c, xs)
        return torch.sqrt(re * re + im * im)


class Bottleneck(nn.Module):
    def __init__(self, cin, width, stride):
        super().__init__()
        cout = width * 4
        self.body = nn.Sequential(
            nn.Conv2d(cin, width, 1, bias=False), nn.BatchNorm2d(width), nn.ReLU(),
            nn.Conv2d(width, width, 3, stride, 1, bias=False), nn.BatchNorm2d(width), nn.ReLU(),
            nn.Conv2d(width, cout, 1, bias=False), nn.BatchNorm2d(cout))
        self.short = nn.Identity() if stride == 1 and cin == cout else nn.Sequential(
            nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        return torch.relu(self.body(x) + self.short(x))


class ResNet50Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        layers = [nn.Conv2d(3, 64, 7, 2, 3, bias=False), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(3, 2, 1)]
        cin = 64
        for width, blocks, stride in [(64, 3, 1), (128, 4, 2), (256, 6, 2), (512, 3, 2)]:
            for b in range(blocks):
                layers.append(Bottleneck(cin, width, stride if b == 0 else 1))
                cin = width * 4
        self.features = nn.Sequential(*layers)

    def forward(self, x):
        return nn.functional.normalize(self.features(x).mean(dim=(2, 3)), dim=1)


class ReferencePipeline(nn.Module):
    def __init__(self):
        super().__init__()
        self.residual = DnCNN()
        self.spectrum = DFTMagnitude(CROP - 2 * 17)
        self.encoder = ResNet50Encoder()

    def forward(self, crops):
        r = self.residual(crops)
        s = self.spectrum(r)
        return self.encoder(s), r, s


def main():
    out = sys.argv[1]
    torch.manual_seed(0)
    pipe = ReferencePipeline().eval()
    dummy = torch.rand(2, 3, CROP, CROP)
    names = ["embedding", "residual", "spectrum"]
    torch.onnx.export(pipe, dummy, out, opset_version=17, input_names=["crops"], output_names=names,
                      dynamic_axes={"crops": {0: "N"}, **{n: {0: "N"} for n in names}}, do_constant_folding=True)
    print(f"wrote {out}: {sum(p.numel() for p in pipe.parameters()) / 1e6:.1f} M parameters")


if __name__ == "__main__":
    main()
