"""``gns build`` (what ``make reports`` runs) and ``gns verify``.

Builds every default report from ``resources/reports.yaml`` in parallel worker processes (each
report runs its own kernel), shows which report is running, and writes ``reports/index.html``.
A lock file serialises concurrent builds; every output is written atomically, so a build that
is killed leaves the previous reports intact.
"""

from __future__ import annotations

import fcntl
import os
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from pathlib import Path

from gnsanalysis import paths
from gnsanalysis.swedish import format as fmt
from gnsanalysis.errors import GnsError, ParameterError
from gnsanalysis.io import atomic_write


def default_runs() -> list[tuple[str, dict]]:
    from gnsanalysis.publish.runner import registry

    runs = []
    for name, spec in registry().items():
        for params in spec.get("default_runs", [{}]):
            runs.append((name, dict(params)))
    return runs


@contextmanager
def build_lock(reports_dir: Path):
    reports_dir.mkdir(parents=True, exist_ok=True)
    with open(reports_dir / ".build.lock", "w") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print("Väntar på en annan pågående rapportbyggnad …", file=sys.stderr)
            fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _run_one(name: str, params: dict, reports_dir: str, extra: dict | None = None) -> dict:
    from gnsanalysis.publish.runner import declared_parameters, run_report

    # build-wide settings (e.g. status) apply to the reports that declare them
    declared = declared_parameters(name)
    merged = {**params, **{k: v for k, v in (extra or {}).items() if k in declared}}
    started = time.perf_counter()
    result = run_report(name, merged, reports_dir=Path(reports_dir))
    return {"name": name, "parameters": result.parameters, "html": str(result.html_path),
            "title": result.title, "seconds": time.perf_counter() - started,
            "hash": result.content_hash}


def build_all(jobs: int | None = None, reports_dir: Path | None = None, status: str | None = None,
              runs: list[tuple[str, dict]] | None = None) -> int:
    """Build all default reports and the index; returns the exit code (0 all built, 1 otherwise)."""
    reports_dir = Path(reports_dir or paths.REPORTS_DIR)
    runs = runs if runs is not None else default_runs()
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(runs) or 1))
    extra = {"status": status} if status else None
    results, failures = [], []
    with build_lock(reports_dir):
        print(f"Bygger {len(runs)} rapporter med {jobs} samtidiga processer.", flush=True)
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            futures = {}
            for name, params in runs:
                label = f"{name} {' '.join(f'{k}={v}' for k, v in params.items())}".strip()
                print(f"  startar  {label}", flush=True)
                futures[pool.submit(_run_one, name, params, str(reports_dir), extra)] = label
            for done, future in enumerate(as_completed(futures), start=1):
                label = futures[future]
                try:
                    res = future.result()
                except GnsError as exc:
                    failures.append((label, str(exc)))
                    print(f"  [{done}/{len(runs)}] FEL     {label}: {exc}", flush=True)
                    continue
                results.append(res)
                print(f"  [{done}/{len(runs)}] klar    {label} → {Path(res['html']).name} "
                      f"({fmt.number(res['seconds'], 1)} s)", flush=True)
        write_index(reports_dir)
    print(f"Skrev {reports_dir / 'index.html'}")
    if failures:
        print(f"{fmt.count_noun(len(failures), 'rapport', 'rapporter')} kunde inte byggas; de tidigare "
              "versionerna är orörda.", file=sys.stderr)
        for label, message in failures:
            print(f"  {label}: {message}", file=sys.stderr)
        return 1
    return 0


def _report_entries(reports_dir: Path) -> list[dict]:
    from gnsanalysis.publish.runner import read_build_info

    entries = []
    for path in sorted(reports_dir.glob("*.html")):
        if path.name == "index.html":
            continue
        text = path.read_text(encoding="utf-8")
        info = read_build_info(text)
        if not info:
            continue
        from gnsanalysis.publish.runner import registry

        if registry().get(info["report"], {}).get("board", True) is False:
            continue  # interactive tools are not board reports
        import re

        title = re.search(r"<title>(.*?)</title>", text, re.S)
        data_date = re.search(r'<data class="gns-data-date" value="([^"]*)">', text)
        example = 'class="gns-banner"' in text
        entries.append({"file": path.name, "title": title.group(1).strip() if title else path.stem,
                        "report": info["report"], "parameters": info["parameters"],
                        "data_date": data_date.group(1) if data_date else "",
                        "example": example})
    return entries


