"""Time what an analyst waits for, each row of docs/performance.md's table in one command,
and print each figure beside the previous one from that table. A measurement, not a test.

    .venv/bin/python bench/pipeline.py [--scales 1 4 16] [--skip-pipeline] [--months N]

In a temporary folder, with the synthetic sample:

1. the whole sample into a fresh warehouse (`wellbeing run`, as an analyst types it);
2. the same command again with nothing changed;
3. one new police month (a copy of the last month, relabelled as the next) to publication,
   with the same `wellbeing run` (it finds what changed since the last publication);
4. ingesting the police months through the ledger against DuckDB's own `read_csv` of the
   same files, in the same run, so the ratio holds whatever else the machine is doing;
5. the police months at 1×, 4× and 16× the Kent sample's rows (16× is about every English
   force for eight years): ingest time and peak memory of each, beside DuckDB's reader.

Every command runs in a process of its own, so its peak memory is its own (the kernel's
high-water mark of the process and what it waited for). The load average is printed beside
each figure: on a shared machine the absolute times are upper bounds, the ratios are not.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PERFORMANCE = REPO / "docs" / "performance.md"
WELLBEING = str(Path(sys.executable).with_name("wellbeing"))
PEAK_LIMIT_BYTES = 6 * 1024**3
"""A scaled ingest using more than this is stopped: the machine is shared, and the goal is 2 GB."""


@dataclass
class Figure:
    """One measured row: what, how long, peak memory, and the load while it ran."""

    what: str
    seconds: float
    peak_mb: float | None = None
    load: float | None = None
    note: str = ""

    def __post_init__(self) -> None:
        # Said as soon as measured: a long bench stopped part way still leaves its figures.
        peak = "-" if self.peak_mb is None else f"{self.peak_mb:.0f} MB"
        print(f"  {self.what}: {self.seconds:.1f} s, {peak}, load {self.load}", flush=True)


def measure(command: list[str], environment: dict[str, str], *, limit: int | None = None):
    """Run a command, returning (seconds, peak resident MB, load average, output).

    Peak memory is from `wait4`, the high-water mark of the process and the children it
    waited for. With `limit`, a process whose resident memory passes it is killed, and the
    peak is None."""
    load = os.getloadavg()[0]
    with tempfile.TemporaryFile("w+") as output:
        began = time.perf_counter()
        process = subprocess.Popen(command, env=environment, stdout=output, stderr=output)
        killed = False
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if limit is not None and not killed and _resident_bytes(process.pid) > limit:
                process.kill()
                killed = True
            time.sleep(0.1)
        seconds = time.perf_counter() - began
        process.returncode = os.waitstatus_to_exitcode(status)
        output.seek(0)
        said = output.read()
    if process.returncode != 0 and not killed:
        sys.exit(f"{' '.join(command)} exited {process.returncode}:\n{said[-3000:]}")
    peak = None if killed else usage.ru_maxrss / 1024
    return seconds, peak, max(load, os.getloadavg()[0]), said


def _resident_bytes(pid: int) -> int:
    """Resident memory of a process and its children, from /proc."""
    total = 0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        found = re.search(r"VmRSS:\s+(\d+) kB", status)
        total += int(found.group(1)) * 1024 if found else 0
        pending.extend(int(child) for child in children)
    return total


def previous_figures() -> dict[str, float]:
    """The figures of docs/performance.md's table, by the row's name, in seconds or MB: the
    first number of the "Now" column."""
    figures: dict[str, float] = {}
    if not PERFORMANCE.exists():
        return figures
    header: list[str] | None = None
    for line in PERFORMANCE.read_text(encoding="utf-8").splitlines():
        if not line.startswith("|"):
            header = None
            continue
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if header is None:
            header = cells
            continue
        if "Now" not in header or set(cells[0]) <= {"-", " "}:
            continue
        number = re.search(r"\d+(\.\d+)?", cells[header.index("Now")].replace(",", ""))
        if number:
            figures[cells[0].strip("*")] = float(number.group())
    return figures


def pipeline_figures(root: Path, months: int | None) -> list[Figure]:
    """Rows 1-3: the whole sample fresh, again with nothing changed, then one new month."""
    from sample_data import write_sample_returns

    raw = root / "raw"
    write_sample_returns(raw)
    if months is not None:
        _keep_last_police_months(raw, months)
    environment = {
        **os.environ,
        "WELLBEING_RAW_DIR": str(raw),
        "WELLBEING_WAREHOUSE": str(root / "warehouse" / "working.duckdb"),
        "WELLBEING_PUBLISHED": str(root / "warehouse" / "published.duckdb"),
        "DAGSTER_HOME": str(root / "dagster_home"),
    }
    figures = []
    for what in ("Whole sample, fresh warehouse", "Run again with nothing changed"):
        seconds, peak, load, output = measure([WELLBEING, "run"], environment)
        figures.append(Figure(what, seconds, peak, load, _outcome(output)))
    _add_next_police_month(raw)
    seconds, peak, load, output = measure([WELLBEING, "run"], environment)
    figures.append(
        Figure("One new police month, ingest to publication", seconds, peak, load, _outcome(output))
    )
    return figures


def _outcome(output: str) -> str:
    """The run's last line that says what happened, to show it did what it should."""
    lines = [line for line in output.splitlines() if line.strip()]
    said = [line for line in lines if re.search(r"[Pp]ublished|[Nn]othing|failed|blocked", line)]
    return (said or lines or [""])[-1].strip()[:100]


