"""CSV cells that a spreadsheet shows as text, never runs as a formula (CSV injection).

Following OWASP, a cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
gets a leading ``'`` unless it is a plain number (``-88``, ``-0,5``), which stays a number.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

# What a spreadsheet may read as the start of a formula (OWASP "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A plain number as the project writes it: optional sign, digits, optional decimals with comma
# or point, optional exponent or percent sign. Grouped digits ("-1 489") are text to a spreadsheet
# and get the quote like any other text.
_NUMBER_RE = re.compile(r"[+-]?\d+(?:[.,]\d+)?(?:[eE][+-]?\d+)?%?")


def is_plain_number(text: str) -> bool:
    """True when ``text`` is a number a spreadsheet reads as one (so it needs no quoting)."""
    return _NUMBER_RE.fullmatch(text) is not None


def safe_cell(value: Any) -> Any:
    """``value`` unchanged, unless it is text a spreadsheet would take for a formula: then ``'`` + text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not is_plain_number(value):
        return "'" + value
    return value


def safe_row(row: Iterable[Any]) -> list[Any]:
    """:func:`safe_cell` on every cell of a row (for :func:`csv.writer`)."""
    return [safe_cell(v) for v in row]


def safe_frame(frame):
    """A copy of a pandas DataFrame whose text cells and column names pass :func:`safe_cell`."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or str(out[column].dtype) in ("string", "str"):
            out[column] = out[column].map(safe_cell)
    out.columns = [safe_cell(c) if isinstance(c, str) else c for c in out.columns]
    return out
