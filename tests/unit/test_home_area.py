"""The home area is one setting: the `home_area` var in dbt_project.yml, which dbt models read
through the home_area macro and Python through settings.home_area()."""

from __future__ import annotations

import yaml

from pipelines import settings
from pipelines.quality.plausibility import area_codes


def test_python_reads_the_dbt_var() -> None:
    project = yaml.safe_load((settings.DBT_PROJECT_DIR / "dbt_project.yml").read_text())
    var = project["vars"]["home_area"]
    home = settings.home_area()
    assert (home.district, home.county, home.police_force_area, home.country) == (
        "E07000111",
        "E10000016",
        "E23000032",
        "E92000001",
    )
    assert list(home.comparison_areas) == var["comparison_areas"] == [home.county, home.country]


def test_quality_rules_name_the_home_area_by_its_parts() -> None:
    assert area_codes(["district"]) == {"E07000111"}
    assert area_codes(["comparison_areas", "E07000105"]) == {"E10000016", "E92000001", "E07000105"}
    assert area_codes([]) == set()


def test_no_model_or_module_repeats_the_home_areas_codes() -> None:
    """The codes appear in the setting only; models use the macro, Python the settings."""
    home = settings.home_area()
    codes = {home.district, home.county, home.police_force_area, home.country}
    searched = [
        *(settings.DBT_PROJECT_DIR / "models" / layer for layer in ("intermediate", "marts")),
        settings.DBT_PROJECT_DIR / "macros",
        settings.REPO_ROOT / "pipelines" / "reporting",
        settings.REPO_ROOT / "pipelines" / "quality",
    ]
    found = [
        f"{path.relative_to(settings.REPO_ROOT)}: {code}"
        for folder in searched
        for path in sorted(folder.rglob("*"))
        if path.suffix in {".sql", ".py"}
        for code in codes
        if code in path.read_text()
    ]
    found += [
        f"pipelines/{name}: {code}"
        for name in ("runner.py", "cli.py", "statistics.py", "publish.py")
        for code in codes
        if code in (settings.REPO_ROOT / "pipelines" / name).read_text()
    ]
    assert found == []
