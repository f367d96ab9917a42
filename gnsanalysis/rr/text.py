"""Free-text RR inputs (spaced text, PDF text, one cell per line): rows read token by token.

The algorithm (:func:`parse_free_text`):

1. Every line is split into a label and the numeric run that ends it (:func:`_split_label`),
   cut into segments at the hard separators (tabs, wide gaps) that run contains.
2. The first row is the first line with a label and figures that are not only years (or a
   label line followed by a figures line); the header is the run of header-like lines
   directly above it, and everything further up is the preamble.
3. The header lines give the slots after the label (note or value column, per column group):
   each line is cut into column phrases, the lines are stacked, and group words (Kommunen,
   Koncernen) split the columns into groups (:func:`_text_header`).
4. The lines below are assembled into logical rows (:class:`_Rows`): a label wrapped over two
   lines, figures on the line after the label, prose and repeated headers left out, cell
   boundaries that were lost refused. A last row that no reading fills ends an excerpt; the
   header of another table (a balance sheet below the RR) ends the table (:func:`_other_header`).
5. :func:`candidate_readings` lists every reading of a row's segments under the slots
   (:mod:`.grouping`); the table's arithmetic then chooses among them.
"""

from __future__ import annotations

import re

from gnsanalysis.errors import Location, ParseError
from gnsanalysis.rr.formats import (
    DASHES,
    HARD_RE,
    PROSE_END,
    Header,
    Parsed,
    RowIn,
    cfg,
    find_unit,
    is_noise,
    is_note_name,
    is_unit_token,
    is_year,
    norm,
    parses,
    squash,
)
from gnsanalysis.rr.grid import check_value_columns
from gnsanalysis.rr.grouping import (
    Reading,
    Slot,
    TooManyReadings,
    direct_reading,
    is_numeric_token,
    raise_too_many,
    readings,
    tokens_of,
)
from gnsanalysis.rr.hierarchy import DIFF_NAME


def _split_label(line: str, fmt: str, decimal: str) -> tuple[str, list[str]]:
    """Label and the hard-separated numeric segments of one text line.

    The figures are the run of numeric tokens that ends the line (a "Not" word counts when a
    token of its own cell follows it); the hard separators (tabs, wide gaps; none in PDF text)
    inside that run split it into segments, one per cell."""
    cells = [re.sub(r"\s+", " ", line.strip())] if fmt == "pdf" else HARD_RE.split(line.strip())
    toks = [(ci, t, j + 1 < len(ts)) for ci, c in enumerate(cells) for ts in [tokens_of(c)]
            for j, t in enumerate(ts)]
    k = len(toks)
    while k > 0 and (is_numeric_token(toks[k - 1][1], decimal)
                     or (toks[k - 1][2] and re.match(r"^not\.?$", toks[k - 1][1], re.I))):
        k -= 1
    segs: dict[int, list[str]] = {}
    for ci, t, _ in toks[k:]:
        segs.setdefault(ci, []).append(t)
    return " ".join(t for _, t, _ in toks[:k]), [" ".join(seg) for seg in segs.values()]


def _names_word(low: str, vocab: set[str]) -> bool:
    """Whether a casefolded header token is, or joins with '-' or '/', a word of ``vocab``."""
    return low in vocab or any(p in vocab for p in re.split(r"[-/]", low) if p)


