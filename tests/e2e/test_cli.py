"""The `wellbeing` command line through click's runner: every command's help, the read-only
`sql` (it refuses to write), report, export, status and catalogue against the sample
publication, and the documented exit codes for a user's mistakes."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from factories import police_month_file

from pipelines import settings
from pipelines.cli import (
    EXIT_NOT_PUBLISHED,
    EXIT_QUERY_FAILED,
    EXIT_RUN_FAILED,
    EXIT_USAGE,
    main,
)

COMMANDS = ["run", "status", "report", "export", "sql", "catalogue"]


@pytest.fixture(scope="module")
def published(sample_warehouse) -> Path:
    assert sample_warehouse.published.is_file(), "the sample run published nothing"
    return sample_warehouse.published


def invoke(args: list[str], published: Path | None = None, **env: str):
    environment = {settings.PUBLISHED_ENV: str(published)} if published else {}
    return CliRunner().invoke(main, args, env=environment | env)


def test_main_help_lists_every_command_and_the_exit_codes() -> None:
    result = invoke(["--help"])
    assert result.exit_code == 0
    for command in COMMANDS:
        assert command in result.output
    assert "3  there is no published warehouse" in result.output, result.output


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command: str) -> None:
    result = invoke([command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output


def test_run_refuses_a_period_it_does_not_know(tmp_path) -> None:
    raw = tmp_path / "raw"
    result = invoke(["run", "--period", "2021-22"], None, **{settings.RAW_DIR_ENV: str(raw)})
    assert result.exit_code == EXIT_USAGE, result.output
    assert "'2021-22' is not a period" in result.output
    assert not raw.exists()


def test_sql_prints_a_table(published) -> None:
    result = invoke(
        [
            "sql",
            "select area_name, count(*) as measures from marts.measure_values "
            "where area_code = 'E07000111' group by all",
        ],
        published,
    )
    assert result.exit_code == 0, result.output
    assert "Sevenoaks" in result.output and "measures" in result.output


@pytest.mark.parametrize(
    "statement",
    [
        "copy (select 1) to '{tmp}/leak.csv'",
        "attach '{tmp}/other.duckdb' as other",
        "install httpfs",
        "create table marts.scribble as select 1 as x",
        "set enable_external_access = true",
        "select * from read_csv('{tmp}/leak.csv')",
    ],
)
def test_sql_refuses_to_write_or_touch_files(published, tmp_path, statement: str) -> None:
    before = published.stat().st_mtime_ns
    result = invoke(["sql", statement.format(tmp=tmp_path)], published)
    assert result.exit_code == EXIT_QUERY_FAILED, result.output
    assert "Refused" in result.output
    assert "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []
    assert published.stat().st_mtime_ns == before


def test_sql_error_is_a_message_not_a_traceback(published) -> None:
    result = invoke(["sql", "select * from marts.no_such_table"], published)
    assert result.exit_code == EXIT_QUERY_FAILED
    assert "no_such_table" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize(
    "args",
    [
        ["sql", "select 1"],
        ["report", "--year", "2021/22"],
        ["export", "--format", "csv"],
        ["status"],
    ],
)
def test_missing_publication_exits_3(tmp_path, args) -> None:
    result = invoke(args, tmp_path / "nothing.duckdb")
    assert result.exit_code == EXIT_NOT_PUBLISHED, result.output
    assert "No published warehouse" in result.output


def test_report_command_writes_html_and_says_so(published, tmp_path) -> None:
    result = invoke(["report", "--year", "2021/22", "--output", str(tmp_path)], published)
    assert result.exit_code == 0, result.output
    written = tmp_path / "community_plan_2019_22-2021-22.html"
    assert written.is_file()
    assert "(HTML)" in result.output and "96%" in result.output


def test_report_command_refuses_unknown_year_and_format(published, tmp_path) -> None:
    wrong_year = invoke(["report", "--year", "2030/31", "--output", str(tmp_path)], published)
    assert wrong_year.exit_code == EXIT_USAGE
    assert "runs from 2019/20 to 2021/22" in wrong_year.output
    wrong_format = invoke(["report", "--year", "2021/22", "--format", "docx"], published)
    assert wrong_format.exit_code == EXIT_USAGE


def test_report_command_writes_a_pdf_when_the_output_is_named_pdf(published, tmp_path) -> None:
    """No --format: the .pdf suffix decides. Drawn with matplotlib here (Chromium's print is
    tested in test_report_layout.py)."""
    target = tmp_path / "monitoring.pdf"
    result = invoke(
        ["report", "--year", "2021/22", "--output", str(target)], published, WELLBEING_CHROMIUM=""
    )
    assert result.exit_code == 0, result.output
    assert target.read_bytes().startswith(b"%PDF-")
    clash = invoke(
        ["report", "--year", "2021/22", "--format", "html", "--output", str(tmp_path / "x.pdf")],
        published,
    )
    assert clash.exit_code == EXIT_USAGE, clash.output
    assert "contradicts" in clash.output and not (tmp_path / "x.pdf").exists()


@pytest.mark.parametrize(("fmt", "suffix"), [("csv", ".csv"), ("parquet", ".parquet")])
def test_export_command_writes_files(published, tmp_path, fmt: str, suffix: str) -> None:
    result = invoke(["export", "--format", fmt, "--output", str(tmp_path)], published)
    assert result.exit_code == 0, result.output
    files = sorted(tmp_path.iterdir())
    assert files and all(f.suffix == suffix for f in files)
    assert (tmp_path / f"measure_values{suffix}").is_file()


def test_status_lists_every_return_from_the_calendar_and_ledger(published) -> None:
    result = invoke(["status"], published)
    assert result.exit_code == 0, result.output
    assert "police__street_crimes" in result.output
    assert "received" in result.output and "overdue" in result.output


def test_catalogue_command_writes_the_page(tmp_path) -> None:
    target = tmp_path / "catalogue.md"
    result = invoke(["catalogue", "--output", str(target)])
    assert result.exit_code == 0, result.output
    assert target.read_text().startswith("# Measure catalogue")


def test_run_refuses_an_unknown_partner_before_running(tmp_path) -> None:
    raw = tmp_path / "raw"
    result = invoke(
        ["run", "--partner", "Nobody In Particular"],
        None,
        **{
            settings.RAW_DIR_ENV: str(raw),
            settings.WAREHOUSE_ENV: str(tmp_path / "working.duckdb"),
        },
    )
    assert result.exit_code == EXIT_USAGE, result.output
    assert "no partner matches" in result.output
    assert not raw.exists()


def test_run_prints_progress_and_keeps_the_frameworks_logs_in_a_file(tmp_path) -> None:
    """An analyst sees a line per stage and the outcome; Dagster's and dbt's output (hundreds
    of lines) goes to the run's log in the warehouse folder. A warehouse that has only ever
    had police files still builds: the other returns' raw tables are there, empty."""
    raw = tmp_path / "raw"
    police_month_file(raw, "2021-04", 3)
    result = invoke(
        ["run"],
        None,
        DAGSTER_HOME=str(tmp_path / "dagster_home"),
        **{
            settings.RAW_DIR_ENV: str(raw),
            settings.WAREHOUSE_ENV: str(tmp_path / "warehouse" / "working.duckdb"),
            settings.PUBLISHED_ENV: str(tmp_path / "warehouse" / "published.duckdb"),
        },
    )
    lines = result.output.splitlines()
    assert any("Ingesting 1 return(s) by month, April 2021 to April 2021" in x for x in lines)
    assert any("Building the measure models" in x for x in lines)
    assert not any("START sql table model" in x or "STEP_SUCCESS" in x for x in lines)
    (log,) = (tmp_path / "warehouse" / "logs").glob("run-*.log")
    assert str(log) in result.output
    logged = log.read_text()
    assert "START sql table model marts.measure_values" in logged and "STEP_SUCCESS" in logged
    # Three burglaries in one district is not a Kent month: the gate blocks publication and
    # the terminal says why, without the log.
    assert result.exit_code == EXIT_RUN_FAILED, result.output
    assert "publication__published_warehouse failed: 1 blocking finding(s)" in result.output
    assert "2021-04-kent-street.csv" in result.output
    assert not (tmp_path / "warehouse" / "published.duckdb").exists()
