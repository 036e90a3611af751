"""What goes in the annual monitoring report, read from the published marts only.

The marts decide what the report prints: `measure_status` each key success measure's status
(in the order the plan lists them), `report_figures` each figure with its period, change,
rank and trend, `report_findings` the quality findings of the year and the measures each is
printed beside, `theme_summary` the counts. This module reads one plan and year of each
into a `ReportContent` and words it; the HTML and PDF renderers only lay that out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

import duckdb

from pipelines import settings
from pipelines.reporting import published, wording

EDITIONS = ("public", "internal")
"""The public edition (the default) is what the council publishes: figures with plain-language
caveats and nothing addressed to staff. The internal edition adds the findings appendix, each
finding with the action it asks of officers."""

STATUSES = (
    "Achieved",
    "On target",
    "Not achieved",
    "Information not received",
    "Not applicable",
)


class ReportRequestError(ValueError):
    """The plan or year asked for is not one the publication holds."""


@dataclass(frozen=True)
class SeriesPoint:
    period_id: str
    value: float | None


@dataclass(frozen=True)
class DistrictValue:
    area_code: str
    area_name: str
    value: float


@dataclass
class MeasureFigure:
    """One measure's figure for the district in the report's period, with its context."""

    measure_id: str
    measure_name: str
    unit: str
    area_code: str
    area_name: str
    source_return: str | None
    figure: wording.Figure
    value_note: str | None = None
    is_complete: bool | None = None
    direction_of_travel: str | None = None
    ci_method: str | None = None
    significance_test: str | None = None
    ranking: wording.Ranking | None = None
    trend: list[SeriesPoint] = field(default_factory=list)
    districts: list[DistrictValue] = field(default_factory=list)
    figure_kind: str | None = None
    reference_period: str | None = None
    year_on_year: bool = True
    disclosure_minimum: int | None = None
    statistical_method: str | None = None

    @property
    def kind_caveat(self) -> str | None:
        """What the kind of figure means for reading it (the catalogue's rule, in words)."""
        return wording.kind_caveat(
            self.figure_kind, self.reference_period, self.figure.period_id, self.figure.period_type
        )

    @property
    def method(self) -> wording.MethodRule:
        """The catalogue's rules for this figure, as the method appendix states them."""
        return wording.MethodRule(
            measure_name=self.measure_name,
            figure_kind=self.figure_kind,
            reference_period=self.reference_period,
            year_on_year=self.year_on_year,
            interval=self.ci_method,
            test=self.significance_test if self.significance_test else None,
            statistical_method=self.statistical_method,
            disclosure_minimum=self.disclosure_minimum,
        )

    @property
    def sentences(self) -> list[str]:
        """The paragraph the report prints for this figure."""
        lines = [wording.value_sentence(self.figure)]
        if self.ranking is not None:
            lines.extend(
                s
                for s in (
                    wording.rank_sentence(self.ranking),
                    wording.comparison_sentence(self.ranking),
                )
                if s
            )
        return lines


@dataclass(frozen=True)
class QualityFinding:
    check_name: str
    check_kind: str | None
    return_name: str | None
    partner: str | None
    measure_id: str | None
    measure_name: str | None
    area_code: str | None
    area_name: str | None
    period_id: str | None
    severity: str | None
    observed: str | None
    expected: str | None
    message: str
    submission_id: int | None
    first_seen_at: datetime | None
    status: str | None
    explanation: str | None
    printed_beside_refs: tuple[str, ...] = ()

    @property
    def caveat(self) -> str:
        """What the public edition says beside the figure, in plain language."""
        return wording.finding_caveat(
            self.check_name, self.partner, self.period_id, self.observed, self.expected
        )

    @property
    def action(self) -> str:
        """What the internal edition asks officers to do about it."""
        return wording.finding_action(self.check_kind, self.partner)

    @property
    def statement(self) -> str:
        """The finding as the internal edition prints it, dated by the report's own dates."""
        return wording.finding_statement(self.message)


@dataclass
class KeySuccessMeasure:
    ref: str
    display_ref: str
    theme: str
    text: str
    lead_partner: str | None
    target_type: str | None
    target_text: str | None
    status: str
    status_rule: str | None
    periods_not_received: str | None
    commentary: str | None
    figures: list[MeasureFigure] = field(default_factory=list)
    quality_notes: list[QualityFinding] = field(default_factory=list)

    @property
    def headline(self) -> MeasureFigure | None:
        """The figure the measure is judged on (its first, the key success measure's own)."""
        return self.figures[0] if self.figures else None


@dataclass(frozen=True)
class ThemeCounts:
    theme: str
    measures: int
    achieved: int
    on_target: int
    not_achieved: int
    not_received: int
    not_applicable: int
    percent_achieved: float | None
    percent_missing: float | None


@dataclass
class ReportContent:
    plan: str
    plan_title: str
    area_code: str
    area_name: str
    year: str
    year_of_plan: int
    year_start: date
    year_end: date
    published_at: datetime
    themes: dict[str, list[KeySuccessMeasure]]
    theme_counts: list[ThemeCounts]
    findings: list[QualityFinding]
    edition: str = "public"

    @property
    def overall(self) -> ThemeCounts:
        return next(c for c in self.theme_counts if c.theme == "All")

    @property
    def measures(self) -> list[KeySuccessMeasure]:
        return [m for measures in self.themes.values() for m in measures]

    @property
    def figures(self) -> list[MeasureFigure]:
        """Every figure the report prints, headline and supporting."""
        return [f for m in self.measures for f in m.figures]

    @property
    def interval_methods(self) -> list[str]:
        """How the printed figures' confidence intervals were calculated (measure_values)."""
        return sorted({f.ci_method for f in self.figures if f.ci_method}, key=str.lower)

    @property
    def significance_tests(self) -> list[str]:
        """The tests measure_trends ran on the printed changes; `none: raw change` is not one."""
        return sorted(
            {
                f.significance_test
                for f in self.figures
                if f.significance_test and f.figure.is_significant_95 is not None
            },
            key=str.lower,
        )

    @property
    def method_rules(self) -> list[wording.MethodRule]:
        """Each printed measure's rules from the catalogue, once, in the order printed."""
        rules = {f.measure_id: f.method for f in self.figures}
        return list(rules.values())

    @property
    def missing(self) -> list[KeySuccessMeasure]:
        """The key success measures whose information was not received."""
        return [m for m in self.measures if m.status == "Information not received"]

    @property
    def summary_sentences(self) -> list[str]:
        """`96% of key success measures achieved; 4% missing: S4 ...` in the reports' words."""
        overall = self.overall
        counted = [
            f"{count} {label}"
            for count, label in (
                (overall.achieved, "achieved"),
                (overall.on_target, "on target"),
                (overall.not_achieved, "not achieved"),
                (overall.not_received, "with information not received"),
            )
            if count
        ]
        lines = [
            f"At the end of the {wording.ordinal(self.year_of_plan)} year "
            f"(April {self.year_start.year} to March {self.year_end.year}) of the "
            f"{self.plan_title}, {_whole_percent(overall.percent_achieved)} of key success "
            f"measures were achieved or on target ({wording.join_names(counted)}, of "
            f"{overall.measures - overall.not_applicable} measures)."
        ]
        if self.missing:
            named = wording.join_names(
                [f"{m.display_ref}, {m.text.rstrip('.')} ({m.lead_partner})" for m in self.missing]
            )
            count = "one measure" if len(self.missing) == 1 else f"{len(self.missing)} measures"
            lines.append(
                f"The remaining {_whole_percent(overall.percent_missing)} is missing "
                f"information: partners have not sent the data for {count}: {named}."
            )
        return lines


def _whole_percent(value: float | None) -> str:
    return "no" if value is None else f"{value:.0f}%"


def plan_title(plan: str) -> str:
    """`community_plan_2019_22` -> `Community Plan 2019–22`."""
    words = plan.split("_")
    years = [w for w in words if w.isdigit()]
    names = [w for w in words if not w.isdigit()]
    title = " ".join(w.capitalize() for w in names)
    return f"{title} {'–'.join(years)}".strip()


def financial_year_bounds(year: str) -> tuple[date, date]:
    """`2021/22` -> 1 April 2021 to 31 March 2022."""
    match = re.fullmatch(r"(\d{4})/(\d{2})", year)
    if not match or (int(match[1]) + 1) % 100 != int(match[2]):
        raise ReportRequestError(f"{year!r} is not a financial year: write it like 2021/22.")
    start = int(match[1])
    return date(start, 4, 1), date(start + 1, 3, 31)


def _rows(
    con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, object] | None = None
) -> list[dict]:
    cursor = con.execute(sql, params or {})
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


