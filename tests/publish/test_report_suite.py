"""The whole report suite: reproducible, accessible, safe, and failure without loss (issue 7)."""

from __future__ import annotations

import hashlib
import os
import re
import signal
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import _raw_hashes

from gnsanalysis import paths
from gnsanalysis.errors import UnsafeContentError
from gnsanalysis.publish import build, runner
from gnsanalysis.publish.privacy import scan_html
from gnsanalysis.render import charts

pytestmark = pytest.mark.notebook


def _reports(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.html") if p.name != "index.html")


def test_every_default_report_built(built_reports):
    folder, _ = built_reports
    expected = {f"{runner.output_stem(n, runner.resolve_parameters(n, p))}.html" for n, p in build.default_runs()}
    assert {p.name for p in _reports(folder)} == expected


def test_raw_data_untouched_by_a_full_build(built_reports):
    _, before = built_reports
    assert _raw_hashes() == before


def test_same_inputs_give_byte_identical_html(built_reports, tmp_path):
    folder, _ = built_reports
    assert build.build_all(reports_dir=tmp_path) == 0
    for first in _reports(folder):
        second = tmp_path / first.name
        assert hashlib.sha256(first.read_bytes()).digest() == hashlib.sha256(second.read_bytes()).digest(), first.name


def test_verify_confirms_and_detects_tampering(built_reports, tmp_path):
    folder, _ = built_reports
    report = _reports(folder)[0]
    ok, message = build.verify_report(report)
    assert ok, message
    tampered = tmp_path / report.name
    tampered.write_text(report.read_text(encoding="utf-8").replace("Sammanfattning", "Samanfatning", 1),
                        encoding="utf-8")
    ok, message = build.verify_report(tampered)
    assert not ok and "ÄNDRAD" in message


def test_index_lists_each_report(built_reports):
    folder, _ = built_reports
    index = (folder / "index.html").read_text(encoding="utf-8")
    assert '<html lang="sv">' in index
    for report in _reports(folder):
        assert f'href="{report.name}"' in index
    assert "Utkast" in index


class _Structure(HTMLParser):
    def __init__(self):
        super().__init__()
        self.headings: list[int] = []
        self.imgs: list[dict] = []
        self.tables = 0
        self.tables_with_th = 0
        self._table_has_th: list[bool] = []
        self.lang = None
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag == "img":
            self.imgs.append(a)
        if tag == "table":
            self.tables += 1
            self._table_has_th.append(False)
        if tag == "th" and self._table_has_th:
            self._table_has_th[-1] = True
        if tag == "title":
            self._in_title = True

    def handle_endtag(self, tag):
        if tag == "table" and self._table_has_th:
            self.tables_with_th += self._table_has_th.pop()
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def test_accessibility_of_every_report(built_reports):
    folder, _ = built_reports
    for report in _reports(folder) + [folder / "index.html"]:
        s = _Structure()
        s.feed(report.read_text(encoding="utf-8"))
        name = report.name
        assert s.lang == "sv", name
        assert s.title.strip() and not s.title.strip().endswith(".ipynb"), name
        assert s.headings and s.headings[0] == 1 and s.headings.count(1) == 1, f"{name}: one h1 first"
        for prev, cur in zip(s.headings, s.headings[1:]):
            assert cur <= prev + 1, f"{name}: heading level jumps from h{prev} to h{cur}"
        assert s.tables == s.tables_with_th, f"{name}: every table needs header cells"
        assert 'class="anchor-link"' not in report.read_text(encoding="utf-8"), f"{name}: ¶ links are read aloud"
        for img in s.imgs:
            alt = (img.get("alt") or "").strip()
            assert len(alt) > 40, f"{name}: alt text must say what the figure shows: {alt!r}"
            assert "No description" not in alt and not re.search(r"\.(png|svg|jpe?g)\b", alt), name


def _luminance(hex_colour: str) -> float:
    rgb = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def _contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_colours_keep_contrast():
    # chart colours against white: WCAG 1.4.11 non-text contrast ≥ 3:1 (we require text level 4.5:1)
    for colour in (charts.BLUE, charts.GOOD, charts.BAD, charts.NEUTRAL):
        assert _contrast(colour, "#ffffff") >= 4.5, colour
    css = (paths.TEMPLATES_DIR / "gns" / "board.css").read_text(encoding="utf-8")
    for name in ("gns-ink", "gns-muted", "gns-accent", "gns-bad", "gns-good"):
        colour = re.search(rf"--{name}:\s*(#[0-9a-fA-F]{{6}})", css).group(1)
        assert _contrast(colour, "#ffffff") >= 4.5, name
    assert _contrast("#3d2d00", "#fff4ce") >= 4.5  # example-data banner text


def test_signed_bars_do_not_rely_on_colour_alone():
    # negative steps are hatched and every bar is labelled with a signed value
    import inspect

    src = inspect.getsource(charts.waterfall)
    assert 'hatch = (GOOD, "") if value >= 0 else (BAD, "xx")' in src
    assert "signed=True" in src


def test_no_personal_data_in_any_report(built_reports):
    folder, _ = built_reports
    for report in _reports(folder) + [folder / "index.html"]:
        assert scan_html(report.read_text(encoding="utf-8")) == [], report.name


def test_personal_data_stops_the_build(tmp_project):
    meta = tmp_project / "data" / "raw" / "gns-rr-2018-12.meta.yaml"
    original = meta.read_text(encoding="utf-8")
    text = original.replace("behandlat vid", "kontakt jessica.hadell@regionjh.se, tfn 063-14 76 76; behandlat vid")
    assert text != original
    meta.write_text(text, encoding="utf-8")
    previous = tmp_project / "reports" / "arsbokslut-2018.html"
    previous.write_text("tidigare", encoding="utf-8")
    with pytest.raises(UnsafeContentError, match=r"e-postadress 'jessica.hadell@regionjh.se' i avsnittet 'Om underlaget'"):
        runner.run_report("arsbokslut", {"period": "2018-12"})
    assert previous.read_text(encoding="utf-8") == "tidigare"


def test_markup_in_input_labels_is_escaped(tmp_project):
    raw = tmp_project / "data" / "raw" / "gns-rr-2018-12.txt"
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    raw.write_text(raw.read_text(encoding="utf-8").replace("Övrigt\t", f"{evil}\t"), encoding="utf-8")
    html = runner.run_report("arsbokslut", {"period": "2018-12"}).html_path.read_text(encoding="utf-8")
    assert "<script" not in html and "onerror=alert(1)>" not in html
    assert "&lt;script&gt;alert(" in html and "&lt;img src=x onerror=alert(1)&gt;" in html


def test_file_names_cannot_leave_the_data_folder():
    from gnsanalysis.errors import UnsafeContentError
    from gnsanalysis.inputs import safe_raw_path

    for bad in ("../../etc/passwd", "/etc/passwd", "../raw/../../pyproject.toml"):
        with pytest.raises(UnsafeContentError, match="pekar utanför"):
            safe_raw_path(bad)


def _gns(*args, env=None):
    return subprocess.Popen([sys.executable, "-m", "gnsanalysis.cli", *args], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _complete_report(path: Path) -> bool:
    text = path.read_text(encoding="utf-8")
    m = runner.HASH_RE.search(text)
    return text.rstrip().endswith("</html>") and bool(m) and runner.content_hash(text) == m.group(1)


def test_killed_build_leaves_previous_report(tmp_project):
    env = {**os.environ, "GNS_PROJECT_ROOT": str(tmp_project)}
    report = tmp_project / "reports" / "arsbokslut-2018.html"
    report.write_text("tidigare version", encoding="utf-8")
    proc = _gns("report", "arsbokslut", "-p", "period", "2018-12", env=env)
    time.sleep(1.5)  # the kernel is running the notebook
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    text = report.read_text(encoding="utf-8")
    assert text == "tidigare version" or _complete_report(report)
    # nothing half-written under a report's name (a killed writer can only leave hidden .tmp files)
    for html in (tmp_project / "reports").glob("*.html"):
        assert html == report or _complete_report(html)


def test_two_builds_at_once_do_not_corrupt_output(tmp_project):
    env = {**os.environ, "GNS_PROJECT_ROOT": str(tmp_project)}
    procs = [_gns("report", "arsbokslut", "-p", "period", "2018-12", env=env) for _ in range(2)]
    codes = [p.wait(timeout=300) for p in procs]
    assert codes == [0, 0], [p.stderr.read() for p in procs]
    assert _complete_report(tmp_project / "reports" / "arsbokslut-2018.html")


def test_build_status_parameter_reaches_reports_and_index(tmp_path):
    runs = [("arsbokslut", {"period": "2018-12"})]
    assert build.build_all(reports_dir=tmp_path, status="fastställd", runs=runs) == 0
    html = (tmp_path / "arsbokslut-2018.html").read_text(encoding="utf-8")
    assert "<dt>Status</dt><dd>Fastställd</dd>" in html
    assert "Fastställd" in (tmp_path / "index.html").read_text(encoding="utf-8")


def test_verify_checks_the_index_too(built_reports, tmp_path):
    folder, _ = built_reports
    ok, message = build.verify_report(folder / "index.html")
    assert ok, message
    copy = tmp_path / "index.html"
    copy.write_text((folder / "index.html").read_text(encoding="utf-8").replace("Utkast", "Fastställd"),
                    encoding="utf-8")
    ok, message = build.verify_report(copy)
    assert not ok and "AVVIKER" in message


HEAVY = ("pandas", "matplotlib", "numpy", "nbconvert", "nbformat", "papermill", "jupyter_client")


def test_unchanged_build_command_skips_all_and_imports_nothing_heavy(built_reports, tmp_path):
    """`gns build` with nothing changed: every report skipped, none of the report libraries loaded."""
    import shutil

    from conftest import make_project

    out, _ = built_reports
    root = make_project(tmp_path / "project")
    shutil.rmtree(root / "reports")
    shutil.copytree(out, root / "reports")
    env = {**os.environ, "GNS_PROJECT_ROOT": str(root), "PYTHONPROFILEIMPORTTIME": "1"}
    done = subprocess.run([sys.executable, "-m", "gnsanalysis.cli", "build"], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Alla rapporter är oförändrade" in done.stdout
    imported = {line.rsplit("|", 1)[1].strip() for line in done.stderr.splitlines()
                if line.startswith("import time:") and "|" in line}
    assert "gnsanalysis.publish.build" in imported  # the log is complete enough to tell
    assert not {m for m in imported if m.split(".")[0] in HEAVY}
