"""The personal-data scan: Swedish phone and personnummer forms, and the places text enters a report."""

from __future__ import annotations

import html as _html

import pytest

from gnsanalysis.errors import ParameterError, UnsafeContentError
from gnsanalysis.publish import runner
from gnsanalysis.publish.params import check_text
from gnsanalysis.publish.privacy import (
    assert_no_personal_data,
    find_personal_data,
    scan_html,
)

# (text as written, kind the scan must report)
PERSONAL = [
    ("063-14 30 00", "telefonnummer"),
    ("063 14 30 00", "telefonnummer"),
    ("0701234567", "telefonnummer"),
    ("070 123 45 67", "telefonnummer"),
    ("070-123 45 67", "telefonnummer"),
    ("(063) 14 30 00", "telefonnummer"),
    ("+46 (0)63 14 30 00", "telefonnummer"),
    ("+46 70 123 45 67", "telefonnummer"),
    ("+46701234567", "telefonnummer"),
    ("0046 70 123 45 67", "telefonnummer"),
    ("08-123 456 78", "telefonnummer"),
    ("063–14 30 00", "telefonnummer"),  # en dash
    ("063\u00a014\u00a030\u00a000", "telefonnummer"),  # no-break spaces
    ("19121212 1212", "personnummer"),
    ("19121212-1212", "personnummer"),
    ("121212-1212", "personnummer"),
    ("121212+1212", "personnummer"),  # 100 years or older
    ("121212 1212", "personnummer"),
    ("191212121212", "personnummer"),
    ("1212121212", "personnummer"),
    ("121272-1219", "personnummer"),  # samordningsnummer (day + 60)
    ("anna.svensson@regionjh.se", "e-postadress"),
    ("a.b+gns@kommun.example.se", "e-postadress"),
]

# The reports' own figures and identifiers: never personal data.
NOT_PERSONAL = [
    "1 352 000", "1\u00a0352\u00a0000", "−44 tkr", "+13 tkr", "−1 489", "914,4 tkr", "101 600 kr",
    "2 929 1 760 1 169 1 988",  # a table row read as one text
    "140 039–140 040 kr", "12 034 056 078",  # later digit groups of amounts start with 0
    "2018-12-31", "per 2019-04-30", "2018-08", "t.o.m. 2018-12",
    "GNS/11/2018", "GNS/3/2019", "RR-kod 11-80", "Lines 314-332",
    "2016, 2017, 2018", "2016 2017 2018", "2014–2018",
    "20190208",  # the IT report's seed
    "a3f0701234567bcd0123456789abcdef0123456789abcdef0123456789abcdef",  # SHA-256
    "0123456789abcdef" * 4,
    "1212121213",  # Luhn check fails
    "232100-0180", "212000-2510",  # organisationsnummer (month 20+)
    "0 kr", "0,5 %", "0 0 0 0", "08:30", "100 %",
]


@pytest.mark.parametrize(("text", "kind"), PERSONAL)
def test_personal_data_forms_are_found(text, kind):
    assert find_personal_data(text) == [(kind, text)]
    # inside a sentence, with punctuation after it
    assert find_personal_data(f"Kontakt: Anna Svensson, {text}.") == [(kind, text)]


@pytest.mark.parametrize("text", NOT_PERSONAL)
def test_report_figures_are_not_personal_data(text):
    assert find_personal_data(text) == []
    assert find_personal_data(f"Utfallet blev {text} enligt underlaget.") == []


def test_a_number_followed_by_a_year_is_still_found():
    assert find_personal_data("tfn 063-14 30 00 2019") == [("telefonnummer", "063-14 30 00")]
    assert find_personal_data("(0701234567)") == [("telefonnummer", "0701234567")]


@pytest.mark.parametrize("wrap", [
    "<p>{}</p>", "<table><tr><td>Övrigt {}</td><td>-1 489</td></tr></table>",
    "<dl><dt>Handläggare</dt><dd>Anna Svensson, {}</dd></dl>", '<img alt="Kontakt {}" src="x.png">',
])
@pytest.mark.parametrize(("text", "kind"), PERSONAL)
def test_scan_html_finds_each_form_in_each_kind_of_element(wrap, text, kind):
    page = "<h2>Resultat</h2>" + wrap.format(_html.escape(text))
    hits = scan_html(page)
    assert [(h.kind, h.text, h.section) for h in hits] == [(kind, text, "Resultat")]


def test_scan_ignores_styles_and_scripts():
    assert scan_html("<style>.a{}/* 063-14 30 00 */</style><script>x='0701234567'</script><p>ok</p>") == []


