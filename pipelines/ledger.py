"""The submission ledger: every file that lands in raw/ is a submission with a status.

Statuses: `accepted` (rows loaded), `quarantined` (could not be trusted; nothing loaded, the
reason names file, row and column), `superseded` (another accepted submission covers the same
return and period: a later one, or the revised release of the period; its rows stay for
history), `duplicate` (the same bytes already arrived
under another name), `not_read` (a file the return recognises but the warehouse does not
read, such as another police force's month; the reason says why), `unrecognised` (a file
under raw/ that no return reads or recognises; the reason names the nearest return and the
names it accepts). The ledger is never
deleted from: a query can always ask what was current on a given date from `received_at`
and `superseded_at`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field, fields
from datetime import date, datetime
from typing import TYPE_CHECKING

import duckdb

if TYPE_CHECKING:
    from pipelines.returns import ReturnSpec

ACCEPTED = "accepted"
QUARANTINED = "quarantined"
SUPERSEDED = "superseded"
DUPLICATE = "duplicate"
NOT_READ = "not_read"
UNRECOGNISED = "unrecognised"
STATUSES = (ACCEPTED, QUARANTINED, SUPERSEDED, DUPLICATE, NOT_READ, UNRECOGNISED)


def _column(sql_type: str, description: str) -> dict[str, str]:
    """A ledger column's DuckDB type and meaning, kept on its field for the DDL and dbt."""
    return {"sql_type": sql_type, "description": description}


@dataclass(kw_only=True)
class LedgerEntry:
    """One row of `ledger.submissions`: a file seen in raw/ and what became of it.

    The ledger's columns are declared here and nowhere else: the table's DDL, every insert
    and the dbt source that the models read are made from these fields.
    """

    submission_id: int = field(
        metadata=_column(
            "INTEGER NOT NULL", "Sequential number given when the file was first seen."
        )
    )
    source: str = field(
        metadata=_column("VARCHAR NOT NULL", "The source folder of the return (police, ...).")
    )
    return_name: str = field(
        metadata=_column(
            "VARCHAR NOT NULL",
            "The return, as its raw table is named: `<source>__<return>` (for an "
            "unrecognised file, the return it most resembles).",
        )
    )
    partner: str = field(metadata=_column("VARCHAR NOT NULL", "The partner that sends the return."))
    period: str | None = field(
        default=None,
        metadata=_column(
            "VARCHAR",
            "The period the file covers, as the calendar and partitions name it (`2019/20 Q1`, "
            "`2021-04`): read by the parser (and checked against the name) for an accepted "
            "file, from its name for any other. A return several partners send adds the "
            "sender (`2020/21 kent-police`); a file holding many periods gives the first and "
            "last (`2014/15 to 2022/23`), each in `submission_periods`. Null when nothing "
            "gives one.",
        ),
    )
    file_path: str = field(
        metadata=_column("VARCHAR NOT NULL", "Path of the file relative to raw/.")
    )
    source_file: str | None = field(
        default=None,
        metadata=_column("VARCHAR", "The file read (with `!member` for a file inside a zip)."),
    )
    sha256: str = field(metadata=_column("VARCHAR NOT NULL", "SHA-256 of the file's bytes."))
    file_size_bytes: int = field(metadata=_column("BIGINT", "Size of the file in bytes."))
    received_at: datetime = field(
        metadata=_column("TIMESTAMP NOT NULL", "When the warehouse first saw these bytes (UTC).")
    )
    status: str = field(
        metadata=_column("VARCHAR NOT NULL", f"What became of the file: {', '.join(STATUSES)}.")
    )
    reason: str | None = field(
        default=None,
        metadata=_column(
            "VARCHAR",
            "Why the file was not accepted, naming the file and where known its row and column; "
            "for an accepted file, what its parser passed over on purpose (total rows, the "
            "other files of an archive, the years a release supersedes).",
        ),
    )
    row_count: int | None = field(
        default=None, metadata=_column("BIGINT", "Rows loaded from the file.")
    )
    superseded_by: int | None = field(
        default=None,
        metadata=_column(
            "INTEGER", "The submission that replaced this one for the same return and period."
        ),
    )
    superseded_at: datetime | None = field(
        default=None,
        metadata=_column(
            "TIMESTAMP", "When it was replaced; with received_at, what was current on a date."
        ),
    )
    period_start: date | None = field(
        default=None,
        metadata=_column(
            "DATE",
            "First day of the period the file name places the file in: its partition (the key "
            "is the month, 2021-04). Null for returns whose files cover many periods.",
        ),
    )


