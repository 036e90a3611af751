"""`wellbeing report` takes the format from the output file's name when --format is not
given, and refuses a format that contradicts it (it once wrote HTML into x.pdf)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.reporting.content import ReportRequestError
from pipelines.reporting.report import output_format


@pytest.mark.parametrize(
    ("fmt", "output", "expected"),
    [
        (None, "report.pdf", "pdf"),
        (None, "Report.PDF", "pdf"),
        (None, "report.html", "html"),
        (None, "report.htm", "html"),
        (None, None, "html"),
        (None, "reports", "html"),
        ("pdf", "reports", "pdf"),
        ("pdf", "report.pdf", "pdf"),
        ("pdf", None, "pdf"),
    ],
)
def test_format_comes_from_the_option_or_the_file_name(fmt, output, expected) -> None:
    assert output_format(fmt, Path(output) if output else None) == expected


def test_a_folder_with_a_dot_in_its_name_is_still_a_folder(tmp_path) -> None:
    folder = tmp_path / "reports.2021"
    folder.mkdir()
    assert output_format(None, folder) == "html"


def test_a_format_contradicting_the_file_name_is_refused() -> None:
    with pytest.raises(ReportRequestError, match=r"--format html contradicts .*report\.pdf"):
        output_format("html", Path("report.pdf"))


def test_a_file_name_with_no_report_format_asks_for_one() -> None:
    with pytest.raises(ReportRequestError, match=r"report\.docx"):
        output_format(None, Path("report.docx"))
