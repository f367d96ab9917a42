"""The explorer's live charts: the board's chart functions on the light SVG surface, checked against matplotlib.

Each chart function is called twice with the same data, once as for the board (matplotlib) and
once inside ``charts.preview()`` (``livesvg.Axes``); what the surface recorded must be what
matplotlib drew: the same bars, value labels, row labels, legend entries, axis limits and ticks.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from gnsanalysis.render import charts, livesvg

ROWS = ["Nuläget", "S1 Gemensam hall (Krokom)", "S3 Molntjänst"]
CASES = {
    "stacked": lambda: charts.stacked_bars(ROWS, [("Budget", [10.2, 8.1, 9.3]), ("Risk", [1.2, 0.4, 0.8])],
                                           alt="a", caption="c"),
    "bars": lambda: charts.bars(["Berg", "Bräcke", "Östersund"], [5260, 4445, 26078], alt="a", caption="c"),
    "signed": lambda: charts.bars(["a", "b", "c", "d"], [-120.4, 35.0, 0.0, 410.2], alt="a", caption="c",
                                  signed=True),
    "negative": lambda: charts.bars(["a", "b"], [-3.0, -7.5], alt="a", caption="c"),
    "ranges": lambda: charts.ranges(ROWS[:2], [56.1, 51.0], [67.4, 59.9], [70.2, 66.0], alt="a", caption="c",
                                    unit="mnkr"),
    "tornado": lambda: charts.tornado(["Elpris allt inräknat (spot, nät, skatt, avgifter)", "Hyra", "Fiber"],
                                      [-9.1, -7.9, -7.7], [-4.2, -6.3, -7.0], -7.5, alt="a", caption="c",
                                      unit="mnkr, S1 minus nuläget"),
    "tornado-crossing": lambda: charts.tornado(["x", "y"], [-2.0, -1.0], [1.5, 0.5], -0.2, alt="a", caption="c",
                                               unit="mnkr"),
}
IMAGE = charts._image  # the real one, before any test replaces it


def _drawn(monkeypatch, draw, live: bool):
    seen = []

    def keep(fig):
        seen.append(fig if live else fig.axes[0])
        if not live:  # read matplotlib's view before the figure is closed
            ax = fig.axes[0]
            seen.append((ax.get_xlim(), ax.get_ylim(), list(ax.get_xticks())))
        return IMAGE(fig)

    monkeypatch.setattr(charts, "_image", keep)
    if live:
        with charts.preview():
            fragment = draw()
    else:
        fragment = draw()
    return seen, str(fragment)


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_live_chart_records_what_matplotlib_draws(monkeypatch, case):
    (ax, (xlim, ylim, xticks)), board = _drawn(monkeypatch, CASES[case], live=False)
    (live,), page = _drawn(monkeypatch, CASES[case], live=True)
    assert "image/png" in board and "image/svg+xml" in page
    bars = [v for p in ax.patches for v in (p.get_x(), p.get_y(), p.get_width(), p.get_height())]
    assert [v for b in live.bars for v in (b.left, b.y - b.height / 2, b.width, b.height)] == pytest.approx(bars)
    assert [n["text"] for n in live.notes] == [t.get_text() for t in ax.texts]
    assert live.rows[1] == [t.get_text() for t in ax.get_yticklabels()]
    legend = ax.get_legend()
    assert [label for label, _ in live.legend_items] == ([t.get_text() for t in legend.get_texts()] if legend else [])
    assert live.xlim() == pytest.approx(xlim)
    assert live.ylim() == pytest.approx(ylim)
    lo, hi = xlim
    assert live.xticks() == pytest.approx([t for t in xticks if lo - 1e-9 <= t <= hi + 1e-9])
    assert live.xlabel == ax.get_xlabel()


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_live_chart_is_well_formed_svg_with_every_text(monkeypatch, case):
    (live,), _ = _drawn(monkeypatch, CASES[case], live=True)
    assert isinstance(live, livesvg.Axes)
    root = ET.fromstring(live.svg())
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    for label in live.rows[1]:
        for line in label.split("\n"):
            assert line in texts
    assert all(n["text"] in texts for n in live.notes)
    assert live.xlabel in texts
    patterns = {p.get("id") for p in root.iter("{http://www.w3.org/2000/svg}pattern")}
    used = {r.get("fill")[5:-1] for r in root.iter("{http://www.w3.org/2000/svg}rect") if r.get("fill", "").startswith("url(")}
    assert used <= patterns and bool(used) == any(b.hatch for b in live.bars)
