"""A memetic search for the MDGP in the line of Yang et al.'s three-phase search (TPSDP: "A
three-phase search approach with dynamic population size for solving the maximally diverse grouping
problem", EJOR 302 (2022)), written from the paper's description and the structure of anticlust's
C implementation (`three_phase_search_anticlustering`), not from their code.

A population of assignments, each improved by a descent over the move and swap neighbourhoods
(first improvement, O(1) per candidate from the element-to-group distance table, O(n) per change),
goes through three phases per generation:

1. *undirected perturbation* — each member takes random moves and swaps (a strength falling over the
   time limit), then the descent;
2. *crossover* — each member is crossed with another: groups are taken whole, the most diverse first,
   from either parent at random, into the child's groups that have room; the rest fill the groups
   still short of their lower bound, then any with room; then the descent. The child replaces its
   parent when it is at least as good (TPSDP also takes a child a little worse but far from its
   parent; measured here on RanReal n = 120 ds, that lost 0.5 % of value, and is left out);
3. *directed perturbation* — three times, each group gives up its least attached member (smallest
   summed distance to the rest) and the given-up members go back one at a time, first to the
   groups left below their lower bound, then each to the group with room it is on average most
   distant from; then the descent;

and the population shrinks linearly over the time limit to its smallest size, keeping the best.

The element-to-group table and the descent are compiled kernels (:mod:`consortium_solver.core.native`).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from consortium_solver.core.clock import Clock
from consortium_solver.core.native import (
    kernel,
    loop_kernel,
    random_below,
    random_state,
    random_unit,
)
from consortium_solver.mdgp.reader import MdgpInstance, mdgp_value
from consortium_solver.mdgp.table import (
    PROFILES,
    Grouping,
    initial_assignment,
    move_element,
    rebuild_table,
)

GAIN = 1e-9  # smallest change the descent counts as an improvement
DIRECTED = 3  # TPSDP's rounds of directed perturbation (eta_max)


class MemeticSearch:
    """The population and its phases; parameters as TPSDP's (anticlust's defaults): a population
    of 15 shrinking to 2 (to 1 past 400 elements), perturbation strength θ·n/G with θ falling from
    1.2 to 0.1 (from 2.0 to 1.0 past 400 elements)."""

    def __init__(self, inst: MdgpInstance, seed: int, population: int = 15) -> None:
        self.inst = inst
        self.rng = np.random.default_rng(seed)
        self.d = np.ascontiguousarray(inst.d, dtype=np.float64)
        self.n, self.g = inst.n, inst.groups
        self.lower = inst.lower.astype(np.int64)
        self.upper = inst.upper.astype(np.int64)
        self.population = population
        small = self.n <= 400
        self.smallest = 2 if small else 1
        self.theta = (1.2, 0.1) if small else (2.0, 1.0)
        self.table = np.zeros((self.n, self.g))
        self.sizes = np.zeros(self.g, dtype=np.int64)
        self.values = np.zeros(2)
        self.removed = np.zeros(self.g, dtype=np.int64)
        self.generations = 0
        self.kernel_rng = random_state(int(self.rng.integers(2**31)))  # the kernels' stream

    def state(self, assign: np.ndarray) -> Grouping:
        """``assign`` with the search's distances, bounds, table, sizes and value, for a kernel."""
        return Grouping(self.d, self.lower, self.upper, assign, self.table, self.sizes, self.values)

    def improve(self, assign: np.ndarray) -> float:
        """The descent from ``assign`` (in place); its value."""
        rebuild_table(self.d, assign, self.table, self.sizes, self.values)
        return self.descend(assign)

    def descend(self, assign: np.ndarray) -> float:
        """The descent from ``assign`` whose table, sizes and value are built; its value."""
        _descent(self.state(assign))
        return float(self.values[0])

    def run(
        self,
        clock: Clock,
        generations: int | None = None,
        on_improve: Callable[[float], None] | None = None,
    ) -> tuple[np.ndarray, float]:
        """The best assignment found until the clock runs out (or after ``generations``). The
        population starts from random assignments whose group sizes (where they range) follow the
        profiles in turn — most pairs, extreme, balanced, random (:func:`.table.group_sizes`) — so
        that the crossover has sizes to choose from. The clock is asked after each member's
        descent (one step in deterministic mode), so that an interruption is heard within one
        descent, not one generation. ``on_improve`` is told each better value."""
        profiles = [PROFILES[k % len(PROFILES)] for k in range(self.population)]
        members = [initial_assignment(self.inst, self.rng, p).astype(np.int64) for p in profiles]
        values = []
        for assign in members:
            values.append(self.improve(assign))
            if clock.expired():
                break
        members = members[: len(values)]
        best = int(np.argmax(values))
        best_assign, best_value = members[best].copy(), values[best]
        if on_improve is not None:
            on_improve(best_value)
        while not clock.expired():
            if generations is not None and self.generations >= generations:
                break
            progress = clock.progress()
            finished = self.generation(members, values, clock, progress)
            order = np.argsort(values)[::-1]
            if values[order[0]] > best_value + GAIN:
                best_assign, best_value = members[order[0]].copy(), values[order[0]]
                if on_improve is not None:
                    on_improve(best_value)
            if not finished:
                break
            keep = round(self.population - (self.population - self.smallest) * progress)
            members = [members[k] for k in order[: max(keep, self.smallest)]]
            values = [values[k] for k in order[: max(keep, self.smallest)]]
            self.generations += 1
        return best_assign, mdgp_value(self.d, best_assign, self.g)

    def generation(
        self, members: list[np.ndarray], values: list[float], clock: Clock, progress: float
    ) -> bool:
        """One generation's three phases over the population, in place; False when the clock ran
        out on the way (each value stays its member's, so the best can still be taken)."""
        theta = self.theta[0] - (self.theta[0] - self.theta[1]) * progress
        strength = max(1, int(theta * self.n / self.g))
        for k, assign in enumerate(members):
            _perturb(assign, self.sizes, self.lower, self.upper, strength, self.kernel_rng)
            values[k] = self.improve(assign)
            if clock.expired():
                return False
        if len(members) > 1:
            for k in range(len(members)):
                other = int(self.rng.integers(len(members) - 1))
                other += other >= k
                child = _crossover(
                    self.d, members[k], members[other], self.lower, self.upper, self.kernel_rng
                )
                value = self.improve(child)
                if value >= values[k]:
                    members[k], values[k] = child, value
                if clock.expired():
                    return False
        for k, assign in enumerate(members):
            rebuild_table(self.d, assign, self.table, self.sizes, self.values)
            _directed(self.state(assign), self.removed, DIRECTED, self.kernel_rng)
            values[k] = self.descend(assign)
            if clock.expired():
                return False
        return True


