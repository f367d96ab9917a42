"""One entry point for the report and the interactive explorer, and the state they share.

The explorer's state, :class:`ExploreState`, is also the IT report's parameter set, so that a
saved file replays with ``gns report it-serverdrift -f FILE.yaml`` (files:
:mod:`gnsanalysis.scenarios.state`). :func:`explore` takes a state and returns every table the
report needs.
"""

from __future__ import annotations

import shlex
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import AfterValidator, BeforeValidator, Field, StrictBool, StrictInt

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
from gnsanalysis.schemas import Model, validate
from gnsanalysis.swedish import format as fmt

# Monte Carlo draws in the IT report: 20 000 by default; 100 000 takes about 15 s and 0.7 GB,
# more is refused before the kernel starts.
MAX_N_DRAWS = 100_000


def _empty_table(value: Any) -> Any:
    """An empty YAML key (``hosts:``) means the empty table, as the notebook's default ``{}``."""
    return {} if value is None else value


def _known_parties(coalition: list[str] | None) -> list[str] | None:
    a = load_assumptions()
    if coalition is not None:
        a.registry.resolve_many(coalition, parties_only=True)  # ParameterError naming the unknown party
    return coalition


def _known_overrides(overrides: dict[str, Any]) -> dict[str, Any]:
    load_assumptions().with_overrides(overrides)  # ParameterError naming the parameter and its range
    return overrides


def _known_sites(hosts: dict[str, str | list[str]]) -> dict[str, str | list[str]]:
    sites = load_assumptions().sites
    for code, value in hosts.items():
        for site in [value] if isinstance(value, str) else value:
            if site not in sites:
                raise ParameterError(f"Okänd plats {site!r} för {code}. Kända: {', '.join(sites)}.")
    return hosts


class ExploreState(Model):
    """The explorer's state: the IT report's scenario parameters, declared once.

    The defaults are the parameters cell's of ``notebooks/it-serverdrift.py`` (a test compares
    them). Names of parties, sites and assumptions are checked against the project's files; those
    problems raise their own ParameterError (Swedish, naming what is known), the rest are rendered
    by :func:`gnsanalysis.schemas.validation_message`.
    """

    coalition: Annotated[list[str] | None, AfterValidator(_known_parties)] = Field(
        default=None, description="Deltagande parter (lista med namn; tom = parterna som markerat intresse)")
    # one spelling per key (``lika`` and ``equal`` are one key): the report lists each key once
    allocation_key: Annotated[str, BeforeValidator(lambda key: parse_key(key).code)] = Field(
        default="usage", description="Fördelningsnyckel för gemensamma kostnader")
    hosts: Annotated[dict[Literal["S1", "S2"], str | list[str]], BeforeValidator(_empty_table),
                     AfterValidator(_known_sites)] = Field(
        default={}, description="Platser för S1 och S2 (plats-id), t.ex. {S1: krokom, S2: [krokom, berg]}")
    n_draws: StrictInt = Field(default=20000, ge=1, le=MAX_N_DRAWS,
                               description="Antal dragningar i Monte Carlo-simuleringen")
    seed: StrictInt = Field(default=20190208, ge=0, description="Startvärde för slumptalen")
    assumptions: Annotated[dict[str, Any], BeforeValidator(_empty_table), AfterValidator(_known_overrides)] = Field(
        default={}, description="Ändrade antaganden (namn: värde eller {low, mode, high})")
    include_outage_risk: StrictBool = Field(
        default=True, description="Räkna med förväntad avbrottskostnad i summorna (ja/nej)")
    per_party: Literal["S1", "S2", "S3", "S4"] = Field(
        default="S1", description="Scenariot som rapporten visar per part (S1–S4)")


STATE_KEYS = tuple(ExploreState.model_fields)
DEFAULT_STATE: dict[str, Any] = ExploreState().model_dump()


def validate_state(state: Mapping | None, source: str = "Parametrarna", model: type[ExploreState] = ExploreState
                   ) -> dict:
    """A complete, checked state (defaults filled in) as a plain dict; a problem raises ParameterError
    (Swedish, naming ``source``, the key, what was found and what was expected)."""
    return validate(model, state, source, ParameterError).model_dump()


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
