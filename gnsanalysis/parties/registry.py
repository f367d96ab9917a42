"""The party registry (``resources/parties.yaml``): the nine parties of GNS and what documents call them.

Actors that are not parties (e.g. Jämtlands Räddningstjänstförbund) are listed with ``party=False``,
so a matrix naming them is reported as information, not as an unknown name. Registry order is the
file's (SCB kommunkod order, the region last): the order of every table and the final tie-break of
:mod:`gnsanalysis.parties.allocation`.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from gnsanalysis.errors import ConfigError, ParameterError
from gnsanalysis.io import load_resource, load_yaml
from gnsanalysis.schemas import PartiesFile, PartyModel, QuantityModel, validate
from gnsanalysis.swedish.format import or_list

REGISTRY_FILE = "parties.yaml"


@dataclass(frozen=True)
class Party:
    """A party of the nämnd (or, with ``party=False``, an actor that is not one)."""

    code: str
    name: str
    short: str
    kind: str
    party: bool = True
    variants: tuple[str, ...] = field(default=(), compare=False)
    quantities: Mapping[str, QuantityModel] = field(default_factory=dict, compare=False)
    note: str | None = field(default=None, compare=False)

    def quantity(self, key: str) -> QuantityModel | None:
        """The party's quantity called ``key`` (e.g. ``population``), or ``None`` when the registry has none."""
        return self.quantities.get(key)

    def __str__(self) -> str:
        return self.name


def normalize_name(text: str) -> str:
    """Lower-case, NFC, whitespace collapsed, en/em dashes and hyphens spaced alike."""
    text = unicodedata.normalize("NFC", str(text))
    text = text.replace("\u00a0", " ").replace("\u2013", "-").replace("\u2014", "-")
    text = re.sub(r"\s*-\s*", "-", text)
    return re.sub(r"\s+", " ", text).strip().casefold()


def _party(raw: PartyModel, default_party: bool) -> Party:
    return Party(code=raw.code, name=raw.name, short=raw.short or raw.name, kind=raw.kind,
                 party=default_party if raw.party is None else raw.party, variants=raw.variants,
                 quantities=raw.quantities(), note=raw.note)


class Registry:
    """Parties and non-party actors, with name resolution."""

    def __init__(self, entries: Iterable[Party], *, source: str | Path | None = None) -> None:
        self.source = source
        self._all: list[Party] = list(entries)
        self._index: dict[str, Party] = {}
        for entry in self._all:
            for label in (entry.name, entry.short, entry.code, *entry.variants):
                key = normalize_name(label)
                other = self._index.get(key)
                if other is not None and other.code != entry.code:
                    raise ConfigError(
                        f"Partsregistret {source or ''}: namnet {label!r} används av både "
                        f"{other.name} och {entry.name}. Åtgärd: ta bort den ena varianten."
                    )
                self._index[key] = entry

    # -- construction -------------------------------------------------------------------
    @classmethod
    def from_mapping(cls, data: Mapping, *, source: str | Path | None = None) -> Registry:
        """A registry from the content of a ``parties.yaml`` (validated by :mod:`gnsanalysis.schemas`)."""
        model = validate(PartiesFile, data, source or REGISTRY_FILE)
        entries = [_party(raw, default_party)
                   for section, default_party in ((model.parties, True), (model.actors, False))
                   for raw in section]
        return cls(entries, source=source)

    # -- access ---------------------------------------------------------------------------
    @property
    def parties(self) -> list[Party]:
        """The parties of the nämnd in registry order (non-party actors excluded)."""
        return [p for p in self._all if p.party]

    def order(self, entry: Party) -> int:
        """Position in the registry (parties first, then actors)."""
        return next(i for i, p in enumerate(self._all) if p.code == entry.code)

    def lookup(self, name: str) -> Party | None:
        """The party or actor called ``name``, or None."""
        return self._index.get(normalize_name(name))

    def close_matches(self, name: str) -> list[str]:
        """Canonical names of at most three entries whose best label looks like ``name`` (difflib ratio), best first."""
        key = normalize_name(name)
        best: dict[str, float] = {}
        for label, entry in self._index.items():
            best[entry.name] = max(best.get(entry.name, 0.0), difflib.SequenceMatcher(None, key, label).ratio())
        top = max(best.values(), default=0.0)
        ranked = sorted(best.items(), key=lambda kv: -kv[1])
        return [nm for nm, sc in ranked if sc >= 0.6 and sc >= top - 0.1][:3]

    def resolve(self, name: str, *, parties_only: bool = False) -> Party:
        """The party (or actor) called ``name``; ParameterError with close matches otherwise."""
        entry = self.lookup(name)
        if entry is None:
            raise ParameterError(self.unknown_message(name))
        if parties_only and not entry.party:
            raise ParameterError(
                f"{entry.name} är inte part i nämnden och kan inte ingå i en fördelning. "
                f"Parterna är: {', '.join(p.name for p in self.parties)}."
            )
        return entry

    def resolve_many(self, names: Iterable[str], *, parties_only: bool = True) -> list[Party]:
        """Resolve each name; duplicates (after resolution) are an error."""
        out: list[Party] = []
        for name in names:
            party = self.resolve(name, parties_only=parties_only)
            if party in out:
                raise ParameterError(f"{party.name} anges mer än en gång (som {name!r}).")
            out.append(party)
        return out

    def unknown_message(self, name: str) -> str:
        """A Swedish error message for an unknown party ``name``, with close matches and the known parties."""
        matches = self.close_matches(name)
        text = f"Okänd part {name!r}."
        if matches:
            text += f" Menade du {or_list(matches)}?"
        text += f" Kända parter: {', '.join(p.short for p in self.parties)}."
        return text


@cache
def _default_registry() -> Registry:
    return Registry.from_mapping(load_resource(REGISTRY_FILE), source=REGISTRY_FILE)


def load_registry(path: str | Path | None = None) -> Registry:
    """The shipped registry (cached) or the one in ``path``."""
    if path is None:
        return _default_registry()
    data, _decoded = load_yaml(path, what="Partsregistret")
    return Registry.from_mapping(data, source=path)
