"""The grouping search: construction, conflict repair and annealing over one or several rounds.

State: for each round, a partition of candidates (by index) into groups, plus the unplaced. The cost
is lexicographic, folded into one number: first the *hard* part — rule violations inside groups
(a group's rules, ``together`` and ``apart`` pairs) and pairs meeting more than once across rounds —
then the objective (the total score, or the worst group's score and then the total).

- Construction: groups seeded with the scarcest members a rule asks for (e.g. one per group from a
  less developed or transition region), then filled, each organisation going to the smallest group
  where it adds a new country and meets nobody it met before.
- Conflict repair (rounds): tabu search in the manner of Dotú & Van Hentenryck, "Scheduling social
  golfers locally" (CPAIOR 2005): pick a member in conflict, make the best swap with a member of
  another group of the same round, forbid undoing it for a few iterations.
- Improvement: simulated annealing over swaps, moves and exchanges with the unplaced, scoring only
  the two groups a move touches (bitmask scorer of :mod:`consortium_solver.heuristic`).

Scores are the validator's definitions; the final answer is re-judged by the validator anyway.
"""

from __future__ import annotations

import functools
import math
import random
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from consortium_solver.calls import (
    MaxPerValue,
    MinCount,
    MinDistinct,
    Objective,
    Size,
    member_value,
)
from consortium_solver.cyclic import CyclicSearch
from consortium_solver.designs import known_rounds
from consortium_solver.domain import Organisation
from consortium_solver.heuristic import Scorer

HARD = 1_000_000.0  # weight of one violation or repeated meeting against score points
IDLE_STEPS = 300_000  # annealing steps without a better schedule before stopping early
TABU_TENURE = (4, 100)  # iterations a swap stays tabu (Dotú & Van Hentenryck 2005)
STABLE = 1_000  # repair iterations without a better count before a restart from the best
# Cyclic schedules are tried up to this many member-rounds (e.g. 300 members over 20 rounds); the
# tight schedules they are for are small, and larger ones are easy for the repair.
CYCLIC_MAX_WORK = 6_000
EXEMPT = 10_000  # meeting-count offset of together pairs (int16 counts; rounds stay far below)


class GroupRules:
    """A group's rules compiled to fast integer checks: ``violation(members) == 0`` iff all hold."""

    def __init__(
        self,
        candidates: Sequence[Organisation],
        rules: Sequence[Any],
        together: Sequence[tuple[int, int]] = (),
        apart: Sequence[tuple[int, int]] = (),
    ) -> None:
        self.checks: list[Callable[[Sequence[int]], int]] = []
        # Only group sizes and no pairs: any partition with the right sizes is valid.
        self.sizes_only = all(isinstance(rule, Size) for rule in rules) and not (together or apart)
        for rule in rules:
            if isinstance(rule, Size):
                self.checks.append(functools.partial(_size_gap, low=rule.min, high=rule.max))
            elif isinstance(rule, MinDistinct):
                values = _values(candidates, rule.field)
                self.checks.append(functools.partial(_distinct_gap, values=values, k=rule.min))
            elif isinstance(rule, MinCount):
                hit = [member_value(o, rule.field) in set(rule.values) for o in candidates]
                self.checks.append(functools.partial(_count_gap, hit=hit, k=rule.min))
            elif isinstance(rule, MaxPerValue):
                codes = [member_value(o, rule.field) for o in candidates]
                self.checks.append(functools.partial(_over, codes, limit=rule.max))
            else:
                raise ValueError(f"rule kind {rule.kind!r} does not apply to a group")
        self.partner: dict[int, list[tuple[int, bool]]] = {}
        for a, b in together:
            self.partner.setdefault(a, []).append((b, True))
            self.partner.setdefault(b, []).append((a, True))
        for a, b in apart:
            self.partner.setdefault(a, []).append((b, False))
            self.partner.setdefault(b, []).append((a, False))

    def violation(self, members: Sequence[int]) -> int:
        total = sum(check(members) for check in self.checks)
        if self.partner:
            inside = set(members)
            for i in members:
                for j, wanted in self.partner.get(i, ()):
                    if (j in inside) != wanted:
                        total += 1
        return total


def _size_gap(members: Sequence[int], low: int, high: int | None) -> int:
    over = max(0, len(members) - high) if high is not None else 0
    return max(0, low - len(members)) + over


def _distinct_gap(members: Sequence[int], values: list[frozenset[str]], k: int) -> int:
    return max(0, k - len(frozenset().union(*(values[i] for i in members))))


