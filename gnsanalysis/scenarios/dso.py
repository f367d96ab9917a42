"""The four options for a common data protection officer (GNS/11/2018, FAS 2, 2019-02-01).

Figures from the seed (shared/seeds/002): employment 40 000 kr/month with the template used
for the e-strategist → 840 236 kr/year shared "solidariskt" by 6 parties; JP Infonet hour
bank of 10 h/month per kommun at 1 100 kr/h (agreement with each kommun); 60 h/month through
the Region at 1 100 kr/h (the Region orders, kommuner call off); the competence-development
budget of 150 000 kr for all parties in 2019, which the nämnd decided.

Which six parties were positive is not named in the seed: ``participants`` is a parameter and
defaults to the six parties that seek or offer space in the IT stakeholder matrix, labelled
as an assumption. The stated figures are re-checked through :mod:`gnsanalysis.documents.claims`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

import pandas as pd

from gnsanalysis.parties.allocation import allocate_by_key
from gnsanalysis.documents.claims import check_claims
from gnsanalysis.errors import ParameterError
from gnsanalysis.swedish.format import join_list, kr, number
from gnsanalysis.parties.registry import Party, load_registry
from gnsanalysis.scenarios.assumptions import load_assumptions
from gnsanalysis.scenarios.feasibility import default_coalition

SOURCE = ("Tjänsteskrivelse och beslutsunderlag Gemensamt dataskyddsombud FAS 2 (GNS/11/2018), "
          "2019-02-01, med offerter från JP Infonet AB")

EMPLOYMENT_PER_YEAR = 840236
EMPLOYMENT_SALARY_MONTH = 40000
EMPLOYMENT_PARTIES_STATED = 6
HOUR_PRICE = 1100
HOURS_KOMMUN_MONTH = 10
HOURS_REGION_MONTH = 60
COMPETENCE_BUDGET = 150000
#: [guess] productive hours per full-time year, only used for the comparison per hour.
PRODUCTIVE_HOURS_PER_FTE = 1600

CLAIM_IDS = ("dso-anstallning", "dso-timbank-10h", "dso-timbank-60h")

OPTIONS = {
    "employment": {
        "label": "Anställning av gemensamt dataskyddsombud",
        "basis": "40 000 kr i månadslön; 840 236 kr per år enligt samma mall som för e-strategen; "
                 "delas solidariskt (lika delar) på de deltagande parterna.",
        "covers": "Ett gemensamt, regionalt dataskyddsombud: kostnadseffektivt för de kommunala "
                  "verksamheterna och bra förutsättningar att skapa kompetens och långsiktigt "
                  "fungerande rutiner och processer inom dataskyddsfrågor; regional överblick i "
                  "kombination med det lokala arbetet. Härjedalens kommun har aviserat att den "
                  "kan stå som arbetsgivare.",
        "not_covered": "Underlaget frågar om utdelningen i tid blir tillräcklig för parterna; hur "
                       "tiden ska fördelas behöver planeras om anställning blir aktuell. "
                       "Organisationen måste själv förbereda vilka processer och möten ombudet "
                       "ska delta i.",
        "decided": False,
    },
    "hourbank_kommun": {
        "label": "Timbank 10 timmar i månaden per kommun (konsult)",
        "basis": "10 timmar i månaden × 1 100 kr/timme exkl. moms, avtal med varje kommun; "
                 "offerten avser 1 års abonnemang (3 eller 6 månader går också).",
        "covers": "Rådgivning inom dataskydd, t.ex. incidenthantering, granskning eller "
                  "förhandling av PUB-avtal, framtagande av policydokument och rutiner, "
                  "tillsynsarbete, registerfrågor, konsekvensbedömningar eller allmänna frågor om "
                  "IT-rätt och personuppgiftshantering; metodstöd på ledningsnivå och ökade "
                  "resurser vid tillsyn, revisioner och kontrollfrågor. Varje kommun skräddarsyr "
                  "avtalet. Timmar som inte används en månad kan normalt användas månaden efter.",
        "not_covered": "Konsulten agerar inte som ombud för beställaren i något sammanhang, dvs. "
                       "timbanken ersätter inte ett dataskyddsombud. Offerten gäller kommuner, "
                       "inte regionen.",
        "decided": False,
    },
    "hourbank_region": {
        "label": "Timbank 60 timmar i månaden via regionen (konsult)",
        "basis": "60 timmar i månaden × 1 100 kr/timme exkl. moms; regionen står som beställare "
                 "och kommunerna avropar timmar; 1 års abonnemang.",
        "covers": "Samma rådgivning som timbanken per kommun; kommunerna avropar de timmar som "
                  "behövs för arbetet.",
        "not_covered": "Konsulten agerar inte som ombud för beställaren. Hur kostnaden fördelas "
                       "mellan kommunerna (efter avropade timmar eller lika delar) anges inte i "
                       "underlaget.",
        "decided": False,
    },
    "competence": {
        "label": "Kompetensutveckling (beslutad budgetram)",
        "basis": "150 000 kr för nämndens samtliga parter under 2019; e-strategen tar fram en "
                 "utbildningsplan.",
        "covers": "Utbildningsplan som stärker parternas egen kompetens och insats, forum för "
                  "att se över arbetet i den egna verksamheten och utbyte mellan länets "
                  "dataskyddsombud; webbaserade utbildningar blandade med lärarledda pass och "
                  "workshops.",
        "not_covered": "Förslaget innefattar inte ökade resurser vid tillsyn och kontrollärenden, "
                       "och ger inget gemensamt dataskyddsombud.",
        "decided": True,
    },
}

OPTION_LABELS = {
    "option": "Alternativ", "label": "Alternativ", "per_year": "Kostnad per år",
    "parties_paying": "Parter som betalar", "per_party_min": "Per part (lägst)",
    "per_party_max": "Per part (högst)", "hours_per_year": "Timmar per år",
    "cost_per_hour": "Kostnad per timme", "basis": "Underlag", "covers": "Täcker",
    "not_covered": "Täcker inte", "decided": "Beslutat",
}
CLAIM_LABELS = {
    "claim": "Påstående", "title": "Vad", "stated": "Angivet", "computed": "Beräknat",
    "difference": "Skillnad", "status": "Bedömning", "agrees": "Stämmer", "message": "Kontroll",
    "details": "Detaljer",
}


@dataclass
class DsoResult:
    options: pd.DataFrame
    per_party: pd.DataFrame
    claims: pd.DataFrame
    participants: list[Party]
    notes: list[str] = field(default_factory=list)


def _participants(participants, registry) -> tuple[list[Party], list[str]]:
    notes = []
    if participants is None:
        chosen = default_coalition(load_assumptions())
        notes.append(
            "Underlaget säger att sex parter är positiva till ett gemensamt dataskyddsombud men "
            "inte vilka. Som antagande används de sex parter som markerade intresse i "
            f"intressentanalysen för IT-serverdrift: {join_list([p.short for p in chosen])}. "
            "Ändra med parametern för deltagande parter."
        )
        return chosen, notes
    chosen = registry.resolve_many([p.name if isinstance(p, Party) else str(p)
                                    for p in participants], parties_only=True)
    if not chosen:
        raise ParameterError("Ange minst en deltagande part för dataskyddsombudet.")
    return sorted(chosen, key=registry.order), notes


def dso_options(participants=None, *, key: str = "equal",
                hours_per_fte: float = PRODUCTIVE_HOURS_PER_FTE, registry=None) -> DsoResult:
    """Cost per year in total and per party for the four DSO options.

    ``participants``: party names (default: six parties, see module doc); ``key``: how the
    employment cost and the Region's hour bank are split (default equal, "solidariskt" as in
    the seed). The 10-hour bank is per kommun (the Region is not offered one); the competence
    budget is for all nine parties and split in equal parts (the nämnd's own funds).
    Amounts per party are whole kronor that sum exactly to the option's total.
    """
    registry = registry or load_registry()
    parts, notes = _participants(participants, registry)
    names = [p.name for p in parts]
    kommuner = [p for p in parts if p.kind == "kommun"]
    if len(kommuner) < len(parts):
        notes.append("Timbanken om 10 timmar per kommun erbjuds kommunerna; regionen ingår inte i "
                     "det alternativet.")
    if len(parts) != EMPLOYMENT_PARTIES_STATED:
        notes.append(f"Underlaget delar anställningen på {EMPLOYMENT_PARTIES_STATED} parter; här "
                     f"deltar {len(parts)}, så beloppet per part skiljer sig från underlagets "
                     "140 039 kr.")
    employment = allocate_by_key(EMPLOYMENT_PER_YEAR, key, names, registry)
    per_kommun_year = HOURS_KOMMUN_MONTH * HOUR_PRICE * 12
    region_year = HOURS_REGION_MONTH * HOUR_PRICE * 12
    region_bank = allocate_by_key(region_year, key, names, registry)
    competence = allocate_by_key(COMPETENCE_BUDGET, "equal", None, registry)

    per_party = pd.DataFrame({"code": [p.code for p in registry.parties],
                              "party": [p.name for p in registry.parties],
                              "short": [p.short for p in registry.parties]})
    def column(frame):
        m = dict(zip(frame["code"], frame["share"]))
        return [int(m.get(c, 0)) for c in per_party["code"]]
    per_party["employment"] = column(employment)
    per_party["hourbank_kommun"] = [per_kommun_year if p.code in {k.code for k in kommuner} else 0
                                    for p in registry.parties]
    per_party["hourbank_region"] = column(region_bank)
    per_party["competence"] = column(competence)
    per_party["participates"] = [p.code in {q.code for q in parts} for p in registry.parties]
    per_party.attrs["labels"] = {
        "code": "Kod", "party": "Part", "short": "Part", "participates": "Deltar",
        **{k: v["label"] for k, v in OPTIONS.items()},
    }

    totals = {k: int(per_party[k].sum()) for k in OPTIONS}
    hours = {
        "employment": float(hours_per_fte),
        "hourbank_kommun": HOURS_KOMMUN_MONTH * 12 * len(kommuner),
        "hourbank_region": HOURS_REGION_MONTH * 12,
        "competence": float("nan"),
    }
    rows = []
    for k, o in OPTIONS.items():
        paying = per_party[per_party[k] > 0][k]
        rows.append({
            "option": k, "label": o["label"], "per_year": totals[k],
            "parties_paying": int(len(paying)),
            "per_party_min": int(paying.min()) if len(paying) else 0,
            "per_party_max": int(paying.max()) if len(paying) else 0,
            "hours_per_year": hours[k],
            "cost_per_hour": totals[k] / hours[k] if hours[k] == hours[k] and hours[k] else float("nan"),
            "basis": o["basis"], "covers": o["covers"], "not_covered": o["not_covered"],
            "decided": o["decided"],
        })
    options = pd.DataFrame(rows)
    options.attrs["labels"] = OPTION_LABELS
    notes.append(
        "Kompetensutvecklingen är en budgetram för 2019 (engångsbelopp) och fördelas här på "
        "nämndens samtliga nio parter i lika delar; övriga alternativ är kostnader per år."
    )
    notes.append(
        f"Timmar per år för anställningen ({number(hours_per_fte)} produktiva timmar) är en "
        "uppskattning utan källa; den används bara för jämförelsen per timme."
    )
    if len(kommuner) * HOURS_KOMMUN_MONTH == HOURS_REGION_MONTH:
        notes.append(
            f"{len(kommuner)} kommuner × 10 timmar = 60 timmar i månaden: de två timbankerna "
            f"kostar då lika mycket ({kr(region_year)} per år); skillnaden är vem som beställer "
            "och om timmarna kan flyttas mellan kommunerna."
        )
    return DsoResult(options=options, per_party=per_party, claims=dso_claims(),
                     participants=parts, notes=notes)


def dso_claims() -> pd.DataFrame:
    """The DSO figures the documents state, recomputed (via :mod:`gnsanalysis.documents.claims`), plus
    the implied on-cost of the employment figure."""
    results = {r.claim.id: r for r in check_claims()}
    rows = []
    for cid in CLAIM_IDS:
        r = results.get(cid)
        if r is None:
            continue
        rows.append({
            "claim": cid, "title": r.claim.title, "stated": float(r.stated),
            "computed": float(r.computed), "difference": float(r.difference),
            "status": r.label, "agrees": r.agrees, "message": r.message(),
            "details": " ".join(r.details()),
        })
    factor = Fraction(EMPLOYMENT_PER_YEAR, EMPLOYMENT_SALARY_MONTH * 12)
    rows.append({
        "claim": "dso-anstallning-palagg", "title": "Anställning: årskostnad mot månadslön",
        "stated": float(EMPLOYMENT_PER_YEAR), "computed": float(EMPLOYMENT_SALARY_MONTH * 12),
        "difference": float(EMPLOYMENT_PER_YEAR - EMPLOYMENT_SALARY_MONTH * 12),
        "status": "information", "agrees": True,
        "message": (f"840 236 kr per år mot 12 × 40 000 kr = 480 000 kr i lön: årskostnaden är "
                    f"{number(float(factor), 2)} gånger lönen, dvs. lönen plus "
                    f"{number(float(factor - 1) * 100, 0)} % för PO-pålägg och andra kostnader "
                    "enligt mallen. Underlaget redovisar inte uppdelningen."),
        "details": f"Källa: {SOURCE}.",
    })
    df = pd.DataFrame(rows)
    df.attrs["labels"] = CLAIM_LABELS
    return df