CURRENT = "current"


@dataclass(frozen=True)
class SubmissionPeriod:
    """One row of `ledger.submission_periods`: one period that an accepted file holding many
    periods covers, and whether its figures for that period are current.

    A national release (ENV18) holds several years and a later release revises the earlier
    ones, so supersession is per period, not per file: the release stays accepted for the
    years only it holds while a later release supersedes it for the years both hold.
    """

    submission_id: int = field(
        metadata=_column("INTEGER NOT NULL", "The accepted submission holding the period.")
    )
    return_name: str = field(
        metadata=_column("VARCHAR NOT NULL", "The return, `<source>__<return>`.")
    )
    period: str = field(
        metadata=_column("VARCHAR NOT NULL", "The period, as the calendar names it (`2021/22`).")
    )
    period_as_written: str = field(
        metadata=_column("VARCHAR NOT NULL", "The period as the file's rows write it (`2021-22`).")
    )
    status: str = field(
        metadata=_column(
            "VARCHAR NOT NULL",
            "`current` when this submission's rows are the ones for the period, else `superseded`.",
        )
    )
    superseded_by: int | None = field(
        default=None,
        metadata=_column("INTEGER", "The submission whose rows for the period replaced these."),
    )


@dataclass(frozen=True)
class Submission:
    """What ingestion needs to know of a file's latest ledger row."""

    submission_id: int
    file_path: str
    sha256: str
    period: str | None
    status: str


@dataclass(frozen=True)
class ReturnSchedule:
    """One row of `ledger.returns`: what the returns calendar needs to know of a return,
    written from its ReturnSpec on every run so that dbt never keeps a copy of its own."""

    return_name: str = field(
        metadata=_column("VARCHAR NOT NULL", "The return, `<source>__<return>`.")
    )
    source: str = field(metadata=_column("VARCHAR NOT NULL", "The source folder of the return."))
    partner: str = field(metadata=_column("VARCHAR NOT NULL", "The partner that sends the return."))
    cadence: str = field(
        metadata=_column("VARCHAR NOT NULL", "monthly, quarterly or annual, as it is sent.")
    )
    period_type: str = field(
        metadata=_column(
            "VARCHAR NOT NULL",
            "The period each return is due for: month, quarter, financial_year, calendar_year.",
        )
    )
    first_period_start: date = field(
        metadata=_column(
            "DATE NOT NULL", "First day of the first period the return is expected for."
        )
    )
    due_days_after_period_end: int = field(
        metadata=_column("INTEGER NOT NULL", "Days after a period ends by which the return is due.")
    )
    coverage: str = field(
        metadata=_column(
            "VARCHAR NOT NULL",
            "How a period counts as received: `file_period` (a current file's name places it in "
            "the period) or `measure_values` (its figures for the period are in measure_values, "
            "for a national table covering many periods).",
        )
    )

    @classmethod
    def of(cls, spec: ReturnSpec) -> ReturnSchedule:
        return cls(
            return_name=spec.table,
            source=spec.source,
            partner=spec.partner,
            cadence=spec.cadence,
            period_type=spec.schedule_kind.name,
            first_period_start=spec.first_period_start,
            due_days_after_period_end=spec.due_days,
            coverage="file_period" if spec.periods is not None else "measure_values",
        )


