"""Source claims and the price list: the real GNS figures recomputed."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from gnsanalysis.documents.claims import (
    Claim,
    check_claim,
    check_claims,
    claim_from_mapping,
    compute,
    load_claims,
)
from gnsanalysis.documents.pricing import load_pricelist, price, price_hours
from gnsanalysis.errors import ConfigError, ParameterError


@pytest.fixture(scope="module")
def results():
    return {r.claim.id: r for r in check_claims()}


def test_every_claim_has_quote_and_source():
    for c in load_claims():
        assert c.quote and c.source, c.id


@pytest.mark.parametrize(
    ("claim_id", "status", "computed"),
    [
        ("basarvode-2019", "ok", Fraction(914400)),
        ("lonekostnader-2019", "ok", Fraction(805)),
        ("omkostnader-2019", "rounding", Fraction("109.4")),
        ("reserv-2018", "approximate", Fraction("744.4")),
        ("dso-anstallning", "rounding", Fraction(840236, 6)),
        ("dso-timbank-10h", "disagreement", Fraction(11000)),
        ("dso-timbank-60h", "ok", Fraction(66000)),
        ("budget-2021-per-part", "disagreement", Fraction(50800)),
    ],
)
def test_real_claims(results, claim_id, status, computed):
    r = results[claim_id]
    assert r.status == status
    assert r.computed == computed


def test_basarvode_message(results):
    assert str(results["basarvode-2019"]) == (
        "Basarvode 2019: angivet 914\u00a0400\u00a0kr basarvode totalt; "
        "beräknat 9 × 101\u00a0600 = 914\u00a0400\u00a0kr (stämmer)."
    )


def test_dso_split_is_exact(results):
    r = results["dso-anstallning"]
    assert sum(r.split) == 840236
    assert sorted(r.split) == [140039] * 4 + [140040] * 2
    assert r.agrees
    assert "4 × 140\u00a0039\u00a0kr + 2 × 140\u00a0040\u00a0kr = 840\u00a0236\u00a0kr" in r.details()[0]


def test_timbank_10h_disagreement_is_shown(results):
    r = results["dso-timbank-10h"]
    assert not r.agrees
    assert r.stated == 110000
    assert r.difference == 99000
    text = r.message()
    assert "angivet 110\u00a0000\u00a0kr per kommun" in text
    assert "10 × 1\u00a0100 = 11\u00a0000\u00a0kr per kommun och månad" in text
    assert "(stämmer inte)" in text
    interps = {i.label: v for i, v in r.interpretations}
    assert interps["per kommun och år (12 månader)"] == 132000
    assert any("132\u00a0000\u00a0kr" in line for line in r.details())


def test_budget_2021_ambiguity(results):
    r = results["budget-2021-per-part"]
    assert r.status == "disagreement"
    assert r.stated == 457200  # never silently corrected
    values = {i.label.split(" (")[0].split(",")[0]: v for i, v in r.interpretations}
    assert Fraction(457200) in values.values()  # = 914 400 / 2: half the earlier total
    assert Fraction(4114800) in values.values()  # read literally per part
    details = "\n".join(r.details())
    assert "stämmer med det angivna" in details
    assert "50\u00a0800\u00a0kr" in details


def test_reserve_2018_gap_shown(results):
    r = results["reserv-2018"]
    assert r.difference == Fraction("0.6")
    assert "ca. 745\u00a0tkr" in r.message()
    assert "skillnad +0,6\u00a0tkr" in r.message()
    assert "(ungefärligt angivet)" in r.message()


def test_a_shipped_claim_is_checked():
    assert {r.claim.id: r.status for r in check_claims()}["basarvode-2019"] == "ok"


@pytest.mark.parametrize(
    ("operation", "inputs", "expected"),
    [
        ("product", [2, 3, 4], 24),
        ("sum", [1, 2, Fraction(1, 2)], Fraction(7, 2)),
        ("difference", [10, 3, 2], 5),
        ("quotient", [10, 4], Fraction(5, 2)),
        ("share", [914400, Fraction(1, 2), 9], 50800),
    ],
)
def test_compute(operation, inputs, expected):
    assert compute(operation, [Fraction(v) for v in inputs]) == expected


def test_compute_errors():
    with pytest.raises(ConfigError, match="Okänd operation 'power'"):
        compute("power", [Fraction(1)])
    with pytest.raises(ConfigError, match="nämnare ≠ 0"):
        compute("quotient", [Fraction(1), Fraction(0)])


@pytest.mark.parametrize("raw,message", [
    ({"id": "a", "operation": "sum", "inputs": [1]},
     "nyckel stated: fann ingenting, förväntade ett värde (nyckeln saknas). Åtgärd: lägg till nyckeln."),
    ({"id": "a", "operation": "mean", "inputs": [1], "stated": 1},
     "nyckel operation: fann 'mean', förväntade ett av 'product', 'sum', 'difference', 'quotient' eller 'share'."),
    ({"id": "a", "operation": "sum", "inputs": [1, "många"], "stated": 1},
     "nyckel inputs[2].value: fann 'många', förväntade ett giltigt värde (inte ett tal)."),
    ({"id": "a", "operation": "sum", "inputs": [1], "stated": 1, "qoute": "x"},
     "nyckel qoute: fann 'x', förväntade ingen sådan nyckel. Åtgärd: ta bort nyckeln eller rätta stavningen."),
    ({"id": "a", "operation": "sum", "inputs": [], "stated": 1}, "nyckel inputs"),
])
def test_claim_schema_errors(raw, message):
    with pytest.raises(ConfigError) as info:
        claim_from_mapping(raw)
    assert str(info.value).startswith("claims.yaml, nyckel ")
    assert message in str(info.value)
    assert info.value.exit_code == 2


def test_claims_file_errors_name_the_file(tmp_path):
    bad = tmp_path / "mina-påståenden.yaml"
    bad.write_text("claims:\n  - id: a\n    operation: sum\n    inputs: [1]\n    stated: 1\n"
                   "  - id: a\n    operation: sum\n    inputs: [1]\n    stated: 1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="mina-påståenden.yaml: påståenden med samma id: a"):
        load_claims(bad)
    bad.write_text("claims:\n  - id: a\n    operation: sum\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"mina-påståenden.yaml har fel:\n.*claims\[1\]\.inputs"):
        load_claims(bad)


def test_pricelist_schema_errors(tmp_path):
    bad = tmp_path / "prislista.yaml"
    bad.write_text("resources:\n  - name: Jurist\n    rate: dyr\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"prislista.yaml, nyckel resources\[1\]\.rate: fann 'dyr'"):
        load_pricelist(bad)
    bad.write_text("resources:\n  - name: Jurist\n    rate: '645,50'\n", encoding="utf-8")
    assert load_pricelist(bad).resources[0].rate == Decimal("645.5")


def test_printed_precision_from_stated_text():
    c: Claim = claim_from_mapping(
        {"id": "a", "operation": "quotient", "inputs": [10, 3], "stated": {"value": "3,33"}}
    )
    assert c.decimals == 2
    assert check_claim(c).status == "rounding"
    c2 = claim_from_mapping(
        {"id": "b", "operation": "quotient", "inputs": [10, 3], "stated": {"value": "3,4"}}
    )
    assert check_claim(c2).status == "disagreement"


# -- price list (GNS 2019-06-03 §18) ----------------------------------------------------
def test_pricelist_values():
    pl = load_pricelist()
    assert {r.name: r.rate for r in pl.resources} == {
        "Jurist": Decimal(645), "Ekonomi/personalstöd": Decimal(422), "Upphandlare": Decimal(467),
    }
    assert "§18" in pl.source and pl.decided == "2019-06-03"


@pytest.mark.parametrize(
    ("resource", "hours", "expected"),
    [("jurist", 10, Decimal(6450)), ("Ekonom", "2,5", Decimal("1055.0")),
     ("UPPHANDLARE", 3, Decimal(1401)), ("personalstöd", 0, Decimal(0))],
)
def test_price(resource, hours, expected):
    assert price(resource, hours) == expected


def test_price_hours_table():
    df = price_hours({"Jurist": 10, "upphandling": 3, "ekonomi": "1,5"})
    assert df["resurs"].tolist() == ["Jurist", "Upphandlare", "Ekonomi/personalstöd"]
    assert df.attrs["total"] == Decimal(6450 + 1401) + Decimal("633.0")


def test_price_errors():
    with pytest.raises(ParameterError, match=r"Okänd resurs 'jurst'\. Menade du Jurist\? Kända resurser: Jurist"):
        price("jurst", 1)
    with pytest.raises(ParameterError, match="It-tekniker.*inget pris i prislistan.*§18"):
        price("It-tekniker", 1)
    with pytest.raises(ParameterError, match="negativt"):
        price("jurist", -1)
    with pytest.raises(ParameterError, match="två gånger"):
        price_hours({"ekonom": 1, "Ekonomi": 2})


@pytest.mark.parametrize(
    ("hours", "message"),
    [("", "Ekonomi/personalstöd saknar värde"), (None, "saknar värde"), ("abc", "'abc' är inte ett tal"),
     ("1/3", "'1/3' är inget exakt antal timmar; skriv det som ett decimaltal")],
)
def test_price_hours_refused(hours, message):
    with pytest.raises(ParameterError, match=message):
        price("ekonom", hours)
