"""The report's charts: a measure's trend over the years, and the Kent districts compared.

Charts are matplotlib figures so the HTML report (as inline SVG) and the fallback PDF (drawn
straight onto its pages) show the same picture. Text is drawn as outlines, so the SVG needs
no font, and the namespace and metadata lines matplotlib writes are removed, so the report
holds no web address at all.
"""

from __future__ import annotations

import io
import re
import textwrap

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from pipelines.reporting import wording
from pipelines.reporting.content import DistrictValue, SeriesPoint

INK = "#1f2a30"
ACCENT = "#00594f"
HIGHLIGHT = "#e07b00"
MUTED = "#b7c3c9"
GRID = "#dde3e6"

plt.rcParams.update(
    {
        "font.family": "DejaVu Sans",
        "font.size": 9,
        "axes.edgecolor": MUTED,
        "axes.labelcolor": INK,
        "xtick.color": INK,
        "ytick.color": INK,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "svg.fonttype": "path",
        "svg.hashsalt": "wellbeing-report",
    }
)


def _axis_formatter(unit: str) -> FuncFormatter:
    def label(value: float, _position: int) -> str:
        if unit == "percent":
            return f"{value:g}%"
        if unit == "pounds":
            return f"£{value:,.0f}"
        return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"

    return FuncFormatter(label)


def trend_chart(title: str, unit: str, points: list[SeriesPoint]) -> Figure:
    """The district's figure for each period, oldest first, the latest labelled."""
    shown = [p for p in points if p.value is not None]
    figure = Figure(figsize=(5.2, 2.5), dpi=100, layout="constrained")
    axes = figure.add_subplot()
    labels = [p.period_id for p in shown]
    values = [p.value for p in shown]
    axes.plot(labels, values, color=ACCENT, linewidth=2, marker="o", markersize=4)
    for label, value in zip(labels, values, strict=True):
        axes.annotate(
            wording.format_value(value, unit),
            (label, value),
            textcoords="offset points",
            xytext=(0, 6),
            ha="center",
            fontsize=7.5,
            color=INK,
        )
    axes.set_ylim(bottom=0, top=max(values, default=1) * 1.18 or 1)
    axes.yaxis.set_major_locator(MaxNLocator(nbins=4))
    axes.yaxis.set_major_formatter(_axis_formatter(unit))
    axes.grid(axis="y", color=GRID, linewidth=0.8)
    axes.set_axisbelow(True)
    axes.tick_params(axis="x", labelsize=7.5, rotation=0)
    _title(axes, title)
    return figure


TITLE_SIZE = 9
TITLE_CHARACTER_EM = 0.72
"""Width of a bold title character, in ems: wider than DejaVu Sans Bold's average, so a
wrapped line never reaches the figure's edge."""


def _title(axes, title: str) -> None:
    """A bold title at the figure's left edge, wrapped to the figure's width.

    It belongs to the figure, not the axes: a title aligned with a bar chart's axes starts
    after the district names and ran off the right of the chart, clipped."""
    figure = axes.get_figure()
    width_points = figure.get_figwidth() * 72
    characters = int(width_points / (TITLE_SIZE * TITLE_CHARACTER_EM))
    wrapped = "\n".join(textwrap.wrap(title, width=characters))
    figure.suptitle(wrapped, x=0.01, ha="left", fontsize=TITLE_SIZE, color=INK, fontweight="bold")


def districts_chart(
    title: str, unit: str, districts: list[DistrictValue], highlight: str
) -> Figure:
    """Every Kent district's figure, lowest at the top, the district highlighted."""
    ordered = sorted(districts, key=lambda d: d.value, reverse=True)
    figure = Figure(figsize=(5.2, 3.0), dpi=100, layout="constrained")
    axes = figure.add_subplot()
    colours = [HIGHLIGHT if d.area_code == highlight else MUTED for d in ordered]
    bars = axes.barh([d.area_name for d in ordered], [d.value for d in ordered], color=colours)
    for bar, district in zip(bars, ordered, strict=True):
        axes.annotate(
            wording.format_value(district.value, unit),
            (bar.get_width(), bar.get_y() + bar.get_height() / 2),
            textcoords="offset points",
            xytext=(3, 0),
            va="center",
            fontsize=7,
            color=INK,
            fontweight="bold" if district.area_code == highlight else "normal",
        )
    for label in axes.get_yticklabels():
        if label.get_text() in {d.area_name for d in ordered if d.area_code == highlight}:
            label.set_fontweight("bold")
    axes.xaxis.set_major_locator(MaxNLocator(nbins=4))
    axes.xaxis.set_major_formatter(_axis_formatter(unit))
    axes.set_xlim(right=max((d.value for d in ordered), default=1) * 1.15 or 1)
    axes.grid(axis="x", color=GRID, linewidth=0.8)
    axes.set_axisbelow(True)
    axes.tick_params(axis="y", labelsize=7.5, length=0)
    _title(axes, title)
    return figure


_SVG_HEADER = re.compile(r"^.*?(?=<svg)", re.DOTALL)
_NAMESPACES = re.compile(r'\s+xmlns(:\w+)?="[^"]*"')
_METADATA = re.compile(r"<metadata>.*?</metadata>\s*", re.DOTALL)


def to_inline_svg(figure: Figure, description: str) -> str:
    """The figure as an `<svg>` element to place inside HTML, titled for screen readers."""
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    svg = _SVG_HEADER.sub("", buffer.getvalue(), count=1)
    svg = _METADATA.sub("", _NAMESPACES.sub("", svg))
    svg = svg.replace("<svg ", '<svg role="img" class="chart" ', 1)
    title = description.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return svg.replace(">", f"><title>{title}</title>", 1)
