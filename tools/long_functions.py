"""List functions longer than a limit (default 60 lines): ``python tools/long_functions.py [LIMIT]``."""

import ast
import sys
from pathlib import Path

LIMIT = int(sys.argv[1]) if len(sys.argv) > 1 else 60
found = 0
for path in sorted(Path(__file__).resolve().parents[1].joinpath("gnsanalysis").rglob("*.py")):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            length = node.end_lineno - node.lineno + 1
            if length > LIMIT:
                found += 1
                print(f"{path.relative_to(path.parents[2])}:{node.lineno} {node.name} {length}")
print(f"{found} functions longer than {LIMIT} lines")
sys.exit(1 if found else 0)
