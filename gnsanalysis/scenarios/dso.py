"""The four options for a common data protection officer (GNS/11/2018, FAS 2, 2019-02-01).

The document's figures that resources/claims.yaml holds are read from there (claims
``dso-anstallning``, ``dso-timbank-10h``, ``dso-timbank-60h``, see :func:`dso_figures`): the
employment's cost per year shared "solidariskt" by the stated number of parties, the JP Infonet
hour banks (hours per month per kommun, hours per month through the Region, hourly price). Two
figures of the same document are not claims and stay here: the monthly salary (40 000 kr, only
used to show the implied on-cost) and the competence-development budget of 150 000 kr for
2019, which the nämnd decided.

Which six parties were positive is not named in the seed: ``participants`` is a parameter and
defaults to the six parties that seek or offer space in the IT stakeholder matrix, labelled
as an assumption. The stated figures are re-checked through :mod:`gnsanalysis.documents.claims`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

import pandas as pd

from gnsanalysis.documents.claims import Claim, check_claims, load_claims
from gnsanalysis.errors import ConfigError, ParameterError
from gnsanalysis.parties.allocation import allocate_by_key
from gnsanalysis.parties.registry import Party, load_registry
from gnsanalysis.scenarios.assumptions import load_assumptions
from gnsanalysis.scenarios.feasibility import default_coalition
from gnsanalysis.swedish.format import join_list, kr, number

SOURCE = ("Tjänsteskrivelse och beslutsunderlag Gemensamt dataskyddsombud FAS 2 (GNS/11/2018), "
          "2019-02-01, med offerter från JP Infonet AB")

EMPLOYMENT_SALARY_MONTH = 40000  # not a claim: only used for the implied on-cost
COMPETENCE_BUDGET = 150000  # not a claim: the budget the nämnd decided for 2019
#: [guess] productive hours per full-time year, only used for the comparison per hour.
PRODUCTIVE_HOURS_PER_FTE = 1600

CLAIM_IDS = ("dso-anstallning", "dso-timbank-10h", "dso-timbank-60h")


@dataclass(frozen=True)
class DsoFigures:
    """The document's DSO figures, read from the claims (see module doc)."""

    employment_per_year: int
    employment_parties: int
    employment_per_party: int  # as stated
    hour_price: int
    hours_kommun_month: int
    hours_region_month: int


def _claim_input(claims: dict[str, Claim], claim_id: str, label: str) -> int:
    claim = claims.get(claim_id)
    found = [i.value for i in claim.inputs if i.label == label] if claim is not None else []
    if not found:
        raise ConfigError(f"claims.yaml: påståendet {claim_id!r} saknar indata {label!r}, som rapporten om "
                          "dataskyddsombudet läser. Åtgärd: lägg tillbaka indatat med den etiketten.")
    return int(found[0])


def dso_figures(claims: list[Claim] | None = None) -> DsoFigures:
    """The DSO figures from ``claims.yaml`` (or the given claims)."""
    by_id = {c.id: c for c in (load_claims() if claims is None else claims)}
    employment = _claim_input(by_id, "dso-anstallning", "kostnad per år")
    return DsoFigures(
        employment_per_year=employment,
        employment_parties=_claim_input(by_id, "dso-anstallning", "deltagande parter"),
        employment_per_party=int(by_id["dso-anstallning"].stated),
        hour_price=_claim_input(by_id, "dso-timbank-10h", "timpris"),
        hours_kommun_month=_claim_input(by_id, "dso-timbank-10h", "timmar per månad"),
        hours_region_month=_claim_input(by_id, "dso-timbank-60h", "timmar per månad"),
    )


