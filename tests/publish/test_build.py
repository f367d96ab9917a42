"""gns build: built from the data, incremental, narrow failures, crash-safe; gns verify writes nothing.

Every test works in a throw-away project (tmp_project: a copy of data/raw/, its own reports/).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from gnsanalysis.errors import ConfigError
from gnsanalysis.publish import build, lock, manifest, runner

pytestmark = pytest.mark.notebook

# A new period's export: the 2018 year-end table as if for 2019, with two rows changed
# consistently (Lokaler -28, Övrigt -1 479; the totals are unchanged, every difference and
# percentage recomputed: -28-0=-28, -28+30=2, 2/-30=-7 %; -1479+1455=-24, -1479+1648=169, -10 %).
OLD_ROWS = ("Lokaler,el,utrustning,rep\t-18\t0\t-18\t-30\t12\t-40\t0\t0\t0\n"
            "Övrigt\t-1 489\t-1 455\t-34\t-1 648\t159\t-10\t-1 455\t-1 455\t0\n")
NEW_ROWS = ("Lokaler,el,utrustning,rep\t-28\t0\t-28\t-30\t2\t-7\t0\t0\t0\n"
            "Övrigt\t-1 479\t-1 455\t-24\t-1 648\t169\t-10\t-1 455\t-1 455\t0\n")


def _new_period(raw: Path) -> Path:
    text = (raw / "gns-rr-2018-12.txt").read_text(encoding="utf-8")
    assert OLD_ROWS in text
    out = raw / "export-2019-12.txt"
    out.write_text(text.replace("Period 2018-12", "Period 2019-12", 1).replace(OLD_ROWS, NEW_ROWS), encoding="utf-8")
    return out


def _tree_hashes(folder: Path) -> dict:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_dropped_export_is_built_then_skipped_and_a_bad_file_stops_only_its_reports(tmp_project, capsys):
    from gnsanalysis.cli import main

    raw = tmp_project / "data" / "raw"
    reports = tmp_project / "reports"
    _new_period(raw)
    # a bad file: metadata contradicting the file's own period line
    bad = raw / "gammal.txt"
    bad.write_text((raw / "gns-rr-2018-12.txt").read_text(encoding="utf-8").replace("Period 2018-12", "Period 2016-12"),
                   encoding="utf-8")
    (raw / "gammal.meta.yaml").write_text('period: "2015-12"\n', encoding="utf-8")
    raw_before = _tree_hashes(raw)
    runs = [r for r in build.plan() if r.name == "arsbokslut"]
    assert {r.params["period"] for r in runs} == {"2015-12", "2016-12", "2018-12", "2019-12"}

    assert build.build_all(reports_dir=reports, runs=runs) == 1
    out, err = capsys.readouterr()
    assert "klar    arsbokslut period=2019-12 → arsbokslut-2019.html" in out
    assert "klar    arsbokslut period=2018-12 → arsbokslut-2018.html" in out
    assert "2 rapporter kunde inte byggas" in err and "Övriga rapporter är byggda" in err
    assert "gammal.txt anger Period 2016-12" in err
    html = (reports / "arsbokslut-2019.html").read_text(encoding="utf-8")
    assert re.search(r"1[\s\u00a0\u202f]479", html)
    assert "export-2019-12.txt" in html  # the footer's provenance lists the file read
    index = (reports / "index.html").read_text(encoding="utf-8")
    assert 'href="arsbokslut-2019.html"' in index and 'href="arsbokslut-2018.html"' in index
    assert "2015" not in re.sub(r"<style.*?</style>", "", index, flags=re.S)
    records = manifest.load(reports)
    assert set(records) == {"arsbokslut-2018.html", "arsbokslut-2019.html"}
    assert records["arsbokslut-2019.html"]["inputs"] == {
        "export-2019-12.txt": hashlib.sha256((raw / "export-2019-12.txt").read_bytes()).hexdigest()}

    # nothing changed: every built report is skipped; the bad ones are refused again, quickly
    assert build.build_all(reports_dir=reports, runs=runs) == 1
    out, _ = capsys.readouterr()
    assert out.count("oförändrad, hoppar över") == 2 and "klar" not in out

    # gns inputs shows the new file and what it feeds
    assert main(["inputs"]) == 1  # 1: gammal.txt has a problem
    out = capsys.readouterr().out
    assert "\nexport-2019-12.txt\n  typ: RR-tabell (resultaträkning) (ur filen)\n  period: 2019-12 (ur filen)" in out
    assert _tree_hashes(raw) == raw_before

    # an edited input rebuilds only the report that reads it; --force rebuilds all
    (raw / "gammal.txt").unlink()
    (raw / "gammal.meta.yaml").unlink()
    runs = [r for r in build.plan() if r.name == "arsbokslut"]
    (raw / "export-2019-12.meta.yaml").write_text("received: \"2020-01-31\"\n", encoding="utf-8")
    assert build.build_all(reports_dir=reports, runs=[r for r in build.plan() if r.name == "arsbokslut"]) == 0
    out, _ = capsys.readouterr()
    assert "oförändrad, hoppar över  arsbokslut period=2018-12" in out
    assert "klar    arsbokslut period=2019-12" in out
    assert "31 januari 2020" in (reports / "index.html").read_text(encoding="utf-8")


def test_verify_writes_nothing_and_does_not_call_a_forged_file_untouched(tmp_project):
    reports = tmp_project / "reports"
    assert build.build_all(reports_dir=reports, runs=[("arsbokslut", {"period": "2018-12"})]) == 0
    report = reports / "arsbokslut-2018.html"
    processed = tmp_project / "data" / "processed"
    before = (_tree_hashes(processed), _tree_hashes(reports))
    ok, message = build.verify_report(report)
    assert ok and "STÄMMER med en ombyggnad från nuvarande data och kod" in message, message
    assert "samma SHA-256 som byggmanifestet" in message
    assert (_tree_hashes(processed), _tree_hashes(reports)) == before

    # forged: a figure edited and the footer hash recomputed
    text = report.read_text(encoding="utf-8")
    forged_text, _ = runner.stamp_hash(text.replace("Sammanfattning", "Samanfattning", 1))
    report.write_text(forged_text, encoding="utf-8")
    ok, message = build.verify_report(report)
    assert not ok
    assert "AVVIKER. Innehållet stämmer inte med en ombyggnad" in message
    assert "inte den SHA-256 som byggmanifestet registrerade" in message
    assert "oförändrad" not in message and "orörd" not in message
    # and the index no longer lists a file whose hash differs from the manifest's record
    build.write_index(reports)
    assert 'href="arsbokslut-2018.html"' not in (reports / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("data", [b"\xff\xfe\x00garbage", b'<meta name="gns-report" content="{nope">'
                                  b'<span class="gns-content-hash">' + b"0" * 64 + b"</span>"])
def test_verify_on_malformed_files_is_a_message(tmp_path, data):
    path = tmp_path / "r.html"
    path.write_bytes(data)
    ok, message = build.verify_report(path)
    assert not ok and message.startswith("r.html: ")


def test_reports_being_a_file_is_exit_2(tmp_project, monkeypatch, capsys):
    from gnsanalysis import paths
    from gnsanalysis.cli import main

    blocker = tmp_project / "reports-fil"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setattr(paths, "REPORTS_DIR", blocker)
    assert main(["build"]) == 2
    assert main(["report", "dso-alternativ"]) == 2
    err = capsys.readouterr().err
    assert "reports-fil är en fil, inte en mapp" in err and "Traceback" not in err


def test_lock_is_taken_over_from_a_dead_owner(tmp_path):
    # a process that inherited the lock lives on, while the owner recorded in the file is gone
    holder = subprocess.Popen([sys.executable, "-c",
                               "import fcntl, os, sys, time\n"
                               f"fd = os.open({str(tmp_path / lock.LOCK_NAME)!r}, os.O_RDWR | os.O_CREAT)\n"
                               "fcntl.flock(fd, fcntl.LOCK_EX)\n"
                               "os.write(fd, b'999999999\\n')\n"
                               "print('held', flush=True)\n"
                               "time.sleep(60)\n"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        got = []

        def take():
            with lock.build_lock(tmp_path):
                got.append((tmp_path / lock.LOCK_NAME).read_text(encoding="ascii").strip())

        t = threading.Thread(target=take, daemon=True)
        t.start()
        t.join(timeout=20)
        assert got == [str(os.getpid())]
    finally:
        holder.kill()
        holder.wait()


def test_lock_waits_for_a_live_owner(tmp_path, capsys):
    with lock.build_lock(tmp_path):
        fd = os.open(tmp_path / lock.LOCK_NAME, os.O_RDWR)
        import fcntl

        with pytest.raises(BlockingIOError):
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        os.close(fd)


def _gns(args, env):
    # as from a terminal: SIGINT at its default (a background test runner may have it ignored)
    return subprocess.Popen([sys.executable, "-m", "gnsanalysis.cli", *args], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))


def _wait_for(proc, text: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if text in line:
            return
        if not line and proc.poll() is not None:
            raise AssertionError(f"gns ended before {text!r}: {proc.stderr.read()}")
    raise AssertionError(f"no {text!r} within {timeout} s")


def _wait_for_kernels(reports: Path, timeout: float = 120) -> None:
    """Until a worker has started executing a notebook (its temporary copy is in .build/)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if (reports / ".build").is_dir() and any((reports / ".build").iterdir()):
            time.sleep(1)
            return
        time.sleep(0.2)
    raise AssertionError("no notebook started within the time limit")


