"""The party registry: codes, names, variants, populations, errors."""

from __future__ import annotations

import pytest

from gnsanalysis.errors import ConfigError, ParameterError
from gnsanalysis.parties.registry import Registry, load_registry, normalize_name


@pytest.fixture(scope="module")
def reg():
    return load_registry()


def test_nine_parties_in_scb_order_region_last(reg):
    assert [p.code for p in reg.parties] == [
        "2303", "2305", "2309", "2313", "2321", "2326", "2361", "2380", "0023",
    ]
    assert all(isinstance(p.code, str) for p in reg.parties)
    assert [p.kind for p in reg.parties].count("kommun") == 8


def test_region_population_is_the_county_total(reg):
    kommuner = sum(p.quantity("population").value for p in reg.parties if p.kind == "kommun")
    region = reg.resolve("Region JH").quantity("population")
    assert kommuner == region.value == 132839
    assert region.derived
    assert region.date == "2024-12-31"


def test_populations_have_source_and_date(reg):
    for p in reg.parties:
        q = p.quantity("population")
        assert q is not None and q.source and q.date == "2024-12-31" and not q.example


def test_example_quantities_are_flagged(reg):
    for p in reg.parties:
        for key in ("budget_turnover", "pupils"):
            q = p.quantity(key)
            if q is not None:
                assert q.example and "Exempeldata" in q.source


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Krokoms kommun", "2309"),
        ("Krokom", "2309"),
        ("  KROKOM  ", "2309"),
        ("krokoms\u00a0kommun", "2309"),
        ("Bergs kommun", "2326"),
        ("Berg", "2326"),
        ("Region JH", "0023"),
        ("Region Jämtland Härjedalen", "0023"),
        ("region jämtland – härjedalen", "0023"),
        ("Östersunds kommun", "2380"),
        ("Östersund", "2380"),
        ("Åre kommun", "2321"),
        ("Härjedalens kommun", "2361"),
        ("Strömsunds kommun", "2313"),
        ("Ragunda kommun", "2303"),
        ("Bräcke kommun", "2305"),
        ("2380", "2380"),
        ("0023", "0023"),
    ],
)
def test_name_variants(reg, name, code):
    assert reg.resolve(name).code == code


def test_non_party_actor(reg):
    actor = reg.resolve("Räddningstjänstförbundet")
    assert actor.party is False
    assert actor.name == "Jämtlands Räddningstjänstförbund"
    assert actor not in reg.parties
    with pytest.raises(ParameterError, match="inte part i nämnden"):
        reg.resolve("Räddningstjänsten", parties_only=True)


def test_unknown_name_lists_close_matches(reg):
    with pytest.raises(ParameterError, match=r"Okänd part 'Krokoms kommon'\. Menade du Krokoms kommun"):
        reg.resolve("Krokoms kommon")
    with pytest.raises(ParameterError, match="Kända parter: Ragunda, Bräcke"):
        reg.resolve("Gotland")


def test_resolve_many_rejects_duplicates(reg):
    with pytest.raises(ParameterError, match="Bergs kommun anges mer än en gång"):
        reg.resolve_many(["Berg", "Bergs kommun"])


def test_conflicting_variants_are_a_config_error():
    with pytest.raises(ConfigError, match="används av både"):
        Registry.from_mapping({"parties": [
            {"code": "1", "name": "A", "variants": ["X"]},
            {"code": "2", "name": "B", "variants": ["x"]},
        ]})


def test_bad_quantity_is_a_config_error():
    with pytest.raises(ConfigError, match="inte ett tal"):
        Registry.from_mapping({"parties": [{"code": "1", "name": "A", "population": {"value": "många"}}]})


def test_normalize_name():
    assert normalize_name("  Region  Jämtland\u2013Härjedalen ") == "region jämtland-härjedalen"
