"""The dbt project as Dagster sees it.

The manifest is built by `dbt parse` when it is missing or older than the project's files,
so a fresh clone, `dagster dev` and the tests all load the same graph without a manual step.
It is parsed into a folder of its own and moved into place, so a parse killed part way, or
two processes parsing at once, never leave a half-written manifest.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from dagster_dbt import DbtProject

from pipelines import settings

dbt_project = DbtProject(
    project_dir=settings.DBT_PROJECT_DIR,
    profiles_dir=settings.DBT_PROJECT_DIR,
    target_path=settings.dbt_target_path(),
)


def _newest_source_mtime(project_dir: Path) -> float:
    watched = [project_dir / "dbt_project.yml", project_dir / "profiles.yml"]
    for folder in ("models", "seeds", "macros", "tests"):
        watched.extend(p for p in (project_dir / folder).rglob("*") if p.is_file())
    return max(p.stat().st_mtime for p in watched if p.exists())


def ensure_manifest() -> Path:
    """Parse the dbt project if its manifest is missing or stale; return the manifest path."""
    manifest = dbt_project.manifest_path
    if manifest.exists() and manifest.stat().st_mtime >= _newest_source_mtime(
        dbt_project.project_dir
    ):
        return manifest
    settings.export_environment()
    manifest.parent.mkdir(parents=True, exist_ok=True)
    parsed = Path(tempfile.mkdtemp(prefix=".parse-", dir=manifest.parent))
    try:
        subprocess.run(
            [
                settings.DBT_EXECUTABLE,
                "parse",
                "--quiet",
                "--profiles-dir",
                str(dbt_project.profiles_dir),
                "--target-path",
                str(parsed),
            ],
            cwd=dbt_project.project_dir,
            check=True,
            env={**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"},
        )
        for name in ("partial_parse.msgpack", manifest.name):  # the manifest, which dates it, last
            if (parsed / name).exists():
                os.replace(parsed / name, manifest.parent / name)
    finally:
        shutil.rmtree(parsed, ignore_errors=True)
    return manifest


def keep_partial_parse(invocation_target: Path) -> None:
    """Put the partial parse a dbt invocation left where the next invocation starts from.

    Each invocation from Dagster works in a target folder of its own, starting from a copy
    of the project's `partial_parse.msgpack`, which `dbt parse` wrote for whatever warehouse
    path was set then; a parse for another path is thrown away (the path is in dbt's
    profile), so every build would parse the whole project again (about 6 s). Kept after
    each build, the next build on the same warehouse parses only what changed. Moved into
    place, so a reader never sees half a file."""
    parsed = invocation_target / "partial_parse.msgpack"
    if not parsed.exists():
        return
    kept = dbt_project.manifest_path.parent / parsed.name
    partial = kept.with_name(f".{parsed.name}.{os.getpid()}")
    shutil.copyfile(parsed, partial)
    os.replace(partial, kept)
