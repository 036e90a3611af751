"""Load partner files from raw/ into the warehouse's raw schema, through the ledger.

Every step is idempotent: a file whose bytes were already loaded from the same path is
skipped, the same bytes under another name are recorded once as a duplicate, and a file
that cannot be parsed is quarantined without touching what was loaded before. A file's
rows and its ledger entry are committed together, so a failure leaves nothing half-loaded.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from difflib import SequenceMatcher
from pathlib import Path

import duckdb
import polars as pl

from pipelines import ledger, settings
from pipelines.returns import ParsedReturn, ParseError, PartnerFile, ReturnSpec
from pipelines.returns._reading import noting

PROVENANCE_COLUMNS = {
    "submission_id": "INTEGER",
    "source_file": "VARCHAR",
    "source_sha256": "VARCHAR",
    "source_row": "BIGINT",
    "loaded_at": "TIMESTAMP",
}

ROWS_A_COMMIT = 500_000
"""A pass commits once the files read since its last commit hold this many rows. DuckDB
keeps a transaction's new rows in memory until it commits, whatever its memory limit, so
one transaction for a backfill of all English forces (30 million police rows) outgrew 6 GB;
half a million rows is a few hundred MB. Commits are few because each costs: the first
version, committing every file, took 45 s for the 96 Kent months against 6.5 s for one."""

PASS_SETTINGS = {"memory_limit": "500MB", "threads": "1"}
"""DuckDB's settings while a pass writes, reset afterwards. The memory limit bounds what
DuckDB keeps of the rows already committed (its default is 80% of the machine). One thread:
a file's rows go in as one insert, and a second thread only added contention (police at 4×,
on 2 shared cores, two runs each: 35-40 s with one thread against 45-71 s with two, and
24-26 s of CPU time against 38-42 s)."""


@dataclass
class IngestSummary:
    """What one ingestion pass did, for the asset's metadata and the command line."""

    return_name: str
    files_seen: int = 0
    accepted: list[int] = field(default_factory=list)
    quarantined: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    superseded: list[int] = field(default_factory=list)
    not_read: list[str] = field(default_factory=list)
    rows_loaded: int = 0
    periods: list[str] = field(default_factory=list)


def ensure_raw_table(con: duckdb.DuckDBPyConnection, spec: ReturnSpec) -> None:
    columns = {**spec.columns, **PROVENANCE_COLUMNS}
    column_sql = ",\n    ".join(f'"{name}" {kind}' for name, kind in columns.items())
    con.execute("create schema if not exists raw")
    con.execute(f"create table if not exists raw.{spec.table} (\n    {column_sql}\n)")
    ledger.ensure_accepted_view(con, spec.table, spec.period_column)


def prepare_warehouse(con: duckdb.DuckDBPyConnection, specs: list[ReturnSpec]) -> None:
    """The ledger with the returns as the specifications declare them now, and a raw table
    and `accepted` view for every return, received or not: the models read every return,
    and a partner who never sent one is an overdue return, not a build that cannot start."""
    ledger.ensure_ledger(con)
    ledger.record_returns(con, specs)
    for spec in specs:
        ensure_raw_table(con, spec)


