"""``gns build`` (what ``make reports`` runs), ``gns verify`` and the report index.

``reports.yaml`` (``build_for``) and the inventory of ``data/raw/`` give the runs; each runs in its
own worker process. The manifest records what each report was built from; an unchanged, intact
report is skipped, a bad input stops only the reports that read it, and the index is rendered last.
Workers die with the build (``PR_SET_PDEATHSIG``) in their own process group; outputs are atomic.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from gnsanalysis import paths
from gnsanalysis.errors import GnsError, ParameterError
from gnsanalysis.inputs import inventory as scan
from gnsanalysis.io import atomic_write, file_sha256
from gnsanalysis.publish import kernels, manifest, runner
from gnsanalysis.publish.lock import build_lock, check_reports_dir
from gnsanalysis.publish.pdf import chromium_path, write_pdfs
from gnsanalysis.schemas import RequirementModel
from gnsanalysis.swedish import format as fmt

BUILD_DIR = ".build"


class BuildInterrupted(GnsError):
    """Ctrl-C during a build: one line, no traceback."""

    exit_code = 130


# --------------------------------------------------------------------------- what to build

@dataclass
class Run:
    """One report to build: its registry name, parameters and the raw inputs it reads."""
    name: str
    params: dict
    inputs: list = field(default_factory=list)  # Dataset objects this report may read

    @property
    def label(self) -> str:
        """The report and its parameters as the progress lines show them."""
        return f"{self.name} {' '.join(f'{k}={v}' for k, v in self.params.items())}".strip()

    @property
    def output(self) -> str | None:
        """The report's file name, or None when the registry's pattern does not fit the parameters."""
        try:
            return f"{runner.output_stem(self.name, self.params)}.html"
        except (KeyError, IndexError, ValueError):
            return None


def _covers(need: RequirementModel, period, dataset) -> bool:
    """Whether ``dataset`` may be what a report reads for ``need`` in ``period`` (None: any)."""
    if need.kind not in dataset.kinds_claimed:
        return False
    claimed = dataset.periods_claimed
    if period is None:
        return True
    if need.reads == "year_and_previous":
        # interim reports compare with earlier reports of the year and the year-ends
        year = int(str(period)[:4])
        return any(p[:4] == str(year) or p == f"{year - 1}-12" for p in claimed)
    return str(period) in claimed


def _reads(name: str, params: dict, inventory: list) -> list:
    """The raw files a report may read (a superset: used for the manifest and `gns inputs`)."""
    return [d for need in runner.report_spec(name).requires for d in inventory
            if _covers(need, params.get(need.period_parameter or ""), d)]


def plan(raw_dir: Path | None = None, inventory: list | None = None) -> list[Run]:
    """Every report the data supports (registry order, then period)."""
    inv = inventory if inventory is not None else scan(raw_dir)
    runs = []
    for name, spec in runner.registry().items():
        target = spec.build_for
        if target:
            found = {p for d in inv if target.kind in d.kinds_claimed and d.object_id is None
                     for p in d.periods_claimed if int(p[5:]) in target.months}
            param_sets = [{target.parameter: p} for p in sorted(found)]
        else:
            param_sets = [dict(p) for p in spec.default_runs]
        runs += [Run(name, params, _reads(name, params, inv)) for params in param_sets]
    return runs


def default_runs() -> list[tuple[str, dict]]:
    """The runs `gns build` makes from the current data (report name, parameters)."""
    return [(r.name, r.params) for r in plan()]


def _input_hashes(datasets: list) -> dict[str, str]:
    hashes = {p.name: file_sha256(p) for d in datasets for p in (d.path, d.sidecar)
              if p is not None and p.is_file()}
    return dict(sorted(hashes.items()))


def _sources(run: Run, params: dict) -> tuple[dict, str, str]:
    inputs = _input_hashes(run.inputs)
    code = manifest.code_version(runner.notebook_path(run.name))
    return inputs, code, manifest.fingerprint(run.name, params, inputs, code)


# --------------------------------------------------------------------------- workers

def _worker_init(parent_pid: int) -> None:
    """Die with the build; ignore the terminal's Ctrl-C (the build stops us itself)."""
    kernels.die_with_parent()
    if os.getppid() != parent_pid:  # the build died before prctl took effect
        os._exit(1)
    with contextlib.suppress(OSError):
        os.setpgrp()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    kernels.start()  # its imports overlap ours; the first report's kernel is forked from it


