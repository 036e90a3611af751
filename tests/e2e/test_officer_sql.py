"""`wellbeing sql` within limits: one statement that reads, as DuckDB's parser sees it; a
time limit that interrupts a runaway query; a memory limit; temporary files only in a
folder of their own, bounded and removed; and a plain message, never a traceback. Its
answers print as a table, CSV, JSON or Markdown, counts as whole numbers, and `--tables`
lists the tables with their full descriptions."""

from __future__ import annotations

import csv
import io
import json
import tempfile
import time
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from pipelines import settings
from pipelines.cli import EXIT_QUERY_FAILED, EXIT_USAGE, main


@pytest.fixture
def published(tmp_path: Path) -> Path:
    """A small publication: a marts table of 1,000 rows, described as dbt describes them."""
    path = tmp_path / "published.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts")
        con.execute(
            "create table marts.measure_values as "
            "select range as period, range * 2 as value from range(1000)"
        )
        quoted = DESCRIPTION.replace("'", "''")
        con.execute(f"comment on table marts.measure_values is '{quoted}'")
    return path


DESCRIPTION = (
    "Every measure for every area and period in one long table: the figure, what it is made "
    "of, its unit, whether every part of the period was received, and the ledger submissions "
    "it was computed from, so any figure can be traced back to the partner's file and row."
)


def sql(published: Path, *args: str):
    return CliRunner().invoke(main, ["sql", *args], env={settings.PUBLISHED_ENV: str(published)})


def test_one_reading_statement_prints_its_first_rows_and_counts_the_rest(published) -> None:
    result = sql(published, "select * from marts.measure_values order by period", "--max-rows", "3")
    assert result.exit_code == 0, result.output
    assert "| 2      | 4     |" in result.output
    assert "| 3      |" not in result.output
    assert "(1,000 rows; 3 shown: use --max-rows to see more)" in result.output


@pytest.mark.parametrize(
    "statement",
    [
        "show tables",
        "describe marts.measure_values",
        "summarize marts.measure_values",
        "pragma show_tables",
        "pragma table_info('marts.measure_values')",
        "explain select count(*) from marts.measure_values",
        "with v as (select value from marts.measure_values) select max(value) from v",
        "from marts.measure_values limit 1",
    ],
)
def test_statements_that_only_read_run(published, statement: str) -> None:
    result = sql(published, statement)
    assert result.exit_code == 0, result.output


def test_two_statements_are_refused_and_neither_runs(published) -> None:
    result = sql(published, "select 1 as first; select 2 as second")
    assert result.exit_code == EXIT_QUERY_FAILED, result.output
    assert "one statement at a time; this has 2" in result.output
    assert "|" not in result.output, "no table: nothing ran"


@pytest.mark.parametrize(
    ("statement", "kind"),
    [
        ("create temp table scratch as select 1 as x", "CREATE"),
        ("checkpoint", "CALL"),
        ("call checkpoint()", "CALL"),
        ("set memory_limit = '100GB'", "SET"),
        ("reset memory_limit", "SET"),
        ("pragma memory_limit = '100GB'", "SET"),
        ("pragma enable_profiling", "PRAGMA"),
        ("attach 'other.duckdb' as other", "ATTACH"),
        ("copy marts.measure_values to 'leak.csv'", "COPY"),
        ("install httpfs", "LOAD"),
        ("load httpfs", "LOAD"),
        ("begin transaction", "TRANSACTION"),
        ("use memory", "SET"),
        ("explain analyze create temp table scratch as select 1 as x", "CREATE"),
    ],
)
def test_statements_that_would_change_anything_are_refused(
    published, statement: str, kind: str
) -> None:
    before = published.read_bytes()
    result = sql(published, statement)
    assert result.exit_code == EXIT_QUERY_FAILED, result.output
    assert f"Refused: this is a {kind} statement" in result.output
    assert "Traceback" not in result.output
    assert published.read_bytes() == before


