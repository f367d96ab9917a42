"""RR input formats: detection and readers that all end in the same tidy table.

Formats (``fmt`` names, also accepted by ``--input-format``):

``text``    protocol text, one row per line, cells separated by tabs;
``spaced``  the same after the tabs became runs of spaces (two or more spaces separate cells,
            a single space may separate cells or thousands);
``pdf``     text extracted from a PDF table: every separator is a single space;
``cells``   a table flattened to one cell per line (blank lines between);
``csv``     CSV as Swedish Excel writes it (``;``, decimal comma, UTF-8 with or without BOM, or
            cp1252) or comma-separated with ``.`` decimals;
``xlsx``    an Excel workbook (first sheet with a table).

Grid formats (``text``, ``csv``, ``xlsx``) keep their cells: a cell is read as one value. Rows
whose cells do not fit the header (a note glued to the first amount, cells merged) and every row
of the free-text formats go through :mod:`gnsanalysis.rr.grouping`, which lists the possible
readings and keeps the one the evidence allows, or stops.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from gnsanalysis.io import load_resource
from gnsanalysis.errors import Location, ParameterError, ParseError
from gnsanalysis.swedish.numbers import NumberFormatError, decimals_of, parse_number
from gnsanalysis.rr.grouping import (SPACE_CHARS, Reading, Slot, direct_reading, is_numeric_token,
                          readings, tokens_of, _TooMany, raise_too_many)

FORMATS = ("text", "spaced", "pdf", "cells", "csv", "xlsx")
FORMAT_ALIASES = {"tsv": "text", "tab": "text", "txt": "text", "xls": "xlsx", "excel": "xlsx",
                  "pdf-text": "pdf", "pdftext": "pdf", "spaces": "spaced"}
_YEAR_RE = re.compile(r"^(?:19|20)\d\d(?:-\d\d(?:-\d\d)?)?$|^(?:19|20)\d\d/(?:19|20)?\d\d$")
_DASHES = {"", "-", "\u2013", "\u2212", "\u2014"}
_HARD_RE = re.compile(r"\t|[ \u00a0]{2,}")
_PROSE_END = re.compile(r"[.!?:]$")
# a label that runs straight into a figure: "Intäkter0", "Kostnader-1", "Avgifter1 234,5"
_GLUED_END = re.compile(r"[^\W\d_][-\u2212\u2013]?\d[\d \u00a0]*(?:,\d+)?$")


# --------------------------------------------------------------------------- data passed on

@dataclass
class Header:
    """What the header says: value column names, slots (note/value per group), its lines."""

    slots: list[Slot]
    value_columns: list[str]
    line: int  # 1-based line (or spreadsheet row) of the last header line
    texts: list[str] = field(default_factory=list)
    label_header: str = ""
    unit: str | None = None


@dataclass
class RowIn:
    """A logical table row: its label and its hard-separated cells after the label."""

    line: int
    label: str
    segments: list[str]
    raw: str
    level: int = 0


@dataclass
class Parsed:
    """Rows read from any format, before the evidence step and the tidy frame."""

    fmt: str
    header: Header
    preamble: list[str]
    decimal: str = ","
    rows: list[RowIn] = field(default_factory=list)
    # fast path for grid formats: rows already read cell by cell
    fast: dict | None = None
    sheet: str | None = None


def _cfg() -> dict:
    return load_resource("rr_layouts.yaml")


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", str(text)).strip().casefold()


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", str(text)).casefold()


# --------------------------------------------------------------------------- detection

def normalise_format(fmt: str | None) -> str | None:
    if fmt is None:
        return None
    key = str(fmt).strip().lower()
    key = FORMAT_ALIASES.get(key, key)
    if key not in FORMATS:
        raise ParameterError(f"Okänt indataformat {fmt!r}. Giltiga format: {', '.join(FORMATS)}.")
    return key


def detect_format(data: bytes, text: str | None, lines: list[str] | None = None) -> str:
    """The format from the content (never from the file name); ``lines``: first_lines(text)."""
    if data[:4] == b"PK\x03\x04":
        return "xlsx"
    assert text is not None
    lines = first_lines(text) if lines is None else lines
    if not lines:
        return "text"
    n = len(lines)
    tabbed = sum(1 for l in lines if "\t" in l.strip("\n"))
    if tabbed >= max(2, n // 3):
        return "text"
    if _csv_delimiter(lines):
        return "csv"
    multi = sum(1 for l in lines if re.search(r"\S {2,}\S", l))
    if multi >= max(2, n // 4):
        return "spaced"
    all_lines = text.split("\n")
    blanks = sum(1 for l in all_lines if not l.strip())
    single = sum(1 for l in lines if _one_cell(l))
    if n >= 6 and single >= 0.85 * n and blanks >= 0.5 * n:
        return "cells"
    return "pdf"


def first_lines(text: str, k: int = 200) -> list[str]:
    """The first ``k`` non-blank lines of ``text`` (without splitting all of a large text)."""
    for limit in (k + 50, 20 * k):
        parts = text.split("\n", limit)
        if len(parts) <= limit:
            break
        found = [l for l in parts[:-1] if l.strip()][:k]
        if len(found) == k:
            return found
    return [l for l in text.split("\n") if l.strip()][:k]


_PLAIN_DOT_NUMBER = re.compile(r"^\s*[-−]?\d*(?:\.\d+)?\s*$")


def _one_cell(line: str) -> bool:
    toks = tokens_of(line)
    if any(is_numeric_token(t) and not _is_year(t) for t in toks):
        return _parses(line.strip(), ",")
    return True


def _csv_delimiter(lines: list[str]) -> str | None:
    """``;`` or ``,`` when the lines are CSV rows, else None (see :func:`_find_csv_delimiter`)."""
    return _find_csv_delimiter(lines)


def _find_csv_delimiter(lines: list[str]) -> str | None:
    """``;`` or ``,`` when the lines are CSV rows, else None.

    Comma CSV needs more evidence than a comma count, since decimal commas and labels like
    "Tjänster,material,varor" contain commas: every field after the first must be empty, a plain
    number with ``.`` decimals, or a word (a header).
    """
    for delim in (";", ","):
        rows = []
        for l in lines:
            try:
                rows.append(next(csv.reader([l], delimiter=delim)))
            except (csv.Error, StopIteration):
                rows.append([l])
        start = next((i for i, r in enumerate(rows) if len(r) >= 2), None)
        if start is None:
            continue
        body = rows[start:]
        multi = [r for r in body if len(r) >= 2]
        if len(multi) < max(2, int(0.8 * len(body))):
            continue
        if delim == ";":
            return ";"
        head = [f for f in rows[start][1:] if f.strip()]
        if not head or not all(re.search(r"[^\W\d_]", f) for f in head):
            continue  # the first comma row must be the header (decimal-comma text is not)
        counts = [len(r) for r in multi]
        common = max(set(counts), key=counts.count)
        plain = sum(1 for r in multi if all(_PLAIN_DOT_NUMBER.match(f) or re.search(r"[^\W\d_]", f)
                                            for f in r[1:]))
        if counts.count(common) >= 0.8 * len(multi) and plain >= 0.9 * len(multi):
            return ","
    return None


# --------------------------------------------------------------------------- units

def find_unit(texts: list[str]) -> str | None:
    units = _cfg().get("header_words", {}).get("units", {})
    for text in texts:
        low = _norm(text)
        for unit, words in units.items():
            for w in sorted(words, key=len, reverse=True):
                if re.search(rf"(?<![\w]){re.escape(w)}(?![\w])", low):
                    return unit
    return None


def _is_unit_token(tok: str) -> bool:
    units = _cfg().get("header_words", {}).get("units", {})
    t = tok.casefold().strip(",;:")
    return any(t == w for words in units.values() for w in words)


# --------------------------------------------------------------------------- cells

def _clean(cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and np.isnan(cell):
        return ""
    return str(cell)


def _is_year(cell: str) -> bool:
    return bool(_YEAR_RE.match(cell.strip()))


def _parses(cell: str, decimal: str) -> bool:
    try:
        parse_number(cell, decimal=decimal)
        return True
    except NumberFormatError:
        return False


def _headerish_cells(cells: list[str], decimal: str) -> bool:
    values = [c.strip() for c in cells[1:] if c.strip()]
    if not values:
        return False
    words = 0
    label = cells[0].strip() if cells else ""
    if all(_is_year(v) for v in values) and label and not _is_year(label) and not find_unit([label]) \
            and _norm(label) not in ("belopp", "rr", "rad", "not"):
        return False  # "Intäkter | 1900": a row with figures that look like years
    for v in values:
        if _is_year(v):
            continue
        if v.strip() in _DASHES or _parses(v, decimal):
            return False
        if re.match(r"^[-\u2212\u2013+]?\d", v) and not _is_year(v.split()[0]):
            return False  # a figure with something wrong in it, not a header word
        words += 1
    return words > 0 or not cells[0].strip() or bool(values)


def _dataish_cells(cells: list[str], decimal: str) -> bool:
    if not cells or not cells[0].strip() or _headerish_cells(cells, decimal):
        return False
    return any(c.strip() and (c.strip() in _DASHES or _parses(c, decimal)
                              or re.match(r"^[-\u2212\u2013+]?\s?\d", c.strip())) for c in cells[1:])


_NOISE_CACHE: dict[tuple, list[re.Pattern]] = {}


def _noise_res() -> list[re.Pattern]:
    key = tuple(_cfg().get("noise", []))
    if key not in _NOISE_CACHE:
        _NOISE_CACHE[key] = [re.compile(p, re.IGNORECASE) for p in key]
    return _NOISE_CACHE[key]


def is_noise(line: str) -> bool:
    s = line.strip()
    return any(r.search(s) for r in _noise_res())


# --------------------------------------------------------------------------- grid formats

def grid_from_tab_text(text: str) -> list[tuple[int, list[str]]]:
    return [(i, line.split("\t")) for i, line in enumerate(text.split("\n"), 1)]


def grid_from_csv(text: str, delimiter: str) -> list[tuple[int, list[str]]]:
    out = []
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        for row in reader:
            out.append((reader.line_num, row))
    except csv.Error as exc:
        raise ParseError("CSV-filen kan inte läsas.", location=Location(line=reader.line_num),
                         found=str(exc), expected=f"CSV med {delimiter!r} som avgränsare") from exc
    return out


def parse_csv(text: str, *, delimiter: str, decimal: str, source, file: dict | None = None) -> Parsed:
    """CSV: header found in the first lines, the body read by pandas' C parser.

    ``file`` (``path``, ``stat``) names the file ``text`` was decoded from when its bytes are
    UTF-8 and its line breaks are ``\n`` or ``\r\n``: pandas then reads the file itself, which
    is faster than reading ``text`` back through a string buffer and gives the same rows.
    """
    head_text = "\n".join(text.split("\n", 400)[:400])
    head = grid_from_csv(head_text, delimiter)
    top, first = _find_grid_header(head, decimal, source)
    first_line = head[first][0] if first < len(head) else len(head) + 1
    counts = (file or {}).get("counts") or {}
    newlines = counts["\n"] if "\n" in counts else text.count("\n")
    n_lines = newlines + 1 - (1 if text.endswith("\n") or not text else 0)
    body = None
    if '"' not in text or "\n" not in "".join(re.findall(r'"[^"]*"', text)):
        width = max((len(c) for _, c in head), default=1)
        frame = _read_csv_body(text, file, delimiter, decimal, width, first_line)
        if frame is not None and len(frame) == n_lines - (first_line - 1):
            lines = np.arange(first_line, first_line + len(frame), dtype=np.int64)
            split: list = []

            def cells_of(i: int) -> list[str]:  # a row's cells as written (for rows read closely)
                if not split:
                    split.append(text.split("\n"))
                return next(csv.reader([split[0][first_line - 1 + i]], delimiter=delimiter), [])

            body = (lines, frame, _fields_per_row(text, delimiter, width, first_line, len(frame),
                                                  counts.get(delimiter)), cells_of)
    if body is None:
        grid = grid_from_csv(text, delimiter)
        return parse_grid(grid, fmt="csv", decimal=decimal, source=source)
    return parse_grid(head, fmt="csv", decimal=decimal, source=source, body=body, found=(top, first))


def _fields_per_row(text: str, delimiter: str, width: int, first_line: int, n_rows: int,
                    in_text: int | None = None) -> np.ndarray:
    """Cells per body row as the csv module counts them (pandas pads short rows with NaN, so a
    row cut short or run together would otherwise look like a row with empty cells).

    ``in_text``: how often the delimiter occurs in all of ``text``, when already counted.
    """
    start = 0
    for _ in range(first_line - 1):
        start = text.index("\n", start) + 1
    in_body = text.count(delimiter, start) if in_text is None else in_text - text.count(delimiter, 0, start)
    if '"' not in text and in_body == (width - 1) * n_rows:
        return np.full(n_rows, width, dtype=np.int64)  # no row has more cells than the header
    body = text[start:]
    rows = body.split("\n")
    if rows and rows[-1] == "" and body.endswith("\n"):
        rows.pop()
    if '"' in text:
        counts = [len(next(csv.reader([r], delimiter=delimiter), [])) for r in rows]
    else:
        counts = [r.count(delimiter) + 1 if r else 0 for r in rows]
    return np.array(counts[:n_rows], dtype=np.int64)


def _read_csv_body(text, file, delimiter, decimal, width, first_line) -> pd.DataFrame | None:
    """The rows from ``first_line`` on, through pandas' C parser; None when it cannot read them.

    An export of plain figures is read as numbers (pandas' float parsing gives the nearest
    float to the printed decimal, as ``float(text)`` does); anything else is read as text.
    """
    import os

    def source_():
        if file is not None:
            return file["path"]
        return io.StringIO(text)

    def unchanged() -> bool:
        if file is None:
            return True
        st = os.stat(file["path"])
        return (st.st_size, st.st_mtime_ns) == file["stat"]

    kw = dict(sep=delimiter, header=None, skip_blank_lines=False, engine="c",
              skiprows=first_line - 1, names=range(width), quotechar='"')
    if file is not None:
        kw["encoding"] = "utf-8-sig"
    numbers = dict(keep_default_na=False, na_values={j: [""] for j in range(1, width)},
                   decimal=decimal)
    frame = None
    try:  # an export of plain figures: let the C parser read them as numbers (exactly)
        frame = pd.read_csv(source_(), **numbers, **kw)
        text_cols = [j for j in range(1, width) if frame[j].dtype.kind not in "fi"]
        if text_cols or not pd.api.types.is_string_dtype(frame[0]) or frame[0].dtype.kind == "b":
            # the label column, and columns that are not all plain figures, as text
            frame = pd.read_csv(source_(), dtype={j: str for j in [0, *text_cols]}, **numbers, **kw)
            if not all(frame[j].dtype.kind in "fi" for j in range(1, width) if j not in text_cols):
                frame = None
        if frame is not None and any(frame[j].dtype.kind == "i" for j in range(1, width)):
            frame = frame.astype({j: "float64" for j in range(1, width) if frame[j].dtype.kind == "i"})
    except (pd.errors.ParserError, ValueError, csv.Error, TypeError):
        frame = None
    if frame is None:
        try:
            frame = pd.read_csv(source_(), dtype=str, keep_default_na=False, **kw)
        except (pd.errors.ParserError, ValueError, csv.Error):
            frame = None
    if frame is not None and not unchanged():
        return _read_csv_body(text, None, delimiter, decimal, width, first_line)
    return frame


def xl_cell(v) -> str:
    """A spreadsheet value as printed text with decimal comma (numbers kept exactly)."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if np.isnan(v) or np.isinf(v):
            return ""
        if v.is_integer() and abs(v) < 1e15:
            return str(int(v))
        text = f"{round(v, 9):.9f}".rstrip("0").rstrip(".")
        return text.replace(".", ",")
    if hasattr(v, "isoformat"):
        return v.isoformat()[:10] if hasattr(v, "hour") and not (v.hour or v.minute) else v.isoformat()
    return str(v)


