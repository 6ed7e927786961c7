"""The iterated tabu search of research mode.

A table ``D[i, g]`` of each element's summed distance to each group makes every move and swap an
O(1) delta; each iteration scores the whole move and swap neighbourhood in a compiled kernel
(:mod:`consortium_solver.core.native`), takes the best move that is not tabu (or that beats the best
known), updates the table in O(n), and after a stagnation period perturbs the best solution by
random swaps (Lai & Hao 2016; Yang et al. 2022; written from the papers'
descriptions).
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

from consortium_solver.core.clock import Clock, interrupted
from consortium_solver.core.native import kernel, loop_kernel, random_below, random_state
from consortium_solver.mdgp.reader import MdgpInstance, mdgp_value
from consortium_solver.mdgp.table import (
    Grouping,
    initial_assignment,
    move_element,
    rebuild_table,
)

CHUNK_SECONDS = 0.01  # wall time between two looks at the clock
DETERMINISTIC_CHUNK = 64  # iterations per step of a deterministic clock (and the first chunk)


class TabuSearch:
    """Iterated tabu search over moves and swaps with an element-to-group distance table."""

    def __init__(self, inst: MdgpInstance, seed: int) -> None:
        self.inst = inst
        self.rng = np.random.default_rng(seed)
        self.kernel_rng = random_state(int(self.rng.integers(2**31)))  # the kernels' stream
        self.d = np.ascontiguousarray(inst.d, dtype=np.float64)
        self.n, self.g = inst.n, inst.groups
        n = self.n
        # Tuned on four n=120 instances at 5 s (benchmarks/README.md): short tenures, long patience,
        # light perturbations.
        self.tenure = (max(2, n // 60), max(10, n // 12))
        self.stagnation = max(2000, 16 * n)
        self.strength = max(3, n // 40)
        self.iterations = 0

    def run(
        self,
        clock: Clock,
        max_iterations: int | None = None,
        on_improve: Callable[[float], None] | None = None,
    ) -> tuple[np.ndarray, float]:
        """The best assignment found until the clock runs out (or after ``max_iterations``), from
        a random one whose sizes follow the extreme profile. In deterministic mode each chunk of
        ``DETERMINISTIC_CHUNK`` iterations is one step of the clock."""
        assign = initial_assignment(self.inst, self.rng, "extreme").astype(np.int64)
        table = np.zeros((self.n, self.g))  # D[i, g] = sum of d_ij over j in g
        sizes = np.zeros(self.g, dtype=np.int64)
        values = np.zeros(2, dtype=np.float64)  # value now, best value
        rebuild_table(self.d, assign, table, sizes, values)
        values[1] = values[0]
        best = assign.copy()
        counts = np.zeros(2, dtype=np.int64)  # iteration, iterations since the best
        tabu_until = np.zeros(self.n, dtype=np.int64)
        params = np.array(
            [self.tenure[0], self.tenure[1], self.stagnation, self.strength], dtype=np.int64
        )
        lower = self.inst.lower.astype(np.int64)
        upper = self.inst.upper.astype(np.int64)
        grouping = Grouping(self.d, lower, upper, assign, table, sizes, values)
        chunk = DETERMINISTIC_CHUNK
        reported = -np.inf
        while True:
            steps = chunk
            if max_iterations is not None:
                steps = min(steps, max_iterations - int(counts[0]))
                if steps <= 0:
                    break
            started = time.perf_counter()
            tabu_steps(grouping, best, counts, tabu_until, params, steps, self.kernel_rng)
            took = time.perf_counter() - started
            if on_improve is not None and values[1] > reported:
                reported = float(values[1])
                on_improve(reported)
            if interrupted() or (max_iterations is None and clock.expired()):
                break
            if not clock.deterministic:
                chunk = int(min(max(chunk * CHUNK_SECONDS / max(took, 1e-6), 1), 1 << 20))
        self.iterations += int(counts[0])
        return best, mdgp_value(self.d, best, self.g)


@kernel
def tabu_steps(
    grouping: Grouping,
    best: np.ndarray,
    counts: np.ndarray,
    tabu_until: np.ndarray,
    params: np.ndarray,
    steps: int,
    rng: np.ndarray,
) -> None:
    """``steps`` iterations of the tabu search: the best move or swap not tabu (or beating the
    best value), its elements tabu for a random tenure; after ``stagnation`` iterations without a
    better value, a restart from the best assignment perturbed by ``strength`` random swaps."""
    d, lower, upper, assign, table, sizes, values = grouping
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
            move_element(d, assign, table, sizes, i, h)
        else:
            gi, gj = assign[i], assign[j]
            move_element(d, assign, table, sizes, i, gj)
            move_element(d, assign, table, sizes, j, gi)
            tabu_until[j] = it + low_tenure + random_below(rng, high_tenure + 1 - low_tenure)
        tabu_until[i] = it + low_tenure + random_below(rng, high_tenure + 1 - low_tenure)
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
                a, b = random_below(rng, n), random_below(rng, n)
                if assign[a] != assign[b]:
                    assign[a], assign[b] = assign[b], assign[a]
            rebuild_table(d, assign, table, sizes, values)
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
    each gain O(1) from the table; i = -1 when everything is tabu. (The arrays come one by one,
    not as the Grouping: a tuple of arrays handed on at every iteration cost a third of the
    iterations at n = 240, benchmarks/README.md.)"""
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
