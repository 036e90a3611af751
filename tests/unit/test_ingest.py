"""The submission ledger: loading twice adds nothing, a broken file is quarantined without
touching what was loaded, a corrected file supersedes the earlier one and history stays."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest
from factories import police_month_file as month_file

from pipelines.ingest import ingest_return
from pipelines.returns.police_street import RETURN


@pytest.fixture
def con(tmp_path: Path):
    with duckdb.connect(str(tmp_path / "w.duckdb")) as connection:
        yield connection


def ledger(con) -> list[tuple]:
    return con.execute(
        "select submission_id, file_path, period, status, superseded_by "
        "from ledger.submissions order by submission_id"
    ).fetchall()


def row_count(con) -> int:
    return con.execute("select count(*) from raw.police__street_crimes").fetchone()[0]


def test_same_files_twice_add_nothing(tmp_path, con) -> None:
    raw = tmp_path / "raw"
    month_file(raw, "2019-04", 3)
    month_file(raw, "2019-05", 2)
    first = ingest_return(con, RETURN, raw)
    assert first.rows_loaded == 5 and len(first.accepted) == 2
    second = ingest_return(con, RETURN, raw)
    assert second.accepted == [] and second.rows_loaded == 0
    assert row_count(con) == 5
    assert len(ledger(con)) == 2


def test_rows_carry_provenance(tmp_path, con) -> None:
    raw = tmp_path / "raw"
    month_file(raw, "2019-04", 2)
    ingest_return(con, RETURN, raw, now=datetime(2026, 1, 5))
    rows = con.execute(
        "select submission_id, source_file, length(source_sha256), source_row, loaded_at "
        "from raw.police__street_crimes order by source_row"
    ).fetchall()
    assert rows == [
        (1, "police/2019-04/2019-04-kent-street.csv", 64, 2, datetime(2026, 1, 5)),
        (1, "police/2019-04/2019-04-kent-street.csv", 64, 3, datetime(2026, 1, 5)),
    ]


def test_same_bytes_under_another_name_is_a_duplicate(tmp_path, con) -> None:
    raw = tmp_path / "raw"
    original = month_file(raw, "2019-04", 3)
    ingest_return(con, RETURN, raw)
    copy = raw / "police" / "copies" / original.name
    copy.parent.mkdir()
    copy.write_bytes(original.read_bytes())
    summary = ingest_return(con, RETURN, raw)
    assert summary.duplicates == ["police/copies/2019-04-kent-street.csv"]
    assert row_count(con) == 3
    assert ledger(con)[-1][3] == "duplicate"
    assert ingest_return(con, RETURN, raw).duplicates == []


def test_broken_file_is_quarantined_and_earlier_rows_survive(tmp_path, con) -> None:
    raw = tmp_path / "raw"
    month_file(raw, "2019-04", 3)
    ingest_return(con, RETURN, raw)
    broken = month_file(raw, "2019-05", 2)
    broken.write_text(broken.read_text().replace("Month", "Mnth", 1))
    summary = ingest_return(con, RETURN, raw, quarantine_dir=tmp_path / "quarantine")
    assert len(summary.quarantined) == 1
    assert "2019-05-kent-street.csv, row 1, column 'Month'" in summary.quarantined[0]
    assert row_count(con) == 3
    assert ledger(con)[-1][2:4] == ("2019-05", "quarantined")
    assert (tmp_path / "quarantine" / "000002-2019-05-kent-street.csv").exists()
    month_file(raw, "2019-05", 2)
    fixed = ingest_return(con, RETURN, raw)
    assert fixed.accepted == [3]
    assert row_count(con) == 5


def test_resubmission_supersedes_and_keeps_history(tmp_path, con) -> None:
    raw = tmp_path / "raw"
    month_file(raw, "2019-04", 3)
    ingest_return(con, RETURN, raw)
    month_file(raw, "2019-04", 4, name="2019-04-v2-kent-street.csv")
    summary = ingest_return(con, RETURN, raw)
    assert summary.superseded == [1]
    assert ledger(con) == [
        (1, "police/2019-04/2019-04-kent-street.csv", "2019-04", "superseded", 2),
        (2, "police/2019-04/2019-04-v2-kent-street.csv", "2019-04", "accepted", None),
    ]
    assert row_count(con) == 7


def test_overwritten_file_is_a_new_submission(tmp_path, con) -> None:
    raw = tmp_path / "raw"
    month_file(raw, "2019-04", 3)
    ingest_return(con, RETURN, raw)
    month_file(raw, "2019-04", 5)
    summary = ingest_return(con, RETURN, raw)
    assert summary.accepted == [2] and summary.superseded == [1]
    current = con.execute(
        "select count(*) from raw.police__street_crimes r join ledger.submissions s "
        "using (submission_id) where s.status = 'accepted'"
    ).fetchone()[0]
    assert current == 5


def test_a_window_reads_only_its_periods_files(tmp_path, con) -> None:
    raw = tmp_path / "raw"
    for month, crimes in (("2019-04", 3), ("2019-05", 2), ("2019-06", 4)):
        month_file(raw, month, crimes)
    may = ingest_return(con, RETURN, raw, window=(date(2019, 5, 1), date(2019, 6, 1)))
    assert (may.files_seen, may.rows_loaded) == (1, 2)
    assert con.execute("select period, period_start from ledger.submissions").fetchall() == [
        ("2019-05", date(2019, 5, 1))
    ]
    rest = ingest_return(con, RETURN, raw, window=(date(2019, 4, 1), date(2019, 7, 1)))
    assert (rest.files_seen, rest.rows_loaded) == (3, 7)
    assert row_count(con) == 9


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("april-kent-street.csv", "the file name does not say which month it covers"),
        ("2014-04-kent-street.csv", "before April 2015, the first period the warehouse holds"),
        ("2031-01-kent-street.csv", "January 2031, a period that has not started"),
    ],
)
def test_a_file_no_period_holds_is_quarantined_by_any_run(tmp_path, con, name, reason) -> None:
    raw = tmp_path / "raw"
    month_file(raw, "2019-04", 3)
    month_file(raw, "2019-05", 1, name=name)
    summary = ingest_return(con, RETURN, raw, window=(date(2019, 4, 1), date(2019, 5, 1)))
    assert summary.rows_loaded == 3
    assert len(summary.quarantined) == 1
    assert name in summary.quarantined[0] and reason in summary.quarantined[0]
    again = ingest_return(con, RETURN, raw, window=(date(2019, 6, 1), date(2019, 7, 1)))
    assert again.quarantined == [] and len(ledger(con)) == 2


def test_files_a_return_recognises_but_does_not_read_get_a_ledger_row(tmp_path, con) -> None:
    """A return may name files it leaves alone (another force's month in the all-forces
    download); each gets a `not_read` row with the reason once, and nothing is loaded."""
    from dataclasses import replace

    from pipelines.returns import NotRead

    spec = replace(
        RETURN,
        not_read=(NotRead("police/**/*.csv", "another force's file: not for this warehouse"),),
    )
    raw = tmp_path / "raw"
    month_file(raw, "2019-04", 3)
    month_file(raw, "2019-04", 4, name="2019-04-surrey-street.csv")
    month_file(raw, "2019-05", 5, name="2019-05-surrey-street.csv")
    first = ingest_return(con, spec, raw, window=(date(2019, 4, 1), date(2019, 5, 1)))
    assert first.not_read == ["police/2019-04/2019-04-surrey-street.csv"]
    rows = con.execute(
        "select file_path, status, reason, period_start, row_count from ledger.submissions "
        "where status = 'not_read'"
    ).fetchall()
    assert rows == [
        (
            "police/2019-04/2019-04-surrey-street.csv",
            "not_read",
            "another force's file: not for this warehouse",
            date(2019, 4, 1),
            None,
        )
    ]
    assert row_count(con) == 3
    again = ingest_return(con, spec, raw)
    assert again.not_read == ["police/2019-05/2019-05-surrey-street.csv"]
    assert [row[2] for row in ledger(con)] == ["2019-04", "2019-04", "2019-05"]


def test_every_file_no_return_reads_is_unrecognised_naming_the_nearest_return(
    tmp_path, con
) -> None:
    """A misnamed police month gets a ledger row, once, with the return it most resembles
    and the names it reads; the officer sees it in `wellbeing status`. Another force's file
    is the police return's own `not_read` (not for this warehouse), not unrecognised. Raw's
    own README is not a return."""
    from dataclasses import replace

    from pipelines.ingest import record_unrecognised
    from pipelines.reporting.returns_status import files_needing_attention
    from pipelines.returns import all_returns

    raw = tmp_path / "raw"
    month_file(raw, "2019-04", 3)
    misnamed = month_file(raw, "2019-04", 2, name="2019-04 kent street (corrected).csv")
    month_file(raw, "2019-04", 4, name="2019-04-surrey-street.csv")
    (raw / "README.md").write_text("What this folder holds.")
    assert ingest_return(con, RETURN, raw).not_read == ["police/2019-04/2019-04-surrey-street.csv"]
    recorded = record_unrecognised(con, all_returns(), raw)
    assert recorded == ["police/2019-04/2019-04 kent street (corrected).csv"]
    assert record_unrecognised(con, all_returns(), raw) == []

    listed = files_needing_attention(con).rows(named=True)
    assert [(row["file_path"], row["status"], row["period"]) for row in listed] == [
        ("police/2019-04/2019-04 kent street (corrected).csv", "unrecognised", "2019-04"),
    ]
    reason = listed[0]["reason"]
    assert "nearest is Kent Police's police__street_crimes" in reason
    assert "police/**/*-kent-street.csv" in reason

    # Once a return reads such names, the file loads: its unrecognised row does not stand
    # in for a submission.
    wider = replace(RETURN, file_patterns=(*RETURN.file_patterns, "police/**/*kent street*.csv"))
    assert ingest_return(con, wider, raw).rows_loaded == 2
    assert misnamed.is_file()


def test_a_folder_linked_outside_raw_is_refused_with_a_ledger_row(tmp_path, con) -> None:
    """raw/ is the boundary: a partner folder that is a link elsewhere is listed once, as
    refused, and nothing behind it is read or copied."""
    from pipelines.ingest import record_unrecognised
    from pipelines.returns import all_returns

    raw, elsewhere = tmp_path / "raw", tmp_path / "elsewhere"
    month_file(raw, "2019-04", 3)
    month_file(elsewhere, "2019-05", 2)
    (raw / "police" / "linked").symlink_to(elsewhere / "police", target_is_directory=True)
    assert ingest_return(con, RETURN, raw).rows_loaded == 3
    assert record_unrecognised(con, all_returns(), raw) == ["police/linked"]
    assert record_unrecognised(con, all_returns(), raw) == []
    status, reason = con.execute(
        "select status, reason from ledger.submissions where file_path = 'police/linked'"
    ).fetchone()
    assert status == "quarantined"
    assert "outside raw/" in reason and str((elsewhere / "police").resolve()) in reason
    assert row_count(con) == 3


def test_a_pass_stopped_between_batches_keeps_the_committed_ones_and_a_rerun_loads_the_rest(
    tmp_path, con, monkeypatch
) -> None:
    """A pass commits in batches, each with its ledger rows: stopped while recording the
    second batch, it leaves the first batch's files accepted with their rows, none of the
    second's rows without their ledger rows, and the next plain pass loads the rest once."""
    from pipelines import ingest

    raw = tmp_path / "raw"
    months = ("2019-04", "2019-05", "2019-06", "2019-07", "2019-08")
    for month in months:
        month_file(raw, month, 2)
    settings = "select current_setting('threads'), current_setting('memory_limit')"
    before = con.execute(settings).fetchone()
    record = ingest.ledger.record

    def stop_at_the_second_batch(connection, entry) -> None:
        if entry.submission_id == 3:
            raise RuntimeError("stopped while recording the second batch")
        record(connection, entry)

    monkeypatch.setattr(ingest, "ROWS_A_COMMIT", 3)
    monkeypatch.setattr(ingest.ledger, "record", stop_at_the_second_batch)
    with pytest.raises(RuntimeError, match="second batch"):
        ingest_return(con, RETURN, raw)
    assert [row[1:4] for row in ledger(con)] == [
        (f"police/{month}/{month}-kent-street.csv", month, "accepted") for month in months[:2]
    ]
    loaded = "select submission_id, count(*) from raw.police__street_crimes group by 1 order by 1"
    assert con.execute(loaded).fetchall() == [(1, 2), (2, 2)]
    assert con.execute(settings).fetchone() == before

    monkeypatch.undo()
    rest = ingest_return(con, RETURN, raw)
    assert (rest.accepted, rest.rows_loaded) == ([3, 4, 5], 6)
    assert [row[1:4] for row in ledger(con)] == [
        (f"police/{month}/{month}-kent-street.csv", month, "accepted") for month in months
    ]
    assert con.execute(loaded).fetchall() == [(n, 2) for n in range(1, 6)]
    assert ingest_return(con, RETURN, raw).accepted == []
