"""Writing a workbook laid out cell by cell, as .xlsx or as .ods, the same bytes every time.

Publishers send both formats (MHCLG moved its H-CLIC tables from Excel to ODS in 2024), so
the sample writes both. A sheet is given as rows of cells, row 1 first: text, a number, or
None for an empty cell. The ledger tells files apart by their sha256, so nothing that
changes between runs (creation times, zip timestamps) may reach the bytes.
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from pathlib import Path

import xlsxwriter

Cell = str | int | float | None
Sheet = tuple[str, list[list[Cell]]]

CREATED = datetime(2025, 5, 1)
"""The fixed creation time written into every sample workbook."""


def write_xlsx(path: Path, sheets: list[Sheet]) -> Path:
    workbook = xlsxwriter.Workbook(path)
    workbook.set_properties({"created": CREATED})
    wrapped = workbook.add_format({"text_wrap": True, "valign": "top"})
    for name, rows in sheets:
        sheet = workbook.add_worksheet(name)
        for i, row in enumerate(rows):
            for j, cell in enumerate(row):
                if isinstance(cell, str):
                    sheet.write_string(i, j, cell, wrapped if "\n" in cell else None)
                elif cell is not None:
                    sheet.write_number(i, j, cell)
    workbook.close()
    return path


def write_ods(path: Path, sheets: list[Sheet]) -> Path:
    """An OpenDocument spreadsheet. odfpy stamps each zip member with the time of writing,
    so the archive is rewritten with the fixed creation time; and it declares every XML
    namespace any document of the process has used, so that list is emptied first."""
    from odf.element import Element
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    Element.namespaces.clear()
    document = OpenDocumentSpreadsheet()
    for name, rows in sheets:
        table = Table(name=name)
        for row in rows:
            table_row = TableRow()
            for cell in row:
                if cell is None:
                    table_row.addElement(TableCell())
                    continue
                if isinstance(cell, str):
                    table_cell = TableCell(valuetype="string")
                else:
                    table_cell = TableCell(valuetype="float", value=cell)
                for line in str(cell).split("\n"):
                    table_cell.addElement(P(text=line))
                table_row.addElement(table_cell)
            table.addElement(table_row)
        document.spreadsheet.addElement(table)
    written = io.BytesIO()
    document.write(written)
    with zipfile.ZipFile(written) as source, zipfile.ZipFile(path, "w") as target:
        for member in source.infolist():
            fixed = zipfile.ZipInfo(member.filename, CREATED.timetuple()[:6])
            fixed.compress_type = member.compress_type
            target.writestr(fixed, source.read(member.filename))
    return path