def ingest_return(
    con: duckdb.DuckDBPyConnection,
    spec: ReturnSpec,
    raw_dir: Path,
    quarantine_dir: Path | None = None,
    now: datetime | None = None,
    window: tuple[date, date] | None = None,
) -> IngestSummary:
    """Bring every new or changed file of one return into the warehouse.

    With a `window` [start, end), only files whose names place them in a period starting
    within it are read: a run for one partition leaves the other periods' files alone. A
    file whose name places it in no period the warehouse holds is quarantined by whichever
    run sees it first, since no partition would ever read it.

    A pass commits in batches of files (`ROWS_A_COMMIT`), each batch with its files' ledger
    rows, so that a batch is all or nothing: a pass stopped part way (killed, or a failure
    no file's quarantine covers) leaves the batches before it loaded and recorded and the
    files after it untouched, and the next pass loads the rest, once. Each file's rows are
    written as soon as it is read, so a pass holds one file in Python and at most a batch
    in DuckDB, however many years a backfill brings.
    """
    now = now or datetime.now(UTC).replace(tzinfo=None)
    ledger.ensure_ledger(con)
    ensure_raw_table(con, spec)
    summary = IngestSummary(return_name=spec.table)
    latest = ledger.latest_by_path(con, spec.table)
    accepted_shas = ledger.current_shas(con, spec.table)
    next_id = ledger.next_submission_id(con)
    batch = Batch()
    with _pass_settings(con):
        con.begin()
        try:
            _settle_unrecorded_periods(con, spec)
            for partner_file in spec.find_files(raw_dir):
                period_start, misplaced = _placement(spec, partner_file, now.date())
                if (
                    window is not None
                    and misplaced is None
                    and not window[0] <= period_start < window[1]
                ):
                    continue
                summary.files_seen += 1
                outside = _outside_raw(partner_file, raw_dir)
                sha = _link_sha(outside) if outside else partner_file.sha256()
                previous = latest.get(partner_file.relative_path)
                if previous is not None and previous.sha256 == sha:
                    continue
                entry = _entry(spec, partner_file, next_id, sha, now, period_start)
                if outside:
                    entry.file_size_bytes = None
                next_id += 1
                batch.entries.append(entry)
                if sha in accepted_shas:
                    entry.status = ledger.DUPLICATE
                    entry.reason = (
                        f"the same file was already loaded as submission {accepted_shas[sha]}"
                    )
                    summary.duplicates.append(partner_file.relative_path)
                    continue
                try:
                    if outside is not None:
                        raise ParseError(_refused(outside), file=partner_file.relative_path)
                    if misplaced is not None:
                        raise ParseError(misplaced, file=partner_file.relative_path)
                    with noting() as notes:
                        parsed = _parse(spec, partner_file)
                    _check_period(spec, partner_file, parsed, period_start)
                except ParseError as error:
                    entry.status = ledger.QUARANTINED
                    entry.reason = error.describe()
                    if outside is None:
                        batch.rejected.append((partner_file, entry))
                    summary.quarantined.append(error.describe())
                    continue
                _check_columns(spec, parsed)
                entry.status = ledger.ACCEPTED
                entry.period = parsed.period
                entry.source_file = parsed.source_file
                entry.row_count = parsed.rows.height
                entry.reason = "; ".join([*parsed.notes, *notes]) or None
                accepted_shas[sha] = entry.submission_id
                _insert_rows(con, spec, entry, parsed, now)
                summary.accepted.append(entry.submission_id)
                summary.rows_loaded += parsed.rows.height
                summary.periods.append(parsed.period)
                batch.rows += parsed.rows.height
                if spec.period_column:
                    batch.period_rows[entry.submission_id] = _row_periods(
                        spec, parsed.rows[spec.period_column].unique().to_list()
                    )
                del parsed  # the next file is read without this one's rows still held
                if batch.rows >= ROWS_A_COMMIT:
                    summary.superseded += _commit(con, spec, batch, now)
                    con.begin()
                    _keep_copies(batch, quarantine_dir)
                    batch = Batch()

            for partner_file, reason in spec.find_not_read(raw_dir):
                period_start = spec.periods.start_of(partner_file.name) if spec.periods else None
                placed = window is not None and period_start is not None
                if placed and not window[0] <= period_start < window[1]:
                    continue
                sha = partner_file.sha256()
                previous = latest.get(partner_file.relative_path)
                if previous is not None and previous.sha256 == sha:
                    continue
                entry = _entry(spec, partner_file, next_id, sha, now, period_start)
                entry.status = ledger.NOT_READ
                entry.reason = reason
                next_id += 1
                batch.entries.append(entry)
                summary.not_read.append(partner_file.relative_path)

            summary.superseded += _commit(con, spec, batch, now)
        except Exception:
            con.rollback()
            raise
    _keep_copies(batch, quarantine_dir)
    return summary


