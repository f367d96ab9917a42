"""The interim report notebook executes through the runner for both default periods and for a
real export dropped into a (temporary) data/raw/ under a different name."""

from __future__ import annotations

import re
import shutil

import pytest
from conftest import FIXTURE_RAW

from gnsanalysis import paths
from gnsanalysis.publish import runner

pytestmark = pytest.mark.notebook


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("reports")
    return {p: runner.run_report("delarsrapport", {"period": p}, reports_dir=out) for p in ("2018-08", "2019-04")}


def _html(result) -> str:
    # prose keeps a number and its unit together with a no-break space; compare as plain text
    return result.html_path.read_text(encoding="utf-8").replace("\u00a0tkr", " tkr")


@pytest.mark.parametrize("period, sentence, rounding_row", [
    # 2019-04's printed result differs from the sum of its printed posts (a rounding row);
    # 2018-08's does not
    ("2018-08", "Ackumulerat utfall mot budget per augusti är −44 tkr", False),
    ("2019-04", "Ackumulerat utfall mot budget per april är −219 tkr", True),
])
def test_report_for_the_board(built, period, sentence, rounding_row):
    result = built[period]
    html = _html(result)
    assert result.html_path.name == f"delarsrapport-{period}.html"
    # the title comes from the report registry (interim.report_title once the registry names it)
    assert f"<title>{runner.report_title('delarsrapport', {'period': period})}</title>" in html
    assert sentence in html
    assert '<html lang="sv">' in html and "<script" not in html and not re.search(r"https?://", html)
    assert "period: str" not in html and not re.search(r'class="[^"]*(jp-CodeMirrorEditor|highlight)', html)
    assert 'class="gns-banner"' in html and "Exempeldata" in html  # built from example data
    assert len(re.findall(r"<img [^>]*src=\"data:image/png;base64,", html)) >= 3
    assert all(alt.strip() for alt in re.findall(r'<img [^>]*alt="([^"]*)"', html))
    for name in ("gns-rr-{p}.txt", "gns-rr-{p}-obj-6663.txt", "gns-rr-{p}-obj-gns.txt",
                 "gns-rr-{p}-obj-link2.txt", "gns-rr-2018-12.txt"):
        assert name.format(p=period) in html  # every input in the provenance footer
    for heading in ("Helårsprognos", "Avvikelse per post", "Avvikelse per objekt", "Jämfört med föregående år",
                    "Jämfört med föregående delårs- eller tertialrapport", "Metodernas antaganden",
                    "Kontroll av tabellerna"):
        assert heading in html
    text = re.sub(r"<[^>]+>", " ", html)
    for bad in ("Ekonomens", "avvikelse(r)", "summerar", "bör förklaras", "utöver avrundning", "halvt tusental",
                "&#x27;Ack"):
        assert bad not in text, bad
    assert "Lagd årsprognos" in html
    assert ("Avrundning" in html) is rounding_row


@pytest.mark.parametrize("period", ["2018-08", "2019-04"])
def test_heading_hierarchy_has_no_jumps(built, period):
    html = built[period].html_path.read_text(encoding="utf-8")
    levels = [int(h) for h in re.findall(r"<h([1-6])[\s>]", html)]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:])), levels
    assert re.search(r"<h3[^>]*>Avvikelse per objekt", html) and re.search(r"<h3[^>]*>Metodernas antaganden", html)


def test_summary_is_short(built):
    for period in ("2018-08", "2019-04"):
        html = built[period].html_path.read_text(encoding="utf-8")
        section = html[html.index(">Sammanfattning"):html.index(">Resultaträkning hittills i år")]
        assert 3 <= section.count("<p>") <= 5


def test_tertial_states_period_and_deadline(built):
    html = _html(built["2019-04"])
    assert "Tertialrapport per april 2019" in html
    assert "januari–april 2019 (4 av 12 månader)" in html
    assert "30 juni 2019" in html


def test_delar_states_period_deadline_and_flags_the_forecast(built):
    html = _html(built["2018-08"])
    assert "januari–augusti 2018 (8 av 12 månader)" in html and "31 oktober 2018" in html
    assert "Den lagda årsprognosen skiljer sig mer än 50 tkr från samtliga beräknade metoder" in html
    assert "Årsbokslutet 2018 finns nu i underlaget" in html  # hindsight check of the methods
    assert "reserverades ca 745 tkr till 2019" in html and "avvikelse = prognos − utfall" in html


