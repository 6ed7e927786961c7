"""First schedules: a design or a cyclic schedule where one applies, else a greedy construction.

Each round's groups are first seeded with the scarcest members a rule asks for (e.g. one per group
from a less developed or transition region). A round without earlier meetings to avoid (the only
round, or when the clock has run out) is then *dealt*: the others, sorted by country, go round the
groups by size like cards, so that neighbours of one country land in different groups — linear in
the pool, 100,000 organisations in well under a second. A later round of several is filled greedily:
each organisation goes to the group where it meets fewest people it met before, then the smallest,
then one that gains a new country, looking at ``WINDOW`` of the smallest groups.

With no rule but the group sizes over several rounds, and no design or cyclic schedule found, the
rounds are built by *freedom* instead (Triska & Musliu, "An effective greedy heuristic for the Social
Golfer Problem", Ann. Oper. Res. 194, 2012 — the initial configuration that let their local search
solve 8-4-10): each group is filled pair by pair, taking two members who have not met each other nor
anyone in the group, with the most others that neither has met (the pair's freedom: who could still
join them), ties at random; a group's last odd seat goes to whoever has met fewest of the group.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence

import numpy as np

from consortium_solver.core.clock import Clock
from consortium_solver.core.native import kernel, random_state, random_unit
from consortium_solver.group.constraints import GroupRules, Reading
from consortium_solver.group.constructions import CyclicSearch, known_rounds
from consortium_solver.group.search.state import (
    EXEMPT,
    Schedule,
    meet_group,
    new_meetings,
    schedule_of,
)
from consortium_solver.rules import Problem

# Groups the greedy construction looks at per organisation (the smallest ones first).
WINDOW = 64

# Rounds are built by freedom up to this many members (its work per round grows with n^3).
FREEDOM_MAX = 600

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
        absent: Sequence[frozenset[int]] = (),
        allowed: int = 1,
        hosts: Sequence[int] = (),
        pairs: Sequence[Sequence[tuple[int, int]]] = (),
        spread: Sequence[tuple[float, ...]] = (),
        caps: Sequence[Sequence[int]] = (),
        fixed: Sequence[Sequence[tuple[int, int]]] = (),
    ) -> None:
        self.n = problem.n
        self.min_size, self.max_size = problem.min_size, problem.max_size
        self.rules, self.n_rounds, self.rng = rules, n_rounds, rng
        self.together = list(together)
        self.countries = [o.country for o in problem.candidates]
        # The order of dealing: by the balanced columns' values (spread: one tuple per member),
        # then by country, so that each value goes round the groups like a suit of cards.
        self.deal_key = [
            (*(spread[i] if spread else ()), o.country) for i, o in enumerate(problem.candidates)
        ]
        self.scarce = _scarce(rules)
        # absent[r]: the members who do not attend round r (none: everyone attends every round).
        self.absent = list(absent) or [frozenset()] * n_rounds
        self.allowed = allowed  # meetings a pair may have (--max-meetings)
        self.hosts = list(hosts)  # table hosts: one per group, the groups' count in each round
        # pairs[r]: the pairs seated together in round r (--meet: each pair meets in one round).
        self.pairs = [list(p) for p in pairs] or [[] for _ in range(n_rounds)]
        # caps[r]: the seats of each table laid in round r, the largest first (none: no tables,
        # groups of up to max_size); group k of the round sits at table k.
        self.caps = [list(c) for c in caps]
        self.fixed = [list(f) for f in fixed]  # fixed[r]: (member, table k) seats of round r

    def group_count(self, r: int | None = None) -> int:
        """As many groups as let everyone be placed, no more than the scarce members allow; over
        several rounds, more (and smaller) groups when the fewest would need more distinct pairs
        than the pool has. With ``r``, for the members who attend round ``r``."""
        away = self.absent[r] if r is not None else frozenset()
        n = self.n - len(away)
        # The fewest groups that hold everyone: larger groups have more pairs to score.
        most = n // self.min_size
        for hit in self.scarce:
            most = min(most, sum(1 for i in hit if i not in away))
        g = min(most, math.ceil(n / self.max_size))
        # Counting: R rounds without a repeat use R * (pairs per round) distinct pairs. E.g. 32
        # members in groups of 3..5 over 10 rounds: 7 groups (5,5,5,5,4,4,4) need 580 > 496 pairs,
        # 8 groups of 4 need 480.
        if self.n_rounds > 1:
            while g < most and self.n_rounds * _pairs(n, g) > n * (n - 1) // 2:
                g += 1
            # Pigeonhole: a group of a later round takes at most one member of each group of the
            # round before (two from one group have met), so groups of more members than there
            # are groups make repeats certain: 12 in 3 groups of 4, not 4 groups of 3.
            while self.allowed == 1 and g < most and -(-n // max(g, 1)) > g:
                g += 1
        return max(g, 0)

    def round_groups(self, r: int) -> int:
        """The groups of round ``r``: one per table host present, else :meth:`group_count` —
        with tables, at least the fewest tables that seat everyone, at most the tables laid."""
        if self.hosts:
            return sum(1 for h in self.hosts if h not in self.absent[r])
        fixed = self.fixed[r] if self.fixed else ()
        g = max(self.group_count(r), 1 + max((k for _, k in fixed), default=-1))
        if self.caps:
            seats, n = self.caps[r], self.n - len(self.absent[r])
            fewest = next((k for k in range(len(seats) + 1) if sum(seats[:k]) >= n), len(seats))
            g = min(len(seats), max(g, fewest))
        return g

    def seats(self, r: int, g: int) -> list[int]:
        """The seats of the g groups of round r: their tables', else the largest size each."""
        return self.caps[r][:g] if self.caps else [self.max_size] * g

    def construct(
        self, cyclic: Clock | None = None, clock: Clock | None = None, designs: bool = True
    ) -> Schedule:
        """A first schedule. With several rounds and no rule but the group sizes, a schedule from a
        finite geometry (``designs=False`` skips them, for benchmarks) where the numbers fit one,
        else a cyclic schedule tried until the ``cyclic`` clock runs out (none without that clock),
        else rounds by freedom; otherwise the greedy construction, rounds dealt once ``clock`` has
        run out."""
        g = self.group_count()
        sizes = equal_sizes(self.n, g, self.min_size, self.max_size)
        # Designs, cyclic and freedom rounds seat everyone, and know no hosts nor pairs to seat.
        everyone = not any(self.absent) and not self.hosts and not any(self.pairs)
        everyone = everyone and not self.caps
        if self.n_rounds > 1 and self.rules.sizes_only and sizes is not None and everyone:
            found = None
            if cyclic is not None and g >= 2:
                found = self._by_design(sizes, cyclic, designs)
            if found is None and self.n <= FREEDOM_MAX:
                seed = self.rng.randrange(2**31)
                meet = new_meetings(self.n, self.allowed)
                by_freedom = freedom_rounds(meet, sizes, self.n_rounds, random_state(seed))
                found = [  # each group's row is padded to the largest size: cut it to its own
                    [list(map(int, grp[:size])) for grp, size in zip(groups, sizes, strict=True)]
                    for groups in by_freedom
                ]
            if found is not None:
                return schedule_of(self.n, found, self.allowed)
        size = self.n if self.n_rounds > 1 else 0
        meet = new_meetings(size, self.allowed)
        if size:
            # Together pairs share a group by request in every round: their meetings never count
            # as repeats (the validator agrees), so their count starts far below 1.
            for a, b in self.together:
                meet[a, b] = meet[b, a] = -EXEMPT
        rounds, unplaced = [], []
        for r in range(self.n_rounds):
            greedy = meet.size and not (clock is not None and clock.expired())
            count = g if everyone else self.round_groups(r)
            seeded = [[h] for h in self.hosts if h not in self.absent[r]]
            seeded = seeded or [[] for _ in range(count)]
            for i, k in self.fixed[r] if self.fixed else ():
                seeded[k].append(i)  # a fixed seat at table k
            groups, rest = self._round(
                self.seats(r, count),
                meet if greedy else None,
                clock,
                self.absent[r],
                seeded,
                self.pairs[r],
            )
            rounds.append(groups)
            unplaced.append(rest)
            if meet.size:
                for grp in groups:
                    meet_group(meet, grp)
        return Schedule(rounds, unplaced, meet)

    def _by_design(
        self, sizes: np.ndarray, clock: Clock, designs: bool
    ) -> list[list[list[int]]] | None:
        q, extra = divmod(self.n, len(sizes))
        if designs and not extra:
            designed = known_rounds(self.n, q, self.n_rounds)
            if designed is not None:
                return relabelled(designed, self.n, self.rng)
        if self.n * self.n_rounds > CYCLIC_MAX_WORK:  # its set-up is O(n^2 R) in Python
            return None
        return CyclicSearch(self.n, sizes.tolist(), self.n_rounds, self.rng).search(clock)

    def _round(
        self,
        caps: list[int],
        meet: np.ndarray | None,
        clock: Clock | None,
        absent: frozenset[int] = frozenset(),
        seeded: Sequence[Sequence[int]] = (),
        pairs: Sequence[tuple[int, int]] = (),
    ) -> tuple[list[list[int]], list[int]]:
        """One round of ``len(caps)`` groups of at most ``caps[k]`` members: seeded (group k with
        ``seeded[k]`` first: host k, fixed seats; then the pairs to seat together, round the groups),
        then filled greedily against ``meet`` (dealt without it, or once the clock runs out); the
        ``absent`` are neither placed nor left unplaced."""
        g = len(caps)
        if g == 0:
            return [], [i for i in range(self.n) if i not in absent]
        groups: list[list[int]] = [list(k) for k in seeded] or [[] for _ in range(g)]
        placed = bytearray(self.n)
        for i in (*absent, *(i for k in seeded for i in k)):
            placed[i] = 1
        for k, pair in enumerate(pairs):
            held = [h for h, grp in enumerate(groups) if any(i in grp for i in pair)]
            target = (
                held[0]
                if held
                else min(range(len(groups)), key=lambda h: (len(groups[h]), (h - k) % len(groups)))
            )  # the group of one already seated (a host's table), else the emptiest
            groups[target] += [i for i in pair if not placed[i]]
            for i in pair:
                placed[i] = 1
        for hit in self.scarce:  # one of each scarce kind per group, round robin
            seed_scarce(groups, hit, placed, self.rng)
        order = [i for i in range(self.n) if not placed[i]]
        self.rng.shuffle(order)
        room = sum(caps) - sum(len(grp) for grp in groups)
        if meet is not None:
            order = self._greedy(groups, order[:room], meet, clock, caps)
        self._deal(groups, order[:room], caps)
        for grp in groups:
            for i in grp:
                placed[i] = 1
        return groups, [i for i in range(self.n) if not placed[i]]  # the absent were marked

    def _deal(self, groups: list[list[int]], order: list[int], caps: list[int]) -> None:
        """Deal ``order`` (by the balanced columns' values and country, shuffled within) round the
        groups, smallest first, up to the largest size."""
        order = sorted(order, key=self.deal_key.__getitem__)  # stable: shuffled within a key
        by_size = sorted(range(len(groups)), key=lambda h: len(groups[h]))
        k = 0
        for level in range(max(caps, default=0)):
            for h in by_size:
                if k < len(order) and len(groups[h]) <= level < caps[h]:
                    groups[h].append(order[k])
                    k += 1

    def _greedy(
        self,
        groups: list[list[int]],
        order: list[int],
        meet: np.ndarray,
        clock: Clock | None,
        caps: list[int],
    ) -> list[int]:
        """Place ``order`` one by one in the best of the smallest groups (see the module); the
        organisations left when the clock runs out."""
        levels = _Levels(groups, caps)
        group_countries = [{self.countries[j] for j in grp} for grp in groups]
        for pos, i in enumerate(order):
            if clock is not None and pos % 256 == 0 and clock.expired():
                return order[pos:]
            window = levels.smallest(WINDOW)
            if not window:
                return order[pos:]
            row = meet[i]
            best = min(
                window,
                key=lambda h: (
                    sum(int(row[j]) for j in groups[h]),
                    len(groups[h]) >= self.min_size,
                    self.countries[i] in group_countries[h],
                    len(groups[h]),
                    self.rng.random(),
                ),
            )
            levels.grow(best, i)
            group_countries[best].add(self.countries[i])
        return []


