"""The monitoring report as a council prints it, checked in headless Chromium: nothing
printed over its neighbour (the Ref column once printed "Dynamic 1" over the measure) or
past the page, no chart cut off (the Kent charts' titles once were), every page numbered
"Page n of N", a contents page listing every theme with the page it starts on, and pages
that fill (cards once jumped whole to the next page, leaving two thirds of a page empty).

Skipped, saying why, where Chromium is not installed (`make test` installs Debian's
`chromium` when it can)."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest
from printed_page import Layout, PrintedPage, measure_layout, read_pdf

from pipelines.reporting import pdf
from pipelines.reporting.report import build_report

PLAN = "community_plan_2019_22"
PRINTED = [
    (PLAN, "2019/20", "public"),
    (PLAN, "2021/22", "public"),
    (PLAN, "2021/22", "internal"),
    ("community_plan_2022_32", None, "public"),
]
"""Each report printed: plan, year (None: the latest) and edition."""
TOP_MARGIN_MM, BOTTOM_MARGIN_MM = 16, 18
"""The report's printed margins: the footer with the page number sits below the bottom one."""
LEAST_FILLED = 0.6
"""How far down its text area a page runs unless a new page was asked for after it."""


@pytest.fixture(scope="module")
def chromium() -> str:
    found = pdf.find_chromium()
    if found is None:
        pytest.skip(
            "Chromium is not installed, so the printed layout cannot be checked: install "
            "Debian's `chromium` package (`make test` does when it runs as root or with sudo)"
        )
    return found


@pytest.fixture(scope="module", params=PRINTED, ids=lambda p: "-".join(filter(None, p)))
def printed(request, chromium, sample_warehouse, tmp_path_factory) -> dict:
    """The report as HTML laid out for print, and as the PDF `wellbeing report` prints,
    read back page by page."""
    assert sample_warehouse.run_success, "the sample pipeline run failed"
    plan, year, edition = request.param
    out = tmp_path_factory.mktemp("layout")
    written = {
        fmt: build_report(
            plan, year, fmt, out, warehouse=sample_warehouse.published, edition=edition
        )
        for fmt in ("html", "pdf")
    }
    page, printed_pdf = written["html"], written["pdf"]
    assert printed_pdf.renderer == "chromium"
    return {
        "plan": plan,
        "year": year,
        "layout": measure_layout(chromium, page.path),
        "pdf": printed_pdf.path,
        "pages": read_pdf(printed_pdf.path, TOP_MARGIN_MM, BOTTOM_MARGIN_MM),
    }


def _themes(published: Path, year: str) -> list[str]:
    with duckdb.connect(str(published), read_only=True) as con:
        rows = con.execute(
            "select distinct theme from marts.measure_status where plan = ? and report_year = ?",
            [PLAN, year],
        ).fetchall()
    return sorted(theme for (theme,) in rows)


def test_nothing_is_printed_over_its_neighbour_or_past_the_page(printed) -> None:
    layout: Layout = printed["layout"]
    assert layout.overflowing == []


def test_no_chart_is_cut_off(printed) -> None:
    assert printed["layout"].clipped_charts == []


def test_every_page_is_numbered_n_of_the_total(printed) -> None:
    pages: list[PrintedPage] = printed["pages"]
    assert len(pages) > len(printed["layout"].sections)
    for page in pages:
        assert f"Page {page.number} of {len(pages)}" in page.text


def test_the_contents_page_lists_every_theme_with_the_page_it_starts_on(
    printed, sample_warehouse
) -> None:
    pages: list[PrintedPage] = printed["pages"]
    cover = pages[0].text.replace("\r\n", "\n")
    assert "Contents" in cover
    listed = {
        found[1]: int(found[2])
        for found in re.finditer(r"^(.+?) (\d+)$", cover.split("Contents", 1)[1], re.M)
    }
    if printed["plan"] == PLAN:
        themes = _themes(sample_warehouse.published, printed["year"])
        assert themes and set(themes) <= set(listed)
    started = pdf.section_pages(printed["pdf"])
    for section in printed["layout"].sections:
        if section["id"] == "contents":
            continue
        number = listed[section["heading"]]
        assert number == started[section["id"]], section["heading"]
        assert section["heading"] in pages[number - 1].text.replace("\r\n", " ")
    assert list(listed.values()) == sorted(listed.values())


def test_pages_fill_unless_a_new_page_follows(printed) -> None:
    """The page before a section that starts a new page (the summary, each appendix) and
    the last page may end early; every other page runs most of the way down."""
    pages: list[PrintedPage] = printed["pages"]
    started = pdf.section_pages(printed["pdf"])
    before_new_page = {
        started[section["id"]] - 1 for section in printed["layout"].sections if section["newPage"]
    }
    short = [
        (page.number, round(page.filled, 2))
        for page in pages[:-1]
        if page.number not in before_new_page and page.filled < LEAST_FILLED
    ]
    assert short == []


def test_the_checks_see_the_faults_they_look_for(chromium, tmp_path) -> None:
    """A ref wider than its fixed column, a heading that cannot wrap, a table wider than the
    page and a chart drawn beyond its frame are each reported, so the checks above can fail."""
    page = tmp_path / "faults.html"
    page.write_text(
        "<!DOCTYPE html><html><body><main style='width:300px'>"
        "<table style='table-layout:fixed;width:300px'><tr>"
        "<td style='width:20px;white-space:nowrap'>Dynamic 1</td><td>text</td></tr></table>"
        "<h2 style='white-space:nowrap'>" + "A heading far too long for the page " * 3 + "</h2>"
        "<table style='width:500px'><tr><td>Achieved or on target</td></tr></table>"
        "<svg viewBox='0 0 100 50' width='100' height='50'><title>Kent districts</title>"
        "<text x='60' y='20' font-size='20'>A title running off</text></svg>"
        "</main></body></html>",
        encoding="utf-8",
    )
    layout = measure_layout(chromium, page)
    assert any(fault.startswith("td: Dynamic 1") for fault in layout.overflowing)
    assert any(fault.startswith("h2: A heading") for fault in layout.overflowing)
    assert "past the page: td: Achieved or on target" in layout.overflowing
    assert layout.clipped_charts == ["Kent districts"]
