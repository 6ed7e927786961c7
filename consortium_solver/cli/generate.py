"""``consortium generate``: synthetic pools on the packaged reference data."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from consortium_solver.cli.app import app, emit, guarded
from consortium_solver.cli.options import split_list
from consortium_solver.core.errors import InputError

PoolKind = StrEnum("PoolKind", ["consortium", "exchange"])


# Options of exchange pools only.
PartnershipsOption = Annotated[
    int, typer.Option("--partnerships", min=1, help="exchange pools: partnerships")
]
BudgetsOption = Annotated[
    bool, typer.Option("--budgets/--no-budgets", help="exchange pools: binding budgets")
]
PeriodsOption = Annotated[
    int,
    typer.Option(
        "--periods",
        min=0,
        max=120,
        help="exchange pools: visitors travel in one of N months; half the hosts take 1-2 at once",
    ),
]


EntitiesOption = Annotated[
    bool,
    typer.Option(
        "--entities",
        help="also state control, non-profit, public body, SME and a (synthetic) 2021-2027"
        " region category, for today's calls",
    ),
]


@app.command("generate")
@guarded
def generate_command(
    n: Annotated[int, typer.Option("--n", help="number of organisations")],
    kind: Annotated[
        PoolKind,
        typer.Option(
            "--kind",
            help="consortium: organisations for build and group; exchange: ClusterXchange"
            " participants with partnerships and budgets, for `consortium exchange`",
        ),
    ] = PoolKind.consortium,
    partnerships: PartnershipsOption = 12,
    budgets: BudgetsOption = True,
    periods: PeriodsOption = 0,
    seed: Annotated[int, typer.Option("--seed", help="random seed; same arguments, same pool")] = 0,
    countries: Annotated[
        str | None,
        typer.Option(
            "--countries",
            help="draw from these COSME countries only, by code or name: DE,PL,RS or"
            " 'Germany, Polska, Serbia'",
        ),
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
    entities: EntitiesOption = False,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="write .json, .csv or .xlsx (default: JSON on stdout)"),
    ] = None,
) -> None:
    """A synthetic pool drawn on the packaged reference data (real countries, NUTS-2 regions
    weighted by population, their cohesion-policy categories, the sector taxonomy)."""
    from consortium_solver.io import pool_to_json, write_pool
    from consortium_solver.synthetic.pools import generate_pool

    if kind is PoolKind.exchange:
        _exchange_pool(n, seed, (partnerships, periods), budgets, name, out)
        return
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
            countries=tuple(split_list(countries)) or None,
            sectors=tuple(split_list(sectors)) or None,
            entities=entities,
        )
    except InputError as exc:
        option = "--" + (exc.field or "").replace("_", "-")
        raise InputError(exc.message, field=option, value=exc.value) from None
    if out is None:
        emit(pool_to_json(pool))
    else:
        write_pool(pool, out)
        sys.stderr.write(f"wrote {len(pool)} organisations to {out}\n")


def _exchange_pool(
    n: int,
    seed: int,
    counts: tuple[int, int],
    budgets: bool,
    name: str | None,
    out: Path | None,
) -> None:
    """``generate --kind exchange``; ``counts``: partnerships and periods."""
    from consortium_solver.io import atomic_write_text, check_writable
    from consortium_solver.io.exchanges import exchange_pool_to_json
    from consortium_solver.synthetic.exchanges import generate_exchange_pool

    if out is not None:
        if out.suffix.lower() != ".json":
            raise InputError("an exchange pool is written as .json", field="--out", value=str(out))
        check_writable(out)
    try:
        pool = generate_exchange_pool(
            n, seed, partnerships=counts[0], budgets=budgets, name=name, periods=counts[1]
        )
    except InputError as exc:
        raise InputError(exc.message, field="--" + (exc.field or ""), value=exc.value) from None
    text = exchange_pool_to_json(pool)
    if out is None:
        emit(text)
    else:
        atomic_write_text(out, text)
        sys.stderr.write(f"wrote {len(pool.participants)} participants to {out}\n")
