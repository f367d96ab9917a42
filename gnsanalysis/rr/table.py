"""RR tables (resultaträkning by RR code): reading printed tables into a tidy frame.

The tidy frame has one row per RR line: ``line`` (1-based line number in the source),
``label``, ``kind`` (``item``, ``subtotal``, ``total``, ``part_of``), ``note``, and one float
column per header column, named exactly as the header prints it, NaN for "no value".
Printed values are parsed exactly (:func:`gnsanalysis.swedish.numbers.parse_number`), so a value in
the frame is the float nearest the printed decimal; the printed precision per column is kept
in :attr:`RRTable.decimals` for the checks.

Input formats and their detection live in :mod:`gnsanalysis.rr.formats`; rows whose digits can
be grouped in more than one way are settled by :mod:`gnsanalysis.rr.grouping`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from gnsanalysis.csvsafe import safe_cell
from gnsanalysis.io import load_resource

spreadsheet_safe = safe_cell  # the project's one rule against CSV injection (OWASP)

ID_COLUMNS = ["line", "label", "kind", "note"]


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
    levels: list[int] = field(default_factory=list)  # indentation level per row (0 = none)
    declared_layout: dict | None = None  # a layout declared beside the data (meta.yaml)
    notes: list[str] = field(default_factory=list)  # what the reader wants the user to know

    @property
    def source_name(self) -> str:
        """The input's file name (for messages), or ``<indata>``."""
        return Path(self.source).name if self.source else "<indata>"

    def row(self, label: str) -> pd.Series:
        """The row with this label (whitespace- and case-insensitive)."""
        key = normalise_label(label)
        hits = self.frame[self.frame["label"].map(normalise_label) == key]
        if hits.empty:
            raise KeyError(label)
        return hits.iloc[0]

    def value(self, label: str, column: str) -> float:
        """The figure in row ``label``, column ``column``."""
        return float(self.row(label)[column])


_ROLE_PUNCTUATION = re.compile(r"(?<=\w)\.(?=\s|$)")


def normalise_label(label: str) -> str:
    """A label or column name as a key: case, runs of whitespace and abbreviation points
    ("Ack. utfall" is "Ack utfall") do not count."""
    return " ".join(_ROLE_PUNCTUATION.sub("", str(label)).split()).casefold()  # split(): the whitespace of \s


# --------------------------------------------------------------------------- layouts

def layouts() -> list[dict]:
    """The known layouts of ``rr_layouts.yaml``."""
    return load_resource("rr_layouts.yaml").get("layouts", [])


def find_layout(columns: list[str]) -> dict | None:
    """The first layout whose required columns are all present."""
    present = {normalise_label(c) for c in columns}
    for layout in layouts():
        need = {normalise_label(c) for c in layout.get("match", {}).get("columns", [])}
        if need and need <= present:
            return layout
    return None


@cache
def _kind_patterns() -> list[tuple[str, re.Pattern]]:
    """One compiled pattern per kind (its patterns joined), in the order of the file."""
    return [(rule["kind"], re.compile("|".join(f"(?:{p})" for p in rule["patterns"]), re.IGNORECASE))
            for rule in load_resource("rr_layouts.yaml").get("kinds", [])]


def kind_array(labels: np.ndarray, layout: dict | None) -> np.ndarray:
    """The kind of each row (object array): the layout's kind of a summing row it names, else
    the first ``kinds`` pattern of ``rr_layouts.yaml`` the label matches, else ``item``."""
    by_layout = {normalise_label(r["row"]): r.get("kind", "subtotal") for r in (layout or {}).get("totals", [])}
    kinds = {}
    for label in pd.unique(labels):  # labels repeat (one block per nämnd and month)
        key = normalise_label(label)
        kinds[label] = by_layout.get(key) or next((k for k, pat in _kind_patterns() if pat.search(key)), "item")
    return np.array([kinds[label] for label in labels], dtype=object)


def layout_rows(layout: dict) -> list[str]:
    """The rows a layout names (summing rows, their parts and the final row), as written."""
    names = []
    for rule in layout.get("totals", []):
        names += [rule["row"], *rule.get("parts", [])]
    if layout.get("final_row"):
        names.append(layout["final_row"])
    return list(dict.fromkeys(names))


