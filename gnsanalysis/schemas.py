"""The one schema layer: pydantic models for the project's YAML files, and Swedish errors.

Every model is frozen and refuses unknown keys. :func:`validate` turns a ``ValidationError`` into
the project's message form (file, key, found, expected, fix) as a :class:`ConfigError` (exit 2).
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from fractions import Fraction
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

from pydantic import AliasChoices, BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from gnsanalysis.errors import ConfigError, GnsError
from gnsanalysis.io import load_resource
from gnsanalysis.swedish.numbers import decimals_of, parse_fraction

# ---------- shared: base model, field types, the Swedish error renderer


class Model(BaseModel):
    """Frozen, strict about keys, and able to hold exact numbers."""

    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)


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
        return float(parse_fraction(value))
    return value


#: A finite float (the IT model computes in floats); Swedish text is accepted.
Real = Annotated[float, BeforeValidator(_real), Field(allow_inf_nan=False)]
#: An exact number (``Fraction``); written in YAML as a number or as text.
ExactNumber = Annotated[Fraction, BeforeValidator(parse_fraction)]
#: A text scalar; YAML numbers and dates are kept as they were written.
Text = Annotated[str, BeforeValidator(_text)]
NonEmptyText = Annotated[Text, Field(min_length=1)]

_EXPECTED = {
    "missing": "ett värde (nyckeln saknas)", "extra_forbidden": "ingen sådan nyckel",
    "string_type": "en text", "string_too_short": "en text som inte är tom",
    **dict.fromkeys(("bool_type", "bool_parsing"), "true eller false"),
    **dict.fromkeys(("int_type", "int_parsing"), "ett heltal"),
    **dict.fromkeys(("list_type", "tuple_type"), "en lista"),
    **dict.fromkeys(("dict_type", "model_type", "model_attributes_type"), "en tabell (nyckel: värde)"),
}
_FIX = {"missing": "lägg till nyckeln", "extra_forbidden": "ta bort nyckeln eller rätta stavningen"}


def _key_path(loc: tuple) -> str:
    out = ""
    for part in loc:
        if part == "[key]":  # pydantic's marker for a bad key in a table: the key itself is named
            continue
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


def _bound(value: float) -> str:
    """A bound in a message: digits grouped by spaces, a decimal comma (``100 000``, ``0,5``)."""
    return f"{value:_}".replace("_", " ").replace(".", ",")


def _expected(error: Any) -> str:
    """What the value should have been, in Swedish (with the bound or the choices pydantic names)."""
    kind, ctx = error["type"], error.get("ctx", {})
    if kind == "literal_error":
        return "ett av " + str(ctx.get("expected", "")).replace(" or ", " eller ")
    if kind == "value_error":
        return f"ett giltigt värde ({ctx.get('error', '') or error['msg']})"
    if kind == "too_short":
        return "en text som inte är tom" if isinstance(error.get("input"), str) else "minst ett element"
    if kind == "greater_than_equal":
        return f"ett tal som är minst {_bound(ctx['ge'])}"
    if kind == "less_than_equal":
        return f"ett tal som får vara högst {_bound(ctx['le'])}"
    return _EXPECTED.get(kind, "ett giltigt värde")


def _fix(error: Any, model: type[BaseModel] | None) -> str:
    """How to put it right; an unknown top-level key is followed by the known key it is closest to."""
    fix = f"Åtgärd: {_FIX.get(error['type'], 'rätta värdet')}."
    if error["type"] == "extra_forbidden" and model is not None and len(error["loc"]) == 1:
        close = difflib.get_close_matches(str(error["loc"][0]), list(model.model_fields), n=1)
        fix += f" Menade du {close[0]!r}?" if close else f" Kända nycklar: {', '.join(model.model_fields)}."
    return fix


def validation_message(exc: ValidationError, source: str | Path, model: type[BaseModel] | None = None) -> str:
    """The project's message form for every problem in ``exc`` (Swedish, one line each); with the
    ``model``, a misspelt key is answered with the key it is closest to."""
    name = Path(str(source)).name
    lines = [f"{name}, nyckel {_key_path(error['loc'])}: fann {_found(error)}, "
             f"förväntade {_expected(error)}. {_fix(error, model)}"
             for error in exc.errors(include_url=False)]
    return " ".join(lines) if len(lines) == 1 else "\n".join([f"{name} har fel:"] + lines)


M = TypeVar("M", bound=BaseModel)


def validate(model: type[M], data: Any, source: str | Path, error: type[GnsError] = ConfigError) -> M:
    """``data`` as ``model``, or ``error`` (a :class:`ConfigError` unless told: exit 2) in the
    project's message form."""
    try:
        return model.model_validate(data if data is not None else {})
    except ValidationError as exc:
        raise error(validation_message(exc, source, model)) from None


