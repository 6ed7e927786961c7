"""The ``consortium`` command line: parse, call the library, render with rich.

Exit codes: 0 done (eligible / found), 1 a valid "no" (not eligible / infeasible), 2 bad input or
usage (one line on stderr naming file, row and field), 3 an internal error (a bug; ``--debug`` shows
the traceback). Errors never print a traceback unless ``--debug`` is given.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.table import Table

from consortium_solver import DEFAULT_CALL, demo_pool, reference
from consortium_solver.build import BuildOptions, Demands, build
from consortium_solver.calls import Call, load_call, packaged_calls
from consortium_solver.check import check
from consortium_solver.domain import Assessment, Pool, Result
from consortium_solver.errors import InputError
from consortium_solver.group import GroupOptions, group, no_call
from consortium_solver.io import read_pool
from consortium_solver.report import (
    GROUPING_WRITERS,
    RESULT_WRITERS,
    output_writer,
    write_grouping,
    write_result,
)

app = typer.Typer(
    name="consortium",
    help="Eligible, high-quality consortia of cluster organisations for EU funding calls.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

F = TypeVar("F", bound=Callable[..., Any])
_state = {"debug": False}

CallOption = Annotated[
    str,
    typer.Option(
        "--call",
        "-c",
        help="call model: a packaged id (see `consortium calls`) or a .toml file",
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="print a JSON document, nothing else")]


def _stdout() -> Console:
    return Console(highlight=False)


def _fail(message: str, code: int) -> typer.Exit:
    sys.stderr.write(message.replace("\n", " ") + "\n")
    return typer.Exit(code)


def guarded(fn: F) -> F:
    """Turn input errors into one line and exit 2; other exceptions into exit 3 (no traceback)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except (typer.Exit, typer.Abort):
            raise
        except InputError as exc:
            raise _fail(f"error: {exc}", 2) from None
        except Exception as exc:
            if _state["debug"]:
                raise
            raise _fail(
                f"internal error: {type(exc).__name__}: {exc} (a bug: rerun with --debug"
                " for the traceback and report it)",
                3,
            ) from None

    return wrapper  # type: ignore[return-value]


@app.callback()
def _main(
    debug: Annotated[
        bool, typer.Option("--debug", help="show tracebacks of internal errors")
    ] = False,
) -> None:
    """Eligible, high-quality consortia of cluster organisations for EU funding calls."""
    _state["debug"] = debug


def _load_pool(pool: Path | None) -> Pool:
    return demo_pool() if pool is None else read_pool(pool)


def _split_ids(text: str) -> list[str]:
    ids = [part.strip() for part in text.split(",") if part.strip()]
    if not ids:
        raise InputError("no member ids given (e.g. --members A,B,C)", field="--members")
    return ids


# ------------------------------------------------------------------------------------------ check


@app.command("check")
@guarded
def check_command(
    members: Annotated[
        str, typer.Option("--members", "-m", help="member ids, comma-separated: A,B,C")
    ],
    pool: Annotated[
        Path | None,
        typer.Argument(help="pool file (.json, .csv, .xlsx); default: the packaged demo pool"),
    ] = None,
    call: CallOption = DEFAULT_CALL,
    as_json: JsonOption = False,
) -> None:
    """Say, rule by rule, whether a consortium is eligible, and what it scores.

    Exit 0 when eligible, 1 when not, 2 on bad input.
    """
    the_pool = _load_pool(pool)
    the_call = load_call(call)
    assessment = check(the_pool, the_call, _split_ids(members))
    if as_json:
        sys.stdout.write(assessment_json(assessment) + "\n")
    else:
        render_assessment(_stdout(), the_pool, the_call, assessment)
    raise typer.Exit(0 if assessment.eligible else 1)


def assessment_json(assessment: Assessment) -> str:
    """The check document: verdicts, score, the breakdown in points, and each term's value and weight."""
    data = assessment.model_dump(mode="json")
    data["breakdown"] = assessment.breakdown
    return json.dumps(data, indent=2, ensure_ascii=False)


