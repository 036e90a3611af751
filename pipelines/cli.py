"""`wellbeing`: the command line a council analyst uses without knowing Dagster."""

from __future__ import annotations

import sys
import time

import click

from pipelines import settings


@click.group()
def main() -> None:
    """Sevenoaks District wellbeing indicators warehouse."""


@main.command("sample-data")
@click.option("--force", is_flag=True, help="Write the sample even if raw/ already has files.")
def sample_data(force: bool) -> None:
    """Write the synthetic sample partner returns into raw/."""
    from pipelines.sample_data import raw_dir_is_empty, write_sample_returns

    raw = settings.raw_dir()
    if not force and not raw_dir_is_empty(raw):
        click.echo(f"{raw} already holds partner files; use --force to add the sample anyway.")
        return
    started = time.perf_counter()
    written = write_sample_returns(raw)
    click.echo(
        f"Wrote {len(written)} synthetic sample files to {raw} "
        f"in {time.perf_counter() - started:.1f} s."
    )


@main.command("run")
@click.option(
    "--sample-if-empty/--no-sample",
    default=True,
    help="Write the synthetic sample into raw/ first if raw/ is empty.",
)
def run(sample_if_empty: bool) -> None:
    """Ingest every partner return in raw/ and build the warehouse."""
    from pipelines.runner import headline_figures, run_all_returns
    from pipelines.sample_data import raw_dir_is_empty, write_sample_returns

    settings.export_environment()
    raw = settings.raw_dir()
    if sample_if_empty and raw_dir_is_empty(raw):
        written = write_sample_returns(raw)
        click.echo(f"raw/ was empty: wrote {len(written)} synthetic sample files.")
    started = time.perf_counter()
    result = run_all_returns()
    elapsed = time.perf_counter() - started
    if not result.success:
        failed = [e.step_key for e in result.all_events if e.is_step_failure]
        click.echo(
            f"The run failed at: {', '.join(failed) or 'unknown step'} (run id {result.run_id}).",
            err=True,
        )
        sys.exit(1)
    click.echo(f"Pipeline finished in {elapsed:.1f} s (Dagster run {result.run_id}).")
    click.echo(f"Warehouse: {settings.warehouse_path()}")
    click.echo("Sevenoaks, last three complete financial years:")
    for measure, period, value, note in headline_figures():
        click.echo(f"  {measure:<35} {period}  {value:>8,.0f}  {note or ''}".rstrip())