def read_xlsx_grid(path: Path) -> tuple[list[tuple[int, list[str]]], str]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException
    import zipfile

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, KeyError, OSError, ValueError, zipfile.BadZipFile, TypeError,
            AttributeError, IndexError, EOFError) as exc:
        if isinstance(exc, FileNotFoundError):
            raise
        raise ParseError("Filen kan inte läsas som Excel-arbetsbok.", location=Location(file=path),
                         found=type(exc).__name__, expected="en .xlsx-fil",
                         hint="Spara filen som Excel-arbetsbok (.xlsx) eller som CSV.") from exc
    try:
        for ws in wb.worksheets:
            try:
                rows = [(i, [xl_cell(v) for v in r])
                        for i, r in enumerate(ws.iter_rows(values_only=True), 1)]
            except (KeyError, ValueError, TypeError, AttributeError, IndexError, EOFError,
                    zipfile.BadZipFile) as exc:
                raise ParseError("Bladet kan inte läsas.", location=Location(file=path, sheet=ws.title),
                                 found=type(exc).__name__, expected="ett läsbart kalkylblad",
                                 hint="Öppna filen i Excel och spara den på nytt.") from exc
            if any(any(c.strip() for c in cells) for _, cells in rows):
                return rows, ws.title
        raise ParseError("Arbetsboken är tom.", location=Location(file=path),
                         expected="ett blad med en RR-tabell")
    finally:
        wb.close()


