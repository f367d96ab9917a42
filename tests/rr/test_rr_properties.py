"""Property tests for RR ingestion: round trips through every format, and corruption.

* Any generated table written as tab text, spaced text, ``;`` CSV, ``,`` CSV, XLSX and PDF text
  parses back to exactly the generated numbers; for PDF text (single spaces everywhere) a row
  whose digits can be grouped in more than one way may instead stop with
  AmbiguousParseError, never with other numbers.
* Random corruption of a valid file yields a table or a ParseError (the documented error),
  never another exception; corruption that merges cells or puts letters into figures yields
  the exact numbers or a ParseError.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import numpy as np
import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gnsanalysis.errors import AmbiguousParseError, ParseError
from gnsanalysis.rr.read import read_rr

settings.register_profile("rr", max_examples=60, deadline=None,
                          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                 HealthCheck.too_slow])
RR = settings.get_profile("rr")

COLUMN_NAMES = ["Utfall 2019", "Budget 2019", "Utfall 2018", "Prognos 2019", "Bokslut 2017"]
WORDS = ["Intäkter", "Kostnader", "Avgifter", "Löner", "Lokaler", "Övrigt", "Bidrag",
         "Material", "Tjänster", "Hyror", "Köpt verksamhet", "Ränteintäkter"]


def swedish(v: Decimal | None, decimals: int, *, dash: bool) -> str:
    if v is None:
        return "-" if dash else ""
    q = f"{abs(v):.{decimals}f}"
    whole, _, frac = q.partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    text = " ".join(groups) + ("," + frac if frac else "")
    return ("-" if v < 0 else "") + text


@st.composite
def tables(draw, *, allow_none=True):
    k = draw(st.integers(1, 4))
    cols = COLUMN_NAMES[:k]
    decimals = [draw(st.sampled_from([0, 0, 1])) for _ in cols]
    n = draw(st.integers(1, 7))
    labels = draw(st.lists(st.sampled_from(WORDS), min_size=n, max_size=n, unique=True))
    rows = []
    for label in labels:
        vals = []
        for d in decimals:
            if allow_none and draw(st.integers(0, 9)) == 0:
                vals.append(None)
            else:
                units = draw(st.integers(-10**8, 10**8))
                vals.append(Decimal(units).scaleb(-d))
        if all(v is None for v in vals):  # a row without any figure is a heading, not a row
            vals[0] = Decimal(draw(st.integers(-10**6, 10**6))).scaleb(-decimals[0])
        rows.append((label, vals))
    return cols, decimals, rows


def expected(rows):
    return [[np.nan if v is None else float(v) for v in vals] for _, vals in rows]


def same(table, rows) -> bool:
    got = table.frame[table.value_columns].to_numpy()
    exp = np.array(expected(rows), dtype=float)
    return got.shape == exp.shape and bool(np.all((got == exp) | (np.isnan(got) & np.isnan(exp))))


def render(fmt, cols, decimals, rows, path):
    if fmt == "xlsx":
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.append(["Resultaträkning tkr"])
        ws.append([])
        ws.append(["Rad", *cols])
        for label, vals in rows:
            ws.append([label, *[None if v is None else (int(v) if d == 0 else float(v))
                                for v, d in zip(vals, decimals)]])
        wb.save(path)
        return
    if fmt == "csv-comma":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow(["Rad", *cols])
        for label, vals in rows:
            w.writerow([label, *["" if v is None else f"{v:.{d}f}" for v, d in zip(vals, decimals)]])
        path.write_text(buf.getvalue(), encoding="utf-8")
        return
    dash = fmt in ("spaced", "pdf")
    cells = [["Rad", *cols]] + [[label, *[swedish(v, d, dash=dash) for v, d in zip(vals, decimals)]]
                                for label, vals in rows]
    sep = {"text": "\t", "csv-semicolon": ";", "spaced": "   ", "pdf": " "}[fmt]
    text = "Period 2019-12\n\n" + "\n".join(sep.join(r) for r in cells) + "\n"
    enc = "cp1252" if fmt == "csv-semicolon" else "utf-8"
    path.write_bytes(text.encode(enc))


EXACT_FORMATS = ["text", "csv-semicolon", "csv-comma", "xlsx", "spaced"]


@pytest.mark.parametrize("fmt", EXACT_FORMATS)
@settings(RR)
@given(table=tables())
def test_round_trip_exact(tmp_path, fmt, table):
    cols, decimals, rows = table
    suffix = ".xlsx" if fmt == "xlsx" else ".txt"
    path = tmp_path / f"t{suffix}"
    render(fmt, cols, decimals, rows, path)
    parsed = read_rr(path)
    assert parsed.value_columns == cols
    assert list(parsed.frame["label"]) == [r[0] for r in rows]
    assert same(parsed, rows)


@settings(RR)
@given(table=tables())
def test_round_trip_pdf_text_exact_or_ambiguous(tmp_path, table):
    cols, decimals, rows = table
    path = tmp_path / "t.txt"
    render("pdf", cols, decimals, rows, path)
    try:
        parsed = read_rr(path, fmt="pdf")
    except AmbiguousParseError as exc:
        assert exc.location.line is not None  # names the line
        return
    assert parsed.value_columns == cols
    assert same(parsed, rows)


CORRUPTIONS = ["delete", "insert", "truncate", "dup_line", "drop_line", "merge_cells", "letter"]


@settings(RR)
@given(table=tables(allow_none=False), kind=st.sampled_from(CORRUPTIONS),
       fmt=st.sampled_from(["text", "csv-semicolon", "pdf"]), data=st.data())
def test_corruption_never_crashes(tmp_path, table, kind, fmt, data):
    cols, decimals, rows = table
    path = tmp_path / "t.txt"
    render(fmt, cols, decimals, rows, path)
    raw = bytearray(path.read_bytes())
    sep = {"text": b"\t", "csv-semicolon": b";", "pdf": b" "}[fmt]
    body_start = raw.index(b"Rad")
    body_start = raw.index(b"\n", body_start) + 1
    if kind == "delete":
        i = data.draw(st.integers(0, len(raw) - 1))
        del raw[i]
    elif kind == "insert":
        i = data.draw(st.integers(0, len(raw)))
        raw[i:i] = data.draw(st.sampled_from([b"\t", b";", b" ", b"x", b"7", b"\x00", b"\xff", b"-", b","]))
    elif kind == "truncate":
        raw = raw[:data.draw(st.integers(0, len(raw)))]
    elif kind in ("dup_line", "drop_line"):
        lines = raw.split(b"\n")
        i = data.draw(st.integers(0, len(lines) - 1))
        if kind == "dup_line":
            lines.insert(i, lines[i])
        else:
            del lines[i]
        raw = bytearray(b"\n".join(lines))
    elif kind in ("merge_cells", "letter"):
        # only inside the table body: the result must be exact or an error
        if kind == "merge_cells" and fmt != "pdf":
            seps = [i for i in range(body_start, len(raw)) if raw[i:i + 1] == sep]
            if not seps:
                return
            del raw[data.draw(st.sampled_from(seps))]
        else:
            digits = [i for i in range(body_start, len(raw)) if chr(raw[i]).isdigit()]
            if not digits:
                return
            i = data.draw(st.sampled_from(digits))
            raw[i:i] = b"k"
    path.write_bytes(bytes(raw))
    try:
        parsed = read_rr(path, fmt="pdf" if fmt == "pdf" else None)
    except ParseError:
        return
    if kind in ("merge_cells", "letter"):
        assert same(parsed, rows)


# --------------------------------------------------------------------------- printed statements
# Income statements laid out as annual reports print them (issue 11): optional note cells per
# group or one shared, notes run into the first amount, detached minus glyphs, labels on their
# own line or wrapped, one cell per line, Kommunen / Koncernen column groups. The figures add up
# as an RR does; the reader must give them back exactly or refuse, never other figures.

RR_BLOCKS = [  # (summing row, its parts with their sign)
    ("Verksamhetens nettokostnader",
     [("Verksamhetens intäkter", 1), ("Verksamhetens kostnader", -1), ("Avskrivningar", -1)]),
    ("Verksamhetens resultat",
     [("Skatteintäkter", 1), ("Generella statsbidrag och utjämning", 1)]),
    ("Resultat efter finansiella poster", [("Finansiella intäkter", 1), ("Finansiella kostnader", -1)]),
    ("Årets resultat", []),
]
MINUS_STYLES = ["-", "\u2212", "\u2013 "]


@st.composite
def statements(draw):
    """(layout, column names, rows): rows are (label, {group: note}, [Decimal per column])."""
    n_groups = draw(st.sampled_from([1, 1, 2]))
    groups = ["Kommunen", "Koncernen"][:n_groups]
    years = ["2023", "2022"]
    decimals = draw(st.sampled_from([0, 1]))
    layout = {"groups": groups, "years": years, "decimals": decimals,
              "notes": draw(st.sampled_from(["none", "each", "shared"] if n_groups > 1 else ["none", "each"])),
              "minus": draw(st.sampled_from(MINUS_STYLES)),
              "shape": draw(st.sampled_from(["line", "line", "next", "wrap", "cells"]))}
    width = n_groups * len(years)
    rows, carried = [], [0] * width
    for total, parts in RR_BLOCKS:
        sums = list(carried)
        for label, sign in parts:
            units = [sign * draw(st.integers(0, 10**7)) for _ in range(width)]
            note = draw(st.one_of(st.none(), st.integers(1, 30)))
            rows.append((label, note, units))
            sums = [a + b for a, b in zip(sums, units)]
        rows.append((total, None, sums))
        carried = sums
    return layout, rows


def _printed_statement(v: int, layout) -> str:
    text = swedish(Decimal(abs(v)).scaleb(-layout["decimals"]), layout["decimals"], dash=True)
    return (layout["minus"] + text) if v < 0 else text


def _statement_cells(layout, note, units) -> list[str]:
    """The cells of one row after its label, in print order ("" for an empty note cell)."""
    per = len(layout["years"])
    cells: list[str] = []
    for g in range(len(layout["groups"])):
        if layout["notes"] == "each" or (layout["notes"] == "shared" and g == 0):
            cells.append("" if note is None else str(note))
        cells += [_printed_statement(v, layout) for v in units[g * per:(g + 1) * per]]
    return cells


def _statement_header(layout) -> list[str]:
    lines = ["Resultaträkning", "Belopp i tkr" if layout["decimals"] == 0 else "Belopp i mnkr"]
    head = []
    for g in range(len(layout["groups"])):
        if layout["notes"] == "each" or (layout["notes"] == "shared" and g == 0):
            head.append("Not")
        head += layout["years"] if len(layout["groups"]) > 1 else [f"Utfall {y}" for y in layout["years"]]
    if len(layout["groups"]) > 1:
        lines += layout["groups"] if layout["shape"] == "cells" else [" ".join(layout["groups"])]
    lines += head if layout["shape"] == "cells" else [" ".join(head)]
    return lines


def render_statement(layout, rows) -> str:
    out = _statement_header(layout)
    for label, note, units in rows:
        cells = _statement_cells(layout, note, units)
        figures = " ".join(c for c in cells if c)
        if layout["shape"] == "cells":
            out += [label, *cells]
        elif layout["shape"] == "next":
            out += [label, figures]
        elif layout["shape"] == "wrap" and label == "Generella statsbidrag och utjämning":
            out += ["Generella statsbidrag och", f"utjämning {figures}"]
        else:
            out.append(f"{label} {figures}")
    return "\n".join(out) + "\n"


def statement_columns(layout) -> list[str]:
    if len(layout["groups"]) > 1:
        return [f"{g} {y}" for g in layout["groups"] for y in layout["years"]]
    return [f"Utfall {y}" for y in layout["years"]]


@settings(RR)
@given(statement=statements())
def test_printed_statement_exact_or_refused(tmp_path, statement):
    layout, rows = statement
    path = tmp_path / "rr.txt"
    path.write_text(render_statement(layout, rows), encoding="utf-8")
    try:
        table = read_rr(path, fmt="cells" if layout["shape"] == "cells" else "pdf")
    except ParseError as exc:
        assert exc.location.line is not None or "tabell" in exc.message  # says where
        return
    assert table.value_columns == statement_columns(layout)
    assert list(table.frame["label"]) == [r[0] for r in rows]
    exp = np.array([[float(Decimal(v).scaleb(-layout["decimals"])) for v in units] for _, _, units in rows])
    assert np.array_equal(table.frame[table.value_columns].to_numpy(), exp)
