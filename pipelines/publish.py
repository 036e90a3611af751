"""Write, audit, publish: copy a passing build to the read-only file officers query.

The publication is written to a temporary file beside the published one and moved into
place with an atomic rename, so a reader opening the published file gets either the
previous complete publication or the new one, never a half-built state; a reader already
connected keeps the file it opened. Parquet copies of the marts are swapped the same way,
through a symbolic link.

A publication killed part way leaves a temporary file, or a Parquet folder that no
publication records; the next publication removes them before it starts (the writer lock
means no other publication can be under way), and the three Parquet folders kept are
those of the last three completed publications.

Only the writer's user may write what is published: the file and the Parquet copies are
readable by the writer's group (officers, see the README) and by no one else.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import uuid
from datetime import UTC, datetime
from pathlib import Path

import duckdb

PUBLISHED_SCHEMAS = ("marts", "reference", "quality", "ledger")
KEEP_PUBLICATIONS = 3
FILE_MODE = 0o640
FOLDER_MODE = 0o750


class PublicationBlocked(Exception):
    """Blocking findings stop publication; the previous publication stays in place."""

    def __init__(self, reasons: list[str]) -> None:
        self.reasons = reasons
        super().__init__(
            f"{len(reasons)} blocking finding(s); nothing was published:\n"
            + "\n".join(f"- {r}" for r in reasons)
        )


@dataclasses.dataclass(frozen=True)
class Publication:
    publication_id: str
    published_at: datetime
    path: Path
    parquet_dir: Path
    tables: dict[str, int]
    submission_ids: list[int]
    checks_passed: list[str]
    leftovers_removed: tuple[Path, ...] = ()
    """What publications killed part way had left, removed before this one."""


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


def publications_folder(published: Path) -> Path:
    """Where each publication's Parquet copies are kept, a folder per publication."""
    return published.parent / "publications"


def parquet_link(published: Path) -> Path:
    """The link officers read the current Parquet copies through."""
    return published.parent / "published_parquet"


def remove_unfinished(published: Path) -> list[Path]:
    """Remove what publications killed part way left: temporary files and links, and
    Parquet folders of publications the published file does not record. The Parquet link
    is pointed back at the last completed publication when it points elsewhere. Call it
    holding the writer lock. Returns what was removed."""
    removed = [
        *published.parent.glob(f".{published.name}.*.tmp*"),
        *published.parent.glob(f".{parquet_link(published).name}.*"),
    ]
    for leftover in removed:
        leftover.unlink(missing_ok=True)
    completed = [row[0] for row in _previous_publications(published)]
    root = publications_folder(published)
    for folder in sorted(root.iterdir()) if root.is_dir() else []:
        if folder.name not in completed:
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    kept = [root / name / "parquet" for name in completed if (root / name / "parquet").is_dir()]
    link = parquet_link(published)
    if kept and (not link.is_symlink() or link.resolve() != kept[-1].resolve()):
        _point_link(link, kept[-1], "recovered")
    elif not kept and link.is_symlink() and not link.exists():
        link.unlink()
    return removed


def _previous_publications(published: Path) -> list[tuple]:
    if not published.exists():
        return []
    with duckdb.connect(str(published), read_only=True) as con:
        try:
            return con.execute(
                "select * from publication.publications order by published_at, publication_id"
            ).fetchall()
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
    leftovers = tuple(remove_unfinished(published))
    temporary = published.with_name(f".{published.name}.{publication_id}.tmp")
    with duckdb.connect(str(working), read_only=True) as con:
        reasons = blocking_findings(con)
    if reasons:
        raise PublicationBlocked(reasons)
    history = _previous_publications(published)
    try:
        publication = _build(
            working, temporary, published, publication_id, now, run_id, history, checks_passed or []
        )
    finally:
        temporary.unlink(missing_ok=True)
    _keep_latest([*(row[0] for row in history), publication_id], published)
    return dataclasses.replace(publication, leftovers_removed=leftovers)


