"""One-at-a-time sensitivity (tornado) and break-even values.

The quantity studied is the difference ``metric(scenario) − metric(versus)`` for the
coalition (default: S1 against S0, net present value): negative means the scenario is cheaper
than today. All variations are priced in one vectorised call.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from scipy.optimize import brentq

from gnsanalysis.errors import ParameterError
from gnsanalysis.scenarios.api import METRIC_LABELS, evaluate, resolve_coalition
from gnsanalysis.scenarios.assumptions import Assumptions, load_assumptions, unknown_parameter_message
from gnsanalysis.scenarios.montecarlo import metric_batch
from gnsanalysis.swedish.format import join_list, number

TORNADO_LABELS = {
    "parameter": "Parameter", "label": "Antagande", "unit": "Enhet", "low": "Låg", "base": "Troligast",
    "high": "Hög", "value_low": "Skillnad vid låg", "value_high": "Skillnad vid hög",
    "swing": "Utslag", "guess": "Uppskattning utan källa",
}
BREAK_EVEN_LABELS = {
    "parameter": "Parameter", "label": "Antagande", "unit": "Enhet", "base": "Troligast",
    "break_even": "Brytpunkt", "low": "Låg", "high": "Hög", "within_range": "Inom intervallet",
    "guess": "Uppskattning utan källa", "message": "Tolkning",
}


class _Difference:
    """metric(scenario) − metric(versus) as a vectorised function of parameter arrays."""

    def __init__(self, scenario, versus, coalition, metric, hosts, assumptions):
        self.assumptions = assumptions
        parties, _ = resolve_coalition(coalition, assumptions)
        names = [p.name for p in parties]
        self.a = evaluate(scenario, names, hosts=hosts, assumptions=assumptions)
        self.b = evaluate(versus, names, assumptions=assumptions) if versus else None
        for r in (self.a, self.b):
            if r is not None and not r.feasible:
                raise ParameterError(f"{r.title} går inte att genomföra: {r.explanation}")
        self.metric = metric
        self.base = assumptions.base_params()

    def __call__(self, params: dict) -> np.ndarray:
        va = np.asarray(metric_batch(self.a, params, self.metric)[0], float)
        if self.b is None:
            return va
        return va - np.asarray(metric_batch(self.b, params, self.metric)[0], float)

    def vary(self, name: str, values) -> np.ndarray:
        values = np.asarray(values, dtype=float)
        params = {k: np.full(values.shape, v) for k, v in self.base.items()}
        params[name] = values
        return self(params)

    @property
    def description(self) -> str:
        if self.b is None:
            return f"{METRIC_LABELS[self.metric]} för {self.a.title}"
        return f"{METRIC_LABELS[self.metric]}: {self.a.title} minus {self.b.title}"


def tornado(scenario: str = "S1", versus: str | None = "S0", coalition=None, *,
            metric: str = "npv", hosts=None, overrides: Mapping | None = None,
            assumptions: Assumptions | None = None) -> pd.DataFrame:
    """Each uncertain parameter at its low and high value, the others at their most likely; largest swing first."""
    assumptions = (assumptions or load_assumptions()).with_overrides(overrides)
    diff = _Difference(scenario, versus, coalition, metric, hosts, assumptions)
    varied = [p for p in assumptions.parameters.values() if not p.fixed]
    k = len(varied)
    params = {name: np.full(2 * k, v) for name, v in diff.base.items()}
    for i, p in enumerate(varied):
        params[p.name][2 * i:2 * i + 2] = p.low, p.high
    values = diff(params)
    base_value = float(diff(dict(diff.base)))
    df = pd.DataFrame({
        "parameter": [p.name for p in varied], "label": [p.label for p in varied],
        "unit": [p.unit for p in varied], "low": [p.low for p in varied],
        "base": [p.mode for p in varied], "high": [p.high for p in varied],
        "value_low": values[0::2], "value_high": values[1::2],
        "guess": [p.guess for p in varied],
    })
    df["swing"] = (df["value_high"] - df["value_low"]).abs()
    df = df.sort_values("swing", ascending=False, kind="stable").reset_index(drop=True)
    df.attrs.update(labels=TORNADO_LABELS, base_value=base_value, description=diff.description,
                    scenario=scenario, versus=versus, metric=metric)
    return df


#: How many widths of an assumption's range the break-even search looks beyond it, each side.
WIDEN = 3.0


def break_even(scenario: str = "S1", versus: str = "S0", coalition=None, *,
               parameters: Sequence[str] | None = None, top: int = 5, metric: str = "npv",
               hosts=None, assumptions: Assumptions | None = None) -> pd.DataFrame:
    """Each parameter's value (others at most likely) where ``scenario`` costs as much as ``versus``.

    Defaults to the tornado's ``top`` continuous parameters; the range is widened by :data:`WIDEN`
    widths each side (not below 0); NaN when there is no sign change.
    """
    assumptions = assumptions or load_assumptions()
    diff = _Difference(scenario, versus, coalition, metric, hosts, assumptions)
    if parameters is None:
        t = tornado(scenario, versus, coalition, metric=metric, hosts=hosts, assumptions=assumptions)
        cont = [n for n in t["parameter"] if not assumptions.parameters[n].integer]
        parameters = cont[:top]
    rows = []
    base_value = float(diff(dict(diff.base)))
    for name in parameters:
        if name not in assumptions.parameters:
            raise ParameterError(unknown_parameter_message(name, assumptions.parameters))
        p = assumptions.parameters[name]
        width = (p.high - p.low) or abs(p.mode) or 1.0
        lo = max(0.0, p.low - WIDEN * width) if p.low >= 0 else p.low - WIDEN * width
        hi = p.high + WIDEN * width
        grid = np.linspace(lo, hi, 241)
        vals = diff.vary(name, grid)
        sign = np.sign(vals)
        cells = np.nonzero(sign[:-1] * sign[1:] <= 0)[0]
        value = float("nan")
        if len(cells):
            # the crossing nearest the most likely value
            i = cells[np.argmin(np.abs(grid[cells] - p.mode))]
            a, b = grid[i], grid[i + 1]
            if vals[i] == 0 or vals[i + 1] == 0:
                value = float(a if vals[i] == 0 else b)
            else:
                value = float(brentq(lambda x, name=name: float(diff.vary(name, [x])[0]), a, b,
                                     xtol=1e-9 * max(1.0, abs(b))))
        within = bool(np.isfinite(value) and p.low <= value <= p.high)
        rows.append({
            "parameter": name, "label": p.label, "unit": p.unit, "base": p.mode,
            "break_even": value, "low": p.low, "high": p.high, "within_range": within,
            "guess": p.guess,
            "message": _break_even_message(p, value, within, base_value, diff),
        })
    df = pd.DataFrame(rows)
    df.attrs.update(labels=BREAK_EVEN_LABELS, base_value=base_value, description=diff.description)
    return df


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _fmt(value: float) -> str:
    if value == int(value) and abs(value) < 100:
        return number(value, 0)
    decimals = 0 if abs(value) >= 100 else 2 if abs(value) < 10 else 1
    return number(value, decimals)


def _break_even_message(p, value, within, base_value, diff) -> str:
    a = diff.a.title
    b = diff.b.title if diff.b is not None else "noll"
    if not np.isfinite(value):
        who = a if base_value < 0 else b
        return (f"Ingen brytpunkt: {who} är billigast för alla värden på {_lower_first(p.label)} mellan "
                f"{_fmt(max(0.0, p.low - WIDEN * (p.high - p.low)))} och {_fmt(p.high + WIDEN * (p.high - p.low))} "
                f"{p.unit} (antagandets intervall är {_fmt(p.low)}–{_fmt(p.high)}), när övriga antaganden har "
                "sina troligaste värden.")
    where = "inom" if within else "utanför"
    return (f"{a} och {b} kostar lika mycket när {_lower_first(p.label)} är {_fmt(value)} {p.unit} "
            f"(troligast {_fmt(p.mode)}; brytpunkten ligger {where} intervallet "
            f"{_fmt(p.low)}–{_fmt(p.high)}).")


def guess_dependence(tornado_df: pd.DataFrame, assumptions: Assumptions | None = None) -> dict:
    """Share of the tornado's squared swings from guessed parameters, top guesses and a Swedish sentence."""
    sq = tornado_df["swing"].to_numpy(dtype=float) ** 2
    total = float(sq.sum())
    guess = tornado_df["guess"].to_numpy(dtype=bool)
    share = float(sq[guess].sum() / total) if total else 0.0
    top = [lbl for lbl, g in zip(tornado_df["label"], guess) if g][:3]
    a, b = tornado_df.attrs.get("scenario"), tornado_df.attrs.get("versus")
    desc = f"jämförelsen mellan {a} och {b}" if b else f"kostnaden för {a}"
    mostly = "vilar till största delen på uppskattningar utan källa" if share >= 0.5 \
        else "vilar till största delen på antaganden med källa"
    text = (f"{desc[0].upper() + desc[1:]} {mostly}: {number(100 * share)} % av känsligheten "
            f"kommer från sådana uppskattningar, främst {join_list(['”' + _lower_first(t) + '”' for t in top])}.")
    return {"share": share, "top_guesses": top, "text": text}
