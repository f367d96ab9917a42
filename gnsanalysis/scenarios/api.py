"""Evaluate scenarios for coalitions, compare them, split them per party (frames with English
column ids; ``df.attrs["labels"]`` maps them to Swedish labels; infeasible results carry ``feasible=False``).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from gnsanalysis.errors import ParameterError
from gnsanalysis.parties.allocation import allocate_by_key, parse_key
from gnsanalysis.parties.registry import Party
from gnsanalysis.scenarios.assumptions import Assumptions, Site, load_assumptions, unknown_parameter_message
from gnsanalysis.scenarios.model import (
    BUDGET_COMPONENTS,
    COMPONENT_LABELS,
    COMPONENTS,
    SCENARIO_CODES,
    SCENARIO_LABELS,
    SCENARIO_SHORT,
    Context,
    Hall,
    compute,
    discount,
    joint_cash,
    party_cash,
    totals,
)
from gnsanalysis.swedish.format import join_list
from gnsanalysis.swedish.rounding import round_half_up_int

from . import feasibility as feas

METRIC_LABELS = {
    "npv": "Nuvärde (kassaflöde, 5 år)",
    "cost": "Kostnad 5 år (redovisning, inkl. risk)",
    "budget": "Budgetkostnad 5 år (exkl. risk)",
    "risk": "Förväntad avbrottskostnad 5 år",
}

#: Allocation keys compared per party (``usage`` = servers, from the example demand).
DEFAULT_KEYS = ("equal", "population", "usage", "1/3 equal + 2/3 population")


# --------------------------------------------------------------------------- inputs
def context(assumptions: Assumptions) -> Context:
    """The model context (parties, populations, horizon and settings) built from ``assumptions``."""
    s = assumptions.settings
    pops = [float(q.value) if (q := d.party.quantity("population")) is not None else 0.0 for d in assumptions.demand]
    return Context(
        codes=tuple(d.party.code for d in assumptions.demand),
        names=tuple(d.party.name for d in assumptions.demand),
        servers=np.array([d.servers for d in assumptions.demand], dtype=float),
        rooms=np.array([d.rooms for d in assumptions.demand], dtype=float),
        population=np.array(pops, dtype=float),
        contract=np.array([d.s0_mode == "contract" for d in assumptions.demand]),
        horizon=assumptions.horizon,
        hours_per_year=float(s["hours_per_year"]),
        servers_per_rack=float(s["servers_per_rack"]),
        facility_years=float(s["facility_depreciation_years"]),
        max_dep_years=int(s["max_depreciation_years"]),
        include_risk=bool(s["include_outage_risk"]),
    )


def resolve_params(assumptions: Assumptions, params: Mapping | None) -> dict:
    """Base (most likely) values updated with ``params``; unknown names raise ParameterError."""
    out: dict[str, float | np.ndarray] = dict(assumptions.base_params())
    for name, value in (params or {}).items():
        if name not in out:
            raise ParameterError(unknown_parameter_message(name, out))
        out[name] = value if isinstance(value, np.ndarray) else float(value)
    return out


def resolve_coalition(coalition, assumptions: Assumptions) -> tuple[list[Party], bool]:
    """Parties in registry order and whether they were named explicitly."""
    if coalition is None:
        return feas.default_coalition(assumptions), False
    names = [p.name if isinstance(p, Party) else str(p) for p in coalition]
    chosen = assumptions.registry.resolve_many(names, parties_only=True)
    order = {d.party.code: i for i, d in enumerate(assumptions.demand)}
    return sorted(chosen, key=lambda p: order[p.code]), True


def resolve_sites(hosts, assumptions: Assumptions) -> list[Site]:
    """Sites given as Site objects, site ids, labels, towns or host names (None = no sites)."""
    out = []
    for h in [hosts] if isinstance(hosts, str | Site) else hosts or []:
        if isinstance(h, Site) or h in assumptions.sites:
            out.append(h if isinstance(h, Site) else assumptions.sites[h])
            continue
        match = [s for s in assumptions.sites.values()
                 if str(h).casefold() in (s.label.casefold(), s.town.casefold())
                 or assumptions.registry.lookup(str(h)) == s.host]
        if len(match) != 1:
            raise ParameterError(f"Okänd plats {h!r}. Kända platser: "
                                 f"{', '.join(f'{s.id} ({s.label})' for s in assumptions.sites.values())}.")
        out.append(match[0])
    return out


def halls_for(sites: Sequence[Site], ctx: Context) -> tuple[Hall, ...]:
    """The halls of S1/S2 for the chosen sites: host party index, or external."""
    return tuple(
        Hall(s.id, None if not s.host.party or s.host.code not in ctx.codes
             else ctx.index(s.host.code), external=not s.host.party)
        for s in sites
    )


# --------------------------------------------------------------------------- result
@dataclass
class ScenarioResult:
    """A priced scenario for one coalition (arrays carry a leading batch axis for draws)."""

    scenario: str
    coalition: list[Party]
    sites: list[Site]
    feasible: bool
    explanation: str
    notes: list[str]
    reasons: list[str]
    params: dict = field(repr=False, default_factory=dict)
    direct: dict | None = field(repr=False, default=None)
    joint: dict | None = field(repr=False, default=None)
    cash: dict | None = field(repr=False, default=None)
    ctx: Context | None = field(repr=False, default=None)
    assumptions: Assumptions | None = field(repr=False, default=None)

    @property
    def label(self) -> str:
        """The scenario's Swedish description."""
        return SCENARIO_LABELS[self.scenario]

    @property
    def title(self) -> str:
        """The scenario code, short name and sites (e.g. ``S2 Två hallar (Åre, Östersund)``)."""
        where = f" ({join_list([s.label for s in self.sites])})" if self.sites else ""
        return f"{self.scenario} {SCENARIO_SHORT[self.scenario]}{where}"

    @property
    def totals(self) -> dict:
        """``cost``, ``budget``, ``risk``, ``npv`` and yearly arrays; NaN when infeasible."""
        if not self.feasible:
            nan = float("nan")
            return {"cost": nan, "budget": nan, "risk": nan, "npv": nan}
        direct, joint, cash, ctx = self._computed()
        return totals(direct, joint, cash, self.params, ctx)

    def metric(self, name: str = "npv"):
        """The scenario's total for metric ``name`` (one of :data:`METRIC_LABELS`)."""
        if name not in METRIC_LABELS:
            raise ParameterError(f"Okänt mått {name!r}; välj {', '.join(METRIC_LABELS)}.")
        return self.totals[name]

    def _computed(self) -> tuple[dict, dict, dict, Context]:
        """The computed arrays and the members' context; an infeasible scenario is an error."""
        if not self.feasible:
            raise ParameterError(f"{self.title} går inte att genomföra: {self.explanation}")
        # evaluate() prices every feasible scenario, so these are set
        assert self.direct is not None and self.joint is not None and self.cash is not None
        assert self.ctx is not None
        return self.direct, self.joint, self.cash, self.ctx

    def yearly(self) -> pd.DataFrame:
        """Accounting cost per component and year (``y1``..``yT``, ``total``), with total and cash-flow rows."""
        direct, joint, _cash, ctx = self._computed()
        T = ctx.horizon
        if np.ndim(joint[COMPONENTS[0]]) != 1:  # every component has the batch shape
            raise ParameterError("yearly() kräver skalära parametrar (en beräkning).")
        rows = {c: direct[c].sum(axis=-2) + joint[c] for c in COMPONENTS}
        tot = self.totals
        rows["total"] = tot["yearly_cost"]
        rows["cash_flow"] = tot["yearly_cash"]
        rate = float(self.params["discount_rate"])
        rows["discounted"] = tot["yearly_cash"] / (1 + rate) ** np.arange(1, T + 1)
        df = pd.DataFrame(rows, index=[f"y{i}" for i in range(1, T + 1)]).T
        df["total"] = df.sum(axis=1)
        df.index.name = "component"
        df.attrs["labels"] = COMPONENT_LABELS | {
            "total": "Summa kostnad", "cash_flow": "Kassaflöde",
            "discounted": "Diskonterat kassaflöde",
        } | {f"y{i}": f"År {i}" for i in range(1, T + 1)}
        df.attrs["discount_rate"] = rate
        return df

    def party_direct(self, metric: str = "npv") -> np.ndarray:
        """Direct (own) cost per party (..., P) under ``metric``."""
        return metric_parts(*self._computed(), self.params["discount_rate"], metric)[0]


