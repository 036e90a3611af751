"""The housing returns: the H-CLIC reader on MHCLG's real national workbook and on the sample
detailed local authority tables, Live Table 1011 and the council's grants return, and broken
files quarantined with the file, sheet, row and column named. tests/dbt/test_housing_models.py
builds them."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import openpyxl
import polars as pl
import pytest

from pipelines.ingest import ingest_return
from pipelines.periods import window
from pipelines.returns import ParseError, PartnerFile
from pipelines.returns import housing_affordable_supply as affordable_supply
from pipelines.returns import housing_homelessness as homelessness
from pipelines.returns import housing_private_sector_grants as grants
from sample_data.housing import write_sample

SEVENOAKS = "E07000111"
REAL_WORKBOOK = "statutory_homelessness_england_2018Q2_2020Q3.xls"


@pytest.fixture(scope="module")
def sample_raw(tmp_path_factory: pytest.TempPathFactory) -> Path:
    raw = tmp_path_factory.mktemp("raw")
    write_sample(raw)
    return raw


@pytest.fixture
def real_tables(shared_dir: Path) -> dict[str, homelessness.Table]:
    """A1, P1 and R1 of MHCLG's real national workbook, read with the return's reader."""
    path = shared_dir / "real" / "housing" / REAL_WORKBOOK
    workbook = homelessness.open_workbook(path.read_bytes(), REAL_WORKBOOK)
    return {
        layout.sheet: homelessness.read_table(
            homelessness.read_grid(workbook, layout.sheet, REAL_WORKBOOK), layout, REAL_WORKBOOK
        )
        for layout in homelessness.LAYOUTS
    }


def partner_file(raw: Path, relative: str) -> PartnerFile:
    return PartnerFile(raw / relative, relative)


def figures_of(table: homelessness.Table, key: str) -> dict[tuple, str | None]:
    """A column's cells by row labels (year or quarter, marker) in the national tables."""
    index = table.columns.index(table.column(key))
    return {row.labels: row.cells[index] for row in table.rows}


# The real national workbook (MHCLG, England, 2018 Q2 to 2020 Q3)


def test_real_prevention_table_header_and_figures(real_tables) -> None:
    table = real_tables["P1"]
    assert table.header_rows == (3, 4)
    assert table.column("total_ended").label == (
        "Total number of households whose prevention duty ended"
    )
    assert table.column("secured_stayed").letter == "G"
    assert table.column("secured_moved").label == (
        "Secured accommodation for 6+ months: Moved to alternative accommodation"
    )
    assert table.column("not_known").label == "Not known"
    stayed = figures_of(table, "secured_stayed")
    moved = figures_of(table, "secured_moved")
    assert stayed[("2019/20", None, "R")] == "29970"
    assert moved[("2019/20", None, "R")] == "51570"
    assert moved[(None, "Q3", "P")] == "11910"
    assert [row.sheet_row for row in table.rows] == [6, 7, *range(9, 19)]


def test_real_relief_table_labels_lose_footnotes_and_wrapped_spaces(real_tables) -> None:
    table = real_tables["R1"]
    assert table.header_rows == (3,)
    assert table.column("secured").label == "Securedaccommodation for 6+ months"
    assert table.column("days_56_elapsed").label == "56 dayselapsed"
    assert figures_of(table, "secured")[("2019/20", None, "R")] == "62060"
    assert {row.labels[-1] for row in table.rows} == {"R", "P"}


def test_real_assessment_table_spanning_groups(real_tables) -> None:
    table = real_tables["A1"]
    assert table.header_rows == (3, 4, 5)
    assert table.column("total_initial_assessments").label == "Total initial assessments"
    assert table.column("owed_prevention_duty_section_21").label == (
        "Assessed as owed a duty: Of which: due to service of valid Section 21 Notice"
    )
    assert table.column("no_duty_owed").letter == "K"
    assert len(table.rows) == 12 and table.rows[-1].sheet_row == 19


