"""Year-end analysis on the real 2018 table: sentences and figures computed from the data."""

import pytest

from gnsanalysis.reports import common as an
from gnsanalysis.reports import yearend

NB = "\u00a0"
M = "\u2212"


@pytest.fixture(scope="module")
def ye():
    return yearend.load("2018-12")


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
    assert f"Intäkterna blev 2{NB}929 tkr, vilket är 1{NB}169 tkr mer än budgeterat (1{NB}760 tkr)" in text
    assert f"Kostnaderna blev 3{NB}018 tkr, vilket är 1{NB}156 tkr mer än budgeterat (1{NB}862 tkr)" in text
    assert "tar i stort sett ut varandra" in text
    assert f"10{NB}598 %" in text  # the exploding percentage is named, not trusted


def test_steps_add_up_to_result_with_explicit_rounding(ye):
    start, steps, end = an.waterfall_steps(ye.table, yearend.BUDGET, yearend.OUTCOME, yearend.DEV)
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
    top = an.drivers(ye.table, yearend.DEV, n=3)
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
    assert "Intäkterna blev 2\u00a0929 tkr" in text