@dataclass(frozen=True)
class ReturnSender:
    """One row of `ledger.return_senders`: a partner who sends its own file of a return
    that several partners send, into the folder its slug names."""

    return_name: str = field(
        metadata=_column("VARCHAR NOT NULL", "The return, `<source>__<return>`.")
    )
    partner: str = field(
        metadata=_column("VARCHAR NOT NULL", "The partner that sends its own file.")
    )
    partner_slug: str = field(
        metadata=_column(
            "VARCHAR NOT NULL", "The partner's folder under raw/<source>/ (`kent-police`)."
        )
    )


LEDGER_TABLES = {
    "submissions": LedgerEntry,
    "returns": ReturnSchedule,
    "return_senders": ReturnSender,
    "submission_periods": SubmissionPeriod,
}
"""The ledger's tables and the dataclass declaring each one's columns."""


def columns_of(row_type: type) -> dict[str, tuple[str, str]]:
    """Each column of a ledger table: its DuckDB type and description."""
    return {
        column.name: (column.metadata["sql_type"], column.metadata["description"])
        for column in fields(row_type)
    }


def _ddl(table: str, row_type: type, replace: bool = False) -> str:
    columns = ",\n    ".join(
        f"{name} {sql_type}" for name, (sql_type, _) in columns_of(row_type).items()
    )
    verb = "create or replace table" if replace else "create table if not exists"
    return f"{verb} ledger.{table} (\n    {columns}\n)"


def ensure_ledger(con: duckdb.DuckDBPyConnection) -> None:
    """The submissions table, with any column a warehouse made by an older version lacks."""
    con.execute("create schema if not exists ledger")
    con.execute(_ddl("submissions", LedgerEntry))
    for name, (sql_type, _) in columns_of(LedgerEntry).items():
        bare_type = sql_type.removesuffix(" NOT NULL")
        con.execute(f"alter table ledger.submissions add column if not exists {name} {bare_type}")
    con.execute(_ddl("submission_periods", SubmissionPeriod))


def record_returns(con: duckdb.DuckDBPyConnection, specs: Iterable[ReturnSpec]) -> None:
    """Write `ledger.returns` and `ledger.return_senders` afresh from the specifications."""
    specs = list(specs)
    con.execute("create schema if not exists ledger")
    rows = {
        "returns": [ReturnSchedule.of(spec) for spec in specs],
        "return_senders": [
            ReturnSender(spec.table, sender.partner, sender.slug)
            for spec in specs
            for sender in spec.senders
        ],
    }
    for table, values in rows.items():
        row_type = LEDGER_TABLES[table]
        con.execute(_ddl(table, row_type, replace=True))
        if values:
            _insert(con, table, [asdict(value) for value in values])


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict]) -> None:
    names = list(rows[0])
    placeholders = ", ".join("?" for _ in names)
    con.executemany(
        f"insert into ledger.{table} ({', '.join(names)}) values ({placeholders})",
        [[row[name] for name in names] for row in rows],
    )


ACCEPTED_SCHEMA = "accepted"
"""Where each raw table has a view holding only the rows of current accepted submissions."""


def ensure_accepted_view(
    con: duckdb.DuckDBPyConnection, table: str, period_column: str | None = None
) -> None:
    """`accepted.<table>`: the rows of `raw.<table>` whose submission is accepted now.

    The one place that decides which rows the models see. Rows of superseded submissions
    stay in raw/ for history, and quarantined files load none, but neither can reach a
    staging model: dbt's sources are these views. So a corrected file always replaces the
    rows of the file it corrects, and an old bad row can never fail a build again.

    For a return whose files hold many periods (`period_column` names the rows' period),
    a row is current only when `ledger.submission_periods` has its submission current
    for its period: each period comes from the latest release that covers it.
    """
    con.execute(f"create schema if not exists {ACCEPTED_SCHEMA}")
    current_period = (
        f"""
        and exists (
            select 1 from ledger.submission_periods as periods
            where periods.status = 'current'
                and periods.submission_id = rows.submission_id
                and periods.period_as_written = rows."{period_column}"
        )"""
        if period_column
        else ""
    )
    con.execute(
        f"""
        create or replace view {ACCEPTED_SCHEMA}.{table} as
        select rows.* from raw.{table} as rows
        where rows.submission_id in (
            select submission_id from ledger.submissions where status = 'accepted'
        ){current_period}
        """
    )


