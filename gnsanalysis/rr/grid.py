"""Grid RR inputs (tab text, CSV, XLSX): every cell is one value, read column by column.

The cells are Python strings, except in the body of a CSV export read in bulk by Arrow's CSV
reader, whose columns are converted by Arrow's kernels (:func:`_arrow_figures`, tested against
:func:`_cell_figures`); pyarrow is imported only there.
"""

from __future__ import annotations

import csv
import html
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import numpy as np

from gnsanalysis.errors import Location, ParseError
from gnsanalysis.rr.formats import (
    DASHES,
    GLUED_END,
    Header,
    Parsed,
    RowIn,
    cfg,
    dataish_cells,
    find_unit,
    head_lines,
    headerish_cells,
    is_noise,
    is_note_name,
    norm,
)
from gnsanalysis.rr.grouping import MAX_DIGITS, SPACE_CHARS, Slot, note_cell
from gnsanalysis.swedish import format as fmt


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


def parse_csv(text: str, *, delimiter: str, decimal: str, source) -> Parsed:
    """CSV: the header found in the first lines, then the whole body read in one pass by
    Arrow's CSV reader, every cell as text. A file Arrow does not take as it is (quoted cells,
    which may hold delimiters and line breaks; blank lines or rows with another number of cells
    in the body) is read row by row by the csv module, which keeps every cell as written."""
    head = grid_from_csv("\n".join(head_lines(text, 400)), delimiter)
    top, first = _find_grid_header(head, decimal, source)
    body = None if '"' in text or first >= len(head) else _arrow_body(text, head[first], delimiter)
    if body is None:
        return parse_grid(grid_from_csv(text, delimiter), fmt="csv", decimal=decimal, source=source)
    return parse_grid(head, fmt="csv", decimal=decimal, source=source, body=body, found=(top, first))


def _arrow_body(text: str, first_row: tuple[int, list[str]], delimiter: str):
    """(line numbers, Arrow string columns) of the rows from ``first_row`` on, or None when a
    line there is not a row of the first row's number of cells."""
    import pyarrow as pa  # lazy: only the bulk CSV read needs Arrow (keeps `gns rr check` of tab text fast)
    import pyarrow.csv as pacsv

    line, width = first_row[0], len(first_row[1])
    body = text.split("\n", line - 1)[-1]
    names = [str(j) for j in range(width)]
    try:
        table = pacsv.read_csv(
            pa.BufferReader(body.encode("utf-8")), read_options=pacsv.ReadOptions(column_names=names),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, quote_char=False, double_quote=False,
                                             ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(column_types={c: pa.string() for c in names},
                                                 strings_can_be_null=False, quoted_strings_can_be_null=False))
    except (pa.ArrowInvalid, ValueError):
        return None
    if table.num_rows != body.count("\n") + (not body.endswith("\n")):  # a lone CR ends a row too
        return None
    return line + np.arange(table.num_rows), [table.column(j).combine_chunks() for j in names]


def xl_cell(v) -> str:
    """A spreadsheet value as printed text with decimal comma (numbers kept exactly)."""
    if v is None:
        return ""
    if isinstance(v, int):  # bool too
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


def _open_workbook(path: Path, data_only: bool):
    from openpyxl import load_workbook  # lazy: only XLSX input needs openpyxl (keeps the other reads fast)
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
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                with z.open(name) as fh:
                    data = fh.read()
                if b"<f>" in data or b"<f " in data or b":f>" in data or b":f " in data:
                    return True
    return False


def format_scaling(code: str) -> int:
    """How many times a number format divides by 1 000 before showing a number: the commas after
    its last digit placeholder (``#,##0.0,,`` shows kronor as mnkr: 2; ``#,##0`` groups: 0)."""
    plain = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", code)  # quoted text, [colours], escaped characters
    return max((len(m.group(1)) for section in plain.split(";")
                for m in [re.search(r"[0#?](,+)[^0#?]*$", section)] if m), default=0)


