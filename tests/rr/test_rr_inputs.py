"""RR inputs a user may feed: bulk CSV in the committee's number format, spelling of column
roles, UTF-16, numbers that cannot be read exactly, size limits, XLSX sheets and formulas, and
spreadsheet-safe CSV output (issues 11, 14, 15)."""

from __future__ import annotations

import csv
import io
import math
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gnsanalysis.cli import main
from gnsanalysis.csvsafe import safe_cell
from gnsanalysis.errors import ParseError
from gnsanalysis.rr.checks import check_table
from gnsanalysis.rr.read import read_rr
from gnsanalysis.rr.table import to_tidy_csv

SEED = Path(__file__).resolve().parents[2] / "data" / "raw" / "gns-rr-2018-12.txt"
MINUS = ["-", "\u2013", "\u2212", "\u2013 ", "\u2212 "]
GAPS = [" ", "\u00a0", "\u202f"]


def _printed(value: Decimal, minus: str, gap: str, decimals: int) -> str:
    """A figure as the committee prints it: thousands grouped, decimal comma, a minus glyph."""
    text = f"{abs(value):,.{decimals}f}".replace(",", gap).replace(".", ",")
    return (minus + text) if value < 0 else text


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.integers(-10**12, 10**12), st.sampled_from(MINUS), st.sampled_from(GAPS)),
                min_size=1, max_size=40),
       st.integers(0, 2), st.sampled_from([";", "\t"]))
def test_bulk_grid_reads_every_printed_figure_exactly(tmp_path_factory, cells, decimals, sep):
    path = tmp_path_factory.mktemp("bulk") / ("t.csv" if sep == ";" else "t.txt")
    values = [Decimal(v).scaleb(-decimals) for v, _, _ in cells]
    lines = ["Period 2019-12", "", sep.join(["RR", "Ack utfall", "Ack budget"])]
    for k, ((_, minus, gap), v) in enumerate(zip(cells, values)):
        lines.append(sep.join([f"Rad {k}", _printed(v, minus, gap, decimals), "0"]))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    table = read_rr(path)
    got = table.frame["Ack utfall"].to_numpy()
    assert [float(v) for v in values] == got.tolist()
    assert table.decimals["Ack utfall"] == decimals
    assert table.period == "2019-12"


def test_column_roles_match_without_abbreviation_points(tmp_path):
    path = tmp_path / "ack.txt"
    path.write_text(SEED.read_text(encoding="utf-8").replace("Ack utfall\tAck budget", "Ack. utfall\tAck. budget"),
                    encoding="utf-8")
    assert check_table(read_rr(path)) == []
    assert check_table(read_rr(SEED)) == []


def test_utf16_text_from_excel_is_read(tmp_path):
    path = tmp_path / "u16.txt"
    path.write_bytes(SEED.read_text(encoding="utf-8").encode("utf-16"))
    a, b = read_rr(path), read_rr(SEED)
    assert a.frame.equals(b.frame) and check_table(a) == []


@pytest.mark.parametrize("cell", ["2 929%", "2929%", "1e308", "1E5", "inf", "1" * 40, "1 234 567 890 123 456 789"])
@pytest.mark.parametrize("sep", [";", "\t"])
def test_numbers_that_cannot_be_read_exactly_stop_with_exit_2(tmp_path, capsys, cell, sep):
    path = tmp_path / ("c.csv" if sep == ";" else "c.txt")
    path.write_text(sep.join(["RR", "Ack utfall", "Ack budget"]) + "\n" + sep.join(["A", "1", "1"]) + "\n"
                    + sep.join(["Summa", cell, "2"]) + "\n", encoding="utf-8")
    assert main(["rr", "parse", str(path)]) == 2
    err = capsys.readouterr().err
    assert "rad 3" in err and "Traceback" not in err


@pytest.mark.parametrize("sep", [";", "\t"])
def test_a_figure_with_too_many_digits_is_named_by_its_line_and_column(tmp_path, sep):
    """The value columns are read one after the other; the error names the cell's own line and column."""
    path = tmp_path / ("c.csv" if sep == ";" else "c.txt")
    rows = [["RR", "Ack utfall", "Ack budget", "Årsbudget"], ["A", "1", "1", "1"], ["B", "2", "2", "2"],
            ["Summa", "3", "1" * 16, "3"]]
    path.write_text("\n".join(sep.join(r) for r in rows) + "\n", encoding="utf-8")
    with pytest.raises(ParseError, match="fler siffror") as info:
        read_rr(path)
    assert (info.value.location.line, info.value.location.column) == (4, "Ack budget")


