"""Analysis shared by the year-end and interim reports: deviations, drivers, waterfalls.

Pure functions over :class:`gnsanalysis.rr.table.RRTable`; the hierarchy comes from the table's
layout (``config/rr_layouts.yaml``) or is inferred from its labels.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from gnsanalysis.swedish import format as fmt
from gnsanalysis.rr.checks import _layout_for
from gnsanalysis.rr.table import RRTable, normalise_label


def layout_of(table: RRTable) -> dict:
    layout = _layout_for(table, None)
    if layout is None:
        from gnsanalysis.rr.hierarchy import infer_layout

        layout = infer_layout(table)
    return layout


def display_label(label: str) -> str:
    """``Summa Övriga kostnader`` → ``Övriga kostnader``; ``RESULTAT`` → ``Resultat``."""
    text = re.sub(r"^(Summa|S:a)\s+", "", str(label).strip(), flags=re.IGNORECASE)
    if text.isupper():
        text = text.capitalize()
    return text


def final_row(table: RRTable) -> str:
    """The bottom line (e.g. RESULTAT): the layout's final row, else the last total row."""
    layout = layout_of(table)
    if layout.get("final_row"):
        return layout["final_row"]
    totals = table.frame[table.frame["kind"] == "total"]
    return (totals if not totals.empty else table.frame).iloc[-1]["label"]


def steps_to_result(table: RRTable) -> list[str]:
    """Rows whose deviations add up to the result's: totals of totals are expanded.

    For the GNS layout: Intäkter, Personalkostnader, Verksamhetsnära kostnader, Övriga
    kostnader, Avskrivningar, Finansnetto.
    """
    rules = {normalise_label(r["row"]): r["parts"] for r in layout_of(table).get("totals", [])}

    def expand(label: str) -> list[str]:
        parts = rules.get(normalise_label(label))
        if not parts or not any(normalise_label(p) in rules for p in parts):
            return [label]
        out: list[str] = []
        for p in parts:
            out += expand(p)
        return out

    return expand(final_row(table))


def value(table: RRTable, label: str, column: str) -> float:
    v = table.value(label, column)
    return 0.0 if np.isnan(v) else v


def drivers(table: RRTable, column: str, *, rows: list[str] | None = None, n: int = 3) -> pd.DataFrame:
    """The ``n`` rows with the largest absolute value in ``column`` (default: the line items)."""
    frame = table.frame
    if rows is None:
        frame = frame[frame["kind"] == "item"]
    else:
        keys = {normalise_label(r) for r in rows}
        frame = frame[frame["label"].map(normalise_label).isin(keys)]
    out = frame[["label", column]].rename(columns={column: "value"}).dropna()
    out = out[out["value"] != 0]
    order = out["value"].abs().sort_values(ascending=False, kind="stable").index
    return out.loc[order].head(n).reset_index(drop=True)


def describe_drivers(frame: pd.DataFrame, unit: str = "tkr") -> str:
    """``Tjänster,material,varor (+1 169 tkr) och Med diagnostik … (−1 099 tkr)``."""
    parts = [f"{display_label(r.label)} ({fmt.number(r.value, signed=True)} {unit})"
             for r in frame.itertuples()]
    return fmt.join_list(parts)


def offsetting(frame: pd.DataFrame, tolerance: float = 0.1) -> bool:
    """True when the two largest drivers have opposite signs and nearly cancel out."""
    if len(frame) < 2:
        return False
    a, b = frame["value"].iloc[0], frame["value"].iloc[1]
    return a * b < 0 and abs(a + b) <= tolerance * max(abs(a), abs(b))


def waterfall_steps(table: RRTable, start_col: str, end_col: str, step_col: str | None = None
                    ) -> tuple[tuple[str, float], list[tuple[str, float]], tuple[str, float]]:
    """Budget result → deviation per block → outcome result, with an explicit rounding step.

    ``step_col`` is a printed difference column (e.g. ``Bud-Utf Diff``); without one the steps
    are computed as end − start per block. If the printed steps do not add up to the printed
    end (rounding of printed figures), the gap is shown as its own step "Avrundning" so the
    chart adds up exactly.
    """
    result = final_row(table)
    start = value(table, result, start_col)
    end = value(table, result, end_col)
    steps = []
    for label in steps_to_result(table):
        step = (value(table, label, step_col) if step_col
                else value(table, label, end_col) - value(table, label, start_col))
        steps.append((display_label(label), step))
    gap = round(end - start - sum(s for _, s in steps), 6)
    if gap:
        steps.append(("Avrundning", gap))
    return ("Resultat enligt budget", start), steps, ("Resultat, utfall", end)


def rr_overview(table: RRTable, columns: dict[str, str]) -> tuple[pd.DataFrame, list[str]]:
    """Rows of the RR with chosen columns renamed for the board, plus CSS classes per row."""
    frame = table.frame
    out = pd.DataFrame({"Post": frame["label"].map(str)})
    for source, target in columns.items():
        if source in frame.columns:
            out[target] = frame[source].to_numpy()
    classes = [k if k in ("subtotal", "total") else "" for k in frame["kind"]]
    return out, classes


def budget_outcome_chart(dev: pd.DataFrame, *, when: str, unit: str):
    """Paired bars of budget and outcome per block (``Post``, ``Budget``, ``Utfall``, ``Avvikelse``)."""
    from gnsanalysis.render import charts

    if dev.empty:
        raise ValueError("no rows to chart")
    alt = (f"Liggande stapeldiagram över budget och utfall {when} per post i {unit}. "
           + "; ".join(f"{r.Post}: budget {fmt.number(r.Budget)}, utfall {fmt.number(r.Utfall)}"
                       for r in dev.itertuples()) + ".")
    if dev["Avvikelse"].abs().max() > 0:
        biggest = dev.loc[dev["Avvikelse"].abs().idxmax()]
        alt += f" Störst skillnad har {biggest['Post']} ({fmt.number(biggest['Avvikelse'], signed=True)} {unit})."
    else:
        alt += " Utfallet är lika med budget på alla poster."
    return charts.budget_vs_outcome(list(dev["Post"]), list(dev["Budget"]), list(dev["Utfall"]), alt=alt,
                                    caption=f"Budget och utfall per post {when}, {unit}. "
                                            "Kostnader visas som negativa belopp.", unit=unit)
