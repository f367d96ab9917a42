"""RR ingestion benchmark: parse + check a 100 000-row export, as a ratio to pandas.

Run: ``.venv/bin/python -m bench.rr_ingest`` (or ``python -m bench rr_ingest``).

The export is what a ledger system writes for many nämnder and months: one block per nämnd and
period (a heading row, then the RR rows with subtotals and the net cost), columns for this
year's outcome and budget, the deviation, last year's outcome and the change. It is written as
CSV the way Swedish Excel saves it (``;``, decimal comma, UTF-8 with BOM) and as XLSX. For each
file the benchmark times :func:`gnsanalysis.rr.read.read_rr` followed by
:func:`gnsanalysis.rr.checks.check_table` and, in the same run, ``pandas.read_csv`` (``sep=";"``,
``decimal=","``) or ``pandas.read_excel`` on the same file; it reports the ratio (target: within
3x) of the median times over a few repeats (the two sides interleaved), and the ratio of the
best times. Nothing here is asserted by the tests.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

ROWS = 100_000
COLUMNS = ["Utfall 2019", "Budget 2019", "Avvikelse 2019", "Utfall 2018", "Förändring"]
ITEMS = [("Försäljning", 1), ("Avgifter", 1), ("Bidrag", 1), ("Summa intäkter", None),
         ("Löner", -1), ("Sociala avgifter", -1), ("Lokaler", -1), ("Köpt verksamhet", -1),
         ("Övrigt", -1), ("Summa kostnader", None), ("Verksamhetens nettokostnad", None)]


def _block(rng: random.Random) -> list[list[float]]:
    """One nämnd/period block: values per row (tenths of tkr), subtotals that add up exactly."""
    rows, inc, cost = [], [], []
    for label, sign in ITEMS:
        if label == "Summa intäkter":
            vals = [sum(c) for c in zip(*inc)]
        elif label == "Summa kostnader":
            vals = [sum(c) for c in zip(*cost)]
        elif label == "Verksamhetens nettokostnad":
            vals = [a + b for a, b in zip(rows[3], rows[9])]
        else:
            out, bud, prev = (sign * rng.randint(0, 5_000_000) for _ in range(3))
            vals = [out, bud, out - bud, prev, out - prev]
            (inc if sign > 0 else cost).append(vals)
        rows.append(vals)
    return rows


def generate(n_rows: int = ROWS, seed: int = 2019) -> tuple[list[str], list[list]]:
    """Header and rows (label, five values in tenths or None) of an export with ``n_rows`` rows."""
    rng = random.Random(seed)
    rows: list[list] = []
    n = 0
    while len(rows) < n_rows:
        namnd, month = divmod(n, 12)
        rows.append([f"Nämnd {namnd + 1:04d}, period 2019-{month + 1:02d}"] + [None] * len(COLUMNS))
        for (label, _), vals in zip(ITEMS, _block(rng)):
            rows.append([label, *vals])
        n += 1
    return ["Rad", *COLUMNS], rows[:n_rows]


def _tenths(v: int) -> str:
    sign = "-" if v < 0 else ""
    whole, frac = divmod(abs(v), 10)
    return f"{sign}{whole},{frac}"


def write_csv(path: Path, header, rows) -> None:
    lines = ["Resultaträkning per nämnd och månad;;;;;", "Belopp i tkr;;;;;", ";".join(header)]
    for label, *vals in rows:
        lines.append(";".join([label, *("" if v is None else _tenths(v) for v in vals)]))
    path.write_bytes(("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8"))


def write_xlsx(path: Path, header, rows) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("RR")
    ws.append(["Resultaträkning per nämnd och månad"])
    ws.append(["Belopp i tkr"])
    ws.append(header)
    for label, *vals in rows:
        ws.append([label, *(None if v is None else v / 10 for v in vals)])
    wb.save(path)


def best_of(fn, repeats: int) -> tuple[float, object]:
    times, result = timed(fn, repeats)
    return min(times), result


def timed(fn, repeats: int) -> tuple[list[float], object]:
    """Wall times of ``repeats`` calls, and the last result."""
    times, result = [], None
    for _ in range(repeats):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return times, result


def _median(values: list[float]) -> float:
    s = sorted(values)
    return s[len(s) // 2] if len(s) % 2 else (s[len(s) // 2 - 1] + s[len(s) // 2]) / 2


def main(n_rows: int = ROWS) -> dict:
    import pandas as pd

    from gnsanalysis.rr.checks import check_table
    from gnsanalysis.rr.read import read_rr

    header, rows = generate(n_rows)
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        cases = [("csv", tmp / "rr-export.csv", write_csv, 9,
                  lambda p: pd.read_csv(p, sep=";", decimal=",", skiprows=2, encoding="utf-8-sig"),
                  "pandas.read_csv"),
                 ("xlsx", tmp / "rr-export.xlsx", write_xlsx, 2,
                  lambda p: pd.read_excel(p, skiprows=2), "pandas.read_excel")]
        for name, path, writer, repeats, baseline, base_name in cases:
            writer(path, header, rows)

            def ours(path=path):
                table = read_rr(path)
                return table, check_table(table)

            base_times, ours_times = [], []
            for _ in range(repeats):  # interleaved, so that both sides see the same machine load
                t, frame = timed(lambda: baseline(path), 1)
                base_times += t
                t, (table, findings) = timed(ours, 1)
                ours_times += t
            assert len(table.frame) == len(frame) == n_rows, (len(table.frame), len(frame))
            assert findings == [], findings[:3]
            t_base, t_ours = _median(base_times), _median(ours_times)
            ratio = t_ours / t_base
            best_ratio = min(ours_times) / min(base_times)
            results[name] = {"rows": n_rows, "ours_s": t_ours, "baseline_s": t_base, "ratio": ratio,
                             "best_ratio": best_ratio, "repeats": repeats}
            print(f"{name:4}  {n_rows} rader  read_rr+check_table {t_ours:7.3f} s   "
                  f"{base_name} {t_base:7.3f} s   kvot {ratio:4.2f}x (median av {repeats}; "
                  f"bästa mot bästa {best_ratio:4.2f}x) "
                  f"({'inom' if ratio <= 3 else 'över'} målet 3x)", flush=True)
    return results


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else ROWS)
