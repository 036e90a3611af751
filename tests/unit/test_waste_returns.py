"""The waste returns: Defra's ENV18 release read unchanged as CSV and as the ODS release,
the council's missed collections and tonnage returns, and broken files refused with a message
naming file, sheet, row and column. tests/dbt/test_waste_models.py builds them."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import duckdb
import polars as pl
import pytest
import xlsxwriter
from factories import env18_line, write_csv

from pipelines.ingest import ingest_return
from pipelines.returns import (
    ParseError,
    PartnerFile,
    waste_env18,
    waste_missed_collections,
    waste_tonnage,
)
from sample_data.formats import ENV18_HEADER
from sample_data.waste import write_sample

REAL_NAME = "LA_and_Regional_Spreadsheet_201718"
WASTE_RETURNS = (waste_env18.RETURN, waste_missed_collections.RETURN, waste_tonnage.RETURN)
SEVENOAKS = "E07000111"


def partner_file(path: Path, root: Path) -> PartnerFile:
    return PartnerFile(path, path.relative_to(root).as_posix())


def real_rows(shared_dir: Path) -> list[list[str]]:
    with (shared_dir / "real" / "waste" / f"{REAL_NAME}.csv").open(newline="") as handle:
        return list(csv.reader(handle))


def household_rate(rows: pl.DataFrame, ons_code: str, year: str) -> float:
    row = rows.filter(pl.col("ons_code") == ons_code, pl.col("financial_year") == year)
    assert row.height == 1
    return 100 * row["household_recycled_tonnes"][0] / row["household_total_tonnes"][0]


def write_workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = xlsxwriter.Workbook(path)
    for name, rows in sheets.items():
        sheet = workbook.add_worksheet(name)
        for r, row in enumerate(rows):
            sheet.write_row(r, 0, row)
    workbook.close()
    return path


def parse_error(spec, path: Path, root: Path) -> str:
    with pytest.raises(ParseError) as raised:
        spec.parse(partner_file(path, root))
    return str(raised.value)


# ENV18 on the real release


def test_real_csv_loads_unchanged(shared_dir: Path) -> None:
    real = shared_dir / "real" / "waste" / f"{REAL_NAME}.csv"
    lines = real_rows(shared_dir)
    assert lines[0][18].endswith(" "), "the real header has a trailing space"
    parsed = waste_env18.RETURN.parse(PartnerFile(real, f"waste/env18/{real.name}"))
    assert parsed.period == "2014/15 to 2017/18"
    assert parsed.rows.height == len(lines) - 1 == 1398
    assert parsed.rows["source_row"].to_list()[:2] == [2, 3]
    assert set(zip(parsed.rows["financial_year"], parsed.rows["ons_code"], strict=True)) == {
        (line[0], line[2]) for line in lines[1:]
    }
    assert household_rate(parsed.rows, SEVENOAKS, "2017-18") == pytest.approx(38.08, abs=0.01)
    # The column under the header with the trailing space is read, negatives and all.
    medway = parsed.rows.filter(
        pl.col("ons_code") == "E06000035", pl.col("financial_year") == "2017-18"
    )
    assert medway["non_household_not_recycled_tonnes"][0] == -809
    assert parsed.rows["non_household_not_recycled_tonnes"].null_count() == 0
    assert parsed.rows["missing_columns"].null_count() == parsed.rows.height
    assert parsed.rows["source_sheet"].null_count() == parsed.rows.height


def test_real_ods_finds_table_1_and_matches_the_csv(shared_dir: Path) -> None:
    folder = shared_dir / "real" / "waste"
    from_csv = waste_env18.RETURN.parse(PartnerFile(folder / f"{REAL_NAME}.csv", "a.csv"))
    from_ods = waste_env18.RETURN.parse(PartnerFile(folder / f"{REAL_NAME}.ods", "a.ods"))
    assert from_ods.period == from_csv.period
    assert set(from_ods.rows["source_sheet"]) == {"Table_1"}
    # Two title rows and a row of column groups sit above the header in Table_1.
    assert from_ods.rows["source_row"][0] == 5
    key = ["financial_year", "ons_code"]
    tonnes = list(waste_env18.TONNAGE_COLUMNS)
    joined = from_csv.rows.join(from_ods.rows, on=key, suffix="_ods")
    assert joined.height == from_csv.rows.height
    for column in tonnes:
        assert (joined[column] - joined[f"{column}_ods"]).abs().max() < 1e-6
    assert household_rate(from_ods.rows, SEVENOAKS, "2017-18") == pytest.approx(38.08, abs=0.01)


def test_dash_becomes_null_with_a_flag(shared_dir: Path, tmp_path: Path) -> None:
    lines = real_rows(shared_dir)
    row = next(
        i for i, line in enumerate(lines) if line[:3] == ["2017-18", "South East", SEVENOAKS]
    )
    lines[row][7] = "-"
    lines[row][15] = "-"
    path = write_csv(tmp_path / "waste" / "env18" / "release.csv", lines)
    parsed = waste_env18.RETURN.parse(partner_file(path, tmp_path))
    sevenoaks = parsed.rows.filter(pl.col("source_row") == row + 1).row(0, named=True)
    assert sevenoaks["household_total_tonnes"] is None
    assert sevenoaks["household_rejects_tonnes"] is None
    assert sevenoaks["household_recycled_tonnes"] == pytest.approx(17125.588)
    assert sevenoaks["missing_columns"] == (
        "Household - total waste (tonnes); Household - estimated rejects (tonnes)"
    )
    assert parsed.rows["missing_columns"].drop_nulls().len() == 1


# ENV18: broken files


def test_env18_bad_number_names_file_row_and_column(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "waste" / "env18" / "release.csv",
        [list(ENV18_HEADER), env18_line(), env18_line("2018-19", total="44,9O0")],
    )
    message = parse_error(waste_env18.RETURN, path, tmp_path)
    assert message == (
        "waste/env18/release.csv, row 3, column 'Household - total waste (tonnes)': "
        "'44,9O0' is not a number"
    )


def test_env18_workbook_errors_name_the_sheet(tmp_path: Path) -> None:
    notes = [["Notes for tables"], ["Tables are based on WasteDataFlow"]]
    title = [["Table 1: Local Authority Collected and Household Waste Statistics"], []]
    bad_year = env18_line(year="2017/18 (r)")
    path = write_workbook(
        tmp_path / "waste" / "env18" / "release.xlsx",
        {"Notes": notes, "Table_1": [*title, list(ENV18_HEADER), env18_line(), bad_year]},
    )
    assert parse_error(waste_env18.RETURN, path, tmp_path) == (
        "waste/env18/release.xlsx, sheet 'Table_1', row 5, column 'Financial Year': "
        "'2017/18 (r)' is not a financial year such as 2017-18"
    )

    header = [h for h in ENV18_HEADER if h != "Household - total waste (tonnes)"]
    path = write_workbook(
        tmp_path / "waste" / "env18" / "missing.xlsx", {"Notes": notes, "Table_1": [*title, header]}
    )
    assert parse_error(waste_env18.RETURN, path, tmp_path) == (
        "waste/env18/missing.xlsx, sheet 'Table_1', row 3, column "
        "'Household - total waste (tonnes)': column 'Household - total waste (tonnes)' is "
        "missing from the header"
    )

    path = write_workbook(tmp_path / "waste" / "env18" / "none.xlsx", {"Notes": notes})
    assert "no ENV18 tonnage table found" in parse_error(waste_env18.RETURN, path, tmp_path)
    assert "(sheets: Notes)" in parse_error(waste_env18.RETURN, path, tmp_path)


def test_env18_new_layout_names_the_heading_it_cannot_place(tmp_path: Path) -> None:
    """A renamed heading is a new layout: the file is refused at the header, quoting the
    heading found in place of the one expected, not read with a column left out."""
    renamed = "Household - all waste collected (tonnes)"
    header = [renamed if h == "Household - total waste (tonnes)" else h for h in ENV18_HEADER]
    path = write_csv(tmp_path / "waste" / "env18" / "release.csv", [header, env18_line()])
    assert parse_error(waste_env18.RETURN, path, tmp_path) == (
        "waste/env18/release.csv, row 1, column 'Household - total waste (tonnes)': column "
        "'Household - total waste (tonnes)' is missing from the header; the header has "
        f"'{renamed}' instead, which is not a heading this return has been seen with"
    )


def test_env18_headings_with_hyphens_and_a_notes_pointer_are_the_same_columns(
    tmp_path: Path,
) -> None:
    """Defra's 2022-23 headings: `-` for `/`, a pointer to the notes sheet after one."""
    header = [
        h.replace("/", "-") + (' - See "Notes" sheet for detail' if "rejects" in h else "")
        for h in ENV18_HEADER
    ]
    path = write_csv(tmp_path / "waste" / "env18" / "release.csv", [header, env18_line()])
    parsed = waste_env18.RETURN.parse(partner_file(path, tmp_path))
    assert parsed.rows.row(0, named=True)["household_recycled_tonnes"] == 17125.588


