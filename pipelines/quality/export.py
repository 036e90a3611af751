"""A data quality summary for each partner: a CSV of its findings and a readable web page.

The page is self-contained (styles inline, no scripts or external files) so an officer can
attach it to an email to the partner: what is missing, what looks wrong and where (file and
rows), what is blocking publication, and which warnings have been explained and why.

Usage: `python -m pipelines.quality.export [WAREHOUSE] [OUT_DIR]` (defaults: the working
warehouse and `warehouse/quality/`).
"""

from __future__ import annotations

import csv
import html
import re
import sys
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from pipelines import settings
from pipelines.reporting import published

COLUMNS = (
    "status",
    "severity",
    "check_name",
    "return_name",
    "measure_id",
    "area_code",
    "period_id",
    "observed",
    "expected",
    "message",
    "source_file",
    "source_rows",
    "explanation",
    "reviewed_by",
    "reviewed_on",
    "first_seen_at",
    "last_seen_at",
    "finding_key",
)

STATUS_ORDER = {"open": 0, "explained": 1, "resolved": 2}
SEVERITY_ORDER = {"blocking": 0, "warning": 1}

STYLE = """
body { font-family: Arial, Helvetica, sans-serif; margin: 2em; color: #1b1b1b; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { font-size: 1.2em; margin-top: 1.6em; border-bottom: 2px solid #0b5e3b; }
p.meta { color: #555; }
table { border-collapse: collapse; width: 100%; font-size: 0.9em; }
th, td { border: 1px solid #ccc; padding: 0.4em; text-align: left; vertical-align: top; }
th { background: #eef4f1; }
.summary td { font-size: 1.1em; }
.blocking { background: #fde2e1; }
.warning { background: #fff4d6; }
.explained { background: #eaf4ea; }
.tag { font-weight: bold; text-transform: uppercase; font-size: 0.8em; }
"""


def slug(partner: str) -> str:
    """A file name for the partner: `Kent Police` -> `kent-police`."""
    return re.sub(r"[^a-z0-9]+", "-", partner.lower()).strip("-")[:80] or "partner"


def _findings(con: duckdb.DuckDBPyConnection) -> list[dict]:
    exists = con.execute(
        "select count(*) from information_schema.tables "
        "where table_schema = 'quality' and table_name = 'findings'"
    ).fetchone()[0]
    if not exists:
        return []
    rows = con.execute(
        f"select coalesce(partner, 'Partner not known'), {', '.join(COLUMNS)} "
        "from quality.findings order by partner, finding_key"
    ).fetchall()
    found = [{"partner": row[0], **dict(zip(COLUMNS, row[1:], strict=True))} for row in rows]
    return sorted(
        found,
        key=lambda f: (
            f["partner"],
            STATUS_ORDER.get(f["status"], 3),
            SEVERITY_ORDER.get(f["severity"], 2),
            f["return_name"] or "",
            f["period_id"] or "",
            f["finding_key"],
        ),
    )


def _counts(findings: list[dict]) -> dict[str, int]:
    open_ = [f for f in findings if f["status"] == "open"]
    return {
        "blocking": sum(f["severity"] == "blocking" for f in open_),
        "warnings": sum(f["severity"] == "warning" for f in open_),
        "explained": sum(f["status"] == "explained" for f in findings),
        "resolved": sum(f["status"] == "resolved" for f in findings),
    }


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%d %b %Y %H:%M")
    return html.escape(str(value))


def _section(title: str, findings: list[dict], explained: bool = False) -> str:
    if not findings:
        return f"<h2>{html.escape(title)}</h2><p>None.</p>"
    headings = ["Severity", "Return", "Period", "Area", "Finding", "File and rows", "First seen"]
    if explained:
        headings[-1:] = ["Explanation", "First seen"]
    rows = []
    for f in findings:
        css = "explained" if f["status"] == "explained" else f["severity"]
        where = _cell(f["source_file"])
        if f["source_rows"]:
            where += f"<br>rows {_cell(f['source_rows'])}"
        cells = [
            f"<span class='tag'>{_cell(f['severity'])}</span>",
            _cell(f["return_name"]),
            _cell(f["period_id"]),
            _cell(f["area_code"]),
            _cell(f["message"]),
            where,
        ]
        if explained:
            cells.append(
                f"{_cell(f['explanation'])}<br><em>{_cell(f['reviewed_by'])}, "
                f"{_cell(f['reviewed_on'])}</em>"
            )
        cells.append(_cell(f["first_seen_at"]))
        rows.append(f"<tr class='{css}'>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    head = "".join(f"<th>{h}</th>" for h in headings)
    return (
        f"<h2>{html.escape(title)} ({len(findings)})</h2>"
        f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def partner_page(partner: str, findings: list[dict], generated_at: datetime, area_name: str) -> str:
    """The partner's summary as one self-contained HTML page."""
    counts = _counts(findings)
    open_ = [f for f in findings if f["status"] == "open"]
    missing = [f for f in open_ if f["check_name"] == "not_received"]
    blocking = [f for f in open_ if f["severity"] == "blocking"]
    warnings = [f for f in open_ if f["severity"] == "warning" and f not in missing]
    verdict = (
        "Publication is blocked until corrected files arrive."
        if counts["blocking"]
        else "Nothing from this partner blocks publication."
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Data quality summary: {html.escape(partner)}</title>
<style>{STYLE}</style></head>
<body>
<h1>Data quality summary: {html.escape(partner)}</h1>
<p class="meta">{html.escape(area_name)} District wellbeing warehouse, generated
{generated_at:%d %B %Y %H:%M} UTC. {html.escape(verdict)}</p>
<table class="summary"><tr><th>Blocking (open)</th><th>Warnings (open)</th>
<th>Explained</th><th>Resolved</th></tr>
<tr><td>{counts["blocking"]}</td><td>{counts["warnings"]}</td><td>{counts["explained"]}</td>
<td>{counts["resolved"]}</td></tr></table>
{_section("Blocking: files that cannot be used until corrected", blocking)}
{_section("Returns not received", missing)}
{_section("Warnings: published with a note", warnings)}
{_section("Explained warnings", [f for f in findings if f["status"] == "explained"], True)}
</body></html>
"""


def export_partner_summaries(warehouse_path: Path | str, out_dir: Path | str) -> list[Path]:
    """Write `<partner>.csv` and `<partner>.html` for every partner with findings."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(warehouse_path), read_only=True) as con:
        findings = _findings(con)
        area_name = published.area_name(con, settings.home_area().district)
    generated_at = datetime.now(UTC).replace(tzinfo=None)
    partners: dict[str, list[dict]] = {}
    for finding in findings:
        partners.setdefault(finding["partner"], []).append(finding)
    written = []
    for partner, own in sorted(partners.items()):
        name = slug(partner)
        csv_path = out / f"{name}.csv"
        with csv_path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["partner", *COLUMNS])
            writer.writerows([[f["partner"], *(f[c] for c in COLUMNS)] for f in own])
        html_path = out / f"{name}.html"
        html_path.write_text(partner_page(partner, own, generated_at, area_name), encoding="utf-8")
        written += [csv_path, html_path]
    return written


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    warehouse = Path(args[0]) if args else settings.warehouse_path()
    out_dir = Path(args[1]) if len(args) > 1 else settings.warehouse_path().parent / "quality"
    written = export_partner_summaries(warehouse, out_dir)
    print(f"Wrote {len(written)} files to {out_dir}")


if __name__ == "__main__":
    main()
