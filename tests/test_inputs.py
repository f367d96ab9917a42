"""Drop and go: inputs found from what the files say; sidecars optional; problems narrow.

Every test works on a copy of data/raw/ in tmp_path (never the live folder) and starts no kernel.
"""

from __future__ import annotations

import os
import shutil

import pytest

from gnsanalysis import inputs, paths
from gnsanalysis.errors import ConfigError, DataNotFoundError

SOURCE = paths.RAW_DIR / "gns-rr-2018-12.txt"


def _export(text: str | None = None, period: str = "2019-12") -> str:
    text = text if text is not None else SOURCE.read_text(encoding="utf-8")
    return text.replace("Period 2018-12", f"Period {period}", 1)


@pytest.fixture
def raw(tmp_path):
    """A raw folder with only the real December table (with its sidecar) and the matrix."""
    folder = tmp_path / "raw"
    folder.mkdir()
    for name in ("gns-rr-2018-12.txt", "gns-rr-2018-12.meta.yaml", "intressentanalys-2019.txt",
                 "intressentanalys-2019.meta.yaml"):
        shutil.copy(paths.RAW_DIR / name, folder / name)
    return folder


def _entry(raw, name):
    return next(d for d in inputs.inventory(raw) if d.path.name == name)


def test_a_dropped_export_without_sidecar_is_read_from_the_file(raw):
    (raw / "export-december.txt").write_text(_export(), encoding="utf-8")
    d = _entry(raw, "export-december.txt")
    assert d.ok, d.problems
    assert (d.kind, d.period, d.meta["unit"], d.meta["data_status"]) == ("rr", "2019-12", "tkr", "real")
    assert d.read["forvaltning"] == "Förv.nämnd 28 RR-kod 11-80"
    assert d.sidecar is None and d.declared == {}
    assert inputs.find_dataset("rr", "2019-12", raw).path.name == "export-december.txt"
    assert "2019-12" in inputs.periods("rr", raw)
    # nothing of the 2018 sidecar (prose figures, source document) is carried into the new period
    assert "document_figures" not in d.meta and "source_document" not in d.meta


def test_a_unit_printed_above_the_header_wins_over_the_layouts_default(raw):
    (raw / "export-mnkr.txt").write_text(_export().replace("Förv.nämnd 28", "Belopp i mnkr\nFörv.nämnd 28", 1),
                                         encoding="utf-8")
    (raw / "export-tkr.txt").write_text(_export(), encoding="utf-8")
    assert _entry(raw, "export-mnkr.txt").meta["unit"] == "mnkr"
    assert _entry(raw, "export-tkr.txt").meta["unit"] == "tkr"  # the layout's unit when none is printed


def test_inside_one_reading_the_folder_is_looked_at_once_and_afterwards_again(raw):
    before = {d.path.name for d in inputs.inventory(raw)}
    with inputs.one_reading():
        assert {d.path.name for d in inputs.inventory(raw)} == before
        (raw / "export-december.txt").write_text(_export(), encoding="utf-8")
        assert {d.path.name for d in inputs.inventory(raw)} == before  # one computation, one set of inputs
    assert {d.path.name for d in inputs.inventory(raw)} == before | {"export-december.txt"}


def test_the_sidecar_only_adds(raw):
    (raw / "export.txt").write_text(_export(), encoding="utf-8")
    (raw / "export.meta.yaml").write_text("data_status: example\nsource_document: Exempel\n", encoding="utf-8")
    d = _entry(raw, "export.txt")
    assert d.ok and d.is_example and d.period == "2019-12" and d.meta["source_document"] == "Exempel"


def test_metadata_contradicting_the_file_is_a_problem_of_that_file(raw):
    (raw / "export.txt").write_text(_export(), encoding="utf-8")
    (raw / "export.meta.yaml").write_text('period: "2020-12"\n', encoding="utf-8")
    d = _entry(raw, "export.txt")
    assert not d.ok
    assert "anger Period 2019-12 på rad 1 i filen" in d.problems[0] and "period: 2020-12" in d.problems[0]
    for period in ("2019-12", "2020-12"):
        with pytest.raises(ConfigError, match="export.meta.yaml säger period: 2020-12"):
            inputs.find_dataset("rr", period, raw)
    # the other period is not affected
    assert inputs.find_dataset("rr", "2018-12", raw).path.name == "gns-rr-2018-12.txt"