def _scaled_formats(path: Path) -> bool:
    """Whether the workbook declares a number format that scales (a cheap look at its styles)."""
    with zipfile.ZipFile(path) as z:
        styles = z.read("xl/styles.xml").decode("utf-8", "replace") if "xl/styles.xml" in z.namelist() else ""
    return any(format_scaling(html.unescape(c)) for c in re.findall(r'formatCode="([^"]*)"', styles))


def _refuse_scaled(path: Path, ws) -> None:
    """Refuse a number cell shown divided by 1 000 or 1 000 000 (its printed figure is not its value)."""
    for row in ws.iter_rows():
        for cell in row:
            n = format_scaling(cell.number_format) if isinstance(cell.value, int | float) else 0
            if n:
                raise ParseError(
                    f"Cellen visas delad med {fmt.number(1000 ** n)} (talformatet {cell.number_format!r}), "
                    "så det Excel visar är inte det som är sparat.",
                    location=Location(file=path, sheet=ws.title, line=cell.row, column=cell.column_letter),
                    found=f"sparat {cell.value!r}", expected="celler vars värde är det tal som visas",
                    hint="Exportera bladet som CSV (det som visas), eller ta bort skalningen ur talformatet "
                         "och ange enheten (kr) i rubriken.")


def _sheet_cells(path: Path, ws, convert) -> list[tuple[int, list]]:
    """The rows of a worksheet, numbered from 1, each value through ``convert``."""
    try:
        return [(i, [convert(v) for v in r]) for i, r in enumerate(ws.iter_rows(values_only=True), 1)]
    except (KeyError, ValueError, TypeError, AttributeError, IndexError, EOFError, zipfile.BadZipFile) as exc:
        raise ParseError("Bladet kan inte läsas.", location=Location(file=path, sheet=ws.title),
                         found=type(exc).__name__, expected="ett läsbart kalkylblad",
                         hint="Öppna filen i Excel och spara den på nytt.") from exc


def xlsx_grids(path: Path, sheet: str | None) -> Iterator[tuple[str, list[tuple[int, list[str]]], list[str]]]:
    """The sheet named ``sheet``, else each sheet in order, as (name, rows of cells, notes for
    the user; the notes name the sheet when the workbook has several). A number cell whose
    format shows it divided by 1 000 and a formula without a saved value are refused."""
    wb = _open_workbook(path, True)
    try:
        names = list(wb.sheetnames)
        if sheet is not None and sheet not in names:
            raise ParseError(f"Arbetsboken har inget blad som heter {sheet!r}.", location=Location(file=path),
                             found=", ".join(names), expected="ett av arbetsbokens blad",
                             hint="Ange ett av bladen ovan med --sheet.")
        scaled = _scaled_formats(path)
        for name in names if sheet is None else [sheet]:
            rows = _sheet_cells(path, wb[name], xl_cell)
            if scaled:
                _refuse_scaled(path, wb[name])
            _refuse_lost_formulas(path, name, rows)
            yield name, rows, [f"Läser bladet {name!r} av {len(names)} blad ({', '.join(names)}); välj ett "
                               "annat med --sheet."] if len(names) > 1 else []
    finally:
        wb.close()


def _refuse_lost_formulas(path: Path, sheet: str, rows: list[tuple[int, list[str]]]) -> None:
    """Refuse cells of ``sheet`` that hold a formula without a saved value (looked for in a
    second read, of workbooks up to ``_FORMULA_SCAN_BYTES`` that have formulas)."""
    if path.stat().st_size > _FORMULA_SCAN_BYTES or not _has_formulas(path):
        return
    wb = _open_workbook(path, False)
    try:
        formulas = _sheet_cells(path, wb[sheet], lambda v: v if isinstance(v, str) and v.startswith("=") else "")
    finally:
        wb.close()
    lost = [f"rad {i} kolumn {j + 1}" for (i, f), (_, v) in zip(formulas, rows)
            for j, c in enumerate(f) if c and (j >= len(v) or not v[j].strip())]
    if lost:
        raise ParseError(
            f"{len(lost)} celler innehåller formler utan sparade värden ({', '.join(lost[:5])}"
            f"{' …' if len(lost) > 5 else ''}).", location=Location(file=path, sheet=sheet),
            expected="celler med värden", found="formler utan beräknat värde",
            hint="Öppna arbetsboken i Excel, låt den räkna om och spara den, eller exportera som CSV.")


