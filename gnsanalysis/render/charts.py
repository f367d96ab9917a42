"""Charts for the board: matplotlib (Agg) → PNG embedded with a Swedish alt text.

Colours are from a colour-blind-safe palette with sufficient contrast, and meaning is never
carried by colour alone: bars also carry signed value labels and hatching.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

from gnsanalysis.render import livesvg  # noqa: E402
from gnsanalysis.render.html import Fragment, figure  # noqa: E402
from gnsanalysis.swedish import format as fmt  # noqa: E402

BLUE = "#00466e"
GREY = "#8c8c8c"
GOOD = "#1d5e20"
BAD = "#9b1c1c"
NEUTRAL = "#4a4a4a"

plt.rcParams.update({
    "font.size": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "svg.hashsalt": "gns",
})


DPI = 110
_PREVIEW = [False]  # set inside ``preview()``


@contextmanager
def preview() -> Iterator[None]:
    """Charts drawn in this block are for a live view (the explorer while it is used).

    The same chart functions make the same calls with the same data, on a light SVG surface
    (:mod:`gnsanalysis.render.livesvg`) instead of matplotlib: the same bars, labels, ticks and
    colours in a millisecond instead of a tenth of a second, laid out less finely. The board
    report's charts are drawn outside this block and stay byte-identical PNGs.
    """
    before = _PREVIEW[0]
    _PREVIEW[0] = True
    try:
        yield
    finally:
        _PREVIEW[0] = before


def _image(fig) -> tuple[bytes, str]:
    """The figure as image bytes and their MIME type (an SVG for a live chart, else a PNG)."""
    if isinstance(fig, livesvg.Axes):
        return fig.svg().encode("utf-8"), "image/svg+xml"
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, bbox_inches="tight", metadata={"Software": None})
    plt.close(fig)
    return buf.getvalue(), "image/png"


def _axis_number(x: float, _pos=None) -> str:
    """A value-axis tick in Swedish: as many decimals as the tick needs (0, 1 or 2)."""
    return fmt.number(x, fmt.decimals_needed(x, most=2))


def _rows(n: int, per_row: float, extra: float) -> tuple[Any, Any, list[int]]:
    """A figure for ``n`` horizontal rows read top to bottom: ``fig, ax`` and the rows' y positions."""
    size = (7.0, per_row * n + extra)
    if _PREVIEW[0]:
        live = livesvg.Axes(size)
        return live, live, list(range(n))[::-1]
    fig, ax = plt.subplots(figsize=size)
    return fig, ax, list(range(n))[::-1]


def _label(ax, x: float, y: float, text: str, dx: float = 4) -> None:
    """A value label beside the end of a bar (left of it when ``dx`` is negative)."""
    ax.annotate(text, (x, y), xytext=(dx, 0), textcoords="offset points", va="center",
                ha="left" if dx >= 0 else "right", fontsize=8)


def _finish(fig, ax, ys, labels, unit: str, *, alt: str, caption: str, zero_line: bool = True,
            legend: dict | None = None, margins: dict | None = None, **ticks) -> Fragment:
    """Row labels, a zero line, Swedish numbers on the value axis, legend and margins, then the embedded figure."""
    ax.set_yticks(ys, labels, **ticks)
    if zero_line:
        ax.axvline(0, color=NEUTRAL, linewidth=0.8)
    ax.xaxis.set_major_formatter(FuncFormatter(_axis_number))
    ax.set_xlabel(unit)
    if legend is not None:
        ax.legend(frameon=False, **legend)
    if margins is not None:
        ax.margins(**margins)
    return figure(*_image(fig), alt=alt, caption=caption)


def budget_vs_outcome(labels: Sequence[str], budget: Sequence[float], outcome: Sequence[float], *,
                      alt: str, caption: str, unit: str = "tkr") -> Fragment:
    """Horizontal paired bars per row: budget (hatched grey) and outcome (solid blue)."""
    fig, ax, ys = _rows(len(labels), 0.55, 1.2)
    h = 0.38
    ax.barh([y + h / 2 for y in ys], budget, height=h, color="white", edgecolor=GREY, hatch="///",
            label="Budget")
    ax.barh([y - h / 2 for y in ys], outcome, height=h, color=BLUE, label="Utfall")
    for y, o in zip(ys, outcome):
        _label(ax, o, y - h / 2, fmt.number(o), 4 if o >= 0 else -4)
    return _finish(fig, ax, ys, labels, unit, alt=alt, caption=caption, legend={"loc": "lower right"},
                   margins={"x": 0.18})


