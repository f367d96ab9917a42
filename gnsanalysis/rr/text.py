"""Free-text RR inputs (spaced text, PDF text, one cell per line): rows read token by token.

The algorithm (:func:`parse_free_text`):

1. Every line is split into a label and the numeric run that ends it (:func:`_split_label`),
   cut into segments at the hard separators (tabs, wide gaps) that run contains.
2. Every line is classified once (:func:`_line_info`) by one header model: each token has a
   header kind (:func:`_kind`: unit, year, figure, pct, note, group, mod, head or word, from
   rr_layouts.yaml's ``header_words``), and a header line is one without figures, not a
   sentence, of only years and units or with a column word (:func:`_is_header_line`).
3. The first row is the first line with a label and figures that are not only years (or a
   label line followed by a figures line); the header is the run of header lines directly
   above it, and everything further up is the preamble.
4. Each header line is cut into column phrases (:func:`_cut`; a new cell starts a new one) and
   may name column groups (:func:`_groups_of`); the lines are stacked from the right (or by
   position), and the group words (Kommunen, Koncernen) split the columns into groups
   (:func:`_text_header`). That gives the slots after the label (note or value, per group).
5. The lines below are assembled into logical rows (:class:`_Rows`): a label wrapped over two
   lines, figures on the line after the label, prose and header lines (a header repeated after
   a page break) left out, cell boundaries that were lost refused. A last row that no reading
   fills ends an excerpt; a header line naming other columns than the table's (a balance sheet
   below the RR) ends the table (:func:`_other_header`).
6. :func:`candidate_readings` lists every reading of a row's segments under the slots
   (:mod:`.grouping`); the table's arithmetic then chooses among them.
"""

from __future__ import annotations

import re
from typing import NamedTuple

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


# --------------------------------------------------------------------------- the header model

class _Tok(NamedTuple):
    """One token of a line: its text, header kind (:func:`_kind`), character span and the
    hard-separated cell it stands in (always 0 in PDF text)."""

    text: str
    kind: str
    span: tuple[int, int]
    cell: int


def _kind(tok: str) -> str:
    """The header kind of one token: unit, year, paren_year ("(2022)": a year in a column name,
    or a negative figure), figure, pct, note, group, mod, head or word (the words are
    rr_layouts.yaml's ``header_words``; a head may be joined by '-' or '/'; a dash is a word)."""
    words = cfg().get("header_words", {})
    low = tok.casefold().strip(".,:()")
    if is_unit_token(tok):
        return "unit"
    if is_year(tok):
        return "year"
    if is_year(tok.strip("()")):
        return "paren_year"
    if tok not in DASHES and parses(tok, ","):
        return "figure"
    if low.endswith("%"):
        return "pct"
    for kind, key in (("note", "notes"), ("group", "groups"), ("mod", "modifiers")):
        if low in words.get(key, []):
            return kind
    heads = words.get("heads", [])
    return "head" if any(p in heads for p in [low, *re.split(r"[-/]", low)] if p) else "word"


def _tokens(line: str, fmt: str) -> list[_Tok]:
    """The tokens of a line with their kinds, spans and cells (a tab or a wide gap between two
    tokens starts a new cell, except in PDF text, where every gap is one space)."""
    out: list[_Tok] = []
    for m in re.finditer(r"\S+", line):
        cell = 0
        if out:
            gap = line[out[-1].span[1]:m.start()]
            cell = out[-1].cell + (fmt != "pdf" and bool(HARD_RE.search(gap)))
        out.append(_Tok(m.group(), _kind(m.group()), m.span(), cell))
    return out


def _is_header_line(line: str) -> bool:
    """A header line: no figure, not a sentence, and only years and units ("2023 2022",
    "Mnkr 2023 2024") or at least one column word (a head, Not, a group word)."""
    toks = line.split()
    kinds = {_kind(t) for t in toks}
    if not toks or "figure" in kinds or PROSE_END.search(line.strip()) and len(toks) > 6:
        return False
    return kinds <= {"year", "unit"} or bool(kinds & {"head", "note", "group"})


def _qualifies_deviation(phrase: list[_Tok], tok: str) -> bool:
    """Whether ``tok`` says what a deviation column compares ("prognos-budget", "mot")."""
    return bool(DIFF_NAME.search(phrase[-1].text)) and (tok.casefold() == "mot" or bool(
        re.fullmatch(r"[^\W\d_]+\s?[-/\u2013]\s?[^\W\d_]+", tok)))


