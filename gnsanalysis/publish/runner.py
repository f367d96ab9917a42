"""The one report runner: used by the CLI (``gns report``, ``gns build``), the Makefile and the tests.

Parameters are checked against the notebook's parameters cell before papermill runs (papermill
itself only warns and guesses types); the HTML and the executed notebook are written atomically,
so a report is replaced only when its build completed.
"""

from __future__ import annotations

import ast
import copy
import functools
import hashlib
import html as _html
import importlib
import json
import logging
import os
import re
import sys
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from gnsanalysis import errors, paths
from gnsanalysis.errors import ConfigError, ParameterError, ReportError
from gnsanalysis.inputs import find_dataset
from gnsanalysis.io import atomic_write, load_resource, load_yaml, slug
from gnsanalysis.publish import kernels
from gnsanalysis.publish.lock import check_reports_dir
from gnsanalysis.publish.params import STATE_VALIDATORS, VALIDATORS, coerce
from gnsanalysis.publish.privacy import assert_no_personal_data
from gnsanalysis.schemas import ReportsFile, ReportSpecModel, check_resource, validate

HASH_PLACEHOLDER = "@@GNS-CONTENT-HASH@@"
HASH_RE = re.compile(r'<span class="gns-content-hash">([0-9a-f]{64}|' + HASH_PLACEHOLDER + r")</span>")
REMOVED_TAGS = {"parameters", "injected-parameters", "remove-cell"}


@dataclass
class ReportResult:
    """Where a built report was written, with its resolved parameters and content hash."""
    name: str
    parameters: dict
    html_path: Path
    notebook_path: Path
    content_hash: str
    title: str
    data_date: str = ""   # the main input's date, as the footer prints it
    example: bool = False  # the report carries the example-data banner


def skip_slow_iri_checker() -> None:
    """Call before importing papermill, nbformat or nbconvert: mark ``rfc3987_syntax`` absent.

    With it, jsonschema compiles IRI-format parsers at import (2.3 s CPU, python-jsonschema/
    jsonschema#1428); no notebook schema uses those formats (tests/publish/test_runner.py checks).
    """
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]


@functools.cache
def registry() -> dict[str, ReportSpecModel]:
    """Each report's spec in ``reports.yaml``, checked by its schema and validator names."""
    specs = validate(ReportsFile, load_resource("reports.yaml"), "reports.yaml").reports
    for name, spec in specs.items():
        unknown = [v for v in spec.validators.values() if v not in VALIDATORS]
        if spec.state_validator and spec.state_validator not in STATE_VALIDATORS:
            unknown.append(spec.state_validator)
        if unknown:
            raise ConfigError(f"reports.yaml, rapport {name}: okänd kontroll {', '.join(map(repr, unknown))}; "
                              f"förväntade en av {', '.join(sorted(VALIDATORS) + sorted(STATE_VALIDATORS))}. "
                              "Åtgärd: rätta namnet eller lägg till kontrollen i gnsanalysis/publish/params.py.")
    return specs


def report_spec(name: str) -> ReportSpecModel:
    """The registry entry of report ``name`` (ParameterError naming the known reports)."""
    reports = registry()
    if name not in reports:
        raise ParameterError(f"Okänd rapport {name!r}. Rapporter som finns: {', '.join(sorted(reports))}.")
    return reports[name]


def notebook_path(name: str) -> Path:
    """The notebook that builds report ``name``."""
    return paths.NOTEBOOKS_DIR / report_spec(name).notebook


def declared_parameters(name: str) -> dict:
    """Names, annotated types and defaults of the notebook's parameters cell."""
    skip_slow_iri_checker()
    import papermill  # lazy: only when a notebook runs

    logging.getLogger("papermill").setLevel(logging.WARNING)
    return papermill.inspect_notebook(str(notebook_path(name)))


