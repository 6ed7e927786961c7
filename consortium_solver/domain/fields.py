"""The organisation fields that rules and terms read, in one place: their names in words, and how a
field's values are read off an organisation."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from consortium_solver.domain.organisations import Organisation, RegionCategory

# Fields with one value per organisation: what ``member_in``, ``min_count`` and ``max_per_value`` read.
ScalarField = Literal[
    "country",
    "nuts2",
    "region_category",
    "region_category_2021",
    "outermost",
    "organisation_type",
    "eccp_status",
    "maturity",
    "non_profit",
    "public_body",
    "sme",
]
# Fields whose distinct values ``min_distinct`` counts: the scalar ones and the sectors.
DistinctField = Literal[ScalarField, "sectors"]

# Yes-or-no fields: a rule names their values "yes" and "no" (an unstated one matches neither).
FLAG_FIELDS = frozenset({"outermost", "non_profit", "public_body", "sme"})

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
    "region_category_2021": "region category 2021-2027",
    "outermost": "outermost region",
    "non_profit": "non-profit",
    "public_body": "public body",
    "sme": "SME",
    "sectors": "sector",
}

FIELD_PLURALS: dict[str, str] = {
    "country": "countries",
    "nuts2": "NUTS-2 regions",
    "region_category": "region categories",
    "organisation_type": "organisation types",
    "eccp_status": "ECCP statuses",
    "maturity": "maturity labels",
    "region_category_2021": "region categories 2021-2027",
    "outermost": "outermost-region answers",
    "non_profit": "non-profit answers",
    "public_body": "public-body answers",
    "sme": "SME answers",
    "sectors": "sectors",
}


def member_value(org: Organisation, field: str) -> str | None:
    """The value of a scalar field of an organisation, as a plain string (None if absent)."""
    value = getattr(org, field)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return None if value is None else str(value)


def org_values(org: Organisation, field: str) -> tuple[str, ...]:
    """An organisation's values of a field: its list (sectors, offers, needs) or its one value."""
    if field in LIST_FIELDS:
        return tuple(getattr(org, field))
    value = member_value(org, field)
    return () if value is None else (value,)


# Fields an organiser may balance or bound by name, besides the sheet's own columns.
BALANCE_FIELDS = ("country", "region_category", "organisation_type", "maturity", "eccp_status")


def column_of(columns: dict[str, str], name: str) -> str | None:
    """The column ``name`` stands for among ``columns`` (folded name → column), or a field of
    :data:`BALANCE_FIELDS` by its name or its words ("region category"); None if neither."""
    key = _folded(name)
    if key in columns:
        return columns[key]
    for field in BALANCE_FIELDS:
        if key in (_folded(field), _folded(FIELD_WORDS[field])):
            return field
    return None


def sheet_columns(organisations: Iterable[Organisation]) -> dict[str, str]:
    """The sheet's own columns (kept in the organisations' details): folded name → name, for
    :func:`column_of`."""
    return {_folded(k): k for o in organisations for k in o.details}


def fold_cell(text: str) -> str:
    """A cell's value compared without case or repeated spaces ("Buyer " = "buyer")."""
    return " ".join(text.casefold().split())


def numeric_cells(cells: Iterable[str | None]) -> bool:
    """Whether a column is numeric: every filled cell a number, two different ones at least (else
    its values are categories)."""
    numbers = [number_of(c) for c in cells if c is not None]
    return bool(numbers) and None not in numbers and len(set(numbers)) >= 2


def cell_of(org: Organisation, column: str) -> str | None:
    """An organisation's value in a column of the sheet (kept in its details) or a field of
    :data:`BALANCE_FIELDS`, stripped; None when blank."""
    if column in BALANCE_FIELDS and column not in org.details:
        value = member_value(org, column)
    else:
        value = org.details.get(column)
    value = None if value is None else value.strip()
    return value or None


def number_of(text: str) -> float | None:
    """A cell as a number: "8", "8.5", "8,5", "1 200" (None when it is not one)."""
    plain = text.replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    if "," in plain and "." not in plain:
        plain = plain.replace(",", ".")
    try:
        number = float(plain)
    except ValueError:
        return None
    return number if number == number and abs(number) != float("inf") else None


def _folded(text: str) -> str:
    """Compared without case, spaces, dashes or underscores."""
    return "".join(c for c in text.casefold() if c.isalnum())


class Balance(BaseModel):
    """One column to balance across the groups (``--balance``). Without ``value``: categorical
    columns spread each value evenly (every group within one of its ideal count: its size times
    the value's share among that round's attendees), numeric columns give every group about the
    same mean; ``weight`` scales it against the call's score. With ``value``: every group holds
    ``low``..``high`` members with that value (a hard rule)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    column: str = Field(min_length=1, max_length=200, description="a column of the sheet")
    weight: float = Field(default=1.0, gt=0, le=1000, allow_inf_nan=False)
    value: str | None = Field(default=None, min_length=1, max_length=200)
    low: int = Field(default=0, ge=0, le=1000)
    high: int | None = Field(default=None, ge=0, le=1000)

    @model_validator(mode="after")
    def _bounds(self) -> Balance:
        if self.high is not None and self.high < self.low:
            raise ValueError(f"expected MIN..MAX with MIN <= MAX, not {self.low}..{self.high}")
        if self.value is None and (self.low or self.high is not None):
            raise ValueError("bounds need a value: COLUMN=VALUE:MIN..MAX")
        return self

    def text(self) -> str:
        """As written on the command line: ``Role``, ``Years:2``, ``Role=Buyer:1..2``."""
        if self.value is None:
            return self.column if self.weight == 1 else f"{self.column}:{self.weight:g}"
        high = "" if self.high is None else str(self.high)
        return f"{self.column}={self.value}:{self.low}..{high}"
