"""The stakeholder matrix (intressentanalys): who seeks space, who offers it, who hesitates.

Read from tab-separated text, CSV or XLSX (:func:`parse_matrix`), names resolved through the party
registry, comments reduced to plain text (:func:`plain_text`: raw HTML from an input never reaches
a report); :func:`check_matrix` compares the matrix with the registry.
"""

from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from zipfile import BadZipFile

import pandas as pd

from gnsanalysis.errors import Location, ParseError
from gnsanalysis.io import decode_text, read_limited
from gnsanalysis.parties.registry import Party, Registry, load_registry, normalize_name
from gnsanalysis.swedish.format import or_list

TRUE_MARKS = {"x", "ja", "✓", "✔"}
EXPECTED_MARK = "'x', 'X', 'ja', '✓' eller en tom cell"

#: Column role -> accepted header words (normalised, matched as prefix).
HEADER_ROLES = {
    "party": ("part", "part i nämnden", "namn", "part i nämden"),
    "seeks": ("söker plats", "söker"),
    "offers": ("erbjuder plats", "erbjuder"),
    "comment": ("kommentarer", "kommentar"),
}
EXPECTED_HEADER = "Part i nämnden, Söker plats, Erbjuder plats, Kommentarer"
# A real matrix has a row per party and actor (a few kB); larger files are refused unread
# (``gns matrix … --max-bytes`` raises the limit). Peak memory at the limit: docs/benchmarks.md.
MAX_MATRIX_BYTES = 4_000_000


