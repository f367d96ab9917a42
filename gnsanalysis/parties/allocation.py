"""Splitting money between parties so that the parts sum exactly to the total.

Method: largest remainder (Hamilton, :func:`gnsanalysis.swedish.rounding.largest_remainder`) in exact
rational arithmetic: floors of the exact quotas, the units left over to the largest remainders, ties
to the party first in the order of ``weights`` (for :func:`allocate_by_key`: registry order). The
parts always sum to the total, each is within one unit of its exact quota, a weight of 0 pays 0, the
same input gives the same output; a negative total is split as its absolute value and negated.

Keys (:data:`KEY_BASES`, spellings in :data:`KEY_ALIASES`) mix with weights summing to 1, e.g.
``"1/3 equal + 2/3 population"`` (the IKT Nordhordland model); in a mix each component is first
normalised over the chosen parties, then weighted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

import pandas as pd

from gnsanalysis.errors import ParameterError
from gnsanalysis.parties.registry import Party, Registry, load_registry
from gnsanalysis.swedish.numbers import parse_fraction
from gnsanalysis.swedish.rounding import largest_remainder

UNITS = {"kr": 1, "öre": 100}

#: Largest total accepted, in digits: far beyond any budget, small enough to print exactly.
MAX_TOTAL_DIGITS = 1000

#: Basis name -> (registry quantity or None, Swedish label).
KEY_BASES: dict[str, tuple[str | None, str]] = {
    "equal": (None, "lika delar"),
    "population": ("population", "befolkning"),
    "budget": ("budget_turnover", "budgetomslutning"),
    "pupils": ("pupils", "elever"),
    "usage": (None, "användning"),
}

#: Accepted spellings (normalised to lower case) -> basis.
KEY_ALIASES = {
    "equal": "equal", "lika": "equal", "lika delar": "equal", "likadelning": "equal",
    "population": "population", "befolkning": "population", "invånare": "population",
    "budget": "budget", "budget_turnover": "budget", "budgetomslutning": "budget",
    "omslutning": "budget", "omsättning": "budget",
    "pupils": "pupils", "elever": "pupils",
    "usage": "usage", "användning": "usage", "nytta": "usage", "benefit": "usage",
}

Number = int | Fraction | Decimal | str | float


# -------------------- exact numbers
def to_fraction(value: Number, *, what: str = "värdet") -> Fraction:
    """An exact Fraction from a number (a float via its repr) or text: ``"914 400"``, ``"914400.5"``, ``"1/3"``."""
    try:
        return parse_fraction(value)
    except ValueError as exc:
        reason = str(exc)
    if "division" in reason:
        raise ParameterError(f"{what} {value!r}: division med noll.")
    if "ändligt" in reason:
        raise ParameterError(f"{what} {value!r} är inte ett ändligt tal.")
    if isinstance(value, str):
        raise ParameterError(
            f"{what} {value!r} är inte ett tal. Förväntade t.ex. '914400', '914 400', "
            "'140 039,33' eller '1/3'."
        )
    raise ParameterError(f"{what} {value!r} är inte ett tal.")


def _too_long(digits: int) -> str:
    return (f"Totalen har omkring {digits} siffror; högst {MAX_TOTAL_DIGITS} siffror går att fördela. "
            "Åtgärd: kontrollera beloppet (anges i kronor, t.ex. 914400).")


def _units(total: Number, unit: str) -> int:
    if unit not in UNITS:
        raise ParameterError(f"Okänd enhet {unit!r}. Förväntade 'kr' eller 'öre'.")
    if isinstance(total, str) and len(total) > 4 * MAX_TOTAL_DIGITS:
        raise ParameterError(_too_long(len(total)))
    exact = to_fraction(total, what="Totalen") * UNITS[unit]
    if exact.numerator.bit_length() > MAX_TOTAL_DIGITS * 3.33:  # 10**1000 ≈ 2**3322
        raise ParameterError(_too_long(int(exact.numerator.bit_length() / 3.32)))
    if exact.denominator != 1:
        hint = " Åtgärd: fördela i öre (flaggan --ore i gns allocate)." if unit == "kr" else ""
        raise ParameterError(f"Totalen {total!r} är inte ett helt antal {unit}.{hint}")
    return exact.numerator


# -------------------- the core method: gnsanalysis.swedish.rounding.largest_remainder
def allocate(total: Number, weights: Mapping[str, Number], *, unit: str = "kr") -> dict[str, int]:
    """Split ``total`` kronor by ``weights``; whole kronor (``unit="kr"``) or whole öre.

    ``weights`` maps any label (party name or code) to a non-negative number; the result has
    the same keys in the same order. With ``unit="öre"`` the values are integer öre (the total
    is still given in kronor). The values sum exactly to the total.

    >>> allocate(914400, {p: 1 for p in "ABCDEFGHI"})["A"]
    101600
    >>> allocate(10, {"a": 1, "b": 1, "c": 1})
    {'a': 4, 'b': 3, 'c': 3}
    """
    if not weights:
        raise ParameterError("Fördelningen saknar parter: ange minst en part med vikt.")
    exact = {k: to_fraction(w, what=f"Vikten för {k}") for k, w in weights.items()}
    for label, w in exact.items():
        if w < 0:
            raise ParameterError(f"Vikten för {label} är negativ ({weights[label]!r}); vikter måste vara ≥ 0.")
    return dict(zip(exact, largest_remainder(_units(total, unit), list(exact.values())), strict=True))


# -------------------- keys
@dataclass(frozen=True)
class Key:
    """An allocation key: one or more bases with weights summing to 1."""

    components: tuple[tuple[str, Fraction], ...]

    @property
    def label(self) -> str:
        """Swedish label, e.g. ``befolkning`` or ``1/3 lika delar + 2/3 befolkning``."""
        if len(self.components) == 1:
            return KEY_BASES[self.components[0][0]][1]
        return " + ".join(f"{w} {KEY_BASES[b][1]}" for b, w in self.components)

    @property
    def code(self) -> str:
        """English spelling that :func:`parse_key` reads back."""
        if len(self.components) == 1:
            return self.components[0][0]
        return " + ".join(f"{w} {b}" for b, w in self.components)

    @property
    def bases(self) -> list[str]:
        """The bases of the key's components, in order (e.g. ``['equal', 'population']``)."""
        return [b for b, _ in self.components]


