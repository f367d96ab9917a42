"""``gns matrix parse|check`` and ``gns allocate``."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

from gnsanalysis.csvsafe import safe_frame, safe_row
from gnsanalysis.errors import ParameterError

# The parties modules (pandas) and Babel are imported inside the commands: `gns --help` and
# every other command build this parser too and must not pay for them.


MAX_BYTES_HELP = "största filstorlek som läses, i byte (standard 4 000 000)"


def register(sub) -> None:
    """Add `gns matrix parse|check` and `gns allocate` to the parser."""
    matrix = sub.add_parser("matrix", help="läs och kontrollera intressentmatriser")
    m_sub = matrix.add_subparsers(dest="matrix_command", metavar="KOMMANDO")
    m_sub.required = True

    for name, help_text, func in [("parse", "skriv ut matrisen som CSV eller JSON", cmd_matrix_parse),
                                  ("check", "jämför matrisen med partsregistret", cmd_matrix_check)]:
        cmd = m_sub.add_parser(name, help=help_text)
        cmd.add_argument("file", type=Path, help="matrisfil (.txt/.tsv, .csv eller .xlsx)")
        if name == "parse":
            cmd.add_argument("--format", choices=["csv", "json"], default="csv", help="utdataformat")
        cmd.add_argument("--input-format", choices=["tsv", "csv", "xlsx"], default=None,
                         help="tvinga indataformat (annars från filändelsen)")
        cmd.add_argument("--sheet", default=None, help="blad i en Excel-fil (annars det första)")
        cmd.add_argument("--max-bytes", type=int, default=None, metavar="BYTE", help=MAX_BYTES_HELP)
        cmd.set_defaults(func=func)

    alloc = sub.add_parser(
        "allocate",
        help="fördela ett belopp mellan parterna",
        description="Fördelar ett belopp i hela kronor (eller öre) så att delarna summerar exakt "
        "till totalen (största rest-metoden). Skriver CSV med kolumnerna party,share.",
    )
    alloc.add_argument("--total", required=True, help="belopp i kronor, t.ex. 914400 eller '840 236'")
    alloc.add_argument(
        "--key", required=True,
        help="fördelningsnyckel: equal, population, budget, pupils, usage eller en blandning "
        "som '1/3 equal + 2/3 population'",
    )
    alloc.add_argument("--parties", default=None,
                       help="kommaseparerade parter (annars alla nio), t.ex. 'Krokom,Berg,Region JH'")
    alloc.add_argument("--usage", default=None,
                       help="för nyckeln usage: PART=MÄNGD,PART=MÄNGD …")
    alloc.add_argument("--ore", action="store_true", help="fördela i hela öre (andelar i öre)")
    alloc.set_defaults(func=cmd_allocate)


def _read(args):
    from gnsanalysis.parties.stakeholders import MAX_MATRIX_BYTES, parse_matrix  # lazy: keeps `gns --help` fast

    return parse_matrix(args.file, format=args.input_format, sheet=args.sheet,
                        max_bytes=args.max_bytes or MAX_MATRIX_BYTES)


def cmd_matrix_parse(args) -> int:
    """`gns matrix parse`: the matrix as CSV (spreadsheet-safe) or JSON on stdout."""
    matrix = _read(args)
    frame = matrix.to_frame()
    if args.format == "json":
        json.dump(frame.to_dict(orient="records"), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        # labels and comments from the source can start with "=" or "-": never a formula in Excel
        safe_frame(frame).to_csv(sys.stdout, index=False, lineterminator="\n")
    return 0


def cmd_matrix_check(args) -> int:
    """`gns matrix check`: the matrix against the party registry; 1 when there are errors."""
    from gnsanalysis.parties.stakeholders import check_matrix  # lazy: keeps `gns --help` fast
    from gnsanalysis.swedish import format as fmt

    matrix = _read(args)
    findings = check_matrix(matrix)
    for finding in findings:
        print(finding)
    errors = [f for f in findings if f.is_error]
    infos = len(findings) - len(errors)
    name = matrix.source or str(args.file)
    if errors:
        print(f"{name}: {fmt.count_noun(len(errors), 'avvikelse', 'avvikelser')} mot partsregistret"
              + (f" och {fmt.count_noun(infos, 'upplysning', 'upplysningar')}." if infos else "."), file=sys.stderr)
        return 1
    print(f"{name}: stämmer mot partsregistret ({len(matrix.rows)} rader"
          + (f", {fmt.count_noun(infos, 'upplysning', 'upplysningar')})." if infos else ")."), file=sys.stderr)
    return 0


def _split_names(text: str | None) -> list[str] | None:
    if text is None:
        return None
    names = [n.strip() for n in text.split(",")]
    if not any(names):
        raise ParameterError("--parties är tom. Ange parter som 'Krokom,Berg,Region JH'.")
    if "" in names:
        raise ParameterError(f"--parties innehåller ett tomt namn: {text!r}.")
    return names


def _usage(text: str | None, parties: list[str] | None) -> dict[str, str] | None:
    """``PART=MÄNGD,…`` as a mapping; a party given twice, or not among ``--parties``, is refused."""
    from gnsanalysis.parties.registry import load_registry  # lazy: keeps `gns --help` fast

    if text is None:
        return None
    registry = load_registry()
    out: dict[str, str] = {}
    given: dict[str, str] = {}  # party code -> the name as written
    for item in text.split(","):
        name, sep, value = item.partition("=")
        if not sep or not name.strip() or not value.strip():
            raise ParameterError(
                f"--usage: {item.strip()!r} har fel form. Förväntade PART=MÄNGD, t.ex. 'Krokom=3'."
            )
        name = name.strip()
        party = registry.resolve(name, parties_only=True)
        if party.code in given:
            raise ParameterError(
                f"--usage anger {party.name} två gånger (som {given[party.code]!r} och {name!r}). "
                "Åtgärd: ange en mängd per part.")
        given[party.code] = name
        out[name] = value.strip()
    if parties is not None:
        chosen = {p.code for p in registry.resolve_many(parties, parties_only=True)}
        extra = [given[code] for code in given if code not in chosen]
        if extra:
            raise ParameterError(
                f"--usage anger {', '.join(repr(e) for e in extra)}, som inte finns i --parties "
                f"({', '.join(parties)}). Åtgärd: lägg till parten i --parties eller ta bort den ur --usage.")
    return out


def cmd_allocate(args) -> int:
    """`gns allocate`: the total split by the key, parts summing exactly, as CSV."""
    from gnsanalysis.parties.allocation import allocate_by_key, parse_key  # lazy: keeps `gns --help` fast

    unit = "öre" if args.ore else "kr"
    parties = _split_names(args.parties)
    if args.usage is not None and "usage" not in {basis for basis, _ in parse_key(args.key).components}:
        raise ParameterError(
            f"--usage används bara med nyckeln usage (användning), men nyckeln är {args.key!r}, så "
            "mängderna skulle inte påverka fördelningen. Åtgärd: ta bort --usage eller ange --key usage.")
    frame = allocate_by_key(args.total, args.key, parties, unit=unit, usage=_usage(args.usage, parties))
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["party", "share"])
    for party, share in zip(frame["party"], frame["share"], strict=True):
        writer.writerow(safe_row([party, int(share)]))
    if frame.attrs.get("example"):
        print(
            f"gns: Exempeldata: nyckeln {frame.attrs['key_label']!r} bygger på exempelvärden i "
            "partsregistret, inte på verkliga siffror.",
            file=sys.stderr,
        )
    return 0