def _find_grid_header(grid, decimal: str, source, sheet=None) -> tuple[int, int]:
    """(index of first header row, index of first data row) in ``grid``."""
    limit = min(len(grid), 400)
    for d in range(limit):
        cells = grid[d][1]
        if not _dataish_cells(_strip_lead(cells), decimal):
            continue
        h = d - 1
        skipped = 0  # blank rows, and section headings (a label and no figures) under the header
        while h >= 0 and skipped < 6 and (
                not any(c.strip() for c in grid[h][1])
                or not any(c.strip() for c in _strip_lead(grid[h][1])[1:])):
            skipped += any(c.strip() for c in grid[h][1])
            h -= 1
        if h < 0 or not _headerish_cells(_strip_lead(grid[h][1]), decimal):
            continue
        # a header continuation row has an empty label cell (or a unit); a labelled row under
        # a header row is a data row with something wrong in it ("Intäkter | k0")
        lead_d = len(cells) - len(_strip_lead(cells))
        label_h = grid[h][1][lead_d].strip() if h > 0 and len(grid[h][1]) > lead_d else ""
        above = h - 1
        if label_h and not find_unit([label_h]) and above >= 0 \
                and any(c.strip() for c in grid[above][1]) \
                and _headerish_cells(_strip_lead(grid[above][1]), decimal):
            d, h = h, above
        top = h
        while top - 1 >= 0 and h - top < 3:
            cells_up = grid[top - 1][1]
            if not any(c.strip() for c in cells_up):
                break
            nonempty = [c for c in cells_up[1:] if c.strip()]
            if not nonempty or not _headerish_cells(cells_up, decimal):
                break
            top -= 1
        return top, h + 1
    raise ParseError(
        "Hittar ingen rubrikrad.", location=Location(file=source, sheet=sheet),
        expected="en rad med kolumnrubriker (t.ex. 'RR | Ack utfall | Ack budget …' eller "
                 "'Not | Utfall 2019 | Utfall 2018') följd av rader med etikett och tal",
        hint="Ta med tabellens rubrikrad, eller ange formatet med --input-format.")


def _strip_lead(cells: list[str]) -> list[str]:
    i = 0
    while i < len(cells) - 1 and not cells[i].strip():
        i += 1
    return cells[i:]


def _grid_header(grid, top: int, first: int, decimal: str, source, sheet) -> tuple[Header, int]:
    """Column names per position from the header rows; returns (header, label position)."""
    rows = [grid[i] for i in range(top, first) if any(c.strip() for c in grid[i][1])]
    lead = min(len(c) - len(_strip_lead(c)) for _, c in rows + [grid[first]])
    width = max(len(c) for _, c in rows)
    groups_words = set(_cfg().get("header_words", {}).get("groups", []))
    names = [[] for _ in range(width)]
    group_of = [0] * width
    for r, (line, cells) in enumerate(rows):
        cells = [c.strip() for c in cells] + [""] * (width - len(cells))
        last = r == len(rows) - 1
        fill = ""
        gid = 0
        for j in range(lead + 1, width):
            c = cells[j]
            if not last:  # merged or spanning cells: carry to the right
                if c:
                    fill = c
                    if _norm(c) in groups_words:
                        gid += 1
                c = fill
                if fill and _norm(fill) in groups_words:
                    group_of[j] = gid
            if c:
                names[j].append(c)
    label_header = " ".join(c for _, cells in rows for c in cells[lead:lead + 1] if c.strip())
    slots, value_columns = [], []
    for j in range(lead + 1, width):
        if not names[j]:
            slots.append(None)
            continue
        name = " ".join(names[j])
        own = names[j][-1]
        if _norm(own).split(" ")[0] in ("not", "noter", "not."):
            slots.append(Slot("note", None, group_of[j]))
        else:
            value_columns.append(name)
            slots.append(Slot("value", name, group_of[j]))
    _check_columns(value_columns, source, rows[-1][0], sheet)
    texts = [" ".join(c for c in cells if c.strip()) for _, cells in rows]
    header = Header(slots=slots, value_columns=value_columns, line=rows[-1][0], texts=texts,
                    label_header=label_header, unit=find_unit(texts))
    return header, lead


def _check_columns(value_columns, source, line, sheet=None) -> None:
    loc = Location(file=source, line=line, sheet=sheet)
    if not value_columns:
        raise ParseError("Rubrikraden har inga värdekolumner.", location=loc,
                         expected="minst en kolumnrubrik efter etikettkolumnen")
    if len(set(map(_norm, value_columns))) != len(value_columns):
        raise ParseError("Rubrikraden har dubbla kolumnnamn.", location=loc, found=value_columns,
                         expected="unika kolumnrubriker",
                         hint="Ge kolumnerna unika namn (t.ex. 'Kommun Utfall 2019', "
                              "'Koncern Utfall 2019').")


