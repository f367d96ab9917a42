# Cell specification for notebooks/arsbokslut.ipynb: (kind, source, *tags).
CELLS = [
    ("code", '''
period: str = "2018-12"  # Bokslutsperiod ÅÅÅÅ-12 (sista månaden som ingår)
status: str = "utkast"  # Rapportens status: "utkast" eller "fastställd"
namnd: str = ""  # Nämndens namn på försättsbladet; lämna tomt för indatafilens metadata
diarienummer: str = ""  # Ärendets diarienummer; lämna tomt för att använda indatafilens metadata
datum: str = ""  # Rapportdatum ÅÅÅÅ-MM-DD; lämna tomt för datumet då underlaget kom in
handlaggare: str = "Sekretariatet, Region Jämtland Härjedalen"  # Handläggare som anges på rapporten
''', "parameters"),
    ("code", '''
from gnsanalysis import html, rr, yearend

data = yearend.load(period)
rr.write_processed(data.table, data.dataset)
yearend.front(data, status=status, namnd=namnd, diarienummer=diarienummer, datum=datum,
              handlaggare=handlaggare)
'''),
    ("md", "## Sammanfattning"),
    ("code", "html.paragraphs(yearend.summary(data))"),
    ("md", "## Resultaträkning"),
    ("code", "yearend.overview_table(data)"),
    ("md", "## Budget och utfall per post"),
    ("code", "yearend.chart_budget_outcome(data)"),
    ("md", "## Från budget till resultat"),
    ("code", "yearend.chart_waterfall(data)"),
    ("md", "## Avvikelser mot budget"),
    ("code", "yearend.deviation_view(data)"),
    ("md", "## Nämndens medel och överföring till nästa år"),
    ("code", "yearend.carry_over_view(data)"),
    ("md", "## Kontroll av tabellen"),
    ("code", "yearend.checks_view(data)"),
    ("code", '''
html.footer({"period": period, "status": status, "namnd": namnd, "diarienummer": diarienummer,
             "datum": datum, "handlaggare": handlaggare}, [data.dataset])
'''),
]
