"""Analysis shared by the year-end and interim reports: parsed tables, deviations, drivers, waterfalls.

Pure functions over :class:`gnsanalysis.rr.table.RRTable`; the hierarchy comes from the table's
layout (``gnsanalysis/resources/rr_layouts.yaml``) or is inferred from its labels.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Self

import numpy as np
import pandas as pd

from gnsanalysis.errors import Location, ParseError
from gnsanalysis.inputs import Dataset, load_rr
from gnsanalysis.io import load_resource
from gnsanalysis.rr.checks import Finding, check_table, layout_for
from gnsanalysis.rr.hierarchy import infer_layout
from gnsanalysis.rr.table import RRTable, normalise_label
from gnsanalysis.swedish import format as fmt

#: Words for a unit in running text (the unit itself comes from the table or its metadata).
UNIT_WORDS = {"kr": "kronor", "tkr": "tusental kronor", "mnkr": "miljoner kronor", "mkr": "miljoner kronor"}
# Column roles (``roles`` in rr_layouts.yaml): role names, not column names; each table's own column
# for a role is found by :func:`column`, tolerant of case and punctuation.
OUTCOME, BUDGET, DEV = "outcome", "budget", "deviation"
PREV, PREV_DIFF, PREV_PCT = "previous", "previous_diff", "previous_pct"
ECON, YEAR_BUDGET, ECON_DIFF = "forecast", "annual_budget", "forecast_diff"
#: Column roles every year-end and interim report needs.
REQUIRED_COLUMNS = (OUTCOME, BUDGET, DEV)
#: Every column role in words, for messages (the keys are the roles :func:`role_columns` resolves).
COLUMN_ROLE_NAMES = {OUTCOME: "ackumulerat utfall", BUDGET: "ackumulerad budget",
                     "deviation": "avvikelse mot budget", "previous": "föregående års utfall",
                     "previous_diff": "förändring mot föregående år", "previous_pct": "förändring i procent",
                     "forecast": "lagd årsprognos", "annual_budget": "årsbudget",
                     "forecast_diff": "årsprognosens avvikelse mot årsbudget"}
ROLE_NAMES = {**COLUMN_ROLE_NAMES, "income": "summan av intäkterna", "costs": "summan av kostnaderna"}


def unit_words(unit: str) -> str:
    """``tkr`` → ``tusental kronor``; an unknown unit is used as written."""
    return UNIT_WORDS.get(unit, unit)


def role_key(name: str) -> str:
    """A name compared for a role: case, punctuation and spacing do not matter
    (``Ack. utfall`` = ``Ack utfall``); the per-cent sign does."""
    return re.sub(r"[^\w%]+", " ", str(name)).strip().casefold()


def layout_of(table: RRTable) -> dict:
    """The table's layout (declared, or matched on its columns), else one inferred from its rows."""
    layout = layout_for(table, None)
    return infer_layout(table) if layout is None else layout


def check_rows(table: RRTable) -> None:
    """The rows the report reads (the steps to the result and the bottom line) must be in the table;
    a missing one is an error naming the rows and the fix, never a bare KeyError."""
    present = set(table.frame["label"].map(normalise_label))
    layout = layout_of(table)
    missing = [r for r in steps_to_result(table, checked=False) + [final_row(table)]
               if normalise_label(r) not in present]
    if not missing:
        return
    shown = ", ".join(f"”{m}”" for m in missing)
    raise ParseError(
        f"tabellen har kolumnerna i layouten {layout.get('name', layout.get('id'))!r} men saknar "
        f"{'raden' if len(missing) == 1 else 'raderna'} {shown}, som rapporten räknar med.",
        location=Location(file=table.source_name),
        found=", ".join(str(x) for x in table.frame["label"]),
        expected="raderna som layouten i gnsanalysis/resources/rr_layouts.yaml anger",
        hint="rätta radens namn i filen så att det är detsamma som i layouten (skiftläge "
             "spelar ingen roll), eller ange en egen layout i filens .meta.yaml.")


def _declared_roles(table: RRTable) -> dict:
    layout = layout_for(table, None) or {}
    return layout.get("roles") or load_resource("rr_layouts.yaml").get("roles") or {}


