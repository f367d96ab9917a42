"""Project paths, resolved from the package (or ``GNS_PROJECT_ROOT``), never from the working directory."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = Path(os.environ.get("GNS_PROJECT_ROOT", PACKAGE_DIR.parent)).resolve()
RESOURCES_DIR = PACKAGE_DIR / "resources"
TEMPLATES_DIR = PACKAGE_DIR / "render" / "templates"
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
DATA_DIR = PROJECT_ROOT / "data"
RAW_DIR = DATA_DIR / "raw"
PROCESSED_DIR = Path(os.environ.get("GNS_PROCESSED_DIR", DATA_DIR / "processed")).resolve()
REPORTS_DIR = PROJECT_ROOT / "reports"
PARAMETERS_DIR = PROJECT_ROOT / "parametrar"
