"""The report as a PDF: Chromium prints the HTML when it is installed, otherwise matplotlib
draws the same tables and charts onto A4 pages, so a PDF never needs a browser installed.

Chromium prints twice: the first print says on which page each section starts (Chromium
writes a named destination for every section the contents link to, read here with
pypdfium2), and the second prints the contents with those page numbers. The numbers only
change text on the contents page, which has a page to itself, so nothing moves between the
two prints.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import subprocess
import tempfile
import textwrap
from pathlib import Path

import matplotlib
import pypdfium2
import pypdfium2.raw as pdfium

matplotlib.use("Agg")

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from pipelines.reporting import charts, html, wording
from pipelines.reporting.content import ReportContent

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHROMIUM_ENV = "WELLBEING_CHROMIUM"
A4_INCHES = (8.27, 11.69)


class PdfError(RuntimeError):
    """Chromium was found but could not print the report."""


def find_chromium() -> str | None:
    """A headless-capable Chromium: WELLBEING_CHROMIUM if set (empty disables it), else the
    first of the usual names on PATH."""
    if CHROMIUM_ENV in os.environ:
        return os.environ[CHROMIUM_ENV] or None
    return next((found for name in CHROMIUM_NAMES if (found := shutil.which(name))), None)


def print_with_chromium(chromium: str, html_path: Path, pdf_path: Path) -> None:
    """Print the HTML file to PDF with headless Chromium, offline and with a throwaway profile."""
    with tempfile.TemporaryDirectory(prefix="wellbeing-chromium-") as profile:
        completed = subprocess.run(
            [
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-pdf-header-footer",
                f"--user-data-dir={profile}",
                f"--print-to-pdf={pdf_path}",
                html_path.resolve().as_uri(),
            ],
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
    if completed.returncode != 0 or not pdf_path.is_file() or pdf_path.stat().st_size == 0:
        raise PdfError(
            f"Chromium ({chromium}) could not print the report: "
            f"{completed.stderr.strip()[-500:] or 'no output'}"
        )


def print_report(chromium: str, page: str, pdf_path: Path) -> None:
    """Print the report's HTML to `pdf_path`, its contents numbered with the pages Chromium
    put each section on."""
    with tempfile.TemporaryDirectory(prefix="wellbeing-report-") as scratch:
        page_file = Path(scratch) / "report.html"
        page_file.write_text(page, encoding="utf-8")
        print_with_chromium(chromium, page_file, pdf_path)
        numbered = html.number_contents(page, section_pages(pdf_path))
        if numbered != page:
            page_file.write_text(numbered, encoding="utf-8")
            print_with_chromium(chromium, page_file, pdf_path)


def section_pages(pdf_path: Path) -> dict[str, int]:
    """The page (counted from 1) each linked-to element starts on, by its id, from the
    named destinations Chromium writes into the PDF."""
    document = pypdfium2.PdfDocument(str(pdf_path))
    try:
        pages = {}
        for index in range(pdfium.FPDF_CountNamedDests(document.raw)):
            size = ctypes.c_long(0)
            pdfium.FPDF_GetNamedDest(document.raw, index, None, ctypes.byref(size))
            name = ctypes.create_string_buffer(size.value)
            destination = pdfium.FPDF_GetNamedDest(document.raw, index, name, ctypes.byref(size))
            if destination:
                text = name.raw[: size.value].decode("utf-16-le").rstrip("\x00")
                pages[text] = pdfium.FPDFDest_GetDestPageIndex(document.raw, destination) + 1
        return pages
    finally:
        document.close()


def write_pdf_pages(content: ReportContent, pdf_path: Path) -> None:
    """The report drawn with matplotlib alone: summary, each measure's figures with their
    intervals, sentences, status and charts, the quality findings and how to read the
    intervals and significance, when no Chromium is installed."""
    with PdfPages(pdf_path) as pdf:
        page = _Page(pdf)
        page.heading(
            f"{content.area_name} District {content.plan_title} Annual Monitoring Report "
            f"{content.year}",
            size=16,
        )
        for sentence in content.summary_sentences:
            page.paragraph(sentence)
        page.gap()
        for counts in content.theme_counts:
            label = "All themes" if counts.theme == "All" else counts.theme
            page.line(
                f"{label}: {counts.achieved} achieved, {counts.on_target} on target, "
                f"{counts.not_achieved} not achieved, {counts.not_received} not received "
                f"({_percent(counts.percent_achieved)} achieved or on target)"
            )
        for theme, measures in content.themes.items():
            page.new_page()
            page.heading(theme, size=14)
            for measure in measures:
                page.gap()
                page.heading(f"{measure.display_ref}. {measure.text}", size=10.5)
                page.line(f"Status: {measure.status}", bold=True)
                for figure in measure.figures:
                    page.line(
                        f"{figure.figure.period_id}: {wording.value_with_interval(figure.figure)}"
                        + (
                            f" ({figure.value_note})"
                            if figure.figure.is_withheld and figure.value_note
                            else ""
                        )
                    )
                    page.paragraph(" ".join(figure.sentences))
                    if figure.direction_of_travel:
                        page.line(f"Direction of travel: {figure.direction_of_travel}")
                if measure.commentary:
                    page.paragraph(f"Partner commentary: {measure.commentary}")
                internal = content.edition == "internal"
                for note in dict.fromkeys(
                    f"Data quality note: {n.statement}" if internal else n.caveat
                    for n in measure.quality_notes
                ):
                    page.paragraph(note)
                for figure in measure.figures:
                    points = [p for p in figure.trend if p.value is not None]
                    if figure.unit in wording.RANKED_NOUN and len(points) >= 2:
                        page.chart(
                            charts.trend_chart(
                                f"{figure.measure_name}: {figure.area_name}", figure.unit, points
                            )
                        )
                    if figure.districts:
                        page.chart(
                            charts.districts_chart(
                                f"{figure.measure_name}: Kent districts, {figure.figure.period_id}",
                                figure.unit,
                                figure.districts,
                                figure.area_code,
                            )
                        )
        if content.edition == "internal":
            _findings_pages(page, content)
        page.gap()
        page.heading("Reading the intervals and significance", size=11)
        for line in wording.uncertainty_explanation(
            content.interval_methods, content.significance_tests
        ):
            page.paragraph(line)
        page.gap()
        page.line(f"Warehouse published {content.published_at:%d %B %Y at %H:%M}.")
        page.finish()


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f}%"


class _Page:
    """A cursor down A4 pages: text lines and charts flow onto the next page when full.
    The pages are kept until `finish`, which numbers them "Page n of N" as the Chromium
    print does."""

    MARGIN = 0.07
    LINE = 0.017
    DPI = 150

    def __init__(self, pdf: PdfPages) -> None:
        self.pdf = pdf
        self.figure: Figure | None = None
        self.pages: list[Figure] = []
        self.y = 1.0

    def new_page(self) -> None:
        self.figure = Figure(figsize=A4_INCHES, dpi=self.DPI)
        self.pages.append(self.figure)
        self.y = 1 - self.MARGIN

    def _room(self, height: float) -> Figure:
        if self.figure is None or self.y - height < self.MARGIN:
            self.new_page()
        assert self.figure is not None
        return self.figure

    def heading(self, text: str, size: float) -> None:
        for line in textwrap.wrap(text, width=int(780 / size)):
            height = self.LINE * size / 9
            figure = self._room(height)
            figure.text(
                self.MARGIN,
                self.y,
                line,
                fontsize=size,
                fontweight="bold",
                color=charts.ACCENT,
                va="top",
            )
            self.y -= height * 1.2

    def line(self, text: str, bold: bool = False) -> None:
        figure = self._room(self.LINE)
        figure.text(
            self.MARGIN,
            self.y,
            text,
            fontsize=8.5,
            va="top",
            fontweight="bold" if bold else "normal",
            color=charts.INK,
        )
        self.y -= self.LINE

    def paragraph(self, text: str) -> None:
        for line in textwrap.wrap(text, width=115) or [""]:
            self.line(line)
        self.y -= self.LINE * 0.4

    def gap(self) -> None:
        self.y -= self.LINE

    def chart(self, chart: Figure) -> None:
        share_h = chart.get_size_inches()[1] / A4_INCHES[1]
        figure = self._room(share_h)
        # figimage places pixels one to one, so the chart is drawn at the page's resolution.
        chart.set_dpi(self.DPI)
        canvas = FigureCanvasAgg(chart)
        canvas.draw()
        figure.figimage(
            canvas.buffer_rgba(),
            xo=self.MARGIN * A4_INCHES[0] * self.DPI,
            yo=(self.y - share_h) * A4_INCHES[1] * self.DPI,
            origin="upper",
        )
        self.y -= share_h + self.LINE * 0.5

    def finish(self) -> None:
        for number, page in enumerate(self.pages, start=1):
            page.text(
                1 - self.MARGIN,
                self.MARGIN / 2,
                f"Page {number} of {len(self.pages)}",
                ha="right",
                fontsize=7.5,
                color=charts.INK,
            )
            self.pdf.savefig(page)


def _findings_pages(page: _Page, content: ReportContent) -> None:
    """The internal edition's findings appendix: each finding with its action."""
    page.new_page()
    page.heading(f"Appendix A: data quality findings for {content.year}", size=14)
    if not content.findings:
        page.paragraph("The quality checks found nothing to report for this year.")
    for finding in content.findings:
        page.paragraph(
            f"[{finding.severity or ''}] {finding.partner or finding.return_name or ''} · "
            f"{finding.measure_name or finding.measure_id or ''} · "
            f"{finding.area_name or finding.area_code or ''} · "
            f"{finding.period_id or ''}: {finding.statement} ({finding.status or ''}) "
            f"Action: {finding.action}"
        )
