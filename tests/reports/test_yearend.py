"""Year-end analysis on a copy of the real 2018 table (tests/fixtures/raw): sentences and
figures taken from the data, never the live data/raw."""

import shutil
from pathlib import Path

import pytest

from gnsanalysis.errors import GnsError
from gnsanalysis.reports import common as an
from gnsanalysis.reports import yearend

NB = "\u00a0"
M = "\u2212"
FIXTURES = Path(__file__).parents[1] / "fixtures"
RAW = FIXTURES / "raw"


@pytest.fixture(scope="module")
def ye():
    return yearend.load("2018-12", RAW)


def _variant(tmp_path: Path, old: str, new: str) -> Path:
    """The 2018 table with one line's text changed, in its own raw folder."""
    for f in RAW.glob("gns-rr-2018-12.*"):
        shutil.copy(f, tmp_path / f.name)
    table = tmp_path / "gns-rr-2018-12.txt"
    text = table.read_text(encoding="utf-8")
    assert old in text
    table.write_text(text.replace(old, new, 1), encoding="utf-8")
    return tmp_path


def test_load_real_table(ye):
    assert ye.dataset.path.name == "gns-rr-2018-12.txt"
    assert not ye.dataset.is_example
    assert ye.unit == "tkr"
    assert ye.findings == []


def test_summary_sentences_use_the_table(ye):
    text = " ".join(yearend.summary(ye))
    assert f"Årets resultat 2018 blev {M}88 tkr mot en budget på {M}102 tkr" in text
    assert "Utfallet mot budget är +13 tkr" in text
    # the printed difference (13) and the difference of printed figures (14) are both explained
    assert "ger +14 tkr eftersom beloppen är avrundade" in text
    assert (f"Intäkterna (raden Summa Intäkter) blev 2{NB}929 tkr, vilket är 1{NB}169 tkr mer än budgeterat "
            f"(1{NB}760 tkr)") in text
    assert (f"Kostnaderna (raden Summa Kostnader) blev 3{NB}018 tkr, vilket är 1{NB}156 tkr mer än budgeterat "
            f"(1{NB}862 tkr)") in text
    assert "tar i stort sett ut varandra" in text
    assert f"10{NB}598 %" in text  # the exploding percentage is named, not trusted


def test_steps_add_up_to_result_with_explicit_rounding(ye):
    start, steps, end = an.waterfall_steps(ye.table, "Ack budget", "Ack utfall", "Bud-Utf Diff")
    assert start == ("Resultat enligt budget", -102)
    assert end == ("Resultat, utfall", -88)
    labels = [s[0] for s in steps]
    assert labels == ["Intäkter", "Personalkostnader", "Verksamhetsnära kostnader", "Övriga kostnader",
                      "Avskrivningar", "Finansnetto", "Avrundning"]
    assert dict(steps)["Avrundning"] == 1
    assert start[1] + sum(v for _, v in steps) == end[1]


def test_objects_sum_to_table_deviation(ye):
    frame, sentences = yearend.object_deviations(ye)
    assert list(frame["Avvikelse"]) == [13, 0]
    assert "stämmer med tabellens avvikelse" in sentences[1]


def test_carry_over(ye):
    frame, sentences = yearend.carry_over(ye)
    values = dict(zip(frame["Post"], frame["tkr"]))
    assert values["Kvarstående medel, beräknat"] == pytest.approx(744.4)
    assert values["Basarvode (9 parter × 101\u00a0600\u00a0kr)"] == pytest.approx(914.4)
    text = " ".join(sentences)
    assert "9 × 101\u00a0600\u00a0kr = 914,4 tkr, samma belopp som årsbokslutet anger" in text
    assert "skillnaden mot det beräknade beloppet är +0,6 tkr" in text


def test_drivers_sorted_by_absolute_deviation(ye):
    top = an.drivers(ye.table, an.column(ye.table, yearend.DEV), n=3)
    assert list(top["label"]) == ["Tjänster,material,varor", "Med diagnostik samt övr tjänst", "Övrigt"]


def test_deviation_table_ends_with_result_and_explicit_rounding(ye):
    dev = yearend.deviation_table(ye, with_result=True)
    assert list(dev["Post"])[-2:] == ["Avrundning", "Resultat"]
    parts = dev.iloc[:-1]
    for col in ("Budget", "Utfall", "Avvikelse"):
        assert parts[col].sum() == dev.iloc[-1][col]  # the displayed rows add up
    assert dev.iloc[-1]["Avvikelse"] == 13


def test_percentage_from_zero_is_shown_as_missing(ye):
    frame, _ = yearend.overview(ye)
    lon = frame[frame["Post"] == "Lönekostnader"].iloc[0]
    assert lon["Förändring %"] != lon["Förändring %"]  # NaN → printed as a dash


