"""Full-year forecasts (helårsprognos) for an interim period, several methods side by side.

Each method is a small pure function of one row's figures (:func:`budget_rest`, :func:`run_rate`,
:func:`seasonal`; the lagd årsprognos is the table's own ``Årsprogn`` column). :func:`forecast_frame`
applies them to a table's rows and adds the bottom line; :func:`display_frame` rounds so that every
shown column adds up to its shown total. Each method's assumption is stated in Swedish in
:data:`ASSUMPTIONS` and printed in the report next to the figures.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pandas as pd

from gnsanalysis.errors import ParameterError
from gnsanalysis.swedish.format import round_preserving_sum

BUDGET_REST, RUN_RATE, SEASONAL, ECONOMIST = "budget_rest", "run_rate", "seasonal", "economist"
COMPUTED = (BUDGET_REST, RUN_RATE, SEASONAL)
METHODS = COMPUTED + (ECONOMIST,)

LABELS = {
    BUDGET_REST: "Budget för resten av året",
    RUN_RATE: "Samma takt som hittills",
    SEASONAL: "Säsongsprofil från föregående år",
    ECONOMIST: "Lagd årsprognos",
}

ASSUMPTIONS = {
    BUDGET_REST: ("Utfallet hittills plus den budget som återstår för resten av året (årsbudget minus "
                  "budget hittills). Antar att resten av året går exakt enligt budget och att avvikelsen "
                  "hittills varken växer eller återhämtas."),
    RUN_RATE: ("Utfallet hittills räknat upp till tolv månader (utfall × 12 / antal månader). Antar att "
               "varje månad är lika stor. Missvisande för poster som bokförs vid enstaka tillfällen, "
               "t.ex. årsfakturering eller årsavstämning."),
    SEASONAL: ("Utfallet hittills delat med den andel av föregående års helårsutfall som var bokförd vid "
               "samma månad föregående år. Antar att året fördelar sig över månaderna som föregående år "
               "och att verksamheten i övrigt är densamma. Där föregående års belopp är noll, har "
               "motsatt tecken eller andelen är mycket liten används i stället utfallet hittills plus "
               "föregående års utfall för de återstående månaderna."),
    ECONOMIST: ("Kolumnen Årsprogn i underlaget: ekonomens bedömning av helåret, som kan ta hänsyn till "
                "sådant som ännu inte syns i bokföringen eller budgeten (beslut, avtal, vidarefakturering). "
                "Den flaggas när den skiljer sig mycket från de beräknade metoderna."),
}

MIN_SHARE, MAX_SHARE = 0.1, 1.5


def _check_months(months: int) -> int:
    if not isinstance(months, int) or isinstance(months, bool) or not 1 <= months <= 11:
        raise ParameterError(f"Antalet månader hittills är {months!r}, men ska vara ett heltal 1–11 "
                             "(en helårsprognos görs före årets slut).")
    return months


def budget_rest(outcome: float, budget_to_date: float, annual_budget: float) -> float:
    """Outcome so far plus the budget that remains for the rest of the year."""
    return outcome + (annual_budget - budget_to_date)


def run_rate(outcome: float, months: int) -> float:
    """Outcome so far scaled to twelve months."""
    return outcome * 12 / _check_months(months)


@dataclass(frozen=True)
class Seasonal:
    """A seasonal full-year forecast: the value, last year's share used and which rule gave it."""
    value: float
    share: float | None  # last year's share booked by the same month; None when not used
    rule: str  # "andel" (divided by the share) or "resterande" (plus last year's remaining months)


def seasonal(outcome: float, prev_to_date: float, prev_full: float) -> Seasonal:
    """Project with last year's profile: outcome ÷ (last year to date ÷ last year's full year); where
    that share is unusable (zero full year, share outside ``MIN_SHARE``–``MAX_SHARE``), outcome +
    what last year booked in the remaining months."""
    if not all(map(math.isfinite, (outcome, prev_to_date, prev_full))):
        raise ValueError("seasonal() needs finite figures")
    if prev_full != 0:
        share = prev_to_date / prev_full
        if MIN_SHARE <= share <= MAX_SHARE:
            return Seasonal(outcome / share, share, "andel")
    return Seasonal(outcome + (prev_full - prev_to_date), None, "resterande")


UNEVEN_GAP = 0.15  # a share of last year booked this far from months/12 (15 points) marks a seasonal row


def uneven_share(prev_to_date: float, prev_full: float, months: int) -> float | None:
    """Last year's share of the full year booked by the same month, when it is far from an
    even spread (months / 12 ± :data:`UNEVEN_GAP`); None when the row was even or the share is undefined
    (last year's full year is zero or missing). Such a row is seasonal (booked unevenly over the
    year, e.g. invoiced once a year), and the run-rate method misleads for it.
    """
    _check_months(months)
    if not (math.isfinite(prev_to_date) and math.isfinite(prev_full)) or prev_full == 0:
        return None
    share = prev_to_date / prev_full
    return share if abs(share - months / 12) > UNEVEN_GAP else None


