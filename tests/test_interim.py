"""Interim periods, object tables summing to the whole, and the example data tied to the seeds."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from gnsanalysis import analysis as an
from gnsanalysis import config, datasets, interim, runner
from gnsanalysis.checks import check_table
from gnsanalysis.errors import DataNotFoundError, ParameterError
from gnsanalysis.rr import parse_rr_text, read_rr

RAW = config.RAW_DIR


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
    assert any(f.file == "b.txt" and "'Övrigt' finns i objekttabellen men inte i hela.txt" in str(f) for f in findings)


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


def _dev(part, column=interim.DEV):
    return an.value(part.table, an.final_row(part.table), column)


def test_2018_08_ties_to_the_delarsrapport_prose_and_the_year_end():
    it = interim.load("2018-08")
    assert _dev(it.whole) == -44  # "Ackumulerat utfall mot budget per augusti är -44 tkr"
    by = {p.dataset.object_id: p for p in it.objects}
    assert set(by) == {"6663", "GNS", "LINK2"}
    assert _dev(by["GNS"], interim.ECON_DIFF) == 560  # "Prognos för denna del är ett överskott på 560 tkr"
    assert it.object_findings == [] and interim.all_findings(it) == []
    # the enlargement is not booked: no revenue for GNS by August
    assert an.value(by["GNS"].table, "Summa Intäkter", interim.OUTCOME) == 0
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
    it = interim.load("2019-04")
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


def test_summary_sentences_are_computed_from_the_table():
    s = interim.summary(interim.load("2018-08"))
    assert "Ackumulerat utfall mot budget per augusti är −44 tkr" in s[1]
    assert any("senast 31 oktober 2018" in x for x in s)
    assert any(x.startswith("Obs! Ekonomens prognos skiljer sig") for x in s)


def test_seasonal_profile_source():
    it = interim.load("2018-08")  # no 2017 year-end: the 2017 column of the 2018 year-end table
    assert it.prev_full[2] == interim.PREV and it.prev_full[0].path.name == "gns-rr-2018-12.txt"
    it = interim.load("2019-04")
    assert it.prev_full[2] == interim.OUTCOME


# --------------------------------------------------------------------------- datasets and file drops

def test_find_dataset_returns_the_committee_unless_an_object_is_asked_for():
    assert datasets.find_dataset("rr", "2019-04").path.name == "gns-rr-2019-04.txt"
    assert datasets.find_dataset("rr", "2019-04", None, object="6663").path.name == "gns-rr-2019-04-obj-6663.txt"
    assert datasets.find_dataset("rr", "2018-12").path.name == "gns-rr-2018-12.txt"  # unchanged call
    assert [d.object_id for d in datasets.object_datasets("rr", "2019-04")] == ["6663", "GNS", "LINK2"]
    with pytest.raises(DataNotFoundError, match="objekt 9999"):
        datasets.find_dataset("rr", "2019-04", object="9999")


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
    _drop_2019_08(raw)
    it = interim.load("2019-08", raw)
    assert it.previous_interim.dataset.period == "2019-04"
    assert it.is_example and not it.whole.dataset.is_example  # the comparison uses example data
    assert "Delar av rapporten" in interim.banner(it)
    frame = interim.previous_interim_frame(it)
    assert list(frame["Post"])[-1] == "Resultat, hela nämnden"
    assert "Jämfört med tertialrapporten per april 2019" in interim.previous_interim_sentences(it)[0]
