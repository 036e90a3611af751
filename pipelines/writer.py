"""One writer for the working warehouse, enforced by the operating system.

DuckDB lets one process write a file and tells the second only by failing it part way
through a run (`IO Error: Could not set lock`). So every process that writes the working
warehouse first takes an exclusive `flock` on `working.duckdb.lock` beside it and keeps it
until it has finished. The kernel releases the lock when the process ends, however it ends
(SIGKILL and power cuts included), so a crash never leaves the warehouse locked, and two
processes can never both believe they hold it.

The lock is re-entrant within a process: `wellbeing run` takes it for the whole command and
the Dagster runs it starts in the same process take it again through their resources; a
run the Dagster daemon launches in a process of its own takes it there.

Each process that writes also holds a lock on a small file of its own (`this_process`), so
that whoever holds the writer lock can tell a run whose process is still alive (waiting for
the lock, say) from a run whose process was killed.
"""

from __future__ import annotations

import atexit
import fcntl
import json
import os
import re
import socket
import sys
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

POLL_SECONDS = 0.5
WAIT_HINT = "--wait; WELLBEING_LOCK_WAIT for runs the Dagster daemon launches"


def lock_path(warehouse: Path) -> Path:
    """`working.duckdb.lock` beside the warehouse file."""
    return warehouse.with_name(warehouse.name + ".lock")


@dataclass(frozen=True)
class Holder:
    """Who holds the writer lock, as the holder wrote it into the lock file."""

    pid: int
    host: str
    command: str
    since: datetime

    def describe(self, now: datetime | None = None) -> str:
        minutes = ((now or datetime.now()) - self.since).total_seconds() / 60
        ago = "under a minute" if minutes < 1 else f"{minutes:.0f} min"
        where = "" if self.host == socket.gethostname() else f" on {self.host}"
        return (
            f"pid {self.pid}{where} ({self.command}), since {self.since:%Y-%m-%d %H:%M:%S} "
            f"({ago} ago)"
        )


class WarehouseBusy(Exception):
    """Another process kept the warehouse for longer than this one was willing to wait."""

    def __init__(self, warehouse: Path, holder: Holder | None, waited: float) -> None:
        self.holder = holder
        who = holder.describe() if holder else "a process that has not said who it is"
        super().__init__(
            f"Another run is writing the warehouse {warehouse}: {who}. Waited {waited:.0f} s "
            "for it to finish; nothing was changed. Run again when it has finished, or wait "
            f"longer ({WAIT_HINT})."
        )


class DatabaseStillOpen(Exception):
    """The writer lock is free but DuckDB's own lock on the file is not: a process started
    by a run that was killed (dbt, usually) is still finishing."""

    def __init__(self, warehouse: Path, detail: str, waited: float) -> None:
        super().__init__(
            f"The warehouse {warehouse} is still open in another process ({detail}), left "
            f"by a run that was stopped. Waited {waited:.0f} s for it to end; nothing was "
            f"changed. Run again when that process has ended, or wait longer ({WAIT_HINT})."
        )


@dataclass
class _Held:
    descriptor: int
    depth: int


_held: dict[Path, _Held] = {}
_guard = threading.Lock()


def _try_lock(descriptor: int) -> bool:
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _command() -> str:
    """This process's command line, short enough to read in a message."""
    words = [Path(sys.argv[0]).name, *sys.argv[1:]] if sys.argv and sys.argv[0] else []
    return " ".join(words)[:200] or f"python pid {os.getpid()}"


