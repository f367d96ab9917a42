"""Every report opened in a real browser (Debian's chromium, driven by Playwright).

Fails on console errors, images that do not load, and content wider than an A4 page when
printed; saves a full-page screenshot of each report under reports/screenshots/ for review.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from gnsanalysis import paths

pytestmark = pytest.mark.notebook

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# A4 is 210 mm wide; the stylesheet's @page margins are 16 mm each side: 178 mm at 96 dpi.
A4_CONTENT_PX = round(178 / 25.4 * 96)


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("chromium is missing on CI: `make test` should have installed Debian's chromium")
        pytest.skip("chromium is not installed (make test installs it when run as root)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def test_reports_render_cleanly_in_chromium(built_reports, browser):
    folder, _ = built_reports
    shots = paths.REPORTS_DIR / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    pages = sorted(folder.glob("*.html"))
    assert pages
    problems = []
    for report in pages:
        page = browser.new_page(viewport={"width": 1000, "height": 1400})
        errors: list[str] = []
        page.on("console", lambda m, e=errors: e.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda exc, e=errors: e.append(str(exc)))
        page.on("requestfailed", lambda r, e=errors: e.append(f"request failed: {r.url}"))
        page.goto(report.as_uri(), wait_until="load")
        broken = page.evaluate(
            "Array.from(document.images).filter(i => !i.complete || i.naturalWidth === 0).length")
        page.screenshot(path=str(shots / f"{report.stem}.png"), full_page=True)
        page.emulate_media(media="print")
        page.set_viewport_size({"width": A4_CONTENT_PX, "height": 1100})
        width = page.evaluate("document.documentElement.scrollWidth")
        page.close()
        if errors:
            problems.append(f"{report.name}: console errors {errors}")
        if broken:
            problems.append(f"{report.name}: {broken} image(s) did not load")
        if width > A4_CONTENT_PX + 1:
            problems.append(f"{report.name}: printed content is {width}px wide, A4 allows {A4_CONTENT_PX}px")
    assert not problems, "\n".join(problems)