def write_index(reports_dir: Path | None = None) -> Path:
    """``reports/index.html``: every report with title, period, data date, status, example flag."""
    reports_dir = Path(reports_dir or paths.REPORTS_DIR)
    out = reports_dir / "index.html"
    atomic_write(out, render_index(reports_dir).encode("utf-8"))
    return out


def render_index(reports_dir: Path | None = None) -> str:
    import html as _html

    reports_dir = Path(reports_dir or paths.REPORTS_DIR)
    rows = []
    for e in _report_entries(reports_dir):
        p = e["parameters"]
        period = p.get("period", "")
        status = p.get("status", "")
        rows.append(
            "<tr>"
            f'<th scope="row"><a href="{_html.escape(e["file"])}">{e["title"]}</a></th>'
            f'<td class="nowrap">{_html.escape(period)}</td>'
            f'<td class="nowrap">{_html.escape(fmt.date(e["data_date"]) if e["data_date"] else "ej angivet")}</td>'
            f"<td>{_html.escape(status.capitalize())}</td>"
            f"<td>{'Exempeldata' if e['example'] else 'Verkliga data'}</td>"
            "</tr>")
    css = (paths.TEMPLATES_DIR / "gns" / "board.css").read_text(encoding="utf-8")
    page = f"""<!DOCTYPE html>
<html lang="sv">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Rapporter – Gemensam nämnd för samverkan (GNS)</title>
<style>{css}</style>
</head>
<body class="jp-Notebook">
<main class="jp-RenderedHTMLCommon">
<h1>Rapporter för Gemensam nämnd för samverkan</h1>
<p>Gemensam nämnd för samverkan inom drift och service, utveckling samt specialistfunktioner (GNS).
Rapporterna är byggda med gnsanalysis från underlaget i data/raw/. Varje rapport har en innehållshash
i sidfoten som kan kontrolleras med <code>gns verify</code>.</p>
<table class="gns-table gns-index">
<caption>Rapporter</caption>
<thead><tr><th scope="col">Rapport</th><th scope="col">Period</th><th scope="col">Underlagets datum</th>
<th scope="col">Status</th><th scope="col">Data</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody>
</table>
</main>
</body>
</html>
"""
    return page


def verify_report(path: Path) -> tuple[bool, str]:
    """Does the file match what the current data and code produce? (rebuilds it in a temp dir)."""
    from gnsanalysis.publish.runner import HASH_RE, content_hash, read_build_info, run_report

    path = Path(path)
    if not path.is_file():
        raise ParameterError(f"Filen {path} finns inte.")
    text = path.read_text(encoding="utf-8")
    if path.name == "index.html":
        if text == render_index(path.parent):
            return True, f"{path.name}: OK. Förteckningen stämmer med rapporterna i {path.parent.name}/."
        return False, f"{path.name}: AVVIKER. Förteckningen stämmer inte med rapporterna i {path.parent.name}/; kör gns build."
    m = HASH_RE.search(text)
    info = read_build_info(text)
    if not m or not info:
        return False, f"{path.name}: saknar innehållshash eller bygginformation; är det en gns-rapport?"
    printed = m.group(1)
    if content_hash(text) != printed:
        return False, (f"{path.name}: ÄNDRAD. Filens innehåll stämmer inte med hashen i sidfoten ({printed[:12]}…); "
                       "filen har ändrats efter att den byggdes.")
    with tempfile.TemporaryDirectory(prefix="gns-verify-") as tmp:
        result = run_report(info["report"], info["parameters"], reports_dir=Path(tmp))
    if result.content_hash == printed:
        return True, f"{path.name}: OK. Innehållshash {printed} stämmer med nuvarande data och kod."
    return False, (f"{path.name}: AVVIKER. Filen är oförändrad sedan den byggdes ({printed[:12]}…), men nuvarande "
                   f"data och kod ger {result.content_hash[:12]}…; bygg om rapporten.")