@pytest.mark.parametrize("decimal", [",", "."])
def test_cells_read_in_bulk_read_as_cells_read_one_by_one(decimal):
    """The two readers of value cells, Arrow's (the body of a CSV read in bulk) and Python's
    (every other grid), give the same figures, decimals, dashes and empty cells, and refuse
    the same cell."""
    import random

    import pyarrow as pa

    from gnsanalysis.errors import Location
    from gnsanalysis.rr.grid import _arrow_figures, _cell_figures

    rng = random.Random(5)
    parts = ["", "-", "\u2013", "\u2212", "\u2014", " ", "\u00a0", "\u202f", "\t", "1", "12", "123", "0", "007",
             ",", ".", "5", "45", "%", "e", "x", "\n", "\u0663", "--", "1 234", "12 3"]
    cells = ["".join(rng.choice(parts) for _ in range(rng.randint(0, 6))) for _ in range(4000)]
    cells += ["1 234 567", "-1 234,5", "\u2212 12,05", " 7 ", "-", "", "1" * 15, "0" * 20 + "1"]

    def where(i: int) -> Location:
        return Location(line=i)

    one_by_one = _cell_figures(cells, decimal, where)
    in_bulk = _arrow_figures(pa.array(cells, type=pa.string()), decimal, where)
    for a, b in zip(one_by_one, in_bulk):
        assert a.dtype == b.dtype and np.array_equal(a, b, equal_nan=True)
    assert one_by_one[2].sum() > 300 and one_by_one[3].sum() > 30  # many figures and dashes
    wrong = cells[:50] + ["1" * 16] + cells[50:60]
    with pytest.raises(ParseError) as first:
        _cell_figures(wrong, decimal, where)
    with pytest.raises(ParseError) as second:
        _arrow_figures(pa.array(wrong, type=pa.string()), decimal, where)
    assert str(first.value) == str(second.value) and first.value.location == second.value.location == where(50)


def test_a_file_over_the_size_limit_is_refused_with_how_to_raise_it(tmp_path, capsys):
    assert main(["rr", "check", str(SEED), "--max-bytes", "100"]) == 2
    err = capsys.readouterr().err
    assert "100 byte" in err and "--max-bytes" in err
    assert main(["rr", "check", str(SEED), "--max-bytes", "100000"]) == 0


def test_dev_zero_is_refused_without_reading_it_all(capsys):
    assert main(["rr", "check", "/dev/zero", "--max-bytes", "1000"]) == 2
    assert "--max-bytes" in capsys.readouterr().err


@pytest.mark.parametrize("text, safe", [("=HYPERLINK(\"http://x\",\"klicka\")", "'=HYPERLINK(\"http://x\",\"klicka\")"),
                                        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
                                        ("+1", "+1"), ("-5", "-5"), ("@SUM(A1)", "'@SUM(A1)"),
                                        ("\tx", "'\tx"), ("Övrigt", "Övrigt")])
def test_spreadsheet_safe_cells(text, safe):
    assert safe_cell(text) == safe


def test_csv_output_does_not_carry_formulas(tmp_path):
    path = tmp_path / "f.csv"
    path.write_text("RR;Ack utfall\n=HYPERLINK(\"http://x\");5\n@cmd;-3\nSumma;2\n", encoding="utf-8")
    rows = list(csv.reader(io.StringIO(to_tidy_csv(read_rr(path)))))
    assert [r[1] for r in rows[1:]] == ["'=HYPERLINK(\"http://x\")", "'@cmd", "Summa"]
    assert [r[4] for r in rows[1:]] == ["5", "-3", "2"]


def _plain_tidy_csv(table) -> str:
    """The tidy CSV written row by row by the csv module (what to_tidy_csv builds in bulk)."""
    def figure(v: float, d: int) -> str:
        text = "" if math.isnan(v) else f"{v:.{d}f}"
        return "0" if text == "-0" else text

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(list(table.frame.columns))
    for rec in table.frame.to_dict(orient="records"):
        writer.writerow([rec["line"], safe_cell(rec["label"]), rec["kind"], safe_cell(rec["note"]),
                         *(figure(rec[c], table.decimals[c]) for c in table.value_columns)])
    return out.getvalue()


