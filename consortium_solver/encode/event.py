"""An exact CP-SAT model of a small event: several rounds, each a partition of that round's
attendees into groups under the call's rules — the model the grouping search works on, solved to
optimality where it is small (``group`` with at most 16 attendees a round).

Per round, one :class:`~consortium_solver.encode.partition` group per table (or per group the
construction would make), each with its seats; the absent are in no group; no pair shares a group in
more than ``max_meetings`` rounds (together pairs aside); pairs always together or apart, apart or
seated together in given rounds, table hosts at their tables and fixed seats; bounds on a column's
value (a count per group); and each categorical balanced column's deviation — the members beyond
the floor or ceiling of their value's ideal count (the group's size times the value's share among
the round's attendees) — taken from the score, as the search's kernels do. Lexicographic, one
solve per phase: first as many seated as possible, then the objective (in min mode the worst group
first); each phase keeps the previous one's value as a constraint and its solution as a hint, so a
phase out of time leaves the previous phase's schedule (status unproven). Numeric balance (a square of a mean) is not modelled: events with a numeric balanced
column are left to the search.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from consortium_solver.domain import Status
from consortium_solver.encode.model import SelectionModel
from consortium_solver.encode.partition import FOUND, Partition, hint_from
from consortium_solver.encode.runner import STATUS, SolveLimits, configure, run_solver
from consortium_solver.rules import Mode, Problem

Pair = tuple[int, int]


@dataclass(frozen=True)
class Category:
    """A categorical balanced column: each candidate's value code (-1: blank), each value's share
    of each round's attendees, and the score points one member off costs."""

    codes: Sequence[int]
    shares: Sequence[Sequence[float]]
    points: float


@dataclass(frozen=True)
class Count:
    """A bound: every group holds ``low``..``high`` (None: no most) of the candidates hit."""

    hits: Sequence[bool]
    low: int
    high: int | None


@dataclass
class EventSpec:
    """A small event over the problem's candidates (by index): ``caps[r][g]`` the seats of group g
    of round r, ``absent[r]`` those away from round r; the pairs and seats as the search takes them
    (rounds from 0)."""

    problem: Problem
    caps: list[list[int]]
    absent: list[frozenset[int]]
    max_meetings: int = 1
    together: list[Pair] = field(default_factory=list)
    apart: list[Pair] = field(default_factory=list)
    apart_in: Sequence[tuple[int, int, Sequence[int]]] = field(default_factory=list)
    pairs: list[list[Pair]] = field(default_factory=list)
    hosts: list[int] = field(default_factory=list)
    fixed: list[list[Pair]] = field(default_factory=list)
    bounds: list[Count] = field(default_factory=list)
    categories: list[Category] = field(default_factory=list)


@dataclass(frozen=True)
class EventOutcome:
    """Each round's groups (group k at table k; empty where unused) and unplaced (candidate
    indices), and the status."""

    status: Status
    rounds: list[list[list[int]]] | None
    unplaced: list[list[int]]