def members_table(pool: Pool, member_ids: tuple[str, ...] | list[str], title: str) -> Table:
    table = Table(title=title, title_justify="left")
    for column in ("id", "name", "country", "NUTS-2 region", "category", "sectors", "maturity"):
        table.add_column(column, overflow="fold")
    for member_id in member_ids:
        org = pool.by_id[member_id]
        region = f"{org.nuts2} {org.region_name}" if org.nuts2 else "—"
        table.add_row(
            org.id,
            org.name,
            org.country,
            region,
            org.region_category.value.replace("_", " "),
            ", ".join(org.sectors),
            org.maturity.value,
        )
    return table


def score_table(assessment: Assessment) -> Table:
    table = Table(title="Score", title_justify="left")
    table.add_column("term")
    table.add_column("value", justify="right")
    table.add_column("weight", justify="right")
    table.add_column("points", justify="right")
    for term, ts in assessment.terms.items():
        table.add_row(term.value, f"{ts.value:g}", f"{ts.weight:g}", f"{ts.points:g}")
    table.add_section()
    table.add_row("total", "", "", f"{assessment.score:g}", style="bold")
    return table


def render_assessment(console: Console, pool: Pool, call: Call, assessment: Assessment) -> None:
    console.print(
        members_table(pool, assessment.members, f"{call.id} · pool {pool.name} · members")
    )
    rules = Table(title="Rules", title_justify="left")
    rules.add_column("", width=1)
    rules.add_column("rule")
    rules.add_column("requires", overflow="fold")
    rules.add_column("found", overflow="fold")
    texts = {rule.id: rule.describe() for rule in call.rules}
    for verdict in assessment.verdicts:
        mark = "[green]✓[/]" if verdict.passed else "[red]✗[/]"
        rules.add_row(mark, verdict.rule, texts.get(verdict.rule, ""), verdict.why)
    console.print(rules)
    console.print(score_table(assessment))
    if assessment.eligible:
        console.print("[bold green]eligible[/]")
    else:
        failed = ", ".join(v.rule for v in assessment.failed)
        console.print(f"[bold red]not eligible[/]: fails {failed}")


# ------------------------------------------------------------------------------------------ build


def parse_size(text: str) -> tuple[int, int]:
    """'3..6' -> (3, 6); '4' -> (4, 4)."""
    low, sep, high = text.partition("..")
    try:
        bounds = (int(low), int(high if sep else low))
    except ValueError:
        raise InputError("expected A..B, e.g. 3..6", field="--size", value=text) from None
    if bounds[0] < 1 or bounds[0] > bounds[1]:
        raise InputError("expected A..B with 1 <= A <= B", field="--size", value=text)
    return bounds


def _ids(values: list[str] | None) -> tuple[str, ...]:
    return tuple(
        part.strip() for value in values or [] for part in value.split(",") if part.strip()
    )