def missing_layout_rows(table: RRTable, layout: dict) -> list[str]:
    """The rows the layout names that the table does not have."""
    present = {normalise_label(label) for label in pd.unique(table.frame["label"].to_numpy(dtype=object))}
    return [n for n in layout_rows(layout) if normalise_label(n) not in present]


def is_layout_table(table: RRTable, layout: dict) -> bool:
    """Whether the table's rows are the layout's rows (not just its columns): most of its
    labels are rows the layout names. A table of another kind with the same columns is not."""
    names = {normalise_label(n) for n in layout_rows(layout)}
    if not names or not len(table.frame):
        return False
    labels = table.frame["label"]
    if len(labels) > 4 * len(names) + 20:  # many more rows than the layout has: another table
        return False
    hits = sum(1 for label in labels if normalise_label(label) in names)
    return hits >= 2 and hits * 2 >= len(labels)


# --------------------------------------------------------------------------- output

def _printed(values: np.ndarray, decimals: int):
    """Figures as plain text (Arrow strings) with ``decimals`` decimals, '.' decimal mark,
    "" for no value."""
    import pyarrow as pa
    import pyarrow.compute as pc

    missing = np.isnan(values)
    if decimals == 0:  # a whole figure is its integer, minus sign and all (never "-0")
        digits = pc.cast(pa.array(np.round(np.where(missing, 0.0, values)).astype(np.int64)), pa.string())
    else:
        scaled = np.round(np.where(missing, 0.0, np.abs(values)) * 10 ** decimals).astype(np.int64)
        digits = pc.utf8_lpad(pc.cast(pa.array(scaled), pa.string()), decimals + 1, "0")
        digits = pc.binary_join_element_wise(pc.utf8_slice_codeunits(digits, 0, -decimals),
                                             pc.utf8_slice_codeunits(digits, -decimals), ".")
        negative = np.signbit(values) & ~missing
        if negative.any():
            digits = pc.if_else(pa.array(negative), pc.binary_join_element_wise("-", digits, ""), digits)
    return pc.if_else(pa.array(missing), "", digits) if missing.any() else digits


def _text_cells(column: pd.Series):
    """A text column as CSV cells (Arrow strings): spreadsheet-safe (:func:`gnsanalysis.csvsafe.safe_cell`)
    and quoted as Python's csv module quotes them. Labels, kinds and notes repeat (one block per
    nämnd and month), so each distinct value is written once and the rows take theirs."""
    import csv
    import io

    import pyarrow as pa
    import pyarrow.compute as pc

    encoded = pc.dictionary_encode(pa.array(column, type=pa.string()))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    cells = []
    for u in encoded.dictionary.to_pylist():
        out.seek(0)
        out.truncate()
        writer.writerow([safe_cell(u)])
        cells.append(out.getvalue()[:-1] if u else "")  # alone, an empty field is written '""'
    return pa.array(cells, type=pa.string()).take(encoded.indices)


def to_tidy_csv(table: RRTable) -> str:
    """CSV with columns line,label,kind,note,<value columns>; plain numbers, '.' decimals;
    labels and notes made spreadsheet-safe (:func:`gnsanalysis.csvsafe.safe_cell`).

    Built column by column with Arrow (each figure printed at its column's decimals, then the
    columns joined row-wise); the tests compare it with the csv module writing row by row.
    """
    import csv
    import io

    import pyarrow as pa
    import pyarrow.compute as pc

    f = table.frame
    head = io.StringIO()
    csv.writer(head, lineterminator="\n").writerow(list(f.columns))
    if not len(f):
        return head.getvalue()
    cells = [pc.cast(pa.array(f["line"].to_numpy(dtype=np.int64)), pa.string())]
    cells += [_text_cells(f[c]) for c in ("label", "kind", "note")]
    cells += [_printed(f[c].to_numpy(dtype=float), table.decimals.get(c, 0)) for c in table.value_columns]
    rows = pc.binary_join_element_wise(*cells, ",")
    text = pc.binary_join(pa.ListArray.from_arrays([0, len(rows)], rows), "\n")[0].as_py()
    return head.getvalue() + text + "\n"


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

    from gnsanalysis import paths
    from gnsanalysis.io import atomic_write

    processed_dir = Path(processed_dir or paths.PROCESSED_DIR)
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
