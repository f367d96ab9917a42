"""The one schema layer: pydantic models for the project's YAML files, and Swedish errors.

Every model is frozen and refuses unknown keys (a misspelt key is an error, not silently
ignored). :func:`validate` turns a pydantic ``ValidationError`` into the project's message form
(file, key path, what was found, what was expected, the fix) as a :class:`ConfigError`
(exit 2). The loaders in ``parties/``, ``documents/`` build their domain objects from the
validated models; the models say what a file may contain.

Organised by file kind: shared field types first, then one section per file. Add models for
further files (metadata sidecars, report parameters) in a section of their own.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from gnsanalysis.errors import ConfigError
from gnsanalysis.swedish.numbers import parse_fraction

# ---------------------------------------------------------------------------------------
# shared: base model, field types, the Swedish error renderer
# ---------------------------------------------------------------------------------------


class Model(BaseModel):
    """Frozen, strict about keys, and able to hold exact numbers."""

    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)


def _exact(value: Any) -> Fraction:
    """An exact number from YAML (see :func:`gnsanalysis.swedish.numbers.parse_fraction`)."""
    return parse_fraction(value)


def _text(value: Any) -> str:
    """Text, also from a YAML scalar that YAML read as a number or a date (``2023``)."""
    if isinstance(value, bool) or value is None or isinstance(value, dict | list):
        raise ValueError("inte en text")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _real(value: Any) -> Any:
    """A float from a YAML number, or from text such as ``"0,9"``; never from true/false."""
    if isinstance(value, bool) or value is None:
        raise ValueError("inte ett tal")
    if isinstance(value, str):
        return float(_exact(value))
    return value


#: A finite float (the IT model computes in floats); Swedish text is accepted.
Real = Annotated[float, BeforeValidator(_real), Field(allow_inf_nan=False)]
#: An exact number (``Fraction``); written in YAML as a number or as text.
ExactNumber = Annotated[Fraction, BeforeValidator(_exact)]
#: A text scalar; YAML numbers and dates are kept as they were written.
Text = Annotated[str, BeforeValidator(_text)]
NonEmptyText = Annotated[str, BeforeValidator(_text), Field(min_length=1)]

_EXPECTED = {
    "missing": "ett värde (nyckeln saknas)",
    "extra_forbidden": "ingen sådan nyckel",
    "string_type": "en text",
    "string_too_short": "en text som inte är tom",
    "too_short": "ett värde som inte är tomt",
    "bool_type": "true eller false",
    "bool_parsing": "true eller false",
    "int_type": "ett heltal",
    "int_parsing": "ett heltal",
    "list_type": "en lista",
    "tuple_type": "en lista",
    "dict_type": "en tabell (nyckel: värde)",
    "model_type": "en tabell (nyckel: värde)",
    "model_attributes_type": "en tabell (nyckel: värde)",
    "literal_error": "ett av de tillåtna värdena",
    "value_error": "ett giltigt värde",
}

_FIX = {
    "missing": "lägg till nyckeln",
    "extra_forbidden": "ta bort nyckeln eller rätta stavningen",
}


def _key_path(loc: tuple) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part + 1}]"  # 1-based, as a person counts list items
        else:
            out += ("." if out else "") + str(part)
    return out or "(filens början)"


def _found(error: Any) -> str:
    if error["type"] == "missing":
        return "ingenting"
    value = error.get("input")
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "…"


def validation_message(exc: ValidationError, source: str | Path) -> str:
    """The project's message form for every problem in ``exc`` (Swedish, one line each)."""
    name = Path(str(source)).name
    lines = []
    for error in exc.errors(include_url=False):
        kind = error["type"]
        expected = _EXPECTED.get(kind, "ett giltigt värde")
        if kind == "literal_error":
            expected = "ett av " + str(error.get("ctx", {}).get("expected", "")).replace(" or ", " eller ")
        elif kind == "value_error":
            reason = str(error.get("ctx", {}).get("error", "")) or error["msg"]
            expected = f"ett giltigt värde ({reason})"
        if kind == "too_short":
            expected = "en text som inte är tom" if isinstance(error.get("input"), str) else "minst ett element"
        fix = _FIX.get(kind, "rätta värdet")
        lines.append(f"{name}, nyckel {_key_path(error['loc'])}: fann {_found(error)}, "
                     f"förväntade {expected}. Åtgärd: {fix}.")
    return " ".join(lines) if len(lines) == 1 else "\n".join([f"{name} har fel:"] + lines)