def resolve_parameters(name: str, params: dict) -> dict:
    """Validate names and forms; returns the complete parameter set (defaults filled in)."""
    spec = report_spec(name)
    declared = declared_parameters(name)
    unknown = sorted(set(params) - set(declared))
    if unknown:
        raise ParameterError(
            f"Rapporten {name!r} har ingen parameter {', '.join(repr(u) for u in unknown)}. "
            f"Parametrar som finns: {', '.join(sorted(declared))}.")
    resolved = {}
    for pname, info in declared.items():
        if pname in params:
            value = coerce(pname, params[pname], info.get("inferred_type_name") or "str")
        else:
            value = _literal(info["default"])
        if pname in spec.validators:
            value = VALIDATORS[spec.validators[pname]](value, pname)
        resolved[pname] = value
    if any(need.kind == "rr" for need in spec.requires):
        check_resource("rr_layouts.yaml")  # an edited layouts file stops here, not in the kernel
    for need in spec.requires:
        # the input must exist, be unambiguous and agree with its metadata before a kernel is
        # started: a missing, doubled or contradicted export is bad input (exit 2)
        find_dataset(need.kind, resolved[need.period_parameter] if need.period_parameter else None)
    return STATE_VALIDATORS[spec.state_validator](resolved) if spec.state_validator else resolved


def _literal(text: str):
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text


def _fields(params: dict) -> dict:
    fields = dict(params)
    period = params.get("period")
    if isinstance(period, str) and re.match(r"^\d{4}-\d{2}$", period):
        fields.setdefault("year", period[:4])
        fields.setdefault("month", period[5:])
    return fields


def output_stem(name: str, params: dict, parameters_file: Path | None = None) -> str:
    """The report's file name without extension, from the registry's ``output`` pattern
    (``scenario_output`` with the file's name when built from a parameter file)."""
    spec = report_spec(name)
    if parameters_file is not None and spec.scenario_output:
        return spec.scenario_output.format(**_fields(params), file=slug(Path(parameters_file).stem) or "parametrar")
    return spec.output.format(**_fields(params))


def report_title(name: str, params: dict) -> str:
    """The HTML <title>: ``title_function`` ("module:function", called with the period) or ``title``."""
    spec = report_spec(name)
    if spec.title_function:
        module, func = spec.title_function.split(":")
        return getattr(importlib.import_module(module), func)(params["period"])
    return spec.title.format(**_fields(params))


def load_parameters_file(path: Path) -> dict:
    """Parameters from a YAML file (read by :func:`gnsanalysis.io.load_yaml`); problems are GnsErrors."""
    path = Path(path)
    try:
        data, decoded = load_yaml(path, what="Parameterfilen")
    except ValueError as exc:  # YAML that parses but cannot be built: a 5000-digit integer, 2019-02-30
        what = ("ett tal med fler siffror än som går att läsa (högst 4 300)" if "digits" in str(exc)
                else "ett datum som inte finns" if "month" in str(exc) or "day" in str(exc)
                else "ett värde som inte går att tolka")
        raise ConfigError(f"Parameterfilen {path.name} innehåller {what}. Åtgärd: rätta värdet, eller "
                          "skriv det inom citattecken om det är text.") from None
    if not isinstance(data, dict):
        raise ParameterError(f"Parameterfilen {path.name} ska innehålla nyckel: värde-par, t.ex. "
                             "'status: utkast' på varsin rad.")
    if decoded.guessed:
        print(f"gns: Parameterfilen {path.name} är inte UTF-8 och lästes som Windows-1252; kontrollera "
              "å, ä och ö i rapporten (eller spara filen som UTF-8).", file=sys.stderr)
    # an explorer scenario (saved or written by hand): what would not replay is refused, naming the file
    from gnsanalysis.scenarios.state import check_parameters_file  # lazy: the scenario model takes 0,7 s

    return check_parameters_file(data, path)


# --------------------------------------------------------------------------- writing

def content_hash(html: str) -> str:
    """SHA-256 of the report with the hash slot emptied (so the hash can be printed inside it)."""
    normalised = HASH_RE.sub(f'<span class="gns-content-hash">{HASH_PLACEHOLDER}</span>', html)
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


def stamp_hash(html: str) -> tuple[str, str]:
    """The report with its content hash stamped into the footer slot; (html, hash)."""
    digest = content_hash(html)
    return HASH_RE.sub(f'<span class="gns-content-hash">{digest}</span>', html), digest


# --------------------------------------------------------------------------- export

