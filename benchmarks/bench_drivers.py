"""Benchmark key driver analysis on 1,000,000 survey responses x 12 drivers.

Run: ``python benchmarks/bench_drivers.py`` (with the project's virtual environment). Prints the median of 5 runs
of ``lmg`` (exact, 2**12 subsets) and ``relative_weights``, plus a sampled LMG and a 50-replicate bootstrap on a
smaller sample for scale. Target: LMG on 1M x 12 in at most 2 s on a 2-core machine.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable

import numpy as np

from heed.stats.drivers import lmg, relative_weights

N, P, REPEATS, TARGET_S = 1_000_000, 12, 5, 2.0


def survey(n: int, p: int, seed: int = 20240601) -> tuple[np.ndarray, np.ndarray]:
    """0-10 attribute ratings sharing a halo factor, and an overall rating driven by them (deterministic)."""
    rng = np.random.default_rng(seed)
    halo = rng.normal(size=(n, 1))
    latent = halo * np.linspace(0.4, 0.9, p) + rng.normal(size=(n, p))
    X = np.clip(np.rint(6.5 + 1.6 * latent), 0, 10)
    beta = np.linspace(0.05, 0.35, p)
    y = np.clip(np.rint(0.8 + (X - 6.5) @ beta + 6.5 + rng.normal(scale=1.2, size=n)), 0, 10)
    return X, y


def median_time(fn: Callable[[], object], repeats: int = REPEATS) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    X, y = survey(N, P)
    print(f"{N:,} responses x {P} drivers, {os.cpu_count()} CPUs, numpy {np.__version__}")
    res = lmg(X, y)
    print(f"R² = {res.r2:.4f}; LMG shares (%): {', '.join(f'{v:.1f}' for v in res.percent)}")
    t_lmg = median_time(lambda: lmg(X, y))
    t_rw = median_time(lambda: relative_weights(X, y))
    verdict = "ok" if t_lmg <= TARGET_S else "MISSED"
    print(f"lmg (exact)        median of {REPEATS}: {t_lmg:.3f} s  [target <= {TARGET_S:.0f} s: {verdict}]")
    print(f"relative_weights   median of {REPEATS}: {t_rw:.3f} s")
    t_mc = median_time(lambda: lmg(X, y, exact_max=11))
    print(f"lmg (sampled, 4000 orderings) median of {REPEATS}: {t_mc:.3f} s")
    Xs, ys = X[:100_000], y[:100_000]
    t_boot = median_time(lambda: lmg(Xs, ys, bootstrap=50, seed=1), repeats=1)
    print(f"lmg + 50 bootstrap replicates on 100,000 responses: {t_boot:.3f} s")


if __name__ == "__main__":
    main()
