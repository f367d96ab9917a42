"""RR shapes beside the corpus (issue 11): refusals whose wording matters and inputs that
differ from a corpus table in one detail."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gnsanalysis.cli import main
from gnsanalysis.errors import ParseError
from gnsanalysis.rr.hierarchy import infer_layout
from gnsanalysis.rr.read import read_rr
from gnsanalysis.rr.text import _header_phrases, _is_header_line

CORPUS = Path(__file__).parents[1] / "fixtures" / "rr"

RIPS = """Resultaträkning
Belopp i tkr Not Utfall 2023 Utfall 2022
Verksamhetens intäkter 1 186 412 179 905
Verksamhetens kostnader 2 -1 012 844 -968 317
Pensionskostnader enl. RIPS 19 -45 210 -41 088
Avskrivningar 4 -38 512 -36 907
Verksamhetens nettokostnader -910 154 -866 408
"""


def _write(tmp_path, text: str, name: str = "t.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_label_digits_that_may_be_a_note_are_refused_naming_both_readings(tmp_path):
    with pytest.raises(ParseError) as info:
        read_rr(_write(tmp_path, RIPS))
    msg = str(info.value)
    assert "rad 5" in msg and "not 19" in msg and "'Pensionskostnader enl. RIPS 19'" in msg


def test_label_digits_before_the_note_belong_to_the_label(tmp_path):
    table = read_rr(_write(tmp_path, RIPS.replace("RIPS 19 -45", "RIPS 19 3 -45")))
    row = table.frame.iloc[2]
    assert row["label"] == "Pensionskostnader enl. RIPS 19" and row["note"] == "3"
    assert row["Utfall 2023"] == -45210


def test_a_kassaflodesanalys_is_refused_by_name_with_exit_2(capsys):
    path = CORPUS / "48-refuse-kassaflodesanalys-mnkr.txt"
    assert main(["rr", "parse", str(path)]) == 2
    err = capsys.readouterr().err
    assert "kassaflödesanalys, inte en resultaträkning" in err and "rad 5" in err


def test_percent_cells_read_the_same_with_or_without_the_percent_sign(tmp_path):
    text = (CORPUS / "49-namnd-avvikelse-percent-column-tkr.txt").read_text(encoding="utf-8")
    with_sign = read_rr(_write(tmp_path, text, "a.txt")).frame
    without = read_rr(_write(tmp_path, re.sub(r"(\d) %\n", r"\1\n", text), "b.txt")).frame
    assert with_sign.equals(without)
    assert with_sign["Avvikelse i %"].tolist()[:2] == [6.6, -2.1]


def test_a_sum_that_breaks_is_named_with_its_printed_and_computed_figures():
    with pytest.raises(ParseError) as info:
        read_rr(CORPUS / "50-refuse-sum-breaks-mnkr.txt")
    msg = str(info.value)
    assert "'Verksamhetens resultat' på rad 9" in msg and "tryckt 76,4 | 54,9" in msg and "66,4 | 54,9" in msg


def test_a_hyphenated_deviation_header_is_one_column_whose_sign_the_arithmetic_gives():
    table = read_rr(CORPUS / "51-delarsrapport-avvikelse-prognos-budget-hyphen-mnkr.txt")
    assert table.value_columns[-1] == "Avvikelse prognos-budget"
    rule = infer_layout(table)["columns"][0]
    assert rule["name"] == "Avvikelse prognos-budget" and rule["of"] == ["Budget 2023", "Prognos 2023"]


@pytest.mark.parametrize("line, column", [
    ("Not Prognos Budget Avvikelse mot budget Utfall 2022", "Avvikelse mot budget"),
    ("Utfall Budget Diff utfall/budget", "Diff utfall/budget"),
])
def test_what_a_deviation_compares_stays_in_its_column_name(line, column):
    assert column in _header_phrases(line, "pdf")[0]



def test_a_last_row_whose_digits_ran_together_is_refused_not_taken_for_an_excerpt_end(tmp_path):
    # a last row that no reading fills is an excerpt cut mid-row, unless its digits ran together
    text = RIPS.replace("RIPS 19 ", "") + "Årets resultat 198999362\n"
    with pytest.raises(ParseError, match=r"rad 8\b"):
        read_rr(_write(tmp_path, text))


def test_a_varav_line_under_a_label_without_figures_is_a_row_of_its_own(tmp_path):
    # a label line in lower case continues the label above, but "varav ..." starts a sub-row
    text = ("Resultaträkning, mnkr\nNot 2019 2018\nVerksamhetens intäkter 100,0 90,0\n"
            "Verksamhetens kostnader\nvarav personal -50,0 -45,0\nBidrag och\nlån 10,0 9,0\n")
    labels = read_rr(_write(tmp_path, text)).frame["label"].tolist()
    assert labels == ["Verksamhetens intäkter", "varav personal", "Bidrag och lån"]


def test_groups_named_inside_the_column_names_each_with_its_own_not_column(tmp_path):
    # "Not Kommunen 2023 Kommunen 2022 Not Koncernen 2023 Koncernen 2022": each Not belongs to
    # the group after it; "1 352,8 … 1 498,0" is note 1 before each group's first figure
    text = ("Resultaträkning, mnkr\nNot Kommunen 2023 Kommunen 2022 Not Koncernen 2023 Koncernen 2022\n"
            "Verksamhetens intäkter 1 352,8 371,4 1 498,0 512,6\n"
            "Verksamhetens kostnader 2 -1 200,5 -1 100,2 2 -1 400,0 -1 300,0\n"
            "Verksamhetens nettokostnader -847,7 -728,8 -902,0 -787,4\n")
    frame = read_rr(_write(tmp_path, text)).frame
    assert frame["note"].tolist() == ["1", "2", ""]
    assert frame.iloc[0, 4:].tolist() == [352.8, 371.4, 498.0, 512.6]
    # a row of one group only: its note belongs to that group, so it reads two ways, not three
    with pytest.raises(ParseError, match=r"rad 6, post 'Skatt'.*på 2 sätt"):
        read_rr(_write(tmp_path, text + "Skatt 3 -5,0 -6,0\n"))


TITLED = """{title}
                                   Utfall 2023   Budget 2023
