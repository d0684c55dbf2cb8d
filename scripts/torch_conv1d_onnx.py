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
import argparse
import os

import numpy as np
import torch


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
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)

    model = ConvNet().eval()
    n, sites = 400, 16
    spins = np.empty((n, sites), dtype=np.float32)
    spins[:, 0] = rng.choice([-1.0, 1.0], size=n)
    for j in range(1, sites):
        keep = rng.random(n) < 0.8
        spins[:, j] = np.where(keep, spins[:, j - 1], -spins[:, j - 1])
    x = torch.from_numpy(spins)

    activations = []
    hooks = [m.register_forward_hook(lambda _m, _i, out: activations.append(out.detach().clone()))
             for m in (model.act1, model.act2)]
    with torch.no_grad():
        y = model(x)
    for h in hooks:
        h.remove()

    path = os.path.join(args.out, "model.onnx")
    kwargs = dict(input_names=["input"], output_names=["output"],
                  dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}}, opset_version=13)
    try:
        torch.onnx.export(model, x, path, dynamo=False, **kwargs)  # torch >= 2.5: the TorchScript exporter
    except TypeError:
        torch.onnx.export(model, x, path, **kwargs)  # older torch has no 'dynamo' argument

    np.save(os.path.join(args.out, "input.npy"), spins)
    np.save(os.path.join(args.out, "output.npy"), y.numpy())
    for i, a in enumerate(activations, 1):
        np.save(os.path.join(args.out, f"act{i}.npy"), a.numpy())
    print(f"wrote {path} and {len(activations)} activation arrays to {args.out}")


if __name__ == "__main__":
    main()
