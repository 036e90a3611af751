"""Where every partner return stands: from the returns calendar (what is owed, by when, and
whether it came) and the submission ledger (every file that arrived and what happened to it).
"""

from __future__ import annotations

import duckdb
import polars as pl

from pipelines.reporting.published import relation_exists

SUMMARY_SQL = """
with

calendar as (
    select
        partner,
        return_name,
        any_value(cadence) as cadence,
        count(*) filter (where submission_status = 'received') as periods_received,
        count(*) filter (where submission_status = 'quarantined') as periods_quarantined,
        count(*) filter (where submission_status = 'overdue') as periods_overdue,
        count(*) filter (where submission_status = 'not_yet_due') as periods_not_yet_due,
        max(received_at) as last_received_at
    from marts.returns_calendar
    group by all
),

ledger as (
    select
        partner,
        return_name,
        count(*) filter (where status = 'accepted') as files_accepted,
        count(*) filter (where status = 'quarantined') as files_quarantined,
        count(*) filter (where status = 'superseded') as files_superseded,
        count(*) filter (where status = 'duplicate') as files_duplicate
    from ledger.submissions
    group by all
),

summary as (
    select
        coalesce(calendar.partner, ledger.partner) as partner,
        coalesce(calendar.return_name, ledger.return_name) as return_name,
        calendar.cadence,
        coalesce(calendar.periods_received, 0) as received,
        coalesce(calendar.periods_quarantined, 0) as quarantined,
        coalesce(calendar.periods_overdue, 0) as overdue,
        coalesce(calendar.periods_not_yet_due, 0) as not_yet_due,
        coalesce(ledger.files_accepted, 0) as files_accepted,
        coalesce(ledger.files_quarantined, 0) as files_quarantined,
        coalesce(ledger.files_superseded, 0) as files_superseded,
        calendar.last_received_at
    from calendar
    full outer join ledger
        on calendar.partner = ledger.partner
        and calendar.return_name = ledger.return_name
)

select * from summary
where ($partner is null or lower(partner) like '%' || lower($partner) || '%')
order by partner, return_name
"""

OUTSTANDING_SQL = """
select
    partner,
    return_name,
    period_id,
    due_date,
    submission_status as status,
    quarantine_reason
from marts.returns_calendar
where submission_status in ('overdue', 'quarantined')
  and ($partner is null or lower(partner) like '%' || lower($partner) || '%')
order by partner, return_name, period_start
"""


FILES_SQL = """
with

latest as (
    select *
    from ledger.submissions
    qualify row_number() over (partition by file_path order by submission_id desc) = 1
)

select
    file_path,
    status,
    period,
    reason
from latest
where status in ('quarantined', 'unrecognised')
  and ($partner is null or lower(partner) like '%' || lower($partner) || '%')
order by status, file_path
"""

WHAT_TO_DO = {
    "quarantined": (
        "Quarantined files were not loaded: send the reason (it names the file, and the row "
        "and column where known) to the partner, and put the corrected file in raw/ for the "
        "same period; the next run loads it and the quarantined file stays in the ledger."
    ),
    "unrecognised": (
        "Unrecognised files match no return's names: rename each as the nearest return "
        "reads (the reason says which), or move it out of raw/ if it is not a return."
    ),
}
"""What an officer does about each kind of file the warehouse could not use."""


class ReturnsCalendarMissing(LookupError):
    """The warehouse has no returns calendar or ledger to read."""


CALENDAR_AND_LEDGER = (("marts", "returns_calendar"), ("ledger", "submissions"))


def _check(
    con: duckdb.DuckDBPyConnection,
    relations: tuple[tuple[str, str], ...] = CALENDAR_AND_LEDGER,
) -> None:
    missing = [
        f"{schema}.{table}"
        for schema, table in relations
        if not relation_exists(con, schema, table)
    ]
    if missing:
        raise ReturnsCalendarMissing(
            f"The warehouse has no {' or '.join(missing)}: run the pipeline to build them."
        )


def return_summary(con: duckdb.DuckDBPyConnection, partner: str | None = None) -> pl.DataFrame:
    """One row per partner return: periods received, quarantined, overdue and not yet due,
    and the files the ledger accepted, quarantined and superseded."""
    _check(con)
    return con.execute(SUMMARY_SQL, {"partner": partner}).pl()


def outstanding_periods(con: duckdb.DuckDBPyConnection, partner: str | None = None) -> pl.DataFrame:
    """Every period owed and overdue, or whose file was quarantined, with the reason."""
    _check(con)
    return con.execute(OUTSTANDING_SQL, {"partner": partner}).pl()


def files_needing_attention(
    con: duckdb.DuckDBPyConnection, partner: str | None = None
) -> pl.DataFrame:
    """Every file in raw/ whose latest ledger row is quarantined or unrecognised, with the
    period its name gives and the reason."""
    _check(con, (("ledger", "submissions"),))
    return con.execute(FILES_SQL, {"partner": partner}).pl()
