"""One exception family for everything the economist or e-strategist can get wrong.

Messages are Swedish (they are shown to the committee's staff); each names the item, shows
what was found, what was expected and, where there is one, the fix. The CLI prints
``str(error)`` and exits 2 without a traceback.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple


class GnsError(Exception):
    """Root of all errors raised on purpose by gnsanalysis."""

    exit_code = 2


class Location(NamedTuple):  # a value; a NamedTuple is made in a sixth of a dataclass's time at import
    """Where in an input something was found (all parts optional)."""

    file: str | Path | None = None
    line: int | None = None  # 1-based line in a text file
    row: str | int | None = None  # row label (RR row) or spreadsheet row number
    column: str | int | None = None  # column header or spreadsheet column
    sheet: str | None = None

    def __str__(self) -> str:
        file = None if self.file is None else Path(self.file).name
        parts = [f"fil {file}", f"blad {self.sheet!r}", f"rad {self.line}", f"post {self.row!r}",
                 f"kolumn {self.column!r}"]
        parts = [p for p, v in zip(parts, (file, self.sheet, self.line, self.row, self.column), strict=True)
                 if v is not None]
        return ", ".join(parts) if parts else "okänd plats"


class ParseError(GnsError):
    """An input file cannot be read as the expected table."""

    def __init__(self, message: str, *, location: Location | None = None, found: object = None,
                 expected: str | None = None, hint: str | None = None) -> None:
        self.message = message
        self.location = location or Location()
        self.found = found
        self.expected = expected
        self.hint = hint
        super().__init__(self._render())

    def _render(self) -> str:
        text = f"{self.location}: {self.message}"
        if self.found is not None:
            text += f" Hittade: {self.found!r}."
        if self.expected:
            text += f" Förväntade: {self.expected}."
        if self.hint:
            text += f" Åtgärd: {self.hint}"
        return text


class AmbiguousParseError(ParseError):
    """The digits of a line can be read in more than one way (or in none)."""


class ParameterError(GnsError):
    """A report or CLI parameter is unknown or of the wrong form."""


class ConfigError(GnsError):
    """A configuration or metadata file (YAML/CSV shipped or placed beside raw data) is wrong."""


class DataNotFoundError(GnsError):
    """No input file matches what a report asks for."""


class ReportError(GnsError):
    """A report notebook failed while executing or exporting."""

    exit_code = 1


class UnsafeContentError(GnsError):
    """A report would publish personal data or reach outside the project's folders."""

    exit_code = 1
    #: every finding of the privacy scan (the message lists the first five)
    hits: list = []