def test_env18_same_authority_twice_in_a_year_is_refused(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "waste" / "env18" / "release.csv",
        [list(ENV18_HEADER), env18_line(), env18_line("2018-19"), env18_line()],
    )
    assert parse_error(waste_env18.RETURN, path, tmp_path) == (
        "waste/env18/release.csv, row 4, column 'ONS Code': E07000111 appears twice for "
        "2017-18 (rows 2 and 4)"
    )


# ENV18: a later release revises the years it shares with an earlier one

OTHER_AUTHORITY = "E07000105"
RELEASES = {
    # (name, years it holds): the earlier release alone holds 2017-18, the later 2020-21.
    "earlier": ("waste/env18/ENV18_2019-20.csv", ("2017-18", "2018-19", "2019-20")),
    "later": ("waste/env18/ENV18_2020-21.csv", ("2018-19", "2019-20", "2020-21")),
}


def write_releases(store: Path) -> dict[str, Path]:
    """Two releases whose figures differ for every year and authority they share."""
    written = {}
    for offset, (release, (name, years)) in enumerate(RELEASES.items()):
        lines = [
            env18_line(year, code, total=40000.5 + 1000 * offset + 10 * index)
            for index, (year, code) in enumerate(
                (year, code) for year in years for code in (SEVENOAKS, OTHER_AUTHORITY)
            )
        ]
        written[release] = write_csv(store / name, [list(ENV18_HEADER), *lines])
    return written


