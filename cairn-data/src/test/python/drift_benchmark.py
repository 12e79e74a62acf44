#!/usr/bin/env python3
"""The same drift computation as DriftBenchmark.java with SciPy, single thread.

1 million rows x 20 columns (12 numeric, 8 categorical), reference and current, the same generators
(normal, log-normal, integer-valued; categorical with skewed frequencies). Per column the test Evidently
picks for these sizes: normed Wasserstein (scipy.stats.wasserstein_distance / std) for numeric columns,
Jensen-Shannon distance on category proportions for categorical ones.

    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 python3 cairn-data/src/test/python/drift_benchmark.py
"""
import sys
import time

import numpy as np
from scipy import stats
from scipy.spatial import distance

NUMERIC = 12
CATEGORICAL = 8


def generate(rows, seed, shifted):
    rng = np.random.default_rng(seed)
    numeric = []
    for c in range(NUMERIC):
        g = rng.standard_normal(rows) + (0.2 if shifted and c % 3 == 0 else 0.0)
        numeric.append([100 + 15 * g, np.exp(g), np.floor(50 + 20 * g)][c % 3])
    categorical = []
    for c in range(CATEGORICAL):
        k = 5 + 10 * c
        names = np.array([f"cat{c}_{j}" for j in range(k)], dtype=object)
        skew = 1.6 if shifted and c % 2 == 0 else 1.2
        idx = np.minimum(k - 1, np.floor(k * rng.random(rows) ** skew).astype(int))
        categorical.append(names[idx])
    return numeric, categorical


def drift(reference, current):
    results = []
    cpu = time.process_time()
    for r, c in zip(reference[0], current[0]):
        results.append(stats.wasserstein_distance(r, c) / max(np.std(r), 0.001))
    print(f"  numeric columns: {time.process_time() - cpu:.3f} s CPU")
    cpu = time.process_time()
    for r, c in zip(reference[1], current[1]):
        keys = np.union1d(np.unique(r), np.unique(c))
        rv, rc = np.unique(r, return_counts=True)
        cv, cc = np.unique(c, return_counts=True)
        rp = np.zeros(len(keys))
        cp = np.zeros(len(keys))
        rp[np.searchsorted(keys, rv)] = rc / len(r)
        cp[np.searchsorted(keys, cv)] = cc / len(c)
        results.append(distance.jensenshannon(rp, cp))
    print(f"  categorical columns: {time.process_time() - cpu:.3f} s CPU")
    return results


def main():
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    reference = generate(rows, 1, False)
    current = generate(rows, 2, True)
    for run in range(2):
        wall = time.perf_counter()
        cpu = time.process_time()
        results = drift(reference, current)
        print(f"run {run + 1}: {time.perf_counter() - wall:.3f} s wall, {time.process_time() - cpu:.3f} s CPU")
    print(f"rows={rows} columns={NUMERIC + CATEGORICAL} drifted={sum(1 for x in results if x >= 0.1)}")


if __name__ == "__main__":
    main()
