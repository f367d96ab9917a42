"""Write a thin report notebook from a compact cell list (developer tool, not used at run time).

Usage: python tools/make_notebook.py  (rewrites the notebooks listed in NOTEBOOKS below
from their cell specs in tools/notebook_specs/*.py). Cell ids are derived from the position,
so the files are stable and diff cleanly; outputs are always empty.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
SPECS = ROOT / "tools" / "notebook_specs"


def build(spec_path: Path) -> nbformat.NotebookNode:
    namespace: dict = {}
    exec(spec_path.read_text(encoding="utf-8"), namespace)
    cells = []
    for i, (kind, source, *tags) in enumerate(namespace["CELLS"]):
        source = source.strip("\n")
        if kind == "md":
            cell = nbformat.v4.new_markdown_cell(source)
        else:
            cell = nbformat.v4.new_code_cell(source)
        cell["id"] = f"{spec_path.stem[:20]}-{i:02d}"
        if tags:
            cell.metadata["tags"] = list(tags)
        cells.append(cell)
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    return nb


def main(names: list[str]) -> None:
    for spec in sorted(SPECS.glob("*.py")):
        if names and spec.stem not in names:
            continue
        nb = build(spec)
        nbformat.validate(nb)
        out = ROOT / "notebooks" / f"{spec.stem}.ipynb"
        out.write_text(nbformat.writes(nb) + "\n", encoding="utf-8")
        print(f"wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main(sys.argv[1:])
