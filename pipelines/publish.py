"""Write, audit, publish: copy a passing build to the read-only file officers query.

The publication is written to a temporary file beside the published one and moved into
place with an atomic rename, so a reader opening the published file gets either the
previous complete publication or the new one, never a half-built state; a reader already
connected keeps the file it opened. Parquet copies of the marts are swapped the same way,
through a symbolic link.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

PUBLISHED_SCHEMAS = ("marts", "reference", "quality", "ledger")
KEEP_PUBLICATIONS = 3


class PublicationBlocked(Exception):
    """Blocking findings stop publication; the previous publication stays in place."""

    def __init__(self, reasons: list[str]) -> None:
        self.reasons = reasons
        super().__init__(
            f"{len(reasons)} blocking finding(s); nothing was published:\n"
            + "\n".join(f"- {r}" for r in reasons)
        )


@dataclass(frozen=True)
class Publication:
    publication_id: str
    published_at: datetime
    path: Path
    parquet_dir: Path
    tables: dict[str, int]
    submission_ids: list[int]
    checks_passed: list[str]


def blocking_findings(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Open blocking findings of the quality gate, as messages."""
    exists = con.execute(
        "select count(*) from information_schema.tables "
        "where table_schema = 'quality' and table_name = 'findings'"
    ).fetchone()[0]
    if not exists:
        return []
    rows = con.execute(
        "select message from quality.findings "
        "where severity = 'blocking' and status = 'open' order by message"
    ).fetchall()
    return [row[0] for row in rows]


def _published_tables(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    schemas = ", ".join(f"'{s}'" for s in PUBLISHED_SCHEMAS)
    return con.execute(
        f"""
        select table_schema, table_name from information_schema.tables
        where table_catalog = 'working' and table_schema in ({schemas})
            and (table_type = 'BASE TABLE' or table_schema = 'marts')
        order by table_schema, table_name
        """
    ).fetchall()


def _previous_publications(published: Path) -> list[tuple]:
    if not published.exists():
        return []
    with duckdb.connect(str(published), read_only=True) as con:
        try:
            return con.execute("select * from publication.publications").fetchall()
        except duckdb.CatalogException:
            return []


def publish(
    working: Path,
    published: Path,
    *,
    checks_passed: list[str] | None = None,
    run_id: str | None = None,
    now: datetime | None = None,
) -> Publication:
    """Publish marts (views written as tables), reference, quality and ledger tables."""
    now = now or datetime.now(UTC).replace(tzinfo=None)
    publication_id = now.strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:6]
    published.parent.mkdir(parents=True, exist_ok=True)
    temporary = published.with_name(f".{published.name}.{publication_id}.tmp")
    with duckdb.connect(str(working), read_only=True) as con:
        reasons = blocking_findings(con)
    if reasons:
        raise PublicationBlocked(reasons)
    history = _previous_publications(published)
    try:
        parquet_dir = _build(
            working, temporary, published, publication_id, now, run_id, history, checks_passed or []
        )
    finally:
        temporary.unlink(missing_ok=True)
    return parquet_dir


def _build(working, temporary, published, publication_id, now, run_id, history, checks):
    """Write the whole publication to a temporary file, then move it into place."""
    with duckdb.connect(str(temporary)) as out:
        out.execute(f"attach '{working}' as working (read_only)")
        tables: dict[str, int] = {}
        for schema, table in _published_tables(out):
            out.execute(f"create schema if not exists {schema}")
            out.execute(f"create table {schema}.{table} as select * from working.{schema}.{table}")
            _copy_comments(out, schema, table)
            tables[f"{schema}.{table}"] = out.execute(
                f"select count(*) from {schema}.{table}"
            ).fetchone()[0]
        submission_ids = _current_submissions(out) if "ledger.submissions" in tables else []
        out.execute("detach working")
        _record_publication(
            out, history, publication_id, now, run_id, submission_ids, checks, tables
        )
        if "marts.measure_values" in tables:
            _record_value_history(out, published, publication_id, now)
        out.execute("checkpoint")

    parquet_dir = _write_parquet(temporary, published, publication_id)
    os.replace(temporary, published)
    return Publication(publication_id, now, published, parquet_dir, tables, submission_ids, checks)


def _current_submissions(con: duckdb.DuckDBPyConnection) -> list[int]:
    rows = con.execute(
        "select submission_id from ledger.submissions where status = 'accepted' "
        "order by submission_id"
    ).fetchall()
    return [row[0] for row in rows]