def parse_grid(grid, *, fmt: str, decimal: str, source, sheet: str | None = None,
               body=None, found: tuple[int, int] | None = None) -> Parsed:
    """Header, preamble and rows of a grid (tab text, CSV, XLSX).

    ``body`` (lines, frame, fields per row) replaces ``grid[first:]`` when the caller read the
    body itself (large CSV files through pandas).
    """
    top, first = found or _find_grid_header(grid, decimal, source, sheet)
    header, lead = _grid_header(grid, top, first, decimal, source, sheet)
    preamble = [" ".join(c.strip() for c in cells if c.strip()) for _, cells in grid[:top]]
    preamble = [p for p in preamble if p]
    positions = [lead + 1 + k for k, s in enumerate(header.slots) if s is not None]
    slots = [s for s in header.slots if s is not None]
    header.slots = slots
    body = grid[first:] if body is None else body
    parsed = Parsed(fmt=fmt, header=header, preamble=preamble, decimal=decimal, sheet=sheet)
    parsed.fast = _grid_rows(body, lead, positions, slots, decimal, source, parsed, sheet)
    return parsed


_SIMPLE = {",": r"^[-\u2212\u2013]?\d+(?:,\d+)?$", ".": r"^[-\u2212\u2013]?\d+(?:\.\d+)?$"}
# the same for Arrow (RE2 syntax)
_SIMPLE_RE2 = {",": "^[-\u2212\u2013]?[0-9]+(?:,[0-9]+)?$", ".": "^[-\u2212\u2013]?[0-9]+(?:[.][0-9]+)?$"}
_NOTE_CELL = re.compile(r"^(?:[Nn]ot\.?\s*)?(?:[1-9]\d{0,2}(?:\s*,\s*[1-9]\d{0,2})*)?$")
_GLUED_END_RE2 = "\\pL[-\u2212\u2013]?[0-9][0-9 \u00a0]*(?:,[0-9]+)?$"


def _decimals_of_floats(vals: np.ndarray, most: int = 6) -> np.ndarray:
    """Printed decimals of figures read as floats: the fewest that give the value back."""
    vals = np.asarray(vals, dtype=float)
    fortran = vals.ndim == 2 and vals.flags.f_contiguous and not vals.flags.c_contiguous
    flat = vals.T.reshape(-1) if fortran else np.ascontiguousarray(vals).reshape(-1)  # views
    todo = ~np.isnan(flat)
    buf = np.rint(flat)  # np.round(flat, 0)
    hit = np.equal(buf, flat)
    np.greater(todo, hit, out=todo)  # todo and not hit
    out = None
    for d in range(1, most):
        if not todo.any():
            break
        np.round(flat, d, out=buf)
        np.equal(buf, flat, out=hit)
        hit &= todo
        if out is None:
            out = hit.astype(np.int64)  # d == 1
        else:
            np.putmask(out, hit, d)
        np.greater(todo, hit, out=todo)
    if out is None:
        out = np.zeros(flat.size, dtype=np.int64)
    np.putmask(out, todo, most)
    return out.reshape(vals.T.shape).T if fortran else out.reshape(vals.shape)


def _as_frame(body) -> tuple[np.ndarray, pd.DataFrame, np.ndarray]:
    """(line numbers, cells as a frame of strings, number of cells present per row, cells of
    row i as written or None)."""
    if isinstance(body, tuple):  # (lines, frame, n_fields[, cells of a row]) read by pandas
        return body if len(body) == 4 else (*body, None)
    lines = np.fromiter((ln for ln, _ in body), dtype=np.int64, count=len(body))
    nfields = np.fromiter((len(c) for _, c in body), dtype=np.int64, count=len(body))
    w = int(nfields.max()) if len(nfields) else 0
    frame = pd.DataFrame([cells + [None] * (w - len(cells)) for _, cells in body]) if body else pd.DataFrame()
    return lines, frame, nfields, None


def _arrow_text(col: pd.Series):
    """A text column as an Arrow string array, "" for a missing cell."""
    import pyarrow as pa
    import pyarrow.compute as pc

    a = None
    if isinstance(col.dtype, pd.StringDtype) and col.dtype.storage == "pyarrow":
        a = pa.array(col.array)
        if isinstance(a, pa.ChunkedArray):
            a = a.combine_chunks()
        a = a.cast(pa.string())
    if a is None:
        a = pa.array(col.to_numpy(dtype=object, na_value=""), type=pa.string(), from_pandas=True)
    return pc.fill_null(a, "")


