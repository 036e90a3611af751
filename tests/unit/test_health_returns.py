"""Health returns: the real Fingertips export loads unchanged, the synthetic One You and care
navigation returns add up to the published Sevenoaks figures, and broken files are
quarantined with a message naming the file, row and column. tests/dbt/test_health_models.py
builds them.

Files are counted and summed with DuckDB's own CSV reader, not the parsers, so that a fault
in a parser cannot be hidden by the same fault in the check.
"""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest

from pipelines.ingest import ingest_return
from pipelines.returns import ParseError, PartnerFile
from pipelines.returns import health_care_navigation as care_navigation
from pipelines.returns import health_fingertips as fingertips
from pipelines.returns import health_one_you as one_you
from sample_data.health import PUBLISHED_SEVENOAKS_FIGURES, write_sample

HEALTH_RETURNS = (fingertips.RETURN, one_you.RETURN, care_navigation.RETURN)
SUPPRESSED = "Value suppressed for disclosure control due to small count"
SEVENOAKS = "E07000111"


def real_export(shared_dir: Path) -> Path:
    return shared_dir / "real" / "health" / "indicators-CountyUA.data.csv"


def csv_records(path: Path) -> int:
    """Data records in a CSV, counted by DuckDB (short rows padded, quoted newlines kept)."""
    return duckdb.sql(
        f"select count(*) from read_csv('{path}', all_varchar = true, "
        "null_padding = true, parallel = false)"
    ).fetchone()[0]


@pytest.fixture(scope="module")
def sample_raw(tmp_path_factory: pytest.TempPathFactory) -> Path:
    raw = tmp_path_factory.mktemp("raw")
    write_sample(raw)
    return raw


# --- the real Fingertips export ----------------------------------------------------------


def test_real_fingertips_export_loads_every_record(shared_dir: Path) -> None:
    path = real_export(shared_dir)
    parsed = fingertips.RETURN.parse(PartnerFile(path, "health/fingertips/" + path.name))
    rows = parsed.rows
    assert rows.height == csv_records(path) == 852
    assert parsed.period == "County & UA: indicator 93356"
    assert set(rows["area_type"].unique()) == {"Country", "Region", "County & UA"}
    assert set(rows["age"].unique()) == {"All ages", "0-9 yrs"}
    assert rows["category"].drop_nulls().n_unique() == 10


def test_real_export_short_rows_are_padded(shared_dir: Path) -> None:
    path = real_export(shared_dir)
    with path.open(newline="", encoding="utf-8-sig") as handle:
        header, *records = csv.reader(handle)
    assert len(header) == 26
    assert {len(record) for record in records} == {25}
    rows = fingertips.RETURN.parse(PartnerFile(path, path.name)).rows
    assert rows["compared_to_goal"].null_count() == rows.height
    assert rows["time_period_range"].null_count() == rows.height


def test_real_export_rows_are_numbered_by_record_not_line(shared_dir: Path) -> None:
    """Every indicator name ends in a newline inside quotes: a record spans two lines."""
    path = real_export(shared_dir)
    rows = fingertips.RETURN.parse(PartnerFile(path, path.name)).rows
    assert rows["indicator_name"][0] == "Campylobacter incidence rate/100,000\n"
    assert rows["source_row"].to_list() == list(range(2, 854))
    assert rows["source_line"].to_list()[:3] == [2, 4, 6]
    assert rows["source_line"][-1] == path.read_bytes().count(b"\n") - 1


def test_real_export_values_comparisons_and_notes(shared_dir: Path) -> None:
    path = real_export(shared_dir)
    rows = fingertips.RETURN.parse(PartnerFile(path, path.name)).rows
    kent = rows.filter(
        (rows["area_code"] == "E10000016")
        & (rows["time_period"] == "2017")
        & (rows["age"] == "All ages")
    ).row(0, named=True)
    assert kent["value"] == pytest.approx(123.873705892692)
    assert (kent["count"], kent["denominator"]) == (1910, 1541893)
    assert kent["time_period_sortable"] == 20170000
    assert kent["parent_comparison_column"] == "Compared to Region value or percentiles"
    assert (kent["compared_to_england"], kent["compared_to_parent"]) == ("Worse", "Worse")
    combined = rows.filter(rows["area_code"] == "E06000053").row(0, named=True)
    assert combined["value"] is None and combined["count"] is None
    assert combined["value_note"] == "Value for Cornwall & Isles of Scilly combined"
    assert combined["is_suppressed"] is False


