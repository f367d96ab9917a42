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
participants: list = []  # Parter som deltar; tom lista betyder de sex parter som markerat intresse (antagande)
status: str = "utkast"  # Rapportens status: utkast eller fastställd
namnd: str = ""  # Nämndens namn på försättsbladet; tomt ger nämndens fullständiga namn
diarienummer: str = "GNS/11/2018"  # Ärendets diarienummer
datum: str = "2019-02-01"  # Rapportdatum ÅÅÅÅ-MM-DD (tjänsteskrivelsens datum)
handlaggare: str = "E-strategen, Region Jämtland Härjedalen"  # Handläggare som anges på rapporten

# %%
from gnsanalysis.render import html
from gnsanalysis.scenarios import views

dso = views.load_dso(participants)
views.dso_front(status=status, namnd=namnd, diarienummer=diarienummer, datum=datum, handlaggare=handlaggare)

# %% [markdown]
# ## Sammanfattning

# %%
html.paragraphs(views.dso_summary(dso))

# %% [markdown]
# ## Alternativen i siffror

# %%
views.dso_chart(dso)

# %%
views.dso_options_table(dso)

# %% [markdown]
# ## Kostnad per part

# %%
views.dso_party_table(dso)

# %% [markdown]
# ## Vad alternativen täcker

# %%
views.dso_covers(dso)

# %% [markdown]
# ## Kontroll av siffror i underlaget

# %%
views.dso_claims_view(dso)

# %%
html.footer({"participants": participants, "status": status, "diarienummer": diarienummer, "datum": datum},
            views.inputs_dso())
