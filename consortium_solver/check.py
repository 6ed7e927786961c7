"""The independent validator: rule-by-rule verdicts and the score breakdown, in plain Python.

This module is the judge of every solver output, so it shares no code with the encoder and never
imports ortools (a ruff banned-api rule enforces it). Each rule kind has one ``check_<kind>`` function
and each objective term one ``term_<name>`` function, written from the definitions in DESIGN §4 as
directly as possible (member pairs, not the encoder's sector-level reformulation).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from consortium_solver.calls import (
    FIELD_PLURALS,
    FIELD_WORDS,
    Call,
    Exclude,
    Include,
    MaxPerValue,
    MemberIn,
    MinCount,
    MinDistinct,
    Objective,
    Size,
    member_value,
)
from consortium_solver.domain import (
    Assessment,
    Consortium,
    Organisation,
    Pool,
    RegionCategory,
    RuleVerdict,
    Term,
    TermScore,
)
from consortium_solver.errors import InputError

Members = Sequence[Organisation]


def _names(orgs: Iterable[Organisation], field: str | None = None) -> str:
    parts = []
    for org in orgs:
        parts.append(f"{org.id} ({member_value(org, field)})" if field else org.id)
    return ", ".join(parts)


def _distinct(members: Members, field: str) -> list[str]:
    if field == "sectors":
        values = {s for org in members for s in org.sectors}
    else:
        values = {v for org in members if (v := member_value(org, field)) is not None}
    return sorted(values)


# ------------------------------------------------------------------------------------------ rules


def check_member_in(rule: MemberIn, members: Members) -> RuleVerdict:
    """Every member's field is one of the rule's values."""
    allowed = set(rule.values)
    outside = [org for org in members if member_value(org, rule.field) not in allowed]
    if outside:
        verb = "is" if len(outside) == 1 else "are"
        why = f"{_names(outside, rule.field)} {verb} not {rule.values_text()}"
    else:
        seen = ", ".join(_distinct(members, rule.field)) or "none"
        why = f"all {len(members)} members qualify ({FIELD_WORDS[rule.field]}: {seen})"
    return RuleVerdict(rule=rule.id, kind=rule.kind, passed=not outside, why=why)


def check_size(rule: Size, members: Members) -> RuleVerdict:
    """The number of members lies within [min, max]."""
    n = len(members)
    if n < rule.min:
        why = f"{n} members, fewer than {rule.min}"
    elif rule.max is not None and n > rule.max:
        why = f"{n} members, more than {rule.max}"
    else:
        why = f"{n} members ({rule.describe()})"
    passed = n >= rule.min and (rule.max is None or n <= rule.max)
    return RuleVerdict(rule=rule.id, kind=rule.kind, passed=passed, why=why)


def check_min_distinct(rule: MinDistinct, members: Members) -> RuleVerdict:
    """At least ``min`` distinct values of the field among the members."""
    values = _distinct(members, rule.field)
    listed = ", ".join(values) if values else "none"
    word = FIELD_PLURALS[rule.field]
    if len(values) >= rule.min:
        why = f"{len(values)} {word}: {listed}"
    else:
        why = f"only {len(values)} {word} ({listed}); needs {rule.min}"
    return RuleVerdict(rule=rule.id, kind=rule.kind, passed=len(values) >= rule.min, why=why)


def check_min_count(rule: MinCount, members: Members) -> RuleVerdict:
    """At least ``min`` members have the field in the rule's values."""
    allowed = set(rule.values)
    matching = [org for org in members if member_value(org, rule.field) in allowed]
    wanted = f"{FIELD_WORDS[rule.field]} {rule.values_text()}"
    if len(matching) >= rule.min:
        why = f"{len(matching)} with {wanted}: {_names(matching, rule.field)}"
    else:
        seen = Counter(member_value(org, rule.field) for org in members)
        present = ", ".join(f"{v} ×{c}" for v, c in sorted(seen.items(), key=lambda kv: str(kv)))
        why = f"{len(matching)} with {wanted}, needs {rule.min}" + (
            f"; the members have {present}" if present else ""
        )
    return RuleVerdict(rule=rule.id, kind=rule.kind, passed=len(matching) >= rule.min, why=why)