def test_tidy_csv_is_what_the_csv_module_writes_row_by_row(tmp_path):
    path = tmp_path / "f.csv"
    rows = ["Period 2019-12", "", "RR;Not;Ack utfall;Ack budget;Årsbudget",
            "Tjänster,material,varor;;1 296,5;-0,0;-0", 'Med "citat";3;\u2212 1 208,25;;\u22123',
            "=SUMMA(A1);2, 4;0;-7;", "Bidrag;;;\u201314,0;1 000", "Tjänster,material,varor;;1,5;2;-41 907",
            "Summa Intäkter;;1 297,0;-12,0;0"]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    table = read_rr(path)
    assert to_tidy_csv(table) == _plain_tidy_csv(table)
    assert "\"Med \"\"citat\"\"\"" in to_tidy_csv(table)


def _workbook(path: Path, sheets: dict[str, list[list]]) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(r)
    wb.save(path)


TABLE = [["RR", "Ack utfall", "Ack budget"], ["Intäkter", 10, 8], ["Kostnader", -4, -3], ["Summa", 6, 5]]


def test_xlsx_names_the_sheet_and_lets_the_user_choose(tmp_path, capsys):
    path = tmp_path / "b.xlsx"
    _workbook(path, {"Försättsblad": [["Årsredovisning 2019"]], "RR": TABLE,
                     "RR 2018": [["RR", "Ack utfall"], ["Intäkter", 7], ["Summa", 7]]})
    table = read_rr(path)
    assert table.frame["Ack utfall"].tolist() == [10, -4, 6]
    assert main(["rr", "parse", str(path)]) == 0
    assert "'RR' av 3 blad" in capsys.readouterr().err
    assert read_rr(path, sheet="RR 2018").frame["Ack utfall"].tolist() == [7, 7]
    assert main(["rr", "parse", str(path), "--sheet", "Saknas"]) == 2
    assert "Försättsblad, RR, RR 2018" in capsys.readouterr().err


def test_xlsx_formulas_without_saved_values_are_named(tmp_path):
    path = tmp_path / "f.xlsx"
    _workbook(path, {"RR": TABLE[:3] + [["Summa", "=B2+B3", "=C2+C3"]]})  # openpyxl saves no values
    with pytest.raises(ParseError, match="formler utan sparade värden"):
        read_rr(path)


def test_xlsx_huge_number_is_refused(tmp_path):
    path = tmp_path / "h.xlsx"
    _workbook(path, {"RR": [TABLE[0], ["Intäkter", 1e308, 1], ["Summa", 1e308, 1]]})
    with pytest.raises(ParseError, match="siffror"):
        read_rr(path)


@pytest.mark.parametrize("sidecar, message", [
    (b"period: [2018-12\n", "inte giltig YAML"),
    (b"a: &x [1]\nb: *x\n", "alias"),
    (b"\x00\x01\x02binary", "inte text"),
])
def test_a_broken_sidecar_is_an_error_not_ignored(tmp_path, capsys, sidecar, message):
    from gnsanalysis import paths

    source = paths.RAW_DIR / "gns-rr-2018-12.txt"
    table = tmp_path / "rr.txt"
    table.write_bytes(source.read_bytes())
    (tmp_path / "rr.meta.yaml").write_bytes(sidecar)
    assert main(["rr", "check", str(table)]) == 2
    err = capsys.readouterr().err
    assert "rr.meta.yaml" in err and message in err and "Traceback" not in err


@pytest.mark.parametrize("encoding,newline,bom", [("utf-8", "\r\n", False), ("utf-8", "\n", True),
                                                  ("cp1252", "\n", False), ("utf-16", "\n", False)])
def test_csv_reads_the_same_in_every_encoding(tmp_path, encoding, newline, bom):
    """The bulk reader takes the file's bytes as they are only when they are the decoded text's
    UTF-8; every other encoding, a BOM or CR line ends give the same table."""
    lines = ["Period 2019-12", "", "RR;Ack utfall;Ack budget", "Årsavgift – ränta;1 169;\u221288",
             "Övriga intäkter;–41 907;914,4", "Summa Intäkter;-40 738;826,4"]
    plain = tmp_path / "plain.csv"
    plain.write_bytes(("\n".join(lines) + "\n").encode("utf-8"))
    other = tmp_path / "other.csv"
    text = newline.join(line.replace("\u2212", "-") if encoding == "cp1252" else line for line in lines)
    other.write_bytes((b"\xef\xbb\xbf" if bom else b"") + (text + newline).encode(encoding))
    want, got = read_rr(plain).frame, read_rr(other).frame
    assert list(got["label"]) == ["Årsavgift – ränta", "Övriga intäkter", "Summa Intäkter"]
    assert got[["Ack utfall", "Ack budget"]].equals(want[["Ack utfall", "Ack budget"]])


