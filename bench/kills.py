"""Kill `wellbeing run` with SIGKILL at random moments, run after run, then run it once more
with no manual step: it must ingest, build and publish. A measurement for
docs/reliability.md, not a test (tests/e2e/test_one_writer.py kills at chosen points).

    .venv/bin/python bench/kills.py --kills 10 [--seed 1] [--police FILE]

Only the run's own process is killed, as the kernel's OOM killer or `kill -9` would;
what it started (dbt) lives on. After each kill the published file is opened and its
latest publication compared with the one before the kill.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parents[1]
WELLBEING = str(Path(sys.executable).with_name("wellbeing"))
STEP = re.compile(r" - (\S+) - (STEP_START|STEP_SUCCESS|STEP_FAILURE) - ")


def start(environment: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [WELLBEING, "run"],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


def step_in_progress(log: Path | None) -> str:
    """The step a run's log shows started and not finished (the log is line-buffered)."""
    if log is None:
        return "starting (no log yet)"
    events = STEP.findall(log.read_text(errors="replace"))
    if not events:
        return "before the first step (loading definitions, recovery)"
    running: list[str] = []
    for step, event in events:
        if event == "STEP_START":
            running.append(step)
        elif step in running:
            running.remove(step)
    return ", ".join(running) or f"between steps, after {events[-1][0]}"


def latest_publication(published: Path) -> str | None:
    if not published.exists():
        return None
    with duckdb.connect(str(published), read_only=True) as con:
        return con.execute("select max(publication_id) from publication.publications").fetchone()[0]


def children(pid: int) -> list[str]:
    listed = Path(f"/proc/{pid}/task/{pid}/children")
    return listed.read_text().split() if listed.exists() else []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--police",
        type=Path,
        default=REPO.parent / "shared" / "real" / "police" / "2019-01-kent-street.csv",
        help="One Kent police month (default: the real January 2019 in ../shared).",
    )
    options = parser.parse_args()
    random.seed(options.seed)
    root = Path(tempfile.mkdtemp(prefix="wellbeing-kills-"))
    month = root / "raw" / "police" / "2019-01" / "2019-01-kent-street.csv"
    month.parent.mkdir(parents=True)
    shutil.copy(options.police, month)
    folder = root / "warehouse"
    published = folder / "published.duckdb"
    environment = {
        **os.environ,
        "WELLBEING_RAW_DIR": str(root / "raw"),
        "WELLBEING_WAREHOUSE": str(folder / "working.duckdb"),
        "WELLBEING_PUBLISHED": str(published),
        "DAGSTER_HOME": str(root / "dagster_home"),
        "PYTHONUNBUFFERED": "1",
    }

    began = time.monotonic()
    first = start(environment)
    output, _ = first.communicate()
    whole = time.monotonic() - began
    print(f"complete run: exit {first.returncode} in {whole:.0f} s", flush=True)
    if first.returncode:
        sys.exit(output)

    print("kill | after s | step in progress | children alive | publication after the kill")
    for kill in range(1, options.kills + 1):
        before = latest_publication(published)
        logs = set(folder.glob("logs/*.log"))
        run = start(environment)
        time.sleep(random.uniform(1, 0.9 * whole))
        if run.poll() is not None:
            print(f"{kill:>4} | run ended before the kill (exit {run.returncode})")
            continue
        os.kill(run.pid, signal.SIGSTOP)
        log = next(iter(set(folder.glob("logs/*.log")) - logs), None)
        where = step_in_progress(log)
        if list(folder.glob(".published.duckdb.*.tmp")):
            where += " (publication's temporary file being written)"
        alive = children(run.pid)
        os.kill(run.pid, signal.SIGKILL)
        run.wait()
        after = latest_publication(published)
        kept = "previous" if after == before else "a new complete one"
        print(
            f"{kill:>4} | {time.monotonic() - began:7.0f} | {where} | {len(alive)} | {kept}",
            flush=True,
        )

    last = start(environment)
    output, _ = last.communicate()
    print(f"plain run after the kills: exit {last.returncode}")
    print("\n".join(line for line in output.splitlines() if "Marked Dagster run" in line))
    with duckdb.connect(str(published), read_only=True) as con:
        publications = con.execute("select count(*) from publication.publications").fetchone()
        accepted = con.execute(
            "select count(*) from ledger.submissions where status = 'accepted'"
        ).fetchone()
    print(f"publications: {publications[0]}; accepted submissions: {accepted[0]}")
    print(f"leftovers: {[p.name for p in folder.glob('.published.duckdb.*')]}")
    print(f"Parquet folders kept: {len(list((folder / 'publications').iterdir()))}")
    status = subprocess.run(
        [WELLBEING, "status"], env=environment, capture_output=True, text=True
    ).stdout
    print(status[status.find("Writing the warehouse now") :])
    print(f"(kept in {root})")


if __name__ == "__main__":
    main()
