"""Runs whose process ended without finishing them, found and marked failed.

A Dagster run's status is written by the process running it, so a process that is killed
writes nothing more and its runs would say STARTED for ever (and the deployed instance,
which starts one run at a time, would start no other). Whoever next takes the writer lock
(`pipelines.writer`) looks at every run still in progress: a run whose process file is no
longer locked by its process, or an older run that never named its process, cannot be
running, and is marked failed with the reason. A run whose process lives (it may be waiting
for the lock) is left alone.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import dagster as dg

from pipelines import settings, writer

PROCESS_TAG = "wellbeing/process"
"""The file (`writer.this_process`) of the process executing the run."""
ENDED_TAG = "wellbeing/ended"
ENDED_BY_DEATH = "process_ended"
REASON_TAG = "wellbeing/ended_reason"

IN_PROGRESS = [
    dg.DagsterRunStatus.STARTING,
    dg.DagsterRunStatus.STARTED,
    dg.DagsterRunStatus.CANCELING,
]
UNNAMED_GRACE = timedelta(minutes=10)
"""How long a run may be in progress without naming its process. Every run names it as it
starts (the command line when it creates the run, the warehouse resource as a launched run
sets up), so only runs from before the naming, or runs whose launch died, go past this."""


def dagster_home() -> Path:
    """DAGSTER_HOME, default .dagster_home in the repository."""
    return Path(os.environ.get("DAGSTER_HOME", settings.REPO_ROOT / ".dagster_home"))


def dagster_instance() -> dg.DagsterInstance:
    """The persistent instance under DAGSTER_HOME (default .dagster_home), so runs started
    from the command line show in the UI's run history."""
    home = dagster_home()
    os.environ["DAGSTER_HOME"] = str(home)
    home.mkdir(parents=True, exist_ok=True)
    return dg.DagsterInstance.get()


@dataclass(frozen=True)
class DeadRun:
    run_id: str
    job_name: str
    started: datetime | None
    reason: str


def process_tags(warehouse: Path) -> dict[str, str]:
    """Tags naming this process as the one executing a run."""
    return {PROCESS_TAG: str(writer.this_process(warehouse))}


def name_process(instance: dg.DagsterInstance, run_id: str, warehouse: Path) -> None:
    """Tag a run with this process, unless its creator already did."""
    run = instance.get_run_by_id(run_id)
    if run is not None and PROCESS_TAG not in run.tags:
        instance.add_run_tags(run_id, process_tags(warehouse))


def _process_description(path: Path) -> str:
    pid = path.name.split("-", 1)[0]
    try:
        command = path.read_text(encoding="utf-8").strip()
    except OSError:
        return f"pid {pid}"
    return f"pid {pid}, {command}" if command else f"pid {pid}"


def _started(record) -> datetime | None:
    return datetime.fromtimestamp(record.start_time, UTC) if record.start_time else None


def fail_dead_runs(
    instance: dg.DagsterInstance,
    warehouse: Path,
    *,
    keep: frozenset[str] = frozenset(),
    now: datetime | None = None,
) -> list[DeadRun]:
    """Mark failed every run in progress whose process has ended, and every run such a
    process created and never started; call it holding the writer lock. `keep`: runs of
    this process that are starting now."""
    now = now or datetime.now(UTC)
    marked = []
    statuses = [*IN_PROGRESS, dg.DagsterRunStatus.NOT_STARTED]
    for record in instance.get_run_records(filters=dg.RunsFilter(statuses=statuses)):
        run = record.dagster_run
        process = run.tags.get(PROCESS_TAG)
        if run.run_id in keep or (run.status == dg.DagsterRunStatus.NOT_STARTED and not process):
            continue
        if process:
            if writer.process_alive(Path(process)):
                continue
            reason = (
                f"Its process ({_process_description(Path(process))}) ended before the run "
                "did: it was killed or crashed."
            )
        else:
            if now - record.update_timestamp < UNNAMED_GRACE:
                continue
            reason = (
                f"It has said {run.status.value} since {record.update_timestamp:%Y-%m-%d %H:%M} "
                "UTC, names no process, and no process was writing the warehouse."
            )
        reason += f" Marked failed by pid {os.getpid()} on taking the writer lock."
        instance.report_run_failed(run, message=reason)
        instance.add_run_tags(run.run_id, {ENDED_TAG: ENDED_BY_DEATH, REASON_TAG: reason})
        marked.append(DeadRun(run.run_id, run.job_name, _started(record), reason))
    writer.sweep_processes(warehouse)
    return marked


def runs_marked_dead(instance: dg.DagsterInstance, limit: int = 5) -> list[DeadRun]:
    """The latest runs marked failed because their process had ended, newest first."""
    records = instance.get_run_records(
        filters=dg.RunsFilter(tags={ENDED_TAG: ENDED_BY_DEATH}), limit=limit
    )
    return [
        DeadRun(
            record.dagster_run.run_id,
            record.dagster_run.job_name,
            _started(record),
            record.dagster_run.tags.get(REASON_TAG, ""),
        )
        for record in records
    ]


def start_writing(
    warehouse: Path,
    *,
    instance: dg.DagsterInstance | Callable[[], dg.DagsterInstance] | None,
    wait_seconds: float,
    purpose: str | None = None,
    keep: frozenset[str] = frozenset(),
    announce: Callable[[str], None] = lambda _message: None,
) -> dg.DagsterInstance | None:
    """Take the writer lock, waiting up to `wait_seconds`; on taking it (not on taking it
    again in the same process), mark the runs of ended processes failed and wait for any
    process they left to let go of the DuckDB file. Each call needs `writer.release`.

    `instance` may be the function that opens it, called once the lock is held: processes
    that open a new Dagster home at the same moment collide creating its tables. Returns it.
    Raises `writer.WarehouseBusy` or `writer.DatabaseStillOpen` when the wait runs out.
    """
    deadline = time.monotonic() + wait_seconds
    taken = writer.acquire(
        warehouse,
        wait_seconds=wait_seconds,
        purpose=purpose,
        on_wait=lambda holder: announce(
            "Another run is writing the warehouse: "
            f"{holder.describe() if holder else 'a process that has not said who it is'}. "
            f"Waiting up to {wait_seconds:.0f} s for it to finish"
        ),
    )
    try:
        instance = instance() if callable(instance) else instance
        if taken and instance is not None:
            for run in fail_dead_runs(instance, warehouse, keep=keep):
                announce(f"Marked Dagster run {run.run_id} ({run.job_name}) failed. {run.reason}")
        if taken:
            writer.wait_for_database(
                warehouse,
                wait_seconds=max(deadline - time.monotonic(), 0),
                on_wait=lambda detail: announce(
                    f"The warehouse is still open in {detail}, left by a run that was "
                    "stopped; waiting for it to end"
                ),
            )
    except BaseException:
        writer.release(warehouse)
        raise
    return instance


@contextmanager
def writing(
    warehouse: Path,
    *,
    instance: dg.DagsterInstance | Callable[[], dg.DagsterInstance] | None,
    wait_seconds: float,
    purpose: str | None = None,
    announce: Callable[[str], None] = lambda _message: None,
) -> Iterator[dg.DagsterInstance | None]:
    """`start_writing` for the length of a `with` block; yields the instance."""
    opened = start_writing(
        warehouse, instance=instance, wait_seconds=wait_seconds, purpose=purpose, announce=announce
    )
    try:
        yield opened
    finally:
        writer.release(warehouse)
