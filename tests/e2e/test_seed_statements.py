"""Both seed reports regenerated from the sample publication and checked statement by
statement against what the council published (tests/data/seed_statements.csv, transcribed
from the 2019/20 and 2021/22 monitoring reports, not from the warehouse): each statement is
reproduced (figure, status, rank), or differs and the internal edition carries the finding
that says why. The public edition holds no sentence addressed to staff."""

from __future__ import annotations

import csv
import re
from html import unescape
from pathlib import Path

import pytest

from pipelines.reporting import content
from pipelines.reporting.report import build_report

PLAN = "community_plan_2019_22"
STATEMENTS = Path(__file__).parents[1] / "data" / "seed_statements.csv"


def _statements() -> list[dict[str, str]]:
    with STATEMENTS.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def reports(sample_warehouse, tmp_path_factory) -> dict[tuple[str, str], object]:
    assert sample_warehouse.run_success, "the sample pipeline run failed"
    out = tmp_path_factory.mktemp("seed-reports")
    return {
        (year, edition): build_report(
            PLAN, year, "html", out, warehouse=sample_warehouse.published, edition=edition
        )
        for year in ("2019/20", "2021/22")
        for edition in ("public", "internal")
    }


def _figure_value(measure: content.KeySuccessMeasure, measure_id: str, period: str):
    """The value the report holds for a measure and period: the printed figure, the previous
    year's beside it, or a point of its trend chart; None when it holds none."""
    for figure in measure.figures:
        if figure.measure_id != measure_id:
            continue
        shown = figure.figure
        if shown.period_id == period:
            return shown.value, figure
        if shown.previous_period_id == period:
            return shown.previous_value, figure
        for point in figure.trend:
            if point.period_id == period:
                return point.value, figure
        return None, figure
    return None, None


def _decimals(text: str) -> int:
    return len(text.split(".")[1]) if "." in text else 0


def _reproduced(value: float | None, row: dict[str, str]) -> bool:
    if value is None:
        return False
    published = float(row["figure"])
    if row["qualifier"] == "over":
        return value > published
    return round(value, _decimals(row["figure"])) == published


def _check(report: content.ReportContent, row: dict[str, str]) -> str:
    """`reproduced`, `absent`, or the reason it differs; raises on anything else."""
    if row["ref"] == "ALL":
        return (
            "reproduced"
            if round(report.overall.percent_achieved) == float(row["figure"])
            else "differs"
        )
    measure = next(m for m in report.measures if m.ref == row["ref"])
    if row["status"] and measure.status != row["status"]:
        return f"status {measure.status}"
    if not row["measure_id"]:
        return "reproduced"
    value, figure = _figure_value(measure, row["measure_id"], row["period_id"])
    if row["expected"] == "absent":
        return "absent" if value is None else f"printed {value}"
    if row["rank"]:
        ranking = figure.ranking if figure is not None else None
        side = {"lowest": "rank_lowest", "highest": "rank_highest"}[row["rank_side"]]
        if ranking is None or getattr(ranking, side) != int(row["rank"]):
            return "rank differs"
    if row["figure"] and not _reproduced(value, row):
        return "figure differs"
    return "reproduced"


@pytest.mark.parametrize(
    "row",
    _statements(),
    ids=lambda r: (
        f"{r['year']}-{r['ref']}-{r['measure_id'] or 'status'}-{r['period_id']}-{r['figure']}"
    ),
)
def test_each_seed_statement_is_reproduced_or_differs_with_a_finding(reports, row) -> None:
    internal = reports[(row["year"], "internal")].content
    outcome = _check(internal, row)
    if row["expected"] in ("reproduced", "absent"):
        assert outcome == row["expected"], (row["seed_says"], outcome)
        return
    if row["finding"] != "claim_contradicts_source":  # the figure is right, its name is not
        assert outcome != "reproduced", (row["seed_says"], "expected to differ")
    if row["finding"] == "withheld":
        measure = next(m for m in internal.measures if m.ref == row["ref"])
        figure = next(f for f in measure.figures if f.measure_id == row["measure_id"])
        assert figure.figure.is_withheld, row["seed_says"]
        return
    explained = [
        f
        for f in internal.findings
        if f.check_name == row["finding"] and f.measure_id == row["measure_id"]
    ]
    assert explained, (row["seed_says"], f"no {row['finding']} finding")


STAFF = re.compile(
    r"check the figure|record why|do not publish|\bchase\b|not for publication|action:|"
    r"days overdue|\bas of \d",
    re.IGNORECASE,
)


def _text(page: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", page)).split())


@pytest.mark.parametrize("year", ["2019/20", "2021/22"])
def test_the_public_edition_addresses_no_sentence_to_staff(reports, year) -> None:
    public = _text(reports[(year, "public")].path.read_text(encoding="utf-8"))
    internal = _text(reports[(year, "internal")].path.read_text(encoding="utf-8"))
    assert STAFF.findall(internal), "the internal edition should carry the actions"
    assert STAFF.findall(public) == []
    assert "data quality findings" not in public.lower()
    assert "Appendix A: data quality findings" in internal
    for edition in (public, internal):
        assert not re.search(r"days overdue|\(as of ", edition), "dated by the day it was made"


def test_a_running_total_is_not_compared_year_on_year(reports) -> None:
    report = reports[("2021/22", "public")].content
    kickstart = next(f for f in report.figures if f.measure_id == "kickstart_placements_approved")
    assert kickstart.figure.change is None and kickstart.figure.is_significant_95 is None
    assert kickstart.direction_of_travel == "not comparable"
    assert "not compared with the year before" in (kickstart.kind_caveat or "")


def test_tonnages_have_no_interval_and_youth_reoffending_is_a_percentage(reports) -> None:
    report = reports[("2021/22", "public")].content
    recycling = [f for f in report.figures if f.figure_kind == "ratio_of_tonnages"]
    assert recycling, "no ratio of tonnages printed in 2021/22"
    for figure in recycling:
        assert figure.figure.ci_95_lower is None and figure.figure.is_significant_95 is None
        assert figure.direction_of_travel in (
            "not tested",
            "not comparable",
            "no significant change",
        )
    earlier = reports[("2019/20", "public")].content
    reoffending = next(f for f in earlier.figures if f.measure_id == "youth_reoffending_rate")
    assert reoffending.unit == "percent" and reoffending.figure.period_type == "quarter"
    assert reoffending.figure.period_id in (reoffending.kind_caveat or "")


def test_the_method_appendix_states_each_printed_measures_rule(reports) -> None:
    report = reports[("2021/22", "public")]
    page = _text(report.path.read_text(encoding="utf-8"))
    assert "How each figure is treated" in page
    for rule in report.content.method_rules:
        assert rule.measure_name in page
        assert " ".join(rule.cells[2].split()) in page
