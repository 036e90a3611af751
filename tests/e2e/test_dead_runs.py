"""Runs left in progress by a process that was killed are marked failed, with the reason,
by whoever next takes the writer lock (a run, or the daemon's sensor); runs whose process
lives are left alone; and a `wellbeing run` that cannot get the lock says who has it and
exits with its own code, having touched nothing."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import dagster as dg
import pytest
from click.testing import CliRunner
from factories import police_month_file

from pipelines import settings, writer
from pipelines.cli import EXIT_BUSY, main
from pipelines.operations import runs
from pipelines.operations.sensors import dead_runs_sensor

PROCESS = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from pipelines import writer
    warehouse = Path(sys.argv[1])
    if sys.argv[2] == "hold":
        writer.acquire(warehouse, wait_seconds=0, purpose="wellbeing run")
    print(writer.this_process(warehouse), flush=True)
    time.sleep(300)
    """
)


@pytest.fixture
def warehouse(workspace: Path) -> Path:
    return workspace / "warehouse" / "working.duckdb"


@pytest.fixture
def other_processes():
    """Start processes with their process file (holding the writer lock when asked);
    killed at the end."""
    started: list[subprocess.Popen] = []

    def start(warehouse: Path, hold: bool = False) -> tuple[subprocess.Popen, Path]:
        process = subprocess.Popen(
            [sys.executable, "-c", PROCESS, str(warehouse), "hold" if hold else "live"],
            stdout=subprocess.PIPE,
            text=True,
        )
        started.append(process)
        return process, Path(process.stdout.readline().strip())

    yield start
    for process in started:
        process.kill()
        process.wait()


def started_run(
    instance: dg.DagsterInstance,
    tags: dict[str, str],
    status: dg.DagsterRunStatus = dg.DagsterRunStatus.STARTED,
) -> str:
    run_id = str(uuid.uuid4())
    instance.add_run(
        dg.DagsterRun(job_name="monthly_returns", run_id=run_id, status=status, tags=tags)
    )
    return run_id


def test_only_runs_of_ended_processes_are_marked_failed(warehouse, other_processes) -> None:
    killed, killed_file = other_processes(warehouse)
    killed.send_signal(signal.SIGKILL)
    killed.wait()
    _, living_file = other_processes(warehouse)
    with dg.instance_for_test() as instance:
        of_killed = started_run(instance, {runs.PROCESS_TAG: str(killed_file)})
        of_living = started_run(instance, {runs.PROCESS_TAG: str(living_file)})
        unnamed = started_run(instance, {})
        # Created by the killed process, which died before the run began; a run that names
        # no process and has not started may be anyone's, and is left alone.
        never_started = started_run(
            instance, {runs.PROCESS_TAG: str(killed_file)}, dg.DagsterRunStatus.NOT_STARTED
        )
        anyones = started_run(instance, {}, dg.DagsterRunStatus.NOT_STARTED)

        dead = {run.run_id: run.reason for run in runs.fail_dead_runs(instance, warehouse)}
        assert set(dead) == {of_killed, never_started}
        assert f"Its process (pid {killed.pid}, -c " in dead[of_killed]
        assert ") ended before the run did: it was killed or crashed." in dead[of_killed]
        assert not killed_file.exists(), "the killed process's file is swept"
        assert living_file.exists()

        # A run that never named its process is only judged once it has been quiet a while.
        later = datetime.now(UTC) + runs.UNNAMED_GRACE + timedelta(minutes=1)
        assert [run.run_id for run in runs.fail_dead_runs(instance, warehouse, now=later)] == [
            unnamed
        ]

        status = {
            run_id: instance.get_run_by_id(run_id).status
            for run_id in (of_killed, of_living, never_started, anyones)
        }
        assert status == {
            of_killed: dg.DagsterRunStatus.FAILURE,
            of_living: dg.DagsterRunStatus.STARTED,
            never_started: dg.DagsterRunStatus.FAILURE,
            anyones: dg.DagsterRunStatus.NOT_STARTED,
        }
        (failure,) = instance.all_logs(of_killed, of_type=dg.DagsterEventType.RUN_FAILURE)
        assert "ended before the run did" in failure.dagster_event.message
        marked = {run.run_id for run in runs.runs_marked_dead(instance)}
        assert marked == {of_killed, unnamed, never_started}


