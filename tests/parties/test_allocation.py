"""Allocation keys: exact sums, tie-break, subsets, mixes, errors, real GNS figures."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gnsanalysis.cli import main
from gnsanalysis.errors import ParameterError
from gnsanalysis.parties.allocation import (
    allocate,
    allocate_by_key,
    key_weights,
    parse_key,
)
from gnsanalysis.parties.registry import Registry, load_registry
from gnsanalysis.swedish.rounding import largest_remainder

NINE = [p.name for p in load_registry().parties]


# -- allocate(): the core --------------------------------------------------------------------
def test_basarvode_equal_shares_of_914400():
    shares = allocate(914400, {name: 1 for name in NINE})
    assert shares == {name: 101600 for name in NINE}
    assert list(shares) == NINE  # same keys, same order


def test_dso_840236_over_six_parties_sums_exactly():
    six = NINE[:6]
    shares = allocate(840236, {p: 1 for p in six})
    assert sum(shares.values()) == 840236
    assert sorted(shares.values()) == [140039] * 4 + [140040] * 2
    # tie-break: equal remainders go to the earlier parties
    assert [shares[p] for p in six] == [140040, 140040, 140039, 140039, 140039, 140039]


def test_dso_in_ore():
    shares = allocate(840236, {p: 1 for p in "ABCDEF"}, unit="öre")
    assert sum(shares.values()) == 84023600
    assert set(shares.values()) == {14003933, 14003934}


@pytest.mark.parametrize("total", [0, 1, 2, 5, 7, 8, 11, 97, 101, 7919, 999983, 914401])
def test_awkward_totals_sum_exactly(total):
    shares = allocate(total, {name: 1 for name in NINE})
    assert sum(shares.values()) == total
    assert max(shares.values()) - min(shares.values()) <= 1


def test_total_smaller_than_number_of_parties():
    shares = allocate(5, {name: 1 for name in NINE})
    assert list(shares.values()) == [1, 1, 1, 1, 1, 0, 0, 0, 0]


def test_negative_total_is_symmetric():
    pos = allocate(10, {"a": 1, "b": 1, "c": 1})
    neg = allocate(-10, {"a": 1, "b": 1, "c": 1})
    assert pos == {"a": 4, "b": 3, "c": 3}
    assert neg == {k: -v for k, v in pos.items()}


def test_larger_remainder_wins_before_order():
    # quotas 3.2, 3.3, 3.5 -> floors 3,3,3; one unit left goes to the largest remainder (c)
    assert allocate(10, {"a": 32, "b": 33, "c": 35}) == {"a": 3, "b": 3, "c": 4}


def test_zero_weight_pays_nothing():
    assert allocate(7, {"a": 0, "b": 1, "c": 1}) == {"a": 0, "b": 4, "c": 3}


def test_accepts_swedish_text_decimal_and_fraction_totals():
    weights = {"a": 1, "b": 2}
    assert allocate("914 400", weights) == allocate(914400, weights)
    assert allocate(Decimal("3"), weights) == allocate(Fraction(3), weights) == {"a": 1, "b": 2}
    assert allocate("10,50", weights, unit="öre") == {"a": 350, "b": 700}


@pytest.mark.parametrize(
    ("total", "weights", "kwargs", "match"),
    [
        (10, {}, {}, "saknar parter"),
        (10, {"a": 0, "b": 0}, {}, "bara vikter som är noll"),
        (10, {"a": -1, "b": 2}, {}, "negativ"),
        ("10,5", {"a": 1}, {}, "inte ett helt antal kr.*öre"),
        ("tio", {"a": 1}, {}, "'tio' är inte ett tal"),
        (10, {"a": 1}, {"unit": "euro"}, "Okänd enhet 'euro'"),
    ],
)
def test_allocate_errors(total, weights, kwargs, match):
    with pytest.raises(ParameterError, match=match):
        allocate(total, weights, **kwargs)


# -- properties --------------------------------------------------------------------------------
weights_st = st.lists(
    st.one_of(
        st.integers(0, 10**6),
        st.fractions(min_value=0, max_value=1000, max_denominator=1000),
    ),
    min_size=1,
    max_size=12,
).filter(lambda ws: sum(ws) > 0)


@settings(max_examples=300, deadline=None)
@given(total=st.integers(-(10**9), 10**9), ws=weights_st)
def test_property_exact_sum_within_one_unit_deterministic(total, ws):
    weights = {f"p{i}": w for i, w in enumerate(ws)}
    shares = allocate(total, weights)
    assert sum(shares.values()) == total
    wsum = sum(Fraction(w) for w in ws)
    for key, w in weights.items():
        quota = Fraction(total) * Fraction(w) / wsum
        assert abs(shares[key] - quota) < 1
        if w == 0:
            assert shares[key] == 0
    assert allocate(total, dict(weights)) == shares


@settings(max_examples=100, deadline=None)
@given(total=st.integers(0, 10**7), ws=weights_st)
def test_property_ore_is_exact_and_consistent(total, ws):
    weights = {f"p{i}": w for i, w in enumerate(ws)}
    ore = allocate(total, weights, unit="öre")
    assert sum(ore.values()) == total * 100


@settings(max_examples=100, deadline=None)
@given(total=st.integers(0, 10**6), n=st.integers(1, 9))
def test_property_equal_split_differs_by_at_most_one(total, n):
    shares = largest_remainder(total, [Fraction(1)] * n)
    assert max(shares) - min(shares) <= 1
    assert shares == sorted(shares, reverse=True)  # extra units go to the earliest positions


# -- keys over the registry ----------------------------------------------------------------
def test_allocate_by_key_equal_frame():
    df = allocate_by_key(914400, "equal")
    assert list(df.columns) == ["code", "party", "short", "weight", "quota", "share"]
    assert df["party"].tolist() == NINE
    assert df["code"].tolist()[0] == "2303" and df["code"].tolist()[-1] == "0023"
    assert (df["share"] == 101600).all()
    assert df.attrs["key_label"] == "lika delar"
    assert df.attrs["example"] is False


def test_population_key_is_proportional_and_flags_region():
    df = allocate_by_key(132839, "population")
    # region population = county total = sum of the 8 kommuner: its quota is exactly half.
    # Six quotas end in ,5; the three units left go to the first three of them in registry
    # order (Bräcke, Strömsund, Åre): the documented tie-break.
    assert df.set_index("short")["share"].to_dict() == {
        "Ragunda": 2573, "Bräcke": 3018, "Krokom": 7840, "Strömsund": 5512, "Åre": 6347,
        "Berg": 3554, "Härjedalen": 5087, "Östersund": 32489, "Region JH": 66419,
    }
    assert df["share"].sum() == 132839
    assert any("Regionens befolkning" in n for n in df.attrs["notes"])
    assert any("SCB" in n for n in df.attrs["notes"])


def test_population_key_kommuner_only_gives_population():
    kommuner = [p.short for p in load_registry().parties if p.kind == "kommun"]
    df = allocate_by_key(132839, "befolkning", kommuner)
    assert df.set_index("short")["share"].to_dict() == {
        "Ragunda": 5146, "Bräcke": 6035, "Krokom": 15680, "Strömsund": 11023,
        "Åre": 12693, "Berg": 7108, "Härjedalen": 10175, "Östersund": 64979,
    }


@pytest.mark.parametrize("key", ["budget", "pupils", "budgetomslutning", "elever"])
def test_example_keys_are_labelled(key):
    df = allocate_by_key(100000, key)
    assert df["share"].sum() == 100000
    assert df.attrs["example"] is True
    assert any("Exempeldata" in n for n in df.attrs["notes"])


def test_pupils_key_region_pays_nothing():
    df = allocate_by_key(100000, "pupils")
    assert df.set_index("short").loc["Region JH", "share"] == 0


def test_usage_key():
    df = allocate_by_key(1000, "usage", ["Krokom", "Berg", "Region JH"],
                         usage={"Krokoms kommun": 2, "berg": 1, "Region Jämtland Härjedalen": 1})
    assert df.set_index("short")["share"].to_dict() == {"Krokom": 500, "Berg": 250, "Region JH": 250}


def test_usage_key_errors():
    with pytest.raises(ParameterError, match="kräver en mängd per part"):
        allocate_by_key(1000, "usage")
    with pytest.raises(ParameterError, match="Användning saknas för Bergs kommun"):
        allocate_by_key(1000, "usage", ["Krokom", "Berg"], usage={"Krokom": 1})


def test_mix_one_third_equal_two_thirds_population():
    df = allocate_by_key(914400, "1/3 equal + 2/3 population")
    assert df["share"].sum() == 914400
    weights = dict(zip(df["short"], df["weight"], strict=True))
    pop = {p.short: p.quantity("population").value for p in load_registry().parties}
    total_pop = sum(pop.values())
    for short, w in weights.items():
        assert w == Fraction(1, 3) / 9 + Fraction(2, 3) * pop[short] / total_pop
    assert df.attrs["key_label"] == "1/3 lika delar + 2/3 befolkning"


@pytest.mark.parametrize(
    "spec",
    ["30% equal + 70% population", "0,3 lika + 0,7 befolkning", {"equal": "0.3", "population": "0.7"}],
)
def test_mix_spellings(spec):
    key = parse_key(spec)
    assert key.components == (("equal", Fraction(3, 10)), ("population", Fraction(7, 10)))


@pytest.mark.parametrize(
    ("spec", "match"),
    [
        ("foo", "Okänd fördelningsnyckel 'foo'"),
        ("1/3 equal + 1/3 population", "summerar till 2/3, inte 1"),
        ("1/2 equal + 1/2 equal", "samma grund mer än en gång"),
        ("equal + population", "saknar vikt"),
    ],
)
def test_key_errors(spec, match):
    with pytest.raises(ParameterError, match=match):
        allocate_by_key(100, spec)


def test_subset_in_registry_order_with_name_variants():
    df = allocate_by_key(100, "equal", ["Region JH", "krokom", "  BERGS  kommun "])
    assert df["party"].tolist() == ["Krokoms kommun", "Bergs kommun", "Region Jämtland Härjedalen"]
    assert df["share"].tolist() == [34, 33, 33]


def test_dso_six_parties_by_name():
    six = ["Östersund", "Krokom", "Berg", "Härjedalen", "Region JH", "Åre"]
    df = allocate_by_key(840236, "equal", six)
    assert df["share"].sum() == 840236
    assert set(df["share"]) == {140039, 140040}


@pytest.mark.parametrize(
    ("parties", "match"),
    [
        (["Krokom", "Gotland"], "Okänd part 'Gotland'"),
        (["Krokom", "Krokoms kommun"], "Krokoms kommun anges mer än en gång"),
        (["Räddningstjänstförbundet"], "inte part i nämnden"),
        ([], "saknar parter"),
    ],
)
def test_subset_errors(parties, match):
    with pytest.raises(ParameterError, match=match):
        allocate_by_key(100, "equal", parties)


def test_zero_basis_in_subset_is_an_error():
    with pytest.raises(ParameterError, match="noll för alla valda parter"):
        allocate_by_key(100, "pupils", ["Region JH"])


def test_missing_quantity_in_custom_registry():
    reg = Registry.from_mapping({"parties": [
        {"code": "1", "name": "A kommun", "population": {"value": 10}},
        {"code": "2", "name": "B kommun"},
    ]})
    with pytest.raises(ParameterError, match="saknar värde för B kommun"):
        allocate_by_key(100, "population", registry=reg)
    assert allocate_by_key(100, "equal", registry=reg)["share"].tolist() == [50, 50]


def test_key_weights_sum_to_one():
    _, weights, meta = key_weights("1/3 equal + 2/3 population")
    assert sum(weights) == 1
    assert meta["example"] is False


# -- totals beyond 64 bits: exact Python ints, never an int64 overflow -----------------------------
@pytest.mark.parametrize("total", ["1000000000000000000", "9" * 400, str(2**63), str(-(2**70))])
def test_huge_totals_are_exact(total):
    frame = allocate_by_key(total, "population", unit="öre")
    assert sum(int(s) for s in frame["share"]) == int(total) * 100


def test_int64_shares_stay_int64():
    assert str(allocate_by_key(914400, "equal")["share"].dtype) == "int64"


@pytest.mark.parametrize("total", ["1000000000000000000", "9" * 300])
def test_cli_allocate_huge_total_in_ore(total, capsys):
    assert main(["allocate", "--total", total, "--key", "equal", "--ore"]) == 0
    rows = capsys.readouterr().out.splitlines()[1:]
    assert sum(int(r.rsplit(",", 1)[1]) for r in rows) == int(total) * 100
    assert "Traceback" not in "\n".join(rows)


def test_cli_allocate_refuses_absurd_total(capsys):
    assert main(["allocate", "--total", "9" * 5000, "--key", "equal", "--ore"]) == 2
    err = capsys.readouterr().err
    assert "högst 1000 siffror" in err and "Traceback" not in err
