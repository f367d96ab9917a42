"""Board-report views for the IT-serverdrift and DSO reports (HTML fragments, charts, sentences).

The notebooks call these with their parameters; every figure in a sentence comes from the
model's results, every table and chart goes through :mod:`gnsanalysis.render.html` and
:mod:`gnsanalysis.render.charts` (escaped text, Swedish numbers, alt texts).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from gnsanalysis import paths
from gnsanalysis.inputs import stakeholder_matrix
from gnsanalysis.io import file_sha256
from gnsanalysis.parties.allocation import parse_key
from gnsanalysis.render import charts, html
from gnsanalysis.scenarios.api import allocation_keys
from gnsanalysis.scenarios.assumptions import Assumptions, example_parts, guesses_sentence, load_assumptions
from gnsanalysis.scenarios.dso import dso_options
from gnsanalysis.scenarios.explore import STATE_KEYS, explore, pays_more_text
from gnsanalysis.scenarios.feasibility import left_out_sentence
from gnsanalysis.scenarios.model import COMPONENT_LABELS
from gnsanalysis.swedish import format as fmt

MNKR = 1_000_000


def mnkr(value, signed: bool = False) -> str:
    """A kronor amount in mnkr, Swedish format."""
    return f"{fmt.number(value / MNKR, 1, signed=signed)} mnkr"


def _input(path: Path, status: str, source: str = "") -> tuple:
    return (path.name, file_sha256(path), status, source)


REGISTRY_TITLE = "Partsregister för nämndens nio parter (SCB-koder och folkmängd enligt SCB)"
CLAIMS_TITLE = "Siffror som nämndens handlingar anger, med citat och källa"


def inputs_it() -> list:
    """The files the IT report rests on, for the provenance footer (files with SHA-256; each
    source named by its title, not its path)."""
    meta = load_assumptions().meta
    version = f"version {meta['version']}" if meta.get("version") else None
    title = ", ".join(str(x) for x in (meta.get("title"), version, meta.get("date")) if x)
    return [
        stakeholder_matrix(),  # exactly the matrix the model reads (load_matrix uses the same lookup)
        _input(paths.RESOURCES_DIR / "it_assumptions.yaml", "antaganden, till stor del exempelantaganden", title),
        _input(paths.RESOURCES_DIR / "parties.yaml", "partsregister", REGISTRY_TITLE),
    ]


def inputs_dso() -> list:
    """The DSO report's inputs for the footer."""
    return [
        _input(paths.RESOURCES_DIR / "claims.yaml", "siffror ur handlingarna", CLAIMS_TITLE),
        _input(paths.RESOURCES_DIR / "parties.yaml", "partsregister", REGISTRY_TITLE),
    ]


# --------------------------------------------------------------------------- IT-serverdrift

@dataclass
class ItReport:
    """The IT report's results for one parameter set (what every view reads)."""
    result: dict

    @property
    def compare(self) -> pd.DataFrame:
        """Scenario comparison table."""
        return self.result["compare"]

    @property
    def results(self) -> dict:
        """Priced results per scenario."""
        return self.compare.attrs["results"]

    @property
    def coalition(self) -> list[str]:
        """The parties compared."""
        return list(self.compare.attrs["coalition"])

    @property
    def assumptions(self) -> Assumptions:
        """The assumptions with the report's overrides."""
        return self.result["assumptions"]


def left_out(rep: ItReport) -> str:
    """The committee's parties that are not in the comparison, and why (stakeholder matrix)."""
    registry = rep.assumptions.registry
    coalition = registry.resolve_many(rep.coalition, parties_only=True)
    return left_out_sentence(coalition, registry.parties)


def load_it(parameters: Mapping) -> ItReport:
    """Compute everything the IT report shows for the notebook's parameters (the state's keys are
    read; an empty ``coalition`` means the parties that marked an interest)."""
    state = {k: parameters[k] for k in STATE_KEYS if k in parameters}
    state["coalition"] = state.get("coalition") or None
    return ItReport(explore(state, full=True))


