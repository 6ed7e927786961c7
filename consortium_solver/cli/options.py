"""Options shared by several commands, and every parser of option text, once."""

from __future__ import annotations

import sys
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from consortium_solver import demo_pool
from consortium_solver.core.errors import InputError
from consortium_solver.domain import Pool
from consortium_solver.domain.exchanges import ExchangePool
from consortium_solver.io import ImportOptions, import_pool
from consortium_solver.io import vocabulary as vocab
from consortium_solver.io.exchange_sheets import import_exchange_pool
from consortium_solver.io.exchanges import read_exchange_pool
from consortium_solver.io.importer import FIELDS
from consortium_solver.io.tables import visible_controls
from consortium_solver.rules import Call, load_call

PoolArgument = Annotated[
    Path | None,
    typer.Argument(help="pool file (.json, .csv, .xlsx); default: the packaged demo pool"),
]
CallOption = Annotated[
    str,
    typer.Option(
        "--call",
        "-c",
        help="call model: a packaged id (see `consortium calls`) or a .toml file",
    ),
]
DateOption = Annotated[
    str | None,
    typer.Option(
        "--date",
        help="the day the call's country lists are read on, YYYY-MM-DD (who is a member state or"
        " associated then); default: the call's deadline, else today",
    ),
]


def call_on(call: str, day: str | None) -> Call:
    """The call model ``--call`` names, its dated lists read on ``--date``."""
    if day is None:
        return load_call(call)
    try:
        on = date.fromisoformat(day.strip())
    except ValueError:
        raise InputError(
            "expected a date YYYY-MM-DD, e.g. 2026-03-01", field="--date", value=day
        ) from None
    return load_call(call, on=on)


JsonOption = Annotated[bool, typer.Option("--json", help="print a JSON document, nothing else")]
SeedOption = Annotated[int, typer.Option("--seed", help="random seed of the search")]
WorkersOption = Annotated[int, typer.Option("--workers", help="solver threads")]
TimeLimitOption = Annotated[float, typer.Option("--time-limit", help="seconds for the whole run")]
DeterministicOption = Annotated[
    bool,
    typer.Option(
        "--deterministic",
        help="repeatable: same input, options and seed, same output; the time limit counts work"
        " (search steps, CP-SAT's deterministic time on one thread), not seconds",
    ),
]


def out_option(formats: str) -> Any:
    """``--out FILE``: also write the result, in one of the given formats (by suffix)."""
    return typer.Option("--out", "-o", help=f"also write the result: {formats}")


# Options taking one of a few words: typer reads an Enum as a choice, listed in --help.
GroupObjective = StrEnum("GroupObjective", ["sum", "min"])
Executor = StrEnum("Executor", ["local", "dask"])
MdgpSearch = StrEnum("MdgpSearch", ["memetic", "tabu"])

# Research mode (`group --mdgp`).
MdgpOption = Annotated[
    Path | None,
    typer.Option("--mdgp", help="research mode: an MDGPLIB instance (maximally diverse grouping)"),
]
SearchOption = Annotated[
    MdgpSearch,
    typer.Option("--search", help="research mode: the memetic search, or the tabu search"),
]
IterationsOption = Annotated[
    int | None,
    typer.Option(
        "--iterations", help="research mode: this many iterations of the tabu search instead"
    ),
]


ColumnsOption = Annotated[
    list[str] | None,
    typer.Option(
        "--columns",
        help="field=Header for a column the importer does not recognise, e.g. name=Cluster"
        " (comma-separated or repeated)",
    ),
]
AcceptSuggestionsOption = Annotated[
    bool,
    typer.Option(
        "--accept-suggestions",
        help="take a region's suggestion when it is the only one (each is listed as a warning)",
    ),
]
MergeDuplicatesOption = Annotated[
    bool,
    typer.Option("--merge-duplicates", help="keep the first of organisations with the same name"),
]


def import_options(
    columns: list[str] | None, merge_duplicates: bool, accept_suggestions: bool = False
) -> ImportOptions:
    """``--columns name=Cluster,country=Land``, ``--merge-duplicates`` and
    ``--accept-suggestions``."""
    mapping: dict[str, str] = {}
    for item in split_list(columns):
        name, sep, header = item.partition("=")
        if not sep or not header.strip():
            raise InputError("expected field=Header", field="--columns", value=item)
        known = (*FIELDS, *vocab.LOCATING_HEADERS)
        if name.strip() not in known:
            raise InputError(
                f"unknown field (one of {', '.join(known)})", field="--columns", value=name
            )
        mapping[name.strip()] = header.strip()
    return ImportOptions(
        columns=mapping,
        merge_duplicates=merge_duplicates,
        accept_suggestions=accept_suggestions,
    )


