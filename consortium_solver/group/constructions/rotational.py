"""Schedules in which everybody meets everybody exactly once, from one round and a group of symmetries.

A *1-rotational* resolvable design (e.g. the CRC Handbook of Combinatorial Designs, "resolvable
designs"; Buratti & Zuanni, "G-invariantly resolvable Steiner 2-designs which are 1-rotational over
G", Bull. Belg. Math. Soc. 5, 1998) has ``n = |G| + 1`` members: the elements of an abelian group
``G`` and one fixed member ``inf``. With groups of ``s`` over ``R = |G| / (s - 1)`` rounds, take a
subgroup ``H`` of order ``s - 1`` and a *starter*: ``k = (R - 1) / s`` base groups ``B_1..B_k`` that

* hold one element of each coset of ``H`` but ``H`` itself (so ``{inf} + H`` and the translates
  ``B_i + h``, ``h`` in ``H``, partition the members: the first round), and
* between them show every difference outside ``H`` exactly once (``x - y`` over ordered pairs).

Round ``r`` is the first round translated by the ``r``-th coset representative of ``H``. A pair
``{x, y}`` with ``x - y`` in ``H`` meets in the group of ``inf`` of the round of its coset; any other
pair meets in the translate of the one ``B_i`` with that difference -- once. The starter is found
by a depth-first search, coset by coset, within ``NODE_BUDGET`` nodes when the numbers are not in
``STARTERS``: the starters kept there were found by :func:`starter` with a larger budget (28 members
in fours over ``Z_3^3`` after ``Z_27`` and ``Z_3 x Z_9`` have none, about 50,000 nodes; 40 in fours --
the social golfer instance 10-4-13 -- over ``Z_39``, about 480,000; 52 in fours; 33 and 57 in
threes), and every schedule is checked before it is returned. Not every order has one: the search,
run to the end, finds no starter for 15 or 21 in threes over any abelian group it tries (``Z_14``;
``Z_20``, ``Z_2 x Z_10``); 21 is served by :func:`.designs.kirkman_rounds` instead.

*Rows over a group* (the same device with the group acting semiregularly, as in the cyclic
constructions of the CRC Handbook's "resolvable designs"): members ``(j, x)``, row ``j`` of ``m``,
``x`` in an abelian group ``A``; a base round translated by each element of ``A`` gives ``|A|``
rounds, and an *orbit round* ``{(j, x + u_j)}``, ``x`` in ``A``, one more. A pair ``(j, a), (k,
b)`` meets once in the translates for each time its orbit (rows ``j, k`` and difference ``b - a``,
up to sign within a row) is used by the base round or an orbit round, so the schedule has no repeat
when no orbit is used twice. :func:`row_schedule` searches depth first (groups filled member by
member, each new group starting at the first member not yet placed); 36 in fours over ``Z_3 x Z_3``
with one orbit round is the social golfer instance 9-4-10, which neither the transversal design (9
rounds) nor the cyclic seed gives reliably; its base round (about 24,000 nodes, a second of
Python) is kept in ``ROW_BASES``.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass

Rounds = list[list[list[int]]]

# Nodes the starter search may visit when no starter is tabulated (a fifth of a second of Python).
NODE_BUDGET = 20_000

# Starters found by `starter` beyond the budget: (members, group size) -> (the group's cyclic
# factors, a generator of H, the base groups), elements written as their mixed-radix codes.
STARTERS: dict[tuple[int, int], tuple[tuple[int, ...], int, tuple[tuple[int, ...], ...]]] = {
    (28, 4): ((3, 3, 3), 1, ((3, 6, 9, 19), (12, 16, 23, 25))),
    (33, 3): ((32,), 16, ((1, 2, 4), (3, 10, 14), (5, 11, 29), (6, 25, 15), (7, 24, 12))),
    (40, 4): ((39,), 13, ((1, 5, 8, 25), (2, 3, 36, 11), (4, 6, 33, 22))),
    (52, 4): ((51,), 17, ((1, 2, 4, 13), (3, 9, 28, 33), (5, 40, 25, 12), (7, 44, 48, 15))),
    (57, 3): (
        (56,),
        28,
        (
            (1, 2, 4),
            (3, 7, 12),
            (5, 11, 18),
            (6, 14, 43),
            (8, 50, 24),
            (9, 47, 26),
            (10, 20, 51),
            (13, 45, 25),
            (16, 49, 27),
        ),
    ),
}


# Base rounds found by `row_schedule`: (members, group size) -> (the group's cyclic factors, rows,
# the orbit rounds' shifts u per row, the base round's groups), member (j, x) coded j * |A| + x.
ROW_BASES: dict[
    tuple[int, int],
    tuple[tuple[int, ...], int, tuple[tuple[int, ...], ...], tuple[tuple[int, ...], ...]],
] = {
    (36, 4): (
        (3, 3),
        4,
        ((0, 0, 0, 0),),
        (
            (0, 1, 3, 11), (2, 7, 13, 14), (4, 17, 18, 19), (5, 21, 24, 34), (6, 20, 31, 35),
            (8, 27, 29, 32), (9, 12, 16, 33), (10, 22, 26, 30), (15, 23, 25, 28),
        ),
    ),
}  # fmt: skip


@dataclass(frozen=True)
class Abelian:
    """The group Z_d1 x ... x Z_dk, elements coded 0..order-1 by mixed radix."""

    dims: tuple[int, ...]

    @property
    def order(self) -> int:
        out = 1
        for d in self.dims:
            out *= d
        return out

    def digits(self, x: int) -> list[int]:
        out = []
        for d in self.dims:
            x, r = divmod(x, d)
            out.append(r)
        return out

    def code(self, digits: Sequence[int]) -> int:
        x, scale = 0, 1
        for c, d in zip(digits, self.dims, strict=True):
            x += (c % d) * scale
            scale *= d
        return x

    def add(self, x: int, y: int) -> int:
        return self.code([a + b for a, b in zip(self.digits(x), self.digits(y), strict=True)])

    def sub(self, x: int, y: int) -> int:
        return self.code([a - b for a, b in zip(self.digits(x), self.digits(y), strict=True)])

    def generated(self, h: int) -> list[int]:
        """The cyclic subgroup generated by h, in order 0, h, 2h, ..."""
        out = [0]
        while (nxt := self.add(out[-1], h)) != 0:
            out.append(nxt)
        return out


def groups_of_order(order: int) -> list[Abelian]:
    """Some abelian groups of this order: the cyclic one, then Z_p x Z_(order/p) for p^2 dividing
    it, then the elementary abelian one if the order is a prime power."""
    found = [Abelian((order,))]
    primes = [p for p in range(2, order + 1) if all(p % d for d in range(2, p))]
    found += [Abelian((p, order // p)) for p in primes if order % (p * p) == 0]
    for p in primes:
        m = next((m for m in range(3, order.bit_length() + 1) if p**m == order), None)
        if m is not None:
            found.append(Abelian((p,) * m))
    return found


class DepthFirst:
    """A depth-first search that gives up after a budget of nodes: each node calls ``_visit``,
    and ``_within`` runs the search, False when it ran out (the searches here and in
    :mod:`.designs` share it)."""

    nodes = 0
    budget = 0

    def _visit(self) -> None:
        self.nodes += 1
        if self.nodes > self.budget:
            raise _OutOfNodes

    def _within(self, budget: int, search: Callable[[], bool]) -> bool:
        self.budget = budget
        try:
            return search()
        except _OutOfNodes:
            return False


class _OutOfNodes(Exception):
    pass


class _StarterSearch(DepthFirst):
    """Depth-first search for a starter in one group with one H (see the module notes)."""

    def __init__(self, group: Abelian, h: int, size: int) -> None:
        n = group.order
        self.group, self.size = group, size
        self.sub = [[group.sub(x, y) for y in range(n)] for x in range(n)]
        self.in_h = [False] * n
        for x in group.generated(h):
            self.in_h[x] = True
        self.coset = [-1] * n
        self.cosets: list[list[int]] = []
        for x in range(n):
            if self.coset[x] < 0:
                members = [group.add(x, y) for y in group.generated(h)]
                for m in members:
                    self.coset[m] = len(self.cosets)
                self.cosets.append(members)
        self.k = (len(self.cosets) - 1) // size
        self.used_diff = [False] * n
        self.used_coset = [c == self.coset[0] for c in range(len(self.cosets))]
        self.blocks: list[list[int]] = []

    def run(self, budget: int) -> list[list[int]] | None:
        """The starter, or None when there is none or the search visits ``budget`` nodes."""
        return self.blocks if self._within(budget, lambda: self._extend([])) else None

    def _differences(self, block: Sequence[int], x: int) -> list[int] | None:
        """The differences x adds to the block, or None if one is in H or already shown."""
        out: list[int] = []
        for y in block:
            for d in (self.sub[x][y], self.sub[y][x]):
                if self.in_h[d] or self.used_diff[d] or d in out:
                    return None
                out.append(d)
        return out

    def _extend(self, block: list[int]) -> bool:
        self._visit()
        if len(block) == self.size:
            self.blocks.append(list(block))
            if len(self.blocks) == self.k or self._extend([]):
                return True
            self.blocks.pop()
            return False
        if block:  # cosets in increasing order within a block
            last = self.coset[block[-1]]
            choices = [x for x in range(len(self.coset)) if self.coset[x] > last]
        else:  # a new block starts in the first coset not yet used
            choices = self.cosets[self.used_coset.index(False)]
        for x in choices:
            if self.used_coset[self.coset[x]]:
                continue
            diffs = self._differences(block, x)
            if diffs is None:
                continue
            self._mark(diffs, x, True)
            block.append(x)
            if self._extend(block):
                return True
            block.pop()
            self._mark(diffs, x, False)
        return False

    def _mark(self, diffs: Sequence[int], x: int, used: bool) -> None:
        for d in diffs:
            self.used_diff[d] = used
        self.used_coset[self.coset[x]] = used


def starter(
    n: int, size: int, budget: int = NODE_BUDGET
) -> tuple[Abelian, int, list[list[int]]] | None:
    """A group, a generator of H and a starter for n members in groups of ``size``, or None when
    none is found in ``budget`` nodes (over all the groups and subgroups tried)."""
    if size < 3 or n % size or (n - 1) % (size - 1) or ((n - 1) // (size - 1) - 1) % size:
        return None
    for group in groups_of_order(n - 1):
        tried: set[frozenset[int]] = set()
        for h in range(1, group.order):
            sub = group.generated(h)
            if len(sub) != size - 1 or frozenset(sub) in tried:
                continue
            tried.add(frozenset(sub))
            search = _StarterSearch(group, h, size)
            found = search.run(budget)
            if found is not None:
                return group, h, found
            budget -= search.nodes
            if budget <= 0:
                return None
    return None


def develop(group: Abelian, h: int, blocks: Sequence[Sequence[int]]) -> Rounds:
    """The rounds of a starter: the first round, translated by one element of each coset of H."""
    inf = group.order
    sub = group.generated(h)
    first = [[inf, *sub]] + [[group.add(x, y) for x in block] for block in blocks for y in sub]
    seen: set[int] = set()
    rounds = []
    for g in range(group.order):
        if g in seen:
            continue
        seen.update(group.add(g, y) for y in sub)
        rounds.append([sorted(x if x == inf else group.add(x, g) for x in grp) for grp in first])
    return rounds


def rotational_rounds(n: int, size: int) -> Rounds | None:
    """Every round of a 1-rotational resolvable design on n members in groups of ``size``, or None
    when no starter is tabulated or found within the node budget."""
    known = STARTERS.get((n, size))
    if known is not None:
        dims, h, blocks = known
        return develop(Abelian(dims), h, blocks)
    found = starter(n, size)
    if found is None:
        return None
    return develop(*found)


class _RowSearch(DepthFirst):
    """Depth-first search for a base round over rows (see the module notes), the orbit rounds'
    shifts chosen first."""

    def __init__(self, group: Abelian, rows: int, size: int, orbit_rounds: int) -> None:
        self.group, self.rows, self.size, self.orbit_rounds = group, rows, size, orbit_rounds
        order = group.order
        self.sub = [[group.sub(x, y) for y in range(order)] for x in range(order)]
        self.used: set[tuple[int, int, int]] = set()
        self.placed = [False] * (rows * order)
        self.groups: list[list[int]] = []
        self.shifts: list[tuple[int, ...]] = []

    def orbit(self, p: int, q: int) -> tuple[int, int, int]:
        """The pair orbit of members p and q: (row, row, difference), a row's ± difference once."""
        (j, a), (k, b) = sorted((divmod(p, self.group.order), divmod(q, self.group.order)))
        d = self.sub[b][a]
        return (j, k, min(d, self.sub[0][d])) if j == k else (j, k, d)

    def run(self, budget: int) -> bool:
        return self._within(budget, lambda: self._shifts() and self._fill([]))

    def _take(self, orbits: Sequence[tuple[int, int, int]]) -> bool:
        if len(set(orbits)) < len(orbits) or any(o in self.used for o in orbits):
            return False
        self.used.update(orbits)
        return True

    def _shifts(self) -> bool:
        order = self.group.order
        for _ in range(self.orbit_rounds):
            for tail in itertools.product(range(order), repeat=self.rows - 1):
                u = (0, *tail)
                members = [j * order + u[j] for j in range(self.rows)]
                if self._take([self.orbit(p, q) for p, q in itertools.combinations(members, 2)]):
                    self.shifts.append(u)
                    break
            else:
                return False
        return True

    def _fill(self, grp: list[int]) -> bool:
        self._visit()
        if len(grp) == self.size:
            self.groups.append(list(grp))
            if all(self.placed) or self._fill([]):
                return True
            self.groups.pop()
            return False
        choices = [self.placed.index(False)] if not grp else range(grp[-1] + 1, len(self.placed))
        for p in choices:
            if self.placed[p] or not self._take([self.orbit(p, q) for q in grp]):
                continue
            self.placed[p] = True
            grp.append(p)
            if self._fill(grp):
                return True
            grp.pop()
            self.placed[p] = False
            self.used.difference_update(self.orbit(p, q) for q in grp)
        return False