def waterfall(start: tuple[str, float], steps: Sequence[tuple[str, float]], end: tuple[str, float], *,
              alt: str, caption: str, unit: str = "tkr") -> Fragment:
    """Horizontal waterfall from a starting total through signed steps to the end total.

    Rows read top to bottom; each step bar starts where the previous one ended, is green and
    solid when positive, red and cross-hatched when negative, and carries its signed value.
    """
    labels = [start[0]] + [s[0] for s in steps] + [end[0]]
    fig, ax, ys = _rows(len(labels), 0.42, 1.1)
    ax.barh(ys[0], start[1], color=GREY, edgecolor=NEUTRAL, height=0.6)
    _label(ax, max(0, start[1]), ys[0], fmt.number(start[1]))
    level = start[1]
    for y, (_label_text, value) in zip(ys[1:-1], steps):
        colour, hatch = (GOOD, "") if value >= 0 else (BAD, "xx")
        ax.barh(y, value, left=level, color=colour, hatch=hatch, edgecolor="white", height=0.6)
        _label(ax, max(level, level + value), y, fmt.number(value, signed=True))
        level += value
    ax.barh(ys[-1], end[1], color=BLUE, height=0.6)
    _label(ax, max(0, end[1]), ys[-1], fmt.number(end[1]))
    return _finish(fig, ax, ys, labels, unit, alt=alt, caption=caption, margins={"x": 0.15})


def bars(labels: Sequence[str], values: Sequence[float], *, alt: str, caption: str, unit: str = "tkr",
         signed: bool = False) -> Fragment:
    """Simple horizontal bars with value labels (signed colours + hatching when ``signed``)."""
    fig, ax, ys = _rows(len(labels), 0.45, 1.0)
    for y, v in zip(ys, values):
        colour, hatch = ((GOOD, "") if v >= 0 else (BAD, "xx")) if signed else (BLUE, "")
        ax.barh(y, v, color=colour, hatch=hatch, edgecolor="white")
        _label(ax, v, y, fmt.number(v, signed=signed), 4 if v >= 0 else -4)
    return _finish(fig, ax, ys, labels, unit, alt=alt, caption=caption, margins={"x": 0.2})


def stacked_bars(labels: Sequence[str], series: Sequence[tuple[str, Sequence[float]]], *, alt: str,
                 caption: str, unit: str = "mnkr") -> Fragment:
    """Horizontal stacked bars (first series solid blue, second hatched grey) with totals."""
    n = len(labels)
    fig, ax, ys = _rows(n, 0.55, 1.3)
    left = [0.0] * n
    styles: list[dict[str, Any]] = [dict(color=BLUE), dict(color="white", edgecolor=NEUTRAL, hatch="///"),
                                    dict(color=GREY, edgecolor=NEUTRAL)]
    for (name, values), style in zip(series, styles):
        ax.barh(ys, values, left=left, height=0.6, label=name, **style)
        left = [a + b for a, b in zip(left, values)]
    for y, total in zip(ys, left):
        _label(ax, total, y, fmt.number(total, 1))
    return _finish(fig, ax, ys, labels, unit, alt=alt, caption=caption, zero_line=False, margins={"x": 0.12},
                   legend={"loc": "lower left", "bbox_to_anchor": (0, 1.0), "ncol": len(series), "fontsize": 8})


def ranges(labels: Sequence[str], low: Sequence[float], mid: Sequence[float], high: Sequence[float], *,
           alt: str, caption: str, unit: str) -> Fragment:
    """One line per row from low to high with a marker at the middle value (P10–P50–P90)."""
    fig, ax, ys = _rows(len(labels), 0.5, 1.2)
    for y, lo, m, hi in zip(ys, low, mid, high):
        ax.plot([lo, hi], [y, y], color=BLUE, linewidth=3, solid_capstyle="butt")
        ax.plot([m], [y], marker="D", color="white", markeredgecolor=NEUTRAL, markersize=7)
        _label(ax, hi, y, fmt.number(m, 1), 5)
    return _finish(fig, ax, ys, labels, unit, alt=alt, caption=caption, zero_line=False,
                   margins={"x": 0.1, "y": 0.15})


def tornado(labels: Sequence[str], low: Sequence[float], high: Sequence[float], base: float, *, alt: str,
            caption: str, unit: str) -> Fragment:
    """Tornado: for each input, the outcome at its low (solid) and high (hatched) value around the base."""
    fig, ax, ys = _rows(len(labels), 0.6, 1.3)
    for y, lo, hi in zip(ys, low, high):
        ax.barh(y, lo - base, left=base, height=0.6, color=BLUE, label="Lågt värde" if y == ys[0] else None)
        ax.barh(y, hi - base, left=base, height=0.6, color="white", edgecolor=NEUTRAL, hatch="///",
                label="Högt värde" if y == ys[0] else None)
    ax.axvline(base, color=NEUTRAL, linewidth=1)
    ax.axvline(0, color=BAD, linewidth=1, linestyle="--", label="Lika dyrt som nuläget")
    return _finish(fig, ax, ys, [textwrap.fill(label, 34) for label in labels], unit, alt=alt, caption=caption,
                   zero_line=False, legend={"loc": "lower left", "bbox_to_anchor": (0, 1.0), "ncol": 3, "fontsize": 8},
                   fontsize=8)