def _find_grid_header(grid, decimal: str, source, sheet=None) -> tuple[int, int]:
    """(index of first header row, index of first data row) in ``grid``."""
    for d in range(min(len(grid), 400)):
        cells = grid[d][1]
        if not dataish_cells(_strip_lead(cells), decimal):
            continue
        h = d - 1
        skipped = 0  # blank rows, and section headings (a label and no figures) under the header
        while h >= 0 and skipped < 6 and not any(c.strip() for c in _strip_lead(grid[h][1])[1:]):
            skipped += any(c.strip() for c in grid[h][1])
            h -= 1
        if h < 0 or not headerish_cells(_strip_lead(grid[h][1]), decimal):
            continue
        # a header continuation row has an empty label cell (or a unit); a labelled row under
        # a header row is a data row with something wrong in it ("Intäkter | k0")
        lead_d = len(cells) - len(_strip_lead(cells))
        label_h = grid[h][1][lead_d].strip() if h > 0 and len(grid[h][1]) > lead_d else ""
        above = h - 1
        if label_h and not find_unit([label_h]) and above >= 0 \
                and any(c.strip() for c in grid[above][1]) \
                and headerish_cells(_strip_lead(grid[above][1]), decimal):
            h = above
        top = h  # up to three header rows above (a blank row or one without headings ends them)
        while top - 1 >= 0 and h - top < 3 and headerish_cells(grid[top - 1][1], decimal):
            top -= 1
        return top, h + 1
    raise ParseError(
        "Hittar ingen rubrikrad.", location=Location(file=source, sheet=sheet),
        expected="en rad med kolumnrubriker (t.ex. 'RR | Ack utfall | Ack budget …' eller "
                 "'Not | Utfall 2019 | Utfall 2018') följd av rader med etikett och tal",
        hint="Ta med tabellens rubrikrad, eller ange formatet med --input-format.")


def _strip_lead(cells: list[str]) -> list[str]:
    """The cells from the first filled one (the last cell of a blank row)."""
    i = 0
    while i < len(cells) - 1 and not cells[i].strip():
        i += 1
    return cells[i:]


def _grid_header(grid, top: int, first: int, source, sheet) -> tuple[Header, int, list[int]]:
    """Column names per position from the header rows; returns (header, label position, the
    position of each slot)."""
    rows = [grid[i] for i in range(top, first) if any(c.strip() for c in grid[i][1])]
    lead = min(len(c) - len(_strip_lead(c)) for _, c in rows + [grid[first]])
    width = max(len(c) for _, c in rows)
    groups_words = set(cfg().get("header_words", {}).get("groups", []))
    names: list[list[str]] = [[] for _ in range(width)]
    group_of = [0] * width
    for r, (_line, cells) in enumerate(rows):
        cells = [c.strip() for c in cells] + [""] * (width - len(cells))
        fill, gid = "", 0
        for j in range(lead + 1, width):
            c = cells[j]
            if r < len(rows) - 1:  # merged or spanning cells: carry to the right
                if c and norm(c) in groups_words:  # a group heading starts a group
                    gid += 1
                fill = c or fill
                c = fill
                if c and norm(c) in groups_words:
                    group_of[j] = gid
            if c:
                names[j].append(c)
    slots, positions, value_columns = [], [], []  # a column the header names nothing is not read
    for j in range(lead + 1, width):
        if not names[j]:
            continue
        positions.append(j)
        name = " ".join(names[j])
        if is_note_name(names[j][-1]):
            slots.append(Slot("note", None, group_of[j]))
        else:
            value_columns.append(name)
            slots.append(Slot("value", name, group_of[j]))
    check_value_columns(value_columns, source, rows[-1][0], sheet)
    texts = [" ".join(c for c in cells if c.strip()) for _, cells in rows]
    header = Header(slots=slots, value_columns=value_columns, line=rows[-1][0], texts=texts,
                    unit=find_unit(texts))
    return header, lead, positions


