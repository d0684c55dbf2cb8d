#!/usr/bin/env python3
"""Builds a small 1-D convolutional network in PyTorch and writes what RgLens's NCW probe test compares against.

Usage: python3 scripts/torch_conv1d_onnx.py OUT_DIR [--seed 3]

The network takes a chain of 16 spins as [batch, 16], views it as [batch, 1, 16] (NCW) and applies
Conv1d(1, 3, 3, stride 2, zero padding 1) -> Tanh -> Conv1d(3, 2, 3, stride 2, padding 1) -> Tanh
-> Flatten -> Linear(8, 4), so its two hidden layers are [batch, C, W] tensors: 3 channels of 8
sites, then 2 channels of 4 sites (ONNX's and PyTorch's channel-major layout).

Writes to OUT_DIR:
  model.onnx           the network exported with torch.onnx.export (input "input" [batch, 16])
  input.npy            float32 +-1 spins, 400 x 16 (an Ising-like chain: each spin repeats the last with probability 0.8)
  output.npy           PyTorch's outputs, 400 x 4
  act1.npy, act2.npy   the two Tanh outputs as PyTorch has them, 400 x 3 x 8 and 400 x 2 x 4
"""
import os

import numpy as np
import torch

from torch_onnx_common import arguments, run_and_export


class ConvNet(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = torch.nn.Conv1d(1, 3, 3, stride=2, padding=1)
        self.conv2 = torch.nn.Conv1d(3, 2, 3, stride=2, padding=1)
        self.head = torch.nn.Linear(8, 4)
        self.act1 = torch.nn.Tanh()
        self.act2 = torch.nn.Tanh()

    def forward(self, x):
        h = self.act1(self.conv1(x.unsqueeze(1)))
        h = self.act2(self.conv2(h))
        return self.head(h.flatten(1))


def main():
    args = arguments(3)
    rng = np.random.default_rng(args.seed)

    model = ConvNet().eval()
    n, sites = 400, 16
    spins = np.empty((n, sites), dtype=np.float32)
    spins[:, 0] = rng.choice([-1.0, 1.0], size=n)
    for j in range(1, sites):
        keep = rng.random(n) < 0.8
        spins[:, j] = np.where(keep, spins[:, j - 1], -spins[:, j - 1])
    x = torch.from_numpy(spins)

    path, activations = run_and_export(model, x, [model.act1, model.act2], args.out)
    print(f"wrote {path} and {len(activations)} activation arrays to {args.out}")


if __name__ == "__main__":
    main()
