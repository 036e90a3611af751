"""The expectations DuckDB runs find what Great Expectations finds on each submission alone:
the same findings, counts, example rows and verdicts under `mostly`, for spoilt police
months of the sample."""

from __future__ import annotations

import json
from hashlib import sha256 as _sha256
from pathlib import Path

import duckdb
import polars as pl
import pytest

from pipelines.ingest import ingest_return
from pipelines.quality import suites
from pipelines.returns.police_street import RETURN
from sample_data.police import write_police_returns


def spoil(path: Path, column: str, value: object, every: int, where=None) -> None:
    """Put `value` in `column` of every `every`-th row (of those `where` picks)."""
    frame = pl.read_csv(path, infer_schema=False)
    chosen = pl.int_range(pl.len()) % every == 0
    if where is not None:
        chosen = chosen & where
    frame = frame.with_columns(
        pl.when(chosen).then(pl.lit(value)).otherwise(pl.col(column)).alias(column)
    )
    frame.write_csv(path)


def findings(raw: Path, database: Path, **options) -> list:
    with duckdb.connect(str(database)) as con:
        ingest_return(con, RETURN, raw)
        outcome = suites.validate_return(con, RETURN.table, **options)
    assert len(outcome.submissions_validated) == 4
    return outcome.findings


def test_duckdb_finds_what_great_expectations_finds(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    months = write_police_returns(raw, "2023-09", "2023-12")
    september, october, november, december = months
    spoil(september, "Crime type", "Shoplifting!!", every=5000)
    spoil(september, "Crime type", None, every=7001)
    spoil(october, "LSOA code", "W01000001X", every=3000)
    # One row in a hundred far out to sea fails `mostly` (0.995); one in two thousand does not.
    spoil(november, "Longitude", "5.0", every=100)
    spoil(december, "Longitude", "5.0", every=2000)
    # One Crime ID repeated in one row in five hundred: past the one-in-a-thousand allowed.
    spoil(november, "Crime ID", "f" * 64, every=500, where=pl.col("Crime ID").is_not_null())
    # Every Sevenoaks record of December placed elsewhere: the district is missing.
    spoil(
        december,
        "LSOA name",
        "Narnia 001A",
        every=1,
        where=pl.col("LSOA name").str.starts_with("Sevenoaks"),
    )
    pl.read_csv(october, infer_schema=False).gather_every(3).write_csv(october)

    in_duckdb = findings(raw, tmp_path / "duckdb.duckdb")
    by_great_expectations = findings(raw, tmp_path / "gx.duckdb", in_duckdb=frozenset())

    assert in_duckdb == by_great_expectations
    failed = {(f.source_file.split("/")[1], f.check_name, f.detail) for f in in_duckdb}
    assert failed >= {
        ("2023-09", "value_not_allowed", "crime_type"),
        ("2023-09", "value_missing", "crime_type"),
        ("2023-10", "format_unexpected", "lsoa_code"),
        ("2023-10", "row_count_unusual", "expect_table_row_count_to_be_between"),
        ("2023-11", "value_out_of_range", "longitude"),
        ("2023-11", "record_duplicated", "crime_id"),
        ("2023-12", "district_missing", "district"),
    }
    assert ("2023-12", "value_out_of_range", "longitude") not in failed


def test_columns_that_passed_are_not_judged_again(tmp_path: Path, monkeypatch) -> None:
    """A new month with the columns and types that passed the suite before is validated
    without Great Expectations (whose import alone is seconds of every run); a changed suite
    is judged by Great Expectations again."""
    raw = tmp_path / "raw"
    months = write_police_returns(raw, "2023-09", "2023-11")
    held_back = months[-1].read_bytes()
    months[-1].unlink()
    with duckdb.connect(str(tmp_path / "warehouse.duckdb")) as con:
        ingest_return(con, RETURN, raw)
        first = suites.validate_return(con, RETURN.table)
        assert len(first.submissions_validated) == 2
        assert con.execute("select count(*) from quality.suite_columns_passed").fetchone() == (1,)

        months[-1].write_bytes(held_back)
        ingest_return(con, RETURN, raw)

        def judged_again(*args):
            raise AssertionError("Great Expectations judged columns that passed before")

        with monkeypatch.context() as patched:
            patched.setattr(suites, "_validator", judged_again)
            later = suites.validate_return(con, RETURN.table)
        assert len(later.submissions_validated) == 1
        assert later.findings == []

        suite, _ = suites.load_suite(RETURN.table)
        changed = json.dumps({**suite, "notes": "reviewed again"})
        reviewed = _sha256(changed.encode()).hexdigest()
        monkeypatch.setattr(suites, "load_suite", lambda name: (suite, reviewed))
        with pytest.raises(AssertionError, match="judged columns"):
            monkeypatch.setattr(suites, "_validator", judged_again)
            suites.validate_return(con, RETURN.table)
