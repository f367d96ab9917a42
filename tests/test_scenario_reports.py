"""The IT-serverdrift and DSO board reports: built through the runner, widget state replays."""

from __future__ import annotations

import re

import pytest

from gnsanalysis.publish import runner
from gnsanalysis.errors import ParameterError
from gnsanalysis.scenarios import save_params_yaml
from gnsanalysis.scenarios.explore import DEFAULT_STATE

pytestmark = pytest.mark.notebook


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
    state_file = save_params_yaml(tmp_path / "state.yaml", dict(DEFAULT_STATE))
    params = runner.load_parameters_file(state_file)
    out = tmp_path / "replay"
    result = runner.run_report("it-serverdrift", params, reports_dir=out)
    assert result.html_path.read_bytes() == (folder / "it-serverdrift.html").read_bytes()


def test_changed_state_replays_and_changes_the_report(tmp_path):
    state = dict(DEFAULT_STATE, coalition=["Krokom", "Berg", "Ragunda"], allocation_key="equal",
                 n_draws=2000, assumptions={"electricity_price": 1.4})
    params = runner.load_parameters_file(save_params_yaml(tmp_path / "s.yaml", state))
    html = runner.run_report("it-serverdrift", params, reports_dir=tmp_path / "r").html_path.read_text(encoding="utf-8")
    assert "Ragunda kommun, Krokoms kommun och Bergs kommun" in html
    assert "2\u00a0000 simuleringar" in html


@pytest.mark.parametrize("params,message", [
    ({"coalition": ["Krokom", "Atlantis"]}, "Atlantis"),
    ({"assumptions": {"elpris": 1}}, "elpris"),
    ({"allocation_key": "slumpen"}, "slumpen"),
    ({"n_draws": "många"}, "ska vara ett heltal"),
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
    from gnsanalysis.scenarios.widgets import build_explorer

    box = build_explorer(folder=tmp_path, uncertainty=False)
    box.controls["fields"]["electricity_price"].value = "1,5"
    box.name.value = "Val"
    box.save()
    params = runner.load_parameters_file(tmp_path / "val.yaml")
    resolved = runner.resolve_parameters("it-serverdrift", params)
    assert resolved["assumptions"] == {"electricity_price": 1.5}


@pytest.mark.parametrize("bad", ["/etc/x.yaml", "../utanfor.yaml", "data/raw/x.yaml"])
def test_explorer_save_path_stays_in_the_project(bad):
    with pytest.raises(ParameterError):
        runner.resolve_parameters("it-serverdrift-utforska", {"save_path": bad})
