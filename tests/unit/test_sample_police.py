"""The synthetic police files look like data.police.uk's and reproduce the published figures.

The files are read back with DuckDB alone, not with the pipeline's parser, so that a fault
in the generator cannot be hidden by the same fault in the code that reads it.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import duckdb
import pytest

from sample_data.police import PUBLISHED_SEVENOAKS_FIGURES, write_police_returns

HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
    "Crime type,Last outcome category,Context"
)
VICTIM_BASED = (
    "Violence and sexual offences",
    "Robbery",
    "Burglary",
    "Vehicle crime",
    "Theft from the person",
    "Bicycle theft",
    "Shoplifting",
    "Other theft",
    "Criminal damage and arson",
)
# Sevenoaks District Council's Community Plan monitoring reports (2019/20 and 2021/22).
PUBLISHED = {
    ("victim_based_crime", "2018/19"): 7745,
    ("victim_based_crime", "2019/20"): 7769,
    ("victim_based_crime", "2020/21"): 6791,
    ("victim_based_crime", "2021/22"): 7056,
    ("anti_social_behaviour", "2018/19"): 1427,
    ("anti_social_behaviour", "2019/20"): 1602,
    ("anti_social_behaviour", "2020/21"): 2690,
    ("anti_social_behaviour", "2021/22"): 1513,
}
# Sevenoaks among the 12 Kent districts, lowest = 1.
PUBLISHED_RANKS = {
    ("victim_based_crime", "2019/20"): 2,
    ("victim_based_crime", "2021/22"): 2,
    ("anti_social_behaviour", "2019/20"): 2,
    ("anti_social_behaviour", "2021/22"): 3,
}


@pytest.fixture(scope="module")
def raw_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The four financial years the reports give figures for, 2018/19 to 2021/22."""
    raw = tmp_path_factory.mktemp("raw")
    write_police_returns(raw, "2018-04", "2022-03")
    return raw


@pytest.fixture(scope="module")
def district_years(raw_dir: Path) -> dict[tuple[str, str, str], int]:
    """Rows allocated to each district's LSOAs by measure and financial year."""
    rows = duckdb.sql(
        f"""
        with crimes as (
            select
                regexp_extract("LSOA name", '^(.*) \\S+$', 1) as district,
                cast(left("Month", 4) as integer)
                    - (cast(right("Month", 2) as integer) < 4)::integer as start_year,
                "Crime type" as crime_type
            from read_csv('{raw_dir}/police/*/*-kent-street.csv', all_varchar = true)
            where "LSOA name" is not null
        )
        select
            district,
            start_year || '/' || lpad(((start_year + 1) % 100)::varchar, 2, '0') as year,
            count(*) filter (where crime_type in {VICTIM_BASED}) as victim_based_crime,
            count(*) filter (where crime_type = 'Anti-social behaviour') as asb
        from crimes
        group by all
        """
    ).fetchall()
    totals = {}
    for district, year, victim_based, asb in rows:
        totals[("victim_based_crime", district, year)] = victim_based
        totals[("anti_social_behaviour", district, year)] = asb
    return totals


def test_header_and_format_match_data_police_uk(raw_dir: Path) -> None:
    data = (raw_dir / "police" / "2019-01" / "2019-01-kent-street.csv").read_bytes()
    lines = data.decode("utf-8").split("\n")
    assert lines[0] == HEADER
    assert b"\r" not in data and b'"' not in data
    assert lines[-1] == ""
    assert all(line.count(",") >= 11 for line in lines[1:-1])
    coordinate = re.compile(r"^-?\d+\.\d{6}$")
    frame = duckdb.sql(
        f"select * from read_csv('{raw_dir}/police/2019-01/2019-01-kent-street.csv', "
        "all_varchar = true)"
    )
    assert len(frame.columns) == 12
    rows = frame.fetchall()
    assert {row[1] for row in rows} == {"2019-01"}
    assert {row[2] for row in rows} == {row[3] for row in rows} == {"Kent Police"}
    assert {row[11] for row in rows} == {None}
    located = [row for row in rows if row[7] is not None]
    assert all(coordinate.match(row[4]) and coordinate.match(row[5]) for row in located)
    assert all(row[6].startswith("On or near ") for row in located)


def test_crime_ids_and_outcomes(raw_dir: Path) -> None:
    rows = duckdb.sql(
        f'select "Crime ID", "Crime type", "Last outcome category" from read_csv('
        f"'{raw_dir}/police/2020-06/2020-06-kent-street.csv', all_varchar = true)"
    ).fetchall()
    asb = [row for row in rows if row[1] == "Anti-social behaviour"]
    crimes = [row for row in rows if row[1] != "Anti-social behaviour"]
    assert asb and all(row[0] is None and row[2] is None for row in asb)
    assert all(re.fullmatch(r"[0-9a-f]{64}", row[0]) for row in crimes)
    assert len({row[0] for row in crimes}) == len(crimes)
    assert all(row[2] for row in crimes)
    assert len({row[1] for row in rows}) == 14


def test_violence_is_the_largest_crime_type(raw_dir: Path) -> None:
    shares = dict(
        duckdb.sql(
            f"""
            select "Crime type", count(*) / sum(count(*)) over ()
            from read_csv('{raw_dir}/police/2019-*/*-kent-street.csv', all_varchar = true)
            where "Crime type" <> 'Anti-social behaviour'
            group by all
            """
        ).fetchall()
    )
    assert max(shares, key=shares.__getitem__) == "Violence and sexual offences"
    assert 0.35 <= shares["Violence and sexual offences"] <= 0.40


