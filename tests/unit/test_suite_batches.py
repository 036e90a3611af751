"""Validating a return's new submissions together finds what validating each alone finds:
the same findings, with the same counts, example rows and verdicts under `mostly`."""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl

from pipelines.ingest import ingest_return
from pipelines.quality import suites
from pipelines.returns.police_street import RETURN
from sample_data.police import write_police_returns


def spoil(path: Path, column: str, value: object, every: int) -> int:
    """Put `value` in `column` of every `every`-th row of a police file; how many rows."""
    frame = pl.read_csv(path, infer_schema=False)
    spoilt = pl.int_range(pl.len()) % every == 0
    frame = frame.with_columns(
        pl.when(spoilt).then(pl.lit(str(value))).otherwise(pl.col(column)).alias(column)
    )
    frame.write_csv(path)
    return int(frame.select(spoilt.sum()).item())


def findings(raw: Path, database: Path, batch_rows: int) -> list:
    with duckdb.connect(str(database)) as con:
        ingest_return(con, RETURN, raw)
        outcome = suites.validate_return(con, RETURN.table, batch_rows=batch_rows)
    assert len(outcome.submissions_validated) == 3
    return outcome.findings


def test_together_or_alone_the_findings_are_the_same(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    october, november, december = write_police_returns(raw, "2023-10", "2023-12")
    spoil(october, "Crime type", "Shoplifting!!", every=5000)
    # One row in a hundred far out to sea fails `mostly` (0.995); one in two thousand does not.
    spoil(november, "Longitude", 5.0, every=100)
    spoil(december, "Longitude", 5.0, every=2000)

    together = findings(raw, tmp_path / "together.duckdb", batch_rows=10**9)
    alone = findings(raw, tmp_path / "alone.duckdb", batch_rows=1)

    assert together == alone
    failed = {(f.source_file.split("/")[1], f.check_name, f.detail) for f in together}
    assert failed == {
        ("2023-10", "value_not_allowed", "crime_type"),
        ("2023-11", "value_out_of_range", "longitude"),
    }
