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

Grid formats (``text``, ``csv``, ``xlsx``) keep their cells; how every format is read is
stated in :mod:`gnsanalysis.rr.read`.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field

import numpy as np

from gnsanalysis.errors import ParameterError
from gnsanalysis.io import load_resource
from gnsanalysis.rr.grouping import Slot, is_numeric_token, tokens_of
from gnsanalysis.swedish.numbers import NumberFormatError, parse_number

FORMATS = ("text", "spaced", "pdf", "cells", "csv", "xlsx")
FORMAT_ALIASES = {"tsv": "text", "tab": "text", "txt": "text", "xls": "xlsx", "excel": "xlsx",
                  "pdf-text": "pdf", "pdftext": "pdf", "spaces": "spaced"}
_YEAR_RE = re.compile(r"^(?:19|20)\d\d(?:-\d\d(?:-\d\d)?)?$|^(?:19|20)\d\d/(?:19|20)?\d\d$")
DASHES = {"", "-", "\u2013", "\u2212", "\u2014"}
HARD_RE = re.compile(r"\t|[ \u00a0]{2,}")
PROSE_END = re.compile(r"[.!?:]$")
# a label that runs straight into a figure: "Intäkter0", "Kostnader-1", "Avgifter1 234,5"
GLUED_END = re.compile(r"[^\W\d_][-\u2212\u2013]?\d[\d \u00a0]*(?:,\d+)?$")


# --------------------------------------------------------------------------- data passed on

@dataclass
class Header:
    """What the header says: value column names, slots (note/value per group), its lines."""

    slots: list[Slot]
    value_columns: list[str]
    line: int  # 1-based line (or spreadsheet row) of the last header line
    texts: list[str] = field(default_factory=list)
    unit: str | None = None
    spans: list[tuple[int, int]] | None = None  # character span of each slot's heading (spaced text)


@dataclass
class RowIn:
    """A logical table row: its label and its hard-separated cells after the label."""

    line: int
    label: str
    segments: list[str]
    raw: str
    level: int = 0
    figure_line: str = ""  # the physical line that holds all the row's figures, as printed


@dataclass
class Parsed:
    """Rows read from any format, before the evidence step and the tidy frame.

    Per row (arrays of equal length): its line, label, indentation level and note, its figures
    as far as they were read cell by cell (``V``: values, NaN = none; ``D``: printed decimals),
    and whether it is a table row (``keep``). ``rows`` holds, by row index, the rows that are
    still to be read token by token (every row of the free-text formats).
    """

    fmt: str
    header: Header
    preamble: list[str]
    decimal: str = ","
    sheet: str | None = None
    stopped_at: int | None = None  # the line of an incomplete last row (an excerpt ends there)
    ended_at: tuple[int, str] | None = None  # (line, text) of the header of another table below this one
    lines: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    labels: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=object))
    levels: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    notes: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=object))
    V: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    D: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.int64))
    keep: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    rows: dict[int, RowIn] = field(default_factory=dict)

    def set_rows(self, rows: list[RowIn]) -> None:
        """Rows of which nothing is read yet: every one to be read token by token."""
        n, m = len(rows), len(self.header.value_columns)
        self.lines = np.array([r.line for r in rows], dtype=np.int64)
        self.labels = np.array([r.label for r in rows], dtype=object)
        self.levels = np.array([r.level for r in rows], dtype=np.int64)
        self.notes = np.full(n, "", dtype=object)
        self.V, self.D = np.full((n, m), np.nan), np.zeros((n, m), dtype=np.int64)
        self.keep, self.rows = np.ones(n, dtype=bool), dict(enumerate(rows))


def cfg() -> dict:
    """The packaged RR layouts and header words (rr_layouts.yaml)."""
    return load_resource("rr_layouts.yaml")


def norm(text: str) -> str:
    """Text with runs of whitespace collapsed, casefolded: for comparing labels."""
    return re.sub(r"\s+", " ", str(text)).strip().casefold()


def squash(text: str) -> str:
    """Text with all whitespace removed, casefolded."""
    return re.sub(r"\s+", "", str(text)).casefold()


# --------------------------------------------------------------------------- detection

def normalise_format(fmt: str | None) -> str | None:
    """The canonical format name for ``fmt`` (aliases allowed); a ParameterError for an unknown one."""
    if fmt is None:
        return None
    key = FORMAT_ALIASES.get(str(fmt).strip().lower(), str(fmt).strip().lower())
    if key not in FORMATS:
        raise ParameterError(f"Okänt indataformat {fmt!r}. Giltiga format: {', '.join(FORMATS)}.")
    return key


