"""Reading the figures of a printed row when the cell separators cannot be trusted.

With a space as thousands separator, ``1 269 522 300`` can be note 1 followed by 269, 522 and
300, or 1 269, 522, 300, or ... This module lists *every* reading of a row's tokens that fits
the header's slots (note slots and value slots, per column group) and then keeps the readings
that the evidence allows:

1. the header's column count (a reading must fill every value slot; a note slot is optional);
2. the form of a printed number (a group after the first has exactly three digits; a number
   does not start with ``0`` unless it is ``0``; a decimal part ends the number);
3. the table's own arithmetic, row by row (difference and percent columns) and across rows
   (subtotals and totals of the declared or inferred hierarchy), within rounding;
4. where the arithmetic leaves no reading (a printed figure is wrong) or several: the column
   positions in spaced text (each figure under its own heading, :func:`settle_by_columns`),
   trusted only when every row read one way stands under its headings.

A row that reads one way is read as printed even when its arithmetic fails (the check then
reports the figure), unless it reads so only with cells run together. Nothing is chosen by
likelihood: when more than one reading survives, or none does,
:class:`~gnsanalysis.errors.AmbiguousParseError` names the line and lists the readings (and
says when the table's arithmetic holds under no reading, so that a figure may be wrong).
"""

from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass
from typing import NoReturn

import numpy as np

from gnsanalysis.errors import AmbiguousParseError, Location
from gnsanalysis.rr.hierarchy import COLUMN_RULES, column_range, halves_of, inconsistent
from gnsanalysis.rr.printed import Domain, Undecided, settle, settle_structure
from gnsanalysis.swedish.numbers import decimals_of, parse_number

MINUS = "-\u2013\u2212"
SPACE_CHARS = " \u00a0\u202f"
# a token, or an amount in parentheses (a negative amount, "(2 781,9)") kept whole
_TOKEN_RE = re.compile(rf"\(\d{{1,3}}(?:[{SPACE_CHARS}]\d{{3}})+(?:[,.]\d+)?\)|[^{SPACE_CHARS}]+")
_PAREN_RE = re.compile(rf"^\((?:\d{{1,3}}(?:[{SPACE_CHARS}]\d{{3}})+|\d+)(?:[,.]\d+)?\)$")
_SIGN_RE = re.compile(f"^[{MINUS}]$")
_NUM_RE = {d: re.compile(rf"^(?P<sign>[{MINUS}+])?(?P<digits>\d+)(?P<frac>{re.escape(d)}\d+)?(?P<pct>%)?$")
           for d in ",."}  # a number token by decimal mark
_NOTE_RE = re.compile(r"^[1-9]\d{0,2}$")
_NOTE_LIST_RE = re.compile(r"^[1-9]\d{0,2},$")
_NOTES_JOINED_RE = re.compile(r"^[1-9]\d?(?:,[1-9]\d?)+$")
_NOT_WORD_RE = re.compile(r"^not\.?$", re.IGNORECASE)
MAX_DIGITS = 15  # significant digits a float holds exactly
MAX_READINGS = 2000  # per row; more means the row carries no usable structure


@dataclass(frozen=True)
class Slot:
    """One header column after the label: a note column or a value column, in a group."""

    role: str  # "note" | "value"
    column: str | None  # value column name; None for a note slot
    group: int = 0


@dataclass(frozen=True)
class Reading:
    """One way to read a row: printed text per note slot and per value slot (None = empty)."""

    notes: tuple[str, ...]
    values: tuple[str | None, ...]

    def render(self) -> str:
        """The reading as the refusal message lists it (``not 1 | 352,8 | 371,4``)."""
        parts = [f"not {n}" for n in self.notes if n]
        parts += ["–" if v is None else v for v in self.values]
        return " | ".join(parts)


# --------------------------------------------------------------------------- tokens

def is_numeric_token(tok: str, decimal: str = ",") -> bool:
    """True for a token that can be (part of) a figure, a dash or a note."""
    return bool(_SIGN_RE.match(tok) or _NUM_RE[decimal].match(tok) or _NOTE_LIST_RE.match(tok)
                or tok == "%" or _PAREN_RE.match(tok))


