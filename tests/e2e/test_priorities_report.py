"""The Community Plan 2022–32's report from the sample publication: its four priorities, the
indicators mapped to each with the change since the 2021/22 baseline, and what is missing,
through the same command as the monitoring report."""

from __future__ import annotations

import csv
import re
from html import unescape
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from pipelines import settings
from pipelines.cli import main
from pipelines.reporting import priorities

PLAN = "community_plan_2022_32"
SEEDS = Path(__file__).parents[2] / "dbt_project" / "seeds"
SEED = SEEDS / "plan_priorities.csv"
CATALOGUE = SEEDS / "measure_catalogue.csv"


def escape_free(name: str) -> str:
    return " ".join(name.split())


@pytest.fixture(scope="module")
def written(sample_warehouse, tmp_path_factory):
    assert sample_warehouse.run_success, "the sample pipeline run failed"
    out = tmp_path_factory.mktemp("priorities") / "plan.html"
    result = CliRunner().invoke(
        main,
        ["report", "--plan", PLAN, "--year", "2023/24", "--output", str(out)],
        env={settings.PUBLISHED_ENV: str(sample_warehouse.published)},
    )
    assert result.exit_code == 0, result.output
    return out, sample_warehouse.published


def test_the_plan_reports_its_four_priorities_with_their_indicators(written) -> None:
    page, _ = written
    text = " ".join(unescape(re.sub(r"<[^>]+>", " ", page.read_text(encoding="utf-8"))).split())
    with SEED.open(newline="", encoding="utf-8") as handle:
        mapped = [row["measure_id"] for row in csv.DictReader(handle) if row["plan"] == PLAN]
    with CATALOGUE.open(newline="", encoding="utf-8") as handle:
        names = {row["measure_id"]: row["measure_name"] for row in csv.DictReader(handle)}
    for measure_id in mapped:
        assert escape_free(names[measure_id]) in text, measure_id
    for title in priorities.PRIORITY_TITLES.values():
        assert f" {title} Indicator " in text, title
    assert "key success measure" not in text.lower()
    assert "indicators" in text
    assert "What is missing" in text


def test_each_indicator_is_compared_with_the_year_before_the_plan(written) -> None:
    _, published = written
    with duckdb.connect(str(published), read_only=True) as con:
        report = priorities.load(con, PLAN, "2023/24", published_at=None)
        crimes = con.execute(
            "select value from marts.measure_values where measure_id = 'victim_based_crimes' "
            "and area_code = ? and period_id in ('2021/22', '2023/24') order by period_id",
            [settings.home_area().district],
        ).fetchall()
    place = {i.measure_id: i for i in report.priorities["place"]}
    baseline, latest = (value for (value,) in crimes)
    crime = place["victim_based_crimes"]
    assert (crime.baseline_value, crime.value) == (baseline, latest)
    assert crime.direction_since_baseline == ("better" if latest < baseline else "worse")
    assert crime.baseline_year == "2021/22"
    kickstart = next(
        i for i in report.priorities["economy"] if i.measure_id == "kickstart_placements_approved"
    )
    assert kickstart.value is None and kickstart.missing_reason == "no figure for 2023/24"
    assert ("economy", kickstart) in report.missing
