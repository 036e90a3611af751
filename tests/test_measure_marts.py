"""The measure marts say what the monitoring reports say about Sevenoaks.

Two integration tests. The first ingests four financial years of police files (2018/19 to
2021/22) into a temporary warehouse, builds only the police measures and their trends and
benchmarks, and reads back the reports' crime and anti-social behaviour statements: the
figure, the change on the year before and Sevenoaks' place among the 12 Kent districts. The
second reads the statuses and the plan summary from the whole sample pipeline run once per
session: 2019/20 has 26 of 27 measures achieved or on target (KSI on local roads rose from 47
to 59), 2021/22 has 25 of 26 achieved and one missing (KCC sent no KSI data).
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import duckdb
import pytest

from pipelines import settings
from pipelines.ingest import ingest_return
from pipelines.returns.police_street import RETURN as POLICE_RETURN
from pipelines.warehouse_functions import register_functions
from sample_data.police import write_police_returns

SEVENOAKS = "E07000111"


def build_police_measures(workspace: Path) -> None:
    """dbt build of the police measures and the marts on them, measure_values limited to the
    police contribution (the other partners' raw tables do not exist in this warehouse)."""
    result = subprocess.run(
        [
            settings.DBT_EXECUTABLE,
            "build",
            "--quiet",
            "--profiles-dir",
            str(settings.DBT_PROJECT_DIR),
            "--target-path",
            str(workspace / "dbt_target"),
            "--log-path",
            str(workspace / "dbt_logs"),
            "--select",
            "+measure_trends",
            "+measure_benchmarks",
            "--indirect-selection",
            "cautious",
            "--vars",
            "{measure_contributions: [int_measure_values__police]}",
        ],
        cwd=settings.DBT_PROJECT_DIR,
        capture_output=True,
        text=True,
        env={**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"},
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


def sevenoaks_year(con: duckdb.DuckDBPyConnection, measure_id: str, year: str) -> dict:
    """The trend and benchmark row of one Sevenoaks measure and financial year."""
    cursor = con.execute(
        """
        select
            trends.value,
            trends.previous_period_id,
            trends.absolute_change,
            trends.percent_change,
            trends.direction_of_travel,
            trends.significance_test,
            benchmarks.rank_from_lowest,
            benchmarks.rank_from_best,
            benchmarks.districts_with_value,
            trends.submission_ids,
            trends.previous_submission_ids
        from marts.measure_trends as trends
        inner join marts.measure_benchmarks as benchmarks
            using (measure_value_key)
        where trends.measure_id = ? and trends.area_code = ? and trends.period_id = ?
        """,
        [measure_id, SEVENOAKS, year],
    )
    names = [column[0] for column in cursor.description]
    (row,) = cursor.fetchall()
    return dict(zip(names, row, strict=True))


def ledger_months(con: duckdb.DuckDBPyConnection, submission_ids: list[int]) -> list[str]:
    """The police months (ledger periods) the given submissions are, in order."""
    return [
        period
        for (period,) in con.execute(
            "select period from ledger.submissions"
            " where list_contains(?, submission_id) order by period",
            [submission_ids],
        ).fetchall()
    ]


def financial_year_months(start_year: int) -> list[str]:
    """April of start_year to March of the next, as police months are written."""
    return [f"{start_year}-{m:02d}" for m in range(4, 13)] + [
        f"{start_year + 1}-{m:02d}" for m in range(1, 4)
    ]


@pytest.mark.integration
def test_police_measures_say_what_the_reports_say(workspace: Path) -> None:
    raw = workspace / "raw"
    write_police_returns(raw, "2018-04", "2022-03")
    warehouse = settings.warehouse_path()
    with duckdb.connect(str(warehouse)) as con:
        assert ingest_return(con, POLICE_RETURN, raw).quarantined == []
    build_police_measures(workspace)

    with duckdb.connect(str(warehouse), read_only=True) as con:
        crime_2021 = sevenoaks_year(con, "victim_based_crimes", "2021/22")
        asb_2021 = sevenoaks_year(con, "anti_social_behaviour_incidents", "2021/22")
        asb_2019 = sevenoaks_year(con, "anti_social_behaviour_incidents", "2019/20")
        crime_months = ledger_months(con, crime_2021["submission_ids"])
        previous_months = ledger_months(con, crime_2021["previous_submission_ids"])
        intervals = con.execute(
            """
            select value, ci_method, ci_95_lower, ci_95_upper, ci_99_8_lower, ci_99_8_upper
            from marts.measure_values
            where measure_value_key = 'victim_based_crimes|E07000111|2021/22'
            """
        ).fetchone()

    # 2021/22: "7056 reports of victim based crime ... an increase of 265 ... the second
    # lowest number of reported victim based crimes in the County."
    assert crime_2021["value"] == 7056
    assert crime_2021["previous_period_id"] == "2020/21"
    assert crime_2021["absolute_change"] == 265
    assert round(crime_2021["percent_change"], 1) == 3.9
    assert crime_2021["rank_from_lowest"] == 2
    assert crime_2021["rank_from_best"] == 2
    assert crime_2021["districts_with_value"] == 12
    assert crime_2021["significance_test"] == "Poisson conditional exact test"
    assert crime_2021["direction_of_travel"] == "worsening"
    # Traceable to the ledger: the twelve monthly files of each year.
    assert crime_months == financial_year_months(2021)
    assert previous_months == financial_year_months(2020)

    # 2021/22: "the third lowest level of ASB in the county, with 1513 recorded incidents
    # ... a 44% decrease (1177 reports)."
    assert asb_2021["value"] == 1513
    assert asb_2021["absolute_change"] == -1177
    assert round(asb_2021["percent_change"]) == -44
    assert asb_2021["rank_from_lowest"] == 3
    assert asb_2021["direction_of_travel"] == "improving"

    # 2019/20: "ASB remains ... the second lowest in Kent with 1602 reports, ... an increase
    # compared to same period last year of 175."
    assert asb_2019["value"] == 1602
    assert asb_2019["absolute_change"] == 175
    assert asb_2019["rank_from_lowest"] == 2

    # Byar's limits of 7056 (pipelines.statistics), wider at 99.8% than at 95%.
    value, method, lower_95, upper_95, lower_998, upper_998 = intervals
    assert method == "Byar's"
    assert lower_998 < lower_95 < value < upper_95 < upper_998
    with duckdb.connect() as scratch:
        register_functions(scratch)
        expected = scratch.execute(
            "select ci_count_lower(7056, 0.95), ci_count_upper(7056, 0.95)"
        ).fetchone()
    assert (lower_95, upper_95) == pytest.approx(expected)


@pytest.mark.integration
def test_statuses_and_summary_match_the_reports(sample_warehouse) -> None:
    assert sample_warehouse.run_success, "the sample pipeline run failed"
    with duckdb.connect(str(sample_warehouse.working), read_only=True) as con:
        statuses = {
            (year, ref): (status, rule, period, value, previous)
            for year, ref, status, rule, period, value, previous in con.execute(
                """
                select report_year, ref, status, status_rule, period_used, value, previous_value
                from marts.measure_status
                where plan = 'community_plan_2019_22'
                """
            ).fetchall()
        }
        summary = {
            year: row
            for year, *row in con.execute(
                """
                select report_year, measures, achieved, on_target, information_not_received,
                    achieved_pct, achieved_or_on_target_pct, missing_pct
                from marts.theme_summary
                where plan = 'community_plan_2019_22' and theme = 'All'
                """
            ).fetchall()
        }
        untraced = con.execute(
            """
            select count(*) from marts.measure_status
            where status != 'Information not received' and len(submission_ids) = 0
            """
        ).fetchone()[0]

    # 2019/20: 96% achieved or on target; S4 Not achieved (KSI 59 in 2019 against 47 in 2018).
    in_2019 = {ref: status for (year, ref), status in statuses.items() if year == "2019/20"}
    assert len(in_2019) == 27
    assert in_2019["S4"] == ("Not achieved", "direction", "2019", 59, 47)
    assert [ref for ref, s in in_2019.items() if s[0] not in ("Achieved", "On target")] == ["S4"]
    measures, _, _, missing, _, achieved_or_on_target_pct, _ = summary["2019/20"]
    assert (measures, missing, round(achieved_or_on_target_pct)) == (27, 0, 96)

    # 2021/22: 96% achieved, the other 4% one measure a partner sent no data for (KSI).
    in_2021 = {ref: status for (year, ref), status in statuses.items() if year == "2021/22"}
    assert len(in_2021) == 26
    assert in_2021["S4"][:3] == ("Information not received", "return not received", "2021")
    assert in_2021["S2"][:2] == ("Achieved", "rank in county")
    assert in_2021["S3"][:2] == ("Achieved", "rank in county")
    assert [ref for ref, s in in_2021.items() if s[0] != "Achieved"] == ["S4"]
    measures, achieved, _, missing, achieved_pct, _, missing_pct = summary["2021/22"]
    assert (measures, achieved, missing) == (26, 25, 1)
    assert (round(achieved_pct), round(missing_pct)) == (96, 4)

    # Every status judged on evidence names the submissions it came from.
    assert untraced == 0
