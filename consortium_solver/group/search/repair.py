"""Repair of repeated meetings: tabu search after Dotú & Van Hentenryck, "Scheduling social golfers
locally" (CPAIOR 2005), as a compiled kernel (:func:`repair_steps`) driven in chunks by
:class:`ConflictRepair`.

Each iteration makes the best swap, over all rounds, of a member in conflict (one who meets a member
of its group for the second time) with a member of another group of the same round — conflict-
directed: only members in conflict are moved (with rules, members of groups that break one too). A
swapped pair may not swap back for a random ``TABU_TENURE`` iterations unless that beats the best
count (aspiration); after ``KICK_AFTER`` iterations without a better count, two random swaps kick the
search on (as Triska & Musliu's local search does), and after ``RESTART_AFTER`` kicks it restarts
from the best schedule. With rules, the count adds the rules the groups break to the repeated
meetings.

For x in group a and y in group b, the change is met(x, b - y) + met(y, a - x) - repeats(x, a) -
repeats(y, b), where met counts members already met and repeats those met more than once: O(group
size) per pair from the meeting counts.
"""

from __future__ import annotations

import time

import numpy as np

from consortium_solver.core.clock import Clock
from consortium_solver.core.native import kernel, loop_kernel, random_below, random_unit
from consortium_solver.group.constraints import RuleTables as Rules
from consortium_solver.group.search.kernels import (
    Arrays,
    ScoreTables,
    Scratch,
    conflicts,
    evaluate_all,
    group_violation,
    meetings_changed,
    refresh_group,
    swap_meet_delta,
    swapped,
    trade_places,
)

# Iterations a swapped pair stays tabu: Dotú & Van Hentenryck (2005) draw from 4-100; with kicks,
# 2-20 solved more (10-4-10 in 3-5 s where 4-100 left a pair in 10 s; benchmarks/README.md).
TABU_TENURE = (2, 20)
KICK_AFTER = 10  # iterations without a better count before a kick of random swaps
KICK_SWAPS = 2  # random swaps per kick
RESTART_AFTER = 300  # kicks without a better count before a restart from the best schedule
CHUNK_SECONDS = 0.02  # wall time between two looks at the clock
DETERMINISTIC_CHUNK = 64  # iterations per chunk in deterministic mode (one clock step each)


class ConflictRepair:
    """Tabu search on the repeated meetings of a schedule in arrays, in place."""

    def __init__(
        self, rules: Rules, scores: ScoreTables, work: Scratch, state: Arrays, check_rules: bool
    ) -> None:
        self.rules, self.scores, self.work, self.state = rules, scores, work, state
        self.check_rules = check_rules
        self.iterations = 0

    def run(self, clock: Clock) -> int:
        """Swap until nothing hard is left (no pair meets twice; with ``check_rules``, no group
        breaks a rule) or the clock runs out, ending at the best schedule seen; the hard count
        left."""
        state = self.state
        if not state.meet.shape[0]:
            return 0
        hard = conflicts(state.meet) + (int(state.violation.sum()) if self.check_rules else 0)
        if state.n_groups.max(initial=0) < 2:
            return hard
        n_rounds, n = state.where.shape
        tabu = np.zeros((n_rounds, n, n), dtype=np.int32)
        best = _Copy(state)
        # iteration, hard count now, fewest seen, iterations and kicks since the fewest
        info = np.array([0, hard, 0, 0, 0], dtype=np.int64)
        info[2] = info[1]
        chunk = DETERMINISTIC_CHUNK
        while info[1] > 0 and not clock.expired():
            started = time.perf_counter()
            repair_steps(
                self.rules, self.scores, self.work, state, tabu, best.arrays, info, chunk,
                self.check_rules,
            )  # fmt: skip
            if clock.deterministic:
                clock.steps += chunk - 1
            else:
                took = time.perf_counter() - started
                chunk = int(min(max(chunk * CHUNK_SECONDS / max(took, 1e-6), 1), 1 << 20))
        self.iterations = int(info[0])
        if info[1] > info[2]:
            best.restore(state)
            evaluate_all(self.rules, self.scores, self.work, state)
        return int(info[2])


class _Copy:
    """A copy of the parts of a schedule that swaps change."""

    def __init__(self, state: Arrays) -> None:
        self.arrays = (
            state.members.copy(),
            state.where.copy(),
            state.pos.copy(),
            state.meet.copy(),
        )

    def restore(self, state: Arrays) -> None:
        members, where, pos, meet = self.arrays
        state.members[:], state.where[:], state.pos[:], state.meet[:] = members, where, pos, meet


@loop_kernel
def _rule_change(rules: Rules, work: Scratch, state: Arrays, r: int, x: int, y: int) -> int:
    """Change in the rules broken by the groups of x and y when x and y trade places."""
    sa, sb = swapped(work, state, r, x, y)
    after = group_violation(rules, work, work.group_a, sa, r)
    after += group_violation(rules, work, work.group_b, sb, r)
    return int(
        after - state.violation[r, state.where[r, x]] - state.violation[r, state.where[r, y]]
    )


@loop_kernel
def _swap(
    rules: Rules, scores: ScoreTables, work: Scratch, state: Arrays, r: int, x: int, y: int
) -> None:
    """Swap x and y in round r, their groups' values updated."""
    a, b = state.where[r, x], state.where[r, y]
    trade_places(state, r, x, y)
    refresh_group(rules, scores, work, state, r, a)
    refresh_group(rules, scores, work, state, r, b)


