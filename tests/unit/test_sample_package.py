"""The sample stands apart from the product: it imports nothing from the warehouse, the
warehouse imports nothing from it, and the formats it writes are the publishers' own."""

from __future__ import annotations

import ast
import csv
import subprocess
import sys
from pathlib import Path

import fastexcel
import pytest

import sample_data
from pipelines import settings
from sample_data import formats, release_layouts
from sample_data.__main__ import main as write_sample_command

SAMPLE_DIR = Path(sample_data.__file__).parent
PRODUCT_DIR = settings.REPO_ROOT / "pipelines"


def imported_modules(folder: Path) -> dict[str, set[str]]:
    """Every module each Python file under folder imports, lazy imports in functions too."""
    found = {}
    for path in sorted(folder.rglob("*.py")):
        names = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module)
        found[path.relative_to(settings.REPO_ROOT).as_posix()] = names
    return found


def from_package(modules: dict[str, set[str]], package: str) -> dict[str, set[str]]:
    return {
        path: hits
        for path, names in modules.items()
        if (hits := {n for n in names if n == package or n.startswith(f"{package}.")})
    }


def test_the_sample_imports_nothing_from_the_warehouse() -> None:
    modules = imported_modules(SAMPLE_DIR)
    assert "sample_data/police.py" in modules
    assert from_package(modules, "pipelines") == {}


def test_the_sample_loads_with_the_warehouse_package_blocked() -> None:
    """Every sample module imports in a Python where importing `pipelines` fails."""
    names = sorted(f"sample_data.{path.stem}" for path in SAMPLE_DIR.glob("[!_]*.py"))
    guard = (
        "import importlib, sys\n"
        "class Blocked:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'pipelines' or name.startswith('pipelines.'):\n"
        "            raise ImportError(f'the sample imported {name}')\n"
        "sys.meta_path.insert(0, Blocked())\n"
        f"for name in {names!r}:\n"
        "    importlib.import_module(name)\n"
        "importlib.import_module('sample_data.__main__')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", guard], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "sample_data.police" in names and "sample_data.formats" in names


def test_the_warehouse_imports_nothing_from_the_sample() -> None:
    modules = imported_modules(PRODUCT_DIR)
    assert "pipelines/cli.py" in modules
    assert from_package(modules, "sample_data") == {}


def test_the_sample_command_leaves_a_filled_landing_zone_alone(tmp_path: Path, capsys) -> None:
    raw = tmp_path / "raw"
    (raw / "police").mkdir(parents=True)
    (raw / "police" / "partner.csv").write_text("a,b\n")
    write_sample_command([str(raw)])
    assert "already holds partner files" in capsys.readouterr().out
    assert [p.name for p in raw.rglob("*") if p.is_file()] == ["partner.csv"]


def test_the_as_of_date_and_readme_do_not_make_a_landing_zone_full(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "README.md").write_text("label\n")
    (raw / sample_data.AS_OF_FILE).write_text("2025-05-31\n")
    assert sample_data.raw_dir_is_empty(raw)
    (raw / "waste").mkdir()
    (raw / "waste" / "tonnage 2021-22.csv").write_text("x\n")
    assert not sample_data.raw_dir_is_empty(raw)


# The formats as the publishers describe them, against the real files in ../shared --------


def first_line(path: Path) -> list[str]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return next(csv.reader(handle))


def test_the_police_header_is_data_police_uk_s(shared_dir: Path) -> None:
    for name in ("2019-01-kent-street.csv", "2019-01-surrey-street.csv"):
        assert tuple(first_line(shared_dir / "real" / "police" / name)) == (
            formats.POLICE_STREET_HEADER
        )


def test_the_env18_header_is_defra_s(shared_dir: Path) -> None:
    real = shared_dir / "real" / "waste" / "LA_and_Regional_Spreadsheet_201718.csv"
    assert tuple(first_line(real)) == formats.ENV18_HEADER


