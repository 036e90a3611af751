"""Officers' own SQL against the publication, within limits.

An officer's query must neither change anything nor take the server down with it. So a
query is one statement that reads, as DuckDB's own parser sees it (a SELECT, or an EXPLAIN
of one; DuckDB parses SHOW, DESCRIBE, SUMMARIZE and the pragmas that only read as SELECTs),
run on the locked-down read-only connection of `pipelines.reporting.published` with a time
limit (DuckDB has none of its own, so a timer interrupts the connection), a memory limit,
and temporary files spilled only into a folder of its own with a size limit, removed
afterwards. Only the rows printed are kept in memory; the others are counted as they
stream past.

The answer prints as a table for the terminal, or as CSV, JSON or Markdown to paste or pipe
elsewhere. A column of whole numbers (a count stored as a double, a sum) prints without
decimals in every mode, as the report prints counts: 1,396, not 1,396.0.
"""

from __future__ import annotations

import json
import re
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl
import pyarrow as pa

from pipelines.reporting import published

DEFAULT_TIMEOUT_SECONDS = 60.0
DEFAULT_MEMORY_LIMIT = "2GB"
SPILL_LIMIT = "4GB"
"""Temporary files a query may spill to disk once it reaches its memory limit."""
EXPLAIN = re.compile(r"\s*explain\s+(analy[sz]e\s+)?", re.IGNORECASE)
SIZE = re.compile(r"\d+(\.\d+)?\s*(b|kb|mb|gb|tb|kib|mib|gib|tib)", re.IGNORECASE)
MODES = ("table", "csv", "json", "markdown")


class QueryRefused(Exception):
    """The query is not one statement that only reads."""


class QueryStopped(Exception):
    """The query reached its time or memory limit and was stopped."""


@dataclass(frozen=True)
class Answer:
    frame: pl.DataFrame
    """The first rows, as many as were asked for."""
    rows: int
    """How many rows the query returned in all."""


def read_statement(query: str) -> str:
    """The query, once DuckDB's parser has found it to be one statement that reads."""
    try:
        statements = duckdb.extract_statements(query)
    except duckdb.Error as error:
        raise QueryRefused(str(error).strip()) from error
    if len(statements) != 1:
        raise QueryRefused(
            f"Refused: `wellbeing sql` runs one statement at a time; this has {len(statements)}. "
            "Run each on its own."
        )
    (statement,) = statements
    kind = statement.type
    if kind == duckdb.StatementType.EXPLAIN:
        explained = duckdb.extract_statements(EXPLAIN.sub("", statement.query, count=1))
        kind = explained[0].type if len(explained) == 1 else kind
    if kind != duckdb.StatementType.SELECT:
        raise QueryRefused(
            f"Refused: this is a {kind.name} statement. `wellbeing sql` runs statements that "
            "only read the published warehouse (SELECT, SHOW, DESCRIBE, SUMMARIZE, EXPLAIN): "
            "it cannot change it, change settings, write or read files, attach databases or "
            "install extensions."
        )
    return query


def valid_size(text: str) -> bool:
    """A memory size DuckDB understands, such as 2GB or 500MB."""
    return SIZE.fullmatch(text.strip()) is not None


