"""HTML views of the interim reports (tertialrapport, delårsrapport): the fragments the
``delarsrapport`` notebook shows, built from :mod:`gnsanalysis.reports.interim`'s frames and
sentences. No figure is computed here."""

from __future__ import annotations

import math

import pandas as pd

from gnsanalysis.render import charts, html
from gnsanalysis.reports import common as an
from gnsanalysis.reports import forecast as fc
from gnsanalysis.reports import interim as im
from gnsanalysis.swedish import format as fmt


def example_what(it: im.Interim) -> str:
    """What the example banner names: the whole report, or the parts built on example data."""
    if not it.is_example:
        return "Rapporten"
    if it.whole.dataset.is_example:
        return im.report_name(it.period)
    return "Delar av rapporten (" + fmt.join_list([an.table_title(d) for d in it.example_inputs]) + ")"


def front(it: im.Interim, *, status: str, diarienummer: str, datum: str, handlaggare: str, namnd: str = ""):
    """Front matter: parameters win; empty parameters fall back to the input's metadata."""
    kind = ("Delårsrapport enligt RKR R17" if im.report_kind(it.period) == "delårsrapport"
            else "Tertialrapport (frivillig uppföljning per april)")
    return html.report_front(
        im.report_name(it.period), status=status, namnd=namnd, diarienummer=diarienummer, datum=datum,
        handlaggare=handlaggare, meta=it.whole.dataset.meta, period=f"{im.period_text(it.period)}, t.o.m. {it.period}",
        extra={"Rapport": kind,
               "Lämnas senast": f"till fullmäktige och revisorerna {im.deadline_text(it.period)}",
               "Belopp": f"{an.unit_words(it.unit)} ({it.unit}); kostnader med minustecken; "
                         "avvikelse = utfall − budget"},
        is_example=it.is_example, example_what=example_what(it))


def summary_view(it: im.Interim, flag_threshold: float = 50):
    """The summary sentences as paragraphs."""
    return html.paragraphs(im.summary(it, flag_threshold))


def overview_table(it: im.Interim):
    """The whole committee's result table as an HTML table."""
    frame, classes = im.overview(it)
    return html.number_table(frame, f"Resultaträkning {im.period_text(it.period)} ({it.unit}), hela nämnden. "
                             "Avvikelse = utfall − budget; positivt tal är till nämndens fördel.",
                             signed={"Avvikelse mot budget", "Förändring mot fg år"}, row_classes=classes)


def chart_budget_outcome(it: im.Interim):
    """Bar chart of budget and outcome per block for the period."""
    return an.budget_outcome_chart(an.deviation_frame(it.table), when=f"januari–{fmt.month_name(it.months)} {it.year}",
                                   unit=it.unit)


def deviation_view(it: im.Interim):
    """The budget deviation section: the largest deviations in words and the deviation table."""
    dev = an.deviation_frame(it.table, "Resultat")
    top = an.drivers(it.table, an.required_column(it.table, im.DEV), n=3)
    sentences = ([f"Raderna med störst avvikelse mot budget är {an.describe_drivers(top, it.unit)}."]
                 if not top.empty else ["Ingen rad avviker från budget."])
    caption = (f"Avvikelse mot budget per post januari–{fmt.month_name(it.months)} {it.year} ({it.unit}). "
               "Resultat är tabellens tryckta resultat.")
    if (dev["Post"] == fc.ROUNDING).any():
        caption += (" Raden Avrundning är skillnaden mellan det tryckta resultatet och summan av de tryckta "
                    "raderna.")
    return html.join(html.paragraphs(sentences), html.number_table(dev, caption, signed={"Avvikelse"}, total=True))


def objects_view(it: im.Interim):
    """The per-object section: sentences and, when there are objects, the object table."""
    parts = [html.paragraphs(im.object_sentences(it))]
    if it.objects:
        parts += [html.number_table(im.object_frame(it), f"Resultat per objekt och för hela nämnden ({it.unit}). "
                                    f"Hittills = januari–{fmt.month_name(it.months)}.",
                                    signed={"Avvikelse", "Prognos mot årsbudget"}, total=True), chart_objects(it)]
    return html.join(*parts)


