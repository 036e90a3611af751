"""Sentences in the monitoring reports' plain style, built only from figures in the marts.

The wording follows the council's published reports ("During 2021/22 there were 7,056 ...,
265 (3.9%) more than in 2020/21. Sevenoaks had the second lowest number of the 12 Kent
districts."), with the uncertainty a public-health analyst expects beside it: the figure's
95% confidence interval and whether the change was statistically significant. Every number,
limit, rank, comparison word and verdict of a test is passed in from a mart; nothing here
looks a figure up, tests a change or rounds one differently from how it is printed in the
tables.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

ORDINAL_WORDS = (
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
)

# How the reports name a figure of each unit when they rank districts by it.
RANKED_NOUN = {"count": "number", "percent": "percentage", "rate": "rate", "pounds": "amount"}


def ordinal(position: int) -> str:
    """`2` -> `second`; past twelfth (never needed for Kent's districts) `13th`."""
    if 1 <= position <= len(ORDINAL_WORDS):
        return ORDINAL_WORDS[position - 1]
    suffix = (
        "th" if 10 <= position % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(position % 10, "th")
    )
    return f"{position}{suffix}"


def decimals_for(value: float, unit: str) -> int:
    """Counts print whole; other units keep one decimal place, as the reports do."""
    if unit == "count" and float(value).is_integer():
        return 0
    if unit == "pounds":
        return 0 if float(value).is_integer() else 2
    return 1


def format_value(value: float | None, unit: str) -> str:
    """A figure as the report prints it: 7,056 / 2.7% / £758,817.95 / 5.7."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "not available"
    places = decimals_for(value, unit)
    text = f"{abs(value):,.{places}f}"
    sign = "-" if value < 0 else ""
    if unit == "percent":
        return f"{sign}{text}%"
    if unit == "pounds":
        return f"{sign}£{text}"
    return f"{sign}{text}"


def format_change(change: float, unit: str) -> str:
    """The size of a change, without sign: counts whole, percentages in points."""
    if unit == "percent":
        points = f"{abs(change):,.1f}"
        return f"{points} percentage point" + ("" if points == "1.0" else "s")
    return format_value(abs(change), "count" if unit == "count" else unit)


def period_phrase(period_id: str, period_type: str) -> str:
    """How a sentence opens for the period: `During 2021/22`, `In January 2020`."""
    if period_type == "academic_year":
        return f"During the {period_id} academic year"
    if period_type == "snapshot":
        return f"In {period_id}"
    return f"During {period_id}"


def measure_noun(measure_name: str) -> str:
    """The measure's name inside a sentence: a lower-case first word unless it is a name.

    `Victim-based crime reports` reads `victim-based crime reports`; `Disabled Facilities
    Grants completed` and `Kent Fire and Rescue ...` keep their capitals.
    """
    words = measure_name.split()
    if not words:
        return measure_name
    first = words[0]
    second_is_name = len(words) > 1 and words[1][:1].isupper()
    if first[1:] == first[1:].lower() and not second_is_name and first[:1].isupper():
        return first[:1].lower() + measure_name[1:]
    return measure_name


@dataclass(frozen=True)
class Figure:
    """One measure's figure for one area and period, with what the marts say about it."""

    measure_name: str
    unit: str
    period_id: str
    period_type: str
    value: float | None
    previous_period_id: str | None = None
    previous_value: float | None = None
    change: float | None = None
    percent_change: float | None = None
    not_comparable_reason: str | None = None
    ci_95_lower: float | None = None
    ci_95_upper: float | None = None
    change_direction: str | None = None
    is_significant_95: bool | None = None
    is_withheld: bool = False


def format_interval(figure: Figure) -> str | None:
    """`95% CI 6,892–7,223` / `95% CI 81.1–84.7`: both limits at the value's own decimal
    places, so the interval reads at the precision of the figure beside it, which carries the
    unit's sign; None when the marts give the figure no interval."""
    if figure.value is None or figure.ci_95_lower is None or figure.ci_95_upper is None:
        return None
    places = decimals_for(figure.value, figure.unit)
    return f"95% CI {figure.ci_95_lower:,.{places}f}–{figure.ci_95_upper:,.{places}f}"


def value_with_interval(figure: Figure) -> str:
    """`7,056 (95% CI 6,892–7,223)`, or the figure alone when it has no interval."""
    shown = format_value(figure.value, figure.unit)
    interval = format_interval(figure)
    return f"{shown} ({interval})" if interval else shown


def value_sentence(figure: Figure) -> str:
    """The figure and its change on the previous period, in one sentence."""
    opening = period_phrase(figure.period_id, figure.period_type)
    noun = measure_noun(figure.measure_name)
    if figure.value is None and figure.is_withheld:
        return f"{opening} the figure for {noun} was withheld."
    if figure.value is None:
        return f"{opening} no figure was received for {noun}."
    shown = format_value(figure.value, figure.unit)
    if figure.unit == "count":
        statement = f"{opening} there were {shown} {noun}"
    else:
        statement = f"{opening} {noun} stood at {shown}"
    comparison = ", ".join(c for c in (change_clause(figure), significance_clause(figure)) if c)
    sentence = f"{statement}{', ' + comparison if comparison else ''}."
    reason = figure.not_comparable_reason
    if reason and reason not in ("no previous value", "no value") and figure.previous_period_id:
        sentence += f" It cannot be compared with {figure.previous_period_id}: {reason}."
    return sentence


def change_clause(figure: Figure) -> str | None:
    """`265 (3.9%) more than in 2020/21`, or None when there is no earlier figure."""
    if figure.previous_period_id is None or figure.change is None:
        return None
    previous = figure.previous_period_id
    if figure.change == 0:
        if figure.unit == "count":
            return f"the same number as in {previous}"
        return f"the same as in {previous}"
    size = format_change(figure.change, figure.unit)
    if figure.unit == "count":
        more_or_fewer = "more" if figure.change > 0 else "fewer"
        if figure.percent_change is None:
            return f"{size} {more_or_fewer} than in {previous}"
        percent = f"{abs(figure.percent_change):.1f}%"
        return f"{size} ({percent}) {more_or_fewer} than in {previous}"
    was = format_value(figure.previous_value, figure.unit)
    if format_value(abs(figure.change), figure.unit) == format_value(0.0, figure.unit):
        return f"little changed from {was} in {previous}"
    up_or_down = "up" if figure.change > 0 else "down"
    return f"{up_or_down} {size} from {was} in {previous}"


def significance_clause(figure: Figure) -> str | None:
    """`a statistically significant increase` or `not a statistically significant change`,
    as measure_trends' test judged the change at 95%.

    None where the trends mart ran no test (no statistical method, a missing denominator,
    periods that cannot be compared) and where the figure did not change at all: "the same
    number as in 2020/21" needs no test to say it.
    """
    if figure.is_significant_95 is None or figure.change is None:
        return None
    if figure.change_direction not in ("increase", "decrease"):
        return None
    if figure.is_significant_95:
        return f"a statistically significant {figure.change_direction}"
    return "not a statistically significant change"


def uncertainty_explanation(
    interval_methods: list[str], significance_tests: list[str]
) -> list[str]:
    """How to read the intervals and the significance wording, for the report's notes on
    reading it, naming the methods the marts used for the report's own figures so an analyst
    can check them."""
    lines = [
        "A 95% confidence interval (95% CI) is printed beside a figure where the warehouse "
        "calculates one: the range the underlying figure is likely to lie in once the chance "
        "variation in how many events happen in a period is allowed for. The fewer the events, "
        "the wider the range. Measures with no statistical method, such as money or "
        "qualitative measures, and figures withheld for small numbers have no interval.",
        "A change from the previous year is called statistically significant when the "
        "warehouse's test finds that chance alone would rarely produce a change that large "
        "(two-sided, at the 95% level); otherwise the report calls it not a statistically "
        "significant change, even though the figure went up or down. Where no test applies "
        "the report says nothing about significance. Intervals that overlap do not on their "
        "own mean a change is not significant: the test decides.",
    ]
    methods = []
    if interval_methods:
        methods.append(f"Intervals in this report: {'; '.join(interval_methods)}.")
    if significance_tests:
        methods.append(f"Tests of change: {'; '.join(significance_tests)}.")
    if methods:
        lines.append(" ".join(methods))
    return lines


@dataclass(frozen=True)
class Ranking:
    """Where an area stands among the Kent districts, from the benchmarks mart."""

    area_name: str
    unit: str
    rank_lowest: int | None
    rank_highest: int | None
    districts_ranked: int | None
    kent_value: float | None = None
    england_value: float | None = None
    districts_in_county: int = 12


def rank_sentence(ranking: Ranking) -> str | None:
    """`Sevenoaks had the second lowest number of the 12 Kent districts.`

    The side named is the one the area is nearer to, as the reports write it ("third
    highest" for road casualties, "second lowest" for crime); a tie names the lowest.
    """
    if ranking.rank_lowest is None or ranking.rank_highest is None:
        return None
    if not ranking.districts_ranked or ranking.districts_ranked < 2:
        return None
    if ranking.rank_lowest <= ranking.rank_highest:
        position, side = ranking.rank_lowest, "lowest"
    else:
        position, side = ranking.rank_highest, "highest"
    place = side if position == 1 else f"{ordinal(position)} {side}"
    noun = RANKED_NOUN.get(ranking.unit, "figure")
    of_districts = f"of the {ranking.districts_ranked} Kent districts"
    if ranking.districts_ranked < ranking.districts_in_county:
        of_districts += " with a figure"
    return f"{ranking.area_name} had the {place} {noun} {of_districts}."


def comparison_sentence(ranking: Ranking) -> str | None:
    """Kent's and England's figures beside the district's, for rates and percentages only:
    a county or national count is a different size of thing, not a benchmark."""
    if ranking.unit == "count":
        return None
    parts = []
    if ranking.kent_value is not None:
        parts.append(f"Kent {format_value(ranking.kent_value, ranking.unit)}")
    if ranking.england_value is not None:
        parts.append(f"England {format_value(ranking.england_value, ranking.unit)}")
    if not parts:
        return None
    return f"For comparison: {' and '.join(parts)}."


def possessive(name: str) -> str:
    """`Sevenoaks'`, `Dartford's`."""
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def join_names(names: list[str]) -> str:
    """`a`, `a and b`, `a, b and c`."""
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"
