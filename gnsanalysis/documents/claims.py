"""Source claims (``resources/claims.yaml``): figures a document states, with their inputs, recomputed.

:func:`check_claims` recomputes every claim in exact arithmetic; the status is ``ok`` (equal),
``rounding`` (equal after half-up rounding to the printed decimals), ``approximate`` ("ca." and
within the recorded tolerance) or ``disagreement``. The stated figure is never silently replaced;
alternative readings (``interpretations``) are recomputed and reported too.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import get_args

from gnsanalysis.errors import ConfigError
from gnsanalysis.io import load_resource, load_yaml
from gnsanalysis.schemas import ClaimModel, ClaimsFile, InterpretationModel, Operation, validate
from gnsanalysis.swedish import format as fmt
from gnsanalysis.swedish.rounding import largest_remainder, round_half_up

CLAIMS_FILE = "claims.yaml"
OPERATIONS = get_args(Operation)  # declared once, in the schema
STATUS_LABELS = {
    "ok": "stämmer",
    "rounding": "stämmer efter avrundning",
    "approximate": "ungefärligt angivet",
    "disagreement": "stämmer inte",
}
OPERATION_SIGNS = {"product": " × ", "sum": " + ", "difference": " − ", "quotient": " ÷ "}


@dataclass(frozen=True)
class ClaimInput:
    """One input of a claim: an exact value with its label and unit."""
    value: Fraction
    label: str = ""
    unit: str | None = None


@dataclass(frozen=True)
class Claim:
    """A figure a document states, with the operation and inputs that should produce it."""
    id: str
    title: str
    operation: str
    inputs: tuple[ClaimInput, ...]
    stated: Fraction
    unit: str | None = None
    stated_label: str = ""
    decimals: int = 0  # printed precision of the stated figure
    approximate: bool = False
    tolerance: Fraction | None = None
    quote: str = ""
    source: str = ""
    note: str | None = None
    result_label: str | None = None
    interpretations: tuple[InterpretationModel, ...] = ()


@dataclass(frozen=True)
class ClaimResult:
    """The outcome of checking one claim: the computed value, its status and any matching interpretations."""
    claim: Claim
    computed: Fraction
    status: str  # ok | rounding | approximate | disagreement
    interpretations: tuple[tuple[InterpretationModel, Fraction], ...] = ()
    split: tuple[int, ...] | None = None  # share: exact split in whole units

    @property
    def stated(self) -> Fraction:
        """The figure the document states."""
        return self.claim.stated

    @property
    def difference(self) -> Fraction:
        """Stated minus computed."""
        return self.claim.stated - self.computed

    @property
    def agrees(self) -> bool:
        """True unless the stated and computed figures disagree beyond rounding."""
        return self.status != "disagreement"

    @property
    def label(self) -> str:
        """The Swedish label of the status (e.g. for the report table)."""
        return STATUS_LABELS[self.status]

    def computation(self) -> str:
        """``9 × 101 600 kr = 914 400 kr`` (Swedish formatting)."""
        c = self.claim
        values = [_num(i.value) for i in c.inputs]
        if c.operation == "share":
            expr = " × ".join(values[:-1]) + " ÷ " + values[-1]
        else:
            expr = OPERATION_SIGNS[c.operation].join(values)
        return f"{expr} = {_amount(self.computed, c.unit, c.decimals + 2)}"

    def message(self) -> str:
        """One Swedish line: title, stated, computed, gap and status."""
        c = self.claim
        stated = ("ca. " if c.approximate else "") + _amount(c.stated, c.unit, c.decimals)
        text = f"{c.title}: angivet {stated}"
        if c.stated_label:
            text += f" {c.stated_label}"
        text += f"; beräknat {self.computation()}"
        if c.result_label:
            text += f" {c.result_label}"
        comparable = not (c.result_label and c.stated_label and c.result_label != c.stated_label)
        if self.status != "ok" and comparable:
            text += f"; skillnad {_amount(self.difference, c.unit, c.decimals + 2, signed=True)}"
        text += f" ({self.label})."
        if not comparable and self.interpretations:
            readings = "; ".join(f"{interp.label}: {_amount(value, c.unit, c.decimals + 2)}"
                                 for interp, value in self.interpretations)
            text += f" Underlaget anger inte för vilken period beloppet gäller. Möjliga läsningar: {readings}."
        return text

    def details(self) -> list[str]:
        """Further Swedish lines: split, interpretations, note, quote and source."""
        c = self.claim
        lines = []
        if self.split is not None:
            parts = " + ".join(f"{n} × {_amount(v, c.unit)}" for v, n in sorted(Counter(self.split).items()))
            lines.append(f"Exakt fördelning i hela {c.unit or 'enheter'}: {parts} = "
                         f"{_amount(sum(self.split), c.unit)}.")
        for interp, value in self.interpretations:
            match = " – stämmer med det angivna" if value == c.stated else ""
            lines.append(f"Tolkning {interp.label}: {_amount(value, c.unit, c.decimals + 2)}{match}.")
        if c.note:
            lines.append(c.note)
        lines.append(f"Citat: ”{c.quote}” Källa: {c.source}.")
        return lines

    def __str__(self) -> str:
        return self.message()


def _num(value: Fraction | int, max_decimals: int = 2, *, signed: bool = False) -> str:
    """Exact when it fits in ``max_decimals`` decimals, otherwise rounded with '≈'."""
    for d in range(max_decimals + 1):
        if (value * 10**d).denominator == 1:
            return fmt.number(value, d, signed=signed)
    return "≈" + fmt.number(value, max_decimals, signed=signed)


def _amount(value: Fraction | int, unit: str | None, max_decimals: int = 2, *, signed=False) -> str:
    text = _num(value, max(max_decimals, 1) if value.denominator != 1 else 0, signed=signed)
    return f"{text}{fmt.NBSP}{unit}" if unit else text


def compute(operation: str, inputs: Sequence[Fraction]) -> Fraction:
    """Apply one of :data:`OPERATIONS` to exact inputs."""
    if operation not in OPERATIONS:
        raise ConfigError(f"Okänd operation {operation!r}; kända: {', '.join(OPERATIONS)}.")
    if not inputs:
        raise ConfigError(f"Operationen {operation!r} saknar indata.")
    if operation in ("quotient", "share") and (len(inputs) < 2 or inputs[-1] == 0):
        raise ConfigError(f"Operationen {operation!r} kräver minst två indata och en nämnare ≠ 0.")
    if operation == "quotient" and len(inputs) != 2:
        raise ConfigError("Operationen 'quotient' tar exakt två indata.")
    if operation == "sum":
        return sum(inputs, Fraction(0))
    if operation == "difference":
        return inputs[0] - sum(inputs[1:], Fraction(0))
    if operation == "product":
        return math.prod(inputs, start=Fraction(1))
    return math.prod(inputs[:-1], start=Fraction(1)) / inputs[-1]  # quotient and share


def _status(claim: Claim, computed: Fraction) -> str:
    if computed == claim.stated:
        return "ok"
    rounded = round_half_up(computed, claim.decimals)  # exact: no double rounding
    if Fraction(rounded) == claim.stated:
        return "rounding"
    if claim.approximate and claim.tolerance is not None:
        if abs(claim.stated - computed) <= claim.tolerance:
            return "approximate"
    return "disagreement"


def check_claim(claim: Claim) -> ClaimResult:
    """Recompute ``claim`` exactly and classify the stated figure (ok, rounding, approximate or disagreement)."""
    values = [i.value for i in claim.inputs]
    computed = compute(claim.operation, values)
    split = None
    if claim.operation == "share":
        parts = values[-1]
        total = compute("product", values[:-1])
        if parts.denominator == 1 and parts > 0 and total.denominator == 1:
            split = tuple(largest_remainder(total.numerator, [Fraction(1)] * parts.numerator))
    interps = tuple((i, compute(i.operation, list(i.inputs))) for i in claim.interpretations)
    return ClaimResult(claim, computed, _status(claim, computed), interps, split)


# -------------------- loading
def claim_from_mapping(raw: Mapping) -> Claim:
    """A :class:`Claim` from one entry of ``claims.yaml`` (validated by :mod:`gnsanalysis.schemas`)."""
    return _claim(validate(ClaimModel, raw, CLAIMS_FILE))


def _claim(model: ClaimModel) -> Claim:
    s = model.stated
    return Claim(id=model.id, title=model.title or model.id, operation=model.operation,
                 inputs=tuple(ClaimInput(i.value, i.label, i.unit) for i in model.inputs),
                 stated=s.value, unit=s.unit, stated_label=s.label, decimals=s.decimals, approximate=s.approximate,
                 tolerance=s.tolerance, quote=model.quote, source=model.source, note=model.note,
                 result_label=model.result_label, interpretations=model.interpretations)


def load_claims(path: str | Path | None = None) -> list[Claim]:
    """The shipped claims or those in ``path`` (same schema)."""
    if path is None:
        data, source = load_resource(CLAIMS_FILE), CLAIMS_FILE
    else:
        data, _decoded = load_yaml(path, what="Påståendefilen")
        source = str(path)
    claims = [_claim(m) for m in validate(ClaimsFile, data, source).claims]
    ids = [c.id for c in claims]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise ConfigError(f"{Path(source).name}: påståenden med samma id: {', '.join(dupes)}. "
                          "Åtgärd: ge varje påstående ett eget id.")
    return claims


def check_claims() -> list[ClaimResult]:
    """Recompute every claim of the shipped ``claims.yaml``."""
    return [check_claim(c) for c in load_claims()]
