"""Whole-process RR benchmarks: ``gns rr parse`` / ``gns rr check`` as a user runs them, each as
a ratio to a pandas baseline run as its own process in the same run.

Run: ``.venv/bin/python -m bench.rr_process [ROWS [REPEATS]]`` (or ``python -m bench rr_process``);
more repeats than the default 5 on a busy machine.

1. ``gns rr parse`` of a 100 000-row CSV in the committee's number format (``;``, whole tkr,
   thousands separated by a space or a no-break space, minus written ``-``, ``–`` or ``−``, a
   ``Period 2019-12`` line and a blank line above the header, as in ``data/raw/``), against
   ``python -c "import pandas; pandas.read_csv(...)"`` on the same file. Target: ≤ 1.5×.
2. ``gns rr check data/raw/gns-rr-2018-12.txt`` (20 rows) against ``python -c "import pandas"``.
   Target: ≤ 1.1×.
3. ``gns --help`` (absolute; target ≤ 0.3 s).
4. Peak RSS of (1) against the pandas process (target ≤ 2×).

Each side runs ``REPEATS`` times, interleaved; medians are compared (the best times and the
CPU times, user + system, are compared too: figures less moved by other work on a shared
machine). Peak RSS is the
child's own (``os.wait4``). Nothing here is asserted by the tests.

The children run the ``gnsanalysis`` that this process imports (``PYTHONPATH`` and the working
directory are inherited; :func:`main` prints which one). Its bytecode is compiled first, as
``pip install`` does: pandas runs from its installed bytecode, and with
``PYTHONDONTWRITEBYTECODE`` set every ``gns`` run would otherwise compile our modules again.
"""

from __future__ import annotations

import compileall
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROWS = 100_000
REPEATS = 5
ROOT = Path(__file__).resolve().parent.parent
GNS = [sys.executable, "-m", "gnsanalysis.cli"]
COLUMNS = ["Ack utfall", "Ack budget", "Bud-Utf Diff", "Ack utfall fg år", "Årsbudget"]
ITEMS = [("Tjänster,material,varor", 1), ("Bidrag", 1), ("Summa Intäkter", None),
         ("Lönekostnader", -1), ("Lokaler,el,utrustning,rep", -1), ("Övrigt", -1),
         ("Summa Kostnader", None), ("Summa Verksamhetens nettokostnad", None)]


def _tkr(v: int, rng: random.Random) -> str:
    """Whole tkr as the committee prints them: grouped by thousands, one of three minus glyphs."""
    digits = f"{abs(v):,}".replace(",", rng.choice([" ", "\u00a0"]))
    return (rng.choice(["-", "\u2013", "\u2212"]) + digits) if v < 0 else digits


def write_csv(path: Path, n_rows: int = ROWS, seed: int = 2019) -> None:
    rng = random.Random(seed)
    lines = ["Period 2019-12", "", ";".join(["RR", *COLUMNS])]
    while len(lines) - 3 < n_rows:
        inc, cost, rows = [], [], []
        for label, sign in ITEMS:
            if label == "Summa Intäkter":
                vals = [sum(c) for c in zip(*inc)]
            elif label == "Summa Kostnader":
                vals = [sum(c) for c in zip(*cost)]
            elif label.startswith("Summa Verksamhetens"):
                vals = [a + b for a, b in zip(rows[2], rows[6])]
            else:
                out, bud, year = (sign * rng.randint(0, 5_000_000) for _ in range(3))
                vals = [out, bud, out - bud, sign * rng.randint(0, 5_000_000), year]
                (inc if sign > 0 else cost).append(vals)
            rows.append(vals)
            lines.append(";".join([label, *(_tkr(v, rng) for v in vals)]))
    path.write_text("\n".join(lines[:n_rows + 3]) + "\n", encoding="utf-8")


