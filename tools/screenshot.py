"""Developer tool: screenshot a report in pages (1000×1400 px each) with Debian's chromium.

Usage: .venv/bin/python tools/screenshot.py reports/X.html OUTPREFIX
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

if __name__ == "__main__":
    src, prefix = Path(sys.argv[1]).resolve(), sys.argv[2]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": 1000, "height": 1400})
        page.goto(src.as_uri(), wait_until="load")
        height = page.evaluate("document.documentElement.scrollHeight")
        for i, top in enumerate(range(0, height, 1400)):
            page.screenshot(path=f"{prefix}-{i}.png", clip={"x": 0, "y": top, "width": 1000,
                                                            "height": min(1400, height - top)}, full_page=True)
            print(f"{prefix}-{i}.png")
        browser.close()