def column(table: RRTable, role: str, *, required: bool | None = None) -> str | None:
    """The table's column that fills ``role`` (declared in rr_layouts.yaml, matched by :func:`role_key`);
    ``None`` for a missing optional role, an error naming the table and the fix for a required one."""
    required = role in REQUIRED_COLUMNS if required is None else required
    declared = (_declared_roles(table).get("columns") or {}).get(role)
    found = next((c for c in table.value_columns if role_key(c) == role_key(declared)), None) if declared else None
    if found is not None or not required:
        return found
    raise ParseError(
        f"tabellen saknar kolumnen för {ROLE_NAMES.get(role, role)}"
        + (f" (”{declared}”)." if declared else "; ingen kolumn är angiven för den i rr_layouts.yaml."),
        location=Location(file=table.source_name), found=", ".join(table.value_columns),
        expected=f"en kolumn som heter ”{declared}” (skiftläge och skiljetecken spelar ingen roll)"
        if declared else None,
        hint="rätta kolumnrubriken i filen, eller ange kolumnens namn under roles i "
             "gnsanalysis/resources/rr_layouts.yaml.")


def required_column(table: RRTable, role: str) -> str:
    """The table's column for ``role``; a missing one is the error of :func:`column`."""
    found = column(table, role, required=True)
    assert found is not None  # column() raises rather than return None for a required role
    return found


def period_of(dataset) -> str:
    """The dataset's period (``ÅÅÅÅ-MM``) from its metadata; report inputs are found by period,
    so a missing one is an error naming the file."""
    period = dataset.period
    if period is None:
        raise ParseError("metadata för underlaget saknar period.", location=Location(file=dataset.path.name),
                         expected="period: ÅÅÅÅ-MM", hint="ange period i filens .meta.yaml.")
    return period


def role_columns(table: RRTable) -> dict[str, str | None]:
    """Every column role → the table's column (``None`` for an optional role it lacks)."""
    return {r: column(table, r) for r in COLUMN_ROLE_NAMES}


def object_label(object_id, name=None) -> str:
    """An object in words: ``Serverdrift Åre (obj. 6663)``, or the name alone for an object without a number."""
    name = name or object_id
    return f"{name} (obj. {object_id})" if str(object_id).isdigit() else str(name)


def table_title(dataset) -> str:
    """A table named in words for the report body (file names belong in the footer):
    ``nämndens resultaträkning per december 2018``, ``resultaträkningen för Serverdrift Åre
    (obj. 6663) per augusti 2018``."""
    when = f"per {fmt.month_name(int(dataset.period[5:]))} {dataset.period[:4]}"
    if dataset.object_id is None:
        return f"nämndens resultaträkning {when}"
    return f"resultaträkningen för {object_label(dataset.object_id, dataset.object_name)} {when}"


@dataclass
class Part:
    """One parsed RR table with its metadata and check findings."""

    dataset: Dataset
    table: RRTable
    findings: list[Finding]

    @classmethod
    def load(cls, dataset: Dataset, period: str) -> Self:
        """The RR table of ``dataset`` for ``period``, parsed and checked."""
        table = load_rr(dataset, period)
        return cls(dataset, table, check_table(table))

    @property
    def unit(self) -> str:
        """The amount unit of the table (``tkr`` unless stated)."""
        return self.table.unit or self.dataset.meta.get("unit", "tkr")

    @property
    def figures(self) -> dict:
        """Figures the source document prints, from the dataset's metadata (empty when none)."""
        return self.dataset.meta.get("document_figures") or {}

    @property
    def title(self) -> str:
        """The table in words, for the report body (see :func:`table_title`)."""
        return table_title(self.dataset)

    @property
    def label(self) -> str:
        """The part in words: ``Hela nämnden`` or the object's name with its number."""
        d = self.dataset
        return "Hela nämnden" if d.object_id is None else object_label(d.object_id, d.object_name)


def count_deviations(n: int) -> str:
    """``1 avvikelse``, ``3 avvikelser``."""
    return fmt.count_noun(n, "avvikelse", "avvikelser")


def unexplained(n: int) -> str:
    """``2 avvikelser som inte kan förklaras av avrundning``: a number of check findings in words."""
    return f"{count_deviations(n)} som inte kan förklaras av avrundning"


