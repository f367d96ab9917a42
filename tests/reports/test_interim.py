"""Interim periods, object tables summing to the whole, and the example data tied to the seeds."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pandas as pd
import pytest

from gnsanalysis import inputs as datasets
from gnsanalysis.errors import DataNotFoundError, ParameterError
from gnsanalysis.publish import runner
from gnsanalysis.reports import common as an
from gnsanalysis.reports import forecast as fc
from gnsanalysis.reports import interim, interim_views
from gnsanalysis.rr.checks import check_table
from gnsanalysis.rr.read import parse_rr_text, read_rr
from gnsanalysis.swedish import format as fmt

RAW = Path(__file__).parents[1] / "fixtures" / "raw"  # a copy of data/raw, never the live one


# --------------------------------------------------------------------------- periods

@pytest.mark.parametrize("period, kind, name, last_day", [
    ("2019-04", "tertialrapport", "Tertialrapport per april 2019", dt.date(2019, 6, 30)),
    ("2019-06", "delårsrapport", "Delårsrapport per juni 2019", dt.date(2019, 8, 31)),
    ("2019-07", "delårsrapport", "Delårsrapport per juli 2019", dt.date(2019, 9, 30)),
    ("2018-08", "delårsrapport", "Delårsrapport per augusti 2018", dt.date(2018, 10, 31)),
])
def test_interim_periods(period, kind, name, last_day):
    assert interim.report_kind(period) == kind
    assert interim.report_name(period) == name
    assert interim.deadline(period) == last_day
    assert f"({int(period[5:])} av 12 månader)" in interim.period_text(period)


@pytest.mark.parametrize("period, title", [
    ("2019-04", "Tertialrapport per april 2019 – Gemensam nämnd för samverkan (GNS)"),
    ("2018-08", "Delårsrapport per augusti 2018 – Gemensam nämnd för samverkan (GNS)"),
    ("2020-06", "Delårsrapport per juni 2020 – Gemensam nämnd för samverkan (GNS)"),  # no data needed
])
def test_report_title_is_the_h1_and_the_committee(period, title):
    assert interim.report_title(period) == title
    assert title.startswith(interim.report_name(period))


def test_report_title_rejects_other_months():
    with pytest.raises(ParameterError):
        interim.report_title("2019-12")


def test_deadline_text_says_two_months_and_rkr_r17():
    assert interim.deadline_text("2018-08") == "31 oktober 2018 (två månader efter periodens slut enligt RKR R17)"
    assert "frivillig" in interim.deadline_text("2019-04")


@pytest.mark.parametrize("period", ["2019-01", "2019-03", "2019-05", "2019-09", "2019-12", "2019-13", "2019-4", "x"])
def test_other_months_are_rejected(period):
    with pytest.raises(ParameterError, match="ÅÅÅÅ-MM|april"):
        interim.months_covered(period)


def test_runner_rejects_a_year_end_period_before_running():
    with pytest.raises(ParameterError, match="april.*augusti"):
        runner.resolve_parameters("delarsrapport", {"period": "2018-12"})
    assert runner.output_stem("delarsrapport", {"period": "2019-04"}) == "delarsrapport-2019-04"


# --------------------------------------------------------------------------- objects sum to the whole

HEAD = "Period 2019-04\n\nRR\tAck utfall\tAck budget\tBud-Utf Diff\n"


def _table(rows: str, name: str):
    return parse_rr_text(HEAD + rows, source=name)


WHOLE = """Tjänster,material,varor\t705\t705\t0
Summa Intäkter\t705\t705\t0
Lönekostnader\t-252\t-268\t16
Summa Personalkostnader\t-252\t-268\t16
RESULTAT\t453\t437\t16
"""
OBJ_A = """Tjänster,material,varor\t305\t305\t0
Summa Intäkter\t305\t305\t0
Lönekostnader\t-252\t-268\t16
Summa Personalkostnader\t-252\t-268\t16
RESULTAT\t53\t37\t16
"""
OBJ_B = """Tjänster,material,varor\t400\t400\t0
Summa Intäkter\t400\t400\t0
RESULTAT\t400\t400\t0
"""


def test_objects_sum_to_the_whole():
    assert interim.check_objects(_table(WHOLE, "hela.txt"), [_table(OBJ_A, "a.txt"), _table(OBJ_B, "b.txt")]) == []


def test_rounding_is_not_a_finding():
    # 304,8 + 400,4 = 705,2 printed 705 while the printed parts give 706: rounding, not error
    a = OBJ_A.replace("305\t305", "305\t305", 1)
    b = OBJ_B.replace("400\t400\t0\nSumma Intäkter\t400", "401\t401\t0\nSumma Intäkter\t401")
    b = b.replace("RESULTAT\t400\t400", "RESULTAT\t401\t401")
    assert interim.check_objects(_table(WHOLE, "hela.txt"), [_table(a, "a.txt"), _table(b, "b.txt")]) == []


def test_objects_that_do_not_sum_are_named_by_file_line_row_and_column():
    bad = OBJ_B.replace("Tjänster,material,varor\t400", "Tjänster,material,varor\t410")
    findings = interim.check_objects(_table(WHOLE, "hela.txt"), [_table(OBJ_A, "a.txt"), _table(bad, "b.txt")])
    assert len(findings) == 1
    f = findings[0]
    assert (f.file, f.line, f.row, f.column, f.printed) == ("hela.txt", 4, "Tjänster,material,varor", "Ack utfall", 705)
    assert (f.low, f.high) == (714, 716)
    assert str(f).startswith("hela.txt:4: rad 'Tjänster,material,varor', kolumn 'Ack utfall': tryckt 705")
    assert "summan av objekten a.txt, b.txt" in str(f)


def test_a_row_only_in_an_object_is_a_finding():
    extra = OBJ_B.replace("RESULTAT", "Övrigt\t-1\t0\t-1\nRESULTAT")
    findings = interim.check_objects(_table(WHOLE, "hela.txt"), [_table(OBJ_A, "a.txt"), _table(extra, "b.txt")])
    assert any(f.file == "b.txt" and "”Övrigt” finns i objekttabellen men inte i hela.txt" in str(f) for f in findings)


# --------------------------------------------------------------------------- the example data

EXAMPLE_FILES = sorted(list(RAW.glob("gns-rr-2018-08*.txt")) + list(RAW.glob("gns-rr-2019-04*.txt")))


def test_eight_example_tables():
    assert len(EXAMPLE_FILES) == 8


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.name)
def test_example_tables_check_clean_and_are_marked_example(path):
    table = read_rr(path)
    assert table.layout_id == "gns-rr-kod" and check_table(table) == []
    meta = datasets.load_meta(path.with_name(path.name.replace(".txt", ".meta.yaml")))
    assert meta["data_status"] == "example" and len(meta["note"]) > 100


def _dev(part, role=interim.DEV):
    return an.value(part.table, an.final_row(part.table), an.column(part.table, role))


def test_2018_08_ties_to_the_delarsrapport_prose_and_the_year_end():
    it = interim.load("2018-08", RAW)
    assert _dev(it.whole) == -44  # "Ackumulerat utfall mot budget per augusti är -44 tkr"
    by = {p.dataset.object_id: p for p in it.objects}
    assert set(by) == {"6663", "GNS", "LINK2"}
    assert _dev(by["GNS"], interim.ECON_DIFF) == 560  # "Prognos för denna del är ett överskott på 560 tkr"
    assert it.object_findings == [] and interim.all_findings(it) == []
    # the enlargement is not booked: no revenue for GNS by August
    assert an.value(by["GNS"].table, "Summa Intäkter", "Ack utfall") == 0
    # an 8/12 path to the year-end outcome: every accumulated cost is a part of the year's
    ye = read_rr(RAW / "gns-rr-2018-12.txt")
    for row in ["Lönekostnader", "Lokaler,el,utrustning,rep", "Övrigt", "Avskrivningar", "Finansnetto"]:
        assert ye.value(row, "Ack utfall") <= it.table.value(row, "Ack utfall") <= 0
    assert it.table.value("Avskrivningar", "Ack utfall") == ye.value("Avskrivningar", "Ack utfall") * 8 / 12
    # 2018 annual budget as in the year-end table
    for row in ye.frame["label"]:
        assert it.table.value(row, "Årsbudget") == ye.value(row, "Årsbudget")
    assert all(s.endswith("vilket stämmer.") for s in interim.document_checks(it))


def test_2019_04_ties_to_the_tertial_prose_and_the_2019_budget():
    it = interim.load("2019-04", RAW)
    by = {p.dataset.object_id: p for p in it.objects}
    assert _dev(it.whole) == -219
    assert (_dev(by["6663"]), _dev(by["LINK2"]), _dev(by["GNS"])) == (23, -258, 16)
    gns = by["GNS"].table  # Verksamhetsplan 2019 §5.1 in whole tkr
    assert [gns.value(r, "Årsbudget") for r in ["Tjänster,material,varor", "Lönekostnader",
                                                 "Summa Övriga kostnader", "RESULTAT"]] == [914, -805, -109, 0]
    # Jan–Apr 2018 in this table is part of Jan–Aug 2018 in the 2018-08 table
    aug = read_rr(RAW / "gns-rr-2018-08.txt")
    for row in ["Lönekostnader", "Övrigt", "Avskrivningar"]:
        assert aug.value(row, "Ack utfall") <= it.table.value(row, "Ack utfall fg år") <= 0
    assert it.object_findings == [] and interim.all_findings(it) == []
    assert all(s.endswith("vilket stämmer.") for s in interim.document_checks(it))


# --------------------------------------------------------------------------- wording rules

@pytest.mark.parametrize("values, expected", [
    ({"a": -258, "b": 29, "c": 16, "d": -6}, ["a", "b", "c"]),  # 5 % of 258 is 12,9: d is left out
    ({"a": -42, "b": -2, "c": 0}, ["a"]),                        # below 5 tkr
    ({"a": -30, "b": -12, "c": -2}, ["a", "b"]),
    ({"a": 4, "b": -3}, []),                                    # nothing reaches 5 tkr
    ({"a": 5, "b": -5}, ["a", "b"]),                             # the limits are inclusive
])
def test_materiality_rule_for_named_drivers(values, expected):
    assert list(interim.material(pd.Series(values, dtype=float)).index) == expected
    assert (interim.MATERIAL_TKR, interim.MATERIAL_SHARE) == (5, 0.05)


def test_materiality_is_in_tkr_whatever_the_unit():
    assert list(interim.material(pd.Series({"a": 4000.0, "b": 6000.0}), "kr").index) == ["b"]


def test_check_text_states_the_rounding_from_unit_and_precision(april):
    assert "avrundat med högst 500\u00a0kr" in interim_views.checks_view(april)


@pytest.fixture(scope="module")
def august():
    return interim.load("2018-08", RAW)


@pytest.fixture(scope="module")
def april():
    return interim.load("2019-04", RAW)


def _prose(it) -> list[str]:
    """Every sentence the report prints about the data."""
    return (interim.summary(it) + interim.object_sentences(it) + interim.document_checks(it)
            + interim.previous_year_sentences(it) + interim.previous_interim_sentences(it)
            + interim.forecast_sentences(it) + interim.forecast_detail_sentences(it)
            + interim.hindsight_sentences(it) + interim.assumptions())


@pytest.mark.parametrize("which", ["august", "april"])
def test_prose_uses_one_term_and_states_facts(which, request):
    text = " ".join(_prose(request.getfixturevalue(which)))
    for bad in ("Ekonomens", "ekonomens prognos", "Årsprognos", "helårsprognosen är", "bör ", "summerar",
                "avvikelse(r)", "'", "utöver avrundning", "halvt tusental"):
        assert bad not in text, bad
    assert "lagda årsprognosen" in text


@pytest.mark.parametrize("which, sentences", [
    ("august", ["Delårsrapport per augusti 2018 omfattar januari–augusti 2018 (8 av 12 månader) och ska lämnas "
                "till fullmäktige och revisorerna senast 31 oktober 2018.",
                "Ackumulerat utfall mot budget per augusti är −44 tkr, främst Serverdrift Åre (obj. 6663) med −42 tkr.",
                "Den lagda årsprognosen för 2018 är ett resultat på 458 tkr, +560 tkr mot årsbudgeten (−102 tkr), "
                "främst Samverkansnämnd (GNS) med +560 tkr.",
                "Den lagda årsprognosen skiljer sig mer än 50 tkr från samtliga beräknade metoder, främst för "
                "Intäkter (3 714 tkr; metoderna ger mellan 1 760 och 2 640 tkr) och Verksamhetsnära kostnader "
                "(−1 000 tkr; metoderna ger 0 tkr)."]),
    ("april", ["Tertialrapport per april 2019 omfattar januari–april 2019 (4 av 12 månader) och ska lämnas till "
               "fullmäktige och revisorerna senast 30 juni 2019.",
               "Ackumulerat utfall mot budget per april är −219 tkr, främst LINK2 (införande Cosmic Link) med "
               "−258 tkr, delvis uppvägt av övriga objekt (+39 tkr).",
               "Den lagda årsprognosen för 2019 är ett resultat på −60 tkr, −60 tkr mot årsbudgeten (0 tkr), "
               "främst LINK2 (införande Cosmic Link) med −100 tkr, delvis uppvägt av övriga objekt (+40 tkr).",
               "Den lagda årsprognosen skiljer sig mer än 50 tkr från samtliga beräknade metoder, främst för "
               "Intäkter (4 174 tkr; metoderna ger mellan 2 115 och 3 874 tkr)."]),
])
def test_summary_is_short_and_computed_from_the_tables(which, sentences, request):
    it = request.getfixturevalue(which)
    s = [x.replace("\u00a0", " ") for x in interim.summary(it)]
    assert s == sentences
    # GNS −2 tkr in August is below the materiality rule and not named
    details = interim.forecast_sentences(it) + interim.forecast_detail_sentences(it)
    assert not set(interim.summary(it)) & set(details)  # details stay in their sections, not repeated


def test_summary_reports_check_findings_in_one_sentence(tmp_path):
    raw = tmp_path / "raw"
    _copy(["gns-rr-2018-12.txt"], raw)
    _copy(["gns-rr-2019-04.txt"], raw)
    path = raw / "gns-rr-2019-04.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("Övrigt\t-479", "Övrigt\t-400"), encoding="utf-8")
    it = interim.load("2019-04", raw)
    assert it.whole.findings
    n = len(interim.all_findings(it))
    assert interim.summary(it)[-1].startswith(f"Obs! Kontrollen av tabellerna fann {n} avvikelse")
    assert len(interim.summary(it)) <= 5


def test_seasonal_profile_source(august, april):
    # no 2017 year-end: the 2017 column of the 2018 year-end table
    assert august.prev_full_column == interim.PREV and august.prev_full.dataset.path.name == "gns-rr-2018-12.txt"
    assert april.prev_full_column == interim.OUTCOME
    assert april.prev_full.findings == [] and april.prev_full.table.unit == "tkr"


# --------------------------------------------------------------------------- tables that add up

@pytest.mark.parametrize("which, rounding", [
    ("august", None),
    # printed rows: budget −586, deviation −220; printed result −587 and −219
    ("april", {"Budget": -1, "Utfall": 0, "Avvikelse": 1}),
])
def test_deviation_table_ends_with_the_printed_result(which, rounding, request):
    it = request.getfixturevalue(which)
    frame = an.deviation_frame(it.table, "Resultat")
    res = frame.iloc[-1]
    assert res["Post"] == "Resultat" and res["Avvikelse"] == _dev(it.whole)
    if rounding is None:
        assert "Avrundning" not in list(frame["Post"])
    else:
        assert frame.iloc[-2]["Post"] == "Avrundning"
        assert {c: frame.iloc[-2][c] for c in rounding} == rounding
    for col in ("Budget", "Utfall", "Avvikelse"):
        assert frame[col].iloc[:-1].sum() == pytest.approx(res[col])


@pytest.mark.parametrize("which, results", [
    # reviewer's figures: rows 712 under 713 (run-rate), −11 under −12 (seasonal)
    ("august", {fc.BUDGET_REST: -146, fc.RUN_RATE: 713, fc.SEASONAL: -12, fc.ECONOMIST: 458}),
    # −220 under −219 (budget rest: printed rounding, its own row), −684 under −685 (seasonal)
    ("april", {fc.BUDGET_REST: -219, fc.RUN_RATE: -2418, fc.SEASONAL: -685, fc.ECONOMIST: -60}),
])
def test_forecast_table_columns_add_up_as_shown(which, results, request):
    it = request.getfixturevalue(which)
    shown = interim.forecast_display(it)
    assert {m: shown.iloc[-1][fc.LABELS[m]] for m in fc.METHODS} == results
    for col in ["Årsbudget"] + [fc.LABELS[m] for m in fc.METHODS]:
        assert shown[col].iloc[:-1].sum() == shown[col].iloc[-1], col
    posts = list(shown["Post"])
    if which == "april":
        assert posts[-2] == "Avrundning" and shown.iloc[-2][fc.LABELS[fc.BUDGET_REST]] == 1
        assert shown.iloc[-2][fc.LABELS[fc.SEASONAL]] == 0  # computed sums have no source rounding
    else:
        assert "Avrundning" not in posts


# --------------------------------------------------------------------------- forecast prose

def test_run_rate_is_called_misleading_for_seasonal_rows(august, april):
    assert [p for p, _ in interim.uneven_rows(april)] == ["Intäkter", "Verksamhetsnära kostnader"]
    assert [p for p, _ in interim.uneven_rows(august)] == ["Intäkter"]
    text = interim.forecast_detail_sentences(april)[0].replace("\u00a0", " ")
    assert text.startswith("Samma takt som hittills ger −2 418 tkr för resultatet men är missvisande för "
                           "Intäkter (2 115 tkr mot årsbudgeten 3 874 tkr)")
    assert "0 % respektive 0 % av helårsbeloppet bokfört i januari–april, mot 33 %" in text
    text = interim.forecast_detail_sentences(august)[0].replace("\u00a0", " ")
    assert "94 % av helårsbeloppet bokfört i januari–augusti, mot 67 %" in text


def test_forecast_flag_is_stated_as_fact(august):
    text = " ".join(interim.forecast_sentences(august))
    assert "Underlaget förklarar inte skillnaden" in text and "bör" not in text
    assert "alla över flaggränsen 50 tkr" in text.replace("\u00a0", " ")


def test_hindsight_defines_the_deviation_and_warns_about_the_reserve(august):
    s = [x.replace("\u00a0", " ") for x in interim.hindsight_sentences(august)]
    assert "årets resultat blev −88 tkr" in s[0] and "(avvikelse = prognos − utfall)" in s[0]
    assert "den lagda årsprognosen +546 tkr" in s[0]
    assert s[1].startswith("Jämförelsen är inte helt likvärdig: i årsbokslutet reserverades ca 745 tkr till 2019")
    assert "hade resultatet varit ca 657 tkr" in s[1] and "den lagda årsprognosen −199 tkr" in s[1]


def test_hindsight_without_a_reserve_has_no_caveat(tmp_path):
    raw = tmp_path / "raw"
    _copy(["gns-rr-2018-08.txt", "gns-rr-2018-12.txt"], raw)
    meta = raw / "gns-rr-2018-12.meta.yaml"
    text = meta.read_text(encoding="utf-8")
    meta.write_text(text[:text.index("  reserved_next_year:")], encoding="utf-8")
    s = interim.hindsight_sentences(interim.load("2018-08", raw))
    assert len(s) == 2 and "likvärdig" not in " ".join(s)


def test_findings_in_a_reference_table_are_reported(tmp_path):
    raw = tmp_path / "raw"
    _copy(["gns-rr-2019-04.txt", "gns-rr-2018-12.txt"], raw)
    path = raw / "gns-rr-2018-12.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("Övrigt\t-1 489", "Övrigt\t-1 400"), encoding="utf-8")
    it = interim.load("2019-04", raw)
    assert it.prev_full.findings and interim.all_findings(it) == []  # the report's own tables are clean
    source = interim.forecast_detail_sentences(it)[-1]
    assert f"Obs! Kontrollen fann {len(it.prev_full.findings)} avvikelse" in source
    assert "i nämndens resultaträkning per december 2018, se Kontroll" in source and ".txt" not in source
    html = interim_views.checks_view(it)
    assert "Nämndens resultaträkning per december 2018, som används för säsongsprofilen (helåret 2018)" in html


def test_reference_table_with_another_period_is_refused(tmp_path):
    raw = tmp_path / "raw"
    _copy(["gns-rr-2019-04.txt", "gns-rr-2018-12.txt"], raw)
    path = raw / "gns-rr-2018-12.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("Period 2018-12", "Period 2018-11"), encoding="utf-8")
    with pytest.raises(datasets.ConfigError, match="Period 2018-11"):
        interim.load("2019-04", raw)


# --------------------------------------------------------------------------- datasets and file drops

def test_find_dataset_returns_the_committee_unless_an_object_is_asked_for():
    assert datasets.find_dataset("rr", "2019-04", RAW).path.name == "gns-rr-2019-04.txt"
    assert datasets.find_dataset("rr", "2019-04", RAW, object="6663").path.name == "gns-rr-2019-04-obj-6663.txt"
    assert datasets.find_dataset("rr", "2018-12", RAW).path.name == "gns-rr-2018-12.txt"  # unchanged call
    assert [d.object_id for d in datasets.object_datasets("rr", "2019-04", RAW)] == ["6663", "GNS", "LINK2"]
    with pytest.raises(DataNotFoundError, match="objekt 9999"):
        datasets.find_dataset("rr", "2019-04", RAW, object="9999")


def _copy(names, raw: Path, *, status: str | None = None):
    raw.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copy(RAW / name, raw / name)
        meta = RAW / name.replace(".txt", ".meta.yaml")
        text = meta.read_text(encoding="utf-8")
        if status:
            text = text.replace("data_status: example", f"data_status: {status}")
        (raw / meta.name).write_text(text, encoding="utf-8")


def _drop_2019_08(raw: Path, status: str = "real"):
    """A differently named 'real' export for 2019-08 (figures borrowed from the April table)."""
    text = (RAW / "gns-rr-2019-04.txt").read_text(encoding="utf-8").replace("Period 2019-04", "Period 2019-08")
    (raw / "Export RR GNS aug 2019.txt").write_text(text, encoding="utf-8")
    (raw / "export-aug.meta.yaml").write_text(
        'file: "Export RR GNS aug 2019.txt"\nkind: rr\ndata_status: ' + status + '\nperiod: "2019-08"\nunit: tkr\n',
        encoding="utf-8")


def test_real_committee_table_does_not_mix_with_example_objects(tmp_path):
    raw = tmp_path / "raw"
    _copy(["gns-rr-2018-12.txt", "gns-rr-2019-04-obj-6663.txt"], raw)
    _copy(["gns-rr-2019-04.txt"], raw, status="real")
    it = interim.load("2019-04", raw)
    assert it.objects == [] and "används inte" in it.notes[0]
    assert not it.is_example


def test_previous_interim_of_the_same_year_is_compared(tmp_path):
    raw = tmp_path / "raw"
    _copy(["gns-rr-2018-12.txt", "gns-rr-2019-04.txt", "gns-rr-2019-04-obj-6663.txt",
           "gns-rr-2019-04-obj-gns.txt", "gns-rr-2019-04-obj-link2.txt"], raw)
    _drop_2019_08(raw, status="example")
    it = interim.load("2019-08", raw)
    assert it.previous_interim.dataset.period == "2019-04" and it.skipped_previous == []
    assert it.is_example and interim_views.example_what(it) == "Delårsrapport per augusti 2019"
    frame = interim.previous_interim_frame(it)
    assert list(frame["Post"])[-1] == "Resultat, hela nämnden"
    assert "Lagd årsprognos per april" in frame.columns
    assert "Jämfört med tertialrapporten per april 2019" in interim.previous_interim_sentences(it)[0]


def test_a_real_report_is_not_compared_with_an_example_report(tmp_path):
    raw = tmp_path / "raw"
    _copy(["gns-rr-2018-12.txt", "gns-rr-2019-04.txt", "gns-rr-2019-04-obj-6663.txt"], raw)
    _drop_2019_08(raw, status="real")
    it = interim.load("2019-08", raw)
    assert it.previous_interim is None and [d.period for d in it.skipped_previous] == ["2019-04"]
    assert not it.is_example and interim_views.example_what(it) == "Rapporten"
    assert [d.path.name for d in it.inputs] == ["Export RR GNS aug 2019.txt", "gns-rr-2018-12.txt"]
    assert any("Nämndens resultaträkning per april 2019 är exempeldata men nämndens tabell är verkliga data" in n
               for n in it.notes)
    s = interim.previous_interim_sentences(it)
    assert s[0] == ("Det finns ingen tidigare delårs- eller tertialrapport för 2019 i underlaget att jämföra med "
                    "som har samma slags data.")
    assert "Tertialrapport per april 2019 är exempeldata" in s[1] and ".txt" not in " ".join(s)


def test_a_real_report_leaves_out_an_example_year_end(tmp_path):
    raw = tmp_path / "raw"
    _copy(["gns-rr-2018-12.txt"], raw)
    meta = raw / "gns-rr-2018-12.meta.yaml"
    meta.write_text(meta.read_text(encoding="utf-8").replace("data_status: real", "data_status: example"),
                    encoding="utf-8")
    _drop_2019_08(raw, status="real")
    it = interim.load("2019-08", raw)
    assert it.prev_full is None and not it.is_example
    assert any("för säsongsprofilen" in n for n in it.notes)


# --------------------------------------------------------------------------- the body speaks in words

@pytest.mark.parametrize("period", ["2018-08", "2019-04"])
def test_report_body_names_tables_in_words_not_files(period):
    """Tables are named as the board knows them; file names and repository paths stay in the
    footer's provenance."""
    it = interim.load(period, RAW)
    views = [interim_views.front(it, status="utkast", diarienummer="", datum="", handlaggare=""),
             interim_views.summary_view(it), interim_views.overview_table(it), interim_views.deviation_view(it),
             interim_views.document_view(it), interim_views.objects_view(it), interim_views.previous_year_view(it),
             interim_views.previous_interim_view(it), interim_views.forecast_view(it), interim_views.hindsight_view(it),
             interim_views.checks_view(it)]
    body = " ".join(str(v) for v in views) + " ".join(it.notes)
    assert ".txt" not in body and "shared/seeds" not in body and ".yaml" not in body
    assert "nämndens resultaträkning per" in body


