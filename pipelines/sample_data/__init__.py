"""Synthetic partner returns in the real formats, so the pipeline runs on a fresh clone.

Everything written here is synthetic and labelled so (raw/README.md), calibrated so that
Sevenoaks' figures are those the council published.
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

SAMPLE_README = """# raw/: the landing zone

Partner files land here exactly as partners send them; the pipeline never edits them.

The files below were written by `wellbeing sample-data` (or `make run` on an empty raw/):
they are SYNTHETIC sample returns in the real formats, generated deterministically and
calibrated so that Sevenoaks' figures equal those published in the council's monitoring
reports. They are not real partner data. Real files go in the same folders.
"""


def write_sample_returns(raw_dir: Path) -> list[Path]:
    """Write every synthetic partner return into raw_dir; return the files written.

    Each module in this package that defines `write_sample(raw_dir)` contributes its
    partner's files, so a new partner's sample is a new module and nothing else.
    """
    raw_dir.mkdir(parents=True, exist_ok=True)
    (raw_dir / "README.md").write_text(SAMPLE_README)
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