def export_html(nb, title: str) -> str:
    """Executed notebook → board HTML (no code, no parameter cells, no stderr, offline)."""
    skip_slow_iri_checker()
    from nbconvert import HTMLExporter  # lazy, as the next two: `gns report --help` never converts
    from nbconvert.preprocessors import TagRemovePreprocessor
    from traitlets.config import Config

    nb = copy.deepcopy(nb)
    nb.metadata["title"] = title
    for cell in nb.cells:
        if cell.get("cell_type") == "code":
            cell["outputs"] = [o for o in cell.get("outputs", [])
                               if not (o.get("output_type") == "stream" and o.get("name") == "stderr")]
    c = Config({
        "TagRemovePreprocessor": {"remove_cell_tags": set(REMOVED_TAGS), "enabled": True},
        # exclude_anchor_links: markdown headings get no "¶" self-link (screen readers read it aloud)
        "HTMLExporter": {"exclude_input": True, "exclude_input_prompt": True, "exclude_output_prompt": True,
                         "language_code": "sv", "require_js_url": "", "mathjax_url": "",
                         "exclude_anchor_links": True},
    })
    exporter = HTMLExporter(config=c, template_name="gns",
                            extra_template_basedirs=[str(paths.TEMPLATES_DIR)])
    exporter.register_preprocessor(TagRemovePreprocessor(config=c), enabled=True)
    body, _ = exporter.from_notebook_node(nb)
    return _strip_css_comments(body)


_STYLE_RE = re.compile(r"(<style[^>]*>)(.*?)(</style>)", re.S)


def _strip_css_comments(html: str) -> str:
    """Drop comments from inline stylesheets (the lab theme's credit links are external URLs)."""
    return _STYLE_RE.sub(lambda m: m.group(1) + re.sub(r"/\*.*?\*/", "", m.group(2), flags=re.S) + m.group(3),
                         html)


def _embed_build_info(html: str, name: str, params: dict, parameters_file: Path | None = None) -> str:
    """Record which report, parameters and parameter file produced the file (read back by
    ``gns verify``); the file as a path relative to the project root when it lies inside it."""
    record: dict = {"report": name, "parameters": params}
    if parameters_file is not None:
        where = Path(parameters_file).resolve()
        root = paths.PROJECT_ROOT.resolve()
        record["parameters_file"] = str(where.relative_to(root) if where.is_relative_to(root) else where)
    info = _html.escape(json.dumps(record, ensure_ascii=False, sort_keys=True))
    return html.replace("<head>", f'<head>\n<meta name="gns-report" content="{info}">', 1)


def read_build_info(html: str) -> dict | None:
    """The report name, parameters and parameter file embedded in a built report."""
    m = re.search(r'<meta name="gns-report" content="([^"]*)">', html)
    return json.loads(_html.unescape(m.group(1))) if m else None


def _own_error(exc) -> type[errors.GnsError] | None:
    """The project's error class a cell raised, if it was one of them."""
    cls = getattr(errors, str(getattr(exc, "ename", "")), None)
    return cls if isinstance(cls, type) and issubclass(cls, errors.GnsError) else None


def _failed_cell(exc, nb_path: Path | None = None) -> str:
    """'cell N (first line): Error: message', N counted from 1 in the committed notebook."""
    index = getattr(exc, "cell_index", None)
    if isinstance(index, int):
        index += 1  # 1-based for people
        if index > 2:  # papermill inserted the injected-parameters cell after the parameters cell
            index -= 1
    source = (getattr(exc, "source", "") or "").strip().splitlines()
    first = source[0] if source else ""
    ename, evalue = getattr(exc, "ename", type(exc).__name__), getattr(exc, "evalue", str(exc))
    if _own_error(exc) is not None:
        return f"cell {index} ({first!r}): {evalue}"  # our own Swedish message says it all
    where = f" i {nb_path.relative_to(paths.PROJECT_ROOT)}" if nb_path and nb_path.is_relative_to(paths.PROJECT_ROOT) else ""
    return f"cell {index}{where} ({first!r}): {ename}: {evalue}"


_DATA_DATE_RE = re.compile(r'<data class="gns-data-date" value="([^"]*)">')


