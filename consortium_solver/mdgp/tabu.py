"""The iterated tabu search of research mode.

A table ``D[i, g]`` of each element's summed distance to each group makes every move and swap an
O(1) delta; each iteration scores the whole move and swap neighbourhood at once with numpy, takes the
best move that is not tabu (or that beats the best known), and after a stagnation period perturbs
the best solution by random swaps (Lai & Hao 2016; Yang et al. 2022; written from the papers'
descriptions).
"""

from __future__ import annotations

import time

import numpy as np

from consortium_solver.clock import interrupted
from consortium_solver.mdgp.reader import MdgpInstance, mdgp_value

PROFILES = ("extreme", "balanced", "random", "random")


def _sizes(inst: MdgpInstance, rng: np.random.Generator, profile: str) -> np.ndarray:
    """Group sizes within the bounds summing to n: every group at its lower bound, then the rest
    ``extreme`` — whole groups filled to their upper bound in random order (Σ C(s_g, 2) is convex in
    the sizes, so more pairs), ``balanced`` — one at a time to the smallest group, or ``random`` —
    one at a time to a random group with room."""
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
        self.d = inst.d
        self.n, self.g = inst.n, inst.groups
        n = self.n
        # Tuned on four n=120 instances at 5 s (benchmarks/README.md): short tenures, long patience,
        # light perturbations.
        self.tenure = (max(2, n // 60), max(10, n // 12))
        self.stagnation = max(2000, 16 * n)
        self.strength = max(3, n // 40)

    def table(self, assign: np.ndarray) -> np.ndarray:
        onehot = np.zeros((self.n, self.g))
        onehot[np.arange(self.n), assign] = 1.0
        return self.d @ onehot  # D[i, g] = sum of d_ij over j in g

    def run(
        self,
        deadline: float,
        max_iterations: int | None = None,
        *,
        start: np.ndarray | None = None,
        profile: str = "extreme",
    ) -> tuple[np.ndarray, float]:
        """The best assignment found until the deadline, from ``start`` or from a random one with
        sizes of ``profile``."""
        walk = _Walk(
            self, start.copy() if start is not None else _initial(self.inst, self.rng, profile)
        )
        best_assign, best_value = walk.assign.copy(), walk.value
        tabu_until = np.zeros(self.n, dtype=np.int64)
        since_best = 0
        iteration = 0
        while True:
            iteration += 1
            if max_iterations is not None and iteration > max_iterations:
                break
            if iteration % 32 == 0 and (time.perf_counter() >= deadline or interrupted()):
                break
            move_gain, swap_gain = walk.gains(tabu_until > iteration, best_value)
            mi, mh = divmod(int(np.argmax(move_gain)), self.g)
            si, sj = divmod(int(np.argmax(swap_gain)), self.n)
            gain_move, gain_swap = move_gain[mi, mh], swap_gain[si, sj]
            if not np.isfinite(gain_move) and not np.isfinite(gain_swap):
                tabu_until[:] = 0
                continue
            moved = [mi] if gain_move >= gain_swap else [si, sj]
            if gain_move >= gain_swap:
                walk.move(mi, mh, gain_move)
            else:
                walk.swap(si, sj, gain_swap)
            for i in moved:
                tabu_until[i] = iteration + self.rng.integers(self.tenure[0], self.tenure[1] + 1)
            if walk.value > best_value + 1e-9:
                best_value, best_assign = walk.value, walk.assign.copy()
                since_best = 0
            else:
                since_best += 1
            if since_best >= self.stagnation:
                walk = _Walk(self, self._perturbed(best_assign))
                tabu_until[:] = 0
                since_best = 0
        return best_assign, mdgp_value(self.d, best_assign, self.g)

    def _perturbed(self, assign: np.ndarray) -> np.ndarray:
        """The assignment after ``strength`` random swaps between groups."""
        assign = assign.copy()
        for _ in range(self.strength):
            i, j = self.rng.integers(0, self.n, size=2)
            if assign[i] != assign[j]:
                assign[i], assign[j] = assign[j], assign[i]
        return assign


class _Walk:
    """The search's current assignment with its distance table, group sizes and value."""

    def __init__(self, search: TabuSearch, assign: np.ndarray) -> None:
        self.inst, self.d = search.inst, search.d
        self.assign = assign
        self.table = search.table(assign)
        self.sizes = np.bincount(assign, minlength=search.g)
        self.value = mdgp_value(search.d, assign, search.g)
        self.idx = np.arange(search.n)
        self.same = np.empty((search.n, search.n), dtype=bool)

    def gains(self, tabu: np.ndarray, best_value: float) -> tuple[np.ndarray, np.ndarray]:
        """Gains of every move (element i to group h) and swap (i and j trade groups); tabu ones
        at -inf unless they beat the best value (aspiration)."""
        assign, table, inst = self.assign, self.table, self.inst
        own = table[self.idx, assign]
        move_gain = table - own[:, None]
        move_gain[~(self.sizes[assign] > inst.lower[assign]), :] = -np.inf
        move_gain[:, ~(self.sizes < inst.upper)] = -np.inf
        move_gain[self.idx, assign] = -np.inf
        cross = table[:, assign]  # cross[i, j] = D[i, group of j]
        swap_gain = cross - own[:, None] + cross.T - own[None, :] - 2 * self.d
        np.equal(assign[:, None], assign[None, :], out=self.same)
        swap_gain[self.same] = -np.inf
        if tabu.any():
            value = self.value
            move_gain[tabu, :] = np.where(
                value + move_gain[tabu, :] > best_value + 1e-9, move_gain[tabu, :], -np.inf
            )
            blocked = tabu[:, None] | tabu[None, :]
            swap_gain = np.where(
                blocked & (value + swap_gain <= best_value + 1e-9), -np.inf, swap_gain
            )
        return move_gain, swap_gain

    def move(self, i: int, h: int, gain: float) -> None:
        old = self.assign[i]
        self.table[:, old] -= self.d[:, i]
        self.table[:, h] += self.d[:, i]
        self.sizes[old] -= 1
        self.sizes[h] += 1
        self.assign[i] = h
        self.value += gain

    def swap(self, i: int, j: int, gain: float) -> None:
        gi, gj = self.assign[i], self.assign[j]
        self.table[:, gi] += self.d[:, j] - self.d[:, i]
        self.table[:, gj] += self.d[:, i] - self.d[:, j]
        self.assign[i], self.assign[j] = gj, gi
        self.value += gain
