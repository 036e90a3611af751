"""What a run compares with the last publication to know it has nothing to do: the partner
files' bytes against the ledger, and the fingerprint of submissions, project and day."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import duckdb
from factories import police_month_file

from pipelines import up_to_date
from pipelines.ingest import ingest_return
from pipelines.returns.police_street import RETURN

DAY = date(2026, 1, 5)


def project(root: Path) -> Path:
    (root / "pipelines").mkdir(parents=True)
    (root / "pipelines" / "parse.py").write_text("ROWS = 1\n")
    (root / "dbt_project" / "models").mkdir(parents=True)
    (root / "dbt_project" / "models" / "measure_values.sql").write_text("select 1 as value\n")
    (root / "expectations").mkdir()
    (root / "expectations" / "police.json").write_text("{}\n")
    return root


def test_fingerprint_changes_with_each_input_and_only_with_them(tmp_path: Path) -> None:
    root = project(tmp_path / "project")
    first = up_to_date.fingerprint([1, 2], DAY, root)
    assert up_to_date.fingerprint([2, 1], DAY, root) == first
    # dbt's output and Python's caches are not inputs.
    (root / "dbt_project" / "target").mkdir()
    (root / "dbt_project" / "target" / "manifest.json").write_text("{}")
    (root / "pipelines" / "__pycache__").mkdir()
    (root / "pipelines" / "__pycache__" / "parse.pyc").write_bytes(b"\0")
    assert up_to_date.fingerprint([1, 2], DAY, root) == first

    assert up_to_date.fingerprint([1, 2, 3], DAY, root) != first
    assert up_to_date.fingerprint([1, 2], date(2026, 1, 6), root) != first
    (root / "dbt_project" / "models" / "measure_values.sql").write_text("select 2 as value\n")
    changed_model = up_to_date.fingerprint([1, 2], DAY, root)
    assert changed_model != first
    (root / "expectations" / "reviewed_findings.yml").write_text("[]\n")
    reviewed = up_to_date.fingerprint([1, 2], DAY, root)
    assert reviewed not in {first, changed_model}
    (root / "constraints.txt").write_text("dbt-core==1.11.2\n")
    assert up_to_date.fingerprint([1, 2], DAY, root) not in {first, changed_model, reviewed}


def test_changed_files_are_those_the_ledger_has_not_seen_with_their_bytes(tmp_path: Path) -> None:
    raw, working = tmp_path / "raw", tmp_path / "working.duckdb"
    april = police_month_file(raw, "2021-04", 3)
    police_month_file(raw, "2021-05", 2)
    assert up_to_date.changed_files(working, raw) == [
        "police/2021-04/2021-04-kent-street.csv",
        "police/2021-05/2021-05-kent-street.csv",
    ]
    with duckdb.connect(str(working)) as con:
        ingest_return(con, RETURN, raw)
        ledger_ids = [
            r[0] for r in con.sql("select submission_id from ledger.submissions").fetchall()
        ]
    assert up_to_date.changed_files(working, raw) == []
    assert up_to_date.accepted_submissions(working) == sorted(ledger_ids)

    april.write_text(april.read_text().replace("Burglary", "Robbery"))
    police_month_file(raw, "2021-06", 1)
    (raw / "police" / "kent street april (corrected).txt").write_text("a file no return reads")
    (raw / "AS_OF").write_text("2025-05-31\n")
    assert up_to_date.changed_files(working, raw) == [
        "police/2021-04/2021-04-kent-street.csv",
        "police/2021-06/2021-06-kent-street.csv",
        "police/kent street april (corrected).txt",
    ]


def test_no_publication_and_no_warehouse_mean_work_to_do(tmp_path: Path) -> None:
    assert up_to_date.last_publication(tmp_path / "published.duckdb") is None
    assert up_to_date.accepted_submissions(tmp_path / "working.duckdb") == []
    with duckdb.connect(str(tmp_path / "empty.duckdb")):
        pass
    assert up_to_date.last_publication(tmp_path / "empty.duckdb") is None
    assert up_to_date.accepted_submissions(tmp_path / "empty.duckdb") == []


def changed(working: Path, published: Path, raw: Path) -> dict[str, list[str]] | None:
    from pipelines.returns import all_returns

    files = up_to_date.changed_files(working, raw)
    return up_to_date.changed_returns(files, working, published, raw, all_returns())


def test_changed_returns_are_those_with_new_files_or_other_submissions(tmp_path: Path) -> None:
    """What a run must ingest and rebuild when only some returns changed: a return with a
    new file (with that file), a return whose accepted submissions are not those the
    publication was built from (a run that ingested, then failed); everything (None) when a
    new file belongs to no return."""
    raw, working = tmp_path / "raw", tmp_path / "working.duckdb"
    published = tmp_path / "published.duckdb"
    police_month_file(raw, "2021-04", 3)
    with duckdb.connect(str(working)) as con:
        ingest_return(con, RETURN, raw)
    shutil.copy(working, published)
    assert changed(working, published, raw) == {}

    police_month_file(raw, "2021-05", 2)
    assert changed(working, published, raw) == {
        RETURN.table: ["police/2021-05/2021-05-kent-street.csv"]
    }
    with duckdb.connect(str(working)) as con:
        ingest_return(con, RETURN, raw)
    assert changed(working, published, raw) == {RETURN.table: []}

    (raw / "police" / "kent street may (corrected).txt").write_text("a file no return reads")
    assert changed(working, published, raw) is None
