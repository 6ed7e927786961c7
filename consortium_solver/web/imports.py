"""An uploaded sheet read by the package's importer (the same report as ``consortium import``),
with the organiser's cell fixes from the page applied first.

The bytes go to a temporary folder under a name made here (``sheet`` and the sniffed suffix) and
are deleted after reading: nothing the browser sends names a file on this machine.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from consortium_solver.domain import Pool
from consortium_solver.domain.exchanges import ExchangePool
from consortium_solver.io.event_tables import with_tables
from consortium_solver.io.exchange_sheets import import_exchange_pool
from consortium_solver.io.exchanges import read_exchange_pool
from consortium_solver.io.importer import ImportOptions, ImportReport, import_sheet
from consortium_solver.io.sheet_files import Sheet, read_csv_sheet, read_json_pool, read_xlsx_sheet
from consortium_solver.web.store import Upload

XLSX_MAGIC = b"PK\x03\x04"  # a workbook is a zip archive
OLD_XLS_MAGIC = b"\xd0\xcf\x11\xe0"  # the binary .xls of Excel 97-2003


def display_name(name: str | None) -> str:
    """The uploaded file's name for display only: its last part, without control characters,
    at most 120 characters."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = re.sub(r"[\x00-\x1f\x7f]", "", base).strip()
    return base[:120] or "sheet"


def sniff(content: bytes) -> str | None:
    """The sheet's format from its bytes (never from its name): .xlsx, .json or .csv; None for
    what cannot be a sheet (an old binary .xls, a picture, a program)."""
    if content.startswith(XLSX_MAGIC):
        return ".xlsx"
    if content.startswith(OLD_XLS_MAGIC) or b"\x00" in content[:4096]:
        return None
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return ".csv"  # the importer says which byte is not UTF-8, and what to do
    return ".json" if text.lstrip().startswith("{") else ".csv"


def read_exchange_upload(upload: Upload) -> ImportReport[ExchangePool]:
    """A ClusterXchange participant sheet (or exchange pool document) read by the package's
    importer, as ``consortium exchange`` reads it (cell fixes are not applied to these)."""
    with tempfile.TemporaryDirectory(prefix="consortium-upload-") as folder:
        path = Path(folder) / f"sheet{upload.kind}"
        path.write_bytes(upload.content)
        if upload.kind == ".json":
            return ImportReport(upload.filename, read_exchange_pool(path), [], {}, None)
        options = ImportOptions(merge_hint="join the two into one row", kind_hints=KIND_HINTS)
        report = import_exchange_pool(path, options)
    report.source = upload.filename
    if report.pool is not None:  # named as the file, not as the temporary copy read
        report.pool = report.pool.model_copy(update={"name": Path(upload.filename).stem})
    return report


# The page's own words for merging duplicates (the check box under the report), and for reading
# a sheet as the other kind (the upload's "It lists" choice).
MERGE_HINT = "tick “keep the first of organisations listed twice” below the table"
KIND_HINTS = {
    "participant": "upload it again with “ClusterXchange participants” chosen in “It lists”",
    "organisation": "upload it again with “organisations” chosen in “It lists”",
}


def read_upload(upload: Upload) -> ImportReport[Pool]:
    """The import report of the upload with its fixes applied.

    Raises:
        InputError: the file cannot be read at all (not a workbook, not UTF-8, ...).
    """
    with tempfile.TemporaryDirectory(prefix="consortium-upload-") as folder:
        path = Path(folder) / f"sheet{upload.kind}"
        path.write_bytes(upload.content)
        found: Pool | Sheet | None
        if upload.kind == ".json":
            found = read_json_pool(path)
        elif upload.kind == ".xlsx":
            found = read_xlsx_sheet(path)
        else:
            found = read_csv_sheet(path)
        if isinstance(found, Pool):
            return ImportReport(upload.filename, found, [], {}, None)
        assert found is not None  # a workbook without a sheet is refused in reading
        found.source = upload.filename
        found.name = Path(upload.filename).stem or found.name  # as the file, not the copy read
        apply_fixes(found, upload.fixes)
        options = ImportOptions(
            merge_duplicates=upload.merge, merge_hint=MERGE_HINT, kind_hints=KIND_HINTS
        )
        report = import_sheet(found, options)
        return with_tables(report, path)  # the workbook's Tables worksheet, if it has one


def apply_fixes(sheet: Sheet, fixes: dict[tuple[int, int], str]) -> None:
    """Put the organiser's values in place: ``fixes[(row, column)]``, both numbered from 1 as
    the report shows them."""
    rows = dict(sheet.rows)
    for (row, column), value in fixes.items():
        cells = rows.get(row)
        if cells is None or column < 1:
            continue
        while len(cells) < column:
            cells.append("")
        cells[column - 1] = value
