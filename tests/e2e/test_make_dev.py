"""`make dev` and `make serve` run Dagster on the deployment's instance: runs queued and
started one at a time (DuckDB has one writer), not `dagster dev`'s default of many at once."""

from __future__ import annotations

import shutil
import subprocess

import dagster as dg
import pytest

from pipelines import settings


@pytest.fixture
def make() -> str:
    found = shutil.which("make")
    if found is None:
        pytest.skip("make is not installed")
    return found


def test_make_dev_starts_dagster_on_the_one_run_at_a_time_instance(make, tmp_path) -> None:
    home = tmp_path / "dagster_home"
    subprocess.run(
        [make, "-s", "instance", f"DAGSTER_HOME={home}"], cwd=settings.REPO_ROOT, check=True
    )
    with dg.DagsterInstance.from_config(str(home)) as instance:
        coordinator = instance.run_coordinator
        assert isinstance(coordinator, dg.QueuedRunCoordinator)
        assert coordinator.get_run_queue_config().max_concurrent_runs == 1
    planned = subprocess.run(
        [make, "-n", "dev", f"DAGSTER_HOME={home}"],
        cwd=settings.REPO_ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert f"cp deploy/dagster.yaml {home}/dagster.yaml" in planned
    assert f"DAGSTER_HOME={home} .venv/bin/dagster dev -w workspace.yaml" in planned