ROUNDING = "Avrundning"
RESULT = "Resultat"


def forecast_frame(rows: pd.DataFrame, months: int, total: dict | None = None) -> pd.DataFrame:
    """Exact forecasts per row (``Post``, ``Årsbudget``, one column per method in :data:`LABELS`, NaN
    without input, and ``Säsongsregel``) and a bottom line ``Resultat``.

    The bottom line is the sum of the rows; with ``total`` (the printed ``outcome``,
    ``budget_to_date``, ``annual_budget``, optionally ``economist``) the linear methods are applied
    to the printed result instead, and where the printed rows differ from it an ``Avrundning`` row
    (just before ``Resultat``) keeps every column the exact sum of its rows.
    """
    _check_months(months)
    out = pd.DataFrame({"Post": rows["Post"].astype(str), "Årsbudget": rows["annual_budget"].astype(float)})
    out[LABELS[BUDGET_REST]] = [budget_rest(o, b, a) for o, b, a in
                                zip(rows["outcome"], rows["budget_to_date"], rows["annual_budget"])]
    out[LABELS[RUN_RATE]] = [run_rate(o, months) for o in rows["outcome"]]
    if {"prev_to_date", "prev_full"} <= set(rows.columns) and rows[["prev_to_date", "prev_full"]].notna().all(axis=None):
        s = [seasonal(o, p, f) for o, p, f in zip(rows["outcome"], rows["prev_to_date"], rows["prev_full"])]
        out[LABELS[SEASONAL]], out["Säsongsregel"] = [x.value for x in s], [x.rule for x in s]
    else:
        out[LABELS[SEASONAL]], out["Säsongsregel"] = float("nan"), ""
    out[LABELS[ECONOMIST]] = rows["economist"].astype(float).to_numpy() if "economist" in rows.columns else float("nan")
    columns = ["Årsbudget"] + [LABELS[m] for m in METHODS]
    sums = {c: float(out[c].sum(skipna=False)) for c in columns}  # NaN when a row has none
    bottom: dict[str, Any] = {"Post": RESULT, "Säsongsregel": "", **sums}
    if total is not None:
        o, b, a = total["outcome"], total["budget_to_date"], total["annual_budget"]
        bottom.update({"Årsbudget": a, LABELS[BUDGET_REST]: budget_rest(o, b, a), LABELS[RUN_RATE]: run_rate(o, months)})
        if "economist" in total:
            bottom[LABELS[ECONOMIST]] = total["economist"]
    gap = {c: round(bottom[c] - sums[c], 9) for c in columns}  # NaN where either is NaN
    has_gap = any(v for v in gap.values() if not math.isnan(v))
    extra = [{"Post": ROUNDING, "Säsongsregel": "", **{c: v or 0.0 for c, v in gap.items()}}] if has_gap else []
    return pd.concat([out, pd.DataFrame(extra + [bottom])], ignore_index=True)


def item_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows of a :func:`forecast_frame` that are posts (without Avrundning and Resultat)."""
    return frame[~frame["Post"].isin([ROUNDING, RESULT])]


def display_frame(frame: pd.DataFrame, decimals: int = 0) -> pd.DataFrame:
    """A :func:`forecast_frame` rounded for display (sum-preserving, so a row may be shown one unit
    from its own rounding): in every column the shown rows add up exactly to the shown ``Resultat``."""
    out = frame.copy()
    parts = frame["Post"] != RESULT
    for col in ["Årsbudget"] + [LABELS[m] for m in METHODS]:
        values = frame.loc[parts, col]
        if values.isna().any():
            continue
        shown = round_preserving_sum(list(values.astype(float)), decimals)
        out.loc[parts, col] = [float(v) for v in shown]
        out.loc[~parts, col] = float(sum(shown))
    return out


@dataclass(frozen=True)
class Comparison:
    """One forecast method compared with the economist's forecast, flagged when the gap is large."""
    method: str
    computed: float
    economist: float
    difference: float  # economist − computed
    flagged: bool


def compare_economist(economist: float, computed: dict[str, float], threshold: float) -> list[Comparison]:
    """The economist's forecast against each computed method; flagged when |difference| > threshold."""
    if threshold < 0:
        raise ParameterError(f"Flaggränsen är {threshold!r} men får inte vara negativ.")
    return [Comparison(m, v, economist, economist - v, abs(economist - v) > threshold)
            for m, v in computed.items() if v is not None and math.isfinite(v) and math.isfinite(economist)]
