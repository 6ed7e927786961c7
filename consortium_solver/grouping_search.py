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
from consortium_solver.domain import Organisation
from consortium_solver.heuristic import Scorer

HARD = 1_000_000.0  # weight of one violation or repeated meeting against score points
IDLE_STEPS = 300_000  # annealing steps without a better schedule before stopping early


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
        self.stagnation = 20  # iterations per member without a better count before a restart
        self.shake = 3
        self.tenure = (5, 15)
        self.scorer = Scorer(candidates, objective, links)
        self.rules = GroupRules(candidates, rules, together, apart)
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
        """As many groups as let everyone be placed, no more than the scarce members allow."""
        # The fewest groups that hold everyone: larger groups have more pairs to score.
        g = min(self.n // self.min_size, math.ceil(self.n / self.max_size))
        for hit in self.scarce:
            g = min(g, len(hit))
        return max(g, 0)

    def construct(self) -> Schedule:
        g = self.group_count()
        size = self.n if self.n_rounds > 1 else 0
        meet = np.zeros((size, size), dtype=np.int16)
        rounds, unplaced = [], []
        for _ in range(self.n_rounds):
            groups, rest = self._construct_round(g, meet)
            rounds.append(groups)
            unplaced.append(rest)
            if meet.size:
                for grp in groups:
                    idx = np.array(grp)
                    meet[np.ix_(idx, idx)] += 1
                    meet[idx, idx] -= 1
        return Schedule(rounds, unplaced, meet)

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
        """Tabu search on repeated meetings (Dotú & Van Hentenryck 2005): in a random round, the
        best swap of two members of different groups, one of them in conflict; undoing a swap is
        tabu for a few iterations unless it beats the best count; random swaps after a long
        stagnation. Every swap's effect is computed for the whole round at once (numpy)."""
        meet = schedule.meet
        n = self.n
        tabu = np.zeros((self.n_rounds, n, n), dtype=np.int64)
        conflicts = self.conflicts(schedule)
        best = conflicts
        it = 0
        since_best = 0
        kept: tuple[list[list[list[int]]], np.ndarray, list[list[tuple[int, float]]]] | None = None
        while conflicts > 0 and time.perf_counter() < deadline:
            it += 1
            choice = None
            for r in range(self.n_rounds):
                groups = schedule.rounds[r]
                if len(groups) < 2:
                    continue
                member = [i for grp in groups for i in grp]
                where = {i: gi for gi, grp in enumerate(groups) for i in grp}
                idx = np.array(member)
                gid = np.array([where[i] for i in member])
                m = meet[np.ix_(idx, idx)].astype(np.int64)
                a = (m >= 1).astype(np.int64)
                b = (m > 1).astype(np.int64)
                same = gid[:, None] == gid[None, :]
                loss = (b * same).sum(axis=1)  # repeats i loses by leaving its group
                if not loss.any():
                    continue
                c = a @ same.astype(np.int64)  # c[x, y] = members of y's group that x has met
                delta = c + c.T - 2 * a - loss[:, None] - loss[None, :]
                in_conflict = loss > 0
                allowed = ~same & (in_conflict[:, None] | in_conflict[None, :])
                blocked = tabu[r][np.ix_(idx, idx)] > it
                allowed &= ~blocked | (conflicts + delta < best)
                if not allowed.any():
                    continue
                score = np.where(allowed, delta, np.iinfo(np.int64).max // 2).astype(np.float64)
                score += self.noise.random(score.shape) * 0.5  # random tie-breaking
                x, y = np.unravel_index(int(np.argmin(score)), score.shape)
                if choice is None or score[x, y] < choice[0]:
                    choice = (float(score[x, y]), r, member[x], member[y], where, int(delta[x, y]))
            if choice is None:
                tabu[:] = 0
                continue
            _, r, i, j, where, move_delta = choice
            groups = schedule.rounds[r]
            gi, gj = where[i], where[j]
            a_new = [j if k == i else k for k in groups[gi]]
            b_new = [i if k == j else k for k in groups[gj]]
            hard = self.rules.violation(a_new) + self.rules.violation(b_new)
            if hard > values[r][gi][0] + values[r][gj][0]:
                tabu[r, i, j] = tabu[r, j, i] = it + 3  # it breaks a group's rule: try others
                continue
            self._apply_meet(meet, groups[gi], i, groups[gj], j)
            groups[gi], groups[gj] = a_new, b_new
            values[r][gi] = self.group_value(a_new)
            values[r][gj] = self.group_value(b_new)
            conflicts += move_delta
            tenure = self.rng.randint(*self.tenure)
            tabu[r, i, j] = tabu[r, j, i] = it + tenure
            if conflicts < best:
                best, since_best = conflicts, 0
                kept = (
                    [[list(g) for g in gs] for gs in schedule.rounds],
                    meet.copy(),
                    [list(v) for v in values],
                )
            else:
                since_best += 1
            if since_best > self.stagnation * n and kept is not None:
                # Restart from the best schedule seen, shaken by a few random swaps.
                rounds_copy, meet_copy, values_copy = kept
                schedule.rounds[:] = [[list(g) for g in gs] for gs in rounds_copy]
                meet[:] = meet_copy
                values[:] = [list(v) for v in values_copy]
                conflicts = best
                for _ in range(self.shake):
                    r2 = self.rng.randrange(self.n_rounds)
                    gs = schedule.rounds[r2]
                    ga, gb = self.rng.sample(range(len(gs)), 2)
                    i2, j2 = self.rng.choice(gs[ga]), self.rng.choice(gs[gb])
                    a2 = [j2 if k == i2 else k for k in gs[ga]]
                    b2 = [i2 if k == j2 else k for k in gs[gb]]
                    if (
                        self.rules.violation(a2) + self.rules.violation(b2)
                        > values[r2][ga][0] + values[r2][gb][0]
                    ):
                        continue
                    conflicts += self._meet_delta(meet, gs[ga], i2, gs[gb], j2)
                    self._apply_meet(meet, gs[ga], i2, gs[gb], j2)
                    gs[ga], gs[gb] = a2, b2
                    values[r2][ga] = self.group_value(a2)
                    values[r2][gb] = self.group_value(b2)
                tabu[:] = 0
                since_best = 0

        if kept is not None and conflicts > best:
            rounds_copy, meet_copy, values_copy = kept
            schedule.rounds[:] = rounds_copy
            meet[:] = meet_copy
            values[:] = values_copy

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
            if rest and kind < 0.15:  # exchange with, or insert, an unplaced member
                u_pos = self.rng.randrange(len(rest))
                u = rest[u_pos]
                if len(a) < self.max_size and self.rng.random() < 0.5:
                    new_a = [*a, u]
                    meet_delta = sum(meet[u, k] >= 1 for k in a) if meet.size else 0
                    old = values[r][gi]
                    values[r][gi] = self.group_value(new_a)
                    delta = cost(r) - before + HARD * meet_delta
                    if delta <= 0 or self.rng.random() < math.exp(-delta / temperature):
                        if meet.size:
                            _join(meet, u, a)
                        groups[gi] = new_a
                        rest.pop(u_pos)
                        current += delta
                    else:
                        values[r][gi] = old
                else:
                    pos = self.rng.randrange(len(a))
                    i = a[pos]
                    new_a = [*a[:pos], u, *a[pos + 1 :]]
                    meet_delta = 0
                    if meet.size:
                        meet_delta = sum((meet[u, k] >= 1) - (meet[i, k] > 1) for k in a if k != i)
                    old = values[r][gi]
                    values[r][gi] = self.group_value(new_a)
                    delta = cost(r) - before + HARD * meet_delta
                    if delta <= 0 or self.rng.random() < math.exp(-delta / temperature):
                        if meet.size:
                            _leave(meet, i, a)
                            _join(meet, u, [k for k in a if k != i])
                        groups[gi] = new_a
                        rest[u_pos] = i
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


def _copy(schedule: Schedule) -> Schedule:
    return Schedule(
        [[list(g) for g in groups] for groups in schedule.rounds],
        [list(u) for u in schedule.unplaced],
        schedule.meet.copy(),
    )
