"""The ``gns`` command: wires the command modules' ``register(subparsers)`` together.

Errors become one Swedish line and an exit code (0 ok, 1 findings or failed report, 2 bad input);
an unexpected exception's traceback goes to :data:`ERROR_LOG_NAME`, the user gets where (exit 1).
"""

from __future__ import annotations

import argparse
import importlib
import re
import signal
import sys
from pathlib import Path

from gnsanalysis import paths
from gnsanalysis.errors import GnsError

# What a Ctrl-C prints (gnsanalysis/__init__.py prints the same line during the start-up imports).
INTERRUPTED = "gns: avbrutet (Ctrl-C)"

# Modules that add commands (each has ``register(subparsers)``) and the commands each adds, in
# the order `gns --help` lists them (tests/cli/test_cli.py checks both against ``register``).
COMMAND_MODULES = {
    "gnsanalysis.cli.rr": ["rr"],
    "gnsanalysis.cli.report": ["report", "build", "inputs", "verify"],
    "gnsanalysis.cli.parties": ["matrix", "allocate"],
    "gnsanalysis.cli.explore": ["explore"],
}

# Where the last-resort handler writes tracebacks: reports/.gns-fel.log (or the temp folder).
ERROR_LOG_NAME = ".gns-fel.log"
_ERROR_LOG_MAX_BYTES = 1_000_000  # an older log larger than this is started afresh

# argparse's English messages (Python 3.11–3.13 wording) and their Swedish form.
_ARGPARSE_MESSAGES = [
    (r"the following arguments are required: (.*)", r"följande argument saknas: \1"),
    (r"invalid choice: (.*?) \(choose from (.*)\)", r"ogiltigt val: \1 (välj bland \2)"),
    (r"unrecognized arguments: (.*)", r"okända argument: \1"),
    (r"expected one argument", r"förväntade ett värde"),
    (r"expected at least one argument", r"förväntade minst ett värde"),
    (r"expected at most one argument", r"förväntade högst ett värde"),
    (r"expected (\d+) arguments?", r"förväntade \1 värden"),
    (r"invalid int value: (.*)", r"\1 är inte ett heltal"),
    (r"invalid float value: (.*)", r"\1 är inte ett tal"),
    (r"invalid (\S+) value: (.*)", r"ogiltigt värde: \2"),
    (r"ambiguous option: (.*?) could match (.*)", r"tvetydig flagga: \1 kan betyda \2"),
    (r"not allowed with argument (.*)", r"kan inte kombineras med argumentet \1"),
    (r"one of the arguments (.*) is required", r"ett av argumenten \1 krävs"),
    (r"ignored explicit argument (.*)", r"värdet \1 ignorerades"),
]


def translate_usage_error(message: str) -> str:
    """An argparse error message in Swedish (unknown wordings are kept as they are)."""
    prefix = ""
    m = re.match(r"argument (.+?): (.*)", message, re.DOTALL)
    if m:
        prefix, message = f"argumentet {m.group(1)}: ", m.group(2)
    for english, swedish in _ARGPARSE_MESSAGES:
        if re.fullmatch(english, message, re.DOTALL):
            return prefix + re.sub(english, swedish, message, count=1, flags=re.DOTALL)
    return prefix + message