def tokens_of(segment: str) -> list[str]:
    """The number and word tokens of a segment (``47 %`` joined to ``47%``, ``(1 234,5)`` one token)."""
    toks = _TOKEN_RE.findall(segment.strip())
    out: list[str] = []
    for t in toks:  # "47 %" -> "47%"
        if t == "%" and out:
            out[-1] += "%"
        else:
            out.append(t)
    return out


# Items: ("num", text) | ("dash", None) | ("note", text) | ("blank", None)

def _numbers_from(tokens: tuple[str, ...], i: int, num_re: re.Pattern):
    """Each number starting at token ``i`` (groups of three digits may follow), with the next index."""
    m = num_re.match(tokens[i])
    if not m or (len(m["digits"]) > 1 and m["digits"][0] == "0"):
        return
    text = tokens[i]
    yield text, i + 1
    if m["frac"] or m["pct"] or len(m["digits"]) > 3:
        return
    for j in range(i + 1, len(tokens)):
        c = num_re.match(tokens[j])
        if not c or c["sign"] or len(c["digits"]) != 3:
            return
        text += " " + tokens[j]
        yield text, j + 1
        if c["frac"] or c["pct"]:
            return


def _notes_from(tokens: tuple[str, ...], i: int):
    """Each note cell starting at token ``i`` ("7", "3,6", "2, 4, 15"; after "Not"), with the next index."""
    n = len(tokens)
    while _NOT_WORD_RE.match(tokens[i]):
        if i + 1 >= n:
            return
        i += 1
    t = tokens[i]
    if _NOTE_RE.match(t) or _NOTES_JOINED_RE.match(t):
        yield t, i + 1
    elif _NOTE_LIST_RE.match(t):
        parts, j = [t[:-1]], i + 1
        while j < n and _NOTE_LIST_RE.match(tokens[j]):
            parts.append(tokens[j][:-1])
            j += 1
        if j < n and _NOTE_RE.match(tokens[j]):
            parts.append(tokens[j])
            yield ", ".join(parts), j + 1


def _items_at(tokens: tuple[str, ...], i: int, decimal: str) -> list[tuple[tuple, int]]:
    """Every item (number, dash, note) that can start at token ``i``, with the next index."""
    num_re = _NUM_RE[decimal]
    options: list[tuple[tuple, int]] = []
    t = tokens[i]
    if _PAREN_RE.match(t):  # "(2 781,9)": a negative amount, one cell
        return [(("num", "-" + t[1:-1]), i + 1)]
    if _SIGN_RE.match(t):
        options.append((("dash", None), i + 1))
        nxt = num_re.match(tokens[i + 1]) if i + 1 < len(tokens) else None
        if nxt and not nxt["sign"]:  # "– 1 099": a minus sign followed by a space
            options += [(("num", f"{t}{txt}"), j) for txt, j in _numbers_from(tokens, i + 1, num_re)]
    else:
        options += [(("num", txt), j) for txt, j in _numbers_from(tokens, i, num_re)]
    options += [(("note", txt), j) for txt, j in _notes_from(tokens, i)]
    return options


def readings(segments: list[str], slots: list[Slot], decimal: str = ",", *, cells: bool = False) -> list[Reading]:
    """All readings of a row's segments (hard-separated cells) that fill the slots.

    A value slot takes a number or a dash; a note slot takes a note or stays empty; an empty
    segment (an empty cell between two separators) fills exactly one slot. Readings that leave
    whole column groups empty (koncern-only rows) are listed too: always in running text, and
    in grid formats when no reading fills every value slot. With ``cells`` (grid formats: tab
    text, CSV, XLSX) a space inside a cell only ever separates a note from the first amount ("3 1 234"); cells never split
    further, so cells run together fail instead of being re-split.
    """
    walk = _Walk([tuple(tokens_of(s)) for s in segments], slots, decimal, cells)
    walk.run(frozenset())
    groups = sorted({s.group for s in slots if s.role == "value"})
    # a row printed in some groups only (koncern tax): tried always in running text, where a
    # wrong split of the figures over every group can look like a full row
    if (not walk.found or not cells) and len(groups) > 1:
        for size in range(1, len(groups)):
            for empty in itertools.combinations(groups, size):
                walk.run(frozenset(empty))
    return list(walk.found)


