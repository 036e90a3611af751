"""The annual monitoring report as one self-contained HTML file.

Everything the page needs is inside it: styles in a `<style>` element, charts as inline SVG,
system fonts only, no scripts and no web addresses, so it opens offline from an email
attachment or a shared drive and prints the same way (Chromium prints it to the PDF).
Every piece of text from a partner is escaped.

Printed, it is laid out as a council would print it: a cover page with the contents, then
the summary and the themes, then each appendix from a new page; every page numbered
"Page n of N" in its footer beside the report's title. Themes follow on from each other and
a measure's card may run on to the next page (headings kept with what follows them, a chart
never split), so no page is left mostly empty because the next card or theme did not fit.
The contents' page numbers are filled in after a first print (`number_contents`), from
where Chromium put each section.
"""

from __future__ import annotations

import re
from datetime import datetime
from html import escape

from pipelines.reporting import charts, wording
from pipelines.reporting.content import (
    KeySuccessMeasure,
    MeasureFigure,
    QualityFinding,
    ReportContent,
    ThemeCounts,
)

STATUS_CLASS = {
    "Achieved": "achieved",
    "On target": "on-target",
    "Not achieved": "not-achieved",
    "Information not received": "not-received",
    "Not applicable": "not-applicable",
}

PAGE_STYLE = """
@page { size: A4; margin: 16mm 14mm 18mm 14mm;
  @bottom-left { content: "%(title)s"; font-size: 7.5pt; color: #556;
    font-family: Arial, "Liberation Sans", "DejaVu Sans", sans-serif; }
  @bottom-right { content: "Page " counter(page) " of " counter(pages); font-size: 8pt;
    color: #1f2a30; font-family: Arial, "Liberation Sans", "DejaVu Sans", sans-serif; } }
"""
"""Printed pages: A4, each with the report's title and its page number in the footer
(CSS page margin boxes, which Chromium prints)."""

REF_CHARACTER_EM = 0.62
"""Width of a bold character of the Ref column, in ems: a little over Arial Bold's average,
so the longest ref of a theme fits its column on one line."""
REF_PADDING_EM = 1.4

