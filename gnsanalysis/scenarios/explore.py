"""One entry point for the report and the interactive explorer, and the parameter YAML.

The explorer's state is a flat mapping (also the notebook's parameter set, so that a saved
file replays with ``gns report it-serverdrift -f FILE.yaml``; files: :mod:`gnsanalysis.scenarios.state`)::

    coalition: [Krokom, Östersund, ...]   # null = parties that seek/offer space in the matrix
    allocation_key: usage                 # equal | population | usage | budget | "1/3 equal + 2/3 population"
    hosts: {S1: krokom, S2: [krokom, berg]}   # optional; default = cheapest feasible
    n_draws: 20000
    seed: 20190208
    assumptions: {electricity_price: 1.2, pue_hall: {low: 1.2, mode: 1.4, high: 1.6}}

:func:`explore` takes that mapping and returns every table the report needs.
"""

from __future__ import annotations

import difflib
import shlex
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from gnsanalysis import paths
from gnsanalysis.errors import ParameterError
from gnsanalysis.parties.allocation import parse_key
from gnsanalysis.scenarios.api import compare_scenarios, party_costs, shapley
from gnsanalysis.scenarios.assumptions import guess_summary, load_assumptions
from gnsanalysis.scenarios.discovery import discovery_rules
from gnsanalysis.scenarios.dso import dso_options
from gnsanalysis.scenarios.model import SCENARIO_CODES
from gnsanalysis.scenarios.montecarlo import run_montecarlo
from gnsanalysis.scenarios.redundancy import site_distances
from gnsanalysis.scenarios.sensitivity import break_even, guess_dependence, tornado
from gnsanalysis.swedish import format as fmt

STATE_KEYS = {
    "coalition": "Deltagande parter (lista med namn; tom = parterna som markerat intresse)",
    "allocation_key": "Fördelningsnyckel för gemensamma kostnader",
    "hosts": "Platser för S1 och S2 (plats-id)",
    "n_draws": "Antal dragningar i Monte Carlo-simuleringen",
    "seed": "Startvärde för slumptalen",
    "assumptions": "Ändrade antaganden (namn: värde eller {low, mode, high})",
    "include_outage_risk": "Räkna med förväntad avbrottskostnad i summorna (ja/nej)",
    "per_party": "Scenariot som rapporten visar per part (S1–S4)",
}
DEFAULT_STATE: dict[str, Any] = {  # values checked by validate_state (they come from files people write)
    "coalition": None, "allocation_key": "usage", "hosts": {}, "n_draws": 20000,
    "seed": 20190208, "assumptions": {}, "include_outage_risk": True, "per_party": "S1",
}


def validate_state(state: Mapping | None) -> dict:
    """A complete, checked state; unknown names raise ParameterError (Swedish)."""
    out = {k: (dict(v) if isinstance(v, dict) else v) for k, v in DEFAULT_STATE.items()}
    if state is None:
        return out
    if not isinstance(state, Mapping):
        raise ParameterError(f"Parametrarna ska vara en tabell (namn: värde), inte {type(state).__name__}.")
    for name, value in state.items():
        if name not in STATE_KEYS:
            close = difflib.get_close_matches(str(name), list(STATE_KEYS), n=1)
            hint = f" Menade du {close[0]!r}?" if close else ""
            raise ParameterError(f"Okänd parameter {name!r}.{hint} Kända: {', '.join(STATE_KEYS)}.")
        out[name] = value
    a = load_assumptions()
    a.with_overrides(out["assumptions"] or {})  # validates names and values
    if out["coalition"] is not None:
        if isinstance(out["coalition"], str) or not all(isinstance(x, str) for x in out["coalition"]):
            raise ParameterError("Parametern 'coalition' ska vara en lista med partsnamn.")
        a.registry.resolve_many(out["coalition"], parties_only=True)
        out["coalition"] = list(out["coalition"])
    # one spelling per key (``lika`` and ``equal`` are one key): the report lists each key once
    out["allocation_key"] = parse_key(out["allocation_key"]).code
    out["hosts"] = _checked_hosts(out["hosts"] or {}, a.sites)
    _check_settings(out)
    return out


def _checked_hosts(hosts, sites) -> dict:
    """``{S1: site, S2: [site, site]}`` with every site known."""
    if not isinstance(hosts, Mapping):
        raise ParameterError("Parametern 'hosts' ska vara en tabell, t.ex. {S1: krokom}.")
    for code, value in hosts.items():
        if code not in ("S1", "S2"):
            raise ParameterError(f"Platser kan bara anges för S1 och S2, inte {code!r}.")
        for site in [value] if isinstance(value, str) else list(value):
            if site not in sites:
                raise ParameterError(f"Okänd plats {site!r} för {code}. Kända: {', '.join(sites)}.")
    return dict(hosts)


def _check_settings(out: dict) -> None:
    """The yes/no, scenario and count parameters."""
    if not isinstance(out["include_outage_risk"], bool):
        raise ParameterError("Parametern 'include_outage_risk' ska vara true eller false, inte "
                             f"{out['include_outage_risk']!r}.")
    if out["per_party"] not in SCENARIO_CODES[1:]:
        raise ParameterError(f"Parametern 'per_party' ska vara ett av {', '.join(SCENARIO_CODES[1:])}, "
                             f"inte {out['per_party']!r}.")
    for name in ("n_draws", "seed"):
        v = out[name]
        if isinstance(v, bool) or not isinstance(v, int) or v < (1 if name == "n_draws" else 0):
            raise ParameterError(f"Parametern {name!r} ska vara ett positivt heltal, inte {v!r}.")


