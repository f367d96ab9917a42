"""The explorer's state, tested without a browser: number controls (the ``main`` parameters of
``resources/it_assumptions.yaml``), Swedish number input, named scenario files under ``parametrar/``,
the replay command, per-party figures rounded as the board report rounds them, and comparisons.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import pandas as pd
import yaml
from pydantic import model_validator

from gnsanalysis import paths
from gnsanalysis.errors import GnsError, ParameterError
from gnsanalysis.io import atomic_write, load_yaml, slug
from gnsanalysis.scenarios.assumptions import Parameter, control_step, load_assumptions, step_decimals
from gnsanalysis.scenarios.explore import (
    STATE_KEYS,
    ExploreState,
    display_path,
    explore,
    party_rows,
    plain_values,
    replay_command,
    validate_state,
)
from gnsanalysis.schemas import Model, Text
from gnsanalysis.swedish import format as fmt
from gnsanalysis.swedish.numbers import NumberFormatError, parse_number

SCENARIO_KEY = "scenario"  # the file's name/description block; not a report parameter
# the state keys the explorer writes (all of them are parameters of the board report's notebook)
SAVED_KEYS = STATE_KEYS
EXPLORE_DRAWS = 1000  # Monte Carlo draws while exploring (the saved report uses n_draws)


class InputError(ParameterError):
    """A value typed into the explorer that cannot be used (message in Swedish)."""


# --------------------------------------------------------------------------- controls

class Control(Parameter):
    """One number field of the explorer: a ``main`` parameter (label, unit, source, range) with the
    field's default (the parameter's mode on the step) and step."""

    default: float
    step: Decimal

    @property
    def decimals(self) -> int:
        """Decimals shown and stored: those of the step (``0,01`` → 2)."""
        return step_decimals(self.step)

    def show(self, value) -> str:
        """The value in Swedish format at the control's precision (``1,41``, ``72 000``)."""
        return fmt.number(value, self.decimals)

    def stored(self, value: Decimal):
        """A value on the control's step as the YAML stores it: a whole number without ``.0``."""
        return int(value) if self.integer or self.step >= 1 else float(value)

    @property
    def range_text(self) -> str:
        """The allowed range in Swedish (``0,50–3,00``)."""
        return f"{self.show(self.low)}–{self.show(self.high)} {self.unit}"

    @property
    def full_label(self) -> str:
        """The label with its unit."""
        return f"{self.label} ({self.unit})"

    @property
    def source_text(self) -> str:
        """Where the value comes from (or that it is a guess)."""
        return "Uppskattning utan källa" if self.guess else f"Källa: {self.source.strip().rstrip('.')}"


def controls() -> dict[str, Control]:
    """The explorer's number controls (the ``main`` parameters of it_assumptions.yaml)."""
    out = {}
    for name, p in load_assumptions().parameters.items():
        if not p.main:
            continue
        step = control_step(p.low, p.high, p.integer)
        out[name] = Control(**p.model_dump(), default=float(round_to_step(p.mode, step)), step=step)
    return out


def round_to_step(value, step: Decimal) -> Decimal:
    """``value`` rounded half up to a multiple of ``step`` (exact decimal: no float noise)."""
    d = Decimal(str(value))
    return ((d / step).to_integral_value(rounding="ROUND_HALF_UP") * step).normalize() + 0


def parse_input(text, control: Control):
    """A typed value → number rounded to the control's step, or :class:`InputError`."""
    raw = str(text).strip()
    compact = raw.replace(" ", "").replace("\u00a0", "")
    point = "," not in raw and re.fullmatch(r"[-−–+]?\d+\.\d+", compact)  # 1.41: a decimal point
    value: Decimal | None
    try:
        value = parse_number(compact, decimal=".") if point else parse_number(raw, decimal=",")
    except (NumberFormatError, InvalidOperation):
        value = None
    if value is not None and point and control.step >= 1 and re.fullmatch(r"[-−–+]?\d{1,3}\.\d{3}", compact):
        value = _point_reading(raw, value, control)
    if value is None:
        raise InputError(f"{control.label}: {raw!r} är inte ett tal. Skriv t.ex. "
                         f"{control.show(control.default)} (decimalkomma eller punkt går bra, "
                         f"mellanslag mellan tusental). Tillåtet: {control.range_text}.")
    rounded = round_to_step(value, control.step)
    if not _allowed(rounded, control):
        raise InputError(f"{control.label}: {raw} ligger utanför det tillåtna "
                         f"intervallet {control.range_text}.")
    return control.stored(rounded)


