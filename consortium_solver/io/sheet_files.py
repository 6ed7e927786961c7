"""Participant files read into tables: CSV (its delimiter found), the first sheet of an XLSX
workbook (streamed and bounded), and JSON pool documents (read as they are when valid, else their
organisations as rows). What the cells mean is the importer's business (:mod:`.importer`)."""

from __future__ import annotations

import csv
import io
import json
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from xml.etree.ElementTree import ParseError

from pydantic import ValidationError

from consortium_solver.core.errors import (
    InputError,
    decode_text,
    read_input,
    require_file,
    too_deep_or_too_long,
)
from consortium_solver.domain import Pool
from consortium_solver.io import vocabulary as vocab
from consortium_solver.reference.places import fold
from consortium_solver.rules import format_loc

# Bounds on a sheet read, each refused in words the moment it is crossed (a hostile file — a cell
# of 300 MB packed into 300 KB, two million empty rows — is refused in seconds, in bounded memory):
# rows with anything in them (100,000 participants and a few lines of notes), columns with anything
# in them, a cell's characters (Excel's own limit), a file's bytes, and a workbook's bytes once
# unpacked (what its zip declares; a part that inflates beyond its declared size fails its check).
MAX_ROWS, MAX_COLUMNS = 110_000, 200
MAX_CELL = 32_767
MAX_FILE = 100 * 1024 * 1024
MAX_INFLATED = 100 * 1024 * 1024
MAX_PARTS = 10_000
# How far below the top the header row may be (title rows, notes, an empty line or two).
HEADER_SEARCH_ROWS = 30
# A cell: text, or a list of texts (a JSON list).
Cell = str | list[str]


@dataclass
class Sheet:
    """A table as read: numbered rows of cells (text, or lists of text from JSON)."""

    source: str
    name: str
    rows: list[tuple[int, list[Cell]]]
    kind: Literal["csv", "xlsx", "json"]
    # JSON only: the ``details`` objects of organisations, by row number.
    details: dict[int, dict[str, str]] | None = None


def bounded_input(path: Path) -> bytes:
    """A file's bytes, refused in words beyond :data:`MAX_FILE`."""
    require_file(path)
    size = path.stat().st_size
    if size > MAX_FILE:
        raise InputError(
            f"the file holds {size / 2**20:,.0f} MB, more than the {MAX_FILE // 2**20} MB a"
            " participant sheet can take (100,000 rows are about 20 MB): is it the right file?",
            source=str(path),
        )
    return read_input(path)


def check_cells(rows: Sequence[tuple[int, Sequence[object]]], source: str) -> None:
    """Refuse a cell longer than Excel holds (:data:`MAX_CELL` characters), naming it."""
    for number, cells in rows:
        for k, cell in enumerate(cells):
            if isinstance(cell, str) and len(cell) > MAX_CELL:
                raise InputError(
                    f"a cell of {len(cell):,} characters (a spreadsheet cell holds at most"
                    f" {MAX_CELL:,}): is it the right file?",
                    source=source,
                    where=f"row {number}, column {k + 1}",
                )


def check_workbook(path: Path) -> None:
    """Refuse, before reading it, a workbook that unpacks beyond :data:`MAX_INFLATED` or holds
    more than :data:`MAX_PARTS` parts (what its zip directory declares: reading stops there)."""
    source = str(path)
    try:
        with zipfile.ZipFile(path) as packed:
            parts = packed.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputError(
            f"not a readable .xlsx workbook ({type(exc).__name__})", source=source
        ) from None
    inflated = sum(part.file_size for part in parts)
    if len(parts) > MAX_PARTS or inflated > MAX_INFLATED:
        raise InputError(
            f"the workbook unpacks to {inflated / 2**20:,.0f} MB in {len(parts):,} parts, more"
            f" than a participant sheet can take ({MAX_INFLATED // 2**20} MB; 100,000 rows are"
            " about 40 MB): is it the right file? Save the participants alone in a new workbook",
            source=source,
        )