# ---------- resources/parties.yaml: the party registry


class QuantityModel(Model):
    """One sourced per-party figure; ``date`` (also written ``year``): when it applies; ``example``: invented
    (outputs say "Exempeldata"); ``derived``: computed from other figures (e.g. the county total)."""

    value: ExactNumber
    unit: Text | None = None
    source: Text | None = None
    date: Text | None = Field(default=None, validation_alias=AliasChoices("date", "year"))
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


# ---------- resources/claims.yaml: figures a document states, with their inputs

Operation = Literal["product", "sum", "difference", "quotient", "share"]


def _value_table(value: Any) -> Any:
    """A bare number ``9`` is short for ``{value: 9}``."""
    return value if isinstance(value, dict) else {"value": value}


class ClaimInputModel(Model):
    """One input of a claim: an exact value with its label and unit."""
    value: ExactNumber
    label: Text = ""
    unit: Text | None = None


def _stated_table(value: Any) -> Any:
    """As :func:`_value_table`; ``decimals`` defaults to the decimals printed in the value's text."""
    table = _value_table(value)
    if table.get("decimals") is None:
        raw = table.get("value")
        table = {**table, "decimals": decimals_of(raw) if isinstance(raw, str) else 0}
    return table


class StatedModel(Model):
    """The figure the document states: value, unit, printed decimals and, for a "ca." figure, the tolerance."""
    value: ExactNumber
    unit: Text | None = None
    label: Text = ""
    decimals: int = Field(default=0, ge=0)
    approximate: bool = False
    tolerance: ExactNumber | None = None


class InterpretationModel(Model):
    """Another reading of a claim (its own operation and inputs), recomputed beside it."""
    label: Text = ""
    operation: Operation
    inputs: tuple[ExactNumber, ...] = Field(min_length=1)


class ClaimModel(Model):
    """Schema of one claim in the claims file."""
    id: NonEmptyText
    title: Text | None = None
    operation: Operation
    inputs: tuple[Annotated[ClaimInputModel, BeforeValidator(_value_table)], ...] = Field(min_length=1)
    stated: Annotated[StatedModel, BeforeValidator(_stated_table)]
    quote: Text = ""
    source: Text = ""
    also_stated: Text | None = None
    note: Text | None = None
    result_label: Text | None = None
    interpretations: tuple[InterpretationModel, ...] = ()


class ClaimsFile(Model):
    """Schema of the claims file: a list of claims."""
    claims: tuple[ClaimModel, ...] = ()


# ---------- resources/pricelist.yaml: the common price list for resource time


class ResourceModel(Model):
    """A priced resource: hourly rate and the names it goes by."""
    id: Text | None = None
    name: NonEmptyText
    rate: ExactNumber
    variants: tuple[Text, ...] = ()


class UnpricedModel(Model):
    """A resource the decision names as chargeable without giving it a price."""
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


# ---------- resources/it_assumptions.yaml: the IT-serverdrift model


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
    """Model settings with their defaults (declared here only: the model reads every key)."""

    horizon_years: int = Field(default=5, ge=1)
    hours_per_year: int = 8760
    servers_per_rack: int = Field(default=12, ge=1)
    facility_depreciation_years: int = Field(default=10, ge=1)
    distribution: Literal["pert", "triangular"] = "pert"
    default_seed: int = 0
    include_outage_risk: bool = True
    max_depreciation_years: int = Field(default=10, ge=1)


class DemandModel(Model):
    """One party's servers and server rooms today, and whether it runs them itself or by contract."""
    party: NonEmptyText
    servers: Real = Field(ge=0)
    rooms: Real = Field(default=1, ge=0)
    s0_mode: Literal["own", "contract"] = "own"


