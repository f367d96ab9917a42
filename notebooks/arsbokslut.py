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
period: str = "2018-12"  # Bokslutsperiod ÅÅÅÅ-12 (sista månaden som ingår)
status: str = "utkast"  # Rapportens status: "utkast" eller "fastställd"
namnd: str = ""  # Nämndens namn på försättsbladet; lämna tomt för indatafilens metadata
diarienummer: str = ""  # Ärendets diarienummer; lämna tomt för att använda indatafilens metadata
datum: str = ""  # Rapportdatum ÅÅÅÅ-MM-DD; lämna tomt för datumet då underlaget kom in
handlaggare: str = "Sekretariatet, Region Jämtland Härjedalen"  # Handläggare som anges på rapporten

# %%
from gnsanalysis.render import html
from gnsanalysis.rr.table import write_processed
from gnsanalysis.reports import yearend

data = yearend.load(period)
write_processed(data.table, data.dataset)
yearend.front(data, status=status, namnd=namnd, diarienummer=diarienummer, datum=datum,
              handlaggare=handlaggare)

# %% [markdown]
# ## Sammanfattning

# %%
html.paragraphs(yearend.summary(data))

# %% [markdown]
# ## Resultaträkning

# %%
yearend.overview_table(data)

# %% [markdown]
# ## Budget och utfall per post

# %%
yearend.chart_budget_outcome(data)

# %% [markdown]
# ## Från budget till resultat

# %%
yearend.chart_waterfall(data)

# %% [markdown]
# ## Avvikelser mot budget

# %%
yearend.deviation_view(data)

# %% [markdown]
# ## Nämndens medel och överföring till nästa år

# %%
yearend.carry_over_view(data)

# %% [markdown]
# ## Kontroll av tabellen

# %%
yearend.checks_view(data)

# %%
html.footer({"period": period, "status": status, "namnd": namnd, "diarienummer": diarienummer,
             "datum": datum, "handlaggare": handlaggare}, [data.dataset])
