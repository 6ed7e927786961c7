"""``consortium calls`` and ``sectors``: the packaged call models and sector ids, in words."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from consortium_solver import reference
from consortium_solver.cli.app import app, guarded, stdout
from consortium_solver.cli.render import plain
from consortium_solver.rules import load_call, packaged_calls


@app.command("calls")
@guarded
def calls_command(
    call: Annotated[
        str | None, typer.Argument(help="a call id or .toml file to show in words")
    ] = None,
) -> None:
    """List the packaged call models, or show one in words."""
    console = stdout()
    if call is None:
        table = Table(title="Packaged call models", title_justify="left")
        table.add_column("id")
        table.add_column("title")
        table.add_column("file")
        for call_id, name in packaged_calls().items():
            table.add_row(plain(call_id), plain(load_call(call_id).title), f"models/{name}")
        console.print(table)
        return
    the_call = load_call(call)
    console.print(f"[bold]{plain(the_call.id)}[/] — {plain(the_call.title)}")
    if the_call.description:
        console.print(plain(the_call.description.strip()))
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
