"""Workbooks for organisers: the import report (a copy of their sheet with every problem cell marked
and commented, and a list of the problems) and the template to start a participant sheet from
(instructions, example rows, drop-downs)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from consortium_solver import reference
from consortium_solver.io import vocabulary as vocab
from consortium_solver.io.importer import ImportReport
from consortium_solver.io.tables import as_number, visible_controls

ERROR_FILL, WARNING_FILL = "F4B6B6", "FCE8A6"
PROBLEM_COLUMNS = ("severity", "where", "column", "value", "problem", "suggestion")


def _text(value: object) -> str:
    return visible_controls(str(value))


def _set(sheet: Any, row: int, column: int, value: object) -> Any:
    """A cell written as data (text stored as text: never a formula; numbers as numbers)."""
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        cell.value = value
    else:
        cell.value = _text(value)
        cell.data_type = "s"
    return cell


def report_workbook(report: ImportReport[Any]) -> bytes:
    """The import report as a workbook: a "problems" sheet (one row per problem, errors first), and
    for a CSV or XLSX sheet a copy of it with each problem cell filled (red: error, yellow:
    warning) and commented, and a "columns" sheet saying how each column was read."""
    import openpyxl
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill

    workbook = openpyxl.Workbook()
    problems = workbook.active
    problems.title = "problems"
    for k, title in enumerate(PROBLEM_COLUMNS, start=1):
        _set(problems, 1, k, title).font = Font(bold=True)
    ordered = report.errors + report.warnings
    for r, p in enumerate(ordered, start=2):
        for k, value in enumerate(
            (
                p.severity,
                p.where or "",
                p.column or "",
                p.value or "",
                p.message,
                p.suggestion or "",
            ),
            start=1,
        ):
            _set(problems, r, k, value)
        fill = ERROR_FILL if p.severity == "error" else WARNING_FILL
        problems.cell(row=r, column=1).fill = PatternFill("solid", fgColor=fill)
    problems.freeze_panes = "A2"
    for letter, width in zip("ABCDEF", (9, 18, 18, 24, 60, 50), strict=True):
        problems.column_dimensions[letter].width = width
    if not ordered:
        _set(problems, 2, 1, "no problems: every row was read")

    sheet = report.sheet
    if sheet is not None and sheet.kind != "json":
        copy = workbook.create_sheet("sheet (marked)")
        for number, cells in sheet.rows:
            for k, cell_value in enumerate(cells, start=1):
                written = "; ".join(cell_value) if isinstance(cell_value, list) else cell_value
                if written != "":
                    _set(copy, number, k, as_number(written))
        notes: dict[tuple[int, int], list[str]] = {}
        worst: dict[tuple[int, int], str] = {}
        for p in ordered:
            if p.row is None:
                continue
            key = (p.row, p.col or 1)
            notes.setdefault(key, []).append(
                f"{p.severity}: {p.message}" + (f" ({p.suggestion})" if p.suggestion else "")
            )
            if worst.get(key) != "error":
                worst[key] = p.severity
        for (at_row, at_col), texts in notes.items():
            cell = copy.cell(row=at_row, column=at_col)
            cell.fill = PatternFill(
                "solid", fgColor=ERROR_FILL if worst[(at_row, at_col)] == "error" else WARNING_FILL
            )
            cell.comment = Comment(_text("\n".join(texts))[:2000], "consortium import")
        if report.header_row is not None:
            for cell in copy[report.header_row]:
                cell.font = Font(bold=True)
            copy.freeze_panes = f"A{report.header_row + 1}"
        columns = workbook.create_sheet("columns")
        _set(columns, 1, 1, "column").font = Font(bold=True)
        _set(columns, 1, 2, "read as").font = Font(bold=True)
        for r, (header, name) in enumerate(report.columns.items(), start=2):
            _set(columns, r, 1, header)
            read_as = "kept as an extra column (carried to every output)"
            if name != "kept":
                read_as = f"{vocab.heading(name)} ({name})"
            _set(columns, r, 2, read_as)
        columns.column_dimensions["A"].width = 28
        columns.column_dimensions["B"].width = 52
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# ------------------------------------------------------------------------------------- template

TEMPLATE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("name", "The organisation's name (required). Each organisation once."),
    ("country", "Country: its name in English or in its own language, or the ISO code (required)."),
    (
        "nuts2",
        "Region: the NUTS-2 code (e.g. DE21), the region's or province's name in its language or"
        " in English (e.g. Oberbayern, Upper Bavaria, München, South-East), or a town (e.g."
        " Debrecen). Read within the row's country; the report lists each place read with its"
        " region category. A Town column, or Latitude and Longitude columns, may place it too."
        " Optional, but without it the organisation cannot count as the partner from a less"
        " developed or transition region.",
    ),
    (
        "region_category",
        "Region category: leave empty (it follows from the region), or pick one for a region"
        " without a NUTS-2 code.",
    ),
    ("organisation_type", "Type: pick from the list (required)."),
    (
        "eccp_status",
        "Registered on the European Cluster Collaboration Platform? Yes, Applied or No.",
    ),
    (
        "sectors",
        "Sectors: one or more of the 14 EU industrial ecosystems, separated by ';' or ','.",
    ),
    ("offers", "What it offers (competences), separated by ';' (optional)."),
    ("needs", "What it looks for, separated by ';' (optional)."),
    ("maturity", "ESCA cluster-management label: Gold, Silver, Bronze or None (optional)."),
    (
        "rounds",
        "Rounds attended, for an event of several rounds: empty or all for every round, else the"
        " rounds, e.g. 1, 2 or 2-3 or 3 only (optional).",
    ),
)
TEMPLATE_EXTRA = (
    (
        "Contact",
        "Any other column (contact person, e-mail, notes) is kept and printed with the groups.",
    ),
    ("E-mail", ""),
)
TEMPLATE_EXAMPLES: tuple[tuple[str, ...], ...] = (
    (
        "Cluster Lombardo della Mobilità",
        "Italy",
        "Lombardia",
        "",
        "Cluster organisation",
        "Yes",
        "Mobility-Transport-Automotive; Digital",
        "logistics; testing",
        "internationalisation",
        "Silver",
        "",
        "Anna Rossi",
        "anna.rossi@example.org",
    ),
    (
        "Moravian Engineering Cluster",
        "Czechia",
        "Moravskoslezsko",
        "",
        "Cluster organisation",
        "Applied",
        "Energy Intensive Industries",
        "",
        "digitalisation",
        "Bronze",
        "2-3",
        "Petr Novák",
        "petr.novak@example.org",
    ),
    (
        "Bavarian Health Network",
        "Deutschland",
        "Upper Bavaria",
        "",
        "Business network organisation",
        "No",
        "Health, Digital",
        "clinical trials",
        "",
        "",
        "1 only",
        "Eva Huber",
        "eva.huber@example.org",
    ),
)


def _header_row(sheet: Any, headers: Sequence[object]) -> None:
    """A template's header row: white on blue, bold."""
    from openpyxl.styles import Font, PatternFill

    for k, header in enumerate(headers, start=1):
        cell = _set(sheet, 1, k, header)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="3B7DD8")


