"""The annual monitoring report, generated from the sample publication: the summary the
council published, sentences whose every number comes from the marts, the confidence
intervals and significance the marts computed, charts, a page that opens offline, and a PDF
with or without Chromium."""

from __future__ import annotations

import re
import shutil
from datetime import datetime
from html import escape, unescape
from pathlib import Path

import duckdb
import pypdfium2
import pytest

from pipelines.publish import publish
from pipelines.reporting import content, html, pdf, wording
from pipelines.reporting.report import build_report

PLAN = "community_plan_2019_22"


@pytest.fixture(scope="module")
def published(sample_warehouse) -> Path:
    assert sample_warehouse.run_success, "the sample pipeline run failed"
    assert sample_warehouse.published.is_file(), "the sample run published nothing"
    return sample_warehouse.published


@pytest.fixture(scope="module")
def report_2021_22(published, tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    return build_report(PLAN, "2021/22", "html", out, warehouse=published)


@pytest.fixture(scope="module")
def report_2019_20(published, tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    return build_report(PLAN, "2019/20", "html", out, warehouse=published)


def test_2021_22_summary_is_the_published_96_percent_with_the_missing_measure_named(
    report_2021_22,
) -> None:
    overall = report_2021_22.content.overall
    assert round(overall.percent_achieved) == 96
    assert round(overall.percent_missing) == 4
    missing = report_2021_22.content.missing
    assert [m.ref for m in missing] == ["S4"]
    page = report_2021_22.path.read_text()
    assert "96%" in page and "4%" in page
    summary = " ".join(report_2021_22.content.summary_sentences)
    assert "Safe 4" in summary and "Kent County Council" in summary


def test_2019_20_summary_is_the_published_96_percent(report_2019_20) -> None:
    assert round(report_2019_20.content.overall.percent_achieved) == 96
    assert "96%" in report_2019_20.path.read_text()


def _mart_figure(published: Path, measure_id: str, period_id: str) -> dict:
    with duckdb.connect(str(published), read_only=True) as con:
        cursor = con.execute(
            """
            select
                mv.value,
                trends.previous_period_id,
                trends.absolute_change,
                trends.percent_change,
                trends.change_direction,
                trends.is_significant_95,
                benchmarks.rank_from_lowest,
                benchmarks.rank_from_highest,
                benchmarks.districts_with_value
            from marts.measure_values as mv
            left join marts.measure_trends as trends using (measure_value_key)
            left join marts.measure_benchmarks as benchmarks using (measure_value_key)
            where mv.measure_id = ? and mv.area_code = 'E07000111' and mv.period_id = ?
            """,
            [measure_id, period_id],
        )
        names = [d[0] for d in cursor.description]
        return dict(zip(names, cursor.fetchone(), strict=True))


ORDINALS = {1: "", 2: "second ", 3: "third ", 4: "fourth ", 5: "fifth ", 6: "sixth "}


@pytest.mark.parametrize(
    ("year", "measure_id", "noun"),
    [
        ("2021/22", "victim_based_crimes", "victim-based crime reports"),
        ("2021/22", "anti_social_behaviour_incidents", "anti-social behaviour incidents"),
        ("2019/20", "victim_based_crimes", "victim-based crime reports"),
    ],
)
def test_sentences_state_the_marts_figures_change_and_rank(
    published, report_2021_22, report_2019_20, year, measure_id, noun
) -> None:
    report = report_2021_22 if year == "2021/22" else report_2019_20
    mart = _mart_figure(published, measure_id, year)
    change = mart["absolute_change"]
    more_or_fewer = "more" if change > 0 else "fewer"
    significance = (
        f"a statistically significant {mart['change_direction']}"
        if mart["is_significant_95"]
        else "not a statistically significant change"
    )
    expected_value = (
        f"During {year} there were {mart['value']:,.0f} {noun}, {abs(change):,.0f} "
        f"({abs(mart['percent_change']):.1f}%) {more_or_fewer} than in "
        f"{mart['previous_period_id']}, {significance}."
    )
    if mart["rank_from_lowest"] <= mart["rank_from_highest"]:
        place = f"{ORDINALS[mart['rank_from_lowest']]}lowest"
    else:
        place = f"{ORDINALS[mart['rank_from_highest']]}highest"
    expected_rank = (
        f"Sevenoaks had the {place} number of the {mart['districts_with_value']} Kent districts."
    )
    figure = next(
        f for m in report.content.measures for f in m.figures if f.measure_id == measure_id
    )
    assert figure.sentences[:2] == [expected_value, expected_rank]
    page = report.path.read_text()
    assert expected_value in page and expected_rank in page


def test_victim_crime_reads_as_the_council_published_it(report_2021_22) -> None:
    """The sample is calibrated to the published report: 7,056, 265 more, second lowest."""
    page = report_2021_22.path.read_text()
    assert "During 2021/22 there were 7,056 victim-based crime reports, 265 (3.9%) more" in page
    assert "Sevenoaks had the second lowest number of the 12 Kent districts." in page
    assert "1,513 anti-social behaviour incidents, 1,177" in page
    assert "Sevenoaks had the third lowest number" in page


UNCERTAINTY_SQL = """
select
    mv.ci_method,
    mv.ci_95_lower,
    mv.ci_95_upper,
    mv.is_suppressed,
    mv.is_rate_not_calculated,
    trends.not_comparable_reason,
    trends.change_direction,
    trends.significance_test,
    trends.is_significant_95
from marts.measure_values as mv
left join marts.measure_trends as trends using (measure_value_key)
where mv.measure_id = ? and mv.area_code = 'E07000111' and mv.period_id = ?
"""


def _mart_uncertainty(published: Path, figure: content.MeasureFigure) -> dict:
    with duckdb.connect(str(published), read_only=True) as con:
        cursor = con.execute(UNCERTAINTY_SQL, [figure.measure_id, figure.figure.period_id])
        names = [d[0] for d in cursor.description]
        return dict(zip(names, cursor.fetchone(), strict=True))


def _row_text(page: str, display_ref: str) -> str:
    """A key success measure's row of its theme table, as the reader sees the text."""
    start = page.index(f'<tr><td class="ref"><strong>{escape(display_ref)}</strong></td>')
    row = page[start : page.index("</tr>", start)]
    return " ".join(unescape(re.sub(r"<[^>]+>", "", row)).split())


def _printed(value: float, unit: str) -> str:
    """The test's own reading of the report's precision: counts whole, others to one place."""
    places = 0 if unit == "count" else 1
    return f"{value:,.{places}f}"


def test_each_row_shows_the_marts_95_percent_interval_beside_the_figure(
    published, report_2021_22
) -> None:
    page = report_2021_22.path.read_text()
    with_interval = without_interval = 0
    for measure in report_2021_22.content.measures:
        figure = measure.headline
        if figure is None:
            continue
        mart = _mart_uncertainty(published, figure)
        row = _row_text(page, measure.display_ref)
        value = _printed(figure.figure.value, figure.unit) + (
            "%" if figure.unit == "percent" else ""
        )
        if mart["ci_method"] is None:
            assert "95% CI" not in row, measure.ref
            without_interval += 1
        else:
            lower = _printed(mart["ci_95_lower"], figure.unit)
            upper = _printed(mart["ci_95_upper"], figure.unit)
            assert f"{value} (95% CI {lower}–{upper})" in row, (measure.ref, row)
            with_interval += 1
    assert with_interval >= 5, "too few rows with an interval to show the interval is printed"
    assert without_interval >= 1, "no row without an interval (e.g. Kickstart placements)"


def test_the_change_sentence_says_what_the_trends_test_found(published, report_2021_22) -> None:
    seen = {"significant": 0, "not significant": 0, "no test": 0}
    for figure in report_2021_22.content.figures:
        mart = _mart_uncertainty(published, figure)
        sentence = figure.sentences[0]
        tested = (
            mart["not_comparable_reason"] is None
            and mart["is_significant_95"] is not None
            and mart["change_direction"] in ("increase", "decrease")
        )
        if not tested:
            assert "statistically significant" not in sentence, sentence
            seen["no test"] += 1
        elif mart["is_significant_95"]:
            assert sentence.endswith(
                f", a statistically significant {mart['change_direction']}."
            ), sentence
            seen["significant"] += 1
        else:
            assert sentence.endswith(", not a statistically significant change."), sentence
            seen["not significant"] += 1
    assert all(seen.values()), f"the sample does not exercise every case: {seen}"


def test_how_to_read_explains_intervals_and_names_the_marts_methods(
    published, report_2021_22
) -> None:
    page = report_2021_22.path.read_text()
    about = unescape(page[page.index('id="about"') :])
    assert "95% confidence interval (95% CI)" in about
    assert "not a statistically significant change" in about
    shown = [_mart_uncertainty(published, f) for f in report_2021_22.content.figures]
    methods = {m["ci_method"] for m in shown if m["ci_method"]}
    tests = {m["significance_test"] for m in shown if m["is_significant_95"] is not None}
    assert methods and tests
    for name in methods | tests:
        assert name in about, name
    assert "none: raw change" not in about


def test_a_suppressed_figure_keeps_its_note_and_has_no_interval(published) -> None:
    """The sample prints no withheld figure, so one of the marts' suppressed figures is laid
    out as report_figures would give it (its choice of figure is the dbt unit tests')."""
    with duckdb.connect(str(published), read_only=True) as con:
        row = con.execute(
            "select measure_id, measure_name, unit, area_code, area_name, period_id, "
            "period_type, value, value_note from marts.measure_values "
            "where area_code = 'E07000111' and is_suppressed order by period_start limit 1"
        ).fetchone()
    measure_id, name, unit, area_code, area_name, period_id, period_type, value, note = row
    figure = content.MeasureFigure(
        measure_id=measure_id,
        measure_name=name,
        unit=unit,
        area_code=area_code,
        area_name=area_name,
        source_return=None,
        figure=wording.Figure(name, unit, period_id, period_type, value, is_withheld=True),
        value_note=note,
    )
    assert value is None and "Value suppressed" in figure.value_note
    assert figure.sentences[0].endswith("was withheld.")
    measure = key_success_measure(figures=[figure])
    page = html.render(_report_of(measure), generated_at=datetime(2022, 4, 2))
    row_text = _row_text(page, "Communities 1")
    assert f"not available {figure.value_note}" in row_text
    assert "95% CI" not in row_text
    card = unescape(page[page.index('id="c1"') :])
    assert f"Note: {figure.value_note}" in card


def test_charts_trend_per_quantitative_measure_and_kent_bars(report_2021_22) -> None:
    page = report_2021_22.path.read_text()
    ranked = [f for m in report_2021_22.content.measures for f in m.figures if f.districts]
    assert ranked, "no measure with a Kent comparison in the report"
    assert page.count('class="chart-districts"') == len(ranked)
    trends = [
        f
        for m in report_2021_22.content.measures
        for f in m.figures
        if len([p for p in f.trend if p.value is not None]) >= 2
    ]
    assert page.count('class="chart-trend"') == len(trends) > 0
    assert page.count("<svg") == len(ranked) + len(trends)


def test_each_measure_shows_status_commentary_and_direction(report_2021_22) -> None:
    page = report_2021_22.path.read_text()
    for measure in report_2021_22.content.measures:
        assert f'id="{measure.ref.lower()}"' in page
        assert measure.status in content.STATUSES
    with_commentary = [m for m in report_2021_22.content.measures if m.commentary]
    assert with_commentary, "no partner commentary reached the report"
    assert "Partner commentary" in page
    assert "Direction of travel" in page


def test_html_is_self_contained(report_2021_22, report_2019_20) -> None:
    for report in (report_2021_22, report_2019_20):
        page = report.path.read_text()
        assert "http" not in page
        assert "<script" not in page and "<link" not in page
        assert not re.search(r"""(src|href)=["'](?!#)""", page)
        assert not re.search(r"url\((?!#)", page), "a url() that is not inside the page"
        assert "@import" not in page and "@font-face" not in page


def test_appendix_lists_the_years_findings_in_the_marts_order(published, tmp_path) -> None:
    """The internal edition's appendix; the public edition has none (test_seed_statements)."""
    report_2021_22 = build_report(
        PLAN, "2021/22", "html", tmp_path, warehouse=published, edition="internal"
    )
    with duckdb.connect(str(published), read_only=True) as con:
        listed = [
            message
            for (message,) in con.execute(
                "select message from marts.report_findings "
                "where plan = ? and report_year = '2021/22' order by listed_order",
                [PLAN],
            ).fetchall()
        ]
    assert listed, "the sample has no finding for 2021/22"
    assert [f.message for f in report_2021_22.content.findings] == listed
    page = report_2021_22.path.read_text()
    appendix = page[page.index('id="quality-findings"') : page.index('id="about"')]
    assert appendix.count("<tr>") == len(listed) + 1


FINDINGS = [
    # check, measure, return, area, period, status, message
    (
        "plausibility",
        "victim_based_crimes",
        None,
        "E07000111",
        "2021/22",
        "open",
        "Victim-based crime rose by a tenth in one month: check the return.",
    ),
    (
        "completeness",
        None,
        "police__street_crimes",
        None,
        "2021-06",
        "explained",
        "The June 2021 file arrived a week late.",
    ),
    (
        "plausibility",
        "victim_based_crimes",
        None,
        "E07000112",
        "2021/22",
        "open",
        "Folkestone and Hythe's figure looks low.",
    ),
    (
        "plausibility",
        "victim_based_crimes",
        None,
        "E07000111",
        "2019/20",
        "open",
        "A finding about another year.",
    ),
]


@pytest.fixture(scope="module")
def report_with_findings(sample_warehouse, tmp_path_factory):
    """Quality findings added to a copy of the sample's working warehouse after its checks,
    then published: the report marts over the findings show them as the publication has
    them."""
    root = tmp_path_factory.mktemp("findings")
    copy = root / "working.duckdb"
    shutil.copyfile(sample_warehouse.working, copy)
    with duckdb.connect(str(copy)) as con:
        for kind, measure, return_name, area, period, status, message in FINDINGS:
            con.execute(
                "insert into quality.findings (finding_key, check_name, check_kind, "
                "return_name, partner, measure_id, area_code, period_id, severity, message, "
                "status, first_seen_at, last_seen_at) "
                "values (?, ?, ?, ?, 'Kent Police', ?, ?, ?, 'warning', ?, ?, now(), now())",
                [
                    message,
                    f"{kind}_check",
                    kind,
                    return_name,
                    measure,
                    area,
                    period,
                    message,
                    status,
                ],
            )
    published_copy = publish(copy, root / "published.duckdb").path
    return build_report(PLAN, "2021/22", "html", root, warehouse=published_copy, edition="internal")


def test_quality_notes_sit_beside_the_measure_and_all_the_years_in_the_appendix(
    report_with_findings,
) -> None:
    s2 = next(m for m in report_with_findings.content.measures if m.ref == "S2")
    assert [f.message for f in s2.quality_notes] == [FINDINGS[0][6], FINDINGS[1][6]]
    assert [f.message for f in report_with_findings.content.findings].count(FINDINGS[3][6]) == 0
    page = report_with_findings.path.read_text()
    card = page[page.index('id="s2"') : page.index('id="s3"')]
    assert "Data quality notes" in card and escape(FINDINGS[0][6]) in card
    assert escape(FINDINGS[2][6]) not in card
    appendix = page[page.index('id="quality-findings"') : page.index('id="about"')]
    for finding in FINDINGS[:3]:
        assert escape(finding[6]) in appendix
    assert escape(FINDINGS[3][6]) not in appendix


def test_pdf_without_chromium_is_drawn_with_matplotlib(published, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv(pdf.CHROMIUM_ENV, "")
    written = build_report(PLAN, "2021/22", "pdf", tmp_path, warehouse=published)
    assert written.renderer == "matplotlib"
    data = written.path.read_bytes()
    assert data.startswith(b"%PDF") and data.count(b"/Type /Page") >= 4
    document = pypdfium2.PdfDocument(str(written.path))
    pages = [document[i].get_textpage().get_text_bounded() for i in range(len(document))]
    document.close()
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in text


@pytest.mark.skipif(pdf.find_chromium() is None, reason="Chromium is not installed")
def test_pdf_with_chromium_prints_the_html(published, tmp_path) -> None:
    written = build_report(PLAN, "2021/22", "pdf", tmp_path / "r.pdf", warehouse=published)
    assert written.renderer == "chromium"
    assert written.path == (tmp_path / "r.pdf").resolve()
    assert written.path.read_bytes().startswith(b"%PDF")


def test_a_year_outside_the_plan_is_refused_with_the_plans_years(published, tmp_path) -> None:
    with pytest.raises(content.ReportRequestError, match="2019/20 to 2021/22"):
        build_report(PLAN, "2023/24", "html", tmp_path, warehouse=published)
    with pytest.raises(content.ReportRequestError, match="No plan"):
        build_report("no_such_plan", "2021/22", "html", tmp_path, warehouse=published)


def test_partner_text_is_escaped() -> None:
    measure = key_success_measure(
        ref="S1",
        display_ref="Safe 1",
        theme="Safe <Communities>",
        text="A measure & more",
        lead_partner="Partner",
        commentary='<script>alert("x")</script> =HYPERLINK("http://example")',
    )
    page = html.render(_report_of(measure), generated_at=datetime(2022, 4, 2))
    assert "<script>" not in page
    assert "&lt;script&gt;" in page and "Safe &lt;Communities&gt;" in page


def key_success_measure(**changes) -> content.KeySuccessMeasure:
    """An achieved Communities measure with no figures, partner or commentary."""
    measure = {
        "ref": "C1",
        "display_ref": "Communities 1",
        "theme": "Communities",
        "text": "A measure with a suppressed figure",
        "lead_partner": None,
        "target_type": None,
        "target_text": None,
        "status": "Achieved",
        "status_rule": None,
        "periods_not_received": None,
        "commentary": None,
    }
    return content.KeySuccessMeasure(**(measure | changes))


def _report_of(measure: content.KeySuccessMeasure) -> content.ReportContent:
    """A 2021/22 report holding one key success measure, to render without a warehouse."""
    counts = content.ThemeCounts("All", 1, 1, 0, 0, 0, 0, 100.0, 0.0)
    return content.ReportContent(
        plan=PLAN,
        plan_title="Community Plan 2019–22",
        area_code="E07000111",
        area_name="Sevenoaks",
        year="2021/22",
        year_of_plan=3,
        year_start=content.financial_year_bounds("2021/22")[0],
        year_end=content.financial_year_bounds("2021/22")[1],
        published_at=datetime(2022, 4, 1),
        themes={measure.theme: [measure]},
        theme_counts=[counts],
        findings=[],
    )
