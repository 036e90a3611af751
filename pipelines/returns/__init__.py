"""Partner returns: one module per return, each exposing a `RETURN` specification.

A module here knows how to read one kind of file a partner sends and nothing else: no
Dagster, no warehouse. Ingestion, the ledger and the Dagster assets are built from the
specifications found here, so adding a partner return is adding a module (plus its dbt
staging model and catalogue rows).
"""

from __future__ import annotations

import hashlib
import importlib
import pkgutil
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import polars as pl

from pipelines.periods import FilePeriods, PeriodKind, window


class ParseError(Exception):
    """A partner file that cannot be trusted, with where the problem is.

    The message names the file, and where known the sheet, row and column, in words an
    officer can pass back to the partner.
    """

    def __init__(
        self,
        problem: str,
        *,
        file: str,
        row: int | None = None,
        column: str | None = None,
        sheet: str | None = None,
    ) -> None:
        self.problem = problem
        self.file = file
        self.row = row
        self.column = column
        self.sheet = sheet
        super().__init__(self.describe())

    def describe(self) -> str:
        where = [self.file]
        if self.sheet is not None:
            where.append(f"sheet '{self.sheet}'")
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: {self.problem}"


@dataclass(frozen=True)
class PartnerFile:
    """A file as it sits in raw/: its path relative to raw/ names it everywhere."""

    path: Path
    relative_path: str

    @property
    def name(self) -> str:
        return self.path.name

    def read_bytes(self) -> bytes:
        return self.path.read_bytes()

    def sha256(self) -> str:
        digest = hashlib.sha256()
        with self.path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        return digest.hexdigest()

    def read_member(self, suffix: str) -> tuple[str, bytes]:
        """The bytes of a plain file, or of the one zip member whose name ends with suffix."""
        if self.path.suffix.lower() != ".zip":
            return self.relative_path, self.read_bytes()
        from pipelines.returns._reading import zip_member

        return zip_member(self.path, self.relative_path, suffix)


@dataclass(frozen=True)
class ParsedReturn:
    """What a parser hands to ingestion: the period the file covers and its rows.

    `rows` has the specification's columns plus `source_row`, the row number an officer
    sees when opening the file (the header is row 1). `notes` says what the parser passed
    over on purpose (total rows, other areas), for the ledger: nothing is dropped unsaid.
    """

    period: str
    rows: pl.DataFrame
    source_file: str
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class NotRead:
    """Files a return recognises but the warehouse does not read, and why.

    A publisher's folder often holds more than the warehouse needs (the all-forces police
    download has every force's files, and outcomes beside street crimes). Naming them here
    gives each a ledger row, `not_read` with the reason, instead of silence.
    """

    pattern: str
    """A glob under raw/ within the return's own folder, like `file_patterns`; a file the
    return reads is never `not_read`, so a broad glob (`police/**/*.csv`) can follow the
    narrow ones it reads."""
    reason: str
    """Why the warehouse leaves these files alone, in words for an officer."""


@dataclass(frozen=True)
class Sender:
    """One of several partners who send the same return, each into a folder of its own
    named by its slug (`status/kent-police/2021-22-key-success-measures.csv`)."""

    partner: str
    slug: str