def detect_format(text: str, lines: list[str]) -> str:
    """The format of a text file from its content (never from the file name); ``lines``:
    :func:`first_lines` of ``text``."""
    if not lines:
        return "text"
    n = len(lines)
    tabbed = sum(1 for ln in lines if "\t" in ln.strip("\n"))
    if tabbed >= max(2, n // 3):
        return "text"
    if csv_delimiter(lines):
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
    """The first ``n`` lines of ``text`` without splitting all of a large text."""
    end = 0
    for _ in range(n):
        end = text.find("\n", end) + 1
        if not end:
            return text.split("\n")
    return text[:end - 1].split("\n")


def first_lines(text: str, k: int = 200) -> list[str]:
    """The first ``k`` non-blank lines of ``text`` (without splitting all of a large text)."""
    found = [ln for ln in head_lines(text, 20 * k) if ln.strip()][:k]
    return found if len(found) == k else [ln for ln in text.split("\n") if ln.strip()][:k]


_PLAIN_DOT_NUMBER = re.compile(r"^\s*[-−]?\d*(?:\.\d+)?\s*$")
# a decimal-comma figure in a comma CSV: its field holds a comma, so it was quoted ("1 284,6")
_QUOTED_COMMA_NUMBER = re.compile(r"^\s*[-\u2212\u2013]?\s?\d{1,3}(?:[ \u00a0]?\d{3})*,\d+\s*$")


def _one_cell(line: str) -> bool:
    toks = tokens_of(line)
    if any(is_numeric_token(t) and not is_year(t) for t in toks):
        return parses(line.strip(), ",")
    return True


def csv_decimal(lines: list[str], delimiter: str) -> str:
    """The decimal mark of a CSV: ``,`` with ``;`` between fields (Swedish Excel); with ``,``
    between fields a comma only when some field is a quoted decimal-comma figure."""
    if delimiter == ";":
        return ","
    fields = (f for row in csv.reader(lines, delimiter=",") for f in row[1:])
    return "," if any(_QUOTED_COMMA_NUMBER.match(f) for f in fields) else "."


def csv_delimiter(lines: list[str]) -> str | None:
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
        plain = sum(1 for r in multi if all(_PLAIN_DOT_NUMBER.match(f) or _QUOTED_COMMA_NUMBER.match(f)
                                            or re.search(r"[^\W\d_]", f) for f in r[1:]))
        if counts.count(common) >= 0.8 * len(multi) and plain >= 0.9 * len(multi):
            return ","
    return None


# --------------------------------------------------------------------------- units

def find_unit(texts: list[str]) -> str | None:
    """The unit (``tkr``, ``mnkr``, ``mkr``, ``kr``) a header text names, or None."""
    units = cfg().get("header_words", {}).get("units", {})
    return next((unit for text in texts for unit, words in units.items()
                 if any(re.search(rf"(?<!\w){re.escape(w)}(?!\w)", norm(text)) for w in words)), None)


def is_unit_token(tok: str) -> bool:
    """Whether a header token names a unit (tkr, mnkr, …)."""
    units = cfg().get("header_words", {}).get("units", {})
    t = tok.casefold().strip(",;:")
    return any(t == w for words in units.values() for w in words)


# --------------------------------------------------------------------------- cells

def is_year(cell: str) -> bool:
    """Whether a cell is a year or a year-month heading."""
    return bool(_YEAR_RE.match(cell.strip()))


def parses(cell: str, decimal: str) -> bool:
    """Whether a cell reads as one number with this decimal mark."""
    try:
        parse_number(cell, decimal=decimal)
        return True
    except NumberFormatError:
        return False


def headerish_cells(cells: list[str], decimal: str) -> bool:
    """Whether a row of cells looks like a header: it has value cells and they are years or
    words (a label beside years only must be a header word, else the years are figures)."""
    values = [c.strip() for c in cells[1:] if c.strip()]
    if not values:
        return False
    label = cells[0].strip() if cells else ""
    if all(is_year(v) for v in values) and label and not is_year(label) and not find_unit([label]) \
            and norm(label) not in ("belopp", "rr", "rad", "not"):
        return False  # "Intäkter | 1900": a row with figures that look like years
    for v in values:
        if is_year(v):
            continue
        if v.strip() in DASHES or parses(v, decimal):
            return False
        if re.match(r"^[-\u2212\u2013+]?\d", v) and not is_year(v.split()[0]):
            return False  # a figure with something wrong in it, not a header word
    return True


def dataish_cells(cells: list[str], decimal: str) -> bool:
    """Whether a row of cells looks like data (a label and numbers)."""
    if not cells or not cells[0].strip() or headerish_cells(cells, decimal):
        return False
    return any(c.strip() and (c.strip() in DASHES or parses(c, decimal)
                              or re.match(r"^[-\u2212\u2013+]?\s?\d", c.strip())) for c in cells[1:])


def is_note_name(column: str) -> bool:
    """Whether a column heading names a note column ("Not", "Not.", "Noter")."""
    return norm(column).split(" ")[0].strip(".") in ("not", "noter")


def is_noise(line: str) -> bool:
    """True for page numbers, banners and other lines that are no part of the table."""
    s = line.strip()
    return any(re.search(p, s, re.IGNORECASE) for p in cfg().get("noise", []))


