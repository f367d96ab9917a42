"""RR ingestion in every format: the real 2018 table converted, traps from other bodies' tables.

Every table here is written in the test (or converted from data/raw/gns-rr-2018-12.txt into
tmp_path); a case either parses to exactly the printed numbers or fails with a ParseError that
names the line.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import openpyxl
import pytest

from gnsanalysis import paths
from gnsanalysis.errors import AmbiguousParseError, ParameterError, ParseError
from gnsanalysis.rr.checks import check_table
from gnsanalysis.rr.read import read_rr
from gnsanalysis.rr.table import to_json_dict, to_tidy_csv
from gnsanalysis.swedish.numbers import parse_number

REAL = paths.RAW_DIR / "gns-rr-2018-12.txt"
REAL_TEXT = REAL.read_text(encoding="utf-8")
REAL_ROWS = [l.split("\t") for l in REAL_TEXT.split("\n") if "\t" in l]
HEADER, BODY = REAL_ROWS[0], REAL_ROWS[1:]
COLUMNS = HEADER[1:]


def _values(table) -> list[list[float]]:
    return table.frame[table.value_columns].to_numpy().tolist()


@pytest.fixture(scope="module")
def real():
    return read_rr(REAL)


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def xlsx(tmp_path: Path, name: str, rows: list[list], merges: list[str] = ()) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "RR"
    for r in rows:
        ws.append(r)
    for m in merges:
        ws.merge_cells(m)
    path = tmp_path / name
    wb.save(path)
    return path


def num(cell: str):
    v = parse_number(cell)
    return None if v is None else float(v)


# --------------------------------------------------------------------------- the real table

def real_variants() -> dict[str, tuple[str, object]]:
    pre = "Period 2018-12\n\nFörv.nämnd 28 RR-kod 11-80\n\n"
    out = {
        "tabs.txt": ("text", REAL_TEXT),
        "four-spaces.txt": ("spaced", REAL_TEXT.replace("\t", "    ")),
        "expandtabs.txt": ("spaced", REAL_TEXT.expandtabs(8)),
        "pdf.txt": ("pdf", REAL_TEXT.replace("\t", " ")),
        "pdf-noise.txt": ("pdf", "Vi använder kakor. Godkänn kakor\nSida 3 av 12\n"
                          + REAL_TEXT.replace("\t", " ") + "\nSida 4 av 12\n"
                          "Kommentar: utfallet är bättre än budget för året som helhet.\n"),
        "semicolon-utf8.csv": ("csv", REAL_TEXT.replace("\t", ";")),
        "semicolon-bom.csv": ("csv", ("\ufeff" + REAL_TEXT.replace("\t", ";")).encode("utf-8")),
        "semicolon-cp1252.csv": ("csv", REAL_TEXT.replace("\t", ";").replace("\n", "\r\n").encode("cp1252")),
        "excel-plain.csv": ("csv", pre + ";".join(HEADER) + "\n" + "\n".join(
            ";".join([r[0]] + [c.replace(" ", "") for c in r[1:]]) for r in BODY)),
        "comma-dot.csv": ("csv", ",".join(HEADER) + "\n" + "\n".join(
            ",".join([f'"{r[0]}"'] + [c.replace(" ", "") for c in r[1:]]) for r in BODY)),
        "cells.txt": ("cells", "\n\n".join(
            ["Period 2018-12", HEADER[0], *COLUMNS] + [c for r in BODY for c in r])),
        "label-own-line.txt": ("pdf", pre + " ".join(HEADER) + "\n" + "\n".join(
            f"{r[0]}\n{' '.join(r[1:])}" for r in BODY)),
    }
    return out


@pytest.mark.parametrize("name", list(real_variants()))
def test_every_format_reads_the_real_2018_table(tmp_path, real, name):
    fmt, content = real_variants()[name]
    table = read_rr(write(tmp_path, name, content))
    assert table.format == fmt
    assert table.value_columns == real.value_columns
    assert list(table.frame["label"]) == list(real.frame["label"])
    assert list(table.frame["kind"]) == list(real.frame["kind"])
    assert _values(table) == _values(real)
    assert table.layout_id == "gns-rr-kod"
    assert check_table(table) == []


@pytest.mark.parametrize("numbers_as", ["numbers", "text"])
def test_xlsx_reads_the_real_2018_table(tmp_path, real, numbers_as):
    rows = [["Export från ekonomisystemet"], ["Period 2018-12"], [], [None, *HEADER]]
    for r in BODY:
        cells = [num(c) for c in r[1:]] if numbers_as == "numbers" else r[1:]
        rows.append([None, r[0], *cells])
    rows.append([])
    rows.append([None, "Utskrivet 2019-01-31"])
    table = read_rr(xlsx(tmp_path, "rr.xlsx", rows))
    assert table.format == "xlsx"
    assert table.period == "2018-12"
    assert _values(table) == _values(real)
    assert list(table.frame["line"])[:2] == [5, 6]  # spreadsheet rows
    assert check_table(table) == []


def test_forced_format_and_unknown_format(tmp_path, real):
    path = write(tmp_path, "rr.txt", REAL_TEXT.replace("\t", "    "))
    assert _values(read_rr(path, fmt="pdf")) == _values(real)
    assert read_rr(path, fmt="spaced").format == "spaced"
    with pytest.raises(ParameterError, match="Okänt indataformat"):
        read_rr(path, fmt="docx")
    with pytest.raises(ParseError, match="ingen Excel-arbetsbok"):
        read_rr(path, fmt="xlsx")


def test_real_unit_from_sidecar_and_altered_figure(tmp_path):
    table = read_rr(REAL)
    assert table.unit == "tkr"  # from gns-rr-2018-12.meta.yaml
    altered = REAL_TEXT.replace("Övrigt\t-1 489", "Övrigt\t-1 589")
    findings = check_table(read_rr(write(tmp_path, "rr.txt", altered)))
    assert findings and {f.line for f in findings} == {13, 14}
    assert "Övrigt" in str(findings[1])
    # in PDF text the altered row can no longer be grouped by the table's arithmetic: it stops
    with pytest.raises(AmbiguousParseError, match=r"rad 13, post 'Övrigt'.*Prövade läsningar"):
        read_rr(write(tmp_path, "rr-pdf.txt", altered.replace("\t", " ")))


# --------------------------------------------------------------------------- other bodies

KOMMUN_PDF = """\
Vi använder kakor (cookies) för att webbplatsen ska fungera. Godkänn kakor
Årsredovisning 2019. Resultaträkningen visar årets intäkter och kostnader.
Resultaträkning
Belopp i mnkr
Not Utfall 2019 Utfall 2018
Verksamhetens intäkter 1 269,5 258,1
Verksamhetens kostnader 2 -1 024,3 -1 002,7
Avskrivningar 3 -31,2 -29,8
Verksamhetens nettokostnader -786,0 -774,4
Skatteintäkter 4 612,7 598,0
Generella statsbidrag och utjämning 5 201,0 190,2
Verksamhetens resultat 27,7 13,8
Finansiella intäkter 6 4,1 3,9
Finansiella kostnader 7 -2,6 -2,9
Resultat efter finansiella poster 29,2 14,8
Extraordinära poster - -
Årets resultat 29,2 14,8
Sida 12 av 80
Kommentar: Årets resultat är bättre än budget, främst tack vare högre skatteintäkter.
"""
KOMMUN_EXPECTED = {
    "Verksamhetens intäkter": ("1", [269.5, 258.1]),
    "Verksamhetens kostnader": ("2", [-1024.3, -1002.7]),
    "Verksamhetens nettokostnader": ("", [-786.0, -774.4]),
    "Extraordinära poster": ("", [None, None]),
    "Årets resultat": ("", [29.2, 14.8]),
}


def _check_expected(table, expected):
    for label, (note, values) in expected.items():
        row = table.row(label)
        assert row["note"] == note, label
        got = [None if np.isnan(row[c]) else row[c] for c in table.value_columns]
        assert got == values, label


def test_kommun_pdf_note_glued_units_noise(tmp_path):
    table = read_rr(write(tmp_path, "kommun.txt", KOMMUN_PDF))
    assert table.format == "pdf"
    assert table.unit == "mnkr"
    assert table.value_columns == ["Utfall 2019", "Utfall 2018"]
    assert table.decimals == {"Utfall 2019": 1, "Utfall 2018": 1}
    assert len(table.frame) == 12
    _check_expected(table, KOMMUN_EXPECTED)
    assert check_table(table) == []


def test_note_versus_thousands_without_arithmetic_is_ambiguous(tmp_path):
    # "1 269,5" may be note 1 + 269,5 or 1 269,5: with no subtotal below, nothing decides
    text = "Belopp i mnkr\nNot Utfall 2019 Utfall 2018\nVerksamhetens intäkter 1 269,5 258,1\n" \
           "Avgifter 12,0 11,0\n"
    with pytest.raises(AmbiguousParseError, match=r"rad 3.*2 sätt.*1 269,5 \| 258,1.*not 1 \| 269,5 \| 258,1"):
        read_rr(write(tmp_path, "k.txt", text))


KS_FEL = """Resultaträkning, mnkr
                                            Kommunen            Koncernen
                                      Not   2025     2024       2025     2024
