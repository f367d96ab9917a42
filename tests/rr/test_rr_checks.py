"""RR checks: layouts that do not fit the rows, finding order and wording, and the rule
builder (rules built once per block shape) checked against the plain definition it replaces.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gnsanalysis.cli import main
from gnsanalysis.errors import ParseError
from gnsanalysis.rr.checks import check_report, check_table, sort_findings
from gnsanalysis.rr.hierarchy import summing_rules
from gnsanalysis.rr.read import decode_text, read_rr

GNS_HEADER = "RR;Ack utfall;Ack budget;Bud-Utf Diff"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- layout that does not fit

def test_gns_columns_on_another_table_use_the_inferred_hierarchy(tmp_path, capsys):
    path = write(tmp_path, "liten.csv", f"{GNS_HEADER}\nSumma Intäkter;10;8;2\nLöner;-5;-5;0\nRESULTAT;5;3;2\n")
    table = read_rr(path)
    findings, notes = check_report(table)
    assert findings == [] and check_table(table) == []
    assert len(notes) == 1 and "saknar 12 av dess 14 rader" in notes[0]
    assert "härledd från radetiketterna" in notes[0]
    assert main(["rr", "check", str(path)]) == 0
    out = capsys.readouterr().out
    assert "inga avvikelser utöver avrundning (3 rader, 3 kolumner)" in out
    assert "saknas i tabellen men behövs" not in out


def test_gns_columns_without_the_final_row_are_not_called_truncated(tmp_path):
    path = write(tmp_path, "annan.csv", f"{GNS_HEADER}\nFörsäljning;10;8;2\nLöner;-5;-5;0\nSumma;5;3;2\n")
    assert check_table(read_rr(path)) == []


def test_gns_columns_on_another_table_still_find_real_errors(tmp_path, capsys):
    path = write(tmp_path, "fel.csv", f"{GNS_HEADER}\nFörsäljning;10;8;2\nLöner;-5;-5;0\nSumma;8;3;2\n")
    findings = check_table(read_rr(path))
    assert [(f.line, f.row, f.column) for f in findings] == [(4, "Summa", "Ack utfall"),
                                                             (4, "Summa", "Bud-Utf Diff")]
    assert main(["rr", "check", str(path)]) == 1
    assert "2 avvikelser som inte kan förklaras" in capsys.readouterr().err


def test_declared_layout_missing_rows_are_worded_by_role(tmp_path):
    path = write(tmp_path, "d.txt", "Rad\tUtfall\nA\t10\nB\t5\nTotal\t10\n")
    (tmp_path / "d.meta.yaml").write_text(
        "layout:\n  totals:\n    - {row: A, parts: [B, C]}\n    - {row: Summa, parts: [A]}\n",
        encoding="utf-8")
    texts = [f.rule for f in check_table(read_rr(path))]
    assert texts == ["raden 'C' saknas i tabellen men behövs för kontrollen av 'A'",
                     "summaraden 'Summa' saknas i tabellen, så summan av 'A' kan inte kontrolleras"]


def test_real_table_and_truncated_real_table_unchanged(tmp_path, real_rr_text):
    assert check_report(read_rr(write(tmp_path, "rr.txt", real_rr_text))) == ([], [])
    with pytest.raises(ParseError, match="avkortad"):
        read_rr(write(tmp_path, "cut.txt", "\n".join(real_rr_text.split("\n")[:-3])))


# --------------------------------------------------------------------------- CLI order and plurals

def test_check_prints_findings_by_line_then_column(tmp_path, real_rr_text, capsys):
    altered = real_rr_text.replace("Övrigt\t-1 489", "Övrigt\t-1 498")
    path = write(tmp_path, "rr.txt", altered)
    assert main(["rr", "check", str(path)]) == 1
    out = capsys.readouterr()
    lines = [int(re.match(r"rr\.txt:(\d+):", l).group(1)) for l in out.out.splitlines()]
    assert lines == sorted(lines) and lines[0] == 13 and lines[-1] == 14
    table = read_rr(path)
    ordered = sort_findings(check_table(table), table)
    assert [(f.line, table.value_columns.index(f.column)) for f in ordered] == sorted(
        (f.line, table.value_columns.index(f.column)) for f in ordered)
    assert "4 avvikelser som inte kan förklaras av avrundning" in out.err


def test_check_singular_counts(tmp_path, capsys):
    path = write(tmp_path, "en.csv", "Rad;Utfall\nIntäkter;5\n")
    assert main(["rr", "check", str(path)]) == 0
    assert "(1 rad, 1 kolumn)" in capsys.readouterr().out
    bad = write(tmp_path, "fel.csv", "Rad;Utfall\nA;5\nB;5\nSumma;13\n")
    assert main(["rr", "check", str(bad)]) == 1
    assert "1 avvikelse som inte kan förklaras" in capsys.readouterr().err


# --------------------------------------------------------------------------- generated export

def _export(tmp_path: Path, n_rows: int, alter: list[tuple[int, int, int]] = ()) -> Path:
    from bench.rr_ingest import generate, write_csv

    header, rows = generate(n_rows, seed=5)
    for i, j, delta in alter:
        rows[i][j] += delta
    path = tmp_path / "export.csv"
    write_csv(path, header, rows)
    return path


def test_generated_export_is_consistent_and_altered_figures_are_found(tmp_path):
    table = read_rr(_export(tmp_path, 3000))
    assert len(table.frame) == 3000 and check_table(table) == []
    # row 14 is "Avgifter" of the second block (line 3 + 14 + 1 = 18); row 611 is the net cost
    path = _export(tmp_path, 3000, [(14, 1, 7), (611, 3, -20)])
    found = {(f.line, f.row, f.column) for f in check_table(read_rr(path))}
    assert (18, "Avgifter", "Avvikelse 2019") in found  # utfall − budget no longer holds
    assert (20, "Summa intäkter", "Utfall 2019") in found  # nor does the subtotal
    assert (615, "Verksamhetens nettokostnad", "Avvikelse 2019") in found


def test_csv_read_from_file_equals_csv_read_from_text(tmp_path):
    path = _export(tmp_path, 600)
    crlf = read_rr(path)
    lf = tmp_path / "lf.csv"
    lf.write_bytes(path.read_bytes().replace(b"\r\n", b"\n"))
    cr = tmp_path / "cr.csv"  # lone CRs: read from the decoded text
    cr.write_bytes(path.read_bytes().replace(b"\r\n", b"\r"))
    for other in (read_rr(lf), read_rr(cr)):
        assert crlf.frame.equals(other.frame) and crlf.decimals == other.decimals


@pytest.mark.parametrize("data", [b"a\r\nb\r\n", b"a\rb\r\n\r\r\nc", b"a\nb", b"x\r", b"\xef\xbb\xbfa\r\n\xc3\xa5\r\n",
                                  "Rad;Utfall\r\nÖvrigt;1\r\n".encode("cp1252"), b"a\x01b\r\n" * 2])
def test_decode_matches_the_plain_definition(data):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    assert decode_text(data) == text.replace("\r\n", "\n").replace("\r", "\n")
    with pytest.raises(ParseError, match="binär"):
        decode_text(b"a\x01b\r\n" * 3)


# --------------------------------------------------------------------------- rule shapes

def _sequential_rules(kinds, levels, empty):
    """The rule builder as first written: one pass over every row."""
    rules, block, section, stack, children = [], [], [], [], {}
    for pos, kind in enumerate(kinds):
        if (empty[pos] and kind == "item" and pos > 0 and kinds[pos - 1] == "total"
                and pos + 1 < len(kinds) and kinds[pos + 1] != "total"):
            block, section, stack = [], [], []
            continue
        if kind == "item":
            while stack and stack[-1][0] >= levels[pos]:
                stack.pop()
            if stack:
                children.setdefault(stack[-1][1], []).append(pos)
            else:
                block.append(pos)
            stack.append((levels[pos], pos))
        elif kind == "subtotal":
            stack = []
            if block:
                rules.append((pos, list(block), "subtotal"))
            section.append(pos)
            block = []
        elif kind == "total":
            stack = []
            if section + block:
                rules.append((pos, section + block, "total"))
            section, block = [pos], []
    return rules + [(p, kids, "parent") for p, kids in children.items()]


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10**6))
def test_rules_by_block_shape_equal_the_sequential_rules(seed):
    rng = random.Random(seed)
    shapes = [[rng.choice(["item", "item", "subtotal", "total", "part_of"]) for _ in range(rng.randint(1, 6))]
              for _ in range(rng.randint(1, 3))]
    kinds, levels, empty = [], [], []
    for _ in range(rng.randint(1, 30)):
        shape = rng.choice(shapes)
        kinds += ["item"] + shape + ["total"]
        levels += [0] + [rng.choice([0, 0, 1, 2]) for _ in shape] + [0]
        empty += [True] + [rng.random() < 0.1 for _ in shape] + [False]
    assert summing_rules(kinds, levels, empty) == _sequential_rules(kinds, levels, empty)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10**6))
def test_sums_by_block_shape_equal_the_sums_by_rule(seed):
    """Rules of a block shape repeated many times (an export: one block per nämnd and month):
    the rules and every sum and count must be the ones the row-by-row builder and a plain
    per-rule sum give, also with missing or infinite figures."""
    from gnsanalysis.rr.hierarchy import part_sums

    rng = random.Random(seed)
    shape = [rng.choice(["item", "item", "subtotal", "total", "part_of"]) for _ in range(rng.randint(1, 7))]
    shape_levels = [rng.choice([0, 0, 1, 2]) for _ in shape]
    head = [rng.choice(["item", "subtotal"]) for _ in range(rng.randint(0, 3))]
    kinds, levels, empty = list(head), [0] * len(head), [False] * len(head)
    for _ in range(rng.randint(1, 40)):
        kinds += ["item"] + shape + ["total"]
        levels += [0] + shape_levels + [0]
        empty += [True] + [False] * len(shape) + [False]
    cut = rng.randint(0, len(shape))  # the last block may be cut short
    if cut:
        kinds, levels, empty = kinds[:-cut], levels[:-cut], empty[:-cut]
    rules = summing_rules(kinds, levels, empty)
    assert sorted(rules) == sorted(_sequential_rules(kinds, levels, empty))
    rules.sort(key=lambda rule: rule[0])
    values = np.round(np.array([[rng.uniform(-1e6, 1e6) for _ in range(3)] for _ in kinds]), 1)
    values[np.array([rng.random() < 0.05 for _ in kinds])] = np.nan
    if rng.random() < 0.3 and len(kinds):
        values[rng.randrange(len(kinds)), rng.randrange(3)] = rng.choice([np.inf, -np.inf, -0.0])
    rid = np.repeat(np.arange(len(rules)), [len(parts) for _, parts, _ in rules])
    flat = np.array([p for _, parts, _ in rules for p in parts], dtype=np.int64)
    for j in range(3):
        s, n = part_sums(values[:, j][flat], rid, len(rules))
        for i, (_, rows, _) in enumerate(rules):
            parts = values[:, j][rows]
            assert s[i] == sum(np.nan_to_num(parts).tolist())
            assert n[i] == np.count_nonzero(~np.isnan(parts))


def test_kinds_of_a_changed_kind_column_are_read_again(tmp_path):
    """A table keeps the kinds it was built with only while its kind column is that column."""
    import dataclasses

    block = ["Försäljning;1,5;1,5", "Avgifter;2,5;2,5", "Summa intäkter;9,0;4,0", "Löner;-1,5;-1,5",
             "Summa kostnader;-1,5;-1,5", "Verksamhetens nettokostnad;7,5;2,5"]
    lines = ["Rad;Utfall;Budget"] + [f"Nämnd {k};;\n" + "\n".join(block) for k in range(1, 4)]
    path = tmp_path / "rr.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    table = read_rr(path)
    assert check_table(table)  # "Summa intäkter" does not add up
    kinds = table.kinds.copy()
    kinds[table.labels == "Summa intäkter"] = "item"
    changed = dataclasses.replace(table, kinds=kinds)
    rebuilt = dataclasses.replace(changed, kinds=kinds.copy())  # kinds read from the column
    assert list(changed.frame["kind"]) == list(kinds)
    assert [str(f) for f in check_table(changed)] == [str(f) for f in check_table(rebuilt)]
    assert [str(f) for f in check_table(changed)] != [str(f) for f in check_table(table)]


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10**6))
def test_difference_check_equals_the_formula_as_written(seed):
    """The one rounding test, used as the difference check uses it, against the formula."""
    from gnsanalysis.rr.hierarchy import inconsistent

    rng = np.random.default_rng(seed)
    n = 200
    a, b = np.round(rng.uniform(-1e4, 1e4, n), 1), np.round(rng.uniform(-1e4, 1e4, n), 1)
    t = np.round(a - b + rng.choice([0.0, 0.0, 0.1, -0.1, 0.2, 5.0], n), 1)
    for arr in (a, b, t):
        arr[rng.random(n) < 0.05] = np.nan
    a[rng.random(n) < 0.02] = np.inf
    b[rng.random(n) < 0.02] = -np.inf
    ha, hb, ht = 0.05, 0.05, 0.05
    tol = ht * 1e-6 + 1e-9
    with np.errstate(over="ignore", invalid="ignore"):  # the largest floats (from ±inf) overflow
        a0, b0 = np.nan_to_num(a), np.nan_to_num(b)
        low, high = a0 - b0 - ha - hb, a0 - b0 + ha + hb
        expected = ~np.isnan(t) & ((t < low - ht - tol) | (t > high + ht + tol))
        assert (~np.isnan(t) & inconsistent(t, ht, low, high)).tolist() == expected.tolist()


@pytest.mark.parametrize("text, line", [
    ("Rad;Utfall;Budget\nIntäkter;5;7\nKostnader;57\n", 3),  # two cells run together
    ("Period 2019-12\n\nRad;Utfall 2019\nIntäkter0\nKostnader;0\n", 4),  # label run into its figure
])
def test_csv_rows_with_too_few_cells_stop(tmp_path, text, line):
    for enc in ("utf-8", "cp1252"):
        path = tmp_path / f"kort-{enc}.csv"
        path.write_bytes(text.encode(enc))
        with pytest.raises(ParseError, match=rf"rad {line}\b"):
            read_rr(path)


# --------------------------------------------------------------------------- nämnd = its verksamhet rows
DRIFT = """Driftredovisning per nämnd 2020, tkr
Nämnd/verksamhet Budget 2020 Utfall 2020 Avvikelse
Kommunstyrelsen -58 400 -56 912 1 488
Ledning och administration -21 300 -20 455 845
Näringsliv -9 100 -9 310 -210
IT och digitalisering -28 000 -27 147 853
Barn- och utbildningsnämnden -412 900 -418 344 -5 444
Förskola -98 200 -99 871 -1 671
Grundskola -221 500 -224 019 -2 519
Gymnasieskola -93 200 -94 454 -1 254
Socialnämnden -388 100 -395 220 -7 120
Summa nämnder -859 400 -870 476 -11 076
"""


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (None, None, []),
        # a verksamhet figure wrong (its own difference still holds): the finding is at its nämnd
        ("Förskola -98 200 -99 871 -1 671", "Förskola -98 200 -98 871 -671",
         [("Barn- och utbildningsnämnden", "Utfall 2020"), ("Barn- och utbildningsnämnden", "Avvikelse")]),
        # the nämnd figure wrong: its sum and the total break, never a total over nämnd and verksamhet
        ("-412 900 -418 344 -5 444", "-412 900 -419 344 -6 444",
         [("Barn- och utbildningsnämnden", "Utfall 2020"), ("Barn- och utbildningsnämnden", "Avvikelse"),
          ("Summa nämnder", "Utfall 2020"), ("Summa nämnder", "Avvikelse")]),
    ],
)
def test_namnd_structure_comes_from_the_columns_that_add_up(tmp_path, old, new, expected):
    text = DRIFT if old is None else DRIFT.replace(old, new)
    assert (text != DRIFT) == (old is not None)
    table = read_rr(write(tmp_path, "drift.txt", text))
    findings, _ = check_report(table)
    assert [(f.row, f.column) for f in sort_findings(findings, table)] == expected
