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
period: str = "2018-08"  # Period ÅÅÅÅ-MM: april ger tertialrapport, juni till augusti delårsrapport
status: str = "utkast"  # Rapportens status: utkast eller fastställd
namnd: str = ""  # Nämndens namn på försättsbladet; lämna tomt för indatafilens metadata
diarienummer: str = ""  # Ärendets diarienummer; lämna tomt för att använda indatafilens metadata
datum: str = ""  # Rapportdatum ÅÅÅÅ-MM-DD; lämna tomt för datumet i indatafilens metadata
handlaggare: str = "Sekretariatet, Region Jämtland Härjedalen"  # Handläggare som anges på rapporten
flaggrans: int = 50  # Flagga den lagda årsprognosen när den skiljer sig mer än så många tkr från en beräknad metod

# %%
from gnsanalysis.reports import interim, interim_views
from gnsanalysis.rr.table import write_processed

data = interim.load(period)
write_processed(data.table, data.whole.dataset)
interim_views.front(data, status=status, namnd=namnd, diarienummer=diarienummer, datum=datum,
                    handlaggare=handlaggare)

# %% [markdown]
# ## Sammanfattning

# %%
interim_views.summary_view(data, flaggrans)

# %% [markdown]
# ## Resultaträkning hittills i år

# %%
interim_views.overview_table(data)

# %% [markdown]
# ## Budget och utfall per post

# %%
interim_views.chart_budget_outcome(data)

# %% [markdown]
# ## Avvikelser mot budget

# %% [markdown]
# ### Avvikelse per post

# %%
interim_views.deviation_view(data)

# %% [markdown]
# ### Avvikelse per objekt

# %%
interim_views.objects_view(data)

# %%
interim_views.document_view(data)

# %% [markdown]
# ## Jämfört med föregående år

# %%
interim_views.previous_year_view(data)

# %% [markdown]
# ## Jämfört med föregående delårs- eller tertialrapport

# %%
interim_views.previous_interim_view(data)

# %% [markdown]
# ## Helårsprognos

# %%
interim_views.forecast_view(data, flaggrans)

# %%
interim_views.hindsight_view(data)

# %% [markdown]
# ## Kontroll av tabellerna

# %%
interim_views.checks_view(data)

# %%
interim_views.footer(data, {"period": period, "status": status, "namnd": namnd, "diarienummer": diarienummer,
                            "datum": datum, "handlaggare": handlaggare, "flaggrans": flaggrans})