def test_suppressed_value_stays_null_with_its_note(shared_dir: Path, tmp_path: Path) -> None:
    """The real layout with one row suppressed as Fingertips writes it (cells empty)."""
    with real_export(shared_dir).open(newline="", encoding="utf-8-sig") as handle:
        header, first, *_ = csv.reader(handle)
    blanked = {"Value", "Lower CI 95.0 limit", "Upper CI 95.0 limit", "Count", "Denominator"}
    cells = ["" if name in blanked else cell for name, cell in zip(header, first, strict=False)]
    cells[header.index("Value note")] = SUPPRESSED
    path = tmp_path / "indicators-CountyUA.data.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerows([header, cells])
    row = fingertips.RETURN.parse(PartnerFile(path, path.name)).rows.row(0, named=True)
    assert row["is_suppressed"] is True
    assert row["value"] is None and row["count"] is None and row["denominator"] is None
    assert row["value_note"] == SUPPRESSED
    assert row["indicator_name"] == first[1]


# --- the sample files --------------------------------------------------------------------


def test_sample_fingertips_export_has_the_real_quirks(sample_raw: Path) -> None:
    path = sample_raw / "health" / "fingertips" / "indicators-DistrictUA.data.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        header, *records = csv.reader(handle)
    assert len(header) == 27 and header[-1] == "Time period range"
    assert {len(record) for record in records} == {26, 27}
    assert any("\n" in record[1] for record in records)
    parsed = fingertips.RETURN.parse(PartnerFile(path, "health/fingertips/" + path.name))
    assert parsed.rows.height == csv_records(path)
    assert parsed.period == "District: indicators 90808, 93014, 93088"
    suppressed = parsed.rows.filter(parsed.rows["is_suppressed"])
    assert suppressed.height >= 1
    assert suppressed["value"].null_count() == suppressed.height
    assert set(suppressed["value_note"]) == {SUPPRESSED}
    assert {"2017/18", "2024/25", "2015/16 - 17/18"} <= set(parsed.rows["time_period"])


def test_sample_council_returns_sum_to_the_published_figures(sample_raw: Path) -> None:
    one_you_2019 = duckdb.sql(
        f"""
        select sum("One You Kent referrals"), sum("One You Your Home clients"),
            sum("Goals set"), sum("Goals achieved")
        from read_csv('{sample_raw}/health/one_you/one_you_return_2019-20.csv')
        """
    ).fetchone()
    assert one_you_2019 == (642, 217, 253, 152)
    clients_2021 = duckdb.sql(
        f"""select sum("One You Your Home clients")
        from read_csv('{sample_raw}/health/one_you/one_you_return_2021-22.csv')"""
    ).fetchone()[0]
    assert clients_2021 == PUBLISHED_SEVENOAKS_FIGURES["one_you_your_home_clients"]["2021/22"]
    accepted = duckdb.sql(
        f"""select sum("Interventions accepted")
        from read_csv('{sample_raw}/health/care_navigation/care_navigation_2019-20.csv')
        where "Locality" = 'Sevenoaks'"""
    ).fetchone()[0]
    assert accepted == 1447


def test_every_sample_file_parses(sample_raw: Path) -> None:
    periods = {
        spec.name: sorted(spec.parse(f).period for f in spec.find_files(sample_raw))
        for spec in HEALTH_RETURNS
    }
    years = [f"{y}/{(y + 1) % 100:02d}" for y in range(2017, 2025)]
    assert periods["one_you"] == years
    assert periods["care_navigation"] == years
    assert len(periods["fingertips_indicators"]) == 1


# --- broken files are quarantined --------------------------------------------------------

FINGERTIPS_HEADER = (
    "Indicator ID,Indicator Name,Parent Code,Parent Name,Area Code,Area Name,Area Type,Sex,Age,"
    "Category Type,Category,Time period,Value,Lower CI 95.0 limit,Upper CI 95.0 limit,"
    "Lower CI 99.8 limit,Upper CI 99.8 limit,Count,Denominator,Value note,Recent Trend,"
    "Compared to England value or percentiles,Compared to Region value or percentiles,"
    "Time period Sortable,New data,Compared to goal"
)


def fingertips_row(value: str = "64.2", fields: int = 25) -> str:
    cells = ["93014", '"Physically active adults\n"', "E10000016", "Kent", "E07000111"]
    cells += ["Sevenoaks", "District", "Persons", "19+ yrs", "", "", "2019/20", value]
    cells += ["60.1", "68.0", "", "", "257", "400", "", "", "Similar", "Similar", "20190000"]
    cells += ["", ""]
    return ",".join(cells[:fields])