def _keep_last_police_months(raw: Path, months: int) -> None:
    """Leave only the last `months` police files (for a quick look at the bench itself)."""
    files = sorted((raw / "police").glob("*/*-kent-street.csv"))
    for path in files[:-months]:
        shutil.rmtree(path.parent)


def _add_next_police_month(raw: Path) -> None:
    """A new police month: the last month's file, relabelled as the month after it."""
    last = sorted((raw / "police").glob("*/*-kent-street.csv"))[-1]
    year, month = (int(part) for part in last.parent.name.split("-"))
    year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    label, before = f"{year:04d}-{month:02d}", last.parent.name
    target = raw / "police" / label / f"{label}-kent-street.csv"
    target.parent.mkdir()
    text = last.read_text(encoding="utf-8")
    target.write_text(text.replace(f",{before},", f",{label},"), encoding="utf-8")


def write_scaled_police(source: Path, target: Path, factor: int) -> list[Path]:
    """Every police month of `source` with its rows repeated `factor` times: the files an
    analyst would hold with that many forces' records, in the same monthly layout."""
    written = []
    for path in sorted(source.glob("police/*/*-kent-street.csv")):
        copy = target / path.relative_to(source)
        copy.parent.mkdir(parents=True, exist_ok=True)
        header, _, body = path.read_bytes().partition(b"\n")
        with copy.open("wb") as handle:
            handle.write(header + b"\n")
            for _ in range(factor):
                handle.write(body)
        written.append(copy)
    return written


INGEST = """
import sys, duckdb
from pathlib import Path
from pipelines import ingest
from pipelines.returns import returns_by_table
raw, database = Path(sys.argv[1]), sys.argv[2]
with duckdb.connect(database) as con:
    summary = ingest.ingest_return(con, returns_by_table()["police__street_crimes"], raw)
print(summary.rows_loaded, "rows", len(summary.accepted), "files")
"""

SUITE = """
import sys, duckdb
from pipelines.quality import suites
with duckdb.connect(sys.argv[2]) as con:
    outcome = suites.validate_return(con, "police__street_crimes")
print(len(outcome.submissions_validated), "submissions", len(outcome.findings), "findings")
"""

DUCKDB_READER = """
import sys, duckdb
from pathlib import Path
raw, database, how = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
files = sorted(str(p) for p in raw.glob("police/*/*-kent-street.csv"))
with duckdb.connect(database) as con:
    if how == "count":
        print(con.execute("select count(*) from read_csv(?, header = true)", [files]).fetchone())
    else:
        con.execute("create table street as select * from read_csv(?, header = true)", [files])
        print(con.execute("select count(*) from street").fetchone())
"""