Verksamhetens intäkter                 1    412,6    398,1      655,2    630,4
Verksamhetens kostnader                2   – 1 843,9 –1 771,0  –2 012,3 –1 931,8
Avskrivningar                          3    –66,2    –58,4     –121,7   –115,2
Verksamhetens nettokostnad                 –1 492,5 –1 431,3  –1 478,8 –1 416,6
Skatteintäkter                         4  1 102,4  1 061,8    1 102,4  1 061,8
Generella statsbidrag och utjämning    5    421,7    398,2      421,7    398,2
Verksamhetens resultat                       31,6     28,7       45,3     43,4
Finansiella intäkter                   6      6,1      5,2        4,8      4,1
Finansiella kostnader                  7     –4,9     –4,4      –21,6    –19,7
Resultat efter finansiella poster            32,8     29,5       28,5     27,8
Skatt                                                              –2,1     –1,9
Årets resultat                               32,8     29,5       26,4     25,9
"""


def _single_spaced(text: str) -> str:
    return "\n".join(" ".join(line.split()) for line in text.split("\n"))


def test_column_positions_settle_a_row_when_a_figure_is_wrong(tmp_path):
    # Avskrivningar is misprinted (–66,2 for –61,2): no reading makes the sums hold, but the
    # koncern-only Skatt row stands under the Koncernen headings, as every other row stands
    # under its own; it is read from there and the check names the broken sum, not Skatt
    table = read_rr(write(tmp_path, "ks.txt", KS_FEL))
    assert np.isnan(table.row("Skatt")[table.value_columns].to_numpy(dtype=float)[:2]).all()
    assert table.row("Skatt")["Koncernen 2025"] == -2.1 and table.row("Avskrivningar")["Kommunen 2025"] == -66.2
    assert [(f.row, f.column) for f in check_table(table)] == [("Verksamhetens nettokostnad", "Kommunen 2025")]
    # without column positions (PDF text, single spaces) nothing but the sums could decide: refused,
    # saying that the sums hold under no reading
    with pytest.raises(AmbiguousParseError, match=r"rad \d+.*går inte ihop under någon läsning.*kan vara fel"):
        read_rr(write(tmp_path, "ks-pdf.txt", _single_spaced(KS_FEL)))


def test_column_positions_settle_what_no_sum_decides(tmp_path):
    fragment = "\n".join(KS_FEL.split("\n")[:5] + KS_FEL.split("\n")[13:14]) + "\n"
    table = read_rr(write(tmp_path, "frag.txt", fragment))
    assert table.row("Skatt")["Koncernen 2024"] == -1.9 and np.isnan(table.row("Skatt")["Kommunen 2024"])
    with pytest.raises(AmbiguousParseError, match=r"rad \d+.*2 sätt"):
        read_rr(write(tmp_path, "frag-pdf.txt", _single_spaced(fragment)))
    # positions count only when the rows read one way stand under their headings
    lines = fragment.split("\n")
    lines[3] = lines[3].replace("   " * 3 + "1", "1", 1)  # a row read one way, not under its headings
    with pytest.raises(AmbiguousParseError, match=r"rad 6, post 'Skatt'.*2 sätt"):
        read_rr(write(tmp_path, "shifted.txt", "\n".join(lines)))



def test_a_grid_row_cut_short_in_a_grouped_table_is_refused_not_placed_by_its_decimals(tmp_path):
    # the cells of one group only, and nothing in the table says which: the Kommunen columns
    # print one decimal and the Koncernen columns none, but a row is never placed by its decimals
    text = ("Resultaträkning, mnkr\n\tKommunen\t\tKoncernen\t\n\t2019\t2018\t2019\t2018\n"
            "Verksamhetens intäkter\t352,8\t371,4\t498\t512\n"
            "Verksamhetens kostnader\t-1 200,5\t-1 100,2\t-1 400\t-1 300\nSkatt\t-5\t-6\n")
    with pytest.raises(AmbiguousParseError, match=r"rad 6, post 'Skatt'.*2 sätt.*– \| – \| -5 \| -6.*-5 \| -6 \| – \| –"):
        read_rr(write(tmp_path, "cut.txt", text))



def test_a_reading_with_grouped_and_ungrouped_thousands_is_chosen_by_the_sums_never_by_style(tmp_path):
    # "1 352 1234": 1 352 | 1234 or note 1 + 352 | 1234; only the arithmetic may choose
    text = ("Resultaträkning, mnkr\nNot 2019 2018\nVerksamhetens intäkter 1 352 1234\n"
            "Verksamhetens kostnader -2 000 -1 900\n")
    with pytest.raises(AmbiguousParseError, match=r"rad 3.*2 sätt.*1 352 \| 1234.*not 1 \| 352 \| 1234"):
        read_rr(write(tmp_path, "nosum.txt", text))
    table = read_rr(write(tmp_path, "sum.txt", text + "Verksamhetens nettokostnader -1 648 -666\n"))
    assert table.row("Verksamhetens intäkter")["2019"] == 352 and table.row("Verksamhetens intäkter")["note"] == "1"



def test_column_positions_place_a_row_whose_difference_no_reading_makes_hold(tmp_path):
    # "1 352 352" is 1 352 | 352 or 1 | 352 352; the misprinted Avvikelse (7) fits neither, so
    # the positions under the headings decide, and the check then reports the difference
    text = ("Resultaträkning, tkr\n"
            "                         Budget 2019  Utfall    Avvikelse\n"
            "Verksamhetens intäkter         1 200     100    1 100\n"
            "Verksamhetens kostnader         -900    -950       50\n"
            "Övriga intäkter                1 352 352            7\n"
            "Avskrivningar                    -40     -45        5\n")
    table = read_rr(write(tmp_path, "pos.txt", text))
    assert table.row("Övriga intäkter")[["Budget 2019", "Utfall", "Avvikelse"]].tolist() == [1352, 352, 7]
    assert [(f.row, f.column) for f in check_table(table)] == [("Övriga intäkter", "Avvikelse")]


NAMND_DIR = Path(__file__).parents[1] / "fixtures" / "rr"
NAMND = (NAMND_DIR / "37-namnd-avvikelse-budget-minus-utfall-tkr.txt").read_text(encoding="utf-8")


def test_a_wrong_difference_is_read_as_printed_when_the_row_reads_one_way(tmp_path):
    # Avvikelse is budget − utfall; in the Lokalkostnader row it is misprinted (-62 for -52):
    # the row reads one way only, so it is read as printed and the check names the figure
    table = read_rr(write(tmp_path, "n.txt", NAMND.replace("-6 098 -52", "-6 098 -62")))
    assert table.row("Lokalkostnader")["Avvikelse"] == -62
    found = {(f.row, f.column) for f in check_table(table)}
    assert found == {("Lokalkostnader", "Avvikelse"), ("Summa kostnader", "Avvikelse")}
    assert check_table(read_rr(write(tmp_path, "ok.txt", NAMND))) == []
    # a row that reads one way only by taking a thousands group as a cell is refused (an excerpt cut mid-row)
    drift = (NAMND_DIR / "38-driftredovisning-namnd-subrows-whole-tkr-pdf.txt").read_text(encoding="utf-8")
    cut = "\n".join(drift.split("\n")[:14]) + "\nIndivid- och familjeomsorg -41 900 -44\n"
    with pytest.raises(AmbiguousParseError, match=r"rad 15, post 'Individ- och familjeomsorg'.*-41 \| 900 \| -44"):
        read_rr(write(tmp_path, "cut.txt", cut))
    # a row that reads several ways, none of them with its difference: refused, saying a figure may be wrong
    with pytest.raises(AmbiguousParseError, match=r"rad 9, post 'Summa kostnader'.*kan vara fel.*3 sätt"):
        read_rr(write(tmp_path, "n2.txt", NAMND.replace("-57 004 904", "-57 014 904")))


def test_a_dash_between_two_heads_is_one_column(tmp_path):
    text = ("Tkr Budget 2023 Utfall 2023 Budget - utfall\nKommunstyrelsen -88 450 -86 912 -1 538\n"
            "Socialnämnden -356 900 -352 104 -4 796\nSumma -445 350 -439 016 -6 334\n")
    table = read_rr(write(tmp_path, "d.txt", text))
    assert table.value_columns == ["Budget 2023", "Utfall 2023", "Budget - utfall"]
    assert _values(table)[2] == [-445350, -439016, -6334] and check_table(table) == []


def test_the_issue_example_one_269_522_300(tmp_path):
    # three value columns and a note column: four readings fit the count; the sum decides
    head = "Not Utfall 2019 Utfall 2018 Utfall 2017\n"
    ok = head + "Intäkter 1 269 522 300\nAvgifter 31 28 20\nSumma intäkter 300 550 320\n"
    table = read_rr(write(tmp_path, "ok.txt", ok))
    assert table.row("Intäkter")["note"] == "1"
    assert _values(table)[0] == [269.0, 522.0, 300.0]
    # when the subtotal itself can be read with or without a note, both tables add up
    both = head + "Intäkter 1 269 522 300\nAvgifter 31 28 20\nSumma intäkter 1 300 550 320\n"
    with pytest.raises(AmbiguousParseError, match=r"rad 2.*not 1 \| 269 \| 522 \| 300"):
        read_rr(write(tmp_path, "both.txt", both))
    bad = head + "Intäkter 1 269 522 300\nAvgifter 31 28 20\nSumma intäkter 999 550 320\n"
    with pytest.raises(AmbiguousParseError, match=r"rad 2, post 'Intäkter'.*Ingen uppdelning.*Prövade"):
        read_rr(write(tmp_path, "bad.txt", bad))


def test_cell_separators_lost_fail_loudly(tmp_path):
    lost = REAL_TEXT.replace("2 929\t1 760\t1 169", "2 9291 7601 169")
    with pytest.raises(ParseError, match=r"rad 6.*celler"):
        read_rr(write(tmp_path, "lost.txt", lost))
    with pytest.raises(AmbiguousParseError, match=r"rad 6"):
        read_rr(write(tmp_path, "lost-pdf.txt", lost.replace("\t", " ")))
    squashed = "\n".join(l.replace("\t", "").replace(" ", "") for l in REAL_TEXT.split("\n"))
    with pytest.raises(ParseError):
        read_rr(write(tmp_path, "squashed.txt", squashed))


KOMMUN_KONCERN = """\
Resultaträkning (mnkr)
Kommunen Koncernen
Not 2019 2018 Not 2019 2018
Verksamhetens intäkter 2 310,4 301,2 2 520,8 498,0
Verksamhetens kostnader 3 -1 100,2 -1 080,0 3 -1 290,5 -1 250,1
Avskrivningar -40,1 -38,0 -70,2 -66,3
Verksamhetens nettokostnader -829,9 -816,8 -839,9 -818,4
Skatteintäkter 4 850,0 830,5 4 850,0 830,5
Verksamhetens resultat 20,1 13,7 10,1 12,1
Skatt på årets resultat -1,5 -1,2
Årets resultat 20,1 13,7 8,6 10,9
"""


def test_kommun_koncern_groups_with_own_note_columns(tmp_path):
    table = read_rr(write(tmp_path, "kk.txt", KOMMUN_KONCERN))
    assert table.value_columns == ["Kommunen 2019", "Kommunen 2018", "Koncernen 2019", "Koncernen 2018"]
    assert table.unit == "mnkr"
    _check_expected(table, {
        "Verksamhetens intäkter": ("2", [310.4, 301.2, 520.8, 498.0]),
        "Verksamhetens kostnader": ("3", [-1100.2, -1080.0, -1290.5, -1250.1]),
        "Skatt på årets resultat": ("", [None, None, -1.5, -1.2]),  # koncern-only row
    })
    assert check_table(table) == []


MULTI_HEADER_TAB = """\
Driftredovisning per nämnd, tkr
\tUtfall\tBudget\tAvvikelse
\t2019\t2019\t2019
Kommunstyrelsen\t-12 500\t-13 000\t500
Barn- och utbildningsnämnden\t-48 200\t-47 000\t-1 200
Summa nämnder\t-60 700\t-60 000\t-700
"""


def test_multi_line_header_in_tab_text(tmp_path):
    table = read_rr(write(tmp_path, "drift.txt", MULTI_HEADER_TAB))
    assert table.value_columns == ["Utfall 2019", "Budget 2019", "Avvikelse 2019"]
    assert table.unit == "tkr"
    assert _values(table)[2] == [-60700.0, -60000.0, -700.0]
    assert check_table(table) == []
    bad = MULTI_HEADER_TAB.replace("-1 200\n", "-1 900\n")
    findings = check_table(read_rr(write(tmp_path, "bad.txt", bad)))
    assert {(f.line, f.column) for f in findings} >= {(5, "Avvikelse 2019")}


MULTI_HEADER_PDF = """\
Utfall Utfall Budget
2019 2018 2019
Verksamhetens intäkter 1 512 1 498 1 500
Verksamhetens kostnader -1 400 -1 390 -1 450
Summa 112 108 50
"""


def test_multi_line_header_in_pdf_text(tmp_path):
    table = read_rr(write(tmp_path, "m.txt", MULTI_HEADER_PDF))
    assert table.value_columns == ["Utfall 2019", "Utfall 2018", "Budget 2019"]
    assert _values(table) == [[1512, 1498, 1500], [-1400, -1390, -1450], [112, 108, 50]]


FLATTENED = """\
Resultaträkning

