"""The Community Plan 2022–32's report: its four priorities, the indicators mapped to each,
the change since the baseline and what is missing, read from `marts.report_priority_indicators`.

The plan publishes priorities, not key success measures with targets, so this report judges
nothing: it shows each indicator's figure for the year beside the last year before the plan
began, says whether that is better or worse (a raw change over several years, not a tested
one) and lists the indicators with no figure. The figures and words come from the mart.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from html import escape

import duckdb

from pipelines import settings
from pipelines.reporting import html, published, wording
from pipelines.reporting.content import ReportRequestError, financial_year_bounds, plan_title

PRIORITY_TITLES = {
    "place": "Place",
    "economy": "Economy",
    "people": "People",
    "environment": "Environment",
}

INDICATORS_SQL = """
select *
from marts.report_priority_indicators
where plan = $plan
  and report_year = $year
order by listed_order
"""


@dataclass(frozen=True)
class Indicator:
    """One indicator of a priority, for the report year."""

    measure_id: str
    measure_name: str
    definition: str | None
    unit: str
    rationale: str | None
    period_id: str | None
    value: float | None
    baseline_year: str
    baseline_period_id: str | None
    baseline_value: float | None
    change_since_baseline: float | None
    direction_since_baseline: str | None
    missing_reason: str | None
    figure_kind: str | None

    @property
    def sentence(self) -> str:
        """`In 2023/24 there were 6,900 victim-based crime reports, better than 7,056 in
        2021/22, the year before the plan began.` or what is missing."""
        noun = wording.measure_noun(self.measure_name, self.definition)
        if self.value is None:
            return f"No figure for {noun}: {self.missing_reason or 'not received'}."
        shown = wording.format_value(self.value, self.unit)
        period = f" ({self.period_id})" if self.period_id else ""
        opening = f"{noun[:1].upper()}{noun[1:]}: {shown}{period}"
        if self.baseline_value is None:
            return f"{opening}; no baseline figure for {self.baseline_year}."
        was = wording.format_value(self.baseline_value, self.unit)
        if self.direction_since_baseline is None:
            return (
                f"{opening}. {self.baseline_year}: {was}; "
                f"{wording.kind_caveat(self.figure_kind, None, '', '') or 'not compared.'}"
            )
        return (
            f"{opening}, {self.direction_since_baseline} than {was} in "
            f"{self.baseline_period_id or self.baseline_year}, the year before the plan began."
            if self.direction_since_baseline not in ("the same",)
            else f"{opening}, the same as in {self.baseline_period_id or self.baseline_year}."
        )


@dataclass
class PrioritiesReport:
    plan: str
    plan_title: str
    area_name: str
    year: str
    published_at: datetime
    priorities: dict[str, list[Indicator]]

    @property
    def missing(self) -> list[tuple[str, Indicator]]:
        return [(p, i) for p, items in self.priorities.items() for i in items if i.value is None]


def plans_by_priority(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The plans the warehouse reports by priority."""
    if not published.relation_exists(con, "marts", "report_priority_indicators"):
        return []
    return [
        row[0]
        for row in con.execute(
            "select distinct plan from marts.report_priority_indicators order by plan"
        ).fetchall()
    ]


def latest_year(con: duckdb.DuckDBPyConnection, plan: str) -> str:
    """The plan's latest report year with a figure for any indicator."""
    (year,) = con.execute(
        "select max(report_year) from marts.report_priority_indicators "
        "where plan = ? and value is not null",
        [plan],
    ).fetchone()
    if year is None:
        raise ReportRequestError(f"The {plan_title(plan)} has no figures in the publication.")
    return year


