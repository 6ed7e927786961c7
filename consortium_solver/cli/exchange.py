"""``consortium exchange``: a ClusterXchange programme planned — visitors to hosts across borders,
within capacities and budgets; ``consortium check-exchange``: a plan judged rule by rule."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console, Group
from rich.table import Table

from consortium_solver.cli import options as opt
from consortium_solver.cli.app import app, emit, exit_code, guarded, stdout
from consortium_solver.cli.render import WIDE, plain, status_line
from consortium_solver.core.errors import InputError
from consortium_solver.domain import ExchangeResult
from consortium_solver.domain.exchanges import Exchange, ExchangePool
from consortium_solver.io.exchanges import (
    check_plan_output,
    read_plan,
    read_plan_stated,
    write_plan,
)
from consortium_solver.reference.places import country_name
from consortium_solver.rules.scheme import DEFAULT_SCHEME, load_scheme
from consortium_solver.validate.exchanges import check_stated

SchemeOption = Annotated[
    str,
    typer.Option("--scheme", help="exchange scheme: a packaged name or a .toml file"),
]
CeilingsOption = Annotated[
    Path | None,
    typer.Option("--ceilings", help="lump-sum ceilings per host country: a CSV country,eur"),
]


def _pairs(values: list[str] | None, option: str) -> list[tuple[str, str]]:
    """``--include visitor:host`` (repeatable; ids may hold spaces, not a colon)."""
    out = []
    for value in values or []:
        visitor, sep, host = value.partition(":")
        if not sep or not visitor.strip() or not host.strip() or ":" in host:
            raise InputError("expected visitor:host", field=option, value=value)
        out.append((visitor.strip(), host.strip()))
    return out


HistoryOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--history",
        help="a plan of an earlier programme (.json, as `consortium exchange` writes): who visited"
        " in it does not visit again (repeat for several)",
    ),
]


KeepOption = Annotated[
    Path | None,
    typer.Option(
        "--keep",
        help="the programme's plan as it runs (.json): its confirmed and done exchanges are kept,"
        " its cancelled ones not proposed again, the rest planned anew",
    ),
]
MaxHalvedOption = Annotated[
    float | None,
    typer.Option(
        "--max-halved",
        help="at most this share of the exchanges paid half the lump sum (a short stay or a trip"
        " under 200 km), e.g. 0.2; budgets otherwise favour many short hops",
    ),
]


def visited_in(plans: list[Path] | None) -> tuple[str, ...]:
    """The visitors of the earlier programmes' plans, each once, in the order met."""
    return tuple(dict.fromkeys(x.visitor for path in plans or [] for x in read_plan(path)))


@app.command("exchange")
@guarded
def exchange_command(
    pool: Annotated[
        Path, typer.Argument(help="exchange pool (.json) or participant sheet (.csv, .xlsx)")
    ],
    scheme: SchemeOption = DEFAULT_SCHEME,
    ceilings: CeilingsOption = None,
    include: Annotated[
        list[str] | None,
        typer.Option("--include", "-i", help="visitor:host that must be an exchange (repeat)"),
    ] = None,
    exclude: Annotated[
        list[str] | None,
        typer.Option("--exclude", "-x", help="visitor:host that must not be one (repeat)"),
    ] = None,
    time_limit: opt.TimeLimitOption = 60.0,
    seed: opt.SeedOption = 0,
    workers: opt.WorkersOption = 2,
    deterministic: opt.DeterministicOption = False,
    top: Annotated[
        int,
        typer.Option(
            "--top",
            help="also the next-best distinct programmes (in the JSON, listed on screen)",
        ),
    ] = 1,
    differ_by: Annotated[
        int,
        typer.Option(
            "--differ-by",
            help="with --top: each next-best programme leaves out at least N exchanges of every"
            " one listed before it",
        ),
    ] = 1,
    history: HistoryOption = None,
    max_halved: MaxHalvedOption = None,
    keep: KeepOption = None,
    as_json: opt.JsonOption = False,
    out: Annotated[
        list[Path] | None, typer.Option("--out", "-o", help="write .json .csv .xlsx .html (repeat)")
    ] = None,
) -> None:
    """Plan the most valuable programme of ClusterXchange exchanges.

    Each visitor at most once, each host within its capacity, each partnership within its budget,
    every rule of the scheme met.

    Exit 0 when a plan is found, 1 when none is (the reason is given), 2 on bad input.
    """
    from consortium_solver.exchange import ExchangeOptions, plan_exchanges  # OR-Tools: only here

    kept = read_plan(keep) if keep is not None else []
    cancelled = [(x.visitor, x.host) for x in kept if x.status == "cancelled"]
    options = ExchangeOptions.checked(
        include=_pairs(include, "--include"),
        exclude=tuple(dict.fromkeys([*_pairs(exclude, "--exclude"), *cancelled])),
        keep=tuple(
            (x.visitor, x.host, x.status) for x in kept if x.status in ("confirmed", "done")
        ),
        time_limit=time_limit,
        deterministic=deterministic,
        seed=seed,
        workers=workers,
        top=top,
        differ_by=differ_by,
        history=visited_in(history),
        max_halved=max_halved,
    )
    for path in out or []:
        check_plan_output(path)
    the_pool, the_scheme = opt.load_exchange_pool(pool), load_scheme(scheme, ceilings)
    result = plan_exchanges(the_pool, the_scheme, options)
    if as_json:
        emit(result.to_json() + "\n")
    else:
        render_plan(stdout(), the_pool, result)
    for path in out or []:
        write_plan(result, the_pool, path, the_scheme)
    raise typer.Exit(exit_code(bool(result.exchanges), result.interrupted))