def seed_scarce(
    groups: list[list[int]], hit: list[int], placed: bytearray, rng: random.Random
) -> None:
    """One member of a scarce kind into each group that has none yet, while they last."""
    pool = [i for i in hit if not placed[i]]
    rng.shuffle(pool)
    kind = set(hit)
    k = 0
    for grp in groups:
        if k >= len(pool):
            break
        if any(i in kind for i in grp):
            continue
        grp.append(pool[k])
        placed[pool[k]] = 1
        k += 1


def equal_sizes(n: int, g: int, min_size: int, max_size: int) -> np.ndarray | None:
    """Group sizes as equal as can be for n members in g groups, if the size range allows."""
    if g < 1:
        return None
    q, extra = divmod(n, g)
    if not (min_size <= q and q + (extra > 0) <= max_size):
        return None
    return np.array([q + 1] * extra + [q] * (g - extra), dtype=np.int64)


def relabelled(rounds: list[list[list[int]]], n: int, rng: random.Random) -> list[list[list[int]]]:
    """The same schedule with members renamed at random (per seed), so that a construction does
    not always put the pool's first rows together."""
    names = list(range(n))
    rng.shuffle(names)
    return [[sorted(names[m] for m in grp) for grp in groups] for groups in rounds]


class _Levels:
    """The groups by size (those below their seats), each size a list with O(1) removal."""

    def __init__(self, groups: list[list[int]], caps: list[int]) -> None:
        self.groups, self.caps = groups, caps
        self.levels: list[list[int]] = [[] for _ in range(max(caps, default=0))]
        self.pos = [0] * len(groups)
        for h, grp in enumerate(groups):
            if len(grp) < caps[h]:
                self._add(h)

    def smallest(self, k: int) -> list[int]:
        """Up to k groups that can grow, the smallest first."""
        out: list[int] = []
        for level in self.levels:
            out.extend(level[: k - len(out)])
            if len(out) >= k:
                break
        return out

    def grow(self, h: int, member: int) -> None:
        """Group h gains a member (and leaves the levels when full)."""
        level = self.levels[len(self.groups[h])]
        last = level.pop()
        if last != h:
            level[self.pos[h]] = last
            self.pos[last] = self.pos[h]
        self.groups[h].append(member)
        if len(self.groups[h]) < self.caps[h]:
            self._add(h)

    def _add(self, h: int) -> None:
        level = self.levels[len(self.groups[h])]
        self.pos[h] = len(level)
        level.append(h)


