"""Year-end (årsbokslut) analysis: result against budget and previous year, drivers, objects,
and the carry-over of the committee's funds. Sentences are computed from the data."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pandas as pd

from gnsanalysis.inputs import find_dataset
from gnsanalysis.render import html
from gnsanalysis.reports import common as an
from gnsanalysis.reports.common import BUDGET, DEV, OUTCOME, PREV, PREV_DIFF, PREV_PCT
from gnsanalysis.swedish import format as fmt


class YearEnd(an.Part):
    """A year-end report's input: the dataset, its parsed result table and the check findings."""

    @property
    def year(self) -> int:
        """The financial year of the table."""
        return int(an.period_of(self.dataset)[:4])


def load(period: str, raw_dir: Path | None = None) -> YearEnd:
    """Find the RR input for ``period`` through its metadata, parse and check it.

    The roles the report reads (columns, rows, the layout's rows) are resolved here, so that a
    table that lacks one stops with an error naming it before anything is written."""
    ye = YearEnd.load(find_dataset("rr", period, raw_dir), period)
    an.check_rows(ye.table)
    an.role_columns(ye.table)
    for role in ("income", "costs"):
        an.row(ye.table, role)
    return ye


def overview(ye: YearEnd) -> tuple[pd.DataFrame, list[str]]:
    """The result table for the report, with Swedish column names, and row classes."""
    frame, classes = an.rr_overview(ye.table, {
        OUTCOME: f"Utfall {ye.year}", BUDGET: "Budget", DEV: "Avvikelse mot budget", PREV: f"Utfall {ye.year - 1}",
        PREV_DIFF: "Förändring", PREV_PCT: "Förändring %"})
    if "Förändring %" in frame.columns and an.has_role(ye.table, PREV):
        # a change from zero has no percentage; the source prints 0, we print a dash
        prev = ye.table.frame[an.column(ye.table, PREV)].to_numpy()
        frame.loc[prev == 0, "Förändring %"] = float("nan")
    return frame, classes


def summary(ye: YearEnd) -> list[str]:
    """Plain Swedish sentences. Every figure is one the table prints (the printed total rows
    and difference columns); a figure the report computes is named as computed."""
    out = [_result_sentence(ye)]
    out += _block_sentences(ye)
    top = an.drivers(ye.table, an.required_column(ye.table, DEV), n=2)
    if not top.empty:
        sentence = f"Störst avvikelse mot budget har {an.describe_drivers(top, ye.unit)}"
        if an.offsetting(top):
            sentence += "; de två tar i stort sett ut varandra"
        out.append(sentence + ".")
    if an.has_role(ye.table, PREV):
        out.append(f"Föregående år ({ye.year - 1}) var resultatet {fmt.number(an.result_value(ye.table, PREV))} "
                   f"{ye.unit}. " + _prev_year_note(ye))
    out.append(_check_sentence(ye))
    return out


def _result_sentence(ye: YearEnd) -> str:
    u = ye.unit
    r_out, r_bud, r_dev = (an.result_value(ye.table, c) for c in (OUTCOME, BUDGET, DEV))
    sentence = (f"Årets resultat {ye.year} blev {fmt.number(r_out)} {u} mot en budget på {fmt.number(r_bud)} {u}. "
                f"Utfallet mot budget är {fmt.amount(r_dev, u, True)}")
    if abs((r_out - r_bud) - r_dev) > 1e-9:
        sentence += (f" enligt tabellens differenskolumn; {fmt.number(r_out)} − ({fmt.number(r_bud)}) ger "
                     f"{fmt.amount(r_out - r_bud, u, True)} eftersom beloppen är avrundade till hela {u}")
    return sentence + "."


def _block_sentences(ye: YearEnd) -> list[str]:
    """Income and costs as the table prints them: the rows declared as the ``income`` and
    ``costs`` roles (e.g. Summa Intäkter, Summa Kostnader) with their printed difference
    (positive = in the committee's favour). Without declared rows nothing is said."""
    out = []
    for role, word, favourable, unfavourable in (("income", "Intäkterna", "mer", "mindre"),
                                                 ("costs", "Kostnaderna", "mindre", "mer")):
        label = an.row(ye.table, role)
        if label is None:
            continue
        o, b, d = (an.role_value(ye.table, label, c) for c in (OUTCOME, BUDGET, DEV))
        how = (f"{fmt.number(abs(d))} {ye.unit} {favourable if d > 0 else unfavourable} än budgeterat"
               if d else "lika mycket som budgeterat")
        out.append(f"{word} (raden {label}) blev {fmt.number(abs(o))} {ye.unit}, vilket är "
                   f"{how} ({fmt.number(abs(b))} {ye.unit}).")
    return out