def metric_parts(direct: dict, joint: dict, cash: dict, ctx: Context, rate,
                 metric: str = "npv") -> tuple[np.ndarray, np.ndarray]:
    """Per-party direct (..., P) and joint (...) parts of ``metric`` for computed cost arrays."""
    if metric == "npv":
        rate = np.asarray(rate, float)
        return discount(party_cash(direct, cash, ctx), rate[..., None]), discount(joint_cash(joint, cash, ctx), rate)
    comps = metric_components(metric, ctx)
    return (np.asarray(sum(direct[c] for c in comps)).sum(axis=-1),
            np.asarray(sum(joint[c] for c in comps)).sum(axis=-1))


def metric_components(metric: str, ctx: Context) -> tuple[str, ...]:
    """The cost components summed by ``metric`` (``cost`` includes the risk only when the model does)."""
    if metric in ("budget", "risk", "cost"):
        return {"budget": BUDGET_COMPONENTS, "risk": ("outage_risk",),
                "cost": COMPONENTS if ctx.include_risk else BUDGET_COMPONENTS}[metric]
    raise ParameterError(f"Okänt mått {metric!r}; välj {', '.join(METRIC_LABELS)}.")


# --------------------------------------------------------------------------- evaluate
def evaluate(scenario: str, coalition: Iterable | None = None, params: Mapping | None = None, *,
             hosts=None, assumptions: Assumptions | None = None,
             allow_unoffered_hosts: bool = False) -> ScenarioResult:
    """Price ``scenario`` (``"S0"``..``"S4"``) for ``coalition`` (party names/codes; None =
    the parties that seek or offer space in the stakeholder matrix) with ``params`` (overrides
    of the most likely values; numbers or equal-length numpy arrays for a batch).

    ``hosts`` (S1: one site id, S2: two) defaults to the cheapest feasible choice at the base
    values. Never raises for an infeasible combination: ``result.feasible`` is False and
    ``result.explanation`` says why in Swedish. Unknown scenario, party, site or parameter
    names raise ParameterError.
    """
    assumptions = assumptions or load_assumptions()
    scenario = _scenario(scenario)
    parties, _explicit = resolve_coalition(coalition, assumptions)
    p = resolve_params(assumptions, params)
    ctx = context(assumptions)
    if hosts is None and scenario in ("S1", "S2"):
        return _best_hosts(scenario, parties, p, assumptions, ctx, allow_unoffered_hosts)
    sites = resolve_sites(hosts, assumptions)
    return _evaluate_at(scenario, parties, sites, p, assumptions, ctx, allow_unoffered_hosts)


