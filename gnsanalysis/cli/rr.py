"""``gns rr parse`` and ``gns rr check``.

The reader and the checks (numpy; pyarrow for a CSV read in bulk, openpyxl for XLSX) are
imported inside the commands, not at the top: ``gns --help`` and every other command build this
parser too and must not pay for them. Neither command imports pandas.
"""

from __future__ import annotations

import sys
from pathlib import Path

INPUT_HELP = ("tvinga indataformat: text (tabbar), spaced (mellanslag), pdf (text från PDF), "
              "cells (en cell per rad), csv eller xlsx; annars avgörs formatet av innehållet")
SHEET_HELP = "bladet som ska läsas i en XLSX-fil (annars det första bladet med en tabell)"
MAX_BYTES_HELP = "största filstorlek som läses, i byte (standard 64 000 000)"


def _add_input_options(parser) -> None:
    parser.add_argument("file", type=Path, help="RR-fil")
    parser.add_argument("--input-format", default=None, metavar="FORMAT", help=INPUT_HELP)
    parser.add_argument("--sheet", default=None, metavar="BLAD", help=SHEET_HELP)
    parser.add_argument("--max-bytes", type=int, default=None, metavar="BYTE", help=MAX_BYTES_HELP)


def register(sub) -> None:
    """Add `gns rr parse|check` to the parser."""
    rr = sub.add_parser("rr", help="läs och kontrollera RR-tabeller")
    rr_sub = rr.add_subparsers(dest="rr_command", metavar="KOMMANDO")
    rr_sub.required = True

    parse = rr_sub.add_parser("parse", help="skriv ut tabellen i städad form (CSV eller JSON)")
    _add_input_options(parse)
    parse.add_argument("--format", choices=["csv", "json"], default="csv", help="utdataformat")
    parse.set_defaults(func=cmd_parse)

    check = rr_sub.add_parser("check", help="kontrollera summor och härledda kolumner")
    _add_input_options(check)
    check.set_defaults(func=cmd_check)


def _read(args):
    from gnsanalysis.rr.read import MAX_RR_BYTES, read_rr  # lazy: keeps `gns --help` fast

    table = read_rr(args.file, fmt=args.input_format, sheet=args.sheet,
                    max_bytes=args.max_bytes or MAX_RR_BYTES)
    for note in table.notes:
        print(f"gns: {note}", file=sys.stderr)
    return table


def cmd_parse(args) -> int:
    """`gns rr parse`: the table in tidy form (CSV or JSON) on stdout."""
    from gnsanalysis.rr.table import to_json_dict, to_tidy_csv  # lazy: keeps `gns --help` fast

    table = _read(args)
    if args.format == "json":
        import json

        json.dump(to_json_dict(table), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(to_tidy_csv(table))
    return 0


def cmd_check(args) -> int:
    """`gns rr check`: rounding-aware consistency checks; 1 when a figure is wrong."""
    from gnsanalysis.rr.checks import check_report, sort_findings  # lazy: keeps `gns --help` fast
    from gnsanalysis.swedish.format import count_noun

    table = _read(args)
    findings, notes = check_report(table)
    for note in notes:
        print(note)
    for finding in sort_findings(findings, table):
        print(finding)
    if findings:
        print(f"{table.source_name}: {count_noun(len(findings), 'avvikelse', 'avvikelser')} som inte "
              "kan förklaras av avrundning.", file=sys.stderr)
        return 1
    print(f"{table.source_name}: inga avvikelser utöver avrundning "
          f"({count_noun(len(table.labels), 'rad', 'rader')}, "
          f"{count_noun(len(table.value_columns), 'kolumn', 'kolumner')}).")
    return 0