@pytest.mark.parametrize(("measure", "year"), sorted(PUBLISHED))
def test_sevenoaks_totals_are_the_published_figures(
    district_years: dict[tuple[str, str, str], int], measure: str, year: str
) -> None:
    assert district_years[(measure, "Sevenoaks", year)] == PUBLISHED[(measure, year)]
    assert PUBLISHED_SEVENOAKS_FIGURES[measure][year] == PUBLISHED[(measure, year)]


@pytest.mark.parametrize(("measure", "year"), sorted(PUBLISHED_RANKS))
def test_sevenoaks_holds_its_published_rank_in_kent(
    district_years: dict[tuple[str, str, str], int], measure: str, year: str
) -> None:
    kent = {
        district: total
        for (m, district, y), total in district_years.items()
        if m == measure and y == year and district != "Medway"
    }
    assert len(kent) == 12 and "Shepway" in kent
    ranked = sorted(kent, key=kent.__getitem__)
    rank = ranked.index("Sevenoaks") + 1
    assert rank == PUBLISHED_RANKS[(measure, year)]
    # Comfortable margins: at least 5% to the neighbours either side, so no near-ties.
    sevenoaks = kent["Sevenoaks"]
    neighbours = [kent[d] for d in ranked[max(rank - 2, 0) : rank + 1] if d != "Sevenoaks"]
    assert all(abs(total - sevenoaks) > 0.05 * sevenoaks for total in neighbours)


def test_other_districts_have_kent_sized_volumes(
    district_years: dict[tuple[str, str, str], int],
) -> None:
    for (measure, district, year), total in district_years.items():
        if district in {"Sevenoaks", "Medway"}:
            continue
        if measure == "victim_based_crime":
            assert 5_000 <= total <= 20_000, (district, year, total)
        elif year != "2020/21":
            assert 1_000 <= total <= 5_000, (district, year, total)
    for district in ("Thanet", "Sevenoaks", "Maidstone"):
        assert (
            district_years[("anti_social_behaviour", district, "2020/21")]
            > 1.4 * district_years[("anti_social_behaviour", district, "2019/20")]
        )


def test_rows_without_location_have_no_lsoa_and_come_last(raw_dir: Path) -> None:
    rows = duckdb.sql(
        f"select * from read_csv('{raw_dir}/police/2021-11/2021-11-kent-street.csv', "
        "all_varchar = true)"
    ).fetchall()
    unlocated = [i for i, row in enumerate(rows) if row[6] in {"No Location", "No location"}]
    assert 0.005 * len(rows) < len(unlocated) < 0.03 * len(rows)
    assert unlocated == list(range(len(rows) - len(unlocated), len(rows)))
    assert all(rows[i][4] is None and rows[i][5] is None for i in unlocated)
    assert all(rows[i][7] is None and rows[i][8] is None for i in unlocated)


def test_rows_are_sorted_by_lsoa_name_then_crime_type(raw_dir: Path) -> None:
    rows = duckdb.sql(
        f'select "LSOA name", "Crime type" from read_csv('
        f"'{raw_dir}/police/2019-07/2019-07-kent-street.csv', all_varchar = true)"
    ).fetchall()
    located = [row for row in rows if row[0] is not None]
    # data.police.uk sorts crime types alphabetically but puts "Other crime" last.
    keys = [(name, crime_type == "Other crime", crime_type) for name, crime_type in located]
    assert keys == sorted(keys)
    names = {name for name, _ in located}
    assert {"Sevenoaks 003B", "Sevenoaks 004C", "Shepway 001A", "Medway 001A"} <= names


def test_same_seed_gives_identical_files(tmp_path: Path) -> None:
    first = write_police_returns(tmp_path / "a", "2020-02", "2020-02", seed=7)
    again = write_police_returns(tmp_path / "b", "2020-01", "2020-03", seed=7)
    other = write_police_returns(tmp_path / "c", "2020-02", "2020-02", seed=8)
    assert first[0].relative_to(tmp_path / "a") == Path("police/2020-02/2020-02-kent-street.csv")
    assert first[0].read_bytes() == again[1].read_bytes()
    assert first[0].read_bytes() != other[0].read_bytes()


def test_zip_holds_the_month_as_data_police_uk_archives_do(tmp_path: Path) -> None:
    plain = write_police_returns(tmp_path / "plain", "2021-04", "2021-04")
    zipped = write_police_returns(tmp_path / "zip", "2021-04", "2021-05", as_zip=True)
    assert [p.relative_to(tmp_path / "zip").as_posix() for p in zipped] == [
        "police/2021-04.zip",
        "police/2021-05.zip",
    ]
    with zipfile.ZipFile(zipped[0]) as archive:
        assert archive.namelist() == ["2021-04/2021-04-kent-street.csv"]
        assert archive.read("2021-04/2021-04-kent-street.csv") == plain[0].read_bytes()
    again = write_police_returns(tmp_path / "again", "2021-04", "2021-04", as_zip=True)
    assert again[0].read_bytes() == zipped[0].read_bytes()


@pytest.mark.parametrize(
    ("first", "last"), [("2016-12", "2017-05"), ("2020-05", "2020-04"), ("2020-13", "2021-01")]
)
def test_months_outside_the_sample_are_refused(tmp_path: Path, first: str, last: str) -> None:
    with pytest.raises(ValueError):
        write_police_returns(tmp_path, first, last)
