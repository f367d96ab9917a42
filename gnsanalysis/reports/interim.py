"""Interim reports (tertialrapport per april, delårsrapport per juni–augusti) with helårsprognos.

Inputs are found through their metadata (:mod:`gnsanalysis.inputs`): the committee's RR table
for the period, the object tables of the same period (``object:`` in their metadata), the
previous year's full-year outcome (for the seasonal forecast), the previous interim report of
the same year and, when it exists, the year-end table of the same year (hindsight). Every
sentence is computed from those tables; the views at the bottom return HTML fragments.

Real and constructed figures are not mixed: object tables and the previous interim report are
used only when they have the same ``data_status`` as the committee's table, and a report built
on real data uses only real tables (the reference tables too). What is left out is said in
:attr:`Interim.notes`.

Terms in the report: *lagd årsprognos* is the table's own forecast (column ``Årsprogn``);
*helårsprognos* is the forecast of the full year in general, by any method.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from gnsanalysis.errors import DataNotFoundError
from gnsanalysis.inputs import Dataset, find_dataset, object_datasets, periods
from gnsanalysis.reports import common as an
from gnsanalysis.reports import forecast as fc
from gnsanalysis.reports.common import BUDGET, DEV, ECON, ECON_DIFF, OUTCOME, PREV, PREV_DIFF, YEAR_BUDGET, Part
from gnsanalysis.reports.periods import INTERIM_MONTHS, interim_period
from gnsanalysis.rr.checks import Finding
from gnsanalysis.rr.table import RRTable, normalise_label
from gnsanalysis.swedish import format as fmt
from gnsanalysis.swedish.rounding import printed_range, within_rounding

NAMND_SHORT = "Gemensam nämnd för samverkan (GNS)"

# Materiality: a driver is named to the board only when it is at least MATERIAL_TKR tkr and at
# least MATERIAL_SHARE of the largest driver (see :func:`material`).
MATERIAL_TKR, MATERIAL_SHARE = 5.0, 0.05
# In the summary, where the forecast is furthest from the methods is named only for posts that
# are at least a quarter of the largest such post (the section lists more).
SUMMARY_SHARE = 0.25
NO_FORECAST = "Underlaget saknar årsbudget, så ingen helårsprognos kan beräknas."


def _respektive(items: list[str]) -> str:
    """``0 %``, ``0 % respektive 33 %``, ``a, b respektive c``."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " respektive " + items[-1]


def capitalise(text: str) -> str:
    """First letter upper case: a table's title at the start of a sentence."""
    return text[:1].upper() + text[1:]


def quote(text) -> str:
    """Swedish quotation marks: ”text”."""
    return f"\u201d{text}\u201d"


