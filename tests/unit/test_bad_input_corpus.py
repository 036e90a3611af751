"""The bad-input corpus: real and sample partner files, broken the ways files really break,
run through the real ingestion, the reviewed suites and the publication gate.

Each variant is one row of `VARIANTS`: which return, which files it starts from, how the file
is broken, and what must happen (quarantined or refused with a reason naming the file, or
accepted with a finding, and whether publication may go ahead). For every variant the test
loads the return's good files first, then breaks one of them (or adds the broken file) and
adds a good file of another period in the same pass, and asserts:

- the broken file's ledger row: its status and the words of its reason;
- nothing lost, nothing duplicated: a quarantined file leaves every row loaded before in
  place and adds none; the good file of the same pass is loaded all the same;
- the finding (check, severity) for a file that was accepted but is wrong;
- publication: `publish.publish` on the warehouse publishes, or is blocked.

Adding a variant is adding a row.
"""

from __future__ import annotations

import csv
import io
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import openpyxl
import pytest

from pipelines import publish
from pipelines.ingest import ingest_return
from pipelines.quality import suites
from pipelines.quality.findings import record_findings
from pipelines.returns import returns_by_table

REAL_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "real"
OUTSIDE_TEXT = b"root:x:0:0:root:/root:/bin/bash\n"

Break = Callable[[Path, Path, Path], Path]
"""(the file to break inside raw/, raw/, a folder outside raw/) -> the path the ledger names."""


# How files are broken -----------------------------------------------------------------------