def _check_sentence(ye: YearEnd) -> str:
    if ye.findings:
        return (f"Kontrollen av tabellens summor fann {an.unexplained(len(ye.findings))}; de redovisas under "
                "Kontroll av tabellen.")
    return ("Tabellens summor och differenskolumner stämmer med sina delar bortsett från "
            "avrundningsdifferenser, som uppstår när beloppen avrundas till hela "
            f"{an.unit_words(ye.unit)}.")


def _prev_year_note(ye: YearEnd) -> str:
    pct = an.result_value(ye.table, PREV_PCT) if an.has_role(ye.table, PREV_PCT) else 0
    prev = an.result_value(ye.table, PREV)
    if abs(pct) > 500:  # a base near zero makes the percentage meaningless, whatever the unit
        return (f"Eftersom jämförelsebeloppet är nästan noll ({fmt.number(prev)} {ye.unit}) säger den tryckta "
                f"procentuella förändringen ({fmt.number(pct)} %) inget meningsfullt.")
    if an.has_role(ye.table, PREV_DIFF):
        return f"Förändringen mot föregående år är {fmt.number(an.result_value(ye.table, PREV_DIFF), signed=True)} {ye.unit}."
    change = an.result_value(ye.table, OUTCOME) - prev
    return f"Förändringen mot föregående år är, beräknad, {fmt.number(change, signed=True)} {ye.unit}."


def deviation_table(ye: YearEnd, *, with_result: bool = False) -> pd.DataFrame:
    """Deviation against budget per block; with ``with_result`` the printed result row follows
    (see :func:`gnsanalysis.reports.common.deviation_frame`)."""
    return an.deviation_frame(ye.table, an.display_label(an.final_row(ye.table)) if with_result else None)


def object_deviations(ye: YearEnd) -> tuple[pd.DataFrame, list[str]]:
    """Deviation by object as stated in the document's text, checked against the table."""
    objects = ye.figures.get("objects") or []
    if not objects:
        return pd.DataFrame(columns=["Objekt", "Avvikelse"]), [
            "Underlaget anger ingen fördelning av avvikelsen per objekt."]
    frame = pd.DataFrame([{"Objekt": an.object_label(o["id"], o["name"]), "Avvikelse": float(o["deviation"])}
                          for o in objects])
    total, table_dev, u = float(frame["Avvikelse"].sum()), an.result_value(ye.table, DEV), ye.unit
    agrees = abs(total - table_dev) < 0.5
    return frame, [f"Enligt årsbokslutets text fördelar sig avvikelsen mot budget på {an.deviation_list(frame, u)}.",
                   f"{'' if agrees else 'Obs! '}Objektens summa, {fmt.amount(total, u, True)}, stämmer "
                   f"{'' if agrees else 'inte '}med tabellens avvikelse för resultatet ({fmt.amount(table_dev, u, True)})."]


def carry_over(ye: YearEnd) -> tuple[pd.DataFrame, list[str]]:
    """Basarvode, the year's GNS costs and what is left for next year, with the document's claims."""
    f = ye.figures
    base, costs, reserved = f.get("basarvode"), f.get("gns_costs"), f.get("reserved_next_year")
    if not (base and costs):
        return pd.DataFrame(columns=["Post", "tkr"]), ["Underlaget anger inte basarvode och nämndens egna kostnader."]
    parties, per_party = int(base["parties"]), Decimal(str(base["per_party_kr"]))
    base_tkr = parties * per_party / 1000
    cost_tkr = Decimal(str(costs["value"]))
    left = base_tkr - cost_tkr
    rows = [
        {"Post": f"Basarvode ({parties} parter × {fmt.kr(per_party)})", "tkr": float(base_tkr)},
        {"Post": "Nämndens egna kostnader (GNS)", "tkr": float(-cost_tkr)},
        {"Post": "Kvarstående medel, beräknat", "tkr": float(left)},
    ]
    u = "tkr"
    sentences = [f"Basarvodet är {parties} × {fmt.kr(per_party)} = {fmt.number(base_tkr, 1)} {u}"
                 + (", samma belopp som årsbokslutet anger." if Decimal(str(base["total"])) == base_tkr
                    else f", men årsbokslutet anger {fmt.number(base['total'], 1)} {u}.")]
    sentences.append(f"Med nämndens egna kostnader på {fmt.number(cost_tkr)} {u} återstår "
                     f"{fmt.number(left, 1)} {u} att föra över till {ye.year + 1}.")
    if reserved:
        stated = Decimal(str(reserved["value"]))
        rows.append({"Post": f"Reserverat till {ye.year + 1} enligt årsbokslutet"
                             + (" (cirka)" if reserved.get("approximate") else ""), "tkr": float(stated)})
        gap = stated - left
        if gap == 0:
            sentences.append(f"Det stämmer med de {fmt.number(stated)} {u} som årsbokslutet reserverar.")
        else:
            sentences.append(
                f"Årsbokslutet reserverar {'cirka ' if reserved.get('approximate') else ''}{fmt.number(stated)} {u}; "
                f"skillnaden mot det beräknade beloppet är {fmt.number(gap, 1, signed=True)} {u}"
                + (", vilket förklaras av att beloppet är avrundat." if abs(gap) < 1 and reserved.get("approximate")
                   else "."))
    return pd.DataFrame(rows), sentences


