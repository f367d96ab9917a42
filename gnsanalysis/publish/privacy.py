"""Personal data must not reach a public report: e-mail addresses, phone numbers, personnummer.

The scan reads the visible text of the exported HTML (not styles, scripts or embedded image
data), so the place it names is what a reader would see: the nearest heading and the text.
:func:`find_personal_data` scans plain text (a parameter value, a label) the same way, so a
parameter can be refused before a kernel starts.

Phone numbers are found in the forms people write them: ``063-14 30 00``, ``063 14 30 00``,
``(063) 14 30 00``, ``0701234567``, ``070-123 45 67``, ``+46 (0)63 14 30 00``,
``+46 70 123 45 67``, ``08-123 456 78``. A candidate is a run of digits with single spaces or
dashes between them that starts with ``0`` (not ``00``), ``(0`` or ``+46``/``0046`` and is not
glued to a longer number, word, date or hash; in national form it has 8–10 digits. Amounts
(``1 352 000``), dates (``2018-12-31``), diarienummer (``GNS/11/2018``) and SHA-256 hashes never
start that way at a boundary.

Personnummer and samordningsnummer have 10 or 12 digits (``121212-1212``, ``121212+1212``,
``19121212 1212``, ``191212121212``), a valid month and day (day + 60 for samordningsnummer)
and a valid Luhn check digit; organisationsnummer (month 20 or more) are not personal data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

from gnsanalysis.errors import UnsafeContentError

# the look-behind starts a candidate only where a run of address characters starts (linear time)
EMAIL_RE = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")

# Separators people put inside phone numbers and personnummer: space, no-break spaces, dashes.
_SPACE = r"[ \u00a0\u202f\u2009]"
_SEP = rf"(?:{_SPACE}|{_SPACE}?[-\u2010\u2011\u2013]{_SPACE}?)?"  # one way to match each separator
# Not glued to a preceding word, number, date part (2018-12-…), path (GNS/11/…) or decimal, and
# not a later digit group of an amount ("140 039–140 040 kr", "12 034 056 078").
_BEFORE = r"(?<![\w\-\u2013/.,])(?<!\d[ \u00a0\u202f\u2009])"
_AFTER = r"(?![\w\-\u2013/]\w|\w)"

PHONE_RE = re.compile(
    _BEFORE
    + r"(?P<prefix>(?:\+|00)46" + _SEP + r"(?:\(0\)" + _SEP + r")?(?=[1-9])"  # +46, +46 (0)
    + r"|\(0(?=[1-9]\d{0,3}\))"                                             # (063)
    + r"|0(?=[1-9]))"                                                       # 063, 070, 08
    + r"(?P<rest>\d(?:\)?" + _SEP + r"\d)*)"
    + _AFTER
)
PNR_RE = re.compile(
    _BEFORE + r"(?P<century>18|19|20)?(?P<date>\d{6})[ \u00a0]?[-+\u2013]?[ \u00a0]?(?P<tail>\d{4})" + _AFTER
)


def _luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(digits):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def _is_personnummer(date: str, tail: str) -> bool:
    month, day = int(date[2:4]), int(date[4:6])
    if not (1 <= month <= 12 and 1 <= (day - 60 if day > 60 else day) <= 31):  # 60+ = samordningsnummer
        return False
    return _luhn_ok(date + tail)


def _personnummer_spans(text: str) -> list[tuple[int, int, str]]:
    spans: list[tuple[int, int, str]] = []
    pos = 0
    while True:
        m = PNR_RE.search(text, pos)
        if not m:
            return spans
        if _is_personnummer(m.group("date"), m.group("tail")):
            spans.append((m.start(), m.end(), m.group(0)))
            pos = m.end()
        else:
            pos = m.start() + 1


def _phone_spans(text: str) -> list[tuple[int, int, str]]:
    """Each phone number: a candidate with 8–10 digits in national form is one; of a longer one
    (a number followed by more figures, "063-14 30 00 2019") the longest part that ends at a
    space and has 8–10 digits."""
    spans = []
    for m in PHONE_RE.finditer(text):
        rest = m.group("rest")
        digits = 1  # the leading 0, or the +46 that stands for it
        end = None
        for i, ch in enumerate(rest):
            if ch.isdigit():
                digits += 1
                if 8 <= digits <= 10 and rest[i + 1:i + 2] in ("", " ", "\u00a0"):
                    end = m.start("rest") + i + 1
        if end is not None:
            spans.append((m.start(), end, text[m.start():end]))
    return spans


def find_personal_data(text: str) -> list[tuple[str, str]]:
    """``(kind, text)`` for each e-mail address, phone number and personnummer in ``text``."""
    hits = [(m.start(), "e-postadress", m.group(0)) for m in EMAIL_RE.finditer(text)]
    pnr = _personnummer_spans(text)
    hits += [(start, "personnummer", found) for start, _, found in pnr]
    for start, end, found in _phone_spans(text):
        if any(s < end and start < e for s, e, _ in pnr):
            continue  # a personnummer that also looks like a number (010203-1234) is listed once
        hits.append((start, "telefonnummer", found.strip()))
    return [(kind, found) for _, kind, found in sorted(hits)]


@dataclass(frozen=True)
class PersonalDataHit:
    """One piece of personal data found: its kind, the text and where."""
    kind: str
    text: str
    section: str

    def __str__(self) -> str:
        """The finding as the error message lists it."""
        return f"{self.kind} {self.text!r} i avsnittet {self.section!r}"


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.chunks: list[tuple[str, str]] = []
        self.section = "början av rapporten"
        self._skip = 0
        self._in_heading = False
        self._heading: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "script"):
            self._skip += 1
        if tag in ("h1", "h2", "h3", "h4"):
            self._in_heading, self._heading = True, []
        # text a reader (or a screen reader) gets from attributes
        for name, value in attrs:
            if name in ("alt", "title", "aria-label", "content") and value and not self._skip:
                self.chunks.append((self.section, value))

    def handle_endtag(self, tag):
        if tag in ("style", "script") and self._skip:
            self._skip -= 1
        if tag in ("h1", "h2", "h3", "h4") and self._in_heading:
            self._in_heading = False
            self.section = "".join(self._heading).replace("¶", "").strip() or self.section

    def handle_data(self, data):
        if self._skip:
            return
        if self._in_heading:
            self._heading.append(data)
        self.chunks.append((self.section, data))


def scan_html(html: str) -> list[PersonalDataHit]:
    """Every phone number, e-mail address and personnummer in the report's visible text."""
    parser = _TextCollector()
    parser.feed(html)
    parser.close()
    return [PersonalDataHit(kind, found, section)
            for section, text in parser.chunks for kind, found in find_personal_data(text)]


def assert_no_personal_data(html: str, report: str) -> None:
    """Raise UnsafeContentError (the build stops) when the report would publish personal data."""
    hits = scan_html(html)
    if hits:
        listed = "; ".join(str(h) for h in hits[:5])
        more = f" (och {len(hits) - 5} till)" if len(hits) > 5 else ""
        error = UnsafeContentError(
            f"Rapporten {report!r} skulle innehålla personuppgifter: {listed}{more}. Bygget stoppades "
            "och den tidigare rapporten är orörd. Ta bort uppgiften ur indata eller parametrar.")
        error.hits = hits  # every finding, for callers and tests (the message lists five)
        raise error
