# Cell specification for notebooks/dso-alternativ.ipynb: (kind, source, *tags).
CELLS = [
    ("code", '''
participants: list = []  # Parter som deltar; tom lista betyder de sex parter som markerat intresse (antagande)
status: str = "utkast"  # Rapportens status: utkast eller fastställd
namnd: str = ""  # Nämndens namn på försättsbladet; tomt ger nämndens fullständiga namn
diarienummer: str = "GNS/11/2018"  # Ärendets diarienummer
datum: str = "2019-02-01"  # Rapportdatum ÅÅÅÅ-MM-DD (tjänsteskrivelsens datum)
handlaggare: str = "E-strategen, Region Jämtland Härjedalen"  # Handläggare som anges på rapporten
''', "parameters"),
    ("code", '''
from gnsanalysis import html
from gnsanalysis.scenarios import views

dso = views.load_dso(participants)
views.dso_front(status=status, namnd=namnd, diarienummer=diarienummer, datum=datum, handlaggare=handlaggare)
'''),
    ("md", "## Sammanfattning"),
    ("code", "html.paragraphs(views.dso_summary(dso))"),
    ("md", "## Alternativen i siffror"),
    ("code", "views.dso_chart(dso)"),
    ("code", "views.dso_options_table(dso)"),
    ("md", "## Kostnad per part"),
    ("code", "views.dso_party_table(dso)"),
    ("md", "## Vad alternativen täcker"),
    ("code", "views.dso_covers(dso)"),
    ("md", "## Kontroll av siffror i underlaget"),
    ("code", "views.dso_claims_view(dso)"),
    ("code", '''
html.footer({"participants": participants, "status": status, "diarienummer": diarienummer, "datum": datum},
            views.inputs_dso())
'''),
]