def test_labels_and_missing_figures() -> None:
    assert homelessness.clean_label("Total initial assessments1") == "Total initial assessments"
    assert homelessness.clean_label("Total initial assessments1,2") == "Total initial assessments"
    assert (
        homelessness.clean_label("Homeless -\nRelief duty owed3") == "Homeless - Relief duty owed"
    )
    assert homelessness.clean_label("Aged 16-17") == "Aged 16-17"
    assert homelessness.clean_label("Not known3") == "Not known"
    where = {"file": "f.xlsx", "sheet": "P1", "row": 9, "column": "G"}
    assert homelessness.read_figure("..", **where) == (
        None,
        "not available (..) in the H-CLIC tables",
    )
    assert homelessness.read_figure("1,234", **where) == (1234.0, None)
    with pytest.raises(ParseError, match=r"f\.xlsx, sheet 'P1', row 9, column 'G': 'n/a'"):
        homelessness.read_figure("n/a", **where)


# The sample detailed local authority tables


def test_sample_workbook_reads_as_the_real_layout(sample_raw: Path) -> None:
    parsed = homelessness.parse(
        partner_file(sample_raw, "housing/homelessness/Detailed_LA_202106.xlsx")
    )
    assert parsed.period == "2021/22 Q1"
    rows = parsed.rows
    assert rows.columns == [*homelessness.COLUMNS, "source_row"]
    assert set(rows["table_id"]) == {"A1", "P1", "R1"}
    # 13 Kent and Medway authorities, England and the nine regions; "Rest of England" (code
    # `-`) and London repeated among the regions are skipped and counted.
    assert rows["area_code"].n_unique() == 23
    assert set(rows["status_marker"]) == {None}
    assert parsed.notes[0] == (
        "A1: 2 row(s) skipped: Rest of England (a total without an ONS code), "
        "London (repeated with the same figures)"
    )
    assert rows["quarter_start"].unique().to_list() == [date(2021, 4, 1)]
    sevenoaks = rows.filter(
        pl.col("area_code") == SEVENOAKS,
        pl.col("table_id") == "P1",
        pl.col("figure_key") == "secured_stayed",
    ).row(0, named=True)
    workbook = openpyxl.load_workbook(sample_raw / "housing/homelessness/Detailed_LA_202106.xlsx")
    cell = workbook["P1"][f"{sevenoaks['source_column']}{sevenoaks['source_row']}"]
    assert cell.value == sevenoaks["figure"]
    assert workbook["P1"][f"A{sevenoaks['source_row']}"].value == SEVENOAKS


def test_sample_sevenoaks_2019_20_is_not_available(sample_raw: Path) -> None:
    for name in ("201906", "201909", "201912", "202003"):
        rows = homelessness.parse(
            partner_file(sample_raw, f"housing/homelessness/Detailed_LA_{name}.xlsx")
        ).rows.filter(pl.col("area_code") == SEVENOAKS)
        assert rows.height == 32
        assert rows["figure"].null_count() == 32
        assert set(rows["figure_note"]) == {"not available (..) in the H-CLIC tables"}


def test_sample_quarters_follow_the_publisher_s_layouts_and_names(sample_raw: Path) -> None:
    """From late 2024 the workbooks are ODS with withdrawals split (and renamed in 2025):
    the same reader takes both layouts, and the measure's columns mean the same in each."""
    files = homelessness.RETURN.find_files(sample_raw)
    assert len(files) == 28
    assert [f.name for f in files[:1] + files[-2:]] == [
        "Detailed_LA_201806.xlsx",
        "Detailed_LA_202412.ods",
        "Statutory_Homelessness_Detailed_Local_Authority_Data_202503.ods",
    ]
    latest = homelessness.parse(files[-1])
    assert latest.period == "2024/25 Q4"
    p1 = latest.rows.filter(pl.col("table_id") == "P1", pl.col("area_code") == SEVENOAKS)
    figure = dict(zip(p1["figure_key"], p1["figure"], strict=True))
    assert figure["withdrew"] == figure["withdrew_application"] + figure["applicant_deceased"]
    parts = ("secured_total", "homeless", "refused_offer", "refused_to_cooperate")
    parts += ("contact_lost", "withdrew", "days_56_elapsed", "no_longer_eligible", "not_known")
    assert figure["total_ended"] == sum(figure[key] for key in parts)


