"""The rule vocabulary of call models: one pydantic model per rule kind, and the :data:`Rule` union.

A call model lists rules, each a table with a ``kind`` and a stable ``id``:

- ``member_in``: every member's ``field`` is one of ``values`` (a list, or a packaged list such as
  ``"@cosme-2018"``);
- ``size``: the consortium has between ``min`` and ``max`` members (``max`` optional);
- ``min_distinct``: the members show at least ``min`` distinct values of ``field`` (only values
  among ``values``, when given: "at least 2 countries from the EU");
- ``min_count``: at least ``min`` members have ``field`` in ``values`` (or meet one of ``or_else``);
- ``max_per_value``: no value of ``field`` is shared by more than ``max`` members;
- ``min_independent``: at least ``min`` members independent of each other (no two under the same
  control, ``controlled_by``), each with a different ``field`` (country by default), counting only
  members whose ``field`` is in ``values`` when given;
- ``coordinator``: a member meets every one of ``conditions`` (the one to coordinate);
- ``include`` / ``exclude``: the listed organisations are (not) members — a user's ``--lead``,
  ``--include`` and ``--exclude``, never written in a call model.

Rule ids travel into verdicts, solver assumptions and conflict explanations, so a user can find
everything about a rule by its id. Every layer that acts on rules implements
:class:`RuleHandlers`, one method per kind, so that strict mypy names each place a new kind must be
handled (docs/architecture.md, "Adding a rule kind").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from typing import Annotated, Any, Literal, ParamSpec, Protocol, TypeVar, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from consortium_solver import reference
from consortium_solver.core.errors import InputError, InternalError
from consortium_solver.domain import (
    FIELD_PLURALS,
    FIELD_WORDS,
    FLAG_FIELDS,
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

# Packaged value lists a call model may name with '@': name -> (field, words). The lists of today's
# programmes change with time (a country joins, an association starts): they are read on the
# call's date (``date`` in the model, ``--date``, else today).
NAMED_LISTS: dict[str, tuple[str, str]] = {
    "@cosme-2018": ("country", "one of the COSME participating countries of 2018"),
    "@eu28": ("country", "one of the 28 EU member states of 2018"),
    "@eu": ("country", "an EU member state"),
    "@horizon": ("country", "an EU member state or a country associated to Horizon Europe"),
    "@horizon-pillar-2": (
        "country",
        "an EU member state or a country associated to Horizon Europe or to its Pillar II",
    ),
    "@horizon-associated": ("country", "a country associated to Horizon Europe"),
    "@erasmus": ("country", "an EU member state or a third country associated to Erasmus+"),
    "@erasmus-associated": ("country", "a third country associated to Erasmus+"),
    "@interreg-europe": ("country", "a country of the Interreg Europe programme area"),
}
DATED_LISTS = frozenset(NAMED_LISTS) - {"@cosme-2018", "@eu28"}


def named_list(name: str, on: date | None = None) -> tuple[str, ...]:
    """The values of a packaged list such as ``@cosme-2018``; a dated list as it stands on ``on``
    (default: today)."""
    day = on or date.today()
    eu = reference.countries_on("eu", day)
    lists: dict[str, Callable[[], Iterable[str]]] = {
        "@cosme-2018": lambda: reference.cosme_countries_2018(),
        "@eu28": lambda: sorted(reference.eu28_countries()),
        "@eu": lambda: eu,
        "@horizon": lambda: (*eu, *reference.countries_on("horizon-associated", day)),
        "@horizon-pillar-2": lambda: (
            *eu,
            *reference.countries_on("horizon-associated", day, ("Pillar II",)),
        ),
        "@horizon-associated": lambda: reference.countries_on("horizon-associated", day),
        "@erasmus": lambda: (*eu, *reference.countries_on("erasmus-associated", day)),
        "@erasmus-associated": lambda: reference.countries_on("erasmus-associated", day),
        "@interreg-europe": lambda: (
            *eu,
            *reference.countries_on("interreg-europe-partner", day),
        ),
    }
    if name not in lists:
        known = ", ".join(NAMED_LISTS)
        raise ValueError(f"unknown list {name!r} (known: {known})")
    return tuple(sorted(set(lists[name]())))


def _list_day(info: ValidationInfo) -> date | None:
    """The day a model's dated lists are read on (the loader's context), None for today."""
    context = info.context if isinstance(info.context, Mapping) else {}
    day = context.get("on")
    return day if isinstance(day, date) else None


def _expanded(data: Any, info: ValidationInfo) -> Any:
    """A table whose ``values`` name packaged lists ("@eu", or ["@eu", "NO"]) with the lists'
    values, the names kept in ``values_name`` (and the day read, for dated lists)."""
    if not isinstance(data, Mapping) or "values" not in data:
        return data
    raw = data["values"]
    if isinstance(raw, str):
        if not raw.startswith("@"):
            raise ValueError("values must be a list or a packaged list name like '@cosme-2018'")
        raw = [raw]
    elif not isinstance(raw, (list, tuple)) or not any(
        isinstance(v, str) and v.startswith("@") for v in raw
    ):
        return data
    day = _list_day(info)
    values: list[str] = []
    for item in raw:
        if isinstance(item, str) and item.startswith("@"):
            values.extend(named_list(item, day))
        else:
            values.append(item)
    names = ", ".join(str(v) for v in raw)
    dated = any(isinstance(v, str) and v in DATED_LISTS for v in raw)
    extra = {"values_on": day or date.today()} if dated else {}
    return {**data, "values": values, "values_name": names, **extra}


def _list_words(spec: str, field: str, on: date | None) -> str:
    """A ``values_name`` ("@eu, NO") in words, with the day its dated lists were read on."""
    parts = [NAMED_LISTS.get(p, (field, p))[1] for p in spec.split(", ")]
    words = " or ".join(parts)
    return f"{words} (on {on.isoformat()})" if on is not None else words


_ENUMS: dict[str, type[Any]] = {
    "region_category": RegionCategory,
    "region_category_2021": RegionCategory,
    "organisation_type": OrganisationType,
    "eccp_status": EccpStatus,
    "maturity": Maturity,
}


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
    if field in FLAG_FIELDS:
        answer = {"yes": "yes", "true": "yes", "no": "no", "false": "no"}.get(raw.strip().lower())
        if answer is None:
            raise ValueError(f"{raw!r} is not a yes-or-no answer for {FIELD_WORDS[field]}")
        return answer
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


def _normalised(field: str | None, values: tuple[str, ...] | None) -> tuple[str, ...] | None:
    if field is None or values is None:
        return values
    return tuple(dict.fromkeys(_normalise_value(field, str(raw)) for raw in values))


class Test(BaseModel):
    """One test of an organisation: its ``field`` is one of ``values`` (a list, packaged lists
    such as ``"@eu"``, or both: ``["@eu", "NO"]``)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    field: ScalarField
    values: tuple[str, ...] = Field(min_length=1)
    values_name: str | None = Field(default=None, description="set when values name a list")
    values_on: date | None = Field(default=None, description="the day dated lists were read on")

    @model_validator(mode="before")
    @classmethod
    def _expand_named_list(cls, data: Any, info: ValidationInfo) -> Any:
        return _expanded(data, info)

    @field_validator("values", mode="after")
    @classmethod
    def _check_values(cls, values: tuple[str, ...], info: ValidationInfo) -> tuple[str, ...]:
        return _normalised(info.data.get("field"), values) or values

    def values_text(self) -> str:
        if self.values_name:
            return _list_words(self.values_name, self.field, self.values_on)
        if self.field in _ENUMS:
            return " or ".join(v.replace("_", " ") for v in self.values)
        return " or ".join(self.values)

    def test_text(self) -> str:
        """The test in words: "non-profit", "country an EU member state (on ...)"."""
        if self.field in FLAG_FIELDS and self.values == ("yes",):
            return f"{FIELD_WORDS[self.field]}"
        return f"{FIELD_WORDS[self.field]} {self.values_text()}"

    def matches(self, org: Organisation) -> bool:
        """Whether the organisation's field is one of the values."""
        return member_value(org, self.field) in self.values