def test_income_is_recognised_by_name_not_sign(ye):
    text = " ".join(yearend.summary(ye))
    assert "Intäkterna (raden Summa Intäkter) blev 2\u00a0929 tkr" in text


def test_costs_sentence_uses_the_printed_total_row_not_the_sum_of_its_parts():
    """The printed Summa Kostnader (budget −3 052, difference +131) is what the sentence says,
    although its printed parts add up to −3 053 and +132 (rounding in the source)."""
    ye = yearend.load("2018-12", FIXTURES / "rounding")
    assert ye.findings == []  # the totals are consistent up to rounding
    costs = [s for s in yearend.summary(ye) if s.startswith("Kostnaderna")]
    assert costs == [f"Kostnaderna (raden Summa Kostnader) blev 2{NB}921 tkr, vilket är 131 tkr mindre än "
                     f"budgeterat (3{NB}052 tkr)."]
    assert "132" not in costs[0] and "053" not in costs[0]


def test_unit_in_sentences_comes_from_the_table(tmp_path):
    raw = _variant(tmp_path, "", "")
    meta = raw / "gns-rr-2018-12.meta.yaml"
    meta.write_text(meta.read_text(encoding="utf-8").replace("unit: tkr", "unit: kr"), encoding="utf-8")
    ye = yearend.load("2018-12", raw)
    assert ye.unit == "kr"
    text = " ".join(yearend.summary(ye))
    assert "tusental kronor" not in text and "tkr" not in text
    assert text.endswith("avrundas till hela kronor.")
    assert "kronor (kr); kostnader med minustecken" in str(yearend.front(
        ye, status="utkast", namnd="", diarienummer="", datum="", handlaggare=""))


def test_column_roles_match_tolerant_of_punctuation_and_case(tmp_path):
    raw = _variant(tmp_path, "RR\tAck utfall\tAck budget", "RR\tAck. Utfall\tACK BUDGET")
    ye = yearend.load("2018-12", raw)
    assert an.column(ye.table, "outcome") == "Ack. Utfall" and an.column(ye.table, "budget") == "ACK BUDGET"
    assert yearend.summary(ye)[0].startswith(f"Årets resultat 2018 blev {M}88 tkr mot en budget på {M}102 tkr")


def test_renamed_row_is_a_clear_error_not_a_key_error(tmp_path):
    raw = _variant(tmp_path, "\nAvskrivningar\t", "\nAvskrivning\t")
    with pytest.raises(GnsError) as err:
        yearend.load("2018-12", raw)
    assert err.value.exit_code == 2
    message = str(err.value)
    assert "gns-rr-2018-12.txt" in message and "”Avskrivningar”" in message and "Åtgärd:" in message


def test_missing_required_column_is_a_clear_error(tmp_path):
    raw = _variant(tmp_path, "\tBud-Utf Diff\t", "\tSkillnad\t")
    with pytest.raises(GnsError) as err:
        yearend.summary(yearend.load("2018-12", raw))
    assert err.value.exit_code == 2
    assert "avvikelse mot budget" in str(err.value) and "”Bud-Utf Diff”" in str(err.value)


def test_report_body_names_tables_in_words_not_files(ye):
    body = " ".join(str(f) for f in (
        yearend.front(ye, status="utkast", namnd="", diarienummer="", datum="", handlaggare=""),
        yearend.overview_table(ye), yearend.deviation_view(ye), yearend.carry_over_view(ye),
        yearend.checks_view(ye), *yearend.summary(ye)))
    assert ".txt" not in body and "shared/seeds" not in body
    assert "i nämndens resultaträkning per december 2018 har kontrollerats" in body


@pytest.mark.notebook
def test_gns_report_on_a_renamed_row_exits_2_with_the_swedish_message(tmp_path):
    """Through the CLI and the notebook: a row renamed ``Avskrivning`` stops the report with the
    table's error (exit 2), not a traceback or a bare KeyError."""
    import os
    import subprocess
    import sys

    project = tmp_path / "project"
    shutil.copytree(Path(__file__).parents[2] / "notebooks", project / "notebooks")
    (project / "data" / "raw").mkdir(parents=True)
    _variant(project / "data" / "raw", "\nAvskrivningar\t", "\nAvskrivning\t")
    done = subprocess.run([sys.executable, "-m", "gnsanalysis.cli", "report", "arsbokslut", "-p", "period", "2018-12"],
                          env={**os.environ, "GNS_PROJECT_ROOT": str(project)}, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 2, done.stderr
    assert "saknar raden ”Avskrivningar”" in done.stderr and "Traceback" not in done.stderr
    assert not (project / "reports" / "arsbokslut-2018.html").exists()