def _scenario(code: str) -> str:
    code = str(code).strip().upper()
    if code not in SCENARIO_CODES:
        raise ParameterError(f"Okänt scenario {code!r}; välj {', '.join(SCENARIO_CODES)}.")
    return code


def _evaluate_at(scenario, parties, sites, p, assumptions, ctx, allow_unoffered_hosts):
    f = feas.check(scenario, parties, sites, assumptions, allow_unoffered_hosts=allow_unoffered_hosts)
    result = ScenarioResult(scenario, list(parties), list(sites), f.ok,
                            " ".join(f.reasons) if not f.ok else "", f.notes, f.reasons,
                            params=p, ctx=ctx, assumptions=assumptions)
    if not f.ok:
        return result
    # price only the members: arrays are (..., members, T), registry order
    sub = ctx.subset([q.code for q in parties])
    direct, joint, cash = compute(scenario, p, sub, np.ones(sub.n_parties), halls_for(sites, sub))
    result.direct, result.joint, result.cash, result.ctx = direct, joint, cash, sub
    return result


def candidate_site_sets(scenario: str, assumptions: Assumptions, allow_unoffered_hosts=False):
    """Every set of sites the scenario could use: one site for S1, two for the others."""
    sites = list(assumptions.sites.values()) if allow_unoffered_hosts else feas.offered_sites(assumptions)
    k = 1 if scenario == "S1" else 2
    return [list(c) for c in itertools.combinations(sites, k)]


