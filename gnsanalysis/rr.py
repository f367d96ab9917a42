"""RR tables (resultaträkning by RR code): reading printed tables into a tidy frame.

The tidy frame has one row per RR line: ``line`` (1-based line number in the source),
``label``, ``kind`` (``item``, ``subtotal``, ``total``, ``part_of``), ``note``, and one float
column per header column, named exactly as the header prints it, NaN for "no value".
Printed values are parsed exactly (:func:`gnsanalysis.numbers.parse_number`), so a value in
the frame is the float nearest the printed decimal; the printed precision per column is kept
in :attr:`RRTable.decimals` for the checks.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .config import load_config
from .errors import ParseError, Location
from .numbers import NumberFormatError, decimals_of, parse_number, is_no_value

ID_COLUMNS = ["line", "label", "kind", "note"]
_PERIOD_RE = re.compile(r"\bPeriod\s+(\d{4}-\d{2})\b", re.IGNORECASE)
_UNIT_RE = re.compile(r"\b(tkr|mnkr|mkr|Mkr|kr)\b")


@dataclass
class RRTable:
    """A parsed RR table and what is known about where it came from."""

    frame: pd.DataFrame
    value_columns: list[str]
    source: str | None = None
    preamble: list[str] = field(default_factory=list)
    period: str | None = None
    unit: str | None = None
    decimals: dict[str, int] = field(default_factory=dict)
    layout_id: str | None = None
    format: str = "text"

    @property
    def source_name(self) -> str:
        return Path(self.source).name if self.source else "<indata>"

    def row(self, label: str) -> pd.Series:
        """The row with this label (whitespace- and case-insensitive)."""
        key = normalise_label(label)
        hits = self.frame[self.frame["label"].map(normalise_label) == key]
        if hits.empty:
            raise KeyError(label)
        return hits.iloc[0]

    def value(self, label: str, column: str) -> float:
        return float(self.row(label)[column])


def normalise_label(label: str) -> str:
    return re.sub(r"\s+", " ", str(label)).strip().casefold()


def sha256_of(path: str | Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


# --------------------------------------------------------------------------- decoding

def decode_text(data: bytes, source: str | Path | None = None) -> str:
    """Bytes to text: UTF-8 (with or without BOM), else cp1252; binary input is refused."""
    loc = Location(file=source)
    if not data.strip():
        raise ParseError("Filen är tom.", location=loc, expected="en RR-tabell",
                         hint="Kontrollera att rätt fil exporterades.")
    if b"\x00" in data:
        raise ParseError("Filen är inte text (innehåller binära nollbytes).", location=loc,
                         expected="text (tabbseparerad), CSV eller XLSX",
                         hint="Exportera tabellen som text, CSV eller Excel.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    bad = sum(1 for ch in text if (ord(ch) < 32 and ch not in "\t\r\n\f") or ch == "\ufffd")
    if bad > max(2, len(text) // 200):
        raise ParseError("Filen ser ut att vara binär eller i en okänd teckenkodning.",
                         location=loc, found=f"{bad} styrtecken",
                         expected="text i UTF-8 eller Windows-1252")
    return text.replace("\r\n", "\n").replace("\r", "\n")


# --------------------------------------------------------------------------- layouts

def layouts() -> list[dict]:
    return load_config("rr_layouts.yaml").get("layouts", [])


def find_layout(columns: list[str]) -> dict | None:
    """The first layout whose required columns are all present."""
    present = {normalise_label(c) for c in columns}
    for layout in layouts():
        need = {normalise_label(c) for c in layout.get("match", {}).get("columns", [])}
        if need and need <= present:
            return layout
    return None


def infer_kind(label: str, layout: dict | None = None) -> str:
    """``total``, ``subtotal``, ``part_of`` or ``item`` from the layout, else from the label."""
    key = normalise_label(label)
    if layout:
        for rule in layout.get("totals", []):
            if normalise_label(rule["row"]) == key:
                return rule.get("kind", "subtotal")
    for rule in load_config("rr_layouts.yaml").get("kinds", []):
        if any(re.search(p, key, re.IGNORECASE) for p in rule["patterns"]):
            return rule["kind"]
    return "item"


# --------------------------------------------------------------------------- text format

def _is_header(cells: list[str]) -> bool:
    values = [c.strip() for c in cells[1:]]
    if len(cells) < 3 or not all(values):
        return False
    for v in values:
        try:
            parse_number(v)
            return False
        except NumberFormatError:
            continue
    return True


def parse_rr_text(text: str, source: str | Path | None = None, *, delimiter: str = "\t") -> RRTable:
    """Parse the protocol form: preamble lines, a header row, then one tab-separated row per line."""
    lines = text.split("\n")
    header_idx = None
    for i, line in enumerate(lines):
        cells = line.split(delimiter)
        if _is_header(cells):
            header_idx = i
            break
    if header_idx is None:
        raise ParseError(
            "Hittar ingen rubrikrad.", location=Location(file=source),
            expected="en rad med kolumnrubriker åtskilda av tabb, t.ex. 'RR<TAB>Ack utfall<TAB>…'",
            hint="Kopiera tabellen med rubrikraden, eller ange formatet med --format.")
    header = [c.strip() for c in lines[header_idx].split(delimiter)]
    while header and not header[-1]:
        header.pop()
    value_columns = header[1:]
    if len(set(map(normalise_label, value_columns))) != len(value_columns):
        raise ParseError("Rubrikraden har dubbla kolumnnamn.",
                         location=Location(file=source, line=header_idx + 1),
                         found=value_columns, expected="unika kolumnrubriker")
    layout = find_layout(value_columns)
    preamble = [l.strip() for l in lines[:header_idx] if l.strip()]

    records: list[list] = []
    decimals = {c: 0 for c in value_columns}
    ncols = len(header)
    for i in range(header_idx + 1, len(lines)):
        raw = lines[i]
        if not raw.strip():
            continue
        lineno = i + 1
        cells = raw.split(delimiter)
        while len(cells) > ncols and not cells[-1].strip():
            cells.pop()
        label = cells[0].strip()
        if len(cells) != ncols:
            raise ParseError(
                f"Raden har {len(cells)} celler men rubrikraden har {ncols}.",
                location=Location(file=source, line=lineno, row=label or None),
                found=raw.strip()[:80],
                expected=f"{ncols} tabbseparerade celler (etikett + {ncols - 1} värden)",
                hint="Kontrollera att inga celler slagits ihop eller fallit bort vid kopieringen.")
        if not label:
            raise ParseError("Raden saknar etikett.", location=Location(file=source, line=lineno),
                             found=raw.strip()[:80], expected="en radetikett i första kolumnen")
        values = []
        for col, cell in zip(value_columns, cells[1:]):
            try:
                value = parse_number(cell)
            except NumberFormatError:
                raise ParseError(
                    "Cellen är inte ett tal.",
                    location=Location(file=source, line=lineno, row=label, column=col),
                    found=cell, expected="ett tal som '1 169', '-88', '914,4' eller tom cell")
            if value is not None:
                decimals[col] = max(decimals[col], decimals_of(cell))
            values.append(np.nan if value is None else float(value))
        records.append([lineno, label, infer_kind(label, layout), ""] + values)

    if not records:
        raise ParseError("Tabellen har en rubrikrad men inga rader.",
                         location=Location(file=source, line=header_idx + 1),
                         expected="minst en RR-rad under rubrikraden",
                         hint="Filen verkar avkortad; exportera tabellen på nytt.")
    frame = pd.DataFrame.from_records(records, columns=ID_COLUMNS + value_columns)
    frame = frame.astype({"line": "int64", **{c: "float64" for c in value_columns}})
    table = RRTable(frame=frame, value_columns=value_columns, source=str(source) if source else None,
                    preamble=preamble, period=_find(_PERIOD_RE, preamble),
                    unit=_find(_UNIT_RE, preamble + [lines[header_idx]]),
                    decimals=decimals, layout_id=layout["id"] if layout else None, format="text")
    _check_complete(table, layout)
    return table


def _find(regex: re.Pattern, lines: list[str]) -> str | None:
    for line in lines:
        m = regex.search(line)
        if m:
            return m.group(1)
    return None


def _check_complete(table: RRTable, layout: dict | None) -> None:
    """A table whose layout names a final row must end with it; otherwise it was cut short."""
    final = (layout or {}).get("final_row")
    if not final:
        return
    last = table.frame.iloc[-1]
    if normalise_label(last["label"]) != normalise_label(final):
        raise ParseError(
            f"Tabellen slutar med raden {last['label']!r}, men en fullständig tabell av den här "
            f"typen slutar med {final!r}.",
            location=Location(file=table.source, line=int(last["line"])),
            expected=f"sista raden {final!r}",
            hint="Filen verkar avkortad; kopiera eller exportera hela tabellen.")


# --------------------------------------------------------------------------- entry point

def read_rr(path: str | Path, *, fmt: str | None = None) -> RRTable:
    """Read an RR table from a file (format detected from the content unless given)."""
    path = Path(path)
    data = path.read_bytes()
    if fmt not in (None, "text"):
        from .errors import ParameterError
        raise ParameterError(f"Okänt format {fmt!r}. Giltiga format: text.")
    return parse_rr_text(decode_text(data, path), source=path)


def to_tidy_csv(table: RRTable) -> str:
    """CSV with columns line,label,kind,note,<value columns>; plain numbers, '.' decimals."""
    frame = table.frame.copy()
    for col in table.value_columns:
        d = table.decimals.get(col, 0)
        frame[col] = [
            "" if np.isnan(v) else (f"{v:.{d}f}" if d else str(int(round(v))))
            for v in frame[col].to_numpy()
        ]
    return frame.to_csv(index=False, lineterminator="\n")


def to_json_dict(table: RRTable) -> dict:
    """A JSON-ready dict: metadata plus rows (numbers as numbers, null for no value)."""
    rows = []
    for rec in table.frame.to_dict(orient="records"):
        out = {k: rec[k] for k in ID_COLUMNS}
        out["line"] = int(out["line"])
        out["values"] = {
            c: (None if np.isnan(rec[c]) else (int(rec[c]) if table.decimals.get(c, 0) == 0
                                              else round(float(rec[c]), table.decimals[c])))
            for c in table.value_columns
        }
        rows.append(out)
    return {
        "source": table.source_name,
        "format": table.format,
        "period": table.period,
        "unit": table.unit,
        "layout": table.layout_id,
        "columns": table.value_columns,
        "decimals": table.decimals,
        "rows": rows,
    }


def write_processed(table: RRTable, dataset=None, processed_dir: Path | None = None) -> Path:
    """Write the tidy table to ``data/processed/rr-<period>.csv`` with a JSON metadata sidecar."""
    import json

    from . import config
    from .files import atomic_write

    processed_dir = Path(processed_dir or config.PROCESSED_DIR)
    period = table.period or (dataset.period if dataset else None) or Path(table.source or "rr").stem
    csv_path = processed_dir / f"rr-{period}.csv"
    atomic_write(csv_path, to_tidy_csv(table).encode("utf-8"))
    meta = {k: v for k, v in to_json_dict(table).items() if k != "rows"}
    if dataset is not None:
        meta["source_sha256"] = dataset.sha256
        meta["data_status"] = dataset.meta.get("data_status")
        meta["unit"] = meta.get("unit") or dataset.meta.get("unit")
    atomic_write(csv_path.with_suffix(".json"),
                 (json.dumps(meta, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8"))
    return csv_path