def _scarce(rules: GroupRules) -> list[list[int]]:
    """Members each group needs a share of: those a count rule asks for (a min_count rule of the
    call, a --balance bound with a minimum), scarcest first."""
    out = []
    for rule in rules.coded:
        if rule.reading == Reading.COUNT and rule.low > 0:
            hit = [i for i, codes in enumerate(rule.codes) if codes]
            out.append((len(hit) / rule.low, rule.low, hit))
    return [hit for _, _, hit in sorted(out, key=lambda t: t[0])]


def _pairs(n: int, g: int) -> int:
    """Pairs within g groups of as equal sizes as can be (n members)."""
    q, extra = divmod(n, g)
    return extra * (q + 1) * q // 2 + (g - extra) * q * (q - 1) // 2


@kernel
def freedom_rounds(
    meet: np.ndarray, sizes: np.ndarray, n_rounds: int, rng: np.ndarray
) -> np.ndarray:
    """Rounds of groups of the given sizes by freedom (see the module); ``meet`` is updated.
    Group ``g`` of round ``r`` is ``out[r, g, :sizes[g]]`` (the rest of the row is padding);
    ``rng`` is the random state that breaks ties."""
    n = meet.shape[0]
    out = np.zeros((n_rounds, sizes.shape[0], sizes.max()), dtype=np.int64)
    unmet = np.zeros((n, n), dtype=np.int64)
    freedom = np.zeros((n, n), dtype=np.int64)
    placed = np.zeros(n, dtype=np.bool_)
    met_group = np.zeros(n, dtype=np.int64)  # members of the group being filled one has met
    for r in range(n_rounds):
        for i in range(n):
            for j in range(n):
                unmet[i, j] = i != j and meet[i, j] <= 0  # may still meet (--max-meetings)
        for i in range(n):
            for j in range(i, n):
                both = 0
                for p in range(n):
                    both += unmet[i, p] & unmet[j, p]
                freedom[i, j] = freedom[j, i] = both
        placed[:] = False
        for g in range(sizes.shape[0]):
            met_group[:] = 0
            s = 0
            while s < sizes[g]:
                picked = np.full(2, -1, dtype=np.int64)
                if sizes[g] - s >= 2:
                    _best_pair(unmet, freedom, placed, met_group, picked, rng)
                if picked[0] < 0:
                    picked[0] = _fewest_met(freedom, placed, met_group, rng)
                for member in picked:
                    if member >= 0:
                        out[r, g, s] = member
                        s += 1
                        placed[member] = True
                        for p in range(n):
                            met_group[p] += meet[p, member] > 0 or p == member
        for g in range(sizes.shape[0]):
            for a in range(sizes[g]):
                for b in range(a + 1, sizes[g]):
                    meet[out[r, g, a], out[r, g, b]] += 1
                    meet[out[r, g, b], out[r, g, a]] += 1
    return out


