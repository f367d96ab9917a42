"""Swedish number and date formatting (table-driven)."""

from decimal import Decimal

import numpy as np
import pytest

from gnsanalysis.swedish import format as fmt
from gnsanalysis.swedish.rounding import to_decimal

NB = "\u00a0"
M = "\u2212"


@pytest.mark.parametrize("value,decimals,signed,expected", [
    (1169, 0, False, f"1{NB}169"),
    (-88, 0, False, f"{M}88"),
    (-1099.0, 0, False, f"{M}1{NB}099"),
    (np.float64(2929.0), 0, False, f"2{NB}929"),
    (np.int64(-3018), 0, False, f"{M}3{NB}018"),
    (914.4, 1, False, "914,4"),
    (Decimal("744.4"), 1, False, "744,4"),
    (13, 0, True, "+13"),
    (0, 0, True, "±0"),
    (-0.4, 0, True, "±0"),       # rounds to zero: no negative zero
    (0.5, 0, False, "1"),        # half away from zero, not banker's rounding
    (2.5, 0, False, "3"),
    (-2.5, 0, False, f"{M}3"),
    (0.15, 1, False, "0,2"),     # float 0.15 is printed, not 0.1499999…
    (1234567.891, 2, False, f"1{NB}234{NB}567,89"),
    (10598, 0, False, f"10{NB}598"),
    (None, 0, False, "–"),
    (float("nan"), 0, False, "–"),
])
def test_number(value, decimals, signed, expected):
    assert fmt.number(value, decimals, signed=signed) == expected


def test_units():
    assert fmt.kr(-88) == f"{M}88{NB}kr"
    assert fmt.kr(914400) == f"914{NB}400{NB}kr"
    assert fmt.kr(140039.333, 2) == f"140{NB}039,33{NB}kr"
    assert fmt.percent(47) == f"47{NB}%"
    assert fmt.kr(13, signed=True) == f"+13{NB}kr"



@pytest.mark.parametrize("value,unit,signed,expected", [
    (23, "tkr", True, "+23 tkr"),  # the unit follows after a plain space, as the report sentences print it
    (-1743.2, "mnkr", False, f"{M}1{NB}743 mnkr"),
    (0, "kr", True, "±0 kr"),
    (float("nan"), "tkr", True, "– tkr"),
])
def test_amount(value, unit, signed, expected):
    assert fmt.amount(value, unit, signed) == expected


@pytest.mark.parametrize("value,expected", [
    ("2019-01-31", "31 januari 2019"),
    ("2018-08-31", "31 augusti 2018"),
])
def test_date(value, expected):
    assert fmt.date(value) == expected


def test_join_list():
    assert fmt.join_list([]) == ""
    assert fmt.join_list(["a"]) == "a"
    assert fmt.join_list(["a", "b"]) == "a och b"
    assert fmt.join_list(["a", "b", "c"]) == "a, b och c"
    assert fmt.join_list(x for x in "ab") == "a och b"


def test_or_list():
    assert fmt.or_list(["a"]) == "a"
    assert fmt.or_list(["a", "b"]) == "a eller b"
    assert fmt.or_list(["a", "b", "c"]) == "a, b eller c"


def test_month_names():
    assert [fmt.month_name(m) for m in range(1, 13)] == [
        "januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
        "september", "oktober", "november", "december"]


@pytest.mark.parametrize("values,expected", [
    ([0.4, 0.4, 0.4], ["1", "0", "0"]),
    ([1.5, 1.5], ["2", "1"]),
    ([-0.4, -0.4, -0.4], ["0", "0", "-1"]),
    ([2240.0, 1792.0, 529.8048, 649.4664], ["2240", "1792", "530", "649"]),
    ([], []),
])
def test_round_preserving_sum(values, expected):
    assert [str(v) for v in fmt.round_preserving_sum(values)] == expected


from hypothesis import given  # noqa: E402
from hypothesis import strategies as st


@given(st.lists(st.floats(min_value=-1e7, max_value=1e7, allow_nan=False), max_size=20),
       st.integers(min_value=0, max_value=2))
def test_round_preserving_sum_adds_up(values, decimals):
    shown = fmt.round_preserving_sum(values, decimals)
    assert sum(shown) == fmt.round_half_up(sum(to_decimal(v) for v in values), decimals)
    q = Decimal(1).scaleb(-decimals)
    for v, s in zip(values, shown):
        assert abs(to_decimal(v) - s) < q


@pytest.mark.parametrize("unit,decimals,expected", [
    ("tkr", 0, f"högst 500{NB}kr"),
    ("tkr", 1, f"högst 50{NB}kr"),
    ("mnkr", 1, f"högst 50{NB}000{NB}kr"),
    ("kr", 0, f"högst 0,50{NB}kr"),
])
def test_rounding_text(unit, decimals, expected):
    assert fmt.rounding_text(unit, decimals) == expected


def test_count_noun():
    assert fmt.count_noun(1, "avvikelse", "avvikelser") == "1 avvikelse"
    assert fmt.count_noun(3, "avvikelse", "avvikelser") == "3 avvikelser"


@pytest.mark.parametrize("n", [0, 1, 7, 999, 1000, 1169, 99_999, 100_000, 1_234_567, 10**15 + 1,
                               -1, -88, -1000, -1_234_567])
def test_count_noun_groups_the_count_as_number_does(n):
    """count_noun groups without Babel; it must print what number() prints."""
    assert fmt.count_noun(n, "rad", "rader") == f"{fmt.number(n)} {'rad' if n == 1 else 'rader'}"


@pytest.mark.parametrize("value,fewest,most,expected", [
    (3.0, 2, 4, 0), (0.015, 2, 4, 3), (0.4453, 2, 4, 4), (1.2, 2, 4, 2), (1 / 3, 2, 4, 4),
    (1.2, 1, 2, 1), (0.30000000000000004, 1, 2, 1), (2.25, 1, 2, 2), (7.0000000000001, 1, 2, 0),
])
def test_decimals_needed(value, fewest, most, expected):
    assert fmt.decimals_needed(value, fewest=fewest, most=most) == expected
