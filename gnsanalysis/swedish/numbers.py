"""Reading Swedish printed numbers exactly.

Printed tables use a space or no-break space as thousands separator, a decimal comma and one
of three minus glyphs (``-`` hyphen-minus, ``–`` en dash, ``−`` minus sign), sometimes followed
by a space. An empty cell or a lone dash means "no value". Values are returned as
:class:`decimal.Decimal` so that what was printed is exactly what is kept.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal
from fractions import Fraction
from typing import Any

MINUS_GLYPHS = "-\u2013\u2212"  # hyphen-minus, en dash, minus sign
GROUP_SPACES = " \u00a0\u202f"  # space, no-break space, narrow no-break space
NO_VALUE = {"", "-", "\u2013", "\u2212", "\u2014"}

_SP = f"[{GROUP_SPACES}]"
# by decimal mark: thousands grouped by a space (and, with a decimal point, also by a comma)
_NUMBER_RE = {point: re.compile(rf"^(?P<sign>[{MINUS_GLYPHS}+]{_SP}?)?(?P<int>\d{{1,3}}(?:{group}\d{{3}})+|\d+)"
                                rf"(?:{re.escape(point)}(?P<frac>\d+))?$")
              for point, group in ((",", _SP), (".", f"[{GROUP_SPACES},]"))}


class NumberFormatError(ValueError):
    """The text is not a number in the expected Swedish form."""


def is_no_value(text: str | None) -> bool:
    """True for an empty cell or a lone dash."""
    return text is None or text.strip(GROUP_SPACES + "\t") in NO_VALUE


def parse_number(text: str | None, *, decimal: str = ",") -> Decimal | None:
    """Parse one printed number; ``None`` for no value.

    >>> parse_number("1 169"), parse_number("– 1 099"), parse_number("-415,9"), parse_number("-")
    (Decimal('1169'), Decimal('-1099'), Decimal('-415.9'), None)
    """
    if is_no_value(text):
        return None
    assert text is not None
    cleaned = text.strip(GROUP_SPACES + "\t")
    match = _NUMBER_RE[decimal].match(cleaned)
    if not match:
        raise NumberFormatError(
            f"{text!r} är inte ett tal (väntat t.ex. '1 169', '-88', '– 1 099' eller '914,4')"
        )
    digits = re.sub(r"\D", "", match["int"])  # the group separators out
    value = Decimal(digits + ("." + match["frac"] if match["frac"] else ""))
    sign = (match["sign"] or "").strip(GROUP_SPACES)
    if sign and sign in MINUS_GLYPHS:
        value = -value
    return value


def decimals_of(text: str | None) -> int:
    """Number of printed decimals (0 for whole numbers and for no value)."""
    if is_no_value(text):
        return 0
    assert text is not None
    m = re.search(r"[,.](\d+)\s*$", text.strip())
    return len(m.group(1)) if m and not re.search(rf"[,.]\d{{3}}{_SP}", text) else 0


def parse_fraction(value: Any) -> Fraction:
    """An exact number: int, Fraction, Decimal, float (as printed), Swedish or plain text, or ``a/b``.

    Raises ValueError with a short Swedish reason ("inte ett tal", "inte ett ändligt tal",
    "division med noll"); callers put it into their own message.
    """
    if isinstance(value, bool) or value is None:
        raise ValueError("inte ett tal")
    if isinstance(value, Fraction | int):
        return Fraction(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("inte ett ändligt tal")
        return Fraction(Decimal(repr(value)))
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError("inte ett ändligt tal")
        return Fraction(value)
    if isinstance(value, str):
        text = value.strip()
        if m := re.fullmatch(r"([+-]?\d+)\s*/\s*(\d+)", text):
            if int(m[2]) == 0:
                raise ValueError("division med noll")
            return Fraction(int(m[1]), int(m[2]))
        for decimal in (",", "."):
            try:
                parsed = parse_number(text, decimal=decimal)
            except NumberFormatError:
                continue
            if parsed is not None:
                return Fraction(parsed)
        raise ValueError("inte ett tal")
    try:  # other number types (numpy scalars, ...) through their decimal text
        return Fraction(Decimal(str(value)))
    except (ArithmeticError, ValueError, TypeError) as exc:
        raise ValueError("inte ett tal") from exc
