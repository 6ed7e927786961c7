"""Improvement by simulated annealing over swaps, moves and exchanges with the unplaced, scoring only
the groups a move touches.

The cooling schedule and the stopping rule are small objects of their own (as the ALNS package
separates its acceptance criterion and stopping criterion from the search loop): geometric cooling
over the time to the deadline, and a stop at the deadline or after ``IDLE_STEPS`` steps without a
better schedule.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from consortium_solver.group.search.state import (
    HARD,
    Costs,
    Schedule,
    Value,
    apply_swap,
    join,
    leave,
    swap_delta,
)

IDLE_STEPS = 300_000  # annealing steps without a better schedule before stopping early
CHECK_EVERY = 64  # steps between looks at the clock

OnImprove = Callable[[Schedule, float], None]


@dataclass(frozen=True)
class GeometricCooling:
    """Temperature falling geometrically from ``hot`` to ``cold`` as time runs to the deadline."""

    hot: float = 2.0
    cold: float = 0.02

    def temperature(self, progress: float) -> float:
        """The temperature at ``progress`` (0 at the start, 1 at the deadline)."""
        return float(self.hot * (self.cold / self.hot) ** progress)


@dataclass
class DeadlineOrIdle:
    """Stop at the deadline, or after ``idle`` steps without a better schedule."""

    deadline: float
    idle: int = IDLE_STEPS
    start: float = field(default_factory=time.perf_counter)

    def progress(self, now: float) -> float:
        return (now - self.start) / max(self.deadline - self.start, 1e-3)

    def done(self, now: float) -> bool:
        return now >= self.deadline

    def idle_too_long(self, steps_since_gain: int) -> bool:
        return steps_since_gain > self.idle


@dataclass(slots=True)
class _Move:
    """A proposed change to one or two groups of round ``r``: the groups' new values, the change in
    repeated meetings, and how to make it in the schedule (``commit``) once accepted."""

    r: int
    values: tuple[tuple[int, Value], ...]
    meet_delta: int
    commit: Callable[[], None]


class Annealing:
    """Simulated annealing on a schedule whose rounds' group values are given."""

    def __init__(
        self,
        costs: Costs,
        rng: random.Random,
        min_size: int,
        max_size: int,
        cooling: GeometricCooling | None = None,
    ) -> None:
        self.costs, self.rng = costs, rng
        self.min_size, self.max_size = min_size, max_size
        self.cooling = cooling or GeometricCooling()

    def run(
        self,
        schedule: Schedule,
        values: list[list[Value]],
        stop: DeadlineOrIdle,
        on_improve: OnImprove | None = None,
    ) -> Schedule:
        """The best schedule seen before the stopping rule fires."""
        costs = self.costs
        current = sum(costs.round_cost(v) for v in values) + HARD * schedule.conflicts()
        best_cost, best = current, schedule.copy()
        if on_improve:
            on_improve(best, best_cost)
        temperature = self.cooling.hot
        steps = last_gain = 0
        while True:
            steps += 1
            if steps % CHECK_EVERY == 0:
                now = time.perf_counter()
                if stop.done(now):
                    break
                temperature = self.cooling.temperature(stop.progress(now))
            r = self.rng.randrange(len(schedule.rounds))
            if not schedule.rounds[r]:
                break
            move = self._propose(schedule, r)
            if move is not None:
                current += self._try(move, schedule, values, temperature)
            if current < best_cost - 1e-9:
                best_cost, best, last_gain = current, schedule.copy(), steps
                if on_improve:
                    on_improve(best, best_cost)
            elif stop.idle_too_long(steps - last_gain):
                break  # long without a better schedule: stop before the deadline
        return best

    def _try(
        self, move: _Move, schedule: Schedule, values: list[list[Value]], temperature: float
    ) -> float:
        """Accept or refuse a move (Metropolis); the change in cost (0 when refused)."""
        row = values[move.r]
        before = self.costs.round_cost(row)
        old = [(g, row[g]) for g, _ in move.values]
        for g, value in move.values:
            row[g] = value
        delta = self.costs.round_cost(row) - before + HARD * move.meet_delta
        if delta <= 0 or self.rng.random() < math.exp(-delta / temperature):
            move.commit()
            return delta
        for g, value in old:
            row[g] = value
        return 0.0

    def _propose(self, schedule: Schedule, r: int) -> _Move | None:
        groups, rest = schedule.rounds[r], schedule.unplaced[r]
        gi = self.rng.randrange(len(groups))
        kind = self.rng.random()
        if rest and kind < 0.15:
            return self._insert_or_exchange(schedule, r, gi)
        if len(groups) < 2:
            return None
        gj = self.rng.randrange(len(groups) - 1)
        gj += gj >= gi
        a, b = groups[gi], groups[gj]
        if kind < 0.35 and len(a) > self.min_size and len(b) < self.max_size:
            return self._relocate(schedule, r, gi, gj)
        return self._swap(schedule, r, gi, gj)

    def _insert_or_exchange(self, schedule: Schedule, r: int, gi: int) -> _Move:
        """An unplaced member into group gi, or in exchange for one of its members."""
        meet, groups, rest = schedule.meet, schedule.rounds[r], schedule.unplaced[r]
        a = groups[gi]
        u_pos = self.rng.randrange(len(rest))
        u = rest[u_pos]
        out: int | None = None  # the member u replaces, if any
        if len(a) < self.max_size and self.rng.random() < 0.5:
            new_a = [*a, u]
            meet_delta = sum(int(meet[u, k] >= 1) for k in a) if meet.size else 0
        else:
            pos = self.rng.randrange(len(a))
            out = a[pos]
            new_a = [*a[:pos], u, *a[pos + 1 :]]
            meet_delta = 0
            if meet.size:
                meet_delta = sum(
                    int(meet[u, k] >= 1) - int(meet[out, k] > 1) for k in a if k != out
                )

        def commit() -> None:
            if meet.size:
                if out is not None:
                    leave(meet, out, a)
                join(meet, u, [k for k in a if k != out])
            groups[gi] = new_a
            if out is None:
                rest.pop(u_pos)
            else:
                rest[u_pos] = out

        return _Move(r, ((gi, self.costs.group_value(new_a)),), meet_delta, commit)

    def _relocate(self, schedule: Schedule, r: int, gi: int, gj: int) -> _Move:
        """A member of group gi moves to group gj."""
        meet, groups = schedule.meet, schedule.rounds[r]
        a, b = groups[gi], groups[gj]
        pos = self.rng.randrange(len(a))
        i = a[pos]
        new_a, new_b = [*a[:pos], *a[pos + 1 :]], [*b, i]
        meet_delta = 0
        if meet.size:
            meet_delta = sum(int(meet[i, k] >= 1) for k in b) - sum(
                int(meet[i, k] > 1) for k in a if k != i
            )

        def commit() -> None:
            if meet.size:
                leave(meet, i, a)
                join(meet, i, b)
            groups[gi], groups[gj] = new_a, new_b

        return self._pair_move(r, gi, new_a, gj, new_b, meet_delta, commit)

    def _swap(self, schedule: Schedule, r: int, gi: int, gj: int) -> _Move:
        """A member of group gi and a member of group gj trade places."""
        meet, groups = schedule.meet, schedule.rounds[r]
        a, b = groups[gi], groups[gj]
        pi, pj = self.rng.randrange(len(a)), self.rng.randrange(len(b))
        i, j = a[pi], b[pj]
        new_a, new_b = [*a[:pi], j, *a[pi + 1 :]], [*b[:pj], i, *b[pj + 1 :]]
        meet_delta = swap_delta(meet, a, i, b, j) if meet.size else 0

        def commit() -> None:
            if meet.size:
                apply_swap(meet, a, i, b, j)
            groups[gi], groups[gj] = new_a, new_b

        return self._pair_move(r, gi, new_a, gj, new_b, meet_delta, commit)

    def _pair_move(
        self,
        r: int,
        gi: int,
        new_a: list[int],
        gj: int,
        new_b: list[int],
        meet_delta: int,
        commit: Callable[[], None],
    ) -> _Move:
        group_value = self.costs.group_value
        changed = ((gi, group_value(new_a)), (gj, group_value(new_b)))
        return _Move(r, changed, meet_delta, commit)
