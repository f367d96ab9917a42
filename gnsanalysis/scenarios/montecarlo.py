"""Seeded Monte Carlo over the assumption ranges, vectorised.

All draws of a scenario are priced in ONE call of :func:`gnsanalysis.scenarios.model.compute`
with parameter arrays of length n; :func:`metric_one_at_a_time` evaluates the same draws one
by one through the same function (for the equality test and the benchmark).

Sites for S1/S2 are fixed before drawing (the cheapest feasible choice at the most likely
values, or the ones given), so every draw compares the same physical alternatives.
Per-party figures split the joint cost in proportion to the allocation key's exact weights
(floats; the whole-krona split of :mod:`gnsanalysis.parties.allocation` is used in the tables).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from gnsanalysis.errors import ParameterError
from gnsanalysis.parties.allocation import key_weights
from gnsanalysis.scenarios.api import (
    METRIC_LABELS,
    ScenarioResult,
    evaluate,
    halls_for,
    metric_parts,
    resolve_coalition,
    usage_of,
)
from gnsanalysis.scenarios.assumptions import Assumptions, load_assumptions, sample
from gnsanalysis.scenarios.model import SCENARIO_CODES, compute

SUMMARY_LABELS = {
    "scenario": "Scenario", "title": "Scenario", "p10": "P10", "p50": "P50 (median)",
    "p90": "P90", "mean": "Medelvärde", "prob_beats_s0": "Sannolikhet billigare än nuläget",
    "prob_cheapest": "Sannolikhet billigast", "party": "Part", "short": "Part", "code": "Kod",
    "prob_below_standalone": "Sannolikhet lägre än ensam i nuläget",
}


def metric_batch(result: ScenarioResult, params: dict, metric: str = "npv"):
    """Coalition metric (n,), per-party direct part (n, P) and joint part (n,) for a batch of parameters."""
    ctx = result.ctx
    assert ctx is not None  # evaluate() gives every result a context
    d, j, c = compute(result.scenario, params, ctx, np.ones(ctx.n_parties), halls_for(result.sites, ctx))
    direct, joint = metric_parts(d, j, c, ctx, params["discount_rate"], metric)
    return direct.sum(axis=-1) + joint, direct, joint


def metric_one_at_a_time(result: ScenarioResult, draws: Mapping[str, np.ndarray], metric: str = "npv") -> np.ndarray:
    """The same metric, evaluating each draw separately (scalar parameters)."""
    n = len(next(iter(draws.values())))
    out = np.empty(n)
    for i in range(n):
        params = {k: float(v[i]) for k, v in draws.items()}
        out[i] = float(metric_batch(result, params, metric)[0])
    return out


@dataclass
class MonteCarloResult:
    """Monte Carlo draws and the resulting metric per scenario and per party."""
    n: int
    seed: int
    metric: str
    key: str
    draws: pd.DataFrame
    values: dict[str, np.ndarray]  # scenario -> (n,)
    party_values: dict[str, np.ndarray]  # scenario -> (n, members)
    parties: list
    results: dict[str, ScenarioResult] = field(repr=False, default_factory=dict)
    infeasible: dict[str, str] = field(default_factory=dict)

    def cheapest(self) -> np.ndarray:
        """Code of the cheapest feasible scenario in each draw."""
        codes = list(self.values)
        stack = np.vstack([self.values[c] for c in codes])
        return np.array(codes)[np.argmin(stack, axis=0)]

    def summary(self) -> pd.DataFrame:
        """P10/P50/P90/mean per scenario, probability of beating S0 and of being cheapest."""
        base = self.values.get("S0")
        cheapest = self.cheapest()
        rows = []
        for code, v in self.values.items():
            q10, q50, q90 = np.percentile(v, [10, 50, 90])
            rows.append({
                "scenario": code, "title": self.results[code].title, "p10": q10, "p50": q50,
                "p90": q90, "mean": float(v.mean()),
                "prob_beats_s0": float(np.mean(v < base)) if base is not None and code != "S0"
                else float("nan"),
                "prob_cheapest": float(np.mean(cheapest == code)),
            })
        df = pd.DataFrame(rows)
        df.attrs.update(labels=SUMMARY_LABELS, metric=self.metric,
                        metric_label=METRIC_LABELS[self.metric], n=self.n, seed=self.seed,
                        infeasible=self.infeasible)
        return df

    def party_summary(self) -> pd.DataFrame:
        """P10/P50/P90 per scenario and party, and the probability that the party's cost is
        below its own stand-alone S0 cost in the same draw."""
        alone = self.party_values.get("S0")
        rows = []
        for code, v in self.party_values.items():
            for i, p in enumerate(self.parties):
                q10, q50, q90 = np.percentile(v[:, i], [10, 50, 90])
                rows.append({
                    "scenario": code, "code": p.code, "party": p.name, "short": p.short,
                    "p10": q10, "p50": q50, "p90": q90,
                    "prob_below_standalone": float(np.mean(v[:, i] < alone[:, i]))
                    if alone is not None and code != "S0" else float("nan"),
                })
        df = pd.DataFrame(rows)
        df.attrs.update(labels=SUMMARY_LABELS, metric=self.metric, key=self.key)
        return df


def run_montecarlo(n: int = 20000, seed: int | None = None, coalition=None, *,
                   scenarios: Sequence[str] = SCENARIO_CODES, hosts: Mapping | None = None,
                   key: str = "usage", metric: str = "npv",
                   assumptions: Assumptions | None = None) -> MonteCarloResult:
    """Draw ``n`` parameter sets (seeded) and price every feasible scenario on all of them.

    Infeasible scenarios are left out of the values and listed in ``infeasible`` with their
    Swedish explanation. ``key`` splits joint costs per party (default: servers).
    """
    assumptions = assumptions or load_assumptions()
    if metric not in METRIC_LABELS:
        raise ParameterError(f"Okänt mått {metric!r}; välj {', '.join(METRIC_LABELS)}.")
    seed = int(assumptions.settings["default_seed"]) if seed is None else int(seed)
    draws = sample(assumptions, n, seed)
    parties, _ = resolve_coalition(coalition, assumptions)
    _, weights, _meta = key_weights(key, [p.name for p in parties], assumptions.registry,
                                    usage=usage_of(assumptions, parties))
    w = np.array([float(x) for x in weights])
    values, party_values, results, infeasible = {}, {}, {}, {}
    for code in scenarios:
        res = evaluate(code, [p.name for p in parties], None, hosts=(hosts or {}).get(code), assumptions=assumptions)
        results[code] = res
        if not res.feasible:
            infeasible[code] = res.explanation
            continue
        tot, direct, joint = metric_batch(res, draws, metric)
        values[code] = np.asarray(tot, float)
        ctx = res._computed()[3]
        member_idx = [ctx.index(p.code) for p in parties]
        party_values[code] = direct[:, member_idx] + np.asarray(joint)[:, None] * w[None, :]
    return MonteCarloResult(
        n=n, seed=seed, metric=metric, key=key, draws=pd.DataFrame(draws), values=values,
        party_values=party_values, parties=parties, results=results, infeasible=infeasible,
    )

