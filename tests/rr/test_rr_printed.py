"""The whole-table choice of readings (gnsanalysis.rr.printed): one consistent reading is
taken, none or several are refused, and the search is bounded."""

from __future__ import annotations

import numpy as np
import pytest

from gnsanalysis.errors import AmbiguousParseError
from gnsanalysis.rr import printed
from gnsanalysis.rr.grouping import Pending, Reading, resolve
from gnsanalysis.rr.printed import Domain, Undecided, settle, settle_structure


def _domain(pos: int, *readings: list[float]) -> Domain:
    values = np.array(readings, dtype=float)
    return Domain(pos, values, np.where(np.isnan(values), 0.0, 0.5), np.arange(len(readings)))


def _fixed(rows: list[list[float]]) -> tuple[np.ndarray, np.ndarray]:
    V = np.array(rows, dtype=float)
    return V, np.where(np.isnan(V), 0.0, 0.5)


def test_one_consistent_reading_is_taken():
    # row 1 is "1 352 371" read as 1 352 | 371 or as note 1 + 352 | 371; the total decides
    V, H = _fixed([[100, 20], [np.nan, np.nan], [1452, 391]])
    chosen = settle({1: _domain(1, [1352, 371], [352, 371])}, [(2, (0, 1))], V, H)
    assert chosen == {1: 0}


def test_no_consistent_reading_is_refused():
    V, H = _fixed([[100, 20], [np.nan, np.nan], [9999, 391]])
    with pytest.raises(Undecided) as info:
        settle({1: _domain(1, [1352, 371], [352, 371])}, [(2, (0, 1))], V, H)
    assert info.value.kind == "none" and info.value.pos == 1


def test_two_rows_that_trade_figures_are_refused():
    # two open rows whose two readings each keep the total: never pick one
    V, H = _fixed([[np.nan], [np.nan], [30]])
    domains = {0: _domain(0, [10], [20]), 1: _domain(1, [20], [10])}
    with pytest.raises(Undecided) as info:
        settle(domains, [(2, (0, 1))], V, H)
    assert info.value.kind == "many" and info.value.alive == [0, 1]


def test_search_is_bounded(monkeypatch):
    monkeypatch.setattr(printed, "SEARCH_LIMIT", 10)
    V, H = _fixed([[np.nan]] * 8)
    domains = {p: _domain(p, [1], [2], [3]) for p in range(8)}  # no rule: everything open
    with pytest.raises(Undecided) as info:
        settle(domains, [], V, H)
    assert info.value.kind == "limit"


def test_structure_of_nested_sums_comes_from_the_arithmetic():
    # Summa intäkter, two cost blocks, Summa kostnader = the two cost sums, Resultat
    V, H = _fixed([[10], [5], [15], [-3], [-4], [-7], [-2], [-1], [-3], [-10], [np.nan]])
    roles = ["item", "item", "sum", "item", "item", "sum", "item", "item", "sum", "sum", "sum"]
    chosen = settle_structure(roles, {10: _domain(10, [5], [50])}, V, H)
    assert chosen == {10: 0}


def _layout_row() -> tuple[Pending, np.ndarray, np.ndarray]:
    # row 1 is "1 352" (one amount) or note 1 + 352; rows 0 and 2 are read one way
    V, D = np.array([[100.0], [np.nan], [452.0]]), np.zeros((3, 1), dtype=np.int64)
    cands = [Reading(("",), ("1 352",)), Reading(("1",), ("352",))]
    return Pending(1, 2, "Intäkter", "Intäkter 1 352", cands), V, D


def test_the_sums_of_a_known_layout_settle_an_open_row():
    p, V, D = _layout_row()
    chosen = resolve([p], V, D, col_rules=[], sum_rules=[(2, [0, 1])], amount_idx=[0], decimal=",", source="t.txt")
    assert chosen == {1: Reading(("1",), ("352",))}


def test_the_sums_of_a_known_layout_that_hold_under_two_readings_refuse_the_row():
    p, V, D = _layout_row()
    with pytest.raises(AmbiguousParseError, match=r"rad 2, post 'Intäkter'.*2 sätt"):
        resolve([p], V, D, col_rules=[], sum_rules=[], amount_idx=[0], decimal=",", source="t.txt")


def test_two_structures_that_give_different_figures_are_refused():
    # the summing row is 15 (both items) or 5 (the last item): the arithmetic holds either way
    V, H = _fixed([[10], [5], [np.nan]])
    with pytest.raises(Undecided) as info:
        settle_structure(["item", "item", "sum"], {2: _domain(2, [15], [5])}, V, H)
    assert info.value.kind == "many" and info.value.pos == 2 and info.value.alive == [0, 1]


def test_a_sum_over_more_rows_than_are_tried_is_a_limit_not_a_misprint():
    """A summing row after more units than MAX_PARTS that no shorter sum fits: the table may well
    add up (a 1 000-row table did), so it is refused as too big, never as "no reading holds"."""
    n = printed.MAX_PARTS + 5
    V, H = _fixed([[100.0]] * n + [[100.0 * n]])
    domains = {0: _domain(0, [100.0], [200.0])}
    with pytest.raises(Undecided) as info:
        printed.structures(["item"] * n + ["sum"], domains, V, H)
    assert info.value.kind == "limit"
    short = ["item"] * 3 + ["sum"]
    with pytest.raises(Undecided) as info:  # a short sum that does not hold is "none", as before
        printed.structures(short, {}, *_fixed([[1.0], [1.0], [1.0], [9.0]]))
    assert info.value.kind == "none"