def _phrases(text: str) -> tuple[str, list[str], list[str]]:
    """Split one header line into (label header, column phrases, group words)."""
    words = cfg().get("header_words", {})
    heads, mods = set(words.get("heads", [])), set(words.get("modifiers", []))
    notes, groups = set(words.get("notes", [])), set(words.get("groups", []))
    toks = [t for t in text.split() if not is_unit_token(t)]
    found_groups = [t for t in toks if norm(t).strip(".,:") in groups]
    if found_groups and len(found_groups) == len(toks):
        return "", [], [g.rstrip(".,:") for g in found_groups]  # "Kommunen, tkr": the group is "Kommunen"
    out: list[list[str]] = []
    label: list[str] = []
    cur: list[str] | None = None
    cur_head = cur_year = False

    def kind(t: str) -> str:
        low = t.casefold().strip(".,:()")
        if low in notes:
            return "note"
        if is_year(t.strip("()")):
            return "year"
        if low.endswith("%"):
            return "pct"
        if low in mods:
            return "mod"
        return "head" if _names_word(low, heads) else "word"

    glued = False  # after a lone dash between two heads ("Budget - utfall" is one column)
    for i, t in enumerate(toks):
        k = kind(t)
        if t in found_groups and i + 1 < len(toks) and kind(toks[i + 1]) in ("year", "head", "mod"):
            cur = [t]  # a group word inside a column name: "Kommunen 2023 Koncernen 2023"
            out.append(cur)
            cur_head = cur_year = glued = False
        elif cur is not None and (t in DASHES or glued or _qualifies_deviation(cur, t)) and k != "note":
            cur.append(t)  # "Budget - utfall", "Avvikelse prognos-budget", "Avvikelse mot budget"
            glued = t in DASHES or t.casefold() == "mot"
        elif cur is None and k == "word":
            label.append(t)
        elif k == "note" or cur is None or (k in ("head", "mod") and cur_head) or (k == "year" and cur_year):
            cur = [t]  # a new phrase: a note, the first column word, a second head or year
            out.append(cur)
            cur_head, cur_year = k == "head", k == "year"
        else:
            cur.append(t)
            cur_head |= k == "head"
            cur_year |= k == "year"
        if k == "note":
            cur = None
    phrases = [" ".join(p) for p in out]
    # "Not Kommunen Koncernen", or the groups ending a line of words ("Belopp i tkr Kommunen Koncernen");
    # a group word inside a title ("Resultaträkning kommun, belopp i tkr") names no column group
    if found_groups and (all(is_note_name(p) for p in phrases) if phrases else toks[-len(found_groups):] == found_groups):
        return " ".join(t for t in label if t not in found_groups), phrases, found_groups
    return " ".join(label), phrases, []


def _qualifies_deviation(phrase: list[str], tok: str) -> bool:
    """Whether ``tok`` says what a deviation column compares ("prognos-budget", "mot")."""
    return bool(DIFF_NAME.search(phrase[-1])) and (tok.casefold() == "mot" or bool(
        re.fullmatch(r"[^\W\d_]+\s?[-/\u2013]\s?[^\W\d_]+", tok)))


def _known_layout_columns(text: str) -> list[str] | None:
    """The ``header_columns`` of a layout that the header line ends with (spaces ignored)."""
    squashed = squash(text)
    for layout in cfg().get("layouts", []):
        cols = layout.get("header_columns")
        if not cols:
            continue
        target = "".join(squash(c) for c in cols)
        if squashed.endswith(target):
            return list(cols)
    return None


def _hard_cell_phrases(t: str) -> tuple[list[str], list[str]]:
    """(column phrases, group words) of a header line whose cells are hard-separated (tabs,
    wide gaps), each cell read by :func:`_phrases`."""
    cells = [c for c in HARD_RE.split(t.strip()) if c.strip()]
    phrases, groups = [], []
    for ci, c in enumerate(cells):
        l2, p2, g2 = _phrases(c)
        if g2 and not p2:
            groups += g2
            continue
        if ci > 0 and not p2:
            p2 = [c]  # a header cell without known words is one column
        elif ci > 0 and l2:
            p2 = [f"{l2} {p2[0]}"] + p2[1:]
        phrases += p2
    return phrases, groups


def _header_lines(lines: list[tuple[int, str]], fmt: str):
    """Column phrases per header line, the group words (Kommunen, Koncernen) and the character
    span of each phrase in its line (None where a phrase is not found)."""
    per_line, group_words, spans = [], [], []
    for _, t in lines:
        phrases, groups = _hard_cell_phrases(t) if fmt != "pdf" and HARD_RE.search(t.strip()) else _phrases(t)[1:]
        if fmt == "cells" and len(phrases) > 1:
            phrases = [" ".join(phrases)]  # one cell per line: a line is one column
        group_words += groups
        if phrases:
            per_line.append(phrases)
            spans.append(_locate(t, phrases))
    return per_line, group_words, spans


