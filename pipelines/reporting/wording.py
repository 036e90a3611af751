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
import re
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


def measure_noun(measure_name: str, definition: str | None = None) -> str:
    """The measure's name inside a sentence: a lower-case first word unless it is a name.

    `Victim-based crime reports` reads `victim-based crime reports`. A first word keeps its
    capital when it begins a proper noun phrase (the next word but `and` is capitalised:
    `Safe and Secure Grants completed`, `Kent Fire and Rescue ...`) or when the catalogue's
    definition capitalises it mid-sentence (`Kickstart`, `Campylobacter`).
    """
    words = measure_name.split()
    if not words:
        return measure_name
    first = words[0]
    if not first[:1].isupper() or first[1:] != first[1:].lower():
        return measure_name
    following = [w for w in words[1:] if w != "and"][:1]
    named = bool(following) and following[0][:1].isupper()
    mid_sentence = any(
        not re.search(r"(^|[.!?:]\s*)$", (definition or "")[: found.start()])
        for found in re.finditer(rf"\b{re.escape(first)}\b", definition or "")
    )
    if named or mid_sentence:
        return measure_name
    return first[:1].lower() + measure_name[1:]


@dataclass(frozen=True)
class Figure:
    """One measure's figure for one area and period, with what the marts say about it."""

    measure_name: str
    unit: str
    period_id: str
    period_type: str
    value: float | None
    previous_period_id: str | None = None
    definition: str | None = None
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
    noun = measure_noun(figure.measure_name, figure.definition)
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
    said_beside = ("no previous value", "no value", "a running total, not compared year on year")
    if reason and reason not in said_beside and figure.previous_period_id:
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
    tied_with: tuple[str, ...] = ()


