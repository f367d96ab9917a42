"""Bad input through the real command (a subprocess): a Swedish message and exit code, never a traceback.

Each case is what a hostile or merely unlucky user could type or save. All of them are refused
before a report kernel starts, so the table runs in seconds per case; none may reach the
last-resort handler ("ett oväntat fel"), which is for bugs, not for input.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass

import pytest


@dataclass(frozen=True)
class Case:
    id: str
    argv: list[str]  # "{file}" is replaced by the path of a file with ``content``
    code: int
    fragment: str
    content: bytes | None = None


ALIAS_BOMB = b"".join([
    b'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n',
    *[f"{chr(98 + i)}: &{chr(98 + i)} [{','.join([f'*{chr(97 + i)}'] * 9)}]\n".encode() for i in range(8)],
])

CASES = [
    # parameter files (-f)
    Case("f-cp1252", ["report", "arsbokslut", "-f", "{file}"], 2, "lästes som Windows-1252",
         'handlaggare: "Åsa på Härjedalens kommun"\nperiod: "2018-13"\n'.encode("cp1252")),
    Case("f-cp1252-value-read-right", ["report", "arsbokslut", "-f", "{file}"], 2,
         "'fastställd-ä'; tillåtna värden", 'status: "fastställd-ä"\n'.encode("cp1252")),
    Case("f-binary", ["report", "arsbokslut", "-f", "{file}"], 2, "inte text",
         b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4),
    Case("f-alias-bomb", ["report", "it-serverdrift", "-f", "{file}"], 2, "alias (*namn) är inte tillåtna",
         ALIAS_BOMB),
    Case("f-5-mb-value", ["report", "arsbokslut", "-f", "{file}"], 2, "större än gränsen",
         b"handlaggare: '" + b"x" * 5_000_000 + b"'\n"),
    Case("f-long-value", ["report", "arsbokslut", "-f", "{file}"], 2, "får vara högst 500 tecken",
         b"handlaggare: '" + b"x" * 100_000 + b"'\n"),
    Case("f-huge-integer", ["report", "it-serverdrift", "-f", "{file}"], 2,
         "innehåller ett tal med fler siffror än som går att läsa", b"n_draws: " + b"9" * 5000 + b"\n"),
    Case("f-impossible-date", ["report", "arsbokslut", "-f", "{file}"], 2, "innehåller ett datum som inte finns",
         b"datum: 2019-02-30\n"),
    Case("f-list-not-mapping", ["report", "arsbokslut", "-f", "{file}"], 2, "nyckel: värde-par",
         b"- period\n- 2018-12\n"),
    Case("f-invalid-yaml", ["report", "arsbokslut", "-f", "{file}"], 2, "rad 2 är inte giltig YAML",
         b"period: 2018-12\n  status: [utkast\n"),
    Case("f-bad-period-names-the-file", ["report", "arsbokslut", "-f", "{file}"], 2,
         "Parameterfilen parametrar.yaml: Parametern 'period' har värdet '2018-13'", b"period: 2018-13\n"),
    Case("f-value-out-of-range-names-the-file", ["report", "it-serverdrift", "-f", "{file}"], 2,
         "Parameterfilen parametrar.yaml går inte att använda: Parametern 'electricity_price'",
         b"assumptions: {electricity_price: 9.5}\n"),
    Case("f-unknown-report-before-the-file", ["report", "finnsinte", "-f", "{file}"], 2,
         "gns: Okänd rapport 'finnsinte'", b"period: 2018-12\n"),
    Case("f-missing", ["report", "arsbokslut", "-f", "/finns/inte/parametrar.yaml"], 2, "finns inte"),
    Case("f-directory", ["report", "arsbokslut", "-f", "/tmp"], 2, "är en mapp"),
    # parameters (-p)
    Case("p-long-value", ["report", "arsbokslut", "-p", "handlaggare", "x" * 100_000], 2,
         "är 100 000 tecken lång, men får vara högst 500 tecken"),
    Case("p-n-draws-10-12", ["report", "it-serverdrift", "-p", "n_draws", str(10**12)], 2,
         "får vara högst 100 000"),
    Case("p-n-draws-not-a-number", ["report", "it-serverdrift", "-p", "n_draws", "många"], 2,
         "ska vara ett heltal"),
    Case("p-phone-number", ["report", "arsbokslut", "-p", "handlaggare", "Anna Svensson, tfn 063 14 30 00"], 2,
         "innehåller personuppgifter (telefonnummer '063 14 30 00')"),
    Case("p-personnummer", ["report", "dso-alternativ", "-p", "handlaggare", "Anna 19121212 1212"], 2,
         "personnummer '19121212 1212'"),
    Case("p-unknown", ["report", "arsbokslut", "-p", "perioden", "2018-12"], 2, "har ingen parameter 'perioden'"),
    # input size: refused unread, with the limit and how to raise it
    Case("matrix-too-large", ["matrix", "check", "{file}"], 2, "större än gränsen för intressentmatriser (4 000 000 byte)",
         b"Part i n\xc3\xa4mnden\tS\xc3\xb6ker plats\n" + b"Krokoms kommun\tx\n" * 300_000),
    Case("matrix-dev-zero", ["matrix", "parse", "/dev/zero", "--max-bytes", "1000"], 2, "högst 1 000 byte"),
    Case("rr-dev-zero", ["rr", "check", "/dev/zero"], 2, "större än gränsen för RR-filer"),
    # usage errors
    Case("unknown-args", ["rr", "check", "a.txt", "b.txt", "--snabbt"], 2, "okända argument: b.txt --snabbt"),
    Case("unknown-command", ["bygg"], 2, "ogiltigt val: 'bygg'"),
    Case("missing-argument", ["allocate", "--total", "100"], 2, "följande argument saknas: --key"),
    Case("missing-value", ["report", "arsbokslut", "-f"], 2, "förväntade ett värde"),
    Case("bad-int", ["build", "-j", "två"], 2, "'två' är inte ett heltal"),
    # gns allocate --usage
    Case("usage-party-not-in-parties", ["allocate", "--total", "100", "--key", "usage", "--parties", "Krokom,Berg",
                                        "--usage", "Krokom=3,Berg=1,Åre=2"], 2, "som inte finns i --parties"),
    Case("usage-duplicate", ["allocate", "--total", "100", "--key", "usage", "--parties", "Krokom,Berg",
                             "--usage", "Krokom=3,Berg=1,Krokom=2"], 2, "två gånger"),
    Case("usage-bad-form", ["allocate", "--total", "100", "--key", "usage", "--usage", "Krokom:3"], 2,
         "Förväntade PART=MÄNGD"),
    Case("usage-unknown-party", ["allocate", "--total", "100", "--key", "usage", "--usage", "Gotland=3"], 2,
         "Okänd part 'Gotland'"),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_gives_a_swedish_message_and_no_traceback(case, tmp_path):
    argv = list(case.argv)
    if case.content is not None:
        path = tmp_path / "parametrar.yaml"
        path.write_bytes(case.content)
        argv = [str(path) if a == "{file}" else a for a in argv]
    proc = subprocess.run([sys.executable, "-m", "gnsanalysis.cli", *argv], capture_output=True,
                          timeout=120, cwd=tmp_path, check=False)
    err = proc.stderr.decode("utf-8", errors="replace")
    assert "Traceback" not in err
    assert "oväntat fel" not in err  # the last-resort handler is for bugs, not for input
    assert proc.returncode == case.code, err
    assert case.fragment in err
    assert len(err) < 3000  # a message, not a dump of the input
    assert proc.stdout == b""


def test_the_table_covers_every_bad_input_of_the_brief():
    ids = {c.id for c in CASES}
    assert {"f-cp1252", "f-binary", "f-alias-bomb", "f-5-mb-value", "p-n-draws-10-12", "unknown-args",
            "usage-party-not-in-parties", "usage-duplicate"} <= ids