def _copy_comments(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> None:
    """Keep dbt's descriptions (persisted as comments) so officers see them in the file."""
    table_comment = con.execute(
        "select comment from duckdb_tables() where database_name = 'working' "
        "and schema_name = ? and table_name = ?",
        [schema, table],
    ).fetchone()
    if table_comment and table_comment[0]:
        con.execute(f"comment on table {schema}.{table} is {_literal(table_comment[0])}")
    columns = con.execute(
        "select column_name, comment from duckdb_columns() where database_name = 'working' "
        "and schema_name = ? and table_name = ? and comment is not null",
        [schema, table],
    ).fetchall()
    for column, comment in columns:
        con.execute(f'comment on column {schema}.{table}."{column}" is {_literal(comment)}')


def _literal(text: str) -> str:
    """A SQL string literal (COMMENT ON takes no parameters)."""
    return "'" + text.replace("'", "''") + "'"


def _record_publication(con, history, publication_id, now, run_id, submissions, checks, tables):
    con.execute("create schema publication")
    con.execute(
        """
        create table publication.publications (
            publication_id varchar,
            published_at timestamp,
            dagster_run_id varchar,
            submission_ids integer[],
            checks_passed varchar[],
            table_row_counts json
        )
        """
    )
    con.executemany(
        "insert into publication.publications values (?, ?, ?, ?, ?, ?)",
        [
            *history,
            (publication_id, now, run_id, submissions, checks, json.dumps(tables)),
        ],
    )
    con.execute(
        "comment on table publication.publications is "
        "'Every publication of this warehouse: when, from which run and submissions, "
        "which checks passed, and how many rows each table had.'"
    )


VALUE_HISTORY_DDL = """
create table publication.measure_value_history (
    measure_value_key varchar,
    measure_id varchar,
    area_code varchar,
    period_id varchar,
    value double,
    numerator double,
    denominator double,
    value_note varchar,
    submission_ids integer[],
    published_from timestamp,
    published_until timestamp,
    publication_id varchar
);
comment on table publication.measure_value_history is
    'Every figure of marts.measure_values as it was published: a row per figure and version,
from the publication that first showed it (published_from) until the one that changed or
withdrew it (published_until, null while current). Ask for a date with
publication.measure_values_as_published(timestamp ''2025-06-01'').';
create macro publication.measure_values_as_published(as_at) as table
    select *
    from publication.measure_value_history
    where published_from <= as_at
        and (published_until is null or published_until > as_at);
"""

SAME_FIGURE = """
    h.measure_value_key = v.measure_value_key
    and h.value is not distinct from v.value
    and h.numerator is not distinct from v.numerator
    and h.denominator is not distinct from v.denominator
    and h.value_note is not distinct from v.value_note
"""


def _record_value_history(con, published: Path, publication_id: str, now: datetime) -> None:
    """Carry the history of published figures forward and add this publication's changes.

    Only changes are stored (a figure's row closes when a later publication shows another
    value or withdraws it), so years of monthly publications stay small, and "what did we
    publish for this measure on 1 June?" is one query.
    """
    con.execute(VALUE_HISTORY_DDL)
    if published.exists():
        con.execute(f"attach '{published}' as previous (read_only)")
        has_history = con.execute(
            "select count(*) from duckdb_tables() where database_name = 'previous' "
            "and schema_name = 'publication' and table_name = 'measure_value_history'"
        ).fetchone()[0]
        if has_history:
            con.execute(
                "insert into publication.measure_value_history "
                "select * from previous.publication.measure_value_history"
            )
        con.execute("detach previous")
    con.execute(
        f"""
        update publication.measure_value_history as h
        set published_until = $now
        where published_until is null
            and not exists (select 1 from marts.measure_values as v where {SAME_FIGURE})
        """,
        {"now": now},
    )
    con.execute(
        f"""
        insert into publication.measure_value_history
        select
            v.measure_value_key, v.measure_id, v.area_code, v.period_id, v.value,
            v.numerator, v.denominator, v.value_note, v.submission_ids,
            $now, null, $publication_id
        from marts.measure_values as v
        where not exists (
            select 1 from publication.measure_value_history as h
            where h.published_until is null and {SAME_FIGURE}
        )
        """,
        {"now": now, "publication_id": publication_id},
    )


def _write_parquet(database: Path, published: Path, publication_id: str) -> Path:
    """Parquet copies of the marts in a new folder, then swap the `parquet` link to it."""
    root = published.parent / "publications"
    target = root / publication_id / "parquet"
    target.mkdir(parents=True)
    with duckdb.connect(str(database), read_only=True) as con:
        for (table,) in con.execute(
            "select table_name from information_schema.tables where table_schema = 'marts'"
        ).fetchall():
            con.execute(f"copy marts.{table} to '{target / table}.parquet' (format parquet)")
    link = published.parent / "published_parquet"
    temporary_link = link.with_name(f".{link.name}.{publication_id}")
    temporary_link.symlink_to(target, target_is_directory=True)
    os.replace(temporary_link, link)
    for old in sorted(p for p in root.iterdir() if p.is_dir())[:-KEEP_PUBLICATIONS]:
        shutil.rmtree(old, ignore_errors=True)
    return link