def test_taking_the_lock_marks_dead_runs_and_says_so(warehouse, other_processes) -> None:
    killed, killed_file = other_processes(warehouse)
    killed.send_signal(signal.SIGKILL)
    killed.wait()
    said = []
    with dg.instance_for_test() as instance:
        run_id = started_run(instance, {runs.PROCESS_TAG: str(killed_file)})
        with runs.writing(
            warehouse, instance=lambda: instance, wait_seconds=0, announce=said.append
        ) as opened:
            assert opened is instance
            assert instance.get_run_by_id(run_id).status == dg.DagsterRunStatus.FAILURE
        (dead,) = runs.runs_marked_dead(instance)
    assert said == [f"Marked Dagster run {run_id} (monthly_returns) failed. {dead.reason}"]


def test_the_daemon_sensor_marks_dead_runs_only_while_nobody_writes(
    warehouse, other_processes
) -> None:
    killed, killed_file = other_processes(warehouse)
    killed.send_signal(signal.SIGKILL)
    killed.wait()
    with dg.instance_for_test() as instance:
        run_id = started_run(instance, {runs.PROCESS_TAG: str(killed_file)})
        holder, _ = other_processes(warehouse, hold=True)
        busy = dead_runs_sensor(dg.build_sensor_context(instance=instance))
        assert "A run is writing the warehouse" in busy.skip_message
        assert instance.get_run_by_id(run_id).status == dg.DagsterRunStatus.STARTED
        holder.kill()
        holder.wait()
        done = dead_runs_sensor(dg.build_sensor_context(instance=instance))
        assert done.skip_message == f"Marked 1 run(s) failed: {run_id}."
        assert instance.get_run_by_id(run_id).status == dg.DagsterRunStatus.FAILURE


def test_a_busy_run_says_who_writes_and_exits_with_its_own_code(
    workspace, warehouse, other_processes
) -> None:
    holder, _ = other_processes(warehouse, hold=True)
    police_month_file(workspace / "raw", "2021-04", 3)
    result = CliRunner().invoke(
        main,
        ["run", "--wait", "1"],
        env={
            "DAGSTER_HOME": str(workspace / "dagster_home"),
            settings.WAREHOUSE_ENV: str(warehouse),
            settings.RAW_DIR_ENV: str(workspace / "raw"),
        },
    )
    assert result.exit_code == EXIT_BUSY, result.output
    assert f"Another run is writing the warehouse: pid {holder.pid} (wellbeing run)" in (
        result.output
    )
    assert "Waited 1 s for it to finish; nothing was changed." in result.output
    assert "Could not set lock" not in result.output
    assert not warehouse.exists()
    assert not (warehouse.parent / "logs").exists()
    assert writer.current_holder(warehouse).pid == holder.pid


def test_a_launched_run_holds_the_lock_through_its_resources(
    warehouse, other_processes, monkeypatch
) -> None:
    """What the daemon launches runs in a process of its own, without `wellbeing run`: its
    resources take the writer lock, wait for another writer, name the run's process and mark
    the runs of killed processes failed."""
    from pipelines.assembly import load_defs
    from pipelines.resources import LOCK_WAIT_ENV

    monkeypatch.setenv(LOCK_WAIT_ENV, "1")
    job = load_defs().resolve_job_def("build_and_publish")
    ledger = [dg.AssetKey(["ledger", "submissions"])]
    killed, killed_file = other_processes(warehouse)
    killed.send_signal(signal.SIGKILL)
    killed.wait()
    with dg.instance_for_test() as instance:
        dead = started_run(instance, {runs.PROCESS_TAG: str(killed_file)})
        holder, _ = other_processes(warehouse, hold=True)
        waited = job.execute_in_process(
            instance=instance, asset_selection=ledger, raise_on_error=False
        )
        assert not waited.success
        (failure,) = [
            event
            for event in waited.all_events
            if event.event_type == dg.DagsterEventType.RESOURCE_INIT_FAILURE
        ]
        said = failure.event_specific_data.error.message
        assert f"Another run is writing the warehouse {warehouse}: pid {holder.pid}" in said
        assert instance.get_run_by_id(dead).status == dg.DagsterRunStatus.STARTED

        holder.kill()
        holder.wait()
        result = job.execute_in_process(instance=instance, asset_selection=ledger)
        assert result.success
        assert instance.get_run_by_id(dead).status == dg.DagsterRunStatus.FAILURE
        own = instance.get_run_by_id(result.run_id).tags[runs.PROCESS_TAG]
        assert own == str(writer.this_process(warehouse))
    assert writer.current_holder(warehouse) is None, "released at the end of the run"