Verksamhetens intäkter                  12 345        12 000
Verksamhetens kostnader                -98 765       -97 000
Verksamhetens nettokostnad             -86 420       -85 000
"""


@pytest.mark.parametrize(("title", "columns"), [
    # a group word inside the title line names no column group (it gave "kommun, Utfall 2023")
    ("Resultaträkning kommun, belopp i tkr", ["Utfall 2023", "Budget 2023"]),
    # group words that end the line, or are the line, head the columns (without the comma)
    ("Belopp i tkr Kommunen", ["Kommunen Utfall 2023", "Kommunen Budget 2023"]),
    ("Kommunen, tkr", ["Kommunen Utfall 2023", "Kommunen Budget 2023"]),
])
def test_a_group_word_in_a_title_line_above_the_header(tmp_path, title, columns):
    table = read_rr(_write(tmp_path, TITLED.format(title=title)))
    assert table.value_columns == columns
    assert table.value("Verksamhetens nettokostnad", columns[0]) == -86420
    assert table.unit == ("tkr" if "tkr" in title else None)


YEARS_UNDER = """TEKNISKA NÄMNDEN

Tkr                                 Utfall      Utfall      Budget   Avvikelse
                                      2023        2022        2023
Intäkter                            48 512      45 908      46 200       2 312
Kostnader                         -111 910    -110 444    -111 100        -810
Nettokostnad                       -63 398     -64 536     -64 900       1 502
"""


def test_a_shorter_years_line_is_placed_by_position_when_the_columns_keep_theirs(tmp_path):
    """The years stand under the first three headings; stacking them from the right named the
    2022 figures "Utfall 2023"."""
    table = read_rr(_write(tmp_path, YEARS_UNDER))
    assert table.value_columns == ["Utfall 2023", "Utfall 2022", "Budget 2023", "Avvikelse"]
    assert table.value("Intäkter", "Utfall 2022") == 45908


def test_a_shorter_years_line_without_positions_is_refused(tmp_path):
    single = "\n".join(" ".join(line.split()) for line in YEARS_UNDER.splitlines()) + "\n"
    with pytest.raises(ParseError, match=r"rad 4: Årtalsraden har färre årtal .* vilka kolumner årtalen hör till"):
        read_rr(_write(tmp_path, single))


UNEVEN_GROUPS = """Resultaträkning
Mnkr Kommunen Koncernen
Not Budget 2023 Utfall 2023 Utfall 2022 Utfall 2023
Verksamhetens intäkter 1 690,0 742,8 711,4 1 102,5
Verksamhetens kostnader 2 -3 842,0 -3 905,1 -3 719,6 -4 188,9
Verksamhetens nettokostnad -3 152,0 -3 162,3 -3 008,2 -3 086,4
"""


def test_groups_of_different_columns_are_not_split_evenly(tmp_path):
    """3 + 1 or 2 + 2 columns: the header does not say, so the table is refused (it was split 2 + 2)."""
    with pytest.raises(ParseError, match=r"rad 3: Kan inte fördela kolumnerna på kolumngrupperna.*samma kolumner i varje grupp"):
        read_rr(_write(tmp_path, UNEVEN_GROUPS))
    same = UNEVEN_GROUPS.replace("Budget 2023 Utfall 2023 Utfall 2022 Utfall 2023",
                                 "Utfall 2023 Utfall 2022 Utfall 2023 Utfall 2022")
    table = read_rr(_write(tmp_path, same))
    assert table.value_columns[1:3] == ["Kommunen Utfall 2022", "Koncernen Utfall 2023"]


RR_THEN_BR = """Resultaträkning
Mnkr Not Utfall 2023 Utfall 2022
Verksamhetens intäkter 865,2 834,7
Verksamhetens kostnader -4 512,8 -4 318,4
Verksamhetens nettokostnad -3 647,6 -3 483,7