@dataclass(frozen=True)
class ReturnSpec:
    """How one partner return arrives, when it is due, and what its rows look like once read.

    The one place these facts are written: the ingestion asset, the ledger's `returns`
    table (which dbt's returns calendar reads) and the dbt sources are made from it.
    """

    source: str
    name: str
    partner: str
    description: str
    cadence: str
    file_patterns: tuple[str, ...]
    columns: dict[str, str]
    parse: Callable[[PartnerFile], ParsedReturn]
    first_period: str
    """The first period the return is expected for, as officers write periods (`2017-04`,
    `2018/19 Q1`, `2017/18`, `2017`); every later period is expected once due."""
    due_days: int
    """Days after a period ends by which the partner's return for it is due."""
    periods: FilePeriods | None = None
    """How a file's name says the period it covers, which is its partition; None for a
    return whose every file covers many periods (a national snapshot such as ENV18)."""
    period_kind: PeriodKind | None = None
    """The period the return is due for, when `periods` does not say (a national table
    republished each year with every year in it is still due once a financial year)."""
    senders: tuple[Sender, ...] = ()
    """The partners who each send the return, when it is more than one."""
    not_read: tuple[NotRead, ...] = ()
    """Names the return recognises but does not read, each recorded as `not_read`."""
    revision: str | None = None
    """A pattern in the names of revised releases (`_revised`): such a file supersedes the
    unrevised file of its period whichever arrives first, and is never superseded by one."""
    period_column: str | None = None
    """For a return whose every file holds many periods, the column giving each row's
    period: the ledger keeps each period's current submission, and `accepted` shows a
    row only when its submission is current for its period."""
    row_period: Callable[[str], str | None] | None = None
    """With `period_column`: the period id (`2021/22`) of a period as the rows write it."""

    def __post_init__(self) -> None:
        if self.periods is None and self.period_kind is None:
            raise ValueError(f"{self.table}: give periods= or period_kind= (when it is due)")

    @property
    def schedule_kind(self) -> PeriodKind:
        """The kind of period the return is due for, one return a period."""
        return self.period_kind or self.periods.kind

    @property
    def first_period_start(self) -> date:
        """The first day of `first_period`."""
        return window(self.first_period)[0]

    def partner_of(self, relative_path: str) -> str:
        """Who sent a file: the sender whose folder holds it, for a return several partners
        send; otherwise the return's partner."""
        folders = relative_path.split("/")[:-1]
        return next((s.partner for s in self.senders if s.slug in folders), self.partner)

    @property
    def table(self) -> str:
        """Name of the raw table, `<source>__<return>`, as dbt's staging models expect."""
        return f"{self.source}__{self.name}"

    def is_revision(self, file_path: str) -> bool:
        """Whether a file's name marks it as a revised release of its period."""
        return self.revision is not None and re.search(self.revision, file_path) is not None

    def find_files(self, raw_dir: Path) -> list[PartnerFile]:
        """Every file in raw/ that belongs to this return, in a stable order."""
        return _glob(raw_dir, self.file_patterns)

    def find_not_read(self, raw_dir: Path) -> list[tuple[PartnerFile, str]]:
        """Files this return recognises but does not read, each with the reason why."""
        read = {partner_file.path for partner_file in self.find_files(raw_dir)}
        found: dict[Path, tuple[PartnerFile, str]] = {}
        for rule in self.not_read:
            for partner_file in _glob(raw_dir, (rule.pattern,)):
                if partner_file.path not in read:
                    found.setdefault(partner_file.path, (partner_file, rule.reason))
        return [found[p] for p in sorted(found)]


def _glob(raw_dir: Path, patterns: tuple[str, ...]) -> list[PartnerFile]:
    """Files under raw/ matching any of the globs, hidden files left out, in a stable order."""
    found: dict[Path, PartnerFile] = {}
    for pattern in patterns:
        for path in raw_dir.glob(pattern):
            if path.is_file() and not path.name.startswith("."):
                found[path] = PartnerFile(path, path.relative_to(raw_dir).as_posix())
    return [found[p] for p in sorted(found)]


def all_returns() -> list[ReturnSpec]:
    """Every return specification in this package, found by module, sorted by table."""
    specs = [
        importlib.import_module(f"{__name__}.{module.name}").RETURN
        for module in pkgutil.iter_modules(__path__)
        if not module.name.startswith("_")
    ]
    return sorted(specs, key=lambda spec: spec.table)


def returns_by_table() -> dict[str, ReturnSpec]:
    """Every return specification by its raw table, `police__street_crimes`."""
    return {spec.table: spec for spec in all_returns()}


def iter_csv_lines(data: bytes, file: str) -> Iterator[list[str]]:
    """Rows of a complete CSV as lists of strings, decoded faithfully or refused
    (`_reading.csv_rows`: the rules every parser shares)."""
    from pipelines.returns._reading import csv_rows

    return csv_rows(data, file)