# --------------------------------------------------------------------------- views (HTML)

def front(ye: YearEnd, *, status: str, namnd: str, diarienummer: str, datum: str, handlaggare: str):
    """Front matter: parameters win; empty parameters fall back to the input's metadata."""
    return html.report_front(
        f"Årsbokslut {ye.year}", status=status, namnd=namnd, diarienummer=diarienummer, datum=datum,
        handlaggare=handlaggare, meta=ye.dataset.meta, period=f"januari–december {ye.year} (t.o.m. {ye.dataset.period})",
        extra={"Belopp": f"{an.unit_words(ye.unit)} ({ye.unit}); kostnader med minustecken"},
        is_example=ye.dataset.is_example, example_what=f"Årsbokslutet {ye.year}")


def overview_table(ye: YearEnd):
    """The result table as an HTML table."""
    frame, classes = overview(ye)
    return html.number_table(frame, f"Resultaträkning {ye.year} ({ye.unit}). Avvikelse = utfall − budget; positivt "
                             "tal är till nämndens fördel. Förändring % avser beloppets storlek jämfört med "
                             "föregående år, så för en kostnad betyder +52 % att kostnaden ökat med 52 %; – betyder "
                             "att föregående år var noll.", signed={"Avvikelse mot budget", "Förändring", "Förändring %"},
                             row_classes=classes)


def chart_budget_outcome(ye: YearEnd):
    """Bar chart of budget and outcome per block for the year."""
    return an.budget_outcome_chart(deviation_table(ye), when=str(ye.year), unit=ye.unit)


def chart_waterfall(ye: YearEnd):
    """Waterfall chart from the budgeted result to the outcome, step by step."""
    from gnsanalysis.render import charts  # lazy: matplotlib only when a chart is drawn

    start, steps, end = an.waterfall_steps(ye.table, *(an.required_column(ye.table, r) for r in (BUDGET, OUTCOME, DEV)))
    alt = (f"Vattenfallsdiagram från budgeterat resultat {fmt.number(start[1])} {ye.unit} till utfall "
           f"{fmt.number(end[1])} {ye.unit}. Stegen är "
           + fmt.join_list([f"{label} {fmt.number(v, signed=True)}" for label, v in steps]) + ".")
    caption = (f"Från budget till resultat {ye.year}, {ye.unit}. Varje stapel är postens avvikelse mot budget.")
    if any(label == "Avrundning" for label, _ in steps):
        caption += " Steget Avrundning visar skillnaden som uppstår när tryckta belopp i hela tkr summeras."
    return charts.waterfall(start, steps, end, alt=alt, caption=caption, unit=ye.unit)


def deviation_view(ye: YearEnd):
    """The budget deviation section: the deviation per item as an HTML table."""
    dev = deviation_table(ye, with_result=True)
    caption = f"Avvikelse mot budget per post {ye.year} ({ye.unit})"
    if "Avrundning" in set(dev["Post"]):
        caption += (". Raden Avrundning visar skillnaden mellan tabellens tryckta resultat och summan av de "
                    "tryckta posterna.")
    objects, sentences = object_deviations(ye)
    frames = [html.number_table(dev, caption, signed={"Avvikelse"}, total=True),
              html.heading("Avvikelse per objekt", 3), html.paragraphs(sentences)]
    if not objects.empty:
        frames.append(html.number_table(objects, f"Avvikelse mot budget per objekt enligt årsbokslutets text ({ye.unit})",
                                        signed={"Avvikelse"}))
    return html.join(*frames)


def carry_over_view(ye: YearEnd):
    """The carry-over section: sentences and the table of funds carried to next year."""
    frame, sentences = carry_over(ye)
    parts = [html.paragraphs(sentences)]
    if not frame.empty:
        parts.append(html.table(frame, caption=f"Nämndens medel {ye.year} och överföring till {ye.year + 1} (tkr)",
                                formats={"tkr": lambda v: fmt.number(v, 0 if float(v).is_integer() else 1)}))
    return html.join(*parts)


def checks_view(ye: YearEnd):
    """The checks section: what was checked and any findings."""
    if not ye.findings:
        return html.paragraphs([
            f"Alla summarader och differenskolumner i {ye.title} har kontrollerats mot sina delar. "
            "Inga avvikelser utöver avrundning hittades. Kontrollen räknar med att varje tryckt belopp kan "
            f"ha avrundats med {fmt.rounding_text(ye.unit, max(ye.table.decimals.values(), default=0))}."])
    return html.flag_list(f"Kontrollen fann {an.unexplained(len(ye.findings))}:", [str(f) for f in ye.findings])