STYLE = """
* { box-sizing: border-box; }
body { font-family: Arial, "Liberation Sans", "DejaVu Sans", Helvetica, sans-serif;
  color: #1f2a30; font-size: 10.5pt; line-height: 1.45; margin: 0; background: #fff; }
main { max-width: 190mm; margin: 0 auto; padding: 0 4mm 12mm; }
h1, h2, h3 { line-height: 1.2; }
.masthead { background: #00594f; color: #fff; padding: 9mm 10mm 8mm; margin: 0 -4mm 5mm; }
.masthead .organisation { text-transform: uppercase; letter-spacing: .08em; font-size: 9pt;
  opacity: .9; margin: 0 0 6mm; }
.masthead h1 { font-size: 21pt; margin: 0 0 3mm; font-weight: bold; }
.masthead p { margin: 0; font-size: 10.5pt; max-width: 150mm; }
.summary { display: flex; gap: 4mm; margin: 0 0 4mm; }
.tile { flex: 1; border-radius: 2mm; padding: 3mm 5mm; background: #eef3f2; }
.tile .big { font-size: 26pt; font-weight: bold; color: #00594f; line-height: 1; }
.tile.missing .big { color: #6b6b6b; }
.tile .label { font-size: 9.5pt; margin-top: 1.5mm; }
.lead { font-size: 11pt; }
table { border-collapse: collapse; width: 100%; margin: 2mm 0 4mm; font-size: 9pt; }
th, td { border-bottom: 1px solid #d5dde0; padding: 1.6mm 2mm; text-align: left;
  vertical-align: top; }
th { background: #f1f4f5; font-weight: bold; }
td.number, th.number { text-align: right; }
td.number { white-space: nowrap; }
thead { display: table-header-group; }
tr { page-break-inside: avoid; }
.status { display: inline-block; padding: .4mm 2mm; border-radius: 1mm; font-weight: bold;
  font-size: 8.5pt; white-space: nowrap; }
.status.achieved { background: #1b7a3a; color: #fff; }
.status.on-target { background: #8cc152; color: #14301b; }
.status.not-achieved { background: #c0392b; color: #fff; }
.status.not-received { background: #6b6b6b; color: #fff; }
.status.not-applicable { background: #dfe4e6; color: #333; }
th .status { white-space: normal; }
.counts-table td:first-child { white-space: nowrap; }
.theme-table td.ref { white-space: nowrap; }
.theme-table { table-layout: fixed; }
.theme-table .status, .theme-table .dot { white-space: normal; }
.theme-table small { color: #556; }
.theme-table small.interval { white-space: normal; }
.nowrap { white-space: nowrap; }
.dot { white-space: nowrap; }
.travel { font-size: 9pt; color: #556; }
.dot.improving { color: #1b7a3a; } .dot.worsening { color: #c0392b; }
.performance { break-before: page; }
.theme { margin-top: 9mm; }
.theme > h2 { color: #fff; background: #00594f; padding: 3mm 5mm; margin: 0 0 3mm;
  font-size: 16pt; break-after: avoid; }
.theme .counts { color: #445; margin: 0 0 3mm; break-after: avoid; }
.measure { border-top: 2px solid #00594f; padding: 3mm 0 2mm; margin: 4mm 0; }
.measure h3 { font-size: 11.5pt; margin: 0 0 1.5mm; display: flex; gap: 3mm;
  justify-content: space-between; align-items: baseline; break-after: avoid; }
.measure .partner { break-after: avoid; }
.measure p, .commentary, .notes li, .judged { orphans: 2; widows: 2; }
.contents { margin: 10mm 0 0; }
.contents h2 { color: #00594f; font-size: 15pt; border-bottom: 2px solid #00594f;
  margin: 0 0 3mm; }
.contents ol { list-style: none; padding: 0; margin: 0; font-size: 11pt; }
.contents li { display: flex; align-items: baseline; gap: 2mm; padding: 1.6mm 0;
  border-bottom: 1px dotted #b7c3c9; }
.contents a { color: #1f2a30; text-decoration: none; flex: 1; }
.contents .page { min-width: 8mm; text-align: right; font-weight: bold; color: #00594f; }
.measure .ref { color: #00594f; }
.measure .partner { color: #556; font-size: 9pt; margin: 0 0 2mm; }
.measure p { margin: 0 0 2mm; }
.commentary { border-left: 3px solid #b7c3c9; padding: 1mm 0 1mm 4mm; margin: 2mm 0;
  color: #333; white-space: pre-wrap; }
.commentary .who { font-weight: bold; color: #1f2a30; display: block; }
.judged { font-size: 8.5pt; color: #556; }
.notes { background: #fff6e5; border-left: 3px solid #e07b00; padding: 2mm 4mm;
  margin: 2mm 0; font-size: 9pt; }
.notes ul { margin: 1mm 0 0; padding-left: 5mm; }
.charts { display: flex; flex-wrap: wrap; gap: 3mm; margin-top: 2mm; }
.charts figure { margin: 0; flex: 0 0 calc(50% - 1.5mm); break-inside: avoid; }
.charts svg { width: 100%; height: auto; }
.charts figcaption { font-size: 8pt; color: #556; }
.appendix { break-before: page; }
#quality-findings table { table-layout: fixed; }
#quality-findings td, #quality-findings th { overflow-wrap: anywhere; }
#quality-findings th:nth-child(1) { width: 10%; } #quality-findings th:nth-child(2) { width: 12%; }
#quality-findings th:nth-child(3) { width: 12%; } #quality-findings th:nth-child(4) { width: 10%; }
#quality-findings th:nth-child(5) { width: 9%; } #quality-findings th:nth-child(7) { width: 9%; }
.appendix h2 { color: #00594f; font-size: 15pt; border-bottom: 2px solid #00594f;
  break-after: avoid; }
.severity { font-weight: bold; text-transform: capitalize; }
.key td:first-child { width: 45mm; }
footer { margin-top: 8mm; font-size: 8.5pt; color: #556; border-top: 1px solid #d5dde0;
  padding-top: 2mm; }
@media screen { body { background: #e9eef0; } main { background: #fff; padding-bottom: 12mm;
  box-shadow: 0 0 6px rgba(0,0,0,.15); } }
"""


