"""Completeness: returns that are due and have not arrived.

The returns calendar (`marts.returns_calendar`, built by dbt from the return schedules) says
which partner owes which return for which period and whether it came; every period it marks
`overdue` is a `not received` finding with the days overdue. A monthly return the calendar
does not schedule is still checked for months missing between its first and last month
received, so a gap in a series is never silently read as a quiet month.
"""

from __future__ import annotations

import duckdb

from pipelines.quality.findings import Finding, table_exists
from pipelines.returns import ReturnSpec

CHECK = "not_received"


def _return_label(return_name: str) -> str:
    """`road_safety__ksi_casualties` -> `ksi casualties return`."""
    return return_name.split("__", 1)[-1].replace("_", " ") + " return"


def overdue_returns(con: duckdb.DuckDBPyConnection, return_name: str) -> list[Finding]:
    """A finding for every period of the return that the calendar marks overdue."""
    if not table_exists(con, "marts", "returns_calendar"):
        return []
    rows = con.execute(
        """
        select partner, partner_slug, period_id, due_date, as_of_date,
            date_diff('day', due_date, as_of_date) as days_overdue
        from marts.returns_calendar
        where return_name = ? and submission_status = 'overdue'
        order by period_start, partner
        """,
        [return_name],
    ).fetchall()
    return [
        Finding(
            check_name=CHECK,
            check_kind="completeness",
            return_name=return_name,
            partner=partner,
            period_id=period_id,
            observed="not received",
            expected=f"received by {due_date:%d %B %Y}",
            message=(
                f"Not received: {partner} has not sent the {_return_label(return_name)} for "
                f"{period_id}. It was due on {due_date:%d %B %Y} and is {days:,} days overdue "
                f"(as of {as_of:%d %B %Y})."
            ),
            detail=slug,
        )
        for partner, slug, period_id, due_date, as_of, days in rows
    ]


def missing_months(con: duckdb.DuckDBPyConnection, spec: ReturnSpec) -> list[Finding]:
    """Months missing inside a monthly return's series, for returns the calendar omits."""
    if spec.cadence != "monthly" or _scheduled(con, spec.table):
        return []
    rows = con.execute(
        r"""
        with received as (
            select distinct strptime(period, '%Y-%m')::date as month_start
            from ledger.submissions
            where return_name = ? and status in ('accepted', 'superseded')
                and regexp_full_match(period, '\d{4}-\d{2}')
        ),
        bounds as (
            select min(month_start) as first_month, max(month_start) as last_month from received
        ),
        expected as (
            select unnest(generate_series(first_month, last_month, interval 1 month))::date
                as month_start
            from bounds
        )
        select strftime(expected.month_start, '%Y-%m')
        from expected
        anti join received using (month_start)
        order by 1
        """,
        [spec.table],
    ).fetchall()
    return [
        Finding(
            check_name=CHECK,
            check_kind="completeness",
            return_name=spec.table,
            partner=spec.partner,
            period_id=month,
            observed="not received",
            expected="a file for every month",
            message=(
                f"Not received: {spec.partner} has not sent the {_return_label(spec.table)} "
                f"for {month}, although earlier and later months are in. Figures for the "
                "year it falls in are incomplete."
            ),
        )
        for (month,) in rows
    ]


def _scheduled(con: duckdb.DuckDBPyConnection, return_name: str) -> bool:
    if not table_exists(con, "marts", "returns_calendar"):
        return False
    return bool(
        con.execute(
            "select count(*) from marts.returns_calendar where return_name = ?", [return_name]
        ).fetchone()[0]
    )


def check_return(con: duckdb.DuckDBPyConnection, spec: ReturnSpec) -> list[Finding]:
    """Every period of the return that is due and not received."""
    return overdue_returns(con, spec.table) + missing_months(con, spec)
