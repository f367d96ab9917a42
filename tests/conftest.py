"""Shared fixtures. Tests stand on their own: they never read or write the live data folders.

Before ``gnsanalysis`` is imported, the whole test session is pointed at a throw-away project
(``GNS_PROJECT_ROOT``) whose ``data/raw/`` is a copy of ``tests/fixtures/raw/`` and whose
``data/processed/`` and ``reports/`` start empty; only ``notebooks/`` is the real folder (a
symlink). So an economist who drops a real export into the live ``data/raw/`` (the documented
workflow) cannot change a test outcome, and no test leaves files in the live folders. Report
kernels and ``gns`` subprocesses inherit the variable and see the same project.
"""

from __future__ import annotations

import atexit
import hashlib
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

TESTS_DIR = Path(__file__).resolve().parent
REPO_ROOT = TESTS_DIR.parent
FIXTURES_DIR = TESTS_DIR / "fixtures"
FIXTURE_RAW = FIXTURES_DIR / "raw"
LIVE_DATA_DIR = REPO_ROOT / "data"


def make_project(root: Path) -> Path:
    """A project root with a copy of the fixture inputs, empty outputs and the real notebooks."""
    (root / "data").mkdir(parents=True)
    shutil.copytree(FIXTURE_RAW, root / "data" / "raw")
    (root / "data" / "processed").mkdir()
    (root / "reports").mkdir()
    (root / "notebooks").symlink_to(REPO_ROOT / "notebooks")
    return root


_SESSION_DIR = Path(tempfile.mkdtemp(prefix="gns-test-project-"))
atexit.register(shutil.rmtree, _SESSION_DIR, ignore_errors=True)
SESSION_PROJECT = make_project(_SESSION_DIR / "project")
os.environ["GNS_PROJECT_ROOT"] = str(SESSION_PROJECT)

from gnsanalysis import paths

assert paths.PROJECT_ROOT == SESSION_PROJECT.resolve(), (
    "gnsanalysis was imported before tests/conftest.py could point it at the test project")

settings.register_profile("ci", max_examples=60, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=30, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

REAL_RR = FIXTURE_RAW / "gns-rr-2018-12.txt"


def _hashes(folder: Path) -> dict[str, str]:
    if not folder.is_dir():
        return {}
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="session", autouse=True)
def live_data_untouched():
    """The live data/raw/ and data/processed/ are exactly as they were after the whole run."""
    before = {name: _hashes(LIVE_DATA_DIR / name) for name in ("raw", "processed")}
    yield
    after = {name: _hashes(LIVE_DATA_DIR / name) for name in ("raw", "processed")}
    assert after == before, "a test wrote to the live data/ folder"


@pytest.fixture
def real_rr_path() -> Path:
    return REAL_RR


@pytest.fixture
def real_rr_text() -> str:
    return REAL_RR.read_text(encoding="utf-8")


def point_paths_at(root: Path, monkeypatch) -> Path:
    """Point the ``paths`` module and the kernels (``GNS_PROJECT_ROOT``) at ``root``."""
    for name, rel in [("PROJECT_ROOT", ""), ("DATA_DIR", "data"), ("RAW_DIR", "data/raw"),
                      ("PROCESSED_DIR", "data/processed"), ("REPORTS_DIR", "reports"),
                      ("NOTEBOOKS_DIR", "notebooks"), ("PARAMETERS_DIR", "parametrar")]:
        monkeypatch.setattr(paths, name, root / rel if rel else root)
    monkeypatch.setenv("GNS_PROJECT_ROOT", str(root))
    return root


@pytest.fixture
def tmp_project(tmp_path, monkeypatch):
    """A throw-away project root of its own: fixture inputs, empty processed and reports."""
    return point_paths_at(make_project(tmp_path / "project"), monkeypatch)


def _raw_hashes() -> dict[str, str]:
    return _hashes(paths.RAW_DIR)


@pytest.fixture(scope="session")
def built_reports(tmp_path_factory):
    """Every default report built once with `gns build`'s code path into a temporary folder.

    Returns (reports_dir, raw hashes before the build).
    """
    from gnsanalysis.publish.build import build_all

    before = _raw_hashes()
    out = tmp_path_factory.mktemp("built-reports")
    assert build_all(reports_dir=out) == 0
    return out, before
