"""One writer, and no manual step after a crash: real `wellbeing run` processes on one real
Kent police month (January 2019, from ../shared).

A run is SIGKILLed during ingestion, the next during dbt's build (dbt, a child process,
lives on for a while), the next during publication; then a plain `wellbeing run` ingests,
builds and publishes, having marked the killed runs failed, and one more finds nothing new
and runs nothing. Three runs started together:
one writes, the others wait or say who is writing and exit with code 6; never a DuckDB
lock error; each run that writes has a log of its own.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from pipelines import settings
from pipelines.cli import EXIT_BUSY
from pipelines.operations import runs

WELLBEING = str(Path(sys.executable).with_name("wellbeing"))
POLICE_MONTH = Path("real/police/2019-01-kent-street.csv")
MONTH_ROWS = 17_792
DUCKDB_LOCK_ERROR = "Could not set lock"
RUN_TIMEOUT = 900


@dataclass
class Warehouse:
    folder: Path
    published: Path
    home: Path
    environment: dict[str, str]
    started: list[subprocess.Popen]

    def start_run(self, *args: str) -> subprocess.Popen:
        """`wellbeing run` in a session of its own, so that what it leaves running (dbt)
        can be cleaned up after the test."""
        process = subprocess.Popen(
            [WELLBEING, "run", *args],
            env=self.environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        self.started.append(process)
        return process

    def instance(self) -> dg.DagsterInstance:
        return dg.DagsterInstance.from_config(str(self.home))

    def logs(self) -> list[Path]:
        return sorted((self.folder / "logs").glob("run-*.log"))


@pytest.fixture
def warehouse(tmp_path: Path, shared_dir: Path) -> Iterator[Warehouse]:
    raw = tmp_path / "raw"
    month = raw / "police" / "2019-01" / "2019-01-kent-street.csv"
    month.parent.mkdir(parents=True)
    shutil.copy(shared_dir / POLICE_MONTH, month)
    folder, home = tmp_path / "warehouse", tmp_path / "dagster_home"
    home.mkdir()
    environment = {
        **os.environ,
        settings.RAW_DIR_ENV: str(raw),
        settings.WAREHOUSE_ENV: str(folder / "working.duckdb"),
        settings.PUBLISHED_ENV: str(folder / "published.duckdb"),
        "DAGSTER_HOME": str(home),
        # What a killed run printed is read after the kill: nothing may wait in a buffer.
        "PYTHONUNBUFFERED": "1",
    }
    made = Warehouse(folder, folder / "published.duckdb", home, environment, [])
    yield made
    for process in made.started:
        with_children_gone(process)


def with_children_gone(process: subprocess.Popen) -> None:
    """Kill what a run left in its session (dbt outliving a killed run)."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        return
    finally:
        process.wait()


def steps_of(warehouse: Warehouse, process: subprocess.Popen) -> dict[str, set[str]]:
    """The steps the process's Dagster runs have started and finished, by event type."""
    seen: dict[str, set[str]] = {"STEP_START": set(), "finished": set()}
    with warehouse.instance() as instance:
        for run in instance.get_runs():
            if f"/{process.pid}-" not in run.tags.get(runs.PROCESS_TAG, ""):
                continue
            for entry in instance.all_logs(
                run.run_id,
                of_type={
                    dg.DagsterEventType.STEP_START,
                    dg.DagsterEventType.STEP_SUCCESS,
                    dg.DagsterEventType.STEP_FAILURE,
                },
            ):
                event = entry.dagster_event
                kind = "STEP_START" if event.event_type_value == "STEP_START" else "finished"
                seen[kind].add(event.step_key)
    return seen


def in_step(
    warehouse: Warehouse, step: str, for_seconds: float = 0.0
) -> Callable[[subprocess.Popen], bool]:
    """True once the process has been in `step` (started, not finished) for a while."""
    first_seen: dict[str, float] = {}

    def check(process: subprocess.Popen) -> bool:
        steps = steps_of(warehouse, process)
        if step not in steps["STEP_START"] or step in steps["finished"]:
            return False
        now = time.monotonic()
        return now - first_seen.setdefault(step, now) >= for_seconds

    return check


def publishing(warehouse: Warehouse) -> Callable[[subprocess.Popen], bool]:
    """True while a publication's temporary file is being written."""
    return lambda _process: bool(list(warehouse.folder.glob(".published.duckdb.*.tmp")))


def kill_when(
    process: subprocess.Popen, ready: Callable[[subprocess.Popen], bool], still: Callable
) -> list[str]:
    """SIGKILL the run's own process (not its children) once `ready`; it is stopped first
    and `still` checked again, so the kill lands where intended. Returns the children that
    were alive at the kill (they live on, as after a real crash)."""
    deadline = time.monotonic() + RUN_TIMEOUT
    while not ready(process):
        if process.poll() is not None:
            pytest.fail(f"the run ended before the kill point:\n{process.stdout.read()}")
        assert time.monotonic() < deadline, "the kill point never came"
        time.sleep(0.02)
    os.kill(process.pid, signal.SIGSTOP)
    assert still(process), "the run moved past the kill point before it was stopped"
    children = Path(f"/proc/{process.pid}/task/{process.pid}/children")
    alive = children.read_text().split() if children.exists() else []
    os.kill(process.pid, signal.SIGKILL)
    assert process.wait(timeout=60) == -signal.SIGKILL
    return alive


def holder_pid(output: str) -> int:
    """The pid a busy run names as the one writing."""
    return int(re.search(r"Another run is writing the warehouse[^:]*: pid (\d+)", output)[1])


def finished(process: subprocess.Popen) -> tuple[int, str]:
    output, _ = process.communicate(timeout=RUN_TIMEOUT)
    return process.returncode, output