def print_warnings(lines: list[str]) -> None:
    """Warnings of a sheet on stderr, at most 20 lines."""
    for line in lines[:20]:
        sys.stderr.write(visible_controls(line) + "\n")
    if len(lines) > 20:
        sys.stderr.write(
            f"warning: … and {len(lines) - 20} more: `consortium import` lists them all\n"
        )


def load_pool(
    pool: Path | None, columns: list[str] | None = None, merge_duplicates: bool = False
) -> Pool:
    """The pool of a command: the demo without a file; a sheet read by the importer, its warnings
    printed on stderr (at most 20 lines), every problem listed when there is an error."""
    if pool is None:
        return demo_pool()
    report = import_pool(pool, import_options(columns, merge_duplicates))
    the_pool = report.require_pool()
    print_warnings([f"warning: {p.line(report.source)}" for p in report.warnings])
    return the_pool


def load_exchange_pool(path: Path) -> ExchangePool:
    """An exchange pool: JSON as it is, a participant sheet read tolerantly (warnings on stderr)."""
    if path.suffix.lower() not in (".csv", ".xlsx"):
        return read_exchange_pool(path)
    report = import_exchange_pool(path)
    pool = report.require_pool()
    print_warnings([f"warning: {p.line(report.source)}" for p in report.warnings])
    return pool


def split_list(values: str | list[str] | None) -> list[str]:
    """Comma-separated items, from one option value or a repeated option: 'a,b' -> ['a', 'b'].
    Items are stripped; empty ones are dropped."""
    if values is None:
        return []
    texts = [values] if isinstance(values, str) else values
    return [part.strip() for text in texts for part in text.split(",") if part.strip()]


def member_ids(text: str) -> list[str]:
    """``--members A,B,C``: at least one id."""
    ids = split_list(text)
    if not ids:
        raise InputError("no member ids given (e.g. --members A,B,C)", field="--members")
    return ids


def pairs(values: list[str] | None, option: str) -> list[tuple[str, str]]:
    """``--together A,B`` (repeatable): pairs of ids (those limited to rounds, ``A,B@1,2``, are
    read by :func:`pairs_in_rounds`)."""
    out = []
    for value in values or []:
        if "@" in value:
            continue
        parts = split_list(value)
        if len(parts) != 2:
            raise InputError(
                "expected two ids: A,B (or A,B@1,2 for some rounds)", field=option, value=value
            )
        out.append((parts[0], parts[1]))
    return out


def round_numbers(text: str, option: str, value: str) -> tuple[int, ...]:
    """``1,2`` or ``2-3`` after an ``@``: the rounds, numbered from 1."""
    found: set[int] = set()
    for part in split_list(text):
        low, _, high = part.partition("-")
        if not low.strip().isdigit() or (high and not high.strip().isdigit()):
            raise InputError("expected rounds after @: 1,2 or 2-3", field=option, value=value)
        found.update(range(int(low), int(high or low) + 1))
    if not found or min(found) < 1:
        raise InputError("expected rounds after @: 1,2 or 2-3", field=option, value=value)
    return tuple(sorted(found))


def pairs_in_rounds(
    values: list[str] | None, option: str
) -> list[tuple[str, str, tuple[int, ...]]]:
    """``--together A,B@1,2`` (repeatable): pairs of ids together in those rounds only."""
    out = []
    for value in values or []:
        if "@" not in value:
            continue
        pair, _, when = value.partition("@")
        parts = split_list(pair)
        if len(parts) != 2:
            raise InputError("expected two ids: A,B@1,2", field=option, value=value)
        out.append((parts[0], parts[1], round_numbers(when, option, value)))
    return out


def seeds(text: str) -> tuple[int, ...]:
    """``--seeds 1,2,3``."""
    try:
        found = tuple(int(part) for part in split_list(text))
    except ValueError:
        raise InputError("expected whole numbers: 1,2,3", field="--seeds", value=text) from None
    if not found:
        raise InputError("expected at least one seed: 1,2,3", field="--seeds", value=text)
    return found
