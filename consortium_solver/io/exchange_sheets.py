"""ClusterXchange participants from a sheet (CSV, or the first sheet of a workbook), read with the
importer's tolerance and its one report of every problem (:mod:`.importer`).

A participant row: organisation, country, region (or latitude and longitude), type, role (visitor,
host or both), partnership, sectors, offers, seeks, capacity, working days, a visitor's travel
period and how many visitors a host takes at once; other columns are
ignored (a participant keeps no details). Partnerships and their budgets come from a worksheet
named "Partnerships" (columns ID, Name, Budget) in the same workbook; without one — a CSV file — each
partnership named in the rows is one, with no budget limit.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from consortium_solver.core.errors import InputError, require_file
from consortium_solver.core.money import euros, rounded, to_cents
from consortium_solver.domain.exchanges import ExchangePool, Participant, Partnership
from consortium_solver.exchange.reasons import ineligible_visitor
from consortium_solver.io import vocabulary as vocab
from consortium_solver.io.cells import (
    Finding,
    derived_id,
    read_closed,
    read_country,
    read_date,
    read_number,
    read_ranges,
    read_sectors,
    split_list,
)
from consortium_solver.io.importer import (
    DERIVED,
    ImportOptions,
    ImportReport,
    SheetReader,
    details,
    row_place,
)
from consortium_solver.io.sheet_files import Cell, Sheet, pydantic_words, read_csv_sheet
from consortium_solver.io.sheet_files import read_xlsx_sheet as read_sheet
from consortium_solver.reference.places import fold
from consortium_solver.rules.scheme import load_scheme

PARTNERSHIP_SHEETS = ("Partnerships", "Partnership", "Budgets", "Partnerschaften")
_PARTNERSHIP_HEADERS = {
    "id": {"id", "code", "escp", "partnership id"},
    "name": {"name", "partnership", "partnership name", "title"},
    "budget": {"budget", "budget eur", "eur", "budget in eur", "amount"},
    "admits": {"hosts admitted", "host only types", "host types admitted", "admits", "admitted"},
}


def import_exchange_pool(
    path: str | Path, options: ImportOptions | None = None
) -> ImportReport[ExchangePool]:
    """Read a participant sheet (.csv, .xlsx) into an exchange pool, and report on it (the pool is
    in ``report.pool`` when no cell has an error)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise InputError("a participant sheet is a .csv or .xlsx file", source=str(path))
    require_file(path)
    partnerships: list[Partnership] | None = None
    problems: list[Finding] = []
    if suffix == ".csv":
        sheet = read_csv_sheet(path)
    else:
        first = read_sheet(path)
        assert first is not None  # a workbook without sheets is refused in reading
        sheet = first
        budgets = read_sheet(path, PARTNERSHIP_SHEETS)
        if budgets is not None:
            partnerships, problems = _partnerships(budgets)
    reader = ParticipantReader(sheet, options or ImportOptions(), partnerships)
    for finding in problems:
        reader.add(finding, None)
    return reader.report()