def latest_by_path(con: duckdb.DuckDBPyConnection, return_name: str) -> dict[str, Submission]:
    """The most recent submission of each file path of a return, whatever its status."""
    rows = con.execute(
        """
        select submission_id, file_path, sha256, period, status
        from ledger.submissions
        where return_name = ? and status <> 'unrecognised'
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


def record(con: duckdb.DuckDBPyConnection, entry: LedgerEntry) -> None:
    """Write one ledger row."""
    _insert(con, "submissions", [asdict(entry)])


def supersede(
    con: duckdb.DuckDBPyConnection,
    *,
    return_name: str,
    period: str,
    by_submission: int,
    at: datetime,
    revised: Callable[[str], bool] = lambda file_path: False,
) -> list[int]:
    """Settle which accepted submission of a return and period is current, now that
    `by_submission` has arrived, and mark the others superseded by it.

    A revised release (`revised(file_path)`) always wins over one that is not, whichever
    arrived first; between two of the same kind the later arrival wins. So an unrevised
    file that turns up after the revision of its period is itself superseded at once.
    """
    candidates = con.execute(
        """
        select submission_id, file_path from ledger.submissions
        where return_name = ? and period = ? and status = 'accepted'
        """,
        [return_name, period],
    ).fetchall()
    if by_submission not in {submission_id for submission_id, _ in candidates}:
        raise ValueError(f"submission {by_submission} is not an accepted {return_name} file")
    winner = max(candidates, key=lambda row: (revised(row[1]), row[0]))[0]
    rows = con.execute(
        """
        update ledger.submissions
        set status = 'superseded', superseded_by = ?, superseded_at = ?
        where return_name = ? and period = ? and status = 'accepted' and submission_id <> ?
        returning submission_id
        """,
        [winner, at, return_name, period, winner],
    ).fetchall()
    return sorted(row[0] for row in rows)


def record_periods(
    con: duckdb.DuckDBPyConnection,
    *,
    return_name: str,
    submission_id: int,
    periods: Iterable[tuple[str, str]],
) -> list[int]:
    """Record the periods an accepted file holding many periods covers, each as
    (period id, as its rows write it), then settle which submission is current for each
    period; returns the submissions superseded for some period by this settling.

    The latest release is the one whose last period is latest (a release is named by the
    latest year it holds), then the later arrival: a 2017/18 release found after the
    2022/23 one does not take back the years the later release revised.
    """
    _insert(
        con,
        "submission_periods",
        [
            asdict(SubmissionPeriod(submission_id, return_name, period, written, CURRENT))
            for period, written in periods
        ],
    )
    before = set(
        con.execute(
            "select submission_id, period from ledger.submission_periods "
            "where return_name = ? and status = 'superseded'",
            [return_name],
        ).fetchall()
    )
    con.execute(
        """
        update ledger.submission_periods as periods
        set status = case when periods.submission_id = ranked.winner
                then 'current' else 'superseded' end,
            superseded_by = case when periods.submission_id = ranked.winner
                then null else ranked.winner end
        from (
            select
                covered.submission_id,
                covered.period,
                first_value(covered.submission_id) over (
                    partition by covered.period
                    order by releases.last_period desc, covered.submission_id desc
                ) as winner
            from ledger.submission_periods as covered
            inner join ledger.submissions as submissions
                on covered.submission_id = submissions.submission_id
            inner join (
                select submission_id, max(period) as last_period
                from ledger.submission_periods group by submission_id
            ) as releases on covered.submission_id = releases.submission_id
            where covered.return_name = ? and submissions.status = 'accepted'
        ) as ranked
        where periods.submission_id = ranked.submission_id and periods.period = ranked.period
        """,
        [return_name],
    )
    after = con.execute(
        "select submission_id, period from ledger.submission_periods "
        "where return_name = ? and status = 'superseded'",
        [return_name],
    ).fetchall()
    return sorted({row[0] for row in after if row not in before})