def options_text(f: DsoFigures) -> dict[str, dict]:
    """The four options as the document describes them, with the figures from the claims."""
    return _OPTIONS_TEXT | {
        "employment": _OPTIONS_TEXT["employment"] | {
            "basis": f"{kr(EMPLOYMENT_SALARY_MONTH)} i månadslön; {kr(f.employment_per_year)} per år enligt "
                     "samma mall som för e-strategen; delas solidariskt (lika delar) på de deltagande parterna."},
        "hourbank_kommun": _OPTIONS_TEXT["hourbank_kommun"] | {
            "label": f"Timbank {f.hours_kommun_month} timmar i månaden per kommun (konsult)",
            "basis": f"{f.hours_kommun_month} timmar i månaden × {kr(f.hour_price)}/timme exkl. moms, avtal med "
                     "varje kommun; offerten avser 1 års abonnemang (3 eller 6 månader går också)."},
        "hourbank_region": _OPTIONS_TEXT["hourbank_region"] | {
            "label": f"Timbank {f.hours_region_month} timmar i månaden via regionen (konsult)",
            "basis": f"{f.hours_region_month} timmar i månaden × {kr(f.hour_price)}/timme exkl. moms; regionen "
                     "står som beställare och kommunerna avropar timmar; 1 års abonnemang."},
        "competence": _OPTIONS_TEXT["competence"] | {
            "basis": f"{kr(COMPETENCE_BUDGET)} för nämndens samtliga parter under 2019; e-strategen tar fram en "
                     "utbildningsplan."},
    }