class _Walk:
    """The depth-first walk behind :func:`readings`: tokens to slots, left to right."""

    def __init__(self, segs: list[tuple[str, ...]], slots: list[Slot], decimal: str, cells: bool):
        self.segs, self.slots, self.cells = segs, slots, cells
        self.options = functools.cache(lambda si, ti: _items_at(segs[si], ti, decimal))  # items at a token
        self.found: dict[Reading, None] = {}
        # tokens left from segment si on: an upper bound for the items still to come
        self.left = list(itertools.accumulate(max(1, len(s)) for s in reversed(segs)))[::-1]
        self.empty: frozenset = frozenset()
        self.need_after: list[int] = []

    def run(self, empty: frozenset) -> None:
        """Every reading in which the value slots of the groups in ``empty`` stay empty."""
        need = [int(s.role == "value" and s.group not in empty) for s in self.slots]
        self.empty = empty
        self.need_after = list(itertools.accumulate(reversed(need), initial=0))[::-1]  # value slots from k on
        self.go(0, 0, ())

    def _done(self, texts: tuple) -> None:
        """Record the reading whose slots hold ``texts`` (None: empty), the slots after them empty."""
        full = texts + (None,) * (len(self.slots) - len(texts))
        notes = tuple(t or "" for t, s in zip(full, self.slots) if s.role == "note")
        values = tuple(t for t, s in zip(full, self.slots) if s.role == "value")
        self.found.setdefault(Reading(notes, values), None)
        if len(self.found) > MAX_READINGS:
            raise TooManyReadings(len(self.found))

    def go(self, si: int, ti: int, texts: tuple) -> None:
        """Fill the slot after ``texts`` every way the tokens from ``ti`` of segment ``si`` allow."""
        segs, go, k = self.segs, self.go, len(texts)
        while si < len(segs) and segs[si] and ti == len(segs[si]):
            si, ti = si + 1, 0
        if si == len(segs):
            if self.need_after[k] == 0:
                self._done(texts)
            return
        if k == len(self.slots) or self.need_after[k] > self.left[si] - (ti if segs[si] else 0):
            return
        slot = self.slots[k]
        if slot.group in self.empty:
            go(si, ti, texts + (None,))
        elif not segs[si]:  # an empty cell fills this slot
            go(si + 1, 0, texts + (None,))
            if slot.role == "note":  # or is an empty note cell whose note was glued into the next cell
                go(si + 1, 0, texts)
        elif slot.role == "note":
            go(si, ti, texts + (None,))
            for (kind, text), j in self.options(si, ti):
                if kind == "note" and (not self.cells or ti == 0):
                    go(si, j, texts + (text,))
        else:
            for (kind, text), j in self.options(si, ti):
                if kind in ("num", "dash") and (not self.cells or j == len(segs[si])) \
                        and (not (text or "").endswith("%") or "%" in (slot.column or "")):
                    go(si, j, texts + (text,))  # a "6,6 %" cell only under a % heading


def note_cell(text: str) -> str | None:
    """The references of a note cell as printed ("Not 2,4" is "2, 4"; "" for an empty cell),
    or None when the cell is not a note cell."""
    refs = re.sub(r"^not\.?\s*", "", text, flags=re.IGNORECASE)
    if refs and not re.fullmatch(r"[1-9]\d{0,2}(?:\s*,\s*[1-9]\d{0,2})*", refs):
        return None
    return re.sub(r"\s*,\s*", ", ", refs)


class TooManyReadings(Exception):
    """A row allows more readings than the search may try."""


