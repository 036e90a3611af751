"""The docs' picture of the report's first pages: the PDF's first pages side by side, drawn
from the PDF itself, on a PDF made here with matplotlib."""

from __future__ import annotations

from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from PIL import Image

from pipelines.reporting.first_pages import first_pages_png

A4_INCHES = (8.27, 11.69)
COLOURS = ("#ff0000", "#00ff00", "#0000ff")


def test_the_first_two_pages_are_drawn_side_by_side(tmp_path) -> None:
    document = tmp_path / "report.pdf"
    with PdfPages(document) as pages:
        for colour in COLOURS:
            pages.savefig(Figure(figsize=A4_INCHES, facecolor=colour))
    picture = Image.open(first_pages_png(document, tmp_path / "first.png", pages=2))
    page_width, page_height = round(A4_INCHES[0] * 72), round(A4_INCHES[1] * 72)
    assert picture.width > 2 * page_width and picture.width < 3 * page_width
    assert picture.height > page_height
    middle = picture.height // 2
    left = picture.getpixel((picture.width // 4, middle))
    right = picture.getpixel((3 * picture.width // 4, middle))
    assert (left, right) == ((255, 0, 0), (0, 255, 0))