def _run_one(name: str, params: dict, reports_dir: str, extra: dict | None = None
             ) -> tuple[runner.ReportResult, float]:
    # build-wide settings (e.g. status) apply to the reports that declare them
    declared = runner.declared_parameters(name)
    merged = {**params, **{k: v for k, v in (extra or {}).items() if k in declared}}
    started = time.perf_counter()
    return runner.run_report(name, merged, reports_dir=Path(reports_dir)), time.perf_counter() - started


def _record(run: Run, result: runner.ReportResult, inputs: dict, code: str, fp: str) -> dict:
    p = result.parameters
    return {"report": run.name, "parameters": run.params, "resolved_parameters": p,
            "inputs": inputs, "code": code, "fingerprint": fp,
            "html_sha256": file_sha256(result.html_path), "content_hash": result.content_hash,
            "title": result.title, "period": str(p.get("period", "")), "status": str(p.get("status", "")),
            "data_date": result.data_date, "example": result.example, "board": runner.registry()[run.name].board}


def _clean_build_dir(reports_dir: Path) -> None:
    shutil.rmtree(reports_dir / BUILD_DIR, ignore_errors=True)
    for tmp in reports_dir.glob(".*.tmp"):
        tmp.unlink(missing_ok=True)


def _kill_pool(pool) -> None:
    # the pool's threads may still write to a killed worker's pipe: that must not end the build
    # with SIGPIPE (the CLI restores the default action for `gns … | head`)
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGPIPE, signal.SIG_IGN)
    for proc in list((getattr(pool, "_processes", None) or {}).values()):
        with contextlib.suppress(OSError):
            os.killpg(proc.pid, signal.SIGKILL)
        with contextlib.suppress(OSError, AttributeError):
            proc.kill()
    pool.shutdown(wait=False, cancel_futures=True)


def build_all(jobs: int | None = None, reports_dir: Path | None = None, status: str | None = None,
              runs: list | None = None, force: bool = False, pdf: bool = False) -> int:
    """Build every report the data supports and the index; 0 all built, 1 some failed."""
    reports_dir = Path(reports_dir or paths.REPORTS_DIR)
    check_reports_dir(reports_dir)
    inv = scan()
    if runs is None:
        todo = plan(inventory=inv)
    else:
        todo = [r if isinstance(r, Run) else Run(r[0], dict(r[1]), _reads(r[0], dict(r[1]), inv)) for r in runs]
    extra = {"status": status} if status else {}
    with build_lock(reports_dir):
        _clean_build_dir(reports_dir)
        records = manifest.on_disk(reports_dir, manifest.load(reports_dir))
        pending = _pending(todo, records, extra, force)
        failures = _run_pending(pending, jobs, reports_dir, extra, records)
        pack = _finish(reports_dir, records, pdf)
    print(f"Skrev {reports_dir / 'index.html'}")
    if pack is not None:
        print(f"Skrev nämndpaketet {pack}")
    if failures:
        print(f"{fmt.count_noun(len(failures), 'rapport', 'rapporter')} kunde inte byggas; de tidigare "
              "versionerna är orörda. Övriga rapporter är byggda.", file=sys.stderr)
        for label, message in failures:
            print(f"  {label}: {message}", file=sys.stderr)
        return 1
    return 0


def _pending(todo: list, records: dict, extra: dict, force: bool) -> list[tuple]:
    """The runs to build as ``(run, input hashes, code version, fingerprint)``; the others are skipped."""
    pending = []
    for run in todo:
        inputs, code, fp = _sources(run, {**run.params, **extra})
        out = run.output
        rec = records.get(out) if out else None
        if rec and rec.get("fingerprint") == fp and not force:
            print(f"  oförändrad, hoppar över  {run.label} → {out}", flush=True)
            continue
        pending.append((run, inputs, code, fp))
    return pending