@app.command("build")
@guarded
def build_command(
    pool: Annotated[
        Path | None,
        typer.Argument(help="pool file (.json, .csv, .xlsx); default: the packaged demo pool"),
    ] = None,
    call: CallOption = DEFAULT_CALL,
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
    top: Annotated[int, typer.Option("--top", min=1, help="how many consortia to list")] = 1,
    differ_by: Annotated[
        int,
        typer.Option(
            "--differ-by",
            min=1,
            help="with --top: each consortium has at least N members that each earlier one lacks"
            " (1: any other set that is not a subset of an earlier one)",
        ),
    ] = 1,
    time_limit: Annotated[
        float, typer.Option("--time-limit", min=0.1, help="seconds for the whole search")
    ] = 60.0,
    seed: Annotated[int, typer.Option("--seed", help="random seed of the search")] = 0,
    workers: Annotated[int, typer.Option("--workers", min=1, help="CP-SAT workers")] = 2,
    deterministic: Annotated[
        bool,
        typer.Option(
            "--deterministic",
            help="repeatable: the time limit counts in CP-SAT's deterministic time",
        ),
    ] = False,
    as_json: JsonOption = False,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="also write the result: .json .csv .xlsx .md")
    ] = None,
) -> None:
    """Find the best consortium (or the --top best distinct ones) and prove it optimal.

    Exit 0 when a consortium is found, 1 when none exists (the conflicting rules are named) or none
    was found in time, 2 on bad input.
    """
    if out is not None:
        output_writer(out, RESULT_WRITERS, "result")
    the_pool = _load_pool(pool)
    the_call = load_call(call)
    demands = Demands(
        lead=lead,
        include=_ids(include),
        exclude=_ids(exclude),
        size=parse_size(size) if size else None,
    )
    err = Console(stderr=True, highlight=False)
    live = not as_json and err.is_terminal
    with err.status("building the model…", spinner="dots") if live else _nothing() as status:
        progress = None
        if status is not None:

            def progress(elapsed: float, best: float | None, bound: float | None) -> None:
                shown = progress_state
                if best is not None:
                    shown["best"] = best
                if bound is not None:
                    shown["bound"] = bound
                status.update(
                    f"solving… {elapsed:5.1f} s · best {_fmt(shown.get('best'))}"
                    f" · bound {_fmt(shown.get('bound'))}"
                )

        progress_state: dict[str, float] = {}
        options = BuildOptions(
            top=top,
            differ_by=differ_by,
            time_limit=None if deterministic else time_limit,
            deterministic_time=time_limit if deterministic else None,
            seed=seed,
            workers=workers,
            progress=progress,
        )
        result = build(the_pool, the_call, demands, options)
    if out is not None:
        write_result(result, the_pool, out)
    if as_json:
        sys.stdout.write(result.to_json() + "\n")
    else:
        render_result(_stdout(), the_pool, the_call, result, demands)
    raise typer.Exit(0 if result.consortia else 1)


class _nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"


def render_result(
    console: Console, pool: Pool, call: Call, result: Result, demands: Demands
) -> None:
    extra = demands.rules(call)
    for rank, consortium in enumerate(result.consortia, start=1):
        assessment = check(pool, call, consortium.members, extra_rules=extra)
        title = f"{rank}. {call.id} · pool {pool.name} · score {consortium.score:g}"
        console.print(members_table(pool, consortium.members, title))
        console.print(score_table(assessment))
    status = result.status.value
    colour = {"optimal": "green", "feasible": "yellow"}.get(status, "red")
    line = f"[bold {colour}]{status}[/]"
    if result.objective is not None and result.bound is not None:
        gap = abs(result.bound - result.objective) / max(1.0, abs(result.objective))
        line += f" · score {result.objective:g} · bound {result.bound:g} · gap {gap:.1%}"
    line += f" · {result.wall_time_s:g} s · seed {result.seed} · {result.workers} workers"
    console.print(line)
    if result.conflict:
        console.print("[bold red]No consortium meets all the rules.[/] These conflict:")
        for conflict in result.conflict:
            console.print(f"  ✗ [bold]{conflict.rule}[/]: {conflict.why}")
    elif not result.consortia:
        console.print("No consortium found within the time limit (try a longer --time-limit).")


# ------------------------------------------------------------------------------------------ group


def _pairs(values: list[str] | None, option: str) -> list[tuple[str, str]]:
    pairs = []
    for value in values or []:
        parts = [p.strip() for p in value.split(",") if p.strip()]
        if len(parts) != 2:
            raise InputError("expected two ids: A,B", field=option, value=value)
        pairs.append((parts[0], parts[1]))
    return pairs


class GroupObjective(StrEnum):
    sum = "sum"
    min = "min"