def check_max_per_value(rule: MaxPerValue, members: Members) -> RuleVerdict:
    """No value of the field is shared by more than ``max`` members."""
    groups: dict[str, list[Organisation]] = {}
    for org in members:
        value = member_value(org, rule.field)
        if value is not None:
            groups.setdefault(value, []).append(org)
    over = {v: orgs for v, orgs in sorted(groups.items()) if len(orgs) > rule.max}
    if over:
        why = "; ".join(f"{v} shared by {len(o)}: {_names(o)}" for v, o in over.items())
        why += f" (at most {rule.max})"
    else:
        top = max((len(o) for o in groups.values()), default=0)
        why = f"at most {top} members share a {FIELD_WORDS[rule.field]} (limit {rule.max})"
    return RuleVerdict(rule=rule.id, kind=rule.kind, passed=not over, why=why)


def check_include(rule: Include, members: Members) -> RuleVerdict:
    """Every listed organisation is a member."""
    present = {org.id for org in members}
    missing = [m for m in rule.members if m not in present]
    why = f"missing: {', '.join(missing)}" if missing else f"{', '.join(rule.members)} included"
    return RuleVerdict(rule=rule.id, kind=rule.kind, passed=not missing, why=why)


def check_exclude(rule: Exclude, members: Members) -> RuleVerdict:
    """No listed organisation is a member."""
    present = {org.id for org in members}
    inside = [m for m in rule.members if m in present]
    why = f"included all the same: {', '.join(inside)}" if inside else "none of them included"
    return RuleVerdict(rule=rule.id, kind=rule.kind, passed=not inside, why=why)


CHECKERS: dict[str, Callable[[Any, Members], RuleVerdict]] = {
    "member_in": check_member_in,
    "size": check_size,
    "min_distinct": check_min_distinct,
    "min_count": check_min_count,
    "max_per_value": check_max_per_value,
    "include": check_include,
    "exclude": check_exclude,
}


def check_rule(rule: Any, members: Members) -> RuleVerdict:
    """Judge one rule of any kind."""
    return CHECKERS[rule.kind](rule, members)


# ---------------------------------------------------------------------------------- objective terms


def term_sector_links(members: Members, links: dict[frozenset[str], float]) -> float:
    """Sum of link weights over unordered pairs of distinct sectors brought by two different members."""
    brought: set[frozenset[str]] = set()
    for i, a in enumerate(members):
        for b in members[i + 1 :]:
            for s in a.sectors:
                for t in b.sectors:
                    if s != t:
                        brought.add(frozenset((s, t)))
    return math.fsum(links.get(pair, 0.0) for pair in sorted(brought, key=sorted))


def term_needs_met(members: Members) -> float:
    """Number of (member, need) pairs where some other member offers the competence."""
    count = 0
    for i, org in enumerate(members):
        offered = {c for j, other in enumerate(members) if j != i for c in other.offers}
        count += sum(1 for need in org.needs if need in offered)
    return float(count)


def term_countries(members: Members) -> float:
    """Number of distinct countries."""
    return float(len({org.country for org in members}))


def term_development_mix(members: Members) -> float:
    """Number of distinct categories among less developed, transition and more developed."""
    counted = {
        RegionCategory.LESS_DEVELOPED,
        RegionCategory.TRANSITION,
        RegionCategory.MORE_DEVELOPED,
    }
    return float(len({org.region_category for org in members} & counted))


def term_maturity_mix(members: Members) -> float:
    """Number of distinct maturity levels (gold, silver, bronze, none)."""
    return float(len({org.maturity for org in members}))


def term_size(members: Members) -> float:
    """Number of members."""
    return float(len(members))


def score_terms(
    members: Members, objective: Objective, links: dict[frozenset[str], float]
) -> dict[Term, TermScore]:
    """Every term's value, weight and points for a set of members."""
    values = {
        Term.SECTOR_LINKS: term_sector_links(members, links),
        Term.NEEDS_MET: term_needs_met(members),
        Term.COUNTRIES: term_countries(members),
        Term.DEVELOPMENT_MIX: term_development_mix(members),
        Term.MATURITY_MIX: term_maturity_mix(members),
        Term.SIZE: term_size(members),
    }
    out = {}
    for term, value in values.items():
        weight = objective.weight(term)
        out[term] = TermScore(value=value, weight=weight, points=value * weight)
    return out


def total(terms: dict[Term, TermScore]) -> float:
    """The score: the sum of the terms' points."""
    return math.fsum(ts.points for ts in terms.values())


# ------------------------------------------------------------------------------------------ check


def resolve_members(pool: Pool, member_ids: Sequence[str]) -> list[Organisation]:
    """The organisations behind a list of ids, in the given order.

    Raises:
        InputError: an id is not in the pool or is listed twice.
    """
    seen: set[str] = set()
    out = []
    for member_id in member_ids:
        if member_id in seen:
            raise InputError("member listed twice", field="members", value=member_id)
        seen.add(member_id)
        org = pool.by_id.get(member_id)
        if org is None:
            raise InputError(
                f"no organisation with this id in pool {pool.name!r}",
                field="members",
                value=member_id,
            )
        out.append(org)
    return out


