"""The grouping search's state and costs: a schedule of groups over rounds, the meeting counts, and
how a group and a round are valued.

The cost is lexicographic, folded into one number: first the *hard* part — rule violations inside
groups (a group's rules, ``together`` and ``apart`` pairs) and pairs meeting more than once across
rounds, each weighing :data:`HARD` — then minus the objective (the total score, or the worst group's
score and then the total; ``kernels._round_cost``, ``kernels.schedule_cost``). :func:`is_valid`
says whether a cost has no hard part.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from consortium_solver.core.native import random_state
from consortium_solver.domain import Term
from consortium_solver.group.constraints import GroupRules
from consortium_solver.group.search.kernels import (
    HARD,
    WORD,
    Arrays,
    ScoreTables,
    Scratch,
    evaluate_all,
    scratch_for,
)
from consortium_solver.rules import Mode, Problem
from consortium_solver.scoring import Scorer, codes_of

EXEMPT = 10_000  # meeting-count offset of together pairs (int16 counts; rounds stay far below)

# The objective's terms in the order of the kernels' weights (kernels.ScoreTables).
TERMS = (
    Term.SECTOR_LINKS,
    Term.NEEDS_MET,
    Term.COUNTRIES,
    Term.DEVELOPMENT_MIX,
    Term.MATURITY_MIX,
    Term.SIZE,
)


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
        """Pairs' meetings beyond the allowed ones, summed over pairs."""
        if not self.meet.size:
            return 0
        return int(np.maximum(self.meet.astype(np.int64) - 1, 0).sum()) // 2


def is_valid(cost: float) -> bool:
    """Whether a cost has no hard part (no violation, no repeated meeting)."""
    return cost < HARD / 10


def new_meetings(n: int, allowed: int = 1) -> np.ndarray:
    """A table of who met whom before any round: each pair starts ``allowed - 1`` below zero, so
    that the kernels' "more than once" is "more than ``allowed`` times" (``--max-meetings``)."""
    meet = np.full((n, n), -(allowed - 1), dtype=np.int16)
    np.fill_diagonal(meet, 0)
    return meet


def schedule_of(n: int, rounds: list[list[list[int]]], allowed: int = 1) -> Schedule:
    """A schedule in which everyone is placed, with its meeting counts."""
    meet = new_meetings(n, allowed)
    for groups in rounds:
        for grp in groups:
            meet_group(meet, grp)
    return Schedule(rounds, [[] for _ in rounds], meet)


def meet_group(meet: np.ndarray, group: Sequence[int]) -> None:
    """Everyone in the group meets everyone else in it once more."""
    idx = np.array(group)
    meet[np.ix_(idx, idx)] += 1
    meet[idx, idx] -= 1


