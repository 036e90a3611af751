"""The whole pipeline on the bundled sample: Dagster ingests every return, dbt builds and
tests every model, and the publication holds the council's published figures."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb

MEASURE_OF_REF = {"S2": "victim_based_crimes", "S3": "anti_social_behaviour_incidents"}


def sevenoaks_values(warehouse: Path) -> dict[tuple[str, str], float]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            "select measure_id, period_id, value from marts.measure_values "
            "where area_code = 'E07000111' and period_type = 'financial_year'"
        ).fetchall()
    return {(measure, period): value for measure, period, value in rows}


def test_run_succeeds_and_publishes(sample_warehouse) -> None:
    assert sample_warehouse.run_success
    assert sample_warehouse.published.exists()
    with duckdb.connect(str(sample_warehouse.published), read_only=True) as con:
        publications = con.execute("select count(*) from publication.publications").fetchone()
        accepted = con.execute(
            "select count(*) from ledger.submissions where status = 'accepted'"
        ).fetchone()
    assert publications == (1,)
    assert accepted[0] >= 96


def test_police_figures_match_the_published_reports(sample_warehouse, shared_dir) -> None:
    values = sevenoaks_values(sample_warehouse.published)
    with (shared_dir / "reference" / "published_figures.csv").open() as handle:
        published = [row for row in csv.DictReader(handle) if row["ref"] in MEASURE_OF_REF]
    assert len(published) == 8
    for row in published:
        assert values[(MEASURE_OF_REF[row["ref"]], row["period"])] == float(row["value"]), row


def test_sevenoaks_ranks_as_the_reports_say(sample_warehouse) -> None:
    """Second lowest victim-based crime in 2019/20 and 2021/22; ASB second then third: the
    ranks the council published, read from the one place ranks are computed."""
    with duckdb.connect(str(sample_warehouse.published), read_only=True) as con:
        ranks = dict(
            con.execute(
                """
                select measure_id || ' ' || period_id, rank_from_lowest
                from marts.measure_benchmarks
                where area_code = 'E07000111' and period_type = 'financial_year'
                """
            ).fetchall()
        )
    assert ranks["victim_based_crimes 2019/20"] == 2
    assert ranks["victim_based_crimes 2021/22"] == 2
    assert ranks["anti_social_behaviour_incidents 2019/20"] == 2
    assert ranks["anti_social_behaviour_incidents 2021/22"] == 3


def test_unallocated_police_records_are_reported_not_dropped(sample_warehouse) -> None:
    with duckdb.connect(str(sample_warehouse.published), read_only=True) as con:
        by_status = dict(
            con.execute(
                "select allocation_status, sum(record_count) from marts.street_crime_allocation "
                "group by all"
            ).fetchall()
        )
        force_total = con.execute(
            "select sum(value) from marts.measure_values "
            "where area_code = 'E23000032' and period_type = 'month'"
        ).fetchone()[0]
    assert by_status["no location"] > 0
    assert force_total == sum(by_status.values())


def test_run_again_with_nothing_new_runs_nothing(sample_warehouse, monkeypatch) -> None:
    """Every return of the sample, those ingested by the build run among them: a second run
    finds the last publication shows everything, and starts no Dagster run."""
    import dagster as dg

    from pipelines import settings
    from pipelines.runner import run_pipeline

    monkeypatch.setenv(settings.WAREHOUSE_ENV, str(sample_warehouse.working))
    monkeypatch.setenv(settings.RAW_DIR_ENV, str(sample_warehouse.raw_dir))
    monkeypatch.setenv(settings.PUBLISHED_ENV, str(sample_warehouse.published))
    with dg.instance_for_test(temp_dir=str(sample_warehouse.dagster_home)) as instance:
        runs_before = len(instance.get_runs())
        again = run_pipeline(instance)
        assert again.success and again.results == []
        assert again.up_to_date and again.up_to_date.startswith("Nothing new since publication")
        assert len(instance.get_runs()) == runs_before


def test_a_new_month_rebuilds_only_what_is_built_from_it(sample_copy) -> None:
    """A plain run after a new police month ingests that month alone and rebuilds what is
    built from the police returns; the other returns' models and the seeds stay as the last
    publication built them, and the new month is published."""
    import dagster as dg
    import polars as pl

    from pipelines.runner import run_pipeline

    raw = sample_copy.raw
    march = raw / "police" / "2025-03" / "2025-03-kent-street.csv"
    april = raw / "police" / "2025-04" / "2025-04-kent-street.csv"
    april.parent.mkdir()
    frame = pl.read_csv(march, infer_schema=False)
    frame.with_columns(pl.lit("2025-04").alias("Month")).write_csv(april)

    with dg.instance_for_test(temp_dir=str(sample_copy.dagster_home)) as instance:
        result = run_pipeline(instance)

    assert result.success, result.failures
    ingested, built = result.results
    assert ingested.dagster_run.job_name == "monthly_returns"
    assert ingested.dagster_run.tags["dagster/asset_partition_range_start"] == "2025-04"
    assert ingested.dagster_run.tags["dagster/asset_partition_range_end"] == "2025-04"
    rebuilt = {event.asset_key.path[-1] for event in built.get_asset_materialization_events()}
    assert {"stg_police__street_crimes", "measure_values"} <= rebuilt
    assert not [name for name in rebuilt if "waste" in name or "housing" in name]
    assert "measure_catalogue" not in rebuilt  # the seeds are those the publication was built on
    with duckdb.connect(str(sample_copy.published), read_only=True) as con:
        loaded = con.execute(
            "select status from ledger.submissions where file_path = ?",
            ["police/2025-04/2025-04-kent-street.csv"],
        ).fetchall()
    assert loaded == [("accepted",)]
