"""The schema layer: packaged resources validate; errors are Swedish, name the key, exit 2."""

import pytest
from pydantic import ValidationError

from gnsanalysis import schemas
from gnsanalysis.errors import ConfigError
from gnsanalysis.io import load_resource
from gnsanalysis.parties.registry import Registry


@pytest.mark.parametrize("name,model", [
    ("parties.yaml", schemas.PartiesFile),
    ("claims.yaml", schemas.ClaimsFile),
    ("pricelist.yaml", schemas.PriceListFile),
])
def test_packaged_resources_validate(name, model):
    assert isinstance(schemas.validate(model, load_resource(name), name), model)


def test_models_are_frozen_and_forbid_extra_keys():
    party = schemas.PartyModel(code="1", name="A")
    with pytest.raises(ValidationError):
        party.name = "B"
    with pytest.raises(ValidationError):
        schemas.PartyModel(code="1", name="A", populaton={"value": 1})


@pytest.mark.parametrize("data,message", [
    ({"parties": [{"code": "1", "nmae": "A"}]},
     "parties[1].nmae: fann 'A', förväntade ingen sådan nyckel. Åtgärd: ta bort nyckeln eller rätta stavningen."),
    ({"parties": [{"code": "1", "name": "A", "population": {"value": True}}]},
     "parties[1].population.value: fann True, förväntade ett giltigt värde (inte ett tal)."),
    ({"parties": [{"code": "1", "name": "A", "party": "kanske"}]},
     "parties[1].party: fann 'kanske', förväntade true eller false."),
    ({"parties": "alla"}, "nyckel parties: fann 'alla', förväntade en lista."),
    ({"parties": [{"code": "", "name": "A"}]}, "parties[1].code: fann '', förväntade en text som inte är tom."),
])
def test_registry_errors(data, message):
    with pytest.raises(ConfigError) as info:
        Registry.from_mapping(data, source="/någonstans/parties.yaml")
    assert message in str(info.value)
    assert str(info.value).startswith("parties.yaml") and info.value.exit_code == 2


def test_several_errors_are_listed_one_a_line():
    with pytest.raises(ConfigError) as info:
        schemas.validate(schemas.PartiesFile, {"parties": [{"x": 1}]}, "parties.yaml")
    lines = str(info.value).splitlines()
    assert lines[0] == "parties.yaml har fel:" and len(lines) == 4  # code, name missing; x unknown


@pytest.mark.parametrize("text,expected", [("914 400", 914400), ("140 039,33", 14003933 / 100),
                                            ("1/3", 1 / 3), (0.1, 0.1), ("−88", -88)])
def test_exact_numbers(text, expected):
    value = schemas.validate(schemas.QuantityModel, {"value": text}, "x.yaml").value
    assert float(value) == pytest.approx(expected)
