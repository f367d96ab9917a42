"""Consistency checks of RR tables that tell rounding from real error.

Every printed figure stands for a range of true values: a whole-tkr figure ``p`` for
``[p - 0.5, p + 0.5]``. A check computes the range the true value of a total (or a derived
column) must lie in, given the printed inputs, and reports a finding only when the printed
figure could not have been rounded from any value in that range (the one rounding test,
:func:`gnsanalysis.rr.hierarchy.inconsistent`, that the reading of printed rows asks too). Each
finding names the file, line, row and column, the printed value and the range of printed values
that would be consistent.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from gnsanalysis.rr.hierarchy import column_range, halves_of, inconsistent, infer_layout, part_sums
from gnsanalysis.rr.table import RRTable, find_layout, layout_rows, layouts, missing_layout_rows, normalise_label
from gnsanalysis.swedish import format as fmt
from gnsanalysis.swedish.rounding import printed_range


@dataclass(frozen=True)
class Finding:
    """One real inconsistency (or a missing row) in a printed table."""

    file: str
    line: int | None
    row: str
    column: str | None
    printed: float | None
    low: float | None  # lowest consistent printed value
    high: float | None  # highest consistent printed value
    rule: str
    decimals: int = 0

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        if self.column is None:
            return f"{where}: {self.rule}"
        printed = "tom" if self.printed is None else fmt.number(self.printed, self.decimals)
        if self.low is None or self.high is None:
            return f"{where}: rad {self.row!r}, kolumn {self.column!r}: tryckt {printed} ({self.rule})"
        rng = (fmt.number(self.low, self.decimals) if self.low == self.high else
               f"{fmt.number(self.low, self.decimals)} till {fmt.number(self.high, self.decimals)}")
        return (f"{where}: rad {self.row!r}, kolumn {self.column!r}: tryckt {printed}, "
                f"förenligt vore {rng} ({self.rule})")


def layout_for(table: RRTable, layout: dict | str | None) -> dict | None:
    """The layout that applies to ``table``: the one given, the table's own, or one matched on its columns."""
    if isinstance(layout, dict):
        return layout
    if layout is None and table.declared_layout:
        return table.declared_layout
    if layout is None and not table.layout_id:
        return find_layout(table.value_columns)
    return {c["id"]: c for c in layouts()}[table.layout_id if layout is None else layout]  # KeyError: unknown id


def check_table(table: RRTable, layout: dict | str | None = None) -> list[Finding]:
    """All findings for a table (empty list when consistent up to rounding), tolerances by printed precision.

    The hierarchy is the declared layout (``config/rr_layouts.yaml`` matched on the columns, or declared
    beside the data), else inferred (:func:`gnsanalysis.rr.hierarchy.infer_layout`); a column-matched
    layout whose rows the table lacks gives way to the inferred one (:func:`check_report` notes it).
    """
    return check_report(table, layout)[0]


def check_report(table: RRTable, layout: dict | str | None = None) -> tuple[list[Finding], list[str]]:
    """(findings, notes): :func:`check_table` and, in Swedish, why a column-matched layout was not used."""
    explicit = layout is not None or bool(table.declared_layout)
    layout = layout_for(table, layout)
    notes = []
    if layout is not None and not explicit and layout.get("totals"):
        missing = missing_layout_rows(table, layout)
        if missing:  # matched on the columns only: infer the rows' hierarchy instead
            inferred = infer_layout(table)
            shown = ", ".join(repr(m) for m in missing[:3]) + (" …" if len(missing) > 3 else "")
            total = len(layout_rows(layout))
            notes.append(f"{table.source_name}: kolumnerna är desamma som i layouten "
                         f"{layout.get('name', layout.get('id'))!r}, men tabellen saknar "
                         f"{fmt.number(len(missing))} av dess {fmt.number(total)} rader ({shown}); "
                         f"summorna kontrolleras i stället med hierarkin härledd från radetiketterna.")
            layout = {**layout, "totals": inferred["totals"], "columns": layout.get("columns") or inferred["columns"]}
    if layout is None:  # generic layouts inferred from labels
        layout = infer_layout(table)
    findings = _check_totals(table, layout) + _check_columns(table, layout) + _check_parts_of(table, layout)
    return findings, notes


def sort_findings(findings: list[Finding], table: RRTable) -> list[Finding]:
    """By line (findings without a line first), then in the table's column order."""
    order = {c: k for k, c in enumerate(table.value_columns)}
    return sorted(findings, key=lambda f: (f.line or 0, -1 if f.column is None else order.get(f.column, len(order))))


def _column_map(table: RRTable) -> dict[str, str]:
    return {normalise_label(c): c for c in table.value_columns}


def _amount_columns(table: RRTable, layout: dict) -> list[str]:
    colmap = _column_map(table)
    default = [c for c in table.value_columns if c not in set(layout.get("percent_columns", []))]
    return [colmap[normalise_label(c)] for c in layout.get("amount_columns", default)
            if normalise_label(c) in colmap]


