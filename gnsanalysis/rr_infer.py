"""Hierarchy of an RR table inferred from its labels when no declared layout matches.

Rules:

* a ``subtotal`` row ("Summa …") sums the top-level ``item`` rows directly above it back to the
  previous subtotal or total; a ``total`` row sums the subtotals (and loose top-level items)
  above it back to, and including, the previous total;
* ``part_of`` rows ("varav …", "därav …") are never summed: they are parts of the row above
  and would be counted twice;
* nämnd / verksamhet hierarchies: an item followed by more indented items is their parent
  (it equals their sum, and only the parent counts towards the subtotal). Without indentation
  (PDF text) a parent is recognised only by the table's own arithmetic: when a block does not
  add up as flat items, and reading item *i* as the sum of the items right below it is the one
  grouping that makes every amount column (and the block's subtotal) add up;
* a column named like a deviation ("Avvikelse", "Diff", "Förändring", not "%") is the
  difference of two other amount columns when exactly one ordered pair fits every row.

Rules carry row positions (``pos``, ``part_pos``) as well as labels, so tables where labels
repeat (one block per nämnd or period) are checked block by block.
"""

from __future__ import annotations

import re

import numpy as np

from .rr import RRTable

_DIFF_NAME = re.compile(r"avvik|diff|förändr|\bavv\b", re.IGNORECASE)


def _half(decimals: dict, col: str) -> float:
    return 0.5 * 10.0 ** -decimals.get(col, 0)


def positional_rules(kinds: list[str], levels: list[int] | None = None,
                     empty: list[bool] | None = None) -> list[tuple[int, list[int], str]]:
    """(row position, part positions, kind) for every summing row, from kinds and indentation.

    ``empty`` marks rows without any figure: such a row right after a total and followed by
    an ordinary row is a heading that starts a new block (one nämnd or period in an export),
    so the next total does not carry the previous block's total.
    """
    levels = list(levels) if levels is not None and len(levels) == len(kinds) else [0] * len(kinds)
    empty = list(empty) if empty is not None and len(empty) == len(kinds) else [False] * len(kinds)
    rules: list[tuple[int, list[int], str]] = []
    block: list[int] = []  # top-level items since the last subtotal/total
    section: list[int] = []  # subtotals and loose items since the last total
    stack: list[tuple[int, int]] = []  # (level, pos) of open parents
    children: dict[int, list[int]] = {}
    for pos, kind in enumerate(kinds):
        if (empty[pos] and kind == "item" and pos > 0 and kinds[pos - 1] == "total"
                and pos + 1 < len(kinds) and kinds[pos + 1] != "total"):
            block, section, stack = [], [], []
            continue
        if kind == "item":
            while stack and stack[-1][0] >= levels[pos]:
                stack.pop()
            if stack:
                children.setdefault(stack[-1][1], []).append(pos)
            else:
                block.append(pos)
            stack.append((levels[pos], pos))
        elif kind == "subtotal":
            stack = []
            if block:
                rules.append((pos, list(block), "subtotal"))
            section.append(pos)
            block = []
        elif kind == "total":
            stack = []
            parts = section + block
            if parts:
                rules.append((pos, parts, "total"))
            section, block = [pos], []
    for parent, kids in children.items():
        rules.append((parent, kids, "parent"))
    return rules


def _fits(values: np.ndarray, halves: np.ndarray, total: int, parts: list[int]) -> bool:
    """Printed total equals the sum of printed parts within rounding, in every amount column."""
    t = values[total]
    p = values[parts]
    n = np.sum(~np.isnan(p), axis=0)
    s = np.nansum(p, axis=0)
    tv = np.nan_to_num(t)
    tol = halves * (n + (~np.isnan(t)).astype(int)) + 1e-9
    return bool(np.all(np.abs(tv - s) <= tol))


def _fits_all(values, halves, rules) -> np.ndarray:
    """_fits for every rule at once."""
    if not rules:
        return np.zeros(0, dtype=bool)
    pos = np.array([r[0] for r in rules], dtype=np.int64)
    flat = np.array([p for r in rules for p in r[1]], dtype=np.int64)
    rid = np.repeat(np.arange(len(rules)), [len(r[1]) for r in rules])
    ok = np.ones(len(rules), dtype=bool)
    for j in range(values.shape[1]):
        v = values[:, j]
        parts = v[flat]
        s = np.bincount(rid, weights=np.nan_to_num(parts), minlength=len(rules))
        n = np.bincount(rid, weights=(~np.isnan(parts)).astype(float), minlength=len(rules))
        t = v[pos]
        tol = halves[j] * (n + (~np.isnan(t)).astype(float)) + 1e-9
        ok &= np.abs(np.nan_to_num(t) - s) <= tol
    return ok


