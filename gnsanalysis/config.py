"""Paths resolved from the package, never from the working directory."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

import yaml

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = Path(os.environ.get("GNS_PROJECT_ROOT", PACKAGE_DIR.parent)).resolve()
CONFIG_DIR = PACKAGE_DIR / "config"
TEMPLATES_DIR = PACKAGE_DIR / "templates"
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
DATA_DIR = PROJECT_ROOT / "data"
RAW_DIR = DATA_DIR / "raw"
PROCESSED_DIR = DATA_DIR / "processed"
REPORTS_DIR = PROJECT_ROOT / "reports"


@cache
def load_config(name: str) -> dict:
    """Read a YAML file shipped in ``gnsanalysis/config`` (cached; treat as read-only)."""
    from .errors import ConfigError

    path = CONFIG_DIR / name
    try:
        with path.open(encoding="utf-8") as fh:
            return yaml.safe_load(fh) or {}
    except FileNotFoundError as exc:
        raise ConfigError(f"Konfigurationsfilen {path} saknas.") from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"Konfigurationsfilen {path} är inte giltig YAML: {exc}") from exc
