"""gnsanalysis.csvsafe: CSV cells that spreadsheets show as text, never run as formulas."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from gnsanalysis.csvsafe import safe_cell, safe_frame, safe_row

# (cell as found in an input, cell as written)
CASES = [
    ('=HYPERLINK("http://example.com","klicka")', '\'=HYPERLINK("http://example.com","klicka")'),
    ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
    ("+46 70 123 45 67", "'+46 70 123 45 67"),
    ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
    ("\t=1+1", "'\t=1+1"),
    ("\r=1+1", "'\r=1+1"),
    ("-", "'-"),
    ("-1 489", "'-1 489"),  # grouped digits are text to a spreadsheet anyway
    ("-inf", "'-inf"),
    # plain numbers and ordinary text are kept
    ("-88", "-88"), ("+13", "+13"), ("-0,5", "-0,5"), ("-1.25", "-1.25"), ("-1e5", "-1e5"), ("-47%", "-47%"),
    ("Övrigt", "Övrigt"), ("Summa Intäkter", "Summa Intäkter"), ("a=b", "a=b"), ("", ""),
]


@pytest.mark.parametrize(("cell", "written"), CASES)
def test_safe_cell(cell, written):
    assert safe_cell(cell) == written


@pytest.mark.parametrize("value", [None, -88, 1.5, True])
def test_non_text_is_unchanged(value):
    assert safe_cell(value) is value


def test_safe_row_with_csv_writer_round_trips_as_text():
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(safe_row(["=1+1", -88, "Övrigt"]))
    assert out.getvalue() == "'=1+1,-88,Övrigt\n"


def test_safe_frame_protects_text_cells_and_header_and_keeps_numbers():
    frame = pd.DataFrame({"label": ["=cmd", "Övrigt", None], "=kolumn": [-1, 2, 3]})
    safe = safe_frame(frame)
    assert safe["label"].tolist()[:2] == ["'=cmd", "Övrigt"] and pd.isna(safe["label"].tolist()[2])
    assert list(safe.columns) == ["label", "'=kolumn"]
    assert safe["'=kolumn"].tolist() == [-1, 2, 3]
    assert frame["label"].tolist()[0] == "=cmd"  # the input frame is not changed
