"""Explanations of infeasibility in words: the rules of a minimal conflict, with the facts behind them.

The conflicting rules come from the encoder (an unsat core over one assumption literal per rule id,
shrunk to a minimal set); the facts are read off the pool here, in plain Python: which organisations
remain eligible under the conflicting filters, which countries or regions they cover, and so on.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from consortium_solver.calls import (
    FIELD_PLURALS,
    FIELD_WORDS,
    Exclude,
    Include,
    MaxPerValue,
    MemberIn,
    MinCount,
    MinDistinct,
    Size,
    member_value,
    passes_filters,
)
from consortium_solver.domain import Conflict, Organisation, Pool
from consortium_solver.errors import InternalError


def _listing(values: Sequence[str], limit: int = 8) -> str:
    shown = ", ".join(values[:limit])
    return shown + (f" and {len(values) - limit} more" if len(values) > limit else "")


def _wanted(rule: MinCount) -> str:
    if rule.field == "region_category":
        kinds = " or ".join(v.replace("_", " ") for v in rule.values)
        return f"in a {kinds} region"
    return f"with {FIELD_WORDS[rule.field]} {rule.values_text()}"


def explain(
    pool: Pool, rules: Sequence[Any], conflict: Sequence[str] | None
) -> tuple[Conflict, ...]:
    """Say, for each rule of a minimal conflict, what it asks and what the pool offers.

    Raises:
        InternalError: the conflict is None although the solver found no consortium.
    """
    if conflict is None:
        raise InternalError("no consortium was found, yet the rules do not conflict")
    chosen = [rule for rule in rules if rule.id in set(conflict)]
    excluded = {m for r in chosen if isinstance(r, Exclude) for m in r.members}
    eligible = [
        org for org in pool.organisations if org.id not in excluded and passes_filters(org, chosen)
    ]
    qualifier = "eligible " if any(isinstance(r, MemberIn) for r in chosen) else ""
    out = []
    for rule in chosen:
        facts = _facts(rule, pool, eligible, qualifier, chosen)
        out.append(Conflict(rule=rule.id, why=f"{rule.describe()} — {facts}"))
    return tuple(out)


def _facts(
    rule: Any,
    pool: Pool,
    eligible: list[Organisation],
    qualifier: str,
    chosen: Sequence[Any],
) -> str:
    n = len(eligible)
    if isinstance(rule, MemberIn):
        allowed = set(rule.values)
        included = [m for r in chosen if isinstance(r, Include) for m in r.members]
        failing = [
            f"{i} ({member_value(pool.by_id[i], rule.field)})"
            for i in included
            if member_value(pool.by_id[i], rule.field) not in allowed
        ]
        if failing:
            return f"{_listing(failing)} is not {rule.values_text()}"
        passing = sum(member_value(o, rule.field) in allowed for o in pool.organisations)
        return f"{passing} of {len(pool)} organisations in the pool qualify"
    if isinstance(rule, Size):
        if n < rule.min:
            return f"only {n} {qualifier}organisation{'s' if n != 1 else ''} in the pool"
        others = [r.describe() for r in chosen if r is not rule and isinstance(r, Size)]
        if others:
            return f"while another rule asks for {' and '.join(others)}"
        return "too few members to meet the other rules"
    if isinstance(rule, MinDistinct):
        if rule.field == "sectors":
            values = sorted({s for o in eligible for s in o.sectors})
        else:
            values = sorted({v for o in eligible if (v := member_value(o, rule.field))})
        plural = FIELD_PLURALS[rule.field]
        return f"only {len(values)} {qualifier}{plural} in the pool: {_listing(values) or 'none'}"
    if isinstance(rule, MinCount):
        matching = [o.id for o in eligible if member_value(o, rule.field) in set(rule.values)]
        if not matching:
            return f"no {qualifier}organisation {_wanted(rule)}"
        return (
            f"only {len(matching)} {qualifier}organisations {_wanted(rule)}: {_listing(matching)}"
        )
    if isinstance(rule, MaxPerValue):
        values = sorted({v for o in eligible if (v := member_value(o, rule.field))})
        plural = FIELD_PLURALS[rule.field]
        return f"the {qualifier}organisations come from {len(values)} {plural}: {_listing(values)}"
    if isinstance(rule, Include):
        parts = []
        for org_id in rule.members:
            org = pool.by_id[org_id]
            region = f"{org.nuts2}, " if org.nuts2 else ""
            parts.append(f"{org_id} is in {org.country} ({region}{org.region_category.value})")
        return "; ".join(parts)
    if isinstance(rule, Exclude):
        return f"{_listing(list(rule.members))} left out"
    return "conflicts with the others"
