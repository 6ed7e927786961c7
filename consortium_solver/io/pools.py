"""Reading and writing pools: JSON, CSV and XLSX in and out.

Every reading error is an :class:`InputError` whose one-line message names the file, the row (or the
JSON path), the field and the value. Writers never leave a half-written file: they write a temporary
file beside the target and rename it into place (:mod:`.atomic`).
"""

from __future__ import annotations

import csv
import difflib
import io
import json
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

from pydantic import ValidationError

from consortium_solver.domain import LIST_FIELDS, Organisation, Pool
from consortium_solver.errors import (
    InputError,
    decode_text,
    read_input,
    require_file,
    too_deep_or_too_long,
)
from consortium_solver.io.atomic import atomic_write_bytes, atomic_write_text
from consortium_solver.io.tables import csv_text
from consortium_solver.rules import format_loc

POOL_COLUMNS: tuple[str, ...] = tuple(Organisation.model_fields)
# Bounds on a sheet read: rows (Excel's own limit) and columns with anything in them.
MAX_ROWS, MAX_COLUMNS = 1_048_576, 200
REQUIRED_COLUMNS: tuple[str, ...] = tuple(
    name for name, info in Organisation.model_fields.items() if info.is_required()
)


def read_pool(path: str | Path) -> Pool:
    """Read a pool from a .json, .csv or .xlsx file.

    Raises:
        InputError: the file is missing, of an unknown kind, or holds invalid data.
    """
    path = Path(path)
    source = str(path)
    suffix = path.suffix.lower()
    if suffix in (".json", ".csv", ".xlsx"):
        require_file(path)
    if suffix == ".json":
        return read_pool_json(path)
    if suffix == ".csv":
        return read_pool_csv(path)
    if suffix == ".xlsx":
        return read_pool_xlsx(path)
    raise InputError(
        f"unknown pool format {suffix or '(none)'!r}; use .json, .csv or .xlsx", source=source
    )


# ------------------------------------------------------------------------------------------- JSON


def read_pool_json(path: Path) -> Pool:
    """Read a pool document (README, "Pools") from JSON."""
    source = str(path)
    text = decode_text(read_input(path), source)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}"
        raise InputError(f"invalid JSON: {exc.msg}", source=source, where=where) from None
    except (RecursionError, ValueError) as exc:
        raise InputError(too_deep_or_too_long(exc) or str(exc), source=source) from None
    if not isinstance(data, dict):
        raise InputError("a pool is a JSON object with 'name' and 'organisations'", source=source)
    return pool_from_json_data(data, source)


def pool_from_json_data(data: dict[str, Any], source: str) -> Pool:
    """Validate a parsed pool document; errors name the JSON path of the bad value."""
    try:
        return Pool.model_validate(data)
    except ValidationError as exc:
        raise _json_error(exc, data, source) from None


def _json_error(exc: ValidationError, data: dict[str, Any], source: str) -> InputError:
    errors = exc.errors()
    first = errors[0]
    loc = first["loc"]
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    message = error_message(first) + more
    if len(loc) >= 2 and loc[0] == "organisations" and isinstance(loc[1], int):
        where = f"organisations[{loc[1]}]"
        org_id = _org_id(data, loc[1])
        if org_id is not None:
            where += f" (id {org_id!r})"
        field = format_loc(loc[2:]) or None
        return InputError(
            message, source=source, where=where, field=field, value=error_value(first)
        )
    field = format_loc(loc) or None
    return InputError(message, source=source, field=field, value=error_value(first))


def _org_id(data: dict[str, Any], index: int) -> Any:
    orgs = data.get("organisations")
    if isinstance(orgs, list) and index < len(orgs) and isinstance(orgs[index], dict):
        value = orgs[index].get("id")
        return value if isinstance(value, str) else None
    return None


