"""The rule vocabulary of call models: one pydantic model per rule kind, and the :data:`Rule` union.

A call model lists rules, each a table with a ``kind`` and a stable ``id``:

- ``member_in``: every member's ``field`` is one of ``values`` (a list, or a packaged list such as
  ``"@cosme-2018"``);
- ``size``: the consortium has between ``min`` and ``max`` members (``max`` optional);
- ``min_distinct``: the members show at least ``min`` distinct values of ``field``;
- ``min_count``: at least ``min`` members have ``field`` in ``values``;
- ``max_per_value``: no value of ``field`` is shared by more than ``max`` members;
- ``include`` / ``exclude``: the listed organisations are (not) members — a user's ``--lead``,
  ``--include`` and ``--exclude``, never written in a call model.

Rule ids travel into verdicts, solver assumptions and conflict explanations, so a user can find
everything about a rule by its id. Every layer that acts on rules implements
:class:`RuleHandlers`, one method per kind, so that strict mypy names each place a new kind must be
handled (docs/architecture.md, "Adding a rule kind").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Annotated, Any, Literal, ParamSpec, Protocol, TypeVar, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from consortium_solver import reference
from consortium_solver.core.errors import InputError, InternalError
from consortium_solver.domain import (
    FIELD_PLURALS,
    FIELD_WORDS,
    DistinctField,
    EccpStatus,
    Maturity,
    Organisation,
    OrganisationType,
    RegionCategory,
    ScalarField,
    member_value,
)

RULE_ID = r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$"

# The largest count a rule may name (members, distinct values, members per value): larger than
# any pool the tool plans for, and far inside the solver's 64-bit integers (a model asking for
# 2^70 members was once passed straight to CP-SAT).
MAX_COUNT = 1_000_000

# Packaged value lists a call model may name with '@'.
NAMED_LISTS: dict[str, tuple[str, str]] = {
    "@cosme-2018": ("country", "one of the COSME participating countries of 2018"),
    "@eu28": ("country", "one of the 28 EU member states of 2018"),
}

_ENUMS: dict[str, type[Any]] = {
    "region_category": RegionCategory,
    "organisation_type": OrganisationType,
    "eccp_status": EccpStatus,
    "maturity": Maturity,
}


def named_list(name: str) -> tuple[str, ...]:
    """The values of a packaged list such as ``@cosme-2018``."""
    if name == "@cosme-2018":
        return tuple(reference.cosme_countries_2018())
    if name == "@eu28":
        return tuple(sorted(reference.eu28_countries()))
    known = ", ".join(NAMED_LISTS)
    raise ValueError(f"unknown list {name!r} (known: {known})")


def _normalise_value(field: str, raw: str) -> str:
    """One value of a field, as the pool stores it; a ValueError names an unknown one."""
    if field == "country":
        code = reference.normalise_country(raw)
        if code not in reference.countries():
            raise ValueError(f"unknown country code {raw!r}")
        return code
    if field == "nuts2":
        code = raw.strip().upper()
        if code not in reference.regions():
            raise ValueError(f"unknown NUTS-2 code {raw!r}")
        return code
    if field in _ENUMS:
        allowed = [e.value for e in _ENUMS[field]]
        if raw not in allowed:
            raise ValueError(f"{raw!r} is not a {FIELD_WORDS[field]} (one of {allowed})")
        return raw
    if raw not in reference.sectors():
        raise ValueError(f"unknown sector {raw!r}")
    return raw


class _Rule(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: Annotated[str, Field(pattern=RULE_ID, description="stable id, e.g. 'min-3-countries'")]
    text: str | None = Field(default=None, description="the rule in words; generated when absent")
    source: str | None = Field(default=None, description="where the rule comes from (call text)")

    def describe(self) -> str:
        """The rule as a sentence."""
        return self.text or self._generated_text()

    def _generated_text(self) -> str:  # pragma: no cover - every rule kind overrides it
        raise NotImplementedError


class _FieldValues(_Rule):
    """A rule that compares a scalar field with a list of values."""

    field: ScalarField
    values: tuple[str, ...] = Field(min_length=1)
    values_name: str | None = Field(default=None, description="set when values name a list")

    @model_validator(mode="before")
    @classmethod
    def _expand_named_list(cls, data: Any) -> Any:
        if isinstance(data, Mapping) and isinstance(data.get("values"), str):
            name = data["values"]
            if not name.startswith("@"):
                raise ValueError("values must be a list or a packaged list name like '@cosme-2018'")
            data = {**data, "values": named_list(name), "values_name": name}
        return data

    @field_validator("values", mode="after")
    @classmethod
    def _check_values(cls, values: tuple[str, ...], info: ValidationInfo) -> tuple[str, ...]:
        field = info.data.get("field")
        if field is None:
            return values
        return tuple(dict.fromkeys(_normalise_value(field, raw) for raw in values))

    def values_text(self) -> str:
        if self.values_name:
            return NAMED_LISTS.get(self.values_name, (self.field, self.values_name))[1]
        return " or ".join(self.values)

    def matches(self, org: Organisation) -> bool:
        """Whether the organisation's field is one of the values."""
        return member_value(org, self.field) in self.values


class MemberIn(_FieldValues):
    """Every member's field is one of the values (an eligibility filter on members)."""

    kind: Literal["member_in"] = "member_in"

    def _generated_text(self) -> str:
        return f"every member's {FIELD_WORDS[self.field]} is {self.values_text()}"


