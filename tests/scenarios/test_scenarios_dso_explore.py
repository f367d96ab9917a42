"""DSO options, site distances, the explorer state and its YAML, the widgets."""

from __future__ import annotations

import pytest

from gnsanalysis.errors import ParameterError
from gnsanalysis.scenarios import (
    dso_options,
    explore,
    haversine_km,
    site_distances,
    validate_state,
)

# ---------------------------------------------------------------------------------------
# DSO
# ---------------------------------------------------------------------------------------


def test_dso_employment_840236_split_exactly_over_six():
    res = dso_options()
    emp = res.per_party["employment"]
    assert int(emp.sum()) == 840236
    paying = sorted(emp[emp > 0])
    assert len(paying) == 6
    assert paying == [140039] * 4 + [140040] * 2  # 840 236 = 6 × 140 039 + 2
    assert any("inte vilka" in n for n in res.notes)


def test_dso_hour_banks_and_competence():
    res = dso_options()
    opts = res.options.set_index("option")
    assert opts.loc["hourbank_kommun", "per_party_max"] == 10 * 1100 * 12  # 132 000
    assert opts.loc["hourbank_kommun", "per_year"] == 6 * 132000
    assert opts.loc["hourbank_region", "per_year"] == 60 * 1100 * 12  # 792 000
    assert int(res.per_party["hourbank_region"].sum()) == 792000
    assert int(res.per_party["competence"].sum()) == 150000
    assert (res.per_party["competence"] > 0).sum() == 9
    assert opts.loc["competence", "decided"]
    assert "tillsyn" in opts.loc["competence", "not_covered"]
    assert "ombud" in opts.loc["hourbank_kommun", "not_covered"]


def test_dso_participants_parameter():
    res = dso_options(["Krokom", "Berg", "Region JH"])
    emp = res.per_party.set_index("short")["employment"]
    assert int(emp.sum()) == 840236 and emp["Region JH"] > 0 and emp["Åre"] == 0
    assert res.per_party.set_index("short").loc["Region JH", "hourbank_kommun"] == 0
    assert any("regionen ingår inte" in n for n in res.notes)
    with pytest.raises(ParameterError, match="Okänd part"):
        dso_options(["Narnia"])


def test_dso_stated_figures_rechecked():
    claims = dso_options().claims.set_index("claim")
    ten = claims.loc["dso-timbank-10h"]
    assert not ten["agrees"] and ten["computed"] == 11000 and ten["stated"] == 110000
    assert "132 000" in ten["details"].replace("\u00a0", " ")
    assert claims.loc["dso-timbank-60h", "agrees"]
    assert claims.loc["dso-anstallning", "agrees"]  # 140 039,33 rounds to 140 039
    assert "1,75" in claims.loc["dso-anstallning-palagg", "message"]


# ---------------------------------------------------------------------------------------
# distances
# ---------------------------------------------------------------------------------------
def test_haversine_one_degree_of_latitude():
    assert haversine_km(0, 0, 1, 0) == pytest.approx(111.195, abs=0.01)


def test_site_distances_are_information_not_verdicts():
    df = site_distances()
    assert len(df) == 10  # 5 sites, all pairs
    pair = df[(df["site_a"] == "trygghetens_hus") & (df["site_b"] == "krokom")].iloc[0]
    assert 15 < pair["distance_km"] < 25
    assert df["distance_km"].max() < 200  # all candidate sites are in the county
    assert "inte ett omdöme" in df.attrs["text"]
    assert {r["km"] for r in df.attrs["references"]} >= {100, 200}