Balansräkning
Mnkr Not 2023-12-31 2022-12-31
Immateriella anläggningstillgångar 9 12,4 10,8
Maskiner och inventarier 11 301,6 288,0
"""


def test_the_table_ends_where_another_tables_header_begins(tmp_path):
    """The balance sheet below an RR was read as more RR rows (check said all was well)."""
    table = read_rr(_write(tmp_path, RR_THEN_BR))
    assert list(table.labels)[-1] == "Verksamhetens nettokostnad" and len(table.labels) == 3
    assert any("slutar före rad 8, där en annan tabell börjar" in n for n in table.notes)
    repeated = RR_THEN_BR.split("Balansräkning")[0] + (  # the same header again: a page break
        "Mnkr Not Utfall 2023 Utfall 2022\nSkatteintäkter 954,1 838,2\nGenerella statsbidrag 11,7 30,4\n")
    assert len(read_rr(_write(tmp_path, repeated)).labels) == 5


PLAN = """Resultatbudget Bokslut Budget Plan
Mnkr 2023 2024 2025
Verksamhetens intäkter 402,3 388,0 395,0
Verksamhetens kostnader -2 214,6 -2 251,0 -2 318,5
Verksamhetens nettokostnad -1 812,3 -1 863,0 -1 923,5
Källa: Mål och budget 2024–2026, kommunfullmäktige 2023-11-20 § 141
"""


def test_a_years_line_that_starts_with_the_unit_and_a_source_line_below(tmp_path):
    """'Mnkr 2023 2024 2025' was no header line ("Hittar ingen rubrikrad"), and the source line
    was taken for a last row cut short."""
    table = read_rr(_write(tmp_path, PLAN))
    assert table.value_columns == ["Bokslut 2023", "Budget 2024", "Plan 2025"]
    assert table.unit == "mnkr" and table.notes == [] and len(table.labels) == 3


@pytest.mark.parametrize("footer", ["ÅRSREDOVISNING 2023 | SOLBACKA KOMMUN 47", "48 SOLBACKA KOMMUN | ÅRSREDOVISNING 2023"])
def test_a_page_footer_with_the_bodys_name_is_no_row(tmp_path, footer):
    text = RR_THEN_BR.split("\n\nBalansräkning")[0].replace("\nVerksamhetens nettokostnad", f"\n{footer}\n\fVerksamhetens nettokostnad")
    assert list(read_rr(_write(tmp_path, text)).labels) == [
        "Verksamhetens intäkter", "Verksamhetens kostnader", "Verksamhetens nettokostnad"]


def test_a_region_and_its_koncern_are_column_groups(tmp_path):
    text = ("Resultaträkning\nBelopp i mnkr Region Koncern\nNot 2023 2022 2023 2022\n"
            "Verksamhetens intäkter 3 598,4 3 371,2 3 802,6 3 561,9\n"
            "Verksamhetens kostnader -39 512,7 -37 208,3 -39 641,2 -37 330,8\n"
            "Verksamhetens nettokostnad -35 914,3 -33 837,1 -35 838,6 -33 768,9\n")
    table = read_rr(_write(tmp_path, text))
    assert table.value_columns == ["Region 2023", "Region 2022", "Koncern 2023", "Koncern 2022"]
    assert table.value("Verksamhetens intäkter", "Koncern 2023") == 3802.6


@pytest.mark.parametrize(("line", "header"), [
    ("Mnkr 2023 2024 2025", True), ("2023 2022", True), ("Not Kommunen Koncernen", True),
    ("Belopp i tkr Not Utfall 2023 Utfall 2022", True), ("Utfall 2023 (2022)", True),
    ("(2022)", False),  # a year in parentheses alone may be a negative figure
    ("Verksamhetens intäkter 1 352,8 371,4", False), ("Belopp i tkr", False),
    ("Avvikelse mot budget är utfall minus budget för hela året och visas i tkr.", False),
])
def test_one_rule_says_which_lines_are_header_lines(line, header):
    assert _is_header_line(line) is header


@pytest.mark.parametrize(("line", "phrases", "groups"), [
    ("Mnkr      Utfall      tkr", ["Utfall"], []),  # a unit in a cell of its own is no column
    ("Not Kommunen Koncernen", ["Not"], ["Kommunen", "Koncernen"]),
    ("Not    Kommunen    Koncernen", ["Not"], ["Kommunen", "Koncernen"]),  # the same in cells
    ("Region    Plan    Budget 2023", ["Plan", "Budget 2023"], ["Region"]),
    ("Kommunen 2023    Koncernen 2023", ["Kommunen 2023", "Koncernen 2023"], []),
])
def test_header_cells_are_cut_by_the_rule_of_lines(line, phrases, groups):
    found, spans, named = _header_phrases(line, "spaced")
    assert (found, named) == (phrases, groups)
    assert [line[a:b] for a, b in spans] == phrases


def test_a_repeated_header_whose_years_line_holds_not_is_skipped(tmp_path):
    """'Not 2023 2022' repeated after a page break was refused as figures without a label."""
    text = ("Resultaträkning, mnkr\nNot 2023 2022\nVerksamhetens intäkter 1 100,0 90,0\n"
            "Verksamhetens kostnader -50,0 -45,0\n\fNot 2023 2022\nVerksamhetens nettokostnad 50,0 45,0\n")
    table = read_rr(_write(tmp_path, text))
    assert list(table.labels) == ["Verksamhetens intäkter", "Verksamhetens kostnader", "Verksamhetens nettokostnad"]
    assert table.value("Verksamhetens nettokostnad", "2023") == 50.0