def _arith_parents(values, halves, kinds, rules):
    """Re-read flat blocks that do not add up as parent + children, when one grouping fits."""
    out = []
    ok_all = _fits_all(values, halves, rules)
    for r, (pos, parts, kind) in enumerate(rules):
        if kind != "subtotal" or len(parts) < 3 or ok_all[r]:
            out.append((pos, parts, kind))
            continue
        top, extra, i, ok = [], [], 0, True
        while i < len(parts):
            spans = [k for k in range(2, len(parts) - i)
                     if _fits(values, halves, parts[i], parts[i + 1:i + 1 + k])]
            if len(spans) > 1:
                ok = False
                break
            top.append(parts[i])
            if spans:
                extra.append((parts[i], parts[i + 1:i + 1 + spans[0]], "parent"))
                i += 1 + spans[0]
            else:
                i += 1
        if ok and extra and _fits(values, halves, pos, top):
            out.append((pos, top, kind))
            out += extra
        else:
            out.append((pos, parts, kind))
    # totals built on re-read subtotals keep their parts (subtotal positions are unchanged)
    return out


def difference_pairs(V: np.ndarray, D: np.ndarray, names: list[str], amount_idx: list[int]):
    """(target, a, b) where column ``target`` = a − b, proven by the rows.

    Evidence: the target is named like a deviation; the pair fits at least two rows and at
    least two thirds of the rows where all three are printed (a printing error in one row must
    not hide the rule), and no other pair fits as well.
    """
    out = []
    for t in amount_idx:
        if not _DIFF_NAME.search(names[t]):
            continue
        fits = []
        for a in amount_idx:
            for b in amount_idx:
                if len({a, b, t}) < 3 or _DIFF_NAME.search(names[a]) or _DIFF_NAME.search(names[b]):
                    continue
                tv, av, bv = V[:, t], V[:, a], V[:, b]
                mask = ~(np.isnan(tv) | np.isnan(av) | np.isnan(bv)) & (tv != 0)
                if mask.sum() < 2:
                    continue
                tol = 0.5 * (10.0 ** -D[:, t] + 10.0 ** -D[:, a] + 10.0 ** -D[:, b]) + 1e-9
                ok = (np.abs(tv - (av - bv)) <= tol)[mask]
                if ok.sum() >= 2 and ok.sum() * 3 >= 2 * mask.sum():
                    fits.append((int(ok.sum()), a, b))
        fits.sort(reverse=True)
        if len(fits) == 1 or (len(fits) > 1 and fits[0][0] > fits[1][0]):
            out.append((t, fits[0][1], fits[0][2]))
    return out


def infer_columns(table: RRTable, amount: list[str]) -> list[dict]:
    """Difference columns proven by the table's rows (see :func:`difference_pairs`)."""
    frame = table.frame
    names = list(table.value_columns)
    idx = [names.index(c) for c in amount]
    V = frame[names].to_numpy(dtype=float)
    D = np.array([[table.decimals.get(c, 0) for c in names]] * len(frame), dtype=float).reshape(len(frame), len(names))
    return [{"name": names[t], "rule": "difference", "of": [names[a], names[b]], "inferred": True}
            for t, a, b in difference_pairs(V, D, names, idx)]


def infer_layout(table: RRTable) -> dict:
    """A layout dict (same shape as config/rr_layouts.yaml entries) built from row kinds."""
    kinds = list(table.frame["kind"])
    labels = list(table.frame["label"])
    amount = [c for c in table.value_columns if "%" not in c]
    empty = table.frame[table.value_columns].isna().all(axis=1).tolist() if table.value_columns else None
    rules = positional_rules(kinds, getattr(table, "levels", None) or None, empty)
    if amount and len(table.frame):
        values = table.frame[amount].to_numpy(dtype=float)
        halves = np.array([_half(table.decimals, c) for c in amount])
        rules = _arith_parents(values, halves, kinds, rules)
    totals = []
    for pos, parts, kind in rules:
        rule = {"row": labels[pos], "parts": [labels[p] for p in parts], "pos": pos,
                "part_pos": list(parts)}
        if kind == "total":
            rule["kind"] = "total"
        totals.append(rule)
    totals.sort(key=lambda r: r["pos"])
    return {"id": "inferred", "name": "härledd från radetiketterna", "totals": totals,
            "columns": infer_columns(table, amount),
            "amount_columns": amount,
            "percent_columns": [c for c in table.value_columns if "%" in c]}