def _cut(toks: list[_Tok]) -> list[list[_Tok]]:
    """The column phrases of a header line's tokens (units left out), in the grammar of
    rr_layouts.yaml: [modifier ...] head [qualifier ... | year | %]. A new phrase starts at a
    note, at a new cell, at a second head or year, and at a group word before a year or head
    ("Kommunen 2023"); other words before a phrase are the label column's header ("Belopp i")
    or group words (:func:`_groups_of`)."""
    out: list[list[_Tok]] = []
    cur: list[_Tok] | None = None
    cur_head = cur_year = glued = False  # glued: after a lone dash ("Budget - utfall" is one column)
    for i, t in enumerate(toks):
        new_cell = i > 0 and t.cell != toks[i - 1].cell
        if new_cell:
            cur, glued = None, False
        inline = t.kind == "group" and i + 1 < len(toks) and toks[i + 1].kind in ("year", "paren_year", "head", "mod") \
            and toks[i + 1].cell == t.cell
        k = {"group": "word", "figure": "word", "paren_year": "year"}.get(t.kind, t.kind)
        if cur is not None and not inline and k != "note" and (
                t.text in DASHES or glued or _qualifies_deviation(cur, t.text)):
            cur.append(t)  # "Budget - utfall", "Avvikelse prognos-budget", "Avvikelse mot budget"
            glued = t.text in DASHES or t.text.casefold() == "mot"
        elif cur is None and not inline and (t.kind == "group" or k == "word" and not new_cell):
            continue
        elif inline or k == "note" or cur is None or (k in ("head", "mod") and cur_head) or (k == "year" and cur_year):
            cur = [t]  # a new phrase: a note, a new cell, the first column word, a second head or year
            out.append(cur)
            cur_head, cur_year, glued = k == "head", k == "year", False
        else:
            cur.append(t)
            cur_head |= k == "head"
            cur_year |= k == "year"
        if k == "note":
            cur = None
    return out


def _groups_of(toks: list[_Tok], cut: list[list[_Tok]]) -> list[str]:
    """The column groups a header line names (``toks``: its tokens but the units; ``cut``: its
    phrases). In each cell, its group words when they are the whole cell ("Kommunen, tkr"),
    follow only Not ("Not Kommunen Koncernen") or end it ("Belopp i tkr Kommunen Koncernen");
    a group word inside a title ("Resultaträkning kommun, belopp i tkr") or a column name
    ("Kommunen 2023") names none."""
    out = []
    for cell in sorted({t.cell for t in toks}):
        mine = [t for t in toks if t.cell == cell]
        groups = [t for t in mine if t.kind == "group"]
        phrases = [p for p in cut if p[0].cell == cell]
        if groups and (all(p[0].kind == "note" for p in phrases) if phrases else mine[-len(groups):] == groups):
            out += [g.text.rstrip(".,:") for g in groups]
    return out


def _header_phrases(line: str, fmt: str) -> tuple[list[str], list[tuple[int, int]], list[str]]:
    """(column phrases, their character spans, group words) of one header line."""
    toks = [t for t in _tokens(line, fmt) if t.kind != "unit"]
    cut = _cut(toks)
    phrases = [" ".join(t.text for t in p) for p in cut]
    return phrases, [(p[0].span[0], p[-1].span[1]) for p in cut], _groups_of(toks, cut)


def _header_lines(lines: list[tuple[int, str]], fmt: str):
    """Column phrases per header line, the group words (Kommunen, Koncernen) and the character
    span of each phrase in its line (None unless the text is spaced: single spaces in PDF text
    and one cell per line say nothing about positions)."""
    per_line, group_words, spans = [], [], []
    for _, t in lines:
        phrases, located, groups = _header_phrases(t, fmt)
        if fmt == "cells" and len(phrases) > 1:  # one cell per line: a line is one column
            phrases, located = [" ".join(phrases)], [(located[0][0], located[-1][1])]
        group_words += groups
        if phrases:
            per_line.append(phrases)
            spans.append(located if fmt == "spaced" else [None] * len(phrases))
    return per_line, group_words, spans


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
    cols, spans = _stack_lines(per_line, located, last, source)
    note_idx = [i for i, c in enumerate(cols) if is_note_name(c)]
    gid, names = _group_columns(cols, note_idx, group_words, last, source)
    slots = [Slot("note", None, gid[i]) if i in note_idx else Slot("value", names[i], gid[i])
             for i in range(len(cols))]
    value_columns = [names[i] for i in range(len(cols)) if i not in note_idx]
    check_value_columns(value_columns, source, last)
    return Header(slots, value_columns, last, texts, unit, spans)


def _years_only(segs: list[str]) -> bool:
    """Figures that are only years (and note words): a caption ("Resultaträkning 2023"), not a row."""
    toks = [t for seg in segs for t in seg.split()]
    return bool(toks) and all(_kind(t) in ("year", "note") for t in toks)


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


class _Line(NamedTuple):
    """One line of the text: its number, the line as printed, its label and numeric segments
    (:func:`_split_label`) and what it is: ``blank``, ``noise`` (a page number, a footer),
    ``header`` (:func:`_is_header_line`) or ``text`` (a row, a label, figures or prose)."""

    ln: int
    raw: str
    label: str
    segs: list[str]
    kind: str


def _line_info(text: str, fmt: str, decimal: str) -> list[_Line]:
    """Every line of the text, split and classified once."""
    out = []
    for i, raw in enumerate(text.split("\n"), 1):
        if not raw.strip():
            out.append(_Line(i, raw, "", [], "blank"))
            continue
        kind = "noise" if is_noise(raw) else "header" if _is_header_line(raw) else "text"
        out.append(_Line(i, raw, *_split_label(raw, fmt, decimal), kind))
    return out


