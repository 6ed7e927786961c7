"""The organisation fields that rules and terms read, in one place: their names in words, and how a
field's values are read off an organisation."""

from __future__ import annotations

from typing import Literal

from consortium_solver.domain.organisations import Organisation, RegionCategory

# Fields with one value per organisation: what ``member_in``, ``min_count`` and ``max_per_value`` read.
ScalarField = Literal[
    "country", "nuts2", "region_category", "organisation_type", "eccp_status", "maturity"
]
# Fields whose distinct values ``min_distinct`` counts: the scalar ones and the sectors.
DistinctField = Literal[
    "country",
    "nuts2",
    "region_category",
    "organisation_type",
    "eccp_status",
    "maturity",
    "sectors",
]

# Fields holding a list of values (``;``-separated in CSV and XLSX).
LIST_FIELDS = frozenset({"sectors", "offers", "needs"})

# The region categories the development mix counts (unclassified regions do not count).
DEVELOPMENT: tuple[RegionCategory, ...] = (
    RegionCategory.LESS_DEVELOPED,
    RegionCategory.TRANSITION,
    RegionCategory.MORE_DEVELOPED,
)

# The categories of the regions the 2018 call wants one partner from ("less developed or
# transition"), as the values a pool stores.
LAGGING: tuple[str, ...] = (RegionCategory.LESS_DEVELOPED.value, RegionCategory.TRANSITION.value)

FIELD_WORDS: dict[str, str] = {
    "country": "country",
    "nuts2": "NUTS-2 region",
    "region_category": "region category",
    "organisation_type": "organisation type",
    "eccp_status": "ECCP status",
    "maturity": "maturity label",
    "sectors": "sector",
}

FIELD_PLURALS: dict[str, str] = {
    "country": "countries",
    "nuts2": "NUTS-2 regions",
    "region_category": "region categories",
    "organisation_type": "organisation types",
    "eccp_status": "ECCP statuses",
    "maturity": "maturity labels",
    "sectors": "sectors",
}


def member_value(org: Organisation, field: str) -> str | None:
    """The value of a scalar field of an organisation, as a plain string (None if absent)."""
    value = getattr(org, field)
    return None if value is None else str(value)


def org_values(org: Organisation, field: str) -> tuple[str, ...]:
    """An organisation's values of a field: its list (sectors, offers, needs) or its one value."""
    if field in LIST_FIELDS:
        return tuple(getattr(org, field))
    value = member_value(org, field)
    return () if value is None else (value,)
