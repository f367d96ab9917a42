"""The board report's assumptions table prints each value as the model uses it (0,015, not 0,02)."""

from __future__ import annotations

import pytest

from gnsanalysis.scenarios import views
from gnsanalysis.scenarios.explore import DEFAULT_STATE, explore


@pytest.mark.parametrize("value, shown", [(0.015, 3), (0.035, 3), (0.05, 2), (1.41, 2), (0.5, 2), (72000, 0),
                                          (0.0125, 4)])
def test_decimals_are_the_ones_the_value_needs(value, shown):
    assert views._decimals_needed(value) == shown


def test_a_changed_discount_rate_is_printed_as_used():
    state = dict(DEFAULT_STATE, assumptions={"discount_rate": 0.035})
    table = str(views.assumptions_view(views.ItReport(explore(state, full=False))))
    assert "0,035" in table and "0,04" not in table
