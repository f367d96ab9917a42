"""``gns report``, ``gns build`` and ``gns verify``."""

from __future__ import annotations

import sys
from pathlib import Path

from gnsanalysis.errors import ParameterError


def register(sub) -> None:
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
    build.set_defaults(func=cmd_build)

    verify = sub.add_parser("verify", help="kontrollera att en rapport motsvarar nuvarande data och kod")
    verify.add_argument("files", type=Path, nargs="+", help="rapportfil(er) i reports/")
    verify.set_defaults(func=cmd_verify)


def cmd_report(args) -> int:
    from gnsanalysis.publish.runner import load_parameters_file, run_report

    params = {}
    if args.parameters_file:
        params.update(load_parameters_file(args.parameters_file))
    for name, value in args.parameter:
        if name in params and not args.parameters_file:
            raise ParameterError(f"Parametern {name!r} anges två gånger.")
        params[name] = value
    result = run_report(args.name, params)
    print(f"Skrev {result.html_path}")
    return 0


def cmd_build(args) -> int:
    from gnsanalysis.publish.build import build_all

    return build_all(jobs=args.jobs, status=args.status)


def cmd_verify(args) -> int:
    from gnsanalysis.publish.build import verify_report

    code = 0
    for path in args.files:
        ok, message = verify_report(path)
        print(message, file=sys.stdout if ok else sys.stderr)
        code = code or (0 if ok else 1)
    return code