def it_front(rep: ItReport, *, status, namnd, diarienummer, datum, handlaggare, scenario: str = ""):
    """The report's front matter (title, status, body, date; the explorer scenario's name when built from one)."""
    parts = example_parts(rep.assumptions)
    return html.report_front(
        "IT-serverdrift – jämförelse av scenarier", status=status, namnd=namnd,
        diarienummer=diarienummer, datum=datum, handlaggare=handlaggare,
        period="femårsperiod (år 1–5 från beslut)",
        extra={"Scenario": scenario, "Parter i jämförelsen": fmt.join_list(rep.coalition),
               "Belopp": "kronor; summor i miljoner kronor (mnkr)"},
        is_example=bool(parts) or bool(rep.assumptions.meta.get("example_data")),
        example_what=f"Jämförelsen ({fmt.join_list(parts)})" if parts else "Jämförelsen")


def it_summary(rep: ItReport) -> list[str]:
    """The summary sentences, computed from the results."""
    cmp = rep.compare
    feasible = cmp[cmp["feasible"]]
    s0 = cmp.set_index("scenario").loc["S0"]
    best = feasible.sort_values("npv").iloc[0]
    out = [f"Jämförelsen gäller {len(rep.coalition)} parter: {fmt.join_list(rep.coalition)}. "
           f"Nuvärdet av kostnaderna under fem år med kalkylräntan "
           f"{fmt.number(cmp.attrs['discount_rate'] * 100, 1)} % är {mnkr(s0['npv'])} i nuläget (S0).",
           left_out(rep)]
    if best["scenario"] == "S0":
        out.append("Inget av de genomförbara alternativen är billigare än nuläget med de troligaste antagandena.")
    else:
        out.append(f"Billigast med de troligaste antagandena är {best['title']} med {mnkr(best['npv'])}, "
                   f"{mnkr(-best['npv_vs_s0'])} lägre än nuläget.")
    mc = rep.result["mc_summary"].set_index("scenario")
    if best["scenario"] in mc.index and best["scenario"] != "S0":
        p = mc.loc[best["scenario"], "prob_beats_s0"]
        out.append(f"I {fmt.number(rep.result['montecarlo'].n)} simuleringar över antagandenas intervall är "
                   f"{best['title']} billigare än nuläget i {fmt.number(p * 100)} % av fallen.")
    infeasible = cmp[~cmp["feasible"]]
    if not infeasible.empty:
        out.append("Inte genomförbart med valda parter och platser: "
                   + "; ".join(f"{r.title}: {r.explanation}" for r in infeasible.itertuples()) + ".")
    if "guess_dependence" in rep.result:
        out.append(rep.result["guess_dependence"]["text"])
    if rep.result["state"]["include_outage_risk"] and "S1" in mc.index:
        out.append("Summorna innehåller en uppskattad förväntad kostnad för avbrott (avbrottstimmar × kostnad per "
                   f"timme). För nuläget är den {mnkr(s0['risk'])} av {mnkr(s0['cost'])} över fem år; "
                   "rangordningen hänger till stor del på den uppskattningen.")
    if best["scenario"] != "S0":
        # the same sentence as the explorer's, for the key the board chose
        key = rep.result["state"]["allocation_key"]
        out.append(pays_more_text(rep.result, best["scenario"], key) + " Se Kostnad per part.")
    out.append(guesses_sentence(rep.assumptions))
    return out


def scenario_table(rep: ItReport):
    """The scenarios side by side (five-year cost, feasibility)."""
    cmp = rep.compare
    frame = pd.DataFrame({"Scenario": cmp["title"], "Beskrivning": cmp["label"],
                          "Genomförbart": ["ja" if f else "nej" for f in cmp["feasible"]],
                          "Förklaring": [e or "" for e in cmp["explanation"]]})
    return html.table(frame, caption="Scenarierna och om de går att genomföra med valda parter och platser")


def cost_table(rep: ItReport):
    """Five-year cost per scenario in tkr."""
    cmp = rep.compare
    names = {"Budget 5 år": "budget", "Avbrottsrisk 5 år": "risk", "Summa 5 år": "cost", "Nuvärde": "npv",
             "Nuvärde mot nuläget": "npv_vs_s0"}
    frame = pd.DataFrame({"Scenario": cmp["title"], **{name: cmp[c] / MNKR for name, c in names.items()}})
    frame.loc[~cmp["feasible"].to_numpy(), list(names)] = np.nan
    return html.table(frame, caption="Kostnad över fem år per scenario (mnkr). Budget = kostnader som "
                                     "belastar parternas budget; avbrottsrisk = förväntad avbrottskostnad; "
                                     "negativ skillnad = billigare än nuläget.",
                      formats=html.number_formats(names, 1, signed={"Nuvärde mot nuläget"}))


