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
"""

from __future__ import annotations

import re

import numpy as np

from gnsanalysis.rr.table import RRTable

MAX_PARTS = 60  # rows a summing row may add up when the arithmetic chooses them
DIFF_NAME = re.compile(r"avvik|diff|förändr|\bavv\b", re.IGNORECASE)


_ITEM, _SUBTOTAL, _TOTAL, _OTHER, _RESET = 0, 1, 2, 3, 4
_KIND_CODES = {"item": _ITEM, "subtotal": _SUBTOTAL, "total": _TOTAL}
_RULE_KINDS = ("subtotal", "total", "parent")


class RuleArrays:
    """Summing rules as arrays: rule ``i`` says row ``pos[i]`` = sum of rows ``parts_of(i)``.

    ``kind`` holds 0 (subtotal), 1 (total) or 2 (parent); the parts of all rules are stored one
    after another in ``parts``, rule ``i``'s at ``offsets[i]:offsets[i + 1]``.
    """

    def __init__(self, pos, kind, offsets, parts):
        self.pos = np.asarray(pos, dtype=np.int64)
        self.kind = np.asarray(kind, dtype=np.int8)
        self.offsets = np.asarray(offsets, dtype=np.int64)
        self.parts = np.asarray(parts, dtype=np.int64)

    def __len__(self) -> int:
        return len(self.pos)

    @property
    def sizes(self) -> np.ndarray:
        """Number of parts of each rule."""
        return np.diff(self.offsets)

    def parts_of(self, i: int) -> np.ndarray:
        """The part positions of rule ``i``."""
        return self.parts[self.offsets[i]:self.offsets[i + 1]]

    def take(self, order) -> "RuleArrays":
        """The rules in ``order``."""
        order = np.asarray(order, dtype=np.int64)
        sizes = self.sizes[order]
        offsets = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
        gather = np.repeat(self.offsets[:-1][order] - offsets[:-1], sizes) + np.arange(offsets[-1])
        return RuleArrays(self.pos[order], self.kind[order], offsets, self.parts[gather])

    @staticmethod
    def from_list(rules) -> "RuleArrays":
        """From (pos, parts, kind) tuples (kind a name in _RULE_KINDS)."""
        sizes = [len(r[1]) for r in rules]
        offsets = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
        parts = [p for r in rules for p in r[1]]
        return RuleArrays([r[0] for r in rules], [_RULE_KINDS.index(r[2]) for r in rules], offsets, parts)


def _sequential_rules(codes, levels, arith=None) -> list[tuple[int, list[int], int]]:
    """(position, part positions, kind code) of every rule in row order, parents last.

    ``codes``: _ITEM, _SUBTOTAL, _TOTAL, _OTHER, or _RESET for a heading that starts a block.
    ``arith``: (values, halves) of the amount columns. With it, a summing row
    whose parts by label do not add up takes the last k rows not yet summed when they add up
    better (:func:`_best_run`: "Summa kostnader" under "Intäkter" sums the cost rows only, a
    "Summa" over two "Summa" rows sums them), and a heading after a total ("Finansiella
    poster") starts a block only when the next total does not add up better with the rows
    above the heading. The rows a sum leaves out count in the next total.
    """
    rules: list[tuple[int, list[int], int]] = []
    carried: list[int] = []  # what a heading's new block left behind, for the next total
    values, halves = arith if arith else (np.zeros((0, 0)), np.zeros(0))
    block: list[int] = []  # top-level items since the last subtotal/total
    section: list[int] = []  # subtotals and loose items since the last total
    stack: list[tuple[int, int]] = []  # (level, pos) of open parents
    children: dict[int, list[int]] = {}
    for pos, code in enumerate(codes):
        if code == _RESET:
            carried = section if arith else []
            block, section, stack = [], [], []
            continue
        if code == _ITEM:
            while stack and stack[-1][0] >= levels[pos]:
                stack.pop()
            if stack:
                children.setdefault(stack[-1][1], []).append(pos)
            else:
                block.append(pos)
            stack.append((levels[pos], pos))
        elif code in (_SUBTOTAL, _TOTAL):
            stack = []
            units = section + block  # the rows not yet summed, in print order
            parts, left = (block, section) if code == _SUBTOTAL else (units, [])
            if code == _TOTAL and carried and (_misses(values, halves, pos, carried + parts)
                                               < _misses(values, halves, pos, parts)):
                parts = carried + parts
            k = _best_run(pos, units, parts, values, halves) if arith and units else None
            if k:
                parts, left = units[-k:], units[:-k]
            if parts:
                rules.append((pos, list(parts), code - 1))
            section, block, carried = left + [pos], [], []
    for parent, kids in children.items():
        rules.append((parent, kids, 2))
    return rules


def _best_run(pos: int, units: list[int], parts: list[int], values, halves) -> int | None:
    """The k for which the last k unsummed rows add up to row ``pos`` better than its parts by
    label do (in fewer amount columns missed than under any other k), else None."""
    base = _misses(values, halves, pos, parts) if parts else values.shape[1] + 1
    if base == 0:
        return None
    last = values[units[::-1][:MAX_PARTS]]  # the rows not yet summed, nearest first
    t = values[pos]
    tol = halves * (np.cumsum(~np.isnan(last), axis=0) + (~np.isnan(t)).astype(int)) + 1e-9
    runs = np.count_nonzero(np.abs(np.nan_to_num(t) - np.cumsum(np.nan_to_num(last), axis=0)) > tol, axis=1)
    best = int(runs.min())
    return int(runs.argmin()) + 1 if best < base and np.count_nonzero(runs == best) == 1 else None


def rule_arrays(kinds, levels=None, empty=None, arith=None) -> RuleArrays:
    """(row, parts, kind) rules for every summing row, from kinds and indentation, as arrays:
    subtotals and totals by row, then parents by row.

    A row without figures right after a total and followed by an ordinary row is a heading
    that starts a new block (the rules are built from an empty state from there), unless
    ``arith`` (the arithmetic, see :func:`_sequential_rules`) says the block goes on.
    """
    kinds = np.asarray(kinds, dtype=object)
    codes = np.full(len(kinds), _OTHER, dtype=np.int64)
    for name, code in _KIND_CODES.items():
        codes[kinds == name] = code
    n = len(codes)
    levels = np.zeros(n, dtype=np.int64) if levels is None or len(levels) != n else np.asarray(levels)
    empty = np.zeros(n, dtype=bool) if empty is None or len(empty) != n else np.asarray(empty, dtype=bool)
    if n > 2:
        codes[1:-1][empty[1:-1] & (codes[1:-1] == _ITEM) & (codes[:-2] == _TOTAL) & (codes[2:] != _TOTAL)] = _RESET
    rules = _sequential_rules(codes.tolist(), levels.tolist(), arith)
    return RuleArrays.from_list([(p, parts, _RULE_KINDS[k]) for p, parts, k in rules])


def _by_pos(r: RuleArrays) -> RuleArrays:
    """The rules sorted by row, stable."""
    return r.take(np.argsort(r.pos, kind="stable"))


def _misses(values: np.ndarray, halves: np.ndarray, total: int, parts: list[int]) -> int:
    """The amount columns in which the printed total is not the sum of printed parts within rounding."""
    t = values[total]
    p = values[parts]
    n = np.sum(~np.isnan(p), axis=0)
    s = np.nansum(p, axis=0)
    tv = np.nan_to_num(t)
    tol = halves * (n + (~np.isnan(t)).astype(int)) + 1e-9
    return int(np.count_nonzero(np.abs(tv - s) > tol))


def _reread_block(values, halves, pos, parts, kind):
    """One subtotal rule, re-read as parents and children when exactly one grouping fits.

    A grouping fits when every parent is the sum of the rows right below it and the subtotal
    the sum of the top rows, in every amount column. When none does (a printed figure is
    wrong), the grouping is read from the columns in which it holds, when they all give the
    same one: the wrong figure then shows at its nämnd or at the subtotal, instead of a
    subtotal that counts nämnd and verksamhet twice.
    """
    rules = _grouping(values, halves, pos, parts, kind)
    if rules is None and values.shape[1] > 1:
        found = {tuple(map(repr, g)): g for c in range(values.shape[1])
                 if (g := _grouping(values[:, [c]], halves[[c]], pos, parts, kind)) is not None}
        rules = next(iter(found.values())) if len(found) == 1 else None
    return rules or [(pos, parts, kind)]


def _grouping(values, halves, pos, parts, kind):
    """The rules of the one parent/children grouping of ``parts`` that fits in every column of
    ``values`` (see _reread_block), or None."""
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


def _fits_arrays(values, halves, r: RuleArrays) -> np.ndarray:
    """Whether each rule's printed total is the sum of its printed parts within rounding, in
    every column of ``values`` (the arithmetic of :func:`_misses`, for rules given as arrays)."""
    rid = np.repeat(np.arange(len(r)), r.sizes)
    ok = np.ones(len(r), dtype=bool)
    for j in range(values.shape[1]):
        s, n = part_sums(values[r.parts, j], rid, len(r))
        t = values[r.pos, j]
        ok &= np.abs(np.nan_to_num(t) - s) <= halves[j] * (n + ~np.isnan(t)) + 1e-9
    return ok


def _arith_parents_arrays(values, halves, r: RuleArrays) -> RuleArrays:
    """Subtotals that do not add up as flat items re-read as parents and children
    (:func:`_reread_block`), sorted by row (stable) as infer_layout lists them."""
    r = _by_pos(r)
    bad = (r.kind == 0) & (r.sizes >= 3) & ~_fits_arrays(values, halves, r) if len(r) else []
    if not np.any(bad):
        return r
    rules: list[tuple[int, list[int], str]] = []
    for i in range(len(r)):
        rule = (int(r.pos[i]), r.parts_of(i).tolist(), _RULE_KINDS[int(r.kind[i])])
        rules += _reread_block(values, halves, *rule) if bad[i] else [rule]
    return RuleArrays.from_list(sorted(rules, key=lambda rule: rule[0]))


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
    scale = 10.0 ** -np.asarray(D).astype(float)
    present = {j: ~np.isnan(V[:, j]) for j in amount_idx}
    sources = [j for j in amount_idx if not DIFF_NAME.search(names[j])]
    out = []
    for t in targets:
        t_ok = present[t] & (V[:, t] != 0)
        fits = []
        for a in sources:
            for b in sources:
                if len({a, b, t}) < 3:
                    continue
                n_ok = _pair_fits(V, scale, (t, a, b), t_ok & present[a] & present[b])
                if n_ok is not None:
                    fits.append((n_ok, a, b))
        fits.sort(reverse=True)
        if len(fits) == 1 or (len(fits) > 1 and fits[0][0] > fits[1][0]):
            out.append((t, fits[0][1], fits[0][2]))
    return out


def _pair_fits(V: np.ndarray, scale: np.ndarray, cols: tuple[int, int, int], mask: np.ndarray) -> int | None:
    """The number of rows where column t = a − b within the rounding of the three printed
    figures, when that is at least two rows and two thirds of the rows in ``mask``; else None."""
    t, a, b = cols
    n_mask = int(np.count_nonzero(mask))
    if n_mask < 2:
        return None
    tv, av, bv = V[:, t], V[:, a], V[:, b]
    # per column (shape (columns,)) or per row and column: one tolerance per row either way
    tol = np.broadcast_to(0.5 * (scale[..., t] + scale[..., a] + scale[..., b]) + 1e-9, tv.shape)

    n_ok = int(np.count_nonzero((np.abs(tv - (av - bv)) <= tol) & mask))
    return n_ok if n_ok >= 2 and n_ok * 3 >= 2 * n_mask else None


def infer_columns(table: RRTable, amount: list[str], V: np.ndarray) -> list[dict]:
    """Difference columns proven by the table's rows ``V`` (see :func:`difference_pairs`)."""
    names = list(table.value_columns)
    idx = [names.index(c) for c in amount]
    D = np.array([table.decimals.get(c, 0) for c in names], dtype=float)
    return [{"name": names[t], "rule": "difference", "of": [names[a], names[b]], "inferred": True}
            for t, a, b in difference_pairs(V, D, names, idx)]


def infer_rules(table: RRTable) -> tuple["RuleArrays", dict]:
    """The inferred summing rules as arrays, and the rest of the inferred layout."""
    names = list(table.value_columns)
    amount = [c for c in names if "%" not in c]
    V = np.asfortranarray(table.figures, dtype=float)  # column-major, one contiguous array per column
    empty = np.isnan(V).all(axis=1) if names else None
    kinds, levels = table.kinds, table.levels or None
    if amount and len(V):
        values = V if amount == names else V[:, [names.index(c) for c in amount]]
        halves = np.array([0.5 * 10.0 ** -table.decimals.get(c, 0) for c in amount])
        rules = rule_arrays(kinds, levels, empty)
        if not _fits_arrays(values, halves, rules).all():  # the parts by label do not all add up
            rules = rule_arrays(kinds, levels, empty, (values, halves))
        rules = _arith_parents_arrays(values, halves, rules)
    else:
        rules = _by_pos(rule_arrays(kinds, levels, empty))
    rest = {"id": "inferred", "name": "härledd från radetiketterna",
            "columns": infer_columns(table, amount, V), "amount_columns": amount,
            "percent_columns": [c for c in names if "%" in c]}
    return rules, rest


def infer_layout(table: RRTable) -> dict:
    """A layout dict (same shape as config/rr_layouts.yaml entries) built from row kinds."""
    rules, rest = infer_rules(table)
    labels = list(table.labels)
    totals = []
    for i in range(len(rules)):
        pos, parts = int(rules.pos[i]), rules.parts_of(i).tolist()
        rule = {"row": labels[pos], "parts": [labels[p] for p in parts], "pos": pos, "part_pos": parts}
        if rules.kind[i] == 1:
            rule["kind"] = "total"
        totals.append(rule)
    return {"id": rest["id"], "name": rest["name"], "totals": totals, "columns": rest["columns"],
            "amount_columns": rest["amount_columns"], "percent_columns": rest["percent_columns"]}
