"""Full report build against the toolchain's floor, measured in the same run.

Floor: the plain papermill CLI then the plain ``jupyter nbconvert --to html`` CLI on the same
number of trivial one-cell notebooks, one after another (what a Makefile without gnsanalysis
would do). Measured: the real ``gns build`` command (start-up included; all reports the data
supports, parallel workers, kernels forked from a warm zygote, in-process export) in a
throw-away project (a copy of data/raw/, ``GNS_PROJECT_ROOT``). Prints both times and the
ratio; target ≤ 0.35× (issue 13).

Nothing changed: the same ``gns build`` again into the same folder, where the manifest says every
report is unchanged (target ≤ 1 s), against the interpreter's own start-up measured in the same
run (``python -c "import gnsanalysis"``).

Usage: .venv/bin/python -m bench.build [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from gnsanalysis import paths

BIN = Path(sys.executable).parent


def _trivial_notebook(path: Path) -> None:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1\nx")])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path.write_text(nbformat.writes(nb), encoding="utf-8")


def floor_seconds(n: int, tmp: Path) -> float:
    started = time.perf_counter()
    for i in range(n):
        src, out = tmp / f"t{i}.ipynb", tmp / f"t{i}.out.ipynb"
        _trivial_notebook(src)
        subprocess.run([str(BIN / "papermill"), "-k", "python3", "--no-progress-bar", str(src), str(out)],
                       check=True, capture_output=True)
        subprocess.run([str(BIN / "jupyter"), "nbconvert", "--to", "html", str(out)], check=True, capture_output=True)
    return time.perf_counter() - started


def _project(tmp: Path) -> Path:
    """A throw-away project: a copy of data/raw/, empty outputs, the real notebooks."""
    root = tmp / "project"
    (root / "data" / "processed").mkdir(parents=True)
    (root / "reports").mkdir()
    shutil.copytree(paths.RAW_DIR, root / "data" / "raw")
    (root / "notebooks").symlink_to(paths.NOTEBOOKS_DIR)
    return root


def build_seconds(project: Path, *, expect_skips: bool = False) -> float:
    """The real command, start-up included: ``gns build`` with the project pointed at ``project``."""
    env = {**os.environ, "GNS_PROJECT_ROOT": str(project)}
    started = time.perf_counter()
    done = subprocess.run([str(BIN / "gns"), "build"], check=True, capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - started
    if expect_skips and ("klar " in done.stdout or "oförändrad" not in done.stdout):
        raise SystemExit(f"the unchanged build rebuilt something:\n{done.stdout}")
    return seconds


def startup_seconds() -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import gnsanalysis"], check=True, capture_output=True)
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.build")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv if argv is not None else [])
    from gnsanalysis.publish.build import default_runs

    n = len(default_runs())
    floors, builds, unchanged, starts = [], [], [], []
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
            floors.append(floor_seconds(n, Path(a)))
            project = _project(Path(b))
            builds.append(build_seconds(project))
            unchanged.append(build_seconds(project, expect_skips=True))
            starts.append(startup_seconds())
    f, g = statistics.median(floors), statistics.median(builds)
    u, s = statistics.median(unchanged), statistics.median(starts)
    print(f"reports: {n}; cores: {os.cpu_count()}; repeats: {args.repeat} (medians)")
    print(f"floor (papermill CLI + nbconvert CLI, trivial notebooks, sequential): {f:.2f} s")
    print(f"gns build (the command, all reports the data supports): {g:.2f} s")
    print(f"ratio gns build / floor: {g / f:.2f}  (target ≤ 0.35)")
    print(f"python -c 'import gnsanalysis' (start-up baseline): {s:.2f} s")
    print(f"gns build, nothing changed (the command, every report skipped): {u:.2f} s = {u / s:.1f}× start-up  (target ≤ 1 s)")


if __name__ == "__main__":
    main(sys.argv[1:])
