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

from gnsanalysis.rr.table import RRTable

_SAMPLE = 2048  # rows tried first when looking for a difference column
_DIFF_NAME = re.compile(r"avvik|diff|förändr|\bavv\b", re.IGNORECASE)


def _half(decimals: dict, col: str) -> float:
    return 0.5 * 10.0 ** -decimals.get(col, 0)


_ITEM, _SUBTOTAL, _TOTAL, _OTHER, _RESET = 0, 1, 2, 3, 4
_KIND_CODES = {"item": _ITEM, "subtotal": _SUBTOTAL, "total": _TOTAL}
_RULE_KINDS = ("subtotal", "total", "parent")


def positional_rules(kinds: list[str], levels: list[int] | None = None,
                     empty: list[bool] | None = None) -> list[tuple[int, list[int], str]]:
    """(row position, part positions, kind) for every summing row, from kinds and indentation.

    ``empty`` marks rows without any figure: such a row right after a total and followed by
    an ordinary row is a heading that starts a new block (one nämnd or period in an export),
    so the next total does not carry the previous block's total.
    """
    r = rule_arrays(kinds, levels, empty)
    return [(int(p), r.parts_of(i).tolist(), _RULE_KINDS[k]) for i, (p, k) in enumerate(zip(r.pos, r.kind))]


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
        self.sums: dict[str, tuple[np.ndarray, np.ndarray]] = {}  # column -> (sum, count) of parts
        # the same rules by block shape, when known: (segment starts, segment length,
        # [(rule position, part positions) relative to the segment start]); see rule_arrays
        self.shapes: list[tuple[np.ndarray, int, list[tuple[int, list[int]]]]] | None = None

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
        offsets = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64) if rules else np.zeros(1, np.int64)
        parts = [p for r in rules for p in r[1]]
        return RuleArrays([r[0] for r in rules], [_RULE_KINDS.index(r[2]) for r in rules], offsets, parts)

    @staticmethod
    def concat(items: list["RuleArrays"]) -> "RuleArrays":
        """The rules of ``items`` one after another."""
        items = [r for r in items if len(r)]
        if not items:
            return RuleArrays([], [], [0], [])
        offsets, base = [np.zeros(1, np.int64)], 0
        for r in items:
            offsets.append(r.offsets[1:] + base)
            base += r.offsets[-1]
        return RuleArrays(np.concatenate([r.pos for r in items]), np.concatenate([r.kind for r in items]),
                          np.concatenate(offsets), np.concatenate([r.parts for r in items]))


def _segment_rules(codes, levels) -> list[tuple[int, list[int], int]]:
    """The sequential rule builder for one segment that starts from an empty state.

    ``codes``: _ITEM, _SUBTOTAL, _TOTAL, _OTHER, or _RESET for a heading that starts a block.
    Returns (position in the segment, part positions, kind code) in the order the rules are
    found, parents last (as :func:`positional_rules` lists them).
    """
    rules: list[tuple[int, list[int], int]] = []
    block: list[int] = []  # top-level items since the last subtotal/total
    section: list[int] = []  # subtotals and loose items since the last total
    stack: list[tuple[int, int]] = []  # (level, pos) of open parents
    children: dict[int, list[int]] = {}
    for pos, code in enumerate(codes):
        if code == _RESET:
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
        elif code == _SUBTOTAL:
            stack = []
            if block:
                rules.append((pos, list(block), 0))
            section.append(pos)
            block = []
        elif code == _TOTAL:
            stack = []
            parts = section + block
            if parts:
                rules.append((pos, parts, 1))
            section, block = [pos], []
    for parent, kids in children.items():
        rules.append((parent, kids, 2))
    return rules


