"""The tables of an event: a *Tables* worksheet of the participants' workbook, a tables file
(``group --tables FILE``: .csv or .xlsx) or a short spec (``--tables 10x6``, ``10x6@1,8x6@2-3``,
``A:6,B:6,C:4``). Each table has a name, a capacity (its seats) and optionally the rounds it is laid
(cells as the *Rounds attended* column takes them: ``all``, ``1, 2``, ``2-3``). Every problem is
reported at once, by row and column, with what to write."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from pydantic import ValidationError

from consortium_solver.core.errors import InputError, decode_text, require_file
from consortium_solver.core.options import OptionError
from consortium_solver.domain import Pool, Table
from consortium_solver.io.cells import read_attendance
from consortium_solver.io.importer import ImportReport, Problem, SheetProblems
from consortium_solver.io.sheet_files import Sheet, bounded_input, csv_rows, read_xlsx_sheet
from consortium_solver.reference.places import fold

# The worksheet of a workbook that lists the tables, by its title (compared folded).
TABLE_SHEETS = ("Tables", "Table", "Tische", "Tablas", "Mesas", "Tavoli", "Stoly", "Stoły",
                "Tafels", "Tables rondes", "Seating", "Rooms", "Räume")  # fmt: skip
# Header words, compared folded, in the usual languages.
NAME_WORDS = frozenset({"table", "name", "table name", "tisch", "tischname", "mesa", "tavolo",
                        "stol", "tafel", "nom", "nombre", "nome", "room", "raum", "salle"})  # fmt: skip
SEAT_WORDS = frozenset({"capacity", "seats", "places", "size", "chairs", "kapazitat", "platze",
                        "sitze", "sitzplatze", "plazas", "asientos", "posti", "miejsca", "stoelen",
                        "capacite", "capacidad", "capacita"})  # fmt: skip
ROUND_WORDS = frozenset({"rounds", "round", "sessions", "session", "laid", "available", "open",
                         "runden", "runde", "tours", "rondas", "turni", "rundy"})  # fmt: skip
HINT = "write a name, the seats as a whole number (e.g. 6) and, optionally, rounds (e.g. 1, 2)"


def read_tables(sheet: Sheet) -> tuple[tuple[Table, ...], list[Problem]]:
    """The tables a sheet lists, and every problem with them (as errors)."""
    header = next(((n, row) for n, row in sheet.rows[:30] if _columns(row)[0] is not None), None)
    if header is None:
        problem = Problem("error", "no Table and Capacity columns", suggestion=HINT)
        return (), [problem]
    number, row = header
    name_col, seat_col, round_col = _columns(row)
    tables: list[Table] = []
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for n, cells in sheet.rows:
        if n <= number or not any(str(c).strip() for c in cells):
            continue
        cell = [str(c).strip() for c in cells] + [""] * len(row)
        name, seats = cell[name_col or 0], cell[seat_col or 0]
        rounds, findings = read_attendance(cell[round_col]) if round_col is not None else (None, [])
        where = f"row {n}"
        if not name:
            problems.append(Problem("error", "no table name", where, str(row[name_col or 0]),
                                    row=n, col=(name_col or 0) + 1, suggestion=HINT))  # fmt: skip
        elif fold(name) in seen:
            problems.append(Problem("error", f"the table {name!r} is listed twice (first in row"
                                    f" {seen[fold(name)]})", where, row=n))  # fmt: skip
        if not re.fullmatch(r"\d{1,4}", seats) or not 1 <= int(seats) <= 1000:
            problems.append(Problem("error", "not a number of seats", where,
                                    str(row[seat_col or 0]), seats, suggestion="e.g. 6", row=n,
                                    col=(seat_col or 0) + 1))  # fmt: skip
        for finding in findings:
            problems.append(Problem("error", finding.message, where, str(row[round_col or 0]),
                                    finding.value, finding.suggestion, row=n))  # fmt: skip
        if name and fold(name) not in seen and seats.isdigit() and 1 <= int(seats) <= 1000:
            seen[fold(name)] = n
            if not findings:
                tables.append(Table(name=name, capacity=int(seats), rounds=rounds))
    return tuple(tables), problems  # none listed: none (an empty Tables sheet of the template)


def _columns(row: Sequence[object]) -> tuple[int | None, int | None, int | None]:
    """The name, seats and rounds columns of a header row (None: not there); the name is None
    unless the seats are there too."""
    words = [fold(str(c)) for c in row]
    seats = next((k for k, w in enumerate(words) if w in SEAT_WORDS), None)
    name = next((k for k, w in enumerate(words) if w in NAME_WORDS and k != seats), None)
    rounds = next((k for k, w in enumerate(words) if w in ROUND_WORDS), None)
    if seats is None or name is None:
        return None, None, None
    return name, seats, rounds


def tables_in_workbook(path: Path) -> tuple[tuple[Table, ...], list[Problem]]:
    """The tables of a participants' workbook's *Tables* worksheet (none when it has none)."""
    sheet = read_xlsx_sheet(path, TABLE_SHEETS)
    return read_tables(sheet) if sheet is not None else ((), [])


def read_tables_file(path: Path) -> tuple[Table, ...]:
    """``--tables FILE``: a .csv file or the *Tables* worksheet (else the first) of a workbook.

    Raises:
        InputError: the file cannot be read; SheetProblems: every problem in it.
    """
    require_file(path)
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        sheet = read_xlsx_sheet(path, TABLE_SHEETS) or read_xlsx_sheet(path)
    elif suffix == ".csv":
        text = decode_text(bounded_input(path), str(path), " (save the CSV as UTF-8)")
        first = text.splitlines()[0] if text.strip() else ""
        delimiter = max((",", ";", "\t"), key=first.count)
        sheet = Sheet(str(path), path.stem, [(n, list(r)) for n, r in csv_rows(text, delimiter)],
                      "csv")  # fmt: skip
    else:
        raise InputError(f"tables are read from .csv or .xlsx, not {suffix or '(none)'!r}",
                         source=str(path), field="--tables")  # fmt: skip
    assert sheet is not None  # the first sheet: a workbook without one is refused in reading
    tables, problems = read_tables(sheet)
    if not tables and not problems:
        problems.append(Problem("error", "no table is listed", suggestion=HINT))
    if problems:
        raise SheetProblems(sheet.source, problems)
    return tables


_SPEC = re.compile(r"^(\d{1,3})\s*[x×*]\s*(\d{1,4})$")


def tables_spec(text: str) -> tuple[Table, ...]:
    """``--tables`` as a spec: ``10x6`` (ten tables of six), ``10x6@1,8x6@2-3`` (per round),
    ``Garden:8,Hall:6`` (named tables), parts separated by commas or spaces.

    Raises:
        OptionError: (field ``tables``) a part that is none of these.
    """
    out: list[Table] = []
    problems: list[tuple[str, str, str]] = []
    # Parts are separated by spaces, semicolons, or a comma before the next part (10x6 or
    # Name:6): a comma between round numbers (10x6@1,2) stays in its part.
    parts = re.split(r"[;\s]+|,(?=\s*(?:\d+\s*[x×*]|[^,@:;\s]+:\d))", text.strip())
    for part in (p.strip() for p in parts if p.strip()):
        body, _, when = part.partition("@")
        rounds, findings = read_attendance(when) if when else (None, [])
        many = _SPEC.match(body.strip())
        name, colon, seats = body.rpartition(":")
        try:
            if findings:
                raise ValueError(findings[0].message)
            if many:
                count, size = int(many[1]), int(many[2])
                first = len(out) + 1
                out += [Table(name=f"Table {first + k}", capacity=size, rounds=rounds)
                        for k in range(count)]  # fmt: skip
            elif colon and seats.strip().isdigit():
                out.append(Table(name=name.strip(), capacity=int(seats), rounds=rounds))
            else:
                raise ValueError("not tables")
        except (ValueError, ValidationError):
            problems.append(("tables", part, "expected 10x6 (ten tables of six), 10x6@1 (in"
                             " round 1), Name:6 (a named table), or a .csv/.xlsx file"))  # fmt: skip
    if problems:
        raise OptionError(problems)
    if not out:
        raise OptionError.one("tables", text, "no table given")
    return tuple(out)


def with_tables(report: ImportReport[Pool], path: Path) -> ImportReport[Pool]:
    """The import report of a participants' workbook with the tables of its *Tables* worksheet
    in the pool (none when it has none); their problems join the report's, as the sheet's."""
    if path.suffix.lower() != ".xlsx" or report.sheet is None:
        return report
    tables, problems = tables_in_workbook(path)
    if problems:
        where = [replace(p, where=f"sheet 'Tables', {p.where or 'the header'}") for p in problems]
        report.problems.extend(where)
        report.pool = None
    elif tables and report.pool is not None:
        report.pool = report.pool.model_copy(update={"tables": tables})
    return report