class Size(_Rule):
    """The consortium has at least ``min`` and at most ``max`` members."""

    kind: Literal["size"] = "size"
    min: int = Field(default=1, ge=1, le=MAX_COUNT)
    max: int | None = Field(default=None, ge=1, le=MAX_COUNT)

    @model_validator(mode="after")
    def _ordered(self) -> Size:
        if self.max is not None and self.min > self.max:
            raise ValueError(f"min ({self.min}) is larger than max ({self.max})")
        return self

    def _generated_text(self) -> str:
        if self.max is None:
            return f"at least {self.min} members"
        if self.min == self.max:
            return f"exactly {self.min} members"
        return f"between {self.min} and {self.max} members"


def user_size(low: int, high: int) -> Size:
    """A user's size range (``--size A..B``) as a rule with an id of its own, ``user:size``, so
    that verdicts and explanations can name it."""
    return Size(id="user:size", min=low, max=high, text=f"between {low} and {high} members")


class MinDistinct(_Rule):
    """The members show at least ``min`` distinct values of ``field``."""

    kind: Literal["min_distinct"] = "min_distinct"
    field: DistinctField
    min: int = Field(ge=1, le=MAX_COUNT)

    def _generated_text(self) -> str:
        return f"at least {self.min} different {FIELD_PLURALS[self.field]} among the members"


class MinCount(_FieldValues):
    """At least ``min`` members have ``field`` in ``values``."""

    kind: Literal["min_count"] = "min_count"
    min: int = Field(ge=1, le=MAX_COUNT)

    def _generated_text(self) -> str:
        who = "member" if self.min == 1 else "members"
        return f"at least {self.min} {who} with {FIELD_WORDS[self.field]} {self.values_text()}"


class MaxPerValue(_Rule):
    """No value of ``field`` is shared by more than ``max`` members."""

    kind: Literal["max_per_value"] = "max_per_value"
    field: ScalarField
    max: int = Field(ge=1, le=MAX_COUNT)

    def _generated_text(self) -> str:
        return f"at most {self.max} members with the same {FIELD_WORDS[self.field]}"


class _Members(_Rule):
    """A rule about named organisations."""

    members: tuple[str, ...] = Field(min_length=1)


class Include(_Members):
    """The listed organisations are all members (a user's ``--include`` or ``--lead``)."""

    kind: Literal["include"] = "include"

    def _generated_text(self) -> str:
        return f"{', '.join(self.members)} must be in the consortium"


class Exclude(_Members):
    """None of the listed organisations is a member (a user's ``--exclude``)."""

    kind: Literal["exclude"] = "exclude"

    def _generated_text(self) -> str:
        return f"{', '.join(self.members)} must not be in the consortium"


# Every rule kind: the one list a new kind is added to (docs/architecture.md).
AnyRule = MemberIn | Size | MinDistinct | MinCount | MaxPerValue | Include | Exclude
# A rule as a call model holds it: validated by its ``kind``.
Rule = Annotated[AnyRule, Field(discriminator="kind")]

RULE_TYPES: tuple[type[AnyRule], ...] = get_args(AnyRule)
RULE_KINDS: tuple[str, ...] = tuple(t.model_fields["kind"].default for t in RULE_TYPES)

P = ParamSpec("P")
T = TypeVar("T", covariant=True)


class RuleHandlers(Protocol[P, T]):
    """One handler per rule kind, each a method named after its kind: what every layer acting on
    rules implements (the validator's ``Checks``, the encoder's ``Encoder``, the explanations'
    ``Explanations``, the grouping search's ``Compiler``). Calling the handlers with a rule runs
    the method of the rule's kind.

    A new kind is a new method here; strict mypy then refuses to instantiate every implementation
    that lacks it (an abstract attribute), and flags a method that takes another kind's rule.
    """

    def member_in(self, rule: MemberIn, /, *args: P.args, **kwargs: P.kwargs) -> T: ...
    def size(self, rule: Size, /, *args: P.args, **kwargs: P.kwargs) -> T: ...
    def min_distinct(self, rule: MinDistinct, /, *args: P.args, **kwargs: P.kwargs) -> T: ...
    def min_count(self, rule: MinCount, /, *args: P.args, **kwargs: P.kwargs) -> T: ...
    def max_per_value(self, rule: MaxPerValue, /, *args: P.args, **kwargs: P.kwargs) -> T: ...
    def include(self, rule: Include, /, *args: P.args, **kwargs: P.kwargs) -> T: ...
    def exclude(self, rule: Exclude, /, *args: P.args, **kwargs: P.kwargs) -> T: ...

    def __call__(self, rule: AnyRule, /, *args: P.args, **kwargs: P.kwargs) -> T:
        handler: Callable[..., T] = getattr(self, rule.kind)
        return handler(rule, *args, **kwargs)


HANDLED_KINDS = tuple(name for name in RuleHandlers.__dict__ if name in RULE_KINDS)
if HANDLED_KINDS != RULE_KINDS:  # pragma: no cover - a developer's slip
    raise InternalError("RuleHandlers must have one method per rule kind, in the order of AnyRule")


def parse_size(text: str, option: str = "size") -> tuple[int, int]:
    """A size range as people write it: '3..6' -> (3, 6); '4' -> (4, 4)."""
    low, sep, high = text.partition("..")
    try:
        bounds = (int(low), int(high if sep else low))
    except ValueError:
        raise InputError("expected A..B, e.g. 3..6", field=option, value=text) from None
    if bounds[0] < 1 or bounds[0] > bounds[1]:
        raise InputError("expected A..B with 1 <= A <= B", field=option, value=text)
    if bounds[1] > MAX_COUNT:
        raise InputError(f"sizes are at most {MAX_COUNT:,}", field=option, value=text)
    return bounds


def passes_filters(org: Organisation, rules: Iterable[AnyRule]) -> bool:
    """Whether an organisation meets every member filter (``member_in`` rule) among the rules."""
    return all(rule.matches(org) for rule in rules if isinstance(rule, MemberIn))
