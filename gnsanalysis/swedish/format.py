"""Swedish formatting for everything a board member reads.

Babel (CLDR data, no OS locale needed) does the grouping and decimal comma; we add the true
minus sign U+2212, which Swedish typography uses, and explicit half-up rounding so that a
printed figure never depends on float representation or banker's rounding.
"""

from __future__ import annotations

import datetime as dt
import numbers
from decimal import ROUND_HALF_UP, Decimal

from babel.dates import format_date
from babel.numbers import format_decimal

LOCALE = "sv_SE"
MINUS = "\u2212"
NBSP = "\u00a0"


def _to_decimal(value) -> Decimal:
    """Exact decimal of what was printed: floats go through their shortest repr."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, numbers.Integral):
        return Decimal(int(value))
    if isinstance(value, numbers.Real):
        return Decimal(repr(float(value)))
    return Decimal(str(value))


def round_half_up(value, decimals: int = 0) -> Decimal:
    """Round like a Swedish accountant: halves away from zero."""
    quantum = Decimal(1).scaleb(-decimals)
    return _to_decimal(value).quantize(quantum, rounding=ROUND_HALF_UP)


def is_missing(value) -> bool:
    if value is None:
        return True
    try:
        return value != value  # NaN / pd.NA-safe enough for floats
    except TypeError:
        return True


def number(value, decimals: int = 0, *, signed: bool = False, missing: str = "–") -> str:
    """``1 169``, ``−88``, ``914,4``; with ``signed=True`` also ``+13`` and ``±0``."""
    if is_missing(value):
        return missing
    rounded = round_half_up(value, decimals)
    if rounded == 0:
        rounded = abs(rounded)
    fmt = "#,##0" + ("." + "0" * decimals if decimals else "")
    text = format_decimal(abs(rounded), format=fmt, locale=LOCALE)
    if rounded < 0:
        return MINUS + text
    if signed:
        return ("±" if rounded == 0 else "+") + text
    return text


def tkr(value, decimals: int = 0, *, signed: bool = False) -> str:
    """``1 169 tkr``."""
    return f"{number(value, decimals, signed=signed)}{NBSP}tkr"


def kr(value, decimals: int = 0, *, signed: bool = False) -> str:
    """``914 400 kr`` (``140 039,33 kr`` with decimals=2)."""
    return f"{number(value, decimals, signed=signed)}{NBSP}kr"


def percent(value, decimals: int = 0, *, signed: bool = False) -> str:
    """``47 %`` for 47 (the value is already in per cent)."""
    return f"{number(value, decimals, signed=signed)}{NBSP}%"


def date(value: dt.date | str, fmt: str = "long") -> str:
    """``31 mars 2025``."""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value)
    return format_date(value, format=fmt, locale=LOCALE)


MONTHS = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
          "september", "oktober", "november", "december"]


def month_name(month: int) -> str:
    """``augusti`` for 8."""
    return MONTHS[month - 1]


def join_list(items: list[str]) -> str:
    """``a, b och c``."""
    items = list(items)
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " och " + items[-1]


def round_preserving_sum(values, decimals: int = 0) -> list[Decimal]:
    """Round each value so that the rounded values add up to the rounded sum.

    Largest-remainder rounding: a displayed column of parts then adds up to its displayed
    total. Ties go to the earlier value (deterministic).
    """
    exact = [_to_decimal(v) for v in values]
    quantum = Decimal(1).scaleb(-decimals)
    target = round_half_up(sum(exact, Decimal(0)), decimals)
    floors = [(v / quantum).to_integral_value(rounding="ROUND_FLOOR") * quantum for v in exact]
    missing = int((target - sum(floors, Decimal(0))) / quantum)  # >= 0: floors never exceed the sum
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - floors[i]), i))
    result = list(floors)
    for i in order[:missing]:
        result[i] += quantum
    return result


_UNIT_KRONOR = {"kr": 1, "tkr": 1_000, "mnkr": 1_000_000, "mkr": 1_000_000, "Mkr": 1_000_000}


def rounding_text(unit: str | None, decimals: int = 0) -> str:
    """What rounding to the printed precision can hide: ``högst 500 kr`` for whole tkr."""
    factor = _UNIT_KRONOR.get(unit or "", None)
    if factor is None:
        return f"en halv enhet i sista siffran ({unit or 'okänd enhet'})"
    half = Decimal(factor) / 2 / (Decimal(10) ** decimals)
    return f"högst {kr(half, 0 if half == half.to_integral_value() else 2)}"


def count_noun(n: int, singular: str, plural: str) -> str:
    """``1 avvikelse``, ``3 avvikelser``."""
    return f"{number(n)} {singular if n == 1 else plural}"
