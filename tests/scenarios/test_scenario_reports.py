"""The IT-serverdrift and DSO board reports: built through the runner, widget state replays."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from gnsanalysis.errors import GnsError, ParameterError
from gnsanalysis.publish import runner
from gnsanalysis.scenarios import feasibility, views
from gnsanalysis.scenarios.assumptions import guess_summary, load_assumptions
from gnsanalysis.scenarios.explore import DEFAULT_STATE, validate_state

pytestmark = pytest.mark.notebook


def params_file(path: Path, state: dict) -> Path:
    """A parameter file for ``gns report -f`` with the checked ``state`` (no scenario block)."""
    path.write_text(yaml.safe_dump(validate_state(state), allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_it_report_content(built_reports):
    folder, _ = built_reports
    html = (folder / "it-serverdrift.html").read_text(encoding="utf-8")
    assert "Exempeldata" in html  # demand and most assumptions are example data
    assert "IT-serverdrift – jämförelse av scenarier" in html
    for code in ("S0 Nuläge", "S1 Gemensam hall", "S2 Två hallar", "S3 Driftpartner", "S4 Moln stegvis"):
        assert code in html
    assert "uppskattningar utan källa" in html
    assert "Shapley" in html and "BSI" in html
    assert len(re.findall(r"<img ", html)) >= 3


def test_dso_report_shows_the_disagreement(built_reports):
    folder, _ = built_reports
    html = (folder / "dso-alternativ.html").read_text(encoding="utf-8")
    assert "840\u00a0236" in html and "140\u00a0039" in html
    assert "stämmer inte" in html  # 10 h × 1 100 kr is not 110 000 kr
    assert "Kontroll av siffror i underlaget" in html


def test_saved_widget_state_replays_into_the_same_html(built_reports, tmp_path):
    folder, _ = built_reports
    state_file = params_file(tmp_path / "state.yaml", dict(DEFAULT_STATE))
    params = runner.load_parameters_file(state_file)
    out = tmp_path / "replay"
    result = runner.run_report("it-serverdrift", params, reports_dir=out)
    assert result.html_path.read_bytes() == (folder / "it-serverdrift.html").read_bytes()


def test_the_report_shows_per_party_the_scenario_the_page_showed(tmp_path):
    """With the Region in, S1 is not possible; the saved per_party (S4) is what the board sees per party."""
    from gnsanalysis.scenarios.assumptions import load_assumptions
    from gnsanalysis.scenarios.feasibility import default_coalition

    coalition = [p.name for p in default_coalition(load_assumptions())] + ["Region Jämtland Härjedalen"]
    state = dict(DEFAULT_STATE, coalition=coalition, n_draws=500, per_party="S4")
    params = runner.load_parameters_file(params_file(tmp_path / "s.yaml", state))
    html = runner.run_report("it-serverdrift", params, reports_dir=tmp_path / "r").html_path.read_text(encoding="utf-8")
    assert "ingen fördelning per part" not in html
    assert re.search(r"<caption>S4 [^<]*: nuvärde per part över fem år", html)
    assert "Scenario per part: S4" in html  # the footer says which


def test_changed_state_replays_and_changes_the_report(tmp_path):
    state = dict(DEFAULT_STATE, coalition=["Krokom", "Berg", "Ragunda"], allocation_key="equal",
                 n_draws=2000, assumptions={"electricity_price": 1.4})
    params = runner.load_parameters_file(params_file(tmp_path / "s.yaml", state))
    html = runner.run_report("it-serverdrift", params, reports_dir=tmp_path / "r").html_path.read_text(encoding="utf-8")
    assert "Ragunda kommun, Krokoms kommun och Bergs kommun" in html
    assert "2\u00a0000 simuleringar" in html


def test_a_named_scenario_anywhere_is_named_in_the_footer_and_verifies(tmp_path):
    """gns report -f FILE names the file with its SHA-256, and gns verify rebuilds the report
    from the file the report records, wherever it lies (not by searching parametrar/)."""
    import hashlib

    from gnsanalysis.publish import build
    from gnsanalysis.scenarios import state as st

    chosen = st.check_selection(st.selection_state({"electricity_price": 1.5},
                                                   ["Krokoms kommun", "Bergs kommun", "Ragunda kommun"], "equal"))
    path = st.save_scenario("Dyr el i tre kommuner", "prov", chosen | {"n_draws": 1000}, folder=tmp_path / "mina")
    params = runner.load_parameters_file(path)
    result = runner.run_report("it-serverdrift", params, reports_dir=tmp_path / "r", parameters_file=path)
    # its own file, never the default report's (whose PDF and board pack would then disagree)
    assert result.html_path.name == "it-serverdrift-dyr-el-i-tre-kommuner.html"
    html = result.html_path.read_text(encoding="utf-8")
    assert "<title>IT-serverdrift – jämförelse av scenarier (GNS): dyr-el-i-tre-kommuner</title>" in html
    assert re.search(r"<dt>Scenario</dt>\s*<dd>Dyr el i tre kommuner – prov</dd>", html)  # named on the front
    assert path.name in html and hashlib.sha256(path.read_bytes()).hexdigest() in html
    ok, message = build.verify_report(result.html_path)
    assert ok, message
    # the same values without the file: the footer names no file, so the report differs
    bare = runner.run_report("it-serverdrift", params, reports_dir=tmp_path / "bare")
    assert "Parameterfil" not in bare.html_path.read_text(encoding="utf-8")
    assert "<dt>Scenario</dt>" not in bare.html_path.read_text(encoding="utf-8")
    assert bare.html_path.name == "it-serverdrift.html"


@pytest.mark.parametrize("params,message", [
    ({"coalition": ["Krokom", "Atlantis"]}, "Atlantis"),
    ({"assumptions": {"elpris": 1}}, "elpris"),
    ({"allocation_key": "slumpen"}, "slumpen"),
    ({"n_draws": "många"}, "ska vara ett heltal"),
    ({"assumptions": {"electricity_price": 9.5}}, "utanför det tillåtna intervallet"),
])
def test_bad_state_stops_before_the_kernel(params, message):
    with pytest.raises(ParameterError, match=message):
        runner.resolve_parameters("it-serverdrift", params)


def test_dso_unknown_participant():
    with pytest.raises(Exception, match="Atlantis"):
        runner.resolve_parameters("dso-alternativ", {"participants": ["Atlantis"]})


def test_explorer_notebook_executes_through_the_runner(tmp_path):
    result = runner.run_report("it-serverdrift-utforska", {}, reports_dir=tmp_path)
    assert result.html_path.is_file()


def test_explorer_save_button_writes_a_file_the_report_accepts(tmp_path):
    from gnsanalysis.scenarios.widgets import Explorer

    box = Explorer(None, folder=tmp_path, uncertainty=False)
    box.fields["electricity_price"].value = "1,5"
    box.name.value = "Val"
    box.save()
    params = runner.load_parameters_file(tmp_path / "val.yaml")
    resolved = runner.resolve_parameters("it-serverdrift", params)
    assert resolved["assumptions"] == {"electricity_price": 1.5}


@pytest.mark.parametrize("bad", ["/etc/x.yaml", "../utanfor.yaml", "data/raw/x.yaml"])
def test_explorer_save_path_stays_in_the_project(bad):
    with pytest.raises(ParameterError):
        runner.resolve_parameters("it-serverdrift-utforska", {"save_path": bad})


# --------------------------------------------------------------------------- who is not compared, and why

FIXTURES = Path(__file__).parents[1] / "fixtures" / "raw"


def _matrix(tmp_path, extra: str = ""):
    path = tmp_path / "intressentanalys-2019.txt"
    path.write_text((FIXTURES / "intressentanalys-2019.txt").read_text(encoding="utf-8") + extra, encoding="utf-8")
    return feasibility.load_matrix(path)


def test_parties_left_out_are_named_with_the_reason_from_the_matrix(tmp_path):
    matrix = _matrix(tmp_path)
    a = load_assumptions()
    coalition = feasibility.default_coalition(a, matrix)
    text = feasibility.left_out_sentence(coalition, a.registry.parties, matrix)
    assert text == ("Av nämndens 9 parter ingår 3 inte i jämförelsen: Åre kommun och Region Jämtland Härjedalen, "
                    "som varken söker eller erbjuder plats enligt intressentanalysen; Strömsunds kommun, som inte "
                    "finns med i intressentanalysen.")


def test_left_out_is_computed_from_registry_and_matrix_not_hard_coded(tmp_path):
    matrix = _matrix(tmp_path, "Strömsunds kommun\t\t\tAvvaktar\n")
    a = load_assumptions()
    coalition = feasibility.default_coalition(a, matrix)
    text = feasibility.left_out_sentence(coalition, a.registry.parties, matrix)
    assert "Strömsunds kommun, Åre kommun och Region Jämtland Härjedalen, som varken söker" in text
    assert "inte finns med" not in text
    chosen = [p for p in coalition if p.short != "Krokom"]
    text = feasibility.left_out_sentence(chosen, a.registry.parties, matrix)
    assert "Krokoms kommun, som inte valts bland de deltagande parterna" in text
    everyone = feasibility.left_out_sentence(a.registry.parties, a.registry.parties, matrix)
    assert everyone == "Alla nämndens 9 parter ingår i jämförelsen."


def test_example_flags_come_from_the_assumptions_file():
    a = load_assumptions()
    assert views.example_parts(a) == ["parternas serverantal", "hallarnas kapacitet",
                                      f"{sum(p.guess for p in a.parameters.values())} av {len(a.parameters)} antaganden"]
    sourced = replace(a, demand_example=False,
                      parameters={k: p.model_copy(update={"guess": False}) for k, p in a.parameters.items()},
                      sites={k: replace(s, capacity_example=False) for k, s in a.sites.items()})
    assert views.example_parts(sourced) == []
    assert views.guesses_sentence(sourced) == f"Alla {len(a.parameters)} antaganden har källa."
    # the explorer shows the same sentence, from the same flags (it used to call the data example data always)
    assert guess_summary(sourced)["text"] == views.guesses_sentence(sourced)
    assert guess_summary(a)["text"] == views.guesses_sentence(a)


def _body(html: str) -> str:
    body, _, _ = html.partition('<footer class="gns-footer">')
    return body


def test_it_report_names_who_is_left_out_and_no_report_body_names_a_file(built_reports):
    folder, _ = built_reports
    html = (folder / "it-serverdrift.html").read_text(encoding="utf-8")
    body = _body(html)
    assert "Åre kommun och Region Jämtland Härjedalen, som varken söker eller erbjuder plats" in body
    assert "Strömsunds kommun, som inte finns med i intressentanalysen" in body
    names = [p.name for p in folder.glob("*.html") if p.name != "index.html"]
    assert {"it-serverdrift.html", "dso-alternativ.html", "arsbokslut-2018.html"} <= set(names)
    for name in names:  # every report: files and repository paths only in the footer's provenance
        html = (folder / name).read_text(encoding="utf-8")
        assert "SHA-256" in html.partition('<footer class="gns-footer">')[2], name
        assert ".txt" not in _body(html) and "shared/seeds" not in _body(html) and ".yaml" not in _body(html), name
        assert "gnsanalysis/resources" not in html and "gnsanalysis/config" not in html, name


def test_dso_figures_are_read_from_the_claims():
    from gnsanalysis.documents.claims import load_claims
    from gnsanalysis.scenarios import dso

    claims = load_claims()
    f = dso.dso_figures(claims)
    assert (f.employment_per_year, f.employment_parties, f.employment_per_party) == (840236, 6, 140039)
    assert (f.hour_price, f.hours_kommun_month, f.hours_region_month) == (1100, 10, 60)
    changed = [replace(c, inputs=tuple(replace(i, value=i.value * 2) if i.label == "timpris" else i
                                       for i in c.inputs)) if c.id == "dso-timbank-10h" else c for c in claims]
    assert dso.dso_figures(changed).hour_price == 2200
    assert "2\u00a0200\u00a0kr/timme" in dso.options_text(dso.dso_figures(changed))["hourbank_kommun"]["basis"]
    broken = [replace(c, inputs=c.inputs[:1]) if c.id == "dso-anstallning" else c for c in claims]
    with pytest.raises(GnsError, match="deltagande parter"):
        dso.dso_figures(broken)
