"""Conformance: the real partner releases in ../shared/real load unchanged through the
warehouse's ingestion, under every name their publisher has used, and give the home
district's figures that ../shared/README.md states for them.

The expected figures are quoted from that README, not worked out here; everything else
(which area, which crime types make victim-based crime) comes from the warehouse's own
settings and seeds, so a parser that misplaces a column or a row fails.
"""

from __future__ import annotations

import csv
import re
import shutil
import zipfile
from pathlib import Path

import duckdb
import openpyxl
import polars as pl
import pytest

from pipelines import settings
from pipelines.ingest import ingest_return
from pipelines.quality import suites
from pipelines.returns import PartnerFile, housing_homelessness, police_street, waste_env18

SEEDS = settings.DBT_PROJECT_DIR / "seeds"

HCLIC_FIGURES = [
    # (release under ../shared/real, table, figure_key, figure in ../shared/README.md)
    ("housing/homelessness/DetailedLA_201906_revised.xlsx", "A1", "total_initial_assessments", 141),
    ("housing/homelessness/DetailedLA_201906_revised.xlsx", "P1", "total_ended", 115),
    ("housing/homelessness/DetailedLA_201906_revised.xlsx", "P1", "secured_total", 35),
    ("housing/homelessness/Detailed_LA_202412.ods", "A1", "total_initial_assessments", 66),
    ("housing/homelessness/Detailed_LA_202412.ods", "P1", "total_ended", 39),
    ("housing/homelessness/Detailed_LA_202412.ods", "P1", "secured_total", 15),
]
ENV18_FIGURES = [
    # (release, financial year, column, tonnes in ../shared/README.md)
    (
        "waste/LA_and_Regional_Spreadsheet_2022-23_for_Web_revised.ods",
        "2022-23",
        "household_total_tonnes",
        46236,
    ),
    (
        "waste/LA_and_Regional_Spreadsheet_2022-23_for_Web_revised.ods",
        "2022-23",
        "household_recycled_tonnes",
        16427,
    ),
]
POLICE_FIGURES = [
    # (release, crime group in the crime_types seed, records in ../shared/README.md)
    ("police/2019-01-kent-street.csv", "victim_based", 626),
    ("police/2019-01-kent-street.csv", "anti_social_behaviour", 109),
]

HCLIC_RELEASES = sorted({release for release, *_ in HCLIC_FIGURES})


def hclic_names(release: str) -> list[str]:
    """The release under each name MHCLG has given the detailed tables, for its quarter."""
    quarter_end = re.search(r"_(\d{6})", release).group(1)
    suffix = Path(release).suffix
    return [
        f"DetailedLA_{quarter_end}{suffix}",
        f"DetailedLA_{quarter_end}_revised{suffix}",
        f"Detailed_LA_{quarter_end}{suffix}",
        f"Statutory_Homelessness_Detailed_Local_Authority_Data_{quarter_end}{suffix}",
    ]


def home_lsoa_prefix() -> str:
    """How the home district's LSOAs are named (`<district> 008C`), from the areas seed."""
    with (SEEDS / "areas.csv").open() as handle:
        district = settings.home_area().district
        return next(
            row["lsoa_name_prefix"]
            for row in csv.DictReader(handle)
            if row["area_code"] == district
        )


def land(real: Path, release: str, raw: Path, relative: str) -> Path:
    """The release copied, byte for byte, to raw/<relative>."""
    target = raw / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(real / release, target)
    return target


@pytest.fixture(scope="module")
def real(shared_dir: Path) -> Path:
    return shared_dir / "real"


# H-CLIC detailed local authority tables


@pytest.mark.parametrize("release", HCLIC_RELEASES)
def test_hclic_release_loads_under_every_name_with_the_stated_figures(real, release, tmp_path):
    expected = {(table, key): figure for r, table, key, figure in HCLIC_FIGURES if r == release}
    for name in hclic_names(release):
        raw = tmp_path / name / "raw"
        land(real, release, raw, f"housing/homelessness/{name}")
        with duckdb.connect(str(tmp_path / name / "w.duckdb")) as con:
            summary = ingest_return(con, housing_homelessness.RETURN, raw)
            assert summary.quarantined == [], name
            assert len(summary.accepted) == 1, name
            found = dict(
                ((table, key), figure)
                for table, key, figure in con.execute(
                    "select table_id, figure_key, figure from raw.housing__homelessness "
                    "where area_code = ? and figure_key is not null",
                    [settings.home_area().district],
                ).fetchall()
            )
            assert {k: found.get(k) for k in expected} == expected, name
            # The measure counts stayed + moved: the parts must make the stated total.
            assert (
                found["P1", "secured_stayed"] + found["P1", "secured_moved"]
                == found["P1", "secured_total"]
            )
            (reason,) = con.execute("select reason from ledger.submissions").fetchone()
            assert "Rest of England (a total without an ONS code)" in reason