@pytest.mark.parametrize("text", ["", "a", "a\n", "a\nb", "a\nb\n", "\n\n\nx\n\ny", "x\n" * 500])
@pytest.mark.parametrize("n", [1, 2, 5, 400])
def test_head_lines_is_the_first_lines_of_a_split(text, n):
    from gnsanalysis.rr.formats import head_lines

    assert head_lines(text, n) == text.split("\n", n)[:n]


def test_plain_figures_equals_replacing_each_glyph():
    """The one-pass byte conversion gives what one str.replace per glyph gives, also on a slice."""
    import random

    import pyarrow as pa

    from gnsanalysis.rr.grid import plain_figures

    rng = random.Random(11)
    cells = []
    for _ in range(500):
        digits = f"{rng.randint(0, 10**9):,}".replace(",", rng.choice([" ", "\u00a0", "\u202f", ""]))
        cells.append(rng.choice(["", "-", "\u2013 ", "\u2212", "\u2212 "]) + digits + rng.choice(["", ",5", ",04"]))

    def plain(c: str) -> str:
        for glyph, to in (" ", ""), ("\u00a0", ""), ("\u202f", ""), ("\u2212", "-"), ("\u2013", "-"), (",", "."):
            c = c.replace(glyph, to)
        return c

    arr = pa.array(cells, type=pa.string())
    assert plain_figures(arr, ",").to_pylist() == [plain(c) for c in cells]
    assert plain_figures(arr.slice(7, 50), ",").to_pylist() == [plain(c) for c in cells[7:57]]


def test_normalise_label_collapses_what_the_regular_expression_whitespace_matches():
    import re

    from gnsanalysis.rr.table import normalise_label

    spaces = "".join(chr(c) for c in range(0x3001) if re.fullmatch(r"\s", chr(c)))
    for text in [f"{spaces}Ack.{spaces}utfall{spaces}", "Summa  Intäkter", "ÅRETS\u00a0RESULTAT.", "a\x1cb"]:
        plain = re.sub(r"\s+", " ", re.sub(r"(?<=\w)\.(?=\s|$)", "", text)).strip().casefold()
        assert normalise_label(text) == plain


def test_a_grid_label_on_its_own_row_takes_the_values_of_the_next_row(tmp_path):
    """A label alone on a row, the figures on the next row under an empty label cell: one row
    (grid form of "label on one line, figures on the next"); figures with no label above are
    refused with the line."""
    head = "RR\tUtfall\tBudget\nÖvrigt\t1\t2\n"
    path = tmp_path / "t.txt"
    path.write_text(head + "Bidrag från utjämningssystemen\t\t\n\t10\t20\nSumma\t11\t22\n", encoding="utf-8")
    table = read_rr(path)
    assert list(table.labels) == ["Övrigt", "Bidrag från utjämningssystemen", "Summa"]
    assert table.value("Bidrag från utjämningssystemen", "Budget") == 20
    assert list(table.lines) == [2, 4, 5]
    path.write_text(head + "\t10\t20\n", encoding="utf-8")
    with pytest.raises(ParseError, match="ingen etikett") as exc:
        read_rr(path)
    assert exc.value.location.line == 3


@pytest.mark.parametrize("body, message", [
    ("RR\tUtfall\tutfall\nÖvrigt\t1\t2\n", "dubbla kolumnnamn"),
    ("RR\tUtfall\tBudget\nÖvrigt\t1\t2\nLöner-5\t\t-6\n", "cellgränsen"),
])
def test_a_grid_header_with_a_repeated_name_or_a_label_run_into_a_figure_is_refused(tmp_path, body, message):
    path = tmp_path / "t.txt"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ParseError, match=message):
        read_rr(path)


@pytest.mark.parametrize(("code", "scaling"), [
    ("#,##0", 0), ("#,##0.0", 0), ("0.00", 0), ("General", 0), ("#,##0;[Red]-#,##0", 0),
    ("#,##0.0,,", 2), ("#,##0,", 1), ('#,##0,"tkr"', 1), ("#,##0.0,,;-#,##0.0,,", 2),
    ('0" kr, netto"', 0),  # a comma inside quoted text scales nothing
])
def test_format_scaling_counts_the_commas_after_the_last_digit(code, scaling):
    from gnsanalysis.rr.grid import format_scaling

    assert format_scaling(code) == scaling