UNPLACED_SHOWN = 20  # visitors not placed listed in the terminal (every one in files)


def _plan_table(pool: ExchangePool, exchanges: list[Exchange], title: str, width: int) -> Table:
    """A partnership's exchanges: seven columns from :data:`WIDE` columns of terminal up, else one
    block each — the visitor and its country, the host and its, then days, km and the lump sum."""
    table = Table(title=title, title_justify="left")
    if width < WIDE:
        table.add_column("exchange", overflow="fold")
        for ex in exchanges:
            visitor, host = pool.by_id[ex.visitor], pool.by_id[ex.host]
            table.add_row(
                Group(
                    f"[bold]{plain(visitor.name)}[/] ({plain(country_name(visitor.country))})"
                    f" · {plain(visitor.id)}",
                    f"  → {plain(host.name)} ({plain(country_name(host.country))})"
                    f" · {plain(host.id)}",
                    f"  {ex.working_days} working days · {ex.distance_km:,.0f} km"
                    f" · EUR {ex.lump_sum:,.2f}",
                )
            )
        return table
    for column in ("visitor", "country", "host", "country", "days", "km", "EUR"):
        justify = "right" if column in ("days", "km", "EUR") else "left"
        table.add_column(column, justify=justify, overflow="fold")  # type: ignore[arg-type]
    for ex in exchanges:
        visitor, host = pool.by_id[ex.visitor], pool.by_id[ex.host]
        table.add_row(
            f"{plain(visitor.name)} · {plain(visitor.id)}",
            plain(country_name(visitor.country)),
            f"{plain(host.name)} · {plain(host.id)}",
            plain(country_name(host.country)),
            str(ex.working_days),
            f"{ex.distance_km:,.0f}",
            f"{ex.lump_sum:,.2f}",
        )
    return table


@app.command("check-exchange")
@guarded
def check_exchange_command(
    pool: Annotated[
        Path, typer.Argument(help="exchange pool (.json) or participant sheet (.csv, .xlsx)")
    ],
    plan: Annotated[Path, typer.Argument(help="plan (.json, as `consortium exchange` writes)")],
    scheme: SchemeOption = DEFAULT_SCHEME,
    ceilings: CeilingsOption = None,
    history: HistoryOption = None,
    max_halved: MaxHalvedOption = None,
) -> None:
    """Judge a plan of exchanges rule by rule.

    Every rule of the scheme per exchange and per programme, lump sums and distances recomputed,
    budgets summed. Exit 0 when it meets them all, 1 when not, 2 on bad input."""
    the_pool, the_scheme = opt.load_exchange_pool(pool), load_scheme(scheme, ceilings)
    exchanges, spending, objective = read_plan_stated(plan)
    verdict = check_stated(
        the_pool, the_scheme, exchanges, spending, objective, visited_in(history), max_halved
    )
    console = stdout()
    for problem in verdict.problems:
        console.print(f"[red]✗[/] {plain(problem)}")
    spent = ", ".join(f"{plain(k)} EUR {v:,.2f}" for k, v in verdict.spending.items())
    state = "[bold green]valid[/]" if verdict.valid else "[bold red]not valid[/]"
    console.print(f"{state} · value {verdict.value:g} · spent: {spent}")
    raise typer.Exit(0 if verdict.valid else 1)


def render_plan(console: Console, pool: ExchangePool, result: ExchangeResult) -> None:
    """Per partnership: its visitors, their hosts, distances, lump sums and the budget left — a
    table on a wide terminal, one block per exchange on a narrow one (names whole)."""
    by_partnership = Counter(ex.partnership for ex in result.exchanges)
    for partnership in pool.partnerships:
        if not by_partnership[partnership.id]:
            continue
        spent = result.spending.get(partnership.id, 0.0)
        left = (
            "" if partnership.budget is None else f" · left EUR {partnership.budget - spent:,.2f}"
        )
        title = (
            f"{plain(partnership.name)} ({plain(partnership.id)}) · spent EUR {spent:,.2f}{left}"
        )
        mine = [ex for ex in result.exchanges if ex.partnership == partnership.id]
        console.print(_plan_table(pool, mine, title, console.width))
    line = f"{status_line(result.status)} · {len(result.exchanges)} exchanges"
    if result.objective is not None:
        line += f" · value {result.objective:g}"
    if result.bound is not None:
        line += f" · bound {result.bound:g}"
    line += f" · {len(result.unplaced)} visitors not placed · {result.wall_time_s:g} s"
    console.print(line + (" · [bold red]interrupted[/]" if result.interrupted else ""))
    if result.note:
        console.print(f"[bold red]{plain(result.note)}[/]")
    if result.unplaced:
        console.print("[bold]Not placed[/]")
        for u in result.unplaced[:UNPLACED_SHOWN]:
            who = pool.by_id[u.id]
            console.print(f"  · {plain(who.name)} ({plain(u.id)}): {plain(u.reason)}")
        if len(result.unplaced) > UNPLACED_SHOWN:
            rest = len(result.unplaced) - UNPLACED_SHOWN
            console.print(f"  … and {rest} more (the JSON and the workbook list them all)")
    for alt in result.alternatives:
        console.print(
            f"  {alt.rank}. value {alt.value:g} · {len(alt.exchanges)} exchanges · {alt.differs}"
            " not in the best programme (the JSON lists them)"
        )
