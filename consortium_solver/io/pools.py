"""Reading and writing pools: JSON, CSV and XLSX in and out.

Reading is the importer's (:mod:`.importer`): every problem of a file is reported at once, each
naming the file, the row (or the JSON path), the column and the value. Writers never leave a half-written file: they write a temporary
file beside the target and rename it into place (:mod:`.atomic`).
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from consortium_solver.core.errors import InputError
from consortium_solver.domain import LIST_FIELDS, Organisation, Pool
from consortium_solver.io.atomic import atomic_write_bytes, atomic_write_text
from consortium_solver.io.importer import ImportOptions, import_pool
from consortium_solver.io.tables import csv_text
from consortium_solver.rules import format_loc

POOL_COLUMNS: tuple[str, ...] = tuple(f for f in Organisation.model_fields if f != "details")


def read_pool(path: str | Path, options: ImportOptions | None = None) -> Pool:
    """Read a pool from a .json, .csv or .xlsx file, as tolerantly as :mod:`.importer` reads.

    Raises:
        InputError: the file is missing, of an unknown kind, or cannot be read;
            :class:`~consortium_solver.io.importer.SheetProblems` (an InputError) listing every
            problem when any cell is wrong.
    """
    return import_pool(path, options).require_pool()


def pool_from_json_data(data: dict[str, Any], source: str) -> Pool:
    """Validate a parsed pool document (the packaged demo); errors name the JSON path."""
    try:
        return Pool.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise InputError(
            error_message(first),
            source=source,
            field=format_loc(first["loc"]) or None,
            value=error_value(first),
        ) from None


def error_message(error: Any) -> str:
    """One pydantic error in the readers' words."""
    kind = error["type"]
    if kind == "extra_forbidden":
        return "unknown field"
    if kind == "missing":
        return "missing value"
    return str(error["msg"]).removeprefix("Value error, ")


def error_value(error: Any) -> Any:
    """The value an error names, when it is a plain one."""
    if error["type"] == "missing":
        return None
    value = error.get("input")
    return None if isinstance(value, (dict, list, tuple)) else value


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
    """The pool document; an organisation without details has no ``details`` key."""
    data = pool.model_dump(mode="json", exclude_none=True)
    for org in data["organisations"]:
        if not org["details"]:
            del org["details"]
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _table(pool: Pool) -> Iterator[list[str]]:
    """The pool as rows of text cells, header first: the CSV and XLSX layout (the fields, then one
    column for each kept detail)."""
    extra = list(dict.fromkeys(key for org in pool.organisations for key in org.details))
    yield [*POOL_COLUMNS, *extra]
    for org in pool.organisations:
        data = org.model_dump(mode="json")
        yield [
            *(_cell(c, data[c]) for c in POOL_COLUMNS),
            *(org.details.get(key, "") for key in extra),
        ]


def _cell(column: str, value: Any) -> Any:
    """A field's value as a sheet's cell: lists joined with ';', rounds attended as "1;3"."""
    if column in LIST_FIELDS:
        return ";".join(value)
    if column == "rounds":
        return "" if value is None else ";".join(str(r) for r in value)
    return "" if value is None else value


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