def _grid_rows(body, lead, positions, slots, decimal, source, parsed: Parsed, sheet) -> dict:
    """Read the body cell by cell, vectorised; rows that need the grouping engine become RowIn.

    Work per row is done by numpy and Arrow kernels; Python only sees the rows that need a
    closer look (cells that are not plain figures, label-only rows that may be noise).
    """
    lines, frame, nfields, cells_of = _as_frame(body)
    n = len(frame)
    width = max(positions) + 1 if positions else lead + 1
    for j in range(frame.shape[1], width):
        frame[j] = ""
    frame.columns = range(frame.shape[1])
    import pyarrow as pa
    import pyarrow.compute as pc

    trim = SPACE_CHARS + "\t"
    acache: dict[int, object] = {}

    def arr(j: int):
        """Column j as a stripped Arrow string array ("" for a missing cell)."""
        if j not in acache:
            if frame[j].dtype.kind == "f":
                acache[j] = pa.array(np.where(np.isnan(frame[j].to_numpy()), "", "0"), type=pa.string())
            else:
                acache[j] = pc.utf8_trim(_arrow_text(frame[j]), characters=trim)
        return acache[j]

    def np_bool(a) -> np.ndarray:
        return np.asarray(pc.fill_null(a, False).to_numpy(zero_copy_only=False), dtype=bool)

    def row_cells(i: int) -> list[str]:
        if cells_of is not None:
            return cells_of(int(i))
        return ["" if c is None or (isinstance(c, float) and np.isnan(c)) else str(c)
                for c in frame.iloc[i, :nfields[i]].tolist()]

    def label_at(i: int) -> str:
        return uniques[codes[int(i)]]

    present: dict[int, np.ndarray] = {}  # numeric columns: cell has a figure
    nonempty = np.zeros((n, frame.shape[1]), dtype=bool, order="F")
    for j in range(frame.shape[1]):
        if frame[j].dtype.kind == "f":
            present[j] = ~np.isnan(frame[j].to_numpy())
            nonempty[:, j] = present[j]
        elif j != lead:
            nonempty[:, j] = np_bool(pc.not_equal(arr(j), ""))
    # labels repeat (one block per nämnd and month): trim and measure each distinct label once
    enc = pc.dictionary_encode(arr(lead) if frame[lead].dtype.kind == "f" else _arrow_text(frame[lead]))
    codes = np.asarray(enc.indices.to_numpy(zero_copy_only=False), dtype=np.int64)
    distinct = enc.dictionary
    left = pc.utf8_ltrim(distinct, characters=trim)
    dict_arrow = pc.utf8_rtrim(left, characters=trim)  # distinct labels, trimmed (may repeat)
    uniques = np.empty(len(dict_arrow), dtype=object)
    uniques[:] = dict_arrow.to_pylist()
    indent = (np.asarray(pc.utf8_length(distinct).to_numpy(zero_copy_only=False), dtype=np.int64)
              - np.asarray(pc.utf8_length(left).to_numpy(zero_copy_only=False), dtype=np.int64))
    levels = indent[codes] if len(distinct) else np.zeros(n, dtype=np.int64)
    label_empty = (np.asarray(pc.equal(dict_arrow, "").to_numpy(zero_copy_only=False), dtype=bool)[codes]
                   if len(distinct) else np.zeros(n, dtype=bool))
    nonempty[:, lead] = ~label_empty
    blank = ~nonempty.any(axis=1)
    # cells beyond the header, or a row cut short (fewer cells than the header): not clean
    extra = nonempty[:, width:].any(axis=1) | ((nfields > 1) & (nfields < width))
    value_pos = [p for p, s in zip(positions, slots) if s.role == "value"]
    note_pos = [p for p, s in zip(positions, slots) if s.role == "note"]
    m = len(value_pos)
    # column-major: each column is one contiguous array, which the tidy frame takes as it is
    V = np.empty((n, m), order="F")
    D = np.zeros((n, m), dtype=np.int64, order="F")
    clean = ~extra
    has_value = np.zeros(n, dtype=bool)
    any_empty = np.zeros(n, dtype=bool)
    dash_set = pa.array(sorted(_DASHES - {""}))
    simple_re = _SIMPLE_RE2[decimal]
    numeric = [k for k, p in enumerate(value_pos) if frame[p].dtype.kind == "f"]
    for k in range(m):
        if k in numeric:  # read as numbers by the C parser
            V[:, k] = frame[value_pos[k]].to_numpy(dtype=float)
        else:
            V[:, k] = np.nan
    if numeric:
        figures = nonempty[:, [value_pos[k] for k in numeric]]
        any_empty |= ~figures.all(axis=1)
        has_value |= figures.any(axis=1)
        if len(numeric) == m:
            D = _decimals_of_floats(V)
        else:
            D[:, numeric] = _decimals_of_floats(V[:, numeric])
    for k, p in enumerate(value_pos):
        if k in numeric:
            continue
        s = arr(p)
        is_blank = np_bool(pc.equal(s, ""))
        is_dash = np_bool(pc.is_in(s, value_set=dash_set))
        any_empty |= is_blank
        simple = np_bool(pc.match_substring_regex(s, simple_re))
        clean &= simple | is_blank | is_dash
        conv = pc.replace_substring(s, "\u2212", "-")
        conv = pc.replace_substring(conv, "\u2013", "-")
        if decimal == ",":
            conv = pc.replace_substring(conv, ",", ".")
        conv = pc.if_else(pa.array(simple), conv, pa.scalar(None, pa.string()))
        vals = pc.cast(conv, pa.float64()).to_numpy(zero_copy_only=False)
        V[:, k] = np.where(simple, vals, np.nan)
        sep = np.asarray(pc.find_substring(s, decimal).to_numpy(zero_copy_only=False), dtype=np.int64)
        length = np.asarray(pc.utf8_length(s).to_numpy(zero_copy_only=False), dtype=np.int64)
        D[:, k] = np.where(simple & (sep >= 0), length - sep - 1, 0)
        has_value |= simple | is_dash
    # a label that runs into a figure while a cell is missing: the separator was lost
    suspect = np.flatnonzero(any_empty & has_value)
    if len(suspect):
        glued_u = np_bool(pc.match_substring_regex(dict_arrow, _GLUED_END_RE2))
        glued = glued_u[codes[suspect]]
        for i in suspect[glued]:
            raise ParseError("Etiketten slutar med siffror och raden saknar ett värde: cellgränsen "
                             "mellan etikett och tal verkar ha fallit bort.",
                             location=Location(file=source, line=int(lines[i]), sheet=sheet),
                             found="\t".join(row_cells(i))[:80],
                             expected=f"{width - lead} celler (etikett + värden)",
                             hint="Kontrollera att inga celler slagits ihop vid kopieringen.")
    notes = None  # no note column: no notes
    if note_pos:
        notes = np.full(n, "", dtype=object)
        note_cols = [arr(p) for p in note_pos]
        filled = np.zeros(n, dtype=bool)
        for s in note_cols:
            filled |= np_bool(pc.not_equal(s, ""))
        rows = np.flatnonzero(filled)  # an empty note cell is clean and adds no note
        texts = [s.take(pa.array(rows, type=pa.int64())).to_pylist() for s in note_cols]
        for k, i in enumerate(rows):
            parts = []
            for col in texts:
                if not _NOTE_CELL.match(col[k]):
                    clean[i] = False
                t = re.sub(r"^not\.?\s*", "", col[k], flags=re.IGNORECASE)
                t = re.sub(r"\s*,\s*", ", ", t)
                if t and t not in parts:
                    parts.append(t)
            notes[i] = ", ".join(parts)
    # rows the engine must read: unclean cells, or values without a label
    slow = (~clean | (label_empty & has_value)) & ~blank
    keep = ~blank
    rows_in: dict[int, RowIn] = {}
    header_rows = np.zeros(n, dtype=bool)
    header_words = {_norm(w) for t in parsed.header.texts for w in [t, *t.split()]} | {
        _norm(c) for c in parsed.header.value_columns} | {_norm(w) for c in parsed.header.value_columns
                                                         for w in c.split()}
    for i in np.flatnonzero(slow | (label_empty & ~blank)):
        orig = row_cells(i)
        cells = orig + [""] * (width - len(orig))
        label = cells[lead].strip()
        vals = [c.strip() for c in cells[lead + 1:] if c.strip()]
        if vals and all(_norm(v) in header_words for v in vals):
            header_rows[i] = True  # a header repeated after a page break
            continue
        segs = [orig[p] for p in positions if p < len(orig)] + [c for c in orig[width:] if c.strip()]
        raw_text = "\t".join(c for c in cells)
        rows_in[i] = RowIn(int(lines[i]), label, segs, raw_text.strip(), int(levels[i]))
    # repeated header rows that read cleanly (all cells are words) are skipped too
    keep &= ~(clean & ~blank & ~slow & ~has_value & label_empty)
    keep &= ~header_rows
    # merge "label on one row, values on the next" (grid form): an empty-label row with values
    # takes the label of a directly preceding label-only row
    merge_into: dict[int, int] = {}
    for i in sorted(rows_in):
        if label_empty[i] and i in rows_in and keep[i]:
            j = i - 1
            while j >= 0 and blank[j]:
                j -= 1
            if j >= 0 and keep[j] and not has_value[j] and not label_empty[j] and j not in merge_into.values():
                rows_in[i].label = label_at(j)
                rows_in[i].level = int(levels[j])
                keep[j] = False
                merge_into[i] = j
            else:
                raise ParseError("Raden har tal men ingen etikett.",
                                 location=Location(file=source, line=int(lines[i]), sheet=sheet),
                                 found=rows_in[i].raw[:80], expected="en radetikett i första kolumnen",
                                 hint="Kontrollera att etiketten inte hamnat på en egen rad längre upp.")
    # label-only rows that are noise (page numbers, banners); a label glued to a figure
    # ("Intäkter0") is a row whose cell separators were lost
    only = np.flatnonzero(keep & ~has_value & ~slow)
    maybe_cache: list[np.ndarray] = []

    def label_maybe() -> np.ndarray:
        """Distinct labels that may match a noise or a kind pattern (one Arrow pass over
        them; the kinds are classified from it in :func:`gnsanalysis.rr.table.build_table`)."""
        if not maybe_cache:
            patterns = _cfg().get("noise", []) + [p for rule in _cfg().get("kinds", [])
                                                  for p in rule["patterns"]]
            maybe_cache.append(maybe_matching(dict_arrow, patterns, re.IGNORECASE))
        return maybe_cache[0]

    if len(only):
        maybe_u = label_maybe()
        noise = only[maybe_u[codes[only]]]
        noise = noise[[is_noise(label_at(i)) for i in noise]] if len(noise) else noise
        is_noise_row = set(noise.tolist())
        for i in only[nfields[only] - lead <= 1]:
            if i not in is_noise_row and _GLUED_END.search(label_at(i)):
                raise ParseError("Raden har bara en cell, och etiketten slutar med en siffra: "
                                 "cellgränserna verkar ha fallit bort.",
                                 location=Location(file=source, line=int(lines[i]), sheet=sheet),
                                 found=label_at(i)[:80],
                                 expected=f"{len(positions) + 1} celler (etikett + värden)",
                                 hint="Kontrollera att inga celler slagits ihop vid kopieringen.")
        keep[noise] = False
    # drop label-only rows after the last row with values (notes, sources, signatures)
    valued = np.flatnonzero(keep & (has_value | slow))
    if len(valued):
        keep[valued[-1] + 1:] = False
    return {"lines": lines, "labels": uniques[codes] if len(codes) else np.zeros(0, dtype=object),
            "label_uniques": uniques, "label_codes": codes, "label_arrow": dict_arrow,
            "label_maybe": label_maybe,
            "levels": levels, "notes": notes,
            "V": V, "D": D, "keep": keep, "slow": rows_in, "has_value": has_value}


