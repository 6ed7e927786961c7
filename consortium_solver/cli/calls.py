"""``consortium calls`` and ``sectors``: the packaged call models and sector ids, in words."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from consortium_solver import reference
from consortium_solver.cli import options as opt
from consortium_solver.cli.app import app, emit, guarded, stdout
from consortium_solver.cli.render import plain
from consortium_solver.core.errors import InputError
from consortium_solver.io.tables import visible_controls
from consortium_solver.rules import load_call, packaged_calls
from consortium_solver.rules.checking import check_call_file


def _check(file: Path | None) -> None:
    """`calls check FILE`: the model's problems with their lines, exit 2; else exit 0."""
    if file is None:
        raise InputError(
            "`consortium calls check` needs the call model file: calls check FILE.toml"
        )
    problems = check_call_file(file)
    for line in problems:
        sys.stderr.write(visible_controls(line) + "\n")
    if problems:
        sys.stderr.write(f"{len(problems)} problem(s) in {file}: fix them and check again\n")
        raise typer.Exit(2)
    stdout().print(
        f"{plain(str(file))}: no problems — `consortium build --call {plain(str(file))}`"
    )


def _calls_document(call: str | None, day: str | None) -> list[dict[str, Any]]:
    """The call models (all packaged ones, or the one named) as data: id, title, programme, url,
    deadline, rules with their kind, words and source, and the objective's weights."""
    ids = [call] if call is not None else list(packaged_calls())
    out = []
    for ref in ids:
        model = opt.call_on(ref, day)
        out.append(
            {
                "id": model.id,
                "title": model.title,
                "programme": model.programme,
                "url": model.url,
                "deadline": None if model.deadline is None else model.deadline.isoformat(),
                "rules": [
                    {"id": r.id, "kind": r.kind, "rule": r.describe(), "source": r.source}
                    for r in model.rules
                ],
                "objective": model.objective.model_dump(),
            }
        )
    return out


@app.command("calls")
@guarded
def calls_command(
    call: Annotated[
        str | None,
        typer.Argument(help="a call id or .toml file to show in words; or `check`"),
    ] = None,
    file: Annotated[
        Path | None, typer.Argument(help="with `check`: the call model (.toml) to check")
    ] = None,
    as_json: opt.JsonOption = False,
    day: opt.DateOption = None,
) -> None:
    """List the packaged call models, or show one in words.

    `consortium calls check FILE.toml` checks a call model you wrote: every problem at once, each
    with its line (exit 2), or "no problems" (exit 0). `--json` lists the packaged models with their
    rules and sources."""
    console = stdout()
    if call == "check":
        _check(file)
        return
    if as_json:
        emit(json.dumps(_calls_document(call, day), indent=2, ensure_ascii=False) + "\n")
        return
    if call is None:
        table = Table(title="Packaged call models", title_justify="left")
        table.add_column("id", no_wrap=True)
        table.add_column("call", overflow="fold")
        table.add_column("rules", justify="right")
        for call_id in packaged_calls():
            model = load_call(call_id)
            table.add_row(plain(call_id), plain(model.title), str(len(model.rules)))
        console.print(table)
        console.print("In words, with each rule's source: consortium calls ID")
        return
    the_call = opt.call_on(call, day)
    console.print(f"[bold]{plain(the_call.id)}[/] — {plain(the_call.title)}")
    if the_call.description:
        console.print(plain(the_call.description.strip()))
    if the_call.url:
        console.print(f"text: {plain(the_call.url)}")
    if the_call.deadline:
        console.print(f"deadline: {the_call.deadline.isoformat()}")
    rules = Table(title="Rules", title_justify="left")
    rules.add_column("id")
    rules.add_column("kind")
    rules.add_column("rule", overflow="fold")
    rules.add_column("source", overflow="fold")
    for rule in the_call.rules:
        rules.add_row(plain(rule.id), rule.kind, plain(rule.describe()), plain(rule.source or ""))
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
    stdout().print(table)