def render(content: ReportContent, generated_at: datetime) -> str:
    """The whole report: masthead, summary, one section per theme, appendices."""
    title = (
        f"{content.area_name} District {content.plan_title} Annual Monitoring Report {content.year}"
    )
    sections = [
        _summary(content),
        *(_theme(theme, measures, content) for theme, measures in content.themes.items()),
        _findings_appendix(content) if content.edition == "internal" else "",
        _about_appendix(content, generated_at),
    ]
    body = [_masthead(content, title), contents(sections), *sections]
    style = page_style(title)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{style}</style>\n</head>\n"
        f"<body>\n<main>\n{''.join(body)}\n</main>\n</body>\n</html>\n"
    )


def page_style(title: str) -> str:
    """The report's styles, with printed pages footed by `title` and their numbers."""
    return PAGE_STYLE % {"title": _css_string(title)} + STYLE


def _css_string(text: str) -> str:
    """Text inside a CSS string: quotes and backslashes escaped, and no `<` that could end
    the style element."""
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ")


SECTION_HEADING = re.compile(r'<section class="[^"]*" id="(?P<id>[^"]+)"><h2>(?P<title>.*?)</h2>')
PAGE_NUMBER_SLOT = re.compile(r'<span class="page" data-section="(?P<id>[^"]+)">\d*</span>')


def contents(sections: list[str]) -> str:
    """The contents: every section's heading, linked to it, in the order printed. Taken from
    the sections themselves, so it lists exactly what the report holds. The page numbers
    are left empty until `number_contents` fills them."""
    entries = "".join(
        f'<li><a href="#{found["id"]}">{found["title"]}</a>'
        f'<span class="page" data-section="{found["id"]}"></span></li>'
        for section in sections
        if (found := SECTION_HEADING.search(section))
    )
    return f'<nav class="contents" id="contents"><h2>Contents</h2><ol>{entries}</ol></nav>'


def number_contents(page: str, section_pages: dict[str, int]) -> str:
    """The page with each contents entry's page number filled in from `section_pages` (the
    page each section id starts on, as printed)."""
    return PAGE_NUMBER_SLOT.sub(
        lambda slot: (
            f'<span class="page" data-section="{slot["id"]}">'
            f"{section_pages.get(slot['id'], '')}</span>"
        ),
        page,
    )


def _masthead(content: ReportContent, title: str) -> str:
    return (
        '<header class="masthead">'
        f'<p class="organisation">{escape(content.area_name)} District Council · Local '
        "Strategic Partnership</p>"
        f"<h1>{escape(title)}</h1>"
        f"<p>April {content.year_start.year} to March {content.year_end.year}. This report is "
        f"produced by {escape(content.area_name)} District Council on behalf of the "
        f"{escape(content.area_name)} District Local Strategic Partnership (LSP) using data and "
        "information provided by partners.</p>"
        + (
            '<p class="edition"><strong>Internal edition: with the data quality findings and '
            "the actions they ask of officers. Not for publication.</strong></p>"
            if content.edition == "internal"
            else ""
        )
        + "</header>"
    )


def _summary(content: ReportContent) -> str:
    overall = content.overall
    tiles = (
        '<div class="summary">'
        f'<div class="tile"><div class="big">{_percent(overall.percent_achieved)}</div>'
        '<div class="label">of key success measures achieved or on target</div></div>'
        f'<div class="tile missing"><div class="big">{_percent(overall.percent_missing)}</div>'
        '<div class="label">missing: information not received from partners</div></div>'
        f'<div class="tile"><div class="big">{overall.measures - overall.not_applicable}</div>'
        f'<div class="label">key success measures that apply in {escape(content.year)}</div>'
        "</div></div>"
    )
    sentences = "".join(f'<p class="lead">{escape(s)}</p>' for s in content.summary_sentences)
    rows = "".join(_counts_row(c) for c in content.theme_counts)
    table = (
        '<table class="counts-table"><thead><tr><th>Theme</th>'
        + "".join(
            f'<th class="number"><span class="status {STATUS_CLASS[s]}">{s}</span></th>'
            for s in STATUS_CLASS
        )
        + '<th class="number">Achieved or on target</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>"
    )
    return (
        '<section class="performance" id="performance"><h2>Our performance</h2>'
        f"{tiles}{sentences}<h3>Key success measures by theme</h3>{table}</section>"
    )