def _best_hosts(scenario, parties, p, assumptions, ctx, allow_unoffered_hosts):
    base = resolve_params(assumptions, None)
    best, failures = None, []
    for sites in candidate_site_sets(scenario, assumptions, allow_unoffered_hosts):
        res = _evaluate_at(scenario, parties, sites, base, assumptions, ctx, allow_unoffered_hosts)
        if not res.feasible:
            failures.extend(res.reasons)  # per site: a site in several pairs is explained once
            continue
        value = float(res.metric("npv"))
        if best is None or value < best[0]:
            best = (value, sites)
    if best is None:
        # the example-data remark once, after every site's reason
        failures = [r for r in dict.fromkeys(failures) if r != feas.EXAMPLE_CAPACITY] + (
            [feas.EXAMPLE_CAPACITY] if feas.EXAMPLE_CAPACITY in failures else [])
        reasons = ["Ingen erbjuden plats räcker för den här samverkan.", *failures]
        return ScenarioResult(scenario, list(parties), [], False, " ".join(reasons),
                              feas.membership_notes(parties), reasons, params=p, ctx=ctx,
                              assumptions=assumptions)
    res = _evaluate_at(scenario, parties, best[1], p, assumptions, ctx, allow_unoffered_hosts)
    res.notes.append(f"Platsen valdes som den billigaste möjliga (nuvärde med troligaste "
                     f"värden): {join_list([s.label for s in best[1]])}.")
    return res


# --------------------------------------------------------------------------- comparisons
COMPARE_LABELS = {
    "scenario": "Scenario", "title": "Scenario", "label": "Beskrivning", "feasible": "Genomförbart",
    "explanation": "Förklaring", "sites": "Plats", "cost": METRIC_LABELS["cost"],
    "budget": METRIC_LABELS["budget"], "risk": METRIC_LABELS["risk"], "npv": METRIC_LABELS["npv"],
    "npv_vs_s0": "Nuvärde jämfört med nuläget", "cost_vs_s0": "Kostnad jämfört med nuläget",
}


class SharedResults(dict):
    """The priced scenarios of a comparison, by code, kept in ``df.attrs["results"]``.

    pandas deep-copies ``attrs`` into every frame derived from the comparison (each
    ``cmp[...]``, ``itertuples`` row, arithmetic result); copying the priced arrays each time
    cost more than the pricing. The results are not changed after the comparison, so derived
    frames share them instead of copying.
    """

    def __deepcopy__(self, memo) -> SharedResults:
        return self


def compare_scenarios(coalition=None, params: Mapping | None = None, *, hosts: Mapping | None = None,
                      scenarios: Sequence[str] = SCENARIO_CODES,
                      assumptions: Assumptions | None = None,
                      allow_unoffered_hosts: bool = False) -> pd.DataFrame:
    """One row per scenario: feasibility, 5-year cost, budget, risk, NPV and differences against S0.

    ``hosts`` maps scenario -> site id(s); ``df.attrs["results"]`` holds the :class:`ScenarioResult` objects.
    """
    assumptions = assumptions or load_assumptions()
    results = {
        s: evaluate(s, coalition, params, hosts=(hosts or {}).get(s), assumptions=assumptions,
                    allow_unoffered_hosts=allow_unoffered_hosts)
        for s in scenarios
    }
    base = results.get("S0") or evaluate("S0", coalition, params, assumptions=assumptions)
    bt = base.totals
    rows = []
    for code, r in results.items():
        t = r.totals
        rows.append({
            "scenario": code, "title": r.title, "label": r.label, "feasible": r.feasible,
            "explanation": r.explanation or " ".join(r.notes),
            "sites": ", ".join(s.id for s in r.sites),
            "cost": float(t["cost"]), "budget": float(t["budget"]), "risk": float(t["risk"]),
            "npv": float(t["npv"]), "npv_vs_s0": float(t["npv"] - bt["npv"]),
            "cost_vs_s0": float(t["cost"] - bt["cost"]),
        })
    df = pd.DataFrame(rows)
    df.attrs.update(labels=COMPARE_LABELS, results=SharedResults(results),
                    coalition=[p.name for p in base.coalition],
                    discount_rate=float(base.params["discount_rate"]))
    return df


