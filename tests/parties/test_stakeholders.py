"""The stakeholder matrix: TSV from the committee document, CSV, XLSX; checks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gnsanalysis.errors import ParseError
from gnsanalysis.parties.stakeholders import check_matrix, parse_matrix, parse_matrix_text, plain_text
from gnsanalysis.paths import RAW_DIR

RAW = RAW_DIR / "intressentanalys-2019.txt"
HEADER = "Part i nämnden\tSöker plats\tErbjuder plats\tKommentarer\n"


@pytest.fixture(scope="module")
def raw_matrix():
    return parse_matrix(RAW)


def test_raw_matrix_golden(raw_matrix):
    got = [(r.name, r.entry.code, r.seeks, r.offers) for r in raw_matrix.rows]
    assert got == [
        ("Ragunda kommun", "2303", True, True),
        ("Östersunds kommun", "2380", True, False),
        ("Bräcke kommun", "2305", True, False),
        ("Krokoms kommun", "2309", True, True),
        ("Härjedalens kommun", "2361", True, False),
        ("Åre kommun", "2321", False, False),
        ("Bergs kommun", "2326", True, True),
        ("Region JH", "0023", False, False),
        ("Räddningstjänstförbundet", "JRF", False, True),
    ]
    assert [r.line for r in raw_matrix.rows] == list(range(2, 11))


def test_raw_matrix_comments_are_plain_text(raw_matrix):
    by = {r.name: r.comment for r in raw_matrix.rows}
    assert by["Krokoms kommun"] == "Initiativtagare"
    assert by["Ragunda kommun"] == ""
    assert "positiva till utökat samarbete efter förstudie" in by["Åre kommun"]
    assert "<" not in by["Åre kommun"]
    assert by["Bräcke kommun"] == "Beroende på förstudiens utfall"


def test_raw_matrix_check_findings(raw_matrix):
    findings = check_matrix(raw_matrix)
    assert [(f.kind, f.severity, f.name) for f in findings] == [
        ("non_party", "info", "Räddningstjänstförbundet"),
        ("missing", "error", "Strömsunds kommun"),
    ]
    assert str(findings[0]) == (
        "fil intressentanalys-2019.txt, rad 10: information: Räddningstjänstförbundet "
        "(Jämtlands Räddningstjänstförbund) är inte part i nämnden; raden redovisas som "
        "information (erbjuder plats)."
    )
    assert str(findings[1]) == (
        "fil intressentanalys-2019.txt: fel: Strömsunds kommun är part i nämnden men saknas i matrisen."
    )


def test_frame_columns(raw_matrix):
    df = raw_matrix.to_frame()
    assert list(df.columns) == ["part", "kod", "namn_i_källan", "är_part", "söker_plats",
                                "erbjuder_plats", "kommentar", "rad"]
    assert df["söker_plats"].sum() == 6 and df["erbjuder_plats"].sum() == 4


@pytest.mark.parametrize("mark", ["x", "X", "ja", "Ja", "JA", "✓", "✔", " x "])
def test_true_marks(mark):
    m = parse_matrix_text(HEADER + f"Krokom\t{mark}\t\t\n")
    assert m.rows[0].seeks is True and m.rows[0].offers is False


@pytest.mark.parametrize("mark", ["nej", "?", "1", "xx", "kanske"])
def test_unknown_mark_is_parse_error(mark):
    with pytest.raises(ParseError, match=r"fil m\.txt, rad 3, kolumn 'Erbjuder plats'.*Hittade: '"
                       + re.escape(mark) + r"'\. Förväntade: 'x', 'X', 'ja', '✓' eller en tom cell"):
        parse_matrix_text(HEADER + "Krokom\tx\t\t\nBerg\t\t" + mark + "\t\n", source="m.txt")


def test_missing_trailing_cells_and_blank_lines():
    m = parse_matrix_text("\n" + HEADER + "Krokom\tx\n\nBerg\n")
    assert [(r.name, r.seeks, r.offers, r.comment) for r in m.rows] == [
        ("Krokom", True, False, ""), ("Berg", False, False, "")]


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("<i>efter</i> förstudie", "efter förstudie"),
        ("a<br>b", "a b"),
        ("<p>ett</p><p>två</p>", "ett två"),
        ("R&amp;D &lt;3", "R&D <3"),
        ("<script>alert(1)</script>ok", "ok"),
        ('<a href="javascript:x">länk</a>', "länk"),
        ("ingen html", "ingen html"),
        ("5 < 6 och 7 > 3", "5 < 6 och 7 > 3"),
    ],
)
def test_plain_text(html, text):
    assert plain_text(html) == text


@given(st.text())
def test_plain_text_never_leaves_tags(text):
    out = plain_text(text)
    assert "<script" not in out.lower() or "<script" in text.lower()
    assert "\n" not in out and "\t" not in out


def test_checks_unknown_and_duplicate():
    m = parse_matrix_text(
        HEADER + "Krokom\tx\t\t\nKrokoms kommun\t\tx\t\nKrokoms kommon\t\t\t\n", source="m.txt"
    )
    findings = check_matrix(m)
    kinds = [(f.kind, f.line) for f in findings]
    assert ("duplicate", 3) in kinds and ("unknown", 4) in kinds
    unknown = next(f for f in findings if f.kind == "unknown")
    assert "Menade du Krokoms kommun?" in str(unknown)
    dup = next(f for f in findings if f.kind == "duplicate")
    assert "även på rad 2 som 'Krokom'" in str(dup)
    assert sum(f.kind == "missing" for f in findings) == 8


def test_complete_matrix_is_clean():
    from gnsanalysis.parties.registry import load_registry

    lines = "".join(f"{p.short}\tx\t\t\n" for p in load_registry().parties)
    assert check_matrix(parse_matrix_text(HEADER + lines)) == []


def test_bad_header():
    with pytest.raises(ParseError, match="Rubrikraden känns inte igen.*Förväntade: kolumnerna Part i nämnden"):
        parse_matrix_text("Namn\tA\tB\nKrokom\tx\tx\n")


def test_empty_file():
    with pytest.raises(ParseError, match="Filen är tom"):
        parse_matrix_text("\n\n")


def test_extra_columns():
    with pytest.raises(ParseError, match="fler ifyllda kolumner"):
        parse_matrix_text(HEADER + "Krokom\tx\t\tkommentar\textra\n")


def _csv_text(delim: str) -> str:
    rows = [["Part i nämnden", "Söker plats", "Erbjuder plats", "Kommentarer"],
            ["Krokoms kommun", "x", "x", "Initiativtagare; se <b>bilaga</b>"],
            ["Åre kommun", "", "", 'Säger "kanske", efter förstudie'],
            ["Region JH", "", "ja", ""]]
    out = []
    for r in rows:
        out.append(delim.join('"' + c.replace('"', '""') + '"' if (delim in c or '"' in c) else c
                              for c in r))
    return "\r\n".join(out) + "\r\n"


@pytest.mark.parametrize(
    ("delim", "encoding"),
    [(";", "utf-8"), (";", "utf-8-sig"), (";", "cp1252"), (",", "utf-8"), (",", "cp1252"),
     (",", "utf-8-sig")],
)
def test_csv_variants(tmp_path: Path, delim, encoding):
    path = tmp_path / "matris.csv"
    path.write_bytes(_csv_text(delim).encode(encoding))
    m = parse_matrix(path)
    assert [(r.entry.code, r.seeks, r.offers) for r in m.rows] == [
        ("2309", True, True), ("2321", False, False), ("0023", False, True)]
    assert m.rows[0].comment == "Initiativtagare; se bilaga"
    assert m.rows[1].comment == 'Säger "kanske", efter förstudie'
    assert m.rows[0].name == "Krokoms kommun"


def test_csv_bad_mark_names_line_and_column(tmp_path: Path):
    path = tmp_path / "matris.csv"
    path.write_text("Part i nämnden;Söker plats;Erbjuder plats;Kommentarer\nBerg;x;nja;\n",
                    encoding="utf-8")
    with pytest.raises(ParseError, match=r"fil matris\.csv, rad 2, kolumn 'Erbjuder plats'.*'nja'"):
        parse_matrix(path)


def test_xlsx(tmp_path: Path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Intressenter"
    ws.append(["Part i nämnden", "Söker plats", "Erbjuder plats", "Kommentarer"])
    ws.append(["Krokoms kommun", "x", "X", "<i>Initiativtagare</i>"])
    ws.append(["Strömsund", None, "✓", None])
    ws.append(["Bergs kommun", True, None, 42])
    path = tmp_path / "matris.xlsx"
    wb.save(path)
    m = parse_matrix(path)
    assert m.sheet == "Intressenter"
    assert [(r.entry.code, r.seeks, r.offers, r.comment, r.line) for r in m.rows] == [
        ("2309", True, True, "Initiativtagare", 2),
        ("2313", False, True, "", 3),
        ("2326", True, False, "42", 4),
    ]
    ws.append(["Åre", "kanske", None, None])
    wb.save(path)
    with pytest.raises(ParseError, match=r"blad 'Intressenter', rad 5, kolumn 'Söker plats'.*'kanske'"):
        parse_matrix(path)
    with pytest.raises(ParseError, match="Bladet finns inte"):
        parse_matrix(path, sheet="Blad9")


def test_unreadable_xlsx(tmp_path: Path):
    path = tmp_path / "trasig.xlsx"
    path.write_bytes(b"inte en arbetsbok")
    with pytest.raises(ParseError, match="kan inte läsas som Excel-arbetsbok"):
        parse_matrix(path)


def test_unknown_extension(tmp_path: Path):
    path = tmp_path / "matris.pdf"
    path.write_text("x", encoding="utf-8")
    with pytest.raises(ParseError, match="Okänt filformat"):
        parse_matrix(path)


_comment = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="<>&\t"),
    max_size=40,
)


@given(st.lists(st.tuples(st.booleans(), st.booleans(), _comment), min_size=1, max_size=9),
       st.sampled_from(["x", "X", "ja", "✓"]))
def test_property_tsv_roundtrip(rows, mark):
    from gnsanalysis.parties.registry import load_registry

    shorts = [p.short for p in load_registry().parties]
    text = HEADER + "".join(
        f"{shorts[i]}\t{mark if s else ''}\t{mark if o else ''}\t{c}\n"
        for i, (s, o, c) in enumerate(rows)
    )
    m = parse_matrix_text(text)
    assert [(r.seeks, r.offers) for r in m.rows] == [(s, o) for s, o, _ in rows]
    assert [r.comment for r in m.rows] == [" ".join(c.split()) for _, _, c in rows]
    assert all(r.is_party for r in m.rows)
