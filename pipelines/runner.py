"""Running the pipeline outside the Dagster UI: the whole job on a Dagster instance, and
the headline figures read back from the warehouse afterwards."""

from __future__ import annotations

import os
from pathlib import Path

import dagster as dg
import duckdb

from pipelines import settings


def dagster_instance() -> dg.DagsterInstance:
    """The persistent instance under DAGSTER_HOME (default .dagster_home), so runs started
    from the command line show in the UI's run history."""
    home = Path(os.environ.setdefault("DAGSTER_HOME", str(settings.REPO_ROOT / ".dagster_home")))
    home.mkdir(parents=True, exist_ok=True)
    return dg.DagsterInstance.get()


def run_all_returns(instance: dg.DagsterInstance | None = None) -> dg.ExecuteInProcessResult:
    """Ingest every return in raw/ and build every model, as one Dagster run."""
    from pipelines.definitions import defs

    job = defs.resolve_job_def("all_returns")
    return job.execute_in_process(instance=instance or dagster_instance(), raise_on_error=False)


HEADLINE_SQL = """
select
    measure_name,
    period_id,
    value,
    value_note
from marts.measure_values
where area_code = 'E07000111'
  and period_type = 'financial_year'
  and measure_id in ('victim_based_crimes', 'anti_social_behaviour_incidents')
  and is_complete
qualify dense_rank() over (partition by measure_id order by period_id desc) <= 3
order by measure_name, period_id
"""


def headline_figures(warehouse: Path | None = None) -> list[tuple]:
    """Sevenoaks' crime and anti-social behaviour for the last three complete years."""
    with duckdb.connect(str(warehouse or settings.warehouse_path()), read_only=True) as con:
        return con.execute(HEADLINE_SQL).fetchall()
