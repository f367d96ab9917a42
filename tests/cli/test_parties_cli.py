"""``gns allocate`` and ``gns matrix parse|check`` through gnsanalysis.cli.main."""

from __future__ import annotations

import csv
import io
import json

import pytest

from gnsanalysis.cli import main
from gnsanalysis.paths import RAW_DIR

RAW = str(RAW_DIR / "intressentanalys-2019.txt")


def _csv(text):
    return list(csv.DictReader(io.StringIO(text)))


def test_allocate_914400_equal(capsys):
    assert main(["allocate", "--total", "914400", "--key", "equal"]) == 0
    out = capsys.readouterr()
    rows = _csv(out.out)
    assert out.out.splitlines()[0] == "party,share"
    assert len(rows) == 9
    assert {r["share"] for r in rows} == {"101600"}
    assert rows[0]["party"] == "Ragunda kommun"
    assert rows[-1]["party"] == "Region Jämtland Härjedalen"
    assert out.err == ""


def test_allocate_subset_with_variants_and_ore(capsys):
    assert main(["allocate", "--total", "840 236", "--key", "lika", "--ore", "--parties",
                 "Östersund,Krokom,Berg,Härjedalen,Region JH,Åre"]) == 0
    rows = _csv(capsys.readouterr().out)
    assert [r["party"] for r in rows] == [
        "Krokoms kommun", "Åre kommun", "Bergs kommun", "Härjedalens kommun",
        "Östersunds kommun", "Region Jämtland Härjedalen",
    ]
    assert sum(int(r["share"]) for r in rows) == 84023600


def test_allocate_mix(capsys):
    assert main(["allocate", "--total", "914400", "--key", "1/3 equal + 2/3 population"]) == 0
    rows = _csv(capsys.readouterr().out)
    assert sum(int(r["share"]) for r in rows) == 914400


def test_allocate_usage(capsys):
    assert main(["allocate", "--total", "100", "--key", "usage", "--parties", "Krokom,Berg",
                 "--usage", "Krokom=3,Berg=1"]) == 0
    assert capsys.readouterr().out == "party,share\nKrokoms kommun,75\nBergs kommun,25\n"


def test_allocate_example_key_labelled(capsys):
    assert main(["allocate", "--total", "1000", "--key", "pupils"]) == 0
    assert "Exempeldata" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "match"),
    [
        (["--key", "foo"], "Okänd fördelningsnyckel 'foo'"),
        (["--key", "equal", "--parties", "Krokom,Gotland"], "Okänd part 'Gotland'"),
        (["--key", "equal", "--parties", "Krokoms kommon"], "Menade du Krokoms kommun"),
        (["--key", "equal", "--parties", "Räddningstjänsten"], "inte part i nämnden"),
        (["--key", "usage"], "kräver en mängd per part"),
        (["--key", "usage", "--usage", "Krokom"], "Förväntade PART=MÄNGD"),
    ],
)
def test_allocate_bad_input_exits_2(capsys, argv, match):
    assert main(["allocate", "--total", "100", *argv]) == 2
    err = capsys.readouterr().err
    assert err.startswith("gns: ")
    assert match in err


def test_allocate_bad_total(capsys):
    assert main(["allocate", "--total", "tio", "--key", "equal"]) == 2
    assert "'tio' är inte ett tal" in capsys.readouterr().err
    assert main(["allocate", "--total", "10,5", "--key", "equal"]) == 2
    assert "--ore" in capsys.readouterr().err


def test_matrix_check_raw(capsys):
    assert main(["matrix", "check", RAW]) == 1
    out = capsys.readouterr()
    lines = out.out.splitlines()
    assert len(lines) == 2
    assert "Räddningstjänstförbundet" in lines[0] and "information" in lines[0]
    assert "Strömsunds kommun är part i nämnden men saknas i matrisen" in lines[1]
    assert "1 avvikelse mot partsregistret och 1 upplysning." in out.err


def test_matrix_check_clean(tmp_path, capsys):
    path = tmp_path / "m.csv"
    names = ["Ragunda", "Bräcke", "Krokom", "Strömsund", "Åre", "Berg", "Härjedalen",
             "Östersund", "Region JH"]
    path.write_text("Part i nämnden;Söker plats;Erbjuder plats;Kommentarer\n"
                    + "".join(f"{n};x;;\n" for n in names), encoding="utf-8")
    assert main(["matrix", "check", str(path)]) == 0
    out = capsys.readouterr()
    assert out.out == ""
    assert "stämmer mot partsregistret" in out.err


