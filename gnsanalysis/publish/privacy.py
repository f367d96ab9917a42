"""Personal data must not reach a public report: e-mail addresses, phone numbers, personnummer.

The scan reads the visible text of the exported HTML (not styles, scripts or embedded image
data), so the place it names is what a reader would see: the nearest heading and the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

from gnsanalysis.errors import UnsafeContentError

EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Swedish numbers: 0XX-XXX XX XX, 070-123 45 67, +46 70 123 45 67 (area code with a dash or +46)
PHONE_RE = re.compile(r"(?:\+46[\s-]?\d{1,3}|\b0\d{1,3}\s?-)\s?\d{2,3}(?:[\s-]?\d{2,3}){1,3}\b")
PNR_RE = re.compile(r"\b(?:19|20)?(\d{6})[-+]?(\d{4})\b")


def _luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(digits):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def _is_personnummer(match: re.Match) -> bool:
    date, tail = match.group(1), match.group(2)
    month, day = int(date[2:4]), int(date[4:6])
    if not (1 <= month <= 12 and 1 <= (day - 60 if day > 60 else day) <= 31):  # 60+ = samordningsnummer
        return False
    return _luhn_ok(date + tail)


@dataclass(frozen=True)
class PersonalDataHit:
    kind: str
    text: str
    section: str

    def __str__(self) -> str:
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
    parser = _TextCollector()
    parser.feed(html)
    hits: list[PersonalDataHit] = []
    for section, text in parser.chunks:
        for m in EMAIL_RE.finditer(text):
            hits.append(PersonalDataHit("e-postadress", m.group(0), section))
        for m in PHONE_RE.finditer(text):
            hits.append(PersonalDataHit("telefonnummer", m.group(0).strip(), section))
        for m in PNR_RE.finditer(text):
            if _is_personnummer(m):
                hits.append(PersonalDataHit("personnummer", m.group(0), section))
    return hits


def assert_no_personal_data(html: str, report: str) -> None:
    hits = scan_html(html)
    if hits:
        listed = "; ".join(str(h) for h in hits[:5])
        raise UnsafeContentError(
            f"Rapporten {report!r} skulle innehålla personuppgifter: {listed}. Bygget stoppades och den "
            "tidigare rapporten är orörd. Ta bort uppgiften ur indata eller parametrar.")