#: An allocation key as :func:`parse_key` reads it.
KeySpec = str | Key | Mapping[str, Number]
#: The parties to share among (``None``: every party of the registry) and per-party usage.
Parties = Iterable[str | Party] | None
Usage = Mapping[str, Number] | None


def _basis(name: str) -> str:
    basis = KEY_ALIASES.get(re.sub(r"\s+", " ", name.strip().casefold()))
    if basis is None:
        raise ParameterError(
            f"Okänd fördelningsnyckel {name!r}. Kända nycklar: "
            f"{', '.join(KEY_BASES)} (på svenska: "
            f"{', '.join(label for _, label in KEY_BASES.values())}), eller en blandning som "
            "'1/3 equal + 2/3 population'."
        )
    return basis


def parse_key(spec: KeySpec) -> Key:
    """A :class:`Key` from ``"population"``, ``"1/3 equal + 2/3 population"``,
    ``"30% lika + 70% befolkning"`` or a mapping ``{"equal": 0.3, "population": 0.7}``."""
    if isinstance(spec, Key):
        return spec
    if isinstance(spec, Mapping):
        items = [(_basis(k), to_fraction(v, what=f"Vikten för {k}")) for k, v in spec.items()]
    elif isinstance(spec, str):
        parts = [p.strip() for p in spec.split("+")]
        if len(parts) == 1:
            return Key(((_basis(parts[0]), Fraction(1)),))
        items = []
        for part in parts:
            m = re.fullmatch(r"(?P<w>[\d.,/\s]+?)\s*(?P<pct>%)?\s*\*?\s*(?P<name>[^\W\d_].*)", part)
            if not m:
                raise ParameterError(
                    f"Delen {part!r} i fördelningsnyckeln {spec!r} saknar vikt. "
                    "Förväntade t.ex. '1/3 equal + 2/3 population' eller '30% lika + 70% befolkning'."
                )
            weight = to_fraction(m["w"].strip(), what=f"Vikten i {part!r}")
            if m["pct"]:
                weight /= 100
            items.append((_basis(m["name"]), weight))
    else:
        raise ParameterError(f"Fördelningsnyckeln {spec!r} har fel typ; ange text eller tabell.")
    bases = [b for b, _ in items]
    if len(set(bases)) != len(bases):
        raise ParameterError(f"Fördelningsnyckeln {spec!r} nämner samma grund mer än en gång.")
    if any(w < 0 for _, w in items):
        raise ParameterError(f"Fördelningsnyckeln {spec!r} har en negativ vikt.")
    weight_sum = sum((w for _, w in items), Fraction(0))
    if weight_sum != 1:
        raise ParameterError(
            f"Vikterna i fördelningsnyckeln {spec!r} summerar till {weight_sum}, "
            "inte 1. Åtgärd: justera vikterna så att de blir 1 (t.ex. 1/3 + 2/3)."
        )
    return Key(tuple((b, w) for b, w in items if w != 0))


# -------------------- by key, over the registry
def _select(parties: Parties, registry: Registry) -> list[Party]:
    if parties is None:
        return list(registry.parties)
    names = [p.name if isinstance(p, Party) else p for p in parties]
    chosen = registry.resolve_many(names, parties_only=True)
    if not chosen:
        raise ParameterError("Fördelningen saknar parter: ange minst en part.")
    # registry order, whatever the order of the request
    return sorted(chosen, key=registry.order)


