"""Periods: where a file's name places it, what an officer's `2021/22` means, and the
partition keys every kind of return shares."""

from __future__ import annotations

from datetime import date

import pytest

from pipelines import periods
from pipelines.returns import all_returns, returns_by_table


@pytest.mark.parametrize(
    ("table", "name", "start"),
    [
        ("police__street_crimes", "2019-01-kent-street.csv", date(2019, 1, 1)),
        ("police__street_crimes", "2019-01.zip", date(2019, 1, 1)),
        ("police__street_crimes", "2019-04-v2-kent-street.csv", date(2019, 4, 1)),
        ("housing__homelessness", "Detailed_LA_201806.xlsx", date(2018, 4, 1)),
        ("housing__homelessness", "Detailed_LA_202103.ods", date(2021, 1, 1)),
        ("housing__homelessness", "Detailed_LA_202104.xlsx", None),
        ("waste__missed_collections", "missed_collections_2021-22_Q4.csv", date(2022, 1, 1)),
        ("waste__missed_collections", "missed_collections_2021-23_Q1.csv", None),
        ("status__key_success_measures", "2019-20-key-success-measures.csv", date(2019, 4, 1)),
        ("council__parking_enforcement", "Parking enforcement 2021-22.csv", date(2021, 4, 1)),
        (
            "road_safety__ksi_casualties",
            "KCC KSI casualties by district 2022.csv",
            date(2022, 1, 1),
        ),
        ("children__neet_summary", "NEET summary January 2020.xlsx", date(2020, 1, 1)),
        ("police__street_crimes", "2019-13-kent-street.csv", None),
    ],
)
def test_file_names_place_files_in_periods(table: str, name: str, start: date | None) -> None:
    spec = returns_by_table()[table]
    assert spec.periods.start_of(name) == start


def test_every_partitioned_return_places_its_own_example() -> None:
    for spec in all_returns():
        if spec.periods is not None:
            start = spec.periods.start_of(spec.periods.example)
            assert start is not None and spec.periods.kind.is_start(start), spec.table


def test_returns_without_periods_are_the_national_snapshots() -> None:
    snapshots = {spec.table for spec in all_returns() if spec.periods is None}
    assert snapshots == {
        "health__fingertips_indicators",
        "housing__affordable_supply",
        "waste__env18_collected_waste",
    }


@pytest.mark.parametrize(
    ("text", "window"),
    [
        ("2021-04", (date(2021, 4, 1), date(2021, 5, 1))),
        ("2021/22 Q3", (date(2021, 10, 1), date(2022, 1, 1))),
        ("2021/22Q4", (date(2022, 1, 1), date(2022, 4, 1))),
        ("2021/22", (date(2021, 4, 1), date(2022, 4, 1))),
        ("2021", (date(2021, 1, 1), date(2022, 1, 1))),
        ("2019/20..2021/22", (date(2019, 4, 1), date(2022, 4, 1))),
        ("2019-04..2019-06", (date(2019, 4, 1), date(2019, 7, 1))),
    ],
)
def test_officers_periods_become_windows(text: str, window: tuple[date, date]) -> None:
    assert periods.window(text) == window


@pytest.mark.parametrize("text", ["2021-22", "2021/23", "2021-13", "Q1", "2022/23..2021/22"])
def test_a_period_that_is_not_one_is_refused(text: str) -> None:
    with pytest.raises(periods.PeriodError):
        periods.window(text)


def test_labels_and_keys_in_the_councils_words() -> None:
    assert periods.MONTH.label(date(2021, 4, 1)) == "April 2021"
    assert periods.QUARTER.label(date(2022, 1, 1)) == "2021/22 Q4"
    assert periods.FINANCIAL_YEAR.label(date(2021, 4, 1)) == "2021/22"
    assert periods.CALENDAR_YEAR.label(date(2021, 1, 1)) == "2021"
    assert periods.QUARTER.key(date(2021, 10, 1)) == "2021-10"


def test_periods_overlapping_a_window() -> None:
    financial_year = (date(2021, 4, 1), date(2022, 4, 1))
    assert periods.starts_within(periods.QUARTER, *financial_year) == [
        date(2021, 4, 1),
        date(2021, 7, 1),
        date(2021, 10, 1),
        date(2022, 1, 1),
    ]
    assert periods.starts_within(periods.CALENDAR_YEAR, *financial_year) == [
        date(2021, 1, 1),
        date(2022, 1, 1),
    ]
    assert len(periods.starts_within(periods.MONTH, *financial_year)) == 12
