"""The writer lock: one process at a time, released by the kernel when its holder dies,
re-entrant within a process, and a clear sentence naming the holder when the wait runs out.
Real processes hold the lock here; nothing is simulated."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import pytest

from pipelines import writer

HOLDER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from pipelines import writer
    warehouse, seconds, wait = Path(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
    writer.acquire(warehouse, wait_seconds=wait, purpose="wellbeing run --period 2021/22")
    print(writer.this_process(warehouse), flush=True)
    time.sleep(seconds)
    """
)


def start_holder(warehouse: Path, seconds: float, wait: float = 0) -> subprocess.Popen:
    """A process that takes the lock (waiting up to `wait`) and holds it for `seconds`."""
    return subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(warehouse), str(seconds), str(wait)],
        stdout=subprocess.PIPE,
        text=True,
    )


def hold_in_another_process(warehouse: Path, seconds: float) -> tuple[subprocess.Popen, Path]:
    """A process holding the lock (and its process file) for `seconds`."""
    process = start_holder(warehouse, seconds)
    return process, Path(process.stdout.readline().strip())


@pytest.fixture
def warehouse(tmp_path: Path) -> Path:
    return tmp_path / "warehouse" / "working.duckdb"


def test_a_second_writer_waits_for_the_first_and_is_told_who_it_is(warehouse) -> None:
    holder, _ = hold_in_another_process(warehouse, 2)
    told = []
    started = time.monotonic()
    assert writer.acquire(warehouse, wait_seconds=30, on_wait=told.append)
    waited = time.monotonic() - started
    writer.release(warehouse)
    holder.wait(timeout=30)
    assert 0.5 < waited < 20
    assert [(h.pid, h.command) for h in told] == [(holder.pid, "wellbeing run --period 2021/22")]


def test_when_the_wait_runs_out_the_sentence_names_the_holder(warehouse) -> None:
    holder, _ = hold_in_another_process(warehouse, 30)
    try:
        with pytest.raises(writer.WarehouseBusy) as busy:
            writer.acquire(warehouse, wait_seconds=0.5)
    finally:
        holder.kill()
        holder.wait()
    message = str(busy.value)
    assert f"pid {holder.pid} (wellbeing run --period 2021/22), since " in message
    assert "Waited 1 s" in message or "Waited 0 s" in message
    assert "nothing was changed" in message


def test_the_kernel_releases_the_lock_of_a_killed_holder(warehouse) -> None:
    holder, process_file = hold_in_another_process(warehouse, 300)
    assert writer.current_holder(warehouse).pid == holder.pid
    assert writer.process_alive(process_file)
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    assert writer.current_holder(warehouse) is None
    assert not writer.process_alive(process_file)
    assert writer.acquire(warehouse, wait_seconds=0)
    try:
        assert writer.sweep_processes(warehouse) == [process_file]
        assert not process_file.exists()
    finally:
        writer.release(warehouse)


def test_the_lock_is_reentrant_within_a_process(warehouse) -> None:
    assert writer.acquire(warehouse, wait_seconds=0)
    assert not writer.acquire(warehouse, wait_seconds=0)
    writer.release(warehouse)
    other = start_holder(warehouse, 0, wait=30)
    time.sleep(3)
    assert other.poll() is None, "another process took the lock while this one held it"
    writer.release(warehouse)
    assert other.wait(timeout=30) == 0


def test_a_process_left_with_the_database_open_is_waited_for(warehouse) -> None:
    """dbt runs in a child process that outlives a killed run for a while: the next writer
    waits for DuckDB's own lock, rather than failing on it."""
    warehouse.parent.mkdir(parents=True)
    duckdb.connect(str(warehouse)).close()
    script = (
        "import duckdb, sys, time; con = duckdb.connect(sys.argv[1]); "
        "print('open', flush=True); time.sleep(float(sys.argv[2]))"
    )
    orphan = subprocess.Popen(
        [sys.executable, "-c", script, str(warehouse), "2"], stdout=subprocess.PIPE, text=True
    )
    assert orphan.stdout.readline().strip() == "open"
    told = []
    writer.wait_for_database(warehouse, wait_seconds=30, on_wait=told.append)
    orphan.wait(timeout=30)
    assert len(told) == 1 and f"pid {orphan.pid}" in told[0]

    orphan = subprocess.Popen(
        [sys.executable, "-c", script, str(warehouse), "30"], stdout=subprocess.PIPE, text=True
    )
    assert orphan.stdout.readline().strip() == "open"
    try:
        with pytest.raises(writer.DatabaseStillOpen) as still_open:
            writer.wait_for_database(warehouse, wait_seconds=0.5)
    finally:
        orphan.kill()
        orphan.wait()
    assert f"pid {orphan.pid}" in str(still_open.value)