def usage_of(assumptions: Assumptions, parties: Sequence[Party]) -> dict[str, float]:
    """Servers per party name (the ``usage`` allocation key)."""
    servers = {d.party.code: d.servers for d in assumptions.demand}
    return {p.name: servers[p.code] for p in parties}


PARTY_LABELS = {
    "scenario": "Scenario", "code": "Kod", "party": "Part", "short": "Part", "key": "Nyckel",
    "key_label": "Fördelningsnyckel", "direct": "Egna kostnader", "joint_share": "Andel av gemensamma",
    "total": "Summa", "standalone": "Ensam i nuläget", "difference": "Skillnad mot ensam",
    "pays_more": "Betalar mer än ensam",
}


def party_costs(scenario: str | ScenarioResult, coalition=None, params=None, *,
                keys: Sequence = DEFAULT_KEYS, metric: str = "npv", hosts=None,
                assumptions: Assumptions | None = None) -> pd.DataFrame:
    """Each member's direct cost plus its whole-krona share of the joint cost, per key (``usage`` = servers)."""
    assumptions = assumptions or load_assumptions()
    res = scenario if isinstance(scenario, ScenarioResult) else evaluate(
        scenario, coalition, params, hosts=hosts, assumptions=assumptions)
    ctx = res._computed()[3]
    parties = res.coalition
    direct, joint = metric_parts(*res._computed(), res.params["discount_rate"], metric)
    if np.ndim(joint) != 0:
        raise ParameterError("party_costs() kräver skalära parametrar; använd Monte Carlo-"
                             "funktionerna för fördelningar.")
    alone = evaluate("S0", [p.name for p in parties], res.params, assumptions=assumptions)
    alone_direct = alone.party_direct(metric)
    usage = usage_of(assumptions, parties)
    joint_kr = round_half_up_int(joint)
    rows = []
    example = assumptions.demand_example
    for key in keys:
        df = allocate_by_key(joint_kr, key, [p.name for p in parties], assumptions.registry, usage=usage)
        example = example or bool(df.attrs.get("example"))
        for _, row in df.iterrows():
            i = ctx.index(row["code"])
            d = round_half_up_int(direct[i])
            total = d + int(row["share"])
            sa = round_half_up_int(alone_direct[i])
            rows.append({
                "scenario": res.scenario, "code": row["code"], "party": row["party"],
                "short": row["short"], "key": df.attrs["key"], "key_label": df.attrs["key_label"],
                "direct": d, "joint_share": int(row["share"]), "total": total,
                "standalone": sa, "difference": total - sa, "pays_more": total > sa,
            })
    out = pd.DataFrame(rows)
    out.attrs.update(labels=PARTY_LABELS, metric=metric, metric_label=METRIC_LABELS[metric],
                     joint_total=joint_kr, example=example, scenario_title=res.title)
    return out


