"""The iterated tabu search of research mode.

A table ``D[i, g]`` of each element's summed distance to each group makes every move and swap an
O(1) delta; each iteration scores the whole move and swap neighbourhood in a compiled kernel
(:mod:`consortium_solver.native`), takes the best move that is not tabu (or that beats the best
known), updates the table in O(n), and after a stagnation period perturbs the best solution by
random swaps (Lai & Hao 2016; Yang et al. 2022; written from the papers'
descriptions).
"""

from __future__ import annotations

import time

import numpy as np

from consortium_solver.clock import interrupted
from consortium_solver.mdgp.reader import MdgpInstance, mdgp_value
from consortium_solver.native import kernel, loop_kernel, seed_kernels

PROFILES = ("most", "extreme", "balanced", "random")  # starting group sizes (see _sizes)
CHUNK_SECONDS = 0.01  # wall time between two looks at the deadline


def _most_pairs(lower: np.ndarray, upper: np.ndarray, n: int) -> np.ndarray:
    """The group sizes within the bounds, summing to n, with the most pairs inside groups
    (Σ C(s_g, 2)): a dynamic programme over the groups, ``best[g, m]`` the most pairs groups g..
    can hold with m elements (−1: impossible), one numpy pass over m per group and size."""
    groups = len(lower)
    best = np.full((groups + 1, n + 1), -1, dtype=np.int64)
    best[groups, 0] = 0
    for g in range(groups - 1, -1, -1):
        for size in range(int(lower[g]), int(min(upper[g], n)) + 1):
            rest = best[g + 1, : n + 1 - size]
            here = np.where(rest >= 0, rest + size * (size - 1) // 2, -1)
            np.maximum(best[g, size:], here, out=best[g, size:])
    sizes, left = np.zeros(groups, dtype=np.int64), n
    for g in range(groups):
        for size in range(int(lower[g]), int(min(upper[g], left)) + 1):
            rest = best[g + 1, left - size]
            if rest >= 0 and rest + size * (size - 1) // 2 == best[g, left]:
                sizes[g], left = size, left - size
                break
    return sizes


def _sizes(inst: MdgpInstance, rng: np.random.Generator, profile: str) -> np.ndarray:
    """Group sizes within the bounds summing to n: ``most`` — the sizes with the most pairs inside
    groups (:func:`_most_pairs`); otherwise every group at its lower bound, then the rest
    ``extreme`` — whole groups filled to their upper bound in random order (Σ C(s_g, 2) is convex in
    the sizes, so more pairs), ``balanced`` — one at a time to the smallest group, or ``random`` —
    one at a time to a random group with room."""
    if profile == "most":
        return _most_pairs(inst.lower, inst.upper, inst.n)
    sizes = inst.lower.copy()
    rest = inst.n - int(sizes.sum())
    if profile == "extreme":
        for g in rng.permutation(inst.groups):
            add = min(rest, int(inst.upper[g] - sizes[g]))
            sizes[g] += add
            rest -= add
        return sizes
    while rest > 0:
        room = np.flatnonzero(sizes < inst.upper)
        if profile == "balanced":
            smallest = room[sizes[room] == sizes[room].min()]
            g = int(rng.choice(smallest))
        else:
            g = int(rng.choice(room))
        sizes[g] += 1
        rest -= 1
    return sizes


def _initial(inst: MdgpInstance, rng: np.random.Generator, profile: str = "extreme") -> np.ndarray:
    """A random assignment meeting the size bounds, with sizes of the given profile."""
    sizes = _sizes(inst, rng, profile)
    order = rng.permutation(inst.n)
    return np.repeat(np.arange(inst.groups), sizes)[np.argsort(order)]


class TabuSearch:
    """Iterated tabu search over moves and swaps with an element-to-group distance table."""

    def __init__(self, inst: MdgpInstance, seed: int) -> None:
        self.inst = inst
        self.rng = np.random.default_rng(seed)
        self.d = np.ascontiguousarray(inst.d, dtype=np.float64)
        self.n, self.g = inst.n, inst.groups
        n = self.n
        # Tuned on four n=120 instances at 5 s (benchmarks/README.md): short tenures, long patience,
        # light perturbations.
        self.tenure = (max(2, n // 60), max(10, n // 12))
        self.stagnation = max(2000, 16 * n)
        self.strength = max(3, n // 40)
        self.iterations = 0
        seed_kernels(int(self.rng.integers(2**31)))

    def run(self, deadline: float, max_iterations: int | None = None) -> tuple[np.ndarray, float]:
        """The best assignment found until the deadline (or after ``max_iterations``), from a
        random one whose sizes follow the extreme profile."""
        assign = _initial(self.inst, self.rng, "extreme").astype(np.int64)
        table = np.zeros((self.n, self.g))  # D[i, g] = sum of d_ij over j in g
        sizes = np.zeros(self.g, dtype=np.int64)
        values = np.zeros(2, dtype=np.float64)  # value now, best value
        _rebuild(self.d, assign, table, sizes, values)
        values[1] = values[0]
        best = assign.copy()
        counts = np.zeros(2, dtype=np.int64)  # iteration, iterations since the best
        tabu_until = np.zeros(self.n, dtype=np.int64)
        params = np.array(
            [self.tenure[0], self.tenure[1], self.stagnation, self.strength], dtype=np.int64
        )
        lower = self.inst.lower.astype(np.int64)
        upper = self.inst.upper.astype(np.int64)
        chunk = 64
        while True:
            steps = chunk
            if max_iterations is not None:
                steps = min(steps, max_iterations - int(counts[0]))
                if steps <= 0:
                    break
            started = time.perf_counter()
            tabu_steps(
                self.d, lower, upper, assign, table, sizes, best, values, counts, tabu_until,
                params, steps,
            )  # fmt: skip
            took = time.perf_counter() - started
            if interrupted() or (max_iterations is None and time.perf_counter() >= deadline):
                break
            chunk = int(min(max(chunk * CHUNK_SECONDS / max(took, 1e-6), 1), 1 << 20))
        self.iterations += int(counts[0])
        return best, mdgp_value(self.d, best, self.g)


@kernel
def tabu_steps(
    d: np.ndarray,
    lower: np.ndarray,
    upper: np.ndarray,
    assign: np.ndarray,
    table: np.ndarray,
    sizes: np.ndarray,
    best: np.ndarray,
    values: np.ndarray,
    counts: np.ndarray,
    tabu_until: np.ndarray,
    params: np.ndarray,
    steps: int,
) -> None:
    """``steps`` iterations of the tabu search: the best move or swap not tabu (or beating the
    best value), its elements tabu for a random tenure; after ``stagnation`` iterations without a
    better value, a restart from the best assignment perturbed by ``strength`` random swaps."""
    n = table.shape[0]
    low_tenure, high_tenure, stagnation, strength = params[0], params[1], params[2], params[3]
    for _ in range(steps):
        counts[0] += 1
        it = counts[0]
        gain, i, j, h = _best_step(d, lower, upper, assign, table, sizes, values, tabu_until, it)
        if i < 0:
            tabu_until[:] = 0
            continue
        if j < 0:
            _move(d, assign, table, sizes, i, h)
        else:
            gi, gj = assign[i], assign[j]
            _move(d, assign, table, sizes, i, gj)
            _move(d, assign, table, sizes, j, gi)
            tabu_until[j] = it + np.random.randint(low_tenure, high_tenure + 1)
        tabu_until[i] = it + np.random.randint(low_tenure, high_tenure + 1)
        values[0] += gain
        if values[0] > values[1] + 1e-9:
            values[1] = values[0]
            best[:] = assign
            counts[1] = 0
        else:
            counts[1] += 1
        if counts[1] >= stagnation:
            assign[:] = best
            for _k in range(strength):
                a, b = np.random.randint(0, n), np.random.randint(0, n)
                if assign[a] != assign[b]:
                    assign[a], assign[b] = assign[b], assign[a]
            _rebuild(d, assign, table, sizes, values)
            tabu_until[:] = 0
            counts[1] = 0


@loop_kernel
def _best_step(
    d: np.ndarray,
    lower: np.ndarray,
    upper: np.ndarray,
    assign: np.ndarray,
    table: np.ndarray,
    sizes: np.ndarray,
    values: np.ndarray,
    tabu_until: np.ndarray,
    it: int,
) -> tuple[float, int, int, int]:
    """(gain, i, j, h) of the best allowed move (i to group h; j = -1) or swap (i and j trade),
    each gain O(1) from the table; i = -1 when everything is tabu."""
    n, n_groups = table.shape
    now, best_value = values[0], values[1]
    top, bi, bj, bh = -np.inf, -1, -1, -1
    for i in range(n):
        gi = assign[i]
        own = table[i, gi]
        tabu_i = tabu_until[i] > it
        if sizes[gi] > lower[gi]:
            for h in range(n_groups):
                if h == gi or sizes[h] >= upper[h]:
                    continue
                gain = table[i, h] - own
                if gain > top and (not tabu_i or now + gain > best_value + 1e-9):
                    top, bi, bj, bh = gain, i, -1, h
        for j in range(i + 1, n):
            gj = assign[j]
            if gj == gi:
                continue
            gain = table[i, gj] - own + table[j, gi] - table[j, gj] - 2.0 * d[i, j]
            if gain > top and (
                not (tabu_i or tabu_until[j] > it) or now + gain > best_value + 1e-9
            ):
                top, bi, bj, bh = gain, i, j, -1
    return top, bi, bj, bh


@loop_kernel
def _move(
    d: np.ndarray, assign: np.ndarray, table: np.ndarray, sizes: np.ndarray, i: int, h: int
) -> None:
    """Element i moves to group h: every element's distance to both groups follows (O(n))."""
    old = assign[i]
    for k in range(d.shape[0]):
        table[k, old] -= d[k, i]
        table[k, h] += d[k, i]
    sizes[old] -= 1
    sizes[h] += 1
    assign[i] = h


@loop_kernel
def _rebuild(
    d: np.ndarray, assign: np.ndarray, table: np.ndarray, sizes: np.ndarray, values: np.ndarray
) -> None:
    """The table, sizes and value of an assignment, from scratch."""
    n = d.shape[0]
    table[:] = 0.0
    sizes[:] = 0
    value = 0.0
    for i in range(n):
        sizes[assign[i]] += 1
        for k in range(n):
            table[i, assign[k]] += d[i, k]
    for i in range(n):
        value += table[i, assign[i]]
    values[0] = value / 2.0