def load(
    con: duckdb.DuckDBPyConnection, plan: str, year: str, published_at: datetime
) -> PrioritiesReport:
    """The plan's indicators for the year, by priority, from the mart."""
    financial_year_bounds(year)
    cursor = con.execute(INDICATORS_SQL, {"plan": plan, "year": year})
    names = [d[0] for d in cursor.description]
    rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    if not rows:
        years = [
            r[0]
            for r in con.execute(
                "select distinct report_year from marts.report_priority_indicators "
                "where plan = ? order by 1",
                [plan],
            ).fetchall()
        ]
        raise ReportRequestError(
            f"The {plan_title(plan)} has no {year} figures in the publication. Years: "
            f"{', '.join(years) or 'none'}."
        )
    priorities: dict[str, list[Indicator]] = {}
    for row in rows:
        priorities.setdefault(row["priority"], []).append(
            Indicator(**{name: row[name] for name in Indicator.__dataclass_fields__})
        )
    return PrioritiesReport(
        plan=plan,
        plan_title=plan_title(plan),
        area_name=published.area_name(con, settings.home_area().district),
        year=year,
        published_at=published_at,
        priorities=priorities,
    )


def render(report: PrioritiesReport, generated_at: datetime) -> str:
    """The priorities report as one self-contained HTML page, in the monitoring report's
    style."""
    title = f"{report.area_name} District {report.plan_title}: indicators {report.year}"
    missing = "".join(
        f"<li>{escape(PRIORITY_TITLES.get(p, p))}: {escape(i.measure_name)} "
        f"({escape(i.missing_reason or 'no figure')})</li>"
        for p, i in report.missing
    )
    sections = [
        *(_priority(name, items) for name, items in report.priorities.items()),
        '<section class="appendix" id="missing"><h2>What is missing</h2>'
        + (f"<ul>{missing}</ul>" if missing else "<p>Every indicator has a figure.</p>")
        + "<p>Changes since the baseline are raw changes over several years: they are not "
        "tested for significance, so better or worse says only which way the figure moved. "
        "A running total is not compared.</p>"
        "<footer>"
        f"Warehouse published {report.published_at:%d %B %Y at %H:%M}. "
        f"Report generated {generated_at:%d %B %Y at %H:%M}."
        "</footer></section>",
    ]
    masthead = (
        '<header class="masthead">'
        f'<p class="organisation">{escape(report.area_name)} District Council · Local '
        "Strategic Partnership</p>"
        f"<h1>{escape(title)}</h1>"
        f"<p>The {escape(report.plan_title)} sets four priorities: place, economy, people and "
        "environment, and sets no numbered targets: progress is shown by the indicators "
        "mapped to each priority, against the year before the plan began.</p>"
        "</header>"
    )
    body = masthead + html.contents(sections) + "".join(sections)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{html.page_style(title)}</style>\n</head>\n"
        f"<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n"
    )


def _priority(name: str, indicators: list[Indicator]) -> str:
    rows = "".join(
        "<tr>"
        f"<td>{escape(i.measure_name)}<br><small>{escape(i.rationale or '')}</small></td>"
        f'<td class="number">{escape(_shown(i.baseline_value, i.unit))}'
        f"<br><small>{escape(i.baseline_period_id or i.baseline_year)}</small></td>"
        f'<td class="number">{escape(_shown(i.value, i.unit))}'
        f"<br><small>{escape(i.period_id or '')}</small></td>"
        f"<td>{escape(i.direction_since_baseline or '–')}</td>"
        "</tr>"
        for i in indicators
    )
    sentences = "".join(f"<p>{escape(i.sentence)}</p>" for i in indicators)
    return (
        f'<section class="theme" id="{escape(name)}"><h2>{escape(PRIORITY_TITLES.get(name, name))}'
        "</h2>"
        '<table class="theme-table"><colgroup><col><col style="width:17%">'
        '<col style="width:17%"><col style="width:17%"></colgroup><thead><tr><th>Indicator</th>'
        '<th class="number">Baseline</th><th class="number">This year</th>'
        "<th>Since the baseline</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>{sentences}</section>"
    )


def _shown(value: float | None, unit: str) -> str:
    return "–" if value is None else wording.format_value(value, unit)
