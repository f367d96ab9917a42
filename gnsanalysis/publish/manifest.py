"""The build manifest ``reports/.manifest.json``: what each report was built from (inputs, code, output hashes).

``gns build`` skips a report whose fingerprint is unchanged and whose file still has the recorded
hash; ``gns verify`` compares a file with the recorded hash.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path

from gnsanalysis import paths
from gnsanalysis.io import atomic_write, file_sha256

MANIFEST_NAME = ".manifest.json"
VERSION = 1
_CODE_SUFFIXES = {".py", ".yaml", ".yml", ".j2", ".css", ".json", ".tpl"}


@cache
def package_version() -> str:
    """SHA-256 over the package's sources, resources and templates (names and contents)."""
    h = hashlib.sha256()
    root = paths.PACKAGE_DIR
    for p in sorted(root.rglob("*")):
        if p.is_file() and p.suffix in _CODE_SUFFIXES and "__pycache__" not in p.parts:
            h.update(p.relative_to(root).as_posix().encode("utf-8") + b"\0")
            h.update(p.read_bytes() + b"\0")
    return h.hexdigest()


def code_version(notebook: Path) -> str:
    """The code a report is built with: one hash of the package version and the notebook."""
    h = hashlib.sha256(package_version().encode("ascii"))
    h.update(Path(notebook).read_bytes())
    return h.hexdigest()


def fingerprint(report: str, parameters: dict, inputs: dict[str, str], code: str) -> str:
    """One hash of everything a report is built from; unchanged means skip."""
    doc = {"report": report, "parameters": parameters, "inputs": inputs, "code": code}
    return hashlib.sha256(json.dumps(doc, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def load(reports_dir: Path) -> dict:
    """The manifest's records by output file name (empty when missing or unreadable)."""
    path = Path(reports_dir) / MANIFEST_NAME
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(doc, dict) or doc.get("version") != VERSION or not isinstance(doc.get("reports"), dict):
        return {}
    return {k: v for k, v in doc["reports"].items() if isinstance(v, dict)}


def save(reports_dir: Path, records: dict) -> None:
    """Write the manifest atomically (records sorted by file name)."""
    doc = {"version": VERSION, "reports": dict(sorted(records.items()))}
    atomic_write(Path(reports_dir) / MANIFEST_NAME,
                 (json.dumps(doc, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8"))


def on_disk(reports_dir: Path, records: dict) -> dict:
    """The records whose file exists and still has the recorded hash."""
    out = {}
    for name, rec in records.items():
        path = Path(reports_dir) / name
        try:
            if path.is_file() and file_sha256(path) == rec.get("html_sha256"):
                out[name] = rec
        except OSError:
            continue
    return out
