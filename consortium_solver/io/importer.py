"""Participant sheets as organisers write them, read into a pool in one pass that reports every
problem at once.

The same reading serves CSV, XLSX and JSON (:mod:`.sheet_files` turns each into a table): the header
row is found below any title rows; headers are matched to fields by :mod:`.vocabulary` (any other
column is kept, as the organisation's ``details``); each cell is read by :mod:`.cells`. A cell that
cannot be used is an *error*; a value the importer had to guess, or left out, is a *warning*. A pool
is made only when there is no error; either way the :class:`ImportReport` lists every problem with
its row, column, value and a suggestion.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from pydantic import ValidationError

from consortium_solver.core.errors import InputError, require_file
from consortium_solver.domain import Organisation, Pool
from consortium_solver.domain.places import place_problem
from consortium_solver.io import vocabulary as vocab
from consortium_solver.io.cells import (
    FIELD_WORDS,
    Finding,
    Severity,
    derived_id,
    read_attendance,
    read_closed,
    read_country,
    read_number,
    read_place,
    read_sectors,
    split_list,
)
from consortium_solver.io.sheet_files import (
    HEADER_SEARCH_ROWS,
    Cell,
    Sheet,
    header_score,
    pydantic_words,
    read_csv_sheet,
    read_json_pool,
    read_xlsx_sheet,
)
from consortium_solver.reference.places import fold, region_label

REQUIRED_FIELDS = ("name", "country", "organisation_type", "eccp_status", "sectors")
FIELDS = tuple(vocab.FIELD_HEADERS)
CLOSED_FIELDS = (
    "region_category",
    "region_category_2021",
    "organisation_type",
    "eccp_status",
    "maturity",
)
# Yes-or-no columns (empty: not stated).
FLAG_COLUMNS = ("non_profit", "public_body", "sme")
# Problems printed by a command that only needed the pool (``consortium import`` lists all).
MAX_LINES = 20
DERIVED = "(derived)"  # an id to be made from the name once every row is read
_SECOND = "another column has this meaning: this one is kept as an extra column"  # an id to be made from the name once every row is read


@dataclass(frozen=True)
class Problem:
    """One thing wrong with (error) or guessed in (warning) a sheet, where it is, and what to do."""

    severity: Severity
    message: str
    where: str | None = None  # "row 7 (id 'x')", or "organisations[3]" in JSON
    column: str | None = None  # the header as written
    value: str | None = None
    suggestion: str | None = None
    row: int | None = None  # sheet row number (1-based), for marking the cell
    col: int | None = None  # sheet column number (1-based)
    column_word: str = "column"  # "key" in a JSON document
    choices: tuple[str, ...] = ()  # NUTS-2 codes that would fix a region cell, one click each

    def line(self, source: str) -> str:
        """One line: ``sheet.xlsx: row 7, column 'Country', value 'Germnay': unknown country; did
        you mean Germany (DE)?``."""
        place = [self.where] if self.where else []
        if self.column:
            place.append(f"{self.column_word} {self.column!r}")
        if self.value is not None:
            value = self.value if len(self.value) <= 60 else self.value[:59] + "…"
            place.append(f"value {value!r}")
        text = self.message + (f"; {self.suggestion}" if self.suggestion else "")
        return ": ".join([source, ", ".join(place), text] if place else [source, text])


class SheetProblems(InputError):
    """A sheet with errors. ``problems`` holds every one (errors and warnings), ``lines()`` gives a
    line for each (at most :data:`MAX_LINES`), ``str()`` the first error and how many more."""

    def __init__(self, source: str, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        self.errors = [p for p in problems if p.severity == "error"]
        super().__init__(self.errors[0].message, source=source)

    def __str__(self) -> str:
        n = len(self.errors)
        more = f" (and {n - 1} more error{'s' if n > 2 else ''})" if n > 1 else ""
        return self.errors[0].line(self.source or "") + more

    def lines(self) -> list[str]:
        ordered = self.errors + [p for p in self.problems if p.severity == "warning"]
        out = [f"{p.severity}: {p.line(self.source or '')}" for p in ordered[:MAX_LINES]]
        if len(ordered) > MAX_LINES:
            out.append(
                f"error: … and {len(ordered) - MAX_LINES} more problems: `consortium import"
                " SHEET --report problems.xlsx` lists them all"
            )
        return out


@dataclass(frozen=True)
class ImportOptions:
    """``columns``: field -> header, for headers the vocabulary does not know; ``merge_duplicates``:
    keep the first of organisations with the same name instead of refusing them."""

    columns: dict[str, str] = field(default_factory=dict)
    merge_duplicates: bool = False
    accept_suggestions: bool = False  # a place's only suggestion taken, with a warning saying so
    # How the front end names merging, in the hint of a duplicate (the web page names its box).
    merge_hint: str = "use --merge-duplicates to keep the first"
    # How the front end reads a sheet of the other kind, by kind ("participant": ClusterXchange
    # participants, "organisation": an event's organisations), said when a sheet looks like one.
    kind_hints: dict[str, str] = field(
        default_factory=lambda: {
            "participant": "read it with `consortium import --exchange` or `consortium exchange`",
            "organisation": "read it with `consortium import` (without --exchange)",
        }
    )


@dataclass(frozen=True)
class PlaceRead:
    """One place as the sheet wrote it (with its row's country) and what it was read as: the
    NUTS-2 code or None, by what ("English name", "the town Debrecen", ...), in how many rows."""

    text: str
    country: str | None
    code: str | None
    how: str
    rows: int


T = TypeVar("T")


@dataclass
class ImportReport(Generic[T]):
    """What an import found: the pool (None when there is an error), every problem, how each column
    was read (header -> field, or "kept"), and the sheet itself (for the marked copy)."""

    source: str
    pool: T | None
    problems: list[Problem]
    columns: dict[str, str]
    sheet: Sheet | None
    header_row: int | None = None
    places: list[PlaceRead] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    def require_pool(self) -> T:
        """The pool, or a :class:`SheetProblems` listing every problem."""
        if self.pool is None:
            raise SheetProblems(self.source, self.problems)
        return self.pool


def import_pool(path: str | Path, options: ImportOptions | None = None) -> ImportReport[Pool]:
    """Read a participant sheet (.csv, .xlsx) or pool document (.json) and report on it.

    Raises:
        InputError: the file cannot be read at all (missing, not UTF-8, not a workbook, ...);
            problems *in* a readable file are in the report instead.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".json", ".csv", ".xlsx"):
        raise InputError(
            f"unknown pool format {suffix or '(none)'!r}; use .json, .csv or .xlsx",
            source=str(path),
        )
    require_file(path)
    if suffix == ".json":
        found = read_json_pool(path)
        if isinstance(found, Pool):
            columns = {f: f for f in FIELDS if any(getattr(o, f) for o in found.organisations)}
            return ImportReport(str(path), found, [], columns, None)
        return import_sheet(found, options)
    sheet = read_csv_sheet(path) if suffix == ".csv" else read_xlsx_sheet(path)
    assert sheet is not None  # the first sheet: a workbook without one is refused in reading
    from consortium_solver.io.event_tables import with_tables  # it reads sheets as this does

    return with_tables(import_sheet(sheet, options), path)


