"""A network whose RG answer is known exactly, built by PyTorch, on data drawn by NumPy.

OUT_DIR [--seed SEED] writes
  model.onnx   Linear(16, 8) -> Tanh -> Linear(8, 16), exported by torch.onnx.export: hidden
               unit j is tanh(5 x_{2j}), whose sign is site 2j of the ring, so the 8 units are the
               even sites of the chain, whose distribution is exactly the decimated chain R_2(θ0)
  x.npy        6000 exact samples of the periodic Ising ring of 16 sites with K = 0.8, h = 0.2,
               drawn by enumerating its 2^16 configurations (independent of RgLens's samplers)
ProbeRgTests reads them with `rglens probe --model ising`.
"""
import os

import numpy as np
import torch

from torch_onnx_common import arguments, export

K, H, N, SAMPLES = 0.8, 0.2, 16, 6000


def main():
    args = arguments(seed=7)
    rng = np.random.default_rng(args.seed)
    states = ((np.arange(2 ** N)[:, None] >> np.arange(N)) & 1) * 2 - 1
    energy = K * (states * np.roll(states, -1, axis=1)).sum(1) + H * states.sum(1)
    p = np.exp(energy - energy.max())
    x = states[rng.choice(2 ** N, size=SAMPLES, p=p / p.sum())].astype(np.int8)
    np.save(os.path.join(args.out, "x.npy"), x)

    model = torch.nn.Sequential(torch.nn.Linear(N, N // 2), torch.nn.Tanh(), torch.nn.Linear(N // 2, N))
    with torch.no_grad():
        model[0].weight.zero_()
        model[0].bias.zero_()
        for j in range(N // 2):
            model[0].weight[j, 2 * j] = 5.0
    model.eval()
    export(model, torch.zeros(1, N), os.path.join(args.out, "model.onnx"))


if __name__ == "__main__":
    main()
