"""Tests stand on their own: a real export dropped into the live data/raw/ changes no outcome.

The economist's documented workflow is to drop a real export with its ``.meta.yaml`` into
``data/raw/``. Where a real and an example file exist for the same period, the real one is
used, so the code *does* see such a file (checked here first); the test suite must not.
"""

from __future__ import annotations

import os
import subprocess
import sys

from conftest import (
    FIXTURE_RAW,
    REPO_ROOT,
    SESSION_PROJECT,
    make_project,
    point_paths_at,
)

from gnsanalysis import paths
from gnsanalysis.reports import interim

TIE_TEST = "tests/reports/test_interim.py::test_2018_08_ties_to_the_delarsrapport_prose_and_the_year_end"


def _drop_real_export(root):
    raw = root / "data" / "raw"
    (raw / "RR export augusti 2018.txt").write_text(
        (FIXTURE_RAW / "gns-rr-2018-08.txt").read_text(encoding="utf-8"), encoding="utf-8")
    (raw / "augusti-2018.meta.yaml").write_text(
        'file: "RR export augusti 2018.txt"\nkind: rr\ndata_status: real\nperiod: "2018-08"\n'
        'unit: tkr\nsource_document: "Export ur ekonomisystemet"\n', encoding="utf-8")


def test_the_session_runs_on_the_fixture_copy():
    assert paths.RAW_DIR == SESSION_PROJECT.resolve() / "data" / "raw"
    assert paths.RAW_DIR != REPO_ROOT / "data" / "raw"
    assert sorted(p.name for p in paths.RAW_DIR.iterdir()) == sorted(p.name for p in FIXTURE_RAW.iterdir())


def test_a_real_export_in_the_live_raw_dir_does_not_change_the_outcome(tmp_path, monkeypatch):
    live = make_project(tmp_path / "live")
    _drop_real_export(live)
    # the code does pick the real export up: the example object tables are no longer mixed in
    with monkeypatch.context() as mp:
        point_paths_at(live, mp)
        it = interim.load("2018-08")
        assert not it.whole.dataset.is_example and it.objects == []
    # … but a test run pointed at that project (as `make test` in a live checkout is) passes
    env = {**os.environ, "GNS_PROJECT_ROOT": str(live)}
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", TIE_TEST],
                         cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    assert "1 passed" in run.stdout
