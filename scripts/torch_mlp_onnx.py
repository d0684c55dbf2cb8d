#!/usr/bin/env python3
"""Builds a small tanh MLP in PyTorch and writes what RgLens's round-trip test compares against.

Usage: python3 scripts/torch_mlp_onnx.py OUT_DIR [--seed 7]

Writes to OUT_DIR:
  model.onnx           the MLP exported with torch.onnx.export (input "input" [batch, 12])
  input.npy            float32 inputs, 50 x 12
  output.npy           PyTorch's outputs, 50 x 12
  act1.npy, act2.npy   the activations of the two hidden tanh layers, 50 x 8 and 50 x 4
  W1.npy, b1.npy, ...  the weights (out x in) and biases of the three Linear layers
"""
import os

import numpy as np
import torch

from torch_onnx_common import arguments, run_and_export


def main():
    args = arguments(7)

    widths = [12, 8, 4, 12]
    linears = [torch.nn.Linear(a, b) for a, b in zip(widths[:-1], widths[1:])]
    model = torch.nn.Sequential(linears[0], torch.nn.Tanh(), linears[1], torch.nn.Tanh(), linears[2]).eval()

    x = torch.randn(50, widths[0], dtype=torch.float32)
    path, activations = run_and_export(model, x, [m for m in model if isinstance(m, torch.nn.Tanh)], args.out)
    for i, lin in enumerate(linears, 1):
        np.save(os.path.join(args.out, f"W{i}.npy"), lin.weight.detach().numpy())
        np.save(os.path.join(args.out, f"b{i}.npy"), lin.bias.detach().numpy())
    print(f"wrote {path} and {len(activations)} activation arrays to {args.out}")


if __name__ == "__main__":
    main()
