"""A funding call as data: its rules, the objective's weights, and the builder's default search range.

Score = Σ weight × term (README, "Score"); the weights live in a call model's ``[objective]`` table.
"""

from __future__ import annotations

import datetime
from functools import cached_property
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from consortium_solver import reference
from consortium_solver.domain import Term
from consortium_solver.rules.kinds import MAX_COUNT, AnyRule, Rule

# Objective weights are finite and at most this large in size: the solver scales them to integers,
# and NaN, infinity or 1e300 once made CP-SAT reject the model (and a grouping come out invalid).
MAX_WEIGHT = 1_000.0
Weight = Annotated[float, Field(ge=-MAX_WEIGHT, le=MAX_WEIGHT, allow_inf_nan=False)]


class Objective(BaseModel):
    """Weights of the objective terms, each between -1,000 and 1,000. Score = sum of weight x
    term."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    sector_links: Weight = 0.5
    needs_met: Weight = 1.0
    countries: Weight = 1.0
    development_mix: Weight = 1.0
    maturity_mix: Weight = 0.5
    size: Weight = -0.5

    @model_validator(mode="after")
    def _rewards_are_not_negative(self) -> Objective:
        # The terms other than size count good things (links, met needs, diversity); the encoder
        # relies on their weights being rewards, so a negative one is refused rather than mis-solved.
        for term in Term:
            if term is not Term.SIZE and self.weight(term) < 0:
                raise ValueError(
                    f"the weight of {term.value} must not be negative (only size may be a cost)"
                )
        return self

    def weight(self, term: Term) -> float:
        return float(getattr(self, term.value))


class Search(BaseModel):
    """Defaults for ``consortium build`` that the call itself does not set."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    min_size: int = Field(default=3, ge=1, le=MAX_COUNT)
    max_size: int = Field(default=6, ge=1, le=MAX_COUNT)

    @model_validator(mode="after")
    def _ordered(self) -> Search:
        if self.min_size > self.max_size:
            raise ValueError(
                f"min_size ({self.min_size}) is larger than max_size ({self.max_size})"
            )
        return self


class SectorLink(BaseModel):
    """The weight of one unordered sector pair in the ``sector_links`` term."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    a: str
    b: str
    weight: float = Field(ge=0.0, le=1.0)


class Call(BaseModel):
    """A funding call: who may take part, which consortia are eligible, and what makes one good."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: Annotated[str, Field(min_length=1)]
    title: str
    programme: str | None = None
    url: str | None = None
    description: str | None = None
    deadline: datetime.date | None = Field(
        default=None,
        description="the call's deadline: its dated country lists are read on this day unless"
        " --date says another (absent: today)",
    )
    rules: tuple[Rule, ...] = ()
    objective: Objective = Objective()
    search: Search = Search()
    sector_links: tuple[SectorLink, ...] | None = Field(
        default=None,
        description="link weights between sectors; absent means every pair weighs 1",
    )

    @field_validator("rules", mode="after")
    @classmethod
    def _unique_rule_ids(cls, rules: tuple[AnyRule, ...]) -> tuple[AnyRule, ...]:
        seen: set[str] = set()
        for rule in rules:
            if rule.id in seen:
                raise ValueError(f"duplicate rule id {rule.id!r}")
            seen.add(rule.id)
        return rules

    @field_validator("sector_links", mode="after")
    @classmethod
    def _known_sectors(cls, links: tuple[SectorLink, ...] | None) -> tuple[SectorLink, ...] | None:
        if links is None:
            return None
        known = reference.sectors()
        for link in links:
            for sector in (link.a, link.b):
                if sector not in known:
                    raise ValueError(f"unknown sector {sector!r} in sector_links")
        return links

    def link_weights(self) -> dict[frozenset[str], float]:
        """Weight of each unordered pair of distinct sectors; pairs absent here weigh 0 (a new
        dict; the call's own is built once, as judging 20,000 groups asks for it 20,000 times)."""
        return dict(self._links)

    @cached_property
    def _links(self) -> dict[frozenset[str], float]:
        ids = sorted(reference.sectors())
        if self.sector_links is None:
            return {frozenset((s, t)): 1.0 for i, s in enumerate(ids) for t in ids[i + 1 :]}
        return {
            frozenset((link.a, link.b)): link.weight
            for link in self.sector_links
            if link.a != link.b
        }

    def rule(self, rule_id: str) -> AnyRule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)


def no_call() -> Call:
    """``--call none``: no rules, the default objective (pure grouping)."""
    return Call(id="none", title="no call: pure grouping", objective=Objective())