def _example_rows(sheet: Any, rows: Sequence[Sequence[object]]) -> None:
    """A template's example rows below its header, in grey italics (to overwrite)."""
    from openpyxl.styles import Font

    for r, example in enumerate(rows, start=2):
        for k, value in enumerate(example, start=1):
            if value:
                _set(sheet, r, k, value).font = Font(italic=True, color="666666")


def _guide_sheet(
    workbook: Any, title: str, rows: Sequence[tuple[str, str]], notes: Sequence[str]
) -> None:
    """A template's *Instructions* sheet: the title, each column with what to write, the notes."""
    from openpyxl.styles import Alignment, Font

    guide = workbook.create_sheet("Instructions")
    _set(guide, 1, 1, title).font = Font(bold=True, size=14)
    for r, (header, text) in enumerate(rows, start=3):
        _set(guide, r, 1, header).font = Font(bold=True)
        if text:
            _set(guide, r, 2, text).alignment = Alignment(wrap_text=True, vertical="top")
    for k, note in enumerate(notes, start=len(rows) + 4):
        _set(guide, k, 1, note)
    guide.column_dimensions["A"].width = 18
    guide.column_dimensions["B"].width = 90


def _workbook_bytes(workbook: Any) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _tables_sheet(workbook: Any) -> None:
    """The room's tables, optional: a row per table (name, seats, rounds laid); empty: none."""
    tables = workbook.create_sheet("Tables")
    _header_row(tables, ("Table", "Capacity", "Rounds"))
    for letter, width in zip("ABC", (24, 12, 16), strict=True):
        tables.column_dimensions[letter].width = width