def _counts_row(counts: ThemeCounts) -> str:
    cells = (
        counts.achieved,
        counts.on_target,
        counts.not_achieved,
        counts.not_received,
        counts.not_applicable,
    )
    label = "All themes" if counts.theme == "All" else counts.theme
    strong = counts.theme == "All"
    name = f"<strong>{escape(label)}</strong>" if strong else escape(label)
    numbers = "".join(f'<td class="number">{n}</td>' for n in cells)
    return (
        f"<tr><td>{name}</td>{numbers}"
        f'<td class="number">{_percent(counts.percent_achieved)}</td></tr>'
    )


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f}%"


def _status(status: str) -> str:
    kind = STATUS_CLASS.get(status, "not-applicable")
    return f'<span class="status {kind}">{escape(status)}</span>'


def _direction(figure: MeasureFigure | None) -> str:
    """The direction of travel as the trends mart judges it, with an arrow for the raw
    change and the reason when the periods cannot be compared."""
    if figure is None or not figure.direction_of_travel:
        return "–"
    label = figure.direction_of_travel
    change = figure.figure.change
    arrow = "" if change is None else ("→ " if change == 0 else ("↑ " if change > 0 else "↓ "))
    text = label[:1].upper() + label[1:]
    if figure.figure.not_comparable_reason:
        text += f" ({figure.figure.not_comparable_reason})"
    return f'<span class="dot {escape(label.split()[0])}">{arrow}{escape(text)}</span>'


def _theme(theme: str, measures: list[KeySuccessMeasure], content: ReportContent) -> str:
    counts = next((c for c in content.theme_counts if c.theme == theme), None)
    line = ""
    if counts is not None:
        line = (
            f'<p class="counts">{counts.achieved + counts.on_target} of '
            f"{counts.measures - counts.not_applicable} key success measures achieved or on "
            f"target ({_percent(counts.percent_achieved)}).</p>"
        )
    rows = "".join(_measure_row(m) for m in measures)
    longest_ref = max((len(m.display_ref) for m in measures), default=4)
    ref_width = longest_ref * REF_CHARACTER_EM + REF_PADDING_EM
    table = (
        f'<table class="theme-table"><colgroup><col style="width:{ref_width:.1f}em"><col>'
        '<col style="width:15%"><col style="width:11%"><col style="width:10%">'
        '<col style="width:13%"><col style="width:14%"></colgroup>'
        "<thead><tr><th>Ref</th><th>Key success measure</th>"
        f'<th class="number">{escape(content.year)} figure</th><th class="number">Previous</th>'
        '<th class="number">Change</th><th>Direction of travel</th><th>Status</th></tr>'
        f"</thead><tbody>{rows}</tbody></table>"
    )
    cards = "".join(_measure_card(m, content) for m in measures)
    return (
        f'<section class="theme" id="{_anchor(theme)}"><h2>{escape(theme)}</h2>'
        f"{line}{table}{cards}</section>"
    )


def _anchor(text: str) -> str:
    return "".join(ch.lower() if ch.isalnum() else "-" for ch in text)


def _measure_row(measure: KeySuccessMeasure) -> str:
    figure = measure.headline
    if figure is None:
        value = previous = change = "–"
    else:
        shown = figure.figure
        value = f"{_figure_with_interval(figure)} <br><small>{escape(shown.period_id)}</small>"
        previous = (
            "–"
            if shown.previous_value is None
            else f"{wording.format_value(shown.previous_value, shown.unit)} "
            f"<br><small>{escape(shown.previous_period_id or '')}</small>"
        )
        change = _signed_change(figure)
    return (
        f'<tr><td class="ref"><strong>{escape(measure.display_ref)}</strong></td>'
        f"<td>{escape(measure.text)}</td>"
        f'<td class="number">{value}</td><td class="number">{previous}</td>'
        f'<td class="number">{change}</td><td>{_direction(figure)}</td>'
        f"<td>{_status(measure.status)}</td></tr>"
    )