class _Event:
    """The shared model: one partition per round, and the rules across rounds."""

    def __init__(self, spec: EventSpec) -> None:
        self.spec = spec
        self.model = cp_model.CpModel()
        self.rounds: list[Partition] = []
        self.penalties: list[tuple[int, cp_model.IntVar]] = []  # (points, members off)
        ids = [o.id for o in spec.problem.candidates]
        for r, caps in enumerate(spec.caps):
            p = Partition(spec.problem, model=self.model)
            for g, cap in enumerate(caps):
                p.add_group(g)
                m, u = p.selections[g], p.used[g]
                self.model.add(m.size() <= cap * u)
                self._counts(m.x, ids, u, r, p.scale)
            for g in range(len(caps) - 1):
                self.model.add(p.used[g] >= p.used[g + 1])
            if len(set(caps)) == 1 and not spec.hosts and not (spec.fixed and spec.fixed[r]):
                self._ordered(r, p)
            for i, org in enumerate(spec.problem.candidates):
                xs = [m.x[org.id] for m in p.selections]
                if i in spec.absent[r]:
                    self.model.add(cp_model.LinearExpr.sum(xs) == 0)
                else:
                    self.model.add(cp_model.LinearExpr.sum(xs) <= 1)
            self.rounds.append(p)
        self._pairs(ids)
        self._meetings(ids)

    def x(self, r: int, g: int, i: int) -> cp_model.IntVar:
        return self.rounds[r].selections[g].x[self.spec.problem.candidates[i].id]

    def _ordered(self, r: int, p: Partition) -> None:
        """Interchangeable groups in one order: each group's first member (by candidate index)
        comes after the group before's, so that no schedule is searched once per relabelling of
        its groups (the usual symmetry breaking of a set partition)."""
        candidates = self.spec.problem.candidates
        attendees = [o.id for i, o in enumerate(candidates) if i not in self.spec.absent[r]]
        for before, group in itertools.pairwise(p.selections):
            for k, member in enumerate(attendees):
                earlier = [before.x[other] for other in attendees[:k]]
                self.model.add(group.x[member] <= cp_model.LinearExpr.sum(earlier))

    def _counts(
        self, x: dict[str, cp_model.IntVar], ids: list[str], u: cp_model.IntVar, r: int, scale: int
    ) -> None:
        """A group's bounds, and its categorical balance's deviation as a penalty (in the
        objective's integer units: ``scale`` per score point)."""
        model = self.model
        size = cp_model.LinearExpr.sum([x[i] for i in ids])
        for bound in self.spec.bounds:
            hit = cp_model.LinearExpr.sum([x[i] for i, h in zip(ids, bound.hits, strict=True) if h])
            model.add(hit >= bound.low * u)
            if bound.high is not None:
                model.add(hit <= bound.high)
        most = len(ids)
        s = model.new_int_var(0, most, "size")
        model.add(s == size)
        for category in self.spec.categories:
            for v, share in enumerate(category.shares[r]):
                floors = [math.floor(k * share + 1e-9) for k in range(most + 1)]
                ceils = [math.ceil(k * share - 1e-9) for k in range(most + 1)]
                low, high = model.new_int_var(0, most, "lo"), model.new_int_var(0, most, "hi")
                model.add_element(s, floors, low)
                model.add_element(s, ceils, high)
                members = [x[i] for i, c in zip(ids, category.codes, strict=True) if c == v]
                count = cp_model.LinearExpr.sum(members)
                off = model.new_int_var(0, most, "off")
                model.add(off >= low - count)
                model.add(off >= count - high)
                self.penalties.append((round(category.points * scale), off))

    def _pairs(self, ids: list[str]) -> None:
        """Pairs always together or apart, apart or together in given rounds, hosts, seats."""
        spec, model = self.spec, self.model
        for r, p in enumerate(self.rounds):
            groups = range(len(p.selections))
            away = spec.absent[r]
            for a, b in spec.together:
                if a not in away and b not in away:
                    for g in groups:
                        model.add(self.x(r, g, a) == self.x(r, g, b))
            apart = [(a, b) for a, b in spec.apart]
            apart += [(a, b) for a, b, rounds in spec.apart_in if r in rounds]
            for a, b in apart:
                for g in groups:
                    model.add(self.x(r, g, a) + self.x(r, g, b) <= 1)
            for a, b in spec.pairs[r] if spec.pairs else ():
                model.add(cp_model.LinearExpr.sum([self.x(r, g, a) for g in groups]) == 1)
                for g in groups:
                    model.add(self.x(r, g, a) == self.x(r, g, b))
            seats = [(h, k) for k, h in enumerate(h for h in spec.hosts if h not in away)]
            seats += spec.fixed[r] if spec.fixed else []
            for i, k in seats:
                model.add(self.x(r, k, i) == 1)

    def _meetings(self, ids: list[str]) -> None:
        """No pair shares a group in more than ``max_meetings`` rounds (together pairs aside)."""
        spec, model = self.spec, self.model
        if len(self.rounds) <= spec.max_meetings:
            return
        exempt = {frozenset(p) for p in spec.together}
        n = len(ids)
        for i in range(n):
            for j in range(i + 1, n):
                if frozenset((i, j)) in exempt:
                    continue
                shared = []
                for r, p in enumerate(self.rounds):
                    if i in spec.absent[r] or j in spec.absent[r]:
                        continue
                    for g in range(len(p.selections)):
                        both = model.new_bool_var("both")
                        model.add(both >= self.x(r, g, i) + self.x(r, g, j) - 1)
                        shared.append(both)
                if len(shared) > spec.max_meetings:
                    model.add(cp_model.LinearExpr.sum(shared) <= spec.max_meetings)

    def score(self, r: int, g: int) -> cp_model.LinearExprT:
        return self.rounds[r].scores[g]


def ids_in(solver: cp_model.CpSolver, m: SelectionModel) -> list[str]:
    """The members of a group in the solver's solution (an empty group kept: its table's)."""
    return [o.id for o in m.orgs if solver.boolean_value(m.x[o.id])]


def event_exact(spec: EventSpec, *, mode: Mode = "sum", limits: SolveLimits) -> EventOutcome:
    """The best schedule of the small event: first as many seated as possible, then the objective
    (the total score less the balance penalty; in min mode the worst group first). Each phase
    gets ``limits``; a phase out of time leaves the previous one's schedule (status unproven)."""
    event = _Event(spec)
    model = event.model
    placed = cp_model.LinearExpr.sum(
        [x for p in event.rounds for m in p.selections for x in m.x.values()]
    )
    phases: list[cp_model.LinearExprT] = [placed]
    scores = [s for p in event.rounds for s in p.scores]
    offs = [off for _, off in event.penalties]
    total = cp_model.LinearExpr.weighted_sum(
        [*scores, *offs], [*(1 for _ in scores), *(-w for w, _ in event.penalties)]
    )
    if mode == "min":
        scale = event.rounds[0].scale if event.rounds else 1
        worst = model.new_int_var(-scale * 10**6, scale * 10**6, "worst")
        for p in event.rounds:
            for u, score in zip(p.used, p.scores, strict=True):
                model.add(worst <= score).only_enforce_if(u)
        phases.append(worst)
    phases.append(total)
    found: list[list[list[int]]] | None = None
    proven = True
    index = {o.id: i for i, o in enumerate(spec.problem.candidates)}
    for goal in phases:
        model.maximize(goal)
        solver = cp_model.CpSolver()
        configure(solver, limits)
        status = run_solver(solver, model)
        proven = proven and status == cp_model.OPTIMAL
        if status not in FOUND:
            if found is None:
                everyone = list(range(len(index)))
                return EventOutcome(STATUS[status], None, [everyone for _ in spec.caps])
            break
        found = [
            [[index[o] for o in ids_in(solver, m)] for m in p.selections] for p in event.rounds
        ]
        model.add(goal >= int(solver.value(goal)))
        hint_from(model, solver)
    assert found is not None
    unplaced = [
        [i for i in range(len(index)) if i not in away and all(i not in g for g in groups)]
        for groups, away in zip(found, spec.absent, strict=True)
    ]
    return EventOutcome(Status.OPTIMAL if proven else Status.FEASIBLE, found, unplaced)
