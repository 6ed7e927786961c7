"""``consortium check``: a consortium judged rule by rule, with its score."""

from __future__ import annotations

from typing import Annotated

import typer

from consortium_solver import DEFAULT_CALL
from consortium_solver.cli.app import app, emit, guarded, stdout
from consortium_solver.cli.options import (
    CallOption,
    ColumnsOption,
    DateOption,
    JsonOption,
    MergeDuplicatesOption,
    PoolArgument,
    call_on,
    load_pool,
    member_ids,
)
from consortium_solver.cli.render import assessment_json, render_assessment
from consortium_solver.validate import check


@app.command("check")
@guarded
def check_command(
    members: Annotated[
        str, typer.Option("--members", "-m", help="member ids, comma-separated: A,B,C")
    ],
    pool: PoolArgument = None,
    call: CallOption = DEFAULT_CALL,
    day: DateOption = None,
    as_json: JsonOption = False,
    columns: ColumnsOption = None,
    merge_duplicates: MergeDuplicatesOption = False,
) -> None:
    """Say, rule by rule, whether a consortium is eligible, and what it scores.

    Exit 0 when eligible, 1 when not, 2 on bad input.
    """
    the_pool = load_pool(pool, columns, merge_duplicates)
    the_call = call_on(call, day)
    assessment = check(the_pool, the_call, member_ids(members))
    if as_json:
        emit(assessment_json(assessment) + "\n")
    else:
        render_assessment(stdout(), the_pool, the_call, assessment)
    raise typer.Exit(0 if assessment.eligible else 1)