@dataclass
class Batch:
    """The files of a pass read since its last commit: their ledger rows, the files to keep
    a copy of once the batch is committed, each accepted file's periods, and its rows."""

    entries: list[ledger.LedgerEntry] = field(default_factory=list)
    rejected: list[tuple[PartnerFile, ledger.LedgerEntry]] = field(default_factory=list)
    period_rows: dict[int, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    rows: int = 0


def _commit(con, spec, batch: Batch, now: datetime) -> list[int]:
    """Record a batch's ledger rows beside its rows, already written in the same
    transaction, and commit the two together; returns the submissions superseded."""
    superseded = _write(con, spec, batch.entries, batch.period_rows, now)
    con.commit()
    return superseded


def _keep_copies(batch: Batch, quarantine_dir: Path | None) -> None:
    """Copies of a committed batch's rejected files, which its ledger rows name."""
    for partner_file, entry in batch.rejected:
        _keep_copy(partner_file, entry.submission_id, quarantine_dir)


@contextmanager
def _pass_settings(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """DuckDB's `PASS_SETTINGS` for the length of a pass, then its defaults again (the
    warehouse's connections set none of their own)."""
    for name, value in PASS_SETTINGS.items():
        con.execute(f"set {name} = '{value}'")
    try:
        yield
    finally:
        for name in PASS_SETTINGS:
            con.execute(f"reset {name}")


def _row_periods(spec: ReturnSpec, written: list[str]) -> tuple[tuple[str, str], ...]:
    """Each period a file's rows hold, as (period id, as written), in time order."""
    return tuple(sorted((spec.row_period(value), value) for value in written))


def _settle_unrecorded_periods(con: duckdb.DuckDBPyConnection, spec: ReturnSpec) -> None:
    """Record the periods of accepted files loaded before the ledger kept periods, so a
    warehouse made by an older version keeps showing their rows, each period from the
    latest release that holds it."""
    if not spec.period_column:
        return
    found = con.execute(
        f"""
        select distinct rows.submission_id, rows."{spec.period_column}"
        from raw.{spec.table} as rows
        inner join ledger.submissions as submissions
            on rows.submission_id = submissions.submission_id
        where submissions.status = 'accepted' and rows.submission_id not in (
            select submission_id from ledger.submission_periods
        )
        order by 1
        """
    ).fetchall()
    by_submission: dict[int, list[str]] = {}
    for submission_id, written in found:
        by_submission.setdefault(submission_id, []).append(written)
    for submission_id, written in by_submission.items():
        ledger.record_periods(
            con,
            return_name=spec.table,
            submission_id=submission_id,
            periods=_row_periods(spec, written),
        )


def _outside_raw(partner_file: PartnerFile, raw_dir: Path) -> str | None:
    """Where a file really is, when a link (of the file or a folder above it) takes it
    outside raw/: raw/ is the boundary of what partners sent, and nothing beyond it is read."""
    target = partner_file.path.resolve()
    return None if target.is_relative_to(raw_dir.resolve()) else str(target)


def _refused(target: str) -> str:
    return (
        f"refused: it resolves to {target}, outside raw/; files are read only from inside "
        "raw/, so it was neither opened nor copied"
    )


def _link_sha(target: str) -> str:
    """A stand-in for the digest of a file that is not opened: the digest of where it leads,
    so the same link is recorded once however many runs see it."""
    return hashlib.sha256(f"outside raw/: {target}".encode()).hexdigest()


PERIOD_WRITTEN = re.compile(r"\d{4}/\d{2} Q[1-4]|\d{4}/\d{2}|\d{4}-\d{2}|\d{4}(?!\S)")
"""A period as parsers write it (2021/22 Q1, 2021/22, 2021-04, 2021), at the start of the
parsed period; periods written otherwise (`April to June 2018`) are the parser's to check."""


def _check_period(
    spec: ReturnSpec, partner_file: PartnerFile, parsed: ParsedReturn, start: date | None
) -> None:
    """Refuse a file whose contents are for another period than its name says: it would be
    stored under the wrong partition and supersede the wrong submission."""
    written = PERIOD_WRITTEN.match(parsed.period)
    if start is None or written is None:
        return
    kind = spec.periods.kind
    if written.group() not in (kind.label(start), kind.key(start), kind.period_id(start)):
        raise ParseError(
            f"the file's name places it in {kind.label(start)}, but it holds "
            f"{written.group()}: correct the name or the period inside",
            file=partner_file.relative_path,
        )


def _parse(spec: ReturnSpec, partner_file: PartnerFile) -> ParsedReturn:
    """The parser's reading of a file; any failure it did not foresee still quarantines the
    file (naming the error), so one bad file never stops the other files of the run."""
    try:
        return spec.parse(partner_file)
    except ParseError:
        raise
    except Exception as error:
        raise ParseError(
            f"the file could not be read ({type(error).__name__}: {error})",
            file=partner_file.relative_path,
        ) from error


def _entry(
    spec: ReturnSpec,
    partner_file: PartnerFile,
    submission_id: int,
    sha: str,
    now: datetime,
    period_start: date | None,
) -> ledger.LedgerEntry:
    """A file's ledger row before its fate is known: until a parser reads the period from
    the file, the period is the one its name gives (so a quarantined file keeps it)."""
    return ledger.LedgerEntry(
        submission_id=submission_id,
        source=spec.source,
        return_name=spec.table,
        partner=spec.partner_of(partner_file.relative_path),
        period=spec.periods.kind.period_id(period_start) if period_start else None,
        period_start=period_start,
        file_path=partner_file.relative_path,
        sha256=sha,
        file_size_bytes=partner_file.path.stat().st_size,
        received_at=now,
        status=ledger.QUARANTINED,
    )


NOT_PARTNER_FILES = frozenset({"README.md", settings.AS_OF_FILE})
"""Files at the top of raw/ that describe it (a sample's README and as-of date), not returns."""


def record_unrecognised(
    con: duckdb.DuckDBPyConnection,
    specs: list[ReturnSpec],
    raw_dir: Path,
    now: datetime | None = None,
) -> list[str]:
    """Give every file under raw/ that no return reads or recognises a ledger row,
    `unrecognised`, with the nearest return and the names it accepts, so that a partner's
    misnamed file (`kent street april (corrected).csv`) is seen rather than silently left.
    A file is recorded once for the same bytes; returns the paths recorded now."""
    now = now or datetime.now(UTC).replace(tzinfo=None)
    ledger.ensure_ledger(con)
    claimed = {partner_file.path for spec in specs for partner_file in spec.find_files(raw_dir)}
    claimed |= {f.path for spec in specs for f, _ in spec.find_not_read(raw_dir)}
    seen = dict(
        con.execute(
            "select file_path, arg_max(sha256, submission_id) from ledger.submissions "
            "group by file_path"
        ).fetchall()
    )
    next_id = ledger.next_submission_id(con)
    entries = []
    for path in sorted(raw_dir.rglob("*")):
        relative = path.relative_to(raw_dir)
        # A folder that is a link out of raw/ is not walked into by any return's pattern;
        # it gets its own refused row, so what lies behind it is seen without being read.
        folder_link = path.is_symlink() and path.is_dir()
        if folder_link and path.resolve().is_relative_to(raw_dir.resolve()):
            continue
        if (
            not (path.is_file() or folder_link)
            or path in claimed
            or any(part.startswith(".") for part in relative.parts)
            or (len(relative.parts) == 1 and relative.name in NOT_PARTNER_FILES)
        ):
            continue
        partner_file = PartnerFile(path, relative.as_posix())
        outside = _outside_raw(partner_file, raw_dir)
        sha = _link_sha(outside) if outside else partner_file.sha256()
        if seen.get(partner_file.relative_path) == sha:
            continue
        spec = nearest_return(specs, partner_file.relative_path)
        period_start = spec.periods.start_of(path.name) if spec.periods else None
        entry = _entry(spec, partner_file, next_id, sha, now, period_start)
        entry.status = ledger.UNRECOGNISED
        entry.reason = (
            f"{partner_file.relative_path}: no return reads a file of this name; the nearest "
            f"is {spec.partner}'s {spec.table}, which reads "
            f"{' or '.join(spec.file_patterns)} (rename the file to match, or move it out "
            "of raw/ if it is not a return)"
        )
        if outside:
            entry.status = ledger.QUARANTINED
            entry.file_size_bytes = None
            entry.reason = f"{partner_file.relative_path}: {_refused(outside)}"
        entries.append(entry)
        next_id += 1
    if entries:
        con.begin()
        try:
            for entry in entries:
                ledger.record(con, entry)
            con.commit()
        except Exception:
            con.rollback()
            raise
    return [entry.file_path for entry in entries]


def nearest_return(specs: list[ReturnSpec], relative_path: str) -> ReturnSpec:
    """The return whose file names a path most nearly matches: first the most folders in
    common with a pattern, then the most similar name."""

    def closeness(spec: ReturnSpec) -> tuple[int, float]:
        patterns = (*spec.file_patterns, *(rule.pattern for rule in spec.not_read))
        return max(
            (
                _common_folders(pattern, relative_path),
                SequenceMatcher(None, pattern, relative_path).ratio(),
            )
            for pattern in patterns
        )

    return max(specs, key=closeness)


def _common_folders(pattern: str, relative_path: str) -> int:
    count = 0
    for wanted, folder in zip(pattern.split("/")[:-1], relative_path.split("/")[:-1], strict=False):
        if wanted != folder:
            break
        count += 1
    return count


def _placement(
    spec: ReturnSpec, partner_file: PartnerFile, today: date
) -> tuple[date | None, str | None]:
    """The period a file covers, from its name, or why it cannot be placed in one."""
    if spec.periods is None:
        return None, None
    problem = spec.periods.problem(partner_file.name, today)
    return (None, problem) if problem else (spec.periods.start_of(partner_file.name), None)


def _check_columns(spec: ReturnSpec, parsed: ParsedReturn) -> None:
    expected = sorted([*spec.columns, "source_row"])
    if sorted(parsed.rows.columns) != expected:
        raise ValueError(
            f"parser for {spec.table} returned columns {parsed.rows.columns}, expected {expected}"
        )


def _insert_rows(con, spec, entry, parsed: ParsedReturn, now: datetime) -> None:
    """One accepted file's rows, with their provenance, into the raw table."""
    column_list = ", ".join(f'"{c}"' for c in spec.columns)
    rows = parsed.rows.select(*spec.columns, "source_row").with_columns(
        pl.lit(entry.submission_id, pl.Int32).alias("submission_id"),
        pl.lit(parsed.source_file).alias("source_file"),
        pl.lit(entry.sha256).alias("source_sha256"),
    )
    con.register("incoming_rows", rows.to_arrow())
    try:
        con.execute(
            f"""
            insert into raw.{spec.table} ({column_list}, submission_id, source_file,
                source_sha256, source_row, loaded_at)
            select {column_list}, submission_id, source_file, source_sha256, source_row, ?
            from incoming_rows
            """,
            [now],
        )
    finally:
        con.unregister("incoming_rows")


def _write(con, spec, entries, period_rows, now) -> list[int]:
    """The ledger entries of one batch, in its transaction; returns superseded ids (for a
    file holding many periods, those superseded for some of its periods)."""
    superseded: list[int] = []
    for entry in entries:
        ledger.record(con, entry)
        if entry.submission_id in period_rows:
            superseded += ledger.record_periods(
                con,
                return_name=spec.table,
                submission_id=entry.submission_id,
                periods=period_rows[entry.submission_id],
            )
        elif entry.status == ledger.ACCEPTED:
            superseded += ledger.supersede(
                con,
                return_name=spec.table,
                period=entry.period,
                by_submission=entry.submission_id,
                at=now,
                revised=spec.is_revision,
            )
    return superseded


def _keep_copy(partner_file: PartnerFile, submission_id: int, quarantine_dir: Path | None) -> None:
    """Keep the rejected bytes beside the warehouse: the partner may overwrite raw/ later."""
    if quarantine_dir is None:
        return
    quarantine_dir.mkdir(parents=True, exist_ok=True)
    shutil.copy2(partner_file.path, quarantine_dir / f"{submission_id:06d}-{partner_file.name}")
