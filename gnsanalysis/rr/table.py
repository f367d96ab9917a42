"""RR tables (resultaträkning by RR code): reading printed tables into a tidy table.

The tidy table has one row per RR line: ``line`` (1-based line number in the source),
``label``, ``kind`` (``item``, ``subtotal``, ``total``, ``part_of``), ``note``, and one float
column per header column, named exactly as the header prints it, NaN for "no value".
:class:`RRTable` holds them as plain numpy columns, and :attr:`RRTable.frame` gives them as a
pandas DataFrame. Printed values are parsed exactly
(:func:`gnsanalysis.swedish.numbers.parse_number`), so a value in the table is the float nearest
the printed decimal; the printed precision per column is kept in :attr:`RRTable.decimals` for
the checks.

Input formats and their detection live in :mod:`gnsanalysis.rr.formats`; rows whose digits can
be grouped in more than one way are settled by :mod:`gnsanalysis.rr.grouping`.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from gnsanalysis import paths
from gnsanalysis.csvsafe import safe_cell
from gnsanalysis.io import atomic_write, load_resource

if TYPE_CHECKING:
    import pandas as pd

ID_COLUMNS = ["line", "label", "kind", "note"]


@dataclass
class RRTable:
    """A parsed RR table and what is known about where it came from.

    The rows are held column by column: ``lines`` (int64), ``labels``, ``kinds`` and
    ``note_refs`` (object arrays of str; ``note_refs`` is the ``note`` column, "2, 4") and
    ``figures`` (float64, rows × ``value_columns``, NaN for no value). The checks and writers
    read these; :attr:`frame` is the same table as a pandas DataFrame, for the reports. The
    columns are read-only: a changed table is a new one (``dataclasses.replace``).
    """

    lines: np.ndarray
    labels: np.ndarray
    kinds: np.ndarray
    note_refs: np.ndarray
    figures: np.ndarray
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

    def __post_init__(self) -> None:
        for column in (self.lines, self.labels, self.kinds, self.note_refs, self.figures):
            column.flags.writeable = False  # so that the frame, built once, stays the table

    @property
    def source_name(self) -> str:
        """The input's file name (for messages), or ``<indata>``."""
        return Path(self.source).name if self.source else "<indata>"

    def column(self, name: str) -> np.ndarray:
        """The figures of value column ``name`` (KeyError when the table has no such column)."""
        if name not in self.value_columns:
            raise KeyError(name)
        return self.figures[:, self.value_columns.index(name)]

    @cached_property
    def frame(self) -> pd.DataFrame:
        """The table as a DataFrame: columns ``line``, ``label``, ``kind``, ``note``, then the
        value columns (``label`` as Python strings, ``kind`` and ``note`` as text), built from
        the columns on first use and kept. A change to the frame does not change the columns,
        which the checks and writers read."""
        import pandas as pd  # lazy: keeps `gns rr check` and `gns rr parse` fast (they never need the frame)

        data = {"line": pd.Series(self.lines, dtype="int64"), "label": pd.Series(self.labels, dtype=object),
                "kind": pd.Series(self.kinds, dtype="str"), "note": pd.Series(self.note_refs, dtype="str")}
        for j, c in enumerate(self.value_columns):
            data[c] = pd.Series(self.figures[:, j], dtype=np.float64)
        return pd.DataFrame(data, columns=ID_COLUMNS + self.value_columns)

    def position(self, label: str) -> int:
        """The position of the first row with this label (whitespace- and case-insensitive)."""
        key = normalise_label(label)
        for pos, own in enumerate(self.labels):
            if normalise_label(own) == key:
                return pos
        raise KeyError(label)

    def row(self, label: str) -> pd.Series:
        """The row with this label (whitespace- and case-insensitive)."""
        return self.frame.iloc[self.position(label)]

    def value(self, label: str, column: str) -> float:
        """The figure in row ``label``, column ``column``."""
        return float(self.column(column)[self.position(label)])


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
    for label in dict.fromkeys(labels):  # labels repeat (one block per nämnd and month)
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
    present = {normalise_label(label) for label in dict.fromkeys(table.labels)}
    return [n for n in layout_rows(layout) if normalise_label(n) not in present]


