"""What goes in the annual monitoring report, read from the published marts only.

One query per mart, joined here in Python into a `ReportContent`: the summary, each theme's
key success measures with their figures, sentences, status and commentary, the quality
findings that apply, and the series the charts draw. The HTML and PDF renderers only lay
this out; they never query or compute a figure themselves.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

import duckdb

from pipelines.reporting import wording

DISTRICT_CODE = "E07000111"
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
    year: str
    year_of_plan: int
    year_start: date
    year_end: date
    published_at: datetime
    themes: dict[str, list[KeySuccessMeasure]]
    theme_counts: list[ThemeCounts]
    findings: list[QualityFinding]

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
    ksm.ref,
    ksm.display_ref,
    ksm.theme,
    ksm.key_success_measure,
    ksm.lead_partner,
    ksm.target_type,
    ksm.target_text,
    ksm.measure_id,
    ksm.supporting_measure_ids,
    status.status,
    status.status_rule,
    status.period_used,
    status.periods_not_received,
    status.partner_status,
    status.commentary
from reference.key_success_measures as ksm
left join marts.measure_status as status
    on ksm.plan = status.plan
    and ksm.ref = status.ref
    and status.report_year = $year
where ksm.plan = $plan
  and $year between ksm.first_year and ksm.last_year
order by ksm.rowid
"""

FIGURES_SQL = """
select
    mv.measure_id,
    coalesce(catalogue.measure_name, mv.measure_name, mv.measure_id) as measure_name,
    mv.unit,
    catalogue.source_return,
    mv.period_id,
    mv.period_type,
    mv.period_start::date as period_start,
    mv.period_end::date as period_end,
    mv.value,
    mv.value_note,
    mv.is_complete,
    mv.is_suppressed or mv.is_rate_not_calculated as is_withheld,
    mv.ci_method,
    mv.ci_95_lower,
    mv.ci_95_upper,
    trends.previous_period_id,
    trends.previous_value,
    trends.absolute_change,
    trends.percent_change,
    trends.change_direction,
    trends.significance_test,
    trends.is_significant_95,
    trends.direction_of_travel,
    trends.not_comparable_reason,
    benchmarks.rank_from_lowest,
    benchmarks.rank_from_highest,
    benchmarks.districts_with_value,
    benchmarks.kent_value,
    benchmarks.england_value
from marts.measure_values as mv
left join reference.measure_catalogue as catalogue
    on mv.measure_id = catalogue.measure_id
left join marts.measure_trends as trends
    on mv.measure_value_key = trends.measure_value_key
left join marts.measure_benchmarks as benchmarks
    on mv.measure_value_key = benchmarks.measure_value_key
where mv.area_code = $area
  and mv.measure_id = $measure
  and mv.period_start <= $year_end
order by mv.period_end, mv.period_start
"""

DISTRICTS_SQL = """
select
    mv.area_code,
    mv.area_name,
    mv.value
from marts.measure_values as mv
inner join reference.areas as areas
    on mv.area_code = areas.area_code
where areas.is_kent_district
  and mv.measure_id = $measure
  and mv.period_id = $period
  and mv.value is not null
order by mv.value, mv.area_name
"""


def load_report(
    con: duckdb.DuckDBPyConnection, plan: str, year: str, published_at: datetime
) -> ReportContent:
    """Everything the report for `plan` and `year` prints, from the published marts."""
    year_start, year_end = financial_year_bounds(year)
    year_of_plan = check_plan_and_year(con, plan, year)
    (districts_in_county,) = con.execute(
        "select count(*) from reference.areas where is_kent_district"
    ).fetchone()
    themes: dict[str, list[KeySuccessMeasure]] = {}
    for row in _rows(con, KEY_SUCCESS_MEASURES_SQL, {"plan": plan, "year": year}):
        measure = KeySuccessMeasure(
            ref=row["ref"],
            display_ref=row["display_ref"] or row["ref"],
            theme=row["theme"],
            text=row["key_success_measure"],
            lead_partner=row["lead_partner"],
            target_type=row["target_type"],
            target_text=row["target_text"],
            status=row["status"] or "Information not received",
            status_rule=row["status_rule"],
            periods_not_received=row["periods_not_received"],
            commentary=row["commentary"],
        )
        for measure_id in measure_ids(row["measure_id"], row["supporting_measure_ids"]):
            judged_on = row["period_used"] if measure_id == row["measure_id"] else None
            figure = load_figure(
                con, measure_id, year, year_start, year_end, judged_on, districts_in_county
            )
            if figure is not None:
                measure.figures.append(figure)
        themes.setdefault(measure.theme, []).append(measure)
    findings = load_findings(con, year, year_start, year_end, themes)
    for measure in (m for measures in themes.values() for m in measures):
        measure.quality_notes = [f for f in findings if applies_to(f, measure)]
    return ReportContent(
        plan=plan,
        plan_title=plan_title(plan),
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
    )


def applies_to(finding: QualityFinding, measure: KeySuccessMeasure) -> bool:
    """A finding the report prints beside a key success measure: still open or explained,
    about Sevenoaks or no area in particular, and about one of the measure's figures (that
    measure and period) or about the return a figure came from (for the year's periods)."""
    if finding.status == "resolved" or finding.area_code not in (None, DISTRICT_CODE):
        return False
    for figure in measure.figures:
        if finding.measure_id == figure.measure_id and finding.period_id == figure.figure.period_id:
            return True
        if finding.measure_id is None and finding.return_name == figure.source_return:
            return True
    return False


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
        known = ", ".join(plans) or "none"
        raise ReportRequestError(f"No plan {plan!r} in the publication. Plans: {known}.")
    span = plans[plan]
    if not span["first_year"] <= year <= span["last_year"]:
        raise ReportRequestError(
            f"The {plan_title(plan)} runs from {span['first_year']} to {span['last_year']}; "
            f"there is no {year} report."
        )
    return int(year[:4]) - int(span["first_year"][:4]) + 1