class PartyDemandModel(Model):
    """The parties' demand with its source (example data until the parties give real figures)."""
    example: bool = True
    source: Text = ""
    parties: tuple[DemandModel, ...] = ()


class SiteModel(Model):
    """A possible hall site: its host, place, coordinates and capacity in racks."""
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
    """A recommended distance between sites (km) with its source."""
    id: NonEmptyText
    km: int | Real
    label: Text
    source: Text = ""


class AssumptionsMetaModel(Model):
    """The assumptions file's title, version, date and data status."""
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


# ---------- data/raw/*.meta.yaml: the optional metadata sidecar beside a raw input

def _period(value: Any) -> str:
    text = _text(value)
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", text):
        raise ValueError('ÅÅÅÅ-MM inom citattecken, t.ex. "2019-12"')
    return text


#: A period ``YYYY-MM`` (the last month a table covers).
Period = Annotated[str, BeforeValidator(_period)]


class ObjectModel(Model):
    """The ansvar/objekt an RR table covers (``{id: "6663", name: Serverdrift Åre}``)."""

    id: NonEmptyText
    name: Text | None = None


def _object(value: Any) -> Any:
    """``object: 6663`` is short for ``object: {id: "6663"}``."""
    if isinstance(value, str | int) and not isinstance(value, bool):
        return {"id": str(value)}
    return value


class SidecarFile(Model):
    """``<input>.meta.yaml``: adds what a file cannot say about itself (docs/inputs.md).

    ``document_figures``: figures the document states in prose; ``layout``: an RR layout id or one
    of its own (checked by :mod:`gnsanalysis.rr.read`).
    """

    file: NonEmptyText | None = None
    kind: NonEmptyText | None = None
    data_status: Literal["real", "example"] | None = None
    period: Period | None = None
    unit: NonEmptyText | None = None
    format: NonEmptyText | None = None
    layout: NonEmptyText | dict[str, Any] | None = None
    object: Annotated[ObjectModel | None, BeforeValidator(_object)] = None
    namnd: Text | None = None
    forvaltning: Text | None = None
    diarienummer: Text | None = None
    report_type: Text | None = None
    source_document: Text | None = None
    note: Text | None = None
    received: Text | None = None
    date: Text | None = None
    meeting: Text | None = None
    columns: dict[str, Text] | None = None
    document_figures: dict[str, Any] | None = None

    def as_meta(self) -> dict:
        """The keys the sidecar sets, as plain data (``object`` as ``{id, name}``)."""
        return self.model_dump(exclude_unset=True, exclude_none=True)


# ---------- resources/reports.yaml: the report registry


class RequirementModel(Model):
    """An input that must exist, unambiguously, before a report's kernel starts."""

    kind: Literal["rr", "stakeholder_matrix"]
    period_parameter: NonEmptyText | None = None
    reads: Literal["year_and_previous"] | None = None


class BuildForModel(Model):
    """``gns build`` makes one run per period of a table of ``kind`` whose month is in ``months``."""

    kind: Literal["rr"]
    months: tuple[Annotated[int, Field(ge=1, le=12)], ...] = Field(min_length=1)
    parameter: NonEmptyText


class ReportSpecModel(Model):
    """One report: its notebook, output name, title, parameter checks and default runs."""

    notebook: Annotated[str, Field(pattern=r"^[\w.-]+\.ipynb$")]
    title: NonEmptyText
    title_function: Annotated[str, Field(pattern=r"^[\w.]+:\w+$")] | None = None
    output: NonEmptyText
    # the output name when built from a parameter file (``gns report -f``): ``{file}`` is the
    # file's name made file-safe, so that a scenario never overwrites the default report
    scenario_output: Annotated[str, Field(pattern=r"\{file\}")] | None = None
    board: bool = True
    requires: tuple[RequirementModel, ...] = ()
    validators: dict[str, NonEmptyText] = {}
    state_validator: NonEmptyText | None = None
    build_for: BuildForModel | None = None
    default_runs: tuple[dict[str, Any], ...] = ({},)  # without build_for: one run with the defaults