def direct_reading(segments: list[str], slots: list[Slot], decimal: str = ",") -> Reading | None:
    """The positional reading when each segment is exactly one cell, else None."""
    if len(segments) != len(slots):
        return None
    notes, values = [], []
    for seg, slot in zip(segments, slots):
        text = seg.strip(SPACE_CHARS + "\t")
        if slot.role == "note":
            note = note_cell(text)
            if note is None:
                return None
            notes.append(note)
            continue
        try:
            parse_number(text, decimal=decimal)
        except ValueError:
            return None
        if re.match(rf"^[{MINUS}+]?\s?0\d", text):
            return None  # "000" is a thousands group cut from its number, not a figure
        values.append(text or None)
    return Reading(tuple(notes), tuple(values))


# --------------------------------------------------------------------------- evidence

@dataclass
class Pending:
    """A row with its candidate readings."""

    pos: int  # position in the table
    line: int
    label: str
    raw: str
    candidates: list[Reading]
    spots: list[tuple[int, int, str]] | None = None  # (start, end, text) of each figure token, as printed


def figure_tokens(line: str, segments: list[str]) -> list[tuple[int, int, str]] | None:
    """Where each token of the row's figures stands in its printed line (None if not found)."""
    toks = [(m.start(), m.end(), m.group()) for m in _TOKEN_RE.finditer(line)]
    want = [t for seg in segments for t in tokens_of(seg)]
    got = toks[len(toks) - len(want):] if want and len(want) <= len(toks) else []
    return got if [t[2] for t in got] == want else None


def _under(spans: list[tuple[int, int]], k: int, start: int, end: int) -> bool:
    """Whether column ``k``'s heading is (one of) the nearest to a cell printed at start..end."""
    def key(span):
        return max(span[0] - end, start - span[1], 0), max(start, span[0]) - min(end, span[1])
    return key(spans[k]) == min(map(key, spans))


def aligned(reading: Reading, slots: list[Slot], spans: list[tuple[int, int]], spots) -> bool:
    """Whether every cell of the reading stands under its own column's heading.

    The reading's cells are laid over the printed tokens left to right (a lone dash is a cell
    or, in an empty group, no cell); each cell must be nearest to the heading of its slot."""
    notes, values = iter(reading.notes), iter(reading.values)
    cells = [(k, s.role, next(notes) if s.role == "note" else next(values)) for k, s in enumerate(slots)]

    def fits(i: int, c: int) -> bool:
        if c == len(cells):
            return i == len(spots)
        k, role, text = cells[c]
        if not text:
            return fits(i, c + 1) or (role == "value" and i < len(spots) and bool(_SIGN_RE.match(spots[i][2]))
                                      and _under(spans, k, spots[i][0], spots[i][1]) and fits(i + 1, c + 1))
        while role == "note" and i < len(spots) and _NOT_WORD_RE.match(spots[i][2]):
            i += 1
        target, j, joined = text.replace(" ", ""), i, ""
        while j < len(spots) and len(joined) < len(target):
            joined += spots[j][2]
            j += 1
        return joined == target and _under(spans, k, spots[i][0], spots[j - 1][1]) and fits(j, c + 1)

    return fits(0, 0)


def settle_by_columns(pending: list[Pending], open_rows: dict[int, Pending], columns) -> dict[int, Reading] | None:
    """The open rows' readings from the column positions alone, or None.

    ``columns`` is (slots, heading spans). The positions count as evidence only when every row
    that reads one way (at least two) stands under its headings; each open row must then have
    exactly one reading that does."""
    slots, spans = columns or ([], None)
    if not spans or len(spans) != len(slots):
        return None
    known = [p for p in pending if len(p.candidates) == 1 and p.spots]
    if len(known) < 2 or not all(aligned(p.candidates[0], slots, spans, p.spots) for p in known):
        return None
    chosen = {}
    for pos, p in open_rows.items():
        fits = [c for c in p.candidates if p.spots and aligned(c, slots, spans, p.spots)]
        if len(fits) != 1:
            return None
        chosen[pos] = fits[0]
    return chosen


