"""The housing returns through the warehouse: ingested through the ledger and built with dbt,
the sample reproduces Sevenoaks' published figures (2019/20 homelessness outcomes staying
missing), Kent's affordable homes add up, and each year comes from the latest release."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest
from dbt_command import Dbt

from pipelines import settings
from pipelines.ingest import ingest_return, prepare_warehouse
from pipelines.returns import all_returns
from pipelines.returns import housing_affordable_supply as affordable_supply
from pipelines.returns import housing_homelessness as homelessness
from pipelines.returns import housing_private_sector_grants as grants
from sample_data.housing import PUBLISHED_SEVENOAKS_FIGURES, write_sample

SEVENOAKS = "E07000111"
HOUSING_RETURNS = (homelessness.RETURN, affordable_supply.RETURN, grants.RETURN)


def build_housing_warehouse(dbt: Dbt) -> duckdb.DuckDBPyConnection:
    """Ingest the housing returns and build them into measure_values with dbt, with only the
    housing contribution unioned so the test does not depend on other partners' models."""
    warehouse = Path(os.environ[settings.WAREHOUSE_ENV])
    with duckdb.connect(str(warehouse)) as con:
        prepare_warehouse(con, all_returns())
        for spec in HOUSING_RETURNS:
            assert ingest_return(con, spec, settings.raw_dir()).quarantined == []
    dbt.build_measures("+measure_values", contributions=["int_measure_values__housing"])
    return duckdb.connect(str(warehouse), read_only=True)


def test_warehouse_reproduces_the_published_sevenoaks_figures(dbt: Dbt) -> None:
    write_sample(settings.raw_dir())
    with build_housing_warehouse(dbt) as con:
        rows = con.execute(
            "select measure_id, period_id, value, value_note, is_complete "
            "from marts.measure_values where area_code = ? and period_type = 'financial_year'",
            [SEVENOAKS],
        ).fetchall()
        figures = {(m, p): (v, note, complete) for m, p, v, note, complete in rows}
        for measure, published in PUBLISHED_SEVENOAKS_FIGURES.items():
            for period, value in published.items():
                got, note, complete = figures[(measure, period)]
                assert complete, (measure, period)
                if value is None:
                    assert got is None and note.startswith("No figure: not available (..)")
                else:
                    assert got == pytest.approx(value, abs=0.005), (measure, period)

        quarter = con.execute(
            "select value, value_note, unit from marts.measure_values "
            "where measure_value_key = 'homelessness_positive_outcomes|E07000111|2019/20 Q3'"
        ).fetchone()
        assert quarter == (None, "No figure: not available (..) in the H-CLIC tables", "count")

        kent = con.execute(
            "select sum(value) filter (where area_code <> 'E10000016'), "
            "sum(value) filter (where area_code = 'E10000016') from marts.measure_values "
            "join reference.areas using (area_code) "
            "where measure_value_key like 'affordable_homes_delivered|%|2021/22' "
            "and (is_kent_district or area_code = 'E10000016')"
        ).fetchone()
        assert kent[0] == kent[1] > 0

        # Each year comes from the latest Live Table 1011 release, which revised 2020-21.
        latest = settings.raw_dir() / "housing/affordable_supply"
        dartford = duckdb.sql(
            f"select sum(Units) from read_csv('{latest}/*2024-25.csv') "
            "where \"LA code\" = 'E07000107' and Year = '2020-21' and Completions = 'Y'"
        ).fetchone()[0]
        assert con.execute(
            "select value from marts.measure_values "
            "where measure_value_key = 'affordable_homes_delivered|E07000107|2020/21'"
        ).fetchone() == (dartford,)

        units = con.execute(
            "select distinct measure_id, unit from marts.measure_values "
            "where measure_id like '%grants%' order by all"
        ).fetchall()
        assert {unit for measure, unit in units if measure.endswith("_pounds")} == {"pounds"}
        assert len(units) == 6
