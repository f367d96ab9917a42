"""Choosing the reading of a whole printed table from its own arithmetic.

A printed row (plain text, PDF text, one cell per line) often allows several readings: a note
run into the first amount (``1 352,8`` = note 1 + 352,8, or 1 352,8), a thousands group taken as
a cell of its own, a dash taken as a minus or as "no value". :mod:`gnsanalysis.rr.grouping`
lists the readings each row's tokens allow; this module chooses among them for the table as a
whole. The algorithm:

1. Every row is a variable whose domain is its list of readings (a row read one way only is a
   constant). Every arithmetic rule of the table is a constraint over a few rows: a subtotal or
   total is the sum of its parts in every amount column, within the rounding of the printed
   figures (half a unit of the last printed decimal of each figure).
2. Constraint propagation (generalised arc consistency): for each rule, the readings of its rows
   are combined (vectorised, and only when the combinations are few, ``RULE_LIMIT``); a reading
   is kept only if some combination of the other rows' readings makes the rule hold. This is
   repeated until no domain shrinks. A row left without a reading is refused (no reading fits).
   When the table matches no known layout, what each summing row (Summa …, nettokostnad,
   verksamhetens resultat, resultat efter finansiella poster, årets resultat, by its label)
   adds up is itself found from the arithmetic: reading the rows top-down, a summing row
   adds up the last k rows not yet summed (items, or earlier sums standing for their parts),
   for every k under which propagation leaves each row a reading (:func:`structures`, at
   most ``MAX_BRANCHES`` hypotheses at a time). Structures that lead to the same figures
   agree; different figures under different structures are refused.
3. Rows still open after propagation are settled by a bounded backtracking search that counts
   the consistent readings of the whole table up to two (``SEARCH_LIMIT`` steps at most).
   Exactly one → that reading. None → refused. Several, or the limit reached → refused, naming
   the first open line and listing the readings that remain. Nothing is ever picked silently.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

RULE_LIMIT = 200_000  # combinations of one rule's readings tried at once (vectorised)
SEARCH_LIMIT = 50_000  # steps of the final search before the table is refused as undecidable


@dataclass
class Domain:
    """The readings still possible for one row: values and rounding halves per amount column."""

    pos: int
    values: np.ndarray  # (readings, amount columns), NaN = no figure
    halves: np.ndarray  # (readings, amount columns), 0 where there is no figure
    alive: np.ndarray  # indices into the row's original reading list


class Undecided(Exception):
    """The table's arithmetic leaves no reading (``kind`` none), several (many) or is too big (limit)."""

    def __init__(self, kind: str, pos: int, alive: list[int], parts: tuple[int, ...] = ()):
        super().__init__(kind)
        self.kind, self.pos, self.alive = kind, pos, alive
        self.parts = parts  # the rows a summing row that no structure fits would add up


def _member_arrays(pos: int, domains: dict[int, Domain], V: np.ndarray, H: np.ndarray):
    if pos in domains:
        d = domains[pos]
        return np.nan_to_num(d.values), d.halves
    return np.nan_to_num(V[pos])[None, :], H[pos][None, :]


def percent_range(d_lo: float, d_hi: float, b: float, hb: float) -> tuple[float, float] | None:
    """Range of 100·D/B for D in [d_lo, d_hi] and B within ``hb`` of ``b`` (None: B may be zero)."""
    b_lo, b_hi = b - hb, b + hb
    if b_lo <= 0 <= b_hi:
        return None
    corners = [100.0 * d / den for d in (d_lo, d_hi) for den in (b_lo, b_hi)]
    return min(corners), max(corners)


def _rule_table(rule, domains, V, H) -> np.ndarray | None:
    """Whether the rule holds, for every combination of its rows' readings (None: too many)."""
    members = [rule[0], *rule[1]]
    if len(set(members)) != len(members):
        return None
    arrays = [_member_arrays(p, domains, V, H) for p in members]
    shape = [a[0].shape[0] for a in arrays]
    if int(np.prod(shape, dtype=np.float64)) > RULE_LIMIT:
        return None
    n = len(members)
    width = arrays[0][0].shape[1]
    diff = np.zeros([1] * n + [width])
    tol = np.full([1] * n + [width], 1e-9)
    for i, (vals, halves) in enumerate(arrays):
        view = [1] * n + [width]
        view[i] = shape[i]
        diff = diff + (1.0 if i == 0 else -1.0) * vals.reshape(view)
        tol = tol + halves.reshape(view)
    return np.all(np.abs(diff) <= tol, axis=-1)


def _narrow(rule, domains, V, H, strict: bool = False) -> list[int]:
    """Drop the readings no combination of the rule supports; the rows that shrank.

    ``strict``: a rule over rows that are all read one way must hold too (else Undecided)."""
    table = _rule_table(rule, domains, V, H)
    if table is None:
        return []
    members = [rule[0], *rule[1]]
    if strict and not table.any():
        raise Undecided("none", rule[0], [])
    shrunk = []
    for i, pos in enumerate(members):
        if pos not in domains:
            continue
        others = tuple(a for a in range(len(members)) if a != i)
        keep = np.any(table, axis=others) if others else table
        if keep.all():
            continue
        d = domains[pos]
        if not keep.any():
            raise Undecided("none", pos, d.alive.tolist())
        domains[pos] = Domain(pos, d.values[keep], d.halves[keep], d.alive[keep])
        shrunk.append(pos)
    return shrunk


