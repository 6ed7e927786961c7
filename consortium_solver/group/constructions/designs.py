"""Schedules read off finite geometries, for groupings whose numbers fit a known design.

Some multi-round groupings are hard for search and easy for algebra. Two constructions:

* **Affine geometry** (the classic resolvable designs; e.g. the CRC Handbook of Combinatorial
  Designs, "affine planes" and "resolvable designs"): with ``q`` a prime power and ``n = q**t``
  members, members are the points of the space GF(q)^t; each direction of lines gives a round
  (the lines of that direction partition the points into groups of ``q``), and two points lie on
  one line only, so no pair meets twice in up to ``(q**t - 1) / (q - 1)`` rounds. For ``t = 2``
  that is every member meeting every other exactly once (16 in fours for 5 rounds, 49 in sevens for
  8), instances on which local search is slow.

* **Doubled affine space** for 32 members in 8 groups of 4 over 10 rounds (the social golfer
  problem, CSPLib prob010, whose 10-round schedule was open until Aguado 2004) and 128 in 32 groups
  of 4 over 42: every member meets all others but one. Our construction: take couples ``x`` in
  GF(2)^t (``t`` even, members ``2x`` and ``2x + 1``), and two line spreads ``S1``, ``S2`` of the
  projective space PG(t-1, 2) with no line in common (a spread partitions the non-zero vectors
  into 2-dimensional subspaces; the Desarguesian one comes from GF(4) inside GF(2^t)). Each of the
  ``2 (2**t - 1) / 3`` lines ``L`` gives a round: each coset ``Q`` of ``L`` (4 couples) splits into
  the groups ``{2x + s_L(x)}`` and ``{2x + 1 - s_L(x)}``. A difference ``d`` lies on one line of
  each spread, so couples ``x`` and ``x + d`` share a coset twice, and their four member pairs are
  met exactly once iff ``s_L(x) + s_L(x+d) + s_M(x) + s_M(x+d) = 1`` (mod 2) for the two lines
  ``L``, ``M`` through ``d`` -- a linear system over GF(2) in the signs, solved by elimination.
  (Two planes of AG(t, 2) share at most two points, so no pair of couples is grouped twice in one
  coset pair; the partners ``2x``, ``2x + 1`` never meet.) Linear signs cannot work: the system
  then says ``f_L(d) + f_M(d) = 1`` for each of the ``2**t - 1`` (an odd number) differences, while a
  linear form sums to 0 over the three points of a line, so the left sides add up to 0 -- hence
  the general solve.

* **Transversal designs** for ``g`` groups of ``p <= g`` with ``g`` a prime power (the lines of the
  affine plane AG(2, g) met by ``p`` of its horizontal lines; CRC Handbook, "transversal designs" and
  "mutually orthogonal Latin squares"): member ``(i, x)`` is point ``x`` of row ``i``; round ``a``
  groups ``{(i, a e_i + b)}`` for each ``b``, with ``e_i`` distinct field elements. Two members of
  different rows share a group in the one round ``a = (x - y) / (e_i - e_j)``; two of a row never do.
  So ``g`` rounds: 35 in fives for 7 and 40 in fives for 8 (the social golfer instances 7-5-7 and
  8-5-8, on which local search leaves a dozen repeated pairs).

* **Kirkman triple systems of order 3q**, ``q = 6t + 1`` a prime power (the cyclotomic construction
  of Ray-Chaudhuri & Wilson, "Solution of Kirkman's schoolgirl problem", Proc. Symp. Pure Math. 19,
  1971; also Colbourn & Rosa, *Triple Systems*): members ``x_j``, ``x`` in GF(q), level ``j`` in
  0..2. The first round holds ``{0_0, 0_1, 0_2}``, in each level the cosets ``w^i C`` (``w``
  primitive, ``C`` the cube roots of unity, ``0 <= i < t``) -- whose differences are
  ``(1 - c) w^i (+-C)``, every non-zero element once -- and ``3t`` triples ``{a_0, b_1, c_2}`` on
  the other cosets; it is translated by every element of GF(q) (``q`` rounds). ``3t`` more rounds
  are orbits ``{x_0, (x + u)_1, (x + v)_2}``. Every pair of levels needs each difference once
  among the first round's mixed triples and the ``(u, v)``: a small search picks them. 21 members
  in threes for 10 rounds is the social golfer instance 7-3-10 (every pair exactly once).

All are checked here before they are returned, and the caller's validator checks them again.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Sequence

from consortium_solver.core.errors import InternalError
from consortium_solver.group.constructions.rotational import (
    DepthFirst,
    rotational_rounds,
    row_rounds,
)

Rounds = list[list[list[int]]]

# Nodes the search for a Kirkman system's mixed triples may visit (q = 7 needs a few dozen).
KIRKMAN_BUDGET = 50_000

# The sign system for t = 8 (512 members) has 43,520 unknowns: beyond a quick pure-Python solve.
MAX_DOUBLED_T = 6


def prime_power(q: int) -> tuple[int, int] | None:
    """``(p, m)`` with ``q == p**m`` and ``p`` prime, or None."""
    if q < 2:
        return None
    p = next(d for d in range(2, q + 1) if q % d == 0)
    m, rest = 0, q
    while rest % p == 0:
        rest //= p
        m += 1
    return (p, m) if rest == 1 else None


class Field:
    """GF(q) by tables; elements are 0..q-1, the base-p digits of a polynomial's coefficients."""

    def __init__(self, q: int) -> None:
        pp = prime_power(q)
        if pp is None:
            raise ValueError(f"{q} is not a prime power")
        self.q, (self.p, self.m) = q, pp
        p, m = self.p, self.m
        self.add = [
            [self._join(self._digits(a), self._digits(b)) for b in range(q)] for a in range(q)
        ]
        if m == 1:
            self.mul = [[a * b % p for b in range(q)] for a in range(q)]
            return
        for tail in range(p**m):  # a monic polynomial of degree m whose quotient ring is a field
            modulus = [*self._digits(tail), 1]
            table = [[self._times(a, b, modulus) for b in range(q)] for a in range(q)]
            if all(table[a][b] for a in range(1, q) for b in range(1, q)):
                self.mul = table
                return
        raise InternalError("every prime power has an irreducible polynomial")  # pragma: no cover

    def _digits(self, a: int) -> list[int]:
        return [(a // self.p**i) % self.p for i in range(self.m)]

    def _join(self, x: Sequence[int], y: Sequence[int]) -> int:
        return sum(
            ((u + v) % self.p) * self.p**i for i, (u, v) in enumerate(zip(x, y, strict=True))
        )

    def _times(self, a: int, b: int, modulus: Sequence[int]) -> int:
        p, m = self.p, self.m
        prod = [0] * (2 * m - 1)
        for i, u in enumerate(self._digits(a)):
            for j, v in enumerate(self._digits(b)):
                prod[i + j] = (prod[i + j] + u * v) % p
        for top in range(2 * m - 2, m - 1, -1):  # reduce by the monic modulus
            c = prod[top]
            if c:
                for i, f in enumerate(modulus):
                    prod[top - m + i] = (prod[top - m + i] - c * f) % p
        return sum(c * p**i for i, c in enumerate(prod[:m]))


def affine_rounds(q: int, t: int, limit: int | None = None) -> Rounds:
    """The parallel classes of lines of AG(t, q) as rounds (the first ``limit`` of them, or all
    ``(q**t - 1) / (q - 1)``): ``q**t`` members, groups of ``q``."""
    field = Field(q)
    add, mul = field.add, field.mul
    points = list(itertools.product(range(q), repeat=t))
    index = {x: sum(c * q**i for i, c in enumerate(x)) for x in points}
    rounds: Rounds = []
    for d in points:  # directions: first non-zero coordinate 1
        lead = next((c for c in d if c), 0)
        if lead != 1:
            continue
        if limit is not None and len(rounds) == limit:
            break
        seen: set[int] = set()
        groups = []
        for x in points:
            if index[x] in seen:
                continue
            line = [
                index[tuple(add[xi][mul[lam][di]] for xi, di in zip(x, d, strict=True))]
                for lam in range(q)
            ]
            seen.update(line)
            groups.append(sorted(line))
        rounds.append(groups)
    return rounds


def doubled_rounds(t: int) -> Rounds | None:
    """``2 (2**t - 1) / 3`` rounds of ``2**(t+1)`` members in groups of 4, each member meeting all
    others but one (see the module notes); None if no pair of spreads with solvable signs is found."""
    if t < 4 or t % 2 or t > MAX_DOUBLED_T:
        return None
    size = 1 << t
    field = Field(size)
    mul = field.mul
    omega = next(w for w in range(2, size) if mul[mul[w][w]][w] == 1)  # GF(4)* inside GF(2^t)
    first = {frozenset((x, mul[x][omega], mul[mul[x][omega]][omega])) for x in range(1, size)}
    rng = random.Random(t)  # fixed: the same schedule every time
    for _ in range(200):
        columns = [rng.randrange(1, size) for _ in range(t)]
        image = [_apply(columns, x) for x in range(size)]
        if len(set(image)) < size:
            continue  # not invertible
        second = {frozenset(image[x] for x in line) for line in first}
        if first & second:
            continue
        lines = sorted(first, key=sorted) + sorted(second, key=sorted)
        signs = _signs(lines, size)
        if signs is not None:
            return _double(lines, signs, size)
    return None  # pragma: no cover - t = 4 and t = 6 succeed on the first disjoint pair


def _apply(columns: Sequence[int], x: int) -> int:
    """The GF(2)-linear map with these images of the unit vectors, applied to x."""
    out = 0
    for i, col in enumerate(columns):
        if x >> i & 1:
            out ^= col
    return out


def _signs(lines: Sequence[frozenset[int]], size: int) -> list[list[int]] | None:
    """Solve the sign system over GF(2) (rows as Python integers), free signs 0; None if none."""
    unknowns = len(lines) * size
    on: dict[int, list[int]] = {}
    for r, line in enumerate(lines):
        for d in line:
            on.setdefault(d, []).append(r)
    pivots: dict[int, int] = {}
    for d, (r1, r2) in on.items():
        for x in range(size):
            y = x ^ d
            if y < x:
                continue
            row = 1 << unknowns  # the right-hand side, 1
            for r in (r1, r2):
                row ^= (1 << (r * size + x)) ^ (1 << (r * size + y))
            while row & ((1 << unknowns) - 1):
                col = (row & -row).bit_length() - 1
                if col not in pivots:
                    pivots[col] = row
                    break
                row ^= pivots[col]
            else:
                if row:
                    return None  # 0 = 1
    value = [0] * unknowns
    for col in sorted(pivots, reverse=True):
        row = pivots[col]
        bit = row >> unknowns & 1
        rest = row & ((1 << unknowns) - 1) & ~(1 << col)
        while rest:
            c = (rest & -rest).bit_length() - 1
            bit ^= value[c]
            rest &= rest - 1
        value[col] = bit
    return [value[r * size : (r + 1) * size] for r in range(len(lines))]


def _double(lines: Sequence[frozenset[int]], signs: Sequence[Sequence[int]], size: int) -> Rounds:
    rounds = []
    for line, sign in zip(lines, signs, strict=True):
        plane = line | {0}
        seen: set[int] = set()
        groups = []
        for c in range(size):
            if c in seen:
                continue
            coset = sorted(c ^ v for v in plane)
            seen.update(coset)
            for side in (0, 1):
                groups.append(sorted(2 * x + (sign[x] ^ side) for x in coset))
        rounds.append(groups)
    return rounds


def transversal_rounds(g: int, p: int, limit: int | None = None) -> Rounds:
    """``g`` rounds (or the first ``limit``) of ``g * p`` members in ``g`` groups of ``p``, ``g`` a
    prime power and ``p <= g``; member ``i + p * x`` is point ``x`` of row ``i``."""
    field = Field(g)
    add, mul = field.add, field.mul
    rounds: Rounds = []
    for a in range(g if limit is None else min(g, limit)):
        groups = [[i + p * add[mul[a][i]][b] for i in range(p)] for b in range(g)]
        rounds.append([sorted(grp) for grp in groups])
    return rounds


def kirkman_rounds(q: int) -> Rounds | None:
    """The ``(3q - 1) / 2`` rounds of a Kirkman triple system on ``3q`` members (member ``x + q j``
    is ``x_j``), ``q = 6t + 1`` a prime power; None if the mixed triples are not found in
    ``KIRKMAN_BUDGET`` nodes."""
    if prime_power(q) is None or q % 6 != 1:
        return None
    field = Field(q)
    add, mul = field.add, field.mul
    neg = [next(y for y in range(q) if add[x][y] == 0) for x in range(q)]
    sub = [[add[x][neg[y]] for y in range(q)] for x in range(q)]
    w = next(x for x in range(2, q) if len(_powers(mul, x)) == q - 1)
    power, t = _powers(mul, w), (q - 1) // 6
    cube_roots = (1, power[2 * t], power[4 * t])
    pure = [[mul[power[i]][c] for c in cube_roots] for i in range(t)]
    rest = [mul[power[i]][c] for i in range(t, 2 * t) for c in cube_roots]
    found = _KirkmanSearch(sub, rest).run()
    if found is None:
        return None
    mixed, orbits = found
    first = [[0, q, 2 * q]] + [[x + q * j for x in trip] for trip in pure for j in range(3)]
    first += [[a, b + q, c + 2 * q] for a, b, c in mixed]
    rounds = [[sorted(_shift(m, s, q, add) for m in grp) for grp in first] for s in range(q)]
    for u, v in orbits:
        rounds.append([[x, add[x][u] + q, add[x][v] + 2 * q] for x in range(q)])
    return rounds


def _powers(mul: list[list[int]], w: int) -> list[int]:
    """1, w, w^2, ... up to the first repeat."""
    out = [1]
    while (nxt := mul[out[-1]][w]) != 1:
        out.append(nxt)
    return out


def _shift(member: int, s: int, q: int, add: list[list[int]]) -> int:
    level, x = divmod(member, q)
    return add[x][s] + q * level


class _KirkmanSearch(DepthFirst):
    """Mixed triples ``(a, b, c)`` on the left-over cosets and orbit pairs ``(u, v)`` such that each
    pair of levels sees every difference once (0 is the block of zeros)."""

    def __init__(self, sub: list[list[int]], rest: Sequence[int]) -> None:
        self.sub, self.rest, self.q = sub, list(rest), len(sub)
        self.seen = [[False] * self.q for _ in range(3)]  # levels 0-1, 0-2, 1-2
        for pair in self.seen:
            pair[0] = True
        self.used = [[False] * self.q for _ in range(2)]  # members taken in levels 1, 2
        self.mixed: list[tuple[int, int, int]] = []
        self.orbits: list[tuple[int, int]] = []

    def run(self) -> tuple[list[tuple[int, int, int]], list[tuple[int, int]]] | None:
        found = self._within(KIRKMAN_BUDGET, lambda: self._triples(0))
        return (self.mixed, self.orbits) if found else None

    def _take(self, diffs: Sequence[int], on: bool) -> None:
        for pair, d in enumerate(diffs):
            self.seen[pair][d] = on

    def _free(self, diffs: Sequence[int]) -> bool:
        return len(set(diffs)) == 3 and not any(self.seen[k][d] for k, d in enumerate(diffs))

    def _triples(self, at: int) -> bool:
        self._visit()
        if at == len(self.rest):
            return self._orbit()
        a, sub = self.rest[at], self.sub
        for b, c in itertools.product(self.rest, repeat=2):
            diffs = (sub[b][a], sub[c][a], sub[c][b])
            if self.used[0][b] or self.used[1][c] or not self._free(diffs):
                continue
            self._take(diffs, True)
            self.used[0][b] = self.used[1][c] = True
            self.mixed.append((a, b, c))
            if self._triples(at + 1):
                return True
            self.mixed.pop()
            self.used[0][b] = self.used[1][c] = False
            self._take(diffs, False)
        return False

    def _orbit(self) -> bool:
        """The next orbit (u, v) on differences not yet seen, until every one is."""
        self._visit()
        if all(self.seen[0]):
            return True
        u = self.seen[0].index(False)
        for v in range(self.q):
            diffs = (u, v, self.sub[v][u])
            if not self._free(diffs):
                continue
            self._take(diffs, True)
            self.orbits.append((u, v))
            if self._orbit():
                return True
            self.orbits.pop()
            self._take(diffs, False)
        return False


def known_rounds(n: int, size: int, n_rounds: int) -> Rounds | None:
    """``n_rounds`` rounds of ``n`` members in groups of ``size`` with no pair meeting twice, from a
    construction above or a 1-rotational design (:mod:`.rotational`), or None when none fits."""
    if n_rounds < 1 or size < 2 or n % size or n // size < 2:
        return None
    found = _designed(n, size, n_rounds)
    if found is None or len(found) < n_rounds:
        return None
    rounds = found[:n_rounds]
    _check(rounds, n)
    return rounds


def _designed(n: int, size: int, n_rounds: int) -> Rounds | None:
    """The first construction whose numbers fit (each gives at least its rounds, or None)."""
    g, complete = n // size, (n - 1) // (size - 1)
    t = _log(n, size)
    if t is not None and t >= 2 and prime_power(size) and n_rounds <= complete:
        return affine_rounds(size, t, limit=n_rounds)
    if prime_power(g) and size <= g and n_rounds <= g:
        return transversal_rounds(g, size, limit=n_rounds)
    if size == 4 and n % 2 == 0:
        half = _log(n // 2, 2)
        if half is not None and half % 2 == 0 and n_rounds <= 2 * (n // 2 - 1) // 3:
            return doubled_rounds(half)
    if size == 3 and n_rounds <= complete:
        kirkman = kirkman_rounds(g)
        if kirkman is not None:
            return kirkman
    if (n - 1) % (size - 1) == 0 and n_rounds <= complete:
        return rotational_rounds(n, size)
    return row_rounds(n, size)


def _log(n: int, base: int) -> int | None:
    """t with ``base**t == n``, or None."""
    t, power = 0, 1
    while power < n:
        power *= base
        t += 1
    return t if power == n else None


def _check(rounds: Rounds, n: int) -> None:
    """Every round a partition of range(n); no pair twice. A failure is a bug in this module."""
    met: set[tuple[int, int]] = set()
    for groups in rounds:
        if sorted(m for grp in groups for m in grp) != list(range(n)):
            raise InternalError("a constructed round is not a partition")
        for grp in groups:
            for pair in itertools.combinations(sorted(grp), 2):
                if pair in met:
                    raise InternalError("a constructed schedule repeats a pair")
                met.add(pair)