class _SwedishHelpFormatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        return super().add_usage(usage, actions, groups, prefix="användning: " if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    """argparse with Swedish usage, help headings and error messages (exit 2)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", _SwedishHelpFormatter)
        add_help = kwargs.pop("add_help", True)
        super().__init__(*args, add_help=False, **kwargs)
        self._positionals.title = "argument"
        self._optionals.title = "flaggor"
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                              help="visa den här hjälptexten och avsluta")

    def error(self, message):  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: fel: {translate_usage_error(message)}\n"
                     f"Skriv '{self.prog} -h' för hjälp.\n")


class _VersionAction(argparse.Action):
    """``--version``, looked up only when asked for (``importlib.metadata`` would slow every command)."""

    def __init__(self, option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS, help=None):
        super().__init__(option_strings, dest=dest, default=default, nargs=0, help=help)

    def __call__(self, parser, namespace, values, option_string=None):
        from gnsanalysis import __version__  # lazy: see the class docstring

        print(f"gnsanalysis {__version__}")  # on stdout, as argparse's own version action
        parser.exit()


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The `gns` argument parser with every command module's subcommands, or, when ``command``
    is one of them, with only the commands of the module that adds it.

    Running one command needs only its own parser (its help, usage and errors come from it), and
    building them all took about 19 ms CPU, only `gns rr`'s about 7 ms;
    anything else (``gns --help``, an unknown command) gets the whole parser.
    """
    parser = _Parser(prog="gns", description="Rapporter och analyser för GNS.")
    parser.add_argument("--version", action=_VersionAction, help="visa programmets version och avsluta")
    sub = parser.add_subparsers(dest="command", metavar="KOMMANDO", title="kommandon")
    sub.required = True
    own = [name for name, commands in COMMAND_MODULES.items() if command in commands]
    for name in own or COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def _log_unexpected(exc: BaseException, argv: list[str] | None) -> Path | None:
    """Append the traceback to ``reports/.gns-fel.log`` (when reports/ is a folder), failing that to
    ``gns-fel.log`` in the temporary folder; returns the file, or None if nothing could be written."""
    import datetime as dt  # lazy: needed only after an unexpected error
    import tempfile
    import traceback

    text = (f"=== {dt.datetime.now().isoformat(timespec='seconds')} gns "
            f"{' '.join(sys.argv[1:] if argv is None else argv)[:2000]}\n"
            + "".join(traceback.format_exception(exc)) + "\n")
    reports = Path(paths.REPORTS_DIR)
    candidates = [reports / ERROR_LOG_NAME] if reports.is_dir() else []
    candidates.append(Path(tempfile.gettempdir()) / "gns-fel.log")
    for path in candidates:
        try:
            mode = "w" if path.exists() and path.stat().st_size > _ERROR_LOG_MAX_BYTES else "a"
            with path.open(mode, encoding="utf-8") as fh:
                fh.write(text)
            return path
        except OSError:
            continue
    return None


def _os_error_message(exc: OSError) -> str:
    """A failed read or write in Swedish: a missing file, a folder, no permission, else why."""
    if isinstance(exc, FileNotFoundError):
        return f"filen finns inte: {exc.filename}"
    if isinstance(exc, IsADirectoryError):
        return f"{exc.filename} är en mapp, inte en fil"
    if isinstance(exc, PermissionError):
        return f"saknar behörighet att läsa eller skriva {exc.filename}"
    from gnsanalysis.io import os_error_reason  # lazy: gnsanalysis.io loads PyYAML, which `gns --help` never needs

    name = exc.filename if exc.filename is not None else "en fil"
    return f"kunde inte läsa eller skriva {name}: {os_error_reason(exc)}."


def main(argv: list[str] | None = None) -> int:
    """Run one `gns` command; the exit code (0 ok, 1 findings or a failed report, 2 bad input)."""
    command = argv is None
    # as a command, Ctrl-C outside the command itself is quiet (the handler gnsanalysis/__init__.py
    # installed at start-up); while the command runs it raises KeyboardInterrupt, so that its own
    # clean-up runs (a build stops its workers) and ends here as one line, exit 130
    quiet = signal.getsignal(signal.SIGINT) if command else None
    command = command and quiet is not None  # None: a handler not set from Python; leave it be
    try:
        if command:
            signal.signal(signal.SIGINT, signal.default_int_handler)
        return _run(argv)
    except KeyboardInterrupt:
        if command:
            signal.signal(signal.SIGINT, quiet)
        print(INTERRUPTED, file=sys.stderr)
        return 130
    finally:
        if command:
            signal.signal(signal.SIGINT, quiet)


def _run(argv: list[str] | None) -> int:
    """Parse and run one command; errors become a Swedish line and an exit code."""
    if argv is None:  # run as a command: `gns rr parse X | head` ends quietly, like other tools
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    try:
        words = sys.argv[1:] if argv is None else argv
        parser = build_parser(words[0] if words else None)
        args = parser.parse_args(argv)
        code = args.func(args)
    except GnsError as exc:
        print(f"gns: {exc}", file=sys.stderr)
        return exc.exit_code
    except OSError as exc:
        if exc.errno is None:  # not a system error: a bug, handled below
            return _unexpected(exc, argv)
        print(f"gns: {_os_error_message(exc)}", file=sys.stderr)
        return 2
    except Exception as exc:  # noqa: BLE001 - the last resort: never a traceback on the screen
        return _unexpected(exc, argv)
    return int(code or 0)


def _unexpected(exc: BaseException, argv: list[str] | None) -> int:
    log = _log_unexpected(exc, argv)
    where = (f"Detaljerna finns i {log}." if log is not None
             else "Detaljerna kunde inte sparas i någon loggfil.")
    print(f"gns: ett oväntat fel inträffade ({type(exc).__name__}); det är ett fel i programmet, inte "
          f"nödvändigtvis i indata. {where} Kontakta den som underhåller gnsanalysis och bifoga filen.",
          file=sys.stderr)
    return 1
