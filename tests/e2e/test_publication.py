"""Write, audit, publish: a publication is complete or absent, blocking findings keep the
previous one in place, and a reader querying during publication never sees an error or a
half-built state."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from pipelines.publish import PublicationBlocked, publish


def build_working(path: Path, rows: int, blocking: bool = False, scale: int = 1) -> None:
    """A small working warehouse shaped like the real one: measure `m` for area `A` has
    the value `period * scale` in periods 0 to rows - 1."""
    with duckdb.connect(str(path)) as con:
        for schema in ("marts", "ledger", "quality", "staging"):
            con.execute(f"create schema if not exists {schema}")
        con.execute("create or replace view staging.not_published as select 1 as x")
        con.execute(
            "create or replace table marts.measure_values as select "
            "'m|A|' || range as measure_value_key, 'm' as measure_id, 'A' as area_code, "
            f"range::varchar as period_id, range * {scale} as value, "
            "null::double as numerator, null::double as denominator, null as value_note, "
            f"[1] as submission_ids, {rows} as batch from range({rows})"
        )
        con.execute("comment on table marts.measure_values is 'Every measure.'")
        con.execute("comment on column marts.measure_values.value is 'The figure, it''s said.'")
        con.execute("comment on column staging.not_published.x is 'Not published.'")
        con.execute(
            "create or replace table ledger.submissions as "
            "select 1 as submission_id, 'accepted' as status"
        )
        con.execute(
            "create or replace table quality.findings as select "
            f"'{'blocking' if blocking else 'warning'}' as severity, 'open' as status, "
            "'raw/police/2019-04.csv, row 7, column ''Month'': not a month' as message"
        )
        con.execute(
            "create or replace view marts.measure_value_notes as "
            "select message from quality.findings"
        )


def test_publication_copies_marts_and_records_itself(tmp_path: Path) -> None:
    working, published = tmp_path / "working.duckdb", tmp_path / "published.duckdb"
    build_working(working, rows=10)
    first = publish(working, published, checks_passed=["raw/police:no_file_in_quarantine"])
    build_working(working, rows=20)
    second = publish(working, published)
    assert first.publication_id != second.publication_id
    with duckdb.connect(str(published), read_only=True) as con:
        assert con.execute("select count(*) from marts.measure_values").fetchone()[0] == 20
        history = con.execute(
            "select publication_id, submission_ids, checks_passed "
            "from publication.publications order by published_at"
        ).fetchall()
        comment = con.execute(
            "select comment from duckdb_tables() where table_name = 'measure_values'"
        ).fetchone()[0]
        column_comments = con.execute(
            "select table_name, column_name, comment from duckdb_columns() "
            "where comment is not null"
        ).fetchall()
        schemas = {r[0] for r in con.execute("select schema_name from duckdb_tables()").fetchall()}
    assert history == [
        (first.publication_id, [1], ["raw/police:no_file_in_quarantine"]),
        (second.publication_id, [1], []),
    ]
    assert comment == "Every measure."
    assert column_comments == [("measure_values", "value", "The figure, it's said.")]
    assert "staging" not in schemas
    with duckdb.connect(str(published), read_only=True) as con:
        notes = con.execute(
            "select table_type from information_schema.tables "
            "where table_name = 'measure_value_notes'"
        ).fetchone()
    assert notes == ("BASE TABLE",)
    assert (second.parquet_dir / "measure_values.parquet").exists()
    assert not list(tmp_path.glob(".published*tmp"))


def test_blocking_finding_keeps_previous_publication(tmp_path: Path) -> None:
    working, published = tmp_path / "working.duckdb", tmp_path / "published.duckdb"
    build_working(working, rows=10)
    publish(working, published)
    before = published.read_bytes()
    build_working(working, rows=99, blocking=True)
    with pytest.raises(PublicationBlocked) as blocked:
        publish(working, published)
    assert "row 7, column 'Month'" in str(blocked.value)
    assert published.read_bytes() == before
    with duckdb.connect(str(published), read_only=True) as con:
        assert con.execute("select count(*) from marts.measure_values").fetchone()[0] == 10


def test_history_answers_what_was_published_on_a_date(tmp_path: Path) -> None:
    working, published = tmp_path / "working.duckdb", tmp_path / "published.duckdb"
    days = [datetime(2025, 5, 1), datetime(2025, 6, 1), datetime(2025, 7, 1)]
    build_working(working, rows=3)
    publish(working, published, now=days[0])
    publish(working, published, now=days[1])
    build_working(working, rows=2, scale=10)
    publish(working, published, now=days[2])

    def as_published(day: str) -> dict[str, float]:
        with duckdb.connect(str(published), read_only=True) as con:
            rows = con.execute(
                "select period_id, value from "
                "publication.measure_values_as_published(?::timestamp)",
                [day],
            ).fetchall()
        return dict(rows)

    assert as_published("2025-04-30") == {}
    assert as_published("2025-06-15") == {"0": 0, "1": 1, "2": 2}
    assert as_published("2025-07-01") == {"0": 0, "1": 10}
    with duckdb.connect(str(published), read_only=True) as con:
        versions = con.execute(
            "select period_id, count(*) from publication.measure_value_history "
            "group by period_id order by period_id"
        ).fetchall()
    # Period 0 never changed: one row through three publications. Period 2 was withdrawn.
    assert versions == [("0", 1), ("1", 2), ("2", 1)]


READER = textwrap.dedent(
    """
    import sys, time, duckdb
    path, seconds = sys.argv[1], float(sys.argv[2])
    seen, errors, deadline = set(), [], time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with duckdb.connect(path, read_only=True) as con:
                batch, rows = con.execute(
                    "select min(batch), count(*) from marts.measure_values"
                ).fetchone()
                if batch != rows:
                    errors.append(f"half-built: batch {batch} with {rows} rows")
                seen.add(rows)
        except Exception as error:
            errors.append(repr(error))
    print(len(seen), len(errors))
    for e in errors[:5]:
        print(e)
    """
)


def test_reader_during_publication_sees_only_complete_publications(tmp_path: Path) -> None:
    working, published = tmp_path / "working.duckdb", tmp_path / "published.duckdb"
    build_working(working, rows=1000)
    publish(working, published)
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(published), "6"],
        stdout=subprocess.PIPE,
        text=True,
    )
    for rows in range(2000, 14000, 1000):
        build_working(working, rows=rows)
        publish(working, published)
    output, _ = reader.communicate(timeout=60)
    counts, *errors = output.splitlines()
    distinct_seen, error_count = counts.split()
    assert int(error_count) == 0, errors
    assert int(distinct_seen) >= 2