def import_sheet(sheet: Sheet, options: ImportOptions | None = None) -> ImportReport[Pool]:
    """Read a table already in memory (see :func:`import_pool` for files)."""
    return SheetReader(sheet, options or ImportOptions()).report()


class SheetReader:
    """Reads one sheet's rows into organisations, collecting problems as it goes. A subclass reads
    other rows (ClusterXchange participants: :mod:`.exchange_sheets`) by its own ``kind``,
    ``required``, ``all_fields`` and ``headings``, ``read_row`` and ``assemble``."""

    kind = "organisation"
    required: tuple[str, ...] = REQUIRED_FIELDS
    all_fields: tuple[str, ...] = FIELDS
    headings: dict[str, str] = vocab.FIELD_HEADERS
    # Columns read to place the organisation and kept as the sheet's columns too.
    kept: tuple[str, ...] = ("city", "lat", "lon")
    # The other kind of sheet, told apart by columns only it has, and what it is called.
    other_kind = "participant"
    other_marks: tuple[str, ...] = ("role", "partnership", "capacity", "working_days")
    other_words = "a ClusterXchange participant sheet (visitors and hosts)"

    def __init__(self, sheet: Sheet, options: ImportOptions) -> None:
        self.sheet = sheet
        self.options = options
        self.json = sheet.kind == "json"
        self.problems: list[Problem] = []
        self.headers: list[str] = []
        self.fields: dict[str, int] = {}  # field -> column index
        self.columns: dict[str, str] = {}  # header -> field or "kept"
        self.header_row: int | None = None
        self.ids: dict[int, str] = {}  # row -> the id it states, to name the row in messages
        self.failed: set[int] = set()  # rows with an error
        self.places: dict[tuple[str, str | None], list[Any]] = {}  # -> [code, how, rows]

    def where(self, number: int | None) -> str | None:
        if number is None:
            return None
        place = f"organisations[{number - 1}]" if self.json else f"row {number}"
        org_id = self.ids.get(number)
        return f"{place} (id {org_id!r})" if org_id else place

    def add(self, finding: Finding, number: int | None, col: int | None = None) -> None:
        column = self.headers[col] if col is not None and col < len(self.headers) else None
        if finding.severity == "error" and number is not None:
            self.failed.add(number)
        self.problems.append(
            Problem(
                finding.severity,
                finding.message,
                self.where(number),
                column,
                finding.value,
                finding.suggestion,
                row=None if self.json else number,
                col=None if self.json or col is None else col + 1,
                column_word="key" if self.json else "column",
                choices=finding.choices,
            )
        )

    def has_errors(self) -> bool:
        return any(p.severity == "error" for p in self.problems)

    # -- the header

    def read(self) -> Any:
        """The pool (or what ``assemble`` makes) when no row has an error, else None."""
        found = find_header(self.sheet, self.options, self.kind)
        if found is None:
            hint = (
                "the first rows should name the columns, e.g. Organisation, Country, Region, Type,"
                " ECCP, Sectors (`consortium template` writes a sheet to start from)"
            )
            self.add(Finding("error", "no header row found", None, hint), None)
            return None
        self.header_row, self.headers = found
        self.columns = {h: "kept" for h in self.headers if h}
        mapped = self.map_columns()
        for name, k in self.fields.items():  # what each column was read as, errors or not
            self.columns[self.headers[k]] = name
        if not mapped:
            other_kind_said(self)
            return None
        rows = []
        for number, row in self.sheet.rows:
            if number > self.header_row:
                org = self.read_row(number, row)
                if org is not None:
                    rows.append((number, org))
        kept = unique(self, rows)
        if not kept and not self.has_errors():
            message = "no organisations in the sheet (only a header row)"
            self.add(Finding("error", message), None)
        if self.has_errors():
            return None
        return self.assemble([o for _, o in kept])

    def assemble(self, rows: list[Any]) -> Any:
        return Pool(name=self.sheet.name, organisations=tuple(rows))

    def map_columns(self) -> bool:
        """Fill ``fields``; False (reported) when a required column is missing."""
        header = self.headers
        line = None if self.json else self.header_row
        kind = "key" if self.json else "column"
        by_fold = {fold(h): k for k, h in enumerate(header) if h}
        for name, wanted in self.options.columns.items():
            if fold(wanted) in by_fold:
                self.fields[name] = by_fold[fold(wanted)]
            else:
                close = _close_header_of(wanted, [h for h in header if h])
                hint = f"did you mean {close!r}?" if close else None
                message = f"no column named {wanted!r} (given for {name} by --columns)"
                self.add(Finding("error", message, None, hint), line)
        # Each field from the likeliest of the columns naming it; the others are kept.
        best: dict[str, tuple[int, int]] = {}  # field -> (rank, column)
        seen: set[str] = set()
        for k, text in enumerate(header):
            if not text or k in self.fields.values():
                continue
            meaning = vocab.header_meaning(text, self.kind)
            if fold(text) in seen or meaning is None or meaning[0] in self.fields:
                if fold(text) in seen or meaning is not None:
                    message = "another column has this meaning: this one is kept as an extra column"
                    self.add(Finding("warning", message), line, k)
            elif meaning[0] not in best or meaning[1] < best[meaning[0]][0]:
                if meaning[0] in best:
                    self.add(Finding("warning", _SECOND), line, best[meaning[0]][1])
                best[meaning[0]] = (meaning[1], k)
            else:
                self.add(Finding("warning", _SECOND), line, k)
            seen.add(fold(text))
        self.fields.update({name: k for name, (_, k) in best.items()})
        missing = [f for f in self.required if f not in self.fields]
        unread = [h for k, h in enumerate(header) if h and k not in self.fields.values()]
        for name in self.all_fields:
            close = _close_header(name, unread, self.kind)
            if close is None:
                hint = (
                    f"name a column {self.headings[name]!r} (or one of:"
                    f" {', '.join(vocab.ALIASES[self.kind][name][:4])})"
                )
            else:
                hint = f"rename it {self.headings[name]!r}, or say --columns {name}={close}"
            if name in missing:
                self.add(
                    Finding("error", f"no {kind} for the {FIELD_WORDS[name]}", None, hint), line
                )
            elif close is not None and name not in self.fields:
                message = (
                    f"looks like the {FIELD_WORDS[name]} column but is kept as an extra column"
                )
                self.add(Finding("warning", message, None, hint), line, header.index(close))
        return not missing

    # -- the rows

    def cell(self, row: list[Cell], name: str) -> Cell:
        """A field's cell of a row, stripped ("" when the sheet has no such column)."""
        k = self.fields.get(name)
        value = row[k] if k is not None and k < len(row) else ""
        return value if isinstance(value, list) else value.strip()

    def text(self, row: list[Cell], name: str) -> str:
        """A field's cell as text (a JSON list joined with '; ')."""
        value = self.cell(row, name)
        return "; ".join(value) if isinstance(value, list) else value

    def validated(self, model: type[Any], record: dict[str, Any], number: int) -> Any:
        """The row as ``model``, unless one of its cells has an error (then None); what pydantic
        still refuses is added at its cell."""
        if number in self.failed:
            return None
        try:
            return model.model_validate({k: v for k, v in record.items() if v is not None})
        except ValidationError as exc:
            for error in exc.errors():
                loc = str(error["loc"][0]) if error["loc"] else ""
                value = error.get("input")
                plain = None if isinstance(value, (dict, list, tuple)) else value
                finding = Finding(
                    "error", pydantic_words(error), None if plain is None else str(plain)
                )
                self.add(finding, number, self.fields.get(loc))
            return None

    def read_row(self, number: int, row: list[Cell]) -> Any:
        def text(name: str) -> str:
            return self.text(row, name)

        if not any(text(name) for name in self.fields):
            return None  # a blank row, or one with only notes or a running number
        if text("id"):
            self.ids[number] = text("id")
        name = text("name")
        if fold(name or text("country")) in vocab.TOTAL_WORDS:
            self.add(Finding("warning", "a totals row: skipped", name), number, self.fields["name"])
            return None
        empty = [f for f in REQUIRED_FIELDS if f != "eccp_status" and not text(f)]
        if len(empty) > 1:
            words = ", ".join(FIELD_WORDS[f] for f in empty)
            finding = Finding(
                "error", f"an incomplete row: no {words}", None, "fill it in or delete it"
            )
            self.add(finding, number, self.fields[empty[0]])
            return None
        if not name:
            self.add(Finding("error", "no organisation name"), number, self.fields["name"])
        record: dict[str, Any] = {"name": name, "id": text("id") or DERIVED}
        record["country"] = self.note(read_country(text("country")), number, "country")
        point = row_point(self, number, row)
        record["nuts2"] = row_place(self, number, row, record["country"], point)
        for closed in CLOSED_FIELDS:
            if closed in self.fields:
                record[closed] = self.note(read_closed(closed, text(closed)), number, closed)
        record.update(entity_cells(self, number, text))
        if text("rounds"):
            record["rounds"] = self.note(read_attendance(text("rounds")), number, "rounds")
        record["sectors"] = self.note(read_sectors(self.cell(row, "sectors")), number, "sectors")
        record["offers"] = split_list(self.cell(row, "offers"))
        record["needs"] = split_list(self.cell(row, "needs"))
        record["details"] = details(self, number, row)
        return self.validated(Organisation, record, number)

    def report(self) -> ImportReport[Any]:
        """Read the sheet; the report of what was found (with the pool when nothing is wrong)."""
        found = self.read()
        return ImportReport(
            self.sheet.source,
            found,
            self.problems,
            self.columns,
            self.sheet,
            self.header_row,
            self.places_read(),
        )

    def places_read(self) -> list[PlaceRead]:
        """Every place met, with what it was read as, the most frequent first."""
        out = [
            PlaceRead(text, country, code, how, rows)
            for (text, country), (code, how, rows) in self.places.items()
        ]
        return sorted(out, key=lambda p: (-p.rows, p.text.casefold()))

    def note(self, reading: tuple[Any, list[Finding]], number: int, name: str) -> Any:
        """The value a cell reader understood; its findings added at the cell."""
        value, findings = reading
        for finding in findings:
            self.add(finding, number, self.fields.get(name))
        return value