def cut_mid_last_row(path: Path, raw: Path, outside: Path) -> Path:
    """The copy stopped part way through the last row: no line break, fields missing."""
    data = path.read_bytes().rstrip(b"\r\n")
    start = data.rfind(b"\n") + 1
    path.write_bytes(data[: start + (len(data) - start) // 2])
    return path


def cut_in_row_containing(text: str, keep: int) -> Break:
    """Cut the file `keep` characters into the first row holding `text` ('Dartford Borou')."""

    def cut(path: Path, raw: Path, outside: Path) -> Path:
        data = path.read_bytes()
        at = data.index(text.encode())
        path.write_bytes(data[: at + keep])
        return path

    return cut


def header_only(path: Path, raw: Path, outside: Path) -> Path:
    data = path.read_bytes()
    path.write_bytes(data[: data.index(b"\n") + 1])
    return path


def empty(path: Path, raw: Path, outside: Path) -> Path:
    path.write_bytes(b"")
    return path


def in_windows_1252(old: str, new: str) -> Break:
    """Saved by a spreadsheet on a council laptop: Windows-1252, with a £ and an é."""

    def save(path: Path, raw: Path, outside: Path) -> Path:
        text = path.read_bytes().decode("utf-8-sig")
        assert old in text, f"{old!r} not in {path.name}"
        path.write_bytes(text.replace(old, new, 1).encode("cp1252"))
        return path

    return save


def inject_bytes(old: str, new: bytes) -> Break:
    def inject(path: Path, raw: Path, outside: Path) -> Path:
        data = path.read_bytes()
        assert old.encode() in data
        path.write_bytes(data.replace(old.encode(), new, 1))
        return path

    return inject


def in_utf16(path: Path, raw: Path, outside: Path) -> Path:
    path.write_bytes(path.read_bytes().decode("utf-8-sig").encode("utf-16"))
    return path


def replace_text(old: str, new: str, count: int = 1) -> Break:
    def edit(path: Path, raw: Path, outside: Path) -> Path:
        text = path.read_bytes().decode("utf-8-sig")
        assert old in text, f"{old!r} not in {path.name}"
        path.write_bytes(text.replace(old, new, count).encode())
        return path

    return edit


def repeat_rows(rows: int) -> Break:
    """The same records listed twice (same Crime ID): an export that ran twice."""

    def repeat(path: Path, raw: Path, outside: Path) -> Path:
        lines = path.read_bytes().splitlines(keepends=True)
        with_id = [line for line in lines[1:] if not line.startswith(b",")]
        path.write_bytes(b"".join(lines + with_id[:rows]))
        return path

    return repeat


def zipped_then_cut(path: Path, raw: Path, outside: Path) -> Path:
    """The month's zip from data.police.uk, downloaded half way."""
    archive = path.with_name(path.name.replace("-kent-street.csv", ".zip"))
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        out.write(path, path.name)
    path.unlink()
    archive.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    return archive


def error_page_named_zip(path: Path, raw: Path, outside: Path) -> Path:
    """What a browser saves when the download failed: an error page under the zip's name."""
    archive = path.with_name(path.name.replace("-kent-street.csv", ".zip"))
    path.unlink()
    archive.write_bytes(b"<html><body>503 Service Unavailable</body></html>\n")
    return archive


def cut_workbook(path: Path, raw: Path, outside: Path) -> Path:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    return path


def link_to_outside(name: str, valid_copy: bool) -> Break:
    """A link in raw/ to a file outside it: a copy of a good file, or a system file."""

    def link(path: Path, raw: Path, outside: Path) -> Path:
        target = outside / name
        target.write_bytes(path.read_bytes() if valid_copy else OUTSIDE_TEXT)
        where = path.with_name(name)
        where.symlink_to(target)
        return where

    return link


def folder_linked_outside(name: str) -> Break:
    """A folder of raw/ that is a link to a folder outside, holding a good file."""

    def link(path: Path, raw: Path, outside: Path) -> Path:
        folder = outside / "elsewhere"
        folder.mkdir()
        (folder / name).write_bytes(path.read_bytes())
        where = path.parent.parent / "linked"
        where.symlink_to(folder, target_is_directory=True)
        return where / name

    return link


def set_cell(sheet: str, find: Callable[[tuple], bool], column: int, value: object) -> Break:
    """Change one cell of a workbook, in the first row `find` accepts (columns from 1)."""

    def edit(path: Path, raw: Path, outside: Path) -> Path:
        workbook = openpyxl.load_workbook(path)
        rows = workbook[sheet].iter_rows()
        row = next(r for r in rows if find(tuple(c.value for c in r)))
        row[column - 1].value = value
        workbook.save(path)
        return path

    return edit


def negate_first_figure(sheet: str) -> Break:
    """Make the first positive figure of a district's row negative (a sign typed wrongly)."""

    def edit(path: Path, raw: Path, outside: Path) -> Path:
        workbook = openpyxl.load_workbook(path)
        for row in workbook[sheet].iter_rows():
            if str(row[0].value or "").startswith("E07"):
                cell = next(
                    (c for c in row[2:] if isinstance(c.value, int | float) and c.value > 0), None
                )
                if cell is not None:
                    cell.value = -cell.value
                    workbook.save(path)
                    return path
        raise AssertionError(f"no district figure in sheet {sheet} of {path.name}")

    return edit


# The corpus ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Variant:
    """One broken file and what must become of it.

    `files` are globs under the origin (`real:` is ../shared/real, else the sample): the
    first is broken, the last is the good file added in the same pass, the rest are loaded
    before. `outcome` is the ledger status of the broken file; `says` words of its reason (or
    of the finding's message); `check` the finding an accepted file must raise.
    """

    name: str
    return_name: str
    files: tuple[str, ...]
    breaks: Break
    outcome: str
    says: str
    check: str | None = None
    publishes: bool = True
    origin: str = "sample"


POLICE = ("police/2019-01-kent-street.csv", "police/2019-02-kent-street.csv")
STATUS = (
    "status/sevenoaks-district-council/2021-22-key-success-measures.csv",
    "status/sevenoaks-district-council/2019-20-key-success-measures.csv",
)
GRANTS = (
    "council/community_grants/*2019-20.csv",
    "council/community_grants/*2018-19.csv",
)
ONE_YOU = ("health/one_you/*2019-20.csv", "health/one_you/*2018-19.csv")
MISSED = (
    "waste/missed_collections/2019-20/*_Q1.csv",
    "waste/missed_collections/2019-20/*_Q2.csv",
)
HCLIC = ("housing/homelessness/Detailed_LA_201906.xlsx", "housing/homelessness/*201909.xlsx")
TONNAGE = ("waste/tonnage/*2023-24.xlsx", "waste/tonnage/*2022-23.xlsx")
CSP = (
    "community_safety/csp_action_plan/*2019-20.xlsx",
    "community_safety/csp_action_plan/*2018-19.xlsx",
)
ENV18 = ("waste/LA_and_Regional_Spreadsheet_201718.csv",)
FINGERTIPS = ("health/indicators-*.csv",)
CARE = ("health/care_navigation/*2019-20.csv", "health/care_navigation/*2018-19.csv")
PARKING = ("council/parking/*2019-20.csv", "council/parking/*2018-19.csv")
ECONOMY = ("council/economic_development/*2019-20.csv", "council/economic_development/*2018-19.csv")
PARTNER = ("council/partner_measures/*2019-20.csv", "council/partner_measures/*2018-19.csv")
GRANTS_PSH = (
    "housing/private_sector_grants/*2019-20.csv",
    "housing/private_sector_grants/*2018-19.csv",
)
KSI = ("road_safety/ksi/*2018.csv", "road_safety/ksi/*2019.csv")
LCPG = ("children/lcpg/*2019-20.xlsx", "children/lcpg/*2018-19.xlsx")
NEET = ("children/neet/*2019.xlsx", "children/neet/*2020.xlsx")


def sevenoaks_row(row: tuple) -> bool:
    return row[0] == "E07000111"


VARIANTS = (
    # Kent Police street-level crime, from the real January 2019 file
    Variant(
        "police cut mid-row",
        "police__street_crimes",
        POLICE,
        cut_mid_last_row,
        "quarantined",
        "cut off in transit",
        origin="real",
    ),
    Variant(
        "police header, no rows",
        "police__street_crimes",
        POLICE,
        header_only,
        "quarantined",
        "a header and no rows",
        origin="real",
    ),
    Variant(
        "police empty file",
        "police__street_crimes",
        POLICE,
        empty,
        "quarantined",
        "the file is empty",
        origin="real",
    ),
    Variant(
        "police Windows-1252",
        "police__street_crimes",
        POLICE,
        in_windows_1252("On or near Telford Street", "On or near Café £5 Street"),
        "accepted",
        "read as Windows-1252",
        check="encoding_not_utf8",
        origin="real",
    ),
    Variant(
        "police neither encoding",
        "police__street_crimes",
        POLICE,
        inject_bytes("On or near Telford Street", b"On or near \x81 Street"),
        "quarantined",
        "neither UTF-8 nor Windows-1252",
        origin="real",
    ),
    Variant(
        "police U+FFFD already in the text",
        "police__street_crimes",
        POLICE,
        replace_text("On or near Telford Street", "On or near Caf\ufffd Street"),
        "quarantined",
        "replacement character",
        origin="real",
    ),
    Variant(
        "police UTF-16",
        "police__street_crimes",
        POLICE,
        in_utf16,
        "quarantined",
        "NUL bytes",
        origin="real",
    ),
    Variant(
        "police 200 records repeated",
        "police__street_crimes",
        POLICE,
        repeat_rows(200),
        "accepted",
        "repeated in column 'crime_id'",
        check="record_duplicated",
        publishes=False,
        origin="real",
    ),
    Variant(
        "police zip cut half way",
        "police__street_crimes",
        POLICE,
        zipped_then_cut,
        "quarantined",
        "not a readable zip archive",
        origin="real",
    ),
    Variant(
        "police error page named .zip",
        "police__street_crimes",
        POLICE,
        error_page_named_zip,
        "quarantined",
        "not a readable zip archive",
        origin="real",
    ),
    Variant(
        "police month differs from name",
        "police__street_crimes",
        POLICE,
        replace_text(",2019-01,", ",2018-12,", count=-1),
        "quarantined",
        "differs from the file's month",
        origin="real",
    ),
    Variant(
        "police column renamed",
        "police__street_crimes",
        POLICE,
        replace_text("Crime type", "Crime category"),
        "quarantined",
        "column 'Crime type' is missing",
        origin="real",
    ),
    Variant(
        "police crime type empty",
        "police__street_crimes",
        POLICE,
        replace_text(",Violence and sexual offences,", ",,"),
        "accepted",
        "empty value in column 'crime_type'",
        check="value_missing",
        publishes=False,
        origin="real",
    ),
    Variant(
        "police link to a system file",
        "police__street_crimes",
        POLICE,
        link_to_outside("2019-03-kent-street.csv", valid_copy=False),
        "quarantined",
        "outside raw/",
        origin="real",
    ),
    Variant(
        "police link to a good file outside raw/",
        "police__street_crimes",
        POLICE,
        link_to_outside("2019-03-kent-street.csv", valid_copy=True),
        "quarantined",
        "outside raw/",
        origin="real",
    ),
    Variant(
        "police folder linked outside raw/ (not followed)",
        "police__street_crimes",
        POLICE,
        folder_linked_outside("2019-03-kent-street.csv"),
        "unseen",
        "outside raw/",
        origin="real",
    ),
    # Defra ENV18, the real 2017/18 release
    Variant(
        "ENV18 cut at 'Dartford Borou'",
        "waste__env18_collected_waste",
        ENV18,
        cut_in_row_containing("Dartford Borough", 12),
        "quarantined",
        "cut off in transit",
        origin="real",
    ),
    Variant(
        "ENV18 Windows-1252",
        "waste__env18_collected_waste",
        ENV18,
        in_windows_1252("Sevenoaks District Council", "Sevenoaks District Council – Café"),
        "accepted",
        "read as Windows-1252",
        check="encoding_not_utf8",
        origin="real",
    ),
    Variant(
        "ENV18 Sevenoaks under an unknown code",
        "waste__env18_collected_waste",
        ENV18,
        replace_text("E07000111,", "E07000999,"),
        "accepted",
        "area code 'E07000999' (named 'Sevenoaks District Council') is not an area the "
        "warehouse knows; Sevenoaks District Council is E07000111",
        check="area_unknown",
        publishes=False,
        origin="real",
    ),
    Variant(
        "ENV18 empty file",
        "waste__env18_collected_waste",
        ENV18,
        empty,
        "quarantined",
        "the file is empty",
        origin="real",
    ),
    # OHID Fingertips, the real county and unitary export
    Variant(
        "Fingertips cut mid-row",
        "health__fingertips_indicators",
        FINGERTIPS,
        cut_mid_last_row,
        "quarantined",
        "cut off in transit",
        origin="real",
    ),
    # Status returns (key success measures)
    Variant(
        "status commentary cut mid-sentence",
        "status__key_success_measures",
        STATUS,
        cut_mid_last_row,
        "quarantined",
        "cut off in transit",
    ),
    Variant(
        "status Windows-1252",
        "status__key_success_measures",
        STATUS,
        in_windows_1252(',Achieved,"Over 5,000', ',Achieved,"Café funding £5,000. Over 5,000'),
        "accepted",
        "read as Windows-1252",
        check="encoding_not_utf8",
    ),
    # Council returns
    Variant(
        "status partner folder linked outside raw/",
        "status__key_success_measures",
        STATUS,
        folder_linked_outside("2019-20-key-success-measures.csv"),
        "quarantined",
        "outside raw/",
    ),
    Variant(
        "grants Windows-1252 £",
        "council__community_grants",
        GRANTS,
        in_windows_1252("Food parcels", "Café food parcels"),
        "accepted",
        "read as Windows-1252",
        check="encoding_not_utf8",
    ),
    Variant(
        "grants cut mid-row",
        "council__community_grants",
        GRANTS,
        cut_mid_last_row,
        "quarantined",
        "cut off in transit",
    ),
    Variant(
        "grants empty file",
        "council__community_grants",
        GRANTS,
        empty,
        "quarantined",
        "the file is empty",
    ),
    # Health
    Variant(
        "One You cut mid-row",
        "health__one_you",
        ONE_YOU,
        cut_mid_last_row,
        "quarantined",
        "cut off in transit",
    ),
    Variant("One You UTF-16", "health__one_you", ONE_YOU, in_utf16, "quarantined", "NUL bytes"),
    Variant(
        "One You unknown district code",
        "health__one_you",
        ONE_YOU,
        replace_text(",E07000111,", ",E07000199,"),
        "accepted",
        "area code 'E07000199' (named 'Sevenoaks') is not an area the warehouse knows",
        check="area_unknown",
        publishes=False,
    ),
    Variant(
        "care navigation cut mid-row",
        "health__care_navigation",
        CARE,
        cut_mid_last_row,
        "quarantined",
        "cut off in transit",
    ),
    Variant(
        "care navigation neither encoding",
        "health__care_navigation",
        CARE,
        inject_bytes("\n", b"\x81\n"),
        "quarantined",
        "neither UTF-8 nor Windows-1252",
    ),
    Variant(
        "parking cut mid-row",
        "council__parking_enforcement",
        PARKING,
        cut_mid_last_row,
        "quarantined",
        "cut off in transit",
    ),
    Variant(
        "economic development UTF-16",
        "council__economic_development_actions",
        ECONOMY,
        in_utf16,
        "quarantined",
        "NUL bytes",
    ),
    Variant(
        "partner measures header only",
        "council__partner_measures",
        PARTNER,
        header_only,
        "quarantined",
        "",
    ),
    Variant(
        "private sector grants cut mid-row",
        "housing__private_sector_grants",
        GRANTS_PSH,
        cut_mid_last_row,
        "quarantined",
        "cut off in transit",
    ),
    Variant(
        "KSI negative casualties",
        "road_safety__ksi_casualties",
        KSI,
        replace_text(",Local roads,Fatal,", ",Local roads,Fatal,-"),
        "accepted",
        "out of range in column 'casualties'",
        check="count_negative",
        publishes=False,
    ),
    Variant(
        "KSI cut mid-row",
        "road_safety__ksi_casualties",
        KSI,
        cut_mid_last_row,
        "quarantined",
        "cut off in transit",
    ),
    Variant(
        "LCPG workbook cut half way",
        "children__lcpg_indicators",
        LCPG,
        cut_workbook,
        "quarantined",
        "not a readable Excel workbook",
    ),
    Variant(
        "NEET empty workbook",
        "children__neet_summary",
        NEET,
        empty,
        "quarantined",
        "not a readable Excel workbook",
    ),
    # Waste
    Variant(
        "missed collections cut mid-row",
        "waste__missed_collections",
        MISSED,
        cut_mid_last_row,
        "quarantined",
        "cut off in transit",
    ),
    Variant(
        "tonnage workbook cut half way",
        "waste__tonnage_by_destination",
        TONNAGE,
        cut_workbook,
        "quarantined",
        "not a readable spreadsheet",
    ),
    Variant(
        "tonnage negative",
        "waste__tonnage_by_destination",
        TONNAGE,
        set_cell("Tonnage", lambda r: str(r[0]).startswith("Q2"), 2, -3148.47),
        "accepted",
        "out of range in column 'recycled_tonnes'",
        check="count_negative",
        publishes=False,
    ),
    Variant(
        "tonnage named 2023-24 holding 2024/25",
        "waste__tonnage_by_destination",
        TONNAGE,
        set_cell("Tonnage", lambda r: r[0] == "Financial year", 2, "2024/25"),
        "quarantined",
        "2024/25",
    ),
    # Housing: H-CLIC
    Variant(
        "H-CLIC workbook cut half way",
        "housing__homelessness",
        HCLIC,
        cut_workbook,
        "quarantined",
        "not a readable spreadsheet",
    ),
    Variant(
        "H-CLIC empty workbook",
        "housing__homelessness",
        HCLIC,
        empty,
        "quarantined",
        "not a readable spreadsheet",
    ),
    Variant(
        "H-CLIC negative count",
        "housing__homelessness",
        HCLIC,
        negate_first_figure("P1"),
        "accepted",
        "out of range in column 'figure'",
        check="count_negative",
        publishes=False,
    ),
    Variant(
        "H-CLIC unknown area",
        "housing__homelessness",
        HCLIC,
        set_cell("A1", sevenoaks_row, 1, "E07999999"),
        "accepted",
        "area code 'E07999999' (named 'Sevenoaks') is not an area the warehouse knows; "
        "Sevenoaks is E07000111",
        check="area_unknown",
        publishes=False,
    ),
    # Community safety
    Variant(
        "CSP action plan column renamed",
        "community_safety__csp_actions",
        CSP,
        set_cell("Action plan", lambda r: r[0] == "Ref", 6, "RAG status"),
        "quarantined",
        "Status",
    ),
    Variant(
        "CSU taskings negative count",
        "community_safety__csu_taskings",
        CSP,
        set_cell("CSU taskings", lambda r: hasattr(r[0], "month"), 3, -41),
        "accepted",
        "out of range in column",
        check="count_negative",
        publishes=False,
    ),
    Variant(
        "CSP workbook cut half way",
        "community_safety__csp_actions",
        CSP,
        cut_workbook,
        "quarantined",
        "not a readable Excel workbook",
    ),
)


@pytest.fixture(scope="session")
def sample_raw(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The synthetic sample, written once, as `python -m sample_data RAW` writes it."""
    from sample_data import write_sample_returns

    raw = tmp_path_factory.mktemp("sample") / "raw"
    write_sample_returns(raw)
    return raw


def _origin(variant: Variant, request: pytest.FixtureRequest) -> Path:
    if variant.origin == "real":
        if not REAL_DIR.is_dir():
            pytest.skip("../shared/real not found: the real partner files live beside the project")
        return REAL_DIR
    return request.getfixturevalue("sample_raw")


def _one(origin: Path, pattern: str) -> Path:
    found = sorted(origin.glob(pattern))
    assert found, f"no file {pattern} under {origin}"
    return found[0]


def _place(origin: Path, pattern: str, raw: Path) -> Path:
    """Copy a file into raw/ where its return looks for it."""
    source = _one(origin, pattern)
    relative = source.relative_to(origin)
    if relative.parts[0] == "police":
        relative = Path("police", source.name[:7], source.name)
    elif relative.parts[0] == "waste" and relative.parts[1].startswith("LA_and"):
        relative = Path("waste", "env18", source.name)
    elif relative.parts[0] == "health" and relative.parts[1].startswith("indicators-"):
        relative = Path("health", "fingertips", source.name)
    target = raw / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    return target


def _accepted_rows(con, table: str) -> int:
    return con.execute(
        f"""
        select count(*) from raw.{table} as r join ledger.submissions as s using (submission_id)
        where s.status = 'accepted'
        """
    ).fetchone()[0]


@pytest.mark.parametrize("variant", VARIANTS, ids=[v.name for v in VARIANTS])
def test_bad_file(variant: Variant, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    origin = _origin(variant, request)
    spec = returns_by_table()[variant.return_name]
    raw, outside, quarantine = tmp_path / "raw", tmp_path / "outside", tmp_path / "quarantine"
    outside.mkdir()
    working = tmp_path / "working.duckdb"
    broken = _place(origin, variant.files[0], raw)
    for pattern in variant.files[1:-1]:
        _place(origin, pattern, raw)

    with duckdb.connect(str(working)) as con:
        before = ingest_return(con, spec, raw, quarantine_dir=quarantine)
        assert before.quarantined == [], before.quarantined
        rows_before = _accepted_rows(con, spec.table)
        raw_rows_before = con.execute(f"select count(*) from raw.{spec.table}").fetchone()[0]

        named = variant.breaks(broken, raw, outside)
        good = _place(origin, variant.files[-1], raw) if len(variant.files) > 1 else None
        after = ingest_return(con, spec, raw, quarantine_dir=quarantine)
        relative = named.relative_to(raw).as_posix()
        recorded = con.execute(
            "select status, reason, submission_id, row_count from ledger.submissions "
            "where file_path = ? order by submission_id desc limit 1",
            [relative],
        ).fetchone()
        status, reason, submission_id, row_count = recorded or ("unseen", None, 0, 0)

        assert status == variant.outcome, reason
        good_rows = 0
        if good is not None:
            good_id, good_status = con.execute(
                "select submission_id, status from ledger.submissions where file_path = ?",
                [good.relative_to(raw).as_posix()],
            ).fetchone()
            assert good_status == "accepted", "the good file of the same pass was not loaded"
            good_rows = con.execute(
                f"select count(*) from raw.{spec.table} where submission_id = ?", [good_id]
            ).fetchone()[0]
            assert good_rows > 0
        if variant.outcome in ("quarantined", "unseen"):
            if variant.outcome == "quarantined":
                assert variant.says in reason
                assert relative in reason
            # nothing lost: the rows accepted before are all still accepted; nothing added
            assert _accepted_rows(con, spec.table) == rows_before + good_rows
            raw_rows = con.execute(f"select count(*) from raw.{spec.table}").fetchone()[0]
            assert raw_rows == raw_rows_before + good_rows
            kept = list(quarantine.glob(f"{submission_id:06d}-*"))
            if "outside raw/" in variant.says:
                assert kept == [], "a file outside raw/ was copied"
                assert not any(OUTSIDE_TEXT in p.read_bytes() for p in quarantine.glob("*"))
            else:
                assert len(kept) == 1
        else:
            assert after.accepted and submission_id in after.accepted
            stored = con.execute(
                f"select count(*) from raw.{spec.table} where submission_id = ?", [submission_id]
            ).fetchone()[0]
            assert stored == row_count > 0
            if named.suffix == ".csv" and spec.source == "police":
                # every record of the file, once: counted from the file, not the parser
                assert stored == _data_rows(named)
            # the file it replaced is superseded, not added to
            assert (
                _accepted_rows(con, spec.table)
                == rows_before
                - _rows_of_replaced(con, spec.table, submission_id)
                + stored
                + good_rows
            )

        text_columns = [c for c, kind in spec.columns.items() if kind == "VARCHAR"]
        garbled = " or ".join(f"contains({c}, '\ufffd')" for c in text_columns)
        assert (
            con.execute(f"select count(*) from raw.{spec.table} where {garbled}").fetchone()[0] == 0
        ), "U+FFFD was stored"

        validated = suites.validate_return(con, spec.table)
        record_findings(
            con,
            validated.findings,
            check_kind="suite",
            checks_run=validated.checks_run,
            return_name=spec.table,
        )
        if variant.check is not None:
            messages = con.execute(
                "select message from quality.findings where check_name = ? and "
                "submission_id = ? and status = 'open'",
                [variant.check, submission_id],
            ).fetchall()
            assert messages, f"no {variant.check} finding"
            assert any(variant.says in m for (m,) in messages), messages
    published = tmp_path / "published" / "published.duckdb"
    if variant.publishes:
        publish.publish(working, published)
        assert published.exists()
    else:
        with pytest.raises(publish.PublicationBlocked):
            publish.publish(working, published)
        assert not published.exists()


def _data_rows(path: Path) -> int:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252")
    return sum(1 for _ in csv.reader(io.StringIO(text))) - 1


def _rows_of_replaced(con, table: str, submission_id: int) -> int:
    """Rows of the submission this one superseded (none when it was a new period)."""
    return con.execute(
        f"""
        select count(*) from raw.{table} where submission_id in (
            select submission_id from ledger.submissions where superseded_by = ?)
        """,
        [submission_id],
    ).fetchone()[0]
