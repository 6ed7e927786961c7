"""A group's rules compiled to fast integer checks for the grouping search.

``GroupRules.violation(members)`` is 0 exactly when every rule holds for the group (and every
``together`` / ``apart`` pair is respected); otherwise it counts how far the group is from meeting
them, which the search minimises. The shared table of ``tests/rule_cases.py`` holds it to the
validator's verdicts, rule kind by rule kind.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence

from consortium_solver.domain import Organisation, org_values
from consortium_solver.rules import kinds

Candidates = Sequence[Organisation]
# A compiled check: candidate indices of a group -> how far the group is from meeting the rule.
Check = Callable[[Sequence[int]], int]


class Compiler(kinds.RuleHandlers[[Candidates], Check]):
    """Each kind of rule as a check on candidate indices."""

    def member_in(self, rule: kinds.MemberIn, candidates: Candidates) -> Check:
        outside = [not rule.matches(o) for o in candidates]
        return functools.partial(_count_hits, hit=outside)

    def size(self, rule: kinds.Size, candidates: Candidates) -> Check:
        return functools.partial(_size_gap, low=rule.min, high=rule.max)

    def min_distinct(self, rule: kinds.MinDistinct, candidates: Candidates) -> Check:
        values = [frozenset(org_values(o, rule.field)) for o in candidates]
        return functools.partial(_distinct_gap, values=values, k=rule.min)

    def min_count(self, rule: kinds.MinCount, candidates: Candidates) -> Check:
        hit = [rule.matches(o) for o in candidates]
        return functools.partial(_count_gap, hit=hit, k=rule.min)

    def max_per_value(self, rule: kinds.MaxPerValue, candidates: Candidates) -> Check:
        codes = [org_values(o, rule.field) for o in candidates]
        return functools.partial(_over, codes=codes, limit=rule.max)

    def include(self, rule: kinds.Include, candidates: Candidates) -> Check:
        index = {o.id: i for i, o in enumerate(candidates)}
        # A listed organisation that is no candidate can never be included.
        wanted = [index.get(m, -1) for m in rule.members]
        return functools.partial(_missing, wanted=wanted)

    def exclude(self, rule: kinds.Exclude, candidates: Candidates) -> Check:
        banned = [o.id in rule.members for o in candidates]
        return functools.partial(_count_hits, hit=banned)


COMPILERS = Compiler()


def compile_rule(rule: kinds.AnyRule, candidates: Candidates) -> Check:
    """One rule as a check on candidate indices."""
    return COMPILERS(rule, candidates)


class GroupRules:
    """A group's rules compiled to fast integer checks: ``violation(members) == 0`` iff all hold."""

    def __init__(
        self,
        candidates: Sequence[Organisation],
        rules: Sequence[kinds.AnyRule],
        together: Sequence[tuple[int, int]] = (),
        apart: Sequence[tuple[int, int]] = (),
    ) -> None:
        self.checks = [compile_rule(rule, candidates) for rule in rules]
        # Only group sizes and no pairs: any partition with the right sizes is valid.
        self.sizes_only = all(isinstance(rule, kinds.Size) for rule in rules) and not (
            together or apart
        )
        self.partner: dict[int, list[tuple[int, bool]]] = {}
        for pairs, wanted in ((together, True), (apart, False)):
            for a, b in pairs:
                self.partner.setdefault(a, []).append((b, wanted))
                self.partner.setdefault(b, []).append((a, wanted))

    def violation(self, members: Sequence[int]) -> int:
        total = sum(check(members) for check in self.checks)
        if self.partner:
            inside = set(members)
            for i in members:
                for j, wanted in self.partner.get(i, ()):
                    if (j in inside) != wanted:
                        total += 1
        return total


def _size_gap(members: Sequence[int], low: int, high: int | None) -> int:
    over = max(0, len(members) - high) if high is not None else 0
    return max(0, low - len(members)) + over


def _distinct_gap(members: Sequence[int], values: list[frozenset[str]], k: int) -> int:
    return max(0, k - len(frozenset().union(*(values[i] for i in members))))


def _count_gap(members: Sequence[int], hit: list[bool], k: int) -> int:
    return max(0, k - sum(hit[i] for i in members))


def _count_hits(members: Sequence[int], hit: list[bool]) -> int:
    return sum(hit[i] for i in members)


def _missing(members: Sequence[int], wanted: list[int]) -> int:
    inside = set(members)
    return sum(1 for i in wanted if i not in inside)


def _over(members: Sequence[int], codes: list[tuple[str, ...]], limit: int) -> int:
    """How far the most shared values exceed the limit."""
    counts: dict[str, int] = {}
    for i in members:
        for c in codes[i]:
            counts[c] = counts.get(c, 0) + 1
    return sum(max(0, n - limit) for n in counts.values())
