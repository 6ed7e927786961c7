"""Repair of repeated meetings: tabu search after Dotú & Van Hentenryck, "Scheduling social golfers
locally" (CPAIOR 2005).

Each iteration makes the best swap, over all rounds, of a member in conflict with a member of
another group of the same round; undoing it is tabu for a random 4-100 iterations unless it beats
the best count; after ``STABLE`` iterations without a better count the search restarts from the best
schedule, shaken by a few random swaps. A swap that would break a group's rule is refused.

Only the rows of members in conflict are evaluated, each against everyone in its round, in one batch
of numpy operations: for x in group a and y in group b of round r, the change is
met(x, b - y) + met(y, a - x) - repeats(x, a) - repeats(y, b), where met counts members already met
and repeats those met more than once.
"""

from __future__ import annotations

import random

import numpy as np

from consortium_solver.clock import Clock
from consortium_solver.group.search.state import (
    Costs,
    Schedule,
    Value,
    apply_swap,
    swap_delta,
    swapped,
)

TABU_TENURE = (4, 100)  # iterations a swap stays tabu (Dotú & Van Hentenryck 2005)
STABLE = 1_000  # repair iterations without a better count before a restart from the best


class ConflictRepair:
    """Tabu search on the repeated meetings of one schedule, in place."""

    def __init__(
        self, costs: Costs, schedule: Schedule, values: list[list[Value]], rng: random.Random
    ) -> None:
        self.costs, self.schedule, self.values, self.rng = costs, schedule, values, rng
        self.meet = schedule.meet
        n_rounds, n = len(schedule.rounds), self.meet.shape[0]
        # where[r, i]: the group of member i in round r (-1: unplaced)
        self.where = np.full((n_rounds, n), -1, dtype=np.int64)
        for r, groups in enumerate(schedule.rounds):
            for h, grp in enumerate(groups):
                self.where[r, grp] = h
        self.n_groups = int(self.where.max()) + 1 if n else 0
        self.tabu = np.zeros((n_rounds, n, n), dtype=np.int32)

    def run(self, clock: Clock) -> None:
        """Swap until no pair meets twice or the clock runs out; keep the best schedule seen."""
        if self.n_groups < 2:
            return
        conflicts = best = self.schedule.conflicts()
        kept = (self.where.copy(), self.meet.copy())
        it = since_best = 0
        while conflicts > 0 and not clock.expired():
            it += 1
            move = self._best_swap(conflicts, best, it)
            if move is None:
                self.tabu[:] = 0
                continue
            r, x, y, delta = move
            if not self._swap(r, x, y):
                self.tabu[r, x, y] = self.tabu[r, y, x] = it + 3  # it breaks a group's rule
                continue
            conflicts += delta
            self.tabu[r, x, y] = self.tabu[r, y, x] = it + self.rng.randint(*TABU_TENURE)
            if conflicts < best:
                best, since_best = conflicts, 0
                kept = (self.where.copy(), self.meet.copy())
            else:
                since_best += 1
            if since_best > STABLE:
                self._restore(kept)
                conflicts = best + self._shake()
                self.tabu[:] = 0
                since_best = 0
        if conflicts > best:
            self._restore(kept)

    def _best_swap(self, conflicts: int, best: int, it: int) -> tuple[int, int, int, int] | None:
        """(round, x, y, change in conflicts) of a best allowed swap, ties at random."""
        meet, where, n_groups = self.meet, self.where, self.n_groups
        n = meet.shape[0]
        repeats = _repeats_per_member(meet, where)
        rs, xs = np.nonzero(repeats)
        k = len(rs)
        met = (meet >= 1).astype(np.int64)
        groups_of = where[rs]  # (k, n): the group of everyone in the row's round
        placed = groups_of >= 0
        own = groups_of[np.arange(k), xs]
        safe = np.where(placed, groups_of, 0)
        met_x = met[xs]
        # met_in[i, h]: members of group h (in row i's round) that x_i has met.
        flat = (np.arange(k)[:, None] * n_groups + safe)[placed]
        met_in = np.bincount(flat, weights=met_x[placed], minlength=k * n_groups)
        met_in = met_in.reshape(k, n_groups)
        joins_x = met_in[np.arange(k)[:, None], safe] - met_x
        mates = (groups_of == own[:, None]).astype(np.int64)
        joins_y = mates @ met - met_x  # what y meets in x's group (x itself aside)
        delta = joins_x + joins_y - repeats[rs, xs][:, None] - repeats[rs]
        allowed = placed & (groups_of != own[:, None])
        everyone = np.arange(n)
        allowed &= (self.tabu[rs[:, None], xs[:, None], everyone[None, :]] <= it) | (
            conflicts + delta < best
        )
        if not allowed.any():
            return None
        score = np.where(allowed, delta, np.iinfo(np.int64).max)
        low = score.min()
        ties = np.flatnonzero(score == low)
        row, y = divmod(int(ties[self.rng.randrange(len(ties))]), n)
        return int(rs[row]), int(xs[row]), y, int(low)

    def _swap(self, r: int, x: int, y: int) -> bool:
        """Swap x and y in round r unless that breaks a group's rule; whether it was made."""
        groups, values = self.schedule.rounds[r], self.values[r]
        a, b = int(self.where[r, x]), int(self.where[r, y])
        a_new, b_new = swapped(groups[a], x, y), swapped(groups[b], y, x)
        new_a, new_b = self.costs.group_value(a_new), self.costs.group_value(b_new)
        if new_a[0] + new_b[0] > values[a][0] + values[b][0]:
            return False
        apply_swap(self.meet, groups[a], x, groups[b], y)
        groups[a], groups[b] = a_new, b_new
        self.where[r, x], self.where[r, y] = b, a
        values[a], values[b] = new_a, new_b
        return True

    def _restore(self, kept: tuple[np.ndarray, np.ndarray]) -> None:
        """Back to a kept group table and meeting counts; groups and values follow."""
        self.where[:], self.meet[:] = kept
        for r, groups in enumerate(self.schedule.rounds):
            for h, grp in enumerate(groups):
                members = [int(i) for i in np.flatnonzero(self.where[r] == h)]
                if sorted(grp) != members:
                    groups[h] = members
                    self.values[r][h] = self.costs.group_value(members)

    def _shake(self) -> int:
        """A few random swaps that break no group rule; returns the change in conflicts."""
        change = 0
        n = self.meet.shape[0]
        for _ in range(min(max(4, n // 4), 32)):
            r = self.rng.randrange(len(self.schedule.rounds))
            groups = self.schedule.rounds[r]
            ga, gb = self.rng.sample(range(len(groups)), 2)
            x, y = self.rng.choice(groups[ga]), self.rng.choice(groups[gb])
            delta = swap_delta(self.meet, groups[ga], x, groups[gb], y)
            if self._swap(r, x, y):
                change += delta
        return change


def _repeats_per_member(meet: np.ndarray, where: np.ndarray) -> np.ndarray:
    """repeats[r, i]: members of i's group in round r whom i meets more than once in all."""
    p, q = np.nonzero(np.triu(meet > 1))
    repeats = np.zeros(where.shape, dtype=np.int64)
    if len(p):
        together = (where[:, p] == where[:, q]) & (where[:, p] >= 0)
        rounds, pairs = np.nonzero(together)
        np.add.at(repeats, (rounds, p[pairs]), 1)
        np.add.at(repeats, (rounds, q[pairs]), 1)
    return repeats