class Condition(Test):
    """A test, or else one of ``or_else`` ("in a less developed or transition region, or in an
    outermost one")."""

    or_else: tuple[Test, ...] = Field(default=(), description="other tests, any of which will do")

    def test_text(self) -> str:
        return " or ".join(t.test_text() for t in (Test.model_validate(self.head()), *self.or_else))

    def head(self) -> dict[str, Any]:
        """The first test alone."""
        return self.model_dump(include={"field", "values", "values_name", "values_on"})

    def matches(self, org: Organisation) -> bool:
        return super().matches(org) or any(t.matches(org) for t in self.or_else)


class _FieldValues(_Rule, Condition):
    """A rule that compares a scalar field with a list of values (or else with other tests)."""


class MemberIn(_FieldValues):
    """Every member's field is one of the values (an eligibility filter on members)."""

    kind: Literal["member_in"] = "member_in"

    def _generated_text(self) -> str:
        if self.or_else:
            return f"every member is {self.test_text()}"
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


class _CountedValues(_Rule):
    """A rule that counts only members (or values) among ``values`` when given — a list, packaged
    lists or both, as for :class:`Test`. Subclasses declare ``field`` (declared here first, so
    that it is read before ``values``)."""

    field: str | None = None
    values: tuple[str, ...] | None = Field(
        default=None, min_length=1, description="only these values count"
    )
    values_name: str | None = None
    values_on: date | None = None

    @model_validator(mode="before")
    @classmethod
    def _expand_named_list(cls, data: Any, info: ValidationInfo) -> Any:
        return _expanded(data, info)

    @field_validator("values", mode="after")
    @classmethod
    def _check_values(
        cls, values: tuple[str, ...] | None, info: ValidationInfo
    ) -> tuple[str, ...] | None:
        field = info.data.get("field")
        if values is not None and field is None:
            raise ValueError("values need a field (country or nuts2)")
        return _normalised(field, values)

    def values_words(self) -> str:
        """The values in words ("an EU member state (on 2026-06-01)", "DE or FR")."""
        if self.values_name:
            return _list_words(self.values_name, self.field or "", self.values_on)
        return " or ".join(self.values or ())


