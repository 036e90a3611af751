"""Synthetic partner returns in the real formats, so the warehouse can be shown and tested
without real partner data.

Not part of the product: the warehouse never imports this package, and nothing here imports
the warehouse's parsers. Each file is written from the published format's own description
(`sample_data.formats`), so a parser that misreads a format fails on the sample as it would
on a real file. Everything written is synthetic and labelled so (raw/README.md is copied
beside it), calibrated so that Sevenoaks' figures are those the council published.
"""

from __future__ import annotations

import importlib
import pkgutil
import shutil
from datetime import date
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]

AS_OF = date(2025, 5, 31)
"""The date the sample's story is told as of, written to raw/AS_OF for the returns calendar.

The sample runs to March 2025. The police's March file falls due 60 days after the month,
on 30 May 2025, so from the next day the returns for the year to March 2025 that are due
within 60 days are all due, and the calendar judges the sample as the council would have on
that day. Judged as of today instead, every police month since March 2025 would be overdue.
"""

AS_OF_FILE = "AS_OF"
"""The file in raw/ that holds the as-of date (one ISO date); a real raw/ has none."""

_NOT_PARTNER_FILES = {"README.md", AS_OF_FILE}


def write_sample_returns(raw_dir: Path) -> list[Path]:
    """Write every synthetic partner return and raw/AS_OF into raw_dir; return the files.

    Each module in this package that defines `write_sample(raw_dir)` contributes its
    partner's files, so a new partner's sample is a new module and nothing else.
    """
    raw_dir.mkdir(parents=True, exist_ok=True)
    label = REPO_ROOT / "raw" / "README.md"
    if label.resolve() != (raw_dir / "README.md").resolve():
        shutil.copyfile(label, raw_dir / "README.md")
    written: list[Path] = []
    for module in pkgutil.iter_modules(__path__):
        if module.name.startswith("_"):
            continue
        writer = getattr(importlib.import_module(f"{__name__}.{module.name}"), "write_sample", None)
        if writer is not None:
            written.extend(writer(raw_dir))
    as_of = raw_dir / AS_OF_FILE
    as_of.write_text(f"{AS_OF.isoformat()}\n", encoding="utf-8")
    written.append(as_of)
    return written


def raw_dir_is_empty(raw_dir: Path) -> bool:
    """True when raw/ holds no partner file (its README and AS_OF do not count)."""
    if not raw_dir.exists():
        return True
    return not any(p.is_file() and p.name not in _NOT_PARTNER_FILES for p in raw_dir.rglob("*"))