def entity_cells(reader: SheetReader, number: int, text: Callable[[str], str]) -> dict[str, Any]:
    """A row's cells that today's calls read: the yes-or-no columns (non-profit, public body, SME)
    and who controls the organisation."""
    record: dict[str, Any] = {}
    for flag in FLAG_COLUMNS:
        if flag in reader.fields and text(flag):
            answer = reader.note(read_closed(flag, text(flag)), number, flag)
            record[flag] = None if answer is None else answer == "yes"
    if text("controlled_by"):
        record["controlled_by"] = text("controlled_by")
    return record


def other_kind_said(reader: SheetReader) -> None:
    """When a required column is missing and the sheet has columns only the other kind of sheet
    has, say first which kind it looks like and how to read it as one."""
    marks = []
    for text in reader.headers:
        meaning = vocab.header_meaning(text, reader.other_kind) if text else None
        if meaning is not None and meaning[0] in reader.other_marks:
            marks.append(text)
    if marks:
        message = f"this looks like {reader.other_words}: it has {', '.join(marks)}"
        hint = reader.options.kind_hints.get(reader.other_kind)
        line = None if reader.json else reader.header_row
        reader.add(Finding("error", message, None, hint), line)
        reader.problems.insert(0, reader.problems.pop())  # the first thing to read


