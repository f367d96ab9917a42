"""The explorer's state layer: Swedish input, scenario files, replay, rounding equal to the report."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from gnsanalysis import paths
from gnsanalysis.errors import ParameterError
from gnsanalysis.scenarios import state as st
from gnsanalysis.scenarios.explore import STATE_KEYS, explore, party_rows, pays_more_text, validate_state

TWO = ["Krokoms kommun", "Bergs kommun"]


@pytest.fixture
def ctl():
    return st.controls()


# --------------------------------------------------------------------------- input

@pytest.mark.parametrize("text, expected", [
    ("1,5", 1.5), ("1.5", 1.5), (" 1,41 ", 1.41), ("1,414", 1.41), ("0,6", 0.6), ("1", 1.0),
])
def test_parse_swedish_decimals(ctl, text, expected):
    assert st.parse_input(text, ctl["electricity_price"]) == expected


@pytest.mark.parametrize("text, expected", [
    ("72 000", 72000), ("72\u00a0000", 72000), ("120 000,4", 120000), ("99 500", 100000), ("36000", 36000),
])
def test_parse_thousands_and_round_to_step(ctl, text, expected):
    assert st.parse_input(text, ctl["external_rack_price"]) == expected


def test_thousand_separator_and_comma_parse_exactly():
    c = st.Control(name="x", label="Test", unit="kr", source="k", guess=False, low=0, mode=1, high=5000, default=1,
                   step=st.Decimal("0.1"))
    assert st.parse_input("1 200", c) == 1200
    assert st.parse_input("1 200,5", c) == 1200.5
    assert st.parse_input("1200.5", c) == 1200.5


def test_values_rounded_to_step_carry_no_float_noise(ctl):
    v = st.parse_input("1,4100000000000001", ctl["electricity_price"])
    assert repr(v) == "1.41"
    assert yaml.safe_dump({"v": v}).strip() == "v: 1.41"


@pytest.mark.parametrize("text", ["abc", "1,2,3", "", "1..5", "1 20"])
def test_not_a_number_names_the_range(ctl, text):
    with pytest.raises(st.InputError, match=r"är inte ett tal.*Tillåtet: 0,60–1,50 kr/kWh"):
        st.parse_input(text, ctl["electricity_price"])


@pytest.mark.parametrize("text", ["2", "1 200", "0,5", "-1"])
def test_out_of_range_refused_with_range(ctl, text):
    with pytest.raises(st.InputError, match=r"utanför det tillåtna intervallet 0,60–1,50 kr/kWh exkl\. moms"):
        st.parse_input(text, ctl["electricity_price"])


def test_a_point_before_three_digits_in_a_whole_number_field_is_asked_about(ctl):
    """1.200 in a field of kronor could be 1,2 or 1 200: neither is allowed, so the message says both,
    never a silent 1."""
    with pytest.raises(st.InputError, match="kan läsas både som 1,200 och som 1 200"):
        st.parse_input("1.200", ctl["external_rack_price"])


@pytest.mark.parametrize("text,expected", [("100.000", 100000), ("36.000", 36000), ("72.500", 73000)])
def test_a_thousands_point_is_read_as_such_when_only_that_reading_is_allowed(ctl, text, expected):
    assert st.parse_input(text, ctl["external_rack_price"]) == expected


def test_out_of_range_message_shows_the_value_as_typed(ctl):
    with pytest.raises(st.InputError, match=r"^Rackhyra hos extern värd \(exkl\. el\): 1 200 ligger utanför det tillåtna intervallet"):
        st.parse_input("1 200", ctl["external_rack_price"])


def test_controls_are_the_main_assumptions_with_full_labels(ctl):
    from gnsanalysis.scenarios.assumptions import load_assumptions

    a = load_assumptions()
    assert set(ctl) == {n for n, p in a.parameters.items() if p.main}
    e = ctl["electricity_price"]
    assert e.full_label == "Elpris allt inräknat (spot, nät, skatt, påslag) (kr/kWh exkl. moms)"
    assert e.show(1.41) == "1,41"
    assert ctl["external_rack_price"].show(72000).replace("\u00a0", " ") == "72 000"


def test_explorer_state_keys_are_report_parameters():
    """The explorer writes exactly parameters the board report's notebook declares."""
    from gnsanalysis.publish.runner import declared_parameters

    declared = declared_parameters("it-serverdrift")
    assert set(st.SAVED_KEYS) == set(STATE_KEYS)
    assert set(st.SAVED_KEYS) <= set(declared)