REPORT = "it-serverdrift"


def display_path(path: Path) -> str:
    """The path as typed in the project root: relative there, absolute elsewhere."""
    path = Path(path).resolve()
    root = paths.PROJECT_ROOT.resolve()
    return str(path.relative_to(root)) if path.is_relative_to(root) else str(path)


def replay_command(path: Path) -> str:
    """``.venv/bin/gns report it-serverdrift -f parametrar/x.yaml``, working when pasted in the project root.

    The project's own ``.venv/bin/gns`` (what ``make reports`` sets up), so that it works in a fresh
    shell without an activated environment.
    """
    return f".venv/bin/gns report {REPORT} -f {shlex.quote(display_path(path))}"


def plain_values(value):
    """Numpy scalars and tuples turned into plain YAML-safe Python values (recursively)."""
    if isinstance(value, Mapping):
        return {str(k): plain_values(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain_values(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    return value


def explore(overrides: Mapping | None = None, *, full: bool = True) -> dict:
    """Every result for a state (see module doc).

    Always: ``state``, ``assumptions`` (Assumptions with overrides), ``parameters`` (table),
    ``guesses`` (dict with Swedish ``text``), ``compare`` (compare_scenarios),
    ``party_costs`` (scenario -> DataFrame for the chosen key plus equal and population).
    With ``full=True`` also: ``shapley`` (S1), ``montecarlo`` (MonteCarloResult),
    ``mc_summary``, ``mc_party``, ``tornado``, ``break_even``, ``rules``, ``distances``,
    ``dso`` (DsoResult).
    """
    state = validate_state(overrides)
    a = load_assumptions().with_overrides(state["assumptions"]).with_settings(
        include_outage_risk=state["include_outage_risk"])
    out = {"state": state, "assumptions": a, "parameters": a.table(), "guesses": guess_summary(a)}
    cmp = compare_scenarios(state["coalition"], None, hosts=state["hosts"], assumptions=a)  # overridden modes in `a`
    out["compare"] = cmp
    keys = list(dict.fromkeys([state["allocation_key"], "equal", "population"]))
    out["party_costs"] = {code: party_costs(res, keys=keys, assumptions=a)
                          for code, res in cmp.attrs["results"].items() if res.feasible}
    if full:
        out.update(_board_results(state, cmp, a))
    return out


def _board_results(state: dict, cmp, a) -> dict:
    """What only the board report shows: Shapley, the full Monte Carlo, tornado, break-even,
    discovery rules, site distances and the DSO options."""
    results = cmp.attrs["results"]
    feasible = [c for c in SCENARIO_CODES if results[c].feasible]
    hosts = {c: [s.id for s in results[c].sites] for c in ("S1", "S2") if results[c].feasible}
    out: dict = {}
    if results["S1"].feasible:
        out["shapley"] = shapley("S1", state["coalition"], hosts=None, assumptions=a)
    mc = run_montecarlo(state["n_draws"], state["seed"], state["coalition"], scenarios=feasible,
                        hosts=hosts, key=state["allocation_key"], assumptions=a)
    out.update(montecarlo=mc, mc_summary=mc.summary(), mc_party=mc.party_summary())
    if results["S1"].feasible:
        out["tornado"] = tornado("S1", "S0", state["coalition"], hosts=hosts.get("S1"), assumptions=a)
        out["guess_dependence"] = guess_dependence(out["tornado"], a)
        out["break_even"] = break_even("S1", "S0", state["coalition"], hosts=hosts.get("S1"), assumptions=a)
        out["rules"] = discovery_rules(mc, "S1", assumptions=a)
    out["distances"] = site_distances(a)
    out["dso"] = dso_options()
    return out


# --------------------------------------------------------------------------- figures shown to people

def party_rows(result: dict, scenario: str, key: str) -> list[tuple[str, float, float]]:
    """(party short name, total tkr, alone in S0 tkr) for one key, sum-preserving as in ``views.party_view``."""
    per = result["party_costs"].get(scenario)
    if per is None:
        return []
    sub = per[per["key"] == key_code(per, key)]
    totals = fmt.round_preserving_sum([v / 1000 for v in sub["total"]])
    alone = fmt.round_preserving_sum([v / 1000 for v in sub["standalone"]])
    return [(s, float(t), float(a)) for s, t, a in zip(sub["short"], totals, alone)]


def key_code(per, key: str) -> str:
    """The code under which ``per`` (one scenario's party costs) holds ``key``."""
    code = parse_key(key).code
    return code if code in set(per["key"]) else key


def pays_more_text(result: dict, scenario: str, key: str) -> str:
    """One Swedish sentence: who pays more in ``scenario`` with ``key`` than alone today."""
    per = result["party_costs"].get(scenario)
    if per is None:
        return ""
    title = per.attrs.get("scenario_title", scenario)
    mine = per[per["key"] == key_code(per, key)]
    if mine.empty:
        return ""
    label = mine["key_label"].iloc[0]
    sub = mine[mine["pays_more"]]
    if sub.empty:
        return f"I {title} betalar ingen part mer än ensam i nuläget med nyckeln {label}."
    who = [f"{r.party} {fmt.kr(r.difference)}" for r in sub.itertuples()]
    tail = "den skulle betala ensam i nuläget" if len(who) == 1 else "de skulle betala var för sig i nuläget"
    return f"I {title} betalar {fmt.join_list(who)} mer med nyckeln {label} än {tail}."
