"""Tables for people: CSV text and the look of XLSX sheets, shared by every writer."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

Cell = str | int | float | None


def csv_text(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """A CSV document: the header, then the rows (\\n line ends)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def style_header(sheet: Any) -> None:
    """Bold header row, frozen below it."""
    from openpyxl.styles import Font

    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"


Sheet = tuple[str, Sequence[Cell] | None, Iterable[Sequence[Cell]]]


def workbook_bytes(sheets: Sequence[Sheet], *, for_print: bool = False) -> bytes:
    """An .xlsx workbook of sheets (title, header or None, rows); a header is bold and frozen, and
    ``for_print`` fits each sheet with a header to a landscape page."""
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(title)
        if header is not None:
            sheet.append(list(header))
        for row in rows:
            sheet.append(list(row))
        if header is not None:
            style_header(sheet)
            if for_print:
                printable(sheet)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def printable(sheet: Any) -> None:
    """Fit a sheet to the page width in landscape, repeat its header, size its columns."""
    from openpyxl.worksheet.page import PageMargins

    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_margins = PageMargins(left=0.4, right=0.4, top=0.5, bottom=0.5)
    for column in sheet.columns:
        width = max(len(str(c.value or "")) for c in column)
        sheet.column_dimensions[column[0].column_letter].width = min(max(8, width + 2), 60)
