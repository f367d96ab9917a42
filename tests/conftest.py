"""Shared fixtures. Tests never write to data/raw/ or to the real reports/ folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from gnsanalysis import config

settings.register_profile("ci", max_examples=60, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=30, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

REAL_RR = config.RAW_DIR / "gns-rr-2018-12.txt"


@pytest.fixture
def real_rr_path() -> Path:
    return REAL_RR


@pytest.fixture
def real_rr_text() -> str:
    return REAL_RR.read_text(encoding="utf-8")