def _count_gap(members: Sequence[int], hit: list[bool], k: int) -> int:
    return max(0, k - sum(hit[i] for i in members))


def _values(candidates: Sequence[Organisation], field: str) -> list[frozenset[str]]:
    if field == "sectors":
        return [frozenset(o.sectors) for o in candidates]
    return [
        frozenset({v}) if (v := member_value(o, field)) is not None else frozenset()
        for o in candidates
    ]


def _over(codes: list[str | None], members: Sequence[int], limit: int) -> int:
    """How far the most shared values exceed the limit."""
    counts: dict[str, int] = {}
    for i in members:
        c = codes[i]
        if c is not None:
            counts[c] = counts.get(c, 0) + 1
    return sum(max(0, n - limit) for n in counts.values())


@dataclass
class Schedule:
    """Rounds of groups (candidate indices), the unplaced per round, and the meeting counts."""

    rounds: list[list[list[int]]]
    unplaced: list[list[int]]
    meet: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.int16))


class GroupingSearch:
    """Search for a schedule of ``n_rounds`` partitions of the candidates."""

    def __init__(
        self,
        candidates: Sequence[Organisation],
        rules: Sequence[Any],
        objective: Objective,
        links: Mapping[frozenset[str], float],
        *,
        min_size: int,
        max_size: int,
        n_rounds: int = 1,
        mode: str = "sum",
        together: Sequence[tuple[int, int]] = (),
        apart: Sequence[tuple[int, int]] = (),
        seed: int = 0,
    ) -> None:
        self.candidates = list(candidates)
        self.n = len(candidates)
        self.min_size, self.max_size = min_size, max_size
        self.n_rounds = n_rounds
        self.mode = mode
        self.rng = random.Random(seed)
        self.noise = np.random.default_rng(seed)
        self.scorer = Scorer(candidates, objective, links)
        self.rules = GroupRules(candidates, rules, together, apart)
        self.together = list(together)
        self.scarce = self._scarce(rules)
        self.countries = [o.country for o in candidates]

    # ------------------------------------------------------------------------------ construction

    def _scarce(self, rules: Sequence[Any]) -> list[list[int]]:
        """Members each group needs a share of: those matching a min_count rule, scarcest first."""
        out = []
        for rule in rules:
            if isinstance(rule, MinCount):
                hit = [
                    i
                    for i, o in enumerate(self.candidates)
                    if member_value(o, rule.field) in set(rule.values)
                ]
                out.append((len(hit) / rule.min, rule.min, hit))
        return [hit for _, _, hit in sorted(out, key=lambda t: t[0])] if out else []

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
        """A first schedule. With several rounds and no rule but the group sizes, a schedule
        from a finite geometry (:mod:`consortium_solver.designs`; ``designs=False`` skips them,
        for benchmarks) where the numbers fit one, else a cyclic schedule
        (:mod:`consortium_solver.cyclic`) tried until ``deadline``."""
        g = self.group_count()
        if self.n_rounds > 1 and self.rules.sizes_only and deadline is not None and g >= 2:
            q, extra = divmod(self.n, g)
            sizes = [q + 1] * extra + [q] * (g - extra)
            if self.min_size <= q and q + (extra > 0) <= self.max_size:
                designed = known_rounds(self.n, q, self.n_rounds) if designs and not extra else None
                if designed is not None:
                    return _schedule(self.n, self._relabelled(designed))
                if self.n * self.n_rounds <= CYCLIC_MAX_WORK:  # its set-up is O(n^2 R) in Python
                    found = CyclicSearch(self.n, sizes, self.n_rounds, self.rng).search(deadline)
                    if found is not None:
                        return _schedule(self.n, found)
        size = self.n if self.n_rounds > 1 else 0
        meet = np.zeros((size, size), dtype=np.int16)
        if size:
            # Together pairs share a group by request in every round: their meetings never count
            # as repeats (the validator agrees), so their count starts far below 1.
            for a, b in self.together:
                meet[a, b] = meet[b, a] = -EXEMPT
        rounds, unplaced = [], []
        for _ in range(self.n_rounds):
            groups, rest = self._construct_round(g, meet)
            rounds.append(groups)
            unplaced.append(rest)
            if meet.size:
                for grp in groups:
                    _meet_group(meet, grp)
        return Schedule(rounds, unplaced, meet)

    def _relabelled(self, rounds: list[list[list[int]]]) -> list[list[list[int]]]:
        """The same schedule with members renamed at random (per seed), so that a construction
        does not always put the pool's first rows together."""
        names = list(range(self.n))
        self.rng.shuffle(names)
        return [[sorted(names[m] for m in grp) for grp in groups] for groups in rounds]

    def _construct_round(self, g: int, meet: np.ndarray) -> tuple[list[list[int]], list[int]]:
        if g == 0:
            return [], list(range(self.n))
        groups: list[list[int]] = [[] for _ in range(g)]
        placed: set[int] = set()
        for hit in self.scarce:  # one of each scarce kind per group, round robin
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
        rest = [i for i in range(self.n) if i not in placed]
        return groups, rest

    # ------------------------------------------------------------------------------------ costs

    def group_value(self, members: Sequence[int]) -> tuple[int, float]:
        return self.rules.violation(members), self.scorer.score(members)

    def objective(self, scores: Sequence[float]) -> float:
        if not scores:
            return 0.0
        total = math.fsum(scores)
        if self.mode == "min":
            return (len(scores) + 1) * 1000.0 * min(scores) + total
        return total

    def conflicts(self, schedule: Schedule) -> int:
        if not schedule.meet.size:
            return 0
        return int(np.maximum(schedule.meet.astype(np.int64) - 1, 0).sum()) // 2

    # ------------------------------------------------------------------------------------ search

    def search(
        self,
        schedule: Schedule,
        *,
        deadline: float,
        on_improve: Callable[[Schedule, float], None] | None = None,
    ) -> Schedule:
        """Repair conflicts and violations, then anneal the objective, until the deadline."""
        rounds = schedule.rounds
        values = [[self.group_value(g) for g in groups] for groups in rounds]
        if schedule.meet.size:
            self._repair_conflicts(schedule, values, deadline)
        return self._anneal(schedule, values, deadline, on_improve)

    def _meet_delta(
        self, meet: np.ndarray, a_grp: list[int], i: int, b_grp: list[int], j: int
    ) -> int:
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

    def _apply_meet(
        self, meet: np.ndarray, a_grp: list[int], i: int, b_grp: list[int], j: int
    ) -> None:
        """Record that i (in a_grp) and j (in b_grp) swap groups."""
        _leave(meet, i, a_grp)
        _join(meet, j, [k for k in a_grp if k != i])
        _leave(meet, j, b_grp)
        _join(meet, i, [k for k in b_grp if k != j])

    def _repair_conflicts(
        self, schedule: Schedule, values: list[list[tuple[int, float]]], deadline: float
    ) -> None:
        """Tabu search on repeated meetings after Dotú & Van Hentenryck, "Scheduling social golfers
        locally" (CPAIOR 2005): each iteration makes the best swap, over all rounds, of a member in
        conflict with a member of another group of the same round; undoing it is tabu for a random
        4-100 iterations unless it beats the best count; after ``STABLE`` iterations without a
        better count the search restarts from the best schedule, shaken by a few random swaps.

        Only the rows of members in conflict are evaluated, each against everyone in its round, in
        one batch of numpy operations: for x in group a and y in group b of round r, the change is
        met(x, b - y) + met(y, a - x) - repeats(x, a) - repeats(y, b), where met counts members
        already met and repeats those met more than once."""
        meet = schedule.meet
        n, n_rounds = self.n, self.n_rounds
        where = np.full((n_rounds, n), -1, dtype=np.int64)
        for r, groups in enumerate(schedule.rounds):
            for h, grp in enumerate(groups):
                where[r, grp] = h
        n_groups = int(where.max()) + 1
        if n_groups < 2:
            return
        tabu = np.zeros((n_rounds, n, n), dtype=np.int64)
        everyone = np.arange(n)
        conflicts = self.conflicts(schedule)
        best = conflicts
        kept = (where.copy(), meet.copy())
        it = since_best = 0
        while conflicts > 0 and time.perf_counter() < deadline:
            it += 1
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
            allowed &= (tabu[rs[:, None], xs[:, None], everyone[None, :]] <= it) | (
                conflicts + delta < best
            )
            if not allowed.any():
                tabu[:] = 0
                continue
            score = np.where(allowed, delta, np.iinfo(np.int64).max)
            low = score.min()
            ties = np.flatnonzero(score == low)
            row, y = divmod(int(ties[self.rng.randrange(len(ties))]), n)
            r, x = int(rs[row]), int(xs[row])
            groups = schedule.rounds[r]
            a, b = int(where[r, x]), int(where[r, y])
            a_new = [y if v == x else v for v in groups[a]]
            b_new = [x if v == y else v for v in groups[b]]
            if self.rules.checks or self.rules.partner:
                hard = self.rules.violation(a_new) + self.rules.violation(b_new)
                if hard > values[r][a][0] + values[r][b][0]:
                    tabu[r, x, y] = tabu[r, y, x] = it + 3  # it breaks a group's rule
                    continue
            self._apply_meet(meet, groups[a], x, groups[b], y)
            groups[a], groups[b] = a_new, b_new
            where[r, x], where[r, y] = b, a
            values[r][a] = self.group_value(a_new)
            values[r][b] = self.group_value(b_new)
            conflicts += int(low)
            tabu[r, x, y] = tabu[r, y, x] = it + self.rng.randint(*TABU_TENURE)
            if conflicts < best:
                best, since_best = conflicts, 0
                kept = (where.copy(), meet.copy())
            else:
                since_best += 1
            if since_best > STABLE:
                where[:], meet[:] = kept
                self._rebuild(schedule, where, values)
                conflicts = best + self._shake(schedule, where, values)
                tabu[:] = 0
                since_best = 0
        if conflicts > best:
            where[:], meet[:] = kept
            self._rebuild(schedule, where, values)

    def _rebuild(
        self, schedule: Schedule, where: np.ndarray, values: list[list[tuple[int, float]]]
    ) -> None:
        """Groups from the group-of-each-member table, values for the groups that changed."""
        for r, groups in enumerate(schedule.rounds):
            for h, grp in enumerate(groups):
                members = [int(i) for i in np.flatnonzero(where[r] == h)]
                if sorted(grp) != members:
                    groups[h] = members
                    values[r][h] = self.group_value(members)

    def _shake(
        self, schedule: Schedule, where: np.ndarray, values: list[list[tuple[int, float]]]
    ) -> int:
        """A few random swaps that break no group rule; returns the change in conflicts."""
        change = 0
        for _ in range(min(max(4, self.n // 4), 32)):
            r = self.rng.randrange(self.n_rounds)
            groups = schedule.rounds[r]
            ga, gb = self.rng.sample(range(len(groups)), 2)
            x, y = self.rng.choice(groups[ga]), self.rng.choice(groups[gb])
            a_new = [y if k == x else k for k in groups[ga]]
            b_new = [x if k == y else k for k in groups[gb]]
            new_a, new_b = self.group_value(a_new), self.group_value(b_new)
            if new_a[0] + new_b[0] > values[r][ga][0] + values[r][gb][0]:
                continue
            change += self._meet_delta(schedule.meet, groups[ga], x, groups[gb], y)
            self._apply_meet(schedule.meet, groups[ga], x, groups[gb], y)
            groups[ga], groups[gb] = a_new, b_new
            where[r, x], where[r, y] = gb, ga
            values[r][ga], values[r][gb] = new_a, new_b
        return change

    def _anneal(
        self,
        schedule: Schedule,
        values: list[list[tuple[int, float]]],
        deadline: float,
        on_improve: Callable[[Schedule, float], None] | None,
    ) -> Schedule:
        meet = schedule.meet
        start = time.perf_counter()
        span = max(deadline - start, 1e-3)

        def cost(r: int) -> float:
            hard = sum(v for v, _ in values[r])
            return HARD * hard - self.objective([s for _, s in values[r]])

        def total_cost() -> float:
            return sum(cost(r) for r in range(self.n_rounds)) + HARD * self.conflicts(schedule)

        current = total_cost()
        best_cost = current
        best = _copy(schedule)
        if on_improve:
            on_improve(best, best_cost)
        t_hot, t_cold = 2.0, 0.02
        steps = 0
        last_gain = 0
        while True:
            steps += 1
            if steps % 64 == 0:
                now = time.perf_counter()
                if now >= deadline:
                    break
                progress = (now - start) / span
                temperature = t_hot * (t_cold / t_hot) ** progress
            elif steps == 1:
                temperature = t_hot
            r = self.rng.randrange(self.n_rounds)
            groups = schedule.rounds[r]
            rest = schedule.unplaced[r]
            if not groups:
                break
            gi = self.rng.randrange(len(groups))
            a = groups[gi]
            kind = self.rng.random()
            before = cost(r)
            if rest and kind < 0.15:  # insert an unplaced member, or exchange one for it
                u_pos = self.rng.randrange(len(rest))
                u = rest[u_pos]
                out: int | None = None  # the member u replaces, if any
                if len(a) < self.max_size and self.rng.random() < 0.5:
                    new_a = [*a, u]
                    meet_delta = sum(meet[u, k] >= 1 for k in a) if meet.size else 0
                else:
                    pos = self.rng.randrange(len(a))
                    out = a[pos]
                    new_a = [*a[:pos], u, *a[pos + 1 :]]
                    meet_delta = 0
                    if meet.size:
                        meet_delta = sum(
                            int(meet[u, k] >= 1) - int(meet[out, k] > 1) for k in a if k != out
                        )
                old = values[r][gi]
                values[r][gi] = self.group_value(new_a)
                delta = cost(r) - before + HARD * meet_delta
                if delta <= 0 or self.rng.random() < math.exp(-delta / temperature):
                    if meet.size:
                        if out is not None:
                            _leave(meet, out, a)
                        _join(meet, u, [k for k in a if k != out])
                    groups[gi] = new_a
                    if out is None:
                        rest.pop(u_pos)
                    else:
                        rest[u_pos] = out
                    current += delta
                else:
                    values[r][gi] = old
            elif len(groups) >= 2:
                gj = self.rng.randrange(len(groups) - 1)
                gj += gj >= gi
                b = groups[gj]
                if kind < 0.35 and len(a) > self.min_size and len(b) < self.max_size:  # move
                    pos = self.rng.randrange(len(a))
                    i = a[pos]
                    new_a = [*a[:pos], *a[pos + 1 :]]
                    new_b = [*b, i]
                    meet_delta = 0
                    if meet.size:
                        meet_delta = sum((meet[i, k] >= 1) for k in b) - sum(
                            meet[i, k] > 1 for k in a if k != i
                        )
                else:  # swap
                    pi, pj = self.rng.randrange(len(a)), self.rng.randrange(len(b))
                    i, j = a[pi], b[pj]
                    new_a = [*a[:pi], j, *a[pi + 1 :]]
                    new_b = [*b[:pj], i, *b[pj + 1 :]]
                    meet_delta = self._meet_delta(meet, a, i, b, j) if meet.size else 0
                old_a, old_b = values[r][gi], values[r][gj]
                values[r][gi] = self.group_value(new_a)
                values[r][gj] = self.group_value(new_b)
                delta = cost(r) - before + HARD * meet_delta
                if delta <= 0 or self.rng.random() < math.exp(-delta / temperature):
                    if meet.size:
                        if len(new_a) < len(a):  # a move
                            _leave(meet, i, a)
                            _join(meet, i, b)
                        else:
                            self._apply_meet(meet, a, i, b, j)
                    groups[gi], groups[gj] = new_a, new_b
                    current += delta
                else:
                    values[r][gi], values[r][gj] = old_a, old_b
            if current < best_cost - 1e-9:
                best_cost = current
                best = _copy(schedule)
                last_gain = steps
                if on_improve:
                    on_improve(best, best_cost)
            elif steps - last_gain > IDLE_STEPS:
                break  # long without a better schedule: stop before the deadline
        return best


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


def _leave(meet: np.ndarray, i: int, group: Sequence[int]) -> None:
    """i leaves a group: one meeting less with each other member."""
    others = [k for k in group if k != i]
    meet[i, others] -= 1
    meet[others, i] -= 1


def _join(meet: np.ndarray, i: int, group: Sequence[int]) -> None:
    """i joins a group: one meeting more with each of its members."""
    others = [k for k in group if k != i]
    meet[i, others] += 1
    meet[others, i] += 1


def _pairs(n: int, g: int) -> int:
    """Pairs within g groups of as equal sizes as can be (n members)."""
    q, extra = divmod(n, g)
    return extra * (q + 1) * q // 2 + (g - extra) * q * (q - 1) // 2


def _schedule(n: int, rounds: list[list[list[int]]]) -> Schedule:
    """A schedule in which everyone is placed, with its meeting counts."""
    meet = np.zeros((n, n), dtype=np.int16)
    for groups in rounds:
        for grp in groups:
            _meet_group(meet, grp)
    return Schedule(rounds, [[] for _ in rounds], meet)


def _meet_group(meet: np.ndarray, group: Sequence[int]) -> None:
    """Everyone in the group meets everyone else in it once more."""
    idx = np.array(group)
    meet[np.ix_(idx, idx)] += 1
    meet[idx, idx] -= 1


def _copy(schedule: Schedule) -> Schedule:
    return Schedule(
        [[list(g) for g in groups] for groups in schedule.rounds],
        [list(u) for u in schedule.unplaced],
        schedule.meet.copy(),
    )
