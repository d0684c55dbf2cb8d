#!/usr/bin/env python3
"""Writes the PyTorch Conv1d fixtures of tests/RgLens.Tests/Nn/Fixtures/conv1d (run once; the files are committed).

For each case: x (B, in, S) float64 input, w (out, in, k) and b (out,) weights, g (B, out, S_out) an
upstream gradient; y = conv1d(upsample(x)) (B, out, S_out), and the gradients of sum(y * g) with respect
to w, b and x. Everything in PyTorch's (batch, channels, sites) layout, float64; RgLens's tests move it to
their site-major layout. Needs Debian's python3-torch: /usr/bin/python3 scripts/conv1d_fixtures.py
"""
import os
import numpy as np
import torch

OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "RgLens.Tests", "Nn", "Fixtures", "conv1d")
# name: (batch, in, out, sites, kernel, stride, padding_mode, upsample)
CASES = {
    "circular_s2": (3, 2, 3, 8, 3, 2, "circular", 1),
    "zeros_k5": (2, 2, 3, 8, 5, 1, "zeros", 1),
    "circular_up2": (2, 3, 2, 4, 3, 1, "circular", 2),
    "zeros_s2": (2, 1, 4, 6, 3, 2, "zeros", 1),
    # 16 or more out channels: the engine's site-major product
    "circular_s2_wide": (2, 3, 16, 8, 3, 2, "circular", 1),
    "zeros_up2_wide": (2, 4, 17, 4, 3, 1, "zeros", 2),
}

def main():
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(1234)
    for name, (batch, cin, cout, sites, k, stride, mode, up) in CASES.items():
        conv = torch.nn.Conv1d(cin, cout, k, stride=stride, padding=(k - 1) // 2, padding_mode=mode).double()
        x = torch.randn(batch, cin, sites, dtype=torch.float64, requires_grad=True)
        z = torch.nn.functional.interpolate(x, scale_factor=up, mode="nearest") if up > 1 else x
        y = conv(z)
        g = torch.randn_like(y)
        (y * g).sum().backward()
        arrays = {"x": x, "w": conv.weight, "b": conv.bias, "g": g, "y": y,
                  "dw": conv.weight.grad, "db": conv.bias.grad, "dx": x.grad}
        for key, value in arrays.items():
            np.save(os.path.join(OUT, f"{name}.{key}.npy"), value.detach().numpy().astype(np.float64))
        print(name, tuple(y.shape))

if __name__ == "__main__":
    main()