def cell_arrays(reading: Reading, decimal: str) -> tuple[np.ndarray, np.ndarray]:
    """Values (NaN = none) and printed decimals of a reading's value slots."""
    vals = np.full(len(reading.values), np.nan)
    decs = np.zeros(len(reading.values), dtype=np.int64)
    for j, text in enumerate(reading.values):
        if text is None:
            continue
        text = text.removesuffix("%")  # a percent cell ("6,6 %") holds the number printed
        v = parse_number(text, decimal=decimal)
        if v is not None:
            vals[j] = float(v)
            decs[j] = decimals_of(text)
    return vals, decs


def _row_ok(vals, halves, col_rules) -> bool:
    """Whether a reading's difference and percent cells hold (a rule over a missing cell holds)."""
    for rule, t, a, b in col_rules:
        if rule in COLUMN_RULES and not np.isnan(vals[[t, a, b]]).any():
            low, high = column_range(rule, vals[a], vals[b], halves[a], halves[b])
            if inconsistent(vals[t], halves[t], low, high):
                return False
    return True


def _grouped(reading: Reading) -> bool:
    return any(re.search(r"\d[ \u00a0\u202f]\d", v) for v in reading.values if v)


def _ungrouped(reading: Reading) -> bool:
    return any(re.match(rf"^[{MINUS}+]?\d{{4,}}", v) for v in reading.values if v)


def _split_group(reading: Reading) -> bool:
    """Two cells that could be one number: a whole number, then three unsigned digits ("-41 | 900")."""
    v = reading.values
    return any(a and b and re.fullmatch(rf"[{MINUS}+]?[\d ]+", a) and re.fullmatch(r"\d{3}(?:[,.]\d+)?%?", b)
               for a, b in zip(v, v[1:]))


def _row_evidence(pending: list[Pending], arrays, col_rules, source) -> list[Pending]:
    """Step 1 of :func:`resolve`, row-local arithmetic (difference / percent columns); the rows
    whose own arithmetic holds under no reading.

    A row that no reading fits is read as printed when it reads one way in the table's
    thousands style (the check then reports the broken difference: a figure is wrong); one that
    reads one way only with ungrouped thousands in a grouped table ("-2 306,5 -2317,9"), or
    with a thousands group taken as a cell ("-41 | 900": an excerpt cut mid-row), may have
    cells run together or missing and is refused; one that reads several ways is returned,
    for evidence that is not arithmetic.
    """
    grouped = any(_grouped(p.candidates[0]) for p in pending if len(p.candidates) == 1)
    broken = []
    for p in pending if col_rules else []:
        keep = [c for c in p.candidates if _row_ok(arrays[(p.pos, c)][0], arrays[(p.pos, c)][2], col_rules)]
        only = p.candidates[0]
        if not keep and len(p.candidates) == 1 and (grouped and _ungrouped(only) or _split_group(only)):
            raise_no_reading(p, p.candidates, source)
        p.candidates = keep or p.candidates
        broken += [] if keep else [p]
    return broken


def resolve(pending: list[Pending], V: np.ndarray, D: np.ndarray, *,
            col_rules: list[tuple[str, int, int, int]], sum_rules: list[tuple[int, list[int]]],
            amount_idx: list[int], decimal: str, source,
            roles: list[str] | None = None, columns=None) -> dict[int, Reading]:
    """Choose one reading per pending row from the evidence, or raise AmbiguousParseError.

    ``V``/``D`` hold values and printed decimals of every row (NaN for the pending rows); the
    rows that read one way are filled in, as the sums over them need, and the caller fills the
    readings returned.
    ``roles`` (item / sum / skip per row) lets the arithmetic say what each summing row adds
    up (:func:`gnsanalysis.rr.printed.settle_structure`) instead of ``sum_rules``.
    ``columns`` (slots, heading spans) lets the column positions settle what the arithmetic
    cannot (:func:`settle_by_columns`).
    """
    arrays = {}
    for p in pending:
        for c in p.candidates:
            vals, decs = cell_arrays(c, decimal)
            arrays[(p.pos, c)] = (vals, decs, np.where(np.isnan(vals), 0.0, halves_of(decs)))
    broken = _row_evidence(pending, arrays, col_rules, source)
    # 2. the column positions, for rows whose own arithmetic holds under no reading
    still = {p.pos: p for p in broken if len(p.candidates) > 1}
    placed = settle_by_columns(pending, still, columns) if still else {}
    if placed is None:
        p = next(iter(still.values()))
        raise_no_reading(p, p.candidates, source, sums=True)
    for pos, reading in placed.items():
        still[pos].candidates = [reading]
    H = np.where(np.isnan(V), 0.0, halves_of(D))
    done = {p.pos: p.candidates[0] for p in pending if len(p.candidates) == 1}
    for pos, reading in done.items():
        V[pos], D[pos], H[pos] = arrays[(pos, reading)]
    # 3. subtotals and totals of the whole table (gnsanalysis.rr.printed), else the positions
    open_rows = {p.pos: p for p in pending if len(p.candidates) > 1}
    if open_rows:
        done |= _settle_open(open_rows, arrays, V, H, sum_rules, amount_idx, source, roles, pending, columns)
    return done


