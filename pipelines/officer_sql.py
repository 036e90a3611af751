"""Officers' own SQL against the publication, within limits.

An officer's query must neither change anything nor take the server down with it. So a
query is one statement that reads, as DuckDB's own parser sees it (a SELECT, or an EXPLAIN
of one; DuckDB parses SHOW, DESCRIBE, SUMMARIZE and the pragmas that only read as SELECTs),
run on the locked-down read-only connection of `pipelines.reporting.published` with a time
limit (DuckDB has none of its own, so a timer interrupts the connection), a memory limit,
and temporary files spilled only into a folder of its own with a size limit, removed
afterwards. Only the rows printed are kept in memory; the others are counted as they
stream past.
"""

from __future__ import annotations

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
    return Answer(frame=pl.from_arrow(table), rows=rows)
