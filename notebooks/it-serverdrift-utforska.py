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
save_path: str = "parametrar/it-serverdrift.yaml"  # Fil som knappen Spara parametrar skriver, relativt projektmappen

# %% [markdown]
# # Utforska scenarier för IT-serverdrift
#
# Flytta reglagen för de viktigaste antagandena, välj parter och fördelningsnyckel: tabellerna under
# reglagen räknas om direkt. Med **Spara parametrar** skrivs valen till en YAML-fil. Samma val blir
# nämndens rapport med
#
#     gns report it-serverdrift -f parametrar/it-serverdrift.yaml
#
# Kör cellerna med *Run → Run All Cells* i JupyterLab.

# %%
from gnsanalysis.scenarios.widgets import build_explorer

build_explorer(save_path=save_path)
