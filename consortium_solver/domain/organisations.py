"""Organisations and pools, validated and normalised once, on the way in.

All models are pydantic v2, frozen, and refuse unknown fields. Country codes are upper-cased with
Eurostat's EL/UK mapped to GR/GB; NUTS-2 codes are upper-cased and must lie in the stated country; a
missing ``region_category`` is derived from the NUTS-2 code (README, "Pools").
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from enum import StrEnum
from functools import cached_property
from typing import Annotated, Any, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from consortium_solver import reference
from consortium_solver.core.errors import InputError


class RegionCategory(StrEnum):
    """Cohesion-policy category of a region, 2014-2020 (Commission Implementing Decision 2014/99/EU)."""

    LESS_DEVELOPED = "less_developed"
    """GDP per head below 75 % of the EU average."""
    TRANSITION = "transition"
    """GDP per head between 75 % and 90 % of the EU average."""
    MORE_DEVELOPED = "more_developed"
    """GDP per head above 90 % of the EU average."""
    UNCLASSIFIED = "unclassified"
    """No 2014-2020 category known: a region outside the EU of 2014-2020, or no NUTS-2 code."""


class OrganisationType(StrEnum):
    CLUSTER_ORGANISATION = "cluster_organisation"
    BUSINESS_NETWORK_ORGANISATION = "business_network_organisation"
    OTHER = "other"


class EccpStatus(StrEnum):
    """Registration on the European Cluster Collaboration Platform."""

    REGISTERED = "registered"
    APPLIED = "applied"
    NONE = "none"


class Maturity(StrEnum):
    """ESCA cluster-management label."""

    GOLD = "gold"
    SILVER = "silver"
    BRONZE = "bronze"
    NONE = "none"


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _no_controls(text: str) -> str:
    """Refuse control characters (NUL, ESC, ...): invisible in a sheet, they can rewrite a terminal
    or break the XML of a workbook. Tabs and line breaks are allowed."""
    found = _CONTROL.search(text)
    if found:
        raise ValueError(f"a control character (U+{ord(found.group()):04X}) in the text: remove it")
    return text


Text = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1), AfterValidator(_no_controls)
]
Tag = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, pattern=r"^[^;]+$"),
    AfterValidator(_no_controls),
]

FROZEN = ConfigDict(frozen=True, extra="forbid")


# The readings of a country, a NUTS-2 code and sectors that every kind of participant shares
# (organisations of a pool, ClusterXchange participants): field validators call them.


def known_country(value: Any) -> Any:
    """An ISO 3166-1 alpha-2 code (Eurostat's EL and UK mapped to GR and GB), or a ValueError."""
    if not isinstance(value, str):
        return value  # the str type check reports it
    code = reference.normalise_country(value)
    if code not in reference.countries():
        raise ValueError(f"unknown country code {value!r} (expected ISO 3166-1 alpha-2)")
    return code


def known_region(value: Any, country: str | None) -> Any:
    """A NUTS-2 code (any version) lying in ``country``, None for an empty cell, or a ValueError."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str):
        return value
    code = value.strip().upper()
    region = reference.regions().get(code)
    if region is None:
        raise ValueError(f"unknown NUTS-2 code {value!r} (versions 2013, 2016, 2021, 2024)")
    if country is not None and region.country != country:
        raise ValueError(
            f"NUTS-2 region {code} ({region.name}) lies in {region.country}, not in {country}"
        )
    return code


def known_sectors(value: tuple[str, ...]) -> tuple[str, ...]:
    """Sector ids of the packaged taxonomy, each once, or a ValueError naming the first unknown."""
    known = reference.sectors()
    for sector in value:
        if sector not in known:
            sample = ", ".join(list(known)[:4])
            raise ValueError(
                f"unknown sector {sector!r} (use ids of the 14 EU industrial ecosystems,"
                f" e.g. {sample}; `consortium sectors` lists them)"
            )
    return tuple(dict.fromkeys(value))  # duplicates carry no meaning


def category_of(nuts2: str | None) -> RegionCategory:
    """The 2014-2020 category of a NUTS-2 region; unclassified without one."""
    region = reference.regions().get(nuts2) if nuts2 else None
    if region is None or region.category is None:
        return RegionCategory.UNCLASSIFIED
    return RegionCategory(region.category)


class Located(BaseModel):
    """A country, a NUTS-2 region in it and sectors, read the same way for an organisation of a
    pool and a ClusterXchange participant (each declares the fields; these check them)."""

    @field_validator("country", mode="before", check_fields=False)
    @classmethod
    def _known_country(cls, value: Any) -> Any:
        return known_country(value)

    @field_validator("nuts2", mode="before", check_fields=False)
    @classmethod
    def _known_region(cls, value: Any, info: ValidationInfo) -> Any:
        return known_region(value, info.data.get("country"))

    @field_validator("sectors", mode="after", check_fields=False)
    @classmethod
    def _known_sectors(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return known_sectors(value)


class Organisation(Located):
    """One organisation of a pool (a cluster organisation, a business network, ...)."""

    model_config = FROZEN

    id: Text
    name: Text
    country: Annotated[str, Field(description="ISO 3166-1 alpha-2; EL and UK accepted; XK Kosovo")]
    nuts2: str | None = Field(
        default=None, description="NUTS-2 code of version 2013, 2016, 2021 or 2024"
    )
    region_category: RegionCategory = Field(
        default=None,
        validate_default=True,
        description="derived from nuts2 when absent; an explicit value wins",
    )
    organisation_type: OrganisationType
    eccp_status: EccpStatus
    sectors: tuple[Tag, ...] = Field(min_length=1, description="ids of the sector taxonomy")
    offers: tuple[Tag, ...] = ()
    needs: tuple[Tag, ...] = ()
    maturity: Maturity = Maturity.NONE
    region_category_2021: RegionCategory | None = Field(
        default=None,
        description="the 2021-2027 category of its region (Decision (EU) 2021/1130), as stated by"
        ' the pool: the package has no table of it (README, "Call models")',
    )
    controlled_by: Text | None = Field(
        default=None,
        description="the entity that controls it (more than 50 % of the capital or the votes, or"
        " the power to decide): an id or name of the pool, or a name outside it; organisations"
        " under the same control are not independent of each other",
    )
    non_profit: bool | None = Field(default=None, description="a non-profit organisation")
    public_body: bool | None = Field(
        default=None, description="a public body or a body governed by public law"
    )
    sme: bool | None = Field(default=None, description="a small or medium-sized enterprise")
    rounds: tuple[Annotated[int, Field(ge=1, le=1000)], ...] | None = Field(
        default=None,
        description="the rounds of an event the organisation attends, numbered from 1; absent:"
        " every round",
    )
    details: dict[
        Annotated[str, AfterValidator(_no_controls)], Annotated[str, AfterValidator(_no_controls)]
    ] = Field(
        default_factory=dict,
        description="the sheet's other columns (contact, e-mail, notes), header -> text; carried to"
        " every output, never read by a rule",
    )

    @field_validator("region_category", mode="before")
    @classmethod
    def _derive_category(cls, value: Any, info: ValidationInfo) -> Any:
        if value is not None and value != "":
            return value
        return category_of(info.data.get("nuts2"))

    @field_validator("rounds", mode="after")
    @classmethod
    def _rounds_once(cls, value: tuple[int, ...] | None) -> tuple[int, ...] | None:
        return None if value is None else tuple(sorted(set(value)))

    def attends(self, round_number: int) -> bool:
        """Whether the organisation attends round ``round_number`` (from 1) of an event."""
        return self.rounds is None or round_number in self.rounds

    @field_validator("offers", "needs", mode="after")
    @classmethod
    def _dedupe(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(value))

    @property
    def outermost(self) -> bool:
        """Whether its NUTS-2 region is an outermost region of the Union (TFEU art. 349)."""
        return self.nuts2 is not None and self.nuts2 in reference.outermost_regions()

    @property
    def control(self) -> str:
        """Who controls it: its controller, or itself (a pool resolves chains and spellings, so
        organisations under the same control share this key)."""
        return self.controlled_by or self.id

    @property
    def region_name(self) -> str | None:
        """Name of the NUTS-2 region, where the organisation states one."""
        region = reference.regions().get(self.nuts2) if self.nuts2 else None
        return region.name if region else None


def fold_name(text: str) -> str:
    """An id or a name compared without case or repeated spaces."""
    return " ".join(text.casefold().split())


def resolve_control(organisations: tuple[Organisation, ...]) -> tuple[Organisation, ...]:
    """The organisations with each ``controlled_by`` followed through the pool to the controller
    at the top (an id or a name of the pool stands for that organisation, compared without case or
    repeated spaces; a chain that loops ends at the loop's smallest id; an outside controller is
    spelt as it first appears). Organisations under the same control then share
    :attr:`Organisation.control`."""
    exact = {org.id: org for org in organisations}
    keys: dict[str, Organisation] = {}
    for org in organisations:
        keys.setdefault(fold_name(org.id), org)
    for org in organisations:
        keys.setdefault(fold_name(org.name), org)
    top: dict[str, str] = {}
    outside: dict[str, str] = {}  # a controller outside the pool: its first spelling

    def root(org: Organisation) -> str:
        seen: list[str] = []
        current: Organisation | None = org
        while current is not None and current.id not in top:
            if current.id in seen:  # a loop: its smallest id stands for all of it
                return min(seen[seen.index(current.id) :])
            seen.append(current.id)
            if current.controlled_by is None:
                return current.id
            said = current.controlled_by
            parent = exact.get(said) or keys.get(fold_name(said))
            if parent is None:
                return outside.setdefault(fold_name(said), said)
            current = parent
        return top[current.id] if current is not None else org.id

    out = []
    for org in organisations:
        key = root(org)
        top[org.id] = key
        wanted = None if key == org.id else key
        out.append(
            org if wanted == org.controlled_by else org.model_copy(update={"controlled_by": wanted})
        )
    return tuple(out)


class Indexed(BaseModel):
    """A model with cached indexes of its own data (``functools.cached_property``, e.g. ``by_id``):
    a copy made by ``model_copy`` forgets the original's and builds its own (pydantic copies the
    instance dict, cached values included, so a copy with new members would answer with the old)."""

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Self:
        copy = super().model_copy(update=update, deep=deep)
        for klass in type(self).__mro__:
            for name, attribute in vars(klass).items():
                if isinstance(attribute, cached_property):
                    copy.__dict__.pop(name, None)
        return copy


class Table(BaseModel):
    """A table of an event (a group's place): its name, its seats, and the rounds it is laid
    (numbered from 1; None: every round)."""

    model_config = FROZEN

    name: Text
    capacity: int = Field(ge=1, le=1000, description="seats at the table")
    rounds: tuple[Annotated[int, Field(ge=1, le=1000)], ...] | None = Field(
        default=None, description="the rounds the table is laid, from 1; absent: every round"
    )

    def laid(self, round_number: int) -> bool:
        """Whether the table is there in round ``round_number`` (from 1)."""
        return self.rounds is None or round_number in self.rounds


class Pool(Indexed):
    """A named set of organisations with unique ids; for an event, the tables of the room (from
    the sheet's *Tables* worksheet), when it lists them."""

    model_config = FROZEN

    name: Text
    description: Annotated[str, AfterValidator(_no_controls)] | None = None
    organisations: tuple[Organisation, ...] = Field(min_length=1)
    tables: tuple[Table, ...] = Field(
        default=(), exclude_if=lambda tables: not tables, description="the event's tables"
    )

    @model_validator(mode="after")
    def _unique_tables(self) -> Pool:
        names = [t.name.casefold() for t in self.tables]
        twice = sorted({t.name for t in self.tables if names.count(t.name.casefold()) > 1})
        if twice:
            raise ValueError(f"two tables have the name {twice[0]!r}")
        return self

    @model_validator(mode="after")
    def _resolve_control(self) -> Pool:
        if any(org.controlled_by for org in self.organisations):
            # Frozen: the resolved organisations replace the stated ones once, on the way in.
            object.__setattr__(self, "organisations", resolve_control(self.organisations))
        return self

    @model_validator(mode="after")
    def _unique_ids(self) -> Pool:
        first: dict[str, int] = {}
        for i, org in enumerate(self.organisations):
            if org.id in first:
                raise ValueError(
                    f"duplicate id {org.id!r} at organisations[{i}]"
                    f" (first at organisations[{first[org.id]}])"
                )
            first[org.id] = i
        return self

    @cached_property
    def by_id(self) -> dict[str, Organisation]:
        """Organisations keyed by id."""
        return {org.id: org for org in self.organisations}

    def require(self, org_id: str, field: str) -> Organisation:
        """The organisation with this id, or an input error naming the option that gave it."""
        if org_id not in self.by_id:
            raise InputError(self.unknown_id_message(org_id), field=field, value=org_id)
        return self.by_id[org_id]

    def unknown_id_message(self, org_id: str) -> str:
        """Words for an id (or name) the pool lacks, with the closest id or name when one is
        close."""
        close = difflib.get_close_matches(org_id, list(self.by_id), n=1, cutoff=0.75)
        if not close:
            names = {o.name.casefold(): o.name for o in self.organisations}
            near = difflib.get_close_matches(org_id.casefold(), list(names), n=1, cutoff=0.75)
            close = [names[n] for n in near]
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        return f"no organisation with the id or name {org_id!r} in pool {self.name!r}{hint}"

    def id_of(self, text: str) -> str:
        """The id an organiser's word stands for: an id, else a name (compared without case or
        repeated spaces); the text itself when neither (for :meth:`unknown_id_message`)."""
        if text in self.by_id:
            return text
        key = " ".join(text.casefold().split())
        for org in self.organisations:
            if " ".join(org.name.casefold().split()) == key:
                return org.id
        return text

    def __len__(self) -> int:
        return len(self.organisations)