def test_sample_is_reproducible(sample_raw: Path, tmp_path: Path) -> None:
    written = write_sample(tmp_path)
    assert len(written) == 38
    for path in written:
        relative = path.relative_to(tmp_path)
        assert path.read_bytes() == (sample_raw / relative).read_bytes(), relative


# Broken workbooks are quarantined with where the problem is


def broken_copy(sample_raw: Path, raw: Path, edit) -> Path:
    source = sample_raw / "housing/homelessness/Detailed_LA_202106.xlsx"
    target = raw / "housing/homelessness/Detailed_LA_202106.xlsx"
    target.parent.mkdir(parents=True, exist_ok=True)
    workbook = openpyxl.load_workbook(source)
    edit(workbook)
    workbook.save(target)
    return target


def sevenoaks_row(workbook: openpyxl.Workbook, sheet: str) -> int:
    return next(cell.row for cell in workbook[sheet]["A"] if cell.value == SEVENOAKS)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            lambda book: book["P1"].cell(sevenoaks_row(book, "P1"), 7, "twelve"),
            "sheet 'P1', row 27, column 'G': 'twelve' is not a number",
        ),
        (
            lambda book: book["P1"].cell(4, 8, "Stayed put"),
            "sheet 'P1', row 3: the prevention duty outcomes table has no column headed "
            "'Stayed in existing accommodation'",
        ),
        (
            lambda book: book.remove(book["R1"]),
            "sheet 'R1': the workbook has no sheet 'R1'",
        ),
        (
            lambda book: book["R1"].cell(sevenoaks_row(book, "R1"), 1, "E0700011"),
            "sheet 'R1', row 26, column 'A': 'E0700011' is not an ONS area code",
        ),
        (
            lambda book: book["P1"].cell(3, 13, "Refused to engage"),
            "sheet 'P1', row 3, column 'M': a new layout: the header 'Refused to engage' is not "
            "one MHCLG has used in table P1; the nearest known layout is the first layout",
        ),
        (
            lambda book: book["A1"].cell(1, 1, "Table A1 - England, July to September 2021"),
            "sheet 'A1', row 1: the title covers July to September 2021 but the file name "
            "says April to June 2021",
        ),
    ],
)
def test_broken_workbook_is_quarantined(sample_raw, tmp_path, edit, message) -> None:
    raw = tmp_path / "raw"
    broken_copy(sample_raw, raw, edit)
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        summary = ingest_return(con, homelessness.RETURN, raw, quarantine_dir=tmp_path / "q")
        assert summary.accepted == []
        assert len(summary.quarantined) == 1
        assert summary.quarantined[0].startswith("housing/homelessness/Detailed_LA_202106.xlsx, ")
        assert message in summary.quarantined[0]
        assert con.execute("select count(*) from raw.housing__homelessness").fetchone() == (0,)
    assert (tmp_path / "q" / "000001-Detailed_LA_202106.xlsx").exists()


REVISED = "housing/homelessness/DetailedLA_202106_revised.xlsx"
UNREVISED = "housing/homelessness/Detailed_LA_202106.xlsx"
"""Two releases of one quarter named as MHCLG names them; on disk the revised one sorts
first, so the order files are read in would let the unrevised one win."""


def first_figure_changed(workbook: openpyxl.Workbook) -> None:
    """The home district's first A1 figure, one more: an unrevised release that differs."""
    row = workbook["A1"][sevenoaks_row(workbook, "A1")]
    cell = next(c for c in row[1:] if isinstance(c.value, int | float))
    cell.value += 1


def quarter_releases(sample_raw: Path, store: Path) -> dict[str, Path]:
    """The sample quarter as its revised release, and as an unrevised one that differs."""
    revised = store / REVISED
    revised.parent.mkdir(parents=True)
    revised.write_bytes((sample_raw / UNREVISED).read_bytes())
    unrevised = broken_copy(sample_raw, store, first_figure_changed)
    return {REVISED: revised, UNREVISED: unrevised}