@loop_kernel
def _descent(grouping: Grouping) -> None:
    """Moves, then swaps, each made as soon as it gains, until a pass over both gains nothing."""
    d, lower, upper, assign, table, sizes, values = grouping
    n, n_groups = table.shape
    improved = True
    while improved:
        improved = False
        for v in range(n):
            for g in range(n_groups):
                gv = assign[v]
                if g == gv or sizes[gv] <= lower[gv] or sizes[g] >= upper[g]:
                    continue
                gain = table[v, g] - table[v, gv]
                if gain > GAIN:
                    move_element(d, assign, table, sizes, v, g)
                    values[0] += gain
                    improved = True
        for v in range(n):
            for u in range(v + 1, n):
                gv, gu = assign[v], assign[u]
                if gv == gu:
                    continue
                gain = table[v, gu] - table[v, gv] + table[u, gv] - table[u, gu] - 2.0 * d[v, u]
                if gain > GAIN:
                    move_element(d, assign, table, sizes, v, gu)
                    move_element(d, assign, table, sizes, u, gv)
                    values[0] += gain
                    improved = True


@loop_kernel
def _directed(grouping: Grouping, removed: np.ndarray, rounds: int, rng: np.ndarray) -> None:
    """TPSDP's directed perturbation (see the module), ``rounds`` times, from a built table;
    ``removed`` is working space of G entries. The table, sizes and value follow every change."""
    d, lower, upper, assign, table, sizes, values = grouping
    n, n_groups = table.shape
    for _ in range(rounds):
        removed[:] = -1
        for i in range(n):  # each group's least attached member
            g = assign[i]
            if removed[g] < 0 or table[i, g] < table[removed[g], g]:
                removed[g] = i
        for g in range(n_groups):
            r = removed[g]
            if r >= 0:
                values[0] -= table[r, g]  # r's pairs inside g (d[r, r] is 0)
                for k in range(n):
                    table[k, g] -= d[k, r]
                sizes[g] -= 1
                assign[r] = -1
        left = 0
        for g in range(n_groups):
            left += removed[g] >= 0
        start = random_below(rng, n_groups)
        for step in range(n_groups):  # groups below their lower bound take the closest fit
            h = (start + step) % n_groups
            if sizes[h] >= lower[h]:
                continue
            pick, best = -1, -1.0
            for g in range(n_groups):
                r = removed[g]
                if r >= 0:
                    mean = table[r, h] / sizes[h] if sizes[h] > 0 else 0.0
                    if pick < 0 or mean > best:
                        pick, best = g, mean
            _place(d, assign, table, sizes, values, removed[pick], h)
            removed[pick] = -1
            left -= 1
        while left > 0:  # the rest, in random order, to the group with room most distant
            g = random_below(rng, n_groups)
            while removed[g] < 0:
                g = (g + 1) % n_groups
            r, target, best = removed[g], -1, -1.0
            for h in range(n_groups):
                if sizes[h] < upper[h]:
                    mean = table[r, h] / sizes[h] if sizes[h] > 0 else 0.0
                    if target < 0 or mean > best:
                        target, best = h, mean
            _place(d, assign, table, sizes, values, r, target)
            removed[g] = -1
            left -= 1


