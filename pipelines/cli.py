"""`wellbeing`: the command line a council analyst uses without knowing Dagster.

Exit codes (the same for every command):

\b
  0  done
  1  the pipeline run or its checks failed, or raw/ holds no partner files (nothing
     new was published)
  2  the command was used wrongly: an unknown option, plan, year, partner or format
  3  there is no published warehouse yet (run `wellbeing run` first)
  4  the SQL query failed, or was refused because it would change the warehouse or
     touch a file
  5  the output could not be written (a PDF that Chromium could not print, a folder
     that cannot be written to)
  6  another run kept the warehouse for longer than --wait (nothing was changed)
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import time
from pathlib import Path

import click

from pipelines import settings

EXIT_OK = 0
EXIT_RUN_FAILED = 1
EXIT_USAGE = 2
EXIT_NOT_PUBLISHED = 3
EXIT_QUERY_FAILED = 4
EXIT_OUTPUT_FAILED = 5
EXIT_BUSY = 6

DEFAULT_PLAN = "community_plan_2019_22"
SHOWN_ERROR_LINES = 12
"""Lines of a failed step's error shown on the terminal; the run's log has the rest."""


class WellbeingGroup(click.Group):
    """Turns the errors a user can cause into a message and an exit code, not a traceback."""

    def invoke(self, ctx: click.Context):
        from pipelines.reporting.content import ReportRequestError
        from pipelines.reporting.pdf import PdfError
        from pipelines.reporting.published import PublishedWarehouseMissing
        from pipelines.reporting.returns_status import ReturnsCalendarMissing

        try:
            return super().invoke(ctx)
        except PublishedWarehouseMissing as missing:
            _fail(str(missing), EXIT_NOT_PUBLISHED)
        except (ReportRequestError, ReturnsCalendarMissing) as wrong:
            _fail(str(wrong), EXIT_USAGE)
        except (PdfError, PermissionError, IsADirectoryError, NotADirectoryError) as unwritable:
            _fail(str(unwritable), EXIT_OUTPUT_FAILED)


def _fail(message: str, code: int) -> None:
    click.secho(f"Error: {message}", fg="red", err=True)
    sys.exit(code)


@click.group(cls=WellbeingGroup, epilog=__doc__.split("\n\n", 1)[1])
@click.version_option(package_name="sevenoaks-wellbeing-warehouse")
def main() -> None:
    """Sevenoaks District wellbeing indicators warehouse.

    Partner returns in raw/ become the published warehouse (`run`); officers ask where the
    returns stand (`status`), query it (`sql`), and report authors generate the annual
    monitoring report (`report`), exports (`export`) and the measure catalogue
    (`catalogue`). Paths come from WELLBEING_WAREHOUSE, WELLBEING_PUBLISHED and
    WELLBEING_RAW_DIR.
    """


def _selected_returns(partners: tuple[str, ...], cadences: tuple[str, ...]):
    """The ingestion assets of the chosen partners and cadences (None: every return).

    A partner is matched on its `partner` tag, so `Kent Police`, `kent police` and `police`
    all select Kent Police's returns.
    """
    import dagster as dg

    from pipelines.ingestion.assets import ingestion_assets, partner_tag

    if not partners and not cadences:
        return None
    known = sorted({t["partner"] for a in ingestion_assets for t in a.tags_by_key.values()})
    selection = dg.AssetSelection.assets(*ingestion_assets)
    if partners:
        matched = set()
        for partner in partners:
            found = {tag for tag in known if partner_tag(partner) in tag}
            if not found:
                raise click.BadParameter(
                    f"no partner matches {partner!r}; partners: {', '.join(known)}",
                    param_hint="--partner",
                )
            matched |= found
        selection = selection & _any_tag("partner", matched)
    if cadences:
        selection = selection & _any_tag("cadence", set(cadences))
    return selection


def _any_tag(key: str, values: set[str]):
    import dagster as dg

    selections = [dg.AssetSelection.tag(key, value) for value in sorted(values)]
    combined = selections[0]
    for selection in selections[1:]:
        combined = combined | selection
    return combined


def _period_window(_ctx, _param, text: str | None):
    from pipelines.periods import PeriodError, window

    if text is None:
        return None
    try:
        return window(text)
    except PeriodError as error:
        raise click.BadParameter(str(error)) from error


def _holds_partner_files(raw: Path) -> bool:
    """Whether any partner file has landed in raw/.

    Partner files sit in a source folder (`police/`, `waste/`, ...); the files at the top of
    raw/ (its README, the sample's AS_OF) are not returns.
    """
    return raw.is_dir() and any(
        path.is_file() for folder in raw.iterdir() if folder.is_dir() for path in folder.rglob("*")
    )


@main.command("run")
@click.option(
    "--partner",
    "partners",
    multiple=True,
    metavar="NAME",
    help="Only this partner's returns (e.g. 'Kent Police'), then everything built from them. "
    "Repeat for several.",
)
@click.option(
    "--cadence",
    "cadences",
    multiple=True,
    type=click.Choice(["monthly", "quarterly", "annual"]),
    help="Only returns sent at this cadence, then everything built from them.",
)
@click.option(
    "--period",
    "window",
    metavar="PERIOD",
    callback=_period_window,
    help="Only the files for periods overlapping PERIOD: a month (2021-04), a quarter "
    "(2021/22 Q1), a financial year (2021/22), a calendar year (2021) or a range "
    "(2019/20..2021/22). Files covering many periods (ENV18, Fingertips) are always read.",
)
@click.option(
    "--wait",
    "wait_seconds",
    type=click.FloatRange(min=0),
    default=300,
    show_default=True,
    metavar="SECONDS",
    help="While another run writes the warehouse, wait this long for it to finish, then "
    "give up (exit code 6).",
)
@click.option(
    "--verbose",
    "-v",
    is_flag=True,
    help="Show Dagster's and dbt's logs as they happen, instead of writing them to the run's "
    "log file in the warehouse folder.",
)
def run(
    partners: tuple[str, ...],
    cadences: tuple[str, ...],
    window: tuple | None,
    wait_seconds: float,
    verbose: bool,
) -> None:
    """Ingest the partner returns in raw/, build and check the warehouse, and publish it.

    Without options every return is read for every period its files are for; the ledger
    skips files it has already loaded. --partner, --cadence and --period narrow what is
    ingested (a backfill of a range of periods is `--period 2019/20..2021/22`); everything
    built from the chosen returns is then rebuilt. Each kind of period is one Dagster run,
    and the build and publication one more, all visible in the Dagster UI.

    One run writes the warehouse at a time: while another (a second command, a scheduled
    run) is writing, this one waits up to --wait seconds, then exits with code 6. Runs left
    unfinished by a process that was killed are marked failed, with the reason, as this
    one starts.

    The warehouse is published (replacing the file officers read) only when the blocking
    checks pass. Exit code 1 when a run or a blocking check fails, or when raw/ holds no
    partner files: the synthetic sample is only ever written on request (`make run`).
    """
    from pipelines import writer
    from pipelines.ingestion.assets import ingestion_assets
    from pipelines.operations.runs import dagster_instance, writing

    settings.export_environment()
    returns = _selected_returns(partners, cadences)
    if returns is not None and not returns.resolve(ingestion_assets):
        raise click.UsageError("No partner return has both the partner and cadence chosen.")
    raw = settings.raw_dir()
    if not _holds_partner_files(raw):
        _fail(
            f"raw/ is empty: {raw} holds no partner files in its source folders (police/, "
            "waste/, ...), so nothing was ingested or published. To try the warehouse on the "
            f"SYNTHETIC sample, run `make run`, or `python -m sample_data {raw}` and then "
            "`wellbeing run`.",
            EXIT_RUN_FAILED,
        )
    started = time.perf_counter()
    terminal = sys.stdout

    def announce(message: str) -> None:
        click.echo(f"[{time.perf_counter() - started:5.1f} s] {message} ...", file=terminal)

    try:
        with writing(
            settings.warehouse_path(),
            instance=dagster_instance,
            wait_seconds=wait_seconds,
            announce=announce,
        ) as instance:
            _run_holding_the_lock(instance, returns, window, verbose, started, announce)
    except (writer.WarehouseBusy, writer.DatabaseStillOpen) as busy:
        _fail(str(busy), EXIT_BUSY)


def _run_holding_the_lock(instance, returns, window, verbose: bool, started: float, announce):
    """The pipeline run of `wellbeing run`, its outcome and the headline figures."""
    from pipelines.runner import headline_figures, run_pipeline

    log_path = _run_log_path()
    if not verbose:
        click.echo(f"Dagster's and dbt's logs: {log_path}")
    with _logs_to(None if verbose else log_path):
        pipeline = run_pipeline(instance, returns=returns, window=window, announce=announce)
    elapsed = time.perf_counter() - started
    run_ids = ", ".join(result.run_id for result in pipeline.results)
    if pipeline.up_to_date is not None:
        click.echo(f"{pipeline.up_to_date} ({elapsed:.1f} s).")
    elif not pipeline.success:
        for step, message in pipeline.failures:
            shown = message.splitlines()
            click.echo(f"{step} failed: " + "\n  ".join(shown[:SHOWN_ERROR_LINES]), err=True)
            if len(shown) > SHOWN_ERROR_LINES:
                click.echo(f"  ... {len(shown) - SHOWN_ERROR_LINES} more lines", err=True)
        _fail(
            f"The run failed at: {', '.join(pipeline.failed_steps) or 'unknown step'} "
            f"(Dagster runs {run_ids}). Nothing new was published."
            + ("" if verbose else f" The whole log: {log_path}"),
            EXIT_RUN_FAILED,
        )
    else:
        click.echo(f"Pipeline finished in {elapsed:.1f} s (Dagster runs {run_ids}).")
    click.echo(f"Warehouse: {settings.warehouse_path()}")
    click.echo(f"Published: {settings.published_path()}")
    headlines = headline_figures()
    if headlines:
        click.echo(f"{headlines[0][0]}, last three complete financial years:")
    for _, measure, period, value, note in headlines:
        click.echo(f"  {measure:<35} {period}  {value:>8,.0f}  {note or ''}".rstrip())


def _run_log_path() -> Path:
    """A log file of this run's own: the time and the process id, so runs started in the
    same second never share one."""
    return (
        settings.warehouse_path().parent
        / "logs"
        / f"run-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}.log"
    )


@contextlib.contextmanager
def _logs_to(path: Path | None):
    """Send what Dagster, dbt and Great Expectations print to a log file, so an analyst sees
    the progress lines and the outcome; None leaves them on the terminal. Dagster's console
    logger and dagster-dbt write through sys.stdout and sys.stderr, so redirecting those
    catches them. Written a line at a time, so the log of a run that was killed ends where
    the run did."""
    if path is None:
        yield
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with (
        path.open("x", encoding="utf-8", buffering=1) as log,
        contextlib.redirect_stdout(log),
        contextlib.redirect_stderr(log),
    ):
        yield


def _print_table(frame, max_rows: int, rows: int | None = None) -> None:
    """A polars frame as a plain text table that fits the terminal; `rows`: how many the
    whole answer has, when `frame` holds only the first."""
    import polars as pl

    with pl.Config(
        tbl_formatting="ASCII_MARKDOWN",
        tbl_hide_column_data_types=True,
        tbl_hide_dataframe_shape=True,
        tbl_cols=-1,
        tbl_rows=max_rows,
        # A terminal gets a table that fits it; a pipe or file gets every column in full.
        tbl_width_chars=(
            max(shutil.get_terminal_size((160, 24)).columns, 100) if sys.stdout.isatty() else 10_000
        ),
        fmt_str_lengths=80,
        thousands_separator=",",
    ):
        click.echo(frame.head(max_rows))
    rows = frame.height if rows is None else rows
    if rows > max_rows:
        click.echo(f"({rows:,} rows; {max_rows} shown: use --max-rows to see more)")


@main.command("status")
@click.option(
    "--partner", metavar="NAME", help="Only returns of partners whose name contains NAME."
)
@click.option(
    "--working",
    is_flag=True,
    help="Read the working warehouse (the latest run, even one that was not published) "
    "instead of the publication.",
)
@click.option("--max-rows", default=200, show_default=True, help="Rows of detail to show.")
def status(partner: str | None, working: bool, max_rows: int) -> None:
    """Every partner return: periods received, quarantined, overdue and not yet due, and the
    files the ledger accepted, quarantined and superseded; then each overdue or quarantined
    period with its due date and the reason; then each quarantined or unrecognised file in
    raw/ by name, period and reason, and what to do; then who is writing the warehouse now,
    and the runs marked failed because the process running them had ended."""
    from pipelines import writer
    from pipelines.reporting import published, returns_status

    path = settings.warehouse_path() if working else None
    if working and not path.is_file():
        _fail(f"No working warehouse at {path}: run `wellbeing run` first.", EXIT_NOT_PUBLISHED)
    holder = writer.current_holder(settings.warehouse_path())
    if working and holder is not None:
        _fail(
            f"A run is writing the working warehouse now: {holder.describe()}. Read the "
            "publication (without --working), or try again when the run has finished.",
            EXIT_BUSY,
        )
    with published.connect(path) as con:
        summary = returns_status.return_summary(con, partner)
        outstanding = returns_status.outstanding_periods(con, partner)
        files = returns_status.files_needing_attention(con, partner)
    click.echo(f"Returns in {'the working warehouse' if working else 'the publication'}:")
    _print_table(summary.drop("last_received_at"), max_rows)
    if outstanding.is_empty():
        click.echo("Nothing overdue or quarantined.")
    else:
        click.echo(f"\n{outstanding.height} period(s) overdue or quarantined:")
        _print_table(outstanding, max_rows)
    if not files.is_empty():
        click.echo(f"\n{files.height} file(s) in raw/ not loaded:")
        _print_table(files, max_rows)
        for kind in files["status"].unique(maintain_order=True):
            click.echo(returns_status.WHAT_TO_DO[kind])
    click.echo(f"\nWriting the warehouse now: {holder.describe() if holder else 'no run'}.")
    _print_runs_marked_dead()


def _print_runs_marked_dead() -> None:
    """The latest runs marked failed because their process had ended (killed or crashed),
    from the Dagster instance, when there is one."""
    from pipelines.operations.runs import dagster_home, dagster_instance, runs_marked_dead

    if not dagster_home().is_dir():
        return
    with dagster_instance() as instance:
        dead = runs_marked_dead(instance)
    if not dead:
        return
    click.echo(f"Runs marked failed because their process had ended (latest {len(dead)}):")
    for run in dead:
        started = f"{run.started:%Y-%m-%d %H:%M} UTC" if run.started else "never started"
        click.echo(f"  {started}  {run.job_name}  {run.run_id}\n    {run.reason}")


@main.command("report")
@click.option(
    "--plan",
    default=DEFAULT_PLAN,
    show_default=True,
    help="The plan whose key success measures are reported.",
)
@click.option(
    "--year",
    help="The financial year reported, e.g. 2021/22 (default: the plan's latest year with "
    "figures).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["html", "pdf"]),
    help="HTML (self-contained, opens offline) or PDF. Without it, the --output file's "
    "suffix decides (x.pdf is a PDF), and HTML when there is none.",
)
@click.option(
    "--output",
    type=click.Path(path_type=Path),
    help="File or folder to write to (default reports/ in the current folder).",
)
@click.option(
    "--edition",
    type=click.Choice(["public", "internal"]),
    default="public",
    show_default=True,
    help="public: what the council publishes, with plain-language caveats beside the "
    "figures. internal: adds the data quality findings, each with the action it asks of "
    "officers.",
)
def report(plan: str, year: str | None, fmt: str | None, output: Path | None, edition: str) -> None:
    """Generate the annual monitoring report for a plan and year from the published
    warehouse.

    A PDF is printed by headless Chromium when it is installed (the same page as the
    HTML); without it the PDF is drawn with matplotlib (the same figures, sentences and
    charts, plainer layout). The command says which it used.
    """
    from pipelines.reporting.report import build_report, output_format

    fmt = output_format(fmt, output)
    steps = 3 if fmt == "pdf" else 2
    with click.progressbar(
        length=steps + 1,
        label=f"Report for {year or 'the latest year'}",
        item_show_func=lambda step: step,
        file=sys.stderr,
    ) as bar:
        written = build_report(
            plan,
            year,
            fmt,
            output,
            progress=lambda message: bar.update(1, message),
            edition=edition,
        )
        bar.update(bar.length - bar.pos, "done")
    used = {
        "html": "HTML",
        "chromium": "PDF printed by Chromium",
        "matplotlib": "PDF drawn with matplotlib (Chromium is not installed)",
    }[written.renderer]
    click.echo(f"Wrote {written.path} ({used}).")
    if not hasattr(written.content, "overall"):
        missing = len(written.content.missing)
        click.echo(f"Indicators by priority; {missing} with no figure for {written.content.year}.")
        return
    overall = written.content.overall
    findings = (
        f"{len(written.content.findings)} quality finding(s) in the appendix."
        if edition == "internal"
        else "public edition: caveats beside the figures, no findings appendix."
    )
    click.echo(
        f"{overall.percent_achieved:.0f}% of key success measures achieved or on target; "
        f"{overall.percent_missing:.0f}% missing; {findings}"
    )


@main.command("export")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["xlsx", "csv", "parquet"]),
    default="xlsx",
    show_default=True,
    help="An Excel workbook (one sheet per table and a README sheet), or one CSV or Parquet "
    "file per table.",
)
@click.option(
    "--output",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("exports"),
    show_default=True,
    help="Folder to write to.",
)
def export(fmt: str, output: Path) -> None:
    """Export the published marts, reference tables and quality findings."""
    from pipelines.reporting import exports, published

    with published.connect() as con:
        total = len(exports.exported_tables(con))
    with click.progressbar(
        length=total,
        label=f"Exporting {fmt}",
        item_show_func=lambda table: table.qualified if table else "",
        file=sys.stderr,
    ) as bar:
        written = exports.export(fmt, output, progress=lambda table: bar.update(1, table))
    for path in written:
        click.echo(str(path.resolve()))


def _memory_size(_ctx, _param, text: str) -> str:
    from pipelines.officer_sql import valid_size

    if not valid_size(text):
        raise click.BadParameter(f"{text!r} is not a size such as 2GB or 500MB")
    return text


@main.command("sql")
@click.argument("query", required=False)
@click.option(
    "--mode",
    type=click.Choice(["table", "csv", "json", "markdown"]),
    default="table",
    show_default=True,
    help="How to print the answer: a table that fits the terminal, or CSV, JSON (a list of "
    "rows) or a Markdown table with every value in full, to redirect to a file or paste.",
)
@click.option(
    "--tables",
    "list_tables",
    is_flag=True,
    help="List every table officers can query, with its rows and full description, "
    "instead of running a query.",
)
@click.option("--max-rows", default=50, show_default=True, help="Rows to print.")
@click.option(
    "--timeout",
    "timeout_seconds",
    type=click.FloatRange(min=0.1),
    default=60,
    show_default=True,
    metavar="SECONDS",
    help="Stop the query after this long.",
)
@click.option(
    "--memory-limit",
    default="2GB",
    show_default=True,
    callback=_memory_size,
    help="Memory the query may use; beyond it, up to 4 GB of temporary files, then it stops.",
)
def sql(
    query: str | None,
    mode: str,
    list_tables: bool,
    max_rows: int,
    timeout_seconds: float,
    memory_limit: str,
) -> None:
    """Run one read-only SQL QUERY against the published warehouse and print the result.

    One statement that reads (SELECT, SHOW, DESCRIBE, SUMMARIZE, EXPLAIN), within a time and
    a memory limit. The connection cannot change anything: the file is opened read-only,
    reading or writing other files (COPY, ATTACH, INSTALL, read_csv) is switched off and the
    setting is locked. A column of whole numbers (counts) prints without decimals.
    `--tables` lists what there is to query; a table's columns and their descriptions:
    `wellbeing sql "select column_name, comment from duckdb_columns() where table_name =
    'measure_values'" --mode markdown`.
    Example: wellbeing sql "select * from marts.measure_values limit 5" --mode csv > out.csv
    """
    import duckdb

    from pipelines import officer_sql

    if list_tables:
        if query:
            raise click.UsageError("Give a QUERY or --tables, not both.")
        _print_tables(officer_sql.published_tables(), mode)
        return
    if not query:
        raise click.UsageError("Give a QUERY to run, or --tables to list the tables.")
    try:
        answer = officer_sql.run(
            query, timeout_seconds=timeout_seconds, memory_limit=memory_limit, max_rows=max_rows
        )
    except (officer_sql.QueryRefused, officer_sql.QueryStopped) as stopped:
        _fail(str(stopped), EXIT_QUERY_FAILED)
    except duckdb.Error as error:
        _fail(_query_error(error), EXIT_QUERY_FAILED)
    if mode == "table":
        _print_table(answer.frame, max_rows, answer.rows)
        return
    click.echo(officer_sql.as_text(answer.frame, mode), nl=False)
    if answer.rows > max_rows:
        click.echo(
            f"({answer.rows:,} rows; {max_rows} written: use --max-rows to see more)", err=True
        )


def _print_tables(tables, mode: str) -> None:
    """Each table with its rows and its whole description, wrapped to the terminal; in the
    other modes, the same as data."""
    import textwrap

    from pipelines import officer_sql

    if mode != "table":
        click.echo(officer_sql.as_text(tables, mode), nl=False)
        return
    width = min(shutil.get_terminal_size((100, 24)).columns, 100)
    for name, rows, description in tables.iter_rows():
        count = "view" if rows is None else f"{rows:,} rows"
        click.echo(f"{name} ({count})")
        text = description or "(no description)"
        click.echo(textwrap.fill(text, width, initial_indent="  ", subsequent_indent="  "))


def _query_error(error: Exception) -> str:
    """Say plainly when a query was refused for trying to write, rather than just failing."""
    text = str(error).strip()
    refused = (
        "read-only mode",
        "file system operations are disabled",
        "configuration has been locked",
    )
    if any(reason in text for reason in refused):
        return (
            "Refused: `wellbeing sql` reads the published warehouse and cannot change it, "
            f"write or read files, attach databases or install extensions.\n{text}"
        )
    return text


@main.command("catalogue")
@click.option(
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    default=Path("docs/measure_catalogue.md"),
    show_default=True,
    help="Where to write the Markdown page (relative to the repository when not absolute).",
)
def catalogue(output: Path) -> None:
    """Write the measure catalogue page (Markdown) from the dbt seeds."""
    from pipelines.reporting import catalogue as measure_catalogue

    target = output if output.is_absolute() else settings.REPO_ROOT / output
    written = measure_catalogue.write(target)
    click.echo(f"Wrote {written}.")


@main.command("dbt-sources")
def dbt_sources() -> None:
    """Write dbt's sources YAML from the return specifications and the ledger's columns.

    Run it after adding a return or changing a ReturnSpec's partner or description; a test
    fails while the committed files differ from what the specifications give.
    """
    from pipelines import dbt_sources as sources

    written = sources.write_source_files()
    for path in written:
        click.echo(f"Wrote {path.relative_to(settings.REPO_ROOT)}.")
    if not written:
        click.echo("dbt's sources already match the return specifications.")
