"""The report's sentences: the published reports' wording, built from figures passed in."""

from __future__ import annotations

import pytest

from pipelines.reporting import wording
from pipelines.reporting.content import financial_year_bounds, measure_ids, plan_title


def victim_crime(**changes) -> wording.Figure:
    figure = {
        "measure_name": "Victim-based crime reports",
        "unit": "count",
        "period_id": "2021/22",
        "period_type": "financial_year",
        "value": 7056.0,
        "previous_period_id": "2020/21",
        "previous_value": 6791.0,
        "change": 265.0,
        "percent_change": 3.902,
    }
    return wording.Figure(**(figure | changes))


def test_the_2021_22_victim_crime_sentence_reads_as_the_report() -> None:
    assert wording.value_sentence(victim_crime()) == (
        "During 2021/22 there were 7,056 victim-based crime reports, "
        "265 (3.9%) more than in 2020/21."
    )


def test_a_fall_is_fewer_and_no_change_is_the_same_number() -> None:
    fall = victim_crime(change=-1177.0, percent_change=-43.75)
    assert "1,177 (43.8%) fewer than in 2020/21" in wording.value_sentence(fall)
    flat = victim_crime(change=0.0, percent_change=0.0)
    assert wording.value_sentence(flat).endswith("the same number as in 2020/21.")


def test_percentages_change_in_points_and_say_the_earlier_figure() -> None:
    figure = wording.Figure(
        measure_name="Collected waste recycled, composted or reused",
        unit="percent",
        period_id="2021/22",
        period_type="financial_year",
        value=98.0,
        previous_period_id="2020/21",
        previous_value=96.8,
        change=1.2,
    )
    assert wording.value_sentence(figure) == (
        "During 2021/22 collected waste recycled, composted or reused stood at 98.0%, "
        "up 1.2 percentage points from 96.8% in 2020/21."
    )


def test_periods_that_cannot_be_compared_say_why_instead_of_a_change() -> None:
    figure = victim_crime(
        change=None, percent_change=None, not_comparable_reason="incomplete period"
    )
    sentence = wording.value_sentence(figure)
    assert "more than" not in sentence
    assert sentence.endswith("It cannot be compared with 2020/21: incomplete period.")


def test_snapshot_and_academic_year_openings() -> None:
    assert wording.period_phrase("Jan 2020", "snapshot") == "In Jan 2020"
    assert wording.period_phrase("2019/20", "academic_year") == ("During the 2019/20 academic year")


@pytest.mark.parametrize(
    ("lowest", "highest", "expected"),
    [
        (2, 11, "Sevenoaks had the second lowest number of the 12 Kent districts."),
        (1, 12, "Sevenoaks had the lowest number of the 12 Kent districts."),
        (10, 3, "Sevenoaks had the third highest number of the 12 Kent districts."),
    ],
)
def test_rank_names_the_nearer_side_with_an_ordinal_word(lowest, highest, expected) -> None:
    ranking = wording.Ranking("Sevenoaks", "count", lowest, highest, 12)
    assert wording.rank_sentence(ranking) == expected


def test_rates_and_percentages_are_compared_with_kent_and_england_counts_are_not() -> None:
    rate = wording.Ranking("Sevenoaks", "percent", 2, 11, 12, kent_value=5.5, england_value=4.75)
    assert wording.comparison_sentence(rate) == "For comparison: Kent 5.5% and England 4.8%."
    count = wording.Ranking("Sevenoaks", "count", 2, 11, 12, kent_value=100_000.0)
    assert wording.comparison_sentence(count) is None


def test_figures_print_in_the_unit_the_report_uses() -> None:
    assert wording.format_value(7056.0, "count") == "7,056"
    assert wording.format_value(2.7, "percent") == "2.7%"
    assert wording.format_value(758817.95, "pounds") == "£758,817.95"
    assert wording.format_value(None, "count") == "not available"
    assert wording.ordinal(13) == "13th"


def test_plan_year_and_measure_list_helpers() -> None:
    assert plan_title("community_plan_2019_22") == "Community Plan 2019–22"
    assert [d.isoformat() for d in financial_year_bounds("2021/22")] == [
        "2021-04-01",
        "2022-03-31",
    ]
    with pytest.raises(ValueError, match="not a financial year"):
        financial_year_bounds("2021/23")
    assert measure_ids("a", "b|c|a") == ["a", "b", "c"]


def test_a_rank_among_fewer_districts_says_so_and_one_district_is_no_rank() -> None:
    some = wording.Ranking("Sevenoaks", "count", 2, 3, 4)
    assert wording.rank_sentence(some) == (
        "Sevenoaks had the second lowest number of the 4 Kent districts with a figure."
    )
    assert wording.rank_sentence(wording.Ranking("Sevenoaks", "count", 1, 1, 1)) is None


def test_a_change_too_small_to_print_is_little_changed() -> None:
    figure = wording.Figure(
        measure_name="Collected waste not sent to landfill",
        unit="percent",
        period_id="2021/22",
        period_type="financial_year",
        value=98.3,
        previous_period_id="2020/21",
        previous_value=98.27,
        change=0.03,
    )
    assert wording.value_sentence(figure).endswith("little changed from 98.3% in 2020/21.")