@pytest.mark.parametrize("release", HCLIC_RELEASES)
def test_hclic_aggregate_rows_are_kept_as_benchmarks_or_counted(real, release, tmp_path):
    raw = tmp_path / "raw"
    land(real, release, raw, f"housing/homelessness/{Path(release).name}")
    parsed = housing_homelessness.parse(
        housing_homelessness.PartnerFile(
            raw / "housing/homelessness" / Path(release).name,
            f"housing/homelessness/{Path(release).name}",
        )
    )
    p1 = parsed.rows.filter(table_id="P1", figure_key="total_ended")
    codes = p1["area_code"].to_list()
    assert len(codes) == len(set(codes))
    # England and the regions keep their ONS codes, as benchmarks.
    assert settings.home_area().country in codes
    assert sum(code.startswith("E12") for code in codes) == 9
    assert any("P1: 2 row(s) skipped" in note for note in parsed.notes)


def test_hclic_release_named_for_another_quarter_is_quarantined(real, tmp_path):
    """A name that contradicts the tables' title is bad input: nothing loaded is touched."""
    raw = tmp_path / "raw"
    land(real, HCLIC_RELEASES[0], raw, "housing/homelessness/DetailedLA_201906_revised.xlsx")
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        ingest_return(con, housing_homelessness.RETURN, raw)
        before = con.execute("select count(*) from raw.housing__homelessness").fetchone()
        land(real, HCLIC_RELEASES[1], raw, "housing/homelessness/Detailed_LA_201909.ods")
        summary = ingest_return(con, housing_homelessness.RETURN, raw)
        assert summary.quarantined == [
            "housing/homelessness/Detailed_LA_201909.ods, sheet 'A1', row 1: the title covers "
            "October to December 2024 but the file name says July to September 2019"
        ]
        assert con.execute("select count(*) from raw.housing__homelessness").fetchone() == before
        assert con.execute(
            "select period, status from ledger.submissions order by submission_id"
        ).fetchall() == [
            ("2019/20 Q1", "accepted"),
            ("2019/20 Q2", "quarantined"),  # the quarter its name gives
        ]


def test_hclic_new_layout_is_quarantined_naming_the_header_it_cannot_place(real, tmp_path):
    """A header label no edition of the table has is a new layout, not a figure to guess."""
    raw = tmp_path / "raw"
    target = raw / "housing/homelessness/DetailedLA_201906.xlsx"
    target.parent.mkdir(parents=True)
    workbook = openpyxl.load_workbook(real / HCLIC_RELEASES[0])
    column = next(c.column for c in workbook["P1"][3] if c.value == "Refused to cooperate")
    workbook["P1"].cell(3, column, "Refused to engage")
    workbook.save(target)
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        summary = ingest_return(con, housing_homelessness.RETURN, raw)
        (message,) = summary.quarantined
        assert message.startswith(
            "housing/homelessness/DetailedLA_201906.xlsx, sheet 'P1', row 3, column 'M': a new "
            "layout: the header 'Refused to engage' is not one MHCLG has used in table P1; the "
            "nearest known layout is the first layout (April 2019 onwards"
        )
        assert con.execute("select count(*) from raw.housing__homelessness").fetchone() == (0,)


# Defra ENV18