def read_csv_sheet(path: Path) -> Sheet:
    """A CSV file's rows; the delimiter (',', ';' or tab) is the one whose header reads best."""
    source = str(path)
    text = decode_text(bounded_input(path), source, " (save the CSV as UTF-8)")
    best: tuple[int, str] = (-1, ",")
    for delimiter in (",", ";", "\t"):
        try:
            head = list(csv_rows(text, delimiter, limit=HEADER_SEARCH_ROWS))
        except csv.Error:
            continue
        score = max((header_score(row)[0] for _, row in head), default=0)
        if score > best[0]:
            best = (score, delimiter)
    try:
        rows = list(csv_rows(text, best[1]))
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            message = f"a cell of more than {MAX_CELL:,} characters (a spreadsheet cell's most)"
            raise InputError(f"{message}: is it the right file?", source=source) from None
        raise InputError(f"malformed CSV: {exc}", source=source) from None
    if len(rows) > MAX_ROWS:
        raise InputError(
            f"more than {MAX_ROWS:,} rows: is it the right file?", source=source,
            where=f"row {rows[MAX_ROWS][0]}",
        )  # fmt: skip
    check_cells(rows, source)
    return Sheet(source, path.stem, [(n, list(r)) for n, r in rows], "csv")


def csv_rows(
    text: str, delimiter: str, limit: int | None = None
) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    start = 1
    for count, row in enumerate(reader):
        if limit is not None and count >= limit:
            return
        yield start, row
        start = reader.line_num + 1


def read_xlsx_sheet(path: Path, titles: Sequence[str] = ()) -> Sheet | None:
    """The first worksheet of a workbook, streamed and bounded; with ``titles``, the first sheet
    whose title is one of them (compared folded), or None when there is none."""
    import openpyxl  # imported here: only .xlsx users pay for it
    from openpyxl.utils.exceptions import InvalidFileException

    source = str(path)
    require_file(path)
    check_workbook(path)
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ParseError) as exc:
        raise InputError(
            f"not a readable .xlsx workbook ({type(exc).__name__})", source=source
        ) from None
    try:
        if not workbook.worksheets:
            raise InputError("a workbook without a worksheet", source=source)
        wanted = {fold(t) for t in titles}
        chosen = [w for w in workbook.worksheets if not wanted or fold(w.title) in wanted]
        if not chosen:
            return None
        sheet = chosen[0]
        where = f"{source} (sheet {sheet.title!r})"
        rows: list[tuple[int, list[Cell]]] = list(_sheet_rows(sheet, where))
    except (ParseError, zipfile.BadZipFile, KeyError, EOFError, zlib.error) as exc:
        raise InputError(
            f"a damaged .xlsx workbook: its sheet cannot be read ({type(exc).__name__})",
            source=source,
        ) from None
    finally:
        workbook.close()
    return Sheet(where, path.stem, rows, "xlsx")


