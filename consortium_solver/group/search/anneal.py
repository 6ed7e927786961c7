"""Improvement by simulated annealing over swaps, moves and exchanges with the unplaced, scoring only
the groups a move touches.

The cooling schedule and the stopping rule are small objects of their own (as the ALNS package
separates its acceptance criterion and stopping criterion from the search loop): geometric cooling
over the clock's limit, and a stop when the clock runs out or after ``IDLE_STEPS`` steps without a
better schedule. The best schedule is not copied at each improvement (a copy costs the whole
schedule, too much for pools of 100,000): every accepted move leaves its undo in a log, cleared at
each new best, and the log is played backwards at the end.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass

from consortium_solver.clock import Clock
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
CHECK_EVERY = 64  # steps between updates of the temperature

OnImprove = Callable[[Schedule, float], None]
Action = Callable[[], None]


@dataclass(frozen=True)
class GeometricCooling:
    """Temperature falling geometrically from ``hot`` to ``cold`` as the clock runs out."""

    hot: float = 2.0
    cold: float = 0.02

    def temperature(self, progress: float) -> float:
        """The temperature at ``progress`` (0 at the start, 1 at the end of the limit)."""
        return float(self.hot * (self.cold / self.hot) ** progress)


@dataclass
class ClockOrIdle:
    """Stop when the clock runs out, or after ``idle`` steps without a better schedule."""

    clock: Clock
    idle: int = IDLE_STEPS

    def done(self) -> bool:
        return self.clock.expired()

    def idle_too_long(self, steps_since_gain: int) -> bool:
        return steps_since_gain > self.idle


@dataclass(slots=True)
class _Move:
    """A proposed change to one or two groups of round ``r``: the groups' new values, the change in
    repeated meetings, how to make it in the schedule (``commit``) once accepted, and how to take
    it back (``undo``, after ``commit``)."""

    r: int
    values: tuple[tuple[int, Value], ...]
    meet_delta: int
    commit: Action
    undo: Action


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
        stop: ClockOrIdle,
        on_improve: OnImprove | None = None,
    ) -> Schedule:
        """The schedule, changed in place into the best one seen before the stopping rule fires."""
        costs = self.costs
        current = sum(costs.round_cost(v) for v in values) + HARD * schedule.conflicts()
        best_cost = current
        since_best: list[Action] = []  # undos of the moves made since the best schedule
        if on_improve:
            on_improve(schedule, best_cost)
        temperature = self.cooling.hot
        steps = last_gain = 0
        while not stop.done():
            steps += 1
            if steps % CHECK_EVERY == 0:
                temperature = self.cooling.temperature(stop.clock.progress())
            r = self.rng.randrange(len(schedule.rounds))
            if not schedule.rounds[r]:
                break
            move = self._propose(schedule, r)
            delta = None if move is None else self._accept(move, values, temperature)
            if move is not None and delta is not None:
                current += delta
                since_best.append(move.undo)
                if current < best_cost - 1e-9:
                    best_cost, last_gain = current, steps
                    since_best.clear()
                    if on_improve:
                        on_improve(schedule, best_cost)
            if stop.idle_too_long(steps - last_gain):
                break  # long without a better schedule: stop before the limit
        for undo in reversed(since_best):
            undo()
        return schedule

    def _accept(self, move: _Move, values: list[list[Value]], temperature: float) -> float | None:
        """Accept and make a move (Metropolis): the change in cost; None when refused. The move's
        ``undo`` then also restores the groups' values."""
        row = values[move.r]
        delta = self.costs.change(row, move.values) + HARD * move.meet_delta
        if delta <= 0 or self.rng.random() < math.exp(-delta / temperature):
            old = [(g, row[g]) for g, _ in move.values]
            for g, value in move.values:
                row[g] = value
            move.commit()
            undo = move.undo

            def undo_all() -> None:
                undo()
                for g, value in old:
                    row[g] = value

            move.undo = undo_all
            return delta
        return None

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
        others = [k for k in a if k != out]

        def commit() -> None:
            if meet.size:
                if out is not None:
                    leave(meet, out, a)
                join(meet, u, others)
            groups[gi] = new_a
            if out is None:
                rest.pop(u_pos)
            else:
                rest[u_pos] = out

        def undo() -> None:
            if meet.size:
                leave(meet, u, new_a)
                if out is not None:
                    join(meet, out, others)
            groups[gi] = a
            if out is None:
                rest.insert(u_pos, u)
            else:
                rest[u_pos] = u

        return _Move(r, ((gi, self.costs.group_value(new_a)),), meet_delta, commit, undo)

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

        def undo() -> None:
            if meet.size:
                leave(meet, i, new_b)
                join(meet, i, new_a)
            groups[gi], groups[gj] = a, b

        return self._pair_move(r, (gi, new_a), (gj, new_b), meet_delta, (commit, undo))

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

        def undo() -> None:
            if meet.size:
                apply_swap(meet, new_a, j, new_b, i)
            groups[gi], groups[gj] = a, b

        return self._pair_move(r, (gi, new_a), (gj, new_b), meet_delta, (commit, undo))

    def _pair_move(
        self,
        r: int,
        first: tuple[int, list[int]],
        second: tuple[int, list[int]],
        meet_delta: int,
        actions: tuple[Action, Action],
    ) -> _Move:
        group_value = self.costs.group_value
        changed = ((first[0], group_value(first[1])), (second[0], group_value(second[1])))
        return _Move(r, changed, meet_delta, *actions)