@pytest.mark.parametrize(
    "name",
    [
        "LA_and_Regional_Spreadsheet_2022-23_for_Web_revised.ods",
        "LA_and_Regional_Spreadsheet_2023-24_for_Web.ods",
        "LA_collection.ods",
    ],
)
def test_env18_release_loads_under_any_name_with_the_stated_figures(real, name, tmp_path):
    release = ENV18_FIGURES[0][0]
    raw = tmp_path / "raw"
    land(real, release, raw, f"waste/env18/{name}")
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        summary = ingest_return(con, waste_env18.RETURN, raw)
        assert summary.quarantined == []
        assert summary.periods == ["2014/15 to 2022/23"]
        for _, year, column, tonnes in ENV18_FIGURES:
            (figure,) = con.execute(
                f"select {column} from raw.waste__env18_collected_waste "
                "where ons_code = ? and financial_year = ?",
                [settings.home_area().district, year],
            ).fetchone()
            assert figure == tonnes, column
        years = con.execute(
            "select count(distinct financial_year) from raw.waste__env18_collected_waste"
        ).fetchone()
        assert years == (9,)


def test_env18_csv_and_spreadsheet_of_one_release_give_the_same_rows(real, tmp_path):
    """Defra's 2017-18 release as CSV and as ODS: two layouts, one set of figures."""
    rows = {}
    for suffix in (".csv", ".ods"):
        raw = tmp_path / suffix.strip(".") / "raw"
        land(
            real, f"waste/LA_and_Regional_Spreadsheet_201718{suffix}", raw, f"waste/env18/r{suffix}"
        )
        with duckdb.connect(str(tmp_path / suffix.strip(".") / "w.duckdb")) as con:
            summary = ingest_return(con, waste_env18.RETURN, raw)
            assert summary.quarantined == []
            rows[suffix] = con.execute(
                "select financial_year, ons_code, household_total_tonnes, "
                "household_recycled_tonnes from raw.waste__env18_collected_waste order by all"
            ).fetchall()
    assert len(rows[".csv"]) > 1000
    assert rows[".csv"] == rows[".ods"]


# data.police.uk


def police_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Records per crime group in the home district's LSOAs, grouped by the crime_types seed."""
    return dict(
        con.execute(
            """
            select types.crime_group, count(*)
            from raw.police__street_crimes as crimes
            inner join read_csv(?, header = true) as types using (crime_type)
            where regexp_extract(crimes.lsoa_name, '^(.*) [0-9]{3}[A-Z]$', 1) = ?
            group by all
            """,
            [str(SEEDS / "crime_types.csv"), home_lsoa_prefix()],
        ).fetchall()
    )


@pytest.mark.parametrize("layout", ["folder", "zip"])
def test_police_month_of_the_all_forces_download_gives_the_stated_figures(real, layout, tmp_path):
    release = POLICE_FIGURES[0][0]
    month = Path(release).name[:7]
    raw = tmp_path / "raw"
    if layout == "folder":
        land(real, release, raw, f"police/{month}/{Path(release).name}")
        land(
            real,
            "police/2019-01-surrey-street.csv",
            raw,
            f"police/{month}/{month}-surrey-street.csv",
        )
    else:
        (raw / "police").mkdir(parents=True)
        with zipfile.ZipFile(raw / f"police/{month}.zip", "w") as archive:
            archive.write(real / release, f"{month}/{Path(release).name}")
            archive.write(
                real / "police/2019-01-surrey-street.csv", f"{month}/{month}-surrey-street.csv"
            )
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        summary = ingest_return(con, police_street.RETURN, raw)
        assert summary.quarantined == []
        assert summary.periods == [month]
        counts = police_counts(con)
        assert {group: counts.get(group) for _, group, _ in POLICE_FIGURES} == {
            group: figure for _, group, figure in POLICE_FIGURES
        }
        ledger = con.execute(
            "select file_path, status, reason from ledger.submissions order by submission_id"
        ).fetchall()
    if layout == "folder":
        assert [(path, status) for path, status, _ in ledger] == [
            (f"police/{month}/{Path(release).name}", "accepted"),
            (f"police/{month}/{month}-surrey-street.csv", "not_read"),
        ]
        assert ledger[1][2].startswith("not for this warehouse: another force's street-level")
    else:
        assert [(path, status) for path, status, _ in ledger] == [
            (f"police/{month}.zip", "accepted")
        ]
        assert ledger[0][2].startswith("1 other file(s) in the archive are not for this warehouse")


