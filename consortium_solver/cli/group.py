"""``consortium group``: a whole pool split into groups over one or more rounds; and research mode,
the maximally diverse grouping problem on an MDGPLIB instance (``--mdgp``)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.status import Status

from consortium_solver import DEFAULT_CALL
from consortium_solver.cli import options as opt
from consortium_solver.cli.app import app, emit, exit_code, fmt, guarded, live_status, stdout
from consortium_solver.cli.render import plain, render_grouping
from consortium_solver.core.errors import InputError
from consortium_solver.domain import Pool, Progress, Table
from consortium_solver.group import GroupOptions, group
from consortium_solver.group.options import balances_of, fixed_seats, hosts_named
from consortium_solver.io import GROUPING_WRITERS, check_output, write_grouping
from consortium_solver.io.event_tables import read_tables_file, tables_spec
from consortium_solver.mdgp.options import MdgpOptions
from consortium_solver.rules import no_call, parse_size

# Options of event groupings.
FixOption = Annotated[
    list[str] | None,
    typer.Option(
        "--fix",
        help="A=TABLE[@ROUNDS]: A sits at a table (with --hosts: a host's name, id or table"
        " number; with --tables: a table's name or number) in those rounds, else every round"
        " (repeatable)",
    ),
]
MeetOption = Annotated[
    list[str] | None,
    typer.Option("--meet", help="A,B: in the same group in at least one round (repeatable)"),
]
ApartOption = Annotated[
    list[str] | None,
    typer.Option(
        "--apart",
        help="A,B: never in the same group; A,B@1,2: not in those rounds (repeatable)",
    ),
]
TablesOption = Annotated[
    str | None,
    typer.Option(
        "--tables",
        help="the event's tables, each group at one within its seats: a .csv/.xlsx file"
        " (Table, Capacity, optional Rounds), or 10x6 (ten tables of six), 10x6@1,8x6@2-3,"
        " Garden:8,Hall:6; default: the sheet's Tables worksheet",
    ),
]
BalanceOption = Annotated[
    list[str] | None,
    typer.Option(
        "--balance",
        help="COLUMN[:WEIGHT]: spread a column of the sheet evenly over the groups (each value"
        " in proportion, or equal means for numbers); COLUMN=VALUE:MIN..MAX: MIN..MAX members"
        " with that value in every group (repeatable)",
    ),
]
HostsOption = Annotated[
    str | None,
    typer.Option(
        "--hosts",
        help="table hosts, who stay at their tables while the others rotate: a column of the"
        " sheet marking them (yes, x), or their names or ids, comma-separated",
    ),
]
MaxMeetingsOption = Annotated[
    int,
    typer.Option(
        "--max-meetings", help="the rounds two organisations may share a group in (default 1)"
    ),
]
GuestsOption = Annotated[
    bool,
    typer.Option(
        "--guests",
        help="seat those the call's member rules leave out as guests of the groups (not counted"
        " by their rules) instead of leaving them out",
    ),
]
AllowRepeatsOption = Annotated[
    bool,
    typer.Option("--allow-repeats", help="minimise repeated meetings instead of forbidding them"),
]


@app.command("group")
@guarded
def group_command(
    pool: opt.PoolArgument = None,
    call: Annotated[
        str,
        typer.Option("--call", "-c", help="call model id or .toml file, or none (pure grouping)"),
    ] = DEFAULT_CALL,
    day: opt.DateOption = None,
    size: Annotated[str, typer.Option("--size", help="members per group, A..B")] = "3..5",
    objective: Annotated[
        opt.GroupObjective,
        typer.Option("--objective", help="sum: total score; min: the worst group first (balanced)"),
    ] = opt.GroupObjective.sum,
    rounds: Annotated[
        int, typer.Option("--rounds", help="rounds; no pair meets twice (see --max-meetings)")
    ] = 1,
    max_meetings: MaxMeetingsOption = 1,
    allow_repeats: AllowRepeatsOption = False,
    guests: GuestsOption = False,
    hosts: HostsOption = None,
    together: Annotated[
        list[str] | None,
        typer.Option("--together", help="A,B: always in the same group (repeatable)"),
    ] = None,
    apart: ApartOption = None,
    balance: BalanceOption = None,
    tables: TablesOption = None,
    meet: MeetOption = None,
    fix: FixOption = None,
    time_limit: opt.TimeLimitOption = 30.0,
    seed: opt.SeedOption = 0,
    workers: opt.WorkersOption = 2,
    deterministic: opt.DeterministicOption = False,
    mdgp: opt.MdgpOption = None,
    search: opt.SearchOption = opt.MdgpSearch.memetic,
    iterations: opt.IterationsOption = None,
    as_json: opt.JsonOption = False,
    out: Annotated[list[Path] | None, opt.out_option(".json .csv .xlsx .html (repeatable)")] = None,
    columns: opt.ColumnsOption = None,
    merge_duplicates: opt.MergeDuplicatesOption = False,
) -> None:
    """Split a whole pool into groups that each meet the call's rules, over one or more rounds.

    Exit 0 when groups were formed, 1 when none could be (the reason is given), 2 on bad input.
    """
    outs = list(dict.fromkeys(out or []))
    limits = {"time_limit": time_limit, "deterministic": deterministic, "seed": seed}
    if mdgp is not None or iterations is not None or search is not opt.MdgpSearch.memetic:
        mdgp_options = MdgpOptions.checked(
            limits, workers=workers, search=search.value, iterations=iterations
        )
        research_mode(mdgp, mdgp_options, as_json, outs)
    options = GroupOptions.checked(
        limits,
        size=parse_size(size, "--size"),
        objective="min" if objective is opt.GroupObjective.min else "sum",
        rounds=rounds,
        max_meetings=max_meetings,
        allow_repeats=allow_repeats,
        guests=guests,
        balance=balances_of(balance or []),
        tables=tables_given(tables),
        workers=workers,
        **_pairs(together, apart, meet),
    )
    for path in outs:
        check_output(path, GROUPING_WRITERS, "grouping")
    the_pool = opt.load_pool(pool, columns, merge_duplicates)
    if hosts is not None or fix:
        options = _seated(options, the_pool, hosts, fix or [])
    the_call = no_call() if call.lower() == "none" else opt.call_on(call, day)
    with live_status("grouping…", quiet=as_json) as status:
        result = group(the_pool, the_call, options, progress=_live_line(status))
    if as_json:
        emit(result.to_json() + "\n")
    else:
        render_grouping(stdout(), the_pool, result)
    for path in outs:  # after printing: a failure here keeps the answer; the same groups in each
        write_grouping(result, the_pool, path)
    found = bool(result.consortia) and not result.repeated_pairs  # repeats: a plan, not an answer
    raise typer.Exit(exit_code(found, result.interrupted))


def tables_given(text: str | None) -> tuple[Table, ...]:
    """``--tables``: a file of tables (.csv, .xlsx), or a spec (see :func:`tables_spec`)."""
    if text is None:
        return ()
    if text.lower().endswith((".csv", ".xlsx")):
        return read_tables_file(Path(text))
    return tables_spec(text)


def _pairs(
    together: list[str] | None, apart: list[str] | None, meet: list[str] | None
) -> dict[str, object]:
    """The pair options as written: ``A,B`` always, ``A,B@1,2`` in those rounds."""
    return {
        "together": opt.pairs(together, "--together"),
        "together_in": opt.pairs_in_rounds(together, "--together"),
        "apart": opt.pairs(apart, "--apart"),
        "apart_in": opt.pairs_in_rounds(apart, "--apart"),
        "meet": opt.pairs(meet, "--meet"),
    }


def _seated(options: GroupOptions, pool: Pool, hosts: str | None, fix: list[str]) -> GroupOptions:
    """The options with the hosts and fixed seats the pool's names and columns stand for."""
    named = hosts_named(pool, hosts) if hosts is not None else ()
    pairs, seats = fixed_seats(pool, fix, named, options.rounds, options.tables_of(pool))
    together_in = (*options.together_in, *pairs)
    return GroupOptions.model_validate(
        {**options.model_dump(), "hosts": named, "together_in": together_in, "seated": seats}
    )


