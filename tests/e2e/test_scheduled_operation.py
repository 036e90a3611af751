"""Running as a service, end to end on a copy of the sample warehouse.

A new month of police data starts a run of only that month's partition and what is built
from it, while an officer's reader in another process sees only complete publications; the
same run again changes nothing. A corrected file for the month supersedes the first, and
the as-published history answers for a date before and after the correction. A file with a
blocking problem publishes nothing and leaves the previous publication in place.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from collections.abc import Callable
from datetime import date
from pathlib import Path

import dagster as dg
import duckdb
import polars as pl
import pytest

from pipelines.operations.sensors import changed_files, raw_files_sensor

SEVENOAKS = "E07000111"


def police_month(
    raw: Path, month: str, change: Callable[[pl.DataFrame], pl.DataFrame] = lambda f: f
) -> Path:
    """A whole Kent month, made from the sample's March 2025 with its Month column moved."""
    march = pl.read_csv(raw / "police" / "2025-03" / "2025-03-kent-street.csv", infer_schema=False)
    frame = change(march.with_columns(pl.lit(month).alias("Month")))
    path = raw / "police" / month / f"{month}-kent-street.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    frame.write_csv(path)
    return path


def sensor_run(instance: dg.DagsterInstance, cursor: str) -> tuple[dg.RunRequest, str]:
    from pipelines.assembly import load_defs

    defs = load_defs()

    context = dg.build_sensor_context(cursor=cursor, instance=instance, definitions=defs)
    requests = raw_files_sensor.evaluate_tick(context).run_requests
    assert len(requests) == 1
    return requests[0], context.cursor


def execute(instance: dg.DagsterInstance, request: dg.RunRequest) -> dg.ExecuteInProcessResult:
    """What the daemon does with the sensor's request: run that job, selection and range."""
    from pipelines.assembly import load_defs

    defs = load_defs()

    return defs.resolve_job_def(request.job_name).execute_in_process(
        instance=instance,
        asset_selection=request.asset_selection,
        tags=request.tags,
        raise_on_error=False,
    )


def materialized(result: dg.ExecuteInProcessResult) -> dict[str, str | None]:
    return {
        event.asset_key.to_user_string(): event.partition
        for event in result.get_asset_materialization_events()
    }


def published_value(published: Path, measure: str, period: str) -> float | None:
    with duckdb.connect(str(published), read_only=True) as con:
        row = con.execute(
            "select value from marts.measure_values "
            "where measure_id = ? and area_code = ? and period_id = ?",
            [measure, SEVENOAKS, period],
        ).fetchone()
    return row[0] if row else None


def latest_publication(published: Path) -> str:
    with duckdb.connect(str(published), read_only=True) as con:
        return con.execute(
            "select publication_id from publication.publications order by published_at desc limit 1"
        ).fetchone()[0]


def warehouse_state(working: Path) -> dict[str, object]:
    """Row counts of the ledger, the police rows and the marts, and every figure's value."""
    with duckdb.connect(str(working), read_only=True) as con:
        counts = {
            table: con.execute(f"select count(*) from {table}").fetchone()[0]
            for table in (
                "ledger.submissions",
                "raw.police__street_crimes",
                "marts.measure_values",
                "marts.measure_trends",
                "marts.measure_status",
            )
        }
        figures = con.execute(
            "select measure_value_key, value from marts.measure_values order by 1"
        ).fetchall()
    return {"counts": counts, "figures": figures}


def same_figure(was: float | None, now: float | None) -> bool:
    if was is None or now is None:
        return was == now
    return now == pytest.approx(was, rel=1e-12, abs=1e-12)


READER = textwrap.dedent(
    """
    import json, sys, time, duckdb
    from pathlib import Path
    path, stop = sys.argv[1], Path(sys.argv[2])
    seen, errors, queries = set(), [], 0
    while not stop.exists():
        try:
            with duckdb.connect(path, read_only=True) as con:
                publication, counts = con.execute(
                    "select publication_id, table_row_counts from publication.publications "
                    "order by published_at desc limit 1"
                ).fetchone()
                rows = con.execute("select count(*) from marts.measure_values").fetchone()[0]
            expected = json.loads(counts)["marts.measure_values"]
            if rows != expected:
                errors.append(f"{publication}: {rows} rows, its record says {expected}")
            seen.add(publication)
            queries += 1
        except Exception as error:
            errors.append(repr(error))
        time.sleep(0.05)
    print(json.dumps({"seen": sorted(seen), "errors": errors[:5], "queries": queries}))
    """
)