def test_assert_lists_findings_and_keeps_all_of_them():
    page = "<h2>Om underlaget</h2><p>" + "; ".join(t for t, _ in PERSONAL) + "</p>"
    with pytest.raises(UnsafeContentError, match=r"telefonnummer '063-14 30 00' i avsnittet 'Om underlaget'") as info:
        assert_no_personal_data(page, "test")
    assert [h.text for h in info.value.hits] == [t for t, _ in PERSONAL]
    assert "och 18 till" in str(info.value)


def test_scan_is_linear_on_hostile_text():
    import time

    start = time.perf_counter()
    for text in ["0" + "-1" * 50_000 + "x", "a." * 100_000 + "@", "19121212 " * 50_000, "1" * 500_000]:
        find_personal_data(text)
    # generous: the quadratic e-mail pattern took about a minute on the first of these
    assert time.perf_counter() - start < 20


# ------------------------------------------------------------------ parameters: refused before a kernel

@pytest.mark.parametrize(("text", "kind"), PERSONAL)
def test_parameter_with_personal_data_is_refused_before_the_kernel(text, kind):
    with pytest.raises(ParameterError, match=f"Parametern 'handlaggare' innehåller personuppgifter \\({kind}"):
        runner.resolve_parameters("arsbokslut", {"handlaggare": f"Anna Svensson, tfn {text}"})


def test_personal_data_inside_list_and_mapping_parameters_is_refused():
    with pytest.raises(ParameterError, match="'assumptions' innehåller personuppgifter"):
        check_text("assumptions", {"electricity_price": {"note": "ring 070-123 45 67"}})
    with pytest.raises(ParameterError, match="'coalition' innehåller personuppgifter"):
        check_text("coalition", ["Krokom", "anna@krokom.se"])


def test_a_number_parameter_is_not_a_personnummer():
    # a 10-digit seed that passes the Luhn check is a number, not personal data
    resolved = runner.resolve_parameters("it-serverdrift", {"seed": "1212121212"})
    assert resolved["seed"] == 1212121212


@pytest.mark.parametrize("text", ["GNS/11/2018", "Sekretariatet, Region Jämtland Härjedalen", "2019-01-31"])
def test_ordinary_parameters_pass(text):
    check_text("diarienummer", text)


# ------------------------------------------------------------------ places text enters a report

@pytest.mark.notebook
def test_metadata_with_every_form_stops_the_build(tmp_project):
    meta = tmp_project / "data" / "raw" / "gns-rr-2018-12.meta.yaml"
    original = meta.read_text(encoding="utf-8")
    forms = "; ".join(t for t, _ in PERSONAL)
    text = original.replace("behandlat vid", f"kontakt {forms}; behandlat vid")
    assert text != original
    meta.write_text(text, encoding="utf-8")
    with pytest.raises(UnsafeContentError, match="i avsnittet 'Om underlaget'") as info:
        runner.run_report("arsbokslut", {"period": "2018-12"})
    def plain(text):  # the report may print a no-break space as a space
        return text.replace("\u00a0", " ")

    found = {plain(h.text) for h in info.value.hits}
    assert {plain(t) for t, _ in PERSONAL} - found == set()
    assert not (tmp_project / "reports" / "arsbokslut-2018.html").exists()


@pytest.mark.notebook
def test_rr_label_with_phone_numbers_stops_the_build(tmp_project):
    raw = tmp_project / "data" / "raw" / "gns-rr-2018-12.txt"
    text = raw.read_text(encoding="utf-8")
    changed = text.replace("Övrigt\t", "Övrigt, fråga Anna 070 123 45 67 eller (063) 14 30 00\t")
    assert changed != text
    raw.write_text(changed, encoding="utf-8")
    with pytest.raises(UnsafeContentError) as info:
        runner.run_report("arsbokslut", {"period": "2018-12"})
    assert {"070 123 45 67", "(063) 14 30 00"} <= {h.text for h in info.value.hits}


@pytest.mark.notebook
def test_matrix_comment_with_phone_number_stops_the_build(tmp_project):
    raw = tmp_project / "data" / "raw" / "intressentanalys-2019.txt"
    lines = raw.read_text(encoding="utf-8").split("\n")
    are = next(i for i, line in enumerate(lines) if line.startswith("Åre kommun"))
    lines[are] = "Åre kommun\t\t\tKontakta IT-chefen på +46 (0)647 161 00 eller 19121212 1212"
    raw.write_text("\n".join(lines), encoding="utf-8")
    # Åre marked neither column, so its comment is quoted when the coalition names it
    with pytest.raises(UnsafeContentError) as info:
        runner.run_report("it-serverdrift", {"coalition": ["Åre", "Krokom", "Berg"], "n_draws": 500})
    assert {"+46 (0)647 161 00", "19121212 1212"} <= {h.text for h in info.value.hits}
