"""Monte Carlo, tornado, break-even and scenario discovery (no timings asserted)."""

from __future__ import annotations

import numpy as np
import pytest

from gnsanalysis.scenarios import (
    break_even,
    discovery_rules,
    evaluate,
    fit_tree,
    load_assumptions,
    metric_one_at_a_time,
    run_montecarlo,
    sample,
    tornado,
)
from gnsanalysis.scenarios.montecarlo import metric_batch


def test_sampling_is_reproducible_and_within_ranges():
    a = load_assumptions()
    d1, d2 = sample(a, 500, seed=7), sample(a, 500, seed=7)
    d3 = sample(a, 500, seed=8)
    assert all(np.array_equal(d1[k], d2[k]) for k in d1)
    assert not np.array_equal(d1["electricity_price"], d3["electricity_price"])
    for name, p in a.parameters.items():
        assert d1[name].min() >= p.low and d1[name].max() <= p.high
    tri = sample(a, 500, seed=7, distribution="triangular")
    assert not np.array_equal(tri["electricity_price"], d1["electricity_price"])


def test_montecarlo_reproducible_with_seed():
    m1 = run_montecarlo(300, seed=3)
    m2 = run_montecarlo(300, seed=3)
    for code in m1.values:
        assert np.array_equal(m1.values[code], m2.values[code])
    s = m1.summary()
    assert list(s["scenario"]) == ["S0", "S1", "S2", "S3", "S4"]
    assert (s["p10"] <= s["p50"]).all() and (s["p50"] <= s["p90"]).all()
    assert s["prob_cheapest"].sum() == pytest.approx(1.0)
    assert np.isnan(s.set_index("scenario").loc["S0", "prob_beats_s0"])


@pytest.mark.parametrize("scenario", ["S0", "S1", "S2", "S3", "S4"])
def test_vectorised_equals_one_at_a_time(scenario):
    draws = sample(load_assumptions(), 40, seed=11)
    result = evaluate(scenario)
    vectorised = metric_batch(result, draws)[0]
    looped = metric_one_at_a_time(result, draws)
    np.testing.assert_allclose(vectorised, looped, rtol=1e-12)


def test_party_values_add_up_to_the_scenario_total():
    mc = run_montecarlo(200, seed=5, key="equal")
    for code, per_party in mc.party_values.items():
        np.testing.assert_allclose(per_party.sum(axis=1), mc.values[code], rtol=1e-9)
    ps = mc.party_summary()
    assert set(ps["scenario"]) == set(mc.values)
    assert ps["prob_below_standalone"].dropna().between(0, 1).all()


def test_infeasible_scenarios_are_reported_not_dropped():
    mc = run_montecarlo(50, seed=1, hosts={"S1": "ragunda"})
    assert "S1" not in mc.values and "rack" in mc.infeasible["S1"]
    assert "S1" in mc.summary().attrs["infeasible"]


def test_tornado_sorted_and_consistent_with_evaluate():
    t = tornado("S1", "S0")
    assert list(t["swing"]) == sorted(t["swing"], reverse=True)
    top = t.iloc[0]
    a = evaluate("S1", params={top["parameter"]: top["high"]}).totals["npv"]
    b = evaluate("S0", params={top["parameter"]: top["high"]}).totals["npv"]
    assert top["value_high"] == pytest.approx(a - b)
    base = evaluate("S1").totals["npv"] - evaluate("S0").totals["npv"]
    assert t.attrs["base_value"] == pytest.approx(base)
    assert "depreciation_years" in set(t["parameter"])


def test_break_even_values_make_the_difference_zero():
    be = break_even("S1", "S0", parameters=["electricity_price", "hall_fte", "pue_hall"])
    found = be.dropna(subset=["break_even"])
    assert len(found) >= 1
    for row in found.itertuples():
        diff = (evaluate("S1", params={row.parameter: row.break_even}).totals["npv"]
                - evaluate("S0", params={row.parameter: row.break_even}).totals["npv"])
        assert abs(diff) < 1.0  # kronor over five years
        assert "kostar lika mycket" in row.message
    for row in be[be["break_even"].isna()].itertuples():
        assert row.message.startswith("Ingen brytpunkt")


def test_fit_tree_finds_a_planted_threshold():
    rng = np.random.default_rng(0)
    X = rng.uniform(size=(2000, 3))
    y = X[:, 1] > 0.6
    tree = fit_tree(X, y, ["a", "b", "c"], max_depth=2)
    assert tree.feature == "b"
    assert tree.threshold == pytest.approx(0.6, abs=0.06)
    assert tree.right.rate > 0.95 and tree.left.rate < 0.05


def test_discovery_rules_are_swedish_sentences():
    mc = run_montecarlo(2000, seed=2)
    rules = discovery_rules(mc, "S1")
    assert len(rules) >= 1
    for rule in rules["rule"]:
        assert rule.startswith("Gemensam hall är inte billigast i ") and "simuleringarna" in rule
    assert 0 <= rules.attrs["base_rate"] <= 1
    assert rules["coverage"].between(0, 1).all()


def test_guess_dependence_sentence_and_risk_switch():
    from gnsanalysis.scenarios import compare_scenarios, guess_dependence

    t = tornado("S1", "S0")
    g = guess_dependence(t)
    assert 0 <= g["share"] <= 1 and g["text"].startswith("Jämförelsen mellan S1 och S0 vilar")
    a = load_assumptions().with_settings(include_outage_risk=False)
    df = compare_scenarios(assumptions=a).set_index("scenario")
    assert df.loc["S0", "cost"] == pytest.approx(df.loc["S0", "budget"])
    with_risk = compare_scenarios().set_index("scenario")
    assert with_risk.loc["S0", "cost"] == pytest.approx(
        with_risk.loc["S0", "budget"] + with_risk.loc["S0", "risk"])
