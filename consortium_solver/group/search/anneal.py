"""Improvement by simulated annealing over swaps, moves and exchanges with the unplaced, scoring only
the groups a move touches — a compiled kernel (:func:`anneal_steps`) driven in chunks by
:class:`Annealing`, which asks the clock between chunks.

The cooling schedule and the stopping rule are small objects of their own (as the ALNS package
separates its acceptance criterion and stopping criterion from the search loop): geometric cooling
over the clock's limit, and a stop when the clock runs out or after ``IDLE_STEPS`` steps without a
better schedule. The best schedule is not copied at each improvement (a copy costs the whole
schedule, too much for pools of 100,000): every accepted move leaves its undo in a log, cleared at
each new best, and the log is played backwards at the end — or when it fills up, and the search
goes on from the best schedule.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from consortium_solver.core.clock import Clock
from consortium_solver.core.native import inline_kernel, loop_kernel, random_below, random_unit
from consortium_solver.group.constraints import RuleTables as Rules
from consortium_solver.group.search.kernels import (
    EXCHANGE,
    HARD,
    INSERT,
    RELOCATE,
    SWAP,
    Arrays,
    ScoreTables,
    Scratch,
    change_group,
    group_score,
    group_violation,
    load_group,
    meetings_changed,
    put_in,
    refresh_group,
    swap_meet_delta,
    swapped,
    take_out,
    trade_places,
)

IDLE_STEPS = 5_000_000  # annealing steps without a better schedule before stopping early
LOG_SIZE = 1_000_000  # moves kept for undoing; when full, the search goes back to its best
CHUNK_SECONDS = 0.02  # wall time between two looks at the clock
DETERMINISTIC_CHUNK = 2_048  # steps per chunk in deterministic mode (the clock counts chunks)
KERNEL_STEPS_PER_TICK = 64  # annealing steps that count as one step of a deterministic clock
# The mix of moves a step proposes, drawn once per step (compiled in as constants): with members
# left unplaced, this share brings one in; of those, this share adds it to the group (the rest
# trade it for a member); up to RELOCATE_UPTO a member moves to another group; the rest are swaps.
UNPLACED_SHARE, INSERT_SHARE, RELOCATE_UPTO = 0.15, 0.5, 0.35

OnImprove = Callable[[float], None]


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


class Annealing:
    """Simulated annealing on a schedule in arrays whose groups' values are up to date."""

    def __init__(
        self,
        rules: Rules,
        scores: ScoreTables,
        work: Scratch,
        sizes: tuple[int, int],
        min_mode: bool,
        cooling: GeometricCooling | None = None,
    ) -> None:
        self.rules, self.scores, self.work = rules, scores, work
        self.sizes, self.min_mode = sizes, min_mode
        self.cooling = cooling or GeometricCooling()
        self.steps = 0  # moves proposed (evaluated), for the benchmarks

    def run(
        self, state: Arrays, cost: float, stop: ClockOrIdle, on_improve: OnImprove | None = None
    ) -> float:
        """Anneal ``state`` in place, leaving it at the best schedule seen; its cost."""
        log = np.zeros((min(stop.idle, LOG_SIZE) + 1, 5), dtype=np.int64)
        costs = np.array([cost, cost], dtype=np.float64)  # current, best
        counts = np.zeros(3, dtype=np.int64)  # log length, steps since the best, best improved
        if on_improve:
            on_improve(cost)
        clock = stop.clock
        chunk = DETERMINISTIC_CHUNK
        while state.n_groups.size and state.n_groups.min() > 0 and not clock.expired():
            temperature = self.cooling.temperature(clock.progress())
            started = time.perf_counter()
            done = anneal_steps(
                self.rules, self.scores, self.work, state, log, costs, counts, chunk,
                temperature, self.sizes[0], self.sizes[1], self.min_mode,
            )  # fmt: skip
            self.steps += done
            full = done < chunk
            if clock.deterministic:
                clock.steps += chunk // KERNEL_STEPS_PER_TICK - 1
            else:
                took = time.perf_counter() - started
                chunk = int(min(max(chunk * CHUNK_SECONDS / max(took, 1e-6), 256), 1 << 22))
            if counts[2] and on_improve:
                counts[2] = 0
                on_improve(float(costs[1]))
            if stop.idle_too_long(int(counts[1])):
                break
            if full:  # the log is full: back to the best schedule
                rewind(self.rules, self.scores, self.work, state, log, int(counts[0]))
                counts[0], costs[0] = 0, costs[1]
        rewind(self.rules, self.scores, self.work, state, log, int(counts[0]))
        return float(costs[1])


