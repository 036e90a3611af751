"""Pictures of the monitoring report's first pages, kept in docs/ so a reader sees what the
printed report looks like without generating it.

`python -m pipelines.reporting.first_pages docs` (`make report-pages`) prints the report of
the plan's last year from the publication with Chromium, in each edition (public and
internal), and draws each one's first pages side by side into a PNG. The pages are drawn
from the PDF itself (pypdfium2), so the picture is what a council would print, page
numbers included.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import pypdfium2
from PIL import Image

from pipelines.reporting import pdf
from pipelines.reporting.report import build_report

PLAN = "community_plan_2019_22"
YEAR = "2021/22"
EDITIONS = ("public", "internal")
PAGES = 2
SCALE = 1.0
"""Pixels per PDF point: an A4 page is 595 by 842 pixels."""
GAP = 16


def first_pages_png(pdf_path: Path, png_path: Path, pages: int = PAGES) -> Path:
    """The PDF's first `pages` pages side by side, with a grey gap between, as a PNG."""
    document = pypdfium2.PdfDocument(str(pdf_path))
    try:
        shown = [
            document[index].render(scale=SCALE).to_pil()
            for index in range(min(pages, len(document)))
        ]
    finally:
        document.close()
    width = sum(page.width for page in shown) + GAP * (len(shown) + 1)
    height = max(page.height for page in shown) + 2 * GAP
    picture = Image.new("RGB", (width, height), "#c9d1d4")
    left = GAP
    for page in shown:
        picture.paste(page, (left, GAP))
        left += page.width + GAP
    png_path.parent.mkdir(parents=True, exist_ok=True)
    picture.save(png_path, optimize=True)
    return png_path


def write_docs_pictures(folder: Path, warehouse: Path | None = None) -> list[Path]:
    """The first pages of each edition of the report from the publication, as
    `report_<edition>_first_pages.png` in `folder`."""
    if pdf.find_chromium() is None:
        raise SystemExit("Chromium is not installed: `apt-get install chromium` first.")
    written = []
    with tempfile.TemporaryDirectory(prefix="wellbeing-pages-") as scratch:
        for edition in EDITIONS:
            printed = build_report(
                PLAN, YEAR, "pdf", Path(scratch), warehouse=warehouse, edition=edition
            )
            picture = folder / f"report_{edition}_first_pages.png"
            written.append(first_pages_png(printed.path, picture))
    return written


if __name__ == "__main__":
    for written in write_docs_pictures(Path(sys.argv[1] if len(sys.argv) > 1 else "docs")):
        print(f"Wrote {written}.")