def run(cmd: list[str]) -> tuple[float, int, int, float]:
    """(wall seconds, exit code, peak RSS in kB, CPU seconds: user + system) of one process,
    output discarded."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode("utf-8", "replace")
    proc.stderr.close()
    if proc.returncode not in (0,):
        raise SystemExit(f"{cmd} gav {proc.returncode}: {err[-400:]}")
    return wall, proc.returncode, usage.ru_maxrss, usage.ru_utime + usage.ru_stime


def _median(values: list[float]) -> float:
    s = sorted(values)
    return s[len(s) // 2] if len(s) % 2 else (s[len(s) // 2 - 1] + s[len(s) // 2]) / 2


def compare(name: str, ours: list[str], base: list[str], target: float, repeats: int) -> dict:
    t_ours: list[float] = []
    t_base: list[float] = []
    rss_ours, rss_base, cpu_ours, cpu_base = [], [], [], []
    for _ in range(repeats):  # interleaved, so that both sides see the same machine load
        w, _, r, c = run(base)
        t_base.append(w)
        rss_base.append(r)
        cpu_base.append(c)
        w, _, r, c = run(ours)
        t_ours.append(w)
        rss_ours.append(r)
        cpu_ours.append(c)
    out = {"ours_s": _median(t_ours), "baseline_s": _median(t_base), "repeats": repeats,
           "rss_ours_mb": max(rss_ours) / 1024, "rss_baseline_mb": max(rss_base) / 1024,
           "cpu_ours_s": _median(cpu_ours), "cpu_baseline_s": _median(cpu_base)}
    out["ratio"] = out["ours_s"] / out["baseline_s"]
    out["best_ratio"] = min(t_ours) / min(t_base)  # less moved by a busy machine than the medians
    out["cpu_ratio"] = out["cpu_ours_s"] / out["cpu_baseline_s"]  # likewise; Arrow's threads count
    out["rss_ratio"] = out["rss_ours_mb"] / out["rss_baseline_mb"]
    print(f"{name}: {out['ours_s']:.3f} s mot {out['baseline_s']:.3f} s, kvot {out['ratio']:.2f}x "
          f"(mål ≤ {target}x, {'uppnått' if out['ratio'] <= target else 'ej uppnått'}; "
          f"bästa mot bästa {out['best_ratio']:.2f}x; CPU-tid {out['cpu_ratio']:.2f}x); "
          f"topp-RSS {out['rss_ours_mb']:.0f} MB mot {out['rss_baseline_mb']:.0f} MB "
          f"({out['rss_ratio']:.2f}x); median av {repeats}", flush=True)
    return out


def prepare() -> str:
    """Compile the package's bytecode (as an install does) and say which package the children
    import: the one this process imports, from the same ``PYTHONPATH`` and working directory."""
    import gnsanalysis

    package = Path(gnsanalysis.__file__).resolve().parent
    compileall.compile_dir(package, quiet=1)
    code = "import gnsanalysis; print(gnsanalysis.__file__)"
    child = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                           check=True).stdout.strip()
    if Path(child).resolve().parent != package:
        raise SystemExit(f"barnprocesserna importerar {child}, inte {package}")
    print(f"gnsanalysis från {package}", flush=True)
    return str(package)


def main(n_rows: int = ROWS, repeats: int = REPEATS) -> dict:
    results: dict[str, object] = {"package": prepare()}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "rr-export.csv"
        write_csv(path, n_rows)
        read = (f"import pandas; pandas.read_csv({str(path)!r}, sep=';', skiprows=2, "
                "decimal=',', thousands=' ')")
        results["parse"] = compare(f"gns rr parse ({n_rows} rader CSV)", [*GNS, "rr", "parse", str(path)],
                                   [sys.executable, "-c", read], 1.5, repeats)
    seed = str(ROOT / "data" / "raw" / "gns-rr-2018-12.txt")
    results["check"] = compare("gns rr check (20 rader, 2018)", [*GNS, "rr", "check", seed],
                               [sys.executable, "-c", "import pandas"], 1.1, repeats)
    times = [run([*GNS, "--help"])[0] for _ in range(repeats)]
    results["help_s"] = _median(times)
    print(f"gns --help: {results['help_s']:.3f} s (mål ≤ 0.3 s); median av {repeats}", flush=True)
    return results


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else ROWS, int(sys.argv[2]) if len(sys.argv) > 2 else REPEATS)