def _first_row(info: list[_Line], source) -> int:
    """Index of the first data row: label + figures on one line, or a label line followed by a
    figures line (captions and headers whose figures are years are not rows)."""
    for k, line in enumerate(info):
        if line.kind != "text" or not line.label or _is_prose(line.label, line.raw):
            continue
        if line.segs and not _years_only(line.segs):
            return k
        nxt = next((n for n in info[k + 1:] if n.kind != "blank"), None)
        if not line.segs and nxt and not nxt.label and nxt.segs and not _years_only(nxt.segs):
            return k
    raise ParseError("Hittar ingen tabell i texten.", location=Location(file=source),
                     expected="en rubrikrad följd av rader med etikett och tal",
                     hint="Kontrollera att tabellen kom med vid kopieringen, eller ange "
                          "formatet med --input-format.")


def _header_above(info: list[_Line], first: int, fmt: str, source) -> tuple[list[tuple[int, str]], int]:
    """The header lines directly above the first row (blank lines allowed between) and the
    index of the last line above them (the preamble ends there)."""
    hdr: list[tuple[int, str]] = []
    k = first - 1
    while k >= 0:
        line = info[k]
        if line.kind == "noise" or line.kind == "blank" and (fmt == "cells" or not hdr):  # blank: before the header, or cells
            k -= 1
        elif line.kind == "header" and len(hdr) < (12 if fmt == "cells" else 4):
            hdr.insert(0, (line.ln, line.raw.rstrip()))
            k -= 1
        else:
            break
    if not hdr:
        raise ParseError(
            "Hittar ingen rubrikrad ovanför tabellens första rad.",
            location=Location(file=source, line=info[first].ln),
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

    def labelled(self, line: _Line, indent: int) -> None:
        ln, raw, label, segs = line.ln, line.raw, line.label, line.segs
        if _is_prose(label, raw) or line.kind == "header":
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

    def label_only(self, line: _Line, indent: int) -> None:
        ln, raw, label = line.ln, line.raw, line.label
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

    def figures_only(self, line: _Line) -> None:
        ln, raw, segs = line.ln, line.raw, line.segs
        where = Location(file=self.source, line=ln)
        if self.fmt == "cells" and not all(parses(seg.strip(), self.decimal) for seg in segs):
            raise _lost_boundary("Raden ska hålla en cell men håller flera tal; cellerna har gått ihop.",
                                 where, raw.strip()[:80], "ett tal per rad (en cell per rad)")
        if self.pending is not None:
            self.pending.figure_line = "" if self.pending.segments else raw  # positions: one line only
            self.pending.segments += segs
            self.pending.raw += " / " + raw.strip()
            self.row_end = ln
        elif line.kind == "header":
            return  # the years line of a header repeated after a page break
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


def _column_key(line: str, fmt: str) -> tuple[str, ...]:
    """The column headings a header line names (normalised), as a key."""
    return tuple(norm(p) for p in _header_phrases(line, fmt)[0])


def _other_header(line: _Line, own: set[tuple[str, ...]], fmt: str) -> bool:
    """Whether the line is the header of another table ("Mnkr Not 2023-12-31 2022-12-31" below
    the RR): a header line of two or more column headings, not the table's own, and not a
    sentence (a footnote "Avvikelse = utfall minus budget.")."""
    if line.kind != "header" or PROSE_END.search(line.raw.strip()):
        return False
    phrases = _column_key(line.raw, fmt)
    return len(phrases) >= 2 and phrases not in own


def parse_free_text(text: str, *, fmt: str, decimal: str, source) -> Parsed:
    """Header, preamble and logical rows of text whose cells are separated by whitespace."""
    info = _line_info(text, fmt, decimal)
    first = _first_row(info, source)
    hdr, k = _header_above(info, first, fmt, source)
    header = _text_header(hdr, fmt, source)
    preamble = [line.raw.strip() for line in info[:k + 1] if line.kind != "blank"]
    if header.unit is None:
        header.unit = find_unit(preamble[-3:] + preamble)
    parsed = Parsed(fmt=fmt, header=header, preamble=preamble, decimal=decimal)
    build = _Rows(fmt, decimal, source)
    own = {_column_key(t, fmt) for t in header.texts}
    for line in info[first:]:
        if line.kind in ("blank", "noise"):
            continue
        if _other_header(line, own, fmt):
            parsed.ended_at = (line.ln, line.raw.strip())
            break
        indent = len(line.raw) - len(line.raw.lstrip(" \u00a0"))
        if line.label and line.segs:
            build.labelled(line, indent)
        elif line.label:
            build.label_only(line, indent)
        else:
            build.figures_only(line)
    build.flush()
    rows = build.rows
    if header.unit is None:  # "Belopp i mnkr" as a line of its own below the table
        tail = [line.raw for line in info if line.ln > build.row_end and _unit_line(line.raw)]
        header.unit = find_unit(tail)
    end = parsed.ended_at[0] if parsed.ended_at else len(info) + 1
    last_line = max((line.ln for line in info if line.kind != "blank" and line.ln < end), default=0)
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