def test_police_records_outside_kent_are_unallocated_with_a_finding_past_the_threshold(
    real, tmp_path
):
    """The real January holds one Welsh LSOA: unallocated, under the suite's threshold. The
    same month with a share of its records moved to Welsh LSOAs passes it: a finding."""
    release = POLICE_FIGURES[0][0]
    raw = tmp_path / "raw"
    land(real, release, raw, f"police/2019-01/{Path(release).name}")
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        ingest_return(con, police_street.RETURN, raw)
        welsh = con.execute(
            "select count(*) from raw.police__street_crimes where lsoa_code like 'W01%'"
        ).fetchone()
        assert welsh == (1,)
        outcome = suites.validate_return(con, "police__street_crimes")
        assert [f.check_name for f in outcome.findings] == []

        lines = (real / release).read_text().splitlines()
        moved = [
            re.sub(r",E01\d{6},[^,]+ (\d{3}[A-Z]),", r",W01000026,Isle of Anglesey \1,", line)
            if i % 100 == 1
            else line
            for i, line in enumerate(lines)
        ]
        (raw / "police/2019-01" / Path(release).name).write_text("\n".join(moved) + "\n")
        ingest_return(con, police_street.RETURN, raw)
        outcome = suites.validate_return(con, "police__street_crimes")
        assert [f.check_name for f in outcome.findings] == ["value_not_allowed"]
        assert "district" in outcome.findings[0].message


REVISED_RELEASE = "housing/homelessness/DetailedLA_201906_revised.xlsx"
FIRST_RELEASE = "housing/homelessness/Detailed_LA_201906.xlsx"
"""The quarter's revised workbook and the first one, as MHCLG names them: on disk the
revised one sorts first, so reading order alone would let the first one win."""


@pytest.fixture(scope="module")
def hclic_quarter(real: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The quarter's revised workbook and the first one (the home district's first figure one
    higher), made once for the module: openpyxl takes seconds to load and save the workbook,
    and each order of arrival reads the same two files."""
    store = tmp_path_factory.mktemp("hclic_quarter")
    land(real, HCLIC_RELEASES[0], store, REVISED_RELEASE)
    workbook = openpyxl.load_workbook(real / HCLIC_RELEASES[0])
    home = next(c.row for c in workbook["A1"]["A"] if c.value == settings.home_area().district)
    figure = next(c for c in workbook["A1"][home][1:] if isinstance(c.value, int | float))
    figure.value += 1  # the first release's figure, before the revision
    workbook.save(store / FIRST_RELEASE)
    return store


@pytest.mark.parametrize(
    "arrivals",
    [
        [[REVISED_RELEASE, FIRST_RELEASE]],
        [[REVISED_RELEASE], [FIRST_RELEASE]],
        [[FIRST_RELEASE], [REVISED_RELEASE]],
    ],
    ids=["side-by-side", "revised-in-an-earlier-run", "revised-in-a-later-run"],
)
def test_hclic_revised_release_supersedes_the_first_one_of_its_quarter(
    hclic_quarter, tmp_path, arrivals
):
    """MHCLG's `_revised` workbook replaces the one first published for the quarter, in
    whatever order the two arrive, and the first one never takes the quarter back."""
    store = hclic_quarter
    first = store / FIRST_RELEASE
    stated = next(
        figure
        for release, _, key, figure in HCLIC_FIGURES
        if release == HCLIC_RELEASES[0] and key == "total_initial_assessments"
    )
    first_rows = housing_homelessness.parse(PartnerFile(first, FIRST_RELEASE)).rows
    assert (
        stated
        not in first_rows.filter(
            pl.col("area_code") == settings.home_area().district,
            pl.col("figure_key") == "total_initial_assessments",
        )["figure"].to_list()
    )
    raw = tmp_path / "raw"
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        for run in arrivals:
            for name in run:
                land(store, name, raw, name)
            assert ingest_return(con, housing_homelessness.RETURN, raw).quarantined == []
        ids = dict(
            con.execute("select file_path, submission_id from ledger.submissions").fetchall()
        )
        assert sorted(
            con.execute(
                "select file_path, period, status, superseded_by from ledger.submissions"
            ).fetchall()
        ) == [
            (REVISED_RELEASE, "2019/20 Q1", "accepted", None),
            (FIRST_RELEASE, "2019/20 Q1", "superseded", ids[REVISED_RELEASE]),
        ]
        (total,) = con.execute(
            "select figure from accepted.housing__homelessness where area_code = ? "
            "and table_id = 'A1' and figure_key = 'total_initial_assessments'",
            [settings.home_area().district],
        ).fetchone()
    assert total == stated
