"""The measure marts say what the monitoring reports say about Sevenoaks.

Four financial years of police files (2018/19 to 2021/22) are ingested into a temporary
warehouse, only the police measures and their trends and benchmarks are built, and the
reports' crime and anti-social behaviour statements are read back: the figure, the change on
the year before and Sevenoaks' place among the 12 Kent districts. The statuses and the plan
summary are in tests/e2e/test_measure_status.py.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from dbt_command import Dbt

from pipelines import settings
from pipelines.ingest import ingest_return
from pipelines.returns.police_street import RETURN as POLICE_RETURN
from sample_data.police import write_police_returns

SEVENOAKS = "E07000111"


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


def test_police_measures_say_what_the_reports_say(workspace: Path, dbt: Dbt) -> None:
    raw = workspace / "raw"
    write_police_returns(raw, "2018-04", "2022-03")
    warehouse = settings.warehouse_path()
    with duckdb.connect(str(warehouse)) as con:
        assert ingest_return(con, POLICE_RETURN, raw).quarantined == []
    # measure_values limited to the police contribution: the other partners' raw tables do
    # not exist in this warehouse.
    dbt(
        "build",
        "--select",
        "+measure_trends",
        "+measure_benchmarks",
        "--indirect-selection",
        "cautious",
        "--vars",
        "{measure_contributions: [int_measure_values__police]}",
    )

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

    # Byar's limits of 7056, wider at 99.8% than at 95%. The 95% limits worked by hand from
    # Byar's formula (z = 1.959964), not by the functions the model calls:
    # 7056 (1 - 1/(9 * 7056) - z/(3 sqrt 7056))^3 and 7057 (1 - 1/(9 * 7057) + z/(3 sqrt 7057))^3.
    value, method, lower_95, upper_95, lower_998, upper_998 = intervals
    assert method == "Byar's"
    assert lower_998 < lower_95 < value < upper_95 < upper_998
    assert (lower_95, upper_95) == pytest.approx((6892.312, 7222.594), abs=0.001)
