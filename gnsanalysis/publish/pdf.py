"""PDF for the diarium: every board report printed from its HTML by headless Chromium (Playwright).

Single reports are tagged A4 PDFs with ``/Lang sv``; the board pack ``namndpaket-<period>.pdf`` is the
index followed by every report, merged with pypdf (one bookmark per report; the pack is not tagged).
"""

from __future__ import annotations

import html as _html
import io
import shutil
from pathlib import Path

from gnsanalysis.errors import ConfigError
from gnsanalysis.io import atomic_write

AUTHOR = "Gemensam nämnd för samverkan (GNS)"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PRINT_CSS = """
@page { size: A4; }
thead { display: table-header-group; }
tfoot { display: table-footer-group; }
tr, img, svg, figure, .jp-OutputArea-output img { break-inside: avoid; page-break-inside: avoid; }
h1, h2, h3 { break-after: avoid; page-break-after: avoid; }
a { color: inherit; text-decoration: none; }
"""
_HEAD_STYLE = "font-family: sans-serif; font-size: 8pt; color: #333; width: 100%; padding: 0 16mm;"
MARGIN = {"top": "20mm", "bottom": "18mm", "left": "16mm", "right": "16mm"}


def chromium_path() -> str:
    """Debian's chromium, or a Swedish error saying how to install it."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    raise ConfigError("Chromium saknas, så inga PDF-filer kan skrivas. Åtgärd: installera Chromium "
                      "(som root: make browser, eller apt-get install chromium) och kör gns build --pdf igen.")


class Printer:
    """One headless Chromium for a whole build (``with Printer() as p: p.print(...)``)."""

    def __enter__(self):
        """Start headless chromium."""
        from playwright.sync_api import sync_playwright  # lazy: only when PDFs are written

        exe = chromium_path()
        self._pw = sync_playwright().start()
        try:
            self._browser = self._pw.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
        except Exception as exc:
            self._pw.stop()
            raise ConfigError(f"Chromium ({exe}) kunde inte startas för PDF-utskrift: {exc}".split("\n")[0]) from None
        return self

    def __exit__(self, *exc):
        """Close the browser."""
        self._browser.close()
        self._pw.stop()

    def print(self, html_path: Path, pdf_path: Path, *, title: str, status: str = "") -> Path:
        """Print one HTML file to an A4 PDF (written atomically)."""
        page = self._browser.new_page()
        try:
            page.goto(Path(html_path).resolve().as_uri(), wait_until="load")
            page.emulate_media(media="print")
            page.add_style_tag(content=PRINT_CSS)
            head = _html.escape(title) + (f" – {_html.escape(status.capitalize())}" if status else "")
            data = page.pdf(
                format="A4", print_background=True, margin=MARGIN, display_header_footer=True,
                header_template=f'<div style="{_HEAD_STYLE}">{head}</div>',
                footer_template=(f'<div style="{_HEAD_STYLE} text-align: right;">Sida '
                                 '<span class="pageNumber"></span> av <span class="totalPages"></span></div>'),
                tagged=True, outline=True)
        finally:
            page.close()
        from pypdf import PdfWriter  # lazy: only when PDFs are written

        metadata = {"/Title": title, "/Author": AUTHOR, "/Subject": f"Status: {status}" if status else title}
        atomic_write(Path(pdf_path), _swedish_bytes(PdfWriter(clone_from=io.BytesIO(data)), metadata))
        return Path(pdf_path)


def _swedish_bytes(writer, metadata: dict) -> bytes:
    """The PDF with ``metadata`` and ``/Lang sv``, as bytes."""
    from pypdf.generic import NameObject, TextStringObject  # lazy: only when PDFs are written

    writer.add_metadata(metadata)
    writer._root_object[NameObject("/Lang")] = TextStringObject("sv")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def board_pack(parts: list[tuple[Path, str]], out: Path, *, title: str) -> Path:
    """Merge ``[(pdf, bookmark title), …]`` (index first) into one PDF with a bookmark each."""
    from pypdf import PdfWriter  # lazy: only when PDFs are written

    writer = PdfWriter()
    for path, name in parts:
        writer.append(str(path), outline_item=name)
    atomic_write(Path(out), _swedish_bytes(writer, {"/Title": title, "/Author": AUTHOR}))
    return Path(out)


def write_pdfs(reports_dir: Path, records: dict) -> tuple[dict, Path | None]:
    """A PDF beside every board report (reprinted when its HTML changed) and the board pack.

    Returns the records with ``pdf`` and ``pdf_from`` (the HTML's SHA-256) and the pack's path.
    """
    reports_dir = Path(reports_dir)
    board = {name: rec for name, rec in sorted(records.items()) if rec.get("board", True)}
    if not board:
        return records, None
    periods = sorted(r.get("period") for r in board.values() if r.get("period"))
    stem = f"namndpaket-{periods[-1]}" if periods else "namndpaket"
    with Printer() as printer:
        for name, rec in board.items():
            pdf = reports_dir / (Path(name).stem + ".pdf")
            if rec.get("pdf_from") == rec.get("html_sha256") and pdf.is_file():
                print(f"  oförändrad, hoppar över  {pdf.name}", flush=True)
                continue
            printer.print(reports_dir / name, pdf, title=rec.get("title") or name, status=rec.get("status", ""))
            rec["pdf"], rec["pdf_from"] = pdf.name, rec.get("html_sha256")
            print(f"  PDF      {pdf.name}", flush=True)
        index_pdf = reports_dir / ".build" / "index.pdf"
        index_pdf.parent.mkdir(exist_ok=True)
        printer.print(reports_dir / "index.html", index_pdf, title="Rapporter – Gemensam nämnd för samverkan (GNS)")
    parts = [(index_pdf, "Förteckning över rapporterna")]
    parts += [(reports_dir / rec["pdf"], rec.get("title") or name) for name, rec in board.items()]
    pack = board_pack(parts, reports_dir / f"{stem}.pdf", title=f"Nämndpaket {periods[-1] if periods else ''} – {AUTHOR}".replace("  ", " "))
    index_pdf.unlink(missing_ok=True)
    return records, pack
