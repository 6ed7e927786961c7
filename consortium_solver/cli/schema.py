"""``consortium schema``: the JSON Schema of each file format."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from typing import Annotated

import typer
from pydantic import BaseModel

from consortium_solver.cli.app import app, guarded
from consortium_solver.domain import Assessment, BuildResult, GroupingResult, Pool
from consortium_solver.rules import Call


class SchemaName(StrEnum):
    pool = "pool"
    result = "result"
    grouping = "grouping"
    call = "call"
    check = "check"


SCHEMAS: dict[SchemaName, type[BaseModel]] = {
    SchemaName.pool: Pool,
    SchemaName.result: BuildResult,
    SchemaName.grouping: GroupingResult,
    SchemaName.call: Call,
    SchemaName.check: Assessment,
}


@app.command("schema")
@guarded
def schema_command(
    name: Annotated[SchemaName, typer.Argument(help="which document")],
) -> None:
    """Print the JSON Schema of a file format: pool, result (of build), grouping (of group), call
    (model) or check (verdict)."""
    schema = SCHEMAS[name].model_json_schema()
    sys.stdout.write(json.dumps(schema, indent=2, ensure_ascii=False) + "\n")
