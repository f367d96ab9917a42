"""Interim reports (tertialrapport per april, delårsrapport per juni–augusti) with helårsprognos.

Inputs are found through their metadata (:mod:`gnsanalysis.datasets`): the committee's RR table
for the period, the object tables of the same period (``object:`` in their metadata), the
previous year's full-year outcome (for the seasonal forecast), the previous interim report of
the same year and, when it exists, the year-end table of the same year (hindsight). Every
sentence is computed from those tables; the views at the bottom return HTML fragments.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from . import analysis as an
from . import fmt
from . import forecast as fc
from .checks import Finding, check_table
from .datasets import Dataset, find_dataset, load_rr, object_datasets, periods
from .errors import DataNotFoundError
from .params import interim_period
from .rr import RRTable, normalise_label, read_rr

OUTCOME, BUDGET, DEV = "Ack utfall", "Ack budget", "Bud-Utf Diff"
PREV, PREV_DIFF = "Ack utfall fg år", "Ack utf- Ack fg år Diff"
ECON, YEAR_BUDGET, ECON_DIFF = "Årsprogn", "Årsbudget", "Årsbudg- Årsprogn Diff"
INTERIM_MONTHS = (4, 6, 7, 8)


# --------------------------------------------------------------------------- periods

def months_covered(period: str) -> int:
    return int(interim_period(period)[5:])


def report_kind(period: str) -> str:
    """``tertialrapport`` for April, ``delårsrapport`` for June–August."""
    return "tertialrapport" if months_covered(period) == 4 else "delårsrapport"


def report_name(period: str) -> str:
    """``Delårsrapport per augusti 2018``, ``Tertialrapport per april 2019``."""
    return f"{report_kind(period).capitalize()} per {fmt.month_name(months_covered(period))} {period[:4]}"


def period_text(period: str) -> str:
    """``januari–augusti 2018 (8 av 12 månader)``."""
    m = months_covered(period)
    return f"januari–{fmt.month_name(m)} {period[:4]} ({m} av 12 månader)"


def deadline(period: str) -> dt.date:
    """Last day of the second month after the period (RKR R17: within two months)."""
    y, m = int(period[:4]), months_covered(period)
    m2 = m + 2
    y2, m2 = y + (m2 - 1) // 12, (m2 - 1) % 12 + 1
    return dt.date(y2, m2, calendar.monthrange(y2, m2)[1])


def deadline_text(period: str) -> str:
    rule = ("två månader efter periodens slut enligt RKR R17" if report_kind(period) == "delårsrapport"
            else "två månader efter periodens slut; tertialrapporten är frivillig, men samma tidsgräns "
                 "som RKR R17 ger för delårsrapporten används")
    return f"{fmt.date(deadline(period))} ({rule})"


# --------------------------------------------------------------------------- loading

@dataclass
class Part:
    """One parsed RR table with its metadata and check findings."""

    dataset: Dataset
    table: RRTable
    findings: list[Finding]

    @property
    def label(self) -> str:
        d = self.dataset
        if d.object_id is None:
            return "Hela nämnden"
        name = d.object_name or d.object_id
        return f"{name} (obj. {d.object_id})" if str(d.object_id).isdigit() else name


@dataclass
class Interim:
    period: str
    whole: Part
    objects: list[Part]
    object_findings: list[Finding]
    previous_interim: Part | None = None
    prev_full: tuple[Dataset, RRTable, str] | None = None  # dataset, table, column with last year's full year
    year_end: Part | None = None  # year-end table of the same year (hindsight), when it exists
    notes: list[str] = field(default_factory=list)

    @property
    def months(self) -> int:
        return months_covered(self.period)

    @property
    def year(self) -> int:
        return int(self.period[:4])

    @property
    def table(self) -> RRTable:
        return self.whole.table

    @property
    def unit(self) -> str:
        return self.table.unit or self.whole.dataset.meta.get("unit", "tkr")

    @property
    def figures(self) -> dict:
        return self.whole.dataset.meta.get("document_figures") or {}

    @property
    def inputs(self) -> list[Dataset]:
        """Every dataset the report uses, each once, in the order the report uses them."""
        found = [self.whole.dataset] + [p.dataset for p in self.objects]
        if self.previous_interim:
            found.append(self.previous_interim.dataset)
        if self.prev_full:
            found.append(self.prev_full[0])
        if self.year_end:
            found.append(self.year_end.dataset)
        out, seen = [], set()
        for d in found:
            if d.path not in seen:
                seen.add(d.path)
                out.append(d)
        return out

    @property
    def example_inputs(self) -> list[Dataset]:
        return [d for d in self.inputs if d.is_example]

    @property
    def is_example(self) -> bool:
        return bool(self.example_inputs)


def _part(dataset: Dataset, period: str) -> Part:
    table = load_rr(dataset, period)
    return Part(dataset, table, check_table(table))


def _optional(kind: str, period: str, raw_dir) -> Dataset | None:
    try:
        return find_dataset(kind, period, raw_dir)
    except DataNotFoundError:
        return None


def load(period: str, raw_dir=None) -> Interim:
    """Find, parse and check everything an interim report for ``period`` needs."""
    period = interim_period(period)
    whole = _part(find_dataset("rr", period, raw_dir), period)
    notes: list[str] = []
    objects = []
    for d in object_datasets("rr", period, raw_dir):
        if d.is_example != whole.dataset.is_example:
            notes.append(f"Objekttabellen {d.path.name} är {'exempeldata' if d.is_example else 'verkliga data'} "
                         f"men nämndens tabell är {'exempeldata' if whole.dataset.is_example else 'verkliga data'}; "
                         "den används inte, så att verkliga och konstruerade siffror inte blandas.")
            continue
        objects.append(_part(d, period))
    object_findings = check_objects(whole.table, [p.table for p in objects]) if objects else []

    y, m = int(period[:4]), months_covered(period)
    earlier = [p for p in periods("rr", raw_dir) if p[:4] == period[:4] and int(p[5:]) in INTERIM_MONTHS
               and int(p[5:]) < m]
    previous = _part(find_dataset("rr", earlier[-1], raw_dir), earlier[-1]) if earlier else None

    prev_full = None
    last_year = _optional("rr", f"{y - 1}-12", raw_dir)
    same_year = _optional("rr", f"{y}-12", raw_dir)
    if last_year is not None:
        prev_full = (last_year, read_rr(last_year.path), OUTCOME)
    elif same_year is not None:
        t = read_rr(same_year.path)
        if PREV in t.value_columns:
            prev_full = (same_year, t, PREV)
    year_end = _part(same_year, f"{y}-12") if same_year is not None else None
    return Interim(period, whole, objects, object_findings, previous, prev_full, year_end, notes)


# --------------------------------------------------------------------------- objects

def _amount_columns(table: RRTable) -> list[str]:
    layout = an.layout_of(table)
    wanted = {normalise_label(c) for c in layout.get("amount_columns", [])}
    if wanted:
        return [c for c in table.value_columns if normalise_label(c) in wanted]
    return [c for c in table.value_columns if "%" not in c]


def check_objects(whole: RRTable, objects: list[RRTable]) -> list[Finding]:
    """The object tables must add up to the committee's table, row by row and column by column.

    Checked like any subtotal: the committee's printed figure must be a possible rounding of
    the sum of the objects' true values (each printed object figure stands for ±half a unit).
    Rows an object does not print count as zero; a row or column in an object that the
    committee's table lacks is a finding of its own.
    """
    names = ", ".join(o.source_name for o in objects)
    rule = f"summan av objekten {names}"
    out: list[Finding] = []
    whole_rows = {normalise_label(l) for l in whole.frame["label"]}
    whole_cols = {normalise_label(c) for c in whole.value_columns}
    amount = _amount_columns(whole)
    for o in objects:
        for label, line in zip(o.frame["label"], o.frame["line"]):
            if normalise_label(label) not in whole_rows:
                out.append(Finding(o.source_name, int(line), label, None, None, None, None,
                                   f"raden {label!r} finns i objekttabellen men inte i {whole.source_name}"))
        for c in amount:
            if normalise_label(c) not in {normalise_label(x) for x in o.value_columns}:
                out.append(Finding(o.source_name, None, c, None, None, None, None,
                                   f"objekttabellen saknar kolumnen {c!r} som finns i {whole.source_name}"))
        for c in o.value_columns:
            if normalise_label(c) not in whole_cols:
                out.append(Finding(o.source_name, None, c, None, None, None, None,
                                   f"kolumnen {c!r} finns i objekttabellen men inte i {whole.source_name}"))
    for _, row in whole.frame.iterrows():
        key = normalise_label(row["label"])
        for col in amount:
            d = max([whole.decimals.get(col, 0)] + [o.decimals.get(col, 0) for o in objects if col in o.value_columns])
            half = 0.5 * 10.0 ** -d
            parts = []
            for o in objects:
                if col not in o.value_columns:
                    continue
                hits = o.frame[o.frame["label"].map(normalise_label) == key]
                if not hits.empty and not np.isnan(hits.iloc[0][col]):
                    parts.append(float(hits.iloc[0][col]))
            total = sum(parts)
            low, high = total - len(parts) * half, total + len(parts) * half
            printed = row[col]
            p = 0.0 if np.isnan(printed) else float(printed)
            slack = half if not np.isnan(printed) else 0.0
            tol = 1e-9 + slack * 1e-6
            if not (low - slack - tol <= p <= high + slack + tol):
                q = 10.0 ** -d
                lo = round(math.ceil((low - half) / q - 1e-9) * q, d)
                hi = round(math.floor((high + half) / q + 1e-9) * q, d)
                out.append(Finding(whole.source_name, int(row["line"]), row["label"], col,
                                   None if np.isnan(printed) else p, lo, hi, rule, d))
    return out


def object_frame(it: Interim) -> pd.DataFrame:
    """Per object and for the whole committee: budget, outcome and deviation so far; annual
    budget, the economist's forecast and its deviation from the annual budget."""
    rows = []
    for part in it.objects + [it.whole]:
        t, res = part.table, an.final_row(part.table)
        rows.append({
            "Objekt": part.label,
            "Budget hittills": an.value(t, res, BUDGET),
            "Utfall hittills": an.value(t, res, OUTCOME),
            "Avvikelse": an.value(t, res, DEV),
            "Årsbudget": an.value(t, res, YEAR_BUDGET) if YEAR_BUDGET in t.value_columns else np.nan,
            "Årsprognos": an.value(t, res, ECON) if ECON in t.value_columns else np.nan,
            "Prognos mot årsbudget": an.value(t, res, ECON_DIFF) if ECON_DIFF in t.value_columns else np.nan,
        })
    return pd.DataFrame(rows)