# ---------------------------------------------------------------------------------------
# explorer state and YAML
# ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("state, match", [
    ({"coalitoin": ["Krokom"]}, "nyckel coalitoin: .*Menade du 'coalition'\\?"),
    ({"assumptions": {"elpris": 1.0}}, "Okänd parameter 'elpris'"),
    ({"assumptions": {"electricity_price": "mycket"}}, "inte är ett tal"),
    ({"coalition": ["Narnia"]}, "Okänd part"),
    ({"hosts": {"S1": "gotland"}}, "Okänd plats"),
    ({"hosts": {"S3": "krokom"}}, "nyckel hosts.S3: fann 'S3', förväntade ett av 'S1' eller 'S2'"),
    ({"allocation_key": "vikt"}, "Okänd fördelningsnyckel"),
    ({"n_draws": 0}, "nyckel n_draws: fann 0, förväntade ett tal som är minst 1"),
])
def test_invalid_state_raises_parameter_error(state, match):
    with pytest.raises(ParameterError, match=match):
        validate_state(state)


def test_explore_light_uses_the_overrides():
    base = explore(None, full=False)["compare"].set_index("scenario")
    dear = explore({"assumptions": {"electricity_price": 1.5}}, full=False)["compare"]
    dear = dear.set_index("scenario")
    assert dear.loc["S0", "npv"] > base.loc["S0", "npv"]
    out = explore({"coalition": ["Krokom", "Berg"], "allocation_key": "equal"}, full=False)
    per = out["party_costs"]["S1"]
    assert set(per["short"]) == {"Krokom", "Berg"} and "equal" in set(per["key"])


def test_explore_full_small():
    out = explore({"n_draws": 300}, full=True)
    for key in ("shapley", "mc_summary", "mc_party", "tornado", "break_even", "rules",
                "distances", "dso"):
        assert key in out
    assert out["montecarlo"].n == 300


def test_widgets_build_update_and_save(tmp_path):
    pytest.importorskip("ipywidgets")
    from gnsanalysis.scenarios import state as st
    from gnsanalysis.scenarios.widgets import Explorer

    box = Explorer(None, folder=tmp_path, uncertainty=False)
    before = box.numbers.value
    assert "Nuvärde" in before and "<img" in box.charts.value
    field = box.fields["electricity_price"]
    field.value = "1,5"
    assert box.values["electricity_price"] == 1.5 and field.value == "1,50"
    assert box.numbers.value != before
    field.value = "7"
    assert "utanför det tillåtna intervallet 0,60–1,50" in box.messages["electricity_price"].value
    assert box.values["electricity_price"] == 1.5  # the refused value is not used
    box.name.value = "Med fel i fält"
    box.save()  # a field shows a value that is not used: nothing is saved, and the page says why
    assert box.save_button.disabled and "Kan inte sparas: rätta först Elpris" in box.save_status.value
    assert not (tmp_path / "med-fel-i-falt.yaml").exists()
    field.value = "1,5"
    assert not box.save_button.disabled and not box.messages["electricity_price"].value
    box.parties["Åre kommun"].value = True
    box.key.value = "equal"
    assert "lika delar" in box.numbers.value
    box.name.value = "Mitt scenario"
    box.save()
    assert ".venv/bin/gns report it-serverdrift -f" in box.save_status.value
    saved = st.load_scenario(tmp_path / "mitt-scenario.yaml")
    assert "Åre kommun" in saved.state["coalition"] and saved.state["allocation_key"] == "equal"
    assert saved.state["assumptions"]["electricity_price"] == 1.5
    box.save()  # same name again: a warning, the file is kept
    assert "Det finns redan" in box.save_status.value
    for party in box.parties.values():
        party.value = False
    assert box.save_button.disabled and "Inga parter är valda" in box.problem.value
    assert box.scenario.disabled  # its entries were for the last selection that could be computed
    assert "Inga resultat att visa: Inga parter är valda" in box.numbers.value  # under Resultat as well
    assert [label for label, _ in box.saved_pick.options] == ["Mitt scenario (mitt-scenario.yaml)"]
    box.saved_pick.value = str(tmp_path / "mitt-scenario.yaml")
    box.load()
    assert box.fields["electricity_price"].value == "1,50"
    assert box.parties["Åre kommun"].value and not box.save_button.disabled
    assert not box.scenario.disabled