def unique(reader: SheetReader, rows: list[tuple[int, Any]]) -> list[tuple[int, Any]]:
    """Rows (organisations, participants) with the same name (folded) or the same id: errors, or
    the later ones merged into the first with ``merge_duplicates``. Derived ids are made unique."""
    kept: list[tuple[int, Any]] = []
    by_name: dict[str, int] = {}  # folded name -> its place in kept
    by_id: dict[str, int] = {}
    name_col = reader.fields["name"]
    for number, org in rows:
        key = fold(org.name)
        if key in by_name:
            at = by_name[key]
            first = reader.where(kept[at][0])
            if reader.options.merge_duplicates:
                merged, words = merged_into(kept[at][1], org)
                kept[at] = (kept[at][0], merged)
                message = (
                    f"the same organisation as {first}: merged into it (the first row kept{words})"
                )
                reader.add(Finding("warning", message, org.name), number, name_col)
            else:
                hint = f"delete one of the rows, or {reader.options.merge_hint}"
                message = f"the same organisation as {first}"
                reader.add(Finding("error", message, org.name, hint), number, name_col)
            continue
        if org.id != DERIVED and org.id in by_id:
            message = f"the same id as {reader.where(by_id[org.id])}"
            hint = "give each organisation its own id"
            reader.add(Finding("error", message, org.id, hint), number, reader.fields.get("id"))
            continue
        by_name[key] = len(kept)
        by_id[org.id] = number
        kept.append((number, org))
    used = {o.id for _, o in kept if o.id != DERIVED}
    out = []
    for number, org in kept:
        if org.id == DERIVED:
            new_id = derived_id(org.name, used)
            used.add(new_id)
            org = org.model_copy(update={"id": new_id})
        out.append((number, org))
    return out