def document_view(it: im.Interim):
    """Figures the report's text states, against the tables (an h3 under the deviations; empty
    when the metadata has none)."""
    doc = im.document_checks(it)
    if not doc:
        return html.join()
    return html.join(html.heading("Jämförelse med rapportens text", 3), html.paragraphs(doc))


def chart_objects(it: im.Interim):
    """Bar chart of the budget deviation per object."""
    frame = im.object_frame(it).iloc[:-1]
    alt = (f"Stapeldiagram över avvikelse mot budget januari–{fmt.month_name(it.months)} {it.year} per objekt i "
           f"{it.unit}: " + "; ".join(f"{r.Objekt} {fmt.number(r.Avvikelse, signed=True)}" for r in frame.itertuples())
           + ".")
    return charts.bars(list(frame["Objekt"]), list(frame["Avvikelse"]), alt=alt, signed=True, unit=it.unit,
                       caption=f"Avvikelse mot budget per objekt, {it.unit}. Grönt: bättre än budget; rött och "
                               "rutmönster: sämre än budget.")


def previous_year_view(it: im.Interim):
    """The comparison with last year's same period: sentences and, when present, the table."""
    parts = [html.paragraphs(im.previous_year_sentences(it))]
    if an.has_role(it.table, im.PREV):
        change = (f"Förändring är tabellens tryckta kolumn {im.quote(an.column(it.table, im.PREV_DIFF))} ({it.year} − "
                  f"{it.year - 1}); den kan skilja en enhet från skillnaden mellan de tryckta beloppen, eftersom "
                  "alla belopp är avrundade." if an.has_role(it.table, im.PREV_DIFF)
                  else f"Förändring = {it.year} − {it.year - 1}, beräknad.")
        parts.append(html.number_table(im.previous_year_frame(it), f"Utfall januari–{fmt.month_name(it.months)}, "
                                       f"{it.year - 1} och {it.year} ({it.unit}). {change}", signed={"Förändring"},
                                       total=True))
    return html.join(*parts)


def previous_interim_view(it: im.Interim):
    """The comparison with the previous interim report: sentences and, when present, the table."""
    parts = [html.paragraphs(im.previous_interim_sentences(it))]
    frame = im.previous_interim_frame(it)
    prev = it.previous_interim
    if prev is not None and not frame.empty:  # the frame is empty without a previous report
        parts.append(html.number_table(frame, f"Avvikelse mot budget och lagd årsprognos: "
                                              f"{im.report_name(an.period_of(prev.dataset)).lower()} och "
                                              f"{im.report_name(it.period).lower()} ({it.unit})",
                                       signed={c for c in frame.columns if "Avvikelse" in c or c == "Förändring"}))
    return html.join(*parts)