def test_matrix_check_unreadable(tmp_path, capsys):
    path = tmp_path / "m.txt"
    path.write_text("Part i nämnden\tSöker plats\tErbjuder plats\tKommentarer\nBerg\tnja\t\t\n",
                    encoding="utf-8")
    assert main(["matrix", "check", str(path)]) == 2
    assert "rad 2, kolumn 'Söker plats'" in capsys.readouterr().err
    assert main(["matrix", "check", str(tmp_path / "finns-inte.txt")]) == 2
    assert "filen finns inte" in capsys.readouterr().err


def test_matrix_parse_csv(capsys):
    assert main(["matrix", "parse", RAW]) == 0
    rows = _csv(capsys.readouterr().out)
    assert len(rows) == 9
    assert rows[3]["part"] == "Krokoms kommun" and rows[3]["kommentar"] == "Initiativtagare"
    assert rows[3]["kod"] == "2309"
    assert rows[5]["kommentar"].count("<") == 0


def test_matrix_parse_json(capsys):
    assert main(["matrix", "parse", RAW, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data[7]["part"] == "Region Jämtland Härjedalen"
    assert data[7]["namn_i_källan"] == "Region JH"
    assert data[8]["är_part"] is False and data[8]["erbjuder_plats"] is True


@pytest.mark.parametrize(
    ("usage", "match"),
    [
        ("Krokom=3,Berg=1,Åre=5", "--usage anger 'Åre', som inte finns i --parties"),
        ("Krokom=3,Berg=1,Krokom=5", "--usage anger Krokoms kommun två gånger (som 'Krokom' och 'Krokom')"),
        ("Krokom=3,Berg=1,Krokoms kommun=5", "två gånger (som 'Krokom' och 'Krokoms kommun')"),
        ("Krokom=3,Berg=1,Räddningstjänsten=2", "inte part i nämnden"),
    ],
)
def test_allocate_usage_refuses_extra_and_duplicate_parties(capsys, usage, match):
    assert main(["allocate", "--total", "100", "--key", "usage", "--parties", "Krokom,Berg",
                 "--usage", usage]) == 2
    out = capsys.readouterr()
    assert out.out == ""
    assert match in out.err


def test_allocate_usage_with_a_key_that_ignores_it_is_refused(capsys):
    assert main(["allocate", "--total", "100", "--key", "equal", "--usage", "Krokom=3"]) == 2
    assert "--usage används bara med nyckeln usage" in capsys.readouterr().err
    assert main(["allocate", "--total", "100", "--key", "1/2 equal + 1/2 usage", "--parties", "Krokom,Berg",
                 "--usage", "Krokom=3,Berg=1"]) == 0
    assert sum(int(r["share"]) for r in _csv(capsys.readouterr().out)) == 100


def test_allocate_usage_duplicate_without_parties_is_refused(capsys):
    assert main(["allocate", "--total", "100", "--key", "usage", "--usage", "Krokom=3,Krokom=1"]) == 2
    assert "två gånger" in capsys.readouterr().err


def test_matrix_parse_csv_never_writes_a_formula(tmp_path, capsys):
    path = tmp_path / "m.txt"
    path.write_text(
        "Part i nämnden\tSöker plats\tErbjuder plats\tKommentarer\n"
        "Krokom\tx\t\t=HYPERLINK(\"http://example.com\",\"klicka\")\n"
        "Berg\tx\t\t-2+3+cmd|' /C calc'!A0\n"
        "Åre\t\tx\t@SUM(A1)\n"
        "Ragunda\tx\t\tInitiativtagare\n", encoding="utf-8")
    assert main(["matrix", "parse", str(path)]) == 0
    rows = _csv(capsys.readouterr().out)
    assert [r["kommentar"] for r in rows] == [
        "'=HYPERLINK(\"http://example.com\",\"klicka\")", "'-2+3+cmd|' /C calc'!A0", "'@SUM(A1)",
        "Initiativtagare"]
    # JSON is for programs, not spreadsheets: the text stays as it was
    assert main(["matrix", "parse", str(path), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["kommentar"].startswith("=HYPERLINK")