def read_holder(warehouse: Path) -> Holder | None:
    """The holder the lock file names, or None when it names nobody (yet)."""
    try:
        recorded = json.loads(lock_path(warehouse).read_text(encoding="utf-8"))
        return Holder(
            pid=recorded["pid"],
            host=recorded["host"],
            command=recorded["command"],
            since=datetime.fromisoformat(recorded["since"]),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _locked_elsewhere(path: Path) -> bool:
    """True while a lock on `path` is held through another open of it: by another process,
    or (for the writer lock) by this one's own `acquire`."""
    try:
        descriptor = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return False
    try:
        if _try_lock(descriptor):
            fcntl.flock(descriptor, fcntl.LOCK_UN)
            return False
        return True
    finally:
        os.close(descriptor)


def current_holder(warehouse: Path) -> Holder | None:
    """Who is writing the warehouse now, or None when nobody is."""
    return read_holder(warehouse) if _locked_elsewhere(lock_path(warehouse)) else None


def acquire(
    warehouse: Path,
    *,
    wait_seconds: float,
    purpose: str | None = None,
    on_wait: Callable[[Holder | None], None] = lambda _holder: None,
) -> bool:
    """Take the writer lock, waiting up to `wait_seconds` for another holder to finish.

    Returns True when this call took it, False when this process already held it (each
    call needs its `release`). `on_wait` is told once who holds it when waiting starts.
    Raises `WarehouseBusy` when the wait runs out.
    """
    warehouse = warehouse.resolve()
    with _guard:
        if warehouse in _held:
            _held[warehouse].depth += 1
            return False
    path = lock_path(warehouse)
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    started = time.monotonic()
    told = False
    while not _try_lock(descriptor):
        waited = time.monotonic() - started
        if waited >= wait_seconds:
            os.close(descriptor)
            raise WarehouseBusy(warehouse, read_holder(warehouse), waited)
        if not told:
            on_wait(read_holder(warehouse))
            told = True
        time.sleep(min(POLL_SECONDS, max(wait_seconds - waited, 0.01)))
    record = {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "command": purpose or _command(),
        "since": datetime.now().isoformat(timespec="seconds"),
    }
    os.ftruncate(descriptor, 0)
    os.pwrite(descriptor, json.dumps(record).encode(), 0)
    with _guard:
        _held[warehouse] = _Held(descriptor, 1)
    return True


def release(warehouse: Path) -> None:
    """Give back one `acquire`; the last one unlocks (the file stays, naming nobody)."""
    warehouse = warehouse.resolve()
    with _guard:
        held = _held[warehouse]
        held.depth -= 1
        if held.depth:
            return
        del _held[warehouse]
    os.ftruncate(held.descriptor, 0)
    fcntl.flock(held.descriptor, fcntl.LOCK_UN)
    os.close(held.descriptor)


DUCKDB_LOCK_ERROR = "Could not set lock on file"


def wait_for_database(
    warehouse: Path,
    *,
    wait_seconds: float,
    on_wait: Callable[[str], None] = lambda _detail: None,
) -> None:
    """Wait until DuckDB can open the warehouse for writing.

    Call it holding the writer lock. A process that a killed run had started (dbt runs in a
    child process, which the kernel does not kill with its parent) may still hold DuckDB's
    own lock; it ends by itself, so it is waited for, never killed. Opening the file also
    replays the write-ahead log of a writer that was killed.
    """
    if not warehouse.exists():
        return
    started = time.monotonic()
    told = False
    while True:
        try:
            duckdb.connect(str(warehouse)).close()
            return
        except duckdb.IOException as error:
            if DUCKDB_LOCK_ERROR not in str(error):
                raise
            match = re.search(r"Conflicting lock is held in (.+?) \(PID (\d+)\)", str(error))
            detail = f"pid {match.group(2)}, {match.group(1)}" if match else "unknown process"
            waited = time.monotonic() - started
            if waited >= wait_seconds:
                raise DatabaseStillOpen(warehouse, detail, waited) from error
            if not told:
                on_wait(detail)
                told = True
            time.sleep(POLL_SECONDS)


PROCESSES_FOLDER = ".processes"
_this_process: dict[int, tuple[Path, int]] = {}


def this_process(warehouse: Path) -> Path:
    """A file this process holds locked for as long as it lives, named for the runs it
    executes: when the file can be locked by someone else, its process has ended.

    Written under a temporary name and renamed once locked, so that no other process ever
    sees it unlocked while its owner lives.
    """
    folder = warehouse.resolve().parent / PROCESSES_FOLDER
    with _guard:
        known = _this_process.get(os.getpid())
        if known is not None and known[0].parent == folder:
            return known[0]
        folder.mkdir(parents=True, exist_ok=True)
        name = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
        temporary = folder / f".{name}.tmp"
        descriptor = os.open(temporary, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o644)
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        os.write(descriptor, _command().encode())
        path = folder / f"{name}.alive"
        os.replace(temporary, path)
        _this_process[os.getpid()] = (path, descriptor)
        atexit.register(path.unlink, missing_ok=True)
        return path


def process_alive(path: Path) -> bool:
    """True while the process that made `path` with `this_process` lives."""
    return _locked_elsewhere(path)


def sweep_processes(warehouse: Path) -> list[Path]:
    """Remove the files of processes that have ended; call it holding the writer lock."""
    folder = warehouse.resolve().parent / PROCESSES_FOLDER
    removed = []
    for path in sorted(folder.glob("*.alive")) if folder.is_dir() else []:
        if not process_alive(path):
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed
