"""A read-only, locked-down connection to the published warehouse.

Officers type their own SQL against it, so the connection must not be able to change
anything: the file is opened read-only, DuckDB may not touch any other file (no COPY TO,
ATTACH, INSTALL or reading files from disk) and the configuration is locked so a query
cannot switch that back on.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb

from pipelines import settings

LOCKED_DOWN = {
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "allow_community_extensions": False,
    "lock_configuration": True,
}


class PublishedWarehouseMissing(FileNotFoundError):
    """No publication yet: the pipeline has not completed a run whose checks passed."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            f"No published warehouse at {path}. Run `wellbeing run` (the warehouse is published "
            f"when a run's blocking checks pass) or point {settings.PUBLISHED_ENV} at one."
        )
        self.path = path


def published_file(path: Path | str | None = None) -> Path:
    """The published warehouse file, checked to exist."""
    resolved = Path(path).resolve() if path else settings.published_path()
    if not resolved.is_file():
        raise PublishedWarehouseMissing(resolved)
    return resolved


def connect(path: Path | str | None = None) -> duckdb.DuckDBPyConnection:
    """Open the published warehouse read-only with file access and configuration locked."""
    return duckdb.connect(str(published_file(path)), read_only=True, config=dict(LOCKED_DOWN))


def published_at(con: duckdb.DuckDBPyConnection, path: Path | str | None = None) -> datetime:
    """When the publication was made, as the publish step recorded it; for a file without
    that record, when the file was written (it is replaced whole, so that is the run's time).
    """
    if relation_exists(con, "publication", "publications"):
        (recorded,) = con.execute(
            "select max(published_at) from publication.publications"
        ).fetchone()
        if recorded is not None:
            return recorded
    return datetime.fromtimestamp(published_file(path).stat().st_mtime)


def relation_exists(con: duckdb.DuckDBPyConnection, schema: str, name: str) -> bool:
    """True when the publication holds the table or view `schema.name`."""
    found = con.execute(
        "select count(*) from duckdb_tables() where schema_name = ? and table_name = ? "
        "union all "
        "select count(*) from duckdb_views() where schema_name = ? and view_name = ?",
        [schema, name, schema, name],
    ).fetchall()
    return any(count for (count,) in found)


def area_name(con: duckdb.DuckDBPyConnection, area_code: str) -> str:
    """The area's name as the areas seed writes it, so that titles and sentences name the home
    district from its code in the home_area setting; the code when the warehouse has no
    name for it."""
    if not relation_exists(con, "reference", "areas"):
        return area_code
    found = con.execute(
        "select area_name from reference.areas where area_code = ?", [area_code]
    ).fetchone()
    return found[0] if found else area_code