def test_body_line_contradicting_the_sidecar(raw):
    (raw / "export.txt").write_text(_export(), encoding="utf-8")
    (raw / "export.meta.yaml").write_text('forvaltning: "Förv.nämnd 29, RR-kod 11-80"\n', encoding="utf-8")
    assert "forvaltning" in _entry(raw, "export.txt").problems[0]


def test_punctuation_differences_in_the_body_line_are_not_a_contradiction(raw):
    d = _entry(raw, "gns-rr-2018-12.txt")  # sidecar "Förv.nämnd 28, RR-kod 11-80", file without comma
    assert d.ok, d.problems


def test_a_table_without_period_and_without_sidecar_asks_for_it(raw):
    text = SOURCE.read_text(encoding="utf-8").replace("Period 2018-12\n", "", 1)
    (raw / "utan-period.txt").write_text(text, encoding="utf-8")
    d = _entry(raw, "utan-period.txt")
    assert d.problems == ("utan-period.txt: saknar vilken period tabellen avser (ingen rad 'Period ÅÅÅÅ-MM' i "
                          "filens början). Åtgärd: lägg en metadatafil utan-period.meta.yaml bredvid med t.ex. "
                          "'period: \"2019-12\"'.",)
    (raw / "utan-period.meta.yaml").write_text('period: "2017-12"\n', encoding="utf-8")
    assert _entry(raw, "utan-period.txt").ok


def test_an_unknown_file_names_the_missing_kind(raw):
    (raw / "anteckningar.txt").write_text("Möte om budget\n", encoding="utf-8")
    d = _entry(raw, "anteckningar.txt")
    assert "saknar vilken sorts underlag filen är" in d.problems[0] and "anteckningar.meta.yaml" in d.problems[0]
    # it blocks no report
    assert inputs.find_dataset("rr", "2018-12", raw).ok


def test_cp1252_sidecar_is_read(raw):
    (raw / "export.txt").write_text(_export(), encoding="utf-8")
    (raw / "export.meta.yaml").write_bytes("source_document: Årsbokslut för nämnden\n".encode("cp1252"))
    d = _entry(raw, "export.txt")
    assert d.ok and d.meta["source_document"] == "Årsbokslut för nämnden"
    assert d.declared["_encoding_note"] == "export.meta.yaml lästes som Windows-1252 (inte UTF-8)."


@pytest.mark.parametrize("content,expected", [
    (b"\x00\x01\x02binary\x00" * 20, "inte text"),
    (b"a: &x [1]\nb: *x\n", "alias"),
    (b"period: [\n", "inte giltig YAML"),
    (b"- a\n- b\n", "förväntade en tabell (nyckel: värde)"),
])
def test_bad_sidecars_are_problems_and_refused_with_exit_2(raw, content, expected):
    (raw / "export.txt").write_text(_export(), encoding="utf-8")
    (raw / "export.meta.yaml").write_bytes(content)
    d = _entry(raw, "export.txt")
    assert expected in d.problem_text()
    with pytest.raises(ConfigError) as info:
        inputs.find_dataset("rr", "2019-12", raw)
    assert info.value.exit_code == 2