# --------------------------------------------------------------------------- free text

def _split_label(line: str, fmt: str, decimal: str) -> tuple[str, list[str]]:
    """Label and the hard-separated numeric segments of one text line."""
    body = line.rstrip()
    if fmt == "pdf":
        hard = [re.sub(r"\s+", " ", body.strip())]
    else:
        hard = [c for c in _HARD_RE.split(body.strip())]
    # the numeric tail: trailing tokens that are all numeric (hard cells kept)
    cells_tokens = [tokens_of(c) for c in hard]
    segs: list[str] = []
    label_tokens: list[str] = []
    for ci in range(len(hard) - 1, -1, -1):
        toks = cells_tokens[ci]
        k = len(toks)
        while k > 0 and (is_numeric_token(toks[k - 1], decimal)
                         or (re.match(r"^not\.?$", toks[k - 1], re.I) and k < len(toks))):
            k -= 1
        if k == len(toks) and toks:
            label_tokens = [t for c in cells_tokens[:ci + 1] for t in c]
            break
        if toks[k:]:
            segs.insert(0, " ".join(toks[k:]))
        if k > 0:
            label_tokens = [t for c in cells_tokens[:ci] for t in c] + toks[:k]
            break
    if not hard or (not segs and not label_tokens):
        return "", []
    # a label cannot end with a bare minus glyph or a note-list element
    return " ".join(label_tokens), segs


def _phrases(text: str) -> tuple[str, list[str], list[str]]:
    """Split one header line into (label header, column phrases, group words)."""
    words = _cfg().get("header_words", {})
    heads, mods = set(words.get("heads", [])), set(words.get("modifiers", []))
    notes, groups = set(words.get("notes", [])), set(words.get("groups", []))
    toks = [t for t in text.split() if not _is_unit_token(t)]
    found_groups = [t for t in toks if _norm(t).strip(".,:") in groups]
    if found_groups and len(found_groups) == len(toks):
        return "", [], found_groups
    out: list[list[str]] = []
    label: list[str] = []
    cur: list[str] | None = None
    cur_head = cur_year = False

    def kind(t: str) -> str:
        low = t.casefold().strip(".,:()")
        parts = re.split(r"[-/]", low)
        if low in notes:
            return "note"
        if _is_year(t.strip("()")):
            return "year"
        if low == "%" or low.endswith("%"):
            return "pct"
        if low in mods:
            return "mod"
        if low in heads or any(p in heads for p in parts if p):
            return "head"
        return "word"

    for t in toks:
        k = kind(t)
        if k == "note":
            out.append([t])
            cur, cur_head, cur_year = None, False, False
            continue
        if cur is None:
            if k in ("head", "mod", "year", "pct"):
                cur = [t]
                out.append(cur)
                cur_head, cur_year = k == "head", k == "year"
            else:
                label.append(t)
            continue
        if k in ("head", "mod") and cur_head:
            cur = [t]
            out.append(cur)
            cur_head, cur_year = k == "head", False
        elif k == "year" and cur_year:
            cur = [t]
            out.append(cur)
            cur_head, cur_year = False, True
        else:
            cur.append(t)
            cur_head |= k == "head"
            cur_year |= k == "year"
    return " ".join(label), [" ".join(p) for p in out], found_groups


def _known_layout_columns(text: str) -> tuple[str, list[str]] | None:
    squashed = _squash(text)
    for layout in _cfg().get("layouts", []):
        cols = layout.get("header_columns")
        if not cols:
            continue
        target = "".join(_squash(c) for c in cols)
        if squashed.endswith(target):
            n_label = len(squashed) - len(target)
            label = _label_prefix(text, n_label)
            return label, list(cols)
    return None


def _label_prefix(text: str, n: int) -> str:
    out, count = [], 0
    for ch in text.strip():
        if count >= n:
            break
        out.append(ch)
        if not ch.isspace():
            count += 1
    return "".join(out).strip()


