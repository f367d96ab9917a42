"""The gns command: exit codes 0/1/2 and Swedish messages without tracebacks."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from gnsanalysis.cli import main


def test_rr_check_real_file_exits_0(real_rr_path, capsys):
    assert main(["rr", "check", str(real_rr_path)]) == 0
    assert "inga avvikelser utöver avrundning" in capsys.readouterr().out


def test_rr_check_altered_figure_exits_1_naming_the_line(real_rr_text, tmp_path, capsys):
    altered = tmp_path / "andrad.txt"
    altered.write_text(real_rr_text.replace("Övrigt\t-1 489", "Övrigt\t-1 498"), encoding="utf-8")
    assert main(["rr", "check", str(altered)]) == 1
    out = capsys.readouterr().out
    assert "andrad.txt:13: rad 'Övrigt', kolumn 'Bud-Utf Diff'" in out
    assert "andrad.txt:14: rad 'Summa Övriga kostnader', kolumn 'Ack utfall'" in out


def test_rr_parse_csv(real_rr_path, capsys):
    assert main(["rr", "parse", str(real_rr_path), "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("line,label,kind,note,Ack utfall,Ack budget,Bud-Utf Diff")
    assert lines[1] == '6,"Tjänster,material,varor",item,,2929,1760,1169,1988,941,47,1760,1760,0'
    assert lines[-1] == "19,RESULTAT,total,,-88,-102,13,-1,-87,10598,-102,-102,0"


@pytest.mark.parametrize("content,message", [
    (b"", "Filen är tom"),
    (b"\x00\x01\x02binary", "inte text"),
    ("RR\tAck utfall\tAck budget\nIntäkter\t1 000\ttusen\n".encode(), "kolumn 'Ack budget'"),
])
def test_bad_input_exits_2(tmp_path, capsys, content, message):
    f = tmp_path / "fel.txt"
    f.write_bytes(content)
    assert main(["rr", "check", str(f)]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_missing_file_exits_2(tmp_path, capsys):
    assert main(["rr", "parse", str(tmp_path / "finns-inte.txt")]) == 2
    assert "filen finns inte" in capsys.readouterr().err


def test_report_bad_period_exits_2_without_traceback():
    proc = subprocess.run([sys.executable, "-m", "gnsanalysis.cli", "report", "arsbokslut", "-p", "period", "2018-13"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert "ska vara en period på formen ÅÅÅÅ-MM" in proc.stderr
    assert "Traceback" not in proc.stderr


# ------------------------------------------------------------------ usage errors in Swedish

@pytest.mark.parametrize(("argv", "fragment"), [
    (["rr", "parse"], "följande argument saknas: file"),
    (["rr", "parse", "x.txt", "--format", "xml"], "argumentet --format: ogiltigt val: 'xml' (välj bland 'csv', 'json')"),
    (["bogus"], "ogiltigt val: 'bogus'"),
    (["rr", "check", "a.txt", "b.txt"], "okända argument: b.txt"),
    (["report", "arsbokslut", "-f"], "argumentet -f/--parameters-file: förväntade ett värde"),
    (["report", "arsbokslut", "-p", "period"], "förväntade 2 värden"),
    (["build", "-j", "många"], "argumentet -j/--jobs: 'många' är inte ett heltal"),
])
def test_usage_errors_are_swedish_and_exit_2(capsys, argv, fragment):
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("användning: gns")
    assert fragment in err
    assert "error:" not in err and "usage:" not in err


def test_help_is_swedish(capsys):
    with pytest.raises(SystemExit) as info:
        main(["report", "-h"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("användning: gns report")
    assert "visa den här hjälptexten och avsluta" in out and "flaggor:" in out
    assert "show this help" not in out and "options:" not in out


def test_command_modules_add_the_commands_listed_for_them():
    import argparse
    import importlib

    from gnsanalysis.cli import COMMAND_MODULES, build_parser

    for name, commands in COMMAND_MODULES.items():
        sub = argparse.ArgumentParser().add_subparsers()
        importlib.import_module(name).register(sub)
        assert list(sub.choices) == commands, name
    top = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    assert list(top.choices) == [c for commands in COMMAND_MODULES.values() for c in commands]
    top = next(a for a in build_parser("matrix")._actions if isinstance(a, argparse._SubParsersAction))
    assert list(top.choices) == ["matrix", "allocate"]


def _outcome(parser, argv, capsys):
    """What parsing ``argv`` gives: the parsed values or the exit code, and the text printed."""
    try:
        result = vars(parser.parse_args(argv))
    except SystemExit as exc:
        result = {"exit": exc.code}
    out = capsys.readouterr()
    return result, out.out, out.err


@pytest.mark.parametrize("argv", [
    ["rr", "-h"], ["rr", "check", "-h"], ["rr", "parse", "--help"], ["rr"], ["rr", "bogus"],
    ["rr", "check", "a.txt", "--max-bytes", "x"], ["rr", "parse", "a.txt", "--format", "json"],
    ["report", "-h"], ["report", "arsbokslut", "-f"], ["build", "-j", "2"], ["inputs"],
    ["verify", "-h"], ["matrix", "check", "-h"], ["matrix", "parse", "m.txt"], ["allocate", "--help"],
    ["allocate", "--total", "1"], ["explore", "-h"],
])
def test_the_parser_of_one_command_parses_as_the_whole_parser(argv, capsys):
    """`gns CMD …` builds only CMD's module's parser: same values, help, usage and errors."""
    from gnsanalysis.cli import build_parser

    assert _outcome(build_parser(argv[0]), argv, capsys) == _outcome(build_parser(), argv, capsys)


def test_help_lists_every_command(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    for command in ["rr", "report", "build", "inputs", "verify", "matrix", "allocate", "explore"]:
        assert f"    {command} " in out


def test_version_is_printed_on_stdout():
    from gnsanalysis import __version__

    out = subprocess.run([sys.executable, "-m", "gnsanalysis.cli", "--version"], capture_output=True,
                         text=True, check=True).stdout
    assert out == f"gnsanalysis {__version__}\n"


_LOADED = ("import sys; from gnsanalysis.cli import main\n"
           "try: main(sys.argv[1:])\nexcept SystemExit: pass\n"
           "print(sorted(m for m in ('pandas', 'pyarrow', 'babel', 'importlib.metadata') if m in sys.modules))")


def _loaded_by(*argv) -> str:
    out = subprocess.run([sys.executable, "-c", _LOADED, *argv], capture_output=True, text=True).stdout
    return out.strip().splitlines()[-1]


def test_small_commands_do_not_import_what_they_do_not_use(real_rr_path):
    """`gns --help` loads neither pandas nor Babel, and no command looks up the version unless
    asked (importlib.metadata); `gns rr check` of a table without findings needs no Babel."""
    assert _loaded_by("--help") == "[]"
    assert _loaded_by("rr", "check", str(real_rr_path)) == "[]"


def test_rr_commands_on_a_printed_table_import_neither_pandas_nor_pyarrow(real_rr_path, tmp_path):
    """A printed table (tab text, or text from a PDF) is read, checked and written without
    pandas and pyarrow (about 0.4 s of imports); a CSV export read in bulk needs Arrow, not pandas."""
    pdf = Path(__file__).resolve().parents[1] / "fixtures" / "rr" / "01-kommun-rr-mnkr-pdf.txt"
    for path in (real_rr_path, pdf):
        for argv in (["check"], ["parse"], ["parse", "--format", "json"]):
            assert _loaded_by("rr", *argv, str(path)) == "[]", (path.name, argv)
    csv_path = tmp_path / "rr.csv"
    csv_path.write_text(real_rr_path.read_text(encoding="utf-8").replace("\t", ";"), encoding="utf-8")
    assert _loaded_by("rr", "parse", str(csv_path)) == "['pyarrow']"


def test_translate_keeps_unknown_wording():
    from gnsanalysis.cli import translate_usage_error

    assert translate_usage_error("something new") == "something new"
    assert translate_usage_error("argument --x: something new") == "argumentet --x: something new"


# ------------------------------------------------------------------ the last-resort handler

def test_unexpected_exception_is_logged_not_shown(tmp_path, monkeypatch, capsys):
    from gnsanalysis import paths
    from gnsanalysis.cli import parties

    def boom(args):
        raise RuntimeError("internt fel för testet")

    monkeypatch.setattr(paths, "REPORTS_DIR", tmp_path)
    monkeypatch.setattr(parties, "cmd_allocate", boom)
    assert main(["allocate", "--total", "1", "--key", "equal"]) == 1
    err = capsys.readouterr().err
    log = tmp_path / ".gns-fel.log"
    assert f"Detaljerna finns i {log}" in err and "RuntimeError" in err
    assert "Traceback" not in err and len(err.splitlines()) == 1
    text = log.read_text(encoding="utf-8")
    assert "Traceback" in text and "internt fel för testet" in text and "allocate --total 1" in text


def test_unexpected_exception_log_falls_back_to_temp_dir(tmp_path, monkeypatch, capsys):
    import tempfile

    from gnsanalysis import paths
    from gnsanalysis.cli import parties

    not_a_folder = tmp_path / "reports"
    not_a_folder.write_text("en fil", encoding="utf-8")
    monkeypatch.setattr(paths, "REPORTS_DIR", not_a_folder)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(parties, "cmd_allocate", lambda args: 1 / 0)
    assert main(["allocate", "--total", "1", "--key", "equal"]) == 1
    assert f"Detaljerna finns i {tmp_path / 'gns-fel.log'}" in capsys.readouterr().err
    assert "ZeroDivisionError" in (tmp_path / "gns-fel.log").read_text(encoding="utf-8")


def test_os_error_is_a_swedish_message(tmp_path, monkeypatch, capsys):
    import errno

    from gnsanalysis.cli import parties

    def full(args):
        raise OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "ut.csv"))

    monkeypatch.setattr(parties, "cmd_allocate", full)
    assert main(["allocate", "--total", "1", "--key", "equal"]) == 2
    assert f"kunde inte läsa eller skriva {tmp_path / 'ut.csv'}: disken är full" in capsys.readouterr().err