@app.command("group")
@guarded
def group_command(
    pool: Annotated[
        Path | None,
        typer.Argument(help="pool file (.json, .csv, .xlsx); default: the packaged demo pool"),
    ] = None,
    call: Annotated[
        str,
        typer.Option("--call", "-c", help="call model id or .toml file, or none (pure grouping)"),
    ] = DEFAULT_CALL,
    size: Annotated[str, typer.Option("--size", help="members per group, A..B")] = "3..5",
    objective: Annotated[
        GroupObjective,
        typer.Option("--objective", help="sum: total score; min: the worst group first (balanced)"),
    ] = GroupObjective.sum,
    rounds: Annotated[int, typer.Option("--rounds", min=1, help="rounds; no pair meets twice")] = 1,
    allow_repeats: Annotated[
        bool,
        typer.Option(
            "--allow-repeats", help="minimise repeated meetings instead of forbidding them"
        ),
    ] = False,
    together: Annotated[
        list[str] | None,
        typer.Option("--together", help="A,B: always in the same group (repeatable)"),
    ] = None,
    apart: Annotated[
        list[str] | None, typer.Option("--apart", help="A,B: never in the same group (repeatable)")
    ] = None,
    time_limit: Annotated[float, typer.Option("--time-limit", min=0.1, help="seconds")] = 30.0,
    seed: Annotated[int, typer.Option("--seed", help="random seed")] = 0,
    workers: Annotated[int, typer.Option("--workers", min=1, help="CP-SAT workers")] = 2,
    mdgp: Annotated[
        Path | None,
        typer.Option(
            "--mdgp", help="research mode: an MDGPLIB instance (maximally diverse grouping)"
        ),
    ] = None,
    as_json: JsonOption = False,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="also write: .json .csv .xlsx .html")
    ] = None,
) -> None:
    """Split a whole pool into groups that each meet the call's rules, over one or more rounds.

    Exit 0 when groups were formed, 1 when none could be (the reason is given), 2 on bad input.
    """
    if out is not None and mdgp is None:
        output_writer(out, GROUPING_WRITERS, "grouping")
    if mdgp is not None:
        from consortium_solver.mdgp import read_mdgp, solve_mdgp

        if out is not None and out.suffix.lower() != ".json":
            raise InputError("research mode writes .json only", source=str(out))

        instance = read_mdgp(mdgp)
        result = solve_mdgp(instance, time_limit=time_limit, seed=seed)
        if out is not None:
            from consortium_solver.io import atomic_write_text

            atomic_write_text(out, result.to_json() + "\n")
        if as_json:
            sys.stdout.write(result.to_json() + "\n")
        else:
            _stdout().print(
                f"{instance.name}: {len(result.consortia)} groups · objective {result.objective:g}"
                f" · {result.wall_time_s:g} s · seed {seed}"
            )
        raise typer.Exit(0)
    the_pool = _load_pool(pool)
    the_call = no_call() if call.lower() == "none" else load_call(call)
    options = GroupOptions(
        size=parse_size(size),
        objective=objective.value,
        rounds=rounds,
        allow_repeats=allow_repeats,
        together=_pairs(together, "--together"),
        apart=_pairs(apart, "--apart"),
        time_limit=time_limit,
        seed=seed,
        workers=workers,
    )
    err = Console(stderr=True, highlight=False)
    live = not as_json and err.is_terminal
    with err.status("grouping…", spinner="dots") if live else _nothing() as status:
        if status is not None:

            def progress(elapsed: float, best: float | None, bound: float | None) -> None:
                status.update(f"grouping… {elapsed:5.1f} s · objective {_fmt(best)}")

            options.progress = progress
        result = group(the_pool, the_call, options)
    if out is not None:
        write_grouping(result, the_pool, out)
    if as_json:
        sys.stdout.write(result.to_json() + "\n")
    else:
        render_grouping(_stdout(), the_pool, result)
    raise typer.Exit(0 if result.consortia else 1)


