"""The explorer's redraw after a change, against rebuilding the same figures the board report's way.

Explorer path (what ``gns explore`` does on a change, see gnsanalysis.scenarios.widgets):
light model run + numbers HTML, then the small Monte Carlo (EXPLORE_DRAWS), the tornado for
the chosen scenario and the four charts through the board chart functions on the live SVG surface (an unchanged chart
is reused). Baseline, in the same run: the board report's path for the same figures,
``explore(full=True)`` with the report's draws and the report views (cost chart, uncertainty,
tornado, per-party table). Prints the median times per kind of change (wall-clock and the
process's CPU time, which other load on a shared machine disturbs less), the ratio
to the baseline and whether the 250 ms target is met; and for a number change, how the time
splits between the model (numbers, small Monte Carlo, tornado) and the four charts.

Usage: .venv/bin/python -m bench.explore [--repeat R]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

TARGET_S = 0.250


def _median_of(fn, repeat: int) -> tuple[float, float]:
    """The median wall-clock time of ``repeat`` runs and the median CPU time."""
    runs = []
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        runs.append((time.perf_counter() - t0, time.process_time() - c0))
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv if argv is not None else [])

    from gnsanalysis.scenarios import app, views
    from gnsanalysis.scenarios import state as st
    from gnsanalysis.scenarios.explore import DEFAULT_STATE, explore

    base = st.check_selection(dict(DEFAULT_STATE))
    prices = iter([0.6 + 0.01 * i for i in range(10_000)])
    keys = iter(["equal", "population", "usage"] * 10_000)

    def numbers_only():
        state = dict(base, assumptions={"electricity_price": next(prices)})
        app.numbers_html(app.compute(state, "S1", uncertainty=False))

    def number_change():  # every chart changes
        state = dict(base, assumptions={"electricity_price": next(prices)})
        light = app.compute(state, "S1", uncertainty=False)
        app.numbers_html(light)
        app.charts_html(app.compute(state, "S1", result=light.result))

    def key_change():  # only the per-party chart changes
        state = dict(base, allocation_key=next(keys))
        light = app.compute(state, "S1", uncertainty=False)
        app.numbers_html(light)
        app.charts_html(app.compute(state, "S1", result=light.result))

    def model_only():  # a number change without drawing: numbers, small Monte Carlo, tornado
        state = dict(base, assumptions={"electricity_price": next(prices)})
        light = app.compute(state, "S1", uncertainty=False)
        app.numbers_html(light)
        app.compute(state, "S1", result=light.result)

    def report_way():
        rep = views.ItReport(explore(dict(base, assumptions={"electricity_price": next(prices)}), full=True))
        views.cost_chart(rep), views.uncertainty_view(rep), views.tornado_view(rep), views.party_view(rep)

    load = os.getloadavg()
    number_change()  # warm-up (imports, fonts)
    key_change()
    t_num = _median_of(numbers_only, args.repeat)
    t_all = _median_of(number_change, args.repeat)
    t_key = _median_of(key_change, args.repeat)
    t_model = _median_of(model_only, args.repeat)
    t_rep = _median_of(report_way, 1)
    print(f"baseline (report path, {base['n_draws']} draws):   {t_rep[0] * 1000:8.0f} ms wall")
    for label, (t, cpu) in [("numbers after a change", t_num), ("numbers + charts, number changed", t_all),
                            ("numbers + charts, key changed", t_key)]:
        verdict = "meets" if t <= TARGET_S else "misses"
        print(f"{label:34s} {t * 1000:6.0f} ms wall ({cpu * 1000:4.0f} ms CPU)  {t_rep[0] / t:5.1f}x faster "
              f"than baseline; {verdict} the {TARGET_S * 1000:.0f} ms target")
    print(f"  load average before/after: {load[0]:.2f} / {os.getloadavg()[0]:.2f} (2 cores shared)")
    print(f"  number changed: model {t_model[0] * 1000:.0f} ms, four charts {(t_all[0] - t_model[0]) * 1000:.0f} ms")


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