def check_value_columns(value_columns, source, line, sheet=None) -> None:
    """Refuse a header without value columns or with a repeated column name."""
    loc = Location(file=source, line=line, sheet=sheet)
    if not value_columns:
        raise ParseError("Rubrikraden har inga värdekolumner.", location=loc,
                         expected="minst en kolumnrubrik efter etikettkolumnen")
    if len(set(map(norm, value_columns))) != len(value_columns):
        raise ParseError("Rubrikraden har dubbla kolumnnamn.", location=loc, found=value_columns,
                         expected="unika kolumnrubriker",
                         hint="Ge kolumnerna unika namn (t.ex. 'Kommun Utfall 2019', "
                              "'Koncern Utfall 2019').")


def parse_grid(grid, *, fmt: str, decimal: str, source, sheet: str | None = None,
               body=None, found: tuple[int, int] | None = None) -> Parsed:
    """Header, preamble and rows of a grid (tab text, CSV, XLSX); ``body`` (line numbers, Arrow
    columns) replaces ``grid[first:]`` when the caller read the body in bulk."""
    top, first = found or _find_grid_header(grid, decimal, source, sheet)
    header, lead, positions = _grid_header(grid, top, first, source, sheet)
    preamble = [" ".join(c.strip() for c in cells if c.strip()) for _, cells in grid[:top]]
    parsed = Parsed(fmt=fmt, header=header, preamble=[p for p in preamble if p], decimal=decimal, sheet=sheet)
    _grid_rows(grid[first:] if body is None else body, lead, positions, source, parsed)
    return parsed


_MINUS_CLASS = "[-\u2212\u2013]"
_GAP_CLASS = "[ \u00a0\u202f]"
_DASH_CELLS = sorted(DASHES - {""})
_TRIM = SPACE_CHARS + "\t"  # what is trimmed from every cell


def _cell_number_re(decimal: str) -> str:
    """A whole cell that is one printed figure (the same pattern for Python's ``re`` and
    Arrow's RE2): optional minus glyph (``-``, ``–``, ``−``, also detached by one space),
    digits grouped by thousands with a space, no-break space or thin space, or not grouped at
    all, optional decimals. A leading zero stands alone: ``000`` or ``07`` is a thousands group
    cut from its number (as the free-text reader says, :func:`.grouping.direct_reading`)."""
    d = re.escape(decimal)
    whole = f"(?:0|[1-9][0-9]{{0,2}})(?:{_GAP_CLASS}[0-9]{{3}})+|0|[1-9][0-9]*"
    return f"^{_MINUS_CLASS}?{_GAP_CLASS}?(?:{whole})(?:{d}[0-9]+)?$"


def is_plain_cell(cell: str, decimal: str) -> bool:
    """Whether a value cell is empty, a dash or one printed figure (:func:`_cell_number_re`)."""
    cell = cell.strip(_TRIM)
    return cell in DASHES or re.fullmatch(_cell_number_re(decimal), cell) is not None


def refuse_long_figure(text: str, where: Location) -> None:
    """Refuse a figure with more significant digits than a float holds exactly."""
    if len(text) > MAX_DIGITS and len(re.sub(r"\D", "", text).lstrip("0")) > MAX_DIGITS:
        raise ParseError("Talet har fler siffror än som kan läsas exakt.", location=where, found=text[:60],
                         expected=f"ett belopp med högst {MAX_DIGITS} siffror",
                         hint="Kontrollera att cellen inte fått siffror från en annan cell.")


