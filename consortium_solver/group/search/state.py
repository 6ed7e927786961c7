"""The grouping search's state and costs: a schedule of groups over rounds, the meeting counts, and
how a group and a round are valued.

The cost is lexicographic, folded into one number: first the *hard* part — rule violations inside
groups (a group's rules, ``together`` and ``apart`` pairs) and pairs meeting more than once across
rounds, each weighing :data:`HARD` — then minus the objective (the total score, or the worst group's
score and then the total). :meth:`Costs.is_valid` says whether a cost has no hard part.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from consortium_solver.group.constraints import GroupRules
from consortium_solver.rules import Mode, Problem
from consortium_solver.scoring import Scorer

HARD = 1_000_000.0  # weight of one violation or repeated meeting against score points
EXEMPT = 10_000  # meeting-count offset of together pairs (int16 counts; rounds stay far below)

# A group's value: (rule violations, score).
Value = tuple[int, float]


@dataclass
class Schedule:
    """Rounds of groups (candidate indices), the unplaced per round, and the meeting counts
    (``meet[i, j]``: the rounds in which i and j share a group; empty for a single round)."""

    rounds: list[list[list[int]]]
    unplaced: list[list[int]]
    meet: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.int16))

    def copy(self) -> Schedule:
        return Schedule(
            [[list(g) for g in groups] for groups in self.rounds],
            [list(u) for u in self.unplaced],
            self.meet.copy(),
        )

    def conflicts(self) -> int:
        """Pairs' meetings beyond the first, summed over pairs."""
        if not self.meet.size:
            return 0
        return int(np.maximum(self.meet.astype(np.int64) - 1, 0).sum()) // 2


class Costs:
    """Values groups and rounds: the rules' violations and the scorer's score."""

    def __init__(self, problem: Problem, rules: GroupRules, mode: Mode) -> None:
        self.rules = rules
        self.mode = mode
        self.scorer = Scorer(problem.candidates, problem.objective, problem.links)

    def group_value(self, members: Sequence[int]) -> Value:
        return self.rules.violation(members), self.scorer.score(members)

    def objective(self, scores: Sequence[float]) -> float:
        """The round's objective: the total, or (min mode) the worst group first, then the total."""
        if not scores:
            return 0.0
        total = math.fsum(scores)
        if self.mode == "min":
            return (len(scores) + 1) * 1000.0 * min(scores) + total
        return total

    def change(self, row: list[Value], changes: Sequence[tuple[int, Value]]) -> float:
        """The change in a round's cost when the groups ``changes`` names take their new values:
        from those groups alone in sum mode, from the whole round in min mode."""
        if self.mode == "sum":
            return math.fsum(
                HARD * (new[0] - row[g][0]) - (new[1] - row[g][1]) for g, new in changes
            )
        before = self.round_cost(row)
        changed = list(row)
        for g, new in changes:
            changed[g] = new
        return self.round_cost(changed) - before

    def round_cost(self, values: Sequence[Value]) -> float:
        return HARD * sum(v for v, _ in values) - self.objective([s for _, s in values])

    @staticmethod
    def is_valid(cost: float) -> bool:
        """Whether a cost has no hard part (no violation, no repeated meeting)."""
        return cost < HARD / 10


def schedule_of(n: int, rounds: list[list[list[int]]]) -> Schedule:
    """A schedule in which everyone is placed, with its meeting counts."""
    meet = np.zeros((n, n), dtype=np.int16)
    for groups in rounds:
        for grp in groups:
            meet_group(meet, grp)
    return Schedule(rounds, [[] for _ in rounds], meet)


def meet_group(meet: np.ndarray, group: Sequence[int]) -> None:
    """Everyone in the group meets everyone else in it once more."""
    idx = np.array(group)
    meet[np.ix_(idx, idx)] += 1
    meet[idx, idx] -= 1


def leave(meet: np.ndarray, i: int, group: Sequence[int]) -> None:
    """i leaves a group: one meeting less with each other member."""
    others = [k for k in group if k != i]
    meet[i, others] -= 1
    meet[others, i] -= 1


def join(meet: np.ndarray, i: int, group: Sequence[int]) -> None:
    """i joins a group: one meeting more with each of its members."""
    others = [k for k in group if k != i]
    meet[i, others] += 1
    meet[others, i] += 1


def swap_delta(meet: np.ndarray, a_grp: list[int], i: int, b_grp: list[int], j: int) -> int:
    """Change in repeated meetings when i (in a_grp) and j (in b_grp) swap."""
    d = 0
    for k in a_grp:
        if k != i:
            d -= meet[i, k] > 1  # i leaves k
            d += meet[j, k] >= 1  # j joins k
    for k in b_grp:
        if k != j:
            d -= meet[j, k] > 1
            d += meet[i, k] >= 1
    return d


def apply_swap(meet: np.ndarray, a_grp: list[int], i: int, b_grp: list[int], j: int) -> None:
    """Record that i (in a_grp) and j (in b_grp) swap groups."""
    leave(meet, i, a_grp)
    join(meet, j, [k for k in a_grp if k != i])
    leave(meet, j, b_grp)
    join(meet, i, [k for k in b_grp if k != j])


def swapped(group: list[int], out: int, into: int) -> list[int]:
    """The group with ``out`` replaced by ``into``."""
    return [into if k == out else k for k in group]