def object_sentences(it: Interim) -> list[str]:
    u = it.unit
    if not it.objects:
        return [f"Underlaget för {it.period} innehåller inga tabeller per objekt; avvikelsen kan därför inte "
                "fördelas på objekt."]
    frame = object_frame(it)
    objs = frame.iloc[:-1]
    out = ["Avvikelsen mot budget hittills fördelar sig på "
           + fmt.join_list([f"{r.Objekt} {fmt.number(r.Avvikelse, signed=True)} {u}" for r in objs.itertuples()])
           + f"; hela nämnden {fmt.number(frame.iloc[-1]['Avvikelse'], signed=True)} {u}."]
    if it.object_findings:
        out.append(f"Obs! Objekttabellerna summerar inte till nämndens tabell: {len(it.object_findings)} "
                   "avvikelse(r) som inte kan förklaras av avrundning, se Kontroll av tabellerna.")
    else:
        out.append(f"Objekttabellerna summerar till nämndens tabell på varje rad och i varje beloppskolumn "
                   f"(kontrollerat med hänsyn till avrundning till hela {u}).")
    if frame["Prognos mot årsbudget"].notna().all():
        movers = [(r["Objekt"], r["Prognos mot årsbudget"]) for _, r in objs.iterrows()
                  if abs(r["Prognos mot årsbudget"]) >= 0.5]
        if movers:
            rest = "; övriga objekt prognostiseras enligt budget" if len(movers) < len(objs) else ""
            out.append("Ekonomens årsprognos avviker från årsbudgeten med "
                       + fmt.join_list([f"{fmt.number(v, signed=True)} {u} för {name}" for name, v in movers])
                       + rest + ".")
        else:
            out.append("Ekonomens årsprognos följer årsbudgeten för alla objekt.")
    return out


