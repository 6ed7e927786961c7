"""The validator's reading of the rules: ``Checks``, one method per rule kind, says whether a rule
holds for a set of members, and why, in words.

Written from the rule definitions (``consortium_solver.rules.kinds``) as directly as possible; the
encoder and the searches are held to the same verdicts by the shared table of ``tests/rule_cases.py``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from consortium_solver.domain import (
    FIELD_PLURALS,
    FIELD_WORDS,
    Organisation,
    RuleVerdict,
    member_value,
)
from consortium_solver.rules import kinds

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


class Checks(kinds.RuleHandlers[[Members], RuleVerdict]):
    """Whether each kind of rule holds for a set of members, and why, in words."""

    def member_in(self, rule: kinds.MemberIn, members: Members) -> RuleVerdict:
        """Every member's field is one of the rule's values."""
        outside = [org for org in members if not rule.matches(org)]
        if outside:
            verb = "is" if len(outside) == 1 else "are"
            why = f"{_names(outside, rule.field)} {verb} not {rule.values_text()}"
        else:
            seen = ", ".join(_distinct(members, rule.field)) or "none"
            why = f"all {len(members)} members qualify ({FIELD_WORDS[rule.field]}: {seen})"
        return RuleVerdict(rule=rule.id, kind=rule.kind, passed=not outside, why=why)

    def size(self, rule: kinds.Size, members: Members) -> RuleVerdict:
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

    def min_distinct(self, rule: kinds.MinDistinct, members: Members) -> RuleVerdict:
        """At least ``min`` distinct values of the field among the members."""
        values = _distinct(members, rule.field)
        listed = ", ".join(values) if values else "none"
        word = FIELD_PLURALS[rule.field]
        if len(values) >= rule.min:
            why = f"{len(values)} {word}: {listed}"
        else:
            why = f"only {len(values)} {word} ({listed}); needs {rule.min}"
        return RuleVerdict(rule=rule.id, kind=rule.kind, passed=len(values) >= rule.min, why=why)

    def min_count(self, rule: kinds.MinCount, members: Members) -> RuleVerdict:
        """At least ``min`` members have the field in the rule's values."""
        matching = [org for org in members if rule.matches(org)]
        wanted = f"{FIELD_WORDS[rule.field]} {rule.values_text()}"
        if len(matching) >= rule.min:
            why = f"{len(matching)} with {wanted}: {_names(matching, rule.field)}"
        else:
            seen = Counter(member_value(org, rule.field) for org in members)
            present = ", ".join(
                f"{v} ×{c}" for v, c in sorted(seen.items(), key=lambda kv: str(kv))
            )
            why = f"{len(matching)} with {wanted}, needs {rule.min}" + (
                f"; the members have {present}" if present else ""
            )
        return RuleVerdict(rule=rule.id, kind=rule.kind, passed=len(matching) >= rule.min, why=why)

    def max_per_value(self, rule: kinds.MaxPerValue, members: Members) -> RuleVerdict:
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

    def include(self, rule: kinds.Include, members: Members) -> RuleVerdict:
        """Every listed organisation is a member."""
        present = {org.id for org in members}
        missing = [m for m in rule.members if m not in present]
        why = f"missing: {', '.join(missing)}" if missing else f"{', '.join(rule.members)} included"
        return RuleVerdict(rule=rule.id, kind=rule.kind, passed=not missing, why=why)

    def exclude(self, rule: kinds.Exclude, members: Members) -> RuleVerdict:
        """No listed organisation is a member."""
        present = {org.id for org in members}
        inside = [m for m in rule.members if m in present]
        why = f"included all the same: {', '.join(inside)}" if inside else "none of them included"
        return RuleVerdict(rule=rule.id, kind=rule.kind, passed=not inside, why=why)


CHECKS = Checks()


def check_rule(rule: kinds.AnyRule, members: Members) -> RuleVerdict:
    """Judge one rule of any kind."""
    return CHECKS(rule, members)