def rule_arrays(kinds, levels=None, empty=None, *, codes=None) -> RuleArrays:
    """:func:`positional_rules` as arrays, built once per distinct block shape.

    Headings that start a new block cut the table into segments that are built independently;
    segments with the same kinds and indentation (one per nämnd and month in an export) get
    the same rules, shifted to their rows, so each distinct shape is built once.
    """
    if codes is None:
        kinds = np.asarray(kinds, dtype=object) if not isinstance(kinds, np.ndarray) else kinds
        codes = np.full(len(kinds), _OTHER, dtype=np.int64)
        for name, code in _KIND_CODES.items():
            codes[kinds == name] = code
    codes = np.array(codes, dtype=np.int64)
    n = len(codes)
    if levels is None or len(levels) != n:
        levels = np.zeros(n, dtype=np.int64)
    levels = np.asarray(levels, dtype=np.int64)
    if empty is None or len(empty) != n:
        empty = np.zeros(n, dtype=bool)
    empty = np.asarray(empty, dtype=bool)
    if not n:
        return RuleArrays([], [], [0], [])
    reset = np.zeros(n, dtype=bool)
    if n > 2:
        reset[1:-1] = (empty[1:-1] & (codes[1:-1] == _ITEM) & (codes[:-2] == _TOTAL)
                       & (codes[2:] != _TOTAL))
    codes[reset] = _RESET
    starts = np.concatenate([[0], np.flatnonzero(reset)])  # reset[0] is never set
    lengths = np.diff(np.concatenate([starts, [n]]))
    sub_tot, parents, shapes = [], [], []
    for batch in _same_shape_batches(codes, levels, starts, lengths):
        length = int(lengths[batch[0]])
        s0 = int(starts[batch[0]])
        rel = _segment_rules(codes[s0:s0 + length].tolist(), levels[s0:s0 + length].tolist())
        if not rel:
            continue
        base = starts[np.asarray(batch)][:, None]
        shapes.append((base[:, 0], length, [(r[0], r[1]) for r in rel]))
        for kind_sel, out in ((lambda k: k != 2, sub_tot), (lambda k: k == 2, parents)):
            chosen = [r for r in rel if kind_sel(r[2])]
            if not chosen:
                continue
            rel_pos = np.array([r[0] for r in chosen], dtype=np.int64)
            rel_parts = np.array([p for r in chosen for p in r[1]], dtype=np.int64)
            sizes = np.array([len(r[1]) for r in chosen], dtype=np.int64)
            m = len(base)
            pos = (base + rel_pos).reshape(-1)
            parts = (base + rel_parts).reshape(-1)
            all_sizes = np.tile(sizes, m)
            offsets = np.concatenate([[0], np.cumsum(all_sizes)])
            out.append(RuleArrays(pos, np.tile([r[2] for r in chosen], m), offsets, parts))
    out = []
    for pieces in (sub_tot, parents):
        out.append(_by_pos(RuleArrays.concat(sorted(pieces, key=lambda r: int(r.pos[0])))))
    result = RuleArrays.concat(out)
    result.shapes = shapes
    return result


def _by_pos(r: RuleArrays) -> RuleArrays:
    """The rules sorted by row, stable (the same rules when they already are)."""
    if len(r) < 2 or bool(np.all(r.pos[1:] >= r.pos[:-1])):
        return r
    out = r.take(np.argsort(r.pos, kind="stable"))
    out.shapes = r.shapes
    return out


