"""The one rounding module: half-up, sum-preserving and largest remainder (table-driven)."""

from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gnsanalysis.errors import ParameterError
from gnsanalysis.swedish.rounding import (
    largest_remainder,
    printed_range,
    round_half_up,
    round_half_up_int,
    round_preserving_sum,
    within_rounding,
)

HUGE = 10**300


@pytest.mark.parametrize("value,decimals,expected", [
    (2.5, 0, "3"),
    (-2.5, 0, "-3"),                      # half away from zero, not floor(x + 0.5)
    (0.5, 0, "1"),
    (-0.5, 0, "-1"),
    (1.5, 0, "2"),                        # not banker's rounding
    (-1.5, 0, "-2"),
    (-0.4, 0, "-0"),                      # the sign of zero is kept; fmt.number prints it as 0
    (0.15, 1, "0.2"),                     # the float as printed, not 0.1499999…
    (-0.15, 1, "-0.2"),
    (Decimal("744.45"), 1, "744.5"),
    (Decimal("-744.45"), 1, "-744.5"),
    (Fraction(5, 2), 0, "3"),
    (Fraction(-5, 2), 0, "-3"),
    (Fraction(-1, 3), 2, "-0.33"),
    (Fraction(2, 3), 2, "0.67"),
    (np.float64(2.5), 0, "3"),
    (np.int64(-7), 0, "-7"),
    (7, 2, "7.00"),
    (Decimal(f"{HUGE}.5"), 0, str(HUGE + 1)),          # beyond the default 28 digits
    (Decimal(f"-{HUGE}.5"), 0, str(-HUGE - 1)),
    (Fraction(2 * HUGE + 1, 2), 0, str(HUGE + 1)),
    (HUGE, 0, str(HUGE)),
])
def test_round_half_up(value, decimals, expected):
    assert Decimal(expected) == round_half_up(value, decimals)
    assert str(round_half_up(value, decimals)) == expected or "E" in str(round_half_up(value, decimals))


@pytest.mark.parametrize("value,expected", [
    (2.5, 3), (-2.5, -3), (0.49, 0), (-0.49, 0), (np.float64(-1234.5), -1235),
    (Fraction(-2 * HUGE - 1, 2), -HUGE - 1), (HUGE, HUGE),
])
def test_round_half_up_int(value, expected):
    result = round_half_up_int(value)
    assert result == expected and type(result) is int


def test_round_half_up_refuses_non_finite():
    with pytest.raises(ValueError):
        round_half_up(float("inf"))


@pytest.mark.parametrize("total,weights,expected", [
    (10, [1, 1, 1], [4, 3, 3]),                       # tie: the earlier position
    (-10, [1, 1, 1], [-4, -3, -3]),                   # negative: mirrored, same tie-break
    (2, [1, 1, 1], [1, 1, 0]),
    (5, [0, 1, 0], [0, 5, 0]),                        # weight 0 pays 0
    (7, [Fraction(1, 3), Fraction(2, 3)], [2, 5]),    # 7/3 = 2,33 and 14/3 = 4,67
    (0, [1, 2], [0, 0]),
    (HUGE + 1, [1, 1], [HUGE // 2 + 1, HUGE // 2]),   # hundreds of digits, exact
    (10**18 * 100, [1] * 9, [11111111111111111112] * 1 + [11111111111111111111] * 8),
])
def test_largest_remainder(total, weights, expected):
    shares = largest_remainder(total, [Fraction(w) for w in weights])
    assert shares == expected
    assert sum(shares) == total


@pytest.mark.parametrize("weights,message", [
    ([1, -1], "negativa"),
    ([0, 0], "noll"),
])
def test_largest_remainder_refuses(weights, message):
    with pytest.raises(ParameterError, match=message):
        largest_remainder(10, [Fraction(w) for w in weights])


@pytest.mark.parametrize("values,decimals,expected", [
    ([0.4, 0.4, 0.4], 0, ["1", "0", "0"]),
    ([-0.4, -0.4, -0.4], 0, ["0", "0", "-1"]),
    ([1.5, 1.5], 0, ["2", "1"]),
    ([-1.5, -1.5], 0, ["-1", "-2"]),                  # sum −3 exactly; floors −2, −2 → one back
    ([2.5, -2.5], 0, ["3", "-3"]),
    ([0.25, 0.25], 1, ["0.3", "0.2"]),
    ([Decimal(f"{HUGE}.5"), Decimal("0.5")], 0, [str(HUGE + 1), "0"]),
    ([], 0, []),
])
def test_round_preserving_sum_table(values, decimals, expected):
    assert [Decimal(v) for v in expected] == round_preserving_sum(values, decimals)


@given(st.lists(st.integers(min_value=-(10**40), max_value=10**40), min_size=1, max_size=12),
       st.integers(min_value=-(10**60), max_value=10**60))
def test_largest_remainder_sums_exactly(weights, total):
    weights = [Fraction(abs(w)) for w in weights]
    if sum(weights) == 0:
        return
    shares = largest_remainder(total, weights)
    assert sum(shares) == total
    for share, w in zip(shares, weights):
        assert abs(share - Fraction(total) * w / sum(weights)) < 1


@pytest.mark.parametrize("printed,low,high,half,expected", [
    (705, 704.5, 705.3, 0.5, True),
    (706, 704.5, 705.5, 0.5, True),     # 705,5 rounds to 706: the edge counts
    (707, 704.5, 705.3, 0.5, False),
    (704, 704.5, 705.3, 0.5, True),
    (703.9, 704.5, 705.3, 0.5, False),
    (0.0, 0.0, 0.0, 0.0, True),         # an empty cell stands for exactly 0
    (0.0, 0.5, 1.5, 0.0, False),
    (1.25, 1.2, 1.2, 0.05, True),       # one decimal
])
def test_within_rounding(printed, low, high, half, expected):
    assert within_rounding(printed, low, high, half) is expected


@pytest.mark.parametrize("low,high,decimals,expected", [
    (713.6, 716.4, 0, (714.0, 716.0)),
    (713.5, 716.5, 0, (713.0, 717.0)),  # a true 713,5 may be printed 713 or 714
    (-2.0, -2.0, 0, (-2.0, -2.0)),
    (1.23, 1.27, 1, (1.2, 1.3)),
])
def test_printed_range(low, high, decimals, expected):
    assert printed_range(low, high, decimals) == expected


@given(st.integers(-10**6, 10**6), st.integers(0, 5), st.integers(0, 2))
def test_printed_range_agrees_with_within_rounding(center, n, decimals):
    q = 10.0 ** -decimals
    low, high = center * q - n * q / 2, center * q + n * q / 2
    lo, hi = printed_range(low, high, decimals)
    assert within_rounding(lo, low, high, q / 2) and within_rounding(hi, low, high, q / 2)
    assert not within_rounding(lo - q, low, high, q / 2) and not within_rounding(hi + q, low, high, q / 2)
