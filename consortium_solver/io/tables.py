"""Tables for people: CSV text and the look of XLSX sheets, shared by every writer.

Every text cell passes through here, so this is where spreadsheet formula injection is stopped
(OWASP, "CSV Injection"): in a CSV file, text starting with ``= + - @``, a tab or a carriage return
gets a leading apostrophe, so that a spreadsheet shows it and never runs it (a plain number such as
``-3`` is left alone); in an XLSX workbook every text cell is stored as text, which no spreadsheet
evaluates, so the value is kept as it was. Characters XML cannot hold (NUL, ESC, other controls)
are written visibly as ``\x00``-style escapes. The JSON outputs keep every value as given.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from typing import Any

Cell = str | int | float | None

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def visible_controls(text: str) -> str:
    """Control characters (NUL, ESC, ...) as visible escapes: ``\x1b``; lone surrogates (which no
    file or terminal can encode) as ``\\ud800``."""
    text = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


_PLAIN_NUMBER = re.compile(r"-?(0|[1-9]\d{0,14})(\.\d+)?")


def as_number(text: str) -> Cell:
    """A sheet's text back as the number it is ("44" -> 44, "2.5" -> 2.5), so that a workbook stores
    numbers as numbers; anything else (a phone number "+49 …" or "0049…", a code "007") stays text."""
    if _PLAIN_NUMBER.fullmatch(text):
        return float(text) if "." in text else int(text)
    return text


def csv_safe(value: Cell) -> Cell:
    """A cell a spreadsheet opening the CSV file will show, never run."""
    if isinstance(value, str):
        value = visible_controls(value)
        if value.startswith(_FORMULA_START) and not _NUMBER.fullmatch(value):
            return "'" + value
    return value


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> str:
    """A CSV document: the header, then the rows (\\n line ends), every cell made safe."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([csv_safe(c) for c in header])
    writer.writerows([csv_safe(c) for c in row] for row in rows)
    return buffer.getvalue()


def _append(sheet: Any, number: int, row: Sequence[Cell]) -> None:
    """Row ``number``: text cells stored as text (never as a formula), controls made visible."""
    values = [visible_controls(c) if isinstance(c, str) else c for c in row]
    sheet.append(values)
    for column, value in enumerate(values, start=1):
        if isinstance(value, str):
            sheet.cell(row=number, column=column).data_type = "s"


def style_header(sheet: Any) -> None:
    """Bold header row, frozen below it."""
    from openpyxl.styles import Font

    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"


Sheet = tuple[str, Sequence[Cell] | None, Iterable[Sequence[Cell]]]


def workbook_bytes(sheets: Sequence[Sheet], *, for_print: bool = False) -> bytes:
    """An .xlsx workbook of sheets (title, header or None, rows); a header is bold and frozen, with
    a filter over the table, and ``for_print`` fits each sheet with a header to a landscape page."""
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(title)
        table = ([header] if header is not None else []) + list(rows)
        for number, row in enumerate(table, start=1):
            _append(sheet, number, list(row))
        if header is not None:
            style_header(sheet)
            if table[1:]:  # a filter on every column of a table with rows
                sheet.auto_filter.ref = sheet.dimensions
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