def ingest_figures(
    raw: Path, root: Path, label: str, limit: int | None = None, suite: bool = False
) -> list[Figure]:
    """The police files of `raw` through the ledger (and, with `suite`, the Great
    Expectations suite on what was loaded), and through DuckDB's own reader, each into a
    fresh file, in processes of their own."""
    environment = {**os.environ, "PYTHONPATH": str(REPO)}
    figures = []
    steps = [("through the ledger (`ingest_return`)", INGEST, [])]
    if suite:
        steps.append(("Great Expectations suite on every month", SUITE, []))
    steps += [
        ("DuckDB's `read_csv` into a table", DUCKDB_READER, ["table"]),
        ("DuckDB's `select count(*)` from `read_csv`", DUCKDB_READER, ["count"]),
    ]
    for what, script, extra in steps:
        database = root / (
            "ingest-0.duckdb" if script is SUITE else f"ingest-{len(figures)}.duckdb"
        )
        seconds, peak, load, output = measure(
            [sys.executable, "-c", script, str(raw), str(database), *extra],
            environment,
            limit=limit,
        )
        note = output.strip().splitlines()[-1] if output.strip() and peak is not None else ""
        if peak is None:
            note = f"stopped: resident memory passed {limit / 1024**3:.0f} GB"
        figures.append(Figure(f"{label}: {what}", seconds, peak, load, note))
        if script is not INGEST or not suite:
            database.unlink(missing_ok=True)
    return figures


def scale_figures(root: Path, factors: list[int], months: int | None = None) -> list[Figure]:
    """Rows 4-5: the sample's police months (or its last `months`) at each factor, through
    the ledger and through DuckDB's reader."""
    from sample_data.police import write_police_returns

    sample = root / "police-1x"
    write_police_returns(sample)
    if months is not None:
        _keep_last_police_months(sample, months)
    figures = []
    for factor in factors:
        raw = sample if factor == 1 else root / f"police-{factor}x"
        if factor != 1:
            write_scaled_police(sample, raw, factor)
        size = sum(p.stat().st_size for p in raw.rglob("*.csv")) / 1024**2
        label = f"Police months {factor}× ({size:,.0f} MB)"
        figures += ingest_figures(raw, root, label, limit=PEAK_LIMIT_BYTES, suite=factor == 1)
        if factor != 1:
            shutil.rmtree(raw)
    return figures


def describe(figures: list[Figure], previous: dict[str, float]) -> str:
    lines = [
        f"{'What':<75} {'s':>7} {'peak MB':>8} {'load':>5} {'before':>7} {'ratio':>6}  note",
    ]
    for figure in figures:
        before = previous.get(figure.what)
        ratio = f"{figure.seconds / before:.2f}" if before else ""
        peak = f"{figure.peak_mb:.0f}" if figure.peak_mb is not None else "-"
        load = f"{figure.load:.1f}" if figure.load is not None else ""
        lines.append(
            f"{figure.what:<75} {figure.seconds:7.1f} {peak:>8} {load:>5} "
            f"{before if before else '':>7} {ratio:>6}  {figure.note}"
        )
    return "\n".join(lines)


READERS = ("DuckDB's `read_csv` into a table", "DuckDB's `select count(*)` from `read_csv`")


def ratios_to_duckdb(figures: list[Figure]) -> list[str]:
    """Each ledger ingest as a multiple of DuckDB's own reader on the same files."""
    lines = []
    by_what = {figure.what: figure for figure in figures}
    for figure in figures:
        if "through the ledger" not in figure.what:
            continue
        prefix = figure.what.split(":")[0]
        for reader in READERS:
            other = by_what.get(f"{prefix}: {reader}")
            if other and figure.peak_mb is not None:
                lines.append(f"{prefix}: ledger / {reader} = {figure.seconds / other.seconds:.2f}×")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", type=int, nargs="*", default=[1, 4, 16])
    parser.add_argument("--skip-pipeline", action="store_true", help="only rows 4 and 5")
    parser.add_argument(
        "--months", type=int, help="only the last N police months (a quick look at the bench)"
    )
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    options = parser.parse_args(argv)
    root = Path(tempfile.mkdtemp(prefix="wellbeing-bench-"))
    cores, memory = os.cpu_count(), os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    print(f"{time.strftime('%Y-%m-%d %H:%M')} UTC, {cores} cores, {memory / 1024**3:.0f} GB")
    figures: list[Figure] = []
    try:
        if not options.skip_pipeline:
            figures += pipeline_figures(root / "pipeline", options.months)
        if options.scales:
            figures += scale_figures(root, options.scales, options.months)
    finally:
        if not options.keep:
            shutil.rmtree(root, ignore_errors=True)
    print(describe(figures, previous_figures()))
    print("\n".join(ratios_to_duckdb(figures)))
    if options.json:
        options.json.write_text(json.dumps([vars(f) for f in figures], indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