def _cell_figures(cells: list[str], decimal: str, where: Callable[[int], Location]):
    """The value cells of one column, read: (values, printed decimals, cell is a figure, cell is
    a dash, cell is not empty), after trimming each cell; ``where(i)`` is the place of cell
    ``i``, for an error.

    A cell that is one printed figure (:func:`_cell_number_re`) is written in ASCII (minus
    glyphs to ``-``, the decimal mark to ``.``, gap glyphs dropped) and read by ``float()``: the
    float nearest the printed decimal, as :func:`gnsanalysis.swedish.numbers.parse_number`
    gives; a figure with more significant digits than a float holds exactly is refused.
    :func:`_arrow_figures` does the same for a CSV body read in bulk (tested against this).
    """
    figure = re.compile(_cell_number_re(decimal))
    ascii_ = str.maketrans({"\u2212": "-", "\u2013": "-", decimal: ".", " ": None, "\u00a0": None, "\u202f": None})
    n = len(cells)
    vals, decs = np.full(n, np.nan), np.zeros(n, dtype=np.int64)
    ok, is_dash, nonempty = np.zeros(n, dtype=bool), np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
    for i, raw in enumerate(cells):
        cell = raw.strip(_TRIM)
        nonempty[i] = cell != ""
        if figure.fullmatch(cell):
            refuse_long_figure(cell, where(i))
            plain = cell.translate(ascii_)
            ok[i], vals[i] = True, float(plain)
            decs[i] = len(plain) - plain.index(".") - 1 if "." in plain else 0
        else:
            is_dash[i] = cell in _DASH_CELLS
    return vals, decs, ok, is_dash, nonempty


# --------------------------------------------------------------------------- CSV read in bulk
# The body of a large CSV export is read by Arrow's CSV reader (:func:`_arrow_body`) and its
# value columns are converted by Arrow's string kernels; pyarrow is imported in these functions
# only, lazily: that keeps `gns rr check` and `gns rr parse` of a tab-text table fast.

def _bools(a) -> np.ndarray:
    """An Arrow boolean array without nulls as numpy, its bits unpacked (Arrow's ``to_numpy``
    and every conversion of Python values to Arrow import pandas, 0.2 s, so neither is used)."""
    bits = np.unpackbits(np.frombuffer(a.buffers()[1], dtype=np.uint8), bitorder="little")
    return bits[a.offset:a.offset + len(a)].astype(bool)


def _numbers(a, dtype) -> np.ndarray:
    """An Arrow number array without nulls as numpy (a view of its buffer; see :func:`_bools`)."""
    return np.frombuffer(a.buffers()[1], dtype=dtype)[a.offset:a.offset + len(a)]


def plain_figures(cells, decimal: str):
    """Cells that are one printed figure each (:func:`_cell_number_re`) as ASCII for Arrow's
    float cast, in one pass over their UTF-8 bytes: minus glyphs to ``-``, the decimal mark to
    ``.``, gap glyphs dropped (as ``str.replace`` per glyph does; tested against it)."""
    import pyarrow as pa  # lazy: see above

    n = len(cells)
    offsets = np.frombuffer(cells.buffers()[1], dtype=np.int32)[cells.offset:cells.offset + n + 1]
    data = np.frombuffer(cells.buffers()[2], dtype=np.uint8)[offsets[0]:offsets[-1]].copy()
    third = np.zeros_like(data)
    third[:-2] = data[2:]
    data[(data == 0xE2) & ((third == 0x92) | (third == 0x93))] = ord("-")  # U+2212, U+2013: E2 88 92, E2 80 93
    data[data == ord(decimal)] = ord(".")
    keep = ((data >= ord("0")) & (data <= ord("9"))) | (data == ord("-")) | (data == ord("."))
    ends = np.concatenate([[0], np.cumsum(keep, dtype=np.int32)])[offsets - offsets[0]].astype(np.int32)
    return pa.StringArray.from_buffers(n, pa.py_buffer(ends), pa.py_buffer(data[keep].tobytes()))