def test_a_new_name_after_loading_does_not_take_the_loaded_description(tmp_path):
    pytest.importorskip("ipywidgets")
    from gnsanalysis.scenarios.widgets import Explorer

    box = Explorer(None, folder=tmp_path, uncertainty=False)
    box.name.value, box.description.value = "Dyr el", "el 1,50 kr/kWh"
    box.save()
    assert [label for label, _ in box.saved_pick.options] == ["Dyr el – el 1,50 kr/kWh (dyr-el.yaml)"]
    box.load()
    assert box.description.value == "el 1,50 kr/kWh"
    box.name.value = "Billig el"
    assert box.description.value == ""  # a new scenario starts without the old one's description


def test_the_scenario_shown_per_party_is_saved_and_loaded_back(tmp_path):
    """The page's "Scenario som visas per part" goes into the file, and the report shows that scenario."""
    pytest.importorskip("ipywidgets")
    from gnsanalysis.scenarios import state as st
    from gnsanalysis.scenarios.widgets import Explorer

    box = Explorer(None, folder=tmp_path, uncertainty=False)
    box.parties["Region Jämtland Härjedalen"].value = True  # S1 and S2 are then not possible
    menu = box.scenario
    assert "S1" not in [code for _, code in menu.options]
    menu.value = "S4"
    box.name.value = "Med regionen"
    box.save()
    saved = st.load_scenario(tmp_path / "med-regionen.yaml")
    assert saved.state["per_party"] == "S4"
    fresh = Explorer(None, folder=tmp_path, uncertainty=False)
    fresh.saved_pick.value = str(tmp_path / "med-regionen.yaml")
    fresh.load()
    assert fresh.scenario.value == "S4"


def test_per_party_must_be_a_joint_scenario():
    from gnsanalysis.scenarios.explore import validate_state

    with pytest.raises(ParameterError, match="nyckel per_party: fann 'S0', förväntade ett av 'S1', 'S2', 'S3' eller 'S4'"):
        validate_state({"per_party": "S0"})


def test_a_saved_file_that_cannot_be_used_is_named_with_the_reason(tmp_path):
    pytest.importorskip("ipywidgets")
    from gnsanalysis.scenarios.widgets import Explorer

    (tmp_path / "trasig.yaml").write_text("coalition: [Ragunda kommun, Brace kommun]\n", encoding="utf-8")
    box = Explorer(None, folder=tmp_path, uncertainty=False)
    assert box.saved_pick.options == ()
    assert "trasig.yaml" in box.saved_note.value and "Brace kommun" in box.saved_note.value


def _explorer_with_loaded(tmp_path, text: str):
    """An explorer that has loaded a hand-written scenario file with ``text``."""
    pytest.importorskip("ipywidgets")
    from gnsanalysis.scenarios.widgets import Explorer

    (tmp_path / "handskriven.yaml").write_text(text, encoding="utf-8")
    box = Explorer(None, folder=tmp_path, uncertainty=False)
    box.saved_pick.value = str(tmp_path / "handskriven.yaml")
    box.load()
    return box


def test_a_loaded_value_between_steps_is_pointed_out(tmp_path):
    """1.357 in a hand-written file: the field shows 1,36, and the page says the file's report would use 1,357."""
    box = _explorer_with_loaded(tmp_path, "assumptions: {electricity_price: 1.357}\n")
    assert box.fields["electricity_price"].value == "1,36"
    assert "Filen har Elpris allt inräknat (spot, nät, skatt, påslag) 1,357 (fältet visar 1,36)" in box.save_status.value


def test_a_loaded_mixed_key_is_offered_not_replaced(tmp_path):
    """A key the menu does not list (a mix written by hand) is added to the menu, never swapped for another."""
    box = _explorer_with_loaded(tmp_path, "allocation_key: 1/2 lika + 1/2 användning\n")
    assert box.key.value == "1/2 equal + 1/2 usage"
    assert "1/2 lika delar + 1/2 användning" in box.numbers.value
