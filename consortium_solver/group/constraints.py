"""A group's rules compiled to integer tables for the grouping search.

Every kind of rule becomes a :class:`CodedRule`: each candidate carries a few small integer *codes*
(the values of the rule's field it has, or one code for "matches"), and the rule's violation is a
function of how many members of the group carry each code — one of four readings:

- ``OVER`` (``max_per_value``, and with a limit of 0 ``member_in`` and ``exclude``): the counts
  above the limit, summed;
- ``DISTINCT`` (``min_distinct``, and ``include`` with one code per wanted member): how many
  distinct codes short of the minimum;
- ``COUNT`` (``min_count``, and ``--balance COLUMN=VALUE:MIN..MAX``): how many members carrying a
  code short of the minimum, or beyond the maximum when there is one;
- ``SIZE``: how far the group's size is outside the range.

The same tables drive the compiled kernels (:mod:`consortium_solver.group.search.kernels`) and the
plain reading here (``CodedRule.__call__``, :meth:`GroupRules.violation`); the shared table of
``tests/rule_cases.py`` holds them to the validator's verdicts, kind by kind.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum
from typing import NamedTuple

import numpy as np

from consortium_solver.domain import Organisation, org_values
from consortium_solver.rules import kinds

Candidates = Sequence[Organisation]


class Reading(IntEnum):
    """How a rule's violation is read from the counts of its codes in a group."""

    OVER = 0
    DISTINCT = 1
    COUNT = 2
    SIZE = 3


@dataclass(frozen=True)
class CodedRule:
    """A rule as codes per candidate and a reading: ``low`` is the limit (``OVER``) or the minimum
    (``DISTINCT``, ``COUNT``, ``SIZE``), ``high`` the largest size or count (``SIZE``, ``COUNT``;
    -1: none)."""

    reading: Reading
    codes: tuple[tuple[int, ...], ...]
    low: int
    high: int = -1

    def __call__(self, members: Sequence[int]) -> int:
        """How far the group is from meeting the rule (0: it holds)."""
        if self.reading == Reading.SIZE:
            over = max(0, len(members) - self.high) if self.high >= 0 else 0
            return max(0, self.low - len(members)) + over
        counts: dict[int, int] = {}
        for i in members:
            for c in self.codes[i]:
                counts[c] = counts.get(c, 0) + 1
        if self.reading == Reading.OVER:
            return sum(max(0, k - self.low) for k in counts.values())
        if self.reading == Reading.DISTINCT:
            return max(0, self.low - len(counts))
        hits = sum(counts.values())
        return max(0, self.low - hits) + (max(0, hits - self.high) if self.high >= 0 else 0)


def _flags(hits: Sequence[bool]) -> tuple[tuple[int, ...], ...]:
    """One code (0) for each candidate that hits, none for the others."""
    return tuple((0,) if hit else () for hit in hits)


def _value_codes(values: Sequence[Sequence[str]]) -> tuple[tuple[int, ...], ...]:
    index: dict[str, int] = {}
    return tuple(tuple(sorted({index.setdefault(v, len(index)) for v in vs})) for vs in values)


def _merged_slots(rule: kinds.MinIndependent, counted: Sequence[Organisation]) -> dict[str, str]:
    """Each counted candidate's slot, slots joined by a shared controller merged (union-find):
    organisation id -> the merged slot's name."""
    parent: dict[str, str] = {}

    def find(slot: str) -> str:
        while parent.setdefault(slot, slot) != slot:
            parent[slot] = parent[parent[slot]]
            slot = parent[slot]
        return slot

    first: dict[str, str] = {}  # controller -> the first slot seen under it
    for org in counted:
        slot = rule.slot(org)
        other = first.setdefault(org.control, slot)
        parent[find(slot)] = find(other)
    return {org.id: find(rule.slot(org)) for org in counted}


class Compiler(kinds.RuleHandlers[[Candidates], CodedRule]):
    """Each kind of rule as codes and a reading."""

    def member_in(self, rule: kinds.MemberIn, candidates: Candidates) -> CodedRule:
        return CodedRule(Reading.OVER, _flags([not rule.matches(o) for o in candidates]), 0)

    def size(self, rule: kinds.Size, candidates: Candidates) -> CodedRule:
        high = -1 if rule.max is None else rule.max
        return CodedRule(Reading.SIZE, tuple(() for _ in candidates), rule.min, high)

    def min_distinct(self, rule: kinds.MinDistinct, candidates: Candidates) -> CodedRule:
        values = [[v for v in org_values(o, rule.field) if rule.counts(v)] for o in candidates]
        return CodedRule(Reading.DISTINCT, _value_codes(values), rule.min)

    def min_count(self, rule: kinds.MinCount, candidates: Candidates) -> CodedRule:
        return CodedRule(Reading.COUNT, _flags([rule.matches(o) for o in candidates]), rule.min)

    def max_per_value(self, rule: kinds.MaxPerValue, candidates: Candidates) -> CodedRule:
        codes = _value_codes([org_values(o, rule.field) for o in candidates])
        return CodedRule(Reading.OVER, codes, rule.max)

    def min_independent(self, rule: kinds.MinIndependent, candidates: Candidates) -> CodedRule:
        # Distinct "slots" (values of the field) among the counted members, where slots that one
        # controller spans among the candidates merge into one code: exact when every controller's
        # organisations share one value (or the rule names no field, then the code is the
        # controller), and never more than the validator's count otherwise — the search may then
        # miss a grouping the rule allows, but never claims one it forbids.
        counted = [o for o in candidates if rule.counts(o)]
        if rule.field is None:
            keys = {o.id: o.control for o in counted}
        else:
            keys = _merged_slots(rule, counted)
        return CodedRule(
            Reading.DISTINCT,
            _value_codes([[keys[o.id]] if o.id in keys else [] for o in candidates]),
            rule.min,
        )

    def coordinator(self, rule: kinds.Coordinator, candidates: Candidates) -> CodedRule:
        return CodedRule(Reading.COUNT, _flags([rule.matches(o) for o in candidates]), 1)

    def include(self, rule: kinds.Include, candidates: Candidates) -> CodedRule:
        # Wanted member k is code k; one that is no candidate never appears, so never counts.
        wanted = {m: k for k, m in enumerate(rule.members)}
        codes = tuple((wanted[o.id],) if o.id in wanted else () for o in candidates)
        return CodedRule(Reading.DISTINCT, codes, len(rule.members))

    def exclude(self, rule: kinds.Exclude, candidates: Candidates) -> CodedRule:
        return CodedRule(Reading.OVER, _flags([o.id in rule.members for o in candidates]), 0)