def cost_chart(rep: ItReport):
    """The cost chart with its alt text."""
    cmp = rep.compare[rep.compare["feasible"]]
    labels = list(cmp["title"])
    alt = ("Liggande stapeldiagram över kostnad under fem år per scenario, uppdelad på budgetkostnad och "
           "förväntad avbrottskostnad: " + "; ".join(
               f"{r.title}: budget {mnkr(r.budget)}, avbrott {mnkr(r.risk)}" for r in cmp.itertuples()) + ".")
    return charts.stacked_bars(labels, [("Budgetkostnad", list(cmp["budget"] / MNKR)),
                                        ("Förväntad avbrottskostnad", list(cmp["risk"] / MNKR))],
                               alt=alt, unit="mnkr",
                               caption="Kostnad under fem år per scenario (mnkr, fasta priser utan prisuppräkning). "
                                       "Den streckade delen är den uppskattade avbrottskostnaden.")


def yearly_table(rep: ItReport, scenario: str = "S1"):
    """Cost per year for one scenario."""
    res = rep.results.get(scenario)
    if res is None or not res.feasible:
        return html.note(f"{scenario} är inte genomförbart med valda parter; ingen årsuppdelning.")
    y = res.yearly()
    parts = [r for r in y.index if r not in ("cash_flow", "discounted", "total") and y.loc[r].abs().sum() > 0]
    years = [c for c in y.columns if c.startswith("y")]
    cells = pd.DataFrame({"År " + c[1:]: [float(fmt.round_half_up(y.loc[r, c] / 1000)) for r in parts] for c in years})
    cells["Totalt"] = cells.sum(axis=1)
    cells.loc[len(parts)] = cells.sum()  # the row Summa: sums of the rounded amounts (whole tkr, exact)
    frame = pd.concat([pd.DataFrame({"Kostnadsslag": [COMPONENT_LABELS[r] for r in parts] + ["Summa"]}), cells], axis=1)
    return html.number_table(frame, f"{res.title}: kostnad per år och kostnadsslag (tkr). Avskrivningar fördelar "
                                    "investeringarna över livslängden. Raden Summa och kolumnen Totalt är summor "
                                    "av de avrundade beloppen.", total=True)


def uncertainty_view(rep: ItReport):
    """The P10–P90 band from the Monte Carlo run."""
    s = rep.result["mc_summary"]
    frame = pd.DataFrame({"Scenario": s["title"], **{p.upper(): s[p] / MNKR for p in ("p10", "p50", "p90")},
                          "Billigare än nuläget": s["prob_beats_s0"] * 100, "Billigast": s["prob_cheapest"] * 100})
    fm = html.number_formats(["P10", "P50", "P90"], 1)
    fm.update({c: (lambda v: "–" if v != v else fmt.percent(v)) for c in ("Billigare än nuläget", "Billigast")})
    mc = rep.result["montecarlo"]
    table = html.table(frame, caption=f"Nuvärde över fem år (mnkr) i {fmt.number(mc.n)} simuleringar: P10, P50 "
                                      "och P90 samt sannolikhet (%). P10 betyder att 10 % av simuleringarna blev "
                                      "billigare.", formats=fm)
    chart = band_chart(s, "Osäkerhet per scenario: linjen går från P10 till P90, punkten är medianen (P50).")
    return html.join(table, chart)


def band_chart(s: pd.DataFrame, caption: str):
    """The P10–P90 band per scenario with the median marked, from a Monte Carlo summary (the
    report's chart; the explorer draws it with its own caption)."""
    alt = ("Diagram med intervall per scenario från P10 till P90 och medianen markerad: "
           + "; ".join(f"{r.title}: {fmt.number(r.p10 / MNKR, 1)} till {fmt.number(r.p90 / MNKR, 1)} mnkr, "
                       f"median {fmt.number(r.p50 / MNKR, 1)}" for r in s.itertuples()) + ".")
    return charts.ranges(list(s["title"]), list(s["p10"] / MNKR), list(s["p50"] / MNKR), list(s["p90"] / MNKR),
                         alt=alt, unit="mnkr (nuvärde, 5 år)", caption=caption)