def test_a_runaway_query_is_stopped_at_its_time_limit(published) -> None:
    started = time.monotonic()
    result = sql(
        published,
        "select count(*) from marts.measure_values a, marts.measure_values b, "
        "marts.measure_values c, marts.measure_values d",
        "--timeout",
        "1",
    )
    assert time.monotonic() - started < 15
    assert result.exit_code == EXIT_QUERY_FAILED, result.output
    assert "Stopped after 1 s, the time limit (--timeout)" in result.output


def test_a_query_beyond_its_memory_limit_is_stopped_with_a_message(published) -> None:
    result = sql(published, "select list(range) from range(50000000)", "--memory-limit", "50MB")
    assert result.exit_code == EXIT_QUERY_FAILED, result.output
    assert "needed more than its memory limit of 50MB (--memory-limit)" in result.output
    assert "SET memory_limit" not in result.output, "officers cannot SET; do not suggest it"


def test_limits_are_set_and_spill_goes_to_a_bounded_folder_of_its_own(published) -> None:
    result = sql(
        published,
        "select current_setting('memory_limit') as memory, "
        "current_setting('max_temp_directory_size') as spill, "
        "current_setting('temp_directory') as folder",
        "--memory-limit",
        "1GB",
    )
    assert result.exit_code == 0, result.output
    assert "953.6 MiB" in result.output and "3.7 GiB" in result.output
    folder = next(w for w in result.output.split() if "wellbeing-sql-" in w)
    assert folder.startswith(tempfile.gettempdir())
    assert not Path(folder).exists(), "the spill folder is removed afterwards"


def test_a_memory_limit_that_is_not_a_size_is_a_usage_error(published) -> None:
    result = sql(published, "select 1", "--memory-limit", "lots")
    assert result.exit_code == EXIT_USAGE
    assert "'lots' is not a size such as 2GB or 500MB" in result.output


def test_a_column_of_whole_numbers_prints_as_counts_and_fractions_keep_decimals(
    published,
) -> None:
    query = (
        "select cast(value as double) as events, value / 4 as quarter_events "
        "from marts.measure_values where period in (1, 2) order by period"
    )
    result = sql(published, query, "--mode", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["events"] for r in rows] == ["2", "4"]
    assert [r["quarter_events"] for r in rows] == ["0.5", "1.0"]
    table = sql(published, "select sum(cast(value as double)) as total from marts.measure_values")
    assert "| 999,000 |" in table.output and "999,000.0" not in table.output


def test_json_mode_prints_the_rows_as_a_list(published) -> None:
    result = sql(
        published,
        "select period, value from marts.measure_values order by period",
        "--mode",
        "json",
        "--max-rows",
        "2",
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == [{"period": 0, "value": 0}, {"period": 1, "value": 2}]
    assert "(1,000 rows; 2 written" in result.stderr


def test_markdown_mode_prints_a_table_with_every_value_in_full(published) -> None:
    long_text = "x" * 120 + " | y"
    result = sql(published, f"select 7 as period, '{long_text}' as note", "--mode", "markdown")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "| period | note |",
        "|---:|---|",
        f"| 7 | {long_text.replace('|', chr(92) + '|')} |",
    ]


def test_tables_lists_every_table_with_its_whole_description(published) -> None:
    result = sql(published, "--tables")
    assert result.exit_code == 0, result.output
    assert "marts.measure_values (1,000 rows)" in result.output
    assert " ".join(result.output.split()).count(DESCRIPTION) == 1
    as_json = json.loads(sql(published, "--tables", "--mode", "json").stdout)
    assert as_json == [{"table": "marts.measure_values", "rows": 1000, "description": DESCRIPTION}]


def test_sql_needs_a_query_or_tables(published) -> None:
    assert sql(published).exit_code == EXIT_USAGE
    assert sql(published, "select 1", "--tables").exit_code == EXIT_USAGE