def _figure_with_interval(figure: MeasureFigure) -> str:
    """`7,056 (95% CI 6,892–7,223)` on two lines to fit the column, the limits kept together;
    a withheld figure carries its note (why it was withheld) where the interval would be."""
    shown = figure.figure
    value = wording.format_value(shown.value, shown.unit)
    interval = wording.format_interval(shown)
    if interval:
        label, limits = interval.rsplit(" ", 1)
        return (
            f'{value} <br><small class="interval">({escape(label)} '
            f'<span class="nowrap">{escape(limits)}</span>)</small>'
        )
    if shown.is_withheld and figure.value_note:
        return f'{value} <br><small class="interval">{escape(figure.value_note)}</small>'
    return value


def _signed_change(figure: MeasureFigure) -> str:
    shown = figure.figure
    if shown.change is None:
        return "–"
    sign = "+" if shown.change > 0 else ("−" if shown.change < 0 else "")
    size = (
        f"{abs(shown.change):,.1f} pts"
        if shown.unit == "percent"
        else wording.format_value(abs(shown.change), shown.unit)
    )
    percent = (
        f"<br><small>{sign}{abs(shown.percent_change):.1f}%</small>"
        if shown.percent_change is not None and shown.unit == "count"
        else ""
    )
    return f"{sign}{size}{percent}"


def _measure_card(measure: KeySuccessMeasure, content: ReportContent) -> str:
    area_name = content.area_name
    partner = (
        f'<p class="partner">Lead partner: {escape(measure.lead_partner)}</p>'
        if measure.lead_partner
        else ""
    )
    paragraphs = "".join(_figure_paragraph(f) for f in measure.figures)
    if not measure.figures and measure.status == "Information not received":
        paragraphs = (
            f"<p>{escape(measure.lead_partner or 'The lead partner')} did not send the "
            f"information for this measure by the time of publication.</p>"
        )
    commentary = (
        '<div class="commentary"><span class="who">Partner commentary</span>'
        f"{escape(measure.commentary)}</div>"
        if measure.commentary
        else ""
    )
    judged_html = _judged(measure, area_name)
    notes = _quality_notes(measure.quality_notes, internal=content.edition == "internal")
    chart_html = _charts(measure)
    return (
        f'<article class="measure" id="{_anchor(measure.ref)}">'
        f'<h3><span><span class="ref">{escape(measure.display_ref)}.</span> '
        f"{escape(measure.text)}</span>{_status(measure.status)}</h3>"
        f"{partner}{paragraphs}{commentary}{judged_html}{notes}{chart_html}</article>"
    )


RULE_WORDS = {
    "threshold": "the figure against the target",
    "rank in county": "{area} place among the Kent districts",
    "direction": "the change on the previous period",
    "partner's qualitative status": "the lead partner's assessment",
    "return not received": "whether the partner's return arrived",
}


def _judged(measure: KeySuccessMeasure, area_name: str) -> str:
    """The target, the rule measure_status used and the periods not received."""
    parts = []
    if measure.target_text:
        parts.append(f"Target: {measure.target_text.rstrip('.')}.")
    if measure.status_rule:
        rule = RULE_WORDS.get(measure.status_rule, measure.status_rule).format(
            area=wording.possessive(area_name)
        )
        parts.append(f"Status judged by {rule}.")
    if measure.periods_not_received:
        parts.append(f"Not received: {measure.periods_not_received}.")
    return f'<p class="judged">{escape(" ".join(parts))}</p>' if parts else ""


def _figure_paragraph(figure: MeasureFigure) -> str:
    text = " ".join(escape(s) for s in figure.sentences)
    if figure.value_note:
        text += f" <em>Note: {escape(_sentence(figure.value_note))}</em>"
    if figure.kind_caveat:
        text += f" <em>{escape(figure.kind_caveat)}</em>"
    if figure.direction_of_travel and figure.direction_of_travel != "not comparable":
        text += f' <span class="travel">Direction of travel: {_direction(figure)}</span>'
    return f"<p>{text}</p>"


