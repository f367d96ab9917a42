"""Shared fixtures. Tests never write to data/raw/ or to the real reports/ folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from gnsanalysis import paths

settings.register_profile("ci", max_examples=60, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=30, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

REAL_RR = paths.RAW_DIR / "gns-rr-2018-12.txt"


@pytest.fixture
def real_rr_path() -> Path:
    return REAL_RR


@pytest.fixture
def real_rr_text() -> str:
    return REAL_RR.read_text(encoding="utf-8")


@pytest.fixture
def tmp_project(tmp_path, monkeypatch):
    """A throw-away project root: real notebooks, a copy of data/raw, empty processed and reports.

    The report kernels find it through GNS_PROJECT_ROOT, which the runner passes on.
    """
    import shutil

    root = tmp_path / "project"
    (root / "data").mkdir(parents=True)
    shutil.copytree(paths.RAW_DIR, root / "data" / "raw")
    (root / "data" / "processed").mkdir()
    (root / "reports").mkdir()
    (root / "notebooks").symlink_to(paths.NOTEBOOKS_DIR)
    for name, rel in [("PROJECT_ROOT", ""), ("DATA_DIR", "data"), ("RAW_DIR", "data/raw"),
                      ("PROCESSED_DIR", "data/processed"), ("REPORTS_DIR", "reports"),
                      ("NOTEBOOKS_DIR", "notebooks")]:
        monkeypatch.setattr(paths, name, root / rel if rel else root)
    monkeypatch.setenv("GNS_PROJECT_ROOT", str(root))
    return root


def _raw_hashes() -> dict[str, str]:
    import hashlib

    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(paths.RAW_DIR.iterdir()) if p.is_file()}


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
