"""The project's one set of rounding rules, in exact arithmetic (a float is taken as its repr).

:func:`round_half_up` (halves away from zero, ``−2,5 → −3``), :func:`round_preserving_sum` (parts
add up to the rounded sum) and :func:`largest_remainder` (Hamilton); the last two share
:func:`_apportion`: floors first, leftover units to the largest remainders, ties to the earlier.
The reverse question, which printed figures a true value can stand behind, is answered in floats
with a small tolerance: :func:`within_rounding` and :func:`printed_range`.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

from gnsanalysis.errors import ParameterError

Exact = Decimal | Fraction | int


def to_exact(value) -> Exact:
    """``value`` as an exact number: ints and Fractions as they are, floats via their repr."""
    if isinstance(value, Decimal | Fraction):
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return Decimal(repr(float(value)))
    return Decimal(str(value))


def to_decimal(value) -> Decimal:
    """Exact decimal of what was printed (a Fraction must have a terminating expansion)."""
    exact = to_exact(value)
    if isinstance(exact, Fraction):
        if exact.denominator == 1:
            return Decimal(exact.numerator)
        with localcontext() as ctx:
            ctx.prec = max(28, len(str(abs(exact.numerator))) + len(str(exact.denominator)) + 2)
            return Decimal(exact.numerator) / Decimal(exact.denominator)
    return Decimal(exact)


def _as_fraction(value) -> Fraction:
    exact = to_exact(value)
    if isinstance(exact, Decimal) and not exact.is_finite():
        raise ValueError(f"cannot round the non-finite value {value!r}")
    return Fraction(exact)


def _half_up_units(q: Fraction) -> int:
    """``q`` rounded to a whole number, halves away from zero."""
    whole, rest = divmod(abs(q.numerator), q.denominator)
    if 2 * rest >= q.denominator:
        whole += 1
    return -whole if q < 0 else whole


def _units_to_decimal(units: int, decimals: int, negative: bool = False) -> Decimal:
    """``units × 10**-decimals`` as an exact Decimal (keeps the sign of a negative zero)."""
    sign = "-" if negative and units == 0 else ""
    return Decimal(f"{sign}{units}E{-decimals}")


def round_half_up(value, decimals: int = 0) -> Decimal:
    """Round to ``decimals`` places, halves away from zero; exact at any magnitude.

    >>> str(round_half_up(2.5)), str(round_half_up(-2.5)), str(round_half_up(0.15, 1))
    ('3', '-3', '0.2')
    """
    exact = to_exact(value)
    if isinstance(exact, Decimal):
        if not exact.is_finite():
            raise ValueError(f"cannot round the non-finite value {value!r}")
        with localcontext() as ctx:  # enough digits that quantize never overflows the context
            ctx.prec = max(28, exact.adjusted() + decimals + 3)
            return exact.quantize(Decimal(f"1E{-decimals}"), rounding=ROUND_HALF_UP)
    scaled = Fraction(exact) * Fraction(10) ** decimals
    return _units_to_decimal(_half_up_units(scaled), decimals, negative=scaled < 0)


def round_half_up_int(value) -> int:
    """Round to a whole number (halves away from zero) and return a Python int."""
    return _half_up_units(_as_fraction(value))


def _apportion(amounts: Sequence[Fraction], target: int) -> list[int]:
    """Floors of ``amounts``, plus one unit each to the largest remainders until ``target``.

    ``target − Σ floor`` must lie in ``0 … len(amounts)``; ties go to the earlier position.
    """
    floors = [a.numerator // a.denominator for a in amounts]
    left = target - sum(floors)
    if not 0 <= left <= len(amounts):
        raise ValueError(f"cannot reach {target} from the floors {floors}")
    ranking = sorted(range(len(amounts)), key=lambda i: (-(amounts[i] - floors[i]), i))
    for i in ranking[:left]:
        floors[i] += 1
    return floors


def round_preserving_sum(values: Iterable, decimals: int = 0) -> list[Decimal]:
    """Round each value so that the rounded values add up to the rounded sum.

    The target is the half-up rounding of the exact sum; a displayed column of parts then adds
    up to its displayed total. Largest remainder, ties to the earlier value.

    >>> [str(v) for v in round_preserving_sum([0.4, 0.4, 0.4])]
    ['1', '0', '0']
    """
    scale = Fraction(10) ** decimals
    amounts = [_as_fraction(v) * scale for v in values]
    target = _half_up_units(sum(amounts, Fraction(0)))
    return [_units_to_decimal(u, decimals) for u in _apportion(amounts, target)]


def largest_remainder(total_units: int, weights: Sequence[Fraction]) -> list[int]:
    """Hamilton apportionment of ``total_units`` (an int of any size) by exact ``weights``.

    Ties between equal remainders go to the earlier position. Negative totals are split as
    their absolute value and negated.

    >>> largest_remainder(10, [Fraction(1)] * 3)
    [4, 3, 3]
    """
    weights = [Fraction(w) for w in weights]
    if any(w < 0 for w in weights):
        raise ParameterError("Vikterna i en fördelningsnyckel får inte vara negativa.")
    weight_sum = sum(weights, Fraction(0))
    if weight_sum == 0:
        raise ParameterError(
            "Fördelningsnyckeln har bara vikter som är noll; det finns inget att fördela efter."
        )
    total_units = int(total_units)
    if total_units < 0:
        return [-x for x in largest_remainder(-total_units, weights)]
    return _apportion([total_units * w / weight_sum for w in weights], total_units)


def within_rounding(printed: float, low: float, high: float, half: float) -> bool:
    """Whether ``printed`` can be a rounding (± ``half``) of a true value in ``low … high``,
    with a float tolerance of ``1e-9`` plus a millionth of ``half``.

    >>> within_rounding(705, 704.5, 705.3, 0.5), within_rounding(707, 704.5, 705.3, 0.5)
    (True, False)
    """
    tol = half + 1e-9 + half * 1e-6
    return low - tol <= printed <= high + tol


def printed_range(low: float, high: float, decimals: int = 0) -> tuple[float, float]:
    """The lowest and highest printed figure (a multiple of ``10**-decimals``) that a true value
    in ``low … high`` can be rounded to, with the tolerance of :func:`within_rounding`.

    >>> printed_range(713.6, 716.4)
    (714.0, 716.0)
    """
    q = 10.0 ** -decimals
    half = q / 2
    lo = math.ceil((low - half) / q - 1e-9) * q
    hi = math.floor((high + half) / q + 1e-9) * q
    return round(lo, decimals), round(hi, decimals)