def _allowed(value: Decimal, control: Control) -> bool:
    return Decimal(str(control.low)) <= value <= Decimal(str(control.high))


def _point_reading(raw: str, decimal: Decimal, control: Control) -> Decimal:
    """``100.000`` in a field of whole kronor: a decimal point (100,0) or a thousands point (100 000)?
    The reading the field allows, when only one does; otherwise the user is asked which was meant."""
    thousands = decimal * 1000
    fits = [v for v in (decimal, thousands) if _allowed(round_to_step(v, control.step), control)]
    if len(fits) == 1:
        return fits[0]
    raise InputError(f"{control.label}: {raw!r} kan läsas både som {raw.replace('.', ',')} och som "
                     f"{raw.replace('.', ' ')}. Skriv {raw.replace('.', ' ')} (mellanslag mellan tusental) "
                     f"eller {raw.replace('.', ',')} (decimalkomma). Tillåtet: {control.range_text}.")


# --------------------------------------------------------------------------- selection

def selection_state(values: Mapping, coalition: Sequence[str], allocation_key: str, *,
                    base: Mapping | None = None, per_party: str | None = None) -> dict:
    """A state to save (or compute) from the controls: only changed assumptions are written."""
    ctl = controls()
    changed = {}
    for name, value in values.items():
        c = ctl[name]
        v = round_to_step(value, c.step)
        if v != round_to_step(c.default, c.step):
            changed[name] = c.stored(v)
    state = validate_state(None)  # a fresh copy of the defaults
    if base:
        state.update({k: v for k, v in base.items() if k in SAVED_KEYS})
    state.update(coalition=list(coalition), allocation_key=allocation_key, assumptions=changed)
    if per_party:
        state["per_party"] = per_party  # the scenario the page shows per party, shown so in the report
    return state


class Selection(ExploreState):
    """A state as a scenario file or the explorer's save holds it: if parties are named, at least two."""

    @model_validator(mode="after")
    def _two_parties(self) -> Selection:
        if self.coalition is not None and len(self.coalition) == 0:
            raise ParameterError("Inga parter är valda. Välj minst två parter: annars finns inget "
                                 "gemensamt scenario att jämföra.")
        if self.coalition is not None and len(self.coalition) < 2:
            raise ParameterError("Bara en part är vald. Välj minst två parter för en gemensam lösning.")
        return self


class ScenarioName(Model):
    """The name block of a scenario file (``scenario: {name, description}``); not a report parameter."""

    name: Text = ""
    description: Text = ""


class ParametersFile(Selection):
    """A parameter file for ``gns report it-serverdrift -f``: the selection, its name block, and the
    report's front-page parameters (whose values ``gns report`` checks, as for ``-p``)."""

    scenario: ScenarioName | None = None
    status: Any = None
    namnd: Any = None
    diarienummer: Any = None
    datum: Any = None
    handlaggare: Any = None


# the IT report's front-page parameters, which a scenario file may also set (with SAVED_KEYS, the
# notebook's parameters cell: tests/scenarios/test_explore_state.py checks the two against it)
REPORT_KEYS = tuple(k for k in ParametersFile.model_fields if k not in SAVED_KEYS and k != SCENARIO_KEY)


def check_selection(state: Mapping) -> dict:
    """The state as the report will read it, or ParameterError saying why it cannot be saved."""
    return validate_state(state, model=Selection)


def check_parameters_file(data: dict, path: Path) -> dict:
    """A parameter file for ``gns report`` without the explorer's name block; a bad selection raises (exit 2).

    A file that neither names a scenario nor sets a state key is another report's and passes unchecked.
    """
    data = dict(data)
    if SCENARIO_KEY in data or set(data) & set(SAVED_KEYS):
        _checked_file(data, path)
    data.pop(SCENARIO_KEY, None)
    return data


def _checked_file(data: dict, path: Path) -> dict:
    """The file as :class:`ParametersFile` (defaults filled in), or ParameterError naming the file."""
    try:
        return validate_state(data, path.name, ParametersFile)
    except ParameterError as exc:
        raise ParameterError(f"Parameterfilen {path.name} går inte att använda: {exc} "
                             "Rapporten byggdes inte.") from None


# --------------------------------------------------------------------------- files

