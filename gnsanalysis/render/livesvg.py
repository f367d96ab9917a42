"""A light drawing surface for the explorer's live charts: the board's chart functions, drawn as SVG.

The board report's charts (:mod:`gnsanalysis.render.charts`) are drawn by matplotlib, which
takes about 100 ms per chart on the committee's machines: too slow for four charts redrawn while
the e-strategist drags a slider. Inside ``charts.preview()`` the same chart functions, with the
same calls and data, draw on :class:`Axes` instead. It records the few Axes calls the chart
functions make (``barh``, ``plot``, ``annotate``, ``axvline``, ``set_yticks``, ``set_xlabel``,
``legend``, ``margins``) and writes an SVG in about a millisecond.

What is the same as on the board: the bars, lines and markers at the same data positions, the
colours and hatching, the value labels, the row labels, the value axis's limits (data limits,
margins and matplotlib's "sticky" bar bases) and its ticks (matplotlib's own ``MaxNLocator``),
the unit and the legend entries. What differs: the layout around the plot (label margins are
estimated from the text length) and the text is drawn by the browser. ``tests/render`` checks
every chart function against its matplotlib version.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from markupsafe import escape
from matplotlib.ticker import MaxNLocator

FONT = "DejaVu Sans, Verdana, sans-serif"
TICK_FONT = 10.0
MARGIN = 0.05  # matplotlib's default axes.xmargin and axes.ymargin
HATCHES = {"///": "M0,8 L8,0 M-2,2 L2,-2 M6,10 L10,6", "xx": "M0,0 L8,8 M0,8 L8,0"}


@dataclass
class Bar:
    """One horizontal bar: from ``left`` to ``left + width`` around row ``y``."""
    y: float
    width: float
    left: float
    height: float
    color: str
    edgecolor: str | None
    hatch: str


@dataclass
class Axis:
    """The value axis's formatter (``ax.xaxis.set_major_formatter``)."""
    formatter: Callable = str

    def set_major_formatter(self, formatter: Callable) -> None:
        """Format tick values with ``formatter(value, position)``."""
        self.formatter = formatter


def _listed(value, n: int) -> list:
    return list(value) if isinstance(value, (list, tuple)) else [value] * n


@dataclass
class Axes:
    """The subset of matplotlib's Axes that the board's chart functions use, recorded for an SVG."""
    figsize: tuple[float, float]
    bars: list[Bar] = field(default_factory=list)
    lines: list[dict] = field(default_factory=list)  # data lines and markers
    vlines: list[dict] = field(default_factory=list)
    notes: list[dict] = field(default_factory=list)  # value labels
    legend_items: list[tuple[str, dict]] = field(default_factory=list)
    rows: tuple[list, list, float] = ([], [], TICK_FONT)
    xlabel: str = ""
    margin: dict = field(default_factory=lambda: {"x": MARGIN, "y": MARGIN})
    legend_at: dict | None = None
    xaxis: Axis = field(default_factory=Axis)

    def barh(self, y, width, left=0.0, height=0.8, *, color: str, edgecolor: str | None = None,
             hatch: str = "", label: str | None = None) -> None:
        """Horizontal bars (``y``, ``width`` and ``left`` each a value or one per bar)."""
        ys = _listed(y, 1)
        for yi, w, lf in zip(ys, _listed(width, len(ys)), _listed(left, len(ys))):
            self.bars.append(Bar(yi, w, lf, height, color, edgecolor, hatch))
        if label:
            self.legend_items.append((label, {"bar": self.bars[-1]}))

    def plot(self, xs, ys, *, color: str, linewidth: float = 1.5, marker: str | None = None,
             markeredgecolor: str | None = None, markersize: float = 6, **_style) -> None:
        """A line through the points, or markers at them when ``marker`` is given."""
        self.lines.append({"x": list(xs), "y": list(ys), "color": color, "width": linewidth,
                           "marker": marker, "edge": markeredgecolor, "size": markersize})

    def annotate(self, text: str, xy, *, xytext=(0, 0), ha: str = "left", fontsize: float = 10, **_how) -> None:
        """A text ``xytext`` points from the data point ``xy``."""
        self.notes.append({"text": text, "x": xy[0], "y": xy[1], "dx": xytext[0], "ha": ha, "size": fontsize})

    def axvline(self, x: float, *, color: str, linewidth: float = 1, linestyle: str = "-",
                label: str | None = None) -> None:
        """A vertical line across the plot at ``x``."""
        self.vlines.append({"x": x, "color": color, "width": linewidth, "dash": linestyle == "--"})
        if label:
            self.legend_items.insert(0, (label, {"line": self.vlines[-1]}))  # lines before bars, as matplotlib

    def set_yticks(self, ys, labels, fontsize: float = TICK_FONT) -> None:
        """Row positions and their labels."""
        self.rows = (list(ys), list(labels), fontsize)

    def set_xlabel(self, text: str) -> None:
        """The value axis's label (the unit)."""
        self.xlabel = text

    def legend(self, *, frameon: bool = False, loc: str = "best", bbox_to_anchor=None, **how) -> None:
        """A legend: above the plot when anchored at its top, else in its lower right corner."""
        self.legend_at = {"above": bbox_to_anchor is not None, "size": how.get("fontsize", TICK_FONT)}

    def margins(self, x: float | None = None, y: float | None = None) -> None:
        """Margins around the data, as fractions of its span."""
        self.margin = {"x": self.margin["x"] if x is None else x, "y": self.margin["y"] if y is None else y}

    # --- limits and ticks, as matplotlib computes them ------------------------------------
    def xlim(self) -> tuple[float, float]:
        """The value axis's limits: data limits, margins, not crossing a bar's base."""
        xs = ([b.left for b in self.bars] + [b.left + b.width for b in self.bars]
              + [x for line in self.lines for x in line["x"]] + [v["x"] for v in self.vlines])
        return _limits(xs, self.margin["x"], sorted({b.left for b in self.bars}))

    def ylim(self) -> tuple[float, float]:
        """The row axis's limits."""
        ys = ([b.y - b.height / 2 for b in self.bars] + [b.y + b.height / 2 for b in self.bars]
              + [y for line in self.lines for y in line["y"]])
        return _limits(ys, self.margin["y"], [])

    def xticks(self) -> list[float]:
        """The value axis's ticks inside its limits (matplotlib's AutoLocator rule)."""
        lo, hi = self.xlim()
        ticks = MaxNLocator(nbins=9, steps=[1, 2, 2.5, 5, 10]).tick_values(lo, hi)
        tol = (hi - lo) * 1e-10
        return [float(t) for t in ticks if lo - tol <= t <= hi + tol]

    def svg(self) -> str:
        """The chart as a standalone SVG document."""
        return _Canvas(self).draw()