@kernel
def _best_pair(
    unmet: np.ndarray,
    freedom: np.ndarray,
    placed: np.ndarray,
    met_group: np.ndarray,
    picked: np.ndarray,
    rng: np.ndarray,
) -> None:
    """The free pair of most freedom that has met nobody in the group (none: picked unchanged)."""
    n = unmet.shape[0]
    best, ties = -1, 0
    for x in range(n):
        if placed[x] or met_group[x] > 0:
            continue
        for y in range(x + 1, n):
            if placed[y] or met_group[y] or not unmet[x, y] or freedom[x, y] < best:
                continue
            if freedom[x, y] > best:
                best, ties = int(freedom[x, y]), 0
            ties += 1
            if random_unit(rng) * ties < 1.0:
                picked[0], picked[1] = x, y


@kernel
def _fewest_met(
    freedom: np.ndarray, placed: np.ndarray, met_group: np.ndarray, rng: np.ndarray
) -> int:
    """The free member who has met fewest of the group, then has most others unmet."""
    best, chosen, ties = (1 << 40, 0), -1, 0
    for p in range(placed.shape[0]):
        if placed[p]:
            continue
        key = (met_group[p], -freedom[p, p])
        if key > best:
            continue
        if key < best:
            best, ties = key, 0
        ties += 1
        if random_unit(rng) * ties < 1.0:
            chosen = p
    return chosen