def largest(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """The two rows with the largest |``column``| of at least half a unit, largest first."""
    return an.largest_first(frame[frame[column].abs() >= 0.5], column).head(2)


def material(values: pd.Series, unit: str = "tkr", *, share: float = MATERIAL_SHARE) -> pd.Series:
    """The values worth naming to the board, largest first.

    Rule: |value| ≥ :data:`MATERIAL_TKR` tkr (converted to ``unit``) and |value| ≥ ``share`` × the
    largest |value|. Smaller drivers stay in the tables but are not named in the summary.
    """
    v = values.dropna().astype(float)
    if v.empty:
        return v
    return an.largest_first(v[v.abs() >= max(_minimum(unit), share * v.abs().max()) - 1e-9])


def _minimum(unit: str) -> float:
    """:data:`MATERIAL_TKR` expressed in ``unit`` (an unknown unit is taken as tkr)."""
    return MATERIAL_TKR * 1000 / fmt.KR_PER_UNIT.get(unit, 1000)


# --------------------------------------------------------------------------- periods

def months_covered(period: str) -> int:
    """Number of months the interim ``period`` covers (4 for April, 8 for August)."""
    return int(interim_period(period)[5:])


def report_kind(period: str) -> str:
    """``tertialrapport`` for April, ``delårsrapport`` for June–August."""
    return "tertialrapport" if months_covered(period) == 4 else "delårsrapport"


def report_name(period: str) -> str:
    """``Delårsrapport per augusti 2018``, ``Tertialrapport per april 2019``."""
    return f"{report_kind(period).capitalize()} per {fmt.month_name(months_covered(period))} {period[:4]}"


def report_title(period: str) -> str:
    """The HTML title: ``Tertialrapport per april 2019 – Gemensam nämnd för samverkan (GNS)``."""
    return f"{report_name(period)} – {NAMND_SHORT}"


def period_text(period: str) -> str:
    """``januari–augusti 2018 (8 av 12 månader)``."""
    m = months_covered(period)
    return f"januari–{fmt.month_name(m)} {period[:4]} ({m} av 12 månader)"


def deadline(period: str) -> dt.date:
    """Last day of the second month after the period (RKR R17: within two months)."""
    end = pd.Timestamp(int(period[:4]), months_covered(period), 1) + pd.offsets.MonthEnd(3)
    return end.date()


def deadline_text(period: str) -> str:
    """The report's deadline as a Swedish date, with the rule it follows."""
    rule = ("två månader efter periodens slut enligt RKR R17" if report_kind(period) == "delårsrapport"
            else "två månader efter periodens slut; tertialrapporten är frivillig, men samma tidsgräns "
                 "som RKR R17 ger för delårsrapporten används")
    return f"{fmt.date(deadline(period))} ({rule})"


# --------------------------------------------------------------------------- loading

@dataclass
class Interim:
    """An interim report's inputs: the whole committee's table, the per-object tables and their checks."""
    period: str
    whole: Part
    objects: list[Part]
    object_findings: list[Finding]
    previous_interim: Part | None = None
    prev_full: Part | None = None  # the table with last year's full-year outcome (seasonal profile)
    prev_full_column: str | None = None  # its column with last year's full year
    year_end: Part | None = None  # year-end table of the same year (hindsight), when it exists
    notes: list[str] = field(default_factory=list)
    skipped_previous: list[Dataset] = field(default_factory=list)  # earlier reports of another data_status

    @property
    def months(self) -> int:
        """Months covered by the period."""
        return months_covered(self.period)

    @property
    def year(self) -> int:
        """The calendar year of the period."""
        return int(self.period[:4])

    @property
    def table(self) -> RRTable:
        """The whole committee's result table."""
        return self.whole.table

    @property
    def unit(self) -> str:
        """The amount unit of the tables (``tkr`` unless stated)."""
        return self.whole.unit

    @property
    def decimals(self) -> int:
        """The finest precision printed in the report's tables (0 for whole units)."""
        tables = [self.table] + [p.table for p in self.objects]
        return max([0] + [d for t in tables for d in t.decimals.values()])

    @property
    def inputs(self) -> list[Dataset]:
        """Every dataset the report uses, each once, in the order the report uses them."""
        parts = [self.whole, *self.objects, self.previous_interim, self.prev_full, self.year_end]
        # a path keeps its first place; a table used twice is the same Part, so its dataset too
        return list({p.dataset.path: p.dataset for p in parts if p is not None}.values())

    @property
    def example_inputs(self) -> list[Dataset]:
        """The inputs that are example data rather than real figures."""
        return [d for d in self.inputs if d.is_example]

    @property
    def is_example(self) -> bool:
        """True when any input is example data."""
        return bool(self.example_inputs)


def _optional(kind: str, period: str, raw_dir) -> Dataset | None:
    try:
        return find_dataset(kind, period, raw_dir)
    except DataNotFoundError:
        return None


def _mix_note(d: Dataset, whole: Dataset, use: str = "") -> str:
    return (f"{capitalise(an.table_title(d))} är {d.status_text} men nämndens tabell är {whole.status_text}; den används inte"
            f"{' ' + use if use else ''}, så att verkliga och konstruerade siffror inte blandas.")


def load(period: str, raw_dir=None) -> Interim:
    """Find, parse and check everything an interim report for ``period`` needs.

    Object tables and the previous interim report must have the same data_status as the
    committee's table; a report on real data also leaves out example reference tables (last
    year's and this year's year-end). Each table left out gets a note.
    """
    period = interim_period(period)
    whole = Part.load(find_dataset("rr", period, raw_dir), period)
    an.role_columns(whole.table)  # a column or row the report reads that is missing: an error now
    an.check_rows(whole.table)
    found = object_datasets("rr", period, raw_dir)
    notes = [_mix_note(d, whole.dataset) for d in found if d.is_example != whole.dataset.is_example]
    objects = [Part.load(d, period) for d in found if d.is_example == whole.dataset.is_example]
    object_findings = check_objects(whole.table, [p.table for p in objects]) if objects else []

    y, m = int(period[:4]), months_covered(period)
    earlier = [p for p in periods("rr", raw_dir) if p[:4] == period[:4] and int(p[5:]) in INTERIM_MONTHS
               and int(p[5:]) < m]
    previous, skipped = None, []
    for p in reversed(earlier):  # the latest earlier report with the same data_status
        d = find_dataset("rr", p, raw_dir)
        if d.is_example == whole.dataset.is_example:
            previous = Part.load(d, p)
            break
        skipped.append(d)
        notes.append(_mix_note(d, whole.dataset, f"som jämförelse ({report_name(p).lower()})"))

    def usable(d: Dataset | None, use: str) -> Dataset | None:
        if d is not None and d.is_example and not whole.dataset.is_example:
            notes.append(_mix_note(d, whole.dataset, use))
            return None
        return d

    profile = f"för säsongsprofilen (helåret {y - 1})"
    last_year = usable(_optional("rr", f"{y - 1}-12", raw_dir), profile)
    same_year_found = _optional("rr", f"{y}-12", raw_dir)
    same_year = Part.load(same_year_found, f"{y}-12") if same_year_found is not None else None
    prev_full, prev_col = None, None
    if last_year is not None:
        prev_full, prev_col = Part.load(last_year, f"{y - 1}-12"), OUTCOME
    elif same_year is not None and an.has_role(same_year.table, PREV) and usable(same_year.dataset, profile):
        prev_full, prev_col = same_year, PREV
    hindsight = f"för efterhandskontrollen (årsbokslutet {y})"
    year_end = same_year if same_year is not None and usable(same_year.dataset, hindsight) is not None else None
    return Interim(period, whole, objects, object_findings, previous, prev_full, prev_col, year_end, notes, skipped)


def reference_parts(it: Interim) -> list[tuple[Part, str]]:
    """The tables the report only refers to (not its own tables), each once, with what each is for."""
    out: list[tuple[Part, str]] = []
    if it.prev_full is not None:
        out.append((it.prev_full, f"för säsongsprofilen (helåret {it.year - 1})"))
    if it.year_end is not None:
        if out and out[0][0].dataset.path == it.year_end.dataset.path:
            out[0] = (it.year_end, out[0][1] + " och för efterhandskontrollen")
        else:
            out.append((it.year_end, "för efterhandskontrollen"))
    return out


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
    amount_cols = _amount_columns(whole)
    out = [f for o in objects for f in _shape_findings(whole, o, amount_cols)]
    rule = "summan av objekten " + ", ".join(o.source_name for o in objects)
    for _, row in whole.frame.iterrows():
        found = (_sum_finding(whole, objects, row, col, rule) for col in amount_cols)
        out += [f for f in found if f is not None]
    return out


def _shape_findings(whole: RRTable, o: RRTable, amount_cols: list[str]) -> list[Finding]:
    """The rows and columns in which the object table ``o`` and the committee's table differ."""
    def finding(line: int | None, name: str, text: str) -> Finding:
        return Finding(o.source_name, line, name, None, None, None, None, text)

    rows = {normalise_label(label) for label in whole.frame["label"]}
    cols, own = {normalise_label(c) for c in whole.value_columns}, {normalise_label(c) for c in o.value_columns}
    w = whole.source_name
    return ([finding(int(line), label, f"raden {quote(label)} finns i objekttabellen men inte i {w}")
             for label, line in zip(o.frame["label"], o.frame["line"]) if normalise_label(label) not in rows]
            + [finding(None, c, f"objekttabellen saknar kolumnen {quote(c)} som finns i {w}")
               for c in amount_cols if normalise_label(c) not in own]
            + [finding(None, c, f"kolumnen {quote(c)} finns i objekttabellen men inte i {w}")
               for c in o.value_columns if normalise_label(c) not in cols])


def _sum_finding(whole: RRTable, objects: list[RRTable], row: pd.Series, col: str, rule: str) -> Finding | None:
    """A finding when the committee's printed ``row``/``col`` cannot be rounded from the objects' sum."""
    holders = [o for o in objects if col in o.value_columns]
    d = max([whole.decimals.get(col, 0)] + [o.decimals.get(col, 0) for o in holders])
    half, key = 0.5 * 10.0 ** -d, normalise_label(row["label"])
    hits = [o.frame.loc[o.frame["label"].map(normalise_label) == key, col] for o in holders]
    parts = [float(h.iloc[0]) for h in hits if not h.empty and not np.isnan(h.iloc[0])]
    low, high = sum(parts) - len(parts) * half, sum(parts) + len(parts) * half
    printed = None if np.isnan(row[col]) else float(row[col])
    if within_rounding(printed or 0.0, low, high, 0.0 if printed is None else half):  # an empty cell is exactly 0
        return None
    return Finding(whole.source_name, int(row["line"]), row["label"], col, printed, *printed_range(low, high, d), rule, d)


def object_frame(it: Interim) -> pd.DataFrame:
    """Per object and for the whole committee: budget, outcome and deviation so far; annual
    budget, the lagd årsprognos and its deviation from the annual budget."""
    return pd.DataFrame([{"Objekt": part.label, **{name: an.result_value(part.table, role, optional=True)
                                                   for name, role in _OBJECT_COLUMNS}} for part in it.objects + [it.whole]])


_OBJECT_COLUMNS = (("Budget hittills", BUDGET), ("Utfall hittills", OUTCOME), ("Avvikelse", DEV),
                   ("Årsbudget", YEAR_BUDGET), ("Lagd årsprognos", ECON), ("Prognos mot årsbudget", ECON_DIFF))


def object_sentences(it: Interim) -> list[str]:
    """Swedish sentences on how the budget deviation is spread over the objects."""
    u = it.unit
    if not it.objects:
        return [f"Underlaget för {it.period} innehåller inga tabeller per objekt; avvikelsen kan därför inte "
                "fördelas på objekt."]
    frame = object_frame(it)
    objs = frame.iloc[:-1]
    out = [f"Avvikelsen mot budget hittills fördelar sig på {an.deviation_list(objs, u)}; hela nämnden "
           f"{fmt.amount(frame.iloc[-1]['Avvikelse'], u, True)}."]
    if it.object_findings:
        out.append(f"Obs! Summan av objekten stämmer inte med nämndens tabell: {an.unexplained(len(it.object_findings))}, "
                   "se Kontroll av tabellerna.")
    else:
        out.append("Summan av objekten stämmer med nämndens tabell på varje rad och i varje beloppskolumn, "
                   "bortsett från avrundningsdifferenser.")
    if frame["Prognos mot årsbudget"].notna().all():
        movers = [(r["Objekt"], r["Prognos mot årsbudget"]) for _, r in objs.iterrows()
                  if abs(r["Prognos mot årsbudget"]) >= 0.5]
        if movers:
            rest = "; övriga objekt prognostiseras enligt budget" if len(movers) < len(objs) else ""
            out.append("Den lagda årsprognosen avviker från årsbudgeten med "
                       + fmt.join_list([f"{fmt.amount(v, u, True)} för {name}" for name, v in movers]) + rest + ".")
        else:
            out.append("Den lagda årsprognosen följer årsbudgeten för alla objekt.")
    return out


# --------------------------------------------------------------------------- document figures

def document_checks(it: Interim) -> list[str]:
    """Figures the interim report states in prose (metadata), compared with the tables."""
    f, u, out = it.whole.figures, it.unit, []

    def check(claim: str, stated: float, part: Part, role: str, source: str, after: str = "") -> str:
        got = an.result_value(part.table, role)
        claim, what = f"{claim} till {fmt.amount(stated, u, True)}{after}", f"{source} ger {fmt.amount(got, u, True)}"
        return f"{claim}; {what}, vilket stämmer." if abs(stated - got) < 0.5 else f"Obs! {claim}, men {what}."

    if f.get("result_vs_budget"):
        out.append(check("Rapportens text anger utfallet mot budget", float(f["result_vs_budget"]["value"]),
                         it.whole, DEV, "tabellen"))
    by_id = {str(p.dataset.object_id): p for p in it.objects}
    for o in f.get("objects") or []:
        part = by_id.get(str(o["id"]))
        out.append(f"Rapportens text anger {o['name']} till {fmt.amount(float(o['deviation']), u, True)}, men det "
                   "finns ingen objekttabell att jämföra med." if part is None else
                   check(f"Texten anger {part.label}", float(o["deviation"]), part, DEV, "objekttabellen"))
    fvb = f.get("forecast_vs_budget") or {}
    part = by_id.get(str(fvb.get("object"))) if fvb.get("object") else it.whole
    if fvb and part is not None and an.has_role(part.table, ECON_DIFF):
        out.append(check(f"Texten anger den lagda årsprognosen för {part.label}", float(fvb["value"]), part,
                         ECON_DIFF, f"tabellens kolumn {quote(an.column(part.table, ECON_DIFF))}", " mot budget"))
    return out


# --------------------------------------------------------------------------- deviations

def _drivers_text(it: Interim, column: str, total: float) -> str:
    """``, främst X med −258 tkr, delvis uppvägt av övriga objekt (+39 tkr)``: the material drivers
    of ``column`` (:func:`_deviation_drivers`, :func:`material`) that pull the same way as ``total``
    (at most two), and the rest when it is material and pulls the other way. Empty when nothing is material."""
    values, others = _deviation_drivers(it, column)
    unit = it.unit
    kept = material(values, unit)
    if total:
        kept = kept[np.sign(kept) == np.sign(total)]
    kept = kept.head(2)
    if kept.empty:
        return ""
    text = ", främst " + fmt.join_list([f"{name} med {fmt.amount(v, unit, True)}" for name, v in kept.items()])
    rest = total - float(kept.sum())
    if total and np.sign(rest) == -np.sign(total) and abs(rest) >= _minimum(unit):
        text += f", delvis uppvägt av övriga {others} ({fmt.amount(rest, unit, True)})"
    return text


def _deviation_drivers(it: Interim, column: str) -> tuple[pd.Series, str]:
    """Per object when there are object tables, else per line item; and the word for the rest."""
    if it.objects:
        values = pd.Series({p.label: an.result_value(p.table, column) for p in it.objects
                            if an.has_role(p.table, column)}, dtype=float)
        return values, "objekt"
    t = it.table
    if column == ECON_DIFF:
        steps = an.steps_to_result(t)
        return pd.Series({an.display_label(s): an.role_value(t, s, column) for s in steps}, dtype=float), "poster"
    items = t.frame[t.frame["kind"] == "item"]
    col = an.column(t, column)
    return pd.Series({an.display_label(r["label"]): r[col] for _, r in items.iterrows()}, dtype=float), "poster"


def summary(it: Interim, flag_threshold: float = 50) -> list[str]:
    """At most five short sentences for the board: period and deadline, result against budget
    with its main drivers, the lagd årsprognos against the annual budget, how it compares with
    the computed methods, and (only when there are any) the check findings. Details stay in
    their sections."""
    dev = an.result_value(it.table, DEV)
    out = [f"{report_name(it.period)} omfattar {period_text(it.period)} och ska lämnas till fullmäktige och "
           f"revisorerna senast {fmt.date(deadline(it.period))}.",
           f"Ackumulerat utfall mot budget per {fmt.month_name(it.months)} är {fmt.amount(dev, it.unit, True)}"
           f"{_drivers_text(it, DEV, dev)}.", *_forecast_summary(it, flag_threshold)]
    if checks := len(all_findings(it)):
        out.append(f"Obs! Kontrollen av tabellerna fann {an.unexplained(checks)}, se Kontroll av tabellerna.")
    return out


def _forecast_summary(it: Interim, flag_threshold: float) -> list[str]:
    """The summary's sentences on the lagd årsprognos: its result and its printed difference
    from the annual budget (column ``forecast_diff``; computed, and said so, without one)."""
    t, u = it.table, it.unit
    frame = forecast_display(it)
    if frame.empty:
        return [NO_FORECAST]
    r = frame.iloc[-1]
    econ, budget = r[fc.LABELS[fc.ECONOMIST]], r["Årsbudget"]
    if math.isnan(econ):
        computed = _computed_results(frame).values()
        return [f"Underlaget saknar lagd årsprognos; de beräknade metoderna ger ett resultat mellan "
                f"{fmt.number(min(computed))} och {fmt.amount(max(computed), u)}."]
    if an.has_role(t, ECON_DIFF):
        diff = an.result_value(t, ECON_DIFF)
        how, why = "", _drivers_text(it, ECON_DIFF, diff)
    else:
        diff, how, why = econ - budget, "beräknat ", ""
    return [f"Den lagda årsprognosen för {it.year} är ett resultat på {fmt.amount(econ, u)}, "
            f"{how}{fmt.amount(diff, u, True)} mot årsbudgeten ({fmt.amount(budget, u)}){why}.",
            comparison_sentence(it, flag_threshold)]


def _change(t: RRTable, label: str) -> float:
    """Outcome against last year's period: the printed difference column if any, else outcome − previous."""
    if an.has_role(t, PREV_DIFF):
        return an.role_value(t, label, PREV_DIFF)
    return an.role_value(t, label, OUTCOME) - an.role_value(t, label, PREV)


def overview(it: Interim) -> tuple[pd.DataFrame, list[str]]:
    """The whole committee's result table for the report, with Swedish column names, and row classes."""
    m, y = fmt.month_name(it.months)[:3], it.year
    return an.rr_overview(it.table, {OUTCOME: f"Utfall jan–{m} {y}", BUDGET: f"Budget jan–{m} {y}",
                                     DEV: "Avvikelse mot budget", PREV: f"Utfall jan–{m} {y - 1}",
                                     PREV_DIFF: "Förändring mot fg år"})


def previous_year_sentences(it: Interim) -> list[str]:
    """Swedish sentences comparing the outcome with the same period last year."""
    u = it.unit
    if not an.has_role(it.table, PREV):
        return ["Underlaget saknar föregående års utfall för samma period."]
    frame = previous_year_frame(it)
    changes = largest(frame.iloc[:-1].rename(columns={"Post": "label", "Förändring": "value"}), "value")
    res = frame.iloc[-1]
    out = [f"Resultatet januari–{fmt.month_name(it.months)} blev {fmt.amount(res[f'Utfall {it.year}'], u)} mot "
           f"{fmt.amount(res[f'Utfall {it.year - 1}'], u)} samma period {it.year - 1}."]
    if not changes.empty:
        out.append("Störst förändring mot föregående år har " + an.describe_drivers(changes, u)
                   + " (positivt tal: bättre för nämnden).")
    return out


def previous_year_frame(it: Interim) -> pd.DataFrame:
    """Outcome per step this year and last year for the same period, with the change."""
    t = it.table
    steps = an.steps_to_result(t) + [an.final_row(t)]
    return pd.DataFrame([{"Post": an.display_label(s), f"Utfall {it.year - 1}": an.role_value(t, s, PREV),
                          f"Utfall {it.year}": an.role_value(t, s, OUTCOME),
                          "Förändring": _change(t, s)} for s in steps])


def previous_interim_frame(it: Interim) -> pd.DataFrame:
    """Deviation against budget and the lagd årsprognos, previous interim report → this one."""
    prev = it.previous_interim
    if prev is None:
        return pd.DataFrame()
    pp = an.period_of(prev.dataset)
    pm, m = fmt.month_name(months_covered(pp)), fmt.month_name(it.months)
    earlier = {d.object_id: Part.load(d, pp).table for d in object_datasets("rr", pp, prev.dataset.path.parent)
               if d.is_example == prev.dataset.is_example}  # the previous report's objects, same data_status
    pairs = [(an.display_label(s), prev.table, it.table, s) for s in an.steps_to_result(it.table)]
    pairs.append(("Resultat, hela nämnden", prev.table, it.table, an.final_row(it.table)))
    pairs += [(f"Resultat, {part.label}", earlier[part.dataset.object_id], part.table, an.final_row(part.table))
              for part in it.objects if part.dataset.object_id in earlier]
    rows = []
    for label, pt, nt, row in pairs:
        a, b = an.role_value(pt, row, DEV, missing=np.nan), an.role_value(nt, row, DEV)
        rows.append({"Post": label, f"Avvikelse per {pm}": a, f"Avvikelse per {m}": b, "Förändring": b - a,
                     f"Lagd årsprognos per {pm}": an.role_value(pt, row, ECON, optional=True),
                     f"Lagd årsprognos per {m}": an.role_value(nt, row, ECON, optional=True)})
    return pd.DataFrame(rows)


def previous_interim_sentences(it: Interim) -> list[str]:
    """Swedish sentences comparing with the year's previous interim report, or why none is compared."""
    prev = it.previous_interim
    if prev is None:
        out = [f"Det finns ingen tidigare delårs- eller tertialrapport för {it.year} i underlaget att jämföra med"
               + (" som har samma slags data" if it.skipped_previous else "") + "."]
        for d in it.skipped_previous:
            out.append(f"{report_name(an.period_of(d))} är {d.status_text} men den här rapporten bygger på "
                       f"{it.whole.dataset.status_text}, så de jämförs inte.")
        return out
    u = it.unit
    frame = previous_interim_frame(it)
    pp = an.period_of(prev.dataset)
    pname = f"{report_kind(pp)}en per {fmt.month_name(months_covered(pp))} {pp[:4]}"
    res = frame[frame["Post"] == "Resultat, hela nämnden"].iloc[0]
    cols = list(frame.columns)
    out = [f"Jämfört med {pname} har avvikelsen mot budget för hela nämnden gått från "
           f"{fmt.amount(res[cols[1]], u, True)} till {fmt.amount(res[cols[2]], u, True)} "
           f"(beräknad förändring {fmt.amount(res['Förändring'], u, True)})."]
    if not (math.isnan(res[cols[4]]) or math.isnan(res[cols[5]])):
        out.append(f"Den lagda årsprognosen för resultatet har ändrats från {fmt.amount(res[cols[4]], u)} till "
                   f"{fmt.amount(res[cols[5]], u)}.")
    top = largest(frame.iloc[:len(an.steps_to_result(it.table))], "Förändring")
    if not top.empty:
        out.append("Avvikelsen har förändrats mest för " + fmt.join_list(
            [f"{r.Post} ({fmt.amount(r.Förändring, u, True)})" for r in top.itertuples()]) + ".")
    return out


# --------------------------------------------------------------------------- forecast

_FORECAST_INPUTS = {"outcome": OUTCOME, "budget_to_date": BUDGET, "annual_budget": YEAR_BUDGET, "economist": ECON}


def _forecast_figures(t: RRTable, label: str) -> dict[str, float]:
    """The figures of one row that the forecasts read (NaN for an optional column the table lacks)."""
    return {k: an.role_value(t, label, r, optional=True) for k, r in _FORECAST_INPUTS.items()}


def forecast_input(it: Interim) -> pd.DataFrame:
    """Per-step outcome, budgets and (where present) the economist's and last year's figures for the forecasts."""
    t = it.table
    steps = an.steps_to_result(t)
    rows = pd.DataFrame([{"Post": an.display_label(s), **_forecast_figures(t, s)} for s in steps])
    if it.prev_full is not None and an.has_role(t, PREV):
        pt, col = it.prev_full.table, it.prev_full_column
        assert col is not None  # load() sets prev_full_column together with prev_full
        rows["prev_to_date"] = [an.role_value(t, s, PREV) for s in steps]
        rows["prev_full"] = [an.role_value(pt, s, col, missing=np.nan) for s in steps]
    return rows


def forecast_display(it: Interim) -> pd.DataFrame:
    """The forecasts per post as shown (:func:`gnsanalysis.reports.forecast.forecast_frame` with the
    printed result as bottom line, rounded by :func:`~gnsanalysis.reports.forecast.display_frame`);
    empty without an annual budget. All figures in the prose about the forecast come from this frame."""
    rows = forecast_input(it)
    if rows["annual_budget"].isna().any():
        return pd.DataFrame()
    frame = fc.forecast_frame(rows, it.months, total=_forecast_figures(it.table, an.final_row(it.table)))
    return fc.display_frame(frame, it.decimals)


def _computed_results(frame: pd.DataFrame) -> dict[str, float]:
    res = frame.iloc[-1]
    return {m: float(res[fc.LABELS[m]]) for m in fc.COMPUTED if not math.isnan(res[fc.LABELS[m]])}


def forecast_comparisons(it: Interim, flag_threshold: float) -> list[fc.Comparison]:
    """The computed full-year results compared with the economist's forecast, flagged above ``flag_threshold``."""
    frame = forecast_display(it)
    if frame.empty:
        return []
    return fc.compare_economist(frame.iloc[-1][fc.LABELS[fc.ECONOMIST]], _computed_results(frame), flag_threshold)


def _outliers_text(it: Interim, n: int, share: float = MATERIAL_SHARE, give: str = "") -> str:
    """``Post (lagd årsprognos; metoderna[ ger] mellan … och …)`` for the ``n`` posts furthest from the methods."""
    def between(lo: float, hi: float) -> str:
        return fmt.amount(lo, it.unit) if lo == hi else f"mellan {fmt.number(lo)} och {fmt.amount(hi, it.unit)}"

    return fmt.join_list([f"{r.Post} ({fmt.amount(r.Lagd, it.unit)}; metoderna{give} {between(r.Lägst, r.Högst)})"
                          for r in forecast_outliers(it, share).head(n).itertuples()])


def _findings_note(part: Part) -> str:
    """``Obs! Kontrollen fann 2 avvikelser i …, se Kontroll av tabellerna.``"""
    return f"Obs! Kontrollen fann {an.count_deviations(len(part.findings))} i {part.title}, se Kontroll av tabellerna."


def forecast_outliers(it: Interim, share: float = MATERIAL_SHARE) -> pd.DataFrame:
    """Posts where the lagd årsprognos lies outside the range of the computed methods: ``Post``,
    the lagd årsprognos, the methods' lowest and highest, and ``Utanför`` (signed distance to
    the nearest method), material ones only (:func:`material` with ``share``), largest first."""
    frame = forecast_display(it)
    cols = [fc.LABELS[m] for m in fc.COMPUTED]
    rows = fc.item_rows(frame) if not frame.empty else pd.DataFrame(columns=["Post", fc.LABELS[fc.ECONOMIST], *cols])
    econ, methods = rows[fc.LABELS[fc.ECONOMIST]].astype(float), rows[cols].astype(float)
    lo, hi = methods.min(axis=1), methods.max(axis=1)
    df = pd.DataFrame({"Post": rows["Post"], "Lagd": econ, "Lägst": lo, "Högst": hi,
                       "Utanför": (econ - hi).clip(lower=0) + (econ - lo).clip(upper=0)}).dropna()
    df = df.set_index("Post", drop=False)
    return df.loc[material(df["Utanför"], it.unit, share=share).index].reset_index(drop=True)


def comparison_sentence(it: Interim, flag_threshold: float = 50) -> str:
    """One sentence: how the lagd årsprognos compares with the computed methods, and where."""
    u = it.unit
    comps = forecast_comparisons(it, flag_threshold)
    if not comps:
        return ""
    flagged = [c for c in comps if c.flagged]
    limit = fmt.amount(flag_threshold, u)
    if not flagged:
        return f"Den lagda årsprognosen ligger inom {limit} från samtliga beräknade metoder."
    which = "samtliga" if len(flagged) == len(comps) else f"{len(flagged)} av {len(comps)}"
    text = f"Den lagda årsprognosen skiljer sig mer än {limit} från {which} beräknade metoder"
    top = _outliers_text(it, 2, SUMMARY_SHARE, " ger")
    return text + (f", främst för {top}" if top else "") + "."


def forecast_sentences(it: Interim, flag_threshold: float = 50) -> list[str]:
    """The forecast section's own text (the summary only repeats its conclusion)."""
    u = it.unit
    frame = forecast_display(it)
    if frame.empty:
        return [NO_FORECAST]
    res = frame.iloc[-1]
    computed = _computed_results(frame)
    out = [f"För resultatet {it.year} ger " + fmt.join_list(
        [f"{fc.LABELS[m].lower()} {fmt.amount(v, u)}" for m, v in computed.items()])
        + f", mot årsbudgeten {fmt.amount(res['Årsbudget'], u)}."]
    econ = res[fc.LABELS[fc.ECONOMIST]]
    if math.isnan(econ):
        out.append("Underlaget har ingen lagd årsprognos (kolumnen Årsprogn) att jämföra med.")
        return out
    comps = forecast_comparisons(it, flag_threshold)
    flagged = [c for c in comps if c.flagged]
    how_many = "alla" if len(flagged) == len(comps) else fmt.count_noun(len(flagged), "skillnad", "skillnader")
    out.append(f"Den lagda årsprognosen (kolumnen Årsprogn) är {fmt.amount(econ, u)}. Skillnaden mot metoderna "
               "(lagd årsprognos − beräknat) är " + fmt.join_list(
                   [f"{fmt.amount(c.difference, u, True)} mot {fc.LABELS[c.method].lower()}" for c in comps])
               + (f"; {how_many} över flaggränsen {fmt.amount(flag_threshold, u)}." if flagged else
                  f", alla inom flaggränsen {fmt.amount(flag_threshold, u)}."))
    if flagged:
        top = _outliers_text(it, 3)
        if top:
            out.append(f"Per post ligger den lagda årsprognosen längst från metoderna för {top}. Underlaget förklarar "
                       "inte skillnaden; den lagda årsprognosen kan räkna med sådant som ännu inte syns i "
                       "bokföringen eller budgeten.")
        else:
            out.append("Underlaget förklarar inte skillnaden.")
    return out


def uneven_rows(it: Interim) -> list[tuple[str, float]]:
    """Posts booked unevenly over the year: last year's share by the same month is far from an
    even spread (:func:`gnsanalysis.reports.forecast.uneven_share`). ``(post, share)``."""
    rows = forecast_input(it)
    if "prev_full" not in rows.columns:
        return []
    shares = ((r.Post, fc.uneven_share(r.prev_to_date, r.prev_full, it.months)) for r in rows.itertuples())
    return [(post, share) for post, share in shares if share is not None]  # None also for a missing figure


def forecast_detail_sentences(it: Interim) -> list[str]:
    """Posts that are booked unevenly (where the run-rate method misleads), where the computed
    methods disagree most, which seasonal rule was used, and the source of the seasonal profile."""
    u = it.unit
    frame = forecast_display(it)
    if frame.empty:
        return []
    out = []
    rows = fc.item_rows(frame)
    m, month = it.months, fmt.month_name(it.months)
    uneven = uneven_rows(it)
    if uneven:
        res = frame.iloc[-1]
        by_post = frame.set_index("Post")
        run, posts = fc.LABELS[fc.RUN_RATE], [post for post, _ in uneven]
        shares = [fmt.percent(100 * share) for _, share in uneven]
        out.append(f"Samma takt som hittills ger {fmt.amount(res[run], u)} för resultatet men är missvisande för "
                   + fmt.join_list([f"{post} ({fmt.amount(by_post.loc[post, run], u)} mot årsbudgeten "
                                    f"{fmt.amount(by_post.loc[post, 'Årsbudget'], u)})" for post in posts])
                   + f": föregående år var {_respektive(shares)} av "
                     f"helårsbeloppet bokfört i januari–{month}, mot {fmt.percent(100 * m / 12)} vid jämn "
                     "fördelning över året. "
                   + ("Posten bokfördes" if len(uneven) == 1 else "Posterna bokfördes")
                   + " alltså ojämnt över året (till exempel årsfakturering eller verksamhet som startade under "
                     "året), och utfallet hittills kan inte räknas upp månad för månad.")
    cols = [fc.LABELS[x] for x in fc.COMPUTED if rows[fc.LABELS[x]].notna().all()]
    spread = rows[cols].max(axis=1) - rows[cols].min(axis=1) if cols else pd.Series(dtype=float)
    if len(cols) > 1 and spread.max() >= 0.5:
        r = rows.loc[spread.idxmax()]
        lo_m, hi_m = r[cols].astype(float).idxmin(), r[cols].astype(float).idxmax()
        out.append(f"De beräknade metoderna skiljer sig mest för {r['Post']}: från {fmt.amount(r[lo_m], u)} "
                   f"({lo_m.lower()}) till {fmt.amount(r[hi_m], u)} ({hi_m.lower()}).")
    fallback = [r.Post for r in rows.itertuples() if r.Säsongsregel == "resterande"]
    if fallback and rows[fc.LABELS[fc.SEASONAL]].notna().all():
        out.append(f"För {fmt.join_list(fallback)} gick föregående års andel inte att använda (beloppet var noll, "
                   "hade motsatt tecken eller var mycket litet vid samma tid); där räknar säsongsmetoden med "
                   "föregående års utfall för de återstående månaderna.")
    if it.prev_full is not None:
        d, col = it.prev_full.dataset, it.prev_full_column
        assert col is not None  # load() sets prev_full_column together with prev_full
        y0 = it.year - 1
        text = (f"Säsongsprofilen bygger på utfallet januari–{month} {y0} (kolumnen "
                f"{quote(an.column(it.table, PREV))} i {it.whole.title}) och helårsutfallet {y0} ")
        source = f"{an.table_title(d)}, kolumnen {quote(an.column(it.prev_full.table, col))}"
        if col == OUTCOME:
            text += f"ur årsbokslutet {y0} ({source})."
        else:
            text += (f"ur årsbokslutet {it.year} ({source}), eftersom något årsbokslut för {y0} inte finns i "
                     f"underlaget; siffrorna för {y0} var kända redan när {report_kind(it.period)}en skrevs.")
        if it.prev_full.findings:
            text += " " + _findings_note(it.prev_full)
        out.append(text)
    else:
        out.append(f"Säsongsprofilen kan inte beräknas: det finns inget helårsutfall för {it.year - 1} i underlaget.")
    return out


def assumptions() -> list[str]:
    """The assumption behind each forecast method, one Swedish line each."""
    return [f"{fc.LABELS[m]}: {fc.ASSUMPTIONS[m]}" for m in fc.METHODS]


def hindsight_sentences(it: Interim) -> list[str]:
    """With the year-end table of the same year: how close each method came
    (avvikelse = prognos − utfall), with a caveat when the year-end moved money to next year."""
    if it.year_end is None:
        return []
    frame = forecast_display(it)
    if frame.empty:
        return []
    u = it.unit
    actual = an.role_value(it.year_end.table, an.final_row(it.year_end.table), OUTCOME)
    res = frame.iloc[-1]
    comps = [(fc.LABELS[m], float(res[fc.LABELS[m]])) for m in fc.METHODS if not math.isnan(res[fc.LABELS[m]])]

    def named(name: str) -> str:
        return "den lagda årsprognosen" if name == fc.LABELS[fc.ECONOMIST] else name.lower()

    def deviations(against: float) -> tuple[str, str]:
        """Each method's deviation from ``against``, and the closest method."""
        best = min(comps, key=lambda c: abs(c[1] - against))
        return fmt.join_list([f"{named(name)} {fmt.amount(v - against, u, True)}" for name, v in comps]), named(best[0])

    text, best = deviations(actual)
    out = [f"Årsbokslutet {it.year} finns nu i underlaget ({it.year_end.title}): årets resultat blev "
           f"{fmt.amount(actual, u)}. Prognosernas avvikelse i efterhand (avvikelse = prognos − utfall): "
           f"{text}. Närmast kom {best}."]
    reserved = it.year_end.figures.get("reserved_next_year")
    if reserved and reserved.get("value") is not None:
        r = float(reserved["value"])
        ca = "ca " if reserved.get("approximate") else ""
        adjusted = actual + r
        text, best = deviations(adjusted)
        quoted = f" ({quote(reserved['quote'])})" if reserved.get("quote") else ""
        out.append(f"Jämförelsen är inte helt likvärdig: i årsbokslutet reserverades {ca}{fmt.number(r)} "
                   f"{reserved.get('unit', u)} till {it.year + 1}{quoted}, vilket minskade årets resultat. Utan "
                   f"reserveringen hade resultatet varit {ca}{fmt.amount(adjusted, u)}; räknat mot det blir "
                   f"avvikelserna {text}, och närmast kommer {best}.")
    if it.year_end.findings:
        out.append(_findings_note(it.year_end))
    out.append(f"Avsnittet är en efterhandskontroll av metoderna och ingick inte i underlaget när "
               f"{report_kind(it.period)}en skrevs.")
    return out


def all_findings(it: Interim) -> list[Finding]:
    """Every check finding: the whole table's, each object's and the cross-table ones."""
    return [*it.whole.findings, *(f for p in it.objects for f in p.findings), *it.object_findings]