def row_schedule(
    group: Abelian, rows: int, size: int, orbit_rounds: int, budget: int
) -> tuple[list[tuple[int, ...]], list[list[int]]] | None:
    """Orbit-round shifts and a base round for ``rows * |A|`` members in groups of ``size``, or
    None when none is found within ``budget`` nodes."""
    search = _RowSearch(group, rows, size, orbit_rounds)
    return (search.shifts, search.groups) if search.run(budget) else None


def develop_rows(
    group: Abelian, rows: int, shifts: Sequence[Sequence[int]], base: Sequence[Sequence[int]]
) -> Rounds:
    """The base round translated by every element of the group, then the orbit rounds."""
    order = group.order

    def moved(p: int, t: int) -> int:
        j, x = divmod(p, order)
        return j * order + group.add(x, t)

    rounds = [[sorted(moved(p, t) for p in grp) for grp in base] for t in range(order)]
    for u in shifts:
        rounds.append([[j * order + group.add(x, u[j]) for j in range(rows)] for x in range(order)])
    return rounds


def row_rounds(n: int, size: int) -> Rounds | None:
    """The rounds of a tabulated base round over rows for these numbers, or None."""
    known = ROW_BASES.get((n, size))
    if known is None:
        return None
    dims, rows, shifts, base = known
    return develop_rows(Abelian(dims), rows, shifts, base)