def _settle_open(open_rows: dict[int, Pending], arrays, V, H, sum_rules, amount_idx, source, roles,
                 pending, columns) -> dict[int, Reading]:
    """The readings of the open rows under the table's sum rules, or AmbiguousParseError.

    When the arithmetic leaves no reading (a printed figure may be wrong) or several, the
    column positions may settle the open rows (:func:`settle_by_columns`); with several, the
    rows so placed must also be one of the readings under which the sums hold."""
    amount = np.array(amount_idx, dtype=np.int64)
    rules = [(t, tuple(parts)) for t, parts in sum_rules]

    def solve(pick) -> dict[int, int]:
        domains = {pos: Domain(pos, np.array([arrays[(pos, c)][0] for c in cands])[:, amount],
                               np.array([arrays[(pos, c)][2] for c in cands])[:, amount],
                               np.array([p.candidates.index(c) for c in cands]))
                   for pos, p in open_rows.items() for cands in [pick(p)]}
        if roles is None:
            return settle(domains, rules, V[:, amount], H[:, amount])
        return settle_structure(roles, domains, V[:, amount], H[:, amount])

    try:
        return {pos: open_rows[pos].candidates[k] for pos, k in solve(lambda p: p.candidates).items()}
    except Undecided as exc:
        placed = settle_by_columns(pending, open_rows, columns) if exc.kind != "limit" else None
        if placed is None or (exc.kind == "many" and not _holds_under(solve, placed)):
            _refuse(exc, open_rows, source, _broken_sum(exc, pending, arrays, amount))
        return placed


def _broken_sum(exc: Undecided, pending, arrays, amount) -> str:
    """The first summing row that no reading of the rows above makes add up, with its printed
    figures and the closest the rows above it come (a figure may be misprinted), or ''."""
    rows = {p.pos: p for p in pending}
    total = rows.get(exc.pos)
    if exc.kind != "none" or not exc.parts or total is None or len(total.candidates) != 1 \
            or not all(q in rows for q in exc.parts):
        return ""
    printed, decs, _ = arrays[(exc.pos, total.candidates[0])]
    printed, decs = np.nan_to_num(printed[amount]), decs[amount]
    options = [[arrays[(q, c)][0][amount] for c in rows[q].candidates] for q in exc.parts]
    sums = (np.nansum(np.array(c), axis=0) for c in itertools.islice(itertools.product(*options), 10_000))
    best = min(sums, key=lambda s: float(np.abs(s - printed).sum()))
    shown = " | ".join(f"{v:,.{d}f}".replace(",", " ").replace(".", ",") for v, d in zip(best, decs))
    return (f" Första summan som inte går ihop: {total.label!r} på rad {total.line}, tryckt "
            f"{' | '.join('–' if v is None else v for v in total.candidates[0].values)}, men raderna "
            f"{rows[exc.parts[0]].line}–{rows[exc.parts[-1]].line} ger som närmast {shown}.")


