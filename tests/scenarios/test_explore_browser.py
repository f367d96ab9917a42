"""`gns explore` in a real browser: Debian's chromium driven by Playwright.

Starts the app on a free loopback port in a throw-away project (its folder name has a space),
types a Swedish decimal, toggles a party, changes the key, checks the page against the model,
saves a named scenario, replays the shown command and checks that the board report's
per-party figures equal the page's. The server is stopped by its process id.
"""

from __future__ import annotations

import hashlib
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from gnsanalysis import paths

pytestmark = pytest.mark.notebook

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# Voilà's lab template links Font Awesome from a CDN; the machine is offline, the icons are unused
KNOWN_OFFLINE = ("cdn.jsdelivr.net/npm/@fortawesome",)


@pytest.fixture
def project(tmp_path):
    root = tmp_path / "mitt projekt"
    (root / "data").mkdir(parents=True)
    shutil.copytree(paths.RAW_DIR, root / "data" / "raw")
    (root / "data" / "processed").mkdir()
    (root / "reports").mkdir()
    (root / "notebooks").symlink_to(paths.NOTEBOOKS_DIR)
    (root / ".venv").symlink_to(Path(sys.executable).parents[1])  # the project's environment, as make sets it up
    return root


@pytest.fixture
def chromium():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("chromium is missing on CI: `make test` should have installed Debian's chromium")
        pytest.skip("chromium is not installed (make browser installs it when run as root)")
    pytest.importorskip("voila")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def server(project):
    from gnsanalysis.cli.explore import free_port

    port = free_port()
    env = dict(os.environ, GNS_PROJECT_ROOT=str(project))
    env.pop("GNS_EXPLORE_DIR", None)
    proc = subprocess.Popen([sys.executable, "-m", "gnsanalysis.cli", "explore", "--port", str(port)],
                            cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        first = proc.stdout.readline()
        url = f"http://127.0.0.1:{port}/"
        assert url in first, first
        deadline = time.monotonic() + 90
        while True:
            try:
                urllib.request.urlopen(url, timeout=60).close()
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise AssertionError(f"gns explore did not answer on {url}") from None
                time.sleep(0.5)
        yield url, proc
    finally:
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGTERM)  # the server itself: gns explore execs Voilà
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.kill(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
        proc.stdout.close()


def _num(text: str) -> float:
    return float(re.sub(r"[\s\u00a0\u202f]", "", text).replace("−", "-").replace("+", "").replace(",", "."))


def _page_parties(page) -> dict[str, float]:
    rows = page.locator(".gns-explore-parties tr[data-party]")
    return {rows.nth(i).get_attribute("data-party"): _num(rows.nth(i).locator(".gns-party-total").inner_text())
            for i in range(rows.count())}


def _report_parties(html: str, key_label: str) -> dict[str, float]:
    from tests.scenarios.test_explore_state import _Cells

    start = html.index("nuvärde per part över fem år")
    table = html[html.rfind("<table", 0, start):html.index("</table>", start)]
    cells = _Cells()
    cells.feed(table)
    header = cells.rows[0]
    col = header.index(f"Summa, {key_label}")
    return {r[0]: _num(r[col]) for r in cells.rows[1:] if len(r) == len(header) and r[0] != "Summa"}


def test_explore_in_chromium_replays_into_the_same_report(project, chromium, server):
    from gnsanalysis.scenarios import app
    from gnsanalysis.scenarios import state as st
    from gnsanalysis.scenarios.assumptions import load_assumptions
    from gnsanalysis.scenarios.explore import party_rows
    from gnsanalysis.scenarios.feasibility import default_coalition

    url, proc = server
    page = chromium.new_page(viewport={"width": 1200, "height": 1400})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("requestfailed", lambda r: None if any(k in r.url for k in KNOWN_OFFLINE)
            else errors.append(f"request failed: {r.url}"))
    page.goto(url, wait_until="load")
    page.wait_for_selector(".gns-explore-parties", timeout=120_000)
    assert page.title() == "Utforska scenarier för IT-serverdrift"  # the tab, not the file name
    assert page.locator("pre, .jp-InputArea-editor, .jp-CodeMirrorEditor").count() == 0  # no code shown
    before = page.locator(".gns-numbers").inner_text()

    # a Swedish decimal comma in the electricity price
    field = page.locator(".gns-field-electricity_price input")
    field.fill("1,5")
    field.press("Enter")
    page.wait_for_function("() => document.querySelector('.gns-field-electricity_price input').value === '1,50'",
                           timeout=60_000)
    page.wait_for_function(f"() => document.querySelector('.gns-numbers').innerText !== {before!r}",
                           timeout=60_000)
    # an out-of-range value: a visible message naming the range, the figures unchanged
    numbers_15 = page.locator(".gns-numbers").inner_text()
    field.fill("7")
    field.press("Enter")
    page.get_by_text("utanför det tillåtna intervallet 0,60–1,50").wait_for(timeout=60_000)
    assert page.locator(".gns-numbers").inner_text() == numbers_15
    assert page.locator("button.gns-save").is_disabled()  # a value on screen that is not used cannot be saved
    field.fill("1,5")
    field.press("Enter")
    page.wait_for_function("() => !document.querySelector('button.gns-save').disabled", timeout=60_000)

    # toggle a party and change the key
    page.get_by_label("Åre kommun").check()
    page.locator("tr[data-party='Åre']").wait_for(timeout=60_000)
    page.locator(".gns-key select").select_option(label="lika delar")
    page.locator(".gns-explore-parties caption", has_text="nyckel lika delar").wait_for(timeout=60_000)

    a = load_assumptions()
    coalition = [p.name for p in default_coalition(a)] + ["Åre kommun"]
    state = st.check_selection(st.selection_state({"electricity_price": 1.5}, coalition, "equal"))
    view = app.compute(state, "S1", uncertainty=False)
    expected = {s: t for s, t, _ in party_rows(view.result, "S1", "equal")}
    shown = _page_parties(page)
    assert shown == expected
    s0 = view.result["compare"].set_index("scenario").loc["S0", "npv"]
    npv_cell = page.locator(".gns-explore-scenarios tr[data-scenario='S0'] .gns-npv").inner_text()
    assert npv_cell.replace("\u00a0", " ") == app.mnkr(s0).replace("\u00a0", " ")
    # the four live charts are drawn by the browser, and the per-party chart shows the page's parties
    page.wait_for_function("() => { const imgs = [...document.querySelectorAll('.gns-charts img')];"
                           " return imgs.length === 4 && imgs.every(i => i.complete && i.naturalWidth > 0); }",
                           timeout=60_000)
    party_alt = page.locator(".gns-charts img[alt*='nuvärde per part']").get_attribute("alt")
    assert all(f"{party}: " in party_alt for party in shown)
    page.set_viewport_size({"width": 1200, "height": 6000})  # Voilà scrolls inside the page: show it all
    page.screenshot(path=str(project / "reports" / "explore.png"), full_page=True)
    page.set_viewport_size({"width": 1200, "height": 1400})

    # save as a named scenario, then replay the command shown
    page.locator(".gns-save-name input").fill("Dyr el med Åre")
    page.locator("button.gns-save").click()
    command = page.locator(".gns-replay").inner_text(timeout=60_000)
    assert command == ".venv/bin/gns report it-serverdrift -f parametrar/dyr-el-med-are.yaml"
    assert (project / "parametrar" / "dyr-el-med-are.yaml").is_file()
    argv = shlex.split(command)  # run exactly as shown, from the project folder
    env = dict(os.environ, GNS_PROJECT_ROOT=str(project))
    replay = subprocess.run(argv, cwd=project, env=env,
                            capture_output=True, text=True, timeout=900, check=False)
    assert replay.returncode == 0, replay.stderr
    assert "Skrev " in replay.stdout and replay.stdout.strip().endswith("reports/it-serverdrift-dyr-el-med-are.html")
    report = (project / "reports" / "it-serverdrift-dyr-el-med-are.html").read_text(encoding="utf-8")
    assert _report_parties(report, "lika delar") == shown
    assert "dyr-el-med-are.yaml" in report  # the footer names the parameter file
    digest = hashlib.sha256((project / "parametrar" / "dyr-el-med-are.yaml").read_bytes()).hexdigest()
    assert digest in report  # and its SHA-256
    assert "Fördelningsnyckel: lika delar" in report  # the key by the name the page's menu shows
    assert not errors, errors
    assert proc.poll() is None
