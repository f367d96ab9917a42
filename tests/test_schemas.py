"""The schema layer: packaged resources validate; errors are Swedish, name the key, exit 2."""

import re

import pytest
from pydantic import ValidationError

from gnsanalysis import schemas
from gnsanalysis.errors import ConfigError
from gnsanalysis.io import load_resource
from gnsanalysis.parties.registry import Registry


def test_every_packaged_resource_has_a_model_and_validates():
    from gnsanalysis import paths

    names = sorted(p.name for p in paths.RESOURCES_DIR.glob("*.yaml"))
    assert names == sorted(schemas.RESOURCE_MODELS)
    for name in names:
        assert isinstance(schemas.check_resource(name), schemas.RESOURCE_MODELS[name])


@pytest.mark.parametrize("change,message", [
    (lambda d: d["layouts"][0]["totals"][0].update(parts=[]), "layouts[1].totals[1].parts: fann []"),
    (lambda d: d["layouts"][0]["roles"]["columns"].update(utfall="Ack utfall"),
     "layouts[1].roles.columns.utfall"),
    (lambda d: d["kinds"][0]["patterns"].insert(0, "^(summa"), "kinds[1].patterns[1]: fann '^(summa'"),
    (lambda d: d["layouts"][0]["columns"][0].update(rule="kvot"), "layouts[1].columns[1].rule: fann 'kvot'"),
])
def test_rr_layout_errors_name_the_key(change, message):
    import copy

    data = copy.deepcopy(load_resource("rr_layouts.yaml"))
    change(data)
    with pytest.raises(ConfigError, match=re.escape(message)):
        schemas.validate(schemas.RRLayoutsFile, data, "rr_layouts.yaml")


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


# --------------------------------------------------------------------------- metadata sidecars

@pytest.mark.parametrize("data,expected", [
    ({"period": "2019-12", "data_status": "example"}, {"period": "2019-12", "data_status": "example"}),
    ({"object": 6663}, {"object": {"id": "6663"}}),
    ({"object": {"id": "GNS", "name": "Samverkansnämnd"}}, {"object": {"id": "GNS", "name": "Samverkansnämnd"}}),
    ({"unit": "tkr", "note": None}, {"unit": "tkr"}),
    ({"document_figures": {"x": {"value": 13, "quote": "…"}}}, {"document_figures": {"x": {"value": 13, "quote": "…"}}}),
])
def test_sidecar_keeps_what_it_sets(data, expected):
    assert schemas.validate(schemas.SidecarFile, data, "x.meta.yaml").as_meta() == expected


@pytest.mark.parametrize("data,message", [
    ({"period": "2019-13"}, 'x.meta.yaml, nyckel period: fann \'2019-13\', förväntade ett giltigt värde (ÅÅÅÅ-MM inom citattecken, t.ex. "2019-12")'),
    ({"period": 2019}, "nyckel period: fann 2019, förväntade ett giltigt värde (ÅÅÅÅ-MM"),
    ({"data_status": "verklig"}, "nyckel data_status: fann 'verklig', förväntade ett av 'real' eller 'example'"),
    ({"perod": "2019-12"}, "nyckel perod: fann '2019-12', förväntade ingen sådan nyckel. Åtgärd: ta bort nyckeln"),
    ({"object": {"name": "Serverdrift Åre"}}, "nyckel object.id: fann ingenting, förväntade ett värde (nyckeln saknas)"),
    (["a", "b"], "förväntade en tabell (nyckel: värde)"),
])
def test_sidecar_errors_name_the_key(data, message):
    with pytest.raises(ConfigError, match=re.escape(message)) as info:
        schemas.validate(schemas.SidecarFile, data, "x.meta.yaml")
    assert info.value.exit_code == 2


# --------------------------------------------------------------------------- the report registry

def test_report_registry_validates_and_names_only_existing_checks():
    from gnsanalysis.publish.params import STATE_VALIDATORS, VALIDATORS
    from gnsanalysis.publish.runner import declared_parameters, registry

    validated = schemas.validate(schemas.ReportsFile, load_resource("reports.yaml"), "reports.yaml")
    assert set(registry()) == set(validated.reports)
    for name, spec in validated.reports.items():
        declared = declared_parameters(name)
        # a validator for a parameter the notebook does not declare is stale
        assert set(spec.validators) <= set(declared), (name, set(spec.validators) - set(declared))
        assert set(spec.validators.values()) <= set(VALIDATORS)
        assert spec.state_validator is None or spec.state_validator in STATE_VALIDATORS
        for need in spec.requires:
            assert need.period_parameter is None or need.period_parameter in declared
        if spec.build_for:
            assert spec.build_for.parameter in declared


@pytest.mark.parametrize("spec,message", [
    ({"notebook": "a.ipynb", "title": "A"}, "reports.a.output: fann ingenting"),
    ({"notebook": "a.py", "title": "A", "output": "a"}, "reports.a.notebook: fann 'a.py'"),
    ({"notebook": "a.ipynb", "title": "A", "output": "a", "build_for": {"kind": "rr", "months": [13], "parameter": "p"}},
     "reports.a.build_for.months[1]: fann 13"),
    ({"notebook": "a.ipynb", "title": "A", "output": "a", "validatorer": {}}, "reports.a.validatorer: fann {}"),
])
def test_report_registry_errors(spec, message):
    with pytest.raises(ConfigError, match=re.escape(message)):
        schemas.validate(schemas.ReportsFile, {"reports": {"a": spec}}, "reports.yaml")