@pytest.mark.parametrize("first", ["earlier", "later"])
def test_later_release_supersedes_the_years_it_shares(tmp_path: Path, first: str) -> None:
    store = tmp_path / "store"
    files = write_releases(store)
    totals = {
        release: {
            (row["financial_year"], row["ons_code"]): row["household_total_tonnes"]
            for row in waste_env18.parse(partner_file(path, store)).rows.iter_rows(named=True)
        }
        for release, path in files.items()
    }
    shared = totals["earlier"].keys() & totals["later"].keys()
    assert shared and all(totals["earlier"][key] != totals["later"][key] for key in shared)
    raw = tmp_path / "raw"
    order = [first, *(release for release in RELEASES if release != first)]
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        for release in order:  # each in a run of its own, in the order it arrives
            target = raw / RELEASES[release][0]
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(files[release].read_bytes())
            ingest_return(con, waste_env18.RETURN, raw)
        current = dict(
            ((year, code), total)
            for year, code, total in con.execute(
                "select financial_year, ons_code, household_total_tonnes "
                "from accepted.waste__env18_collected_waste"
            ).fetchall()
        )
        assert current == {**totals["earlier"], **totals["later"]}
        ids = dict(
            con.execute(
                "select file_path, submission_id from ledger.submissions where status = 'accepted'"
            ).fetchall()
        )
        earlier, later = (ids[RELEASES[release][0]] for release in RELEASES)
        periods = con.execute(
            "select submission_id, period, status, superseded_by "
            "from ledger.submission_periods order by submission_id, period"
        ).fetchall()
        shared_years = {year.replace("-", "/") for year, _ in shared}
        expected = [
            (
                earlier,
                year.replace("-", "/"),
                *(
                    ("superseded", later)
                    if year.replace("-", "/") in shared_years
                    else ("current", None)
                ),
            )
            for year in RELEASES["earlier"][1]
        ] + [(later, year.replace("-", "/"), "current", None) for year in RELEASES["later"][1]]
        assert sorted(periods) == sorted(expected)

        # A warehouse made before the ledger kept periods: the next run records them.
        con.execute("delete from ledger.submission_periods")
        assert con.execute(
            "select count(*) from accepted.waste__env18_collected_waste"
        ).fetchone() == (0,)
        ingest_return(con, waste_env18.RETURN, raw)
        assert sorted(
            con.execute(
                "select submission_id, period, status, superseded_by from ledger.submission_periods"
            ).fetchall()
        ) == sorted(expected)