def _live_line(status: Status | None) -> Progress | None:
    """The live line on stderr: elapsed time and the best objective so far."""
    if status is None:
        return None

    def progress(elapsed: float, best: float | None, _bound: float | None) -> None:
        status.update(f"grouping… {elapsed:5.1f} s · objective {fmt(best)}")

    return progress


def research_mode(path: Path | None, options: MdgpOptions, as_json: bool, outs: list[Path]) -> None:
    """``group --mdgp FILE``: the best grouping found in the time limit; always exits."""
    from consortium_solver.io import atomic_write_text
    from consortium_solver.mdgp import read_mdgp, solve_mdgp

    if path is None:  # --search or --iterations without an instance
        flag = "--iterations" if options.search == "memetic" else "--search"
        raise InputError("research mode only: give an instance with --mdgp", field=flag)
    if len(outs) > 1 or any(o.suffix.lower() != ".json" for o in outs):
        raise InputError("research mode writes one .json file", source=str(outs[-1]))
    out = outs[0] if outs else None
    instance = read_mdgp(path)
    result = solve_mdgp(instance, options)
    if as_json:
        emit(result.to_json() + "\n")
    else:
        stopped = " · interrupted" if result.interrupted else ""
        stdout().print(
            f"{plain(instance.name)}: {len(result.consortia)} groups · objective {fmt(result.objective)}"
            f" · {result.wall_time_s:g} s · seed {options.seed}{stopped}"
        )
    if out is not None:
        atomic_write_text(out, result.to_json() + "\n")
    raise typer.Exit(0)
