"""Committed notebooks are thin and clean; every registered report executes through the runner."""

from __future__ import annotations

import ast
import re

import nbformat
import pandas as pd
import papermill
import pytest
from conftest import FIXTURES_DIR, make_project, point_paths_at

from gnsanalysis import paths
from gnsanalysis.publish import runner

NOTEBOOKS = sorted(paths.NOTEBOOKS_DIR.glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name}: strip outputs before committing"
            assert cell.execution_count is None


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_thin_notebook(path):
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert "parameters" in code[0].metadata.get("tags", []), "first code cell must be tagged parameters"
    assert sum("parameters" in c.metadata.get("tags", []) for c in code) == 1
    assert nb.metadata["kernelspec"]["name"] == "python3"
    for cell in code:
        tree = ast.parse(cell.source)
        defs = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef))]
        assert not defs, f"{path.name}: logic belongs in gnsanalysis/, not in a notebook cell"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_parameters_cell_is_annotated_literals_with_comments(path, caplog):
    nb = nbformat.read(path, as_version=4)
    params_cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    for line in params_cell.source.splitlines():
        if not line.strip():
            continue
        node = ast.parse(line).body[0]
        assert isinstance(node, ast.AnnAssign), f"{path.name}: {line!r} is not an annotated assignment"
        ast.literal_eval(node.value)  # literals only
        assert re.search(r"#\s*\S", line), f"{path.name}: {line!r} needs a comment"
    declared = papermill.inspect_notebook(str(path))
    assert declared and all(info["help"] for info in declared.values())
    assert "Unable to parse" not in caplog.text


def test_every_registered_report_has_its_notebook():
    for name, spec in runner.registry().items():
        assert (paths.NOTEBOOKS_DIR / spec.notebook).is_file(), name


def test_explorer_starts_from_the_board_reports_defaults():
    """The IT report's parameters are declared once, in its notebook's parameters cell: the
    explorer's starting state is the same set of values (no choice of parties = the default)."""
    from gnsanalysis.scenarios.explore import DEFAULT_STATE

    declared = runner.declared_parameters("it-serverdrift")
    defaults = {k: ast.literal_eval(declared[k]["default"]) for k in DEFAULT_STATE}
    assert defaults.pop("coalition") == [] and DEFAULT_STATE["coalition"] is None
    assert defaults == {k: v for k, v in DEFAULT_STATE.items() if k != "coalition"}


@pytest.fixture(scope="module")
def arsbokslut_project(tmp_path_factory):
    """The year-end report run in a project of its own, whose data/processed/ starts empty."""
    root = make_project(tmp_path_factory.mktemp("arsbokslut") / "project")
    with pytest.MonkeyPatch.context() as mp:
        point_paths_at(root, mp)
        assert not any(paths.PROCESSED_DIR.iterdir())
        result = runner.run_report("arsbokslut", {"period": "2018-12"}, reports_dir=root / "reports")
        yield root, result


@pytest.fixture(scope="module")
def arsbokslut_html(arsbokslut_project):
    _root, result = arsbokslut_project
    return result, result.html_path.read_text(encoding="utf-8")


@pytest.mark.notebook
def test_arsbokslut_report_for_the_board(arsbokslut_html):
    result, html = arsbokslut_html
    assert result.html_path.name == "arsbokslut-2018.html"
    assert result.notebook_path.is_file()  # the executed notebook is kept beside the HTML
    kept = result.notebook_path.read_text(encoding="utf-8")
    assert "@@GNS-CONTENT-HASH@@" not in kept and result.content_hash in kept  # the report's hash, not the slot
    assert '<html lang="sv">' in html
    assert "<title>Årsbokslut 2018 – Gemensam nämnd för samverkan (GNS)</title>" in html
    assert not re.search(r'class="[^"]*(jp-CodeMirrorEditor|highlight)', html)  # no code cells
    assert "period: str" not in html and "injected-parameters" not in html
    assert not re.search(r"https?://", html)  # reads offline
    assert "<script" not in html
    assert "Exempeldata" not in html  # real data: no banner
    assert "Utfallet mot budget är +13\u00a0tkr" in html  # number and unit kept on one line
    assert "1\u00a0169" in html and "\u221288" in html
    assert "Om underlaget" in html and "gnsanalysis" in html
    sha = (FIXTURES_DIR / "raw" / "gns-rr-2018-12.txt").read_bytes()
    import hashlib

    assert hashlib.sha256(sha).hexdigest() in html
    assert result.content_hash in html
    assert runner.content_hash(html) == result.content_hash
    imgs = re.findall(r"<img [^>]*>", html)
    assert len(imgs) == 2 and all('alt="' in i and "No description" not in i for i in imgs)


@pytest.mark.notebook
def test_arsbokslut_writes_processed_table(arsbokslut_project):
    # the project's data/processed/ was empty before the run (checked in the fixture), so the
    # file can only have been written by this report
    root, _result = arsbokslut_project
    processed = root / "data" / "processed" / "rr-2018-12.csv"
    assert sorted(p.name for p in processed.parent.iterdir()) == ["rr-2018-12.csv", "rr-2018-12.json"]
    pd.testing.assert_frame_equal(pd.read_csv(processed), pd.read_csv(FIXTURES_DIR / "golden" / "rr-2018-12.csv"))
