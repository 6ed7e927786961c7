"""``consortium import``: a participant sheet read in one run, every problem listed, the pool
written; ``consortium template``: a sheet to start from."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from consortium_solver.cli import options as opt
from consortium_solver.cli.app import app, guarded, stdout
from consortium_solver.cli.render import plain
from consortium_solver.core.errors import InputError
from consortium_solver.domain import Pool
from consortium_solver.domain.exchanges import ExchangePool
from consortium_solver.io import (
    ImportOptions,
    ImportReport,
    atomic_write_bytes,
    check_writable,
    import_pool,
    write_pool,
)
from consortium_solver.io.cells import FIELD_WORDS, NO_REGION
from consortium_solver.io.exchanges import exchange_pool_to_json
from consortium_solver.io.sheets import (
    exchange_template_workbook,
    report_workbook,
    template_workbook,
)
from consortium_solver.reference.places import category_words, country_name, region_label


@app.command("import")
@guarded
def import_command(
    sheet: Annotated[Path, typer.Argument(help="participant sheet: .xlsx, .csv or .json")],
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="write the pool: .json (or .csv, .xlsx)"),
    ] = None,
    report: Annotated[
        Path | None,
        typer.Option(
            "--report", help="write an .xlsx report: the problems, and the sheet with them marked"
        ),
    ] = None,
    columns: opt.ColumnsOption = None,
    merge_duplicates: opt.MergeDuplicatesOption = False,
    accept_suggestions: opt.AcceptSuggestionsOption = False,
    exchange: Annotated[
        bool,
        typer.Option(
            "--exchange",
            help="a ClusterXchange participant sheet (.csv, .xlsx with a Partnerships sheet)",
        ),
    ] = False,
) -> None:
    """Read a participant sheet, list every problem at once, and write the pool.

    Headers, countries, regions, types and sectors are read as people write them; other columns are
    kept. A region may be written as its NUTS-2 code, its name in any of its languages or in English,
    a NUTS-3 name, or a town (in the region column or a Town column; Latitude and Longitude columns
    place it too); each place read is listed with the region category it brings. Errors (a cell that cannot be read) stop the pool from being written; warnings (a value
    guessed or left out) do not. Exit 0 without errors, 2 with any.
    """
    options = opt.import_options(columns, merge_duplicates, accept_suggestions)
    formats = (".json",) if exchange else (".json", ".csv", ".xlsx")
    for path, suffixes, what in ((out, formats, "the pool"), (report, (".xlsx",), "the report")):
        if path is not None:
            if path.suffix.lower() not in suffixes:
                known = ", ".join(suffixes[:-1]) + " or " * (len(suffixes) > 1) + suffixes[-1]
                raise InputError(f"write {what} as {known}", source=str(path))
            check_writable(path)
    result = _read(sheet, options, exchange)
    render_import(result)
    if report is not None:
        atomic_write_bytes(report, report_workbook(result))
        stdout().print(f"report written to {plain(report)}")
    if result.pool is None:
        raise typer.Exit(2)
    if out is None:
        return
    if isinstance(result.pool, ExchangePool):
        atomic_write_bytes(out, exchange_pool_to_json(result.pool).encode("utf-8"))
    else:
        write_pool(result.pool, out)
    stdout().print(f"pool written to {plain(out)}")


def _read(sheet: Path, options: ImportOptions, exchange: bool) -> ImportReport[Any]:
    """An organisers' sheet, or with ``exchange`` a ClusterXchange participant sheet."""
    if exchange:
        from consortium_solver.io.exchange_sheets import import_exchange_pool

        return import_exchange_pool(sheet, options)
    return import_pool(sheet, options)


def _rows_read(pool: object) -> str:
    if isinstance(pool, ExchangePool):
        return f"{len(pool.participants)} participants"
    return f"{len(pool.organisations)} organisations" if isinstance(pool, Pool) else "the sheet"


def render_import(result: ImportReport[Any]) -> None:
    """How the columns were read, every problem in a table, and a one-line verdict."""
    console = stdout()
    if result.columns:
        read = [
            f"{plain(h)} → {'kept' if n == 'kept' else FIELD_WORDS[n]}"
            for h, n in result.columns.items()
        ]
        console.print("columns: " + " · ".join(read))
    problems = result.errors + result.warnings
    if problems:
        table = Table(title=f"Problems in {plain(result.source)}", title_justify="left")
        for column in ("", "where", "column", "value", "problem", "suggestion"):
            table.add_column(column)
        for p in problems:
            mark = "[red]error[/]" if p.severity == "error" else "[yellow]warning[/]"
            table.add_row(
                mark,
                plain(p.where or ""),
                plain(p.column or ""),
                plain(p.value or ""),
                plain(p.message),
                plain(p.suggestion or ""),
            )
        console.print(table)
        if any("left empty" in p.message for p in problems if p.column):
            console.print(NO_REGION)
    render_places(result)
    n_err, n_warn = len(result.errors), len(result.warnings)
    if result.pool is not None:
        console.print(
            f"[bold green]{_rows_read(result.pool)} read[/] · {n_warn} warning(s) · no error"
        )
    else:
        console.print(
            f"[bold red]{n_err} error(s)[/] · {n_warn} warning(s): fix the cells marked error"
            " and run again (nothing was written but the report)"
        )


PLACES_SHOWN = 30


def render_places(result: ImportReport[Any]) -> None:
    """Each place as written and what it was read as, with the category it brings: the table an
    organiser checks the lagging-region partners against (the most frequent first)."""
    if not result.places:
        return
    table = Table(title="Places read", title_justify="left")
    for column in ("as written", "country", "read as", "category", "by", "rows"):
        table.add_column(column, justify="right" if column == "rows" else "left")
    for place in result.places[:PLACES_SHOWN]:
        table.add_row(
            plain(place.text or "(coordinates)"),
            plain(country_name(place.country) if place.country else ""),
            plain(region_label(place.code)) if place.code else "[yellow]left empty[/]",
            plain(category_words(place.code)) if place.code else "",
            plain(place.how),
            str(place.rows),
        )
    stdout().print(table)
    if len(result.places) > PLACES_SHOWN:
        more = len(result.places) - PLACES_SHOWN
        stdout().print(f"… and {more} more places: `--report report.xlsx` lists them all")


@app.command("template")
@guarded
def template_command(
    out: Annotated[
        Path, typer.Option("--out", "-o", help="where to write the template (.xlsx)")
    ] = Path("participants.xlsx"),
    exchange: Annotated[
        bool,
        typer.Option(
            "--exchange",
            help="a ClusterXchange participant sheet (visitors and hosts, with a Partnerships"
            " sheet of budgets) instead of an event's",
        ),
    ] = False,
) -> None:
    """Write a participant sheet to fill in: the columns, example rows, drop-down lists, and a
    sheet of instructions (with --exchange: for a ClusterXchange programme)."""
    if out.suffix.lower() != ".xlsx":
        raise InputError("the template is a workbook: use .xlsx", source=str(out))
    check_writable(out)
    atomic_write_bytes(out, exchange_template_workbook() if exchange else template_workbook())
    sys.stdout.write(f"template written to {out}\n")
