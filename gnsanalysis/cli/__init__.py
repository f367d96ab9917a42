"""The ``gns`` command.

Each command group lives in its own module with a ``register(subparsers)`` function that adds
its sub-commands and sets ``func`` on them; this module only wires them together and turns
errors into a Swedish message and an exit code (0 ok, 1 findings or failed report, 2 bad
input), never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from gnsanalysis.errors import GnsError

# Modules that add commands (each has ``register(subparsers)``).
COMMAND_MODULES = [
    "gnsanalysis.cli.rr",
    "gnsanalysis.cli.report",
    "gnsanalysis.cli.parties",
    "gnsanalysis.cli.explore",
]


class _Parser(argparse.ArgumentParser):
    """argparse exits 2 on usage errors already; keep its message, drop nothing else."""


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="gns", description="Rapporter och analyser för GNS.")
    from gnsanalysis import __version__

    parser.add_argument("--version", action="version", version=f"gnsanalysis {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="KOMMANDO")
    sub.required = True
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    if argv is None:  # run as a command: `gns rr parse X | head` ends quietly, like other tools
        import signal

        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code = args.func(args)
    except GnsError as exc:
        print(f"gns: {exc}", file=sys.stderr)
        return exc.exit_code
    except FileNotFoundError as exc:
        print(f"gns: filen finns inte: {exc.filename}", file=sys.stderr)
        return 2
    except IsADirectoryError as exc:
        print(f"gns: {exc.filename} är en mapp, inte en fil", file=sys.stderr)
        return 2
    except PermissionError as exc:
        print(f"gns: saknar behörighet att läsa eller skriva {exc.filename}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("gns: avbrutet", file=sys.stderr)
        return 130
    return int(code or 0)


