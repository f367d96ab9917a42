"""Escaping by type: fragments are Markup, text from inputs is always escaped."""

import pandas as pd
import pytest
from markupsafe import Markup

from gnsanalysis.render import html

EVIL = '<script>alert("x")</script>'
ESCAPED = "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;"


def test_join_escapes_a_plain_string():
    out = html.join(html.heading("Rubrik"), EVIL)
    assert isinstance(out, html.Fragment) and isinstance(out, Markup)
    assert out == "<h2>Rubrik</h2>" + ESCAPED
    assert "<script>" not in out


def test_concatenation_and_formatting_escape_text():
    frag = html.heading("Rubrik")
    assert "<script>" not in frag + EVIL
    assert "<script>" not in html.Fragment("<p>{}</p>").format(EVIL)
    assert isinstance(frag + EVIL, html.Fragment)
    # a fragment stays markup when joined or added
    assert html.join(frag, html.paragraphs(["a"])) == "<h2>Rubrik</h2><p>a</p>"


@pytest.mark.parametrize("build", [
    lambda: html.heading(EVIL),
    lambda: html.paragraphs([EVIL]),
    lambda: html.bullet_list([EVIL]),
    lambda: html.flag_list(EVIL, [EVIL]),
    lambda: html.note(EVIL, flag=True),
    lambda: html.example_banner(True, EVIL),
    lambda: html.report_front(EVIL, status=EVIL, diarienummer=EVIL, extra={EVIL: EVIL}),
    lambda: html.figure(b"png", alt=EVIL, caption=EVIL),
    lambda: html.footer({"titel": EVIL}, [("a<b>.txt", EVIL, EVIL, EVIL)], [EVIL]),
    lambda: html.table(pd.DataFrame({EVIL: [EVIL], "Belopp": [1.5]}), caption=EVIL,
                       formats=html.number_formats(["Belopp"]), row_classes=['x" onload="y']),
])
def test_markup_from_input_labels_is_escaped(build):
    out = build()
    assert isinstance(out, html.Fragment)
    assert "<script>" not in out
    assert ESCAPED in out or "&lt;script&gt;" in out
    assert 'onload="y' not in out


def test_table_structure_and_numbers():
    out = html.table(pd.DataFrame({"Post": ["Intäkter"], "Utfall": [-1099.0]}), caption="T",
                     formats=html.number_formats(["Utfall"]))
    assert out == ('<table class="gns-table"><caption>T</caption><thead><tr>'
                   '<th scope="col" class="text">Post</th><th scope="col" class="num">Utfall</th>'
                   '</tr></thead><tbody><tr><th scope="row">Intäkter</th>'
                   '<td class="num">\u22121\u00a0099</td></tr></tbody></table>')


def test_prose_keeps_number_and_unit_together():
    assert html.paragraphs(["3 tkr och 4 % <b>"]) == "<p>3\u00a0tkr och 4\u00a0% &lt;b&gt;</p>"


def test_fragment_displays_as_html():
    assert html.heading("a")._repr_html_() == "<h2>a</h2>"
    assert html.join() == ""


@pytest.mark.parametrize("source,shown", [
    ("Årsbokslut 2018 (GNS/1/2019), avsnittet Ekonomi; behandlat vid nämndens sammanträde 2019-02-08.",
     "Årsbokslut 2018 (GNS/1/2019), avsnittet Ekonomi; behandlat vid nämndens sammanträde 2019-02-08."),
    ("Stämmer med Delårsrapport per augusti 2018 (shared/seeds/000_1ec402d1005ee3d2.txt) och med tabellen i "
     "Årsbokslut 2018 (gns-rr-2018-12.txt).",
     "Stämmer med Delårsrapport per augusti 2018 och med tabellen i Årsbokslut 2018."),
    ("Tertialrapport per april 2019 (GNS/6/2019, nämndens möte 2019-06-03 §16, shared/seeds/004_0361.txt) anger "
     "bara siffror i text.", "Tertialrapport per april 2019 (GNS/6/2019, nämndens möte 2019-06-03 §16) anger bara "
     "siffror i text."),
    ("Protokoll (seeds/p.pdf; 2019-02-08)", "Protokoll (2019-02-08)"),
    ("Exempeltabell, ett objekt; se gns-rr-2018-08.meta.yaml för hur tabellerna byggdes. Summan stämmer.",
     "Exempeltabell, ett objekt. Summan stämmer."),
    ("Verksamhetsplan 2019,\n  avsnitt 5.1 Basfinansiering", "Verksamhetsplan 2019, avsnitt 5.1 Basfinansiering"),
])
def test_sources_are_documents_never_file_names(source, shown):
    assert html.document_source(source) == shown


def test_footer_lists_the_file_with_its_hash_and_the_source_without_paths():
    item = ("gns-rr-2018-08.txt", "ab" * 32, "exempeldata",
            "Delårsrapport per augusti 2018 (shared/seeds/000_1ec402d1005ee3d2.txt).")
    text = str(html.footer({}, [item]))
    assert "gns-rr-2018-08.txt (exempeldata)" in text and "SHA-256 " + "ab" * 32 in text
    assert "Delårsrapport per augusti 2018." in text and "shared/seeds" not in text