def _same_shape_batches(codes, levels, starts, lengths) -> list[np.ndarray]:
    """Segments (indices into ``starts``) grouped by shape: the same codes and levels.

    An export repeats one block shape from its second segment to its second last: those are
    compared as rows of one matrix. Otherwise segments are grouped by a hash of (code, level)
    per row and then compared exactly.
    """
    k = len(starts)
    if k >= 3 and bool(np.all(lengths[1:-1] == lengths[1])):
        length = int(lengths[1])
        span = slice(int(starts[1]), int(starts[1]) + (k - 2) * length)
        c2, l2 = codes[span].reshape(-1, length), levels[span].reshape(-1, length)
        if bool((c2 == c2[0]).all()) and bool((l2 == l2[0]).all()):
            return [np.array([0]), np.arange(1, k - 1), np.array([k - 1])]
    n = len(codes)
    key = (codes + 5 * (levels - levels.min() if n else levels) + 1).astype(np.uint64)
    seg = np.repeat(np.arange(k), lengths)
    offset = np.arange(n) - starts[seg]
    with np.errstate(over="ignore"):
        powers = np.cumprod(np.full(int(lengths.max()), 0x9E3779B97F4A7C15, dtype=np.uint64))
        h = np.add.reduceat(key * powers[offset], starts) if k else np.zeros(0, np.uint64)
    order = np.lexsort((h, lengths))
    hs, ls = h[order], lengths[order]
    cuts = np.concatenate([[0], np.flatnonzero((hs[1:] != hs[:-1]) | (ls[1:] != ls[:-1])) + 1, [len(order)]])
    batches = []
    for i, j in zip(cuts[:-1], cuts[1:]):
        group = order[i:j]
        length = int(lengths[group[0]])
        if len(group) > 1 and bool(np.all(np.diff(starts[group]) == length)):
            # segments one after another: compare them as rows of a matrix (views, no gather)
            first = int(starts[group[0]])
            span = slice(first, first + len(group) * length)
            c2, l2 = codes[span].reshape(-1, length), levels[span].reshape(-1, length)
            eq = (c2 == c2[0]) & (l2 == l2[0])
            same = np.ones(len(group), dtype=bool) if bool(eq.all()) else eq.all(axis=1)
        else:
            rows = starts[group][:, None] + np.arange(length)
            ref = rows[0]
            same = np.all((codes[rows] == codes[ref]) & (levels[rows] == levels[ref]), axis=1)
        # a hash collision (not the same rows) is built segment by segment
        batches += [group[same]] + [np.array([m]) for m in group[~same]]
    return [b for b in batches if len(b)]


def _fits(values: np.ndarray, halves: np.ndarray, total: int, parts: list[int]) -> bool:
    """Printed total equals the sum of printed parts within rounding, in every amount column."""
    t = values[total]
    p = values[parts]
    n = np.sum(~np.isnan(p), axis=0)
    s = np.nansum(p, axis=0)
    tv = np.nan_to_num(t)
    tol = halves * (n + (~np.isnan(t)).astype(int)) + 1e-9
    return bool(np.all(np.abs(tv - s) <= tol))


def _reread_block(values, halves, pos, parts, kind):
    """One subtotal rule, re-read as parents and children when exactly one grouping fits."""
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
        return [(pos, top, kind)] + extra
    return [(pos, parts, kind)]


def part_sums(parts: np.ndarray, rid: np.ndarray, n_rules: int, sizes: np.ndarray):
    """Sum (NaN as 0) and count of printed parts per rule, the same figures as
    ``np.bincount(rid, weights=np.nan_to_num(parts))`` and the count of non-NaN parts."""
    if np.isinf(parts).any():
        s = np.bincount(rid, weights=np.nan_to_num(parts), minlength=n_rules)
        n = np.bincount(rid, weights=(~np.isnan(parts)).astype(float), minlength=n_rules)
        return s, n
    missing = np.isnan(parts)
    if not missing.any():
        return np.bincount(rid, weights=parts, minlength=n_rules), sizes.copy()
    s = np.bincount(rid, weights=np.where(missing, 0.0, parts), minlength=n_rules)
    return s, sizes - np.bincount(rid[missing], minlength=n_rules)


