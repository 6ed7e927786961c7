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


def _under_one_control(members: Members) -> str:
    """The members that share a controller, in words ("a, b (Holding X)"), or ''."""
    by_control: dict[str, list[Organisation]] = {}
    for org in members:
        by_control.setdefault(org.control, []).append(org)
    shared = [orgs for orgs in by_control.values() if len(orgs) > 1]
    return "; ".join(f"{_names(orgs)} ({orgs[0].controlled_by or orgs[0].id})" for orgs in shared)


class Checks(kinds.RuleHandlers[[Members], RuleVerdict]):
    """Whether each kind of rule holds for a set of members, and why, in words."""

    def member_in(self, rule: kinds.MemberIn, members: Members) -> RuleVerdict:
        """Every member's field is one of the rule's values."""
        outside = [org for org in members if not rule.matches(org)]
        if outside and rule.or_else:
            verb = "is" if len(outside) == 1 else "are"
            why = f"{_names(outside)} {verb} not {rule.test_text()}"
        elif outside:
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
        values = [v for v in _distinct(members, rule.field) if rule.counts(v)]
        listed = ", ".join(values) if values else "none"
        word = FIELD_PLURALS[rule.field] + (" that count" if rule.values is not None else "")
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

    def min_independent(self, rule: kinds.MinIndependent, members: Members) -> RuleVerdict:
        """At least ``min`` counted members, no two under the same control nor (with a field)
        sharing the field's value."""
        chosen = rule.independent(list(members))
        passed = len(chosen) >= rule.min
        shown = _names(chosen, rule.field) if rule.field else _names(chosen)
        if passed:
            why = f"{len(chosen)} independent: {shown}"
        else:
            why = f"only {len(chosen)} independent ({shown or 'none'}); needs {rule.min}"
            linked = _under_one_control(members)
            if linked:
                why += f"; under one control: {linked}"
            left = [org for org in members if not rule.counts(org)]
            if left:
                why += f"; not counted: {_names(left, rule.field)}"
        return RuleVerdict(rule=rule.id, kind=rule.kind, passed=passed, why=why)

    def coordinator(self, rule: kinds.Coordinator, members: Members) -> RuleVerdict:
        """Some member meets every condition on the coordinator."""
        able = [org for org in members if rule.matches(org)]
        candidates = [o for o in members if rule.who is None or o.id == rule.who]
        if able:
            why = f"may coordinate: {_names(able)}"
        elif not candidates:
            why = f"{rule.who} is not a member"
        else:
            misses = [
                f"{org.id} ({', '.join(c.test_text() for c in rule.conditions if not c.matches(org))})"
                for org in candidates
            ]
            who = (
                "no member may coordinate" if rule.who is None else f"{rule.who} may not coordinate"
            )
            why = f"{who}; lacks: " + "; ".join(misses)
        return RuleVerdict(rule=rule.id, kind=rule.kind, passed=bool(able), why=why)

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