def tornado_view(rep: ItReport, top: int = 10):
    """The tornado: the assumptions that move the result most."""
    t = rep.result.get("tornado")
    if t is None:
        return html.note("S1 är inte genomförbart; ingen känslighetsanalys.")
    chart = tornado_chart(t.head(top), "S1", unit="mnkr, S1 minus nuläget (negativt = S1 billigare)",
                          caption="Känslighet: S1 minus nuläget när ett antagande i taget ändras. Mörk stapel = "
                                  "lågt värde, ljus streckad = högt värde. * = uppskattning utan källa.")
    be = rep.result.get("break_even")
    items = list(be["message"]) if be is not None else []
    return html.join(chart, html.heading("Brytpunkter", 3), html.bullet_list(items))


def tornado_chart(t: pd.DataFrame, title: str, *, unit: str, caption: str):
    """The tornado of ``t`` (a :func:`~gnsanalysis.scenarios.sensitivity.tornado` frame): how ``title``
    minus today moves when one assumption at a time is set low and high (the report's chart; the
    explorer draws it for the scenario shown, with its own unit and caption)."""
    base = t.attrs["base_value"]
    labels = [f"{r.label}{' *' if r.guess else ''}" for r in t.itertuples()]
    alt = (f"Tornadodiagram: hur skillnaden i nuvärde mellan {title} och nuläget ({mnkr(base, signed=True)}) ändras när "
           "ett antagande i taget sätts till sitt låga och höga värde. Störst utslag: "
           + "; ".join(f"{r.label} från {mnkr(r.value_low, signed=True)} till {mnkr(r.value_high, signed=True)}"
                       for r in t.head(3).itertuples()) + ".")
    return charts.tornado(labels, list(t["value_low"] / MNKR), list(t["value_high"] / MNKR), base / MNKR,
                          alt=alt, unit=unit, caption=caption)


def rules_view(rep: ItReport):
    """The discovery rules: where S1 wins or loses."""
    rules = rep.result.get("rules")
    if rules is None or rules.empty:
        return html.paragraphs(["Inga enkla regler hittades."])
    return html.join(html.paragraphs([rules.attrs.get("text", "")]), html.bullet_list(list(rules["rule"])),
                     html.note("Reglerna kommer från ett grunt beslutsträd över simuleringarna. De beskriver "
                               "när en gemensam hall inte blir billigast och är ett stöd för diskussionen, inte "
                               "en prognos."))


def party_view(rep: ItReport, scenario: str = "S1"):
    """Cost per party for the chosen keys, columns adding up exactly."""
    per = rep.result["party_costs"].get(scenario)
    if per is None:
        return html.note(f"{scenario} är inte genomförbart; ingen fördelning per part.")
    keys = list(dict.fromkeys(per["key_label"]))
    base = per[per["key_label"] == keys[0]][["short", "direct", "standalone"]].reset_index(drop=True)
    columns = {"Ensam i nuläget": base["standalone"], "Egna kostnader": base["direct"],
               **{f"Summa, {k}": per[per["key_label"] == k]["total"].to_numpy() for k in keys}}
    frame = pd.DataFrame({"Part": list(base["short"]) + ["Summa"]})
    for name, values in columns.items():
        shown = [float(v) for v in fmt.round_preserving_sum([v / 1000 for v in values])]
        frame[name] = shown + [sum(shown)]
    table = html.number_table(frame, f"{per.attrs.get('scenario_title', scenario)}: nuvärde per part över fem år "
                                     "(tkr) med olika fördelningsnycklar för de gemensamma kostnaderna. Beloppen "
                                     "är avrundade så att kolumnerna går jämnt upp med raden Summa.", total=True)
    sentences = [f"Gemensamma kostnader i {scenario}: {fmt.kr(per.attrs.get('joint_total', 0))} (nuvärde). De "
                 "fördelas i hela kronor, och parternas andelar blir tillsammans exakt det beloppet.",
                 # the chosen key only, in the explorer's words (the other keys' columns are for comparison)
                 pays_more_text(rep.result, scenario, rep.result["state"]["allocation_key"])]
    parts = [table, html.paragraphs(sentences)]
    sh = rep.result.get("shapley")
    if sh is not None and scenario == "S1":
        shapley_kr = fmt.round_preserving_sum(list(sh["shapley"] / 1000))
        sframe = pd.DataFrame({"Part": sh["short"], "Shapley-värde": [float(v) for v in shapley_kr],
                               "Billigast på egen hand": sh["standalone"] / 1000, "Besparing": sh["saving"] / 1000})
        parts += [html.heading("Shapley-fördelning som rättviseriktmärke", 3), html.paragraphs([
            "Shapley-värdet ger varje part dess genomsnittliga tillskott till kostnaden över alla ordningar parterna "
            "kan ansluta i. Det är en referens för en rättvis fördelning.",
            "Här är ”billigast på egen hand” det billigaste en part kan ordna ensam: nuläget eller, om det är "
            "billigare, en egen lösning på en plats som erbjuds. Därför kan beloppet vara lägre än kolumnen "
            "Ensam i nuläget ovan.",
            f"Shapley-värdena blir tillsammans hela samverkans kostnad, {fmt.number(float(sum(shapley_kr)))} tkr."]),
            html.number_table(sframe, "Shapley-fördelning av nuvärdet i S1 (tkr)")]
    return html.join(*parts)