def render_grouping(console: Console, pool: Pool, result: Result) -> None:
    rounds = [tuple(r) for r in result.rounds] if result.rounds is not None else [result.consortia]
    for r, groups in enumerate(rounds, start=1):
        table = Table(title=f"Round {r}" if len(rounds) > 1 else "Groups", title_justify="left")
        table.add_column("group", justify="right")
        table.add_column("score", justify="right")
        table.add_column("members", overflow="fold")
        for g, grp in enumerate(groups, start=1):
            names = ", ".join(f"{m} ({pool.by_id[m].country})" for m in grp.members)
            table.add_row(str(g), f"{grp.score:g}", names)
        console.print(table)
    why = {i.id: i.why for i in result.ineligible or ()}
    placed = {m for groups in rounds for grp in groups for m in grp.members}
    left = [o.id for o in pool.organisations if o.id not in placed]
    for org_id in left:
        reason = f"ineligible: {why[org_id]}" if org_id in why else "not placed"
        console.print(f"  · {org_id}: {reason}")
    n_groups = sum(len(g) for g in rounds)
    line = f"[bold]{result.status.value}[/] · {n_groups} groups · {len(left)} not placed"
    if result.objective is not None:
        line += f" · objective {result.objective:g}"
    console.print(line + f" · {result.wall_time_s:g} s · seed {result.seed}")
    if result.note:
        console.print(f"[bold red]{result.note}[/]")


# ------------------------------------------------------------------------------------------ calls


@app.command("calls")
@guarded
def calls_command(
    call: Annotated[
        str | None, typer.Argument(help="a call id or .toml file to show in words")
    ] = None,
) -> None:
    """List the packaged call models, or show one in words."""
    console = _stdout()
    if call is None:
        table = Table(title="Packaged call models", title_justify="left")
        table.add_column("id")
        table.add_column("title")
        table.add_column("file")
        for call_id, name in packaged_calls().items():
            table.add_row(call_id, load_call(call_id).title, f"models/{name}")
        console.print(table)
        return
    the_call = load_call(call)
    console.print(f"[bold]{the_call.id}[/] — {the_call.title}")
    if the_call.description:
        console.print(the_call.description.strip())
    rules = Table(title="Rules", title_justify="left")
    rules.add_column("id")
    rules.add_column("kind")
    rules.add_column("rule", overflow="fold")
    rules.add_column("source", overflow="fold")
    for rule in the_call.rules:
        rules.add_row(rule.id, rule.kind, rule.describe(), rule.source or "")
    console.print(rules)
    weights = Table(title="Objective weights (score = Σ weight × term)", title_justify="left")
    weights.add_column("term")
    weights.add_column("weight", justify="right")
    for term, weight in the_call.objective.model_dump().items():
        weights.add_row(term, f"{weight:g}")
    console.print(weights)
    links = (
        "uniform (every sector pair weighs 1)"
        if the_call.sector_links is None
        else (f"{len(the_call.sector_links)} weighted sector pairs")
    )
    console.print(f"sector links: {links}")
    console.print(
        f"default search size: {the_call.search.min_size}..{the_call.search.max_size} members"
    )


@app.command("sectors")
@guarded
def sectors_command() -> None:
    """List the sector ids that pools use (the 14 EU industrial ecosystems)."""
    table = Table(title="Sectors: the 14 EU industrial ecosystems", title_justify="left")
    table.add_column("id")
    table.add_column("name")
    for sector in reference.sectors().values():
        table.add_row(sector.id, sector.name)
    _stdout().print(table)


# --------------------------------------------------------------------------------------- generate


def _codes(text: str | None) -> tuple[str, ...] | None:
    if text is None:
        return None
    codes = tuple(part.strip() for part in text.split(",") if part.strip())
    return codes or None


