"""The assumptions of the IT-serverdrift model: parameters with ranges, example demand, sites.

Everything is read from ``gnsanalysis/resources/it_assumptions.yaml``. A *parameter set* (the
thing the model evaluates) is a plain ``dict[str, float | numpy.ndarray]``: scalars for one
evaluation, equal-length 1-D arrays for a batch (Monte Carlo draws, tornado variations). The
same model function accepts both.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from gnsanalysis.errors import ConfigError, ParameterError
from gnsanalysis.io import load_resource, load_yaml
from gnsanalysis.parties.registry import Party, Registry, load_registry
from gnsanalysis.paths import RESOURCES_DIR
from gnsanalysis.schemas import AssumptionsFile, ParameterModel, validate
from gnsanalysis.swedish import format as fmt
from gnsanalysis.swedish.format import or_list

ASSUMPTIONS_FILE = "it_assumptions.yaml"


class Parameter(ParameterModel):
    """One uncertain input: the file's entry (low / mode / high with provenance) and its name."""

    name: str

    @property
    def fixed(self) -> bool:
        """True when the parameter has no range (low equals high)."""
        return self.low == self.high

    def check(self, where: str = "") -> None:
        """Raise a Swedish ParameterError unless low ≤ mode ≤ high."""
        if not (self.low <= self.mode <= self.high):
            raise ParameterError(
                f"{where}Parametern {self.name!r} ({self.label}) har låg {self.low}, typvärde "
                f"{self.mode} och hög {self.high}; det ska gälla låg ≤ typvärde ≤ hög. "
                "Åtgärd: rätta intervallet."
            )


@dataclass(frozen=True)
class Demand:
    """A party's (example) server demand and how it runs its servers today."""

    party: Party
    servers: float
    rooms: float
    s0_mode: str  # "own" | "contract"


@dataclass(frozen=True)
class Site:
    """A candidate host site for a shared hall."""

    id: str
    label: str
    host: Party
    external: bool
    town: str
    lat: float
    lon: float
    capacity_racks: float
    coordinates_source: str
    capacity_example: bool = True
    note: str | None = None


@dataclass(frozen=True)
class Assumptions:
    """Parameters, settings, per-party demand and sites, all from one YAML file."""

    parameters: dict[str, Parameter]
    settings: dict
    demand: list[Demand]
    demand_source: str
    demand_example: bool
    sites: dict[str, Site]
    distance_references: list[dict]
    meta: dict
    registry: Registry = field(repr=False)

    # -- views ---------------------------------------------------------------------------
    @property
    def horizon(self) -> int:
        """The planning horizon in years (``settings.horizon_years``)."""
        return int(self.settings["horizon_years"])

    def base_params(self) -> dict[str, float]:
        """Most-likely value of every parameter (the base case)."""
        return {name: p.mode for name, p in self.parameters.items()}

    def with_overrides(self, overrides: Mapping[str, object] | None) -> Assumptions:
        """A copy with some parameters changed.

        A value that is a number sets the mode and must lie in the parameter's range (the
        explorer's control allows the same range); a mapping with any of ``low``/``mode``/``high``
        replaces those, which is how a file says on purpose that it uses another range.
        Unknown names and values outside the range raise ParameterError.
        """
        if not overrides:
            return self
        params = dict(self.parameters)
        for name, value in overrides.items():
            if name not in params:
                raise ParameterError(unknown_parameter_message(name, params))
            p = params[name]
            if isinstance(value, Mapping):
                bad = set(value) - {"low", "mode", "high"}
                if bad:
                    raise ParameterError(
                        f"Parametern {name!r}: okända fält {sorted(bad)}; tillåtna är low, mode "
                        "och high."
                    )
                bounds: dict[str, Any] = {k: _as_float(v, f"{name}.{k}") for k, v in value.items()}
                new = p.model_copy(update=bounds)
            else:
                v = _as_float(value, name)
                if not p.low <= v <= p.high:
                    raise ParameterError(_outside_range_message(p, v))
                new = p.model_copy(update={"mode": v})
            new.check()
            params[name] = new
        return replace(self, parameters=params)

    def with_settings(self, **settings) -> Assumptions:
        """A copy with model settings changed (e.g. ``include_outage_risk=False``)."""
        unknown = set(settings) - set(self.settings)
        if unknown:
            raise ParameterError(f"Okända modellinställningar: {', '.join(sorted(unknown))}. "
                                 f"Kända: {', '.join(self.settings)}.")
        return replace(self, settings=self.settings | settings)

    def table(self) -> pd.DataFrame:
        """One row per parameter: name, label, unit, low, mode, high, guess, source, note."""
        df = pd.DataFrame([p.model_dump() for p in self.parameters.values()])[list(PARAMETER_TABLE_LABELS)]
        df["note"] = [n or "" for n in df["note"]]
        df.attrs["labels"] = PARAMETER_TABLE_LABELS
        return df