M = TypeVar("M", bound=BaseModel)


def validate(model: type[M], data: Any, source: str | Path) -> M:
    """``data`` as ``model``, or a :class:`ConfigError` (exit 2) in the project's message form."""
    try:
        return model.model_validate(data if data is not None else {})
    except ValidationError as exc:
        raise ConfigError(validation_message(exc, source)) from None


# ---------------------------------------------------------------------------------------
# resources/parties.yaml: the party registry
# ---------------------------------------------------------------------------------------


class QuantityModel(Model):
    """One sourced per-party figure: ``{value, unit, source, date|year, example, derived}``."""

    value: ExactNumber
    unit: Text | None = None
    source: Text | None = None
    date: Text | None = None
    year: Text | None = None
    example: bool = False
    derived: bool = False


class JoinedModel(Model):
    """When a party joined the nämnd, and where that is written."""

    date: Text
    source: Text | None = None


class PartyModel(Model):
    """A party (or, with ``party: false``, an actor that is not one)."""

    code: NonEmptyText
    name: NonEmptyText
    short: Text | None = None
    kind: Text = ""
    party: bool | None = None  # default: true under `parties`, false under `actors`
    variants: tuple[Text, ...] = ()
    lanskod: Text | None = None
    joined: JoinedModel | None = None
    note: Text | None = None
    population: QuantityModel | None = None
    budget_turnover: QuantityModel | None = None
    pupils: QuantityModel | None = None

    def quantities(self) -> dict[str, QuantityModel]:
        """The quantities that are set, in the order of :data:`QUANTITY_KEYS`."""
        return {k: getattr(self, k) for k in QUANTITY_KEYS if getattr(self, k) is not None}


#: Per-party quantities a party entry may hold.
QUANTITY_KEYS = ("population", "budget_turnover", "pupils")


class PartiesFile(Model):
    """``parties.yaml``: ``parties`` (registry order) and ``actors``; ``sources`` holds anchors."""

    sources: dict[str, Any] = {}
    parties: tuple[PartyModel, ...] = ()
    actors: tuple[PartyModel, ...] = ()


# ---------------------------------------------------------------------------------------
# resources/claims.yaml: figures a document states, with their inputs
# ---------------------------------------------------------------------------------------

Operation = Literal["product", "sum", "difference", "quotient", "share"]


def _value_table(value: Any) -> Any:
    """A bare number ``9`` is short for ``{value: 9}``."""
    return value if isinstance(value, dict) else {"value": value}


class ClaimInputModel(Model):
    value: ExactNumber
    label: Text = ""
    unit: Text | None = None


class StatedModel(Model):
    value: ExactNumber
    unit: Text | None = None
    label: Text = ""
    decimals: int | None = Field(default=None, ge=0)
    approximate: bool = False
    tolerance: ExactNumber | None = None


class InterpretationModel(Model):
    label: Text = ""
    operation: Operation
    inputs: tuple[ExactNumber, ...] = Field(min_length=1)


class ClaimModel(Model):
    """Schema of one claim in the claims file."""
    id: NonEmptyText
    title: Text | None = None
    operation: Operation
    inputs: tuple[Annotated[ClaimInputModel, BeforeValidator(_value_table)], ...] = Field(min_length=1)
    stated: Annotated[StatedModel, BeforeValidator(_value_table)]
    quote: Text = ""
    source: Text = ""
    also_stated: Text | None = None
    note: Text | None = None
    result_label: Text | None = None
    interpretations: tuple[InterpretationModel, ...] = ()