KEY_SUCCESS_MEASURES_SQL = """
select
    ref,
    display_ref,
    theme,
    key_success_measure,
    lead_partner,
    target_type,
    target_text,
    status,
    status_rule,
    periods_not_received,
    commentary
from marts.measure_status
where plan = $plan
  and report_year = $year
order by listed_order
"""

FIGURES_SQL = """
select *
from marts.report_figures
where plan = $plan
  and report_year = $year
order by ref, figure_order
"""

DISTRICTS_SQL = """
select
    area_code,
    area_name,
    value
from marts.measure_benchmarks
where measure_id = $measure
  and period_id = $period
  and value is not null
order by value, area_name
"""

FINDINGS_SQL = """
select
    check_name,
    check_kind,
    return_name,
    partner,
    measure_id,
    measure_name,
    area_code,
    area_name,
    period_id,
    severity,
    observed,
    expected,
    message,
    submission_id,
    first_seen_at,
    status,
    explanation,
    printed_beside_refs
from marts.report_findings
where plan = $plan
  and report_year = $year
order by listed_order
"""


def load_report(
    con: duckdb.DuckDBPyConnection,
    plan: str,
    year: str,
    published_at: datetime,
    edition: str = "public",
) -> ReportContent:
    """Everything the report for `plan` and `year` prints, from the published marts."""
    if edition not in EDITIONS:
        raise ReportRequestError(f"Unknown edition {edition!r}: choose public or internal.")
    year_start, year_end = financial_year_bounds(year)
    year_of_plan = check_plan_and_year(con, plan, year)
    asked = {"plan": plan, "year": year}
    figures: dict[str, list[MeasureFigure]] = {}
    for row in _rows(con, FIGURES_SQL, asked):
        figures.setdefault(row["ref"], []).append(measure_figure(con, row))
    findings = [
        QualityFinding(**row | {"printed_beside_refs": tuple(row["printed_beside_refs"])})
        for row in _rows(con, FINDINGS_SQL, asked)
    ]
    themes: dict[str, list[KeySuccessMeasure]] = {}
    for row in _rows(con, KEY_SUCCESS_MEASURES_SQL, asked):
        measure = KeySuccessMeasure(
            ref=row["ref"],
            display_ref=row["display_ref"] or row["ref"],
            theme=row["theme"],
            text=row["key_success_measure"],
            lead_partner=row["lead_partner"],
            target_type=row["target_type"],
            target_text=row["target_text"],
            status=row["status"],
            status_rule=row["status_rule"],
            periods_not_received=row["periods_not_received"],
            commentary=row["commentary"],
            figures=figures.get(row["ref"], []),
            quality_notes=[f for f in findings if row["ref"] in f.printed_beside_refs],
        )
        themes.setdefault(measure.theme, []).append(measure)
    area_code = settings.home_area().district
    return ReportContent(
        plan=plan,
        plan_title=plan_title(plan),
        area_code=area_code,
        area_name=published.area_name(con, area_code),
        year=year,
        year_of_plan=year_of_plan,
        year_start=year_start,
        year_end=year_end,
        published_at=published_at,
        themes=themes,
        theme_counts=sorted(
            load_theme_counts(con, plan, year),
            key=lambda c: list(themes).index(c.theme) if c.theme in themes else len(themes),
        ),
        findings=findings,
        edition=edition,
    )