# --------------------------------------------------------------------------- document figures

def document_checks(it: Interim) -> list[str]:
    """Figures the interim report states in prose (metadata), compared with the tables."""
    f, u, out = it.figures, it.unit, []
    res = an.final_row(it.table)
    if f.get("result_vs_budget"):
        stated = float(f["result_vs_budget"]["value"])
        got = an.value(it.table, res, DEV)
        out.append(_agree(f"Rapportens text anger utfallet mot budget till {fmt.number(stated, signed=True)} {u}",
                          stated, got, f"tabellen ger {fmt.number(got, signed=True)} {u}"))
    by_id = {str(p.dataset.object_id): p for p in it.objects}
    for o in f.get("objects") or []:
        part = by_id.get(str(o["id"]))
        stated = float(o["deviation"])
        if part is None:
            out.append(f"Rapportens text anger {o['name']} till {fmt.number(stated, signed=True)} {u}, men "
                       "det finns ingen objekttabell att jämföra med.")
            continue
        got = an.value(part.table, an.final_row(part.table), DEV)
        out.append(_agree(f"Texten anger {part.label} till {fmt.number(stated, signed=True)} {u}", stated, got,
                          f"objekttabellen ger {fmt.number(got, signed=True)} {u}"))
    fvb = f.get("forecast_vs_budget")
    if fvb:
        stated = float(fvb["value"])
        part = by_id.get(str(fvb.get("object"))) if fvb.get("object") else it.whole
        if part is not None and ECON_DIFF in part.table.value_columns:
            got = an.value(part.table, an.final_row(part.table), ECON_DIFF)
            out.append(_agree(f"Texten anger årsprognosen för {part.label} till {fmt.number(stated, signed=True)} "
                              f"{u} mot budget", stated, got,
                              f"tabellens kolumn Årsbudg- Årsprogn Diff ger {fmt.number(got, signed=True)} {u}"))
    return out


def _agree(claim: str, stated: float, got: float, what: str) -> str:
    if abs(stated - got) < 0.5:
        return f"{claim}; {what}, vilket stämmer."
    return f"Obs! {claim}, men {what}."


# --------------------------------------------------------------------------- deviations

def block_frame(it: Interim) -> pd.DataFrame:
    """Budget, outcome and deviation so far per block (the steps that add up to the result)."""
    t = it.table
    rows = [{"Post": an.display_label(lbl), "Budget": an.value(t, lbl, BUDGET),
             "Utfall": an.value(t, lbl, OUTCOME), "Avvikelse": an.value(t, lbl, DEV)}
            for lbl in an.steps_to_result(t)]
    return pd.DataFrame(rows)