class ClaimsFile(Model):
    """Schema of the claims file: a list of claims."""
    claims: tuple[ClaimModel, ...] = ()


# ---------------------------------------------------------------------------------------
# resources/pricelist.yaml: the common price list for resource time
# ---------------------------------------------------------------------------------------


class ResourceModel(Model):
    id: Text | None = None
    name: NonEmptyText
    rate: ExactNumber
    variants: tuple[Text, ...] = ()


class UnpricedModel(Model):
    name: NonEmptyText
    variants: tuple[Text, ...] = ()


class PriceListFile(Model):
    """Schema of the price list file (resources/pricelist.yaml)."""
    source: Text | None = None
    decided: Text | None = None
    reference: Text | None = None
    diarienummer: Text | None = None
    unit: Text = "kr/timme"
    quote: Text | None = None
    resources: tuple[ResourceModel, ...] = ()
    unpriced: tuple[UnpricedModel, ...] = ()


# ---------------------------------------------------------------------------------------
# resources/it_assumptions.yaml: the IT-serverdrift model
# ---------------------------------------------------------------------------------------


class ParameterModel(Model):
    """One uncertain input: low / mode / high with its source (``guess``: no source)."""

    label: NonEmptyText
    unit: Text
    low: Real
    mode: Real
    high: Real
    source: Text
    guess: bool
    main: bool = False
    integer: bool = False
    note: Text | None = None


class SettingsModel(Model):
    """Model settings; only the keys the file sets are kept (see ``model_dump(exclude_unset=True)``)."""

    horizon_years: int = Field(default=5, ge=1)
    hours_per_year: int = 8760
    servers_per_rack: int = Field(default=12, ge=1)
    facility_depreciation_years: int = Field(default=10, ge=1)
    distribution: Literal["pert", "triangular"] = "pert"
    default_seed: int = 0
    include_outage_risk: bool = True
    max_depreciation_years: int = Field(default=10, ge=1)


class DemandModel(Model):
    party: NonEmptyText
    servers: Real = Field(ge=0)
    rooms: Real = Field(default=1, ge=0)
    s0_mode: Literal["own", "contract"] = "own"


class PartyDemandModel(Model):
    example: bool = True
    source: Text = ""
    parties: tuple[DemandModel, ...] = ()


class SiteModel(Model):
    id: NonEmptyText
    label: NonEmptyText
    host: NonEmptyText
    external: bool | None = None  # default: true when the host is not a party
    town: Text = ""
    lat: Real
    lon: Real
    capacity_racks: Real = Field(ge=0)
    coordinates_source: Text = ""
    capacity_example: bool = True
    note: Text | None = None


class DistanceReferenceModel(Model):
    id: NonEmptyText
    km: int | Real
    label: Text
    source: Text = ""


class AssumptionsMetaModel(Model):
    title: Text | None = None
    version: int | None = None
    date: Text | None = None
    example_data: bool | None = None
    note_sv: Text | None = None
    reference: Text | None = None


class AssumptionsFile(Model):
    """``it_assumptions.yaml``."""

    meta: AssumptionsMetaModel = AssumptionsMetaModel()
    settings: SettingsModel = SettingsModel()
    parameters: dict[str, ParameterModel] = Field(min_length=1)
    party_demand: PartyDemandModel = PartyDemandModel()
    sites: tuple[SiteModel, ...] = ()
    distance_references: tuple[DistanceReferenceModel, ...] = ()
    msb_note: Text = ""


__all__ = [
    "AssumptionsFile",
    "ClaimModel",
    "ClaimsFile",
    "ExactNumber",
    "Model",
    "PartiesFile",
    "PartyModel",
    "PriceListFile",
    "QuantityModel",
    "validate",
    "validation_message",
]
