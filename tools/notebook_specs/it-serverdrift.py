# Cell specification for notebooks/it-serverdrift.ipynb: (kind, source, *tags).
# Parameter names are the explorer's state keys, so a saved widget state replays with
# `gns report it-serverdrift -f FILE.yaml`.
CELLS = [
    ("code", '''
coalition: list = []  # Deltagande parter (namn); tom lista betyder parterna som markerat intresse i intressentanalysen
allocation_key: str = "usage"  # Fördelningsnyckel för gemensamma kostnader: usage, equal, population eller en blandning
hosts: dict = {}  # Platser för S1 och S2, t.ex. {S1: krokom}; tomt betyder billigaste möjliga plats
n_draws: int = 20000  # Antal dragningar i Monte Carlo-simuleringen
seed: int = 20190208  # Startvärde för slumptalen (samma värde ger samma resultat)
assumptions: dict = {}  # Ändrade antaganden, namn och värde eller low/mode/high
include_outage_risk: bool = True  # Räkna med förväntad avbrottskostnad i summorna
status: str = "utkast"  # Rapportens status: utkast eller fastställd
namnd: str = ""  # Nämndens namn på försättsbladet; tomt ger nämndens fullständiga namn
diarienummer: str = "GNS/3/2019"  # Ärendets diarienummer
datum: str = ""  # Rapportdatum ÅÅÅÅ-MM-DD; lämna tomt för att inte ange datum
handlaggare: str = "E-strategen, Region Jämtland Härjedalen"  # Handläggare som anges på rapporten
''', "parameters"),
    ("code", '''
from gnsanalysis import html
from gnsanalysis.scenarios import views

report = views.load_it(coalition, allocation_key, hosts, n_draws, seed, assumptions, include_outage_risk)
views.it_front(report, status=status, namnd=namnd, diarienummer=diarienummer, datum=datum,
               handlaggare=handlaggare)
'''),
    ("md", "## Sammanfattning"),
    ("code", "html.paragraphs(views.it_summary(report))"),
    ("md", "## Scenarierna"),
    ("code", "views.scenario_table(report)"),
    ("md", "## Kostnad över fem år"),
    ("code", "views.cost_chart(report)"),
    ("code", "views.cost_table(report)"),
    ("code", 'views.yearly_table(report, "S1")'),
    ("md", "## Osäkerhet"),
    ("code", "views.uncertainty_view(report)"),
    ("md", "## Vilka antaganden avgör?"),
    ("code", "views.tornado_view(report)"),
    ("md", "## När är en gemensam hall inte billigast?"),
    ("code", "views.rules_view(report)"),
    ("md", "## Kostnad per part"),
    ("code", 'views.party_view(report, "S1")'),
    ("md", "## Avstånd och redundans"),
    ("code", "views.distance_view(report)"),
    ("md", "## Antaganden"),
    ("code", "views.assumptions_view(report)"),
    ("code", '''
html.footer({"coalition": coalition, "allocation_key": allocation_key, "hosts": hosts, "n_draws": n_draws,
             "seed": seed, "assumptions": assumptions, "include_outage_risk": include_outage_risk,
             "status": status}, views.inputs_it())
'''),
]