PARAMETER_TABLE_LABELS = {
    "name": "Parameter", "label": "Antagande", "unit": "Enhet", "low": "Låg",
    "mode": "Troligast", "high": "Hög", "guess": "Uppskattning utan källa", "main": "Reglage",
    "source": "Källa", "note": "Kommentar",
}


def control_step(low: float, high: float, integer: bool) -> Decimal:
    """The explorer's step for a parameter: the power of ten at or below a twentieth of its range."""
    span = high - low
    if span <= 0:
        return Decimal(1)
    step = Decimal(1).scaleb(math.floor(math.log10(span / 20)))
    return max(step, Decimal(1)) if integer else step


def step_decimals(step: Decimal) -> int:
    """Decimals shown and stored for a step (``0,01`` → 2)."""
    exponent = step.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _outside_range_message(p: Parameter, value: float) -> str:
    """Swedish: the value, the allowed range (as the explorer shows it), and how to ask for another range."""
    decimals = step_decimals(control_step(p.low, p.high, p.integer))
    shown = [fmt.number(value, max(decimals, fmt.decimals_needed(value))),
             fmt.number(p.low, decimals), fmt.number(p.high, decimals)]
    return (f"Parametern {p.name!r} ({p.label}): {shown[0]} ligger utanför det tillåtna intervallet "
            f"{shown[1]}–{shown[2]} {p.unit} (samma som i utforskaren). Ange ett värde inom intervallet, "
            f"eller skriv ett eget intervall: {p.name}: {{low: …, mode: …, high: …}}.")


def _as_float(value, name: str) -> float:
    if isinstance(value, bool):
        raise ParameterError(f"Parametern {name!r} har värdet {value!r}, som inte är ett tal.")
    try:
        out = float(str(value).replace(",", ".").replace("\u2212", "-").replace(" ", "")) \
            if isinstance(value, str) else float(value)
    except (TypeError, ValueError):
        raise ParameterError(
            f"Parametern {name!r} har värdet {value!r}, som inte är ett tal. "
            "Förväntade t.ex. 0,9 eller 25000."
        ) from None
    if not np.isfinite(out):
        raise ParameterError(f"Parametern {name!r} har värdet {value!r}, som inte är ändligt.")
    return out


def unknown_parameter_message(name: str, known) -> str:
    """A Swedish error message for an unknown parameter ``name``, with close matches among ``known``."""
    close = difflib.get_close_matches(str(name), list(known), n=3, cutoff=0.6)
    text = f"Okänd parameter {name!r} i IT-serverdriftsmodellen."
    if close:
        text += f" Menade du {or_list([repr(c) for c in close])}?"
    return text + f" Kända parametrar: {', '.join(sorted(known))}."


def _parse(data: Mapping, registry: Registry, source: str) -> Assumptions:
    model = validate(AssumptionsFile, data, source)
    where = f"Antagandefilen {Path(source).name}: "
    params: dict[str, Parameter] = {}
    for name, raw in model.parameters.items():
        p = Parameter(name=str(name), **raw.model_dump())
        try:
            p.check()
        except ParameterError as exc:
            raise ConfigError(where + str(exc)) from None
        params[p.name] = p

    demand_block = model.party_demand
    demand = [Demand(registry.resolve(raw.party, parties_only=True), raw.servers, raw.rooms, raw.s0_mode)
              for raw in demand_block.parties]
    codes = [d.party.code for d in demand]
    if len(set(codes)) != len(codes):
        raise ConfigError(where + "en part förekommer mer än en gång under party_demand. Åtgärd: ta bort dubbletten.")
    missing_parties = [p.name for p in registry.parties if p.code not in codes]
    if missing_parties:
        raise ConfigError(where + f"efterfrågan saknas för {', '.join(missing_parties)}. "
                          "Åtgärd: lägg till dem under party_demand (0 servrar om ingen).")
    order = {p.code: i for i, p in enumerate(registry.parties)}
    demand.sort(key=lambda d: order[d.party.code])

    sites = {}
    for site in model.sites:
        host = registry.resolve(site.host)
        external = (not host.party) if site.external is None else site.external
        sites[site.id] = Site(**site.model_dump() | {"host": host, "external": external})
    return Assumptions(
        parameters=params, settings=model.settings.model_dump(), demand=demand,
        demand_source=demand_block.source, demand_example=demand_block.example, sites=sites,
        distance_references=[r.model_dump() for r in model.distance_references],
        meta=model.meta.model_dump(exclude_unset=True) | {"msb_note": model.msb_note},
        registry=registry,
    )