def _shape_sums(XT: np.ndarray, r: RuleArrays) -> tuple[np.ndarray, np.ndarray]:
    """Sum (NaN as 0) and count of printed parts per column and rule, shape (columns, rules):
    the same figures as :func:`part_sums` column by column. ``XT``: values, (columns, rows).

    Blocks of the same shape (one per nämnd and month) are read as a 3-D array (columns ×
    blocks × rows of the shape), and a rule's parts are added for all blocks and columns at
    once, one part after another in the order listed, to a sum that starts at 0 (what
    ``np.bincount`` does). A sum that is not finite (a part without a figure, or an infinite
    one), and rules of shapes that few blocks share, are taken with :func:`part_sums`.
    """
    m, n_rules = XT.shape[0], len(r)
    S = np.zeros((m, n_rules))
    covered = np.zeros(n_rules, dtype=bool)
    pos, sizes = r.pos, r.sizes
    usable = r.shapes is not None and (n_rules < 2 or bool(np.all(pos[1:] > pos[:-1])))
    if usable and n_rules:
        rule_at = np.zeros(int(pos[-1]) + 1, dtype=np.int64)  # rule index by row (pos is unique)
        rule_at[pos] = np.arange(n_rules)
    for starts, length, rel in (r.shapes or []) if usable else []:
        nb = len(starts)
        if nb < 16 or not rel:
            continue
        rel_pos = np.array([rp for rp, _ in rel], dtype=np.int64)
        where = starts[:, None] + rel_pos  # (blocks, rules of the shape)
        idx = rule_at[np.minimum(where, len(rule_at) - 1)]
        if not (np.all(pos[idx] == where)
                and np.all(sizes[idx] == np.array([len(parts) for _, parts in rel]))):
            continue  # pragma: no cover - the shapes describe the rules they were built with
        if bool(np.all(np.diff(starts) == length)):
            block = XT[:, starts[0]:starts[0] + nb * length].reshape(m, nb, length)
        else:
            block = XT[:, starts[:, None] + np.arange(length)]
        sums = np.zeros((m, nb, len(rel)))
        for k, (_, parts) in enumerate(rel):
            s = np.zeros((m, nb))
            for p in parts:
                s += block[:, :, p]
            sums[:, :, k] = s
        S[:, idx] = sums
        covered[idx] = True
    N = np.repeat(sizes.astype(float)[None, :], m, axis=0)
    rest = ~covered
    for j in range(m):
        todo = np.flatnonzero(rest | ~np.isfinite(S[j]))
        if not len(todo):
            continue
        sub = r if len(todo) == n_rules else r.take(todo)
        rid = np.repeat(np.arange(len(sub)), sub.sizes)
        S[j, todo], N[j, todo] = part_sums(XT[j][sub.parts], rid, len(sub), sub.sizes.astype(float))
    return S, N


def _fits_arrays(values, halves, r: RuleArrays, names=None) -> np.ndarray:
    """_fits_all for rules given as arrays (the same arithmetic).

    With ``names`` (the columns of ``values``), the sum and count of printed parts per rule
    and column are kept in ``r.sums`` for the checks, which need the same figures.
    """
    if not len(r):
        return np.zeros(0, dtype=bool)
    if not values.shape[1]:
        return np.ones(len(r), dtype=bool)
    XT = np.ascontiguousarray(np.asarray(values, dtype=float).T)  # no copy when column-major
    S, N = _shape_sums(XT, r)
    if names is not None:
        for j in range(XT.shape[0]):
            r.sums[names[j]] = (S[j], N[j])
    ok = np.ones(len(r), dtype=bool)
    for j in range(XT.shape[0]):
        t = XT[j][r.pos]
        tol = halves[j] * (N[j] + (~np.isnan(t)).astype(float)) + 1e-9
        ok &= np.abs(np.nan_to_num(t) - S[j]) <= tol
    return ok


def _arith_parents_arrays(values, halves, r: RuleArrays, names=None) -> RuleArrays:
    """:func:`_arith_parents` for rules as arrays, sorted by row (stable) as infer_layout lists them."""
    r = _by_pos(r)
    cand = np.zeros(0, dtype=np.int64)
    if len(r):
        cand = np.flatnonzero((r.kind == 0) & (r.sizes >= 3) & ~_fits_arrays(values, halves, r, names))
    if not len(cand):
        return r
    r.sums = {}
    keep = np.ones(len(r), dtype=bool)
    added, seq, sub = [], [], []
    for c in cand:
        out = _reread_block(values, halves, int(r.pos[c]), r.parts_of(c).tolist(), "subtotal")
        keep[c] = False
        for k, rule in enumerate(out):
            added.append(rule)
            seq.append(c)
            sub.append(k)
    kept = np.flatnonzero(keep)
    both = RuleArrays.concat([r.take(kept), RuleArrays.from_list(added)])
    idx = np.concatenate([kept, np.asarray(seq, dtype=np.int64)])
    subs = np.concatenate([np.zeros(len(kept), dtype=np.int64), np.asarray(sub, dtype=np.int64)])
    return both.take(np.lexsort((subs, idx, both.pos)))


