"""Pricing resource time with the nämnd's common price list (GNS 2019-06-03 §18).

The list is data (``gnsanalysis/resources/pricelist.yaml``) with its source. Amounts are exact
(``Decimal``): hours may have decimals (``2,5`` hours of a jurist is 1 612,5 kr).
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from gnsanalysis.errors import ParameterError
from gnsanalysis.io import load_resource, load_yaml
from gnsanalysis.parties.registry import normalize_name
from gnsanalysis.schemas import PriceListFile, validate
from gnsanalysis.swedish.format import kr, or_list
from gnsanalysis.swedish.numbers import parse_fraction
from gnsanalysis.swedish.rounding import to_decimal

PRICELIST_FILE = "pricelist.yaml"


@dataclass(frozen=True)
class Resource:
    """A priced resource of the price list: hourly rate in kronor and the names it goes by."""
    id: str
    name: str
    rate: Decimal  # kr per hour
    variants: tuple[str, ...] = ()


@dataclass
class PriceList:
    """The common price list for resource time, with a name index for looking resources up."""
    resources: list[Resource]
    source: str | None = None
    decided: str | None = None
    unit: str = "kr/timme"
    unpriced: tuple[str, ...] = ()  # resources named as chargeable but without a price
    reference: str | None = None  # short citation for messages, e.g. "GNS 2019-06-03 §18"
    _index: dict[str, Resource] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._index = {}
        for r in self.resources:
            for label in (r.id, r.name, *r.variants):
                self._index[normalize_name(label)] = r
        self._unpriced = {normalize_name(u) for u in self.unpriced}

    def known(self) -> str:
        """Every priced resource with its hourly rate, as a Swedish list for error messages."""
        return ", ".join(f"{r.name} ({kr(r.rate)}/tim)" for r in self.resources)

    def resolve(self, name: str) -> Resource:
        """The resource called ``name`` (id, name or variant; case-insensitive)."""
        key = normalize_name(name)
        if key in self._index:
            return self._index[key]
        if key in self._unpriced:
            raise ParameterError(
                f"Resursen {name!r} nämns i beslutet som debiterbar men har inget pris i "
                f"prislistan ({self.reference or self.source}). Kända resurser: {self.known()}."
            )
        close = difflib.get_close_matches(key, list(self._index), n=2, cutoff=0.6)
        hint = ""
        if close:
            names = list(dict.fromkeys(self._index[c].name for c in close))
            hint = f" Menade du {or_list(names)}?"
        raise ParameterError(f"Okänd resurs {name!r}.{hint} Kända resurser: {self.known()}.")


def _hours(resource: Resource, value) -> Decimal:
    """Hours of ``resource`` as an exact Decimal, from a number or Swedish text (``"2,5"``)."""
    what = f"Antalet timmar för {resource.name}"
    if value is None or not str(value).strip():
        raise ParameterError(f"{what} saknar värde.")
    try:
        exact = parse_fraction(value)
    except ValueError:
        raise ParameterError(f"{what} {value!r} är inte ett tal.") from None
    if to_decimal(exact) != exact:  # a third of an hour is no exact decimal
        raise ParameterError(f"{what} {value!r} är inget exakt antal timmar; skriv det som ett decimaltal.")
    if exact < 0:
        raise ParameterError(f"{what} är negativt ({value!r}).")
    return to_decimal(exact)


def _from_mapping(data: Mapping, source: str) -> PriceList:
    model = validate(PriceListFile, data, source)
    resources = [Resource(r.id or r.name, r.name, to_decimal(r.rate), r.variants) for r in model.resources]
    unpriced = [name for u in model.unpriced for name in (u.name, *u.variants)]
    return PriceList(resources, source=model.source or source, decided=model.decided or None,
                     unit=model.unit, unpriced=tuple(unpriced), reference=model.reference)


@cache
def _default() -> PriceList:
    return _from_mapping(load_resource(PRICELIST_FILE), PRICELIST_FILE)


def load_pricelist(path: str | Path | None = None) -> PriceList:
    """The shipped price list (cached) or the one in ``path``."""
    if path is None:
        return _default()
    data, _decoded = load_yaml(path, what="Prislistan")
    return _from_mapping(data or {}, str(path))


def price(resource: str, hours, pricelist: PriceList | None = None) -> Decimal:
    """Cost in kronor of ``hours`` of ``resource`` (exact)."""
    r = (pricelist or load_pricelist()).resolve(resource)
    return r.rate * _hours(r, hours)


def price_hours(hours: Mapping[str, object], pricelist: PriceList | None = None) -> pd.DataFrame:
    """One row per resource: ``resurs``, ``timmar``, ``timkostnad``, ``belopp`` (kr, exact
    ``Decimal``); ``df.attrs["total"]`` is the sum and ``df.attrs["source"]`` the price list
    source. The same resource named twice (e.g. "ekonom" and "Ekonomi") is an error."""
    pricelist = pricelist or load_pricelist()
    rows: list[dict[str, Any]] = []
    seen: dict[str, str] = {}
    for name, h in hours.items():
        r = pricelist.resolve(name)
        if r.id in seen:
            raise ParameterError(f"Resursen {r.name} anges två gånger ({seen[r.id]!r} och {name!r}).")
        seen[r.id] = name
        timmar = _hours(r, h)
        rows.append({"resurs": r.name, "timmar": timmar, "timkostnad": r.rate, "belopp": r.rate * timmar})
    df = pd.DataFrame(rows, columns=["resurs", "timmar", "timkostnad", "belopp"])
    df.attrs["total"] = sum((r["belopp"] for r in rows), Decimal(0))
    df.attrs["source"] = pricelist.source
    return df