def _words(masks: Sequence[int]) -> np.ndarray:
    """Python bitmasks as rows of int64 words of ``WORD`` bits."""
    width = max(1, -(-max((m.bit_length() for m in masks), default=0) // WORD))
    out = np.zeros((len(masks), width), dtype=np.int64)
    low = (1 << WORD) - 1
    for i, m in enumerate(masks):
        for w in range(width):
            out[i, w] = (m >> (w * WORD)) & low
    return out


def no_balance(n: int) -> dict[str, np.ndarray]:
    """The kernels' balance tables when nothing is balanced (``group.balance.balance_arrays``)."""
    return {
        "bal_codes": np.zeros((0, n), dtype=np.int64),
        "bal_offset": np.zeros(1, dtype=np.int64),
        "bal_share": np.zeros((1, 1), dtype=np.float64),
        "bal_weight": np.zeros(0, dtype=np.float64),
        "bal_common": np.zeros((1, 1), dtype=np.int64),
        "bal_common_ptr": np.zeros((1, 1), dtype=np.int64),
        "num_values": np.zeros((0, n), dtype=np.float64),
        "num_mean": np.zeros((1, 0), dtype=np.float64),
        "num_weight": np.zeros(0, dtype=np.float64),
    }


def score_tables(scorer: Scorer, balance: Mapping[str, np.ndarray] | None = None) -> ScoreTables:
    """The scorer's bitmasks, codes and weights as the kernels' arrays, with the balance tables
    (none: nothing balanced)."""
    ms = scorer.members
    pair_sum = np.array(scorer.pair_sum if scorer.pair_sum is not None else [0.0])
    link = np.array(scorer.link, dtype=np.float64).reshape(len(scorer.link), len(scorer.link))
    development, index = codes_of([m.development.value if m.development else "" for m in ms])
    if "" in index:
        development[development == index[""]] = -1
    return ScoreTables(
        sectors=_words([m.sectors for m in ms]),
        offers=_words([m.offers for m in ms]),
        needs=_words([m.needs for m in ms]),
        country=codes_of([m.country for m in ms])[0],
        development=development,
        maturity=codes_of([m.maturity for m in ms])[0],
        pair_sum=pair_sum.astype(np.float64),
        link=link,
        weights=np.array([scorer.w[t] for t in TERMS], dtype=np.float64),
        **(balance or no_balance(len(ms))),
    )


class Compiled:
    """A problem's rules and objective as the kernels' tables, and schedules to and from arrays."""

    def __init__(
        self,
        problem: Problem,
        rules: GroupRules,
        mode: Mode,
        seed: int = 0,
        balance: Mapping[str, np.ndarray] | None = None,
        caps: Sequence[Sequence[int]] = (),
    ) -> None:
        self.n = problem.n
        self.rng = random_state(seed)  # the moves' random state, one stream through every phase
        self.rules = rules.tables()
        scorer = Scorer(problem.candidates, problem.objective, problem.links)
        self.scores = score_tables(scorer, balance)
        self.min_mode = mode == "min"
        self.sizes = (problem.min_size, problem.max_size)
        # caps[r][g]: the seats of group g of round r (its table's, the largest first); none:
        # the largest size.
        self.caps = [list(c) for c in caps]

    def arrays(
        self, schedule: Schedule, pinned: Sequence[tuple[int, int]] = ()
    ) -> tuple[Arrays, Scratch]:
        """The schedule as arrays (its groups' values computed), with scratch space to match;
        ``pinned`` (round, member) pairs stay in their groups whatever the search does."""
        n, n_rounds = self.n, len(schedule.rounds)
        most = max((len(groups) for groups in schedule.rounds), default=0)
        largest = max((len(g) for groups in schedule.rounds for g in groups), default=0)
        capacity = max(self.sizes[1], largest, 1)
        state = Arrays(
            members=np.zeros((n_rounds, max(most, 1), capacity + 1), dtype=np.int64),
            size=np.zeros((n_rounds, max(most, 1)), dtype=np.int64),
            n_groups=np.array([len(groups) for groups in schedule.rounds], dtype=np.int64),
            where=np.full((n_rounds, n), -1, dtype=np.int64),
            pos=np.zeros((n_rounds, n), dtype=np.int64),
            unplaced=np.zeros((n_rounds, n), dtype=np.int64),
            n_unplaced=np.array([len(u) for u in schedule.unplaced], dtype=np.int64),
            meet=schedule.meet,
            violation=np.zeros((n_rounds, max(most, 1)), dtype=np.int64),
            score=np.zeros((n_rounds, max(most, 1)), dtype=np.float64),
            pinned=np.zeros((n_rounds, n), dtype=np.bool_),
            cap=np.full((n_rounds, max(most, 1)), capacity, dtype=np.int64),
        )
        for r, seats in enumerate(self.caps[:n_rounds]):
            state.cap[r, : min(len(seats), most)] = seats[:most]
        for r, i in pinned:
            state.pinned[r, i] = True
        for r, groups in enumerate(schedule.rounds):
            for g, grp in enumerate(groups):
                state.members[r, g, : len(grp)] = grp
                state.size[r, g] = len(grp)
                state.where[r, grp] = g
                state.pos[r, grp] = np.arange(len(grp))
            rest = schedule.unplaced[r]
            state.unplaced[r, : len(rest)] = rest
            state.pos[r, rest] = np.arange(len(rest))
        work = scratch_for(self.rules, self.scores, n, capacity, self.rng)
        evaluate_all(self.rules, self.scores, work, state)
        return state, work

    @staticmethod
    def schedule(state: Arrays) -> Schedule:
        """The arrays as a schedule (groups in member order, sorted; the meeting counts shared)."""
        rounds = [
            [sorted(int(i) for i in state.members[r, g, : state.size[r, g]]) for g in range(count)]
            for r, count in enumerate(state.n_groups.tolist())
        ]
        unplaced = [
            sorted(int(i) for i in state.unplaced[r, :count])
            for r, count in enumerate(state.n_unplaced.tolist())
        ]
        return Schedule(rounds, unplaced, state.meet)