def _processes_of(root: Path) -> list[int]:
    """Our processes running for this project (found by the GNS_PROJECT_ROOT in their environment)."""
    mark = f"GNS_PROJECT_ROOT={root}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if mark in (entry / "environ").read_bytes().split(b"\0"):
                stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                if stat[0] != "Z":
                    found.append(int(entry.name))
        except OSError:
            continue
    return found


def test_sigkill_mid_build_then_the_next_build_completes(tmp_project):
    env = {**os.environ, "GNS_PROJECT_ROOT": str(tmp_project)}
    reports = tmp_project / "reports"
    proc = _gns(["build", "-j", "2"], env)
    _wait_for(proc, "startar")
    _wait_for_kernels(reports)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    deadline = time.monotonic() + 30
    while _processes_of(tmp_project) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert _processes_of(tmp_project) == []  # the workers and their kernels died with the build
    # the next build is not blocked and cleans the temporary files of the killed one
    assert build.build_all(reports_dir=reports, runs=[("dso-alternativ", {})]) == 0
    assert not (reports / ".build").exists()
    index = (reports / "index.html").read_text(encoding="utf-8")
    for name in re.findall(r'href="([^"]+\.html)"', index):
        assert (reports / name).is_file()


def test_ctrl_c_is_one_line_and_nothing_is_written_afterwards(tmp_project):
    env = {**os.environ, "GNS_PROJECT_ROOT": str(tmp_project)}
    reports = tmp_project / "reports"
    proc = _gns(["build", "-j", "2"], env)
    _wait_for(proc, "startar")
    _wait_for_kernels(reports)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert "Traceback" not in err
    assert err.strip().splitlines() == [
        "gns: Bygget avbröts (Ctrl-C); inga fler rapporter skrivs. Rapporter som redan var klara är "
        "kompletta, övriga är orörda. Kör gns build igen."]
    after = _tree_hashes(reports)
    time.sleep(4)
    assert _tree_hashes(reports) == after
    assert not (reports / ".build").exists()
    deadline = time.monotonic() + 30
    while _processes_of(tmp_project) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert _processes_of(tmp_project) == []


