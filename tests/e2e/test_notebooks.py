"""The notebooks for officers and report authors run headless against a sample publication,
read it only through read-only connections, and leave it unchanged."""

from __future__ import annotations

import hashlib
import json

import nbformat
import pytest
from nbclient import NotebookClient

from pipelines import settings

NOTEBOOKS = sorted((settings.REPO_ROOT / "notebooks").glob("*.ipynb"))


def test_there_are_notebooks_for_officers_and_report_authors() -> None:
    assert len(NOTEBOOKS) >= 2


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_opens_the_publication_read_only(notebook) -> None:
    code = "\n".join(
        "".join(cell["source"])
        for cell in json.loads(notebook.read_text())["cells"]
        if cell["cell_type"] == "code"
    )
    assert "WELLBEING_PUBLISHED" in code
    connects = code.count("duckdb.connect(")
    assert connects and code.count("read_only=True") == connects


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_against_the_sample_and_leaves_it_unchanged(
    notebook, sample_warehouse, monkeypatch
) -> None:
    published = sample_warehouse.published
    before = hashlib.sha256(published.read_bytes()).hexdigest()
    monkeypatch.setenv(settings.PUBLISHED_ENV, str(published))
    executed = nbformat.read(notebook, as_version=4)
    NotebookClient(
        executed,
        timeout=120,
        kernel_name="python3",
        resources={"metadata": {"path": str(notebook.parent)}},
    ).execute()
    outputs = [o for cell in executed.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    assert any("image/png" in o.get("data", {}) for o in outputs), "no chart was drawn"
    assert hashlib.sha256(published.read_bytes()).hexdigest() == before