def _arrow_figures(column, decimal: str, where: Callable[[int], Location]):
    """:func:`_cell_figures` for a column of a CSV body read in bulk (an Arrow string array),
    in a few Arrow calls: trimming, the figure pattern (RE2), the dashes, then
    :func:`plain_figures` and Arrow's string-to-float cast (correctly rounded, as ``float()``)."""
    import pyarrow as pa  # lazy: see above
    import pyarrow.compute as pc

    s = pc.utf8_trim(column, _TRIM)
    is_figure = pc.match_substring_regex(s, _cell_number_re(decimal))
    ok = _bools(is_figure)
    is_dash = _bools(pc.match_substring_regex(s, "^(?:" + "|".join(map(re.escape, _DASH_CELLS)) + ")$"))
    vals, decs = np.full(len(s), np.nan), np.zeros(len(s), dtype=np.int64)
    if ok.any():
        conv = plain_figures(s.filter(is_figure), decimal)
        pos = _numbers(pc.find_substring(conv, "."), np.int32)
        length = _numbers(pc.binary_length(conv), np.int32)  # the cells are ASCII now
        for i in np.flatnonzero(ok)[length > MAX_DIGITS]:  # few: count the significant digits
            refuse_long_figure(s[int(i)].as_py(), where(int(i)))
        vals[ok] = _numbers(pc.cast(conv, pa.float64()), np.float64)
        decs[ok] = np.where(pos >= 0, length - pos - 1, 0)
    return vals, decs, ok, is_dash, _numbers(pc.binary_length(s), np.int32) > 0


# --------------------------------------------------------------------------- rows of a grid

def _as_columns(body) -> tuple[np.ndarray, list, np.ndarray]:
    """(line numbers, columns, cells present per row): a column is a list of strings, or an
    Arrow string array for a CSV body read in bulk."""
    if isinstance(body, tuple):  # read in bulk (CSV): every row has every cell
        return body[0], body[1], np.full(len(body[0]), len(body[1]), dtype=np.int64)
    lines = np.fromiter((ln for ln, _ in body), dtype=np.int64, count=len(body))
    nfields = np.fromiter((len(c) for _, c in body), dtype=np.int64, count=len(body))
    w = int(nfields.max()) if len(nfields) else 0
    columns = [[c[j] if j < len(c) else "" for _, c in body] for j in range(w)]  # cells are str (xl_cell)
    return lines, columns, nfields


@dataclass
class _Body:
    """What a grid body's cells say about each of its rows (arrays of one value per row)."""

    lines: np.ndarray
    labels: np.ndarray
    levels: np.ndarray
    label_empty: np.ndarray
    blank: np.ndarray  # no cell filled
    has_value: np.ndarray  # a value cell holds a figure or a dash
    keep: np.ndarray  # a row of the table (so far)
    cells: Callable[[int], list[str]]  # the cells of row i, as read


