"""``consortium build``: the best consortium (or the top-k), proven optimal, or why none exists."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.status import Status

from consortium_solver import DEFAULT_CALL
from consortium_solver.cli import options as opt
from consortium_solver.cli.app import app, emit, exit_code, fmt, guarded, live_status, stdout
from consortium_solver.cli.render import render_result
from consortium_solver.core.options import checked
from consortium_solver.domain import Progress
from consortium_solver.io import RESULT_WRITERS, check_output, write_result
from consortium_solver.rules import parse_size


@app.command("build")
@guarded
def build_command(
    pool: opt.PoolArgument = None,
    call: opt.CallOption = DEFAULT_CALL,
    day: opt.DateOption = None,
    lead: Annotated[str | None, typer.Option("--lead", help="id of the lead partner")] = None,
    include: Annotated[
        list[str] | None,
        typer.Option("--include", "-i", help="ids that must be members (repeat, or A,B)"),
    ] = None,
    exclude: Annotated[
        list[str] | None,
        typer.Option("--exclude", "-x", help="ids that must not be members (repeat, or A,B)"),
    ] = None,
    size: Annotated[
        str | None,
        typer.Option("--size", help="members, A..B (default: the call model's search range)"),
    ] = None,
    top: Annotated[int, typer.Option("--top", help="how many consortia to list")] = 1,
    differ_by: Annotated[
        int,
        typer.Option(
            "--differ-by",
            help="with --top: each consortium has at least N members that each earlier one lacks"
            " (1: any other set that is not a subset of an earlier one)",
        ),
    ] = 1,
    time_limit: opt.TimeLimitOption = 60.0,
    seed: opt.SeedOption = 0,
    workers: opt.WorkersOption = 2,
    deterministic: opt.DeterministicOption = False,
    as_json: opt.JsonOption = False,
    columns: opt.ColumnsOption = None,
    merge_duplicates: opt.MergeDuplicatesOption = False,
    out: Annotated[list[Path] | None, opt.out_option(".json .csv .xlsx .md (repeatable)")] = None,
) -> None:
    """Find the best consortium (or the --top best distinct ones) and prove it optimal.

    Exit 0 when a consortium is found, 1 when none exists (the conflicting rules are named) or none
    was found in time, 2 on bad input.
    """
    from consortium_solver.builder import BuildOptions, Demands, build  # CP-SAT: only when building

    demands = checked(
        Demands,
        lead=lead,
        include=tuple(opt.split_list(include)),
        exclude=tuple(opt.split_list(exclude)),
        size=parse_size(size, "--size") if size else None,
    )
    options = BuildOptions.checked(
        top=top,
        differ_by=differ_by,
        time_limit=time_limit,
        deterministic=deterministic,
        seed=seed,
        workers=workers,
    )
    outs = list(dict.fromkeys(out or []))
    for path in outs:
        check_output(path, RESULT_WRITERS, "result")
    the_pool = opt.load_pool(pool, columns, merge_duplicates)
    the_call = opt.call_on(call, day)
    with live_status("building the model…", quiet=as_json) as status:
        progress = None if status is None else _live_line(status)
        result = build(the_pool, the_call, demands, options, progress=progress)
    if as_json:
        emit(result.to_json() + "\n")
    else:
        render_result(stdout(), the_pool, the_call, result, demands)
    for path in outs:  # after printing: a failure here keeps the answer
        write_result(result, the_pool, path)
    raise typer.Exit(exit_code(bool(result.consortia), result.interrupted))


def _live_line(status: Status) -> Progress:
    """The live line: elapsed time, best score and bound, each kept once known."""
    shown: dict[str, float] = {}

    def progress(elapsed: float, best: float | None, bound: float | None) -> None:
        shown.update({k: v for k, v in (("best", best), ("bound", bound)) if v is not None})
        status.update(
            f"solving… {elapsed:5.1f} s · best {fmt(shown.get('best'))}"
            f" · bound {fmt(shown.get('bound'))}"
        )

    return progress
