"""Vectorised Monte Carlo against evaluating one draw at a time, in the same run.

Both paths call the same model (:func:`gnsanalysis.scenarios.montecarlo.metric_batch`): the
vectorised one once with parameter arrays of length N, the baseline N times with scalars.
The baseline is timed on a subset of draws and scaled per draw (it is linear in N); the
results on that subset are checked to be equal. Prints times, draws per second and the ratio.

Usage: .venv/bin/python -m bench.montecarlo [--draws N] [--loop-draws M] [--repeat R]
"""

from __future__ import annotations

import argparse
import time

import numpy as np


def _best_of(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=20000)
    parser.add_argument("--loop-draws", type=int, default=400)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv if argv is not None else [])

    from gnsanalysis.scenarios import SCENARIO_CODES, evaluate, load_assumptions, sample
    from gnsanalysis.scenarios.montecarlo import metric_batch, metric_one_at_a_time, run_montecarlo

    a = load_assumptions()
    draws = sample(a, args.draws, seed=1)
    results = [evaluate(code, assumptions=a) for code in SCENARIO_CODES]
    results = [r for r in results if r.feasible]
    subset = {k: v[: args.loop_draws] for k, v in draws.items()}

    def vectorised():
        for r in results:
            metric_batch(r, draws)

    def looped():
        for r in results:
            metric_one_at_a_time(r, subset)

    # equality on the subset, through the same model
    for r in results:
        np.testing.assert_allclose(metric_batch(r, subset)[0], metric_one_at_a_time(r, subset),
                                   rtol=1e-12)

    vectorised()  # warm-up
    t_vec = _best_of(vectorised, args.repeat)
    t_loop_subset = _best_of(looped, 1)
    t_loop = t_loop_subset / args.loop_draws * args.draws
    t0 = time.perf_counter()
    run_montecarlo(args.draws, seed=1, assumptions=a)
    t_full = time.perf_counter() - t0

    n_s = len(results)
    print(f"scenarios: {n_s}, draws: {args.draws} (one-at-a-time timed on {args.loop_draws} and "
          "scaled per draw)")
    print(f"vectorised:       {t_vec:8.3f} s  ({args.draws * n_s / t_vec:,.0f} scenario-draws/s)")
    print(f"one at a time:    {t_loop:8.3f} s  ({args.draws * n_s / t_loop:,.0f} scenario-draws/s)")
    print(f"ratio (loop/vec): {t_loop / t_vec:8.1f} x")
    print(f"run_montecarlo({args.draws}) end to end incl. sampling and summaries setup: "
          f"{t_full:.3f} s")


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
