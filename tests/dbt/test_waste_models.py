"""The waste returns through the warehouse: the published Sevenoaks figures come out of the
warehouse built from the synthetic sample, and a later ENV18 release revises earlier years
while regions are summed from their authorities."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import duckdb
import pytest
from dbt_command import Dbt
from factories import write_csv

from pipelines import settings
from pipelines.ingest import ingest_return, prepare_warehouse
from pipelines.returns import all_returns, waste_env18, waste_missed_collections, waste_tonnage
from sample_data.waste import write_sample

REAL_NAME = "LA_and_Regional_Spreadsheet_201718"
WASTE_RETURNS = (waste_env18.RETURN, waste_missed_collections.RETURN, waste_tonnage.RETURN)
SEVENOAKS = "E07000111"


def build_waste_warehouse(dbt: Dbt) -> duckdb.DuckDBPyConnection:
    """Ingest the waste returns in raw/ and build them into measure_values with dbt.

    Only the waste contribution is unioned into measure_values, so the test does not
    depend on other partners' models; every raw table exists (empty) all the same.
    """
    warehouse = Path(os.environ[settings.WAREHOUSE_ENV])
    with duckdb.connect(str(warehouse)) as con:
        prepare_warehouse(con, all_returns())
        for spec in WASTE_RETURNS:
            summary = ingest_return(con, spec, settings.raw_dir())
            assert summary.quarantined == []
    dbt.build_measures("+measure_values", contributions=["int_measure_values__waste"])
    return duckdb.connect(str(warehouse), read_only=True)


def sevenoaks_figures(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], float]:
    rows = con.execute(
        "select measure_id, period_id, value from marts.measure_values where area_code = ?",
        [SEVENOAKS],
    ).fetchall()
    return {(measure, period): value for measure, period, value in rows}


def test_warehouse_reproduces_the_published_sevenoaks_figures(dbt: Dbt) -> None:
    write_sample(settings.raw_dir())
    with build_waste_warehouse(dbt) as con:
        figures = sevenoaks_figures(con)
        complete = con.execute(
            "select bool_and(is_complete) from marts.measure_values "
            "where measure_id like 'missed%' or measure_id like 'waste%'"
        ).fetchone()[0]
        areas = con.execute(
            "select count(distinct area_code) from marts.measure_values "
            "where measure_id = 'household_recycling_rate' and period_id = '2024/25'"
        ).fetchone()[0]
    # The Community Plan monitoring reports for 2019/20 and 2021/22.
    assert round(figures["missed_collections_per_100k", "2019/20"], 1) == 5.7
    assert round(figures["missed_collections_per_100k", "2021/22"], 1) == 6.8
    assert round(figures["waste_not_landfilled_pct", "2020/21"]) == 98
    assert round(figures["waste_not_landfilled_pct", "2021/22"]) == 98
    assert figures["missed_collections_put_right_next_day_pct", "2019/20 Q4"] == 100
    # The "98% recycled or reused" is not the recycling rate, which ENV18 and the
    # council's own tonnes agree is about 38-42%.
    assert figures["household_recycling_rate", "2017/18"] == pytest.approx(38.08, abs=0.01)
    for year in range(2017, 2025):
        period = f"{year}/{(year + 1) % 100:02d}"
        recycled = figures["waste_recycled_composted_reused_pct", period]
        assert 38 <= recycled <= 42
        assert recycled == pytest.approx(figures["household_recycling_rate", period], abs=1)
    assert complete
    assert areas == 16  # 12 districts, Kent, Medway, South East, England


def test_later_release_revises_years_and_regions_are_summed(dbt: Dbt, shared_dir: Path) -> None:
    """The real 2017/18 release, then a later release of 2017-18 alone, as the real one
    has it but with Sevenoaks' household total revised: a release covers every authority
    for each year it holds, and the later one supersedes that year."""
    env18 = settings.raw_dir() / "waste" / "env18"
    env18.mkdir(parents=True)
    real = shared_dir / "real" / "waste" / f"{REAL_NAME}.csv"
    (env18 / real.name).write_bytes(real.read_bytes())
    with real.open(newline="") as handle:
        header, *lines = csv.reader(handle)
    total = header.index("Household - total waste (tonnes)")
    recycled = header.index("Household - waste sent for recycling/composting/reuse (tonnes)")
    revised = [line for line in lines if line[0] == "2017-18"]
    (home,) = [line for line in revised if line[2] == SEVENOAKS]
    home[total] = "42812.0"
    write_csv(env18 / "LA_and_Regional_Spreadsheet_201819.csv", [header, *revised])
    with build_waste_warehouse(dbt) as con:
        rates = {
            (area, period): (value, note, submissions)
            for area, period, value, note, submissions in con.execute(
                "select area_code, period_id, value, value_note, submission_ids "
                "from marts.measure_values where measure_id = 'household_recycling_rate'"
            ).fetchall()
        }
    assert rates[SEVENOAKS, "2017/18"][0] == pytest.approx(100 * float(home[recycled]) / 42812.0)
    assert rates[SEVENOAKS, "2017/18"][2] == [2]
    assert rates[SEVENOAKS, "2016/17"][2] == [1]
    # Defra's own Table 3a rates, from the sum of unitary and disposal authorities.
    assert round(rates["E12000008", "2017/18"][0], 1) == 46.7
    assert round(rates["E92000001", "2017/18"][0], 1) == 43.2
    assert round(rates["E92000001", "2014/15"][0], 1) == 43.7
    assert rates["E12000008", "2017/18"][1].startswith("Sum of the unitary and disposal")
    assert round(rates["E10000016", "2017/18"][0], 1) == 46.7
