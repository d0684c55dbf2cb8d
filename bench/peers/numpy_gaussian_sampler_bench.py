#!/usr/bin/env python3
"""Peer baseline: exact sampling of a Gaussian chain with NumPy, written the obvious way.

The chain p(x) ∝ exp(-(a/2) Σ x_i² + K Σ x_i x_{i+1} + h Σ x_i) has precision matrix Q (a on the
diagonal, -K on the bonds). Samples are mu + z @ L.T with L = cholesky(inv(Q)) from numpy.linalg
and z standard normal, in batches of 4096. Prints samples per second for the open chain and the
ring (compare with `rglens bench sample --model gaussian` run in the same session).
Run with /usr/bin/python3 (Debian's python3-numpy).
"""
import json, sys, time
import numpy as np

def precision(n, a, K, periodic):
    q = np.diag(np.full(n, a))
    for i in range(n - 1 + periodic):
        j = (i + 1) % n
        q[i, j] -= K
        q[j, i] -= K
    return q

def bench(n, a, K, h, periodic, batch, seconds, rng):
    q = precision(n, a, K, periodic)
    cov = np.linalg.inv(q)
    mu = cov @ np.full(n, h)
    L = np.linalg.cholesky(cov)
    x = mu + rng.standard_normal((64, n)) @ L.T  # warm-up
    reps, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        x = mu + rng.standard_normal((batch, n)) @ L.T
        reps += 1
    dt = time.perf_counter() - t0
    return {"boundary": "periodic" if periodic else "open", "samples_per_s": round(reps * batch / dt, 1),
            "check_second_moment": round(float((x * x).mean()), 4)}

n, a, K, h, batch, seconds = 1024, 1.0, 0.4, 0.0, 4096, 3.0
rng = np.random.default_rng(0)
results = [bench(n, a, K, h, p, batch, seconds, rng) for p in (False, True)]
print(json.dumps({"peer": "numpy", "version": np.__version__, "model": "gaussian", "N": n, "a": a, "K": K, "h": h,
                  "batch": batch, "method": "dense cholesky (numpy.linalg) + matmul", "results": results}))