@pytest.mark.parametrize(
    "arrivals",
    [
        [[REVISED], [UNREVISED]],  # the unrevised file turns up in a later run
        [[UNREVISED], [REVISED]],
        [[REVISED, UNREVISED]],  # side by side in raw/, the revised one read first
    ],
    ids=["revised-first", "unrevised-first", "same-run"],
)
def test_revised_release_supersedes_the_quarter_whatever_the_order(
    sample_raw: Path, tmp_path: Path, arrivals: list[list[str]]
) -> None:
    releases = quarter_releases(sample_raw, tmp_path / "store")
    parsed = {name: homelessness.parse(partner_file(tmp_path / "store", name)) for name in releases}
    columns = ["table_id", "area_code", "figure_key", "figure"]
    figures = {
        name: sorted(p.rows.select(columns).iter_rows(), key=repr) for name, p in parsed.items()
    }
    assert figures[REVISED] != figures[UNREVISED]
    raw = tmp_path / "raw"
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        for run in arrivals:
            for name in run:
                (raw / name).parent.mkdir(parents=True, exist_ok=True)
                (raw / name).write_bytes(releases[name].read_bytes())
            ingest_return(con, homelessness.RETURN, raw)
        ledger_rows = {
            path: (submission_id, period, status, superseded_by)
            for submission_id, path, period, status, superseded_by in con.execute(
                "select submission_id, file_path, period, status, superseded_by "
                "from ledger.submissions"
            ).fetchall()
        }
        revised_id = ledger_rows[REVISED][0]
        assert ledger_rows[REVISED][2:] == ("accepted", None)
        assert ledger_rows[UNREVISED][2:] == ("superseded", revised_id)
        assert ledger_rows[REVISED][1] == ledger_rows[UNREVISED][1] == parsed[REVISED].period
        current = con.execute(
            f"select {', '.join(columns)} from accepted.housing__homelessness"
        ).fetchall()
        assert sorted(current, key=repr) == figures[REVISED]


def test_accepted_and_quarantined_files_name_the_quarter_alike(
    sample_raw: Path, tmp_path: Path
) -> None:
    """The ledger's period is the calendar's and the partitions' whatever became of a file:
    an officer looking for 2021/22 Q1 finds the quarantined file beside the accepted one."""
    raw = tmp_path / "raw"
    (raw / REVISED).parent.mkdir(parents=True)
    (raw / REVISED).write_bytes((sample_raw / UNREVISED).read_bytes())
    broken_copy(sample_raw, raw, lambda book: book["P1"].cell(3, 13, "Refused to engage"))
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        ingest_return(con, homelessness.RETURN, raw)
        rows = con.execute(
            "select status, period, period_start from ledger.submissions order by status"
        ).fetchall()
    assert [status for status, _, _ in rows] == ["accepted", "quarantined"]
    (accepted_period, start), (quarantined_period, _) = [row[1:] for row in rows]
    assert accepted_period == quarantined_period
    assert window(accepted_period)[0] == start


# Live Table 1011


def write_lines(path: Path, lines: list[str]) -> PartnerFile:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n")
    return PartnerFile(path, path.name)


def test_affordable_supply_release(sample_raw: Path) -> None:
    parsed = affordable_supply.parse(
        partner_file(
            sample_raw, "housing/affordable_supply/Live_Table_1011_long_format_2024-25.csv"
        )
    )
    assert parsed.period == "2024-25"
    completed = parsed.rows.filter(
        pl.col("area_code") == SEVENOAKS, pl.col("year") == "2019-20", pl.col("completions") == "Y"
    )
    assert completed["units"].sum() == 206
    rented = completed.filter(pl.col("tenure").is_in(["Social Rent", "Affordable Rent"]))
    assert rented["units"].sum() == 95


