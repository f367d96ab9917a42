"""Reading RR tables: one entry point (:func:`read_rr`) for every input format.

The reading algorithm, the same for every format:

1. The bytes are decoded and the format is detected from the content (:mod:`.formats`); a
   kassaflödesanalys or balansräkning is refused by name.
2. The header is found above the first row with a label and figures; it gives the slots after
   the label (note or value column, per column group), the unit and the period.
3. Every row gets a line, label, indentation level, note and figures (:class:`.formats.Parsed`).
   In a grid (tab text, CSV, XLSX) a cell that is empty, a dash or one printed figure is read
   as it stands, column by column (:mod:`.grid`). Every other row, and every row of the
   free-text formats (:mod:`.text`), lists each reading its tokens allow under the slots
   (:mod:`.grouping`): a row that reads one way is read so; where a row reads several ways the
   table's own arithmetic chooses (:func:`.grouping.resolve`, :mod:`.printed`), or the row is
   refused with the readings listed. Nothing is chosen by likelihood.
4. The kinds of the rows come from the declared or matched layout, else from the labels; a table
   whose layout names a final row must end with it (else it was cut short).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from gnsanalysis import io as gio
from gnsanalysis.errors import ConfigError, Location, ParseError
from gnsanalysis.rr import formats as F
from gnsanalysis.rr import grid as G
from gnsanalysis.rr import text as T
from gnsanalysis.rr.grouping import Pending, cell_arrays, figure_tokens, raise_no_reading, resolve
from gnsanalysis.rr.hierarchy import difference_pairs
from gnsanalysis.rr.table import RRTable, find_layout, is_layout_table, kind_array, layouts, normalise_label
from gnsanalysis.swedish.numbers import NumberFormatError

_PERIOD_RE = re.compile(r"\bPeriod\s+(\d{4}-\d{2})\b", re.IGNORECASE)

# An RR table is a few hundred kB; a ledger export of 100 000 rows about 5 MB. Larger files are
# refused before they are read (``--max-bytes`` raises the limit).
MAX_RR_BYTES = 64_000_000


def decode_text(data: bytes, source: str | Path | None = None) -> str:
    """Bytes to text (:func:`gnsanalysis.io.decode_text`: UTF-8, UTF-16 with BOM, cp1252);
    empty and binary input is refused."""
    if not data or data.isspace():
        raise ParseError("Filen är tom.", location=Location(file=source), expected="en RR-tabell",
                         hint="Kontrollera att rätt fil exporterades.")
    return gio.decode_text(data, source, what="en RR-tabell (text, CSV eller XLSX)").text


def parse_rr_text(text: str, source: str | Path | None = None) -> RRTable:
    """Parse the protocol form: preamble lines, a header row, then one tab-separated row per line."""
    return build_table(G.parse_grid(G.grid_from_tab_text(text), fmt="text", decimal=",", source=source), source)


def build_table(parsed, source, declared: dict | None = None) -> RRTable:
    """The tidy table from rows read in any format; ambiguous rows settled by evidence."""
    header = parsed.header
    value_columns = header.value_columns
    idx = np.flatnonzero(parsed.keep)
    if not len(idx):
        raise ParseError("Tabellen har en rubrikrad men inga rader.",
                         location=Location(file=source, line=header.line, sheet=parsed.sheet),
                         expected="minst en RR-rad under rubrikraden",
                         hint="Filen verkar avkortad; exportera tabellen på nytt.")
    lines, labels, levels = parsed.lines[idx], parsed.labels[idx], parsed.levels[idx].astype(int)
    notes, V, D = parsed.notes[idx], parsed.V[idx], parsed.D[idx]
    slow = [(k, parsed.rows[i]) for k, i in enumerate(idx.tolist()) if i in parsed.rows]
    layout = declared or find_layout(value_columns)
    pending = _read_rows(slow, parsed, source, V, D, notes, labels, levels)
    if np.any(levels):  # indentation as levels 0, 1, 2 …
        levels = np.unique(levels, return_inverse=True)[1].reshape(-1).astype(int)
    kinds = kind_array(labels, layout)
    if pending:
        _settle_pending(pending, layout, parsed, source, list(labels), kinds, V, D, notes)
    if parsed.fmt in ("spaced", "pdf", "cells"):
        _check_note_order(lines, labels, notes, source)
    decimals = {c: int(D[:, j].max()) for j, c in enumerate(value_columns)}
    texts = parsed.preamble + header.texts
    table = RRTable(lines=np.asarray(lines, dtype=np.int64), labels=np.asarray(labels, dtype=object),
                    kinds=kinds, note_refs=np.asarray(notes, dtype=object), figures=np.asfortranarray(V, dtype=np.float64),
                    value_columns=list(value_columns),
                    source=str(source) if source else None, preamble=parsed.preamble,
                    period=next((m.group(1) for t in texts if (m := _PERIOD_RE.search(t))), None),
                    unit=header.unit or F.find_unit(parsed.preamble),
                    decimals=decimals, layout_id=layout["id"] if layout and not declared else None,
                    format=parsed.fmt, levels=[int(x) for x in levels] if np.any(levels) else [],
                    declared_layout=declared)
    if parsed.stopped_at:
        table.notes.append(f"Utdraget slutar mitt i raden på rad {parsed.stopped_at}; den raden är inte "
                           "läst, raderna ovanför är lästa.")
    if parsed.ended_at:
        line, text = parsed.ended_at
        table.notes.append(f"Tabellen slutar före rad {line}, där en annan tabell börjar ({text[:60]!r}); "
                           "raderna från och med den är inte lästa.")
    _check_complete(table, layout, declared=bool(declared))
    return table


def _read_rows(slow, parsed, source, V, D, notes, labels, levels) -> list:
    """Rows read cell by cell are filled in; rows with readings to choose from are returned."""

    slots = parsed.header.slots
    grid = parsed.fmt in ("text", "csv", "xlsx")
    pending = []
    for pos, row in slow:
        if not row.label:
            raise ParseError("Raden saknar etikett.",
                             location=Location(file=source, line=row.line, sheet=parsed.sheet),
                             found=row.raw[:80], expected="en radetikett i första kolumnen")
        cands = T.candidate_readings(row, slots, parsed.decimal, source, cells=grid)
        if not cands:
            _too_few(row, slots, source, parsed)
        labels[pos] = row.label
        levels[pos] = row.level
        if len(cands) == 1 and len(row.segments) == len(slots) and grid:
            _fill(V, D, notes, pos, cands[0], parsed.decimal,
                  Location(file=source, line=row.line, row=row.label, sheet=parsed.sheet))
        else:  # read by grouping: the evidence chooses, and checks a row that reads one way
            spots = figure_tokens(row.figure_line, row.segments) if parsed.header.spans else None
            pending.append(Pending(pos, row.line, row.label, row.raw, cands, spots))
    return pending


def _settle_pending(pending, layout, parsed, source, labels, kinds, V, D, notes) -> None:
    """The reading of each pending row chosen from the table's arithmetic, filled in."""

    value_columns = parsed.header.value_columns
    colmap = {normalise_label(c): j for j, c in enumerate(value_columns)}
    col_rules, sum_rules, amount_idx = _evidence_rules(layout, value_columns, colmap, labels, V, D,
                                                       pending, parsed.decimal)
    roles = None if layout else _roles(kinds)
    chosen = resolve(pending, V, D, col_rules=col_rules, sum_rules=sum_rules,
                     amount_idx=amount_idx, decimal=parsed.decimal, source=source, roles=roles,
                     columns=(parsed.header.slots, parsed.header.spans))
    where = {p.pos: Location(file=source, line=p.line, row=p.label, sheet=parsed.sheet) for p in pending}
    for pos, reading in chosen.items():
        _fill(V, D, notes, pos, reading, parsed.decimal, where[pos])