def forecast_view(it: im.Interim, flag_threshold: float = 50):
    """The full-year forecast section: sentences, the forecast table and its chart."""
    frame = im.forecast_display(it)
    sentences = im.forecast_sentences(it, flag_threshold)
    parts = [html.paragraphs(sentences[:1])]
    if frame.empty:
        return html.join(*parts)
    shown = frame.drop(columns=["Säsongsregel"])
    shown["Post"] = [p + (" ¹" if r == "resterande" else "") for p, r in zip(frame["Post"], frame["Säsongsregel"])]
    caption = (f"Helårsprognos {it.year} per post med fyra metoder ({it.unit}). Beloppen är avrundade så att "
               "posterna i varje kolumn tillsammans ger resultatraden.")
    if (shown["Post"] == fc.ROUNDING).any():
        caption += (" Avrundning: skillnaden mellan tabellens tryckta resultat och summan av de tryckta raderna "
                    "(resultatraden räknas från det tryckta resultatet).")
    if shown[fc.LABELS[fc.SEASONAL]].isna().all():
        caption += " Säsongsmetoden saknar underlag (–)."
    elif (frame["Säsongsregel"] == "resterande").any():
        caption += " ¹ Säsongsmetoden använder föregående års utfall för resterande månader."
    parts += [html.number_table(shown, caption, total=True), chart_forecast(it, frame), html.paragraphs(sentences[1:])]
    comps = im.forecast_comparisons(it, flag_threshold)
    if comps:
        limit = f"{fmt.number(flag_threshold)} {it.unit}"
        cf = pd.DataFrame([{"Metod": fc.LABELS[c.method], "Beräknat resultat": c.computed,
                            "Lagd årsprognos": c.economist, "Skillnad": c.difference,
                            "Över flaggränsen": "Ja" if c.flagged else "Nej"} for c in comps])
        parts.append(html.number_table(cf, f"Den lagda årsprognosen för resultatet jämförd med de beräknade metoderna "
                                           f"({it.unit}). Skillnad = lagd årsprognos − beräknat; flaggränsen är {limit}.",
                                       ["Beräknat resultat", "Lagd årsprognos", "Skillnad"], signed={"Skillnad"}))
    return html.join(*parts, html.paragraphs(im.forecast_detail_sentences(it)), html.heading("Metodernas antaganden", 3),
                     html.bullet_list(im.assumptions()))


def chart_forecast(it: im.Interim, frame: pd.DataFrame):
    """Bar chart of the annual budget and each method's full-year result in the shown forecast ``frame``."""
    res = frame.iloc[-1]
    labels = ["Årsbudget"] + [fc.LABELS[m] for m in fc.METHODS if not math.isnan(res[fc.LABELS[m]])]
    values = [float(res[label]) for label in labels]
    alt = (f"Stapeldiagram över helårsprognosen för resultatet {it.year} i {it.unit}: "
           + "; ".join(f"{label} {fmt.number(v)}" for label, v in zip(labels, values)) + ".")
    return charts.bars(labels, values, alt=alt, unit=it.unit,
                       caption=f"Årsbudget och helårsprognos för resultatet {it.year} enligt varje metod, {it.unit}.")


def hindsight_view(it: im.Interim):
    """An h3 under Helårsprognos; left out when there is no year-end table yet."""
    sentences = im.hindsight_sentences(it)
    if not sentences:
        return html.join()
    return html.join(html.heading("Prognoserna i efterhand", 3), *[html.note(s) for s in sentences])


def checks_view(it: im.Interim):
    """The checks section: what was checked and any findings."""
    def flagged(lead: str, findings: list) -> list:
        return [html.note(f"{lead} {an.unexplained(len(findings))}:", flag=True), html.bullet_list(map(str, findings))]

    names = [part.title for part in [it.whole, *it.objects]]
    findings = im.all_findings(it)
    parts = flagged("Kontrollen fann", findings) if findings else [html.paragraphs([
        f"Alla summarader och differenskolumner i {fmt.join_list(names)} har kontrollerats mot sina delar"
        + (", och summan av objekten mot nämndens tabell" if it.objects else "")
        + ". Inga avvikelser hittades, bortsett från avrundningsdifferenser. Kontrollen räknar med att "
          f"varje tryckt belopp kan vara avrundat med {fmt.rounding_text(it.unit, it.decimals)}."])]
    for part, use in im.reference_parts(it):
        name = im.capitalise(part.title)
        parts += flagged(f"{name}, som används {use}, har", part.findings) if part.findings else [html.paragraphs([
            f"{name}, som används {use}, har också kontrollerats: inga avvikelser, bortsett från "
            "avrundningsdifferenser."])]
    if it.notes:
        parts.append(html.paragraphs(it.notes))
    return html.join(*parts)


def footer(it: im.Interim, parameters: dict):
    """The report footer: parameters, inputs and notes."""
    return html.footer(parameters, it.inputs, notes=it.notes)