def measure_ids(measure_id: str | None, supporting: str | None) -> list[str]:
    """The key success measure's own measure first, then its supporting measures."""
    ids = [measure_id] if measure_id else []
    ids += [m.strip() for m in re.split(r"[;,|]", supporting or "") if m.strip()]
    return list(dict.fromkeys(ids))


def load_figure(
    con: duckdb.DuckDBPyConnection,
    measure_id: str,
    year: str,
    year_start: date,
    year_end: date,
    judged_on: str | None = None,
    districts_in_county: int = 12,
) -> MeasureFigure | None:
    """The measure's figure for the report year, or None when the year has none.

    The period is the one the status was judged on (measure_status.period_used) for the key
    success measure's own measure; for the others the one labelled as the year (a financial
    or academic year), else the latest period that ended within the year (a calendar year,
    quarter, month or snapshot).
    """
    rows = _rows(
        con, FIGURES_SQL, {"area": DISTRICT_CODE, "measure": measure_id, "year_end": year_end}
    )
    chosen = next((r for r in rows if judged_on and r["period_id"] == judged_on), None)
    chosen = (
        chosen
        or next((r for r in rows if r["period_id"] == year), None)
        or next(
            (r for r in reversed(rows) if year_start <= r["period_end"] <= year_end),
            None,
        )
    )
    if chosen is None:
        return None
    comparable = chosen["not_comparable_reason"] is None
    figure = MeasureFigure(
        measure_id=measure_id,
        measure_name=chosen["measure_name"],
        unit=chosen["unit"],
        source_return=chosen["source_return"],
        figure=wording.Figure(
            measure_name=chosen["measure_name"],
            unit=chosen["unit"],
            period_id=chosen["period_id"],
            period_type=chosen["period_type"],
            value=_number(chosen["value"]),
            previous_period_id=chosen["previous_period_id"],
            previous_value=_number(chosen["previous_value"]),
            change=_number(chosen["absolute_change"]) if comparable else None,
            percent_change=_number(chosen["percent_change"]) if comparable else None,
            not_comparable_reason=chosen["not_comparable_reason"],
            ci_95_lower=_number(chosen["ci_95_lower"]),
            ci_95_upper=_number(chosen["ci_95_upper"]),
            change_direction=chosen["change_direction"] if comparable else None,
            is_significant_95=chosen["is_significant_95"] if comparable else None,
            is_withheld=bool(chosen["is_withheld"]),
        ),
        value_note=chosen["value_note"],
        is_complete=chosen["is_complete"],
        direction_of_travel=chosen["direction_of_travel"],
        ci_method=chosen["ci_method"],
        significance_test=chosen["significance_test"],
        trend=[
            SeriesPoint(r["period_id"], _number(r["value"]))
            for r in rows
            if r["period_type"] == chosen["period_type"]
            and r["period_end"] <= chosen["period_end"]
            and r["is_complete"] is not False
        ],
    )
    if chosen["rank_from_lowest"] is not None and chosen["districts_with_value"] >= 2:
        figure.ranking = wording.Ranking(
            area_name="Sevenoaks",
            unit=chosen["unit"],
            rank_lowest=chosen["rank_from_lowest"],
            rank_highest=chosen["rank_from_highest"],
            districts_ranked=chosen["districts_with_value"],
            kent_value=_number(chosen["kent_value"]),
            england_value=_number(chosen["england_value"]),
            districts_in_county=districts_in_county,
        )
        figure.districts = [
            DistrictValue(r["area_code"], r["area_name"], float(r["value"]))
            for r in _rows(
                con, DISTRICTS_SQL, {"measure": measure_id, "period": chosen["period_id"]}
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


FINDINGS_SQL = """
select
    findings.check_name,
    findings.check_kind,
    findings.return_name,
    findings.partner,
    findings.measure_id,
    catalogue.measure_name,
    findings.area_code,
    areas.area_name,
    findings.period_id,
    findings.severity,
    findings.observed,
    findings.expected,
    findings.message,
    findings.submission_id,
    findings.first_seen_at,
    findings.status,
    findings.explanation
from quality.findings as findings
left join reference.measure_catalogue as catalogue
    on findings.measure_id = catalogue.measure_id
left join reference.areas as areas
    on findings.area_code = areas.area_code
order by
    case findings.status when 'open' then 0 when 'explained' then 1 else 2 end,
    case findings.severity when 'blocking' then 0 when 'warning' then 1 else 2 end,
    findings.partner,
    findings.measure_id,
    findings.period_id
"""


def load_findings(
    con: duckdb.DuckDBPyConnection,
    year: str,
    year_start: date,
    year_end: date,
    themes: dict[str, list[KeySuccessMeasure]],
) -> list[QualityFinding]:
    """Every quality finding about a period of the report year: the year itself, its
    quarters and months, and the periods the report's figures were taken from."""
    shown = {f.figure.period_id for ms in themes.values() for m in ms for f in m.figures}
    findings = [QualityFinding(**row) for row in _rows(con, FINDINGS_SQL)]
    return [f for f in findings if in_report_year(f.period_id, year, year_start, year_end, shown)]


def in_report_year(
    period_id: str | None, year: str, year_start: date, year_end: date, shown: set[str]
) -> bool:
    if period_id is None:
        return False
    if period_id == year or period_id.startswith(f"{year} ") or period_id in shown:
        return True
    month = re.fullmatch(r"(\d{4})-(\d{2})", period_id)
    return bool(month) and year_start <= date(int(month[1]), int(month[2]), 1) <= year_end
