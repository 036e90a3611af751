"""Synthetic partner returns in the real formats, so the pipeline runs on a fresh clone.

Everything written here is synthetic and labelled so (raw/README.md is copied beside it),
calibrated so that Sevenoaks' figures are those the council published.
"""

from __future__ import annotations

import importlib
import pkgutil
import shutil
from pathlib import Path

from pipelines import settings


def write_sample_returns(raw_dir: Path) -> list[Path]:
    """Write every synthetic partner return into raw_dir; return the files written.

    Each module in this package that defines `write_sample(raw_dir)` contributes its
    partner's files, so a new partner's sample is a new module and nothing else.
    """
    raw_dir.mkdir(parents=True, exist_ok=True)
    label = settings.REPO_ROOT / "raw" / "README.md"
    if label.resolve() != (raw_dir / "README.md").resolve():
        shutil.copyfile(label, raw_dir / "README.md")
    written: list[Path] = []
    for module in pkgutil.iter_modules(__path__):
        if module.name.startswith("_"):
            continue
        writer = getattr(importlib.import_module(f"{__name__}.{module.name}"), "write_sample", None)
        if writer is not None:
            written.extend(writer(raw_dir))
    return written


def raw_dir_is_empty(raw_dir: Path) -> bool:
    """True when raw/ holds no partner file (its README does not count)."""
    if not raw_dir.exists():
        return True
    return not any(p.is_file() and p.name != "README.md" for p in raw_dir.rglob("*"))
