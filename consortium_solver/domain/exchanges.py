"""ClusterXchange as data: participants (an organisation with its role in the scheme), the
partnerships that manage them and pay the lump sums, an exchange pool, and a plan of exchanges.

The scheme's facts (who may visit or host, durations, lump sums, distances) are summarised with their
sources in the scheme model, ``models/clusterxchange-2020.toml``; this module only holds the data.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from functools import cached_property
from typing import Annotated, Literal

from pydantic import BaseModel, Field, model_validator

from consortium_solver import reference
from consortium_solver.core.errors import InputError
from consortium_solver.domain.organisations import (
    FROZEN,
    Indexed,
    Located,
    RegionCategory,
    Tag,
    Text,
    category_of,
)

ExchangeStatus = Literal["proposed", "confirmed", "done", "cancelled"]
# How a participant takes part: on site only (the scheme's stays), virtually only, or either.
Mode = Literal["on site", "virtual", "either"]


def virtual_pair(visitor_mode: str, host_mode: str) -> bool | None:
    """Whether an exchange between the two is virtual (one of them takes part only virtually and
    the other accepts it), on site (False), or impossible (None: one on site only, the other
    virtually only)."""
    if "virtual" in (visitor_mode, host_mode):
        return None if "on site" in (visitor_mode, host_mode) else True
    return False


class Role(StrEnum):
    """What a participant does in the scheme."""

    VISITOR = "visitor"
    HOST = "host"
    BOTH = "both"


class ParticipantType(StrEnum):
    """Who may take part (ECCP, "How can I participate"; some partnerships admit the last three as
    hosts only)."""

    CLUSTER = "cluster_organisation"
    BUSINESS_NETWORK = "business_network_organisation"
    SCALING_UP = "scaling_up_support_organisation"
    SME = "sme"
    TRAINING = "training_provider"
    LARGE_COMPANY = "large_company"
    PUBLIC_AUTHORITY = "public_authority"

    @property
    def words(self) -> str:
        """The type as a person says it ("SME", "large company")."""
        return "SME" if self is ParticipantType.SME else self.value.replace("_", " ")


class Participant(Located):
    """An organisation registered for ClusterXchange, as visitor, host or both."""

    model_config = FROZEN

    id: Text
    name: Text
    country: str
    nuts2: str | None = None
    lat: Annotated[float, Field(ge=-90, le=90, allow_inf_nan=False)] | None = None
    lon: Annotated[float, Field(ge=-180, le=180, allow_inf_nan=False)] | None = None
    participant_type: ParticipantType
    role: Role
    partnership: Text = Field(description="id of the partnership that manages this participant")
    sectors: tuple[Tag, ...] = ()
    offers: tuple[Tag, ...] = Field(default=(), description="topics a host offers")
    seeks: tuple[Tag, ...] = Field(default=(), description="topics a visitor seeks")
    # Whole numbers, never true/false read as 1/0 (strict: a JSON `true` is refused).
    capacity: int = Field(
        default=1, ge=0, le=1_000, strict=True, description="visits a host can take in all"
    )
    working_days: int = Field(
        default=5, ge=1, le=60, strict=True, description="a visitor's stay, working days"
    )
    period: Text | None = Field(
        default=None,
        description="when a visitor travels: a label such as 2021-05 or a week; visits to one host"
        " in the same period are at the same time",
    )
    at_once: int | None = Field(
        default=None, ge=1, le=1_000, strict=True, description="visits a host can take at once"
    )
    travel_from: date | None = Field(
        default=None, description="a visitor's travel window: the first day it can be away"
    )
    travel_to: date | None = Field(
        default=None, description="a visitor's travel window: the last day it can be away"
    )
    unavailable: tuple[tuple[date, date], ...] = Field(
        default=(),
        exclude_if=lambda ranges: not ranges,
        description="a host's days without visitors: (first, last) ranges, both included",
    )
    mode: Mode = Field(
        default="on site",
        exclude_if=lambda mode: mode == "on site",
        description="how it takes part: on site (a stay abroad), virtual (only virtually), or"
        " either; an exchange is virtual when one side takes part only virtually and the other"
        " accepts it, and only where the scheme gives a virtual lump sum",
    )
    cluster_member: bool | None = Field(
        default=None,
        description="whether the organisation is a member of a cluster or business network taking"
        " part (an SME visits only as one; false: it may host, never visit); absent: not stated,"
        " taken as a member",
    )
    details: dict[Text, Text] = Field(
        default_factory=dict,
        exclude_if=lambda details: not details,
        description="the sheet's other columns (contact, e-mail, notes), header -> text; carried to"
        " the plan's outputs, never read by a rule",
    )

    @property
    def window(self) -> tuple[date, date] | None:
        """The travel window, when the visitor gives one."""
        if self.travel_from is None or self.travel_to is None:
            return None
        return self.travel_from, self.travel_to

    @model_validator(mode="after")
    def _dated(self) -> Participant:
        if (self.travel_from is None) != (self.travel_to is None):
            raise ValueError("give both travel_from and travel_to, or neither")
        if self.travel_from and self.travel_to and self.travel_to < self.travel_from:
            raise ValueError("travel_to is before travel_from")
        for a, b in self.unavailable:
            if b < a:
                raise ValueError(f"an unavailable range ends ({b}) before it starts ({a})")
        return self

    @model_validator(mode="after")
    def _located(self) -> Participant:
        if (self.lat is None) != (self.lon is None):
            raise ValueError("give both lat and lon, or neither")
        if self.lat is None and (self.nuts2 is None or self.nuts2 not in reference.region_points()):
            raise ValueError(
                "a participant needs lat and lon, or a NUTS-2 code of 2016, 2021 or 2024 (its"
                " region's point is used for distances)"
            )
        return self

    @property
    def point(self) -> tuple[float, float]:
        """Where the participant is (its own coordinates, else its NUTS-2 region's point)."""
        if self.lat is not None and self.lon is not None:
            return self.lat, self.lon
        assert self.nuts2 is not None
        return reference.region_points()[self.nuts2]

    @property
    def region_category(self) -> RegionCategory:
        return category_of(self.nuts2)

    @property
    def visits(self) -> bool:
        return self.role in (Role.VISITOR, Role.BOTH)

    @property
    def hosts(self) -> bool:
        return self.role in (Role.HOST, Role.BOTH)


class Partnership(BaseModel):
    """A European Strategic Cluster Partnership running the scheme: it pays its visitors' lump sums
    from its budget (none: no limit)."""

    model_config = FROZEN

    id: Text
    name: Text
    budget: Annotated[float, Field(ge=0, le=1e9, allow_inf_nan=False)] | None = None
    admits: tuple[ParticipantType, ...] | None = Field(
        default=None,
        description="the host-only types (training provider, large company, public authority) this"
        " partnership admits as hosts among its participants; absent: every type the scheme admits",
    )


class ExchangePool(Indexed):
    """The participants of a programme and the partnerships that manage them."""

    model_config = FROZEN

    name: Text
    partnerships: tuple[Partnership, ...] = Field(min_length=1)
    participants: tuple[Participant, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> ExchangePool:
        ids = [p.id for p in self.partnerships]
        if len(set(ids)) != len(ids):
            raise ValueError("partnership ids must be unique")
        seen: set[str] = set()
        for k, participant in enumerate(self.participants):
            if participant.id in seen:
                raise ValueError(
                    f"duplicate participant id {participant.id!r} at participants[{k}]"
                )
            seen.add(participant.id)
            if participant.partnership not in ids:
                raise ValueError(
                    f"participants[{k}] ({participant.id!r}): unknown partnership"
                    f" {participant.partnership!r} (known: {', '.join(ids)})"
                )
        return self

    @cached_property
    def by_id(self) -> dict[str, Participant]:
        return {p.id: p for p in self.participants}

    @cached_property
    def partnership_by_id(self) -> dict[str, Partnership]:
        return {p.id: p for p in self.partnerships}

    def require(self, participant_id: str, option: str) -> Participant:
        found = self.by_id.get(participant_id)
        if found is None:
            raise InputError(
                f"no participant with this id in pool {self.name!r}",
                field=option,
                value=participant_id,
            )
        return found


class Exchange(BaseModel):
    """One stay of a visitor at a host, and what the scheme pays for it."""

    model_config = FROZEN

    visitor: str
    host: str
    working_days: int
    distance_km: float
    lump_sum: float
    partnership: str = Field(description="the visitor's partnership, which pays and counts it")
    value: float = 0.0
    start: date | None = Field(
        default=None,
        exclude_if=lambda day: day is None,
        description="the stay's first working day (when the visitor gave a travel window)",
    )
    end: date | None = Field(
        default=None, exclude_if=lambda day: day is None, description="the stay's last working day"
    )
    virtual: bool = Field(
        default=False,
        exclude_if=lambda virtual: not virtual,
        description="a virtual exchange (paid the scheme's virtual lump sum, whatever the distance)",
    )
    status: ExchangeStatus = Field(
        default="proposed",
        description="where the exchange stands: proposed (by the planner), confirmed (agreed by"
        " both), done, or cancelled; `exchange --keep plan.json` keeps the confirmed and done ones"
        " and proposes none of the cancelled again",
    )
