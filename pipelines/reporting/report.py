"""Generate the annual monitoring report for a plan and year from the published warehouse.

`build_report` is what `wellbeing report` calls: it reads the marts once, writes the HTML,
and for a PDF prints that HTML with Chromium when one is installed or draws the pages with
matplotlib when not, and says which it used.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pipelines.reporting import content, html, pdf, priorities, published

FORMATS = ("html", "pdf")
SUFFIX_FORMATS = {".html": "html", ".htm": "html", ".pdf": "pdf"}


@dataclass(frozen=True)
class ReportFile:
    path: Path
    renderer: str
    content: content.ReportContent | priorities.PrioritiesReport


def default_file_name(plan: str, year: str, fmt: str, edition: str = "public") -> str:
    """`community_plan_2019_22-2021-22.html` (the year's slash cannot be in a file name);
    the internal edition's name says so, so it is not sent out by mistake."""
    suffix = "" if edition == "public" else f"-{edition}"
    return f"{plan}-{year.replace('/', '-')}{suffix}.{fmt}"


def output_format(fmt: str | None, output: Path | None) -> str:
    """The format asked for, or else the one the output file's name ends in, or else HTML.

    `--output x.pdf` alone writes a PDF. A format that contradicts the file's suffix
    (`--format html --output x.pdf`) is refused rather than writing HTML into a .pdf file.
    """
    if fmt is not None and fmt not in FORMATS:
        raise content.ReportRequestError(f"Unknown format {fmt!r}: choose html or pdf.")
    is_file = output is not None and bool(output.suffix) and not output.is_dir()
    suffix = output.suffix.lower() if is_file else ""
    from_suffix = SUFFIX_FORMATS.get(suffix)
    if is_file and from_suffix is None and fmt is None:
        raise content.ReportRequestError(
            f"Cannot tell the format from {output.name!r}: name the file .html or .pdf, "
            "or give --format."
        )
    if fmt is not None and from_suffix is not None and fmt != from_suffix:
        raise content.ReportRequestError(
            f"--format {fmt} contradicts the output file {output.name!r}, which is named "
            f"as {from_suffix.upper()}: change one of them."
        )
    return fmt or from_suffix or "html"


def build_report(
    plan: str,
    year: str | None,
    fmt: str | None = None,
    output: Path | None = None,
    warehouse: Path | None = None,
    progress: Callable[[str], None] | None = None,
    edition: str = "public",
) -> ReportFile:
    """Write the report and return where, with the renderer used (`html`, `chromium` or
    `matplotlib`). Without `fmt`, the format is the output file's suffix (HTML when
    there is none)."""
    fmt = output_format(fmt, output)
    step = progress or (lambda _message: None)
    step("Reading the published marts")
    with published.connect(warehouse) as con:
        when = published.published_at(con, warehouse)
        by_priority = plan in priorities.plans_by_priority(con)
        if year is None:
            year = (
                priorities.latest_year(con, plan) if by_priority else content.latest_year(con, plan)
            )
        destination = _destination(output, plan, year, fmt, edition)
        report = (
            priorities.load(con, plan, year, when)
            if by_priority
            else content.load_report(con, plan, year, when, edition)
        )
    step("Drawing the charts and writing the HTML")
    page = (
        priorities.render(report, generated_at=datetime.now())
        if isinstance(report, priorities.PrioritiesReport)
        else html.render(report, generated_at=datetime.now())
    )
    destination.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "html":
        destination.write_text(page, encoding="utf-8")
        return ReportFile(destination, "html", report)
    chromium = pdf.find_chromium()
    if chromium is None and isinstance(report, priorities.PrioritiesReport):
        raise content.ReportRequestError(
            "The priorities report is printed to PDF by Chromium, which is not installed: "
            "write it as HTML (--format html)."
        )
    if chromium is None:
        step("No Chromium installed: drawing the PDF with matplotlib")
        pdf.write_pdf_pages(report, destination)
        return ReportFile(destination, "matplotlib", report)
    step("Printing the PDF with Chromium")
    pdf.print_report(chromium, page, destination)
    return ReportFile(destination, "chromium", report)


def _destination(output: Path | None, plan: str, year: str, fmt: str, edition: str) -> Path:
    name = default_file_name(plan, year, fmt, edition)
    if output is None:
        return (Path.cwd() / "reports" / name).resolve()
    if output.is_dir() or not output.suffix:
        return (output / name).resolve()
    return output.resolve()
