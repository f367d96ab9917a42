# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     notebook_metadata_filter: title
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
#   title: "Utforska scenarier f\xF6r IT-serverdrift"
# ---

# %% tags=["parameters"]
uncertainty: bool = True  # Visa osäkerhetsband och tornado (en mindre Monte Carlo medan du utforskar)

# %% [markdown]
# # Utforska scenarier för IT-serverdrift
#
# Välj parter och fördelningsnyckel och skriv in värden för de viktigaste antagandena
# (decimalkomma går bra, t.ex. `1,5`). Siffrorna och diagrammen räknas om direkt. Spara valen
# som ett namngivet scenario: utforskaren visar då kommandot som bygger nämndens rapport med
# samma val, till exempel `.venv/bin/gns report it-serverdrift -f parametrar/dyr-el.yaml`.
#
# Starta som app med `gns explore`. I JupyterLab: kör cellerna en gång med
# *Run → Run All Cells*; då visas reglagen här under.

# %%
from gnsanalysis.scenarios.widgets import build_explorer

build_explorer(uncertainty=uncertainty)