def largest_first(values, column: str | None = None):
    """A Series (or a DataFrame by ``column``) ordered by absolute value, largest first; ties keep their order."""
    key = values if column is None else values[column]
    return values.loc[key.abs().sort_values(ascending=False, kind="stable").index]


def deviation_list(frame: pd.DataFrame, unit: str) -> str:
    """``Serverdrift Åre (obj. 6663) −258 tkr och …``: each ``Objekt`` with its signed ``Avvikelse``."""
    return fmt.join_list([f"{r.Objekt} {fmt.amount(r.Avvikelse, unit, True)}" for r in frame.itertuples()])


def row(table: RRTable, role: str) -> str | None:
    """The printed row that fills a row ``role`` (``income``, ``costs``) in the table's layout,
    or ``None`` when the layout declares none. A declared row the table lacks is an error."""
    declared = ((layout_for(table, None) or {}).get("roles") or {}).get("rows", {}).get(role)
    if declared is None:
        return None
    found = next((str(label) for label in table.frame["label"] if role_key(label) == role_key(declared)), None)
    if found is not None:
        return found
    raise ParseError(
        f"tabellen saknar raden för {ROLE_NAMES.get(role, role)} (”{declared}”).",
        location=Location(file=table.source_name), found=", ".join(str(x) for x in table.frame["label"]),
        expected=f"en rad som heter ”{declared}”",
        hint="rätta radens namn i filen, eller ändra roles i gnsanalysis/resources/rr_layouts.yaml.")


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


def steps_to_result(table: RRTable, *, checked: bool = True) -> list[str]:
    """Rows whose deviations add up to the result's (totals of totals expanded); with ``checked`` a
    step the table lacks is an error (see :func:`check_rows`)."""
    if checked:
        check_rows(table)
    rules = {normalise_label(r["row"]): r["parts"] for r in layout_of(table).get("totals", [])}

    def expand(label: str) -> list[str]:
        parts = rules.get(normalise_label(label))
        if not parts or not any(normalise_label(p) in rules for p in parts):
            return [label]
        return [step for p in parts for step in expand(p)]

    return expand(final_row(table))


def value(table: RRTable, label: str, column: str) -> float:
    """The printed figure (an empty cell is 0). A row or column the table lacks is an error
    naming the table, not a bare KeyError."""
    try:
        v = table.value(label, column)
    except KeyError:
        what = (f"kolumnen ”{column}”" if column not in table.value_columns else f"raden ”{label}”")
        raise ParseError(f"tabellen saknar {what}, som rapporten läser.",
                         location=Location(file=table.source_name),
                         found=", ".join(table.value_columns) if column not in table.value_columns
                         else ", ".join(str(x) for x in table.frame["label"]),
                         hint="rätta namnet i filen så att det stämmer med layouten i "
                              "gnsanalysis/resources/rr_layouts.yaml.") from None
    return 0.0 if np.isnan(v) else v


def has_role(table: RRTable, role: str) -> bool:
    """Whether the table has a column for ``role`` (optional roles only)."""
    return column(table, role, required=False) is not None


def role_value(table: RRTable, label: str, role: str, *, missing: float | None = None,
               optional: bool = False) -> float:
    """The printed figure of ``label`` in the table's column for ``role``. With ``optional``, NaN
    when the table has no column for an optional role; with ``missing``, a row the table lacks
    gives that value (an earlier table may lack a row)."""
    if optional and role not in REQUIRED_COLUMNS and not has_role(table, role):
        return np.nan
    if missing is not None and normalise_label(label) not in set(table.frame["label"].map(normalise_label)):
        return missing
    return value(table, label, required_column(table, role))


def result_value(table: RRTable, role: str, **options) -> float:
    """The printed bottom line (:func:`final_row`) in the column for ``role`` (see :func:`role_value`)."""
    return role_value(table, final_row(table), role, **options)


_DEVIATION_COLUMNS = {"Budget": "budget", "Utfall": "outcome", "Avvikelse": "deviation"}