def _limits(values: Sequence[float], margin: float, sticky: Sequence[float]) -> tuple[float, float]:
    """Data limits widened by ``margin`` of their span, never past a sticky value (matplotlib's autoscale)."""
    lo, hi = (min(values), max(values)) if values else (0.0, 1.0)
    if lo == hi:
        lo, hi = (lo - 0.05 * abs(lo), hi + 0.05 * abs(hi)) if lo else (-0.05, 0.05)
    tol = 1e-5 * (hi - lo)
    lo_bound = max((s for s in sticky if s <= lo + tol), default=None)
    hi_bound = min((s for s in sticky if s >= hi - tol), default=None)
    delta = (hi - lo) * margin
    lo, hi = lo - delta, hi + delta
    return (lo if lo_bound is None else max(lo, lo_bound), hi if hi_bound is None else min(hi, hi_bound))


class _Canvas:
    """Lays out and writes one :class:`Axes` as SVG (user units are points)."""

    def __init__(self, ax: Axes):
        self.ax = ax
        ys, labels, size = ax.rows
        lines = [line for label in labels for line in str(label).split("\n")]
        self.left = 12 + 0.58 * size * max((len(s) for s in lines), default=0)
        self.top = 24.0 if ax.legend_at and ax.legend_at["above"] else 8.0
        # the plot keeps matplotlib's axes size (subplot box 0.775 × 0.77 of the figure) and the
        # picture grows around it, as the board's ``bbox_inches="tight"`` does
        self.right = self.left + 0.775 * ax.figsize[0] * 72
        self.bottom = self.top + 0.77 * ax.figsize[1] * 72
        self.width, self.height = self.right + 14, self.bottom + 36
        self.x0, self.x1 = ax.xlim()
        self.y0, self.y1 = ax.ylim()
        self.out: list[str] = []

    def X(self, x: float) -> float:
        return self.left + (x - self.x0) / (self.x1 - self.x0) * (self.right - self.left)

    def Y(self, y: float) -> float:
        return self.top + (self.y1 - y) / (self.y1 - self.y0) * (self.bottom - self.top)

    def text(self, x: float, y: float, s: str, size: float, anchor: str = "start") -> None:
        self.out.append(f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size:g}" text-anchor="{anchor}" '
                        f'dominant-baseline="central">{escape(s)}</text>')

    def rect(self, x: float, y: float, w: float, h: float, bar: Bar) -> None:
        fill = f"url(#{_pattern_id(bar)})" if bar.hatch else bar.color
        edge = f' stroke="{bar.edgecolor}" stroke-width="0.8"' if bar.edgecolor else ""
        self.out.append(f'<rect x="{x:.2f}" y="{y:.2f}" width="{w:.2f}" height="{h:.2f}" fill="{fill}"{edge}/>')

    def draw(self) -> str:
        ax = self.ax
        for bar in ax.bars:
            a, b = sorted((self.X(bar.left), self.X(bar.left + bar.width)))
            self.rect(a, self.Y(bar.y + bar.height / 2), b - a, self.Y(bar.y - bar.height / 2) - self.Y(bar.y + bar.height / 2), bar)
        for line in ax.lines:
            self._line(line)
        for v in ax.vlines:
            dash = ' stroke-dasharray="3.7,1.6"' if v["dash"] else ""
            self.out.append(f'<line x1="{self.X(v["x"]):.2f}" x2="{self.X(v["x"]):.2f}" y1="{self.top}" '
                            f'y2="{self.bottom}" stroke="{v["color"]}" stroke-width="{v["width"]}"{dash}/>')
        for n in ax.notes:
            self.text(self.X(n["x"]) + (n["dx"] if n["ha"] == "left" else -abs(n["dx"])), self.Y(n["y"]),
                      n["text"], n["size"], "start" if n["ha"] == "left" else "end")
        self._axes()
        self._legend()
        return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{self.width:.0f}pt" height="{self.height:.0f}pt" '
                f'viewBox="0 0 {self.width:.1f} {self.height:.1f}" font-family="{FONT}" fill="#000">'
                f"<defs>{''.join(self._patterns())}</defs>" + "".join(self.out) + "</svg>")

    def _line(self, line: dict) -> None:
        pts = [(self.X(x), self.Y(y)) for x, y in zip(line["x"], line["y"])]
        if line["marker"]:
            r = line["size"] / 2
            for x, y in pts:
                self.out.append(f'<path d="M{x:.2f},{y - r:.2f} L{x + r:.2f},{y:.2f} L{x:.2f},{y + r:.2f} '
                                f'L{x - r:.2f},{y:.2f} Z" fill="{line["color"]}" stroke="{line["edge"] or line["color"]}"/>')
        else:
            d = " L".join(f"{x:.2f},{y:.2f}" for x, y in pts)
            self.out.append(f'<path d="M{d}" fill="none" stroke="{line["color"]}" stroke-width="{line["width"]}"/>')

    def _axes(self) -> None:
        ax = self.ax
        self.out.append(f'<path d="M{self.left:.2f},{self.top} L{self.left:.2f},{self.bottom:.2f} '
                        f'L{self.right:.2f},{self.bottom:.2f}" fill="none" stroke="#000" stroke-width="0.8"/>')
        for i, t in enumerate(ax.xticks()):
            x = self.X(t)
            self.out.append(f'<line x1="{x:.2f}" x2="{x:.2f}" y1="{self.bottom:.2f}" y2="{self.bottom + 3.5:.2f}" '
                            'stroke="#000" stroke-width="0.8"/>')
            self.text(x, self.bottom + 11, ax.xaxis.formatter(t, i), TICK_FONT, "middle")
        self.text((self.left + self.right) / 2, self.bottom + 28, ax.xlabel, TICK_FONT, "middle")
        ys, labels, size = ax.rows
        for y, label in zip(ys, labels):
            parts = str(label).split("\n")
            for k, part in enumerate(parts):
                self.text(self.left - 6, self.Y(y) + (k - (len(parts) - 1) / 2) * size * 1.15, part, size, "end")

    def _legend(self) -> None:
        where = self.ax.legend_at
        if where is None:
            return
        size = where["size"]
        x, y = (self.left, 10.0) if where["above"] else (self.right - 150, self.bottom - 14 * len(self.ax.legend_items))
        for label, handle in self.ax.legend_items:
            if "bar" in handle:
                self.rect(x, y - 4, 16, 8, handle["bar"])
            else:
                line = handle["line"]
                dash = ' stroke-dasharray="3.7,1.6"' if line["dash"] else ""
                self.out.append(f'<line x1="{x}" x2="{x + 16}" y1="{y}" y2="{y}" stroke="{line["color"]}" '
                                f'stroke-width="{line["width"]}"{dash}/>')
            self.text(x + 21, y, label, size)
            if where["above"]:
                x += 30 + 0.58 * size * len(label)
            else:
                y += 14

    def _patterns(self) -> list[str]:
        seen = {}
        for bar in self.ax.bars:
            if bar.hatch:
                seen[_pattern_id(bar)] = (f'<pattern id="{_pattern_id(bar)}" patternUnits="userSpaceOnUse" width="8" height="8">'
                             f'<rect width="8" height="8" fill="{bar.color}"/><path d="{HATCHES.get(bar.hatch, HATCHES["///"])}" '
                             f'stroke="{bar.edgecolor or "#000"}" stroke-width="1"/></pattern>')
        return list(seen.values())


def _pattern_id(bar: Bar) -> str:
    """The id of the SVG pattern for a hatched bar: its hatch, hatch colour and fill."""
    return "-".join(("x" if bar.hatch == "xx" else "d", *((c or "none").lstrip("#") for c in (bar.edgecolor, bar.color))))
