"""Hierarchy of an RR table inferred from its labels when no declared layout matches.

Rules:

* a ``subtotal`` row ("Summa …") sums the top-level ``item`` rows directly above it back to the
  previous subtotal or total; a ``total`` row sums the subtotals (and loose top-level items)
  above it back to, and including, the previous total; when these parts do not add up, the
  last rows not yet summed that add up better are taken instead (``Summa kostnader`` under
  ``Intäkter``; a ``Summa`` over ``Summa`` rows), so a wrong figure still shows as one finding;
* ``part_of`` rows ("varav …", "därav …") are never summed: they are parts of the row above
  and would be counted twice;
* nämnd / verksamhet hierarchies: an item followed by more indented items is their parent
  (it equals their sum, and only the parent counts towards the subtotal). Without indentation
  (PDF text) a parent is recognised only by the table's own arithmetic: when a block does not
  add up as flat items, and reading item *i* as the sum of the items right below it is the one
  grouping that makes every amount column (and the block's subtotal) add up, or, when a
  printed figure is wrong, the one grouping that the columns which do add up agree on;
* a column named like a deviation ("Avvikelse", "Diff", "Förändring", not "%") is the
  difference of two other amount columns when exactly one ordered pair fits every row.

Rules carry row positions (``pos``, ``part_pos``) as well as labels, so tables where labels
repeat (one block per nämnd or period) are checked block by block.

Every "does it hold within rounding" question of the RR package (these inferences, the check,
the choice of a row's reading) is asked of one test, :func:`inconsistent`: a printed figure,
± half a unit of its last decimal (:func:`halves_of`), against the range of true values its
printed inputs allow (a sum of parts, :func:`column_range` for a derived column).
"""

from __future__ import annotations

import itertools
import re

import numpy as np

from gnsanalysis.rr.table import RRTable

MAX_PARTS = 60  # rows a summing row may add up when the arithmetic chooses them
DIFF_NAME = re.compile(r"avvik|diff|förändr|\bavv\b", re.IGNORECASE)
COLUMN_RULES = ("difference", "percent_change")  # the derived-column rules of a layout


Rule = tuple[int, list[int], str]  # (summing row, its part rows, "subtotal" | "total" | "parent")


# --------------------------------------------------------------------------- the rounding test

def halves_of(decimals) -> np.ndarray:
    """Half a unit of the last printed decimal (per figure or per column): how far a printed
    figure may lie from the true value it was rounded from."""
    return 0.5 * 10.0 ** -np.asarray(decimals, dtype=float)


def inconsistent(printed, half, low, high) -> np.ndarray:
    """The one rounding test of the RR package: where ``printed`` (± ``half``) cannot be a
    rounding of any true value in ``low`` … ``high`` (the range the printed inputs of a sum, a
    difference or a percentage allow), with a float tolerance of a millionth of ``half`` plus
    ``1e-9``. A missing printed figure (NaN) counts as an exact 0."""
    p = np.nan_to_num(printed)
    hp = np.where(np.isnan(printed), 0.0, half)
    tol = hp + hp * 1e-6 + 1e-9
    return (p < low - tol) | (p > high + tol)


def column_range(rule: str, a, b, ha, hb, printed_difference=None) -> tuple:
    """The range of true values of a derived column, given printed ``a`` and ``b`` (arrays or
    single figures) within their rounding ``ha`` and ``hb``: ``difference`` a − b, or
    ``percent_change`` 100·(a − b)/b (NaN where b may be zero), whose numerator the printed
    difference column (``printed_difference``: figures, half) narrows where it is printed and
    consistent (where it is not, its own rule reports it)."""
    d_lo, d_hi = a - b - ha - hb, a - b + ha + hb
    if rule == "difference":
        return d_lo, d_hi
    if rule != "percent_change":  # pragma: no cover - guarded by the YAML schema test
        raise ValueError(rule)
    if printed_difference is not None:
        figures, hd = printed_difference
        lo, hi = np.maximum(d_lo, figures - hd), np.minimum(d_hi, figures + hd)
        narrow = ~np.isnan(figures) & (lo <= hi)
        d_lo, d_hi = np.where(narrow, lo, d_lo), np.where(narrow, hi, d_hi)
    with np.errstate(divide="ignore", invalid="ignore"):  # where b may be zero: NaN below
        corners = np.array([100.0 * d / den for d in (d_lo, d_hi) for den in (b - hb, b + hb)])
    zero = (b - hb <= 0) & (0 <= b + hb)
    return np.where(zero, np.nan, corners.min(axis=0)), np.where(zero, np.nan, corners.max(axis=0))


def _misses(values: np.ndarray, halves: np.ndarray, total: int, parts: list[int]) -> int:
    """The amount columns in which the printed total is not the sum of printed parts within rounding."""
    s, spread = np.nansum(values[parts], axis=0), halves * np.count_nonzero(~np.isnan(values[parts]), axis=0)
    return int(np.count_nonzero(inconsistent(values[total], halves, s - spread, s + spread)))