ONE_YOU_HEADER = ",".join(one_you.HEADER)
CARE_HEADER = ",".join(care_navigation.HEADER)
BROKEN_FILES = {
    "missing Fingertips column": (
        fingertips.RETURN,
        "health/fingertips/indicators-District.data.csv",
        [FINGERTIPS_HEADER.replace("Time period,", "Period,"), fingertips_row()],
        "row 1, column 'Time period'",
    ),
    "unparsable Fingertips value after multi-line names": (
        fingertips.RETURN,
        "health/fingertips/indicators-District.data.csv",
        [FINGERTIPS_HEADER, fingertips_row(), fingertips_row(value="64.2%")],
        "row 3, column 'Value': '64.2%' is not a number",
    ),
    "Fingertips row two fields short": (
        fingertips.RETURN,
        "health/fingertips/indicators-District.data.csv",
        [FINGERTIPS_HEADER, fingertips_row(fields=24)],
        "row 2: the row has 24 fields where the header has 26",
    ),
    "missing One You column": (
        one_you.RETURN,
        "health/one_you/one_you_return_2019-20.csv",
        [ONE_YOU_HEADER.replace("Goals set,", ""), "2019/20,Q1,E07000111,Sevenoaks,160,50,40,"],
        "row 1, column 'Goals set'",
    ),
    "unparsable One You count": (
        one_you.RETURN,
        "health/one_you/one_you_return_2019-20.csv",
        [ONE_YOU_HEADER, "2019/20,Q1,E07000111,Sevenoaks,160,50,sixty,40,"],
        "row 2, column 'Goals set': 'sixty' is not a whole number",
    ),
    "One You quarter from another year": (
        one_you.RETURN,
        "health/one_you/one_you_return_2019-20.csv",
        [ONE_YOU_HEADER, "2020/21,Q1,E07000111,Sevenoaks,160,50,60,40,"],
        "row 2, column 'Financial year'",
    ),
    "unparsable care navigation month": (
        care_navigation.RETURN,
        "health/care_navigation/care_navigation_2019-20.csv",
        [CARE_HEADER, "Apr-19,WK001,Practice 1,Sevenoaks,30,25", "Maay-19,WK001,P1,Sevenoaks,3,2"],
        "row 3, column 'Month': 'Maay-19' is not a month",
    ),
    "negative care navigation count": (
        care_navigation.RETURN,
        "health/care_navigation/care_navigation_2019-20.csv",
        [CARE_HEADER, "Apr-19,WK001,Practice 1,Sevenoaks,30,-2"],
        "row 2, column 'Interventions accepted'",
    ),
}


@pytest.mark.parametrize("case", BROKEN_FILES, ids=list(BROKEN_FILES))
def test_broken_file_is_quarantined_naming_file_row_and_column(tmp_path: Path, case: str) -> None:
    spec, relative, lines, expected = BROKEN_FILES[case]
    raw = tmp_path / "raw"
    path = raw / relative
    path.parent.mkdir(parents=True)
    path.write_text("\r\n".join(lines) + "\r\n")
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        summary = ingest_return(con, spec, raw)
        loaded = con.execute(f"select count(*) from raw.{spec.table}").fetchone()[0]
    assert summary.accepted == [] and loaded == 0
    assert len(summary.quarantined) == 1
    assert summary.quarantined[0].startswith(f"{relative}, row ")
    assert expected in summary.quarantined[0]


def test_parse_error_names_the_record_not_the_text_line(tmp_path: Path) -> None:
    path = tmp_path / "indicators.csv"
    path.write_text("\r\n".join([FINGERTIPS_HEADER, *[fingertips_row()] * 3, "x"]) + "\r\n")
    with pytest.raises(ParseError) as error:
        fingertips.RETURN.parse(PartnerFile(path, path.name))
    assert error.value.row == 5


def test_resent_one_you_year_supersedes_the_earlier_file(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    folder = raw / "health" / "one_you"
    folder.mkdir(parents=True)
    quarter_one = "2019/20,Q1,E07000111,Sevenoaks,160,50,60,40,"
    (folder / "one_you_return_2019-20.csv").write_text(f"{ONE_YOU_HEADER}\n{quarter_one}\n")
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        ingest_return(con, one_you.RETURN, raw)
        resent = folder / "q2" / "one_you_return_2019-20.csv"
        resent.parent.mkdir()
        quarter_two = "2019/20,Q2,E07000111,Sevenoaks,170,55,62,41,"
        resent.write_text(f"{ONE_YOU_HEADER}\n{quarter_one}\n{quarter_two}\n")
        summary = ingest_return(con, one_you.RETURN, raw)
        statuses = con.execute(
            "select period, status from ledger.submissions order by submission_id"
        ).fetchall()
    assert summary.superseded == [1]
    assert statuses == [("2019/20", "superseded"), ("2019/20", "accepted")]