Mnkr

Not

Utfall 2019

Utfall 2018

Verksamhetens intäkter

1

512,3

498,1

Verksamhetens kostnader

2

-1 400,0

-1 380,5

Verksamhetens nettokostnader

-887,7

-882,4
"""


def test_one_cell_per_line(tmp_path):
    table = read_rr(write(tmp_path, "flat.txt", FLATTENED))
    assert table.format == "cells"
    assert table.unit == "mnkr"
    assert table.value_columns == ["Utfall 2019", "Utfall 2018"]
    _check_expected(table, {"Verksamhetens intäkter": ("1", [512.3, 498.1]),
                            "Verksamhetens kostnader": ("2", [-1400.0, -1380.5]),
                            "Verksamhetens nettokostnader": ("", [-887.7, -882.4])})
    assert check_table(table) == []


def test_label_and_values_on_separate_lines_with_note_first(tmp_path):
    text = ("Not Bokslut 2019 Bokslut 2018\nVerksamhetens intäkter\n1 512,3 498,1\n"
            "Verksamhetens kostnader\n2 -1 400,0 -1 380,5\nVerksamhetens nettokostnader\n-887,7 -882,4\n")
    table = read_rr(write(tmp_path, "sep.txt", text))
    assert table.row("Verksamhetens intäkter")["note"] == "1"
    assert _values(table)[0] == [512.3, 498.1]
    assert list(table.frame["line"]) == [2, 4, 6]


def test_note_lists_and_not_prefix(tmp_path):
    text = ("Not Utfall 2019 Utfall 2018\nVerksamhetens intäkter 2, 3, 17 512 498\n"
            "Verksamhetens kostnader Not 4 -1 400 -1 380\nVerksamhetens nettokostnader -888 -882\n")
    table = read_rr(write(tmp_path, "notes.txt", text))
    assert list(table.frame["note"]) == ["2, 3, 17", "4", ""]
    assert _values(table)[1] == [-1400.0, -1380.0]


VARAV_HIERARCHY = """\
Nämnd\tUtfall 2019\tBudget 2019
Kommunstyrelsen\t-120,5\t-118,0
  Administration\t-50,2\t-49,0
  IT\t-70,3\t-69,0