@contextmanager
def _kernel_environment(processed_dir: Path | None, parameters_file: Path | None = None):
    """The environment the kernel inherits (Agg backend, project paths, the parameter file the
    footer names); the process's own environment is restored afterwards."""
    saved = dict(os.environ)
    os.environ.pop("GNS_PARAMETERS_FILE", None)
    os.environ.update(MPLBACKEND="Agg", **kernels.paths_env(processed_dir))
    if parameters_file is not None:
        os.environ["GNS_PARAMETERS_FILE"] = str(Path(parameters_file).resolve())
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def _execute(name: str, resolved: dict, tmp_nb: str, kernel_name: str, html_path: Path, nb_out: Path):
    """Run the notebook with papermill; a failing cell keeps the executed notebook (ReportError)."""
    import papermill  # lazy: only when a notebook runs
    from papermill.exceptions import PapermillExecutionError

    # a build worker forks its kernels from a warm zygote (publish.kernels); else a plain kernel
    km_class = kernels.manager_class()
    try:
        return papermill.execute_notebook(
            str(notebook_path(name)), tmp_nb, parameters=resolved, kernel_name=kernel_name,
            progress_bar=False, cwd=str(paths.PROJECT_ROOT), record_timing=False,
            request_save_on_cell_execute=False,
            # the kernel's own log (an English warning about TCP on every start) is noise for
            # the economist; failures still surface as cell errors or a dead kernel
            extra_arguments=["--IPKernelApp.log_level=CRITICAL"],
            **({"kernel_manager_class": km_class} if km_class is not None else {}))
    except PapermillExecutionError as exc:
        kept = Path(tmp_nb)
        if kept.exists():
            atomic_write(nb_out, kept.read_bytes())
        error = ReportError(
            f"Rapporten {name!r} ({html_path.stem}) misslyckades i {_failed_cell(exc, notebook_path(name))}. "
            f"Den körda notebooken finns kvar för felsökning: {nb_out}. "
            + (f"Den tidigare rapporten {html_path.name} är orörd." if html_path.exists()
               else "Ingen rapportfil skrevs."))
        own = _own_error(exc)
        error.exit_code = own.exit_code if own is not None else ReportError.exit_code
        raise error from None


def run_report(name: str, params: dict | None = None, *, reports_dir: Path | None = None,
               kernel_name: str = "python3", processed_dir: Path | None = None,
               parameters_file: Path | None = None) -> ReportResult:
    """Build one report; returns where it was written. Raises GnsError subclasses on failure.

    ``processed_dir`` sends the parsed tables the notebook writes elsewhere than
    ``data/processed/`` (``gns verify`` rebuilds into a temporary folder and changes nothing).
    ``parameters_file`` is the file ``params`` came from (``gns report -f``): a scenario saved
    by the explorer is named with its SHA-256 in the footer, and ``gns verify`` reads it again.
    """
    skip_slow_iri_checker()
    import nbformat  # lazy: only when a notebook runs

    logging.getLogger("papermill").setLevel(logging.WARNING)
    reports_dir = Path(reports_dir or paths.REPORTS_DIR)
    check_reports_dir(reports_dir)
    resolved = resolve_parameters(name, dict(params or {}))
    stem = output_stem(name, resolved, parameters_file)
    title = report_title(name, resolved)
    if parameters_file is not None and report_spec(name).scenario_output:
        title = f"{title}: {Path(parameters_file).stem}"  # the index tells the scenarios apart
    html_path = reports_dir / f"{stem}.html"
    nb_out = reports_dir / f"{stem}.ipynb"
    build_dir = reports_dir / ".build"
    build_dir.mkdir(parents=True, exist_ok=True)
    fd, tmp_nb = tempfile.mkstemp(prefix=f"{stem}.", suffix=".ipynb", dir=build_dir)
    os.close(fd)
    try:
        with _kernel_environment(processed_dir, parameters_file):
            nb = _execute(name, resolved, tmp_nb, kernel_name, html_path, nb_out)
        html, digest = stamp_hash(_embed_build_info(export_html(nb, title), name, resolved, parameters_file))
        assert_no_personal_data(html, f"{name} ({stem})")
        # the executed notebook kept beside the report shows the report's hash, not the slot
        atomic_write(nb_out, nbformat.writes(nb).replace(HASH_PLACEHOLDER, digest).encode("utf-8"))
        atomic_write(html_path, html.encode("utf-8"))
    finally:
        Path(tmp_nb).unlink(missing_ok=True)
    m = _DATA_DATE_RE.search(html)
    return ReportResult(name, resolved, html_path, nb_out, digest, title,
                        data_date=m.group(1) if m else "", example='class="gns-banner"' in html)