def latest_year(con: duckdb.DuckDBPyConnection, plan: str) -> str:
    """The last year the plan's key success measures cover (the report asked for when no year
    is given)."""
    row = con.execute(
        "select max(last_year) from reference.key_success_measures where plan = ?", [plan]
    ).fetchone()
    if row is None or row[0] is None:
        check_plan_and_year(con, plan, "")
    return row[0]


def check_plan_and_year(con: duckdb.DuckDBPyConnection, plan: str, year: str) -> int:
    """Which year of the plan `year` is (1 for its first); refuse a plan or year the seeds
    do not cover, naming the ones they do."""
    spans = _rows(
        con,
        "select plan, min(first_year) as first_year, max(last_year) as last_year "
        "from reference.key_success_measures group by plan order by plan",
    )
    plans = {row["plan"]: row for row in spans}
    if plan not in plans:
        by_priority = (
            [
                row["plan"]
                for row in _rows(con, "select distinct plan from reference.plan_priorities")
            ]
            if published.relation_exists(con, "reference", "plan_priorities")
            else []
        )
        known = ", ".join([*plans, *sorted(by_priority)]) or "none"
        raise ReportRequestError(f"No plan {plan!r} in the publication. Plans: {known}.")
    span = plans[plan]
    if not span["first_year"] <= year <= span["last_year"]:
        raise ReportRequestError(
            f"The {plan_title(plan)} runs from {span['first_year']} to {span['last_year']}; "
            f"there is no {year} report."
        )
    return int(year[:4]) - int(span["first_year"][:4]) + 1


