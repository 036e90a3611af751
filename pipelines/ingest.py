"""Load partner files from raw/ into the warehouse's raw schema, through the ledger.

Every step is idempotent: a file whose bytes were already loaded from the same path is
skipped, the same bytes under another name are recorded once as a duplicate, and a file
that cannot be parsed is quarantined without touching what was loaded before. Rows and
their ledger entry are written in one transaction, so a failure leaves nothing half-loaded.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from pipelines import ledger
from pipelines.returns import ParseError, PartnerFile, ReturnSpec

PROVENANCE_COLUMNS = {
    "submission_id": "INTEGER",
    "source_file": "VARCHAR",
    "source_sha256": "VARCHAR",
    "source_row": "BIGINT",
    "loaded_at": "TIMESTAMP",
}


@dataclass
class IngestSummary:
    """What one ingestion pass did, for the asset's metadata and the command line."""

    return_name: str
    files_seen: int = 0
    accepted: list[int] = field(default_factory=list)
    quarantined: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    superseded: list[int] = field(default_factory=list)
    rows_loaded: int = 0
    periods: list[str] = field(default_factory=list)


def ensure_raw_table(con: duckdb.DuckDBPyConnection, spec: ReturnSpec) -> None:
    columns = {**spec.columns, **PROVENANCE_COLUMNS}
    column_sql = ",\n    ".join(f'"{name}" {kind}' for name, kind in columns.items())
    con.execute("create schema if not exists raw")
    con.execute(f"create table if not exists raw.{spec.table} (\n    {column_sql}\n)")


def ingest_return(
    con: duckdb.DuckDBPyConnection,
    spec: ReturnSpec,
    raw_dir: Path,
    quarantine_dir: Path | None = None,
    now: datetime | None = None,
) -> IngestSummary:
    """Bring every new or changed file of one return into the warehouse."""
    now = now or datetime.now(UTC).replace(tzinfo=None)
    ledger.ensure_ledger(con)
    ensure_raw_table(con, spec)
    summary = IngestSummary(return_name=spec.table)
    latest = ledger.latest_by_path(con, spec.table)
    accepted_shas = ledger.current_shas(con, spec.table)

    for partner_file in spec.find_files(raw_dir):
        summary.files_seen += 1
        sha = partner_file.sha256()
        previous = latest.get(partner_file.relative_path)
        if previous is not None and previous.sha256 == sha:
            continue
        submission_id = ledger.next_submission_id(con)
        entry = {
            "submission_id": submission_id,
            "source": spec.source,
            "return_name": spec.table,
            "partner": spec.partner,
            "file_path": partner_file.relative_path,
            "sha256": sha,
            "file_size_bytes": partner_file.path.stat().st_size,
            "received_at": now,
        }
        if sha in accepted_shas:
            reason = f"the same file was already loaded as submission {accepted_shas[sha]}"
            ledger.record(
                con, **entry, period=None, source_file=None, status="duplicate", reason=reason
            )
            summary.duplicates.append(partner_file.relative_path)
            continue
        try:
            parsed = spec.parse(partner_file)
        except ParseError as error:
            ledger.record(
                con,
                **entry,
                period=None,
                source_file=None,
                status="quarantined",
                reason=error.describe(),
            )
            _keep_copy(partner_file, submission_id, quarantine_dir)
            summary.quarantined.append(error.describe())
            continue
        superseded = _load(con, spec, partner_file, parsed, entry, now)
        accepted_shas[sha] = submission_id
        summary.accepted.append(submission_id)
        summary.superseded.extend(superseded)
        summary.rows_loaded += parsed.rows.height
        summary.periods.append(parsed.period)
    return summary


def _load(con, spec, partner_file, parsed, entry, now) -> list[int]:
    """Insert the rows and the ledger entry together, superseding the period's older file."""
    rows = parsed.rows
    expected = [*spec.columns, "source_row"]
    if sorted(rows.columns) != sorted(expected):
        raise ValueError(
            f"parser for {spec.table} returned columns {rows.columns}, expected {expected}"
        )
    incoming = rows.to_arrow()
    con.begin()
    try:
        con.register("incoming_rows", incoming)
        column_list = ", ".join(f'"{c}"' for c in spec.columns)
        con.execute(
            f"""
            insert into raw.{spec.table} ({column_list}, submission_id, source_file,
                source_sha256, source_row, loaded_at)
            select {column_list}, ?, ?, ?, source_row, ?
            from incoming_rows
            """,
            [entry["submission_id"], parsed.source_file, entry["sha256"], now],
        )
        con.unregister("incoming_rows")
        ledger.record(
            con,
            **entry,
            period=parsed.period,
            source_file=parsed.source_file,
            status="accepted",
            row_count=rows.height,
        )
        superseded = ledger.supersede(
            con,
            return_name=spec.table,
            period=parsed.period,
            by_submission=entry["submission_id"],
            at=now,
        )
        con.commit()
    except Exception:
        con.rollback()
        raise
    return superseded


def _keep_copy(partner_file: PartnerFile, submission_id: int, quarantine_dir: Path | None) -> None:
    """Keep the rejected bytes beside the warehouse: the partner may overwrite raw/ later."""
    if quarantine_dir is None:
        return
    quarantine_dir.mkdir(parents=True, exist_ok=True)
    shutil.copy2(partner_file.path, quarantine_dir / f"{submission_id:06d}-{partner_file.name}")