GNS_SCRIPT = Path(sys.executable).parent / "gns"


@pytest.mark.parametrize("launcher,module", [
    ("script", "gnsanalysis"),             # the package is in; gnsanalysis/cli/__init__.py starts
    ("script", "gnsanalysis.errors"),      # inside gnsanalysis/cli/__init__.py's imports
    ("module", "gnsanalysis.errors"),      # the same, as python -m gnsanalysis.cli
    ("script", "gnsanalysis.publish.build"),  # the build command is importing its modules
])
def test_ctrl_c_during_start_up_is_one_line_without_traceback(tmp_project, launcher, module):
    """SIGINT as soon as the import log (PYTHONPROFILEIMPORTTIME, on stderr) shows ``module``.

    Not covered: the interpreter's own first ~20 ms (io, site), before any gnsanalysis code
    runs; CPython itself reports a KeyboardInterrupt there.
    """
    env = {**os.environ, "GNS_PROJECT_ROOT": str(tmp_project), "PYTHONPROFILEIMPORTTIME": "1"}
    cmd = [str(GNS_SCRIPT)] if launcher == "script" else [sys.executable, "-m", "gnsanalysis.cli"]
    proc = subprocess.Popen([*cmd, "build", "-j", "1"], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    seen = []
    done = re.compile(r"\|\s+" + re.escape(module) + "$")
    for line in proc.stderr:
        seen.append(line)
        if done.search(line.rstrip()):
            break
    else:
        raise AssertionError(f"no {module!r} in the import log: {''.join(seen)[-2000:]}")
    proc.send_signal(signal.SIGINT)
    _, rest = proc.communicate(timeout=60)
    err = "".join(seen) + rest
    assert "Traceback" not in err
    said = [line for line in err.splitlines() if not line.startswith("import time:")]
    assert proc.returncode == 130, err[-2000:]
    from gnsanalysis.cli import INTERRUPTED

    assert said == [INTERRUPTED] or (len(said) == 1 and said[0].startswith("gns: Bygget avbröts")), said


def test_ctrl_c_handler_is_only_installed_for_the_command():
    """Importing gnsanalysis elsewhere (tests, notebooks, kernels) leaves Ctrl-C alone."""
    code = ("import signal, gnsanalysis, gnsanalysis.cli; "
            "print(signal.getsignal(signal.SIGINT) is signal.default_int_handler)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "True"


def test_manifest_records_what_a_report_was_built_from(tmp_project):
    # no kernel: the fingerprint changes with parameters, inputs and code
    a = manifest.fingerprint("arsbokslut", {"period": "2018-12"}, {"x.txt": "1"}, "c")
    assert a != manifest.fingerprint("arsbokslut", {"period": "2018-12", "status": "fastställd"}, {"x.txt": "1"}, "c")
    assert a != manifest.fingerprint("arsbokslut", {"period": "2018-12"}, {"x.txt": "2"}, "c")
    assert a != manifest.fingerprint("arsbokslut", {"period": "2018-12"}, {"x.txt": "1"}, "d")
    reports = tmp_project / "reports"
    (reports / manifest.MANIFEST_NAME).write_text("{not json", encoding="utf-8")
    assert manifest.load(reports) == {}
    (reports / manifest.MANIFEST_NAME).write_text(json.dumps({"version": 1, "reports": {
        "gone.html": {"html_sha256": "0" * 64}}}), encoding="utf-8")
    assert manifest.on_disk(reports, manifest.load(reports)) == {}
    with pytest.raises(ConfigError):
        lock.check_reports_dir(reports / manifest.MANIFEST_NAME / "x")


def test_a_forked_kernel_gives_the_same_report_as_a_plain_one(tmp_project):
    """The build's warm kernels (publish.kernels) are a fast path: same bytes as a plain kernel."""
    from gnsanalysis.publish import kernels

    plain = runner.run_report("dso-alternativ", {}, reports_dir=tmp_project / "plain")
    assert kernels.manager_class() is None
    kernels.start()
    try:
        assert kernels.manager_class() is not None
        forked = [runner.run_report("dso-alternativ", {}, reports_dir=tmp_project / f"forked{i}")
                  for i in range(2)]  # the second kernel is forked from the same zygote
        pid = kernels.zygote_pid()
        assert pid is not None
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        # a kernel for other paths than the zygote imported gnsanalysis.paths with is refused
        other = {**os.environ, "GNS_PROJECT_ROOT": str(tmp_project / "elsewhere")}
        with pytest.raises(ValueError, match="environment differs"):
            kernels.fork_kernel([sys.executable, "-m", "ipykernel_launcher"], other, str(tmp_project))
        os.kill(pid, signal.SIGKILL)  # a zygote that died: the next report gets a plain kernel
        while kernels.running():
            time.sleep(0.05)
        forked.append(runner.run_report("dso-alternativ", {}, reports_dir=tmp_project / "after"))
    finally:
        kernels.stop()
    assert kernels.manager_class() is None
    for result in forked:
        assert result.html_path.read_bytes() == plain.html_path.read_bytes()
    assert children == []  # each report's kernel ended with its report
