"""The board footer: parameter file with SHA-256, Swedish parameter labels, no placeholder hash interactively."""

from __future__ import annotations

import hashlib

import pytest

from gnsanalysis import paths
from gnsanalysis.render import html
from gnsanalysis.scenarios import state as st
from gnsanalysis.scenarios import views

TWO = ["Krokoms kommun", "Bergs kommun"]


def _params(state):
    return {k: state[k] for k in st.SAVED_KEYS} | {"status": "utkast"}


def test_interactive_footer_has_no_placeholder(monkeypatch):
    monkeypatch.delenv("GNS_PROJECT_ROOT", raising=False)
    text = str(html.footer({"period": "2018-12"}))
    assert "@@GNS-CONTENT-HASH@@" not in text and "beräknas när rapporten byggs" in text


def test_runner_footer_keeps_the_hash_slot(monkeypatch):
    monkeypatch.setenv("GNS_PROJECT_ROOT", str(paths.PROJECT_ROOT))
    assert html.CONTENT_HASH_SLOT in str(html.footer({"period": "2018-12"}))


def test_footer_labels_are_swedish_and_numbers_have_a_decimal_comma(monkeypatch):
    monkeypatch.delenv("GNS_PARAMETERS_FILE", raising=False)
    text = str(html.footer({"coalition": TWO, "allocation_key": "equal", "n_draws": 20000,
                            "assumptions": {"electricity_price": 1.41}, "include_outage_risk": True},
                           labels=views.parameter_labels(), shown=views.footer_values("equal")))
    assert "Parter: Krokoms kommun, Bergs kommun" in text
    assert "Fördelningsnyckel: lika delar" in text and "Antal simuleringar: 20000" in text
    assert "equal" not in text
    assert "Elpris allt inräknat (spot, nät, skatt, påslag) = 1,41" in text
    assert "electricity_price" not in text and "coalition" not in text and "1.41" not in text
    assert "Med förväntad avbrottskostnad: ja" in text


def test_footer_names_the_saved_scenario_file(tmp_path, monkeypatch):
    state = st.check_selection(st.selection_state({"electricity_price": 1.41}, TWO, "equal"))
    path = st.save_scenario("Dyr el", "", state, folder=tmp_path)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    monkeypatch.setenv("GNS_PARAMETERS_FILE", str(path))
    text = str(html.footer(_params(state)))
    assert "Parameterfil" in text and "dyr-el.yaml" in text and digest in text
    # a report with other values does not claim the file (a variable left from an earlier run)
    other = _params(state) | {"allocation_key": "usage"}
    assert "dyr-el.yaml" not in str(html.footer(other))
    # without the runner naming a file, no file is claimed (not even a matching saved scenario)
    monkeypatch.delenv("GNS_PARAMETERS_FILE")
    monkeypatch.setattr(paths, "PARAMETERS_DIR", tmp_path)
    assert "Parameterfil" not in str(html.footer(_params(state)))


def test_the_parameter_file_reaches_only_the_kernel(tmp_path, monkeypatch):
    """Reading a parameter file changes nothing in the process; the runner gives the file to
    the kernel's environment for the one report and restores its own afterwards."""
    import os

    from gnsanalysis.publish import runner

    monkeypatch.setenv("GNS_PARAMETERS_FILE", "/tidigare/fil.yaml")  # restored after the test
    path = st.save_scenario("A", "", st.selection_state({}, TWO, "usage"), folder=tmp_path)
    runner.load_parameters_file(path)
    assert os.environ["GNS_PARAMETERS_FILE"] == "/tidigare/fil.yaml"
    with runner._kernel_environment(None, path):
        assert os.environ["GNS_PARAMETERS_FILE"] == str(path.resolve())
    assert os.environ["GNS_PARAMETERS_FILE"] == "/tidigare/fil.yaml"
    with runner._kernel_environment(None):
        assert "GNS_PARAMETERS_FILE" not in os.environ  # a report without -f names no file


def test_build_info_records_the_parameter_file_for_verify(tmp_path, monkeypatch):
    from gnsanalysis.publish import build, runner

    inside = paths.PROJECT_ROOT / "parametrar" / "a.yaml"
    html_text = runner._embed_build_info("<head></head>", "it-serverdrift", {"n_draws": 1}, inside)
    info = runner.read_build_info(html_text)
    assert info["parameters_file"] == "parametrar/a.yaml"
    assert build._recorded_parameters_file(info) == inside
    outside = tmp_path / "b.yaml"
    info = runner.read_build_info(runner._embed_build_info("<head></head>", "it-serverdrift", {}, outside))
    assert build._recorded_parameters_file(info) == outside.resolve()
    assert build._recorded_parameters_file({"report": "x", "parameters": {}}) is None


@pytest.mark.parametrize("code, name", [
    ("usage", "användning (servrar)"), ("equal", "lika delar"), ("population", "befolkning"),
    ("1/3 equal + 2/3 population", "1/3 lika delar + 2/3 befolkning"),
])
def test_footer_names_the_key_as_the_explorer_menu_does(code, name):
    from gnsanalysis.scenarios.api import allocation_keys

    text = str(html.footer({"allocation_key": code}, shown=views.footer_values(code)))
    assert f"Fördelningsnyckel: {name}</dd>" in text
    if code in allocation_keys():
        assert allocation_keys()[code] == name  # the menu's own text


def test_footer_with_key_names_still_matches_the_parameter_file(tmp_path, monkeypatch):
    state = st.check_selection(st.selection_state({}, TWO, "usage"))
    path = st.save_scenario("Servrar", "", state, folder=tmp_path)
    monkeypatch.setenv("GNS_PARAMETERS_FILE", str(path))
    text = str(html.footer(_params(state), shown=views.footer_values("usage")))
    assert "servrar.yaml" in text and "Fördelningsnyckel: användning (servrar)" in text


def test_the_board_notebook_shows_the_key_name():
    """The IT report's footer cell passes the Swedish key names (the source the runner executes)."""
    source = (paths.NOTEBOOKS_DIR / "it-serverdrift.py").read_text(encoding="utf-8")
    assert "shown=views.footer_values(allocation_key, n_draws)" in source
