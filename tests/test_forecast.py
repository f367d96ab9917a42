"""Helårsprognos methods on small inline figures."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from gnsanalysis import forecast as fc
from gnsanalysis.errors import ParameterError


def test_budget_rest_keeps_the_deviation_so_far():
    # 8 months: outcome 475 against budget 519 so far, annual budget -102 -> -102 - 44
    assert fc.budget_rest(475, 519, -102) == -146


def test_run_rate_scales_to_twelve_months():
    assert fc.run_rate(-100, 4) == -300
    assert fc.run_rate(80, 8) == 120


@pytest.mark.parametrize("months", [0, 12, 13, -1, 4.5, True])
def test_run_rate_needs_a_month_before_year_end(months):
    with pytest.raises(ParameterError, match="1–11"):
        fc.run_rate(1, months)


def test_seasonal_divides_by_last_years_share():
    # last year 2/3 of the cost had been booked by August: -1 000 now -> -1 500 for the year
    s = fc.seasonal(-1000, -1100, -1650)
    assert s.rule == "andel" and s.share == pytest.approx(2 / 3) and s.value == pytest.approx(-1500)


@pytest.mark.parametrize("prev_to_date, prev_full, why", [
    (0, 0, "nothing last year"),
    (0, 2929, "share zero: revenue invoiced later in the year"),
    (50, -100, "opposite sign"),
    (-5, -100, "share below 10 %"),
    (-300, -100, "share above 150 %"),
])
def test_seasonal_falls_back_to_last_years_remaining_months(prev_to_date, prev_full, why):
    s = fc.seasonal(-40, prev_to_date, prev_full)
    assert s.rule == "resterande", why
    assert s.share is None
    assert s.value == pytest.approx(-40 + prev_full - prev_to_date)


def test_seasonal_refuses_missing_figures():
    with pytest.raises(ValueError):
        fc.seasonal(float("nan"), 1, 2)


ROWS = pd.DataFrame({
    "Post": ["Intäkter", "Kostnader"],
    "outcome": [600.0, -500.0],
    "budget_to_date": [600.0, -480.0],
    "annual_budget": [900.0, -900.0],
    "prev_to_date": [0.0, -450.0],
    "prev_full": [800.0, -900.0],
    "economist": [900.0, -950.0],
})


def test_forecast_frame_per_row_and_bottom_line():
    f = fc.forecast_frame(ROWS, 6)
    res = f.iloc[-1]
    assert list(f["Post"]) == ["Intäkter", "Kostnader", "Resultat"]
    assert list(f[fc.LABELS[fc.BUDGET_REST]]) == [900, -920, -20]
    assert list(f[fc.LABELS[fc.RUN_RATE]]) == [1200, -1000, 200]
    # revenue: share 0 -> 600 + 800; costs: share 0.5 -> -1 000
    assert list(f[fc.LABELS[fc.SEASONAL]]) == [1400, -1000, 400]
    assert list(f["Säsongsregel"][:2]) == ["resterande", "andel"]
    assert res[fc.LABELS[fc.ECONOMIST]] == -50 and res["Årsbudget"] == 0


def test_forecast_frame_without_last_year_has_no_seasonal_column_values():
    f = fc.forecast_frame(ROWS.drop(columns=["prev_to_date", "prev_full"]), 6)
    assert f[fc.LABELS[fc.SEASONAL]].isna().all()
    assert f.iloc[-1][fc.LABELS[fc.BUDGET_REST]] == -20


def test_forecast_frame_bottom_line_from_printed_total():
    # printed totals differ from the sum of printed rows by rounding; linear methods follow the total
    total = {"outcome": 101.0, "budget_to_date": 120.0, "annual_budget": 1.0, "economist": -49.0}
    f = fc.forecast_frame(ROWS, 6, total=total)
    res = f.iloc[-1]
    assert res[fc.LABELS[fc.BUDGET_REST]] == -18 and res[fc.LABELS[fc.RUN_RATE]] == 202
    assert res[fc.LABELS[fc.ECONOMIST]] == -49 and res["Årsbudget"] == 1
    assert res[fc.LABELS[fc.SEASONAL]] == 400  # not linear: always the sum of its rows


def test_compare_economist_flags_large_differences():
    comps = fc.compare_economist(458, {fc.BUDGET_REST: -146, fc.RUN_RATE: 440, fc.SEASONAL: math.nan}, 50)
    assert [(c.method, c.difference, c.flagged) for c in comps] == [
        (fc.BUDGET_REST, 604, True), (fc.RUN_RATE, 18, False)]
    with pytest.raises(ParameterError, match="negativ"):
        fc.compare_economist(1, {}, -1)


def test_every_method_states_its_assumptions():
    assert set(fc.ASSUMPTIONS) == set(fc.METHODS) == set(fc.LABELS)
    assert all(len(text) > 60 for text in fc.ASSUMPTIONS.values())