def error_message(error: Any) -> str:
    """One pydantic error in the readers' words."""
    kind = error["type"]
    if kind == "extra_forbidden":
        return "unknown field"
    if kind == "missing":
        return "missing value"
    if kind == "too_short" and error["loc"] and error["loc"][-1] == "organisations":
        return "no organisations in the pool"
    if kind == "too_short" and error["loc"] and error["loc"][-1] == "sectors":
        return "at least one sector is needed"
    return str(error["msg"]).removeprefix("Value error, ")


def error_value(error: Any) -> Any:
    """The value an error names, when it is a plain one."""
    if error["type"] in {"missing", "extra_forbidden"}:
        return None if error["type"] == "missing" else error["input"]
    value = error.get("input")
    return None if isinstance(value, (dict, list, tuple)) else value


# ------------------------------------------------------------------------------------ CSV and XLSX


def read_pool_csv(path: Path) -> Pool:
    """Read a pool from CSV: a header row of field names, one organisation per row, lists split on ';'."""
    source = str(path)
    text = decode_text(read_input(path), source, " (save the CSV as UTF-8)")
    try:
        rows = list(_csv_rows(text))
    except csv.Error as exc:
        raise InputError(f"malformed CSV: {exc}", source=source) from None
    return pool_from_rows(rows, source, path.stem)


def _csv_rows(text: str) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    start = 1
    for row in reader:
        yield start, row
        start = reader.line_num + 1


def read_pool_xlsx(path: Path) -> Pool:
    """Read a pool from the first worksheet of an .xlsx workbook (same columns as CSV)."""
    import openpyxl  # imported here: only .xlsx users pay for it
    from openpyxl.utils.exceptions import InvalidFileException

    source = str(path)
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ParseError) as exc:
        raise InputError(
            f"not a readable .xlsx workbook ({type(exc).__name__})", source=source
        ) from None
    try:
        if not workbook.worksheets:
            raise InputError("a workbook without a worksheet", source=source)
        sheet = workbook.worksheets[0]
        where = f"{source} (sheet {sheet.title!r})"
        rows = list(_sheet_rows(sheet, where))
    except (ParseError, zipfile.BadZipFile, KeyError, EOFError, zlib.error) as exc:
        raise InputError(
            f"a damaged .xlsx workbook: its sheet cannot be read ({type(exc).__name__})",
            source=source,
        ) from None
    finally:
        workbook.close()
    return pool_from_rows(rows, where, path.stem)


def _sheet_rows(sheet: Any, source: str) -> Iterator[tuple[int, list[str]]]:
    """The sheet's rows, streamed, with their row numbers; trailing empty cells dropped, and a
    bound on the size (a 6 KB file can declare, or hold a cell at, XFD1048576: 17 billion cells)."""
    # A read-only sheet pads every row to the dimension the file declares; forget it, so that rows
    # are only as long as their cells.
    sheet.reset_dimensions()
    for number, row in enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1):
        if any(_cell_text(cell).strip() for cell in row[MAX_COLUMNS:]):
            raise InputError(
                f"a cell beyond column {MAX_COLUMNS} (a pool has {len(POOL_COLUMNS)} columns):"
                " delete the stray cells or columns",
                source=source,
                where=f"row {number}",
            )
        texts = [_cell_text(cell) for cell in row[:MAX_COLUMNS]]
        while texts and not texts[-1].strip():
            texts.pop()
        if not texts:
            continue
        if number > MAX_ROWS:
            raise InputError(
                f"more than {MAX_ROWS:,} rows: a stray cell far below the table?",
                source=source,
                where=f"row {number}",
            )
        yield number, texts


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def pool_from_rows(rows: Iterable[tuple[int, list[str]]], source: str, name: str) -> Pool:
    """Build a pool from numbered rows of cells, the first non-empty row being the header."""
    numbered = [(n, row) for n, row in rows if any(cell.strip() for cell in row)]
    if not numbered:
        raise InputError("empty file: no header row", source=source)
    header_line, header = numbered[0]
    columns = _columns(header, header_line, source)
    organisations = []
    first_row: dict[str, int] = {}
    for line, row in numbered[1:]:
        where = f"row {line}"
        if len(row) > len(columns):
            extra = [(k, c) for k, c in enumerate(row) if k >= len(columns) and c.strip()]
            if extra:
                k, cell = extra[0]
                raise InputError(
                    f"a cell in column {k + 1}, beyond the {len(columns)} named columns",
                    source=source,
                    where=where,
                    value=cell,
                )
            row = row[: len(columns)]  # trailing empty cells, as spreadsheets often save
        record = _record(columns, row)
        org_id = record.get("id")
        if isinstance(org_id, str):
            where += f" (id {org_id!r})"
        try:
            org = Organisation.model_validate(record)
        except ValidationError as exc:
            error = exc.errors()[0]
            field = format_loc(error["loc"]) or None
            if field and "[" in field:
                field = field.split("[")[0]
            raise InputError(
                error_message(error),
                source=source,
                where=where,
                field=field,
                value=error_value(error),
            ) from None
        if org.id in first_row:
            raise InputError(
                f"duplicate id (first at row {first_row[org.id]})",
                source=source,
                where=f"row {line}",
                field="id",
                value=org.id,
            )
        first_row[org.id] = line
        organisations.append(org)
    if not organisations:
        raise InputError("no organisations in the pool (only a header row)", source=source)
    return Pool(name=name, organisations=tuple(organisations))


