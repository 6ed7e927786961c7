"""``consortium schema``: the JSON Schema of each file format."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated

import typer
from pydantic import BaseModel

from consortium_solver.cli.app import app, emit, guarded
from consortium_solver.domain import (
    Assessment,
    BuildResult,
    ExchangeResult,
    GroupingResult,
    Pool,
)
from consortium_solver.domain.exchanges import ExchangePool
from consortium_solver.rules import Call


class SchemaName(StrEnum):
    pool = "pool"
    result = "result"
    grouping = "grouping"
    call = "call"
    check = "check"
    exchange_pool = "exchange-pool"
    plan = "plan"


SCHEMAS: dict[SchemaName, type[BaseModel]] = {
    SchemaName.pool: Pool,
    SchemaName.result: BuildResult,
    SchemaName.grouping: GroupingResult,
    SchemaName.call: Call,
    SchemaName.check: Assessment,
    SchemaName.exchange_pool: ExchangePool,
    SchemaName.plan: ExchangeResult,
}


@app.command("schema")
@guarded
def schema_command(
    name: Annotated[SchemaName, typer.Argument(help="which document")],
) -> None:
    """Print the JSON Schema of a file format: pool, result (of build), grouping (of group), call
    (model), check (verdict), exchange-pool or plan (of exchange)."""
    schema = SCHEMAS[name].model_json_schema()
    emit(json.dumps(schema, indent=2, ensure_ascii=False) + "\n")