def _basis_values(basis: str, chosen: list[Party], registry: Registry, usage: Usage
                  ) -> tuple[list[Fraction], list[str], bool]:
    """Values of one basis for the chosen parties, plus notes on sources and the example flag."""
    notes: list[str] = []
    if basis == "equal":
        return [Fraction(1)] * len(chosen), notes, False
    if basis == "usage":
        if usage is None:
            raise ParameterError(
                "Nyckeln 'usage' (användning) kräver en mängd per part, t.ex. antal servrar "
                "eller timmar. Åtgärd: ange usage={part: mängd}."
            )
        by_code: dict[str, Fraction] = {}
        for name, value in usage.items():
            party = registry.resolve(name, parties_only=True)
            if party.code in by_code:
                raise ParameterError(f"Användning för {party.name} anges mer än en gång.")
            by_code[party.code] = to_fraction(value, what=f"Användningen för {party.name}")
        missing = [p.name for p in chosen if p.code not in by_code]
        if missing:
            raise ParameterError(
                f"Användning saknas för {', '.join(missing)}. Åtgärd: ange en mängd (0 om "
                "parten inte använder tjänsten) för varje part i fördelningen."
            )
        return [by_code[p.code] for p in chosen], notes, False
    qkey, label = KEY_BASES[basis]
    assert qkey is not None  # only "equal" and "usage" lack a quantity key; both returned above
    values, example, missing = [], False, []
    for p in chosen:
        q = p.quantity(qkey)
        if q is None:
            missing.append(p.name)
            continue
        values.append(q.value)
        example = example or q.example
        if q.source:
            note = f"{label}: {q.source}" + (f" ({q.date})" if q.date else "")
            if note not in notes:
                notes.append(note)
    if missing:
        raise ParameterError(
            f"Fördelningsnyckeln {label!r} saknar värde för {', '.join(missing)}. Åtgärd: lägg "
            f"in {qkey} med värde, källa och år i partsregistret (parties.yaml)."
        )
    return values, notes, example


def key_weights(key: KeySpec, parties: Parties = None, registry: Registry | None = None, *, usage: Usage = None
                ) -> tuple[list[Party], list[Fraction], dict]:
    """Exact weights (summing to 1) of the chosen parties under ``key``, and metadata."""
    registry = registry or load_registry()
    key = parse_key(key)
    chosen = _select(parties, registry)
    combined = [Fraction(0)] * len(chosen)
    notes: list[str] = []
    example = False
    for basis, weight in key.components:
        values, basis_notes, basis_example = _basis_values(basis, chosen, registry, usage)
        if any(v < 0 for v in values):
            raise ParameterError(f"Grunden {KEY_BASES[basis][1]!r} har negativa värden.")
        basis_sum = sum(values, Fraction(0))
        if basis_sum == 0:
            raise ParameterError(
                f"Grunden {KEY_BASES[basis][1]!r} är noll för alla valda parter; "
                "det finns inget att fördela efter."
            )
        combined = [c + weight * v / basis_sum for c, v in zip(combined, values, strict=True)]
        notes.extend(n for n in basis_notes if n not in notes)
        example = example or basis_example
    if "population" in key.bases and any(p.kind == "region" for p in chosen):
        notes.append(
            "Regionens befolkning är hela länets (summan av kommunerna), så med "
            "befolkningsnyckel bär regionen en stor del av kostnaden."
        )
    meta = {"key": key.code, "key_label": key.label, "example": example, "notes": notes}
    return chosen, combined, meta


_INT64 = range(-(2**63), 2**63)


def _int_column(values: list[int]) -> pd.api.extensions.ExtensionArray:
    """int64 when every value fits, otherwise exact Python ints (a total of any size)."""
    if all(v in _INT64 for v in values):
        return pd.array(values, dtype="int64")
    return pd.array(values, dtype=object)


def allocate_by_key(total: Number, key: KeySpec, parties: Parties = None, registry: Registry | None = None, *,
                    unit: str = "kr", usage: Usage = None) -> pd.DataFrame:
    """What each party pays of ``total`` under ``key``, one row per party in registry order.

    Columns: ``code``, ``party`` (registry name), ``short``, ``weight`` (exact Fraction, sums
    to 1), ``quota`` (exact Fraction in ``unit``), ``share`` (int, sums exactly to the total in
    ``unit``; int64, or Python ints when a share does not fit in 64 bits). ``df.attrs`` holds
    ``key``, ``key_label``, ``example`` (True when any value used is example data: label the
    output "Exempeldata") and ``notes`` (sources and caveats, Swedish).
    """
    registry = registry or load_registry()
    total_units = _units(total, unit)
    chosen, weights, meta = key_weights(key, parties, registry, usage=usage)
    shares = largest_remainder(total_units, weights)
    df = pd.DataFrame(
        {
            "code": [p.code for p in chosen],
            "party": [p.name for p in chosen],
            "short": [p.short for p in chosen],
            "weight": weights,
            "quota": [Fraction(total_units) * w for w in weights],
            "share": _int_column(shares),
        }
    )
    df.attrs.update(meta)
    return df