def _run_pending(pending: list[tuple], jobs: int | None, reports_dir: Path, extra: dict,
                 records: dict) -> list[tuple[str, str]]:
    """Build the runs in a worker pool; the failures as ``(label, message)``; Ctrl-C: BuildInterrupted."""
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(pending) or 1))
    if not pending:
        print("Alla rapporter är oförändrade; inget att bygga.", flush=True)
        return []
    print(f"Bygger {fmt.count_noun(len(pending), 'rapport', 'rapporter')} med {jobs} "
          f"samtidiga processer.", flush=True)
    # the workers start with the first submit (in _collect), inside the try
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_worker_init, initargs=(os.getpid(),))
    try:
        failures = _collect(pool, pending, reports_dir, extra, records)
        pool.shutdown(wait=True)
        return failures
    except KeyboardInterrupt:
        _kill_pool(pool)
        _clean_build_dir(reports_dir)
        raise BuildInterrupted("Bygget avbröts (Ctrl-C); inga fler rapporter skrivs. Rapporter som redan "
                               "var klara är kompletta, övriga är orörda. Kör gns build igen.") from None
    except BaseException:
        _kill_pool(pool)
        raise


def _collect(pool, pending: list[tuple], reports_dir: Path, extra: dict, records: dict) -> list[tuple[str, str]]:
    """Submit every pending run and take the results as they finish (progress lines)."""
    failures = []
    futures = {}
    for item in pending:
        run = item[0]
        print(f"  startar  {run.label}", flush=True)
        futures[pool.submit(_run_one, run.name, run.params, str(reports_dir), extra)] = item
    for done, future in enumerate(as_completed(futures), start=1):
        run, inputs, code, fp = futures[future]
        try:
            result, seconds = future.result()
        except GnsError as exc:
            failures.append((run.label, str(exc)))
            print(f"  [{done}/{len(pending)}] FEL     {run.label}: {exc}", flush=True)
            continue
        except Exception as exc:  # a worker that died (killed, out of memory)
            failures.append((run.label, f"byggprocessen avbröts ({type(exc).__name__})"))
            print(f"  [{done}/{len(pending)}] FEL     {run.label}: byggprocessen avbröts", flush=True)
            continue
        records[result.html_path.name] = _record(run, result, inputs, code, fp)
        manifest.save(reports_dir, records)
        print(f"  [{done}/{len(pending)}] klar    {run.label} → {result.html_path.name} "
              f"({fmt.number(seconds, 1)} s)", flush=True)
    return failures


def _finish(reports_dir: Path, records: dict, pdf: bool):
    """Save the manifest, write the index, and the PDFs and board pack if asked; the pack's path."""
    records = manifest.on_disk(reports_dir, records)
    manifest.save(reports_dir, records)
    write_index(reports_dir)
    pack = None
    if pdf:
        chromium_path()  # a clear message before anything is printed
        records, pack = write_pdfs(reports_dir, records)
        manifest.save(reports_dir, records)
    _clean_build_dir(reports_dir)
    return pack


def record_report(result: runner.ReportResult, reports_dir: Path | None = None) -> None:
    """After one ``gns report`` (under the build lock): record it in the manifest, rewrite the index."""
    reports_dir = Path(reports_dir or paths.REPORTS_DIR)
    run = Run(result.name, {k: v for k, v in result.parameters.items() if k == "period"},
              _reads(result.name, result.parameters, scan()))
    inputs, code, fp = _sources(run, dict(result.parameters))
    records = manifest.on_disk(reports_dir, manifest.load(reports_dir))
    # a report with non-default parameters is never taken for the default build's output
    records[result.html_path.name] = _record(run, result, inputs, code, fp + "-report")
    manifest.save(reports_dir, records)
    write_index(reports_dir)


# --------------------------------------------------------------------------- index

def _index_entries(reports_dir: Path) -> list[dict]:
    records = manifest.on_disk(reports_dir, manifest.load(reports_dir))
    return [{"file": name, "title": rec.get("title") or name, "period": rec.get("period", ""),
             "data_date": fmt.date(rec["data_date"]) if rec.get("data_date") else "ej angivet",
             "status": str(rec.get("status", "")).capitalize(),
             "data": "Exempeldata" if rec.get("example") else "Verkliga data"}
            for name, rec in sorted(records.items())
            if rec.get("board", True)]  # interactive tools are not board reports


