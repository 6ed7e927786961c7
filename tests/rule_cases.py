"""Satisfied/violated pairs for every rule kind, on tests/data/ok/regions_pool.json.

The validator's tests and the encoder's tests both run this table, so the two readings of each rule
are held to the same verdicts.
"""

from __future__ import annotations

from typing import Any

from consortium_solver.rules import (
    Exclude,
    Include,
    MaxPerValue,
    MemberIn,
    MinCount,
    MinDistinct,
    Size,
)

LAGGING = {"field": "region_category", "values": ["less_developed", "transition"]}

# (rule, members, passes)
CASES: list[tuple[Any, tuple[str, ...], bool]] = [
    (
        MemberIn.model_validate({"id": "in", "field": "country", "values": "@cosme-2018"}),
        ("toscana", "ankara", "zapadne"),
        True,
    ),
    (
        MemberIn.model_validate({"id": "in", "field": "country", "values": "@cosme-2018"}),
        ("toscana", "bern"),
        False,
    ),
    (Size(id="size", min=3, max=4), ("toscana", "idf", "zapadne"), True),
    (Size(id="size", min=3, max=4), ("toscana", "idf"), False),
    (Size(id="size", min=3, max=4), ("toscana", "idf", "zapadne", "ankara", "bern"), False),
    (
        MinDistinct(id="distinct", field="country", min=3),
        ("toscana", "severovychod", "zapadne"),
        True,
    ),
    (
        MinDistinct(id="distinct", field="country", min=3),
        ("oberbayern", "consultancy", "idf"),
        False,
    ),
    (MinDistinct(id="sectors", field="sectors", min=3), ("toscana", "severovychod"), True),
    (MinDistinct(id="sectors", field="sectors", min=3), ("idf", "bern"), False),
    (MinCount.model_validate({"id": "count", **LAGGING, "min": 1}), ("toscana", "zapadne"), True),
    (
        MinCount.model_validate({"id": "count", **LAGGING, "min": 1}),
        ("toscana", "idf", "ankara"),
        False,
    ),
    (MaxPerValue(id="per", field="country", max=1), ("toscana", "idf", "oberbayern"), True),
    (MaxPerValue(id="per", field="country", max=1), ("oberbayern", "consultancy", "idf"), False),
    (Include(id="inc", members=("idf",)), ("toscana", "idf"), True),
    (Include(id="inc", members=("idf",)), ("toscana", "oberbayern"), False),
    (Exclude(id="exc", members=("idf",)), ("toscana", "oberbayern"), True),
    (Exclude(id="exc", members=("idf",)), ("toscana", "idf"), False),
]


def case_id(case: tuple[Any, tuple[str, ...], bool]) -> str:
    rule, members, passes = case
    return f"{rule.kind}-{'satisfied' if passes else 'violated'}-{'+'.join(members)}"