def test_forecast_summary_states_the_printed_difference_from_the_annual_budget():
    """The lagd årsprognos against the annual budget is the printed ``Årsbudg- Årsprogn Diff`` of
    the result row, not a difference the report computes."""
    it = interim.load("2019-04", RAW)
    printed = an.value(it.table, an.final_row(it.table), "Årsbudg- Årsprogn Diff")
    sentence = next(s for s in interim.summary(it) if s.startswith("Den lagda årsprognosen för"))
    assert f"{fmt.number(printed, signed=True)} tkr mot årsbudgeten" in sentence


def test_change_against_last_year_is_the_printed_difference():
    """Finansnetto 2018-08: −5 against −9 prints +3 in ``Ack utf- Ack fg år Diff`` (rounding); the
    report shows the printed +3, not the +4 it could compute from the printed amounts."""
    it = interim.load("2018-08", RAW)
    frame = interim.previous_year_frame(it).set_index("Post")
    assert frame.loc["Finansnetto", "Förändring"] == an.value(it.table, "Finansnetto", "Ack utf- Ack fg år Diff") == 3
    assert "tryckta kolumn ”Ack utf- Ack fg år Diff”" in str(interim_views.previous_year_view(it))


def test_a_renamed_row_or_column_stops_the_interim_report_with_a_clear_error(tmp_path):
    from gnsanalysis.errors import GnsError

    for old, new, expected in (("\nAvskrivningar\t", "\nAvskrivning\t", "”Avskrivningar”"),
                               ("\tBud-Utf Diff\t", "\tSkillnad\t", "avvikelse mot budget")):
        raw = tmp_path / new.strip()
        _copy(["gns-rr-2019-04.txt"], raw)
        path = raw / "gns-rr-2019-04.txt"
        path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
        with pytest.raises(GnsError, match=expected) as err:
            interim.load("2019-04", raw)
        assert err.value.exit_code == 2 and "gns-rr-2019-04.txt" in str(err.value)


@pytest.mark.parametrize("period", ["2018-08", "2019-04"])
def test_footer_names_source_documents_not_repository_paths(period):
    """The example sidecars cite the repository copies of the documents; the footer shows the
    documents and lists the input files (with SHA-256) separately."""
    it = interim.load(period, RAW)
    text = str(interim_views.footer(it, {"period": period}))
    assert "shared/seeds" not in text and ".meta.yaml" not in text
    assert f"gns-rr-{period}.txt (exempeldata)" in text
