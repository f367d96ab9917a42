"""``gns report``, ``gns build``, ``gns verify`` and ``gns inputs``."""

from __future__ import annotations

import sys
from pathlib import Path

from gnsanalysis import paths
from gnsanalysis.errors import ParameterError


def register(sub) -> None:
    """Add `gns report`, `gns build`, `gns inputs` and `gns verify` to the parser."""
    report = sub.add_parser("report", help="bygg en rapport")
    report.add_argument("name", help="rapportens namn, t.ex. arsbokslut")
    report.add_argument("-p", "--parameter", nargs=2, action="append", default=[],
                        metavar=("NAMN", "VÄRDE"), help="parameter till rapporten (kan upprepas)")
    report.add_argument("-f", "--parameters-file", type=Path, default=None,
                        help="YAML-fil med parametrar (t.ex. sparad från interaktiv utforskning)")
    report.set_defaults(func=cmd_report)

    build = sub.add_parser("build", help="bygg alla standardrapporter och reports/index.html")
    build.add_argument("-j", "--jobs", type=int, default=None, help="antal rapporter som byggs samtidigt")
    build.add_argument("--status", choices=["utkast", "fastställd"], default=None,
                       help="sätt rapporternas status (annars notebookens standardvärde, utkast)")
    build.add_argument("--force", action="store_true",
                       help="bygg om alla rapporter, även de som är oförändrade")
    build.add_argument("--pdf", action="store_true",
                       help="skriv också varje nämndrapport som PDF (A4) och nämndpaketet reports/namndpaket-….pdf")
    build.set_defaults(func=cmd_build)

    inputs = sub.add_parser("inputs", help="visa underlaget i data/raw/: metadata, rapporter och problem")
    inputs.set_defaults(func=cmd_inputs)

    verify = sub.add_parser("verify", help="kontrollera att en rapport motsvarar nuvarande data och kod")
    verify.add_argument("files", type=Path, nargs="+", help="rapportfil(er) i reports/")
    verify.set_defaults(func=cmd_verify)


def cmd_report(args) -> int:
    """`gns report`: build one report from parameters (-p) and/or a parameter file (-f)."""
    # lazy: keeps `gns --help` fast
    from gnsanalysis.publish.runner import load_parameters_file, report_spec, resolve_parameters, run_report

    report_spec(args.name)  # an unknown report is named before any file is read
    params = {}
    if args.parameters_file:
        params.update(load_parameters_file(args.parameters_file))
        try:  # checked on its own first, so that a bad value is named with the file it came from
            resolve_parameters(args.name, dict(params))
        except ParameterError as exc:
            raise ParameterError(f"Parameterfilen {args.parameters_file.name}: {exc}") from None
    for name, value in args.parameter:
        if name in params and not args.parameters_file:
            raise ParameterError(f"Parametern {name!r} anges två gånger.")
        params[name] = value
    from gnsanalysis.publish.build import record_report
    from gnsanalysis.publish.lock import build_lock

    # under the build lock, so that the manifest and the index always agree with the reports
    with build_lock(paths.REPORTS_DIR):
        result = run_report(args.name, params, parameters_file=args.parameters_file)
        record_report(result, paths.REPORTS_DIR)
    print(f"Skrev {result.html_path}")
    return 0


def cmd_build(args) -> int:
    """`gns build`: every report the data supports, skipping the unchanged ones."""
    from gnsanalysis.publish.build import build_all  # lazy: keeps `gns --help` fast

    return build_all(jobs=args.jobs, status=args.status, force=args.force, pdf=args.pdf)


def cmd_verify(args) -> int:
    """`gns verify`: does each file match a rebuild from the current data and code?"""
    from gnsanalysis.publish.build import verify_report  # lazy: keeps `gns --help` fast

    code = 0
    for path in args.files:
        ok, message = verify_report(path)
        print(message, file=sys.stdout if ok else sys.stderr)
        code = code or (0 if ok else 1)
    return code


_SHOWN = [("kind", "typ"), ("period", "period"), ("unit", "enhet"), ("forvaltning", "förvaltning"),
          ("object", "objekt"), ("data_status", "status")]


def cmd_inputs(args) -> int:
    """`gns inputs`: each file in data/raw/, its metadata, reports and problems (exit 1 on a problem)."""
    from gnsanalysis.inputs import KIND_NAMES, STATUS_TEXT, inventory  # lazy: keeps `gns --help` fast
    from gnsanalysis.publish.build import plan

    inv = inventory()
    feeds: dict = {}
    for run in plan(inventory=inv):
        for d in run.inputs:
            feeds.setdefault(d.path.name, []).append(run.output or run.name)
    problems = 0
    print(f"Underlag i {paths.RAW_DIR}:")
    for d in inv:
        print(f"\n{d.path.name}")
        if d.sidecar is not None and d.sidecar != d.path:
            print(f"  metadatafil: {d.sidecar.name}")
        for key, label in _SHOWN:
            if key not in d.meta or d.meta[key] in (None, ""):
                continue
            value = d.meta[key]
            if key == "kind":
                value = KIND_NAMES.get(str(value), str(value))
            elif key == "data_status":
                value = STATUS_TEXT.get(str(value), str(value))
            elif key == "object" and isinstance(value, dict):
                value = f"{value.get('id')} {value.get('name') or ''}".strip()
            where = ("ur filen och metadatafilen" if key in d.read and key in d.declared
                     else "ur filen" if key in d.read
                     else "ur metadatafilen" if key in d.declared else "standardvärde")
            print(f"  {label}: {value} ({where})")
        if d.declared.get("_encoding_note"):
            print(f"  obs: {d.declared['_encoding_note']}")
        reports = sorted(set(feeds.get(d.path.name, [])))
        print(f"  rapporter: {', '.join(reports) if reports else 'inga'}")
        for problem in d.problems:
            problems += 1
            print(f"  PROBLEM: {problem}")
    if problems:
        print(f"\n{problems} problem; rapporter som läser en fil med problem byggs inte.", file=sys.stderr)
        return 1
    return 0