# -------------------- HTML to plain text
class _TextExtractor(HTMLParser):
    _BLOCK = {"br", "p", "div", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "ul", "ol"}
    _SKIP = {"script", "style"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self._SKIP:
            self._skipping += 1
        elif tag in self._BLOCK:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in self._SKIP:
            self._skipping = max(0, self._skipping - 1)
        elif tag in self._BLOCK:
            self.parts.append(" ")

    def handle_data(self, data):
        if not self._skipping:
            self.parts.append(data)


def plain_text(text: str | None) -> str:
    """Text with HTML tags removed, entities decoded and whitespace collapsed."""
    if text is None:
        return ""
    text = str(text)
    if "<" in text or "&" in text:
        parser = _TextExtractor()
        parser.feed(text)
        parser.close()
        text = "".join(parser.parts)
        text = html.unescape(text)  # entities left over in an unterminated tag
    return re.sub(r"\s+", " ", text).strip()


# -------------------- data
@dataclass(frozen=True)
class MatrixRow:
    """One answer in the matrix."""

    line: int  # 1-based line (text) or row number (spreadsheet) in the source
    name: str  # the name as written in the source
    seeks: bool  # "Söker plats"
    offers: bool  # "Erbjuder plats"
    comment: str  # plain text
    entry: Party | None = field(default=None, compare=False)  # resolved party or actor

    @property
    def is_party(self) -> bool:
        """True when the row names a registry entry that is a party of the committee."""
        return self.entry is not None and self.entry.party


@dataclass
class Matrix:
    """A parsed stakeholder matrix: its rows and where they were read from."""
    rows: list[MatrixRow]
    source: str | None = None  # file name or description
    sheet: str | None = None

    def to_frame(self) -> pd.DataFrame:
        """One row per answer; Swedish column names (shown to users)."""
        return pd.DataFrame(
            {
                "part": [r.entry.name if r.entry else None for r in self.rows],
                "kod": [r.entry.code if r.entry else None for r in self.rows],
                "namn_i_källan": [r.name for r in self.rows],
                "är_part": [r.is_party for r in self.rows],
                "söker_plats": [r.seeks for r in self.rows],
                "erbjuder_plats": [r.offers for r in self.rows],
                "kommentar": [r.comment for r in self.rows],
                "rad": [r.line for r in self.rows],
            }
        )


# -------------------- parsing
def _header_roles(header: list[str], source: str | None, line: int, sheet=None) -> list[str | None]:
    norms = [normalize_name(plain_text(cell)) for cell in header]
    roles = [next((role for role, words in HEADER_ROLES.items() if n and n.startswith(words)), None) for n in norms]
    missing = [r for r in ("party", "seeks", "offers") if r not in roles]
    if missing or len([r for r in roles if r]) != len({r for r in roles if r}):
        raise ParseError(
            "Rubrikraden känns inte igen som en intressentmatris.",
            location=Location(file=source, line=line, sheet=sheet),
            found=list(header),
            expected=f"kolumnerna {EXPECTED_HEADER}",
            hint="Kontrollera att första icke-tomma raden är rubrikraden.",
        )
    return roles


def _mark(value, source, line, column, sheet=None) -> bool:
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    text = str(value).replace("\u00a0", " ").strip()
    if text == "":
        return False
    if text.casefold() in TRUE_MARKS:
        return True
    raise ParseError(
        "Okänd markering i intressentmatrisen.",
        location=Location(file=source, line=line, column=column, sheet=sheet),
        found=text,
        expected=EXPECTED_MARK,
        hint="Markera med x eller lämna cellen tom.",
    )


def _matrix_row(number: int, cells: list, roles: list[str | None], header: list[str], *,
                source: str | None, registry: Registry, sheet: str | None) -> MatrixRow:
    """One body row of the matrix, its cells read by the roles of the header's columns."""
    extra = [c for c in cells[len(roles):] if str(c).strip()]
    if extra:
        raise ParseError(
            "Raden har fler ifyllda kolumner än rubrikraden.",
            location=Location(file=source, line=number, sheet=sheet),
            found=extra,
            expected=f"högst {len(roles)} kolumner ({EXPECTED_HEADER})",
            hint="Ta bort extra tabbar eller semikolon i kommentaren, eller citera den.",
        )
    values: dict[str, object] = {}
    for i, role in enumerate(roles):
        if role is None:
            continue
        cell = cells[i] if i < len(cells) else ""
        if role in ("seeks", "offers"):
            values[role] = _mark(cell, source, number, header[i], sheet)
        else:
            values[role] = plain_text(cell)
    name = str(values.get("party") or "")
    if not name:
        raise ParseError(
            "Raden saknar namn på part.",
            location=Location(file=source, line=number, column=header[roles.index("party")], sheet=sheet),
            found=cells,
            expected="ett partsnamn i första kolumnen, t.ex. 'Krokoms kommun'",
        )
    return MatrixRow(line=number, name=name, seeks=bool(values.get("seeks")), offers=bool(values.get("offers")),
                     comment=str(values.get("comment") or ""), entry=registry.lookup(name))


def _rows_to_matrix(
    rows: Iterable[tuple[int, list]],
    *,
    source: str | None,
    registry: Registry,
    sheet: str | None = None,
) -> Matrix:
    roles: list[str | None] | None = None
    header: list[str] = []
    out: list[MatrixRow] = []
    for number, cells in rows:
        cells = ["" if c is None else c for c in cells]
        if all(str(c).strip() == "" for c in cells):
            continue
        if roles is None:
            header = [str(c).strip() for c in cells]
            roles = _header_roles(header, source, number, sheet)
            continue
        out.append(_matrix_row(number, cells, roles, header, source=source, registry=registry, sheet=sheet))
    if roles is None:
        raise ParseError(
            "Filen är tom.",
            location=Location(file=source, sheet=sheet),
            expected=f"en rubrikrad ({EXPECTED_HEADER}) och en rad per part",
        )
    return Matrix(rows=out, source=source, sheet=sheet)


def _split_text(text: str, delimiter: str) -> list[tuple[int, list]]:
    if delimiter == "\t":
        return [(i, line.rstrip("\r").split("\t")) for i, line in enumerate(text.split("\n"), 1)]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return [(reader.line_num, row) for row in reader]


def _detect_delimiter(text: str) -> str:
    first = next((ln for ln in text.splitlines() if ln.strip()), "")
    counts = {d: first.count(d) for d in ("\t", ";", ",")}
    best = max(counts, key=lambda d: (counts[d], d == "\t", d == ";"))
    return best if counts[best] else "\t"


def parse_matrix_text(
    text: str,
    *,
    source: str | None = None,
    delimiter: str | None = None,
    registry: Registry | None = None,
) -> Matrix:
    """Parse the matrix from text (tab-separated unless ``delimiter`` says otherwise;
    ``None`` detects tab, ``;`` or ``,`` from the header line)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    delimiter = delimiter or _detect_delimiter(text)
    try:
        rows = _split_text(text, delimiter)
    except csv.Error as exc:
        raise ParseError(
            f"CSV-filen kan inte läsas: {exc}.",
            location=Location(file=source),
            expected="en CSV-fil med ; eller , som avgränsare",
        ) from exc
    return _rows_to_matrix(rows, source=source, registry=registry or load_registry())


def _parse_xlsx(path: Path, sheet: str | None, registry: Registry) -> Matrix:
    from openpyxl import load_workbook  # imported when a workbook is read: keeps small `gns` commands fast
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, KeyError, OSError, ValueError) as exc:  # the bytes were read already
        raise ParseError(
            "Filen kan inte läsas som Excel-arbetsbok.",
            location=Location(file=path),
            found=type(exc).__name__,
            expected="en .xlsx-fil",
            hint="Spara filen som Excel-arbetsbok (.xlsx) eller som CSV.",
        ) from exc
    try:
        if sheet is None:
            ws = wb.worksheets[0]
        elif sheet in wb.sheetnames:
            ws = wb[sheet]
        else:
            raise ParseError(
                "Bladet finns inte i arbetsboken.",
                location=Location(file=path),
                found=sheet,
                expected=f"ett av {', '.join(wb.sheetnames)}",
            )
        rows = [(i, list(r)) for i, r in enumerate(ws.iter_rows(values_only=True), 1)]
        return _rows_to_matrix(rows, source=path.name, registry=registry, sheet=ws.title)
    finally:
        wb.close()


def parse_matrix(
    path: str | Path,
    *,
    format: str | None = None,
    sheet: str | None = None,
    registry: Registry | None = None,
    max_bytes: int = MAX_MATRIX_BYTES,
) -> Matrix:
    """Read the matrix from a file; ``format`` is ``tsv``, ``csv`` or ``xlsx`` (default: from
    the extension, ``.txt``/``.tsv`` tab-separated). A file larger than ``max_bytes`` is
    refused without being read."""
    path = Path(path)
    registry = registry or load_registry()
    fmt = (format or path.suffix.lstrip(".")).casefold()
    data = read_limited(path, max_bytes, what="intressentmatriser", option="--max-bytes")
    if fmt in ("xlsx", "xlsm") or data[:2] == b"PK":
        return _parse_xlsx(path, sheet, registry)
    if fmt not in ("txt", "tsv", "tab", "csv", ""):
        raise ParseError(
            "Okänt filformat för intressentmatrisen.",
            location=Location(file=path),
            found=path.suffix or fmt,
            expected=".txt/.tsv (tabbavgränsad), .csv eller .xlsx",
        )
    text = decode_text(data, path.name, what="en intressentmatris i textform").text
    return parse_matrix_text(text, source=path.name, delimiter="\t" if fmt in ("txt", "tsv", "tab") else None,
                             registry=registry)


# -------------------- checks against the registry
SEVERITY_LABELS = {"error": "fel", "info": "information"}


@dataclass(frozen=True)
class Finding:
    """One remark about the matrix; ``str()`` gives the Swedish one-line rendering."""

    kind: str  # unknown | duplicate | missing | non_party
    severity: str  # error | info
    name: str  # name as written (or the registry name for a missing party)
    message: str  # Swedish sentence
    line: int | None = None
    source: str | None = None

    @property
    def is_error(self) -> bool:
        """True for a finding of severity ``error``."""
        return self.severity == "error"

    def __str__(self) -> str:
        where = str(Location(file=self.source, line=self.line))
        return f"{where}: {SEVERITY_LABELS[self.severity]}: {self.message}"


def check_matrix(matrix: Matrix, registry: Registry | None = None) -> list[Finding]:
    """Compare the matrix with the registry. Order: rows in file order, then missing parties
    in registry order."""
    registry = registry or load_registry()
    findings: list[Finding] = []
    seen: dict[str, MatrixRow] = {}
    src = matrix.source
    for row in matrix.rows:
        entry = registry.lookup(row.name)
        if entry is None:
            text = f"{row.name!r} finns inte i partsregistret."
            matches = registry.close_matches(row.name)
            if matches:
                text += f" Menade du {or_list(matches)}?"
            findings.append(Finding("unknown", "error", row.name, text, row.line, src))
            continue
        if entry.code in seen:
            first = seen[entry.code]
            findings.append(Finding(
                "duplicate", "error", row.name,
                f"{entry.name} förekommer mer än en gång (även på rad {first.line} som "
                f"{first.name!r}).",
                row.line, src,
            ))
            continue
        seen[entry.code] = row
        if not entry.party:
            text = f"{row.name} ({entry.name}) är inte part i nämnden; raden redovisas som information"
            marks = [w for w, on in (("söker plats", row.seeks), ("erbjuder plats", row.offers)) if on]
            text += f" ({' och '.join(marks)})." if marks else "."
            findings.append(Finding("non_party", "info", row.name, text, row.line, src))
    for party in registry.parties:
        if party.code not in seen:
            findings.append(Finding(
                "missing", "error", party.name,
                f"{party.name} är part i nämnden men saknas i matrisen.",
                None, src,
            ))
    return findings
