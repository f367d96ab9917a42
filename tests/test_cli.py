"""The gns command: exit codes 0/1/2 and Swedish messages without tracebacks."""

from __future__ import annotations

import subprocess
import sys

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