def _fill(V, D, notes, pos, reading, decimal, where: Location) -> None:

    for text in reading.values:
        if text is not None:
            G.refuse_long_figure(text, where)
    try:
        vals, decs = cell_arrays(reading, decimal)
    except NumberFormatError as exc:
        raise ParseError("Cellen är inte ett tal som kan läsas exakt.", location=where, found=str(exc),
                         expected="ett tal som '1 169', '-88', '914,4' eller tom cell",
                         hint="Ta bort procenttecken, exponenter och andra tecken ur talcellerna.") from None
    V[pos], D[pos] = vals, decs
    parts = [n for n in reading.notes if n]
    notes[pos] = ", ".join(dict.fromkeys(parts))


def _too_few(row, slots, source, parsed) -> None:
    """Refuse a row that no reading fits: in a grid, its first value cell that is not a number
    (when it has the header's cells), else its number of cells; in free text, by the readings."""
    if parsed.fmt not in ("text", "csv", "xlsx"):
        raise_no_reading(Pending(0, row.line, row.label, row.raw, []), [], source)
    if len(row.segments) == len(slots):
        for seg, slot in zip(row.segments, slots):
            if slot.role == "value" and not G.is_plain_cell(seg, parsed.decimal):
                raise ParseError(
                    "Cellen är inte ett tal.",
                    location=Location(file=source, line=row.line, row=row.label, column=slot.column,
                                      sheet=parsed.sheet),
                    found=seg, expected="ett tal som '1 169', '-88', '914,4' eller tom cell",
                    hint="En cell som börjar med en nolla ('000') är en tusengrupp som skilts från sitt "
                         "tal: kontrollera cellgränserna." if re.match(r"\D?\s?0\d", seg.strip()) else None)
    n_values = sum(1 for s in slots if s.role == "value")
    raise ParseError(
        f"Raden har {len(row.segments) + 1} celler men rubrikraden har {len(slots) + 1}, och talen går "
        f"inte att dela upp i rubrikradens {n_values} värdekolumner.",
        location=Location(file=source, line=row.line, row=row.label or None, sheet=parsed.sheet),
        found=row.raw[:80],
        expected=f"{len(slots) + 1} celler (etikett + {len(slots)} värden)",
        hint="Kontrollera att inga celler slagits ihop eller fallit bort vid kopieringen.")