def _sentence(text: str) -> str:
    """A note as a sentence: ending in a full stop, so the next one does not run on."""
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else f"{text}."


def _quality_notes(findings: list[QualityFinding], internal: bool) -> str:
    """Beside the figures: the public edition's plain-language caveats (each said once), or
    the internal edition's findings as the checks wrote them."""
    if not findings:
        return ""
    if internal:
        items = "".join(
            f"<li>{escape(f.statement)} <small>({escape(f.partner or f.return_name or 'warehouse')}"
            f", {escape(f.period_id or '')})</small></li>"
            for f in findings
        )
        return f'<div class="notes"><strong>Data quality notes</strong><ul>{items}</ul></div>'
    caveats = list(dict.fromkeys(f.caveat for f in findings))
    items = "".join(f"<li>{escape(c)}</li>" for c in caveats)
    return f'<div class="notes"><strong>About these figures</strong><ul>{items}</ul></div>'


def _charts(measure: KeySuccessMeasure) -> str:
    figures = []
    for figure in measure.figures:
        points = [p for p in figure.trend if p.value is not None]
        if figure.unit in wording.RANKED_NOUN and len(points) >= 2:
            title = f"{figure.measure_name}: {figure.area_name}"
            chart = charts.trend_chart(title, figure.unit, points)
            figures.append(
                _figure(
                    charts.to_inline_svg(chart, f"Trend: {title}"),
                    f"{figure.measure_name}, {figure.area_name} District, "
                    f"{points[0].period_id} to {points[-1].period_id}.",
                    "trend",
                )
            )
        if figure.districts:
            period = figure.figure.period_id
            title = f"{figure.measure_name}: Kent districts, {period}"
            chart = charts.districts_chart(title, figure.unit, figure.districts, figure.area_code)
            figures.append(
                _figure(
                    charts.to_inline_svg(chart, title),
                    f"{_districts_shown(figure)} in {period}; {figure.area_name} highlighted.",
                    "districts",
                )
            )
    if not figures:
        return ""
    return f'<div class="charts">{"".join(figures)}</div>'


def _districts_shown(figure: MeasureFigure) -> str:
    """`The 12 Kent districts`, or `The 4 Kent districts with a figure` when fewer have one."""
    shown = len(figure.districts)
    in_county = figure.ranking.districts_in_county if figure.ranking else shown
    return f"The {shown} Kent districts" + (" with a figure" if shown < in_county else "")


def _figure(svg: str, caption: str, kind: str) -> str:
    return f'<figure class="chart-{kind}">{svg}<figcaption>{escape(caption)}</figcaption></figure>'


def _findings_appendix(content: ReportContent) -> str:
    if content.findings:
        rows = "".join(
            "<tr>"
            f'<td class="severity">{escape(f.severity or "")}</td>'
            f"<td>{escape(f.partner or f.return_name or '')}</td>"
            f"<td>{escape(f.measure_name or f.measure_id or '')}</td>"
            f"<td>{escape(f.area_name or f.area_code or '')}</td>"
            f"<td>{escape(f.period_id or '')}</td>"
            f"<td>{escape(f.statement)}<br><small>{escape(f.check_name)}"
            f"{_observed(f)}{_explanation(f)}</small></td>"
            f"<td>{escape(f.status or '')}</td>"
            f"<td>{escape(f.action)}</td>"
            "</tr>"
            for f in content.findings
        )
        table = (
            "<table><thead><tr><th>Severity</th><th>Partner</th><th>Measure</th>"
            "<th>Area</th><th>Period</th><th>Finding</th><th>Status</th><th>Action</th>"
            "</tr></thead>"
            f"<tbody>{rows}</tbody></table>"
        )
    else:
        table = f"<p>The quality checks found nothing to report for {escape(content.year)}.</p>"
    return (
        '<section class="appendix" id="quality-findings">'
        f"<h2>Appendix A: data quality findings for {escape(content.year)}</h2>"
        "<p>Internal edition: not for publication. Every finding of the warehouse's quality "
        "checks about a period of the report year: "
        "returns missing or late, values outside their expected range and figures built from "
        f"part of a period. {len(content.findings)} finding"
        f"{'' if len(content.findings) == 1 else 's'}.</p>"
        f"{table}</section>"
    )