def deviation_frame(table: RRTable, result_label: str | None = None) -> pd.DataFrame:
    """Budget, outcome and deviation per step to the result. With ``result_label`` the printed
    result follows under that name, preceded by an ``Avrundning`` row when the printed steps do
    not add up to it (rounding in the source table), so that every column adds up as shown."""
    def figures(label: str) -> dict[str, float]:
        return {c: role_value(table, label, r) for c, r in _DEVIATION_COLUMNS.items()}

    frame = pd.DataFrame([{"Post": display_label(s), **figures(s)} for s in steps_to_result(table)])
    if result_label is None:
        return frame
    total = figures(final_row(table))
    gap = {c: round(v - float(frame[c].sum()), 9) for c, v in total.items()}
    extra = [{"Post": "Avrundning", **gap}] if any(gap.values()) else []
    return pd.concat([frame, pd.DataFrame([*extra, {"Post": result_label, **total}])], ignore_index=True)


def drivers(table: RRTable, column: str, *, n: int = 3) -> pd.DataFrame:
    """The ``n`` line items with the largest absolute value in ``column``."""
    frame = table.frame[table.frame["kind"] == "item"]
    out = frame[["label", column]].rename(columns={column: "value"}).dropna()
    return largest_first(out[out["value"] != 0], "value").head(n).reset_index(drop=True)


def describe_drivers(frame: pd.DataFrame, unit: str = "tkr") -> str:
    """``Tjänster,material,varor (+1 169 tkr) och Med diagnostik … (−1 099 tkr)``."""
    parts = [f"{display_label(r.label)} ({fmt.amount(r.value, unit, True)})"
             for r in frame.itertuples()]
    return fmt.join_list(parts)


def offsetting(frame: pd.DataFrame) -> bool:
    """True when the two largest drivers have opposite signs and cancel out to within a tenth."""
    if len(frame) < 2:
        return False
    a, b = frame["value"].iloc[0], frame["value"].iloc[1]
    return a * b < 0 and abs(a + b) <= 0.1 * max(abs(a), abs(b))


def waterfall_steps(table: RRTable, start_col: str, end_col: str, step_col: str
                    ) -> tuple[tuple[str, float], list[tuple[str, float]], tuple[str, float]]:
    """Budget result → deviation per block (the printed ``step_col``) → outcome result, with the gap
    of rounded printed figures as its own step ``Avrundning``."""
    result = final_row(table)
    start, end = value(table, result, start_col), value(table, result, end_col)
    steps = [(display_label(label), value(table, label, step_col)) for label in steps_to_result(table)]
    gap = round(end - start - sum(s for _, s in steps), 6)
    if gap:
        steps.append(("Avrundning", gap))
    return ("Resultat enligt budget", start), steps, ("Resultat, utfall", end)


def rr_overview(table: RRTable, names: Mapping[str, str]) -> tuple[pd.DataFrame, list[str]]:
    """Rows of the RR with the columns of the roles in ``names`` renamed for the board (an optional
    role the table lacks is left out), plus CSS classes per row."""
    frame = table.frame
    out = pd.DataFrame({"Post": frame["label"].map(str)})
    for role, target in names.items():
        source = column(table, role)
        if source is not None:
            out[target] = frame[source].to_numpy()
    classes = [k if k in ("subtotal", "total") else "" for k in frame["kind"]]
    return out, classes


def budget_outcome_chart(dev: pd.DataFrame, *, when: str, unit: str):
    """Paired bars of budget and outcome per block (``Post``, ``Budget``, ``Utfall``, ``Avvikelse``)."""
    from gnsanalysis.render import charts  # lazy: matplotlib only when a chart is drawn

    if dev.empty:
        raise ValueError("no rows to chart")
    alt = (f"Liggande stapeldiagram över budget och utfall {when} per post i {unit}. "
           + "; ".join(f"{r.Post}: budget {fmt.number(r.Budget)}, utfall {fmt.number(r.Utfall)}"
                       for r in dev.itertuples()) + ".")
    if dev["Avvikelse"].abs().max() > 0:
        biggest = dev.loc[dev["Avvikelse"].abs().idxmax()]
        alt += f" Störst skillnad har {biggest['Post']} ({fmt.amount(biggest['Avvikelse'], unit, True)})."
    else:
        alt += " Utfallet är lika med budget på alla poster."
    return charts.budget_vs_outcome(list(dev["Post"]), list(dev["Budget"]), list(dev["Utfall"]), alt=alt,
                                    caption=f"Budget och utfall per post {when}, {unit}. "
                                            "Kostnader visas som negativa belopp.", unit=unit)
