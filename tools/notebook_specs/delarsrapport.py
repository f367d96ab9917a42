# Cell specification for notebooks/delarsrapport.ipynb: (kind, source, *tags).
CELLS = [
    ("code", '''
period: str = "2018-08"  # Period ÅÅÅÅ-MM: april ger tertialrapport, juni till augusti delårsrapport
status: str = "utkast"  # Rapportens status: utkast eller fastställd
namnd: str = ""  # Nämndens namn på försättsbladet; lämna tomt för indatafilens metadata
diarienummer: str = ""  # Ärendets diarienummer; lämna tomt för att använda indatafilens metadata
datum: str = ""  # Rapportdatum ÅÅÅÅ-MM-DD; lämna tomt för datumet i indatafilens metadata
handlaggare: str = "Sekretariatet, Region Jämtland Härjedalen"  # Handläggare som anges på rapporten
flaggrans: int = 50  # Flagga den lagda årsprognosen när den skiljer sig mer än så många tkr från en beräknad metod
''', "parameters"),
    ("code", '''
from gnsanalysis import html, interim, rr

data = interim.load(period)
rr.write_processed(data.table, data.whole.dataset)
interim.front(data, status=status, namnd=namnd, diarienummer=diarienummer, datum=datum,
              handlaggare=handlaggare)
'''),
    ("md", "## Sammanfattning"),
    ("code", "interim.summary_view(data, flaggrans)"),
    ("md", "## Resultaträkning hittills i år"),
    ("code", "interim.overview_table(data)"),
    ("md", "## Budget och utfall per post"),
    ("code", "interim.chart_budget_outcome(data)"),
    ("md", "## Avvikelser mot budget"),
    ("md", "### Avvikelse per post"),
    ("code", "interim.deviation_view(data)"),
    ("md", "### Avvikelse per objekt"),
    ("code", "interim.objects_view(data)"),
    ("code", "interim.document_view(data)"),
    ("md", "## Jämfört med föregående år"),
    ("code", "interim.previous_year_view(data)"),
    ("md", "## Jämfört med föregående delårs- eller tertialrapport"),
    ("code", "interim.previous_interim_view(data)"),
    ("md", "## Helårsprognos"),
    ("code", "interim.forecast_view(data, flaggrans)"),
    ("code", "interim.hindsight_view(data)"),
    ("md", "## Kontroll av tabellerna"),
    ("code", "interim.checks_view(data)"),
    ("code", '''
interim.footer(data, {"period": period, "status": status, "namnd": namnd, "diarienummer": diarienummer,
                      "datum": datum, "handlaggare": handlaggare, "flaggrans": flaggrans})
'''),
]
