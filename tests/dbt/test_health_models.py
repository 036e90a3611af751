"""Health returns through the warehouse: the synthetic One You and care navigation returns
and a Fingertips export, ingested and built with dbt, reproduce the published Sevenoaks
figures, and a suppressed figure keeps its note."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from dbt_command import Dbt

from pipelines import settings
from pipelines.ingest import ingest_return
from pipelines.returns import health_care_navigation as care_navigation
from pipelines.returns import health_fingertips as fingertips
from pipelines.returns import health_one_you as one_you
from sample_data.health import write_sample

HEALTH_RETURNS = (fingertips.RETURN, one_you.RETURN, care_navigation.RETURN)
SUPPRESSED = "Value suppressed for disclosure control due to small count"
SEVENOAKS = "E07000111"

HEALTH_MODELS = (
    "areas",
    "measure_catalogue",
    "stg_ledger__submissions",
    "stg_health__fingertips_indicator_values",
    "stg_health__one_you_quarters",
    "stg_health__care_navigation_months",
    "int_measure_values__health",
    "measure_values",
)
PUBLISHED = {
    ("one_you_referrals", "2019/20"): 642,
    ("one_you_your_home_clients", "2019/20"): 217,
    ("one_you_your_home_clients", "2021/22"): 180,
    ("one_you_goals_set", "2019/20"): 253,
    ("one_you_goals_achieved_pct", "2019/20"): 60,
    ("care_navigation_interventions_accepted", "2019/20"): 1447,
}


def test_warehouse_reproduces_the_published_sevenoaks_figures(workspace: Path, dbt: Dbt) -> None:
    """Ingest the sample health returns, build the health models and measure_values only
    (the union limited to the health contribution), and read the figures back."""
    raw = workspace / "raw"
    write_sample(raw)
    warehouse = settings.warehouse_path()
    with duckdb.connect(str(warehouse)) as con:
        for spec in HEALTH_RETURNS:
            assert ingest_return(con, spec, raw).quarantined == []
    dbt.build_measures(*HEALTH_MODELS, contributions=["int_measure_values__health"])
    with duckdb.connect(str(warehouse), read_only=True) as con:
        figures = con.execute(
            """
            select measure_id, period_id, value, is_complete, submission_ids
            from marts.measure_values
            where area_code = ? and period_type = 'financial_year'
            """,
            [SEVENOAKS],
        ).fetchall()
        march_2020 = con.execute(
            """
            select numerator, denominator, value from marts.measure_values
            where measure_id = 'care_navigation_acceptance_pct' and area_code = ?
              and period_id = '2020-03'
            """,
            [SEVENOAKS],
        ).fetchone()
        suppressed = con.execute(
            """
            select value, value_note from marts.measure_values
            where measure_id = 'fingertips_90808' and area_code = 'E07000116'
              and period_id = '2018/19 - 20/21' and period_type = 'snapshot'
            """
        ).fetchone()
    by_measure = {(m, p): (v, complete, ids) for m, p, v, complete, ids in figures}
    for key, published in PUBLISHED.items():
        value, complete, submission_ids = by_measure[key]
        assert round(value) == published, key
        assert complete and submission_ids, key
    assert by_measure[("fingertips_93014", "2019/20")][0] is not None
    assert march_2020 == (119, 140, pytest.approx(85.0))
    assert suppressed == (None, SUPPRESSED)
