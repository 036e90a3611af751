"""A second `wellbeing run` with nothing changed says so and stops: no Dagster run, the
publication as it was. On one real Kent police month (January 2019, from ../shared)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import dagster as dg
import duckdb

from pipelines import settings

WELLBEING = str(Path(sys.executable).with_name("wellbeing"))
POLICE_MONTH = Path("real/police/2019-01-kent-street.csv")


def publications(published: Path) -> list[str]:
    with duckdb.connect(str(published), read_only=True) as con:
        return [
            r[0] for r in con.sql("select publication_id from publication.publications").fetchall()
        ]


def test_second_run_with_nothing_new_runs_nothing(tmp_path: Path, shared_dir: Path) -> None:
    month = tmp_path / "raw" / "police" / "2019-01" / "2019-01-kent-street.csv"
    month.parent.mkdir(parents=True)
    shutil.copy(shared_dir / POLICE_MONTH, month)
    home, published = tmp_path / "dagster_home", tmp_path / "warehouse" / "published.duckdb"
    environment = {
        **os.environ,
        settings.RAW_DIR_ENV: str(tmp_path / "raw"),
        settings.WAREHOUSE_ENV: str(tmp_path / "warehouse" / "working.duckdb"),
        settings.PUBLISHED_ENV: str(published),
        "DAGSTER_HOME": str(home),
    }

    def run() -> subprocess.CompletedProcess:
        return subprocess.run(
            [WELLBEING, "run"], env=environment, capture_output=True, text=True, timeout=900
        )

    first = run()
    assert first.returncode == 0, first.stdout + first.stderr
    assert "Nothing new" not in first.stdout
    (publication,) = publications(published)
    with dg.DagsterInstance.from_config(str(home)) as instance:
        runs_before = len(instance.get_runs())

    second = run()
    assert second.returncode == 0, second.stdout + second.stderr
    assert f"Nothing new since publication {publication}" in second.stdout
    assert publications(published) == [publication]
    with dg.DagsterInstance.from_config(str(home)) as instance:
        assert len(instance.get_runs()) == runs_before
