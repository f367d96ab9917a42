"""The explorer's fast redraw: live SVG charts, charts reused when their data is unchanged, shared results.

Each fast path is checked against the plain version: the board report's charts (drawn outside
``charts.preview()``) are byte-identical before and after a preview; that a live chart records
what matplotlib draws is checked in ``tests/render/test_livesvg.py``.
"""

from __future__ import annotations

import copy
import re

import pytest

from gnsanalysis.render import charts
from gnsanalysis.scenarios import app
from gnsanalysis.scenarios import state as st
from gnsanalysis.scenarios.api import SharedResults, compare_scenarios
from gnsanalysis.scenarios.explore import DEFAULT_STATE

LABELS = ["Nuläget", "S1 Gemensam hall (Krokom)", "S3 Molntjänst"]


def _draw():
    return charts.stacked_bars(LABELS, [("Budget", [10.2, 8.1, 9.3]), ("Risk", [1.2, 0.4, 0.8])],
                               alt="Tre staplar.", caption="Kostnad.")


def test_board_chart_bytes_unchanged_by_a_preview():
    before = str(_draw())
    with charts.preview():
        live = _draw()
    assert str(_draw()) == before
    assert str(live) != before


def test_preview_ends_after_an_error():
    before = str(_draw())
    with pytest.raises(RuntimeError), charts.preview():
        raise RuntimeError("x")
    assert str(_draw()) == before


def test_derived_frames_share_the_results_instead_of_copying():
    cmp = compare_scenarios(scenarios=["S0", "S3"])
    assert isinstance(cmp.attrs["results"], SharedResults)
    derived = cmp[cmp["feasible"]]
    assert derived.attrs["results"] is cmp.attrs["results"]
    assert copy.deepcopy(cmp.attrs)["results"] is cmp.attrs["results"]
    assert derived.attrs["labels"] is not cmp.attrs["labels"]  # the other attrs are still copied


@pytest.fixture
def base_state():
    return st.check_selection(dict(DEFAULT_STATE))


def test_key_change_redraws_only_the_party_chart(base_state):
    app._CHARTS.clear()
    first = app.compute(base_state, "S1", n_draws=200)
    app.charts_html(first)
    drawn = dict(app._CHARTS)
    other = "equal" if base_state["allocation_key"] != "equal" else "population"
    second = app.compute(dict(base_state, allocation_key=other), "S1", n_draws=200)
    app.charts_html(second)
    new = {k: v for k, v in app._CHARTS.items() if k not in drawn}
    assert [k[0] for k in new] == ["parties"]


def test_live_charts_are_previews_of_the_board_functions(base_state):
    app._CHARTS.clear()
    view = app.compute(base_state, "S1", n_draws=200)
    out = app.charts_html(view)
    images = re.findall(r'src="data:image/svg\+xml;base64,', out)
    assert len(images) == 4
    with charts.preview():
        from gnsanalysis.scenarios import views

        expected = views.cost_chart(views.ItReport(view.result))
    assert str(expected) in out