# What each option covers, in the document's words (the labels and bases with figures are
# filled in by options_text).
_OPTIONS_TEXT = {
    "employment": {
        "label": "Anställning av gemensamt dataskyddsombud",
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
        "covers": "Samma rådgivning som timbanken per kommun; kommunerna avropar de timmar som "
                  "behövs för arbetet.",
        "not_covered": "Konsulten agerar inte som ombud för beställaren. Hur kostnaden fördelas "
                       "mellan kommunerna (efter avropade timmar eller lika delar) anges inte i "
                       "underlaget.",
        "decided": False,
    },
    "competence": {
        "label": "Kompetensutveckling (beslutad budgetram)",
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
    """The DSO model's result: options, cost per party, checked claims and participants."""
    options: pd.DataFrame
    per_party: pd.DataFrame
    claims: pd.DataFrame
    participants: list[Party]
    notes: list[str] = field(default_factory=list)
    figures: DsoFigures | None = None


#: Number words for the prose ("sex parter").
NUMBER_WORDS = {1: "en", 2: "två", 3: "tre", 4: "fyra", 5: "fem", 6: "sex", 7: "sju", 8: "åtta", 9: "nio",
                10: "tio", 11: "elva", 12: "tolv"}


def _words(n: int) -> str:
    return NUMBER_WORDS.get(n, number(n))


def _participants(participants, registry, f: DsoFigures) -> tuple[list[Party], list[str]]:
    notes = []
    if participants is None:
        chosen = default_coalition(load_assumptions())
        notes.append(
            f"Underlaget säger att {_words(f.employment_parties)} parter är positiva till ett gemensamt "
            f"dataskyddsombud men inte vilka. Som antagande används de {_words(len(chosen))} parter som "
            "markerade intresse i intressentanalysen för IT-serverdrift: "
            f"{join_list([p.short for p in chosen])}. Ändra med parametern för deltagande parter."
        )
        return chosen, notes
    chosen = registry.resolve_many([p.name if isinstance(p, Party) else str(p)
                                    for p in participants], parties_only=True)
    if not chosen:
        raise ParameterError("Ange minst en deltagande part för dataskyddsombudet.")
    return sorted(chosen, key=registry.order), notes


def dso_options(participants=None, *, key: str = "equal",
                hours_per_fte: float = PRODUCTIVE_HOURS_PER_FTE, registry=None) -> DsoResult:
    """Cost per year in total and per party (whole kronor summing to each total) for the four DSO options.

    ``key`` splits the employment and the Region's hour bank (default equal, "solidariskt"); the hour bank per
    kommun is per kommun; the competence budget is split equally over all the committee's parties.
    """
    registry = registry or load_registry()
    f = dso_figures()
    parts, notes = _participants(participants, registry, f)
    kommuner = [p for p in parts if p.kind == "kommun"]
    if len(kommuner) < len(parts):
        notes.append(f"Timbanken om {f.hours_kommun_month} timmar per kommun erbjuds kommunerna; regionen ingår "
                     "inte i det alternativet.")
    if len(parts) != f.employment_parties:
        notes.append(f"Underlaget delar anställningen på {f.employment_parties} parter; här "
                     f"deltar {len(parts)}, så beloppet per part skiljer sig från underlagets "
                     f"{kr(f.employment_per_party)}.")
    per_party = _per_party(parts, kommuner, key, registry, f)
    options = _options(per_party, kommuner, hours_per_fte, f)
    notes += _notes(kommuner, hours_per_fte, registry, f)
    return DsoResult(options=options, per_party=per_party, claims=dso_claims(),
                     participants=parts, notes=notes, figures=f)


def _per_party(parts: list[Party], kommuner: list[Party], key: str, registry, f: DsoFigures) -> pd.DataFrame:
    """Cost per party and option (whole kronor summing exactly to each option's total)."""
    names = [p.name for p in parts]
    employment = allocate_by_key(f.employment_per_year, key, names, registry)
    region_bank = allocate_by_key(f.hours_region_month * f.hour_price * 12, key, names, registry)
    competence = allocate_by_key(COMPETENCE_BUDGET, "equal", None, registry)
    per_party = pd.DataFrame({"code": [p.code for p in registry.parties],
                              "party": [p.name for p in registry.parties],
                              "short": [p.short for p in registry.parties]})

    def column(frame):
        m = dict(zip(frame["code"], frame["share"]))
        return [int(m.get(c, 0)) for c in per_party["code"]]

    kommun_codes = {k.code for k in kommuner}
    per_party["employment"] = column(employment)
    per_party["hourbank_kommun"] = [f.hours_kommun_month * f.hour_price * 12 if p.code in kommun_codes else 0
                                    for p in registry.parties]
    per_party["hourbank_region"] = column(region_bank)
    per_party["competence"] = column(competence)
    per_party["participates"] = [p.code in {q.code for q in parts} for p in registry.parties]
    per_party.attrs["labels"] = {
        "code": "Kod", "party": "Part", "short": "Part", "participates": "Deltar",
        **{k: v["label"] for k, v in options_text(f).items()},
    }
    return per_party


def _options(per_party: pd.DataFrame, kommuner: list[Party], hours_per_fte: float, f: DsoFigures) -> pd.DataFrame:
    texts = options_text(f)
    totals = {k: int(per_party[k].sum()) for k in texts}
    hours = {
        "employment": float(hours_per_fte),
        "hourbank_kommun": f.hours_kommun_month * 12 * len(kommuner),
        "hourbank_region": f.hours_region_month * 12,
        "competence": float("nan"),
    }
    rows = []
    for k, o in texts.items():
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
    return options


def _notes(kommuner: list[Party], hours_per_fte: float, registry, f: DsoFigures) -> list[str]:
    notes = [
        "Kompetensutvecklingen är en budgetram för 2019 (engångsbelopp) och fördelas här på "
        f"nämndens samtliga {_words(len(registry.parties))} parter i lika delar; övriga alternativ är "
        "kostnader per år.",
        f"Timmar per år för anställningen ({number(hours_per_fte)} produktiva timmar) är en "
        "uppskattning utan källa; den används bara för jämförelsen per timme.",
    ]
    if len(kommuner) * f.hours_kommun_month == f.hours_region_month:
        notes.append(
            f"{len(kommuner)} kommuner × {f.hours_kommun_month} timmar = {f.hours_region_month} timmar i månaden: "
            f"de två timbankerna kostar då lika mycket ({kr(f.hours_region_month * f.hour_price * 12)} per år); "
            "skillnaden är vem som beställer och om timmarna kan flyttas mellan kommunerna."
        )
    return notes


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
    per_year = dso_figures().employment_per_year
    salary_year = EMPLOYMENT_SALARY_MONTH * 12
    factor = Fraction(per_year, salary_year)
    rows.append({
        "claim": "dso-anstallning-palagg", "title": "Anställning: årskostnad mot månadslön",
        "stated": float(per_year), "computed": float(salary_year),
        "difference": float(per_year - salary_year),
        "status": "information", "agrees": True,
        "message": (f"{kr(per_year)} per år mot 12 × {kr(EMPLOYMENT_SALARY_MONTH)} = {kr(salary_year)} i lön: "
                    f"årskostnaden är {number(float(factor), 2)} gånger lönen, dvs. lönen plus "
                    f"{number(float(factor - 1) * 100, 0)} % för PO-pålägg och andra kostnader "
                    "enligt mallen. Underlaget redovisar inte uppdelningen."),
        "details": f"Källa: {SOURCE}.",
    })
    df = pd.DataFrame(rows)
    df.attrs["labels"] = CLAIM_LABELS
    return df