def test_affordable_supply_missing_units_and_broken_rows(tmp_path: Path) -> None:
    header = "LA code,Year,Tenure,Completions,Type,Provider,Units"
    good = "E07000111,2019-20,Social Rent,Y,New Build,Private Registered Provider"
    parsed = affordable_supply.parse(write_lines(tmp_path / "a.csv", [header, f"{good},.."]))
    assert parsed.rows.row(0, named=True)["units"] is None
    assert parsed.rows.row(0, named=True)["units_note"] == "not available (..) in Live Table 1011"
    with pytest.raises(ParseError, match=r"b\.csv, row 3, column 'Completions': 'Yes'"):
        affordable_supply.parse(
            write_lines(
                tmp_path / "b.csv",
                [header, f"{good},4", good.replace(",Y,", ",Yes,") + ",2"],
            )
        )
    with pytest.raises(ParseError, match=r"c\.csv, row 2, column 'Year': '2019/20'"):
        affordable_supply.parse(
            write_lines(tmp_path / "c.csv", [header, good.replace("2019-20", "2019/20") + ",1"])
        )
    with pytest.raises(ParseError, match=r"d\.csv, row 1, column 'Units'"):
        affordable_supply.parse(write_lines(tmp_path / "d.csv", [header[:-6], good]))


# The council's grants return


def test_grants_return_sample(sample_raw: Path) -> None:
    parsed = grants.parse(
        partner_file(
            sample_raw, "housing/private_sector_grants/Private_Sector_Housing_Grants_2019-20.csv"
        )
    )
    assert parsed.period == "2019/20"
    assert parsed.rows.height == 12
    totals = parsed.rows.group_by("grant_scheme").agg(
        pl.col("grants_completed").sum(), pl.col("value_pounds").sum().round(2)
    )
    assert dict(totals.select("grant_scheme", "grants_completed").iter_rows()) == {
        "disabled_facilities": 81,
        "hospital_discharge": 6,
        "safe_and_secure": 12,
    }
    assert dict(totals.select("grant_scheme", "value_pounds").iter_rows()) == {
        "disabled_facilities": 758817.95,
        "hospital_discharge": 4193.00,
        "safe_and_secure": 8327.13,
    }


GRANT_LINES = [
    "Sevenoaks District Council,,,",
    "Financial year,2021/22,,",
    "Quarter,Grant type,Grants completed,Value of grants completed (£)",
    'Q1,Disabled Facilities Grant,10,"£101,000.50"',
    "Q2,DFG,12,£99000",
    "Total,Hospital Discharge Grants,15,",
]


def test_grants_whole_year_totals_and_aliases(tmp_path: Path) -> None:
    path = tmp_path / "Private_Sector_Housing_Grants_2021-22.csv"
    rows = grants.parse(write_lines(path, GRANT_LINES)).rows
    assert rows["grant_scheme"].to_list() == [
        "disabled_facilities",
        "disabled_facilities",
        "hospital_discharge",
    ]
    assert rows["value_pounds"].to_list() == [101000.5, 99000.0, None]
    assert rows["quarter"].to_list() == ["Q1", "Q2", None]
    assert rows["figure_note"].to_list() == [None, None, "value not given in the return"]


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (
            [*GRANT_LINES, "Total,Disabled Facilities Grant,23,"],
            "row 7, column 'Grants completed': the total for Disabled Facilities Grant (23) "
            "differs from its quarters, which add up to 22",
        ),
        (
            [*GRANT_LINES[:4], "Q2,DFG,12,about £99k"],
            "row 5, column 'Value of grants completed (£)': 'about £99k' is not an amount",
        ),
        (
            [*GRANT_LINES[:4], "Q1,DFG,1,£1"],
            "row 5, column 'Grant type': DFG appears twice for Q1 (rows 4 and 5)",
        ),
        (
            [*GRANT_LINES[:4], "Q5,DFG,1,£1"],
            "row 5, column 'Quarter': 'Q5' is not a quarter",
        ),
        (
            [GRANT_LINES[0], "Financial year,2020/21,,", *GRANT_LINES[2:]],
            "the file says it covers 2020/21 but its name says 2021/22",
        ),
    ],
)
def test_broken_grants_return(tmp_path: Path, lines: list[str], message: str) -> None:
    path = tmp_path / "Private_Sector_Housing_Grants_2021-22.csv"
    with pytest.raises(ParseError) as error:
        grants.parse(write_lines(path, lines))
    assert str(error.value).startswith("Private_Sector_Housing_Grants_2021-22.csv")
    assert message in str(error.value)