@app.command("generate")
@guarded
def generate_command(
    n: Annotated[int, typer.Option("--n", help="number of organisations")],
    seed: Annotated[int, typer.Option("--seed", help="random seed; same arguments, same pool")] = 0,
    countries: Annotated[
        str | None,
        typer.Option("--countries", help="draw from these COSME countries only: DE,PL,RS"),
    ] = None,
    lagging_share: Annotated[
        float | None,
        typer.Option(
            "--lagging-share",
            help="share of EU members in less developed or transition regions (default: population)",
        ),
    ] = None,
    ineligible_share: Annotated[
        float, typer.Option("--ineligible-share", help="share made ineligible for the 2018 call")
    ] = 0.1,
    non_eu_share: Annotated[
        float, typer.Option("--non-eu-share", help="share from COSME countries outside the EU")
    ] = 0.1,
    sectors: Annotated[
        str | None,
        typer.Option(
            "--sectors", help="draw sectors from these ids only (see `consortium sectors`)"
        ),
    ] = None,
    name: Annotated[str | None, typer.Option("--name", help="the pool's name")] = None,
    id_prefix: Annotated[str, typer.Option("--id-prefix", help="ids are PREFIX-001, …")] = "org",
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="write .json, .csv or .xlsx (default: JSON on stdout)"),
    ] = None,
) -> None:
    """A synthetic pool drawn on the packaged reference data (real countries, NUTS-2 regions
    weighted by population, their cohesion-policy categories, the sector taxonomy)."""
    from consortium_solver.generate import generate_pool
    from consortium_solver.io import pool_to_json, write_pool

    if out is not None and out.suffix.lower() not in (".json", ".csv", ".xlsx"):
        raise InputError("use .json, .csv or .xlsx", field="--out", value=str(out))
    try:
        pool = generate_pool(
            n,
            seed,
            name=name,
            id_prefix=id_prefix,
            lagging_share=lagging_share,
            ineligible_share=ineligible_share,
            non_eu_share=non_eu_share,
            countries=_codes(countries),
            sectors=_codes(sectors),
        )
    except InputError as exc:
        option = "--" + (exc.field or "").replace("_", "-")
        raise InputError(exc.message, field=option, value=exc.value) from None
    if out is None:
        sys.stdout.write(pool_to_json(pool))
    else:
        write_pool(pool, out)
        sys.stderr.write(f"wrote {len(pool)} organisations to {out}\n")


# ------------------------------------------------------------------------------------------ bench


class Executor(StrEnum):
    local = "local"
    dask = "dask"


def _seeds(text: str | None) -> tuple[int, ...] | None:
    if text is None:
        return None
    try:
        seeds = tuple(int(part) for part in text.split(",") if part.strip())
    except ValueError:
        raise InputError("expected whole numbers: 1,2,3", field="--seeds", value=text) from None
    if not seeds:
        raise InputError("expected at least one seed: 1,2,3", field="--seeds", value=text)
    return seeds