def _check_note_order(lines, labels, notes, source) -> None:
    """Notes are numbered down the statement: a note read from running text that is larger
    than the next row's note may be digits of the label ("Pensionskostnader enl. RIPS 19"),
    and nothing tells which, so the row is refused."""
    firsts = [(k, int(m.group())) for k, n in enumerate(notes) if n for m in [re.match(r"\d+", n)] if m]
    for (k, n), (k2, n2) in zip(firsts, firsts[1:]):
        if n > n2:
            raise ParseError(
                f"Talet {n} direkt efter etiketten kan vara en not eller höra till etiketten "
                f"('{labels[k]} {n}'): noterna står annars i nummerordning, men raden under har not "
                f"{n2} (rad {lines[k2]}). Läsningarna: not {n} | … eller etikett '{labels[k]} {n}' utan not.",
                location=Location(file=source, line=int(lines[k]), row=labels[k]),
                expected="noter i nummerordning", found=f"not {n} före not {n2}",
                hint="Skriv in raden med tabb mellan etikett, not och belopp, eller exportera tabellen som CSV/Excel.")


def _roles(kinds) -> list[str]:
    """item / sum / skip per row for the structure search (varav rows are in no sum)."""
    return ["sum" if k in ("subtotal", "total") else "skip" if k == "part_of" else "item" for k in kinds]


