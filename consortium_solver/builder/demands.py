"""What the user asks of a consortium beyond the call, as rules with ids of their own."""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field, field_validator

from consortium_solver.core.options import OptionError
from consortium_solver.domain import Organisation, Pool
from consortium_solver.rules import (
    AnyRule,
    Call,
    Coordinator,
    Exclude,
    Include,
    MemberIn,
    passes_filters,
    user_size,
)


class Demands(BaseModel):
    """What the user asks for beyond the call: a lead, members in or out, a size range."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    lead: str | None = Field(default=None, description="the lead partner's id")
    include: tuple[str, ...] = Field(default=(), description="ids that must be members")
    exclude: tuple[str, ...] = Field(default=(), description="ids that must not be members")
    size: tuple[int, int] | None = Field(
        default=None, description="members, A..B (default: the call model's search range)"
    )

    @field_validator("size")
    @classmethod
    def _sizes(cls, size: tuple[int, int] | None) -> tuple[int, int] | None:
        if size is not None and not 1 <= size[0] <= size[1]:
            raise ValueError(f"expected A..B with 1 <= A <= B, not {size[0]}..{size[1]}")
        return size

    def size_range(self, call: Call) -> tuple[int, int]:
        """The user's size range, or the call model's default search range."""
        return self.size or (call.search.min_size, call.search.max_size)

    def rules(self, call: Call) -> list[AnyRule]:
        """The demands as rules with ids (``user:lead:<id>``, ``user:include:<id>``, …).

        The size range is always a rule (``user:size``): the user's size range or the call model's
        default search range, so that an explanation can name it.
        """
        low, high = self.size_range(call)
        out: list[AnyRule] = [user_size(low, high)]
        taken: set[str] = set()
        if self.lead is not None:
            lead_id = _rule_id("user:lead", self.lead, taken)
            out.append(Include(id=lead_id, members=(self.lead,), text=f"{self.lead} leads"))
            # The lead is the coordinator: it meets the call's conditions on the coordinator.
            conditions = [c for r in call.rules if isinstance(r, Coordinator) for c in r.conditions]
            if conditions:
                out.append(
                    Coordinator(
                        id=_rule_id("user:lead-coordinates", self.lead, taken),
                        conditions=tuple(conditions),
                        who=self.lead,
                    )
                )
        for org_id in self.include:
            if org_id != self.lead:
                rule_id = _rule_id("user:include", org_id, taken)
                out.append(Include(id=rule_id, members=(org_id,)))
        for org_id in self.exclude:
            rule_id = _rule_id("user:exclude", org_id, taken)
            out.append(Exclude(id=rule_id, members=(org_id,)))
        return out

    def required(self) -> list[str]:
        """Ids that must be members: the lead, then the included ones."""
        lead = [self.lead] if self.lead is not None else []
        return [*lead, *(i for i in self.include if i != self.lead)]

    def check_ids(self, pool: Pool) -> None:
        """Every id the pool lacks, as one error naming the fields."""
        problems = [
            (name, org_id, pool.unknown_id_message(org_id))
            for name, ids in (
                ("lead", (self.lead,) if self.lead else ()),
                ("include", self.include),
                ("exclude", self.exclude),
            )
            for org_id in ids
            if org_id not in pool.by_id
        ]
        if problems:
            raise OptionError(problems)


def consortium_rules(call: Call, demands: Demands) -> list[AnyRule]:
    """The call's and the user's rules on a consortium as a whole; member filters and exclusions
    are applied by filtering the candidates instead (:func:`eligible_candidates`)."""
    return [
        r for r in (*call.rules, *demands.rules(call)) if not isinstance(r, (MemberIn, Exclude))
    ]


def eligible_candidates(pool: Pool, call: Call, demands: Demands) -> list[Organisation]:
    """Organisations passing every member filter of the call and not excluded by the user."""
    excluded = set(demands.exclude)
    return [
        org
        for org in pool.organisations
        if org.id not in excluded and passes_filters(org, call.rules)
    ]


def _rule_id(prefix: str, org_id: str, taken: set[str]) -> str:
    """``prefix:<id>`` as a rule id: characters a rule id cannot hold (an organisation id may have
    spaces) become ``_``, and a clash gets ``.2``, ``.3``; the rule's text keeps the id as it is."""
    base = f"{prefix}:{re.sub(r'[^A-Za-z0-9_.:-]', '_', org_id)}"
    rule_id, k = base, 1
    while rule_id in taken:
        k += 1
        rule_id = f"{base}.{k}"
    taken.add(rule_id)
    return rule_id