def scenario_dir() -> Path:
    """Where scenarios are saved: ``parametrar/`` at the project root (``GNS_EXPLORE_DIR`` overrides)."""
    override = os.environ.get("GNS_EXPLORE_DIR")
    return Path(override).resolve() if override else paths.PARAMETERS_DIR


def scenario_path(name: str, folder: Path | None = None) -> Path:
    """The file a named scenario is saved in under ``parametrar/`` (name made file-safe)."""
    s = slug(name)
    if not s:
        raise ParameterError("Ge scenariot ett namn (bokstäver eller siffror), t.ex. ”Dyr el”.")
    return (folder or scenario_dir()) / f"{s}.yaml"


def save_scenario(name: str, description: str, state: Mapping, *, folder: Path | None = None,
                  overwrite: bool = False) -> Path:
    """Write a named scenario; ``FileExistsError``-like ParameterError unless ``overwrite``."""
    name = " ".join(str(name).split())
    path = scenario_path(name, folder)
    checked = check_selection(state)
    if path.exists() and not overwrite:
        raise ScenarioExists(path)
    body = {SCENARIO_KEY: {"name": name, "description": " ".join(str(description or "").split())}}
    body.update({k: checked[k] for k in SAVED_KEYS})
    text = ("# Scenario för rapporten IT-serverdrift, sparat från utforskaren (gns explore).\n"
            "# Återskapa rapporten i projektmappen:\n"
            f"#   {replay_command(path)}\n")
    text += yaml.safe_dump(plain_values(body), allow_unicode=True, sort_keys=False)
    atomic_write(path, text.encode("utf-8"))
    return path


class ScenarioExists(ParameterError):
    """A scenario with that name is saved already (overwrite not chosen)."""
    def __init__(self, path: Path):
        self.path = path
        super().__init__(f"Det finns redan ett scenario i {display_path(path)}. Välj ”Skriv över” "
                         "för att ersätta det, eller ge scenariot ett annat namn.")


@dataclass
class Saved:
    """A scenario read back from ``parametrar/``."""
    name: str
    description: str
    path: Path
    state: dict


def load_scenario(path: Path) -> Saved:
    """A saved scenario, checked as the report checks it."""
    path = Path(path)
    if not path.is_file():
        raise ParameterError(f"Scenariofilen {display_path(path)} finns inte.")
    data, _ = load_yaml(path)
    if not isinstance(data, dict):
        raise ParameterError(f"Scenariofilen {path.name} ska innehålla nyckel: värde-par.")
    checked = _checked_file(data, path)
    meta = checked[SCENARIO_KEY] or {}
    state = {k: checked[k] for k in SAVED_KEYS}
    return Saved(meta.get("name") or path.stem, meta.get("description", ""), path, state)


def list_scenarios(folder: Path | None = None, problems: list[str] | None = None) -> list[Saved]:
    """Every readable scenario in the folder, sorted by name; why each other file could not be
    read is appended to ``problems`` (a hand-edited file must not break the list, nor vanish unsaid)."""
    folder = folder or scenario_dir()
    out = []
    for p in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        try:
            out.append(load_scenario(p))
        except Exception as exc:  # noqa: BLE001 - any reason is told, in Swedish where it is ours
            if problems is not None:
                problems.append(str(exc) if isinstance(exc, GnsError) else f"{p.name}: {exc}")
    return sorted(out, key=lambda s: s.name.lower())


# --------------------------------------------------------------------------- figures

def key_figures(result: dict) -> dict[str, float | None]:
    """Five-year NPV per model scenario (kr; None when not feasible)."""
    cmp = result["compare"]
    return {r.scenario: (float(r.npv) if r.feasible else None) for r in cmp.itertuples()}


def compare_saved(saved: Sequence[Saved], scenario: str = "S1"):
    """Side by side: key figures (mnkr) and per-party cost in ``scenario`` (tkr, each file's key)."""
    if len(saved) < 2:
        raise ParameterError("Välj minst två sparade scenarier att jämföra.")
    figures, parties, titles = {}, {}, {}
    for s in saved:
        res = explore(s.state, full=False)
        for r in res["compare"].itertuples():
            titles[r.scenario] = r.title
        figures[s.name] = {code: (None if v is None else v / 1_000_000) for code, v in key_figures(res).items()}
        parties[s.name] = {short: total for short, total, _ in party_rows(res, scenario, s.state["allocation_key"])}
    fig = pd.DataFrame(figures)
    fig.index = [titles.get(c, c) for c in fig.index]
    per = pd.DataFrame(parties)
    return fig, per