@app.command("bench")
@guarded
def bench_command(
    suite: Annotated[str, typer.Argument(help="a packaged suite (smoke, …) or a suite .toml file")],
    out: Annotated[
        Path, typer.Option("--out", "-o", help="folder for results.csv, summary.md and plots")
    ] = Path("bench-results"),
    time_limit: Annotated[
        float | None, typer.Option("--time-limit", help="seconds per run (default: the suite's)")
    ] = None,
    seeds: Annotated[
        str | None, typer.Option("--seeds", help="seeds, comma-separated (default: the suite's)")
    ] = None,
    workers: Annotated[
        int | None, typer.Option("--workers", help="solver threads per run (default: the suite's)")
    ] = None,
    jobs: Annotated[int, typer.Option("--jobs", help="runs at a time (local executor)")] = 1,
    executor: Annotated[
        Executor, typer.Option("--executor", help="local, or dask (a LocalCluster by default)")
    ] = Executor.local,
    scheduler: Annotated[
        str | None,
        typer.Option("--scheduler", help="an existing Dask scheduler, tcp://HOST:8786"),
    ] = None,
    dask_workers: Annotated[
        int, typer.Option("--dask-workers", help="workers of the LocalCluster")
    ] = 2,
) -> None:
    """Run a benchmark suite: instances x solvers x seeds, each run in a fresh process; writes
    results.csv, traces.csv, summary.md and PNG plots, and prints the summary."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    from consortium_solver.bench import Plan, execute, load_suite, write_report
    from consortium_solver.bench.report import summary

    loaded = load_suite(suite)
    if time_limit is not None and time_limit <= 0:
        raise InputError("a positive number of seconds", field="--time-limit", value=time_limit)
    for option, value in (
        ("--workers", workers),
        ("--jobs", jobs),
        ("--dask-workers", dask_workers),
    ):
        if value is not None and value < 1:
            raise InputError("at least 1", field=option, value=value)
    if scheduler is not None and executor is not Executor.dask:
        raise InputError(
            "--scheduler goes with --executor dask", field="--scheduler", value=scheduler
        )
    if out.exists() and not out.is_dir():
        raise InputError("not a folder", field="--out", value=str(out))
    plan = Plan(
        loaded,
        time_limit=time_limit or loaded.time_limit,
        seeds=_seeds(seeds) or loaded.seeds,
        workers=workers or loaded.workers,
    )
    specs = plan.runs()
    err = Console(stderr=True)
    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    ) as bar:
        task = bar.add_task(f"{loaded.name}: runs", total=len(specs))

        def done(row: dict[str, Any]) -> None:
            bar.advance(task)
            if not err.is_terminal:
                return
            bar.console.print(
                f"  {row.get('instance')} {row.get('solver')} seed {row.get('seed')}:"
                f" {row.get('status')} {_fmt(row.get('objective'))}"
            )

        rows = execute(
            specs,
            executor=executor.value,
            jobs=jobs,
            scheduler=scheduler,
            dask_workers=dask_workers,
            on_done=done,
        )
    files = write_report(rows, out, f"Suite {loaded.name}")
    table = Table(title=f"Suite {loaded.name} ({len(rows)} runs, medians)", title_justify="left")
    for column in (
        "instance",
        "solver",
        "runs",
        "statuses",
        "objective",
        "vs greedy",
        "gap %",
        "time s",
    ):
        table.add_column(
            column,
            justify="right"
            if column in {"runs", "objective", "vs greedy", "gap %", "time s"}
            else "left",
        )
    for line in summary(rows):
        gap = None if line["gap"] is None else 100 * line["gap"]
        table.add_row(
            line["instance"],
            line["solver"],
            str(line["runs"]),
            line["statuses"],
            _fmt(line["objective"]),
            "—" if line["vs_greedy"] is None else f"{line['vs_greedy']:.3f}",
            "—" if gap is None else f"{gap:.2f}",
            "—" if line["time"] is None else f"{line['time']:.2f}",
        )
    console = _stdout()
    console.print(table)
    console.print("wrote " + ", ".join(str(f) for f in files))
    failed = [r for r in rows if r.get("status") == "error"]
    if failed:
        for row in failed:
            sys.stderr.write(
                f"error: run {row['instance']} {row['solver']} seed {row['seed']}: {row.get('note')}\n"
            )
        raise typer.Exit(1)


# ----------------------------------------------------------------------------------------- schema


class SchemaName(StrEnum):
    pool = "pool"
    result = "result"
    call = "call"
    check = "check"


@app.command("schema")
@guarded
def schema_command(
    name: Annotated[SchemaName, typer.Argument(help="which document")],
) -> None:
    """Print the JSON Schema of a file format: pool, result, call (model) or check (verdict)."""
    models: dict[SchemaName, Any] = {
        SchemaName.pool: Pool,
        SchemaName.result: Result,
        SchemaName.call: Call,
        SchemaName.check: Assessment,
    }
    schema = models[name].model_json_schema()
    sys.stdout.write(json.dumps(schema, indent=2, ensure_ascii=False) + "\n")


def main() -> None:
    """Console-script entry point."""
    app()
