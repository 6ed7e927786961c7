"""First schedules: a design or a cyclic schedule where one applies, else a greedy construction.

The greedy construction seeds each group with the scarcest members a rule asks for (e.g. one per
group from a less developed or transition region), then fills the groups, each organisation going to
the smallest group where it meets nobody it met before and adds a new country.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence

import numpy as np

from consortium_solver.group.constraints import GroupRules
from consortium_solver.group.constructions import CyclicSearch, known_rounds
from consortium_solver.group.search.state import EXEMPT, Schedule, meet_group, schedule_of
from consortium_solver.rules import MinCount, Problem

# Cyclic schedules are tried up to this many member-rounds (e.g. 300 members over 20 rounds); the
# tight schedules they are for are small, and larger ones are easy for the repair.
CYCLIC_MAX_WORK = 6_000


class Construction:
    """Builds the first schedule of ``n_rounds`` partitions of the problem's candidates."""

    def __init__(
        self,
        problem: Problem,
        rules: GroupRules,
        n_rounds: int,
        together: Sequence[tuple[int, int]],
        rng: random.Random,
    ) -> None:
        self.n = problem.n
        self.min_size, self.max_size = problem.min_size, problem.max_size
        self.rules, self.n_rounds, self.rng = rules, n_rounds, rng
        self.together = list(together)
        self.countries = [o.country for o in problem.candidates]
        self.scarce = _scarce(problem)

    def group_count(self) -> int:
        """As many groups as let everyone be placed, no more than the scarce members allow; over
        several rounds, more (and smaller) groups when the fewest would need more distinct pairs
        than the pool has."""
        # The fewest groups that hold everyone: larger groups have more pairs to score.
        most = self.n // self.min_size
        for hit in self.scarce:
            most = min(most, len(hit))
        g = min(most, math.ceil(self.n / self.max_size))
        # Counting: R rounds without a repeat use R * (pairs per round) distinct pairs. E.g. 32
        # members in groups of 3..5 over 10 rounds: 7 groups (5,5,5,5,4,4,4) need 580 > 496 pairs,
        # 8 groups of 4 need 480.
        if self.n_rounds > 1:
            while g < most and self.n_rounds * _pairs(self.n, g) > self.n * (self.n - 1) // 2:
                g += 1
        return max(g, 0)

    def construct(self, deadline: float | None = None, designs: bool = True) -> Schedule:
        """A first schedule. With several rounds and no rule but the group sizes, a schedule from a
        finite geometry (``designs=False`` skips them, for benchmarks) where the numbers fit one,
        else a cyclic schedule tried until ``deadline``; else the greedy construction."""
        g = self.group_count()
        if self.n_rounds > 1 and self.rules.sizes_only and deadline is not None and g >= 2:
            found = self._by_design(g, deadline, designs)
            if found is not None:
                return schedule_of(self.n, found)
        size = self.n if self.n_rounds > 1 else 0
        meet = np.zeros((size, size), dtype=np.int16)
        if size:
            # Together pairs share a group by request in every round: their meetings never count
            # as repeats (the validator agrees), so their count starts far below 1.
            for a, b in self.together:
                meet[a, b] = meet[b, a] = -EXEMPT
        rounds, unplaced = [], []
        for _ in range(self.n_rounds):
            groups, rest = self._greedy_round(g, meet)
            rounds.append(groups)
            unplaced.append(rest)
            if meet.size:
                for grp in groups:
                    meet_group(meet, grp)
        return Schedule(rounds, unplaced, meet)

    def _by_design(self, g: int, deadline: float, designs: bool) -> list[list[list[int]]] | None:
        q, extra = divmod(self.n, g)
        if not (self.min_size <= q and q + (extra > 0) <= self.max_size):
            return None
        if designs and not extra:
            designed = known_rounds(self.n, q, self.n_rounds)
            if designed is not None:
                return self._relabelled(designed)
        if self.n * self.n_rounds > CYCLIC_MAX_WORK:  # its set-up is O(n^2 R) in Python
            return None
        sizes = [q + 1] * extra + [q] * (g - extra)
        return CyclicSearch(self.n, sizes, self.n_rounds, self.rng).search(deadline)

    def _relabelled(self, rounds: list[list[list[int]]]) -> list[list[list[int]]]:
        """The same schedule with members renamed at random (per seed), so that a construction
        does not always put the pool's first rows together."""
        names = list(range(self.n))
        self.rng.shuffle(names)
        return [[sorted(names[m] for m in grp) for grp in groups] for groups in rounds]

    def _greedy_round(self, g: int, meet: np.ndarray) -> tuple[list[list[int]], list[int]]:
        if g == 0:
            return [], list(range(self.n))
        groups: list[list[int]] = [[] for _ in range(g)]
        placed: set[int] = set()
        for hit in self.scarce:  # one of each scarce kind per group, round robin
            self._seed(groups, hit, placed)
        order = [i for i in range(self.n) if i not in placed]
        self.rng.shuffle(order)
        capacity = g * self.max_size
        for i in order:
            if sum(len(grp) for grp in groups) >= capacity:
                break
            best, best_key = None, None
            for gi, grp in enumerate(groups):
                if len(grp) >= self.max_size:
                    continue
                met = int(meet[i, grp].sum()) if meet.size and grp else 0
                new_country = self.countries[i] not in {self.countries[j] for j in grp}
                key = (met, len(grp) >= self.min_size, not new_country, len(grp), self.rng.random())
                if best_key is None or key < best_key:
                    best, best_key = gi, key
            if best is not None:
                groups[best].append(i)
                placed.add(i)
        return groups, [i for i in range(self.n) if i not in placed]

    def _seed(self, groups: list[list[int]], hit: list[int], placed: set[int]) -> None:
        """One member of a scarce kind into each group that has none yet, while they last."""
        pool = [i for i in hit if i not in placed]
        self.rng.shuffle(pool)
        k = 0
        for grp in groups:
            if any(i in hit for i in grp):
                continue
            while k < len(pool) and pool[k] in placed:
                k += 1
            if k < len(pool):
                grp.append(pool[k])
                placed.add(pool[k])
                k += 1


def _scarce(problem: Problem) -> list[list[int]]:
    """Members each group needs a share of: those matching a min_count rule, scarcest first."""
    out = []
    for rule in problem.rules:
        if isinstance(rule, MinCount):
            hit = [i for i, o in enumerate(problem.candidates) if rule.matches(o)]
            out.append((len(hit) / rule.min, rule.min, hit))
    return [hit for _, _, hit in sorted(out, key=lambda t: t[0])]


def _pairs(n: int, g: int) -> int:
    """Pairs within g groups of as equal sizes as can be (n members)."""
    q, extra = divmod(n, g)
    return extra * (q + 1) * q // 2 + (g - extra) * q * (q - 1) // 2