Barn- och utbildningsnämnden\t-500,0\t-490,0
  Förskola\t-200,0\t-195,0
  Skola\t-300,0\t-295,0
  varav skolskjuts\t-20,0\t-21,0
Summa nämnder\t-620,5\t-608,0
"""


def test_varav_and_nested_hierarchy_not_double_counted(tmp_path):
    table = read_rr(write(tmp_path, "h.txt", VARAV_HIERARCHY))
    assert table.row("varav skolskjuts")["kind"] == "part_of"
    assert table.levels[:3] == [0, 1, 1]
    assert check_table(table) == []
    flat = VARAV_HIERARCHY.replace("\t", " ").replace("\n  ", "\n")  # PDF: indentation lost
    assert check_table(read_rr(write(tmp_path, "flat.txt", flat))) == []
    wrong = VARAV_HIERARCHY.replace("IT\t-70,3", "IT\t-75,3")
    findings = check_table(read_rr(write(tmp_path, "w.txt", wrong)))
    assert [(f.line, f.row) for f in findings][:1] == [(2, "Kommunstyrelsen")]


def test_hierarchy_declared_in_data(tmp_path):
    text = "Rad\tUtfall\nA\t10\nB\t5\nC\t5\nTotal\t10\n"
    path = write(tmp_path, "d.txt", text)
    (tmp_path / "d.meta.yaml").write_text(
        "unit: tkr\nlayout:\n  totals:\n    - {row: A, parts: [B, C]}\n    - {row: Total, parts: [A]}\n",
        encoding="utf-8")
    table = read_rr(path)
    assert table.unit == "tkr"
    assert check_table(table) == []


def test_koncern_columns_order_and_percent_columns_not_summed(tmp_path):
    text = ("Rad;Utfall 2018;Utfall 2019;Förändring %\nA;100;110;10\nB;50;40;-20\n"
            "Summa;150;150;0\n")
    table = read_rr(write(tmp_path, "p.csv", text))
    assert check_table(table) == []


def test_csv_swedish_excel_forms(tmp_path):
    text = ("\ufeffResultaträkning;;\nBelopp i tkr;;\nRad;Utfall 2019;Budget 2019\n"
            "Intäkter;1 234,5;1 200\nKostnader;\u2212 1 000,0;-1 000\nSumma;234,5;200\n")
    table = read_rr(write(tmp_path, "x.csv", text.encode("utf-8")))
    assert table.unit == "tkr"
    assert _values(table) == [[1234.5, 1200.0], [-1000.0, -1000.0], [234.5, 200.0]]
    assert table.decimals == {"Utfall 2019": 1, "Budget 2019": 0}


def test_xlsx_header_anywhere_merged_group_cells_and_blanks(tmp_path):
    rows = [[], ["Resultaträkning, mnkr"], [],
            [None, None, "Kommunen", None, "Koncernen", None],
            [None, "Mnkr", "2019", "2018", "2019", "2018"],
            [None, "Verksamhetens intäkter", 310.4, "301,2", 520.8, 498],
            [None, "Skatt", None, None, -1.5, -1.2],
            [None, "Summa", 310.4, 301.2, 519.3, 496.8]]
    table = read_rr(xlsx(tmp_path, "k.xlsx", rows, merges=["C4:D4", "E4:F4"]))
    assert table.unit == "mnkr"
    assert table.value_columns == ["Kommunen 2019", "Kommunen 2018", "Koncernen 2019", "Koncernen 2018"]
    assert _values(table)[1][2:] == [-1.5, -1.2]
    assert np.isnan(_values(table)[1][0])
    assert check_table(table) == []


def test_xlsx_cell_text_not_a_number_names_the_row(tmp_path):
    rows = [["Rad", "Utfall"], ["A", "12 x"], ["Summa", 12]]
    with pytest.raises(ParseError, match=r"rad 2"):
        read_rr(xlsx(tmp_path, "bad.xlsx", rows))


def test_corrupt_xlsx_and_binary(tmp_path):
    with pytest.raises(ParseError, match="Excel"):
        read_rr(write(tmp_path, "x.xlsx", b"PK\x03\x04garbage"))
    with pytest.raises(ParseError, match="binär"):
        read_rr(write(tmp_path, "x.bin", b"\x00\x01\x02" * 50))
    with pytest.raises(ParseError, match="tom"):
        read_rr(write(tmp_path, "empty.txt", b"  \n"))


def test_truncated_table_still_fails(tmp_path):
    cut = "\n".join(REAL_TEXT.split("\n")[:-3])
    with pytest.raises(ParseError, match="avkortad"):
        read_rr(write(tmp_path, "cut.txt", cut))


# --------------------------------------------------------------------------- CLI

def _gns(*args):
    return subprocess.run([sys.executable, "-m", "gnsanalysis.cli", *map(str, args)],
                          capture_output=True, text=True)


def test_cli_json_has_unit_and_csv_columns_unchanged(tmp_path):
    path = write(tmp_path, "kommun.txt", KOMMUN_PDF)
    out = _gns("rr", "parse", path, "--format", "json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["unit"] == "mnkr"
    out = _gns("rr", "parse", path)
    assert out.stdout.splitlines()[0] == "line,label,kind,note,Utfall 2019,Utfall 2018"
    assert _gns("rr", "check", path).returncode == 0
    amb = write(tmp_path, "amb.txt", "Not Utfall 2019 Utfall 2018\nIntäkter 1 269,5 258,1\nX 1,0 2,0\n")
    res = _gns("rr", "check", amb)
    assert res.returncode == 2 and "rad 2" in res.stderr and "sätt" in res.stderr
    bad = write(tmp_path, "bad.txt", REAL_TEXT.replace("Övrigt\t-1 489", "Övrigt\t-1 589"))
    res = _gns("rr", "check", bad, "--input-format", "text")
    assert res.returncode == 1 and "bad.txt:13" in res.stdout


def test_tidy_csv_and_json_roundtrip(real):
    csv_text = to_tidy_csv(real)
    assert csv_text.splitlines()[0].startswith("line,label,kind,note,Ack utfall")
    d = to_json_dict(real)
    assert d["rows"][0]["values"]["Ack utfall"] == 2929
