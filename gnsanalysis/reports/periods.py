"""Reporting periods: ``YYYY-MM``, year-end (December) and interim (April, June–August).

The rules of RKR R17 as data-free functions, used by the reports (to name and check their
period) and by the parameter validation of the runner.
"""

from __future__ import annotations

import re

from gnsanalysis.errors import ParameterError

_PERIOD_RE = re.compile(r"^(\d{4})-(\d{2})$")
INTERIM_MONTHS = (4, 6, 7, 8)  # April (tertial) and June–August (delår, RKR R17)


def count_text(n: int) -> str:
    """An integer with Swedish digit grouping (a space every three digits)."""
    return f"{n:_}".replace("_", " ")


def shown(value, limit: int = 60) -> str:
    """``repr(value)`` for a message, shortened when long (a message never repeats 5 MB)."""
    try:
        text = repr(value)
    except ValueError:  # an integer too long for Python to print
        return "ett heltal med tusentals siffror"
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({count_text(len(value) if isinstance(value, str) else len(text))} tecken)"


def period(value: str, name: str = "period") -> str:
    """``YYYY-MM`` with a real month."""
    m = _PERIOD_RE.match(str(value))
    if not m or not 1 <= int(m.group(2)) <= 12 or not 1900 < int(m.group(1)) < 2200:
        raise ParameterError(
            f"Parametern {name!r} har värdet {shown(value)}, men ska vara en period på formen ÅÅÅÅ-MM "
            "(t.ex. 2018-12) med månad 01–12.")
    return str(value)


def yearend_period(value: str, name: str = "period") -> str:
    """A year-end period: ``YYYY-12``."""
    value = period(value, name)
    if not value.endswith("-12"):
        raise ParameterError(
            f"Parametern {name!r} har värdet {shown(value)}, men ett årsbokslut avser hela året och ska "
            f"anges som ÅÅÅÅ-12 (t.ex. {value[:4]}-12). För en delårsrapport: gns report delarsrapport.")
    return value


def interim_period(value: str, name: str = "period") -> str:
    """An interim period: April (tertial) or June–August (delår, RKR R17: 1/2 to 2/3 of the year)."""
    value = period(value, name)
    month = int(value[5:])
    if month not in INTERIM_MONTHS:
        raise ParameterError(
            f"Parametern {name!r} har värdet {shown(value)}. En delårsrapport avser april (tertialrapport) "
            "eller juni–augusti (delårsrapport enligt RKR R17, minst halva och högst två tredjedelar "
            f"av året), t.ex. {value[:4]}-04 eller {value[:4]}-08.")
    return value