def _grid_rows(body, lead: int, positions: list[int], source, parsed: Parsed) -> None:
    """Read the body of a grid (one value per cell) into ``parsed``, column by column. Each row
    is classified once, by its cells:

    - blank, or filled only in note or unnamed cells under an empty label: left out;
    - a figure row: a label, each value cell empty, a dash or one figure (:func:`_cell_number_re`),
      note cells that are notes and as many cells as the header: read in bulk;
    - a label row (a label, no figure): a heading, the label of figures on the row under it
      (:func:`_rows_in`), or noise or text after the table (:func:`_drop_label_rows`);
    - every other row (a cell that is not a plain figure, figures without a label): a header
      repeated after a page break is left out, the rest is read one by one (:func:`_rows_in`).

    A row with figures and an empty value cell whose label ends in digits is refused: the cell
    separator was lost.
    """
    lines, columns, nfields = _as_columns(body)
    n, slots = len(lines), parsed.header.slots
    width = max(positions) + 1  # a header has a value column (check_value_columns)
    columns = list(columns) + [[""] * n] * max(0, width - len(columns))
    value_pos = [p for p, s in zip(positions, slots) if s.role == "value"]
    note_pos = [p for p, s in zip(positions, slots) if s.role == "note"]
    # Arrow (a CSV body read in bulk) only for the labels and the value cells: the rest as Python strings
    columns = [c if j in value_pos or j == lead or isinstance(c, list) else c.to_pylist()
               for j, c in enumerate(columns)]
    labels, levels, label_empty = _labels(columns[lead])
    text = {j: [c.strip(_TRIM) for c in columns[j]] for j in range(len(columns))
            if j != lead and j not in value_pos}
    nonempty = np.zeros((n, len(columns)), dtype=bool)
    for j, cells in text.items():
        nonempty[:, j] = np.fromiter((c != "" for c in cells), dtype=bool, count=n)
    nonempty[:, lead] = ~label_empty
    V, D, ok, is_dash = _value_figures(columns, value_pos, nonempty, parsed, lines, source)
    blank = np.logical_not(nonempty.any(axis=1))
    # cells beyond the header, or a row cut short (fewer cells than the header): not clean
    clean = ~(nonempty[:, width:].any(axis=1) | ((nfields > 1) & (nfields < width)))
    is_blank = ~nonempty[:, value_pos]
    clean &= (ok | is_blank | is_dash).all(axis=1)  # a cell that is not a figure: read one by one
    has_value = (ok | is_dash).any(axis=1)
    notes = _note_texts(text, note_pos, nonempty, clean, n)  # a note cell that is not one: not clean
    rows = _Body(lines, labels, levels, label_empty, blank, has_value,
                 keep=~blank & ~(label_empty & clean & ~has_value),
                 cells=lambda i: [c[i] if isinstance(c, list) else c[int(i)].as_py() for c in columns[:int(nfields[i])]])
    for i in np.flatnonzero(is_blank.any(axis=1) & has_value):
        if GLUED_END.search(labels[i]):
            raise ParseError("Etiketten slutar med siffror och raden saknar ett värde: cellgränsen "
                             "mellan etikett och tal verkar ha fallit bort.",
                             location=Location(file=source, line=int(lines[i]), sheet=parsed.sheet),
                             found="\t".join(rows.cells(int(i)))[:80], expected=f"{width - lead} celler (etikett + värden)",
                             hint="Kontrollera att inga celler slagits ihop vid kopieringen.")
    closer = rows.keep & (~clean | label_empty)
    rows_in = _rows_in(np.flatnonzero(closer), rows, parsed, positions, width, lead, source)
    _drop_label_rows(rows, ~has_value & clean, has_value | ~clean, nfields - lead, len(positions), source,
                     parsed.sheet)
    parsed.lines, parsed.labels, parsed.levels, parsed.notes = lines, labels, levels, notes
    parsed.V, parsed.D, parsed.keep, parsed.rows = V, D, rows.keep, rows_in


def _labels(column):
    """The labels (trimmed), the indentation of each and which rows have no label. Labels repeat
    (one block per nämnd and month): each distinct label is trimmed once."""
    if isinstance(column, list):  # the distinct labels, and each row's index into them
        index: dict[str, int] = {}
        codes = np.fromiter((index.setdefault(c, len(index)) for c in column), dtype=np.int64, count=len(column))
        raw = list(index)
    else:
        import pyarrow.compute as pc  # lazy: see _arrow_figures

        enc = pc.dictionary_encode(column)
        raw, codes = enc.dictionary.to_pylist(), _numbers(enc.indices, np.int32).astype(np.int64)
    labels = np.array([u.strip(_TRIM) for u in raw], dtype=object)[codes]
    levels = np.array([len(u) - len(u.lstrip(_TRIM)) for u in raw], dtype=np.int64)[codes]
    return labels, levels, labels == ""


def _value_figures(columns: list, value_pos: list[int], nonempty: np.ndarray, parsed: Parsed, lines, source):
    """The figures of the value columns: values and printed decimals (rows × value columns,
    each column contiguous), which cells are a figure and which a dash; fills in ``nonempty``."""
    n, m = len(lines), len(value_pos)
    V, D = np.full((n, m), np.nan, order="F"), np.zeros((n, m), dtype=np.int64, order="F")
    ok, is_dash = np.zeros((n, m), dtype=bool, order="F"), np.zeros((n, m), dtype=bool, order="F")
    for k, p in enumerate(value_pos):
        def located(i: int, k: int = k) -> Location:
            return Location(file=source, line=int(lines[i]), column=parsed.header.value_columns[k],
                            sheet=parsed.sheet)

        read = _cell_figures if isinstance(columns[p], list) else _arrow_figures
        V[:, k], D[:, k], ok[:, k], is_dash[:, k], nonempty[:, p] = read(columns[p], parsed.decimal, located)
    return V, D, ok, is_dash