def _observed(finding: QualityFinding) -> str:
    parts = []
    if finding.observed:
        parts.append(f"observed {escape(finding.observed)}")
    if finding.expected:
        parts.append(f"expected {escape(finding.expected)}")
    return f" · {'; '.join(parts)}" if parts else ""


def _explanation(finding: QualityFinding) -> str:
    return f" · explained: {escape(finding.explanation)}" if finding.explanation else ""


def _about_appendix(content: ReportContent, generated_at: datetime) -> str:
    key = "".join(
        f"<tr><td>{_status(status)}</td><td>{escape(meaning)}</td></tr>"
        for status, meaning in (
            ("Achieved", "The key success measure's target was met in the year."),
            ("On target", "Progress is where it should be to meet the target by its date."),
            ("Not achieved", "The target was not met."),
            (
                "Information not received",
                "The partner did not send the return the measure needs in time.",
            ),
            ("Not applicable", "The measure does not apply in this year of the plan."),
        )
    )
    uncertainty = "".join(
        f"<p>{escape(line)}</p>"
        for line in wording.uncertainty_explanation(
            content.interval_methods, content.significance_tests
        )
    )
    rules = "".join(
        "<tr><td>"
        + escape(rule.measure_name)
        + "</td>"
        + "".join(f"<td>{escape(cell)}</td>" for cell in rule.cells)
        + "</tr>"
        for rule in content.method_rules
    )
    method = (
        "<h3>How each figure is treated</h3>"
        "<p>Each measure's kind of figure, the period it refers to, whether it is compared "
        "with the year before, its interval and its disclosure rule, from the measure "
        "catalogue. A share of tonnes or of a plan's own actions has no interval or test: "
        "neither is a sample of independent events. A running total is not compared with the "
        "year before. Counts of people below the disclosure minimum are withheld, the same "
        "rule for every such measure.</p>"
        '<table class="method"><thead><tr><th>Measure</th><th>Kind</th><th>Period</th>'
        "<th>Year on year</th><th>Interval</th><th>Disclosure</th></tr></thead>"
        f"<tbody>{rules}</tbody></table>"
    )
    return (
        '<section class="appendix" id="about">'
        f"<h2>Appendix {'B' if content.edition == 'internal' else 'A'}: about this report</h2>"
        "<p>Every figure, change, rank and status in this report is read from the published "
        f"{escape(content.area_name)} wellbeing warehouse, which is built from the returns "
        "partners send and is "
        "only published when its blocking quality checks pass. Sentences are generated from "
        "the same figures, so the words and the tables always agree.</p>"
        "<p>Direction of travel compares the figure with the same period a year earlier. A "
        "change is improving or worsening, judged by whether a higher or a lower figure is "
        "better, when it is statistically significant at 95%; otherwise it is no significant "
        "change. Where no test applies (shares of tonnes or of a plan's actions, amounts of "
        "money, too few people for a test) the arrow gives the direction and the report says "
        "not tested rather than judging it. Not comparable says why: an incomplete period, a "
        "changed definition, a running total or a figure withheld for small numbers. Ranks "
        "compare the 12 Kent districts, and the arrow shows whether the figure went up or down.</p>"
        f"{uncertainty}{method}"
        f'<table class="key"><thead><tr><th>Status</th><th>Meaning</th></tr></thead>'
        f"<tbody>{key}</tbody></table>"
        "<footer>"
        f"Warehouse published {content.published_at:%d %B %Y at %H:%M}. "
        f"Report generated {generated_at:%d %B %Y at %H:%M}. "
        "Sevenoaks District Council, Council Offices, Argyle Road, Sevenoaks TN13 1HG. "
        "This publication is available in large print and can be explained in other "
        "languages by calling 01732 227000."
        "</footer></section>"
    )