class ReportsFile(Model):
    """``resources/reports.yaml``."""

    reports: dict[str, ReportSpecModel] = Field(min_length=1)


# ---------- resources/rr_layouts.yaml: known RR table layouts, row kinds, header words, noise lines


def _regex(value: Any) -> str:
    text = _text(value)
    try:
        re.compile(text)
    except re.error as exc:
        raise ValueError(f"ett reguljärt uttryck ({exc})") from None
    return text


Regex = Annotated[str, BeforeValidator(_regex)]
ColumnRole = Literal["outcome", "budget", "deviation", "previous", "previous_diff", "previous_pct",
                     "forecast", "annual_budget", "forecast_diff"]
RowRole = Literal["income", "costs"]


class TotalRuleModel(Model):
    """A row that is the sum of other rows (``kind: total`` for the result rows)."""

    row: NonEmptyText
    parts: tuple[NonEmptyText, ...] = Field(min_length=1)
    kind: Literal["total", "subtotal"] | None = None


class ColumnRuleModel(Model):
    """A column computed from two others: ``difference`` (a − b) or ``percent_change``."""

    name: NonEmptyText
    rule: Literal["difference", "percent_change"]
    of: tuple[NonEmptyText, NonEmptyText]


class RolesModel(Model):
    """Which column is the outcome, the budget, …; which row holds income and costs."""

    columns: dict[ColumnRole, NonEmptyText] = {}
    rows: dict[RowRole, NonEmptyText] = {}


class LayoutMatchModel(Model):
    """How a layout is recognised: the column headers a table must have."""
    columns: tuple[NonEmptyText, ...] = Field(min_length=1)


class LayoutModel(Model):
    """One known layout: how to recognise it, its sums, computed columns and column roles."""

    id: NonEmptyText
    name: Text | None = None
    source: Text | None = None
    unit: Literal["tkr", "mnkr", "mkr", "kr"] | None = None
    match: LayoutMatchModel | None = None
    header_columns: tuple[NonEmptyText, ...] = ()
    final_row: NonEmptyText | None = None
    totals: tuple[TotalRuleModel, ...] = ()
    columns: tuple[ColumnRuleModel, ...] = ()
    amount_columns: tuple[NonEmptyText, ...] = ()
    percent_columns: tuple[NonEmptyText, ...] = ()
    roles: RolesModel | None = None


class RowKindModel(Model):
    """Label patterns that give a row its kind when no layout says."""
    kind: Literal["total", "subtotal", "part_of"]
    patterns: tuple[Regex, ...] = Field(min_length=1)


class HeaderWordsModel(Model):
    """Words that make a line a column header, and how units are written."""

    heads: tuple[NonEmptyText, ...]
    modifiers: tuple[NonEmptyText, ...] = ()
    notes: tuple[NonEmptyText, ...] = ()
    groups: tuple[NonEmptyText, ...] = ()
    units: dict[Literal["tkr", "mnkr", "mkr", "kr"], tuple[NonEmptyText, ...]] = {}


class RRLayoutsFile(Model):
    """``resources/rr_layouts.yaml``."""

    layouts: tuple[LayoutModel, ...] = ()
    roles: RolesModel = RolesModel()
    kinds: tuple[RowKindModel, ...] = ()
    header_words: HeaderWordsModel
    # statements that are not an RR (kassaflödesanalys ...): the lower-case words of their rows
    other_statements: dict[NonEmptyText, tuple[NonEmptyText, ...]] = {}
    noise: tuple[Regex, ...] = ()


# ---------- packaged resources by name

#: The model of each YAML file in ``gnsanalysis/resources`` (tests validate every one).
RESOURCE_MODELS: dict[str, type[Model]] = {
    "parties.yaml": PartiesFile,
    "claims.yaml": ClaimsFile,
    "pricelist.yaml": PriceListFile,
    "it_assumptions.yaml": AssumptionsFile,
    "reports.yaml": ReportsFile,
    "rr_layouts.yaml": RRLayoutsFile,
}


def check_resource(name: str) -> Model:
    """The packaged resource ``name`` validated by its model (the RR reader skips this: start-up time)."""
    return validate(RESOURCE_MODELS[name], load_resource(name), name)