# --------------------------------------------------------------------------- sums and parents

def summing_rules(kinds, levels=None, empty=None, arith=None) -> list[Rule]:
    """The summing rules of every subtotal and total row, in row order, then the parents.

    One pass over the rows: top-level items collect in a block, which the next subtotal sums;
    subtotals and loose items collect in a section, which the next total sums (the previous
    total included). An item followed by more indented items (``levels``) is their parent. A
    row without figures (``empty``) right after a total and followed by another row than a
    total is a heading that starts a new block from an empty state.

    ``arith``: (values, halves) of the amount columns. With it, a summing row whose parts by
    label do not add up takes the last k rows not yet summed when they add up better
    (:func:`_best_run`: "Summa kostnader" under "Intäkter" sums the cost rows only, a "Summa"
    over two "Summa" rows sums them), and a heading after a total ("Finansiella poster") starts
    a block only when the next total does not add up better with the rows above the heading.
    The rows a sum leaves out count in the next total.
    """
    n = len(kinds)
    levels = list(levels) if levels is not None and len(levels) == n else [0] * n
    empty = list(empty) if empty is not None and len(empty) == n else [False] * n
    values, halves = arith if arith else (np.zeros((0, 0)), np.zeros(0))
    rules: list[Rule] = []
    carried: list[int] = []  # what a heading's new block left behind, for the next total
    block: list[int] = []  # top-level items since the last subtotal/total
    section: list[int] = []  # subtotals and loose items since the last total
    stack: list[tuple[int, int]] = []  # (level, pos) of open parents
    children: dict[int, list[int]] = {}
    for pos, kind in enumerate(kinds):
        if kind == "item" and empty[pos] and 0 < pos < n - 1 and kinds[pos - 1] == "total" \
                and kinds[pos + 1] != "total":  # a heading: a new block
            carried = section if arith else []
            block, section, stack = [], [], []
        elif kind == "item":
            while stack and stack[-1][0] >= levels[pos]:
                stack.pop()
            (children.setdefault(stack[-1][1], []) if stack else block).append(pos)
            stack.append((levels[pos], pos))
        elif kind in ("subtotal", "total"):
            stack = []
            units = section + block  # the rows not yet summed, in print order
            parts, left = (block, section) if kind == "subtotal" else (units, [])
            if kind == "total" and carried and (_misses(values, halves, pos, carried + parts)
                                                < _misses(values, halves, pos, parts)):
                parts = carried + parts
            k = _best_run(pos, units, parts, values, halves) if arith and units else None
            if k:
                parts, left = units[-k:], units[:-k]
            if parts:
                rules.append((pos, list(parts), kind))
            section, block, carried = left + [pos], [], []
    return rules + [(parent, kids, "parent") for parent, kids in children.items()]


def _best_run(pos: int, units: list[int], parts: list[int], values, halves) -> int | None:
    """The k for which the last k unsummed rows add up to row ``pos`` better than its parts by
    label do (in fewer amount columns missed than under any other k), else None."""
    base = _misses(values, halves, pos, parts) if parts else values.shape[1] + 1
    if base == 0:
        return None
    last = values[units[::-1][:MAX_PARTS]]  # the rows not yet summed, nearest first
    sums, spread = np.cumsum(np.nan_to_num(last), axis=0), halves * np.cumsum(~np.isnan(last), axis=0)
    runs = np.count_nonzero(inconsistent(values[pos], halves, sums - spread, sums + spread), axis=1)
    best = int(runs.min())
    return int(runs.argmin()) + 1 if best < base and np.count_nonzero(runs == best) == 1 else None


def _grouping(values, halves, pos, parts, kind) -> list[Rule] | None:
    """The rules of the one parent/children grouping of ``parts`` that fits in every column of
    ``values``, or None: every parent is the sum of the rows right below it and the subtotal
    the sum of the top rows."""
    top, extra, i = [], [], 0
    while i < len(parts):
        spans = [k for k in range(2, len(parts) - i) if not _misses(values, halves, parts[i], parts[i + 1:i + 1 + k])]
        if len(spans) > 1:
            return None
        top.append(parts[i])
        if spans:
            extra.append((parts[i], parts[i + 1:i + 1 + spans[0]], "parent"))
            i += 1 + spans[0]
        else:
            i += 1
    return [(pos, top, kind)] + extra if extra and not _misses(values, halves, pos, top) else None


def part_sums(parts: np.ndarray, rid: np.ndarray, n_rules: int):
    """Sum (NaN as 0) and count of printed parts per rule (``rid``: the rule of each part)."""
    s = np.bincount(rid, weights=np.nan_to_num(parts), minlength=n_rules)
    return s, np.bincount(rid, weights=(~np.isnan(parts)).astype(float), minlength=n_rules)