def rank_sentence(ranking: Ranking) -> str | None:
    """`Sevenoaks had the second lowest number of the 12 Kent districts.`

    The side named is the one the area is nearer to, as the reports write it ("third
    highest" for road casualties, "second lowest" for crime). A shared place is said as one,
    naming the others: "the joint lowest number of the 12 Kent districts, with Dover and
    Thanet"; a rank among fewer than all the districts says how many had a figure.
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
    if ranking.tied_with:
        place = f"joint {place}"
    noun = RANKED_NOUN.get(ranking.unit, "figure")
    of_districts = f"of the {ranking.districts_ranked} Kent districts"
    if ranking.districts_ranked < ranking.districts_in_county:
        of_districts += " with a figure"
    tied = f", with {join_names(list(ranking.tied_with))}" if ranking.tied_with else ""
    return f"{ranking.area_name} had the {place} {noun} {of_districts}{tied}."


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


# What a reader of the public edition is told beside a figure a quality finding applies to,
# by the check that raised it: the finding's own message is written for officers.
CAVEATS = {
    "not_received": "Part of the information for {period} had not been received from {partner} "
    "when this report was prepared.",
    "change_beyond_band": "This figure changed more than is usual for this measure; treat it "
    "with caution until {partner} confirms it.",
    "outside_own_history": "This figure is far from the measure's earlier figures; treat it "
    "with caution until {partner} confirms it.",
    "parts_do_not_add_up": "The parts of this figure do not add up to its total; treat it with "
    "caution.",
    "claim_contradicts_source": "This is not a recycling rate: it counts all waste kept out of "
    "landfill. Another source gives {source}.",
    "same_figure_differs": "Another source gives {source}.",
    "claimed_rank_contradicts_table": "The rank printed here is the one the data gives; the "
    "partner's commentary gives another.",
    "resubmission_changed_figure": "{partner} revised this figure after first sending it.",
    "commentary_contradicts_data": "The partner's commentary says \u201c{claimed}\u201d; the "
    "data gives {expected}, which is what this report prints.",
    "commentary_quotes_another_period": "The partner's commentary quotes {claimed}; this report "
    "prints {expected}.",
}

# What the internal edition asks officers to do about each kind of finding.
ACTIONS = {
    "completeness": "Chase {partner} for the return, or record why it is not coming.",
    "plausibility": "Check the figure with {partner}, or record why it changed.",
    "consistency": "Agree the figure with {partner}; the public edition prints the data's version.",
    "resubmission": "Confirm the revised figure with {partner}.",
}


def finding_caveat(
    check_name: str,
    partner: str | None,
    period_id: str | None,
    observed: str | None,
    expected: str | None,
) -> str:
    """The plain-language caveat the public edition prints beside a figure a finding is
    about; a check with no caveat of its own gets a general one."""
    source = re.sub(r"^within [\d.,]+ of ", "", expected or "")
    template = CAVEATS.get(
        check_name,
        "A data quality check raised a question about this figure; treat it with caution.",
    )
    return template.format(
        partner=partner or "the partner",
        period=period_id or "the period",
        source=source or "a different figure",
        claimed=observed or "otherwise",
        expected=expected or "another figure",
    )


def finding_action(check_kind: str | None, partner: str | None) -> str:
    """What the internal edition asks officers to do about a finding."""
    template = ACTIONS.get(check_kind or "", "Review the finding and record the outcome.")
    return template.format(partner=partner or "the partner")


def finding_statement(message: str) -> str:
    """A finding's message as a report prints it: dated by the due date, not by how many
    days overdue the return was on the day the checks ran, which would date the report by
    when it was generated rather than by the year it reports."""
    return re.sub(r" and is [\d,]+ days overdue \(as of [^)]*\)", "", message)


KIND_WORDS = {
    "count": "a count",
    "rate": "a rate",
    "proportion_of_people": "a proportion of people",
    "proportion_of_items": "a share of a plan's actions, projects or goals (all of them counted)",
    "ratio_of_tonnages": "a ratio of tonnages",
    "cumulative_total": "a running total since the scheme opened",
    "snapshot": "a snapshot on one date",
    "amount": "an amount of money",
}

PERIOD_WORDS = {
    "period": "the report year, or the period in it the figure is published for",
    "quarter": "the latest quarter reported, named beside the figure",
    "last_available": "the latest result available, labelled with its own year",
}


def kind_caveat(
    figure_kind: str | None, reference_period: str | None, period_id: str, period_type: str
) -> str | None:
    """The plain-language caveat the catalogue's rules call for beside a figure, if any."""
    if figure_kind == "cumulative_total":
        return (
            "A running total since the scheme opened, so it is not compared with the year before."
        )
    if figure_kind == "ratio_of_tonnages":
        return (
            "A share of tonnes collected, not of people or households: no confidence interval "
            "or test of change applies."
        )
    if figure_kind == "proportion_of_items":
        return (
            "A share of the plan's own actions or projects, every one counted: no confidence "
            "interval or test of change applies."
        )
    if reference_period == "last_available":
        return f"The latest result available when the report was prepared: {period_id}."
    if reference_period == "quarter" or period_type == "quarter":
        return f"For the quarter {period_id}, the latest reported in the year."
    if figure_kind == "snapshot":
        return f"A snapshot in {period_id}."
    return None


@dataclass(frozen=True)
class MethodRule:
    """The catalogue's rules for one measure, as the method appendix states them."""

    measure_name: str
    figure_kind: str | None
    reference_period: str | None
    year_on_year: bool
    interval: str | None
    test: str | None
    statistical_method: str | None
    disclosure_minimum: int | None

    @property
    def cells(self) -> tuple[str, str, str, str, str]:
        """Kind, period, year-on-year comparison, interval and test, disclosure rule."""
        kind = KIND_WORDS.get(self.figure_kind or "", self.figure_kind or "not stated")
        period = PERIOD_WORDS.get(self.reference_period or "", "the report year")
        if not self.year_on_year:
            compared = "Not compared with the year before"
        elif self.test and not self.test.startswith("none"):
            compared = f"Compared with the year before; change tested ({self.test})"
        elif self.test == "none: too few for the z-test":
            compared = "Compared with the year before; too few for a test"
        else:
            compared = "Compared with the year before; no test applies"
        if self.statistical_method in (None, "none"):
            interval = "None"
        else:
            interval = self.interval or "None for this figure"
        disclosure = (
            f"Counts below {self.disclosure_minimum} withheld"
            if self.disclosure_minimum
            else "Published at any size (no count of people)"
        )
        return kind, period, compared, interval, disclosure