def summary(it: Interim, flag_threshold: float = 50) -> list[str]:
    t, u, m = it.table, it.unit, it.months
    res = an.final_row(t)
    month = fmt.month_name(m)
    out = [f"{report_name(it.period)} omfattar {period_text(it.period)} och ska lämnas till fullmäktige och "
           f"revisorerna senast {fmt.date(deadline(it.period))}."]
    r_out, r_bud, r_dev = (an.value(t, res, c) for c in (OUTCOME, BUDGET, DEV))
    sentence = (f"Ackumulerat utfall mot budget per {month} är {fmt.number(r_dev, signed=True)} {u}: resultatet "
                f"hittills blev {fmt.number(r_out)} {u} mot en budget för perioden på {fmt.number(r_bud)} {u}")
    if abs((r_out - r_bud) - r_dev) > 1e-9:
        sentence += (f" (skillnaden mellan de tryckta beloppen är {fmt.number(r_out - r_bud, signed=True)} {u} "
                     f"eftersom beloppen är avrundade till hela {u})")
    out.append(sentence + ".")
    top = an.drivers(t, DEV, n=3)
    if not top.empty:
        out.append(f"Störst avvikelse mot budget har {an.describe_drivers(top, u)}.")
    if it.objects:
        frame = object_frame(it).iloc[:-1]
        biggest = frame.loc[frame["Avvikelse"].abs().idxmax()]
        out.append(f"Per objekt står {biggest['Objekt']} för den största avvikelsen "
                   f"({fmt.number(biggest['Avvikelse'], signed=True)} {u}).")
    if PREV in t.value_columns:
        prev = an.value(t, res, PREV)
        out.append(f"Samma period föregående år var resultatet {fmt.number(prev)} {u}; förändringen är "
                   f"{fmt.number(r_out - prev, signed=True)} {u}.")
    out += forecast_summary(it, flag_threshold)
    checks = len(all_findings(it))
    out.append("Tabellernas summor och differenskolumner stämmer med sina delar utöver avrundning."
               if not checks else
               f"Kontrollen av tabellerna fann {checks} avvikelse(r) som inte kan förklaras av avrundning.")
    return out


def overview(it: Interim) -> tuple[pd.DataFrame, list[str]]:
    m, y = fmt.month_name(it.months)[:3], it.year
    return an.rr_overview(it.table, {
        OUTCOME: f"Utfall jan–{m} {y}", BUDGET: f"Budget jan–{m} {y}", DEV: "Avvikelse mot budget",
        PREV: f"Utfall jan–{m} {y - 1}", PREV_DIFF: "Förändring mot fg år",
    })


def previous_year_sentences(it: Interim) -> list[str]:
    t, u = it.table, it.unit
    if PREV not in t.value_columns:
        return ["Underlaget saknar föregående års utfall för samma period."]
    steps = an.steps_to_result(t)
    changes = pd.DataFrame({"label": steps, "value": [an.value(t, s, OUTCOME) - an.value(t, s, PREV) for s in steps]})
    changes = changes[changes["value"].abs() >= 0.5]
    changes = changes.loc[changes["value"].abs().sort_values(ascending=False, kind="stable").index].head(2)
    res = an.final_row(t)
    out = [f"Resultatet januari–{fmt.month_name(it.months)} blev {fmt.number(an.value(t, res, OUTCOME))} {u} mot "
           f"{fmt.number(an.value(t, res, PREV))} {u} samma period {it.year - 1}."]
    if not changes.empty:
        out.append("Störst förändring mot föregående år har " + an.describe_drivers(changes, u)
                   + " (positivt tal: bättre för nämnden).")
    return out


def previous_year_frame(it: Interim) -> pd.DataFrame:
    t = it.table
    steps = an.steps_to_result(t) + [an.final_row(t)]
    return pd.DataFrame([{"Post": an.display_label(s), f"Utfall {it.year - 1}": an.value(t, s, PREV),
                          f"Utfall {it.year}": an.value(t, s, OUTCOME),
                          "Förändring": an.value(t, s, OUTCOME) - an.value(t, s, PREV)} for s in steps])


def previous_interim_frame(it: Interim) -> pd.DataFrame:
    """Deviation against budget and the economist's forecast, previous interim report → this one."""
    prev = it.previous_interim
    if prev is None:
        return pd.DataFrame()
    pm = fmt.month_name(months_covered(prev.dataset.period))
    m = fmt.month_name(it.months)
    rows = []
    pairs = [(an.display_label(s), prev.table, it.table, s) for s in an.steps_to_result(it.table)]
    pairs.append(("Resultat, hela nämnden", prev.table, it.table, an.final_row(it.table)))
    prev_objects = {p.dataset.object_id: p for p in _objects_of(prev, it)}
    for part in it.objects:
        po = prev_objects.get(part.dataset.object_id)
        if po is not None:
            pairs.append((f"Resultat, {part.label}", po.table, part.table, an.final_row(part.table)))
    for label, pt, nt, row in pairs:
        try:
            a = an.value(pt, row, DEV)
        except KeyError:
            a = np.nan
        b = an.value(nt, row, DEV)
        pe = an.value(pt, row, ECON) if ECON in pt.value_columns else np.nan
        ne = an.value(nt, row, ECON) if ECON in nt.value_columns else np.nan
        rows.append({"Post": label, f"Avvikelse per {pm}": a, f"Avvikelse per {m}": b, "Förändring": b - a,
                     f"Årsprognos per {pm}": pe, f"Årsprognos per {m}": ne})
    return pd.DataFrame(rows)