def measure_figure(con: duckdb.DuckDBPyConnection, row: dict) -> MeasureFigure:
    """A row of `marts.report_figures` in the report's words, with the Kent districts' figures
    for its chart when it has a county rank."""
    comparable = row["not_comparable_reason"] is None
    figure = MeasureFigure(
        measure_id=row["measure_id"],
        measure_name=row["measure_name"],
        unit=row["unit"],
        area_code=row["area_code"],
        area_name=row["area_name"],
        source_return=row["source_return"],
        figure=wording.Figure(
            measure_name=row["measure_name"],
            definition=row["definition"],
            unit=row["unit"],
            period_id=row["period_id"],
            period_type=row["period_type"],
            value=_number(row["value"]),
            previous_period_id=row["previous_period_id"],
            previous_value=_number(row["previous_value"]),
            change=_number(row["absolute_change"]) if comparable else None,
            percent_change=_number(row["percent_change"]) if comparable else None,
            not_comparable_reason=row["not_comparable_reason"],
            ci_95_lower=_number(row["ci_95_lower"]),
            ci_95_upper=_number(row["ci_95_upper"]),
            change_direction=row["change_direction"] if comparable else None,
            is_significant_95=row["is_significant_95"] if comparable else None,
            is_withheld=bool(row["is_withheld"]),
        ),
        value_note=row["value_note"],
        is_complete=row["is_complete"],
        direction_of_travel=row["direction_of_travel"],
        ci_method=row["ci_method"],
        significance_test=row["significance_test"],
        trend=[
            SeriesPoint(period_id, _number(value))
            for period_id, value in zip(row["trend_period_ids"], row["trend_values"], strict=True)
        ],
        figure_kind=row["figure_kind"],
        reference_period=row["reference_period"],
        year_on_year=row["year_on_year"] is not False,
        disclosure_minimum=row["disclosure_minimum"],
        statistical_method=row["statistical_method"],
    )
    if row["rank_from_lowest"] is not None and row["districts_with_value"] >= 2:
        figure.ranking = wording.Ranking(
            area_name=row["area_name"],
            unit=row["unit"],
            rank_lowest=row["rank_from_lowest"],
            rank_highest=row["rank_from_highest"],
            districts_ranked=row["districts_with_value"],
            kent_value=_number(row["kent_value"]),
            england_value=_number(row["england_value"]),
            districts_in_county=row["districts_in_county"],
            tied_with=tuple(row["tied_with"] or ()),
        )
        figure.districts = [
            DistrictValue(r["area_code"], r["area_name"], float(r["value"]))
            for r in _rows(
                con, DISTRICTS_SQL, {"measure": row["measure_id"], "period": row["period_id"]}
            )
        ]
    return figure


def _number(value: object) -> float | None:
    return None if value is None else float(value)


THEME_COUNTS_SQL = """
select
    theme,
    measures,
    achieved,
    on_target,
    not_achieved,
    information_not_received as not_received,
    not_applicable,
    achieved_or_on_target_pct as percent_achieved,
    missing_pct as percent_missing
from marts.theme_summary
where plan = $plan
  and report_year = $year
"""


def load_theme_counts(con: duckdb.DuckDBPyConnection, plan: str, year: str) -> list[ThemeCounts]:
    rows = _rows(con, THEME_COUNTS_SQL, {"plan": plan, "year": year})
    return [
        ThemeCounts(
            **row
            | {
                "percent_achieved": _number(row["percent_achieved"]),
                "percent_missing": _number(row["percent_missing"]),
            }
        )
        for row in rows
    ]