def distance_view(rep: ItReport):
    """Distances between the candidate sites."""
    d = rep.result["distances"]
    frame = pd.DataFrame({"Plats A": d["label_a"], "Plats B": d["label_b"], "Avstånd km": d["distance_km"],
                          "Kommentar": d["comment"]})
    refs = d.attrs.get("references", [])
    return html.join(html.paragraphs([d.attrs.get("text", ""), d.attrs.get("msb_note", "")]),
                     html.bullet_list([f"{r['label']} ({r['source']})" for r in refs]),
                     html.table(frame, caption="Avstånd fågelvägen mellan tänkbara platser (km)",
                                formats={"Avstånd km": lambda v: fmt.number(v)}))


def _decimals_needed(value: float) -> int:
    """Decimals for the assumptions table: none from 100 up, else 2 to 4 (0,015, not 0,02)."""
    return 0 if abs(value) >= 100 else fmt.decimals_needed(value, fewest=2, most=4)


def assumptions_view(rep: ItReport):
    """The assumptions table, guesses marked."""
    t = rep.result["parameters"]
    frame = pd.DataFrame({"Antagande": t["label"], "Låg": t["low"], "Troligast": t["mode"], "Hög": t["high"],
                          "Enhet": t["unit"], "Källa": t["guess"].map({True: "uppskattning utan källa",
                                                                        False: "källa finns"})})
    fm = dict.fromkeys(("Låg", "Troligast", "Hög"), lambda v: fmt.number(v, _decimals_needed(v)))
    return html.join(html.paragraphs([guesses_sentence(rep.assumptions)]),
                     html.table(frame, caption="Antaganden med intervall (låg, troligast, hög) och om de har källa",
                                formats=fm))


# --------------------------------------------------------------------------- DSO

def dso_front(*, status, namnd, diarienummer, datum, handlaggare):
    """The DSO report's front matter."""
    return html.report_front("Gemensamt dataskyddsombud – jämförelse av alternativ", status=status, namnd=namnd,
                             diarienummer=diarienummer, datum=datum, handlaggare=handlaggare,
                             period="kostnad per år (2019 års priser enligt underlaget)",
                             extra={"Belopp": "kronor per år, exklusive moms"})


def load_dso(participants):
    """The DSO options for these participants."""
    return dso_options(participants or None)


def dso_summary(res) -> list[str]:
    """The DSO summary sentences."""
    o = res.options.set_index("option")
    out = [f"Underlaget (GNS/11/2018) beskriver fyra sätt att möta parternas behov inom dataskydd. Nämnden har "
           f"beslutat om kompetensutveckling med en budgetram på {fmt.kr(o.loc['competence', 'per_year'])} för 2019."]
    e, kb, rb = o.loc["employment"], o.loc["hourbank_kommun"], o.loc["hourbank_region"]
    out.append(f"En gemensam anställning kostar {fmt.kr(e['per_year'])} per år, {fmt.kr(e['per_party_min'])}"
               + (f"–{fmt.kr(e['per_party_max'])}" if e["per_party_max"] != e["per_party_min"] else "")
               + f" per part när {int(e['parties_paying'])} parter delar lika.")
    f = res.figures
    out.append(f"En timbank med {f.hours_kommun_month} timmar i månaden per kommun kostar "
               f"{fmt.kr(kb['per_party_max'])} per kommun och år, {fmt.kr(kb['per_year'])} för "
               f"{int(kb['parties_paying'])} kommuner; en timbank med {f.hours_region_month} timmar i månaden "
               f"via regionen kostar {fmt.kr(rb['per_year'])} per år.")
    wrong = res.claims[~res.claims["agrees"]]
    if not wrong.empty:
        out.append("Underlaget innehåller räknefel som påverkar jämförelsen: "
                   + " ".join(wrong["message"]) + " Se Kontroll av siffror i underlaget.")
    return out