def _project(tmp_path, monkeypatch, files, status=None):
    """A project root with its own data/raw; the notebooks are the real ones."""
    root = tmp_path / "project"
    raw = root / "data" / "raw"
    raw.mkdir(parents=True)
    for name in files:
        shutil.copy(FIXTURE_RAW / name, raw / name)
        meta = (FIXTURE_RAW / name.replace(".txt", ".meta.yaml")).read_text(encoding="utf-8")
        if status:
            meta = meta.replace("data_status: example", f"data_status: {status}")
        (raw / name.replace(".txt", ".meta.yaml")).write_text(meta, encoding="utf-8")
    text = (FIXTURE_RAW / "gns-rr-2019-04.txt").read_text(encoding="utf-8").replace("Period 2019-04", "Period 2019-08")
    (raw / "RR export GNS 2019-08 (ekonomisystemet).txt").write_text(text, encoding="utf-8")
    (raw / "aug2019.meta.yaml").write_text(
        'file: "RR export GNS 2019-08 (ekonomisystemet).txt"\nkind: rr\ndata_status: real\nperiod: "2019-08"\n'
        'unit: tkr\nsource_document: "Export from the accounting system"\n', encoding="utf-8")
    monkeypatch.setenv("GNS_PROJECT_ROOT", str(root))  # restored after the test (the runner sets it)
    monkeypatch.setattr(paths, "PROJECT_ROOT", root)
    monkeypatch.setattr(paths, "DATA_DIR", root / "data")  # the runner looks for the input before the kernel
    monkeypatch.setattr(paths, "RAW_DIR", raw)
    monkeypatch.setattr(paths, "PROCESSED_DIR", root / "data" / "processed")
    return root


def test_real_export_for_2019_08_without_code_changes(tmp_path, monkeypatch):
    _project(tmp_path, monkeypatch, ["gns-rr-2018-12.txt"])
    result = runner.run_report("delarsrapport", {"period": "2019-08"}, reports_dir=tmp_path / "reports")
    html = _html(result)
    assert result.html_path.name == "delarsrapport-2019-08.html"
    assert "Delårsrapport per augusti 2019" in html
    assert "Exempeldata" not in html and 'class="gns-banner"' not in html  # all inputs real: no banner
    assert "RR export GNS 2019-08 (ekonomisystemet).txt" in html
    assert "inga tabeller per objekt" in html
    assert "Det finns ingen tidigare delårs- eller tertialrapport för 2019" in html


def test_real_report_is_not_compared_with_the_example_tertial(tmp_path, monkeypatch):
    _project(tmp_path, monkeypatch, ["gns-rr-2018-12.txt", "gns-rr-2019-04.txt"])
    html = _html(runner.run_report("delarsrapport", {"period": "2019-08"}, reports_dir=tmp_path / "reports"))
    assert "Exempeldata" not in html and 'class="gns-banner"' not in html  # real report, real inputs only
    assert "Jämfört med tertialrapporten per april 2019" not in html
    assert "Det finns ingen tidigare delårs- eller tertialrapport för 2019 i underlaget att jämföra med som har" in html
    assert "Nämndens resultaträkning per april 2019 är exempeldata men nämndens tabell är verkliga data" in html  # the note
    assert "gns-rr-2019-04.txt (exempeldata)" not in html  # not an input in the footer


def test_no_banner_when_the_same_tables_are_marked_real(tmp_path, monkeypatch):
    _project(tmp_path, monkeypatch, ["gns-rr-2018-12.txt", "gns-rr-2019-04.txt", "gns-rr-2019-04-obj-6663.txt",
                                     "gns-rr-2019-04-obj-gns.txt", "gns-rr-2019-04-obj-link2.txt"], status="real")
    html = _html(runner.run_report("delarsrapport", {"period": "2019-04"}, reports_dir=tmp_path / "reports"))
    assert "Exempeldata" not in html and 'class="gns-banner"' not in html
    assert "Avvikelsen mot budget hittills fördelar sig på Serverdrift Åre (obj. 6663) +23 tkr" in html
