"""Satisfied/violated pairs for every rule kind, on tests/data/ok/regions_pool.json.

The validator's tests and the encoder's tests both run this table, so the two readings of each rule
are held to the same verdicts.
"""

from __future__ import annotations

from consortium_solver.rules import kinds

LAGGING = {"field": "region_category", "values": ["less_developed", "transition"]}

# (rule, members, passes)
CASES: list[tuple[kinds.AnyRule, tuple[str, ...], bool]] = [
    (
        kinds.MemberIn.model_validate({"id": "in", "field": "country", "values": "@cosme-2018"}),
        ("toscana", "ankara", "zapadne"),
        True,
    ),
    (
        kinds.MemberIn.model_validate({"id": "in", "field": "country", "values": "@cosme-2018"}),
        ("toscana", "bern"),
        False,
    ),
    (kinds.Size(id="size", min=3, max=4), ("toscana", "idf", "zapadne"), True),
    (kinds.Size(id="size", min=3, max=4), ("toscana", "idf"), False),
    (kinds.Size(id="size", min=3, max=4), ("toscana", "idf", "zapadne", "ankara", "bern"), False),
    (
        kinds.MinDistinct(id="distinct", field="country", min=3),
        ("toscana", "severovychod", "zapadne"),
        True,
    ),
    (
        kinds.MinDistinct(id="distinct", field="country", min=3),
        ("oberbayern", "consultancy", "idf"),
        False,
    ),
    (kinds.MinDistinct(id="sectors", field="sectors", min=3), ("toscana", "severovychod"), True),
    (kinds.MinDistinct(id="sectors", field="sectors", min=3), ("idf", "bern"), False),
    (
        kinds.MinCount.model_validate({"id": "count", **LAGGING, "min": 1}),
        ("toscana", "zapadne"),
        True,
    ),
    (
        kinds.MinCount.model_validate({"id": "count", **LAGGING, "min": 1}),
        ("toscana", "idf", "ankara"),
        False,
    ),
    (kinds.MaxPerValue(id="per", field="country", max=1), ("toscana", "idf", "oberbayern"), True),
    (
        kinds.MaxPerValue(id="per", field="country", max=1),
        ("oberbayern", "consultancy", "idf"),
        False,
    ),
    (kinds.Include(id="inc", members=("idf",)), ("toscana", "idf"), True),
    (kinds.Include(id="inc", members=("idf",)), ("toscana", "oberbayern"), False),
    (kinds.Exclude(id="exc", members=("idf",)), ("toscana", "oberbayern"), True),
    (kinds.Exclude(id="exc", members=("idf",)), ("toscana", "idf"), False),
]


def case_id(case: tuple[kinds.AnyRule, tuple[str, ...], bool]) -> str:
    rule, members, passes = case
    return f"{rule.kind}-{'satisfied' if passes else 'violated'}-{'+'.join(members)}"