def difference_pairs(V: np.ndarray, D: np.ndarray, names: list[str], amount_idx: list[int]):
    """(target, a, b) where column ``target`` = a − b, proven by the rows.

    Evidence: the target is named like a deviation; the pair fits at least two rows and at
    least two thirds of the rows where all three are printed (a printing error in one row must
    not hide the rule), and no other pair fits as well. ``D`` holds the printed decimals per
    row and column, or per column only (shape ``(columns,)``) when a column has one precision.
    """
    targets = [t for t in amount_idx if _DIFF_NAME.search(names[t])]
    if not targets:
        return []
    V = np.asfortranarray(V)  # whole columns are read below
    scale = 10.0 ** -np.asarray(D).astype(float)
    present = {j: ~np.isnan(V[:, j]) for j in amount_idx}
    sources = [j for j in amount_idx if not _DIFF_NAME.search(names[j])]
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

    def fit(rows) -> int:
        return int(np.count_nonzero((np.abs(tv[rows] - (av[rows] - bv[rows])) <= tol[rows]) & mask[rows]))

    if len(tv) > 4 * _SAMPLE:  # a pair that fails most of a sample cannot reach 2/3
        head = slice(0, _SAMPLE)
        bound = fit(head) + n_mask - int(mask[head].sum())
        if bound < 2 or bound * 3 < 2 * n_mask:
            return None
    n_ok = fit(slice(None))
    return n_ok if n_ok >= 2 and n_ok * 3 >= 2 * n_mask else None


def infer_columns(table: RRTable, amount: list[str], V: np.ndarray | None = None) -> list[dict]:
    """Difference columns proven by the table's rows (see :func:`difference_pairs`)."""
    frame = table.frame
    names = list(table.value_columns)
    idx = [names.index(c) for c in amount]
    if V is None:
        V = frame[names].to_numpy(dtype=float)
    D = np.array([table.decimals.get(c, 0) for c in names], dtype=float)
    return [{"name": names[t], "rule": "difference", "of": [names[a], names[b]], "inferred": True}
            for t, a, b in difference_pairs(V, D, names, idx)]


def _kind_codes(column) -> np.ndarray:
    """_ITEM, _SUBTOTAL, _TOTAL or _OTHER per row of the frame's ``kind`` column."""
    kinds = column.to_numpy(dtype=object)
    codes = np.full(len(kinds), _OTHER, dtype=np.int64)
    for name, code in _KIND_CODES.items():
        codes[kinds == name] = code
    return codes


def infer_rules(table: RRTable) -> tuple["RuleArrays", dict]:
    """The inferred summing rules as arrays, and the rest of the inferred layout."""
    frame = table.frame
    names = list(table.value_columns)
    amount = [c for c in names if "%" not in c]
    V = None
    if names:  # column-major, one contiguous array per column
        V = np.empty((len(frame), len(names)), order="F")
        for j, c in enumerate(names):
            V[:, j] = frame[c].to_numpy(dtype=float)
    empty = np.isnan(V).all(axis=1) if V is not None else None
    rules = rule_arrays(None, getattr(table, "levels", None) or None, empty,
                        codes=_kind_codes(frame["kind"]))
    if amount and len(frame):
        values = V if amount == names else V[:, [names.index(c) for c in amount]]
        halves = np.array([_half(table.decimals, c) for c in amount])
        rules = _arith_parents_arrays(values, halves, rules, amount)
    else:
        rules = _by_pos(rules)
    rest = {"id": "inferred", "name": "härledd från radetiketterna",
            "columns": infer_columns(table, amount, V), "amount_columns": amount,
            "percent_columns": [c for c in names if "%" in c]}
    return rules, rest


def infer_layout(table: RRTable) -> dict:
    """A layout dict (same shape as config/rr_layouts.yaml entries) built from row kinds."""
    rules, rest = infer_rules(table)
    labels = list(table.frame["label"])
    totals = []
    for i in range(len(rules)):
        pos, parts = int(rules.pos[i]), rules.parts_of(i).tolist()
        rule = {"row": labels[pos], "parts": [labels[p] for p in parts], "pos": pos, "part_pos": parts}
        if rules.kind[i] == 1:
            rule["kind"] = "total"
        totals.append(rule)
    return {"id": rest["id"], "name": rest["name"], "totals": totals, "columns": rest["columns"],
            "amount_columns": rest["amount_columns"], "percent_columns": rest["percent_columns"]}