def _text_header(lines: list[tuple[int, str]], fmt: str, source) -> Header:
    """Columns from one or more header lines of free text."""
    texts = [t for _, t in lines]
    unit = find_unit(texts)
    joined = " ".join(texts)
    known = _known_layout_columns(joined) or (_known_layout_columns(texts[-1]) if texts else None)
    if known:
        label, cols = known
        return Header([Slot("value", c) for c in cols], cols, lines[-1][0], texts, label, unit)
    per_line = []
    group_words: list[str] = []
    label_header = ""
    for _, t in lines:
        if fmt != "pdf" and _HARD_RE.search(t.strip()):
            cells = [c for c in _HARD_RE.split(t.strip()) if c.strip()]
            lab, phrases, groups = "", [], []
            for ci, c in enumerate(cells):
                l2, p2, g2 = _phrases(c)
                if g2 and not p2:
                    groups += g2
                    continue
                if ci == 0:
                    lab = l2
                elif not p2:
                    p2 = [c]  # a header cell without known words is one column
                elif l2:
                    p2 = [f"{l2} {p2[0]}"] + p2[1:]
                phrases += p2
        else:
            lab, phrases, groups = _phrases(t)
        if groups and not phrases:
            group_words += groups
            continue
        label_header = label_header or lab
        if phrases:
            per_line.append(phrases)
    if not per_line:
        raise ParseError("Hittar inga kolumnrubriker i rubrikraden.",
                         location=Location(file=source, line=lines[-1][0] if lines else None),
                         found=" / ".join(texts)[:120],
                         expected="rubriker som 'Not', 'Utfall 2019', 'Budget', 'Avvikelse'",
                         hint="Ange formatet med --input-format eller exportera tabellen som CSV/Excel.")
    # combine lines: equal counts are stacked ("Utfall" over "2019"); single-phrase lines are
    # one cell each (a flattened header); a years-only line attaches to the line above
    if all(len(p) == 1 for p in per_line) and len(per_line) > 1:
        cols: list[str] = []
        for p in per_line:
            if _is_year(p[0]) and cols and not re.search(r"(19|20)\d\d", cols[-1]):
                cols[-1] += " " + p[0]
            else:
                cols.append(p[0])
    else:
        cols = per_line[0]
        for p in per_line[1:]:
            if len(p) == len(cols):
                cols = [f"{a} {b}" for a, b in zip(cols, p)]
            else:
                raise ParseError(
                    "Rubrikraderna har olika antal kolumner.",
                    location=Location(file=source, line=lines[-1][0]), found=[cols, p],
                    expected="lika många rubriker på varje rubrikrad",
                    hint="Exportera tabellen som CSV/Excel eller med tabb mellan cellerna.")
    # groups: split at note columns, else evenly
    note_idx = [i for i, c in enumerate(cols) if _norm(c).split(" ")[0] in ("not", "noter", "not.")]
    gid = [0] * len(cols)
    names = list(cols)
    if group_words:
        k = len(group_words)
        if len(note_idx) == k and note_idx[0] == 0:
            starts = note_idx
        elif len(cols) % k == 0:
            starts = list(range(0, len(cols), len(cols) // k))
        else:
            raise ParseError("Kan inte fördela kolumnerna på kolumngrupperna.",
                             location=Location(file=source, line=lines[-1][0]),
                             found=f"{group_words} över {cols}",
                             expected="lika många kolumner i varje grupp eller en Not-kolumn per grupp")
        for g, s in enumerate(starts):
            end = starts[g + 1] if g + 1 < len(starts) else len(cols)
            for i in range(s, end):
                gid[i] = g
                names[i] = f"{group_words[g]} {cols[i]}"
    slots, value_columns = [], []
    for i, c in enumerate(cols):
        if i in note_idx:
            slots.append(Slot("note", None, gid[i]))
        else:
            slots.append(Slot("value", names[i], gid[i]))
            value_columns.append(names[i])
    _check_columns(value_columns, source, lines[-1][0])
    return Header(slots, value_columns, lines[-1][0], texts, label_header, unit)


def _is_headerish_text(line: str) -> bool:
    """A header line: column words (Utfall, Budget, Not, Kommunen …) or only years."""
    words = _cfg().get("header_words", {})
    vocab = set(words.get("heads", [])) | set(words.get("notes", [])) | set(words.get("groups", []))
    toks = line.split()
    if not toks or _PROSE_END.search(line.strip()) and len(toks) > 6:
        return False
    if all(_is_year(t) for t in toks):
        return True
    hits = 0
    for t in toks:
        low = t.casefold().strip(".,:()")
        if low in vocab or any(p in vocab for p in re.split(r"[-/]", low) if p):
            hits += 1
        elif t.strip() not in _DASHES and _parses(t, ",") and not _is_year(t):
            return False
    return hits > 0


def _is_prose(label: str, line: str) -> bool:
    words = label.split()
    return len(words) >= 9 or bool(_PROSE_END.search(line.strip()) and len(words) >= 3)


def parse_free_text(text: str, *, fmt: str, decimal: str, source) -> Parsed:
    """Header, preamble and logical rows of text whose cells are separated by whitespace."""
    lines = text.split("\n")
    info = []  # (lineno, raw, label, segs)
    for i, raw in enumerate(lines, 1):
        if not raw.strip():
            info.append((i, raw, "", []))
            continue
        label, segs = _split_label(raw, fmt, decimal)
        info.append((i, raw, label, segs))
    # first data row: label + figures on one line, or a label line followed by a figures line
    first = None
    for k, (ln, raw, label, segs) in enumerate(info):
        if not raw.strip() or is_noise(raw) or _is_headerish_text(raw):
            continue
        if label and segs and not _is_prose(label, raw):
            first = k
            break
        if label and not segs and not _is_prose(label, raw):
            nxt = k + 1
            while nxt < len(info) and not info[nxt][1].strip():
                nxt += 1
            if nxt < len(info) and not info[nxt][2] and info[nxt][3] and not all(
                    _is_year(t) for s in info[nxt][3] for t in s.split()):
                first = k
                break
    if first is None:
        raise ParseError("Hittar ingen tabell i texten.", location=Location(file=source),
                         expected="en rubrikrad följd av rader med etikett och tal",
                         hint="Kontrollera att tabellen kom med vid kopieringen, eller ange "
                              "formatet med --input-format.")
    # header lines: header-ish lines directly above (blank lines allowed between)
    hdr: list[tuple[int, str]] = []
    k = first - 1
    while k >= 0:
        ln, raw, label, segs = info[k]
        if not raw.strip() and fmt == "cells" or is_noise(raw):
            k -= 1
            continue
        if not raw.strip():
            if hdr:
                break
            k -= 1
            continue
        if _is_headerish_text(raw) and len(hdr) < (12 if fmt == "cells" else 4):
            hdr.insert(0, (ln, raw.strip()))
            k -= 1
            continue
        break
    if not hdr:
        raise ParseError(
            "Hittar ingen rubrikrad ovanför tabellens första rad.",
            location=Location(file=source, line=info[first][0]),
            expected="en rad med kolumnrubriker (t.ex. 'Not Utfall 2019 Utfall 2018')",
            hint="Ta med rubrikraden vid kopieringen, eller exportera tabellen som CSV/Excel.")
    # a label-header line such as "Mnkr" or "Resultaträkning" in a flattened header
    header = _text_header(hdr, fmt, source)
    preamble = [info[j][1].strip() for j in range(0, k + 1) if info[j][1].strip()]
    if header.unit is None:
        header.unit = find_unit(preamble[-3:] + preamble)
    parsed = Parsed(fmt=fmt, header=header, preamble=preamble, decimal=decimal)
    # assemble logical rows
    indents = {}
    pending: RowIn | None = None
    rows: list[RowIn] = []

    def flush():
        nonlocal pending
        if pending is not None and pending.segments:
            rows.append(pending)
        pending = None

    for ln, raw, label, segs in info[first:]:
        if not raw.strip() or is_noise(raw):
            continue
        indent = len(raw) - len(raw.lstrip(" \u00a0"))
        if label and segs:
            if _is_prose(label, raw) or _is_headerish_text(raw):
                flush()  # prose, or a header repeated after a page break
                continue
            flush()
            if re.search(r"[^\W\d_]\d|\d[^\W\d_]", label.split()[-1]):
                # "varor2 929", "Intäkter k1 100": letters glued to digits where the label
                # meets the figures; the cell boundary is lost and every figure would shift
                raise ParseError("Etiketten och det första talet går ihop; cellgränsen saknas.",
                                 location=Location(file=source, line=ln, row=label),
                                 found=raw.strip()[:80],
                                 expected="en etikett och sedan talen, åtskilda av mellanslag eller tabb",
                                 hint="Rätta raden mot originalet eller exportera tabellen som CSV/Excel.")
            rows.append(RowIn(ln, label, segs, raw.strip(), indent))
            indents[indent] = True
        elif label:
            if _is_prose(label, raw):
                flush()
                continue
            flush()
            if re.search(r"[^\W\d_]\d|\d[^\W\d_]", label.split()[-1]):
                raise ParseError("Raden saknar tal men etiketten slutar med siffror ihopskrivna med "
                                 "bokstäver; cellgränsen mellan etikett och tal saknas.",
                                 location=Location(file=source, line=ln, row=label),
                                 found=raw.strip()[:80],
                                 expected="en etikett och sedan talen, åtskilda av mellanslag eller tabb",
                                 hint="Rätta raden mot originalet eller exportera tabellen som CSV/Excel.")
            pending = RowIn(ln, label, [], raw.strip(), indent)
        else:  # figures only
            if pending is not None:
                pending.segments += segs
                pending.raw += " / " + raw.strip()
            elif all(_is_year(t) for s in segs for t in s.split()):
                continue  # a year line of a repeated header
            elif len(segs) == 1 and re.fullmatch(r"\d{1,3}", segs[0].strip()):
                continue  # a lone page number between rows
            else:
                raise ParseError("Raden har tal men ingen etikett.",
                                 location=Location(file=source, line=ln), found=raw.strip()[:80],
                                 expected="en radetikett före talen (eller på raden ovanför)",
                                 hint="Kontrollera att etiketten kom med vid kopieringen.")
    flush()
    if not rows:
        raise ParseError("Tabellen har en rubrikrad men inga rader.",
                         location=Location(file=source, line=header.line),
                         expected="minst en RR-rad under rubrikraden",
                         hint="Filen verkar avkortad; exportera tabellen på nytt.")
    levels = sorted({r.level for r in rows})
    for r in rows:
        r.level = levels.index(r.level)
    parsed.rows = rows
    return parsed


def candidate_readings(row: RowIn, slots: list[Slot], decimal: str, source,
                       cells: bool = False) -> list[Reading]:
    d = direct_reading(row.segments, slots, decimal)
    if d is not None and len(row.segments) == len(slots):
        return [d]
    try:
        return readings(row.segments, slots, decimal, cells=cells)
    except _TooMany:
        raise_too_many(row.line, row.label, row.raw, source)
        raise  # pragma: no cover


def decimals_and_value(text: str | None, decimal: str) -> tuple[float, int]:
    if text is None:
        return np.nan, 0
    v = parse_number(text, decimal=decimal)
    return (np.nan, 0) if v is None else (float(v), decimals_of(text))


# --------------------------------------------------------------------------- label prefilter

# Labels made only of these characters are classified in bulk by RE2 (Arrow). Every single-
# character item of a Python pattern is turned into the exact class of these characters that
# Python's ``re`` matches with it (so case folding, \d, \s and \w follow Python).
_SAFE_EXTRA = "åäöÅÄÖéÉüÜ"
_SAFE_ALPHABET = "".join(chr(c) for c in range(0x20, 0x7F)) + _SAFE_EXTRA
_SAFE_LABEL_RE2 = "^[\\x20-\\x7e" + _SAFE_EXTRA + "]*$"
_RE2_NEVER = "\\b\\B"  # a position cannot be both a word boundary and not one
_RE2_CACHE: dict[tuple[str, int], str | None] = {}
_CLASS_CACHE: dict[tuple[str, int], str] = {}


class _NoRE2(Exception):
    pass


def re2_superset(pattern: str, flags: int = 0) -> str | None:
    """An RE2 pattern that finds a match in every safe-alphabet string where ``pattern`` does.

    Safe alphabet: printable ASCII and åäöéü in both cases. Zero-width assertions that RE2
    cannot express (``\\b``, look-arounds) are dropped, which only widens the match set; any
    construct that cannot be widened safely (back-references, conditionals) gives None. Used as
    a prefilter: strings it does not match cannot match ``pattern``; the ones it matches are
    checked with Python's ``re``.
    """
    key = (pattern, flags)
    if key not in _RE2_CACHE:
        try:
            from re import _constants as C, _parser as P

            tree = P.parse(pattern, flags)
            _RE2_CACHE[key] = _re2_emit(tree, C, tree.state.flags)
        except (_NoRE2, re.error, ImportError, AttributeError, TypeError, ValueError, RecursionError):
            _RE2_CACHE[key] = None
    return _RE2_CACHE[key]


def _re2_chars(python_class: str, flags: int) -> str:
    """The RE2 class of the safe characters that the one-character Python pattern matches.

    A class that takes the space also takes a run of spaces, and a character whose case fold
    matches is taken too, so that the RE2 pattern can run on labels that are not yet
    normalised (a superset is all a prefilter needs).
    """
    flags &= re.IGNORECASE | re.ASCII
    key = (python_class, flags)
    if key not in _CLASS_CACHE:
        # a character also counts when its case fold matches: labels are compared casefolded
        hits = [c for c, f in zip(_SAFE_ALPHABET, _SAFE_ALPHABET.casefold())
                if re.fullmatch(python_class, c, flags) or re.fullmatch(python_class, f, flags)]
        if not hits:
            _CLASS_CACHE[key] = _RE2_NEVER
        else:
            chars = sorted(set(hits))
            cls = "[" + "".join(c if c.isalnum() or not c.isascii() else "\\" + c
                                for c in chars) + "]"
            _CLASS_CACHE[key] = f"(?:{cls}| +)" if " " in chars else cls
    return _CLASS_CACHE[key]


_PY_CATEGORY = {"CATEGORY_DIGIT": r"\d", "CATEGORY_NOT_DIGIT": r"\D", "CATEGORY_SPACE": r"\s",
                "CATEGORY_NOT_SPACE": r"\S", "CATEGORY_WORD": r"\w", "CATEGORY_NOT_WORD": r"\W"}


def _python_class(items, C) -> str:
    out = []
    for op, av in items:
        if op is C.NEGATE:
            out.append("^")
        elif op is C.LITERAL:
            out.append(re.escape(chr(av)))
        elif op is C.RANGE:
            out.append(re.escape(chr(av[0])) + "-" + re.escape(chr(av[1])))
        elif op is C.CATEGORY and str(av) in _PY_CATEGORY:
            out.append(_PY_CATEGORY[str(av)])
        else:
            raise _NoRE2(str(op))
    return "[" + "".join(out) + "]"


def _re2_emit(sub, C, flags: int) -> str:
    out = []
    for op, av in sub:
        if op is C.LITERAL:
            out.append(_re2_chars(re.escape(chr(av)), flags))
        elif op is C.NOT_LITERAL:
            out.append(_re2_chars("[^" + re.escape(chr(av)) + "]", flags))
        elif op is C.ANY:
            out.append(_re2_chars(".", flags))
        elif op is C.IN:
            out.append(_re2_chars(_python_class(av, C), flags))
        elif op is C.BRANCH:
            out.append("(?:" + "|".join(_re2_emit(s, C, flags) for s in av[1]) + ")")
        elif op is C.SUBPATTERN:
            _, add, drop, p = av
            out.append("(?:" + _re2_emit(p, C, (flags | add) & ~drop) + ")")
        elif op is getattr(C, "ATOMIC_GROUP", None):
            out.append("(?:" + _re2_emit(av, C, flags) + ")")
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", C.MAX_REPEAT)):
            lo, hi, p = av
            if lo > 1000 or (hi is not C.MAXREPEAT and hi > 1000):
                raise _NoRE2("repeat")
            rep = f"{{{lo},}}" if hi is C.MAXREPEAT else f"{{{lo},{hi}}}"
            out.append("(?:" + _re2_emit(p, C, flags) + ")" + rep)
        elif op is C.AT:
            if av in (C.AT_BEGINNING, C.AT_BEGINNING_STRING):
                out.append("^ *")  # spaces that stripping would remove
            elif av in (C.AT_END, C.AT_END_STRING):
                out.append(" *$")  # Python's $ also matches before a final newline: none here
            elif av not in (C.AT_BOUNDARY, C.AT_NON_BOUNDARY):
                raise _NoRE2(str(av))
        elif op in (C.ASSERT, C.ASSERT_NOT):
            continue  # dropping a look-around only widens the match
        else:
            raise _NoRE2(str(op))
    return "".join(out)


def maybe_matching(strings, patterns: list[str], flags: int = 0) -> np.ndarray:
    """Mask of the Arrow ``strings`` that ``re.search(p, s, flags)`` may match for some pattern.

    False is exact: no pattern matches the string, nor the string with its spaces collapsed
    and stripped (:func:`gnsanalysis.rr.table.normalise_label` up to case). True means "check with
    Python". Strings outside the safe alphabet, and every string when a pattern has no RE2
    superset, are True.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    n = len(strings)
    if not patterns or not n:
        return np.zeros(n, dtype=bool)
    re2 = [re2_superset(p, flags) for p in patterns]
    if any(r is None for r in re2):
        return np.ones(n, dtype=bool)
    strings = pc.fill_null(strings, "")
    unsafe = "[^\\x20-\\x7e" + _SAFE_EXTRA + "]"  # a character outside the alphabet: check it
    try:
        mask = pc.match_substring_regex(strings, "|".join([unsafe] + [f"(?:{r})" for r in re2]))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return np.ones(n, dtype=bool)
    return np.asarray(mask.to_numpy(zero_copy_only=False), dtype=bool)
