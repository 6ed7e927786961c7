"""Satisfied/violated pairs for every rule kind, on tests/data/ok/regions_pool.json.

The validator's tests and the encoder's tests both run this table, so the two readings of each rule
are held to the same verdicts.
"""

from __future__ import annotations

from datetime import date

from consortium_solver.rules import kinds

LAGGING = {"field": "region_category", "values": ["less_developed", "transition"]}
ON = {"on": date(2024, 6, 1)}  # the day dated lists are read on
HORIZON_3 = kinds.MinIndependent.model_validate(
    {"id": "independent", "min": 3, "field": "country", "values": "@horizon"}, context=ON
)
ENTITIES_2 = kinds.MinIndependent(id="entities", min=2, field=None)
EU_2 = kinds.MinDistinct.model_validate(
    {"id": "eu", "field": "country", "min": 2, "values": "@eu"}, context=ON
)
LAGGING_2021 = kinds.MinCount.model_validate(
    {
        "id": "lagging-2021",
        "field": "region_category_2021",
        "values": ["less_developed", "transition"],
        "or_else": [{"field": "outermost", "values": ["yes"]}],
        "min": 1,
    }
)
PUBLIC_OR_NON_PROFIT = kinds.MemberIn.model_validate(
    {
        "id": "public-or-non-profit",
        "field": "public_body",
        "values": ["yes"],
        "or_else": [{"field": "non_profit", "values": ["yes"]}],
    }
)
COORDINATOR = kinds.Coordinator.model_validate(
    {
        "id": "coordinator",
        "conditions": [
            {"field": "non_profit", "values": ["yes"]},
            {"field": "region_category_2021", "values": ["more_developed"]},
        ],
    }
)

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
    # toscana is controlled by idf: the two count once.
    (HORIZON_3, ("toscana", "zapadne", "oberbayern"), True),
    (HORIZON_3, ("toscana", "idf", "zapadne"), False),
    (HORIZON_3, ("ankara", "ankara-stated", "oberbayern", "idf"), True),
    (HORIZON_3, ("zapadne", "bern", "oberbayern"), False),  # CH is associated only from 2025
    (ENTITIES_2, ("ankara", "bern"), True),
    (ENTITIES_2, ("ankara", "ankara-stated"), False),  # both under Anatolia Holding
    (EU_2, ("toscana", "idf", "bern"), True),
    (EU_2, ("toscana", "bern", "ankara"), False),
    (LAGGING_2021, ("idf", "zapadne"), True),
    (LAGGING_2021, ("idf", "oberbayern"), False),  # oberbayern states no 2021-2027 category
    (PUBLIC_OR_NON_PROFIT, ("idf", "zapadne", "bern"), True),
    (PUBLIC_OR_NON_PROFIT, ("idf", "consultancy"), False),
    (COORDINATOR, ("idf", "zapadne"), True),
    (COORDINATOR, ("toscana", "zapadne"), False),  # non-profit, but in a transition region
    (COORDINATOR.model_copy(update={"who": "idf"}), ("idf", "zapadne"), True),
    (COORDINATOR.model_copy(update={"who": "toscana"}), ("toscana", "idf"), False),  # idf may
    (kinds.Include(id="inc", members=("idf",)), ("toscana", "idf"), True),
    (kinds.Include(id="inc", members=("idf",)), ("toscana", "oberbayern"), False),
    (kinds.Exclude(id="exc", members=("idf",)), ("toscana", "oberbayern"), True),
    (kinds.Exclude(id="exc", members=("idf",)), ("toscana", "idf"), False),
]


def case_id(case: tuple[kinds.AnyRule, tuple[str, ...], bool]) -> str:
    rule, members, passes = case
    return f"{rule.kind}-{'satisfied' if passes else 'violated'}-{'+'.join(members)}"
