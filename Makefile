# The two commands of the README: `make reports` and `make test`.
# Both create .venv from this project's own files when it is missing or out of date.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# Jupyter server config of the project (the notebook save hook), installed into the venv
JUPYTER_CONFIG := $(VENV)/etc/jupyter/jupyter_server_config.d/gnsanalysis.json

.PHONY: reports test bench clean browser notebooks lint

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

$(JUPYTER_CONFIG): jupyter-config/jupyter_server_config.d/gnsanalysis.json $(STAMP)
	mkdir -p $(dir $@)
	cp $< $@

# PDFs and the board pack where Chromium is available (installed by `browser` when run as root)
reports: $(STAMP) $(JUPYTER_CONFIG) browser
	$(BIN)/gns build $$(command -v chromium >/dev/null 2>&1 && echo --pdf)

# The browser tests open every report in Debian's chromium; install it when missing (CI runs as root).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Debian's chromium for the browser tests"; \
	    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } \
	      || echo "chromium could not be installed: the browser tests will fail under CI and be skipped elsewhere"; \
	  else echo "chromium is missing and cannot be installed here: the browser tests will be skipped"; fi; }

# ruff (lint + import order) and mypy on the package; `make test` runs them first.
lint: $(STAMP)
	$(BIN)/ruff check gnsanalysis tests bench tools
	$(BIN)/mypy

# axe-core for the accessibility test, from the npm registry (package.json / package-lock.json).
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

test: $(STAMP) $(JUPYTER_CONFIG) browser node_modules/.installed lint
	$(BIN)/python -m pytest

# The notebooks' source of truth is notebooks/*.py (jupytext py:percent); this refreshes the .ipynb.
notebooks: $(STAMP)
	$(BIN)/jupytext --sync notebooks/*.py

bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf reports/*.html reports/*.ipynb reports/screenshots data/processed/*.csv data/processed/*.json