def dso_options_table(res):
    """The DSO options side by side."""
    o = res.options
    per_party = [fmt.number(lo) if lo == hi else f"{fmt.number(lo)}–{fmt.number(hi)}"
                 for lo, hi in zip(o["per_party_min"], o["per_party_max"])]
    frame = pd.DataFrame({"Alternativ": o["label"], "Kostnad per år": o["per_year"],
                          "Parter som betalar": o["parties_paying"], "Per part": per_party,
                          "Timmar per år": o["hours_per_year"], "Kr per timme": o["cost_per_hour"]})
    fm = html.number_formats(["Kostnad per år", "Parter som betalar", "Timmar per år", "Kr per timme"])
    fm["Per part"] = str
    return html.table(frame, caption="Alternativen: kostnad per år, per part och per timme (kr, exkl. moms). "
                                     "Där beloppen per part skiljer en krona har fördelningen i hela kronor gett "
                                     "några parter en krona mer.", formats=fm)


def dso_chart(res):
    """The DSO cost chart."""
    o = res.options
    alt = ("Liggande stapeldiagram över kostnad per år för alternativen: "
           + "; ".join(f"{r.label}: {fmt.kr(r.per_year)}" for r in o.itertuples()) + ".")
    return charts.bars(list(o["label"]), list(o["per_year"] / 1000), alt=alt, unit="tkr per år",
                       caption="Kostnad per år per alternativ (tkr, exkl. moms). Kompetensutvecklingen är en "
                               "engångsram för 2019.")


def dso_covers(res):
    """What each DSO option covers."""
    parts = []
    for r in res.options.itertuples():
        parts += [html.heading(r.label + (" (beslutat)" if r.decided and "beslut" not in r.label else ""), 3),
                  html.paragraphs([f"Underlag: {r.basis}", f"Täcker: {r.covers}", f"Täcker inte: {r.not_covered}"])]
    return html.join(*parts)


def dso_party_table(res):
    """Cost per participant for each DSO option."""
    p = res.per_party
    f = res.figures
    labels = {"employment": "Anställning", "hourbank_kommun": f"Timbank {f.hours_kommun_month} h per kommun",
              "hourbank_region": f"Timbank {f.hours_region_month} h via regionen", "competence": "Kompetens­utveckling"}
    names = [name if short.startswith("Region") else short for name, short in zip(p["party"], p["short"])]
    frame = pd.DataFrame({"Part": names, **{label: p[c] for c, label in labels.items()}})
    total = {"Part": "Summa", **{label: int(p[c].sum()) for c, label in labels.items()}}
    frame = pd.concat([frame, pd.DataFrame([total])], ignore_index=True)
    return html.join(html.number_table(frame, "Kostnad per part och år (kr). Beloppen är fördelade i hela kronor "
                                              "och summerar exakt till alternativets kostnad.", total=True),
                     html.bullet_list(res.notes))


def dso_claims_view(res):
    """The stated figures of the DSO documents, recomputed."""
    c = res.claims
    frame = pd.DataFrame({"Vad": c["title"], "Angivet": c["stated"], "Beräknat": c["computed"],
                          "Bedömning": c["status"]})
    fm = {"Angivet": lambda v: fmt.kr(v), "Beräknat": lambda v: fmt.kr(v, 0 if float(v).is_integer() else 2)}
    return html.join(html.table(frame, caption="Siffror som underlaget anger, räknade om från sina delar", formats=fm),
                     html.bullet_list(list(c["message"])))


def footer_values(allocation_key, n_draws: int | None = None) -> dict[str, str]:
    """What the footer shows for parameters given as codes (``html.footer(..., shown=...)``): the
    allocation key by its name in the explorer's menu (``usage`` → ``användning (servrar)``; a
    mixed key such as ``1/3 equal + 2/3 population`` by its label), the number of draws grouped."""
    names, key = allocation_keys(), allocation_key
    shown = {"allocation_key": names[key] if isinstance(key, str) and key in names else parse_key(key).label}
    if n_draws is not None:
        shown["n_draws"] = fmt.number(n_draws)
    return shown


def parameter_labels() -> dict[str, str]:
    """Swedish labels of the IT model's assumptions, for the footer's parameter list."""
    return {name: p.label for name, p in load_assumptions().parameters.items()}