def test_the_fingertips_header_is_the_export_s(shared_dir: Path) -> None:
    """The real export's parent is a region, the sample's a county; newer exports add the
    `Time period range` column at the end."""
    real = first_line(shared_dir / "real" / "health" / "indicators-CountyUA.data.csv")
    sample = formats.FINGERTIPS_HEADER
    assert len(real) == 26 and len(sample) == 27
    parent = real.index("Compared to Region value or percentiles")
    assert sample[:parent] == tuple(real[:parent])
    assert sample[parent + 1 : 26] == tuple(real[parent + 1 :])
    assert sample[parent].startswith("Compared to ")
    assert sample[parent].endswith(" value or percentiles")
    assert sample[26] == "Time period range"


@pytest.mark.parametrize(
    ("file_name", "quarter"),
    [("DetailedLA_201906_revised.xlsx", (2019, 4)), ("Detailed_LA_202412.ods", (2024, 10))],
)
def test_the_h_clic_quarter_title_is_mhclg_s(shared_dir: Path, file_name: str, quarter) -> None:
    path = shared_dir / "real" / "housing" / "homelessness" / file_name
    sheet = fastexcel.read_excel(path).load_sheet_by_name("A1", header_row=None, n_rows=1)
    title = sheet.to_polars().row(0)[0]
    assert title.endswith(f"England, {formats.hclic_quarter_title(*quarter)}"), title


@pytest.mark.parametrize("edition", release_layouts.HCLIC_EDITIONS, ids=lambda e: e.name)
def test_the_h_clic_layouts_are_the_real_releases(shared_dir: Path, edition) -> None:
    """Each layout the sample writes is the real release's: its sheets, and for A1, P1 and R1
    the title, every header row above the figures and the notes under them, cell by cell."""
    path = shared_dir / "real" / "housing" / "homelessness" / edition.name
    if not path.exists():
        pytest.skip(f"{edition.name}, the release this layout was copied from, is not in ../shared")
    workbook = fastexcel.read_excel(path)
    quarter = workbook.sheet_names[2].partition(" - ")[2]  # `Apr-Jun 18` where names carry it
    names = [name.format(quarter=quarter) for name, _ in edition.sheets]
    assert names == workbook.sheet_names
    for table_id, table in edition.tables.items():
        sheet = next(name for name in names if name.split(" - ")[0] == table_id)
        rows = list(
            workbook.load_sheet(sheet, header_row=None, skip_rows=0, dtypes="string")
            .to_polars()
            .iter_rows()
        )
        cells = [{j: c for j, c in enumerate(row) if c is not None} for row in rows]
        first_figures = next(i for i, row in enumerate(rows) if row[0] == "E92000001")
        assert rows[0][0].split("\n")[0] == table.title
        assert tuple(cells[1:first_figures]) == table.header, sheet
        notes = next(i for i, row in enumerate(rows) if (row[0] or "").startswith("Notes"))
        assert tuple(cells[notes:]) == table.notes, sheet
        codes = [row[:2] for row in rows[first_figures : first_figures + 13]]
        assert codes == [
            *release_layouts.HCLIC_TOTAL_ROWS,
            (None, None),
            *release_layouts.HCLIC_REGIONS,
        ]


def test_the_env18_layout_is_the_real_spreadsheet_s(shared_dir: Path) -> None:
    """The sample's ENV18 release has the real spreadsheet's sheets, and in Table_1 its rows
    above the header, the header itself and the notes under the figures."""
    path = shared_dir / "real" / "waste" / "LA_and_Regional_Spreadsheet_2022-23_for_Web_revised.ods"
    workbook = fastexcel.read_excel(path)
    assert [name for name, _ in release_layouts.ENV18_SHEETS] == workbook.sheet_names
    rows = list(
        workbook.load_sheet("Table_1", header_row=None, skip_rows=0, dtypes="string")
        .to_polars()
        .iter_rows()
    )
    cells = [{j: c for j, c in enumerate(row) if c is not None} for row in rows]
    header = rows.index(release_layouts.ENV18_TABLE_HEADER)
    assert cells[:header] == list(release_layouts.ENV18_TABLE_ABOVE)
    below = len(rows) - len(release_layouts.ENV18_TABLE_BELOW)
    assert cells[below:] == list(release_layouts.ENV18_TABLE_BELOW)
    assert all(row[0].startswith("20") for row in rows[header + 1 : below])
