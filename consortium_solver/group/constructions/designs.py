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

Both are checked here before they are returned, and the caller's validator checks them again.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Sequence

Rounds = list[list[list[int]]]

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
        raise AssertionError("every prime power has an irreducible polynomial")  # pragma: no cover

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


def known_rounds(n: int, size: int, n_rounds: int) -> Rounds | None:
    """``n_rounds`` rounds of ``n`` members in groups of ``size`` with no pair meeting twice, from a
    construction above, or None when none fits these numbers."""
    if n_rounds < 1 or size < 2 or n % size or n // size < 2:
        return None
    found: Rounds | None = None
    t = _log(n, size)
    if t is not None and t >= 2 and prime_power(size) and n_rounds <= (n - 1) // (size - 1):
        found = affine_rounds(size, t, limit=n_rounds)
    elif size == 4 and n % 2 == 0:
        half = _log(n // 2, 2)
        if half is not None and half % 2 == 0 and n_rounds <= 2 * (n // 2 - 1) // 3:
            found = doubled_rounds(half)
    if found is None:
        return None
    rounds = found[:n_rounds]
    _check(rounds, n)
    return rounds


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
            raise AssertionError("a constructed round is not a partition")
        for grp in groups:
            for pair in itertools.combinations(sorted(grp), 2):
                if pair in met:
                    raise AssertionError("a constructed schedule repeats a pair")
                met.add(pair)
