"""Plausibility reads a district's county rank from marts.measure_benchmarks (where ranks
are computed) instead of ranking the districts again."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from pipelines.quality.plausibility import county_rank


@pytest.fixture
def con(tmp_path: Path):
    with duckdb.connect(str(tmp_path / "working.duckdb")) as connection:
        connection.execute(
            """
            create schema marts;
            create table marts.measure_benchmarks as
            select * from (values
                ('neet', 'A', 'Jan 2020', date '2020-01-01', 2.0, 1, 2),
                ('neet', 'H', 'Jan 2020', date '2020-01-01', 3.0, 2, 2),
                ('neet', 'A', 'Nov 2019', date '2019-11-01', 9.0, 2, 2),
                ('neet', 'H', 'Nov 2019', date '2019-11-01', 1.0, 1, 2),
                ('neet', 'A', 'Jan 2021', date '2021-01-01', 2.0, 1, 1),
                ('neet', 'H', 'Jan 2021', date '2021-01-01', null, null, 1)
            ) as rows(measure_id, area_code, period_id, period_start, value, rank_from_lowest,
                districts_with_value)
            """
        )
        yield connection


def test_the_rank_is_the_marts_in_the_years_latest_period(con) -> None:
    assert county_rank(con, "neet", "H", "2019/20") == (2, "Jan 2020", 2)


def test_no_rank_when_the_area_has_no_figure_in_that_period(con) -> None:
    assert county_rank(con, "neet", "H", "2020/21") is None
    assert county_rank(con, "neet", "H", "2018/19") is None


def test_no_rank_before_the_marts_are_built(tmp_path: Path) -> None:
    with duckdb.connect(str(tmp_path / "empty.duckdb")) as empty:
        assert county_rank(empty, "neet", "H", "2019/20") is None