def _layout_rules(table: RRTable, layout: dict):
    """(rules over the table's rows as (position, part positions, text), findings for rules
    lacking rows). A rule with positions (``pos``, ``part_pos``: an inferred layout) is taken as
    it stands; a rule by label sums the first rows with its labels."""
    out: list[Finding] = []
    rules = []
    index: dict[str, int] = {}  # the first row with each label
    for pos, label in enumerate(table.labels):
        index.setdefault(normalise_label(label), pos)
    for rule in layout.get("totals", []):
        text = "summan av " + ", ".join(repr(x) for x in rule["parts"])
        if "pos" in rule and "part_pos" in rule:
            rules.append((rule["pos"], list(rule["part_pos"]), text))
            continue
        if normalise_label(rule["row"]) not in index:
            out.append(Finding(table.source_name, None, rule["row"], None, None, None, None,
                               f"summaraden {rule['row']!r} saknas i tabellen, så summan av "
                               + fmt.join_list([repr(p) for p in rule["parts"]])
                               + " kan inte kontrolleras"))
            continue
        missing = [p for p in rule["parts"] if normalise_label(p) not in index]
        if missing:
            out.append(Finding(table.source_name, None, rule["row"], None, None, None, None,
                               f"{'raden' if len(missing) == 1 else 'raderna'} "
                               f"{fmt.join_list([repr(p) for p in missing])} saknas i tabellen "
                               f"men behövs för kontrollen av {rule['row']!r}"))
            continue
        rules.append((index[normalise_label(rule["row"])], [index[normalise_label(p)] for p in rule["parts"]], text))
    return rules, out


def _check_totals(table: RRTable, layout: dict) -> list[Finding]:
    """Every summing rule of the layout in every amount column: each printed sum outside the
    range its printed parts allow (within their rounding)."""
    rules, found_missing = _layout_rules(table, layout)
    amount_cols = _amount_columns(table, layout)
    if not rules or not amount_cols:
        return found_missing
    pos = np.array([r[0] for r in rules], dtype=np.int64)
    flat = np.array([p for r in rules for p in r[1]], dtype=np.int64)
    rid = np.repeat(np.arange(len(rules)), [len(r[1]) for r in rules])
    found = []
    for col in amount_cols:
        d = table.decimals.get(col, 0)
        half, values = halves_of(d), table.column(col)
        s, n = part_sums(values[flat] if len(flat) else np.zeros(0), rid, len(rules))
        low, high = s - n * half, s + n * half
        for r in np.flatnonzero(inconsistent(values[pos], half, low, high)):
            found.append((int(r), _finding(table, pos[r], col, values[pos[r]], (low[r], high[r]), rules[r][2], d)))
    found.sort(key=lambda x: x[0])  # rule order, then column order (stable)
    return found_missing + [f for _, f in found]


def _finding(table: RRTable, i, col: str, printed: float, true_range: tuple[float, float], rule: str,
             d: int) -> Finding:
    """The finding at row ``i``: the printed figure (NaN: none) and the printed figures that the
    range of true values its inputs allow could have been rounded to."""
    lo, hi = printed_range(true_range[0], true_range[1], d)
    return Finding(table.source_name, int(table.lines[i]), table.labels[i], col,
                   None if np.isnan(printed) else float(printed), lo, hi, rule, d)


def _check_columns(table: RRTable, layout: dict) -> list[Finding]:
    """Every difference and percent-change column rule of the layout in every row."""
    colmap = _column_map(table)
    rules = [r for r in layout.get("columns", []) if normalise_label(r["name"]) in colmap
             and all(normalise_label(c) in colmap for c in r["of"])]
    diff_cols = {tuple(normalise_label(c) for c in r["of"]): colmap[normalise_label(r["name"])]
                 for r in rules if r["rule"] == "difference"}
    out: list[Finding] = []
    for rule in rules:
        target = colmap[normalise_label(rule["name"])]
        a_col, b_col = (colmap[normalise_label(c)] for c in rule["of"])
        ha, hb, ht = (halves_of(table.decimals.get(c, 0)) for c in (a_col, b_col, target))
        a, b, t = np.nan_to_num(table.column(a_col)), np.nan_to_num(table.column(b_col)), table.column(target)
        d_col = diff_cols.get(tuple(normalise_label(c) for c in rule["of"]))
        low, high = column_range(rule["rule"], a, b, ha, hb, None if d_col is None else (
            table.column(d_col), halves_of(table.decimals.get(d_col, 0))))
        text = (f"{rule['of'][0]!r} minus {rule['of'][1]!r}" if rule["rule"] == "difference" else
                f"({rule['of'][0]!r} − {rule['of'][1]!r}) / {rule['of'][1]!r} i procent")
        for i in np.flatnonzero(~np.isnan(t) & inconsistent(t, ht, low, high)):
            out.append(_finding(table, i, target, t[i], (low[i], high[i]), text, table.decimals.get(target, 0)))
    return out


def _check_parts_of(table: RRTable, layout: dict) -> list[Finding]:
    """'varav' rows are parts of the row above: together they cannot exceed it (same sign)."""
    is_part_of = table.kinds == "part_of"
    if not is_part_of.any():
        return []
    out: list[Finding] = []
    cols = _amount_columns(table, layout)
    i = 0
    for is_part, run in itertools.groupby(is_part_of):
        parent, i = i - 1, i + len(list(run))
        if not is_part or parent < 0:
            continue
        for col in cols:
            half = halves_of(table.decimals.get(col, 0))
            pv = table.column(col)[parent]
            parts = table.column(col)[parent + 1:i]
            parts = parts[~np.isnan(parts)]
            if np.isnan(pv) or not len(parts) or not (np.all(parts * pv >= 0)):
                continue
            # the row cannot be a rounding of a value as large as its parts together
            if inconsistent(abs(pv), half, abs(parts.sum()) - half * len(parts), np.inf):
                out.append(Finding(table.source_name, int(table.lines[parent]), table.labels[parent], col,
                                   float(pv), None, None, "delposterna ('varav …') under raden är "
                                   "tillsammans större än raden själv", table.decimals.get(col, 0)))
    return out
