"""The report's sentences: the published reports' wording, built from figures passed in."""

from __future__ import annotations

import pytest

from pipelines.reporting import wording
from pipelines.reporting.catalogue import measure_ids
from pipelines.reporting.content import financial_year_bounds, plan_title


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


def recycling(**changes) -> wording.Figure:
    """The council's recycling percentage for 2021/22, as it printed it."""
    figure = {
        "measure_name": "Collected waste recycled, composted or reused",
        "unit": "percent",
        "period_id": "2021/22",
        "period_type": "financial_year",
        "value": 98.0,
        "previous_period_id": "2020/21",
        "previous_value": 96.8,
        "change": 1.2,
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
    assert wording.value_sentence(recycling()) == (
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


def test_the_interval_prints_at_the_figures_precision_beside_it() -> None:
    count = victim_crime(ci_95_lower=6892.312, ci_95_upper=7222.594)
    assert wording.format_interval(count) == "95% CI 6,892–7,223"
    assert wording.value_with_interval(count) == "7,056 (95% CI 6,892–7,223)"


@pytest.mark.parametrize(
    ("unit", "value", "lower", "upper", "printed"),
    [
        ("percent", 12.3, 10.08, 14.83, "12.3% (95% CI 10.1–14.8)"),
        ("rate", 6.8008, 6.151, 7.4996, "6.8 (95% CI 6.2–7.5)"),
    ],
)
def test_percentages_and_rates_print_their_interval_to_one_place(
    unit, value, lower, upper, printed
) -> None:
    figure = wording.Figure(
        measure_name="A measure",
        unit=unit,
        period_id="2021/22",
        period_type="financial_year",
        value=value,
        ci_95_lower=lower,
        ci_95_upper=upper,
    )
    assert wording.value_with_interval(figure) == printed


def test_no_interval_prints_the_figure_alone() -> None:
    untested = victim_crime(value=108.0)
    assert wording.format_interval(untested) is None
    assert wording.value_with_interval(untested) == "108"
    withheld = victim_crime(value=None, ci_95_lower=None, ci_95_upper=None, is_withheld=True)
    assert wording.value_with_interval(withheld) == "not available"


@pytest.mark.parametrize(
    ("change", "direction", "significant", "ending"),
    [
        (
            265.0,
            "increase",
            True,
            "265 (3.9%) more than in 2020/21, a statistically significant increase.",
        ),
        (
            -265.0,
            "decrease",
            True,
            "265 (3.9%) fewer than in 2020/21, a statistically significant decrease.",
        ),
        (
            265.0,
            "increase",
            False,
            "265 (3.9%) more than in 2020/21, not a statistically significant change.",
        ),
    ],
)
def test_the_change_says_whether_the_trends_test_found_it_significant(
    change, direction, significant, ending
) -> None:
    figure = victim_crime(
        change=change,
        percent_change=change / 6791.0 * 100,
        change_direction=direction,
        is_significant_95=significant,
    )
    assert wording.value_sentence(figure) == (
        f"During 2021/22 there were 7,056 victim-based crime reports, {ending}"
    )


def test_a_significant_fall_in_a_percentage_is_a_decrease() -> None:
    figure = recycling(
        value=39.6,
        previous_value=41.2,
        change=-1.6,
        change_direction="decrease",
        is_significant_95=True,
    )
    assert wording.value_sentence(figure) == (
        "During 2021/22 collected waste recycled, composted or reused stood at 39.6%, "
        "down 1.6 percentage points from 41.2% in 2020/21, a statistically significant decrease."
    )


def test_no_test_no_change_or_no_comparison_says_nothing_about_significance() -> None:
    untested = victim_crime(change_direction="increase", is_significant_95=None)
    assert "statistically" not in wording.value_sentence(untested)
    same = victim_crime(
        change=0.0, percent_change=0.0, change_direction="no change", is_significant_95=False
    )
    assert wording.value_sentence(same).endswith("the same number as in 2020/21.")
    incomparable = victim_crime(
        change=None,
        percent_change=None,
        not_comparable_reason="incomplete period",
        change_direction="increase",
        is_significant_95=True,
    )
    assert "statistically" not in wording.value_sentence(incomparable)


def test_a_withheld_figure_is_not_called_missing() -> None:
    figure = victim_crime(value=None, change=None, percent_change=None, is_withheld=True)
    assert wording.value_sentence(figure) == (
        "During 2021/22 the figure for victim-based crime reports was withheld."
    )
    not_received = victim_crime(value=None, change=None, percent_change=None)
    assert "no figure was received" in wording.value_sentence(not_received)


def test_the_explanation_names_the_methods_used_and_only_those() -> None:
    lines = wording.uncertainty_explanation(
        ["Byar's", "Wilson score"], ["Poisson conditional exact test", "two-proportion z-test"]
    )
    assert "95% confidence interval" in lines[0]
    assert "statistically significant" in lines[1]
    assert lines[-1] == (
        "Intervals in this report: Byar's; Wilson score. "
        "Tests of change: Poisson conditional exact test; two-proportion z-test."
    )
    assert len(wording.uncertainty_explanation([], [])) == 2


def test_a_shared_rank_is_joint_and_names_the_others() -> None:
    ranking = wording.Ranking(
        area_name="Sevenoaks",
        unit="count",
        rank_lowest=1,
        rank_highest=10,
        districts_ranked=12,
        tied_with=("Dover", "Thanet"),
    )
    assert wording.rank_sentence(ranking) == (
        "Sevenoaks had the joint lowest number of the 12 Kent districts, with Dover and Thanet."
    )
    among_four = wording.Ranking("Sevenoaks", "percent", 1, 4, 4, districts_in_county=12)
    assert wording.rank_sentence(among_four) == (
        "Sevenoaks had the lowest percentage of the 4 Kent districts with a figure."
    )


@pytest.mark.parametrize(
    ("name", "definition", "expected"),
    [
        ("Safe and Secure Grants completed", None, "Safe and Secure Grants completed"),
        (
            "Kickstart placements approved",
            "Kickstart placements approved through the council's Kickstart West Kent gateway.",
            "Kickstart placements approved",
        ),
        (
            "Referrals to One You Kent",
            "Referrals received by One You Kent.",
            "referrals to One You Kent",
        ),
        (
            "Value of Disabled Facilities Grants completed",
            None,
            "value of Disabled Facilities Grants completed",
        ),
        ("Web chats with the council", "Web chat conversations.", "web chats with the council"),
    ],
)
def test_proper_nouns_keep_their_capitals_in_a_sentence(name, definition, expected) -> None:
    assert wording.measure_noun(name, definition) == expected


def test_public_caveats_address_readers_and_actions_address_officers() -> None:
    caveat = wording.finding_caveat(
        "change_beyond_band", "Kent Police", "2021/22", "1,513", "a change of up to 30%"
    )
    assert caveat.startswith("This figure changed more than is usual")
    assert "Check the figure" not in caveat
    assert wording.finding_action("plausibility", "Kent Police") == (
        "Check the figure with Kent Police, or record why it changed."
    )
    contradicted = wording.finding_caveat(
        "commentary_contradicts_data",
        "Sevenoaks District Council",
        "2021/22",
        "over 300 clients",
        "180 in 2021/22",
    )
    assert "over 300 clients" in contradicted and "180 in 2021/22" in contradicted


def test_a_finding_is_dated_by_its_due_date_not_the_day_the_checks_ran() -> None:
    message = (
        "Not received: Kent County Council has not sent the road casualties for 2021. It was "
        "due on 30 June 2022 and is 1,616 days overdue (as of 01 December 2026)."
    )
    assert wording.finding_statement(message) == (
        "Not received: Kent County Council has not sent the road casualties for 2021. It was "
        "due on 30 June 2022."
    )


def test_kinds_of_figure_carry_their_caveat_and_method() -> None:
    assert "not compared with the year before" in wording.kind_caveat(
        "cumulative_total", "period", "2021/22", "financial_year"
    )
    assert "2018/19" in wording.kind_caveat(
        "proportion_of_people", "last_available", "2018/19", "academic_year"
    )
    rule = wording.MethodRule(
        measure_name="Household waste sent for recycling",
        figure_kind="ratio_of_tonnages",
        reference_period="period",
        year_on_year=True,
        interval=None,
        test="none: raw change",
        statistical_method="none",
        disclosure_minimum=None,
    )
    kind, _, compared, interval, disclosure = rule.cells
    assert kind == "a ratio of tonnages"
    assert compared.endswith("no test applies") and interval == "None"
    assert disclosure.startswith("Published at any size")
