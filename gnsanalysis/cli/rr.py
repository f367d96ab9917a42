"""``gns rr parse`` and ``gns rr check``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from gnsanalysis.rr.checks import check_report, sort_findings
from gnsanalysis.swedish.format import count_noun
from gnsanalysis.rr.table import read_rr, to_json_dict, to_tidy_csv


INPUT_HELP = ("tvinga indataformat: text (tabbar), spaced (mellanslag), pdf (text från PDF), "
              "cells (en cell per rad), csv eller xlsx; annars avgörs formatet av innehållet")


def register(sub) -> None:
    rr = sub.add_parser("rr", help="läs och kontrollera RR-tabeller")
    rr_sub = rr.add_subparsers(dest="rr_command", metavar="KOMMANDO")
    rr_sub.required = True

    parse = rr_sub.add_parser("parse", help="skriv ut tabellen i städad form (CSV eller JSON)")
    parse.add_argument("file", type=Path, help="RR-fil")
    parse.add_argument("--format", choices=["csv", "json"], default="csv", help="utdataformat")
    parse.add_argument("--input-format", default=None, metavar="FORMAT", help=INPUT_HELP)
    parse.set_defaults(func=cmd_parse)

    check = rr_sub.add_parser("check", help="kontrollera summor och härledda kolumner")
    check.add_argument("file", type=Path, help="RR-fil")
    check.add_argument("--input-format", default=None, metavar="FORMAT", help=INPUT_HELP)
    check.set_defaults(func=cmd_check)


def cmd_parse(args) -> int:
    table = read_rr(args.file, fmt=args.input_format)
    if args.format == "json":
        json.dump(to_json_dict(table), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(to_tidy_csv(table))
    return 0


def cmd_check(args) -> int:
    table = read_rr(args.file, fmt=args.input_format)
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
          f"({count_noun(len(table.frame), 'rad', 'rader')}, "
          f"{count_noun(len(table.value_columns), 'kolumn', 'kolumner')}).")
    return 0
