"""Whether the last publication already shows everything: then a run has nothing to do.

A publication is the product of the accepted submissions, the project's own files (parsers,
dbt models, seeds, expectation suites, reviewed findings) and the as-of date it was judged
at (`settings.as_of()`: the returns calendar counts days overdue from it; today for a real
raw/). Their fingerprint is tagged on the
Dagster run that builds and publishes. A later run whose partner files are all in the ledger
with the same bytes, and whose fingerprint matches the one the last publication's run
carried, would build the same publication again, so it says so and stops instead.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import date
from pathlib import Path

import duckdb

from pipelines import settings
from pipelines.returns import PartnerFile, ReturnSpec

INPUTS_TAG = "wellbeing/inputs"
"""The Dagster run tag holding the fingerprint of what a build was made from."""
PROJECT_TAG = "wellbeing/project"
"""The Dagster run tag holding the fingerprint of the project and as-of date alone: while
it holds, only what is built from changed returns needs building again."""

PROJECT_FOLDERS = ("pipelines", "dbt_project", "expectations")
"""The project's files a publication is built from; dbt's own output folders are not."""
PROJECT_PINS = ("pyproject.toml", "constraints.txt")
"""The versions the frameworks run at: an upgrade of dbt or Great Expectations alone can
change what is built, so it is an input too."""
SKIPPED = {"target", "logs", "dbt_packages", "__pycache__"}


def project_files(root: Path = settings.REPO_ROOT) -> list[Path]:
    """Every file of the project that a publication depends on, in a stable order."""
    found = [root / name for name in PROJECT_PINS if (root / name).is_file()]
    for folder in PROJECT_FOLDERS:
        for path in (root / folder).rglob("*"):
            parts = path.relative_to(root).parts
            if path.is_file() and not SKIPPED & set(parts) and not parts[-1].startswith("."):
                found.append(path)
    return sorted(found)


def fingerprint(submissions: Iterable[int], as_of: date, root: Path = settings.REPO_ROOT) -> str:
    """sha256 of the accepted submissions, the as-of date and the project's files (name and
    bytes)."""
    digest = hashlib.sha256()
    digest.update(f"{as_of.isoformat()}\n{sorted(submissions)}\n".encode())
    for path in project_files(root):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def accepted_submissions(working: Path) -> list[int]:
    """The accepted submissions of the working warehouse (none before the first run)."""
    if not working.exists():
        return []
    with duckdb.connect(str(working), read_only=True) as con:
        try:
            rows = con.execute(
                "select submission_id from ledger.submissions where status = 'accepted'"
            ).fetchall()
        except duckdb.CatalogException:
            return []
    return sorted(row[0] for row in rows)


def changed_files(working: Path, raw_dir: Path) -> list[str]:
    """Files in raw/'s source folders that the ledger has not seen with these bytes: read,
    not read or unrecognised, every file a run would record is a change."""
    found = sorted(
        path
        for folder in (raw_dir.iterdir() if raw_dir.is_dir() else [])
        if folder.is_dir() and not folder.name.startswith(".")
        for path in folder.rglob("*")
        if path.is_file() and not path.name.startswith(".")
    )
    names = [path.relative_to(raw_dir).as_posix() for path in found]
    if not working.exists():
        return names
    with duckdb.connect(str(working), read_only=True) as con:
        try:
            seen = dict(
                con.execute(
                    "select file_path, sha256 from ledger.submissions qualify row_number() "
                    "over (partition by file_path order by submission_id desc) = 1"
                ).fetchall()
            )
        except duckdb.CatalogException:
            return names
    return [
        name
        for name, path in zip(names, found, strict=True)
        if seen.get(name) != PartnerFile(path, name).sha256()
    ]


def changed_returns(
    files: list[str], working: Path, published: Path, raw_dir: Path, specs: Iterable[ReturnSpec]
) -> dict[str, list[str]] | None:
    """The returns whose figures may differ from the last publication's, each with its
    `files` (those `changed_files` found): the returns with such files, and those
    whose accepted submissions are not the ones the publication was built from (a run that
    ingested and then failed). None when a changed file belongs to no return: the ledger
    asset records it, and everything is run."""
    names = {
        partner_file.relative_path: spec.table
        for spec in specs
        for partner_file in spec.find_files(raw_dir)
    }
    changed: dict[str, list[str]] = {}
    for name in files:
        if name not in names:
            return None
        changed.setdefault(names[name], []).append(name)
    now, then = _accepted_by_return(working), _accepted_by_return(published)
    for table in sorted(set(now) | set(then)):
        if now.get(table) != then.get(table):
            changed.setdefault(table, [])
    return changed


def _accepted_by_return(database: Path) -> dict[str, list[int]]:
    if not database.exists():
        return {}
    with duckdb.connect(str(database), read_only=True) as con:
        try:
            rows = con.execute(
                "select return_name, list(submission_id order by submission_id) "
                "from ledger.submissions where status = 'accepted' group by return_name"
            ).fetchall()
        except duckdb.CatalogException:
            return {}
    return dict(rows)


def last_publication(published: Path) -> tuple[str, str | None] | None:
    """The id and Dagster run of the latest publication, or None when there is none."""
    if not published.exists():
        return None
    with duckdb.connect(str(published), read_only=True) as con:
        try:
            return con.execute(
                "select publication_id, dagster_run_id from publication.publications "
                "order by published_at desc, publication_id desc limit 1"
            ).fetchone()
        except duckdb.CatalogException:
            return None
