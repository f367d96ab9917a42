"""Swedish formatting for everything a board member reads.

Babel (CLDR data, no OS locale needed) does the grouping and decimal comma; we add the true
minus sign U+2212, which Swedish typography uses, and explicit half-up rounding
(:mod:`gnsanalysis.swedish.rounding`) so that a printed figure never depends on float
representation or banker's rounding.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

# the rounding rules live in one module; re-exported here because report code reads them as fmt.*
from gnsanalysis.swedish.rounding import round_half_up, round_preserving_sum  # noqa: F401

LOCALE = "sv_SE"
MINUS = "\u2212"
NBSP = "\u00a0"


def is_missing(value) -> bool:
    """True for ``None`` and NaN (values shown as missing)."""
    if value is None:
        return True
    try:
        return value != value  # NaN / pd.NA-safe enough for floats
    except TypeError:
        return True


def decimals_needed(value: float, fewest: int = 1, most: int = 4) -> int:
    """The decimals that print ``value`` exactly: 0 for a whole number, else the fewest from
    ``fewest`` up to ``most`` (``most`` when none does): 0,015 needs 3, not the 0,02 of two."""
    if abs(value - round(value)) < 1e-9:
        return 0
    return next((d for d in range(max(fewest, 1), most) if abs(value * 10**d - round(value * 10**d)) < 1e-9),
                most)


def number(value, decimals: int = 0, *, signed: bool = False) -> str:
    """``1 169``, ``−88``, ``914,4``; with ``signed=True`` also ``+13`` and ``±0``; ``–`` for a missing value."""
    if is_missing(value):
        return "–"
    rounded = round_half_up(value, decimals)  # a negative zero compares equal to 0, so prints "0"
    from babel.numbers import format_decimal  # imported when used: keeps small `gns` commands fast

    fmt = "#,##0" + ("." + "0" * decimals if decimals else "")
    text = format_decimal(abs(rounded), format=fmt, locale=LOCALE)
    if rounded < 0:
        return MINUS + text
    if signed:
        return ("±" if rounded == 0 else "+") + text
    return text


def amount(value, unit: str, signed: bool = False) -> str:
    """``+23 tkr``: a figure in Swedish format with its unit."""
    return f"{number(value, signed=signed)} {unit}"


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
    from babel.dates import format_date  # imported when used: keeps small `gns` commands fast

    return format_date(value, format=fmt, locale=LOCALE)


def month_name(month: int) -> str:
    """``augusti`` for 8 (CLDR's Swedish month names, as a sentence uses them)."""
    from babel.dates import get_month_names  # imported when used: keeps small `gns` commands fast

    return get_month_names("wide", context="format", locale=LOCALE)[month]


def join_list(items, style: Literal["standard", "or"] = "standard") -> str:
    """``a, b och c`` (CLDR's Swedish list pattern; ``style="or"``: ``a, b eller c``)."""
    from babel.lists import format_list  # imported when used: keeps small `gns` commands fast

    return format_list(list(items), style=style, locale=LOCALE)


def or_list(items) -> str:
    """``a, b eller c`` (CLDR's Swedish pattern for alternatives)."""
    return join_list(items, "or")


# Kronor per unit of an amount column (the units tables print: kr, tkr, mnkr/mkr).
KR_PER_UNIT = {"kr": 1, "tkr": 1_000, "mnkr": 1_000_000, "mkr": 1_000_000, "Mkr": 1_000_000}


def rounding_text(unit: str | None, decimals: int = 0) -> str:
    """What rounding to the printed precision can hide: ``högst 500 kr`` for whole tkr."""
    factor = KR_PER_UNIT.get(unit or "", None)
    if factor is None:
        return f"en halv enhet i sista siffran ({unit or 'okänd enhet'})"
    half = Decimal(factor) / 2 / (Decimal(10) ** decimals)
    return f"högst {kr(half, 0 if half == half.to_integral_value() else 2)}"


def count_noun(n: int, singular: str, plural: str) -> str:
    """``1 avvikelse``, ``3 avvikelser`` (grouped as :func:`number` groups, without loading Babel)."""
    grouped = f"{abs(int(n)):,}".replace(",", NBSP)
    return f"{MINUS if n < 0 else ''}{grouped} {singular if n == 1 else plural}"