def merged_into(first: Any, later: Any) -> tuple[Any, str]:
    """The first row of an organisation with what a later row of it adds: the sheet's own columns
    the first leaves empty are filled from the later row; what the later row says otherwise is
    listed (", its Phone 0611 left out: the first has 0622"), so nothing goes without a word."""
    details = dict(getattr(first, "details", {}) or {})
    added, left = [], []
    for column, value in (getattr(later, "details", {}) or {}).items():
        if value in (None, ""):
            continue
        if details.get(column) in (None, ""):
            details[column] = value
            added.append(f"{column} {value}")
        elif str(details[column]).strip() != str(value).strip():
            left.append(f"{column} {value} left out: the first has {details[column]}")
    extra = [s for s in getattr(later, "sectors", ()) if s not in getattr(first, "sectors", ())]
    if extra:
        left.append(f"sector{'s' if len(extra) > 1 else ''} {', '.join(extra)} left out")
    words = "".join(
        f"; {w}" for w in ([f"its {a} added" for a in added] + [f"its {x}" for x in left])
    )
    return (first.model_copy(update={"details": details}) if added else first), words


def row_point(reader: SheetReader, number: int, row: list[Cell]) -> tuple[float, float] | None:
    """The row's latitude and longitude, when both are numbers in range (a bad one is said)."""
    lat, lon = reader.text(row, "lat"), reader.text(row, "lon")
    if not lat or not lon:
        return None
    values = [read_number(lat, False)[0], read_number(lon, False)[0]]
    if values[0] is None or values[1] is None or abs(values[0]) > 90 or abs(values[1]) > 180:
        finding = Finding("warning", "not a latitude and longitude: not used to place it", lat)
        reader.add(finding, number, reader.fields.get("lat"))
        return None
    return values[0], values[1]


