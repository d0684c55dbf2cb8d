#!/usr/bin/env python3
"""Exact samples of a periodic 1-D Ising chain drawn with NumPy alone (not by RgLens), as NPY (int8, +-1).

Usage: numpy_ising_samples.py OUT.npy N SAMPLES K H SEED

The first spin is drawn from its exact marginal (transfer matrix T, P(s0) = (T^N)_{s0 s0} / tr T^N);
each next spin from P(s_i | s_{i-1}, s0) = T(s_{i-1}, s_i) (T^{N-i})(s_i, s0) / (T^{N-i+1})(s_{i-1}, s0).
"""
import sys
import numpy as np


def main(argv):
    if len(argv) != 7:
        print(__doc__, file=sys.stderr)
        return 2
    out, n, m, k, h, seed = argv[1], int(argv[2]), int(argv[3]), float(argv[4]), float(argv[5]), int(argv[6])
    spins = np.array([1, -1])
    t = np.exp(k * np.outer(spins, spins) + h * (spins[:, None] + spins[None, :]) / 2)
    t = t / np.max(np.linalg.eigvalsh(t))
    powers = [np.eye(2)]
    for _ in range(n):
        powers.append(powers[-1] @ t)
    rng = np.random.default_rng(seed)
    x = np.empty((m, n), dtype=np.int8)
    z = np.trace(powers[n])
    p0 = powers[n][0, 0] / z
    first = np.where(rng.random(m) < p0, 0, 1)
    prev = first.copy()
    x[:, 0] = spins[first]
    for i in range(1, n):
        rest = powers[n - i]
        num_up = t[prev, 0] * rest[0, first]
        num_dn = t[prev, 1] * rest[1, first]
        up = rng.random(m) < num_up / (num_up + num_dn)
        cur = np.where(up, 0, 1)
        x[:, i] = spins[cur]
        prev = cur
    np.save(out, x)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
