"""Notebooks as text: each report notebook's source of truth is its jupytext ``py:percent`` file.

The ``.ipynb`` beside it is what papermill runs; the two must hold the same cells. After
editing a ``.py`` run ``make notebooks`` (``jupytext --sync``).
"""

from __future__ import annotations

import ast

import jupytext
import nbformat
import pytest

from gnsanalysis import paths

NOTEBOOKS = sorted(paths.PACKAGE_DIR.parent.joinpath("notebooks").glob("*.ipynb"))


def _cells(nb):
    return [(c.cell_type, c.source.strip(), tuple(c.metadata.get("tags", ()))) for c in nb.cells]


@pytest.mark.parametrize("ipynb", NOTEBOOKS, ids=lambda p: p.stem)
def test_paired_ipynb_matches_its_py_source(ipynb):
    source = ipynb.with_suffix(".py")
    assert source.exists(), f"{ipynb.name} has no py:percent source; run jupytext --set-formats ipynb,py:percent"
    from_text = jupytext.read(source)
    stored = nbformat.read(ipynb, as_version=4)
    assert _cells(stored) == _cells(from_text), f"{ipynb.name} and {source.name} differ: run make notebooks"


@pytest.mark.parametrize("ipynb", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_thin_and_has_no_outputs(ipynb):
    nb = nbformat.read(ipynb, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and "parameters" in code[0].metadata.get("tags", []), "first code cell must be tagged parameters"
    params = ast.parse(code[0].source)
    for node in params.body:
        assert isinstance(node, ast.AnnAssign | ast.Assign), f"parameters cell holds {type(node).__name__}"
        value = node.value
        assert isinstance(ast.literal_eval(value), str | int | float | bool | list | dict | type(None))
    for line in code[0].source.splitlines():
        if line.strip():
            assert "#" in line, f"parameter without a comment: {line!r}"
    for cell in code:
        assert not cell.get("outputs"), "notebook outputs must not be committed"
        tree = ast.parse(cell.source)
        defs = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.ClassDef | ast.AsyncFunctionDef)]
        assert not defs, f"{ipynb.name}: def/class belongs in gnsanalysis/, not in a notebook"