@cache
def _default() -> Assumptions:
    return _parse(load_resource(ASSUMPTIONS_FILE), load_registry(), ASSUMPTIONS_FILE)


def load_assumptions(path: str | Path | None = None, registry: Registry | None = None) -> Assumptions:
    """The shipped assumptions (cached) or those in ``path``."""
    if path is None and registry is None:
        return _default()
    if path is None:
        path = RESOURCES_DIR / ASSUMPTIONS_FILE
    data, _decoded = load_yaml(path, what="Antagandefilen")
    return _parse(data or {}, registry or load_registry(), str(path))


# --------------------------------------------------------------------------- sampling
def sample(assumptions: Assumptions, n: int, seed: int | None = None,
           distribution: str | None = None) -> dict[str, np.ndarray]:
    """``n`` independent draws per parameter (PERT with λ = 4, or triangular), file order, one seeded generator."""
    if n < 1:
        raise ParameterError(f"Antalet dragningar måste vara minst 1, inte {n}.")
    distribution = distribution or assumptions.settings["distribution"]
    if distribution not in ("pert", "triangular"):
        raise ParameterError(f"Okänd fördelning {distribution!r}; välj 'pert' eller 'triangular'.")
    if seed is None:
        seed = int(assumptions.settings["default_seed"])
    rng = np.random.default_rng(seed)
    out: dict[str, np.ndarray] = {}
    for name, p in assumptions.parameters.items():
        if p.fixed:
            out[name] = np.full(n, p.mode)
            continue
        width = p.high - p.low
        if distribution == "triangular":
            out[name] = rng.triangular(p.low, p.mode, p.high, size=n)
        else:
            alpha = 1 + 4 * (p.mode - p.low) / width
            beta = 1 + 4 * (p.high - p.mode) / width
            out[name] = p.low + width * rng.beta(alpha, beta, size=n)
    return out


def example_parts(a: Assumptions) -> list[str]:
    """What in the comparison is example data, from the flags in it_assumptions.yaml (``example``
    for the demand, ``capacity_example`` per site, ``guess`` per parameter)."""
    parts = []
    if a.demand_example:
        parts.append("parternas serverantal")
    if any(s.capacity_example for s in a.sites.values()):
        parts.append("hallarnas kapacitet")
    guesses = [p for p in a.parameters.values() if p.guess]
    if guesses:
        parts.append(f"{len(guesses)} av {len(a.parameters)} antaganden")
    return parts


def guesses_sentence(a: Assumptions) -> str:
    """How many assumptions are guesses and which data are examples, from the YAML's flags."""
    guesses = [p for p in a.parameters.values() if p.guess]
    text = (f"{len(guesses)} av {len(a.parameters)} antaganden är uppskattningar utan källa (exempelantaganden)"
            if guesses else f"Alla {len(a.parameters)} antaganden har källa")
    data = [p for p in example_parts(a) if not p.endswith("antaganden")]
    if data:
        text += f"; dessutom är {fmt.join_list(data)} exempeldata"
    return text + "."


def guess_summary(assumptions: Assumptions) -> dict:
    """Which parameters are guesses, with the Swedish sentence of :func:`guesses_sentence`."""
    guesses = [p.name for p in assumptions.parameters.values() if p.guess]
    sourced = [p.name for p in assumptions.parameters.values() if not p.guess]
    return {"guesses": guesses, "sourced": sourced, "text": guesses_sentence(assumptions)}