class ParticipantReader(SheetReader):
    """The importer's reader for ClusterXchange participants."""

    kind = "participant"
    required = ("name", "country", "participant_type", "role", "partnership")
    all_fields = tuple(vocab.PARTICIPANT_HEADERS)
    headings = vocab.PARTICIPANT_HEADERS
    kept = ("city",)  # a town that placed the participant stays among its columns
    other_kind = "organisation"
    other_marks = ("eccp_status", "region_category", "maturity", "needs", "rounds")
    other_words = "an event's sheet of organisations (groups, consortia)"

    def __init__(
        self, sheet: Sheet, options: ImportOptions, partnerships: list[Partnership] | None
    ) -> None:
        super().__init__(sheet, options)
        self.scheme = load_scheme()  # the packaged scheme's rules, for the import's warnings
        self.partnerships = partnerships
        self.named: dict[str, str] = {}  # folded partnership text -> id, as met in the rows
        if partnerships is not None:
            for p in partnerships:
                self.named[fold(p.id)] = p.id
                self.named.setdefault(fold(p.name), p.id)

    def read_row(self, number: int, row: list[Cell]) -> Any:
        def text(name: str) -> str:
            return self.text(row, name)

        if not any(text(name) for name in self.fields):
            return None
        if not text("name"):
            self.add(Finding("error", "no organisation name"), number, self.fields["name"])
        record: dict[str, Any] = {"name": text("name"), "id": text("id") or DERIVED}
        record["country"] = self.note(read_country(text("country")), number, "country")
        if text("mode"):
            record["mode"] = self.note(read_closed("mode", text("mode")), number, "mode")
        for closed in ("participant_type", "role"):
            record[closed] = self.note(read_closed(closed, text(closed)), number, closed)
        for day in ("travel_from", "travel_to"):
            if text(day):
                record[day] = self.note(read_date(text(day)[:10]), number, day)
        if text("unavailable"):
            record["unavailable"] = self.note(
                read_ranges(text("unavailable")), number, "unavailable"
            )
        if text("cluster_member"):
            member = self.note(read_closed("cluster_member", text("cluster_member")), number,
                               "cluster_member")  # fmt: skip
            record["cluster_member"] = None if member is None else member == "yes"
        for numeric, whole in (
            ("lat", False),
            ("lon", False),
            ("capacity", True),
            ("working_days", True),
            ("at_once", True),
        ):
            if text(numeric):
                value = self.note(read_number(text(numeric), whole), number, numeric)
                record[numeric] = int(value) if whole and value is not None else value
        located = record.get("lat") is not None and record.get("lon") is not None
        point = (record["lat"], record["lon"]) if located else None
        record["nuts2"] = row_place(self, number, row, record["country"], point)
        if text("sectors"):
            record["sectors"] = self.note(
                read_sectors(self.cell(row, "sectors")), number, "sectors"
            )
        record["offers"] = split_list(self.cell(row, "offers"))
        record["seeks"] = split_list(self.cell(row, "seeks"))
        record["period"] = text("period") or None
        record["partnership"] = self.partnership(number, text("partnership"))
        record["details"] = details(self, number, row)
        participant = self.validated(Participant, record, number)
        if isinstance(participant, Participant) and participant.visits:
            why = ineligible_visitor(self.scheme, participant)
            if why is not None:  # read, but the coordinator learns now it will not travel
                finding = Finding("warning", f"will not visit: {why}", participant.name)
                self.add(finding, number, self.fields["name"])
        return participant

    def partnership(self, number: int, text: str) -> str | None:
        """The partnership's id: one of the Partnerships sheet (by id or name), or, without that
        sheet, the partnership named here (made once, with no budget limit)."""
        col = self.fields["partnership"]
        if not text:
            self.add(Finding("error", "no partnership"), number, col)
            return None
        if fold(text) in self.named:
            return self.named[fold(text)]
        if self.partnerships is not None:
            known = ", ".join(p.name for p in self.partnerships[:6])
            finding = Finding("error", "not a partnership of the Partnerships sheet", text, known)
            self.add(finding, number, col)
            return None
        new_id = text if " " not in text and len(text) <= 40 else derived_id(text, set())
        self.named[fold(text)] = new_id
        return new_id

    def assemble(self, rows: list[Any]) -> Any:
        partnerships = self.partnerships
        if partnerships is None:
            names = {pid: text for text, pid in self.named.items()}
            partnerships = [
                Partnership(id=pid, name=_title(pid, names[pid]))
                for pid in dict.fromkeys(self.named.values())
            ]
        try:
            return ExchangePool(
                name=self.sheet.name, partnerships=tuple(partnerships), participants=tuple(rows)
            )
        except ValidationError as exc:
            self.add(Finding("error", pydantic_words(exc.errors()[0])), None)
            return None


def _title(pid: str, folded: str) -> str:
    return pid if folded == fold(pid) else folded


def _partnerships(sheet: Sheet) -> tuple[list[Partnership], list[Finding]]:
    """The Partnerships sheet: a header row (ID, Name, Budget), one partnership per row."""
    rows = [(n, r) for n, r in sheet.rows if any(str(c).strip() for c in r)]
    if not rows:
        return [], [Finding("error", "the Partnerships sheet is empty")]
    header = [fold(str(c)) for c in rows[0][1]]
    column = {
        name: next((k for k, h in enumerate(header) if h in words), None)
        for name, words in _PARTNERSHIP_HEADERS.items()
    }
    out: list[Partnership] = []
    findings: list[Finding] = []
    for number, row in rows[1:]:

        def get(name: str, row: list[Cell] = row) -> str:
            k = column[name]
            return str(row[k]).strip() if k is not None and k < len(row) else ""

        name = get("name") or get("id")
        budget = None
        if get("budget"):
            value, found = read_number(get("budget"), whole=False)
            findings += [
                Finding(f.severity, f"Partnerships sheet, row {number}: {f.message}", f.value)
                for f in found
            ]
            budget = value
            if value is not None and rounded(value):
                said = f"Partnerships sheet, row {number}: a budget below the cent, taken as EUR"
                findings.append(
                    Finding("warning", f"{said} {euros(to_cents(value)):,.2f}", get("budget"))
                )
        admits = None
        if get("admits"):
            admits = []
            for word in split_list(get("admits")):
                kind, found = read_closed("participant_type", word)
                findings += [
                    Finding(f.severity, f"Partnerships sheet, row {number}: {f.message}", f.value)
                    for f in found
                ]
                if kind is not None:
                    admits.append(kind)
        try:
            out.append(
                Partnership(
                    id=get("id") or derived_id(name, set()),
                    name=name,
                    budget=budget,
                    admits=None if admits is None else tuple(admits),
                )
            )
        except ValidationError as exc:
            message = f"Partnerships sheet, row {number}: {pydantic_words(exc.errors()[0])}"
            findings.append(Finding("error", message))
    return out, findings