def _evidence_rules(layout, value_columns, colmap, labels, V, D, pending, decimal):
    """Row-local column rules, the layout's sum rules and amount columns for the evidence step."""

    col_rules, sum_rules = [], []
    if layout:
        for r in layout.get("columns", []):
            names = [r["name"], *r["of"]]
            if all(normalise_label(x) in colmap for x in names):
                t, a, b = (colmap[normalise_label(x)] for x in names)
                col_rules.append((r["rule"], t, a, b))
        index: dict[str, int] = {}
        for pos, label in enumerate(labels):
            index.setdefault(normalise_label(label), pos)
        for r in layout.get("totals", []):
            keys = [normalise_label(r["row"])] + [normalise_label(x) for x in r["parts"]]
            if all(k in index for k in keys):
                sum_rules.append((index[keys[0]], [index[k] for k in keys[1:]]))
        amount = layout.get("amount_columns", value_columns)
        amount_idx = [colmap[normalise_label(c)] for c in amount if normalise_label(c) in colmap]
    else:  # no layout: the sums come from the arithmetic (roles, gnsanalysis.rr.printed)
        amount_idx = [j for j, c in enumerate(value_columns) if "%" not in c]
        # difference columns proven by the rows read one way
        known = np.ones(len(V), dtype=bool)
        known[[p.pos for p in pending]] = False
        V, D = V.copy(), D.copy()
        for p in pending:
            if len(p.candidates) == 1:
                V[p.pos], D[p.pos] = cell_arrays(p.candidates[0], decimal)
                known[p.pos] = True
        for t, a, b in difference_pairs(V[known], D[known], value_columns, amount_idx):
            col_rules.append(("difference", t, a, b))
    return col_rules, sum_rules, amount_idx


def _check_complete(table: RRTable, layout: dict | None, declared: bool) -> None:
    """A table whose layout names a final row must end with it; otherwise it was cut short.

    A layout matched on the columns only counts when the table's rows are the layout's rows
    (:func:`is_layout_table`); another table with the same columns ends where it ends.
    """
    final = layout.get("final_row") if layout else None
    if not layout or not final or not (declared or is_layout_table(table, layout)):
        return
    last = table.labels[-1]
    if normalise_label(last) != normalise_label(final):
        raise ParseError(
            f"Tabellen slutar med raden {last!r}, men en fullständig tabell av den här "
            f"typen slutar med {final!r}.",
            location=Location(file=table.source, line=int(table.lines[-1])),
            expected=f"sista raden {final!r}",
            hint="Filen verkar avkortad; kopiera eller exportera hela tabellen.")


def read_rr(path: str | Path, *, fmt: str | None = None, sheet: str | None = None,
            max_bytes: int = MAX_RR_BYTES) -> RRTable:
    """Read an RR table from a file (format detected from the content unless given).

    Formats: see :mod:`gnsanalysis.rr.formats` (``text``, ``spaced``, ``pdf``, ``cells``,
    ``csv``, ``xlsx``). ``sheet`` names the XLSX sheet to read (else the first with a table).
    A file larger than ``max_bytes`` is refused without being read. A ``<name>.meta.yaml``
    beside the file may give ``unit`` (used when the table does not print one) and ``layout``
    (a layout id from ``rr_layouts.yaml`` or an inline layout with ``totals`` and ``columns``).
    """

    path = Path(path)
    fmt = F.normalise_format(fmt)
    data = gio.read_limited(path, max_bytes, what="RR-filer", option="--max-bytes")
    meta = _sidecar(path)
    declared = _declared_layout(meta, path)
    zipped = data[:4] == b"PK\x03\x04"
    if fmt == "xlsx" or (fmt is None and zipped):
        if not zipped:
            raise ParseError("Filen är ingen Excel-arbetsbok (.xlsx).", location=Location(file=path),
                             expected="en .xlsx-fil", hint="Ange rätt format med --input-format.")
        table = _read_xlsx(path, sheet, declared)
    else:
        if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
            raise ParseError("Filen är en äldre Excel-fil (.xls).", location=Location(file=path),
                             expected="text, CSV eller .xlsx",
                             hint="Spara filen som Excel-arbetsbok (.xlsx) eller som CSV.")
        text = decode_text(data, path)
        head = F.first_lines(text)
        fmt = fmt or F.detect_format(text, head)
        table = build_table(_parse_decoded(text, path, fmt, head), path, declared)
    if table.unit is None and meta.get("unit"):
        table.unit = str(meta["unit"])
    return table