def _objects_of(prev: Part, it: Interim) -> list[Part]:
    out = []
    for d in object_datasets("rr", prev.dataset.period, prev.dataset.path.parent):
        if d.is_example == prev.dataset.is_example:
            out.append(_part(d, prev.dataset.period))
    return out


def previous_interim_sentences(it: Interim) -> list[str]:
    prev = it.previous_interim
    if prev is None:
        return [f"Det finns ingen tidigare delårs- eller tertialrapport för {it.year} i underlaget att jämföra med."]
    u = it.unit
    frame = previous_interim_frame(it)
    pp = prev.dataset.period
    pname = f"{report_kind(pp)}en per {fmt.month_name(months_covered(pp))} {pp[:4]}"
    res = frame[frame["Post"] == "Resultat, hela nämnden"].iloc[0]
    cols = list(frame.columns)
    out = [f"Jämfört med {pname} har avvikelsen mot budget för hela nämnden gått från "
           f"{fmt.number(res[cols[1]], signed=True)} {u} till {fmt.number(res[cols[2]], signed=True)} {u} "
           f"({fmt.number(res['Förändring'], signed=True)} {u})."]
    if not (math.isnan(res[cols[4]]) or math.isnan(res[cols[5]])):
        out.append(f"Ekonomens årsprognos för resultatet har ändrats från {fmt.number(res[cols[4]])} {u} till "
                   f"{fmt.number(res[cols[5]])} {u}.")
    blocks = frame.iloc[:len(an.steps_to_result(it.table))]
    blocks = blocks[blocks["Förändring"].abs() >= 0.5]
    if not blocks.empty:
        top = blocks.loc[blocks["Förändring"].abs().sort_values(ascending=False, kind="stable").index].head(2)
        out.append("Avvikelsen har förändrats mest för " + fmt.join_list(
            [f"{r.Post} ({fmt.number(r.Förändring, signed=True)} {u})" for r in top.itertuples()]) + ".")
    return out


# --------------------------------------------------------------------------- forecast

def forecast_input(it: Interim) -> pd.DataFrame:
    t = it.table
    steps = an.steps_to_result(t)
    rows = pd.DataFrame({
        "Post": [an.display_label(s) for s in steps],
        "outcome": [an.value(t, s, OUTCOME) for s in steps],
        "budget_to_date": [an.value(t, s, BUDGET) for s in steps],
        "annual_budget": [an.value(t, s, YEAR_BUDGET) if YEAR_BUDGET in t.value_columns else np.nan for s in steps],
    })
    if ECON in t.value_columns:
        rows["economist"] = [an.value(t, s, ECON) for s in steps]
    if it.prev_full and PREV in t.value_columns:
        _, pt, col = it.prev_full
        rows["prev_to_date"] = [an.value(t, s, PREV) for s in steps]
        full = []
        for s in steps:
            try:
                full.append(an.value(pt, s, col))
            except KeyError:
                full.append(np.nan)
        rows["prev_full"] = full
    return rows


def forecast_table(it: Interim) -> pd.DataFrame:
    rows = forecast_input(it)
    if rows["annual_budget"].isna().any():
        return pd.DataFrame()
    t, res = it.table, an.final_row(it.table)
    total = {"outcome": an.value(t, res, OUTCOME), "budget_to_date": an.value(t, res, BUDGET),
             "annual_budget": an.value(t, res, YEAR_BUDGET)}
    if ECON in t.value_columns:
        total["economist"] = an.value(t, res, ECON)
    return fc.forecast_frame(rows, it.months, total=total)


def forecast_comparisons(it: Interim, flag_threshold: float) -> list[fc.Comparison]:
    frame = forecast_table(it)
    if frame.empty:
        return []
    res = frame.iloc[-1]
    computed = {m: res[fc.LABELS[m]] for m in fc.COMPUTED}
    return fc.compare_economist(res[fc.LABELS[fc.ECONOMIST]], computed, flag_threshold)


