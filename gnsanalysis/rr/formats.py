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
import functools
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import numpy as np

from gnsanalysis.errors import Location, ParameterError, ParseError
from gnsanalysis.io import load_resource
from gnsanalysis.rr.grouping import (
    SPACE_CHARS,
    Reading,
    Slot,
    TooManyReadings,
    direct_reading,
    is_numeric_token,
    raise_too_many,
    readings,
    tokens_of,
)
from gnsanalysis.swedish.numbers import NumberFormatError, parse_number

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
    stopped_at: int | None = None  # the line of an incomplete last row (an excerpt ends there)


def _cfg() -> dict:
    return load_resource("rr_layouts.yaml")


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", str(text)).strip().casefold()


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", str(text)).casefold()


# --------------------------------------------------------------------------- detection

def normalise_format(fmt: str | None) -> str | None:
    """The canonical format name for ``fmt`` (aliases allowed); a ParameterError for an unknown one."""
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
    tabbed = sum(1 for ln in lines if "\t" in ln.strip("\n"))
    if tabbed >= max(2, n // 3):
        return "text"
    if _csv_delimiter(lines):
        return "csv"
    multi = sum(1 for ln in lines if re.search(r"\S {2,}\S", ln))
    if multi >= max(2, n // 4):
        return "spaced"
    all_lines = text.split("\n")
    blanks = sum(1 for ln in all_lines if not ln.strip())
    single = sum(1 for ln in lines if _one_cell(ln))
    if n >= 6 and single >= 0.85 * n and (blanks >= 0.5 * n or single >= 0.95 * n):
        return "cells"
    return "pdf"


def head_lines(text: str, n: int) -> list[str]:
    """The first ``n`` lines of ``text`` (all of them when it has fewer), without copying the
    rest of a large text as ``text.split("\\n", n)`` does."""
    end = 0
    for _ in range(n):
        end = text.find("\n", end) + 1
        if not end:
            return text.split("\n")
    return text[:end - 1].split("\n")


def first_lines(text: str, k: int = 200) -> list[str]:
    """The first ``k`` non-blank lines of ``text`` (without splitting all of a large text)."""
    for limit in (k + 50, 20 * k):
        found = [ln for ln in head_lines(text, limit) if ln.strip()][:k]
        if len(found) == k:
            return found
    return [ln for ln in text.split("\n") if ln.strip()][:k]


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
        for line in lines:
            try:
                rows.append(next(csv.reader([line], delimiter=delim)))
            except (csv.Error, StopIteration):
                rows.append([line])
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
    """The unit (``tkr``, ``mnkr``, ``mkr``, ``kr``) a header text names, or None."""
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
    """True for page numbers, banners and other lines that are no part of the table."""
    s = line.strip()
    return any(r.search(s) for r in _noise_res())


# --------------------------------------------------------------------------- grid formats

def grid_from_tab_text(text: str) -> list[tuple[int, list[str]]]:
    """Tab-separated text as numbered rows of cells."""
    return [(i, line.split("\t")) for i, line in enumerate(text.split("\n"), 1)]


def grid_from_csv(text: str, delimiter: str) -> list[tuple[int, list[str]]]:
    """CSV text as numbered rows of cells (line numbers as the file counts them)."""
    out = []
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        for row in reader:
            out.append((reader.line_num, row))
    except csv.Error as exc:
        raise ParseError("CSV-filen kan inte läsas.", location=Location(line=reader.line_num),
                         found=str(exc), expected=f"CSV med {delimiter!r} som avgränsare") from exc
    return out


def parse_csv(text: str, *, delimiter: str, decimal: str, source, utf8: bytes | None = None) -> Parsed:
    """CSV: the header found in the first lines, then the whole body read in one pass by
    Arrow's CSV reader, every cell as text (the figures are converted by :func:`_grid_rows`).

    Files the bulk reader does not take as they are (quoted cells, which may hold delimiters
    and line breaks; rows with more or fewer cells than the first) are read row by row by the
    csv module, which keeps every cell as written. ``utf8`` is ``text`` as UTF-8 bytes when the
    caller has them (the file as read), so that a large body is not encoded again.
    """
    head = grid_from_csv("\n".join(head_lines(text, 400)), delimiter)
    top, first = _find_grid_header(head, decimal, source)
    if '"' in text or first >= len(head):
        body = None
    else:
        body = _csv_body(text if utf8 is None else utf8, head, first, delimiter, text)
    if body is None:
        return parse_grid(grid_from_csv(text, delimiter), fmt="csv", decimal=decimal, source=source)
    return parse_grid(head, fmt="csv", decimal=decimal, source=source, body=body, found=(top, first))


def _csv_body(raw: str | bytes, head, first: int, delimiter: str, text: str):
    """(line numbers, Arrow string columns, cells per row, cells of row i) of the rows from
    ``head[first]`` on, or None when a row does not have the first row's number of cells.
    ``raw`` is ``text`` or its UTF-8 bytes."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    first_line, width = head[first][0], len(head[first][1])
    newline = "\n" if isinstance(raw, str) else b"\n"
    start = 0
    for _ in range(first_line - 1):
        start = raw.index(newline, start) + 1
    data = raw[start:].encode("utf-8") if isinstance(raw, str) else memoryview(raw)[start:]
    names = [str(j) for j in range(width)]
    try:  # a row with another number of cells raises ArrowInvalid
        table = pacsv.read_csv(
            pa.BufferReader(data),
            read_options=pacsv.ReadOptions(column_names=names),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, quote_char=False, double_quote=False,
                                             ignore_empty_lines=True),
            convert_options=pacsv.ConvertOptions(column_types={c: pa.string() for c in names},
                                                 strings_can_be_null=False, quoted_strings_can_be_null=False))
    except (pa.ArrowInvalid, ValueError):
        return None
    ends = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == 10)
    if len(data) and data[-1] != 10:
        ends = np.append(ends, len(data))
    starts = np.concatenate([[0], ends[:-1] + 1]).astype(np.int64)
    lines = first_line + np.flatnonzero(ends > starts)  # empty lines are not rows
    if len(lines) != table.num_rows:
        return None
    columns = [table.column(j).combine_chunks() for j in range(width)]
    split: list[list[str]] = []

    def cells_of(i: int) -> list[str]:  # a row's cells as written (for rows read closely)
        if not split:
            split.append(text.split("\n"))
        return split[0][int(lines[i]) - 1].split(delimiter)

    return lines, columns, np.full(len(lines), width, dtype=np.int64), cells_of


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
        # the shortest decimal that reads back as this float (what Excel shows), in full
        text = format(Decimal(repr(v)), "f")
        return text.replace(".", ",")
    if hasattr(v, "isoformat"):
        return v.isoformat()[:10] if hasattr(v, "hour") and not (v.hour or v.minute) else v.isoformat()
    return str(v)


# formulas without saved values are looked for in workbooks up to this size (a second read)
_FORMULA_SCAN_BYTES = 5_000_000


def xlsx_sheet_names(path: Path) -> list[str]:
    """The sheets of a workbook, in order."""
    wb = _open_workbook(path, True)
    try:
        return list(wb.sheetnames)
    finally:
        wb.close()


def _open_workbook(path: Path, data_only: bool):
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        return load_workbook(path, read_only=True, data_only=data_only)
    except (InvalidFileException, KeyError, OSError, ValueError, zipfile.BadZipFile, TypeError,
            AttributeError, IndexError, EOFError) as exc:
        if isinstance(exc, FileNotFoundError):
            raise
        raise ParseError("Filen kan inte läsas som Excel-arbetsbok.", location=Location(file=path),
                         found=type(exc).__name__, expected="en .xlsx-fil",
                         hint="Spara filen som Excel-arbetsbok (.xlsx) eller som CSV.") from exc


def _has_formulas(path: Path) -> bool:
    """Whether any worksheet of the workbook holds a formula (an ``<f>`` element in its XML)."""
    import zipfile

    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                with z.open(name) as fh:
                    data = fh.read()
                if b"<f>" in data or b"<f " in data or b":f>" in data or b":f " in data:
                    return True
    return False


def read_xlsx_grid(path: Path, sheet: str | None = None) -> tuple[list[tuple[int, list[str]]], str, list[str]]:
    """(rows of cells, the sheet read, notes for the user) of a workbook: the sheet named
    ``sheet``, else the first sheet with any content. The notes name the sheet when the
    workbook has several, and the cells that hold a formula without a saved value."""
    import zipfile

    open_book = functools.partial(_open_workbook, path)

    def cells(ws, convert) -> list:
        try:
            return [(i, [convert(v) for v in r]) for i, r in enumerate(ws.iter_rows(values_only=True), 1)]
        except (KeyError, ValueError, TypeError, AttributeError, IndexError, EOFError,
                zipfile.BadZipFile) as exc:
            raise ParseError("Bladet kan inte läsas.", location=Location(file=path, sheet=ws.title),
                             found=type(exc).__name__, expected="ett läsbart kalkylblad",
                             hint="Öppna filen i Excel och spara den på nytt.") from exc

    wb = open_book(True)
    try:
        names = list(wb.sheetnames)
        if sheet is not None and sheet not in names:
            raise ParseError(f"Arbetsboken har inget blad som heter {sheet!r}.", location=Location(file=path),
                             found=", ".join(names), expected="ett av arbetsbokens blad",
                             hint="Ange ett av bladen ovan med --sheet.")
        rows, used = None, None
        for ws in wb.worksheets:
            if sheet is not None and ws.title != sheet:
                continue
            rows = cells(ws, xl_cell)
            if sheet is not None or any(any(c.strip() for c in r) for _, r in rows):
                used = ws.title
                break
        if used is None:
            raise ParseError("Arbetsboken är tom.", location=Location(file=path),
                             expected="ett blad med en RR-tabell")
    finally:
        wb.close()
    notes = []
    if len(names) > 1:
        notes.append(f"Läser bladet {used!r} av {len(names)} blad ({', '.join(names)}); "
                     "välj ett annat med --sheet.")
    if path.stat().st_size <= _FORMULA_SCAN_BYTES and _has_formulas(path):
        wb = open_book(False)
        try:
            formulas = cells(wb[used], lambda v: v if isinstance(v, str) and v.startswith("=") else "")
        finally:
            wb.close()
        lost = [f"rad {i} kolumn {j + 1}" for (i, f), (_, v) in zip(formulas, rows)
                for j, c in enumerate(f) if c and (j >= len(v) or not v[j].strip())]
        if lost:
            raise ParseError(
                f"{len(lost)} celler innehåller formler utan sparade värden ({', '.join(lost[:5])}"
                f"{' …' if len(lost) > 5 else ''}).", location=Location(file=path, sheet=used),
                expected="celler med värden", found="formler utan beräknat värde",
                hint="Öppna arbetsboken i Excel, låt den räkna om och spara den, eller exportera som CSV.")
    return rows, used, notes


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
    for r, (_line, cells) in enumerate(rows):
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


_NOTE_CELL = re.compile(r"^(?:[Nn]ot\.?\s*)?(?:[1-9]\d{0,2}(?:\s*,\s*[1-9]\d{0,2})*)?$")
_MINUS_CLASS = "[-\u2212\u2013]"
_GAP_CLASS = "[ \u00a0\u202f]"
# most significant digits a figure may have: a float holds 15 exactly
MAX_DIGITS = 15


def _cell_number_re(decimal: str) -> str:
    """A whole cell that is one printed figure (RE2 syntax, for Arrow): optional minus glyph
    (``-``, ``–``, ``−``, also detached by one space), digits grouped by thousands with a space,
    no-break space or thin space, or not grouped at all, optional decimals."""
    d = re.escape(decimal)
    return (f"^{_MINUS_CLASS}?{_GAP_CLASS}?(?:[0-9]{{1,3}}(?:{_GAP_CLASS}[0-9]{{3}})+|[0-9]+)(?:{d}[0-9]+)?$")


def _bools(a) -> np.ndarray:
    import pyarrow.compute as pc

    return np.asarray(pc.fill_null(a, False).to_numpy(zero_copy_only=False), dtype=bool)


def _ints(a) -> np.ndarray:
    return np.asarray(a.to_numpy(zero_copy_only=False), dtype=np.int64)


def _column_figures(s, decimal: str, source, lines, column: str, sheet):
    """One value column (Arrow strings) read in bulk: (values, decimals, cell is a figure, cell
    is a dash).

    Arrow's string-to-float cast gives the float nearest the printed decimal (as ``float()``
    and :func:`gnsanalysis.swedish.numbers.parse_number` do); a figure with more significant
    digits than a float holds exactly is refused.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    ok = _bools(pc.match_substring_regex(s, _cell_number_re(decimal)))
    is_dash = np.zeros(len(s), dtype=bool) if ok.all() else \
        _bools(pc.is_in(s, value_set=pa.array(sorted(_DASHES - {""}))))
    vals = np.full(len(s), np.nan)
    decs = np.zeros(len(s), dtype=np.int64)
    if ok.any():
        conv = s if ok.all() else s.filter(pa.array(ok))
        chars = bytes(conv.buffers()[2] or b"")  # the cells' characters, one after the other
        for glyph, plain in (" ", ""), ("\u00a0", ""), ("\u202f", ""), ("\u2212", "-"), ("\u2013", "-"):
            if glyph.encode("utf-8") in chars:  # a byte search; a pass without the glyph is wasted
                conv = pc.replace_substring(conv, glyph, plain)
        pos = _ints(pc.find_substring(conv, decimal))
        if decimal != "." and (pos >= 0).any():
            conv = pc.replace_substring(conv, decimal, ".")
        length = _ints(pc.binary_length(conv))  # the cells are ASCII now
        for k in np.flatnonzero(length > MAX_DIGITS):  # few: count the significant digits
            if len(re.sub(r"[-.]", "", conv[int(k)].as_py()).lstrip("0")) > MAX_DIGITS:
                i = int(np.flatnonzero(ok)[k])
                raise ParseError(
                    "Talet har fler siffror än som kan läsas exakt.",
                    location=Location(file=source, line=int(lines[i]), column=column, sheet=sheet),
                    found=s[i].as_py()[:60], expected=f"ett belopp med högst {MAX_DIGITS} siffror",
                    hint="Kontrollera att cellen inte fått siffror från en annan cell.")
        vals[ok] = pc.cast(conv, pa.float64()).to_numpy(zero_copy_only=False)
        decs[ok] = np.where(pos >= 0, length - pos - 1, 0)
    return vals, decs, ok, is_dash


def _as_columns(body) -> tuple[np.ndarray, list, np.ndarray, object]:
    """(line numbers, cells as Arrow string columns, cells present per row, cells of row i as
    written or None)."""
    import pyarrow as pa

    if isinstance(body, tuple):  # read in bulk already (CSV)
        return body
    lines = np.fromiter((ln for ln, _ in body), dtype=np.int64, count=len(body))
    nfields = np.fromiter((len(c) for _, c in body), dtype=np.int64, count=len(body))
    w = int(nfields.max()) if len(nfields) else 0
    columns = [pa.array(["" if j >= len(c) or c[j] is None else str(c[j]) for _, c in body],
                        type=pa.string()) for j in range(w)]
    return lines, columns, nfields, None


def _grid_rows(body, lead, positions, slots, decimal, source, parsed: Parsed, sheet) -> dict:
    """Read the body of a grid (one value per cell) column by column with pandas' string
    operations; rows that need a closer look become :class:`RowIn` for the grouping engine.

    A row is read in bulk when each value cell is empty, a dash or one figure
    (:func:`_cell_number_re`) and it has as many cells as the header. Other rows (cells that
    are not plain figures, cells run together, values without a label) are read one by one.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    lines, columns, nfields, cells_of = _as_columns(body)
    n = len(lines)
    width = max(positions) + 1 if positions else lead + 1
    columns = list(columns) + [pa.array([""] * n, type=pa.string())] * max(0, width - len(columns))
    trim = SPACE_CHARS + "\t"
    text = {j: pc.utf8_trim(c, trim) for j, c in enumerate(columns) if j != lead}

    def row_cells(i: int) -> list[str]:
        if cells_of is not None:
            return cells_of(int(i))
        return [c[int(i)].as_py() for c in columns[:nfields[i]]]

    codes, uniques, levels, label_empty = _label_codes(columns[lead], trim, n)

    def label_at(i: int) -> str:
        return uniques[codes[int(i)]]

    nonempty = np.zeros((n, len(columns)), dtype=bool)
    for j, s in text.items():
        nonempty[:, j] = _bools(pc.not_equal(s, ""))
    nonempty[:, lead] = ~label_empty
    blank = ~nonempty.any(axis=1)
    # cells beyond the header, or a row cut short (fewer cells than the header): not clean
    clean = ~(nonempty[:, width:].any(axis=1) | ((nfields > 1) & (nfields < width)))
    value_pos = [p for p, s in zip(positions, slots) if s.role == "value"]
    note_pos = [p for p, s in zip(positions, slots) if s.role == "note"]
    where = (decimal, source, lines, sheet)
    V, D, has_value, any_empty = _value_figures(text, nonempty, value_pos, parsed, where, clean)
    for i in np.flatnonzero(any_empty & has_value):
        _refuse_lost_cell(label_at(i), lambda i=i: "\t".join(row_cells(i)), int(lines[i]), width - lead,
                            source, sheet)
    notes = _note_texts(text, note_pos, nonempty, clean, n) if note_pos else None
    # rows the engine must read: unclean cells, or values without a label
    slow = (~clean | (label_empty & has_value)) & ~blank
    keep = ~blank
    rows_in, header_rows = _rows_in(np.flatnonzero(slow | (label_empty & ~blank)), row_cells, parsed,
                                    positions, width, lead, levels, lines)
    # repeated header rows that read cleanly (all cells are words) are skipped too
    keep &= ~(clean & ~blank & ~slow & ~has_value & label_empty)
    keep &= ~header_rows
    _merge_label_rows(rows_in, keep, blank, has_value, label_empty, label_at, levels, lines, source, sheet)
    _drop_label_only_rows(keep, has_value, slow, codes, uniques, nfields, lead, len(positions), lines, source, sheet)
    return {"lines": lines, "labels": uniques[codes] if len(codes) else np.zeros(0, dtype=object),
            "label_uniques": uniques, "label_codes": codes, "levels": levels, "notes": notes,
            "V": V, "D": D, "keep": keep, "slow": rows_in, "has_value": has_value}


def _label_codes(column, trim: str, n: int):
    """Labels repeat (one block per nämnd and month): each distinct label trimmed and measured
    once. Returns the codes per row, the distinct labels, the indent per row and which rows
    have no label."""
    import pyarrow.compute as pc

    enc = pc.dictionary_encode(column)
    codes = np.asarray(enc.indices.to_numpy(zero_copy_only=False), dtype=np.int64)
    raw_u = enc.dictionary.to_pylist()
    uniques = np.empty(len(raw_u), dtype=object)
    uniques[:] = [u.strip(trim) for u in raw_u]
    indent = np.array([len(u) - len(u.lstrip(trim)) for u in raw_u], dtype=np.int64)
    levels = indent[codes] if len(raw_u) else np.zeros(n, dtype=np.int64)
    label_empty = (uniques == "")[codes] if len(raw_u) else np.zeros(n, dtype=bool)
    return codes, uniques, levels, label_empty


def _value_figures(text: dict, nonempty: np.ndarray, value_pos: list[int], parsed: Parsed, where: tuple,
                   clean: np.ndarray):
    """The figures of the value columns (values, printed decimals), which rows have a value and
    which lack one; a row whose cells are not empty, a dash or one figure is marked not clean."""
    decimal, source, lines, sheet = where
    n, m = nonempty.shape[0], len(value_pos)
    V = np.full((n, m), np.nan, order="F")
    D = np.zeros((n, m), dtype=np.int64, order="F")
    has_value = np.zeros(n, dtype=bool)
    any_empty = np.zeros(n, dtype=bool)
    for k, p in enumerate(value_pos):
        is_blank = ~nonempty[:, p]
        V[:, k], D[:, k], ok, is_dash = _column_figures(text[p], decimal, source, lines,
                                                        parsed.header.value_columns[k], sheet)
        any_empty |= is_blank
        clean &= ok | is_blank | is_dash
        has_value |= ok | is_dash
    return V, D, has_value, any_empty


def _refuse_lost_cell(label: str, row_text, line: int, cells: int, source, sheet) -> None:
    """A label that runs into a figure while a cell is missing: the separator was lost."""
    if _GLUED_END.search(label):
        raise ParseError("Etiketten slutar med siffror och raden saknar ett värde: cellgränsen "
                         "mellan etikett och tal verkar ha fallit bort.",
                         location=Location(file=source, line=line, sheet=sheet),
                         found=row_text()[:80],
                         expected=f"{cells} celler (etikett + värden)",
                         hint="Kontrollera att inga celler slagits ihop vid kopieringen.")


def _note_texts(text: dict, note_pos: list[int], nonempty: np.ndarray, clean: np.ndarray, n: int) -> np.ndarray:
    """The note references per row (``"2, 4"``); a note cell that is not one marks the row not clean."""
    notes = np.full(n, "", dtype=object)
    note_cols = [text[p].to_pylist() for p in note_pos]
    for i in np.flatnonzero(nonempty[:, note_pos].any(axis=1)):
        parts = []
        for col in note_cols:
            if not _NOTE_CELL.match(col[i]):
                clean[i] = False
            t = re.sub(r"^not\.?\s*", "", col[i], flags=re.IGNORECASE)
            t = re.sub(r"\s*,\s*", ", ", t)
            if t and t not in parts:
                parts.append(t)
        notes[i] = ", ".join(parts)
    return notes


def _rows_in(rows: np.ndarray, row_cells, parsed: Parsed, positions: list[int], width: int, lead: int,
             levels: np.ndarray, lines: np.ndarray) -> tuple[dict[int, RowIn], np.ndarray]:
    """The rows the engine reads one by one, and which rows are a header repeated after a page
    break (every value cell a header word)."""
    rows_in: dict[int, RowIn] = {}
    header_rows = np.zeros(len(lines), dtype=bool)
    header_words = {_norm(w) for t in parsed.header.texts for w in [t, *t.split()]} | {
        _norm(c) for c in parsed.header.value_columns} | {_norm(w) for c in parsed.header.value_columns
                                                         for w in c.split()}
    for i in rows:
        orig = row_cells(i)
        cells = orig + [""] * (width - len(orig))
        label = cells[lead].strip()
        vals = [c.strip() for c in cells[lead + 1:] if c.strip()]
        if vals and all(_norm(v) in header_words for v in vals):
            header_rows[i] = True  # a header repeated after a page break
            continue
        segs = [orig[p] for p in positions if p < len(orig)] + [c for c in orig[width:] if c.strip()]
        rows_in[i] = RowIn(int(lines[i]), label, segs, "\t".join(cells).strip(), int(levels[i]))
    return rows_in, header_rows


def _drop_label_only_rows(keep: np.ndarray, has_value: np.ndarray, slow: np.ndarray, codes: np.ndarray,
                          uniques: np.ndarray, nfields: np.ndarray, lead: int, n_positions: int,
                          lines: np.ndarray, source, sheet) -> None:
    """Label-only rows that are noise (page numbers, banners) and those after the last row with
    values (notes, sources, signatures) are dropped; a lone label glued to a figure
    ("Intäkter0") is a row whose cell separators were lost."""
    only = np.flatnonzero(keep & ~has_value & ~slow)
    if len(only):
        noisy = {c: is_noise(uniques[c]) for c in np.unique(codes[only])}
        noise = only[[noisy[c] for c in codes[only]]]
        for i in only[nfields[only] - lead <= 1]:
            if not noisy[codes[i]] and _GLUED_END.search(uniques[codes[i]]):
                raise ParseError("Raden har bara en cell, och etiketten slutar med en siffra: "
                                 "cellgränserna verkar ha fallit bort.",
                                 location=Location(file=source, line=int(lines[i]), sheet=sheet),
                                 found=uniques[codes[i]][:80],
                                 expected=f"{n_positions + 1} celler (etikett + värden)",
                                 hint="Kontrollera att inga celler slagits ihop vid kopieringen.")
        keep[noise] = False
    valued = np.flatnonzero(keep & (has_value | slow))
    if len(valued):
        keep[valued[-1] + 1:] = False


def _merge_label_rows(rows_in, keep, blank, has_value, label_empty, label_at, levels, lines,
                      source, sheet) -> None:
    """"Label on one row, values on the next" (grid form): an empty-label row with values takes
    the label of a directly preceding label-only row; values with no label above stop."""
    merged: set[int] = set()
    for i in sorted(rows_in):
        if not (label_empty[i] and keep[i]):
            continue
        j = i - 1
        while j >= 0 and blank[j]:
            j -= 1
        if j >= 0 and keep[j] and not has_value[j] and not label_empty[j] and j not in merged:
            rows_in[i].label = label_at(j)
            rows_in[i].level = int(levels[j])
            keep[j] = False
            merged.add(j)
        else:
            raise ParseError("Raden har tal men ingen etikett.",
                             location=Location(file=source, line=int(lines[i]), sheet=sheet),
                             found=rows_in[i].raw[:80], expected="en radetikett i första kolumnen",
                             hint="Kontrollera att etiketten inte hamnat på en egen rad längre upp.")


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


def _hard_cell_phrases(t: str) -> tuple[str, list[str], list[str]]:
    """:func:`_phrases` of a header line whose cells are hard-separated (tabs, wide gaps)."""
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
    return lab, phrases, groups


def _header_lines(lines: list[tuple[int, str]], fmt: str) -> tuple[list[list[str]], list[str], str]:
    """Column phrases per header line, the group words (Kommunen, Koncernen) and the label header."""
    per_line, group_words, label_header = [], [], ""
    for _, t in lines:
        if fmt != "pdf" and _HARD_RE.search(t.strip()):
            lab, phrases, groups = _hard_cell_phrases(t)
        else:
            lab, phrases, groups = _phrases(t)
        if groups and not phrases:
            group_words += groups
            continue
        label_header = label_header or lab
        if phrases:
            per_line.append(phrases)
    return per_line, group_words, label_header


def _is_note_name(col: str) -> bool:
    return _norm(col).split(" ")[0].strip(".") in ("not", "noter")


def _stack_lines(per_line: list[list[str]], line: int, source) -> list[str]:
    """Column names from the header lines: equal counts are stacked ("Utfall" over "2019"), a
    shorter line of years stacks from the right ("Not BUDGET UTFALL" / "2021 2020"), and
    single-phrase lines are one cell each (a flattened header; a year joins the cell above)."""
    if all(len(p) == 1 for p in per_line) and len(per_line) > 1:
        cols: list[str] = []
        for p in per_line:
            if _is_year(p[0]) and cols and not re.search(r"(19|20)\d\d", cols[-1]) \
                    and not _is_note_name(cols[-1]):
                cols[-1] += " " + p[0]
            else:
                cols.append(p[0])
        return cols
    cols = per_line[0]
    for p in per_line[1:]:
        if len(p) == len(cols):
            cols = [f"{a} {b}" for a, b in zip(cols, p)]
        elif len(p) < len(cols) and all(_is_year(t) for t in p):
            k = len(cols) - len(p)
            cols = cols[:k] + [f"{a} {b}" for a, b in zip(cols[k:], p)]
        else:
            raise ParseError(
                "Rubrikraderna har olika antal kolumner.",
                location=Location(file=source, line=line), found=[cols, p],
                expected="lika många rubriker på varje rubrikrad",
                hint="Exportera tabellen som CSV/Excel eller med tabb mellan cellerna.")
    return cols


def _group_columns(cols: list[str], note_idx: list[int], group_words: list[str], line: int,
                   source) -> tuple[list[int], list[str]]:
    """Group per column and column names (group + header text): the groups split at their Not
    columns, after one shared Not column, or evenly. A shared Not column has group -1."""
    gid, names = [0] * len(cols), list(cols)
    if not group_words:
        return gid, names
    k = len(group_words)
    if len(note_idx) == k and note_idx[0] == 0:
        starts = note_idx
    elif note_idx == [0] and (len(cols) - 1) % k == 0:  # one Not column shared by the groups
        width = (len(cols) - 1) // k
        starts = [0] + list(range(1 + width, len(cols), width))
    elif len(cols) % k == 0:
        starts = list(range(0, len(cols), len(cols) // k))
    else:
        raise ParseError("Kan inte fördela kolumnerna på kolumngrupperna.",
                         location=Location(file=source, line=line), found=f"{group_words} över {cols}",
                         expected="lika många kolumner i varje grupp eller en Not-kolumn per grupp")
    for g, s in enumerate(starts):
        end = starts[g + 1] if g + 1 < len(starts) else len(cols)
        for i in range(s, end):
            gid[i] = g
            names[i] = f"{group_words[g]} {cols[i]}"
    if note_idx == [0] and k > 1:
        gid[0] = -1  # the shared Not column belongs to no group (a koncern-only row has a note)
    return gid, names


def _text_header(lines: list[tuple[int, str]], fmt: str, source) -> Header:
    """Columns from one or more header lines of free text."""
    texts = [t for _, t in lines]
    unit = find_unit(texts)
    last = lines[-1][0] if lines else None
    known = _known_layout_columns(" ".join(texts)) or (_known_layout_columns(texts[-1]) if texts else None)
    if known:
        label, cols = known
        return Header([Slot("value", c) for c in cols], cols, lines[-1][0], texts, label, unit)
    per_line, group_words, label_header = _header_lines(lines, fmt)
    if not per_line:
        raise ParseError("Hittar inga kolumnrubriker i rubrikraden.",
                         location=Location(file=source, line=last), found=" / ".join(texts)[:120],
                         expected="rubriker som 'Not', 'Utfall 2019', 'Budget', 'Avvikelse'",
                         hint="Ange formatet med --input-format eller exportera tabellen som CSV/Excel.")
    cols = _stack_lines(per_line, lines[-1][0], source)
    note_idx = [i for i, c in enumerate(cols) if _is_note_name(c)]
    gid, names = _group_columns(cols, note_idx, group_words, lines[-1][0], source)
    slots = [Slot("note", None, gid[i]) if i in note_idx else Slot("value", names[i], gid[i])
             for i in range(len(cols))]
    value_columns = [s.column for s in slots if s.role == "value"]
    _check_columns(value_columns, source, lines[-1][0])
    return Header(slots, value_columns, lines[-1][0], texts, label_header, unit)


def _is_headerish_text(line: str) -> bool:
    """A header line: column words (Utfall, Budget, Not, Kommunen …) or only years."""
    words = _cfg().get("header_words", {})
    vocab = set(words.get("heads", [])) | set(words.get("notes", [])) | set(words.get("groups", []))
    toks = line.split()
    if not toks or _PROSE_END.search(line.strip()) and len(toks) > 6:
        return False
    if all(_is_year(t) for t in toks) or all(_is_unit_token(t) for t in toks):
        return True
    hits = 0
    for t in toks:
        low = t.casefold().strip(".,:()")
        if low in vocab or any(p in vocab for p in re.split(r"[-/]", low) if p):
            hits += 1
        elif t.strip() not in _DASHES and _parses(t, ",") and not _is_year(t):
            return False
    return hits > 0


def _years_only(segs: list[str]) -> bool:
    """Figures that are only years (and note words): a caption or header, not a data row."""
    toks = [t for s in segs for t in s.split()]
    return bool(toks) and all(_is_year(t) or re.fullmatch(r"(?i)not\.?", t) for t in toks)


_TWO_DECIMALS = re.compile(r"^[-\u2212\u2013]?\d+(?:,\d+){2,}$")
_NOTE_LIST = re.compile(r"^\d{1,3}(?:,\d{1,3})+$")


def _refuse_run_together(label: str, raw: str, line: int, source) -> None:
    """A token with two decimal commas ("803,2771,5") is two cells run together: refused."""
    for tok in label.split():
        if _TWO_DECIMALS.match(tok) and not _NOTE_LIST.match(tok):
            raise ParseError("Två celler har gått ihop till ett tal med två decimalkomman.",
                             location=Location(file=source, line=line, row=label),
                             found=tok, expected="ett tal per cell, åtskilda av mellanslag eller tabb",
                             hint="Rätta raden mot originalet eller exportera tabellen som CSV/Excel.")


def _continues(label: str) -> bool:
    """A label part that continues the label above: it starts in lower case (not 'varav')."""
    first = label.split()[0]
    return first[:1].islower() and first.casefold() != "varav"


def _is_prose(label: str, line: str) -> bool:
    """A sentence, not a row: many words (figures in the label are not words)."""
    words = [w for w in label.split() if not is_numeric_token(w)]
    return len(words) >= 9 or bool(_PROSE_END.search(line.strip()) and len(words) >= 3)


def _line_info(text: str, fmt: str, decimal: str) -> list[tuple[int, str, str, list[str]]]:
    """(line number, raw line, label, numeric segments) for every line of the text."""
    info = []
    for i, raw in enumerate(text.split("\n"), 1):
        label, segs = _split_label(raw, fmt, decimal) if raw.strip() else ("", [])
        info.append((i, raw, label, segs))
    return info


def _first_row(info, source) -> int:
    """Index of the first data row: label + figures on one line, or a label line followed by a
    figures line (captions and headers whose figures are years are not rows)."""
    for k, (_ln, raw, label, segs) in enumerate(info):
        if not raw.strip() or is_noise(raw) or _is_headerish_text(raw):
            continue
        if label and segs and not _is_prose(label, raw) and not _years_only(segs):
            return k
        if label and not segs and not _is_prose(label, raw):
            nxt = k + 1
            while nxt < len(info) and not info[nxt][1].strip():
                nxt += 1
            if nxt < len(info) and not info[nxt][2] and info[nxt][3] and not _years_only(info[nxt][3]):
                return k
    raise ParseError("Hittar ingen tabell i texten.", location=Location(file=source),
                     expected="en rubrikrad följd av rader med etikett och tal",
                     hint="Kontrollera att tabellen kom med vid kopieringen, eller ange "
                          "formatet med --input-format.")


def _header_above(info, first: int, fmt: str, source) -> tuple[list[tuple[int, str]], int]:
    """The header lines directly above the first row (blank lines allowed between) and the
    index of the last line above them (the preamble ends there)."""
    hdr: list[tuple[int, str]] = []
    k = first - 1
    while k >= 0:
        ln, raw, _, _ = info[k]
        if not raw.strip() and fmt == "cells" or is_noise(raw) or (not raw.strip() and not hdr):
            k -= 1
        elif raw.strip() and _is_headerish_text(raw) and len(hdr) < (12 if fmt == "cells" else 4):
            hdr.insert(0, (ln, raw.strip()))
            k -= 1
        else:
            break
    if not hdr:
        raise ParseError(
            "Hittar ingen rubrikrad ovanför tabellens första rad.",
            location=Location(file=source, line=info[first][0]),
            expected="en rad med kolumnrubriker (t.ex. 'Not Utfall 2019 Utfall 2018')",
            hint="Ta med rubrikraden vid kopieringen, eller exportera tabellen som CSV/Excel.")
    return hdr, k


def _refuse_glued_label(label: str, raw: str, line: int, source, with_figures: bool) -> None:
    """Letters glued to digits where the label meets the figures ("varor2 929"): the cell
    boundary is lost and every figure would shift."""
    if not re.search(r"[^\W\d_]\d|\d[^\W\d_]", label.split()[-1]):
        return
    what = ("Etiketten och det första talet går ihop; cellgränsen saknas." if with_figures else
            "Raden saknar tal men etiketten slutar med siffror ihopskrivna med bokstäver; "
            "cellgränsen mellan etikett och tal saknas.")
    raise ParseError(what, location=Location(file=source, line=line, row=label), found=raw.strip()[:80],
                     expected="en etikett och sedan talen, åtskilda av mellanslag eller tabb",
                     hint="Rätta raden mot originalet eller exportera tabellen som CSV/Excel.")


class _Rows:
    """Logical rows assembled line by line: wrapped labels, figures on the next line(s)."""

    def __init__(self, fmt: str, decimal: str, source):
        self.fmt, self.decimal, self.source = fmt, decimal, source
        self.rows: list[RowIn] = []
        self.pending: RowIn | None = None  # a label whose figures may follow
        self.row_end = 0  # the line on which the last row's figures stand

    def flush(self) -> None:
        if self.pending is not None and self.pending.segments:
            self.rows.append(self.pending)
        self.pending = None

    def labelled(self, ln: int, raw: str, label: str, segs: list[str], indent: int) -> None:
        if _is_prose(label, raw) or _is_headerish_text(raw):
            self.flush()  # prose, or a header repeated after a page break
            return
        _refuse_run_together(label, raw, ln, self.source)
        _refuse_glued_label(label, raw, ln, self.source, with_figures=True)
        p = self.pending
        if p is not None and not p.segments and _continues(label):
            # a label wrapped over two lines, the figures on the second
            self.rows.append(RowIn(p.line, f"{p.label} {label}", segs, f"{p.raw} / {raw.strip()}", p.level))
        else:
            self.flush()
            self.rows.append(RowIn(ln, label, segs, raw.strip(), indent))
        self.pending, self.row_end = None, ln

    def label_only(self, ln: int, raw: str, label: str, indent: int) -> None:
        if _is_prose(label, raw):
            self.flush()
            return
        if self.pending is None and self.rows and self.row_end == ln - 1 and _continues(label):
            self.rows[-1].label += " " + label  # the end of a label wrapped under its figures
            self.rows[-1].raw += " / " + raw.strip()
            return
        self.flush()
        _refuse_glued_label(label, raw, ln, self.source, with_figures=False)
        self.pending = RowIn(ln, label, [], raw.strip(), indent)

    def figures_only(self, ln: int, raw: str, segs: list[str]) -> None:
        where = Location(file=self.source, line=ln)
        if self.fmt == "cells" and not all(_parses(seg.strip(), self.decimal) for seg in segs):
            raise ParseError("Raden ska hålla en cell men håller flera tal; cellerna har gått ihop.",
                             location=where, found=raw.strip()[:80], expected="ett tal per rad (en cell per rad)",
                             hint="Rätta raden mot originalet eller exportera tabellen som CSV/Excel.")
        if self.pending is not None:
            self.pending.segments += segs
            self.pending.raw += " / " + raw.strip()
            self.row_end = ln
        elif all(_is_year(t) for s in segs for t in s.split()):
            return  # a year line of a repeated header
        elif len(segs) == 1 and re.fullmatch(r"\d{1,3}", segs[0].strip()):
            return  # a lone page number between rows
        else:
            raise ParseError("Raden har tal men ingen etikett.", location=where, found=raw.strip()[:80],
                             expected="en radetikett före talen (eller på raden ovanför)",
                             hint="Kontrollera att etiketten kom med vid kopieringen.")


def _stops_mid_row(rows: list[RowIn], slots: list[Slot], decimal: str, last_line: int) -> int | None:
    """The line of a last row that no reading fills, when it is the last line of the text: the
    excerpt ends mid-row (that row is left out and the table says where it stopped)."""
    if len(rows) < 2 or rows[-1].line != last_line or "/" in rows[-1].raw:
        return None
    if re.search(r"\d{5}", " ".join(rows[-1].segments)):
        return None  # digits run together ("198999362"): refused as any other row
    try:
        if readings(rows[-1].segments, slots, decimal):
            return None
    except TooManyReadings:
        return None
    return rows.pop().line


def parse_free_text(text: str, *, fmt: str, decimal: str, source) -> Parsed:
    """Header, preamble and logical rows of text whose cells are separated by whitespace."""
    info = _line_info(text, fmt, decimal)
    first = _first_row(info, source)
    hdr, k = _header_above(info, first, fmt, source)
    header = _text_header(hdr, fmt, source)
    preamble = [info[j][1].strip() for j in range(0, k + 1) if info[j][1].strip()]
    if header.unit is None:
        header.unit = find_unit(preamble[-3:] + preamble)
    parsed = Parsed(fmt=fmt, header=header, preamble=preamble, decimal=decimal)
    build = _Rows(fmt, decimal, source)
    for ln, raw, label, segs in info[first:]:
        if not raw.strip() or is_noise(raw):
            continue
        indent = len(raw) - len(raw.lstrip(" \u00a0"))
        if label and segs:
            build.labelled(ln, raw, label, segs, indent)
        elif label:
            build.label_only(ln, raw, label, indent)
        else:
            build.figures_only(ln, raw, segs)
    build.flush()
    rows = build.rows
    last_line = max((ln for ln, raw, _, _ in info if raw.strip()), default=0)
    parsed.stopped_at = _stops_mid_row(rows, header.slots, decimal, last_line)
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
    """Every reading a row's segments allow under the header's slots (notes, values)."""
    d = direct_reading(row.segments, slots, decimal)
    if d is not None and len(row.segments) == len(slots):
        return [d]
    try:
        return readings(row.segments, slots, decimal, cells=cells)
    except TooManyReadings:
        raise_too_many(row.line, row.label, row.raw, source)
        raise  # pragma: no cover