def _holds_under(solve, placed: dict[int, Reading]) -> bool:
    """Whether the table's sums hold with the open rows read as ``placed``."""
    try:
        solve(lambda p: [placed[p.pos]])
    except Undecided:
        return False
    return True


def _refuse(exc: Undecided, open_rows: dict[int, Pending], source, broken: str = "") -> NoReturn:
    """The refusal for an open row: the one at, else nearest above, where the arithmetic breaks."""
    above = [q for q in open_rows if q <= exc.pos]
    p = open_rows[max(above) if above else min(open_rows)]
    cands = [p.candidates[k] for k in exc.alive] if exc.alive and exc.pos in open_rows else p.candidates
    if exc.kind == "none":
        raise_no_reading(p, cands, source, sums=True, broken=broken)
    p.candidates = cands
    if exc.kind == "limit":
        raise_too_many(p.line, p.label, p.raw, source)
    _raise_many(p, source)


def _show(cands: list[Reading], limit: int = 6) -> str:
    shown = [f"({i}) {c.render()}" for i, c in enumerate(cands[:limit], 1)]
    more = f" … och {len(cands) - limit} till" if len(cands) > limit else ""
    return "; ".join(shown) + more


def _refuse_row(line: int, label: str, raw: str, source, message: str, expected: str, hint: str) -> NoReturn:
    """The one refusal of a printed row: AmbiguousParseError at its line and label."""
    raise AmbiguousParseError(message, location=Location(file=source, line=line, row=label or None),
                              found=raw[:120], expected=expected, hint=hint)


def _raise_many(p: Pending, source) -> NoReturn:
    _refuse_row(p.line, p.label, p.raw, source,
                f"Siffrorna på raden kan delas upp i kolumner på {len(p.candidates)} sätt som alla stämmer "
                f"med rubrikraden och tabellens summor: {_show(p.candidates)}.",
                "en enda möjlig uppdelning",
                "Jämför raden med originalet och skriv in den med tabb eller ';' mellan cellerna "
                "(eller exportera tabellen som CSV/Excel).")


def raise_no_reading(p: Pending, cands: list[Reading], source, sums: bool = False, broken: str = "") -> NoReturn:
    """Refuse a row that no reading fits, listing the readings tried (``sums``: the table's sums
    hold under no reading of its rows, and the column positions do not settle the row)."""
    if cands and sums:
        msg = (f"Ingen uppdelning av siffrorna på raden stämmer med tabellens egen aritmetik: tabellens "
               f"differenskolumner, delsummor och summor går inte ihop under någon läsning av raderna, så en "
               f"siffra i tabellen kan vara fel. Raden kan läsas på {len(cands)} sätt och kolumnernas lägen "
               f"avgör inte vilket. Prövade läsningar: {_show(cands)}.{broken}")
    elif cands:
        msg = (f"Ingen uppdelning av siffrorna på raden stämmer med tabellens egen aritmetik "
               f"(differenskolumner, delsummor och summor). Prövade läsningar: {_show(cands)}.")
    else:
        msg = ("Siffrorna på raden går inte att dela upp i rubrikradens kolumner "
               "(antalet tal stämmer inte eller talen är ihopskrivna).")
    _refuse_row(p.line, p.label, p.raw, source, msg,
                "ett tal (eller '-') per kolumn i rubrikraden, tusental grupperade tre och tre",
                "Jämför tabellens siffror och summor med originalet; skriv sedan in raden med tabb eller ';' "
                "mellan cellerna, så läses den utan gissning och 'gns rr check' visar vilken summa som inte "
                "går ihop." if sums else "Kontrollera att inga cellgränser försvunnit vid kopieringen; "
                "exportera tabellen som CSV/Excel eller med tabb mellan cellerna.")


def raise_too_many(line: int, label: str, raw: str, source) -> NoReturn:
    """Refuse a row with too many readings to settle."""
    _refuse_row(line, label, raw, source, "Raden kan läsas på för många sätt för att avgöras.",
                "en rad med tydliga cellgränser", "Exportera tabellen som CSV/Excel eller med tabb mellan cellerna.")