def is_layout_table(table: RRTable, layout: dict) -> bool:
    """Whether the table's rows are the layout's rows (not just its columns): most of its
    labels are rows the layout names. A table of another kind with the same columns is not."""
    names = {normalise_label(n) for n in layout_rows(layout)}
    labels = table.labels
    if not names or not len(labels):
        return False
    if len(labels) > 4 * len(names) + 20:  # many more rows than the layout has: another table
        return False
    hits = sum(1 for label in labels if normalise_label(label) in names)
    return hits >= 2 and hits * 2 >= len(labels)


# --------------------------------------------------------------------------- output

def _printed(values: np.ndarray, decimals: int) -> list[str]:
    """Figures as plain text with ``decimals`` decimals, '.' decimal mark, "" for no value: a
    whole figure is its rounded integer (never "-0"); otherwise the value is scaled to an
    integer, the decimal point set before its last ``decimals`` digits and a minus sign added
    when the value is negative (also "-0.0")."""
    missing = np.isnan(values)
    if decimals == 0:
        cells = list(map(str, np.round(np.where(missing, 0.0, values)).astype(np.int64).tolist()))
    else:
        scaled = np.round(np.where(missing, 0.0, np.abs(values)) * 10 ** decimals).astype(np.int64)
        whole, part = np.divmod(scaled, 10 ** decimals)
        sign = np.where(np.signbit(values) & ~missing, "-", "").tolist()
        cells = [f"{s}{w}.{p:0{decimals}d}" for s, w, p in zip(sign, whole.tolist(), part.tolist())]
    for i in np.flatnonzero(missing):
        cells[i] = ""
    return cells


def _text_cells(column: np.ndarray) -> list[str]:
    """A text column as CSV cells: spreadsheet-safe (:func:`gnsanalysis.csvsafe.safe_cell`) and
    quoted as Python's csv module quotes them. Labels, kinds and notes repeat (one block per
    nämnd and month), so each distinct value is written once and the rows take theirs."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    cells = {}
    for u in dict.fromkeys(column):
        out.seek(0)
        out.truncate()
        writer.writerow([safe_cell(u)])
        cells[u] = out.getvalue()[:-1] if u else ""  # alone, an empty field is written '""'
    return [cells[u] for u in column]


def to_tidy_csv(table: RRTable) -> str:
    """CSV with columns line,label,kind,note,<value columns>; plain numbers, '.' decimals;
    labels and notes made spreadsheet-safe (:func:`gnsanalysis.csvsafe.safe_cell`).

    Built column by column (each figure printed at its column's decimals), then the columns
    joined row by row; the tests compare it with the csv module writing row by row.
    """
    head = io.StringIO()
    csv.writer(head, lineterminator="\n").writerow(ID_COLUMNS + table.value_columns)
    if not len(table.lines):
        return head.getvalue()
    cells = [list(map(str, table.lines.tolist()))]
    cells += [_text_cells(c) for c in (table.labels, table.kinds, table.note_refs)]
    cells += [_printed(table.figures[:, j], table.decimals.get(c, 0)) for j, c in enumerate(table.value_columns)]
    return head.getvalue() + "\n".join(map(",".join, zip(*cells))) + "\n"


def to_json_dict(table: RRTable) -> dict:
    """A JSON-ready dict: metadata plus rows (numbers as numbers, null for no value)."""
    rows = []
    columns = [(c, table.decimals.get(c, 0), table.figures[:, j].tolist()) for j, c in enumerate(table.value_columns)]
    for i, (line, label, kind, note) in enumerate(zip(table.lines.tolist(), table.labels, table.kinds,
                                                      table.note_refs)):
        rows.append({"line": line, "label": label, "kind": kind, "note": note, "values": {
            c: None if np.isnan(col[i]) else int(col[i]) if d == 0 else round(col[i], d)
            for c, d, col in columns}})
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