def _sheet_rows(sheet: Any, source: str) -> Iterator[tuple[int, list[Cell]]]:
    """The sheet's rows with their numbers; trailing empty cells dropped, and a bound on the size
    (a 6 KB file can declare, or hold a cell at, XFD1048576: 17 billion cells)."""
    # A read-only sheet pads every row to the dimension the file declares; forget it.
    sheet.reset_dimensions()
    for number, row in enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1):
        if number > MAX_ROWS:  # a cell far below: refused at once; empty rows cost no memory
            if any(_cell_text(cell).strip() for cell in row[:MAX_COLUMNS]):
                raise InputError(
                    f"more than {MAX_ROWS:,} rows: a stray cell far below the table?",
                    source=source,
                    where=f"row {number}",
                )
            if not any(_cell_text(cell).strip() for cell in row):
                continue
        if any(_cell_text(cell).strip() for cell in row[MAX_COLUMNS:]):
            raise InputError(
                f"a cell beyond column {MAX_COLUMNS} (a participant sheet has a dozen columns):"
                " delete the stray cells or columns",
                source=source,
                where=f"row {number}",
            )
        texts: list[Cell] = [_cell_text(cell) for cell in row[:MAX_COLUMNS]]
        check_cells([(number, texts)], source)
        while texts and not str(texts[-1]).strip():
            texts.pop()
        if not texts:
            continue
        yield number, texts


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def read_json_pool(path: Path) -> Pool | Sheet:
    """A pool document: the pool itself when it is valid, else its organisations as the rows of a
    sheet (the first row their keys), for the importer to read with the same tolerance."""
    source = str(path)
    text = decode_text(bounded_input(path), source)
    try:
        data = json.loads(text, parse_constant=_refuse_constant, parse_float=_finite_float)
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}"
        raise InputError(f"invalid JSON: {exc.msg}", source=source, where=where) from None
    except (RecursionError, ValueError) as exc:
        raise InputError(too_deep_or_too_long(exc) or str(exc), source=source) from None
    if not isinstance(data, dict):
        raise InputError("a pool is a JSON object with 'name' and 'organisations'", source=source)
    try:
        return Pool.model_validate(data)
    except ValidationError as exc:
        return _json_sheet(data, exc, source, path.stem)
    except RecursionError:
        raise InputError(too_deep_or_too_long(RecursionError()) or "", source=source) from None


def _json_sheet(data: dict[str, Any], exc: ValidationError, source: str, stem: str) -> Sheet:
    unknown = sorted(set(data) - {"name", "description", "organisations"})
    if unknown:
        raise InputError(
            "unknown top-level key (a pool has name, description, organisations)",
            source=source,
            field=unknown[0],
        )
    for error in exc.errors():
        loc = error["loc"]
        if loc and loc[0] in ("name", "description"):
            raise InputError(
                pydantic_words(error),
                source=source,
                field=format_loc(loc),
                value=_plain(error.get("input")) if error["type"] != "missing" else None,
            )
    orgs = data.get("organisations")
    if not isinstance(orgs, list):
        raise InputError(
            "'organisations' must be a list of organisations", source=source, field="organisations"
        )
    if not orgs:
        raise InputError("no organisations in the pool", source=source, field="organisations")
    headers: list[str] = []
    for i, org in enumerate(orgs):
        if not isinstance(org, dict):
            raise InputError(
                "an organisation is a JSON object", source=source, where=f"organisations[{i}]"
            )
        headers += [k for k in org if k not in headers and k != "details"]
    rows: list[tuple[int, list[Cell]]] = [(0, list(headers))]
    details: dict[int, dict[str, str]] = {}
    for i, org in enumerate(orgs):
        cells: list[Cell] = []
        for key in headers:
            value = org.get(key)
            if isinstance(value, list):
                cells.append([_json_text(v) for v in value if v is not None])
            else:
                cells.append("" if value is None else _json_text(value))
        rows.append((i + 1, cells))
        if isinstance(org.get("details"), dict):
            details[i + 1] = {str(k): _json_text(v) for k, v in org["details"].items()}
    name = data.get("name") or stem
    return Sheet(source, str(name), rows, "json", details)


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value: write a number or text")


def _finite_float(text: str) -> float:
    value = float(text)
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(f"the number {text[:20]} is too large to read")
    return value


def _json_text(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _plain(value: Any) -> str | None:
    return None if value is None or isinstance(value, (dict, list)) else str(value)


def pydantic_words(error: Any) -> str:
    if error["type"] == "missing":
        return "missing value"
    return str(error["msg"]).removeprefix("Value error, ")


def header_score(row: Sequence[Cell], kind: str = "organisation") -> tuple[int, dict[int, str]]:
    """How many distinct fields a row's cells name, and which cell names which field."""
    found: dict[int, str] = {}
    for k, cell in enumerate(row):
        if isinstance(cell, str) and cell.strip():
            name = vocab.field_of_header(cell, kind)
            if name is not None and name not in found.values():
                found[k] = name
    return len(found), found