def forecast_summary(it: Interim, flag_threshold: float = 50) -> list[str]:
    u = it.unit
    frame = forecast_table(it)
    if frame.empty:
        return ["Underlaget saknar årsbudget, så ingen helårsprognos kan beräknas."]
    res = frame.iloc[-1]
    budget = res["Årsbudget"]
    out = []
    econ = res[fc.LABELS[fc.ECONOMIST]]
    computed = [(fc.LABELS[m].lower(), res[fc.LABELS[m]]) for m in fc.COMPUTED if not math.isnan(res[fc.LABELS[m]])]
    if not math.isnan(econ):
        out.append(f"Ekonomens helårsprognos är ett resultat på {fmt.number(econ)} {u}, "
                   f"{fmt.number(econ - budget, signed=True)} {u} mot årsbudgeten ({fmt.number(budget)} {u}).")
    out.append("De beräknade metoderna ger " + fmt.join_list(
        [f"{fmt.number(v)} {u} ({name})" for name, v in computed]) + ".")
    comps = forecast_comparisons(it, flag_threshold)
    flagged = [c for c in comps if c.flagged]
    if comps and flagged:
        which = "alla" if len(flagged) == len(comps) else f"{len(flagged)} av {len(comps)}"
        out.append(f"Obs! Ekonomens prognos skiljer sig med mer än {fmt.number(flag_threshold)} {u} från {which} "
                   "beräknade metoder (" + fmt.join_list(
                       [f"{fmt.number(c.difference, signed=True)} {u} mot {fc.LABELS[c.method].lower()}"
                        for c in flagged]) + "). Skillnaden bör förklaras i rapporten.")
        rows = frame.iloc[:-1]
        gap = rows[fc.LABELS[fc.ECONOMIST]] - rows[fc.LABELS[fc.BUDGET_REST]]
        gap = gap[gap.abs() >= 0.5]
        if not gap.empty:
            top = gap.loc[gap.abs().sort_values(ascending=False, kind="stable").index].head(2)
            out.append("Mot metoden budget för resten av året ligger skillnaden främst i "
                       + fmt.join_list([f"{rows.loc[i, 'Post']} ({fmt.number(v, signed=True)} {u})"
                                        for i, v in top.items()]) + ".")
    elif comps:
        out.append(f"Ekonomens prognos ligger inom {fmt.number(flag_threshold)} {u} från alla beräknade metoder.")
    return out


def forecast_detail_sentences(it: Interim) -> list[str]:
    """Where the methods disagree most, which seasonal rule was used, and the object behind the
    economist's deviation from the budget."""
    u = it.unit
    frame = forecast_table(it)
    if frame.empty:
        return []
    out = []
    rows = frame.iloc[:-1]
    cols = [fc.LABELS[m] for m in fc.METHODS if rows[fc.LABELS[m]].notna().all()]
    spread = rows[cols].max(axis=1) - rows[cols].min(axis=1)
    if len(cols) > 1 and spread.max() >= 0.5:
        i = spread.idxmax()
        r = rows.loc[i]
        lo_m, hi_m = r[cols].astype(float).idxmin(), r[cols].astype(float).idxmax()
        out.append(f"Metoderna skiljer sig mest för {r['Post']}: från {fmt.number(r[lo_m])} {u} "
                   f"({lo_m.lower()}) till {fmt.number(r[hi_m])} {u} ({hi_m.lower()}).")
    fallback = [r.Post for r in rows.itertuples() if r.Säsongsregel == "resterande"]
    if fallback and rows[fc.LABELS[fc.SEASONAL]].notna().all():
        out.append(f"För {fmt.join_list(fallback)} gick föregående års andel inte att använda (beloppet var noll, "
                   "hade motsatt tecken eller var mycket litet vid samma tid); där räknar säsongsmetoden med "
                   "föregående års utfall för de återstående månaderna.")
    if it.prev_full:
        d, _, col = it.prev_full
        y0 = it.year - 1
        text = (f"Säsongsprofilen bygger på utfallet januari–{fmt.month_name(it.months)} {y0} (kolumnen {PREV!r} i "
                f"{it.whole.dataset.path.name}) och helårsutfallet {y0} ")
        if col == OUTCOME:
            text += f"ur årsbokslutet {y0} ({d.path.name}, kolumnen {col!r})."
        else:
            text += (f"ur årsbokslutet {it.year} ({d.path.name}, kolumnen {col!r}), eftersom något årsbokslut för "
                     f"{y0} inte finns i underlaget; siffrorna för {y0} var kända redan när "
                     f"{report_kind(it.period)}en skrevs.")
        out.append(text)
    else:
        out.append(f"Säsongsprofilen kan inte beräknas: det finns inget helårsutfall för {it.year - 1} i underlaget.")
    return out


def assumptions() -> list[str]:
    return [f"{fc.LABELS[m]}: {fc.ASSUMPTIONS[m]}" for m in fc.METHODS]


def hindsight_sentences(it: Interim) -> list[str]:
    """With the year-end table of the same year: how close each method came."""
    if it.year_end is None:
        return []
    frame = forecast_table(it)
    if frame.empty:
        return []
    u = it.unit
    actual = an.value(it.year_end.table, an.final_row(it.year_end.table), OUTCOME)
    res = frame.iloc[-1]
    comps = [(fc.LABELS[m], res[fc.LABELS[m]]) for m in fc.METHODS if not math.isnan(res[fc.LABELS[m]])]
    best = min(comps, key=lambda c: abs(c[1] - actual))
    return [f"Årsbokslutet {it.year} finns nu i underlaget ({it.year_end.dataset.path.name}): årets resultat blev "
            f"{fmt.number(actual)} {u}. Prognosernas fel i efterhand: "
            + fmt.join_list([f"{name.lower()} {fmt.number(v - actual, signed=True)} {u}" for name, v in comps])
            + f". Närmast kom {best[0].lower()}. Avsnittet är en efterhandskontroll av metoderna och ingick "
              f"inte i underlaget när {report_kind(it.period)}en skrevs."]