def run(
    query: str,
    *,
    timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS,
    memory_limit: str = DEFAULT_MEMORY_LIMIT,
    max_rows: int = 50,
    path: Path | None = None,
) -> Answer:
    """Run one reading statement on the publication within the limits.

    Raises QueryRefused for anything but one reading statement, QueryStopped when a limit
    is reached, and DuckDB's own error when the query fails otherwise.
    """
    statement = read_statement(query)
    with tempfile.TemporaryDirectory(prefix="wellbeing-sql-") as spill:
        config = {
            **published.LOCKED_DOWN,
            "memory_limit": memory_limit,
            "temp_directory": spill,
            "max_temp_directory_size": SPILL_LIMIT,
        }
        with duckdb.connect(
            str(published.published_file(path)), read_only=True, config=config
        ) as con:
            timer = threading.Timer(timeout_seconds, con.interrupt)
            timer.start()
            try:
                return _fetch(con.execute(statement), max_rows)
            except duckdb.InterruptException as error:
                raise QueryStopped(
                    f"Stopped after {timeout_seconds:g} s, the time limit (--timeout): "
                    "the query was still running. Narrow it (filter, aggregate, join on keys) "
                    "or give it longer with --timeout."
                ) from error
            except duckdb.OutOfMemoryException as error:
                raise QueryStopped(
                    f"Stopped: the query needed more than its memory limit of {memory_limit} "
                    f"(--memory-limit) and {SPILL_LIMIT} of temporary files. Narrow it "
                    "(filter, aggregate, fewer columns) or raise --memory-limit.\n"
                    + str(error).strip().splitlines()[0]
                ) from error
            finally:
                timer.cancel()


def _fetch(result: duckdb.DuckDBPyConnection, max_rows: int) -> Answer:
    """Keep the first `max_rows` rows and count the rest as they stream past."""
    reader = result.fetch_record_batch(10_000)
    kept: list[pa.RecordBatch] = []
    rows = 0
    for batch in reader:
        if rows < max_rows:
            kept.append(batch.slice(0, max_rows - rows))
        rows += batch.num_rows
    table = pa.Table.from_batches(kept, schema=reader.schema)
    return Answer(frame=whole_numbers(pl.from_arrow(table)), rows=rows)


def whole_numbers(frame: pl.DataFrame) -> pl.DataFrame:
    """Decimal columns whose every value is a whole number become integers, so counts the
    warehouse stores as doubles (and their sums) print as counts."""
    whole = [
        name
        for name, dtype in frame.schema.items()
        if (dtype.is_float() or isinstance(dtype, pl.Decimal))
        and frame[name].null_count() < frame.height
        and frame.select(
            (pl.col(name).cast(pl.Float64).round(0) == pl.col(name).cast(pl.Float64))
            .fill_null(True)
            .all()
        ).item()
    ]
    return frame.with_columns(pl.col(whole).cast(pl.Int64)) if whole else frame


def as_text(frame: pl.DataFrame, mode: str) -> str:
    """The answer as CSV (text a spreadsheet would run as a formula escaped, as in the
    exports), JSON (a list of rows) or a Markdown table, every value in full."""
    from pipelines.reporting.exports import csv_safe

    if mode == "csv":
        return csv_safe(frame).write_csv()
    if mode == "json":
        return json.dumps(frame.to_dicts(), indent=2, ensure_ascii=False, default=str) + "\n"
    if mode == "markdown":
        return _markdown(frame)
    raise ValueError(f"Unknown output mode {mode!r}: choose one of {', '.join(MODES)}.")


def _markdown(frame: pl.DataFrame) -> str:
    numeric = [dtype.is_numeric() for dtype in frame.dtypes]
    lines = [
        "| " + " | ".join(_markdown_cell(name) for name in frame.columns) + " |",
        "|" + "|".join("---:" if right else "---" for right in numeric) + "|",
    ]
    lines += [
        "| " + " | ".join(_markdown_cell(value) for value in row) + " |"
        for row in frame.iter_rows()
    ]
    return "\n".join(lines) + "\n"


def _markdown_cell(value: object) -> str:
    if value is None:
        return ""
    text = "; ".join(map(str, value)) if isinstance(value, list) else str(value)
    return text.replace("|", "\\|").replace("\r\n", "<br>").replace("\n", "<br>")


def published_tables(path: Path | None = None) -> pl.DataFrame:
    """Every table and view officers can query: its name, rows and full description (the
    dbt docs the build persisted as comments)."""
    with published.connect(path) as con:
        return con.execute(
            """
            select schema_name || '.' || table_name as "table", estimated_size as rows,
                coalesce(comment, '') as description
            from duckdb_tables() where not internal
            union all
            select schema_name || '.' || view_name, null, coalesce(comment, '')
            from duckdb_views() where not internal
            order by 1
            """
        ).pl()