COMPILERS = Compiler()


def compile_rule(rule: kinds.AnyRule, candidates: Candidates) -> CodedRule:
    """One rule as codes and a reading."""
    return COMPILERS(rule, candidates)


class RuleTables(NamedTuple):
    """Every coded rule of a grouping as flat arrays, for the compiled kernels.

    Rule q reads codes ``offset[q] .. offset[q + 1]`` of a shared code space; candidate i's codes
    for rule q are ``data[ptr[q * n + i] : ptr[q * n + i + 1]]`` (already shifted by the offset).
    ``partners`` lists each candidate's together (``want`` 1) and apart (``want`` 0) partners in
    the same layout (``partner_ptr`` by candidate), each for round ``when`` (from 0; -1: every
    round)."""

    reading: np.ndarray
    low: np.ndarray
    high: np.ndarray
    offset: np.ndarray
    ptr: np.ndarray
    data: np.ndarray
    partner_ptr: np.ndarray
    partner: np.ndarray
    want: np.ndarray
    when: np.ndarray


class GroupRules:
    """A group's rules compiled: ``violation(members) == 0`` iff all hold."""

    def __init__(
        self,
        candidates: Sequence[Organisation],
        rules: Sequence[kinds.AnyRule],
        together: Sequence[tuple[int, int]] = (),
        apart: Sequence[tuple[int, int]] = (),
        extra: Sequence[CodedRule] = (),
        apart_in: Sequence[tuple[int, int, Sequence[int]]] = (),
    ) -> None:
        self.n = len(candidates)
        self.coded = [compile_rule(rule, candidates) for rule in rules] + list(extra)
        # Only group sizes and no pairs: any partition with the right sizes is valid.
        self.sizes_only = all(isinstance(rule, kinds.Size) for rule in rules) and not (
            together or apart or extra or apart_in
        )
        # Each candidate's partners: (partner, wanted together, the round (from 0) or -1: every).
        self.partner: dict[int, list[tuple[int, bool, int]]] = {}
        pairs = [(a, b, w, -1) for w, ps in ((True, together), (False, apart)) for a, b in ps]
        pairs += [(a, b, False, r) for a, b, rounds in apart_in for r in rounds]
        for a, b, wanted, r in pairs:
            self.partner.setdefault(a, []).append((b, wanted, r))
            self.partner.setdefault(b, []).append((a, wanted, r))

    def violation(self, members: Sequence[int], r: int = -1) -> int:
        """How far the group (of round ``r``, from 0) is from meeting its rules and pairs."""
        total = sum(rule(members) for rule in self.coded)
        if self.partner:
            inside = set(members)
            for i in members:
                for j, wanted, when in self.partner.get(i, ()):
                    if when in (-1, r) and (j in inside) != wanted:
                        total += 1
        return total

    def tables(self) -> RuleTables:
        """The rules and pairs as flat arrays (see :class:`RuleTables`)."""
        offset, ptr, data = [0], [0], list[int]()
        for rule in self.coded:
            width = 1 + max((c for codes in rule.codes for c in codes), default=-1)
            if rule.reading == Reading.DISTINCT:
                width = max(width, 1)
            for codes in rule.codes:
                data.extend(offset[-1] + c for c in codes)
                ptr.append(len(data))
            offset.append(offset[-1] + width)
        partner_ptr, partner, want, when = [0], [], [], []
        for i in range(self.n):
            for j, wanted, r in self.partner.get(i, ()):
                partner.append(j)
                want.append(int(wanted))
                when.append(r)
            partner_ptr.append(len(partner))
        ints = np.int64
        return RuleTables(
            reading=np.array([int(r.reading) for r in self.coded], dtype=ints),
            low=np.array([r.low for r in self.coded], dtype=ints),
            high=np.array([r.high for r in self.coded], dtype=ints),
            offset=np.array(offset, dtype=ints),
            ptr=np.array(ptr, dtype=ints),
            data=np.array(data, dtype=ints),
            partner_ptr=np.array(partner_ptr, dtype=ints),
            partner=np.array(partner, dtype=ints),
            want=np.array(want, dtype=ints),
            when=np.array(when, dtype=ints),
        )
