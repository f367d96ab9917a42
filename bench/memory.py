"""Peak memory of the largest accepted inputs (issue 14), the real commands in subprocesses.

RR: a generated export (the ledger-style CSV of :mod:`bench.rr_ingest`, blocks of rows whose
subtotals add up) just under ``gnsanalysis.rr.read.MAX_RR_BYTES``, through ``gns rr check`` and
``gns rr parse`` (output to /dev/null). Matrix: the example stakeholder matrix with its body
rows repeated to just under ``gnsanalysis.parties.stakeholders.MAX_MATRIX_BYTES``. Baseline in the same run: the peak of
``gns --version`` (interpreter and CLI start-up). Peak RSS comes from ``os.wait4``
(``ru_maxrss``, the largest resident set of the process; the input files are written by a
child process, and this process imports nothing large, so that it stays small: a child's
peak starts from its parent's at the fork).

Usage: .venv/bin/python -m bench.memory [--share 0.98]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from gnsanalysis import paths

BIN = Path(sys.executable).parent


def peak(args: list[str]) -> tuple[float, int, int]:
    """(seconds, peak RSS in bytes, exit code) of one command, output discarded."""
    started = time.perf_counter()
    with open(os.devnull, "wb") as null:
        proc = subprocess.Popen([str(BIN / "gns"), *args], stdout=null, stderr=null)
        _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return time.perf_counter() - started, usage.ru_maxrss * 1024, proc.returncode


def rr_file(path: Path, target: int) -> int:
    """Write an export of about ``target`` bytes (never more); returns its size."""
    from bench.rr_ingest import generate, write_csv

    probe_rows = 20_000
    header, rows = generate(probe_rows)
    write_csv(path, header, rows)
    per_row = path.stat().st_size / probe_rows
    n = int(target / per_row)
    while True:
        header, rows = generate(n)
        write_csv(path, header, rows)
        size = path.stat().st_size
        if size <= target:
            return size
        n = int(n * target / size * 0.999)


def matrix_file(path: Path, target: int) -> int:
    lines = (paths.RAW_DIR / "intressentanalys-2019.txt").read_text(encoding="utf-8").splitlines()
    head, body = lines[0], [line for line in lines[1:] if line.strip()]
    block = ("\n".join(body) + "\n").encode("utf-8")
    with open(path, "wb") as fh:
        fh.write((head + "\n").encode("utf-8"))
        for _ in range(max(1, (target - len(head) - 1) // len(block))):
            fh.write(block)
    return path.stat().st_size


def _mb(n: float) -> str:
    return f"{n / 1e6:.0f} MB"


def main(argv: list[str] | None = None) -> None:
    argv = argv if argv is not None else []
    if argv[:1] == ["--write"]:  # the child that writes the inputs (and knows the limits)
        from gnsanalysis.parties.stakeholders import MAX_MATRIX_BYTES
        from gnsanalysis.rr.read import MAX_RR_BYTES

        rr_file(Path(argv[1]), int(MAX_RR_BYTES * float(argv[3])))
        matrix_file(Path(argv[2]), int(MAX_MATRIX_BYTES * float(argv[3])))
        print(MAX_RR_BYTES, MAX_MATRIX_BYTES)
        return
    parser = argparse.ArgumentParser(prog="python -m bench.memory")
    parser.add_argument("--share", type=float, default=0.98, help="file sizes as a share of their limits")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        rr, mx = Path(tmp) / "rr-export.csv", Path(tmp) / "matrix.txt"
        limit, mx_limit = map(int, subprocess.run([sys.executable, "-m", "bench.memory", "--write", str(rr), str(mx),
                                                   str(args.share)],
                                                  check=True, capture_output=True, text=True).stdout.split())
        rr_size, mx_size = rr.stat().st_size, mx.stat().st_size
        cases = [("gns --version (start-up baseline)", ["--version"], 0),
                 (f"gns rr check, {_mb(rr_size)} RR export (limit {_mb(limit)})",
                  ["rr", "check", str(rr)], rr_size),
                 (f"gns rr parse, {_mb(rr_size)} RR export", ["rr", "parse", str(rr)], rr_size),
                 (f"gns matrix check, {_mb(mx_size)} matrix (limit {_mb(mx_limit)})", ["matrix", "check", str(mx)], mx_size),
                 (f"gns matrix parse, {_mb(mx_size)} matrix", ["matrix", "parse", str(mx)], mx_size)]
        print(f"cores: {os.cpu_count()}; peak RSS per command (os.wait4)")
        for label, cmd, size in cases:
            seconds, rss, code = peak(cmd)
            per = f"; {rss / size:.1f}× the file" if size else ""
            print(f"{label}: peak {_mb(rss)}{per}; {seconds:.1f} s; exit {code}")


if __name__ == "__main__":
    main(sys.argv[1:])
