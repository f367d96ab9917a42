"""Helårsprognos methods on small inline figures."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gnsanalysis.errors import ParameterError
from gnsanalysis.reports import forecast as fc
from gnsanalysis.swedish import format as fmt


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


def test_forecast_frame_bottom_line_from_printed_total_with_a_rounding_row():
    # printed totals differ from the sum of printed rows by rounding; linear methods follow the total
    # and the difference is its own row, so each column is exactly the sum of its rows
    total = {"outcome": 101.0, "budget_to_date": 120.0, "annual_budget": 1.0, "economist": -49.0}
    f = fc.forecast_frame(ROWS, 6, total=total)
    assert list(f["Post"]) == ["Intäkter", "Kostnader", "Avrundning", "Resultat"]
    res, gap = f.iloc[-1], f.iloc[-2]
    assert res[fc.LABELS[fc.BUDGET_REST]] == -18 and res[fc.LABELS[fc.RUN_RATE]] == 202
    assert res[fc.LABELS[fc.ECONOMIST]] == -49 and res["Årsbudget"] == 1
    assert res[fc.LABELS[fc.SEASONAL]] == 400  # not linear: always the sum of its rows
    assert (gap["Årsbudget"], gap[fc.LABELS[fc.BUDGET_REST]], gap[fc.LABELS[fc.RUN_RATE]],
            gap[fc.LABELS[fc.SEASONAL]], gap[fc.LABELS[fc.ECONOMIST]]) == (1, 2, 2, 0, 1)
    for col in ["Årsbudget"] + [fc.LABELS[m] for m in fc.METHODS]:
        assert f[col].iloc[:-1].sum() == pytest.approx(res[col])
    assert list(fc.item_rows(f)["Post"]) == ["Intäkter", "Kostnader"]


def test_no_rounding_row_when_the_printed_total_agrees():
    total = {"outcome": 100.0, "budget_to_date": 120.0, "annual_budget": 0.0, "economist": -50.0}
    assert "Avrundning" not in list(fc.forecast_frame(ROWS, 6, total=total)["Post"])


AUGUST = pd.DataFrame({  # the 2018-08 example table: run-rate rows 2 640 −105 0 −1 518 −297 −7,5
    "Post": ["Intäkter", "Personal", "Verksamhetsnära", "Övriga", "Avskrivningar", "Finansnetto"],
    "outcome": [1760.0, -70, 0, -1012, -198, -5],
    "budget_to_date": [1760.0, -68, 0, -970, -198, -5],
    "annual_budget": [1760.0, -102, 0, -1455, -297, -8],
})


def test_display_frame_makes_every_column_add_up_to_its_total():
    # half-up per row would print 2 640 −105 0 −1 518 −297 −8 = 712 under a total of 713
    total = {"outcome": 475.0, "budget_to_date": 519.0, "annual_budget": -102.0}
    shown = fc.display_frame(fc.forecast_frame(AUGUST, 8, total=total))
    run = shown[fc.LABELS[fc.RUN_RATE]]
    assert run.iloc[-1] == 713 and run.iloc[:-1].sum() == 713
    assert list(run.iloc[:-1]) == [2640, -105, 0, -1518, -297, -7]


@given(st.lists(st.tuples(st.integers(-5000, 5000), st.integers(-5000, 5000), st.integers(-9000, 9000),
                          st.integers(-9000, 9000), st.integers(-9000, 9000)), min_size=1, max_size=8),
       st.integers(1, 11), st.integers(-3, 3), st.integers(-3, 3))
def test_displayed_columns_always_add_up(rows, months, d_out, d_bud):
    frame = pd.DataFrame({"Post": [f"r{i}" for i in range(len(rows))],
                          "outcome": [float(r[0]) for r in rows], "budget_to_date": [float(r[1]) for r in rows],
                          "annual_budget": [float(r[2]) for r in rows],
                          "prev_to_date": [float(r[3]) for r in rows], "prev_full": [float(r[4]) for r in rows]})
    total = {"outcome": frame["outcome"].sum() + d_out, "budget_to_date": frame["budget_to_date"].sum() + d_bud,
             "annual_budget": frame["annual_budget"].sum()}
    exact = fc.forecast_frame(frame, months, total=total)
    shown = fc.display_frame(exact)
    for col in ["Årsbudget"] + [fc.LABELS[m] for m in fc.COMPUTED]:
        assert shown[col].iloc[:-1].sum() == shown[col].iloc[-1]
        assert shown[col].iloc[-1] == float(fmt.round_half_up(exact[col].iloc[-1]))
        assert all(float(v).is_integer() for v in shown[col])


@pytest.mark.parametrize("prev_to_date, prev_full, months, expected", [
    (0, 2929, 4, 0.0),            # invoiced after April: seasonal
    (1860, 1988, 8, 1860 / 1988),  # 94 % by August against 67 %: seasonal
    (-35, -107, 4, None),          # 33 % by April: even
    (-1119, -1679, 8, None),       # 67 % by August: even
    (0, 0, 4, None),               # nothing last year: undefined
    (5, float("nan"), 4, None),
])
def test_uneven_share_marks_seasonal_rows(prev_to_date, prev_full, months, expected):
    got = fc.uneven_share(prev_to_date, prev_full, months)
    assert got == (None if expected is None else pytest.approx(expected))


def test_compare_economist_flags_large_differences():
    comps = fc.compare_economist(458, {fc.BUDGET_REST: -146, fc.RUN_RATE: 440, fc.SEASONAL: math.nan}, 50)
    assert [(c.method, c.difference, c.flagged) for c in comps] == [
        (fc.BUDGET_REST, 604, True), (fc.RUN_RATE, 18, False)]
    with pytest.raises(ParameterError, match="negativ"):
        fc.compare_economist(1, {}, -1)


def test_every_method_states_its_assumptions():
    assert set(fc.ASSUMPTIONS) == set(fc.METHODS) == set(fc.LABELS)
    assert fc.LABELS[fc.ECONOMIST] == "Lagd årsprognos"
    assert all(len(text) > 60 for text in fc.ASSUMPTIONS.values())