def row_place(
    reader: SheetReader,
    number: int,
    row: list[Cell],
    country: str | None,
    point: tuple[float, float] | None,
) -> str | None:
    """The row's NUTS-2 region: from the region cell, else the town cell, else the point. A
    region cell that cannot be read while the town can is said, and the town used."""
    texts = [(f, t) for f in ("nuts2", "city") if (t := reader.text(row, f))]
    if not texts and point is None:
        return None
    readings = []
    for name, text in texts or [("nuts2", "")]:
        reading = read_place(text, country, point, reader.options.accept_suggestions)
        seen = reader.places.setdefault((text, country), [reading.code, reading.how, 0])
        seen[2] += 1
        readings.append((name, text, reading))
        if reading.code is not None or any(f.severity == "error" for f in reading.findings):
            break
    name, text, reading = readings[-1]
    if reading.code is None:
        for name, _, failed in readings:
            reader.note((None, failed.findings), number, name)
        return None
    if len(readings) > 1:
        first_name, first_text, _ = readings[0]
        message = f"not read as a region: placed by the {FIELD_WORDS[name]} ({text}) instead"
        reader.add(Finding("warning", message, first_text), number, reader.fields.get(first_name))
    code = str(reader.note((reading.code, reading.findings), number, name))
    if point is not None and texts:  # a point and a region given: they should agree
        said = place_problem(code, *point, region_label(code))
        if said is not None:
            hint = (
                "check the latitude and longitude (the region's point is used if they are removed)"
            )
            reader.add(Finding("warning", said, f"{point[0]:g}, {point[1]:g}", hint), number,
                       reader.fields.get("lat"))  # fmt: skip
    return code


def details(reader: SheetReader, number: int, row: list[Cell]) -> dict[str, str]:
    """The row's other columns, header -> text; a value under no header is kept under its
    column's letter, with a warning."""
    out: dict[str, str] = {}
    used = {k for name, k in reader.fields.items() if name not in reader.kept}
    for k, value in enumerate(row):
        text = ("; ".join(value) if isinstance(value, list) else value).strip()
        if not text or k in used:
            continue
        header = reader.headers[k] if k < len(reader.headers) else ""
        if not header:
            header = f"column {_column_letter(k)}"
            message = f"a value in a column without a header: kept as {header!r}"
            reader.add(Finding("warning", message, text), number)
        out[header] = text
    out.update((reader.sheet.details or {}).get(number, {}))
    return out


def find_header(
    sheet: Sheet, options: ImportOptions, kind: str = "organisation"
) -> tuple[int, list[str]] | None:
    """The row naming most fields (at least two) among the first rows with anything in them."""
    rows = [(n, r) for n, r in sheet.rows if any(str(c).strip() for c in r)]
    best: tuple[int, int] | None = None  # (score, index)
    for index, (_, row) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        score = header_score(row, kind)[0]
        if score >= 2 and (best is None or score > best[0]):
            best = (score, index)
    if best is None and options.columns and rows:
        best = (0, 0)
    if best is None:
        return None
    number, row = rows[best[1]]
    return number, [c.strip() if isinstance(c, str) else "" for c in row]


def _close_header(name: str, headers: list[str], kind: str = "organisation") -> str | None:
    """An unread header that looks like one of a field's names ("Contry" for country)."""
    from rapidfuzz import fuzz, process

    aliases = [fold(a) for a in (name, *vocab.ALIASES[kind][name])]
    best: tuple[float, str] | None = None
    for header in headers:
        found = process.extractOne(fold(header), aliases, scorer=fuzz.ratio)
        if found and found[1] >= 75 and (best is None or found[1] > best[0]):
            best = (found[1], header)
    return best[1] if best else None


def _close_header_of(text: str, headers: list[str]) -> str | None:
    from rapidfuzz import fuzz, process

    found = process.extractOne(text, headers, scorer=fuzz.WRatio, score_cutoff=70)
    return str(found[0]) if found else None


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(index + 1))