def check(
    pool: Pool,
    call: Call,
    member_ids: Sequence[str],
    *,
    extra_rules: Sequence[Any] = (),
) -> Assessment:
    """Judge a consortium: one verdict per rule of the call (then any extra rules), and its score.

    Args:
        pool: the pool the members come from.
        call: the call model whose rules and objective apply.
        member_ids: ids of the members, each once.
        extra_rules: further rules, e.g. a user's own size range, judged after the call's.

    Raises:
        InputError: an id is unknown or repeated.
    """
    members = resolve_members(pool, member_ids)
    verdicts = tuple(check_rule(rule, members) for rule in (*call.rules, *extra_rules))
    terms = score_terms(members, call.objective, call.link_weights())
    return Assessment(
        call=call.id,
        pool=pool.name,
        members=tuple(member_ids),
        eligible=all(v.passed for v in verdicts),
        verdicts=verdicts,
        score=total(terms),
        terms=terms,
    )


# --------------------------------------------------------------------------------------- grouping


@dataclass
class GroupingVerdict:
    """The validator's answer for a grouping: every group judged, and the schedule's own rules."""

    rounds: list[list[Consortium]]
    unassigned: list[str]
    problems: list[str]
    repeats: int

    @property
    def valid(self) -> bool:
        return not self.problems

    @property
    def repeats_only(self) -> bool:
        return all(p.startswith("repeat:") for p in self.problems)


def check_grouping(
    pool: Pool,
    call: Call,
    rounds: Sequence[Sequence[Sequence[str]]],
    *,
    extra_rules: Sequence[Any] = (),
    together: Sequence[tuple[str, str]] = (),
    apart: Sequence[tuple[str, str]] = (),
    allow_repeats: bool = False,
) -> GroupingVerdict:
    """Judge a schedule of groupings.

    Every group must meet the call's rules and the extra rules; within a round nobody appears
    twice; ``together`` pairs share a group or both stay out, ``apart`` pairs never share one; and,
    unless ``allow_repeats``, no two organisations share a group in two rounds (``user:no-repeats``)
    -- except ``together`` pairs, who share one by request in every round they are placed.
    Problems are sentences naming the rule id and the organisations.

    Raises:
        InputError: an id is not in the pool.
    """
    problems: list[str] = []
    judged: list[list[Consortium]] = []
    met: dict[frozenset[str], int] = {}
    left_out: set[str] = set()
    for r, groups in enumerate(rounds, start=1):
        seen: dict[str, int] = {}
        judged_round = []
        for g, members in enumerate(groups, start=1):
            assessment = check(pool, call, list(members), extra_rules=extra_rules)
            for v in assessment.failed:
                problems.append(f"{v.rule}: round {r}, group {g}: {v.why}")
            judged_round.append(
                Consortium(
                    members=tuple(members), score=assessment.score, breakdown=assessment.breakdown
                )
            )
            for member in members:
                if member in seen:
                    problems.append(
                        f"partition: round {r}: {member} is in groups {seen[member]} and {g}"
                    )
                seen[member] = g
            for i, a in enumerate(members):
                for b in members[i + 1 :]:
                    key = frozenset((a, b))
                    met[key] = met.get(key, 0) + 1
        for a, b in together:
            if seen.get(a) != seen.get(b):
                problems.append(f"user:together:{a}+{b}: round {r}: {a} and {b} are apart")
        for a, b in apart:
            if a in seen and seen.get(a) == seen.get(b):
                problems.append(f"user:apart:{a}+{b}: round {r}: {a} and {b} share group {seen[a]}")
        left_out |= {o.id for o in pool.organisations if o.id not in seen}
        judged.append(judged_round)
    for pair in together:
        met.pop(frozenset(pair), None)  # together by request: not a repeat
    repeats = sum(1 for n in met.values() if n > 1)
    if repeats and not allow_repeats:
        pairs = sorted("+".join(sorted(k)) for k, n in met.items() if n > 1)
        problems.append(
            f"repeat: user:no-repeats: {repeats} pairs meet more than once, e.g. {pairs[0]}"
        )
    order = {o.id: i for i, o in enumerate(pool.organisations)}
    return GroupingVerdict(
        rounds=judged,
        unassigned=sorted(left_out, key=order.__getitem__),
        problems=problems,
        repeats=repeats,
    )
