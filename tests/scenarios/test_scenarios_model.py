"""IT-serverdrift cost model: hand-checked cases, feasibility, allocation, Shapley."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

from gnsanalysis.errors import ConfigError, ParameterError
from gnsanalysis.scenarios import (
    compare_scenarios,
    evaluate,
    load_assumptions,
    party_costs,
    shapley,
    shapley_values,
)
from gnsanalysis.scenarios.api import coalition_costs

# Simple round values so that every figure below can be checked by hand.
SIMPLE = {
    "electricity_price": 1.0, "server_power_kw": 0.5, "pue_room": 2.0, "pue_hall": 1.5,
    "salary_month": 40000, "po_rate": 0.5, "servers_per_admin": 20, "room_fte": 0.25,
    "hall_fte": 1.0, "room_upkeep": 50000, "room_rent": 30000, "server_capex": 60000,
    "depreciation_years": 4, "hw_support_rate": 0.2, "licence_per_server": 10000,
    "outage_hours_room": 10, "outage_cost_per_capita_hour": 1.0, "discount_rate": 0.0,
    "hall_upkeep": 200000, "hall_capex": 2000000, "migration_per_server": 8000,
    "parallel_months": 3, "link_cost": 60000, "outage_hours_hall": 5,
}
WAGE = 40000 * 12 * 1.5  # 720 000 kr per FTE and year


def _row(result, component):
    return result.yearly().loc[component, ["y1", "y2", "y3", "y4", "y5"]].to_numpy()


def test_s0_one_party_by_hand():
    # Krokom: 20 servers, 1 room (example data), population 15 680
    r = evaluate("S0", ["Krokom"], SIMPLE)
    assert r.feasible
    assert _row(r, "power") == pytest.approx([20 * 0.5 * 8760 * 2.0 * 1.0] * 5)  # 175 200
    assert _row(r, "staff") == pytest.approx([(20 / 20 + 0.25) * WAGE] * 5)  # 900 000
    assert _row(r, "facility") == pytest.approx([80000] * 5)
    assert _row(r, "hardware_depreciation") == pytest.approx([20 * 60000 / 4] * 5)  # steady
    assert _row(r, "hardware_support") == pytest.approx([0.2 * 20 * 60000] * 5)
    assert _row(r, "licences") == pytest.approx([200000] * 5)
    assert _row(r, "outage_risk") == pytest.approx([10 * 1.0 * 15680] * 5)
    year = 175200 + 900000 + 80000 + 300000 + 240000 + 200000 + 156800
    assert r.totals["cost"] == pytest.approx(5 * year)
    # cash: capex equals depreciation in steady state; the book value of the purchases of
    # years 2-5 is returned as residual value: 300 000 × (3/4 + 2/4 + 1/4) = 450 000
    assert r.totals["npv"] == pytest.approx(5 * year - 450000)


def test_npv_discounts_end_of_year_flows():
    r0 = evaluate("S0", ["Krokom"], SIMPLE)
    r5 = evaluate("S0", ["Krokom"], SIMPLE | {"discount_rate": 0.05})
    cash = r0.totals["yearly_cash"]
    assert r5.totals["npv"] == pytest.approx(sum(c / 1.05 ** t for t, c in enumerate(cash, 1)))


def test_s3_carries_stranded_depreciation():
    r = evaluate("S3", ["Krokom"], SIMPLE)
    # no new hardware; the purchases of the three years before the horizon are written off
    assert _row(r, "hardware_depreciation") == pytest.approx([225000, 150000, 75000, 0, 0])
    assert r.cash["hardware_capex"].sum() == 0


def test_s1_shared_hall_by_hand():
    r = evaluate("S1", ["Krokom", "Berg"], SIMPLE, hosts="krokom")
    assert r.feasible, r.explanation
    n = 20 + 12
    assert r.joint["power"][0] == pytest.approx(n * 0.5 * 8760 * 1.5)
    assert r.joint["staff"][0] == pytest.approx(WAGE)
    assert r.joint["facility"][0] == pytest.approx(200000)
    assert r.joint["facility_depreciation"][0] == pytest.approx(200000)  # 2 000 000 / 10 years
    assert list(r.joint["migration"]) == pytest.approx([n * 8000, 0, 0, 0, 0])
    codes = list(r.ctx.codes)
    krokom, berg = codes.index("2309"), codes.index("2326")
    assert r.direct["connectivity"][krokom, 0] == 0  # the host needs no link
    assert r.direct["connectivity"][berg, 0] == pytest.approx(60000)
    # Krokom's old room runs 3 of 12 months in year 1
    assert r.direct["parallel_running"][krokom] == pytest.approx(
        [(80000 + 0.25 * WAGE + 175200) * 0.25, 0, 0, 0, 0])
    assert r.direct["power"].sum() == 0 and r.direct["facility"].sum() == 0


def test_s4_moves_a_growing_share_to_cloud():
    r = evaluate("S4", ["Krokom"], SIMPLE | {"cloud_share_final": 0.5,
                                             "cloud_price_per_server": 100000,
                                             "joint_cloud_discount": 0.1})
    shares = np.arange(1, 6) * 0.1
    # alone: no joint-procurement discount
    assert _row(r, "cloud_fees") == pytest.approx(20 * shares * 100000)
    assert _row(r, "licences") == pytest.approx(20 * (1 - shares) * 10000)
    two = evaluate("S4", ["Krokom", "Berg"], SIMPLE | {"cloud_price_per_server": 100000,
                                                      "joint_cloud_discount": 0.1})
    krokom = list(two.ctx.codes).index("2309")
    assert two.direct["cloud_fees"][krokom] == pytest.approx(
        20 * np.arange(1, 6) * two.params["cloud_share_final"] / 5 * 100000 * 0.9)


def test_are_in_s0_buys_from_the_region_contract():
    r = evaluate("S0", ["Åre"], SIMPLE | {"partner_price_per_server": 70000})
    assert _row(r, "partner_fees") == pytest.approx([18 * 70000] * 5)
    assert r.yearly().loc["hardware_depreciation", "total"] == 0
    assert r.yearly().loc["facility", "total"] == 0
    assert any("uttryckligen" in n for n in r.notes)


def test_batch_parameters_broadcast():
    values = np.array([0.6, 0.9, 1.5])
    r = evaluate("S1", None, {"electricity_price": values})
    npv = r.totals["npv"]
    assert npv.shape == (3,)
    for v, expected in zip(values, npv):
        assert evaluate("S1", None, {"electricity_price": v}).totals["npv"] == pytest.approx(expected)


# ---------------------------------------------------------------------------------------
# feasibility
# ---------------------------------------------------------------------------------------
def test_default_coalition_is_the_positive_parties():
    r = evaluate("S0")
    assert {p.short for p in r.coalition} == {"Ragunda", "Östersund", "Bräcke", "Krokom",
                                              "Härjedalen", "Berg"}


@pytest.mark.parametrize("hosts, coalition, expected", [
    ("ragunda", None, "rack"),  # 128 servers need 11 racks, Ragunda offers 8 (example data)
    ("region_dc", None, "erbjöd inte plats"),
    ("krokom", ["Berg", "Bräcke"], "själv ingår"),
    (["krokom", "krokom"], None, "två olika platser"),
])
def test_infeasible_combinations_are_explained(hosts, coalition, expected):
    scenario = "S2" if isinstance(hosts, list) else "S1"
    r = evaluate(scenario, coalition, hosts=hosts)
    assert not r.feasible
    assert expected in r.explanation
    assert math.isnan(r.totals["npv"])


def test_unoffered_host_can_be_allowed_explicitly():
    r = evaluate("S1", ["Region JH", "Krokom"], hosts="region_dc", allow_unoffered_hosts=True)
    assert r.feasible, r.explanation
    assert any("erbjöd inte plats" in n for n in r.notes)


def test_external_host_trygghetens_hus():
    r = evaluate("S1", hosts="trygghetens_hus")
    assert r.feasible
    assert r.joint["facility"][0] == pytest.approx(11 * r.params["external_rack_price"])
    assert any("extern värd" in n for n in r.notes)


def test_empty_coalition_and_no_host_fit():
    assert "Ingen part" in evaluate("S1", [], hosts="krokom").explanation
    # the Region alone (250 example servers, 21 racks) fits no offered hall, and does not offer
    r = evaluate("S1", ["Region JH"])
    assert not r.feasible and "Ingen erbjuden plats" in r.explanation


def test_compare_scenarios_keeps_infeasible_rows():
    df = compare_scenarios(hosts={"S1": "ragunda"})
    assert list(df["scenario"]) == ["S0", "S1", "S2", "S3", "S4"]
    row = df.set_index("scenario").loc["S1"]
    assert not row["feasible"] and "rack" in row["explanation"]
    assert df.set_index("scenario").loc["S0", "npv_vs_s0"] == 0
    assert set(df.attrs["labels"]) >= set(df.columns)


@pytest.mark.parametrize("call, match", [
    (lambda: evaluate("S9"), "Okänt scenario"),
    (lambda: evaluate("S1", params={"elpris": 1}), "Okänd parameter 'elpris'"),
    (lambda: evaluate("S1", ["Narnia"]), "Okänd part"),
    (lambda: evaluate("S1", hosts="Gotland"), "Okänd plats"),
])
def test_bad_names_raise_swedish_errors(call, match):
    with pytest.raises(ParameterError, match=match):
        call()


def test_assumptions_file_has_provenance():
    a = load_assumptions()
    for p in a.parameters.values():
        assert p.low <= p.mode <= p.high and p.source and p.label
    assert a.demand_example and "Exempeldata" in a.demand_source
    assert a.parameters["pue_room"].guess is False
    assert a.parameters["cloud_price_per_server"].guess is True


def test_bad_override_range_is_rejected():
    with pytest.raises(ParameterError, match="låg ≤ typvärde ≤ hög"):
        load_assumptions().with_overrides({"pue_hall": {"low": 2.0, "mode": 1.5}})


def test_a_number_outside_the_range_is_refused_as_in_the_explorer():
    """A plain value must lie in the range the explorer allows; another range is asked for explicitly."""
    a = load_assumptions()
    p = a.parameters["electricity_price"]
    with pytest.raises(ParameterError, match=r"'electricity_price' .*9,50 ligger utanför det tillåtna intervallet 0,60–1,50 kr/kWh"):
        a.with_overrides({"electricity_price": 9.5})
    assert a.with_overrides({"electricity_price": p.high}).parameters["electricity_price"].mode == p.high
    wide = a.with_overrides({"electricity_price": {"low": p.low, "mode": 9.5, "high": 10.0}})
    assert wide.parameters["electricity_price"].mode == 9.5


@pytest.mark.parametrize("old,new,message", [
    ("    low: 0.015\n", "    lwo: 0.015\n", "nyckel parameters.discount_rate.lwo: fann 0.015, förväntade ingen sådan nyckel"),
    ("    low: 0.015\n", "    low: 0.5\n", "Parametern 'discount_rate'"),           # low > mode
    ("    low: 0.015\n", "    low: true\n", "parameters.discount_rate.low: fann True"),
    ("distribution: pert", "distribution: normal", "settings.distribution: fann 'normal'"),
    ("horizon_years: 5", "horizon_years: fem", "settings.horizon_years: fann 'fem', förväntade ett heltal"),
])
def test_assumptions_file_errors(tmp_path, old, new, message):
    from gnsanalysis import paths

    text = (paths.RESOURCES_DIR / "it_assumptions.yaml").read_text(encoding="utf-8")
    assert old in text
    bad = tmp_path / "it_assumptions.yaml"
    bad.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ConfigError, match=re.escape(message)) as info:
        load_assumptions(bad)
    assert info.value.exit_code == 2


# ---------------------------------------------------------------------------------------
# per party
# ---------------------------------------------------------------------------------------
def test_party_costs_joint_shares_sum_exactly():
    df = party_costs("S1", keys=["equal", "population", "usage", "1/3 equal + 2/3 population"])
    joint = df.attrs["joint_total"]
    for _, group in df.groupby("key"):
        assert int(group["joint_share"].sum()) == joint
        assert (group["total"] == group["direct"] + group["joint_share"]).all()
    assert df.attrs["example"] is True


# ---------------------------------------------------------------------------------------
# Shapley
# ---------------------------------------------------------------------------------------
def test_shapley_values_of_a_known_game():
    # airport game: costs 1, 2, 3 for the largest member; Shapley = (1/3, 1/3+1/2, 1/3+1/2+1)
    c = {0: 0, 1: 1, 2: 2, 3: 2, 4: 3, 5: 3, 6: 3, 7: 3}
    assert shapley_values(c, 3) == pytest.approx([1 / 3, 5 / 6, 11 / 6])


def test_shapley_efficiency_and_symmetry():
    params = {"outage_cost_per_capita_hour": 0.0}  # Ragunda and Bräcke then look alike
    df = shapley("S1", params=params, hosts="krokom")
    assert df["shapley"].sum() == pytest.approx(df.attrs["grand_cost"])
    by = df.set_index("short")["shapley"]
    assert by["Ragunda"] == pytest.approx(by["Bräcke"])  # 10 servers, 1 room each
    grand = evaluate("S1", None, params, hosts="krokom").totals["npv"]
    assert df.attrs["grand_cost"] == pytest.approx(min(grand, evaluate("S0", None, params).totals["npv"]))


def test_coalition_costs_fall_back_to_standalone():
    from gnsanalysis.scenarios.api import resolve_coalition

    players, _ = resolve_coalition(["Berg", "Bräcke"], load_assumptions())
    costs = coalition_costs("S1", players, hosts="krokom")  # Krokom not in any subset
    s0 = evaluate("S0", ["Berg", "Bräcke"]).totals["npv"]
    assert costs[3] == pytest.approx(s0)
    assert costs[0] == 0


def test_an_infeasible_scenario_explains_each_site_once():
    """With the Region in, no site is large enough: each site is named once, the example-data remark last."""
    from gnsanalysis.scenarios.feasibility import EXAMPLE_CAPACITY, default_coalition

    a = load_assumptions()
    coalition = [p.name for p in default_coalition(a)] + ["Region Jämtland Härjedalen"]
    cmp = compare_scenarios(coalition, assumptions=a).set_index("scenario")
    for code in ("S1", "S2"):
        text = cmp.loc[code, "explanation"]
        assert not cmp.loc[code, "feasible"]
        assert text.count("Krokom har plats för") == 1 and text.count(EXAMPLE_CAPACITY) == 1
        assert text.endswith(EXAMPLE_CAPACITY)
    chosen = compare_scenarios(coalition, hosts={"S2": ["krokom", "berg"]}, assumptions=a).set_index("scenario")
    text = chosen.loc["S2", "explanation"]  # two named sites, both too small: the remark once, last
    assert "Krokom har plats" in text and "Berg (Svenstavik) har plats" in text
    assert text.count(EXAMPLE_CAPACITY) == 1 and text.endswith(EXAMPLE_CAPACITY)
