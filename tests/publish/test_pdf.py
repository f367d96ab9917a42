"""PDF for the diarium: every board report as A4, tagged PDF, and the board pack; read back with pypdf."""

from __future__ import annotations

import os
import re
import shutil

import pytest

from gnsanalysis.publish import build, manifest

pytestmark = pytest.mark.notebook

A4 = (595.3, 841.9)  # points


@pytest.fixture(scope="module")
def pdf_folder(built_reports, tmp_path_factory):
    if not shutil.which("chromium"):
        if os.environ.get("CI"):
            pytest.fail("chromium is missing on CI: `make test` should have installed Debian's chromium")
        pytest.skip("chromium is not installed (make test installs it when run as root)")
    folder, _ = built_reports
    out = tmp_path_factory.mktemp("pdf") / "reports"
    shutil.copytree(folder, out)
    # the reports are unchanged, so the build only prints
    assert build.build_all(reports_dir=out, pdf=True) == 0
    return out


def _text(reader) -> str:
    return re.sub(r"[\s\u00a0\u202f]+", " ", " ".join(p.extract_text() or "" for p in reader.pages))


def test_every_board_report_is_a_tagged_a4_pdf(pdf_folder):
    from pypdf import PdfReader

    records = {n: r for n, r in manifest.load(pdf_folder).items() if r.get("board", True)}
    assert records
    for name, rec in records.items():
        reader = PdfReader(pdf_folder / rec["pdf"])
        root = reader.trailer["/Root"]
        assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"], name  # tagged
        assert root["/Lang"] == "sv"
        assert reader.metadata["/Title"] == rec["title"]
        assert reader.metadata["/Author"] == "Gemensam nämnd för samverkan (GNS)"
        assert reader.outline, f"{name}: no outline from the headings"
        for page in reader.pages:
            box = page.mediabox
            assert abs(float(box.width) - A4[0]) < 1 and abs(float(box.height) - A4[1]) < 1
        n = len(reader.pages)
        text = _text(reader)
        assert f"Sida 1 av {n}" in text and f"Sida {n} av {n}" in text
        assert f"{rec['title']} – {rec['status'].capitalize()}" in text  # the header on each page


def test_key_figures_are_in_the_year_end_pdf(pdf_folder):
    from pypdf import PdfReader

    text = _text(PdfReader(pdf_folder / "arsbokslut-2018.pdf"))
    for figure in ("2 929", "1 760", "1 156", "3 018", "10 598"):
        assert figure in text, figure


def test_board_pack_is_the_index_then_every_report(pdf_folder):
    from pypdf import PdfReader

    records = {n: r for n, r in manifest.load(pdf_folder).items() if r.get("board", True)}
    packs = list(pdf_folder.glob("namndpaket-*.pdf"))
    assert [p.name for p in packs] == ["namndpaket-2019-04.pdf"]
    pack = PdfReader(packs[0])
    pages = [len(PdfReader(pdf_folder / r["pdf"]).pages) for r in records.values()]
    assert len(pack.pages) == 1 + sum(pages)
    assert "Rapporter för Gemensam nämnd för samverkan" in _text(PdfReader(packs[0], strict=False)).split("Sida 1 av 1")[0]
    assert [o.title for o in pack.outline if not isinstance(o, list)][0] == "Förteckning över rapporterna"
    assert pack.metadata["/Author"] == "Gemensam nämnd för samverkan (GNS)"


def test_unchanged_pdfs_are_not_printed_again(pdf_folder, capsys):
    assert build.build_all(reports_dir=pdf_folder, pdf=True) == 0
    out = capsys.readouterr().out
    assert "oförändrad, hoppar över  arsbokslut-2018.pdf" in out and "PDF      " not in out