def test_xlsx_cells_shown_divided_by_a_million_are_refused(tmp_path):
    """Kronor shown as mnkr by the format '#,##0.0,,' under 'Belopp i mnkr' were read as 865 204 118 mnkr."""
    from openpyxl import Workbook

    path = tmp_path / "kr.xlsx"
    wb = Workbook()
    ws = wb.active
    for row in [["Belopp i mnkr", "Utfall 2023"], ["Intäkter", 865204118], ["Kostnader", -765204118],
                ["Summa", 100000000]]:
        ws.append(row)
    for r in (2, 3, 4):
        ws.cell(r, 2).number_format = "#,##0.0,,"
    wb.save(path)
    with pytest.raises(ParseError, match=r"rad 2, kolumn 'B': Cellen visas delad med 1\u00a0000\u00a0000"):
        read_rr(path)
    ws.cell(2, 2).number_format = ws.cell(3, 2).number_format = ws.cell(4, 2).number_format = "#,##0"
    wb.save(path)
    assert read_rr(path).value("Intäkter", "Utfall 2023") == 865204118


COMMA_CSV = """Mnkr,Not,Utfall 2023,Utfall 2022
Verksamhetens intäkter,1,"1 284,6","1 231,9"
Verksamhetens kostnader,2,"-5 906,2","-5 671,8"
Verksamhetens nettokostnad,,"-4 621,6","-4 439,9"
"""


@pytest.mark.parametrize(("text", "decimal"), [
    (COMMA_CSV, ","),
    ("RR,Utfall\nIntäkter,12.5\nKostnader,-4\n", "."),
    ("RR;Utfall\nIntäkter;12,5\n", ","),
])
def test_csv_decimal_mark_from_the_sample(text, decimal):
    from gnsanalysis.rr.formats import csv_decimal, csv_delimiter

    lines = text.splitlines()
    assert csv_decimal(lines, csv_delimiter(lines)) == decimal


def test_comma_csv_with_quoted_decimal_comma_figures_is_read(tmp_path):
    """It was 'Hittar ingen tabell', and with --input-format csv '1 284,6' was 'inte ett tal'."""
    path = tmp_path / "komma.csv"
    path.write_text(COMMA_CSV, encoding="utf-8")
    table = read_rr(path)
    assert table.format == "csv" and table.value("Verksamhetens intäkter", "Utfall 2023") == 1284.6
    assert table.decimals["Utfall 2022"] == 1 and list(table.note_refs[:2]) == ["1", "2"]


def test_a_grid_row_with_only_a_wrong_note_cell_is_refused_not_dropped(tmp_path):
    """A note cell that is not a note makes its row one to read closely: under an empty label
    it is refused (no label above it), not left out as a row of notes only."""
    path = tmp_path / "n.txt"
    path.write_text("RR\tNot\tUtfall\nA\t1\t5\n\tx\t\nSumma\t\t5\n", encoding="utf-8")
    with pytest.raises(ParseError, match="ingen etikett") as exc:
        read_rr(path)
    assert exc.value.location.line == 3


@pytest.mark.parametrize("sep", ["\t", ";", "  "])
def test_a_cell_with_a_leading_zero_is_refused_in_every_format(tmp_path, sep):
    """'000' is a thousands group cut from its number: a grid (tab text, CSV) refuses it, naming
    the cell, as the free-text reader refuses the row."""
    path = tmp_path / ("t.csv" if sep == ";" else "t.txt")
    rows = [["RR", "Utfall", "Budget"], ["Intäkter", "000", "5"], ["Summa", "1", "5"]]
    path.write_text("\n".join(sep.join(r) for r in rows) + "\n", encoding="utf-8")
    with pytest.raises(ParseError) as exc:
        read_rr(path)
    assert exc.value.location.line == 2
    if sep != "  ":
        assert exc.value.location.column == "Utfall" and "tusengrupp" in str(exc.value)


def test_a_sidecar_layout_of_its_own_is_checked_as_the_packaged_layouts(tmp_path, capsys):
    """An inline layout with a misspelt key is refused, naming the key (schemas.LayoutModel)."""
    (tmp_path / "d.txt").write_text("Rad\tUtfall\nA\t10\nB\t5\nC\t5\n", encoding="utf-8")
    (tmp_path / "d.meta.yaml").write_text("layout:\n  totals:\n    - {row: A, part: [B, C]}\n", encoding="utf-8")
    assert main(["rr", "check", str(tmp_path / "d.txt")]) == 2
    err = capsys.readouterr().err
    assert "d.meta.yaml" in err and "totals[1].part" in err and "Traceback" not in err