# The council's returns

MISSED_HEADER = [
    "Quarter",
    "Service",
    "Collections scheduled",
    "Justified missed collections",
    "Put right by next working day",
]


def test_missed_collections_title_block_total_row_and_blank_cell(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "waste" / "missed_collections" / "q1.csv",
        [
            ["Sevenoaks District Council - Direct Services"],
            [],
            MISSED_HEADER,
            ["Q1 2019/20", "Refuse", "650,000", 20, 19],
            ["Q1 2019/20", "Garden waste", 115000, 9, ""],
            ["Q1 2019/20", "Total", 765000, 29, 19],
        ],
    )
    parsed = waste_missed_collections.RETURN.parse(partner_file(path, tmp_path))
    assert parsed.period == "2019/20 Q1"
    assert parsed.rows["service"].to_list() == ["Refuse", "Garden waste"]
    assert parsed.rows["collections_scheduled"].to_list() == [650000, 115000]
    assert parsed.rows["source_row"].to_list() == [4, 5]
    assert parsed.rows["put_right_next_working_day"].to_list() == [19, None]
    assert parsed.rows["missing_columns"].to_list() == [None, "Put right by next working day"]


def test_missed_collections_broken_files(tmp_path: Path) -> None:
    folder = tmp_path / "waste" / "missed_collections"
    two_quarters = write_csv(
        folder / "two.csv",
        [MISSED_HEADER, ["2019/20 Q1", "Refuse", 1000, 1, 1], ["2019/20 Q2", "Refuse", 1000, 1, 1]],
    )
    assert parse_error(waste_missed_collections.RETURN, two_quarters, tmp_path) == (
        "waste/missed_collections/two.csv, row 3, column 'Quarter': quarter 2019/20 Q2 differs "
        "from the file's first quarter 2019/20 Q1: send one file a quarter"
    )
    fraction = write_workbook(
        folder / "fraction.xlsx",
        {"Return": [["Missed collections"], MISSED_HEADER, ["2019/20 Q1", "Refuse", 1000, 2.5, 2]]},
    )
    assert parse_error(waste_missed_collections.RETURN, fraction, tmp_path) == (
        "waste/missed_collections/fraction.xlsx, sheet 'Return', row 3, column "
        "'Justified missed collections': '2.5' is not a whole number"
    )
    no_quarter = write_csv(folder / "month.csv", [MISSED_HEADER, ["April", "Refuse", 1000, 1, 1]])
    assert "row 2, column 'Quarter': 'April' is not a quarter" in parse_error(
        waste_missed_collections.RETURN, no_quarter, tmp_path
    )


TONNAGE_HEADER = [
    "Quarter",
    "Recycled (tonnes)",
    "Composted (tonnes)",
    "Reused (tonnes)",
    "Energy recovery (tonnes)",
    "Landfill (tonnes)",
    "Total (tonnes)",
]


def tonnage_sheet(*quarters: list[object], year: object = "2021/22") -> list[list[object]]:
    return [
        ["Sevenoaks District Council - waste tonnage by destination"],
        ["Financial year", year],
        [],
        TONNAGE_HEADER,
        *quarters,
        ["Total", 1, 1, 1, 1, 1, 5],
    ]


