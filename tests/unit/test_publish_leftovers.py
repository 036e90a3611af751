"""A publication killed part way leaves nothing that lasts: the next publication removes
its temporary file and its half-made Parquet folder, the three Parquet folders kept are
those of completed publications, and what is published is writable by its writer only."""

from __future__ import annotations

import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from pipelines.publish import KEEP_PUBLICATIONS, parquet_link, publications_folder, publish

PUBLISH = (
    "import sys; from pathlib import Path; from pipelines.publish import publish; "
    "publish(Path(sys.argv[1]), Path(sys.argv[2]))"
)


def build_working(path: Path, rows: int) -> None:
    """A working warehouse with a marts table big enough for publishing to take a while."""
    with duckdb.connect(str(path)) as con:
        con.execute("create schema if not exists marts")
        con.execute(
            "create or replace table marts.measure_values as select "
            "'m|A|' || range as measure_value_key, 'm' as measure_id, 'A' as area_code, "
            "range::varchar as period_id, range::double as value, null::double as numerator, "
            "null::double as denominator, null::varchar as value_note, [1] as submission_ids, "
            f"repeat('x', 40) as padding from range({rows})"
        )


def kill_publication_when(working: Path, published: Path, appears: str) -> None:
    """Start a real publication in another process and SIGKILL it as soon as a new path
    matching `appears` exists beside the published file."""
    before = set(published.parent.glob(appears))
    process = subprocess.Popen([sys.executable, "-c", PUBLISH, str(working), str(published)])
    deadline = time.monotonic() + 120
    while not set(published.parent.glob(appears)) - before:
        assert process.poll() is None, f"the publication ended before {appears} appeared"
        assert time.monotonic() < deadline
        time.sleep(0.005)
    process.send_signal(signal.SIGKILL)
    process.wait()


def completed(published: Path) -> list[str]:
    with duckdb.connect(str(published), read_only=True) as con:
        rows = con.execute(
            "select publication_id from publication.publications order by published_at"
        ).fetchall()
    return [row[0] for row in rows]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "warehouse"


def test_a_killed_publication_leaves_nothing_behind_the_next_one(folder) -> None:
    folder.mkdir()
    working, published = folder / "working.duckdb", folder / "published.duckdb"
    build_working(working, rows=300_000)
    first = publish(working, published)

    kill_publication_when(working, published, ".published.duckdb.*.tmp")
    assert list(folder.glob(".published.duckdb.*.tmp*")), "the kill left its temporary file"
    kill_publication_when(working, published, "publications/*/parquet/*.parquet")
    half_made = [
        p for p in publications_folder(published).iterdir() if p.name != first.publication_id
    ]
    assert half_made, "the kill left a half-made Parquet folder"
    assert completed(published) == [first.publication_id], "the previous publication stands"

    second = publish(working, published)
    assert {path.name for path in second.leftovers_removed} >= {p.name for p in half_made}
    assert not list(folder.glob(".published*"))
    assert sorted(p.name for p in publications_folder(published).iterdir()) == sorted(
        [first.publication_id, second.publication_id]
    )
    assert parquet_link(published).resolve() == (
        publications_folder(published) / second.publication_id / "parquet"
    )


def test_retention_counts_completed_publications_only(folder) -> None:
    folder.mkdir()
    working, published = folder / "working.duckdb", folder / "published.duckdb"
    build_working(working, rows=10)
    ids = [publish(working, published).publication_id for _ in range(KEEP_PUBLICATIONS)]
    # A half-made folder named to sort after every real one, as a killed publication's would.
    unfinished = publications_folder(published) / "99991231T000000-killed" / "parquet"
    unfinished.mkdir(parents=True)
    ids.append(publish(working, published).publication_id)
    assert sorted(p.name for p in publications_folder(published).iterdir()) == sorted(
        ids[-KEEP_PUBLICATIONS:]
    )
    assert completed(published) == ids


def test_only_the_writer_may_write_what_is_published(folder) -> None:
    folder.mkdir()
    working, published = folder / "working.duckdb", folder / "published.duckdb"
    build_working(working, rows=10)
    publication = publish(working, published)
    written = [published, *publication.parquet_dir.resolve().iterdir()]
    assert {stat.S_IMODE(path.stat().st_mode) for path in written} == {0o640}
    assert stat.S_IMODE(publication.parquet_dir.resolve().stat().st_mode) == 0o750