class MinDistinct(_CountedValues):
    """The members show at least ``min`` distinct values of ``field`` (of ``values`` only, when
    given)."""

    kind: Literal["min_distinct"] = "min_distinct"
    field: DistinctField
    min: int = Field(ge=1, le=MAX_COUNT)

    def counts(self, value: str) -> bool:
        """Whether a value counts toward the rule."""
        return self.values is None or value in self.values

    def _generated_text(self) -> str:
        among = "" if self.values is None else f", counting only {self.values_words()}"
        return f"at least {self.min} different {FIELD_PLURALS[self.field]} among the members{among}"


class MinCount(_FieldValues):
    """At least ``min`` members have ``field`` in ``values``."""

    kind: Literal["min_count"] = "min_count"
    min: int = Field(ge=1, le=MAX_COUNT)

    def _generated_text(self) -> str:
        who = "member" if self.min == 1 else "members"
        if self.or_else:
            return f"at least {self.min} {who} with {self.test_text()}"
        return f"at least {self.min} {who} with {FIELD_WORDS[self.field]} {self.values_text()}"


class MaxPerValue(_Rule):
    """No value of ``field`` is shared by more than ``max`` members."""

    kind: Literal["max_per_value"] = "max_per_value"
    field: ScalarField
    max: int = Field(ge=1, le=MAX_COUNT)

    def _generated_text(self) -> str:
        return f"at most {self.max} members with the same {FIELD_WORDS[self.field]}"


