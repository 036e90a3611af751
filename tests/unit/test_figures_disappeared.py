"""A figure in the last publication that the warehouse no longer builds blocks publication,
names the resubmission that removed it, and is let through only by a review saying why."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest
from test_quality import CATALOGUE, measure_values, years

from pipelines import ledger, publish
from pipelines.quality import disappeared
from pipelines.quality.findings import Review, load_severities, record_findings

KEPT, WITHDRAWN = 2018, 2019
"""Two years of Sevenoaks anti-social behaviour; the resubmission drops the second."""


def _submission(con, number: int, period: str) -> None:
    ledger.record(
        con,
        ledger.LedgerEntry(
            submission_id=number,
            source="police",
            return_name="police__street_crimes",
            partner="Kent Police",
            period=period,
            period_start=date(2019, 5, 1),
            file_path=f"police/{period}/v{number}.csv",
            source_file=f"police/{period}/v{number}.csv",
            sha256=str(number),
            file_size_bytes=1,
            received_at=datetime(2022, 1, number),
            status=ledger.ACCEPTED,
        ),
    )


@pytest.fixture
def warehouse(tmp_path: Path) -> tuple[Path, Path]:
    """A working warehouse published once, then a resubmission that drops a year's figure."""
    working, published = tmp_path / "working.duckdb", tmp_path / "out" / "published.duckdb"
    with duckdb.connect(str(working)) as con:
        ledger.ensure_ledger(con)
        _submission(con, 1, "2019-05")
        measure_values(
            con,
            years("anti_social_behaviour_incidents", {KEPT: 1427, WITHDRAWN: 1602}),
            CATALOGUE,
        )
        con.execute("alter table marts.measure_values add column value_note varchar")
        con.execute("update marts.measure_values set submission_ids = [1]")
    publish.publish(working, published)
    with duckdb.connect(str(working)) as con:
        _submission(con, 2, "2019-05")
        ledger.supersede(
            con,
            return_name="police__street_crimes",
            period="2019-05",
            by_submission=2,
            at=datetime(2022, 1, 2),
        )
        con.execute(f"delete from marts.measure_values where period_id like '{WITHDRAWN}/%'")
    return working, published


def _gate(working: Path, published: Path, reviews: list[Review]) -> list[dict]:
    with duckdb.connect(str(working)) as con:
        found = disappeared.figures_gone(con, published)
        outcome = record_findings(
            con,
            found,
            check_kind=disappeared.KIND,
            checks_run=[disappeared.CHECK],
            severities=load_severities(),
            reviews=reviews,
        )
    return outcome.open_blocking + outcome.explained


def test_a_withdrawn_figure_blocks_publication_and_names_the_resubmission(warehouse) -> None:
    working, published = warehouse
    (finding,) = _gate(working, published, reviews=[])
    assert finding["check_name"] == "figure_disappeared"
    assert finding["period_id"] == f"{WITHDRAWN}/{(WITHDRAWN + 1) % 100}"
    assert "was 1,602 in the last publication" in finding["message"]
    assert (
        "police/2019-05/v2.csv (submission 2) replaced police/2019-05/v1.csv (submission 1)"
        in finding["message"]
    )
    before = published.stat().st_mtime_ns
    with pytest.raises(publish.PublicationBlocked):
        publish.publish(working, published)
    assert published.stat().st_mtime_ns == before


def test_a_review_saying_why_lets_publication_go_ahead(warehouse) -> None:
    working, published = warehouse
    review = Review(
        reason="Kent Police withdrew the month's records while they recode them",
        reviewed_by="Community Safety analyst",
        reviewed_on=date(2022, 1, 3),
        match={"check": "figure_disappeared", "measure": "anti_social_behaviour_incidents"},
    )
    (finding,) = _gate(working, published, reviews=[review])
    assert finding["status"] == "explained"
    assert "withdrew the month's records" in finding["explanation"]
    publish.publish(working, published)
    with duckdb.connect(str(published), read_only=True) as con:
        periods = con.execute("select period_id from marts.measure_values").fetchall()
    assert periods == [(f"{KEPT}/{(KEPT + 1) % 100}",)]
    # the next run compares with the new publication: nothing is missing any more
    with duckdb.connect(str(working)) as con:
        assert disappeared.figures_gone(con, published) == []