def _note_texts(text: dict, note_pos: list[int], nonempty: np.ndarray, clean: np.ndarray, n: int) -> np.ndarray:
    """The note references per row (``"2, 4"``); a note cell that is not one marks the row not clean."""
    notes = np.full(n, "", dtype=object)
    note_cols = [text[p] for p in note_pos]
    for i in np.flatnonzero(nonempty[:, note_pos].any(axis=1)):
        parts = []
        for col in note_cols:
            t = note_cell(col[i])
            if t is None:
                clean[i] = False  # read again, token by token
            elif t and t not in parts:
                parts.append(t)
        notes[i] = ", ".join(parts)
    return notes


def _rows_in(closer: np.ndarray, rows: _Body, parsed: Parsed, positions: list[int], width: int, lead: int,
             source) -> dict[int, RowIn]:
    """The rows read one by one, as :class:`RowIn`, in order. A header repeated after a page
    break (every filled cell after the label a header word) is left out. Figures under an empty
    label take the label of a label row directly above them (grid form of "label on one line,
    figures on the next"); without one they are refused."""
    rows_in: dict[int, RowIn] = {}
    header_words = {norm(w) for t in parsed.header.texts + parsed.header.value_columns for w in [t, *t.split()]}
    for i in closer:
        orig = rows.cells(int(i))
        cells = orig + [""] * (width - len(orig))
        vals = [c.strip() for c in cells[lead + 1:] if c.strip()]
        if vals and all(norm(v) in header_words for v in vals):
            rows.keep[i] = False
            continue
        segs = [orig[p] for p in positions if p < len(orig)] + [c for c in orig[width:] if c.strip()]
        row = rows_in[i] = RowIn(int(rows.lines[i]), cells[lead].strip(), segs, "\t".join(cells).strip(),
                                 int(rows.levels[i]))
        if not rows.label_empty[i]:
            continue
        j = i - 1
        while j >= 0 and rows.blank[j]:
            j -= 1
        if j < 0 or not rows.keep[j] or rows.has_value[j] or rows.label_empty[j]:  # keep[j]: not merged yet
            raise ParseError("Raden har tal men ingen etikett.",
                             location=Location(file=source, line=row.line, sheet=parsed.sheet),
                             found=row.raw[:80], expected="en radetikett i första kolumnen",
                             hint="Kontrollera att etiketten inte hamnat på en egen rad längre upp.")
        row.label, row.level, rows.keep[j] = rows.labels[j], int(rows.levels[j]), False
    return rows_in


def _drop_label_rows(rows: _Body, label_rows: np.ndarray, valued: np.ndarray, cells: np.ndarray,
                     n_positions: int, source, sheet) -> None:
    """Label rows (``label_rows`` still kept) that are noise (page numbers, banners) and every
    row after the last ``valued`` one (notes, sources, signatures) are left out; a lone label
    cell glued to a figure ("Intäkter0"; ``cells``: cells from the label on) is a row whose cell
    separators were lost."""
    only = np.flatnonzero(label_rows & rows.keep)
    noisy = {label: is_noise(label) for label in set(rows.labels[only])}  # headings repeat per block
    for i in only:
        if noisy[rows.labels[i]]:
            rows.keep[i] = False
        elif cells[i] <= 1 and GLUED_END.search(rows.labels[i]):
            raise ParseError("Raden har bara en cell, och etiketten slutar med en siffra: "
                             "cellgränserna verkar ha fallit bort.",
                             location=Location(file=source, line=int(rows.lines[i]), sheet=sheet),
                             found=rows.labels[i][:80], expected=f"{n_positions + 1} celler (etikett + värden)",
                             hint="Kontrollera att inga celler slagits ihop vid kopieringen.")
    last = np.flatnonzero(valued & rows.keep)
    if len(last):
        rows.keep[last[-1] + 1:] = False