@loop_kernel
def _best_swap(
    rules: Rules,
    work: Scratch,
    state: Arrays,
    tabu: np.ndarray,
    it: int,
    now: int,
    best: int,
    check_rules: bool,
    rep: np.ndarray,
    met_in: np.ndarray,
) -> tuple[int, int, int, int]:
    """(round, x, y, change in the hard count) of a best allowed swap of a member in conflict (or
    in a group that breaks a rule), ties at random; round -1 when every swap is tabu. ``rep``
    and ``met_in`` are working space."""
    meet, where = state.meet, state.where
    n_rounds, n = where.shape
    for r in range(n_rounds):
        for i in range(n):
            g = where[r, i]
            rep[r, i] = (
                meetings_changed(meet, i, state.members, r, g, state.size[r, g], i, 1)
                if g >= 0
                else 0
            )
    low, ties = 1 << 40, 0
    chosen = (-1, -1, -1, 0)
    for r in range(n_rounds):
        for x in range(n):
            rep_x, a = rep[r, x], where[r, x]
            if a < 0 or state.pinned[r, x]:
                continue
            if rep_x == 0 and not (check_rules and state.violation[r, a] > 0):
                continue
            met_in[: state.n_groups[r]] = 0  # met_in[b]: members of group b whom x has met
            for k in range(n):
                if where[r, k] >= 0 and meet[x, k] > 0:
                    met_in[where[r, k]] += 1
            sa, group_a = state.size[r, a], state.members[r, a]
            for y in range(n):
                b = where[r, y]
                if b < 0 or b == a or state.pinned[r, y]:
                    continue
                delta = met_in[b] - (meet[x, y] > 0) - rep_x - rep[r, y]
                for k in range(sa):
                    delta += group_a[k] != x and meet[y, group_a[k]] > 0
                if check_rules:
                    delta += _rule_change(rules, work, state, r, x, y)
                if delta > low:
                    continue
                if tabu[r, x, y] > it and now + delta >= best:
                    continue
                if delta < low:
                    low, ties = delta, 0
                ties += 1
                if ties == 1 or random_unit(work.rng) * ties < 1.0:
                    chosen = (r, x, y, delta)
    return chosen


@kernel
def repair_steps(
    rules: Rules,
    scores: ScoreTables,
    work: Scratch,
    state: Arrays,
    tabu: np.ndarray,
    best_copy: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    info: np.ndarray,
    steps: int,
    check_rules: bool,
) -> None:
    """Up to ``steps`` iterations of the repair (fewer once no pair meets twice); ``info`` holds
    the iteration, the conflicts now, the fewest seen and the iterations since."""
    best_members, best_where, best_pos, best_meet = best_copy
    rep = np.zeros(state.where.shape, dtype=np.int64)
    met_in = np.zeros(state.members.shape[1], dtype=np.int64)
    for _ in range(steps):
        if info[1] == 0:
            return
        info[0] += 1
        it = info[0]
        r, x, y, delta = _best_swap(
            rules, work, state, tabu, it, info[1], info[2], check_rules, rep, met_in
        )
        if r < 0:
            tabu[:] = 0
            continue
        _swap(rules, scores, work, state, r, x, y)
        info[1] += delta
        tabu[r, x, y] = tabu[r, y, x] = (
            it + TABU_TENURE[0] + random_below(work.rng, TABU_TENURE[1] + 1 - TABU_TENURE[0])
        )
        if info[1] < info[2]:
            info[2], info[3], info[4] = info[1], 0, 0
            best_members[:] = state.members
            best_where[:] = state.where
            best_pos[:] = state.pos
            best_meet[:] = state.meet
        else:
            info[3] += 1
        if info[3] > KICK_AFTER:
            info[4] += 1
            if info[4] > RESTART_AFTER:
                info[4] = 0
                state.members[:] = best_members
                state.where[:] = best_where
                state.pos[:] = best_pos
                state.meet[:] = best_meet
                evaluate_all(rules, scores, work, state)
                info[1] = info[2]
            info[1] += _shake(rules, scores, work, state, check_rules, KICK_SWAPS)
            info[3] = 0


@loop_kernel
def _shake(
    rules: Rules, scores: ScoreTables, work: Scratch, state: Arrays, check_rules: bool, kicks: int
) -> int:
    """``kicks`` random swaps; the change in the hard count."""
    change = 0
    for _ in range(kicks):
        r = random_below(work.rng, state.members.shape[0])
        count = state.n_groups[r]
        if count < 2:
            continue
        a = random_below(work.rng, count)
        b = random_below(work.rng, count - 1)
        b += b >= a
        sa, sb = state.size[r, a], state.size[r, b]
        if sa == 0 or sb == 0:
            continue
        x = state.members[r, a, random_below(work.rng, sa)]
        y = state.members[r, b, random_below(work.rng, sb)]
        if state.pinned[r, x] or state.pinned[r, y]:
            continue
        change += swap_meet_delta(state, r, x, y)
        if check_rules:
            change += _rule_change(rules, work, state, r, x, y)
        _swap(rules, scores, work, state, r, x, y)
    return change
