"""The package's shape: dependencies point one way, no cycles, no private names across modules.

Read from the source with :mod:`ast` (module-level imports and imports inside functions alike),
so the test checks what the code says, not what happens to be imported at run time.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "gnsanalysis"

# Lower layers never import higher ones. A module may import its own layer or any lower one.
LAYERS = [
    {"gnsanalysis", "gnsanalysis.errors", "gnsanalysis.paths"},
    {"gnsanalysis.io"},
    {"gnsanalysis.swedish", "gnsanalysis.schemas", "gnsanalysis.csvsafe"},
    {"gnsanalysis.rr", "gnsanalysis.parties", "gnsanalysis.documents"},
    {"gnsanalysis.inputs"},
    {"gnsanalysis.render"},
    {"gnsanalysis.reports", "gnsanalysis.scenarios"},
    {"gnsanalysis.publish"},
    {"gnsanalysis.cli"},
]


def _module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> list[tuple[str, list[str], int]]:
    """(imported module, imported names, line) for every import of gnsanalysis code in ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    me = _module_name(path)
    package = me if path.name == "__init__.py" else me.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            if module.split(".")[0] == "gnsanalysis":
                found.append((module, [a.name for a in node.names], node.lineno))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "gnsanalysis":
                    found.append((alias.name, [], node.lineno))
    return found


def _layer(module: str) -> int:
    for depth in range(module.count(".") + 1, 0, -1):
        prefix = ".".join(module.split(".")[:depth])
        for i, layer in enumerate(LAYERS):
            if prefix in layer:
                return i
    raise AssertionError(f"{module} is in no layer of tests/test_architecture.py: add it")


MODULES = sorted(PACKAGE.rglob("*.py"))
ALL_NAMES = {_module_name(p) for p in MODULES}


def _target(module: str, name: str) -> str:
    """The module an ``from module import name`` refers to (a submodule when there is one)."""
    sub = f"{module}.{name}"
    return sub if sub in ALL_NAMES else module


@pytest.mark.parametrize("path", MODULES, ids=lambda p: _module_name(p))
def test_dependencies_point_down(path):
    me = _module_name(path)
    for module, names, line in _imports(path):
        for target in [_target(module, n) for n in names] or [module]:
            if target == "gnsanalysis":
                continue  # __version__
            assert _layer(target) <= _layer(me), f"{me}:{line} imports {target}, a higher layer"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: _module_name(p))
def test_no_private_names_from_other_modules(path):
    me = _module_name(path)
    for module, names, line in _imports(path):
        private = [n for n in names if n.startswith("_") and n != "__version__"]
        assert not private or module == me, f"{me}:{line} imports private {private} from {module}"


def _module_aliases(tree: ast.AST) -> dict[str, str]:
    """Local names bound to gnsanalysis modules (``from gnsanalysis.scenarios import state as st``)."""
    aliases = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and not node.level and (node.module or "").startswith("gnsanalysis"):
            for a in node.names:
                if f"{node.module}.{a.name}" in ALL_NAMES:
                    aliases[a.asname or a.name] = f"{node.module}.{a.name}"
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name in ALL_NAMES and a.asname:
                    aliases[a.asname] = a.name
    return aliases


@pytest.mark.parametrize("path", MODULES, ids=lambda p: _module_name(p))
def test_no_private_names_through_a_module_alias(path):
    """``st._key_code`` is an import of a private name too, only spelt as an attribute."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    aliases = _module_aliases(tree)
    used = [f"{node.value.id}.{node.attr} (line {node.lineno})" for node in ast.walk(tree)
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases
            and node.attr.startswith("_") and not node.attr.startswith("__")]
    assert not used, f"{_module_name(path)} uses private names of other modules: {', '.join(used)}"


def test_no_import_cycles():
    graph = {}
    for path in MODULES:
        me = _module_name(path)
        graph[me] = {_target(m, n) for m, names, _ in _imports(path) for n in (names or [""])} - {me, "gnsanalysis"}
    graph = {k: {t if t in ALL_NAMES else t.rpartition(".")[0] for t in v} for k, v in graph.items()}
    # a package's __init__ importing its own submodules is not a cycle of concern
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt.startswith(node + "."):
                continue
            if state.get(nxt) == 1:
                cycle = stack[stack.index(nxt):] + [nxt]
                raise AssertionError("import cycle: " + " -> ".join(cycle))
            if nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: _module_name(p))
def test_no_function_longer_than_60_lines(path):
    """Issue 10's limit, kept by the suite (``tools/long_functions.py`` lists them all)."""
    long = [f"{node.name} ({node.end_lineno - node.lineno + 1} lines, line {node.lineno})"
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.end_lineno - node.lineno + 1 > 60]
    assert not long, f"{_module_name(path)}: {', '.join(long)}"


def _unexplained_lazy_imports(source: str) -> list[str]:
    """Functions whose imports carry no comment: a comment on one of the function's import
    lines, or on the line just above one, must say why the import is not at the top."""
    lines = source.splitlines()
    out = []
    for fn in ast.walk(ast.parse(source)):
        if not isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        imports = [n for n in ast.walk(fn) if isinstance(n, ast.Import | ast.ImportFrom)]
        if imports and not any("#" in lines[n.lineno - 1] or lines[n.lineno - 2].lstrip().startswith("#")
                               for n in imports):
            out.append(f"{fn.name} (line {imports[0].lineno})")
    return out


@pytest.mark.parametrize(("source", "found"), [
    ("def f():\n    import json\n    return json\n", ["f (line 2)"]),
    ("def f():\n    import json  # lazy: only on error\n    import csv\n", []),
    ("def f():\n    # lazy: the next two load only here\n    import json\n    import csv\n", []),
    ("import json\n\ndef f():\n    return json\n", []),
])
def test_the_lazy_import_rule_reads_comments(source, found):
    assert _unexplained_lazy_imports(source) == found


@pytest.mark.parametrize("path", MODULES, ids=lambda p: _module_name(p))
def test_imports_inside_functions_say_why(path):
    """Issue 10: imports at the top of the module; a lazy one says why (it keeps a command fast)."""
    unexplained = _unexplained_lazy_imports(path.read_text(encoding="utf-8"))
    assert not unexplained, f"{_module_name(path)}: import inside {', '.join(unexplained)} without a comment"
