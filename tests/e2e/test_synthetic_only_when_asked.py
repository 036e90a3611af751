"""Synthetic data only when asked: `wellbeing run` on an empty raw/ writes no sample and
publishes nothing; the sample, written on request, carries the date its story is told as of."""

from __future__ import annotations

import re
import shutil
from datetime import date, timedelta
from pathlib import Path

import duckdb
from click.testing import CliRunner

from pipelines import settings
from pipelines.cli import EXIT_RUN_FAILED, main


def test_run_on_an_empty_landing_zone_writes_no_sample_and_publishes_nothing(
    workspace: Path,
) -> None:
    raw = workspace / "raw"
    shutil.copyfile(settings.REPO_ROOT / "raw" / "README.md", raw / "README.md")
    result = CliRunner().invoke(main, ["run"])
    assert result.exit_code == EXIT_RUN_FAILED, result.output
    assert "raw/ is empty" in result.output
    assert f"python -m sample_data {raw}" in result.output
    assert [p.name for p in raw.rglob("*")] == ["README.md"]
    assert list((workspace / "warehouse").iterdir()) == []


def test_the_sample_carries_its_as_of_date(sample_warehouse) -> None:
    """One ISO date in raw/AS_OF, by which the last police month the sample holds is due
    (60 days after the month ends) and the month after it, which it lacks, is not yet: the
    calendar then tells the sample's story, with no police month overdue."""
    text = (sample_warehouse.raw_dir / "AS_OF").read_text(encoding="utf-8")
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}\n", text), text
    as_of = date.fromisoformat(text.strip())
    last = max(p.name for p in (sample_warehouse.raw_dir / "police").iterdir())
    year, month = map(int, last.split("-"))
    after_last = date(year + month // 12, month % 12 + 1, 1)
    after_next = date(year + (month + 1) // 12, (month + 1) % 12 + 1, 1)
    due_last = after_last + timedelta(days=59)
    due_next = after_next + timedelta(days=59)
    assert due_last < as_of <= due_next, (last, as_of)

    with duckdb.connect(str(sample_warehouse.published), read_only=True) as con:
        police_months = con.execute(
            "select as_of_date, submission_status, count(*), max(period_id) "
            "from marts.returns_calendar where return_name = 'police__street_crimes' "
            "group by all order by all"
        ).fetchall()
    # Every month from the first to the as-of date's: those the sample holds received, the
    # ones after it (its as-of month among them) not yet due, none overdue.
    held = len(list((sample_warehouse.raw_dir / "police").iterdir()))
    months_after = (as_of.year - year) * 12 + as_of.month - month
    assert police_months == [
        (as_of, "not_yet_due", months_after, f"{as_of:%Y-%m}"),
        (as_of, "received", held, last),
    ]