def _locate(line: str, phrases: list[str]) -> list[tuple[int, int]] | None:
    """The character span of each phrase in the line, found word by word from the left."""
    toks = [(m.start(), m.end(), m.group()) for m in re.finditer(r"\S+", line)]
    out, i = [], 0
    for phrase in phrases:
        found = []
        for word in phrase.split():
            while i < len(toks) and toks[i][2] != word:
                i += 1
            if i == len(toks):
                return None
            found.append(toks[i])
            i += 1
        out.append((found[0][0], found[-1][1]))
    return out


def _stack_lines(per_line: list[list[str]], located: list, line: int, source) -> tuple[list[str], list | None]:
    """Column names and heading spans from the header lines: equal counts are stacked ("Utfall"
    over "2019"), a shorter line of years stacks from the right ("Not BUDGET UTFALL" / "2021
    2020"), Not columns above the groups' years come first in their groups ("Not Kommunen
    Koncernen" / "2019 2018 2019 2018"), and single-phrase lines are one cell each (a flattened
    header; a year joins the cell above). A column's span is that of its lowest heading."""
    if all(len(p) == 1 for p in per_line) and len(per_line) > 1:
        cols: list[str] = []
        for p in per_line:
            if is_year(p[0]) and cols and not re.search(r"(19|20)\d\d", cols[-1]) \
                    and not is_note_name(cols[-1]):
                cols[-1] += " " + p[0]
            else:
                cols.append(p[0])
        return cols, None
    located = [loc or [None] * len(p) for p, loc in zip(per_line, located)]
    cols, spans = per_line[0], located[0]
    for p, loc in zip(per_line[1:], located[1:]):
        k = len(cols) - len(p)  # a shorter line must be years, stacked from the right
        if k < 0 and all(is_note_name(c) for c in cols) and len(p) % len(cols) == 0:
            w = len(p) // len(cols)
            cols = [c for g, n in enumerate(cols) for c in [n, *p[g * w:(g + 1) * w]]]
            spans = [s for g, n in enumerate(spans) for s in [n, *loc[g * w:(g + 1) * w]]]
            continue
        if k < 0 or (k > 0 and not all(is_year(t) for t in p)):
            raise ParseError(
                "Rubrikraderna har olika antal kolumner.",
                location=Location(file=source, line=line), found=[cols, p],
                expected="lika många rubriker på varje rubrikrad",
                hint="Exportera tabellen som CSV/Excel eller med tabb mellan cellerna.")
        # the columns the years stand under: the last ones, unless a column with a name is left out
        named_left_out = k and not all(is_note_name(c) for c in cols[:k])
        under = _years_under(spans, loc) if named_left_out else list(range(k, len(cols)))
        if under is None:
            raise ParseError(
                "Årtalsraden har färre årtal än raden ovanför har rubriker, och det syns inte "
                "vilka kolumner årtalen hör till.", location=Location(file=source, line=line),
                found=[cols, p], expected="ett årtal under varje rubrik, eller årtalen rakt under sina rubriker",
                hint="Exportera tabellen som CSV/Excel eller med tabb mellan cellerna.")
        year = dict(zip(under, p))
        cols = [f"{c} {year[j]}" if j in year else c for j, c in enumerate(cols)]
        spans = [loc[under.index(j)] if j in year else s for j, s in enumerate(spans)]
    return cols, None if None in spans else spans


def _years_under(spans: list, years: list) -> list[int] | None:
    """The column each year stands under, from their positions in the lines (a year's span
    overlaps its heading's span and no other), or None when the positions do not say."""
    under = []
    for y in years:
        hits = [j for j, s in enumerate(spans) if s and y and s[0] < y[1] and y[0] < s[1]]
        if len(hits) != 1:
            return None
        under.append(hits[0])
    return under if under == sorted(set(under)) else None


