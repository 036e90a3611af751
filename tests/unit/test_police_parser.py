"""The police parser reads the real data.police.uk format unchanged and refuses broken
files with a message naming the file, row and column."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from pipelines.returns import ParseError, PartnerFile
from pipelines.returns.police_street import RETURN
from sample_data.formats import POLICE_STREET_HEADER

GOOD_ROWS = [
    ",".join(POLICE_STREET_HEADER),
    "abc,2019-04,Kent Police,Kent Police,0.18,51.38,On or near Wested Lane,E01024473,"
    "Sevenoaks 003B,Burglary,Under investigation,",
    ",2019-04,Kent Police,Kent Police,,,No Location,,,Anti-social behaviour,,",
]


def write(path: Path, lines: list[str]) -> PartnerFile:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n")
    return PartnerFile(path, path.name)


def test_real_excerpt_loads_unchanged(shared_dir: Path) -> None:
    real = shared_dir / "real" / "police" / "2019-01-kent-street.excerpt.csv"
    expected_rows = real.read_text().count("\n") - 1
    parsed = RETURN.parse(PartnerFile(real, real.name))
    assert parsed.period == "2019-01"
    assert parsed.rows.height == expected_rows
    assert parsed.rows["source_row"].to_list()[:2] == [2, 3]
    assert set(parsed.rows["lsoa_name"].str.slice(0, 9).to_list()) == {"Sevenoaks"}
    first = parsed.rows.row(0, named=True)
    assert first["longitude"] == pytest.approx(0.188728)
    assert first["crime_type"] == "Criminal damage and arson"


def test_no_location_rows_are_kept(tmp_path: Path) -> None:
    parsed = RETURN.parse(write(tmp_path / "2019-04-kent-street.csv", GOOD_ROWS))
    assert parsed.rows.height == 2
    no_location = parsed.rows.row(1, named=True)
    assert no_location["longitude"] is None
    assert no_location["lsoa_code"] is None or no_location["lsoa_code"] == ""


def test_zip_member_is_read(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("2019-04/2019-04-kent-street.csv", "\n".join(GOOD_ROWS) + "\n")
        archive.writestr("2019-04/2019-04-kent-outcomes.csv", "Crime ID\n")
    path = tmp_path / "police" / "2019-04.zip"
    path.parent.mkdir()
    path.write_bytes(buffer.getvalue())
    parsed = RETURN.parse(PartnerFile(path, "police/2019-04.zip"))
    assert parsed.period == "2019-04"
    assert parsed.source_file == "police/2019-04.zip!2019-04/2019-04-kent-street.csv"


@pytest.mark.parametrize(
    ("lines", "row", "column", "words"),
    [
        ([GOOD_ROWS[0].replace("Month", "Period"), *GOOD_ROWS[1:]], 1, "Month", "missing"),
        ([line.replace(",", ";") for line in GOOD_ROWS], 1, None, "delimiter"),
        ([*GOOD_ROWS, GOOD_ROWS[2].replace("2019-04", "2019-13")], 4, "Month", "not a month"),
        ([*GOOD_ROWS, GOOD_ROWS[2].replace("2019-04", "2019-05")], 4, "Month", "differs"),
        ([GOOD_ROWS[0], GOOD_ROWS[1].replace("0.18", "east")], 2, "Longitude", "not a number"),
    ],
    ids=["renamed column", "wrong delimiter", "unparsable month", "other month", "bad coordinate"],
)
def test_broken_files_name_file_row_and_column(tmp_path, lines, row, column, words) -> None:
    partner_file = write(tmp_path / "2019-04-kent-street.csv", lines)
    with pytest.raises(ParseError) as caught:
        RETURN.parse(partner_file)
    error = caught.value
    assert error.row == row
    assert error.column == column
    assert words in error.problem
    assert error.describe().startswith("2019-04-kent-street.csv, row ")