def propagate(domains: dict[int, Domain], rules, V, H, strict: bool = False, start=None) -> None:
    """Generalised arc consistency over the rules, until no domain shrinks.

    ``start``: the rules to look at first (the others already hold for the domains given);
    by default every rule that has an open row (``strict``: every rule)."""
    rules_of: dict[int, list] = {}
    for rule in rules:
        for pos in {rule[0], *rule[1]}:
            rules_of.setdefault(pos, []).append(rule)
    queue = list(start) if start is not None else [
        r for r in rules if strict or any(p in domains for p in (r[0], *r[1]))]
    while queue:
        rule = queue.pop()
        for pos in _narrow(rule, domains, V, H, strict):
            queue.extend(r for r in rules_of[pos] if r is not rule and r not in queue)


def _holds(rule, choice: dict[int, int], domains, V, H) -> bool:
    picked = [(v[choice.get(p, 0)], h[choice.get(p, 0)])
              for p in (rule[0], *rule[1]) for v, h in [_member_arrays(p, domains, V, H)]]
    diff = picked[0][0] - sum(v for v, _ in picked[1:])
    return bool(np.all(np.abs(diff) <= sum(h for _, h in picked) + 1e-9))


def search(domains: dict[int, Domain], rules, V, H) -> dict[int, int]:
    """The one consistent choice of the open rows (indices into their domains), or Undecided.

    Depth-first over the open rows in print order; each rule is checked once its last open row
    is chosen."""
    order = sorted(p for p in domains if len(domains[p].alive) > 1)
    fixed = {p: 0 for p in domains if len(domains[p].alive) == 1}
    last: dict[int, list] = {pos: [] for pos in order}  # the rules checked once that row is chosen
    for r in rules:
        members = [m for m in (r[0], *r[1]) if m in last]
        if members:
            last[max(members)].append(r)
    found: list[dict[int, int]] = []
    steps = 0

    def walk(depth: int, choice: dict[int, int]) -> None:
        nonlocal steps
        if len(found) > 1:
            return
        if depth == len(order):
            found.append(dict(choice))
            return
        pos = order[depth]
        for k in range(len(domains[pos].alive)):
            steps += 1
            if steps > SEARCH_LIMIT:
                raise Undecided("limit", pos, domains[pos].alive.tolist())
            choice[pos] = k
            if all(_holds(r, choice, domains, V, H) for r in last[pos]):
                walk(depth + 1, choice)
        choice.pop(pos, None)

    walk(0, dict(fixed))  # with no open row, the one choice is the fixed rows
    if len(found) != 1:
        raise Undecided("many" if found else "none", order[0], domains[order[0]].alive.tolist())
    return {p: int(domains[p].alive[k]) for p, k in found[0].items()}


def settle(domains: dict[int, Domain], rules, V, H) -> dict[int, int]:
    """Each open row's reading (index into its original list) under the table's arithmetic."""
    propagate(domains, rules, V, H)
    return search(domains, rules, V, H)


# --------------------------------------------------------------------------- structure

MAX_BRANCHES = 64  # structures of the table followed at once before it is refused
MAX_PARTS = 60  # rows one summing row may add up


@dataclass
class Branch:
    """One hypothesis about which rows each summing row adds up, with the domains it leaves."""

    units: list[int]  # rows not yet summed by a later row, in print order
    rules: list[tuple[int, tuple[int, ...]]]
    domains: dict[int, Domain]


def _extend(b: Branch, pos: int, V, H) -> list[Branch]:
    """The branches in which summing row ``pos`` adds up the last k units, for every k that holds."""
    out = []
    for k in range(1, min(len(b.units), MAX_PARTS) + 1):
        rule = (pos, tuple(b.units[-k:]))
        domains = dict(b.domains)
        try:
            propagate(domains, [rule, *b.rules], V, H, strict=True, start=[rule])
        except Undecided:
            continue
        out.append(Branch(b.units[:-k] + [pos], [*b.rules, rule], domains))
    return out


def structures(roles: list[str], domains: dict[int, Domain], V, H) -> list[Branch]:
    """Every structure under which the summing rows hold (shift-reduce, step 2 of the module docstring).

    ``roles``: per row ``item``, ``sum`` (by its label) or ``skip`` (a ``varav`` row, of no sum).
    Undecided("none") names the first summing row no structure fits.
    """
    branches = [Branch([], [], dict(domains))]
    for pos, role in enumerate(roles):
        if role == "item":
            for b in branches:
                b.units.append(pos)
        elif role == "sum":
            before = branches[0].units
            longest = max(len(b.units) for b in branches)
            branches = [n for b in branches
                        for n in (_extend(b, pos, V, H) if b.units else [Branch([pos], b.rules, b.domains)])]
            if not branches:  # no sum of up to MAX_PARTS rows holds: a misprint, or a longer sum not tried
                raise Undecided("none" if longest <= MAX_PARTS else "limit", pos, [], tuple(before))
            if len(branches) > MAX_BRANCHES:
                raise Undecided("limit", pos, [])
    return branches


def settle_structure(roles: list[str], domains: dict[int, Domain], V, H) -> dict[int, int]:
    """The open rows' readings with the sums inferred too: each structure settled, all giving the same figures."""
    solutions: list[dict[int, int]] = []
    first_error: Undecided | None = None
    for b in structures(roles, domains, V, H):
        try:
            chosen = search(b.domains, b.rules, V, H)
        except Undecided as exc:
            first_error = first_error or exc
            continue
        if chosen not in solutions:
            solutions.append(chosen)
    if not solutions:
        raise first_error or Undecided("none", min(domains), [])
    if len(solutions) > 1:
        pos = min(p for p in solutions[0] if solutions[0][p] != solutions[1][p])
        raise Undecided("many", pos, sorted({s[pos] for s in solutions}))
    return solutions[0]