# --------------------------------------------------------------------------- selection

def test_empty_selection_cannot_be_saved(tmp_path):
    with pytest.raises(ParameterError, match="Inga parter är valda"):
        st.save_scenario("Tomt", "", {"coalition": []}, folder=tmp_path)
    with pytest.raises(ParameterError, match="Bara en part"):
        st.save_scenario("En", "", {"coalition": ["Krokoms kommun"]}, folder=tmp_path)
    with pytest.raises(ParameterError, match="Ge scenariot ett namn"):
        st.save_scenario("  ", "", {"coalition": TWO}, folder=tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_save_load_and_overwrite_protection(tmp_path):
    state = st.selection_state({"electricity_price": 1.41}, TWO, "equal")
    path = st.save_scenario("Dyr el, två parter", "Elpris 1,41 kr", state, folder=tmp_path)
    assert path == tmp_path / "dyr-el-tva-parter.yaml"
    text = path.read_text(encoding="utf-8")
    assert "electricity_price: 1.41\n" in text and "Bergs kommun" in text
    assert st.replay_command(path) in text
    loaded = st.load_scenario(path)
    assert loaded.name == "Dyr el, två parter" and loaded.description == "Elpris 1,41 kr"
    assert loaded.state == validate_state(state)
    with pytest.raises(st.ScenarioExists, match="Det finns redan ett scenario"):
        st.save_scenario("Dyr el, två parter", "annan", state, folder=tmp_path)
    assert st.load_scenario(path).description == "Elpris 1,41 kr"  # untouched
    st.save_scenario("Dyr el, två parter", "ny", state, folder=tmp_path, overwrite=True)
    assert st.load_scenario(path).description == "ny"
    assert [s.name for s in st.list_scenarios(tmp_path)] == ["Dyr el, två parter"]


def test_only_changed_assumptions_are_written():
    ctl = st.controls()
    values = {n: c.default for n, c in ctl.items()} | {"pue_hall": 1.6}
    state = st.selection_state(values, TWO, "usage")
    assert state["assumptions"] == {"pue_hall": 1.6}


def test_scenario_dir_is_project_parametrar_from_any_cwd(tmp_path, monkeypatch):
    monkeypatch.delenv("GNS_EXPLORE_DIR", raising=False)
    monkeypatch.chdir(tmp_path)
    assert st.scenario_dir() == paths.PROJECT_ROOT / "parametrar"
    assert st.scenario_path("Dyr el") == paths.PROJECT_ROOT / "parametrar" / "dyr-el.yaml"
    assert st.replay_command(st.scenario_path("Dyr el")) == \
        ".venv/bin/gns report it-serverdrift -f parametrar/dyr-el.yaml"


def test_replay_command_quotes_paths_with_spaces(tmp_path):
    folder = tmp_path / "mina scenarier"
    cmd = st.replay_command(folder / "a.yaml")
    assert shlex.split(cmd)[-1] == str(folder / "a.yaml")
    assert cmd.endswith(shlex.quote(str(folder / "a.yaml")))


# --------------------------------------------------------------------------- replay refuses bad files

@pytest.mark.parametrize("body, match", [
    ("coalition: []\n", "Inga parter är valda"),
    ("scenario: {name: x}\ncoalition: []\n", "Inga parter är valda"),
    ("coalition: [Narnia, Berg]\n", "Okänd part"),
    ("scenario: {name: x}\ncoalition: [Krokom, Berg]\nassumptions: {elpris: 1}\n", "Okänd parameter 'elpris'"),
])
def test_load_parameters_file_refuses_invalid_scenarios(tmp_path, monkeypatch, body, match):
    from gnsanalysis.publish.runner import load_parameters_file

    monkeypatch.setenv("GNS_PARAMETERS_FILE", "")

    f = tmp_path / "bad.yaml"
    f.write_text(body, encoding="utf-8")
    with pytest.raises(ParameterError, match=f"bad.yaml går inte att använda.*{match}"):
        load_parameters_file(f)


def test_load_parameters_file_drops_the_name_block(tmp_path, monkeypatch):
    from gnsanalysis.publish.runner import load_parameters_file

    monkeypatch.setenv("GNS_PARAMETERS_FILE", "")

    path = st.save_scenario("A", "b", st.selection_state({}, TWO, "equal"), folder=tmp_path)
    data = load_parameters_file(path)
    assert "scenario" not in data and data["coalition"] == TWO and data["allocation_key"] == "equal"


def test_gns_report_exits_2_on_empty_coalition_without_building(tmp_path):
    f = tmp_path / "tom.yaml"
    f.write_text("coalition: []\nallocation_key: usage\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "gnsanalysis.cli", "report", "it-serverdrift", "-f", str(f)],
                          capture_output=True, text=True, cwd=tmp_path, timeout=120, check=False)
    assert proc.returncode == 2, proc.stderr
    assert "Inga parter är valda" in proc.stderr and "Rapporten byggdes inte" in proc.stderr
    assert "Traceback" not in proc.stderr


# --------------------------------------------------------------------------- figures

class _Cells(HTMLParser):
    def __init__(self):
        super().__init__()
        self.rows, self._row, self._cell = [], None, None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = ""

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._row.append(self._cell.strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data


def report_party_column(result, scenario, key_label):
    """The board report's per-party totals (tkr) for one key, read from its HTML table."""
    from gnsanalysis.scenarios import views

    p = _Cells()
    p.feed(str(views.party_view(views.ItReport(result), scenario)))
    header = p.rows[0]
    col = header.index(f"Summa, {key_label}")
    out = {}
    for row in p.rows[1:]:
        if len(row) == len(header) and row[0] != "Summa":
            out[row[0]] = float(re.sub(r"[\s\u00a0]", "", row[col]).replace("−", "-"))
    return out


@pytest.mark.parametrize("state", [
    {},
    {"allocation_key": "equal", "assumptions": {"electricity_price": 1.41}},
    {"coalition": ["Krokoms kommun", "Bergs kommun", "Östersunds kommun"], "allocation_key": "population",
     "assumptions": {"pue_hall": 1.33, "link_cost": 61000}},
])
def test_explorer_party_figures_equal_the_report_to_the_krona(state):
    result = explore(state, full=False)
    key = validate_state(state)["allocation_key"]
    per = result["party_costs"]["S1"]
    label = per[per["key"] == key]["key_label"].iloc[0]
    mine = {s: t for s, t, _ in party_rows(result, "S1", key)}
    assert mine == report_party_column(result, "S1", label)
    total = per[per["key"] == key]["total"].sum()
    assert sum(mine.values()) == float(st.fmt.round_half_up(total / 1000))


def test_pays_more_names_scenario_chosen_key_and_all_parties():
    result = explore({"allocation_key": "equal"}, full=False)
    text = pays_more_text(result, "S1", "equal")
    per = result["party_costs"]["S1"]
    flagged = per[(per["key"] == "equal") & per["pays_more"]]
    assert text.startswith("I S1 Gemensam hall")
    assert "lika delar" in text and "befolkning" not in text and "användning" not in text
    assert len(flagged) >= 1
    for party in flagged["party"]:
        assert party in text
    assert ".;" not in text and text.endswith("i nuläget.")
    none = pays_more_text(explore({}, full=False), "S1", "usage")
    assert none == "I S1 Gemensam hall (Krokom) betalar ingen part mer än ensam i nuläget med nyckeln användning."


def test_pays_more_lists_more_than_six():
    """No cut-off: every affected party is listed, joined as Swedish prose."""
    import pandas as pd

    rows = [{"key": "equal", "key_label": "lika delar", "pays_more": True, "party": f"Part {i}",
             "difference": 1000 + i} for i in range(8)]
    per = pd.DataFrame(rows)
    per.attrs["scenario_title"] = "S1 Test"
    text = pays_more_text({"party_costs": {"S1": per}}, "S1", "equal")
    assert all(f"Part {i} " in text for i in range(8))
    assert " och Part 7 " in text and text.endswith("var för sig i nuläget.")


def test_compare_two_saved(tmp_path):
    a = st.save_scenario("Bas", "", st.selection_state({}, TWO, "usage"), folder=tmp_path)
    b = st.save_scenario("Dyr el", "", st.selection_state({"electricity_price": 1.5}, TWO, "equal"),
                         folder=tmp_path)
    fig, per = st.compare_saved([st.load_scenario(a), st.load_scenario(b)])
    assert list(fig.columns) == ["Bas", "Dyr el"] and list(per.columns) == ["Bas", "Dyr el"]
    s0 = next(i for i in fig.index if i.startswith("S0"))
    assert fig.loc[s0, "Dyr el"] > fig.loc[s0, "Bas"]
    assert set(per.index) == {"Krokom", "Berg"}
    with pytest.raises(ParameterError, match="minst två"):
        st.compare_saved([st.load_scenario(a)])
    from gnsanalysis.scenarios import app

    page = app.compare_html([st.load_scenario(a), st.load_scenario(b)])
    assert "nyckel användning" in page and "nyckel lika delar" in page  # each column's key is named
    summa = re.search(r'<tr class="total"><th scope="row">Summa</th>(.*?)</tr>', page).group(1)
    totals = [float(t.replace("\u00a0", "").replace(" ", "")) for t in re.findall(r"<td>([^<]*)</td>", summa)]
    assert totals == [float(per[c].sum()) for c in per.columns]  # the column adds up to its Summa


def test_notebook_has_no_saved_widget_state_or_outputs():
    import nbformat

    nb = nbformat.read(Path(paths.NOTEBOOKS_DIR / "it-serverdrift-utforska.ipynb"), as_version=4)
    assert "widgets" not in nb.metadata
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")
    intro = "".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert "Run All Cells" in intro and "gns explore" in intro


@pytest.mark.parametrize("key,label", [("equal", "lika delar"), ("usage", "användning")])
def test_board_summary_says_who_pays_more_with_the_chosen_key_only(key, label):
    """The board report's summary uses the explorer's sentence, for the key the scenario was saved with."""
    from gnsanalysis.scenarios import views

    rep = views.load_it({"allocation_key": key, "n_draws": 200, "seed": 1})
    best = rep.compare[rep.compare["feasible"]].sort_values("npv").iloc[0]["scenario"]
    sentence = pays_more_text(rep.result, best, key)
    summary = views.it_summary(rep)
    assert sentence + " Se Kostnad per part." in summary
    others = {"lika delar", "befolkning", "användning"} - {label}
    said = [s for s in summary if "mer än ensam" in s or "mer med nyckeln" in s]
    assert len(said) == 1 and f"nyckeln {label}" in said[0]
    assert not any(other in said[0] for other in others)


@pytest.mark.parametrize("typed,code", [("lika", "equal"), ("befolkning", "population"),
                                        ("1/3 lika + 2/3 befolkning", "1/3 equal + 2/3 population")])
def test_a_key_written_in_swedish_is_the_same_key(typed, code):
    """``allocation_key: lika`` in a hand-written file is the key ``equal`` (it crashed the report)."""
    state = validate_state({"allocation_key": typed})
    assert state["allocation_key"] == code
    per = explore(state, full=False)["party_costs"]["S1"]
    assert per.groupby("key").size().nunique() == 1  # each key once, every party once per key


def test_a_whole_number_field_is_saved_without_a_decimal(ctl):
    state = st.selection_state({"servers_per_admin": 15, "electricity_price": 1.5}, ["Krokoms kommun", "Bergs kommun"],
                               "equal")
    assert yaml.safe_dump(state["assumptions"]).splitlines() == ["electricity_price: 1.5", "servers_per_admin: 15"]


def test_scenario_keys_are_the_report_notebooks_parameters():
    from gnsanalysis.publish.runner import declared_parameters

    assert set(st.SAVED_KEYS) | set(st.REPORT_KEYS) == set(declared_parameters("it-serverdrift"))


def test_a_file_with_an_unknown_key_is_refused_by_the_explorer_as_by_the_report(tmp_path):
    path = tmp_path / "extra.yaml"
    path.write_text("allocation_key: equal\nelpris_extra: 2\n", encoding="utf-8")
    with pytest.raises(ParameterError, match="extra.yaml går inte att använda: extra.yaml, nyckel elpris_extra: fann 2, förväntade ingen sådan nyckel"):
        st.load_scenario(path)