def same_month_again(raw: Path, months: int) -> None:
    """The real January as the months after it (its Month column rewritten), so that the
    ingestion step lasts long enough for the test to see it running: one month alone is
    ingested faster than the run's steps can be watched."""
    january = (raw / "police" / "2019-01" / "2019-01-kent-street.csv").read_bytes()
    for number in range(2, months + 1):
        month = f"2019-{number:02d}"
        path = raw / "police" / month / f"{month}-kent-street.csv"
        path.parent.mkdir(parents=True)
        path.write_bytes(january.replace(b",2019-01,", f",{month},".encode()))


def test_a_run_killed_anywhere_needs_no_manual_step(warehouse: Warehouse) -> None:
    months = 12
    same_month_again(Path(warehouse.environment[settings.RAW_DIR_ENV]), months)
    ingest = in_step(warehouse, "raw__police__street_crimes")
    first = warehouse.start_run()
    kill_when(first, ingest, ingest)

    dbt = in_step(warehouse, "wellbeing_dbt_models", for_seconds=3)
    second = warehouse.start_run()
    orphans = kill_when(second, dbt, in_step(warehouse, "wellbeing_dbt_models"))
    assert orphans, "dbt runs in a child process, which outlives the killed run"

    third = warehouse.start_run()
    kill_when(third, publishing(warehouse), publishing(warehouse))
    assert not warehouse.published.exists(), "a publication killed part way publishes nothing"
    assert list(warehouse.folder.glob(".published.duckdb.*.tmp*"))

    code, output = finished(warehouse.start_run())
    assert code == 0, output
    assert "Pipeline finished" in output
    killed_outputs = [process.stdout.read() for process in (second, third)]
    for said in [*killed_outputs, output]:
        assert "Marked Dagster run" in said, "each run marks the killed run before it failed"
        assert DUCKDB_LOCK_ERROR not in said

    # Nothing left over, nothing lost, nothing loaded twice.
    assert not list(warehouse.folder.glob(".published.duckdb.*"))
    (publication,) = (warehouse.folder / "publications").iterdir()
    assert (warehouse.folder / "published_parquet").resolve() == publication / "parquet"
    with duckdb.connect(str(warehouse.published), read_only=True) as con:
        assert con.execute("select count(*) from publication.publications").fetchone() == (1,)
        accepted = con.execute(
            "select count(*) from ledger.submissions where status = 'accepted'"
        ).fetchone()
    assert accepted == (months,)
    with duckdb.connect(str(warehouse.folder / "working.duckdb"), read_only=True) as con:
        loaded = con.execute("select count(*) from raw.police__street_crimes").fetchone()
    assert loaded == (months * MONTH_ROWS,)

    # Every run of a killed process was marked failed, with the reason; none says STARTED.
    with warehouse.instance() as instance:
        statuses = {run.status for run in instance.get_runs()}
        dead = runs.runs_marked_dead(instance)
    assert statuses <= {dg.DagsterRunStatus.SUCCESS, dg.DagsterRunStatus.FAILURE}
    for process in (first, second, third):
        assert any(f"Its process (pid {process.pid}, wellbeing run" in r.reason for r in dead)
    status = subprocess.run(
        [WELLBEING, "status"], env=warehouse.environment, capture_output=True, text=True
    )
    assert status.returncode == 0, status.stdout + status.stderr
    assert "Writing the warehouse now: no run." in status.stdout
    assert "Runs marked failed because their process had ended (latest 3)" in status.stdout
    for log in warehouse.logs():
        assert DUCKDB_LOCK_ERROR not in log.read_text()

    # Run again with nothing new: it says so, starts no Dagster run, publishes nothing.
    with warehouse.instance() as instance:
        runs_before = len(instance.get_runs())
    code, output = finished(warehouse.start_run())
    assert code == 0, output
    (latest,) = [p.name for p in (warehouse.folder / "publications").iterdir()]
    assert f"Nothing new since publication {latest}" in output
    with warehouse.instance() as instance:
        assert len(instance.get_runs()) == runs_before
    with duckdb.connect(str(warehouse.published), read_only=True) as con:
        assert con.execute("select count(*) from publication.publications").fetchone() == (1,)


def test_three_runs_started_together_one_writes_at_a_time(warehouse: Warehouse) -> None:
    waits = ["600", "2", "2"]
    processes = [warehouse.start_run("--wait", wait) for wait in waits]
    outcomes = [finished(process) for process in processes]
    codes = [code for code, _ in outcomes]
    for code, output in outcomes:
        assert code in {0, EXIT_BUSY}, output
        assert DUCKDB_LOCK_ERROR not in output
    assert codes[0] == 0, outcomes[0][1]
    assert EXIT_BUSY in codes, "two runs gave up after 2 s: at least one found another writing"
    pids = {process.pid for process in processes}
    for process, (code, output) in zip(processes, outcomes, strict=True):
        if code == EXIT_BUSY:
            assert holder_pid(output) in pids - {process.pid}
            assert "nothing was changed" in output
            assert "Dagster's and dbt's logs" not in output, "a run that never wrote has no log"
    writers = codes.count(0)
    logs = warehouse.logs()
    assert len(logs) == writers and len({log.name for log in logs}) == writers
    for log in logs:
        assert DUCKDB_LOCK_ERROR not in log.read_text()
    # A run that waited for one that published finds nothing new and publishes nothing.
    built = [output for code, output in outcomes if code == 0 and "Pipeline finished" in output]
    assert len(built) == 1
    assert writers == 1 or any("Nothing new since publication" in o for _, o in outcomes)
    with duckdb.connect(str(warehouse.published), read_only=True) as con:
        assert con.execute("select count(*) from publication.publications").fetchone() == (1,)