def _read_xlsx(path: Path, sheet: str | None, declared) -> RRTable:
    """The table on the sheet named ``sheet``, else on the first sheet that has one (a cover
    sheet or an empty sheet before it is passed over, and the note says which sheet was read)."""

    names, first_error = [], None
    for name, grid, notes in G.xlsx_grids(path, sheet):
        names.append(name)
        try:
            parsed = G.parse_grid(grid, fmt="xlsx", decimal=",", source=path, sheet=name)
        except ParseError as exc:
            if sheet is not None or "rubrikrad" not in exc.message:
                raise
            first_error = first_error or exc
            continue
        table = build_table(parsed, path, declared)
        table.notes = notes
        return table
    raise ParseError("Inget blad i arbetsboken har en RR-tabell.", location=Location(file=path),
                     found=", ".join(names), expected="ett blad med en rubrikrad och rader med tal",
                     hint="Ange bladet med --sheet, eller kontrollera att tabellen har en rubrikrad.") \
        from first_error


def _refuse_other_statement(text: str, path) -> None:
    """Refuse a kassaflödesanalys or balansräkning by name: two rows with figures (in the
    first 300 lines) name items of that statement (``other_statements`` in rr_layouts.yaml)."""
    rows = [(n, line.strip()) for n, line in enumerate(F.head_lines(text, 300), 1) if re.search(r"\d", line)]
    for name, words in F.cfg().get("other_statements", {}).items():
        hits = [(n, line) for n, line in rows if any(w in line.casefold() for w in words)]
        if len(hits) >= 2:
            line, row = hits[0]
            raise ParseError(
                f"Tabellen är en {name}, inte en resultaträkning: raden {row[:60]!r} hör till en {name}.",
                location=Location(file=path, line=line), expected="en resultaträkning eller driftredovisning",
                hint="Kopiera resultaträkningen i stället; den står på en egen sida i årsredovisningen.")


def _parse_decoded(text: str, path, fmt: str, head: list[str]) -> F.Parsed:
    """The rows of a decoded text in format ``fmt`` (``head``: its first lines, which give a
    CSV's delimiter and decimal mark)."""
    _refuse_other_statement(text, path)
    if fmt == "text":
        return G.parse_grid(G.grid_from_tab_text(text), fmt="text", decimal=",", source=path)
    if fmt == "csv":
        delim = F.csv_delimiter(head) or (";" if text.count(";") >= text.count(",") else ",")
        return G.parse_csv(text, delimiter=delim, decimal=F.csv_decimal(head, delim), source=path)
    return T.parse_free_text(text, fmt=fmt, decimal=",", source=path)


def _sidecar(path: Path) -> dict:
    """The metadata sidecar beside ``path`` (``{}`` when there is none).

    Read with the one YAML loader, so a broken sidecar is a Swedish ConfigError (exit 2),
    exactly as when the build reads it, never silently ignored.
    """

    meta_path = path.with_name(path.name.rsplit(".", 1)[0] + ".meta.yaml")
    if not meta_path.is_file():
        return {}
    meta, _ = gio.load_yaml(meta_path, what="Metadatafilen")
    return meta if isinstance(meta, dict) else {}


def _declared_layout(meta: dict, path: Path) -> dict | None:
    """The layout a sidecar declares: the id of a layout in rr_layouts.yaml, or a layout of its
    own (``totals``, ``columns``, ``final_row`` …), checked as the packaged layouts are
    (:class:`gnsanalysis.schemas.LayoutModel`)."""
    spec = meta.get("layout")
    if spec is None:
        return None
    if isinstance(spec, str):
        for layout in layouts():
            if layout["id"] == spec:
                return layout
        raise ConfigError(f"{path.name}.meta.yaml anger layout {spec!r}, som inte finns i "
                          f"rr_layouts.yaml. Giltiga: {', '.join(layout['id'] for layout in layouts())}.")
    if not isinstance(spec, dict):
        raise ConfigError(f"Fältet 'layout' i metadata för {path.name} ska vara ett layout-id eller "
                          "en layout med 'totals'.")
    # lazy: pydantic only for a sidecar's own layout (keeps gns rr check fast)
    from gnsanalysis.schemas import LayoutModel, validate

    own = validate(LayoutModel, {"id": "declared", **spec}, path.with_name(path.stem + ".meta.yaml"))
    return {"totals": [], "columns": [], **own.model_dump(exclude_unset=True)}