def all_findings(it: Interim) -> list[Finding]:
    out = list(it.whole.findings)
    for p in it.objects:
        out += p.findings
    return out + list(it.object_findings)


# --------------------------------------------------------------------------- views (HTML)

def example_what(it: Interim) -> str:
    """What the example banner names: the whole report, or the parts built on example data."""
    if it.whole.dataset.is_example:
        return report_name(it.period)
    return "Delar av rapporten (" + fmt.join_list([d.path.name for d in it.example_inputs]) + ")"


def banner(it: Interim):
    from . import html

    return html.example_banner(it.is_example, example_what(it) if it.is_example else "Rapporten")


def front(it: Interim, *, status: str, diarienummer: str, datum: str, handlaggare: str, namnd: str = ""):
    from . import html

    meta = it.whole.dataset.meta
    kind = ("Delårsrapport enligt RKR R17" if report_kind(it.period) == "delårsrapport"
            else "Tertialrapport (frivillig uppföljning per april)")
    received = str(meta.get("received") or "")
    return html.report_front(
        report_name(it.period), status=status, namnd=namnd or meta.get("namnd", ""),
        diarienummer=diarienummer or meta.get("diarienummer", ""), datum=datum or received,
        handlaggare=handlaggare, period=f"{period_text(it.period)}, t.o.m. {it.period}",
        extra={"Rapport": kind,
               "Lämnas senast": f"till fullmäktige och revisorerna {deadline_text(it.period)}",
               "Belopp": f"tusental kronor ({it.unit}); kostnader med minustecken; avvikelse = utfall − budget"},
        is_example=it.is_example, example_what=example_what(it) if it.is_example else "Rapporten")


def summary_view(it: Interim, flag_threshold: float = 50):
    from . import html

    return html.paragraphs(summary(it, flag_threshold))


def overview_table(it: Interim):
    from . import html

    frame, classes = overview(it)
    value_cols = [c for c in frame.columns if c != "Post"]
    return html.table(frame, caption=f"Resultaträkning {period_text(it.period)} ({it.unit}), hela nämnden. "
                                     "Avvikelse = utfall − budget; positivt tal är till nämndens fördel.",
                      formats=html.number_formats(value_cols, signed={"Avvikelse mot budget", "Förändring mot fg år"}),
                      row_classes=classes)


def chart_budget_outcome(it: Interim):
    return an.budget_outcome_chart(block_frame(it), when=f"januari–{fmt.month_name(it.months)} {it.year}",
                                   unit=it.unit)


def deviation_view(it: Interim):
    from . import html

    dev = block_frame(it)
    top = an.drivers(it.table, DEV, n=3)
    sentences = ([f"Raderna med störst avvikelse mot budget är {an.describe_drivers(top, it.unit)}."]
                 if not top.empty else ["Ingen rad avviker från budget."])
    return html.join(html.paragraphs(sentences),
                     html.table(dev, caption=f"Avvikelse mot budget per post januari–{fmt.month_name(it.months)} "
                                             f"{it.year} ({it.unit})",
                                formats=html.number_formats(["Budget", "Utfall", "Avvikelse"], signed={"Avvikelse"})))


def objects_view(it: Interim):
    from . import html

    parts = [html.paragraphs(object_sentences(it))]
    if it.objects:
        frame = object_frame(it)
        cols = [c for c in frame.columns if c != "Objekt"]
        classes = [""] * (len(frame) - 1) + ["total"]
        parts.append(html.table(frame, caption=f"Resultat per objekt och för hela nämnden ({it.unit}). "
                                               "Hittills = januari–" + fmt.month_name(it.months) + ".",
                                formats=html.number_formats(cols, signed={"Avvikelse", "Prognos mot årsbudget"}),
                                row_classes=classes))
        parts.append(chart_objects(it))
    doc = document_checks(it)
    if doc:
        parts.append(html.heading("Jämförelse med rapportens text", 3))
        parts.append(html.paragraphs(doc))
    return html.join(*parts)


def chart_objects(it: Interim):
    from . import charts

    frame = object_frame(it).iloc[:-1]
    alt = (f"Stapeldiagram över avvikelse mot budget januari–{fmt.month_name(it.months)} {it.year} per objekt i "
           f"{it.unit}: " + "; ".join(f"{r.Objekt} {fmt.number(r.Avvikelse, signed=True)}" for r in frame.itertuples())
           + ".")
    return charts.bars(list(frame["Objekt"]), list(frame["Avvikelse"]), alt=alt, signed=True, unit=it.unit,
                       caption=f"Avvikelse mot budget per objekt, {it.unit}. Grönt: bättre än budget; rött och "
                               "rutmönster: sämre än budget.")


def previous_year_view(it: Interim):
    from . import html

    parts = [html.paragraphs(previous_year_sentences(it))]
    if PREV in it.table.value_columns:
        frame = previous_year_frame(it)
        cols = [c for c in frame.columns if c != "Post"]
        parts.append(html.table(frame, caption=f"Utfall januari–{fmt.month_name(it.months)}, {it.year - 1} och "
                                               f"{it.year} ({it.unit}). Förändring = {it.year} − {it.year - 1}.",
                                formats=html.number_formats(cols, signed={"Förändring"}),
                                row_classes=[""] * (len(frame) - 1) + ["total"]))
    return html.join(*parts)


