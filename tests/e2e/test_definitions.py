"""Dagster loads the whole graph from workspace.yaml, from raw files to the publication."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import dagster as dg

from pipelines import settings


def test_definitions_hold_the_whole_graph() -> None:
    from pipelines.assembly import load_defs

    defs = load_defs()

    keys = {key.to_user_string() for key in defs.resolve_asset_graph().get_all_asset_keys()}
    assert {
        "raw/police__street_crimes",
        "ledger/submissions",
        "staging/stg_police__street_crimes",
        "marts/measure_values",
        "publication/published_warehouse",
    } <= keys
    checks = {key.name for key in defs.resolve_asset_graph().asset_check_keys}
    assert "no_file_in_quarantine" in checks
    assert "unique_measure_values_measure_value_key" in checks
    jobs = (
        "monthly_returns",
        "quarterly_returns",
        "financial_year_returns",
        "calendar_year_returns",
        "build_and_publish",
    )
    selected = {
        job: {k.to_user_string() for k in defs.resolve_job_def(job).asset_layer.selected_asset_keys}
        for job in jobs
    }
    for job, assets in selected.items():
        assert {"marts/measure_values", "publication/published_warehouse"} <= assets, job
    raw_by_month = {key for key in selected["monthly_returns"] if key.startswith("raw/")}
    assert raw_by_month == {"raw/police__street_crimes"}
    assert "raw/police__street_crimes" not in selected["build_and_publish"]
    assert "raw/health__fingertips_indicators" in selected["build_and_publish"]
    police = defs.resolve_assets_def(dg.AssetKey(["raw", "police__street_crimes"]))
    assert police.partitions_def.get_partition_keys()[:2] == ["2015-04", "2015-05"]
    assert police.backfill_policy == dg.BackfillPolicy.single_run()


def test_workspace_yaml_loads_with_the_dagster_cli(tmp_path) -> None:
    dagster = str(Path(sys.executable).with_name("dagster"))
    result = subprocess.run(
        [dagster, "definitions", "validate", "-w", "workspace.yaml"],
        cwd=settings.REPO_ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "DAGSTER_HOME": str(tmp_path)},
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "All code locations passed validation" in result.stdout + result.stderr


def test_nothing_imports_the_definitions_module() -> None:
    """`definitions.py` is what Dagster loads; the package assembles its parts with
    `load_defs`, so no part can import the whole back (a circle)."""
    importers = [
        path.relative_to(settings.REPO_ROOT)
        for path in (settings.REPO_ROOT / "pipelines").rglob("*.py")
        if "pipelines.definitions" in path.read_text()
    ]
    assert importers == []


def test_the_publication_records_every_check_of_the_graph() -> None:
    """The publication takes its check keys from the modules that define the checks; a
    module of checks left out of that list would go unrecorded."""
    from pipelines.assembly import load_defs
    from pipelines.publication.assets import CHECKS_RECORDED

    assert set(CHECKS_RECORDED) == set(load_defs().resolve_asset_graph().asset_check_keys)