def _columns(header: list[str], line: int, source: str) -> list[str]:
    columns = [cell.strip() for cell in header]
    while columns and not columns[-1]:
        columns.pop()
    if len(columns) == 1 and ";" in columns[0]:
        raise InputError(
            "the columns are separated by ';': save the CSV with ',' between columns", source=source
        )
    seen: set[str] = set()
    for i, col in enumerate(columns, start=1):
        if not col:
            raise InputError(f"column {i} has no name", source=source, where=f"row {line}")
        if col in seen:
            raise InputError("column named twice", source=source, where=f"row {line}", field=col)
        seen.add(col)
        if col not in POOL_COLUMNS:
            close = difflib.get_close_matches(col, POOL_COLUMNS, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise InputError(f"unknown column{hint}", source=source, where=f"row {line}", field=col)
    for col in REQUIRED_COLUMNS:
        if col not in seen:
            raise InputError("missing column", source=source, where=f"row {line}", field=col)
    return columns


def _record(columns: list[str], row: list[str]) -> dict[str, Any]:
    record: dict[str, Any] = {}
    for col, cell in zip(columns, row, strict=False):
        text = cell.strip()
        if col in LIST_FIELDS:
            record[col] = [part.strip() for part in text.split(";") if part.strip()]
        elif text:
            record[col] = text
    return record


# ------------------------------------------------------------------------------------------ write


def write_pool(pool: Pool, path: str | Path) -> None:
    """Write a pool as .json (the pool document), or .csv or .xlsx (one row per organisation)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".json":
        atomic_write_text(path, pool_to_json(pool))
    elif suffix == ".csv":
        atomic_write_text(path, pool_to_csv(pool))
    elif suffix == ".xlsx":
        atomic_write_bytes(path, pool_to_xlsx(pool))
    else:
        raise InputError(
            f"cannot write a pool as {suffix or '(none)'!r}; use .json, .csv or .xlsx",
            source=str(path),
        )


def pool_to_json(pool: Pool) -> str:
    return pool.model_dump_json(indent=2, exclude_none=True) + "\n"


def _table(pool: Pool) -> Iterator[list[str]]:
    """The pool as rows of text cells, header first: the CSV and XLSX layout."""
    yield list(POOL_COLUMNS)
    for org in pool.organisations:
        data = org.model_dump(mode="json")
        yield [
            ";".join(data[c]) if c in LIST_FIELDS else ("" if data[c] is None else data[c])
            for c in POOL_COLUMNS
        ]


def pool_to_csv(pool: Pool) -> str:
    header, *rows = _table(pool)
    return csv_text(header, rows)


def pool_to_xlsx(pool: Pool) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "pool"
    for row in _table(pool):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