def previous_interim_view(it: Interim):
    from . import html

    parts = [html.paragraphs(previous_interim_sentences(it))]
    frame = previous_interim_frame(it)
    if not frame.empty:
        cols = [c for c in frame.columns if c != "Post"]
        parts.append(html.table(frame, caption=f"Avvikelse mot budget och årsprognos: "
                                               f"{report_name(it.previous_interim.dataset.period).lower()} och "
                                               f"{report_name(it.period).lower()} ({it.unit})",
                                formats=html.number_formats(cols, signed={c for c in cols if "Avvikelse" in c
                                                                          or c == "Förändring"})))
    return html.join(*parts)


def forecast_view(it: Interim, flag_threshold: float = 50):
    from . import html

    frame = forecast_table(it)
    parts = [html.paragraphs(forecast_summary(it, flag_threshold))]
    if frame.empty:
        return html.join(*parts)
    parts.append(html.paragraphs(forecast_detail_sentences(it)))
    shown = frame.drop(columns=["Säsongsregel"])
    shown["Post"] = [p + (" ¹" if r == "resterande" else "") for p, r in zip(frame["Post"], frame["Säsongsregel"])]
    cols = [c for c in shown.columns if c != "Post"]
    caption = (f"Helårsprognos {it.year} per post med fyra metoder ({it.unit}). "
               "¹ Säsongsmetoden använder föregående års utfall för resterande månader.")
    if shown[fc.LABELS[fc.SEASONAL]].isna().all():
        caption = f"Helårsprognos {it.year} per post ({it.unit}). Säsongsmetoden saknar underlag (–)."
    parts.append(html.table(shown, caption=caption, formats=html.number_formats(cols),
                            row_classes=[""] * (len(shown) - 1) + ["total"]))
    parts.append(chart_forecast(it, frame))
    comps = forecast_comparisons(it, flag_threshold)
    if comps:
        cf = pd.DataFrame([{"Metod": fc.LABELS[c.method], "Beräknat resultat": c.computed,
                            "Ekonomens prognos": c.economist, "Skillnad": c.difference,
                            "Flagga": f"Ja, över {fmt.number(flag_threshold)} {it.unit}" if c.flagged else "Nej"}
                           for c in comps])
        parts.append(html.table(cf, caption=f"Ekonomens prognos för resultatet jämförd med de beräknade metoderna "
                                            f"({it.unit}). Skillnad = ekonomens prognos − beräknat.",
                                formats=html.number_formats(["Beräknat resultat", "Ekonomens prognos", "Skillnad"],
                                                            signed={"Skillnad"})))
    parts.append(html.heading("Metodernas antaganden", 3))
    parts.append(html.bullet_list(assumptions()))
    return html.join(*parts)


def chart_forecast(it: Interim, frame: pd.DataFrame | None = None):
    from . import charts

    frame = forecast_table(it) if frame is None else frame
    res = frame.iloc[-1]
    labels = ["Årsbudget"] + [fc.LABELS[m] for m in fc.METHODS if not math.isnan(res[fc.LABELS[m]])]
    values = [float(res[label]) for label in labels]
    alt = (f"Stapeldiagram över helårsprognosen för resultatet {it.year} i {it.unit}: "
           + "; ".join(f"{label} {fmt.number(v)}" for label, v in zip(labels, values)) + ".")
    return charts.bars(labels, values, alt=alt, unit=it.unit,
                       caption=f"Årsbudget och helårsprognos för resultatet {it.year} enligt varje metod, {it.unit}.")


def hindsight_view(it: Interim):
    from . import html

    sentences = hindsight_sentences(it)
    if not sentences:  # no year-end yet: the section is left out
        return html.join()
    return html.join(html.heading("Prognoserna i efterhand"), html.note(sentences[0]))


def checks_view(it: Interim):
    from . import html

    names = [it.whole.dataset.path.name] + [p.dataset.path.name for p in it.objects]
    findings = all_findings(it)
    parts = []
    if not findings:
        text = (f"Alla summarader och differenskolumner i {fmt.join_list(names)} har kontrollerats mot sina delar"
                + (", och objekttabellerna mot nämndens tabell" if it.objects else "")
                + ". Inga avvikelser utöver avrundning hittades. Kontrollen räknar med att varje tryckt belopp "
                  "kan ha avrundats med upp till ett halvt tusental kronor.")
        parts.append(html.paragraphs([text]))
    else:
        parts.append(html.note(f"Kontrollen fann {len(findings)} avvikelse(r) som inte kan förklaras av avrundning:",
                               flag=True))
        parts.append(html.bullet_list([str(f) for f in findings]))
    if it.notes:
        parts.append(html.paragraphs(it.notes))
    return html.join(*parts)


def footer(it: Interim, parameters: dict):
    from . import html

    return html.footer(parameters, it.inputs, notes=it.notes)
