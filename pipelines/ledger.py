"""The submission ledger: every file that lands in raw/ is a submission with a status.

Statuses: `accepted` (rows loaded), `quarantined` (could not be trusted; nothing loaded, the
reason names file, row and column), `superseded` (a later accepted submission covers the same
return and period; its rows stay for history), `duplicate` (the same bytes already arrived
under another name), `not_read` (a file the return recognises but the warehouse does not
read, such as another police force's month; the reason says why). The ledger is never
deleted from: a query can always ask what was current on a given date from `received_at`
and `superseded_at`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import duckdb

LEDGER_DDL = """
create schema if not exists ledger;
create table if not exists ledger.submissions (
    submission_id integer not null,
    source varchar not null,
    return_name varchar not null,
    partner varchar not null,
    period varchar,
    file_path varchar not null,
    source_file varchar,
    sha256 varchar not null,
    file_size_bytes bigint,
    received_at timestamp not null,
    status varchar not null,
    reason varchar,
    row_count bigint,
    superseded_by integer,
    superseded_at timestamp
);
alter table ledger.submissions add column if not exists period_start date;
comment on column ledger.submissions.period_start is
    'First day of the period the file name places the file in: its partition (the key is
the month, 2021-04). Null for returns whose files cover many periods.';
"""


@dataclass(frozen=True)
class Submission:
    submission_id: int
    file_path: str
    sha256: str
    period: str | None
    status: str


def ensure_ledger(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(LEDGER_DDL)


def latest_by_path(con: duckdb.DuckDBPyConnection, return_name: str) -> dict[str, Submission]:
    """The most recent submission of each file path of a return, whatever its status."""
    rows = con.execute(
        """
        select submission_id, file_path, sha256, period, status
        from ledger.submissions
        where return_name = ?
        qualify row_number() over (partition by file_path order by submission_id desc) = 1
        """,
        [return_name],
    ).fetchall()
    return {row[1]: Submission(*row) for row in rows}


def current_shas(con: duckdb.DuckDBPyConnection, return_name: str) -> dict[str, int]:
    """sha256 of every accepted submission of a return, to spot the same bytes re-sent."""
    rows = con.execute(
        "select sha256, submission_id from ledger.submissions "
        "where return_name = ? and status = 'accepted'",
        [return_name],
    ).fetchall()
    return dict(rows)


def next_submission_id(con: duckdb.DuckDBPyConnection) -> int:
    return con.execute(
        "select coalesce(max(submission_id), 0) + 1 from ledger.submissions"
    ).fetchone()[0]


def record(
    con: duckdb.DuckDBPyConnection,
    *,
    submission_id: int,
    source: str,
    return_name: str,
    partner: str,
    period: str | None,
    period_start: date | None,
    file_path: str,
    source_file: str | None,
    sha256: str,
    file_size_bytes: int,
    received_at: datetime,
    status: str,
    reason: str | None = None,
    row_count: int | None = None,
) -> None:
    con.execute(
        """
        insert into ledger.submissions (
            submission_id, source, return_name, partner, period, file_path, source_file,
            sha256, file_size_bytes, received_at, status, reason, row_count, period_start
        ) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
        [
            submission_id,
            source,
            return_name,
            partner,
            period,
            file_path,
            source_file,
            sha256,
            file_size_bytes,
            received_at,
            status,
            reason,
            row_count,
            period_start,
        ],
    )


def supersede(
    con: duckdb.DuckDBPyConnection,
    *,
    return_name: str,
    period: str,
    by_submission: int,
    at: datetime,
) -> list[int]:
    """Mark earlier accepted submissions of the same return and period as superseded."""
    rows = con.execute(
        """
        update ledger.submissions
        set status = 'superseded', superseded_by = ?, superseded_at = ?
        where return_name = ? and period = ? and status = 'accepted' and submission_id <> ?
        returning submission_id
        """,
        [by_submission, at, return_name, period, by_submission],
    ).fetchall()
    return sorted(row[0] for row in rows)