def test_tonnage_workbook_reads_quarters_under_the_stated_year(tmp_path: Path) -> None:
    path = write_workbook(
        tmp_path / "waste" / "tonnage" / "2021-22.xlsx",
        {
            "Tonnage": tonnage_sheet(
                ["Q1 (Apr-Jun)", 2900.5, 2000, 30, 7000, 200, 12130.5],
                ["Q2 (Jul-Sep)", 2800, 1900, "-", 6900, 190, 11790],
            ),
            "Notes": [["Energy recovery is residual waste sent to energy from waste"]],
        },
    )
    parsed = waste_tonnage.RETURN.parse(partner_file(path, tmp_path))
    assert parsed.period == "2021/22"
    rows = parsed.rows
    assert rows["quarter"].to_list() == ["2021/22 Q1", "2021/22 Q2"]
    assert rows["source_sheet"].to_list() == ["Tonnage", "Tonnage"]
    assert rows["source_row"].to_list() == [5, 6]
    assert rows["recycled_tonnes"].to_list() == [2900.5, 2800]
    assert rows["reused_tonnes"].to_list() == [30, None]
    assert rows["missing_columns"].to_list() == [None, "Reused (tonnes)"]


def test_tonnage_broken_files(tmp_path: Path) -> None:
    folder = tmp_path / "waste" / "tonnage"
    other_year = write_workbook(
        folder / "a.xlsx", {"Tonnage": tonnage_sheet(["2020/21 Q4", 1, 1, 1, 1, 1, 5])}
    )
    assert parse_error(waste_tonnage.RETURN, other_year, tmp_path) == (
        "waste/tonnage/a.xlsx, sheet 'Tonnage', row 5, column 'Quarter': "
        "'2020/21 Q4' is not a quarter of 2021/22 such as Q1"
    )
    twice = write_workbook(
        folder / "b.xlsx",
        {"Tonnage": tonnage_sheet(["Q1", 1, 1, 1, 1, 1, 5], ["Q1", 1, 1, 1, 1, 1, 5])},
    )
    assert parse_error(waste_tonnage.RETURN, twice, tmp_path) == (
        "waste/tonnage/b.xlsx, sheet 'Tonnage', row 6, column 'Quarter': "
        "2021/22 Q1 appears twice (rows 5 and 6)"
    )
    words = write_workbook(
        folder / "c.xlsx", {"Tonnage": tonnage_sheet(["Q1", "about 3000", 1, 1, 1, 1, 5])}
    )
    assert parse_error(waste_tonnage.RETURN, words, tmp_path) == (
        "waste/tonnage/c.xlsx, sheet 'Tonnage', row 5, column 'Recycled (tonnes)': "
        "'about 3000' is not a number"
    )


def test_broken_return_is_quarantined_with_its_reason(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    write_csv(
        raw / "waste" / "missed_collections" / "missed_collections_2019-20_Q1.csv",
        [MISSED_HEADER, ["2019/20 Q1", "Refuse", 1000, "two", 1]],
    )
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        summary = ingest_return(con, waste_missed_collections.RETURN, raw)
        assert summary.quarantined == [
            "waste/missed_collections/missed_collections_2019-20_Q1.csv, row 2, "
            "column 'Justified missed collections': 'two' is not a number"
        ]
        status = con.execute("select status from ledger.submissions").fetchall()
        loaded = con.execute("select count(*) from raw.waste__missed_collections").fetchone()[0]
    assert status == [("quarantined",)]
    assert loaded == 0


# The synthetic sample


def test_sample_files_parse_and_are_reproducible(tmp_path: Path) -> None:
    written = write_sample(tmp_path / "a")
    again = write_sample(tmp_path / "b")
    digest = [hashlib.sha256(p.read_bytes()).hexdigest() for p in written]
    assert digest == [hashlib.sha256(p.read_bytes()).hexdigest() for p in again]
    periods: dict[str, list[str]] = {}
    for spec in WASTE_RETURNS:
        files = spec.find_files(tmp_path / "a")
        parsed = [spec.parse(f) for f in files]
        periods[spec.name] = [p.period for p in parsed]
        if spec is waste_env18.RETURN:
            rows = parsed[0].rows
            assert rows.height == 16 * 8
            assert rows["missing_columns"].drop_nulls().len() == 1
            assert household_rate(rows, SEVENOAKS, "2017-18") == pytest.approx(38.08, abs=0.01)
    assert len(written) == 1 + 32 + 8
    assert periods["env18_collected_waste"] == ["2017/18 to 2024/25"]
    assert periods["missed_collections"][0] == "2017/18 Q1"
    assert periods["missed_collections"][-1] == "2024/25 Q4"
    assert periods["tonnage_by_destination"] == [
        f"{y}/{(y + 1) % 100:02d}" for y in range(2017, 2025)
    ]