def test_two_real_tables_for_one_period_are_refused(raw):
    (raw / "kopia.txt").write_text(SOURCE.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(ConfigError, match="Flera filer med RR-tabell .* för perioden 2018-12: gns-rr-2018-12.txt, kopia.txt"):
        inputs.find_dataset("rr", "2018-12", raw)


def test_two_stakeholder_matrices_are_refused(raw):
    shutil.copy(raw / "intressentanalys-2019.txt", raw / "intressentanalys-kopia.txt")
    with pytest.raises(ConfigError, match="Flera filer med intressentmatris"):
        inputs.stakeholder_matrix(raw)


def test_one_matrix_is_found_without_a_fixed_name(raw):
    (raw / "intressentanalys-2019.txt").rename(raw / "matris.txt")
    (raw / "intressentanalys-2019.meta.yaml").unlink()
    d = inputs.stakeholder_matrix(raw)
    assert d.path.name == "matris.txt" and d.kind == "stakeholder_matrix"


def test_a_symlink_leaving_the_folder_stops_only_itself(raw, tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_text(_export(period="2017-12"), encoding="utf-8")
    os.symlink(outside, raw / "lank.txt")
    d = _entry(raw, "lank.txt")
    assert "pekar utanför" in d.problem_text()
    assert inputs.find_dataset("rr", "2018-12", raw).path.name == "gns-rr-2018-12.txt"
    assert [x.path.name for x in inputs.datasets("rr", raw)] == ["gns-rr-2018-12.txt"]


def test_sidecar_for_a_missing_file(raw):
    (raw / "borta.meta.yaml").write_text("file: borta.txt\nkind: rr\n", encoding="utf-8")
    d = _entry(raw, "borta.meta.yaml")
    assert "pekar på 'borta.txt', som inte finns i data/raw/" in d.problem_text()


def test_missing_period_message_says_a_sidecar_is_not_needed(raw):
    with pytest.raises(DataNotFoundError, match="rad 'Period ÅÅÅÅ-MM' räcker"):
        inputs.find_dataset("rr", "2021-12", raw)


def test_the_build_plan_follows_the_data(raw):
    from gnsanalysis.publish.build import plan

    for period in ("2019-12", "2019-04", "2019-06", "2019-05"):
        (raw / f"export-{period}.txt").write_text(_export(period=period), encoding="utf-8")
    runs = {(r.name, r.params.get("period")) for r in plan(raw)}
    assert runs == {("arsbokslut", "2018-12"), ("arsbokslut", "2019-12"), ("delarsrapport", "2019-04"),
                    ("delarsrapport", "2019-06"), ("it-serverdrift", None), ("dso-alternativ", None)}
    year_end = next(r for r in plan(raw) if r.params.get("period") == "2019-12")
    assert [d.path.name for d in year_end.inputs] == ["export-2019-12.txt"]


def test_contradicting_metadata_is_refused_before_the_kernel(tmp_project):
    from gnsanalysis.cli import main
    from gnsanalysis.publish import runner

    raw = tmp_project / "data" / "raw"
    (raw / "export.txt").write_text(_export(), encoding="utf-8")
    (raw / "export.meta.yaml").write_text('period: "2020-12"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="anger Period 2019-12"):
        runner.resolve_parameters("arsbokslut", {"period": "2020-12"})
    assert main(["report", "arsbokslut", "-p", "period", "2019-12"]) == 2
    assert not list((tmp_project / "reports").glob("*.html"))


def test_gns_inputs_lists_every_file(tmp_project, capsys):
    from gnsanalysis.cli import main

    raw = tmp_project / "data" / "raw"
    (raw / "export-december.txt").write_text(_export(), encoding="utf-8")
    assert main(["inputs"]) == 0
    out = capsys.readouterr().out
    block = out.split("\nexport-december.txt\n", 1)[1].split("\n\n", 1)[0]
    assert "period: 2019-12 (ur filen)" in block
    assert "enhet: tkr (ur filen)" in block
    assert "status: verkliga data (standardvärde)" in block
    assert "rapporter: arsbokslut-2019.html" in block
    for p in raw.iterdir():
        if not p.name.endswith(".meta.yaml") and p.name != "README.md":
            assert f"\n{p.name}\n" in out
    (raw / "export-december.meta.yaml").write_text('period: "2020-12"\n', encoding="utf-8")
    assert main(["inputs"]) == 1
    out = capsys.readouterr().out
    assert "PROBLEM: export-december.txt anger Period 2019-12" in out