def template_workbook() -> bytes:
    """A participant sheet to fill in: the columns the importer reads (and two kept ones), three
    example rows to overwrite, drop-downs for the closed fields, an instructions sheet."""
    import openpyxl
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Participants"
    headers = [vocab.FIELD_HEADERS[name] for name, _ in TEMPLATE_COLUMNS]
    headers += [name for name, _ in TEMPLATE_EXTRA]
    _header_row(sheet, headers)
    _example_rows(sheet, TEMPLATE_EXAMPLES)
    widths = (34, 16, 20, 18, 28, 10, 40, 24, 24, 10, 18, 26)
    for k, width in enumerate(widths, start=1):
        sheet.column_dimensions[openpyxl.utils.get_column_letter(k)].width = width
    sheet.freeze_panes = "A2"

    # Drop-down lists live in a hidden sheet (a list typed into the rule is capped at 255 chars).
    lists = workbook.create_sheet("Lists")
    choices = {
        "country": sorted(reference.cosme_countries_2018().values()),
        "organisation_type": list(vocab.VALUE_WORDS["organisation_type"].values()),
        "eccp_status": list(vocab.VALUE_WORDS["eccp_status"].values()),
        "sectors": [s.name for s in reference.sectors().values()],
        "maturity": list(vocab.VALUE_WORDS["maturity"].values()),
        "region_category": list(vocab.VALUE_WORDS["region_category"].values()),
    }
    columns = [name for name, _ in TEMPLATE_COLUMNS]
    for k, (name, values) in enumerate(choices.items(), start=1):
        letter = openpyxl.utils.get_column_letter(k)
        _set(lists, 1, k, vocab.FIELD_HEADERS[name])
        for r, value in enumerate(values, start=2):
            _set(lists, r, k, value.replace(" (*)", "").split(" (")[0])
        target = openpyxl.utils.get_column_letter(columns.index(name) + 1)
        validation = DataValidation(
            type="list",
            formula1=f"=Lists!${letter}$2:${letter}${len(values) + 1}",
            allow_blank=True,
            showErrorMessage=name != "sectors",  # several sectors go in one cell
            errorStyle="warning",
        )
        validation.error = "Pick a value from the list (other spellings are read too)."
        validation.prompt = dict(TEMPLATE_COLUMNS)[name]
        validation.showInputMessage = True
        sheet.add_data_validation(validation)
        validation.add(f"{target}2:{target}1000")
    lists.sheet_state = "hidden"

    _tables_sheet(workbook)
    rows = [(vocab.FIELD_HEADERS[n], text) for n, text in TEMPLATE_COLUMNS] + list(TEMPLATE_EXTRA)
    notes = (
        "Replace the grey example rows with your participants; keep the header row.",
        "Headers may be in English or your language; the order of the columns does not matter.",
        "Check the sheet with: consortium import participants.xlsx --report report.xlsx",
        "Tables (optional): one row per table of the room in the Tables sheet — its name, its"
        " seats, and the rounds it is laid (empty: every round). Each group then sits at a table."
        " Leave it empty for groups of the sizes you choose.",
    )
    _guide_sheet(workbook, "How to fill in the participant sheet", rows, notes)
    return _workbook_bytes(workbook)


# The exchange template's columns (the reader's headings) with what to write, and example rows.
EXCHANGE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("name", "The organisation's name (required)."),
    ("country", "Its country, in words or as a code (required)."),
    ("nuts2", "Its region: a name or a NUTS-2 code (or give Latitude and Longitude instead)."),
    ("participant_type", "Cluster organisation, business network organisation, SME, …"),
    ("role", "Visitor, Host, or Visitor and host (required)."),
    (
        "partnership",
        "The partnership it takes part through: a name or ID of the Partnerships sheet.",
    ),
    ("sectors", "Its ecosystems, comma-separated."),
    ("offers", "What a host can show, separated by ;"),
    ("seeks", "What a visitor looks for, separated by ;"),
    ("capacity", "A host: how many visitors it takes in all."),
    ("working_days", "A visitor: the length of the stay in working days."),
    ("period", "Optional: when the visit can take place (e.g. 2026-05)."),
)
EXCHANGE_EXAMPLES: tuple[tuple[str, ...], ...] = (
    ("Example Textile Cluster", "Portugal", "Norte", "Cluster organisation", "Visitor",
     "ESCP Example", "Textile", "", "circular design; dyeing", "", "10", ""),
    ("Example Digital Network", "Germany", "Oberbayern", "Business network organisation", "Host",
     "ESCP Example", "Digital", "AI for SMEs; data spaces", "", "2", "", ""),
    ("Example Agri-food Cluster", "Poland", "Wielkopolskie", "Cluster organisation",
     "Visitor and host", "ESCP Example", "Agri-food", "food safety", "packaging", "1", "5", ""),
)  # fmt: skip


def exchange_template_workbook() -> bytes:
    """A ClusterXchange participant sheet to fill in: the columns the exchange reader takes, three
    example rows to overwrite, the *Partnerships* sheet (ID, Name, Budget in EUR: a budget left
    empty is not limited) and an instructions sheet."""
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Participants"
    _header_row(sheet, [vocab.PARTICIPANT_HEADERS[field] for field, _ in EXCHANGE_COLUMNS])
    for k in range(1, len(EXCHANGE_COLUMNS) + 1):
        sheet.column_dimensions[openpyxl.utils.get_column_letter(k)].width = 22
    _example_rows(sheet, EXCHANGE_EXAMPLES)
    sheet.freeze_panes = "A2"
    partnerships = workbook.create_sheet("Partnerships")
    _header_row(partnerships, ("ID", "Name", "Budget"))
    _example_rows(partnerships, [("escp-example", "ESCP Example", 60000)])
    for letter, width in zip("ABC", (18, 34, 14), strict=True):
        partnerships.column_dimensions[letter].width = width
    notes = (
        "Replace the grey example rows with your participants, and the example partnership with"
        " yours; keep the header rows.",
        "Partnerships: one row each, its ID, name and budget in euros; leave the budget empty"
        " only when the partnership's spending is not limited.",
        "Plan with: consortium exchange participants.xlsx --out plan.xlsx",
    )
    rows = [(vocab.PARTICIPANT_HEADERS[field], text) for field, text in EXCHANGE_COLUMNS]
    _guide_sheet(workbook, "How to fill in the ClusterXchange sheet", rows, notes)
    return _workbook_bytes(workbook)