def render_index(reports_dir: Path | None = None) -> str:
    """The index page from the build manifest and the reports on disk (Jinja2 template)."""
    import jinja2  # lazy: only the index page is a template (`gns report` of one report skips it)

    reports_dir = Path(reports_dir or paths.REPORTS_DIR)
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(paths.TEMPLATES_DIR / "gns-index")),
                             autoescape=True, keep_trailing_newline=True)
    css = (paths.TEMPLATES_DIR / "gns" / "board.css").read_text(encoding="utf-8")
    return env.get_template("index.html.j2").render(entries=_index_entries(reports_dir), css=css)


def write_index(reports_dir: Path | None = None) -> Path:
    """``reports/index.html`` from the manifest: only reports that are on disk and intact."""
    reports_dir = Path(reports_dir or paths.REPORTS_DIR)
    out = reports_dir / "index.html"
    atomic_write(out, render_index(reports_dir).encode("utf-8"))
    return out


# --------------------------------------------------------------------------- verify

def _recorded_parameters_file(info: dict) -> Path | None:
    """The parameter file a report says it was built from (relative to the project root)."""
    recorded = info.get("parameters_file")
    if not isinstance(recorded, str) or not recorded:
        return None
    return paths.PROJECT_ROOT / recorded  # an absolute path stays absolute


def verify_report(path: Path) -> tuple[bool, str]:
    """Does the file match a rebuild from the current data and code? Writes only in a temporary folder."""
    path = Path(path)
    if not path.is_file():
        raise ParameterError(f"Filen {path} finns inte (eller är ingen fil).")
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        return False, f"{path.name}: AVVIKER. Filen är inte UTF-8-text och kan inte vara en gns-rapport."
    if path.name == "index.html":
        if text == render_index(path.parent):
            return True, (f"{path.name}: STÄMMER. Förteckningen stämmer med byggmanifestet och rapporterna "
                          f"i {path.parent.name}/.")
        return False, (f"{path.name}: AVVIKER. Förteckningen stämmer inte med byggmanifestet och rapporterna "
                       f"i {path.parent.name}/; kör gns build.")
    m = runner.HASH_RE.search(text)
    try:
        info = runner.read_build_info(text)
    except (ValueError, TypeError):
        info = None
    if not m or not isinstance(info, dict) or not isinstance(info.get("report"), str) \
            or not isinstance(info.get("parameters"), dict):
        return False, f"{path.name}: saknar läsbar innehållshash eller bygginformation; är det en gns-rapport?"
    printed = m.group(1)
    actual = runner.content_hash(text)
    notes = []
    if actual != printed:
        notes.append(f"ÄNDRAD efter bygget: innehållet stämmer inte med hashen i sidfoten "
                     f"({printed[:12]}…).")
    rec = manifest.load(path.parent).get(path.name)
    if rec and rec.get("html_sha256"):
        same = file_sha256(path) == rec["html_sha256"]
        notes.append(f"Filen har {'samma' if same else 'inte den'} SHA-256 som byggmanifestet registrerade "
                     "när den byggdes.")
    with tempfile.TemporaryDirectory(prefix="gns-verify-") as folder:
        tmp = Path(folder)
        (tmp / "processed").mkdir()
        try:
            result = runner.run_report(info["report"], info["parameters"], reports_dir=tmp / "reports",
                                processed_dir=tmp / "processed",
                                parameters_file=_recorded_parameters_file(info))
        except GnsError as exc:
            return False, (f"{path.name}: AVVIKER. Rapporten kan inte byggas om från nuvarande data och kod: "
                           f"{exc} " + " ".join(notes)).strip()
    if result.content_hash == actual and actual == printed:
        return True, (f"{path.name}: STÄMMER med en ombyggnad från nuvarande data och kod "
                      f"(innehållshash {actual}). " + " ".join(notes)).strip()
    return False, (f"{path.name}: AVVIKER. Innehållet stämmer inte med en ombyggnad från nuvarande data och kod "
                   f"(filen {actual[:12]}…, ombyggnaden {result.content_hash[:12]}…). "
                   + " ".join(notes)).strip()