def _arith_parents(values, halves, rules: list[Rule]) -> list[Rule]:
    """Subtotals of three or more parts that do not add up as flat items, re-read as parents and
    children when exactly one grouping fits (:func:`_grouping`).

    When none fits (a printed figure is wrong), the grouping is read from the columns in which
    it holds, when they all give the same one: the wrong figure then shows at its nämnd or at
    the subtotal, instead of a subtotal that counts nämnd and verksamhet twice.
    """
    out: list[Rule] = []
    for pos, parts, kind in rules:
        regrouped = None
        if kind == "subtotal" and len(parts) >= 3 and _misses(values, halves, pos, parts):
            regrouped = _grouping(values, halves, pos, parts, kind)
            if regrouped is None and values.shape[1] > 1:
                found = {tuple(map(repr, g)): g for c in range(values.shape[1])
                         if (g := _grouping(values[:, [c]], halves[[c]], pos, parts, kind)) is not None}
                regrouped = next(iter(found.values())) if len(found) == 1 else None
        out += regrouped or [(pos, parts, kind)]
    return out


def difference_pairs(V: np.ndarray, D: np.ndarray, names: list[str], amount_idx: list[int]):
    """(target, a, b) where column ``target`` = a − b, proven by the rows.

    Evidence: the target is named like a deviation; the pair fits at least two rows and at
    least two thirds of the rows where all three are printed (a printing error in one row must
    not hide the rule), and no other pair fits as well. ``D`` holds the printed decimals per
    row and column, or per column only (shape ``(columns,)``) when a column has one precision.
    """
    targets = [t for t in amount_idx if DIFF_NAME.search(names[t])]
    if not targets:
        return []
    V = np.asfortranarray(V)  # whole columns are read below
    H = halves_of(D)
    present = {j: ~np.isnan(V[:, j]) for j in amount_idx}
    sources = [j for j in amount_idx if not DIFF_NAME.search(names[j])]
    out = []
    for t in targets:
        t_ok = present[t] & (V[:, t] != 0)
        fits = []
        for a, b in itertools.permutations(sources, 2):
            n_ok = _pair_fits(V, H, (t, a, b), t_ok & present[a] & present[b])
            if n_ok is not None:
                fits.append((n_ok, a, b))
        fits.sort(reverse=True)
        if fits and (len(fits) == 1 or fits[0][0] > fits[1][0]):
            out.append((t, fits[0][1], fits[0][2]))
    return out


def _pair_fits(V: np.ndarray, H: np.ndarray, cols: tuple[int, int, int], mask: np.ndarray) -> int | None:
    """The number of rows where column t = a − b within the rounding of the three printed
    figures (``H``: their halves, per column or per row and column), when that is at least two
    rows and two thirds of the rows in ``mask``; else None."""
    t, a, b = cols
    n_mask = int(np.count_nonzero(mask))
    if n_mask < 2:
        return None
    diff, spread = V[:, a] - V[:, b], H[..., a] + H[..., b]
    n_ok = int(np.count_nonzero(~inconsistent(V[:, t], H[..., t], diff - spread, diff + spread) & mask))
    return n_ok if n_ok >= 2 and n_ok * 3 >= 2 * n_mask else None


def infer_columns(table: RRTable, amount: list[str], V: np.ndarray) -> list[dict]:
    """Difference columns proven by the table's rows ``V`` (see :func:`difference_pairs`)."""
    names = list(table.value_columns)
    idx = [names.index(c) for c in amount]
    D = np.array([table.decimals.get(c, 0) for c in names], dtype=float)
    return [{"name": names[t], "rule": "difference", "of": [names[a], names[b]], "inferred": True}
            for t, a, b in difference_pairs(V, D, names, idx)]


def infer_layout(table: RRTable) -> dict:
    """A layout dict (same shape as config/rr_layouts.yaml entries) built from row kinds: the
    summing rules (:func:`summing_rules`, by label, or by the arithmetic where the parts by
    label do not all add up; then :func:`_arith_parents`) sorted by row, each with its rows'
    positions, and the difference columns the rows prove."""
    names, labels = list(table.value_columns), list(table.labels)
    amount = [c for c in names if "%" not in c]
    V = np.asfortranarray(table.figures, dtype=float)  # column-major, one contiguous array per column
    empty = np.isnan(V).all(axis=1) if names else None
    rules = summing_rules(list(table.kinds), table.levels, empty)
    if amount and len(V):
        values = V[:, [names.index(c) for c in amount]]
        halves = halves_of([table.decimals.get(c, 0) for c in amount])
        if any(_misses(values, halves, pos, parts) for pos, parts, _ in rules):
            rules = summing_rules(list(table.kinds), table.levels, empty, (values, halves))
        rules = _arith_parents(values, halves, sorted(rules, key=_row))
    totals = []
    for pos, parts, kind in sorted(rules, key=_row):
        rule = {"row": labels[pos], "parts": [labels[p] for p in parts], "pos": pos, "part_pos": parts}
        if kind == "total":
            rule["kind"] = "total"
        totals.append(rule)
    return {"id": "inferred", "name": "härledd från radetiketterna", "totals": totals,
            "columns": infer_columns(table, amount, V), "amount_columns": amount,
            "percent_columns": [c for c in names if "%" in c]}


def _row(rule: Rule) -> int:
    return rule[0]
