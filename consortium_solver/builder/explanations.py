"""Explanations of infeasibility in words: the rules of a minimal conflict, with the facts behind them.

The conflicting rules come from the encoder (an unsat core over one assumption literal per rule id,
shrunk to a minimal set); the facts are read off the pool here, in plain Python, by ``Explanations``
(one method per rule kind): which organisations remain eligible under the conflicting filters, which
countries or regions they cover, and so on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from consortium_solver.core.errors import InternalError
from consortium_solver.domain import (
    FIELD_PLURALS,
    FIELD_WORDS,
    Conflict,
    Organisation,
    Pool,
    member_value,
    org_values,
)
from consortium_solver.rules import kinds, passes_filters


@dataclass(frozen=True)
class Facts:
    """What the pool offers under the conflicting rules: the organisations that remain eligible."""

    pool: Pool
    chosen: Sequence[kinds.AnyRule]
    eligible: Sequence[Organisation]
    qualifier: str  # "eligible " when a member filter is among the conflicting rules

    def values(self, field: str) -> list[str]:
        """The distinct values of a field among the eligible organisations."""
        return sorted({v for o in self.eligible for v in org_values(o, field)})


def explain(
    pool: Pool, rules: Sequence[kinds.AnyRule], conflict: Sequence[str] | None
) -> tuple[Conflict, ...]:
    """Say, for each rule of a minimal conflict, what it asks and what the pool offers.

    Raises:
        InternalError: the conflict is None although the solver found no consortium.
    """
    if conflict is None:
        raise InternalError("no consortium was found, yet the rules do not conflict")
    conflicting = set(conflict)
    chosen = [rule for rule in rules if rule.id in conflicting]
    excluded = {m for r in chosen if isinstance(r, kinds.Exclude) for m in r.members}
    eligible = [
        org for org in pool.organisations if org.id not in excluded and passes_filters(org, chosen)
    ]
    qualifier = "eligible " if any(isinstance(r, kinds.MemberIn) for r in chosen) else ""
    facts = Facts(pool, chosen, eligible, qualifier)
    return tuple(
        Conflict(rule=rule.id, why=f"{rule.describe()} — {facts_of(rule, facts)}")
        for rule in chosen
    )


class Explanations(kinds.RuleHandlers[[Facts], str]):
    """The facts behind each kind of rule of a conflict, in words."""

    def member_in(self, rule: kinds.MemberIn, facts: Facts) -> str:
        pool = facts.pool
        included = [m for r in facts.chosen if isinstance(r, kinds.Include) for m in r.members]
        failing = [
            f"{i} ({member_value(pool.by_id[i], rule.field)})"
            for i in included
            if not rule.matches(pool.by_id[i])
        ]
        if failing:
            return f"{_listing(failing)} is not {rule.values_text()}"
        passing = sum(rule.matches(o) for o in pool.organisations)
        return f"{passing} of {len(pool)} organisations in the pool qualify"

    def size(self, rule: kinds.Size, facts: Facts) -> str:
        n = len(facts.eligible)
        if n < rule.min:
            return f"only {n} {facts.qualifier}organisation{'s' if n != 1 else ''} in the pool"
        others = [r.describe() for r in facts.chosen if r is not rule and isinstance(r, kinds.Size)]
        if others:
            return f"while another rule asks for {' and '.join(others)}"
        return "too few members to meet the other rules"

    def min_distinct(self, rule: kinds.MinDistinct, facts: Facts) -> str:
        values = [v for v in facts.values(rule.field) if rule.counts(v)]
        plural = FIELD_PLURALS[rule.field] + (" that count" if rule.values is not None else "")
        return f"only {len(values)} {facts.qualifier}{plural} in the pool: {_listing(values) or 'none'}"

    def min_independent(self, rule: kinds.MinIndependent, facts: Facts) -> str:
        counted = [o for o in facts.eligible if rule.counts(o)]
        chosen = rule.independent(counted)
        if not counted:
            return f"no {facts.qualifier}organisation counts"
        shown = _listing([f"{o.id} ({o.country})" for o in chosen])
        controls = len({o.control for o in counted})
        return (
            f"the {facts.qualifier}organisations that count offer at most {len(chosen)}"
            f" independent of each other ({shown}; {len(counted)} organisations under"
            f" {controls} controllers)"
        )

    def coordinator(self, rule: kinds.Coordinator, facts: Facts) -> str:
        if rule.who is not None and rule.who in facts.pool.by_id:
            lead = facts.pool.by_id[rule.who]
            lacks = [c.test_text() for c in rule.conditions if not c.matches(lead)]
            return f"{rule.who} is not: {'; '.join(lacks)}" if lacks else f"{rule.who} qualifies"
        able = [o.id for o in facts.eligible if rule.matches(o)]
        if not able:
            meets = [
                f"{sum(c.matches(o) for o in facts.eligible)} {c.test_text()}"
                for c in rule.conditions
            ]
            unstated = _unstated([c.field for c in rule.conditions], facts.eligible)
            return f"no {facts.qualifier}organisation in the pool qualifies ({'; '.join(meets)}){unstated}"
        return f"only {len(able)} {facts.qualifier}organisations qualify: {_listing(able)}"

    def min_count(self, rule: kinds.MinCount, facts: Facts) -> str:
        matching = [o.id for o in facts.eligible if rule.matches(o)]
        if not matching:
            fields = [rule.field, *(t.field for t in rule.or_else)]
            unstated = _unstated(fields, facts.eligible)
            return f"no {facts.qualifier}organisation {_wanted(rule)}{unstated}"
        return f"only {len(matching)} {facts.qualifier}organisations {_wanted(rule)}: {_listing(matching)}"

    def max_per_value(self, rule: kinds.MaxPerValue, facts: Facts) -> str:
        values = facts.values(rule.field)
        plural = FIELD_PLURALS[rule.field]
        return f"the {facts.qualifier}organisations come from {len(values)} {plural}: {_listing(values)}"

    def include(self, rule: kinds.Include, facts: Facts) -> str:
        parts = []
        for org_id in rule.members:
            org = facts.pool.by_id[org_id]
            region = f"{org.nuts2}, " if org.nuts2 else ""
            parts.append(f"{org_id} is in {org.country} ({region}{org.region_category.value})")
        return "; ".join(parts)

    def exclude(self, rule: kinds.Exclude, facts: Facts) -> str:
        return f"{_listing(list(rule.members))} left out"


FACTS = Explanations()


def facts_of(rule: kinds.AnyRule, facts: Facts) -> str:
    """The facts behind one rule of a conflict, in words."""
    return FACTS(rule, facts)


def _listing(values: Sequence[str], limit: int = 8) -> str:
    shown = ", ".join(values[:limit])
    return shown + (f" and {len(values) - limit} more" if len(values) > limit else "")


# Fields only a pool states (nothing derives them); the sheet's column for each.
STATED_COLUMNS = {
    "region_category_2021": "Region category 2021-2027",
    "non_profit": "Non-profit",
    "public_body": "Public body",
    "sme": "SME",
}


def _unstated(fields: Sequence[str], orgs: Sequence[Organisation]) -> str:
    """ "; no organisation states its non-profit answer (a column Non-profit)" for each field
    that only a pool states and that no organisation states, or ''."""
    missing = [
        f
        for f in dict.fromkeys(fields)
        if f in STATED_COLUMNS and all(getattr(o, f) is None for o in orgs)
    ]
    if not missing:
        return ""
    words = " or ".join(FIELD_WORDS[f] for f in missing)
    columns = " and ".join(STATED_COLUMNS[f] for f in missing)
    column = "columns" if len(missing) > 1 else "column"
    return f"; no organisation states its {words} (add the {column} {columns} to the sheet)"


def _wanted(rule: kinds.MinCount) -> str:
    if rule.or_else:
        return f"with {rule.test_text()}"
    if rule.field in ("region_category", "region_category_2021"):
        categories = " or ".join(v.replace("_", " ") for v in rule.values)
        period = " (2021-2027)" if rule.field == "region_category_2021" else ""
        return f"in a {categories} region{period}"
    return f"with {FIELD_WORDS[rule.field]} {rule.values_text()}"