# --------------------------------------------------------------------------- Shapley
def coalition_costs(scenario: str, players: Sequence[Party], params=None, *, metric="npv",
                    hosts=None, assumptions: Assumptions | None = None,
                    allow_unoffered_hosts: bool = False) -> dict[int, float]:
    """Characteristic cost function over all 2^n subsets of ``players`` (bitmask -> cost).

    c(S) = min(cost of S doing ``scenario`` at its cheapest feasible site(s), sum of the
    members' stand-alone S0 costs): a coalition only does the joint solution when it pays
    for it as a whole. ``hosts`` fixes the site(s) instead of letting each subset choose.
    All subsets are priced in one vectorised call per candidate site set.
    """
    assumptions = assumptions or load_assumptions()
    scenario = _scenario(scenario)
    ctx = context(assumptions)
    p = resolve_params(assumptions, params)
    if any(np.ndim(v) for v in p.values()):
        raise ParameterError("Shapley-värdet beräknas med skalära parametrar.")
    subsets = range(1 << len(players))
    members_of = [[q for i, q in enumerate(players) if s >> i & 1] for s in subsets]
    masks = np.zeros((len(subsets), ctx.n_parties))
    for s, members in enumerate(members_of):
        masks[s, [ctx.index(q.code) for q in members]] = 1.0

    def batch(code, sites):
        d, j, c = compute(code, p, ctx, masks, halls_for(sites, ctx))
        return np.asarray(totals(d, j, c, p, ctx)[metric], dtype=float)

    alone = batch("S0", [])
    best = alone.copy()
    if scenario in ("S1", "S2"):
        site_sets = [resolve_sites(hosts, assumptions)] if hosts is not None else \
            candidate_site_sets(scenario, assumptions, allow_unoffered_hosts)
        for sites in site_sets:
            ok = np.array([
                bool(members) and feas.check(scenario, members, sites, assumptions,
                                             allow_unoffered_hosts=allow_unoffered_hosts).ok
                for members in members_of
            ])
            values = batch(scenario, sites)
            best = np.where(ok, np.minimum(best, values), best)
    elif scenario != "S0":
        best = np.minimum(best, batch(scenario, []))
    best[0] = 0.0
    return {s: float(best[s]) for s in subsets}


def shapley_values(costs: Mapping[int, float], n: int) -> np.ndarray:
    """Exact Shapley value of an n-player cost game given as bitmask -> cost."""
    fact = [math.factorial(k) for k in range(n + 1)]
    phi = np.zeros(n)
    for s, cs in costs.items():
        size = bin(s).count("1")
        for i in range(n):
            if s >> i & 1:
                continue
            weight = fact[size] * fact[n - size - 1] / fact[n]
            phi[i] += weight * (costs[s | 1 << i] - cs)
    return phi


SHAPLEY_LABELS = {
    "code": "Kod", "party": "Part", "short": "Part", "shapley": "Shapley-andel",
    "standalone": "Ensam i nuläget", "saving": "Besparing mot ensam",
}


def shapley(scenario: str, coalition=None, params=None, *, metric: str = "npv", hosts=None,
            assumptions: Assumptions | None = None) -> pd.DataFrame:
    """Exact Shapley split of the coalition's cost of ``scenario`` over all 2^n subsets (sums to c(N))."""
    assumptions = assumptions or load_assumptions()
    players, _ = resolve_coalition(coalition, assumptions)
    if not players:
        raise ParameterError("Shapley-värdet kräver minst en part.")
    costs = coalition_costs(scenario, players, params, metric=metric, hosts=hosts, assumptions=assumptions)
    phi = shapley_values(costs, len(players))
    alone = [costs[1 << i] for i in range(len(players))]
    df = pd.DataFrame({
        "code": [p.code for p in players], "party": [p.name for p in players],
        "short": [p.short for p in players], "shapley": phi, "standalone": alone,
        "saving": np.array(alone) - phi,
    })
    df.attrs.update(labels=SHAPLEY_LABELS, grand_cost=costs[(1 << len(players)) - 1],
                    metric=metric, metric_label=METRIC_LABELS[metric], scenario=scenario)
    return df


def allocation_keys() -> dict[str, str]:
    """Allocation keys offered in the explorer (code -> Swedish label)."""
    out = {k: parse_key(k).label for k in DEFAULT_KEYS}
    out["usage"] = "användning (servrar)"
    return out