@loop_kernel
def anneal_steps(
    rules: Rules,
    scores: ScoreTables,
    work: Scratch,
    state: Arrays,
    log: np.ndarray,
    costs: np.ndarray,
    counts: np.ndarray,
    steps: int,
    temperature: float,
    min_size: int,
    max_size: int,
    min_mode: bool,
) -> int:
    """Up to ``steps`` annealing steps (fewer when the log fills); the number made. ``costs``: current and best cost; ``counts``: the log's length, the
    steps since the best, and whether the best improved."""
    n_rounds = state.members.shape[0]
    for step in range(steps):
        if counts[0] >= log.shape[0] - 1:
            return step
        counts[1] += 1
        r = random_below(work.rng, n_rounds)
        if state.n_groups[r] == 0:
            return step
        gi = random_below(work.rng, state.n_groups[r])
        move, gj, x, y, new_sa, new_sb, meet_delta = _propose(
            state, r, gi, min_size, max_size, work
        )
        if move < 0 or (x >= 0 and state.pinned[r, x]) or (y >= 0 and state.pinned[r, y]):
            continue
        vb, sb_score = 0, 0.0
        if gj >= 0:
            vb = group_violation(rules, work, work.group_b, new_sb, r)
            sb_score = group_score(scores, work, work.group_b, new_sb, r)
        va = group_violation(rules, work, work.group_a, new_sa, r)
        sa_score = group_score(scores, work, work.group_a, new_sa, r)
        delta = (
            change_group(state, r, min_mode, gi, va, sa_score, gj, vb, sb_score) + HARD * meet_delta
        )
        if delta > 0 and random_unit(work.rng) >= np.exp(-delta / temperature):
            continue
        _make(state, move, r, x, y, gi, gj)
        state.violation[r, gi], state.score[r, gi] = va, sa_score
        if gj >= 0:
            state.violation[r, gj], state.score[r, gj] = vb, sb_score
        k = counts[0]
        log[k, 0], log[k, 1], log[k, 2], log[k, 3] = move, r, x, y
        log[k, 4] = gi * (1 << 32) + (gj + 1)
        counts[0] += 1
        costs[0] += delta
        if costs[0] < costs[1] - 1e-9:
            costs[1] = costs[0]
            counts[0] = counts[1] = 0
            counts[2] = 1
    return steps


@inline_kernel
def _propose(
    state: Arrays, r: int, gi: int, min_size: int, max_size: int, work: Scratch
) -> tuple[int, int, int, int, int, int, int]:
    """A random move touching group gi of round r, its groups' new members in the scratch space:
    (kind, other group or -1, x, y, new sizes of gi and the other, change in repeated meetings);
    kind -1 when there is none to make. (The state's arrays are indexed in place, never viewed:
    see kernels.meetings_changed.)"""
    a_buf, b_buf, meet, members = work.group_a, work.group_b, state.meet, state.members
    n_groups, sa = state.n_groups[r], state.size[r, gi]
    kind = random_unit(work.rng)
    if state.n_unplaced[r] > 0 and kind < UNPLACED_SHARE:  # an unplaced member in
        u = state.unplaced[r, random_below(work.rng, state.n_unplaced[r])]
        load_group(a_buf, members, r, gi, sa)
        if sa < min(max_size, state.cap[r, gi]) and random_unit(work.rng) < INSERT_SHARE:
            a_buf[sa] = u
            joins = meetings_changed(meet, u, members, r, gi, sa, -1, 0) if meet.shape[0] else 0
            return INSERT, -1, u, -1, sa + 1, 0, joins
        if sa == 0:
            return -1, -1, -1, -1, 0, 0, 0
        p = random_below(work.rng, sa)
        out = a_buf[p]
        a_buf[p] = u
        change = 0
        if meet.shape[0]:
            change = meetings_changed(meet, u, members, r, gi, sa, out, 0)
            change -= meetings_changed(meet, out, members, r, gi, sa, out, 1)
        return EXCHANGE, -1, u, out, sa, 0, change
    if n_groups < 2:
        return -1, -1, -1, -1, 0, 0, 0
    gj = random_below(work.rng, n_groups - 1)
    gj += gj >= gi
    sb = state.size[r, gj]
    room = min(max_size, state.cap[r, gj])
    if kind < RELOCATE_UPTO and sa > min_size and sb < room:  # a member of gi moves to gj
        p = random_below(work.rng, sa)
        x = members[r, gi, p]
        load_group(a_buf, members, r, gi, sa)
        a_buf[p] = a_buf[sa - 1]
        load_group(b_buf, members, r, gj, sb)
        b_buf[sb] = x
        change = 0
        if meet.shape[0]:
            change = meetings_changed(meet, x, members, r, gj, sb, -1, 0)
            change -= meetings_changed(meet, x, members, r, gi, sa, x, 1)
        return RELOCATE, gj, x, -1, sa - 1, sb + 1, change
    if sa == 0 or sb == 0:
        return -1, -1, -1, -1, 0, 0, 0
    x, y = members[r, gi, random_below(work.rng, sa)], members[r, gj, random_below(work.rng, sb)]
    swapped(work, state, r, x, y)
    return SWAP, gj, x, y, sa, sb, swap_meet_delta(state, r, x, y)


@loop_kernel
def _make(state: Arrays, move: int, r: int, x: int, y: int, gi: int, gj: int) -> None:
    """Make a proposed move in the schedule (the groups' values aside)."""
    if move == SWAP:
        trade_places(state, r, x, y)
    elif move == RELOCATE:
        take_out(state, r, x)
        put_in(state, r, x, gj)
    elif move == INSERT:
        take_out(state, r, x)
        put_in(state, r, x, gi)
    else:
        take_out(state, r, y)
        take_out(state, r, x)
        put_in(state, r, x, gi)
        put_in(state, r, y, -1)


@loop_kernel
def rewind(
    rules: Rules, scores: ScoreTables, work: Scratch, state: Arrays, log: np.ndarray, length: int
) -> None:
    """Undo the logged moves, last first."""
    for k in range(length - 1, -1, -1):
        move, r, x, y, groups = log[k, 0], log[k, 1], log[k, 2], log[k, 3], log[k, 4]
        gi, gj = groups >> 32, (groups & 0xFFFFFFFF) - 1
        # Each move's inverse is a move of the same kind: groups exchanged, or members.
        if move in (SWAP, RELOCATE):
            _make(state, move, r, x, y, gj, gi)
        elif move == INSERT:
            _make(state, INSERT, r, x, y, -1, gj)
        else:
            _make(state, EXCHANGE, r, y, x, gi, gj)
        refresh_group(rules, scores, work, state, r, gi)
        if gj >= 0:
            refresh_group(rules, scores, work, state, r, gj)


__all__ = ["IDLE_STEPS", "Annealing", "ClockOrIdle", "GeometricCooling", "OnImprove"]
