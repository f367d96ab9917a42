# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% tags=["parameters"]
coalition: list = []  # Deltagande parter (namn); tom lista betyder parterna som markerat intresse i intressentanalysen
allocation_key: str = "usage"  # Fördelningsnyckel för gemensamma kostnader: usage, equal, population eller en blandning
hosts: dict = {}  # Platser för S1 och S2, t.ex. {S1: krokom}; tomt betyder billigaste möjliga plats
n_draws: int = 20000  # Antal dragningar i Monte Carlo-simuleringen
seed: int = 20190208  # Startvärde för slumptalen (samma värde ger samma resultat)
assumptions: dict = {}  # Ändrade antaganden, namn och värde eller low/mode/high
include_outage_risk: bool = True  # Räkna med förväntad avbrottskostnad i summorna
per_party: str = "S1"  # Scenariot som visas per part och år för år (S1–S4)
status: str = "utkast"  # Rapportens status: utkast eller fastställd
namnd: str = ""  # Nämndens namn på försättsbladet; tomt ger nämndens fullständiga namn
diarienummer: str = "GNS/3/2019"  # Ärendets diarienummer
datum: str = ""  # Rapportdatum ÅÅÅÅ-MM-DD; lämna tomt för att inte ange datum
handlaggare: str = "E-strategen, Region Jämtland Härjedalen"  # Handläggare som anges på rapporten

# %%
from gnsanalysis.render import html
from gnsanalysis.scenarios import views

chosen = {"coalition": coalition, "allocation_key": allocation_key, "hosts": hosts, "n_draws": n_draws,
          "seed": seed, "assumptions": assumptions, "include_outage_risk": include_outage_risk,
          "per_party": per_party, "status": status}
report = views.load_it(chosen)
views.it_front(report, status=status, namnd=namnd, diarienummer=diarienummer, datum=datum,
               handlaggare=handlaggare, scenario=html.saved_scenario(chosen))

# %% [markdown]
# ## Sammanfattning

# %%
html.paragraphs(views.it_summary(report))

# %% [markdown]
# ## Scenarierna

# %%
views.scenario_table(report)

# %% [markdown]
# ## Kostnad över fem år

# %%
views.cost_chart(report)

# %%
views.cost_table(report)

# %%
views.yearly_table(report, per_party)

# %% [markdown]
# ## Osäkerhet

# %%
views.uncertainty_view(report)

# %% [markdown]
# ## Vilka antaganden avgör?

# %%
views.tornado_view(report)

# %% [markdown]
# ## När är en gemensam hall inte billigast?

# %%
views.rules_view(report)

# %% [markdown]
# ## Kostnad per part

# %%
views.party_view(report, per_party)

# %% [markdown]
# ## Avstånd och redundans

# %%
views.distance_view(report)

# %% [markdown]
# ## Antaganden

# %%
views.assumptions_view(report)

# %%
html.footer(chosen, views.inputs_it(), labels=views.parameter_labels(),
            shown=views.footer_values(allocation_key, n_draws))