def _build(working, temporary, published, publication_id, now, run_id, history, checks):
    """Write the whole publication to a temporary file, then move it into place."""
    with duckdb.connect(str(temporary)) as out:
        out.execute(f"attach '{working}' as working (read_only)")
        tables: dict[str, int] = {}
        chosen = _published_tables(out)
        for schema, table in chosen:
            out.execute(f"create schema if not exists {schema}")
            out.execute(f"create table {schema}.{table} as select * from working.{schema}.{table}")
            tables[f"{schema}.{table}"] = out.execute(
                f"select count(*) from {schema}.{table}"
            ).fetchone()[0]
        _copy_comments(out, chosen)
        submission_ids = _current_submissions(out) if "ledger.submissions" in tables else []
        out.execute("detach working")
        _record_publication(
            out, history, publication_id, now, run_id, submission_ids, checks, tables
        )
        if "marts.measure_values" in tables:
            _record_value_history(out, published, publication_id, now)
        out.execute("checkpoint")

    parquet_dir = publications_folder(published) / publication_id / "parquet"
    _write_parquet(temporary, parquet_dir)
    temporary.chmod(FILE_MODE)
    os.replace(temporary, published)
    link = parquet_link(published)
    _point_link(link, parquet_dir, publication_id)
    return Publication(publication_id, now, published, link, tables, submission_ids, checks)


def _current_submissions(con: duckdb.DuckDBPyConnection) -> list[int]:
    rows = con.execute(
        "select submission_id from ledger.submissions where status = 'accepted' "
        "order by submission_id"
    ).fetchall()
    return [row[0] for row in rows]


def _copy_comments(con: duckdb.DuckDBPyConnection, tables: list[tuple[str, str]]) -> None:
    """Keep dbt's descriptions (persisted as comments) so officers see them in the file. A
    model built as a view in the working warehouse (published as a table) has its
    description on the view. Read from the catalogue once and written as one batch of
    statements: a query and a statement a column took seconds of every publication."""
    chosen = {f"{schema}.{table}" for schema, table in tables}
    described = con.execute(
        """
        select schema_name, table_name, null as column_name, comment
        from duckdb_tables() where database_name = 'working'
        union all
        select schema_name, view_name, null, comment
        from duckdb_views() where database_name = 'working'
        union all
        select schema_name, table_name, column_name, comment
        from duckdb_columns() where database_name = 'working'
        """
    ).fetchall()
    statements = []
    for schema, table, column, comment in described:
        if not comment or f"{schema}.{table}" not in chosen:
            continue
        if column is None:
            statements.append(f"comment on table {schema}.{table} is {_literal(comment)}")
        else:
            statements.append(
                f'comment on column {schema}.{table}."{column}" is {_literal(comment)}'
            )
    if statements:
        con.execute(";\n".join(statements))


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


def _write_parquet(database: Path, target: Path) -> None:
    """Parquet copies of the marts in the publication's own folder."""
    target.mkdir(parents=True, mode=FOLDER_MODE)
    with duckdb.connect(str(database), read_only=True) as con:
        for (table,) in con.execute(
            "select table_name from information_schema.tables where table_schema = 'marts'"
        ).fetchall():
            con.execute(f"copy marts.{table} to '{target / table}.parquet' (format parquet)")
    for written in target.iterdir():
        written.chmod(FILE_MODE)


def _point_link(link: Path, target: Path, name: str) -> None:
    """Swap the link to `target` atomically: a temporary link renamed over it."""
    temporary_link = link.with_name(f".{link.name}.{name}")
    temporary_link.unlink(missing_ok=True)
    temporary_link.symlink_to(target, target_is_directory=True)
    os.replace(temporary_link, link)


def _keep_latest(completed: list[str], published: Path) -> None:
    """Keep the Parquet folders of the last completed publications, remove the others."""
    root = publications_folder(published)
    for name in completed[:-KEEP_PUBLICATIONS]:
        shutil.rmtree(root / name, ignore_errors=True)