def _group_columns(cols: list[str], note_idx: list[int], group_words: list[str], line: int,
                   source) -> tuple[list[int], list[str]]:
    """Group per column and column names (group + header text): the groups split at their Not
    columns, after one shared Not column, or evenly. A shared Not column has group -1."""
    gid, names = [0] * len(cols), list(cols)
    if not group_words:
        return _inline_groups(cols, note_idx), names
    k = len(group_words)
    if len(note_idx) == k and note_idx[0] == 0:
        starts = note_idx
    elif note_idx == [0] and (len(cols) - 1) % k == 0:  # one Not column shared by the groups
        width = (len(cols) - 1) // k
        starts = [0] + list(range(1 + width, len(cols), width))
    elif len(cols) % k == 0:
        starts = list(range(0, len(cols), len(cols) // k))
    else:
        starts = []
    if not starts or (len(note_idx) != k and not _same_columns(cols, starts, note_idx)):
        # without a Not column per group, only groups of the same columns ("2019 2018 2019 2018")
        # split evenly: "Budget 2023 Utfall 2023 Utfall 2022 Utfall 2023" may be 3 + 1 or 2 + 2
        raise ParseError("Kan inte fördela kolumnerna på kolumngrupperna.",
                         location=Location(file=source, line=line), found=f"{group_words} över {cols}",
                         expected="samma kolumner i varje grupp, eller en Not-kolumn först i varje grupp",
                         hint="Exportera tabellen som CSV/Excel eller med tabb mellan cellerna, så "
                              "syns vilken grupp varje kolumn hör till.")
    for g, s in enumerate(starts):
        end = starts[g + 1] if g + 1 < len(starts) else len(cols)
        for i in range(s, end):
            gid[i] = g
            names[i] = f"{group_words[g]} {cols[i]}"
    if note_idx == [0] and k > 1:
        gid[0] = -1  # the shared Not column belongs to no group (a koncern-only row has a note)
    return gid, names


def _same_columns(cols: list[str], starts: list[int], note_idx: list[int]) -> bool:
    """Whether the groups starting at ``starts`` have the same column names (Not columns aside)."""
    ends = starts[1:] + [len(cols)]
    groups = [[norm(cols[i]) for i in range(a, b) if i not in note_idx] for a, b in zip(starts, ends)]
    return all(g == groups[0] for g in groups)


def _inline_groups(cols: list[str], note_idx: list[int]) -> list[int]:
    """Groups named inside the column names ("Kommunen 2023 … Koncernen 2023"), else one group.
    A Not column belongs to the group after it when each group has one, else to none (-1)."""
    vocab = set(cfg().get("header_words", {}).get("groups", []))
    firsts = [norm(c).split(" ")[0].strip(".,:") for c in cols]
    order = list(dict.fromkeys(f for i, f in enumerate(firsts) if i not in note_idx))
    if len(order) < 2 or not all(f in vocab for f in order):
        return [0] * len(cols)
    gid = [order.index(f) if i not in note_idx else -1 for i, f in enumerate(firsts)]
    if len(note_idx) == len(order):
        gid = [gid[i + 1] if i in note_idx and i + 1 < len(cols) else g for i, g in enumerate(gid)]
    return gid


def _text_header(lines: list[tuple[int, str]], fmt: str, source) -> Header:
    """Columns from one or more header lines of free text (lines as printed, for the spans)."""
    texts = [t.strip() for _, t in lines]
    unit = find_unit(texts)
    last = lines[-1][0]
    cols = _known_layout_columns(" ".join(texts)) or _known_layout_columns(texts[-1])
    if cols:
        return Header([Slot("value", c) for c in cols], cols, last, texts, unit)
    per_line, group_words, located = _header_lines(lines, fmt)
    if not per_line:
        raise ParseError("Hittar inga kolumnrubriker i rubrikraden.",
                         location=Location(file=source, line=last), found=" / ".join(texts)[:120],
                         expected="rubriker som 'Not', 'Utfall 2019', 'Budget', 'Avvikelse'",
                         hint="Ange formatet med --input-format eller exportera tabellen som CSV/Excel.")
    if fmt != "spaced":  # single spaces (PDF text) or one cell per line: positions say nothing
        located = [None] * len(per_line)
    cols, spans = _stack_lines(per_line, located, last, source)
    note_idx = [i for i, c in enumerate(cols) if is_note_name(c)]
    gid, names = _group_columns(cols, note_idx, group_words, last, source)
    slots = [Slot("note", None, gid[i]) if i in note_idx else Slot("value", names[i], gid[i])
             for i in range(len(cols))]
    value_columns = [names[i] for i in range(len(cols)) if i not in note_idx]
    check_value_columns(value_columns, source, last)
    return Header(slots, value_columns, last, texts, unit, spans if fmt == "spaced" else None)


def _is_headerish_text(line: str) -> bool:
    """A header line: column words (Utfall, Budget, Not, Kommunen …) or only years."""
    words = cfg().get("header_words", {})
    vocab = set(words.get("heads", [])) | set(words.get("notes", [])) | set(words.get("groups", []))
    toks = line.split()
    if not toks or PROSE_END.search(line.strip()) and len(toks) > 6:
        return False
    if all(is_year(t) or is_unit_token(t) for t in toks):  # "2023 2022", "Mnkr", "Mnkr 2023 2024"
        return True
    hits = 0
    for t in toks:
        if _names_word(t.casefold().strip(".,:()"), vocab):
            hits += 1
        elif t.strip() not in DASHES and parses(t, ",") and not is_year(t):
            return False
    return hits > 0


def _years_only(segs: list[str]) -> bool:
    """Figures that are only years (and note words): a caption or header, not a data row."""
    toks = [t for s in segs for t in s.split()]
    return bool(toks) and all(is_year(t) or re.fullmatch(r"(?i)not\.?", t) for t in toks)


_TWO_DECIMALS = re.compile(r"^[-\u2212\u2013]?\d+(?:,\d+){2,}$")
_NOTE_LIST = re.compile(r"^\d{1,3}(?:,\d{1,3})+$")


def _lost_boundary(what: str, where: Location, found: str, expected: str) -> ParseError:
    """The refusal of a line whose cell boundaries were lost (cells or label and figures run
    together): no reading could be trusted."""
    return ParseError(what, location=where, found=found, expected=expected,
                      hint="Rätta raden mot originalet eller exportera tabellen som CSV/Excel.")


def _refuse_run_together(label: str, line: int, source) -> None:
    """A token with two decimal commas ("803,2771,5") is two cells run together: refused."""
    for tok in label.split():
        if _TWO_DECIMALS.match(tok) and not _NOTE_LIST.match(tok):
            raise _lost_boundary("Två celler har gått ihop till ett tal med två decimalkomman.",
                                 Location(file=source, line=line, row=label), tok,
                                 "ett tal per cell, åtskilda av mellanslag eller tabb")


def _continues(label: str) -> bool:
    """A label part that continues the label above: it starts in lower case (not 'varav')."""
    first = label.split()[0]
    return first[:1].islower() and first.casefold() != "varav"


def _is_prose(label: str, line: str) -> bool:
    """A sentence, not a row: many words (figures in the label are not words)."""
    words = [w for w in label.split() if not is_numeric_token(w)]
    return len(words) >= 9 or bool(PROSE_END.search(line.strip()) and len(words) >= 3)


def _line_info(text: str, fmt: str, decimal: str) -> list[tuple[int, str, str, list[str]]]:
    """(line number, raw line, label, numeric segments) for every line of the text."""
    return [(i, raw, *(_split_label(raw, fmt, decimal) if raw.strip() else ("", [])))
            for i, raw in enumerate(text.split("\n"), 1)]


def _first_row(info, source) -> int:
    """Index of the first data row: label + figures on one line, or a label line followed by a
    figures line (captions and headers whose figures are years are not rows)."""
    for k, (_ln, raw, label, segs) in enumerate(info):
        if not raw.strip() or is_noise(raw) or _is_headerish_text(raw):
            continue
        if label and segs and not _is_prose(label, raw) and not _years_only(segs):
            return k
        if label and not segs and not _is_prose(label, raw):
            nxt = k + 1
            while nxt < len(info) and not info[nxt][1].strip():
                nxt += 1
            if nxt < len(info) and not info[nxt][2] and info[nxt][3] and not _years_only(info[nxt][3]):
                return k
    raise ParseError("Hittar ingen tabell i texten.", location=Location(file=source),
                     expected="en rubrikrad följd av rader med etikett och tal",
                     hint="Kontrollera att tabellen kom med vid kopieringen, eller ange "
                          "formatet med --input-format.")


def _header_above(info, first: int, fmt: str, source) -> tuple[list[tuple[int, str]], int]:
    """The header lines directly above the first row (blank lines allowed between) and the
    index of the last line above them (the preamble ends there)."""
    hdr: list[tuple[int, str]] = []
    k = first - 1
    while k >= 0:
        ln, raw, _, _ = info[k]
        blank = not raw.strip()
        if is_noise(raw) or blank and (fmt == "cells" or not hdr):  # blank: before the header, or cells
            k -= 1
        elif not blank and _is_headerish_text(raw) and len(hdr) < (12 if fmt == "cells" else 4):
            hdr.insert(0, (ln, raw.rstrip()))
            k -= 1
        else:
            break
    if not hdr:
        raise ParseError(
            "Hittar ingen rubrikrad ovanför tabellens första rad.",
            location=Location(file=source, line=info[first][0]),
            expected="en rad med kolumnrubriker (t.ex. 'Not Utfall 2019 Utfall 2018')",
            hint="Ta med rubrikraden vid kopieringen, eller exportera tabellen som CSV/Excel.")
    return hdr, k


def _refuse_glued_label(label: str, raw: str, line: int, source, segs: list[str]) -> None:
    """Letters glued to digits where the label meets the figures ("varor2 929", "Intäkter-1 100"
    before a thousands group), also in a label without figures (``segs`` empty): the cell
    boundary is lost and every figure would shift."""
    last, after = label.split()[-1], (tokens_of(segs[0]) or [""])[0] if segs else ""
    if not re.search(r"[^\W\d_]\d|\d[^\W\d_]", last) and not (
            re.search(r"[^\W\d_][-\u2212\u2013]\d{1,3}$", last) and re.fullmatch(r"\d{3}(,\d+)?", after)):
        return
    what = ("Etiketten och det första talet går ihop; cellgränsen saknas." if segs else
            "Raden saknar tal men etiketten slutar med siffror ihopskrivna med bokstäver; "
            "cellgränsen mellan etikett och tal saknas.")
    raise _lost_boundary(what, Location(file=source, line=line, row=label), raw.strip()[:80],
                         "en etikett och sedan talen, åtskilda av mellanslag eller tabb")


class _Rows:
    """Logical rows assembled line by line: wrapped labels, figures on the next line(s)."""

    def __init__(self, fmt: str, decimal: str, source):
        self.fmt, self.decimal, self.source = fmt, decimal, source
        self.rows: list[RowIn] = []
        self.pending: RowIn | None = None  # a label whose figures may follow
        self.row_end = 0  # the line on which the last row's figures stand

    def flush(self) -> None:
        if self.pending is not None and self.pending.segments:
            self.rows.append(self.pending)
        self.pending = None

    def labelled(self, ln: int, raw: str, label: str, segs: list[str], indent: int) -> None:
        if _is_prose(label, raw) or _is_headerish_text(raw):
            self.flush()  # prose, or a header repeated after a page break
            return
        _refuse_run_together(label, ln, self.source)
        _refuse_glued_label(label, raw, ln, self.source, segs)
        p = self.pending
        if p is not None and not p.segments and _continues(label):
            # a label wrapped over two lines, the figures on the second
            self.rows.append(RowIn(p.line, f"{p.label} {label}", segs, f"{p.raw} / {raw.strip()}", p.level, raw))
        else:
            self.flush()
            self.rows.append(RowIn(ln, label, segs, raw.strip(), indent, raw))
        self.pending, self.row_end = None, ln

    def label_only(self, ln: int, raw: str, label: str, indent: int) -> None:
        if _is_prose(label, raw):
            self.flush()
            return
        if self.pending is None and self.rows and self.row_end == ln - 1 and _continues(label):
            self.rows[-1].label += " " + label  # the end of a label wrapped under its figures
            self.rows[-1].raw += " / " + raw.strip()
            return
        self.flush()
        _refuse_glued_label(label, raw, ln, self.source, [])
        self.pending = RowIn(ln, label, [], raw.strip(), indent)

    def figures_only(self, ln: int, raw: str, segs: list[str]) -> None:
        where = Location(file=self.source, line=ln)
        if self.fmt == "cells" and not all(parses(seg.strip(), self.decimal) for seg in segs):
            raise _lost_boundary("Raden ska hålla en cell men håller flera tal; cellerna har gått ihop.",
                                 where, raw.strip()[:80], "ett tal per rad (en cell per rad)")
        if self.pending is not None:
            self.pending.figure_line = "" if self.pending.segments else raw  # positions: one line only
            self.pending.segments += segs
            self.pending.raw += " / " + raw.strip()
            self.row_end = ln
        elif all(is_year(t) for s in segs for t in s.split()):
            return  # a year line of a repeated header
        elif len(segs) == 1 and re.fullmatch(r"\d{1,3}", segs[0].strip()):
            return  # a lone page number between rows
        else:
            raise ParseError("Raden har tal men ingen etikett.", location=where, found=raw.strip()[:80],
                             expected="en radetikett före talen (eller på raden ovanför)",
                             hint="Kontrollera att etiketten kom med vid kopieringen.")


def _stops_mid_row(rows: list[RowIn], slots: list[Slot], decimal: str, last_line: int) -> int | None:
    """The line of a last row that no reading fills, when it is the last line of the text: the
    excerpt ends mid-row (that row is left out and the table says where it stopped)."""
    if len(rows) < 2 or rows[-1].line != last_line or "/" in rows[-1].raw:
        return None
    if re.search(r"\d{5}", " ".join(rows[-1].segments)):
        return None  # digits run together ("198999362"): refused as any other row
    try:
        if readings(rows[-1].segments, slots, decimal) and not _cut_figure(rows):
            return None
    except TooManyReadings:
        return None
    return rows.pop().line


def _last_decimals(row: RowIn) -> int | None:
    """The printed decimals of a row's last figure (None for a dash or no figure)."""
    toks = tokens_of(row.segments[-1]) if row.segments else []
    if not toks or toks[-1] in DASHES:
        return None
    m = re.search(r"[,.](\d+)\)?%?$", toks[-1])
    return len(m.group(1)) if m else 0


def _cut_figure(rows: list[RowIn]) -> bool:
    """Whether the text's last figure has fewer decimals than the last figure of every other
    row ("-1" under "-19,8", "22,1"): the excerpt was cut inside that figure."""
    others = {d for r in rows[:-1] if (d := _last_decimals(r)) is not None}
    last = _last_decimals(rows[-1])
    return len(others) == 1 and last is not None and last < min(others)


def _unit_line(line: str) -> bool:
    """A short line without figures that may state the unit ("Belopp i mnkr", "Mnkr")."""
    return 0 < len(line.split()) <= 5 and not re.search(r"\d", line)


def _column_phrases(line: str) -> tuple[str, ...]:
    """The column headings a header line names (normalised), as a key."""
    return tuple(norm(p) for p in _phrases(line)[1])


def _other_header(line: str, own: set[tuple[str, ...]]) -> bool:
    """Whether the line is the header of another table ("Mnkr Not 2023-12-31 2022-12-31" below
    the RR): two or more column headings, not the table's own, and not a sentence (a footnote
    "Avvikelse = utfall minus budget.")."""
    if not _is_headerish_text(line) or PROSE_END.search(line.strip()):
        return False
    phrases = _column_phrases(line)
    return len(phrases) >= 2 and phrases not in own


def parse_free_text(text: str, *, fmt: str, decimal: str, source) -> Parsed:
    """Header, preamble and logical rows of text whose cells are separated by whitespace."""
    info = _line_info(text, fmt, decimal)
    first = _first_row(info, source)
    hdr, k = _header_above(info, first, fmt, source)
    header = _text_header(hdr, fmt, source)
    preamble = [info[j][1].strip() for j in range(0, k + 1) if info[j][1].strip()]
    if header.unit is None:
        header.unit = find_unit(preamble[-3:] + preamble)
    parsed = Parsed(fmt=fmt, header=header, preamble=preamble, decimal=decimal)
    build = _Rows(fmt, decimal, source)
    own = {_column_phrases(t) for t in header.texts}
    for ln, raw, label, segs in info[first:]:
        if not raw.strip() or is_noise(raw):
            continue
        if _other_header(raw, own):
            parsed.ended_at = (ln, raw.strip())
            break
        indent = len(raw) - len(raw.lstrip(" \u00a0"))
        if label and segs:
            build.labelled(ln, raw, label, segs, indent)
        elif label:
            build.label_only(ln, raw, label, indent)
        else:
            build.figures_only(ln, raw, segs)
    build.flush()
    rows = build.rows
    if header.unit is None:  # "Belopp i mnkr" as a line of its own below the table
        tail = [raw for ln, raw, _, _ in info if ln > build.row_end and _unit_line(raw)]
        header.unit = find_unit(tail)
    end = parsed.ended_at[0] if parsed.ended_at else len(info) + 1
    last_line = max((ln for ln, raw, _, _ in info if raw.strip() and ln < end), default=0)
    parsed.stopped_at = _stops_mid_row(rows, header.slots, decimal, last_line)
    parsed.set_rows(rows)
    return parsed


def candidate_readings(row: RowIn, slots: list[Slot], decimal: str, source,
                       cells: bool = False) -> list[Reading]:
    """Every reading a row's segments allow under the header's slots (notes, values)."""
    d = direct_reading(row.segments, slots, decimal)
    if d is not None:
        return [d]
    try:
        found = readings(row.segments, slots, decimal, cells=cells)
        return found if found or cells else _label_digits(row, slots, decimal)
    except TooManyReadings:
        raise_too_many(row.line, row.label, row.raw, source)


_LABEL_DIGITS = re.compile(r"^\d{1,4}$|^[-\u2013]$")


def _label_digits(row: RowIn, slots: list[Slot], decimal: str) -> list[Reading]:
    """The readings when the label ends in digits of its own ("Pensionskostnader enl. RIPS 19",
    "plan 2019 – 2023"): only a row that no reading of all its tokens fits gives the label its
    leading plain integers, as few as let the figures fill the header (the row is updated)."""
    toks = tokens_of(row.segments[0]) if row.segments else []
    if not toks or not re.fullmatch(r"[1-9]\d*", toks[0]) or re.search(r"\d", row.label.split()[-1]):
        return []  # a word must end the label, and "000" is no label's number
    for k in range(1, min(len(toks), 3) + 1):
        if not _LABEL_DIGITS.match(toks[k - 1]):
            return []
        rest = [" ".join(toks[k:])] * bool(toks[k:]) + row.segments[1:]
        found = readings(rest, slots, decimal) if rest else []
        if found:
            row.label, row.segments = f"{row.label} {' '.join(toks[:k])}", rest
            return found
    return []
