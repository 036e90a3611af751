"""Every word of a report chart is drawn inside the chart: the titles of the Kent districts
charts once ran off the right edge, clipped, because they started after the district names.
Drawn with the catalogue's longest measure names and the real district names."""

from __future__ import annotations

import csv

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

from pipelines import settings
from pipelines.reporting import charts
from pipelines.reporting.content import DistrictValue, SeriesPoint

SEEDS = settings.REPO_ROOT / "dbt_project" / "seeds"


def _rows(seed: str) -> list[dict[str, str]]:
    with (SEEDS / f"{seed}.csv").open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _longest_measure_names(count: int = 3) -> list[str]:
    names = sorted({row["measure_name"] for row in _rows("measure_catalogue")}, key=len)
    return names[-count:]


def _districts() -> list[DistrictValue]:
    """The Kent districts with made-up values (only the layout is checked here)."""
    kent = [row for row in _rows("areas") if row["is_kent_district"].lower() == "true"]
    return [
        DistrictValue(row["area_code"], row["area_name"], 1000.0 + 731.0 * index)
        for index, row in enumerate(kent)
    ]


def _drawn_outside(figure) -> list[str]:
    """Which edges of the figure the drawn artists (titles, labels, bars) cross: the tight
    box matplotlib computes from what it actually drew, against the figure's own box."""
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    drawn = figure.get_tightbbox(canvas.get_renderer())
    page = figure.bbox_inches
    tolerance = 0.01
    edges = {
        "left": drawn.x0 < page.x0 - tolerance,
        "right": drawn.x1 > page.x1 + tolerance,
        "bottom": drawn.y0 < page.y0 - tolerance,
        "top": drawn.y1 > page.y1 + tolerance,
    }
    return [edge for edge, crossed in edges.items() if crossed]


@pytest.mark.parametrize("measure_name", _longest_measure_names())
def test_kent_districts_chart_keeps_its_title_and_labels_inside(measure_name: str) -> None:
    districts = _districts()
    assert len(districts) == 12
    figure = charts.districts_chart(
        f"{measure_name}: Kent districts, 2021/22", "count", districts, districts[0].area_code
    )
    assert _drawn_outside(figure) == []
    assert measure_name.split()[0] in figure.get_suptitle()


@pytest.mark.parametrize("measure_name", _longest_measure_names())
def test_trend_chart_keeps_its_title_and_labels_inside(measure_name: str) -> None:
    area = _districts()[0].area_name
    points = [
        SeriesPoint(f"{year}/{year - 1999:02d}", 40.0 + year % 7) for year in range(2017, 2022)
    ]
    figure = charts.trend_chart(f"{measure_name}: {area}", "percent", points)
    assert _drawn_outside(figure) == []