@loop_kernel
def _place(
    d: np.ndarray,
    assign: np.ndarray,
    table: np.ndarray,
    sizes: np.ndarray,
    values: np.ndarray,
    r: int,
    h: int,
) -> None:
    """Element r, out of every group, joins group h."""
    values[0] += table[r, h]
    for k in range(d.shape[0]):
        table[k, h] += d[k, r]
    sizes[h] += 1
    assign[r] = h


@loop_kernel
def _perturb(
    assign: np.ndarray,
    sizes: np.ndarray,
    lower: np.ndarray,
    upper: np.ndarray,
    strength: int,
    rng: np.ndarray,
) -> None:
    """``strength`` random moves (within the size bounds) and swaps, drawn in proportion to the
    sizes of the two neighbourhoods (n·G moves, n(n-1)/2 swaps); ``sizes`` is working space. The
    caller rebuilds the table after."""
    n, n_groups = assign.shape[0], sizes.shape[0]
    sizes[:] = 0
    for i in range(n):
        sizes[assign[i]] += 1
    moves, pairs = n * n_groups, n * (n - 1) // 2
    done = tries = 0
    while done < strength and tries < 100 * strength:
        tries += 1
        if random_below(rng, moves + pairs) < moves:
            v, g = random_below(rng, n), random_below(rng, n_groups)
            gv = assign[v]
            if g != gv and sizes[gv] > lower[gv] and sizes[g] < upper[g]:
                sizes[gv] -= 1
                sizes[g] += 1
                assign[v] = g
                done += 1
        else:
            x, y = random_below(rng, n), random_below(rng, n)
            if assign[x] != assign[y]:
                assign[x], assign[y] = assign[y], assign[x]
                done += 1


@kernel
def _crossover(
    d: np.ndarray,
    first: np.ndarray,
    second: np.ndarray,
    lower: np.ndarray,
    upper: np.ndarray,
    rng: np.ndarray,
) -> np.ndarray:
    """A child of two assignments (see the module): whole groups, the most diverse first."""
    n, n_groups = d.shape[0], lower.shape[0]
    parents = np.stack((first, second))
    # within[p, i]: i's summed distance to the members of its group in parent p not yet placed
    within = np.zeros((2, n))
    for p in range(2):
        for i in range(n):
            for j in range(n):
                if parents[p, i] == parents[p, j]:
                    within[p, i] += d[i, j]
    child = np.full(n, -1, dtype=np.int64)
    size = np.zeros(n_groups, dtype=np.int64)
    taken = np.zeros(n_groups, dtype=np.bool_)
    diversity = np.zeros(n_groups)
    for _ in range(n_groups):
        p = 0 if random_unit(rng) < 0.5 else 1
        diversity[:] = 0.0
        for i in range(n):
            if child[i] < 0:
                diversity[parents[p, i]] += within[p, i]
        source = int(np.argmax(diversity))
        members = np.array([i for i in range(n) if child[i] < 0 and parents[p, i] == source])
        fits = np.array([t for t in range(n_groups) if not taken[t] and upper[t] >= members.size])
        if fits.size:
            target = fits[random_below(rng, fits.size)]
        else:  # no free group holds them all: the largest takes a random part
            target = -1
            for t in range(n_groups):
                if not taken[t] and (target < 0 or upper[t] > upper[target]):
                    target = t
            _shuffle(members, rng)
            members = members[: upper[target]]
        taken[target] = True
        for i in members:
            child[i] = target
            size[target] += 1
            for q in range(2):
                for k in range(n):
                    if parents[q, k] == parents[q, i]:
                        within[q, k] -= d[k, i]
    order = np.arange(n)
    _shuffle(order, rng)
    for e in order:  # the rest: groups short of their lower bound first
        if child[e] >= 0:
            continue
        short = np.flatnonzero(size < lower)
        room = short if short.size else np.flatnonzero(size < upper)
        child[e] = room[random_below(rng, room.size)]
        size[child[e]] += 1
    for t in range(n_groups):  # still short: members of groups above their lower bound move in
        while size[t] < lower[t]:
            donors = np.flatnonzero(size > lower)
            g = donors[random_below(rng, donors.size)]
            inside = np.flatnonzero(child == g)
            child[inside[random_below(rng, inside.size)]] = t
            size[g] -= 1
            size[t] += 1
    return child


@loop_kernel
def _shuffle(values: np.ndarray, rng: np.ndarray) -> None:
    """Shuffle ``values`` in place (Fisher-Yates)."""
    for i in range(values.shape[0] - 1, 0, -1):
        j = random_below(rng, i + 1)
        values[i], values[j] = values[j], values[i]