class MinIndependent(_CountedValues):
    """At least ``min`` members independent of each other — no two under the same control
    (``controlled_by``) — each with a different ``field`` (None: any), counting only members whose
    ``field`` is one of ``values`` when given.

    Horizon Europe's "at least three independent legal entities, each established in a different
    Member State or Associated Country" (Regulation (EU) 2021/695, art. 22(2)) is
    ``min_independent`` with ``min = 3``, ``field = "country"``, ``values = "@horizon"``. Whether
    enough such members exist is a matching between controllers and countries (Kuhn's augmenting
    paths in the validator; one counted member per country and per controller in the encoder).
    """

    kind: Literal["min_independent"] = "min_independent"
    min: int = Field(ge=1, le=MAX_COUNT)
    field: Literal["country", "nuts2"] | None = "country"

    def counts(self, org: Organisation) -> bool:
        """Whether an organisation counts toward the rule (its field among the values)."""
        if self.field is None:
            return True
        value = member_value(org, self.field)
        return value is not None and (self.values is None or value in self.values)

    def slot(self, org: Organisation) -> str:
        """What two counted members must not share besides their controller: the field's value
        (or the organisation itself when the rule names no field)."""
        return org.id if self.field is None else str(member_value(org, self.field))

    def independent(self, orgs: Sequence[Organisation]) -> list[Organisation]:
        """As many counted organisations as can be chosen with no two under the same control and
        no two sharing the field's value: a maximum matching between values and controllers
        (Kuhn's augmenting paths; small sets), in the order of ``orgs``."""
        edges: dict[str, dict[str, Organisation]] = {}
        for org in orgs:
            if self.counts(org):
                edges.setdefault(self.slot(org), {}).setdefault(org.control, org)
        holder: dict[str, str] = {}  # controller -> the slot matched to it

        def augment(slot: str, seen: set[str]) -> bool:
            for control in edges[slot]:
                if control not in seen:
                    seen.add(control)
                    if control not in holder or augment(holder[control], seen):
                        holder[control] = slot
                        return True
            return False

        for slot in edges:
            augment(slot, set())
        chosen = {edges[slot][control].id for control, slot in holder.items()}
        return [org for org in orgs if org.id in chosen]

    def _generated_text(self) -> str:
        if self.field is None:
            return f"at least {self.min} members independent of each other"
        where = "" if self.values is None else f", each in {self.values_words()}"
        return (
            f"at least {self.min} members independent of each other in {self.min} different"
            f" {FIELD_PLURALS[self.field]}{where}"
        )


class Coordinator(_Rule):
    """A member meets every one of ``conditions``: the one to coordinate (a call's conditions on
    its coordinator or lead partner: region, legal status, country)."""

    kind: Literal["coordinator"] = "coordinator"
    conditions: tuple[Condition, ...] = Field(min_length=1)
    who: str | None = Field(
        default=None,
        description="the member who coordinates (a user's --lead); absent: any member may",
    )

    def matches(self, org: Organisation) -> bool:
        """Whether the organisation may coordinate (it is ``who``, when the rule names one)."""
        if self.who is not None and org.id != self.who:
            return False
        return all(c.matches(org) for c in self.conditions)

    def _generated_text(self) -> str:
        tests = "; ".join(c.test_text() for c in self.conditions)
        if self.who is not None:
            return f"{self.who} leads and meets the conditions on the coordinator: {tests}"
        return f"the coordinator is a member with: {tests}"


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
AnyRule = (
    MemberIn
    | Size
    | MinDistinct
    | MinCount
    | MaxPerValue
    | MinIndependent
    | Coordinator
    | Include
    | Exclude
)
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
    def min_independent(self, rule: MinIndependent, /, *args: P.args, **kwargs: P.kwargs) -> T: ...
    def coordinator(self, rule: Coordinator, /, *args: P.args, **kwargs: P.kwargs) -> T: ...
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
