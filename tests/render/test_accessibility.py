"""WCAG 2.1 A/AA checked by axe-core in a real browser on every built board report and on the
explorer page served by ``gns explore``.

axe-core comes from the npm registry through the project's own ``package.json`` (``make test``
runs ``npm ci``); chromium is Debian's (``make browser``). Outside CI a missing tool skips the
test; on CI it fails, so a green CI run has really checked accessibility.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

# the explorer's server (a throw-away project, stopped by its process id) is the browser test's
from tests.scenarios.test_explore_browser import project, server  # noqa: F401

pytestmark = pytest.mark.notebook

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _missing(what: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{what} is missing on CI: `make test` should have installed it")
    pytest.skip(f"{what} is not installed (make test installs it)")


@pytest.fixture(scope="module")
def axe_page():
    if not Path(CHROMIUM).exists():
        _missing("chromium")
    if not AXE.exists():
        _missing("axe-core (npm ci)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def axe_violations(page) -> list[dict]:
    """Run axe-core on the open page; the WCAG 2.1 A/AA violations, each with its nodes."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_TAGS)
    return result["violations"]


def describe(violations: list[dict]) -> str:
    """One line per violation: rule, impact, help text and the first offending elements."""
    return "\n".join(
        f"{v['id']} ({v.get('impact')}): {v['help']} — "
        + json.dumps([n["target"] for n in v["nodes"][:3]], ensure_ascii=False)
        for v in violations)


def test_every_report_passes_axe_wcag21_aa(built_reports, axe_page):
    folder, _ = built_reports
    pages = sorted(folder.glob("*.html"))
    assert pages
    problems = []
    for report in pages:
        page = axe_page.new_page()
        page.goto(report.as_uri(), wait_until="load")
        violations = axe_violations(page)
        page.close()
        if violations:
            problems.append(f"{report.name}:\n{describe(violations)}")
    assert not problems, "\n\n".join(problems)


def test_axe_finds_a_planted_violation(axe_page, tmp_path):
    """The check can fail: an image without alt text and unlabeled input are reported."""
    page_file = tmp_path / "bad.html"
    page_file.write_text('<!doctype html><html lang="sv"><head><title>t</title></head><body><main>'
                         '<img src="data:image/png;base64,iVBORw0KGgo="><input type="text"></main></body></html>',
                         encoding="utf-8")
    page = axe_page.new_page()
    page.goto(page_file.as_uri())
    ids = {v["id"] for v in axe_violations(page)}
    page.close()
    assert {"image-alt", "label"} <= ids


def test_explorer_page_passes_axe_wcag21_aa(axe_page, server):  # noqa: F811 - fixture
    """The page ``gns explore`` serves, once its controls, figures and charts are shown."""
    url, proc = server
    page = axe_page.new_page(viewport={"width": 1200, "height": 1400})
    page.goto(url, wait_until="load")
    page.wait_for_selector(".gns-charts img", timeout=120_000)
    violations = axe_violations(page)
    unnamed = page.evaluate(UNNAMED_FIELDS)
    page.close()
    assert proc.poll() is None
    assert not violations, describe(violations)
    assert not unnamed, f"fields without a label of their own: {unnamed}"


# axe accepts a placeholder as a field's name, and ipywidgets gives every Text field a
# zero-width-space placeholder: so each explorer field must also have a label with text
UNNAMED_FIELDS = """() => [...document.querySelectorAll('.gns-explore input:not([type=hidden]), .gns-explore select')]
  .filter(el => ![...(el.labels || [])].some(l => l.textContent.replace(/[\\s\u200b]/g, '') !== '')
                && !(el.getAttribute('aria-label') || '').trim())
  .map(el => el.closest('.jupyter-widgets') ? el.closest('.jupyter-widgets').className : el.outerHTML)"""