def test_new_month_runs_its_partition_and_a_correction_keeps_history(sample_copy, tmp_path) -> None:
    with dg.instance_for_test() as instance:
        cursor = json.dumps(
            {p: sha for files in changed_files({}).values() for p, sha in files.items()}
        )
        first_publication = latest_publication(sample_copy.published)
        april = police_month(sample_copy.raw, "2025-04")
        request, cursor = sensor_run(instance, cursor)
        assert request.job_name == "monthly_returns"

        stop = tmp_path / "stop-reading"
        reader = subprocess.Popen(
            [sys.executable, "-c", READER, str(sample_copy.published), str(stop)],
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            result = execute(instance, request)
        finally:
            stop.touch()
            observed = json.loads(reader.communicate(timeout=60)[0])
        assert result.success

        built = materialized(result)
        assert built["raw/police__street_crimes"] == "2025-04"
        assert not [key for key in built if key.startswith("raw/") and "police" not in key]
        assert "marts/measure_values" in built and "publication/published_warehouse" in built
        assert "staging/stg_waste__missed_collections" not in built

        with duckdb.connect(str(sample_copy.working), read_only=True) as con:
            new = con.execute(
                "select file_path, status, period_start from ledger.submissions "
                "where submission_id = (select max(submission_id) from ledger.submissions)"
            ).fetchone()
        assert new == ("police/2025-04/2025-04-kent-street.csv", "accepted", date(2025, 4, 1))

        assert observed["errors"] == [] and observed["queries"] > 0
        second_publication = latest_publication(sample_copy.published)
        assert set(observed["seen"]) <= {first_publication, second_publication}
        reported = published_value(sample_copy.published, "victim_based_crimes", "2025-04")
        assert reported == published_value(sample_copy.published, "victim_based_crimes", "2025-03")

        # Running the same run again changes nothing: no rows added or lost anywhere.
        before = warehouse_state(sample_copy.working)
        assert execute(instance, request).success
        after = warehouse_state(sample_copy.working)
        assert after["counts"] == before["counts"]
        # Every figure the same; DuckDB sums floating-point numbers across threads in no fixed
        # order, so a rate may move in its last bits (1e-15), never more.
        assert [key for key, _ in before["figures"]] == [key for key, _ in after["figures"]]
        changed = {
            key: (was, now)
            for (key, was), (_, now) in zip(before["figures"], after["figures"], strict=True)
            if not same_figure(was, now)
        }
        assert changed == {}

        # The police correct April: ten fewer Sevenoaks burglaries.
        burglaries = (pl.col("LSOA name").str.starts_with("Sevenoaks")) & (
            pl.col("Crime type") == "Burglary"
        )
        police_month(
            sample_copy.raw,
            "2025-04",
            lambda f: f.filter(~(burglaries & (pl.int_range(pl.len()).over(burglaries) < 10))),
        )
        correction, cursor = sensor_run(instance, cursor)
        assert execute(instance, correction).success
        corrected = published_value(sample_copy.published, "victim_based_crimes", "2025-04")
        assert corrected == reported - 10

        with duckdb.connect(str(sample_copy.working), read_only=True) as con:
            versions = con.execute(
                "select status from ledger.submissions where period = '2025-04' "
                "order by submission_id"
            ).fetchall()
        assert versions == [("superseded",), ("accepted",)]
        with duckdb.connect(str(sample_copy.published), read_only=True) as con:
            history = con.execute(
                "select published_from, published_until, value "
                "from publication.measure_value_history "
                "where measure_value_key = ? order by published_from",
                [f"victim_based_crimes|{SEVENOAKS}|2025-04"],
            ).fetchall()
            between = history[0][0] + (history[1][0] - history[0][0]) / 2
            as_published = con.execute(
                "select value from publication.measure_values_as_published(?) "
                "where measure_value_key = ?",
                [between, f"victim_based_crimes|{SEVENOAKS}|2025-04"],
            ).fetchone()[0]
        assert [row[2] for row in history] == [reported, corrected]
        assert history[0][1] == history[1][0] and history[1][1] is None
        assert as_published == reported
        assert april.exists()


def test_blocking_problem_keeps_the_previous_publication(sample_copy) -> None:
    with dg.instance_for_test() as instance:
        cursor = json.dumps(
            {p: sha for files in changed_files({}).values() for p, sha in files.items()}
        )
        before = latest_publication(sample_copy.published)
        before_bytes = sample_copy.published.read_bytes()
        police_month(
            sample_copy.raw,
            "2025-05",
            # Thanet is missing: a month that leaves out a district cannot be trusted.
            lambda f: f.filter(~pl.col("LSOA name").str.starts_with("Thanet")),
        )
        request, _ = sensor_run(instance, cursor)
        result = execute(instance, request)
        assert not result.success
        failed = [event.step_key for event in result.all_events if event.is_step_failure]
        assert failed == ["publication__published_warehouse"]
        failure = next(e for e in result.all_events if e.is_step_failure)
        assert "2025-05-kent-street.csv" in failure.event_specific_data.error.message
        assert latest_publication(sample_copy.published) == before
        assert sample_copy.published.read_bytes() == before_bytes
        with duckdb.connect(str(sample_copy.working), read_only=True) as con:
            blocking = con.execute(
                "select count(*) from quality.findings "
                "where severity = 'blocking' and status = 'open'"
            ).fetchone()[0]
        assert blocking >= 1
