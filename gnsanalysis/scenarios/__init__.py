"""IT-serverdrift scenarios (issue 6): cost model, uncertainty, fairness, DSO options.

Public surface (DataFrames have English snake_case columns; ``df.attrs["labels"]`` maps them to
Swedish display labels; ``attrs`` also carry Swedish sentences such as ``text``):

Assumptions
    load_assumptions() -> Assumptions; .table(), .base_params(), .with_overrides(mapping);
    sample(assumptions, n, seed); guess_summary().
Scenarios
    evaluate(scenario, coalition=None, params=None, *, hosts=None) -> ScenarioResult
    compare_scenarios(coalition=None, params=None, *, hosts=None) -> DataFrame
    party_costs(scenario, coalition=None, params=None, *, keys=...) -> DataFrame
    shapley(scenario, coalition=None) -> DataFrame
Uncertainty
    run_montecarlo(n, seed, coalition=None, ...) -> MonteCarloResult (.summary(), .party_summary())
    tornado(scenario="S1", versus="S0") -> DataFrame; break_even(...) -> DataFrame
    discovery_rules(mc, target="S1") -> DataFrame
Redundancy and DSO
    site_distances() -> DataFrame; dso_options(participants=None) -> DsoResult
Explorer
    explore(overrides=None, full=True) -> dict; state.save_scenario(name, description, state);
    state.load_scenario(path); widgets.build_explorer() (ipywidgets)
"""

from gnsanalysis.scenarios.api import (
    COMPARE_LABELS,
    METRIC_LABELS,
    PARTY_LABELS,
    SHAPLEY_LABELS,
    ScenarioResult,
    allocation_keys,
    coalition_costs,
    compare_scenarios,
    evaluate,
    party_costs,
    shapley,
    shapley_values,
)
from gnsanalysis.scenarios.assumptions import Assumptions, Parameter, guess_summary, load_assumptions, sample
from gnsanalysis.scenarios.discovery import discovery_rules, fit_tree
from gnsanalysis.scenarios.dso import DsoResult, dso_claims, dso_options
from gnsanalysis.scenarios.explore import explore, validate_state
from gnsanalysis.scenarios.feasibility import default_coalition, load_matrix, offered_sites
from gnsanalysis.scenarios.model import COMPONENT_LABELS, SCENARIO_CODES, SCENARIO_LABELS, SCENARIO_SHORT
from gnsanalysis.scenarios.montecarlo import MonteCarloResult, metric_one_at_a_time, run_montecarlo
from gnsanalysis.scenarios.redundancy import haversine_km, site_distances
from gnsanalysis.scenarios.sensitivity import break_even, guess_dependence, tornado

__all__ = [
    "COMPARE_LABELS", "COMPONENT_LABELS", "METRIC_LABELS", "PARTY_LABELS", "SCENARIO_CODES",
    "SCENARIO_LABELS", "SCENARIO_SHORT", "SHAPLEY_LABELS", "Assumptions", "DsoResult",
    "MonteCarloResult", "Parameter", "ScenarioResult", "allocation_keys", "break_even",
    "coalition_costs", "compare_scenarios", "default_coalition", "discovery_rules",
    "dso_claims", "dso_options", "evaluate", "explore", "fit_tree", "guess_summary",
    "haversine_km", "load_assumptions", "load_matrix",
    "metric_one_at_a_time", "offered_sites", "party_costs", "run_montecarlo", "sample",
    "shapley", "shapley_values", "site_distances",
    "tornado", "validate_state", "guess_dependence",
]
