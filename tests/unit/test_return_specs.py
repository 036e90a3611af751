"""A return is declared once, in its ReturnSpec: what dbt needs is made from the specs, and
these tests fail when a committed copy drifts from them."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest
import yaml

from pipelines import dbt_sources, ledger, settings
from pipelines.returns import all_returns


def test_committed_dbt_sources_are_what_the_specifications_give() -> None:
    stale = [
        str(path.relative_to(settings.REPO_ROOT))
        for path, text in dbt_sources.source_files().items()
        if not path.exists() or path.read_text() != text
    ]
    assert stale == [], f"run `wellbeing dbt-sources` to regenerate {stale}"


def test_every_sources_file_under_staging_is_generated() -> None:
    """No hand-written copy of a return's table beside the generated ones (the quality
    findings are the quality layer's table, not a return)."""
    generated = set(dbt_sources.source_files())
    found = set(dbt_sources.STAGING_DIR.glob("*/_*__sources.yml"))
    assert found - generated == {dbt_sources.STAGING_DIR / "quality" / "_quality__sources.yml"}


def test_measure_contributions_are_the_contribution_models() -> None:
    project = yaml.safe_load((settings.DBT_PROJECT_DIR / "dbt_project.yml").read_text())
    models = settings.DBT_PROJECT_DIR / "models"
    contributions = sorted(path.stem for path in models.rglob("int_measure_values__*.sql"))
    assert sorted(project["vars"]["measure_contributions"]) == contributions


def test_the_ledger_writes_every_return_and_sender_from_the_specs(tmp_path: Path) -> None:
    specs = all_returns()
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        ledger.record_returns(con, specs)
        ledger.record_returns(con, specs)
        returns = con.execute(
            "select return_name, period_type, first_period_start, due_days_after_period_end "
            "from ledger.returns where return_name = 'police__street_crimes'"
        ).fetchall()
        counts = con.execute(
            "select (select count(*) from ledger.returns), "
            "(select count(*) from ledger.return_senders)"
        ).fetchone()
    police = next(spec for spec in specs if spec.table == "police__street_crimes")
    assert returns == [
        ("police__street_crimes", "month", police.first_period_start, police.due_days)
    ]
    assert counts == (len(specs), sum(len(spec.senders) for spec in specs))


def test_a_warehouse_made_before_period_start_gains_the_column(tmp_path: Path) -> None:
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        con.execute("create schema ledger")
        con.execute("create table ledger.submissions (submission_id integer, status varchar)")
        ledger.ensure_ledger(con)
        columns = [row[0] for row in con.execute("describe ledger.submissions").fetchall()]
    assert columns[:2] == ["submission_id", "status"]
    assert set(ledger.columns_of(ledger.LedgerEntry)) <= set(columns)


@pytest.mark.parametrize(
    ("environment", "as_of_file", "expected"),
    [
        ("2024-02-29", "2025-05-31\n", date(2024, 2, 29)),
        (None, "2025-05-31\n", date(2025, 5, 31)),
        (None, None, date.today()),
    ],
)
def test_the_as_of_date_is_the_setting_then_the_sample_then_today(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, environment, as_of_file, expected
) -> None:
    monkeypatch.setenv(settings.RAW_DIR_ENV, str(tmp_path))
    if environment is None:
        monkeypatch.delenv(settings.AS_OF_ENV, raising=False)
    else:
        monkeypatch.setenv(settings.AS_OF_ENV, environment)
    if as_of_file is not None:
        (tmp_path / settings.AS_OF_FILE).write_text(as_of_file)
    assert settings.as_of() == expected


def test_an_as_of_that_is_not_a_date_names_where_it_came_from(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(settings.RAW_DIR_ENV, str(tmp_path))
    monkeypatch.delenv(settings.AS_OF_ENV, raising=False)
    (tmp_path / settings.AS_OF_FILE).write_text("31/05/2025")
    with pytest.raises(ValueError, match=r"AS_OF: '31/05/2025' is not a date"):
        settings.as_of()


def test_a_file_of_a_return_several_partners_send_is_the_senders() -> None:
    """The ledger names who sent each status return, so `wellbeing status` counts a
    partner's files beside the periods it owes, not under the return's umbrella name."""
    from pipelines.returns.police_street import RETURN as POLICE
    from pipelines.returns.status_key_success_measures import RETURN as STATUS

    assert STATUS.partner_of("status/kent-police/2021-22-key-success-measures.csv") == (
        "Kent Police"
    )
    assert STATUS.partner_of("status/unknown-team/2021-22-key-success-measures.csv") == (
        STATUS.partner
    )
    assert POLICE.partner_of("police/2019-01/2019-01-kent-street.csv") == POLICE.partner
