"""Where both MDGP searches start and what they share: the starting group sizes (the profiles,
the most-pairs one by dynamic programming), random assignments of those sizes, and the
element-to-group distance table ``D[i, g]`` (each element's summed distance to each group) with its
two compiled operations, built from scratch (:func:`rebuild_table`) and kept up to date as an element
moves (:func:`move_element`)."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from consortium_solver.core.native import loop_kernel
from consortium_solver.mdgp.reader import MdgpInstance

PROFILES = ("most", "extreme", "balanced", "random")  # starting group sizes (see group_sizes)


class Grouping(NamedTuple):
    """What the searches' kernels work on: the instance's distances and size bounds, and an
    assignment with its element-to-group table, group sizes and value (``values[0]``)."""

    d: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    assign: np.ndarray
    table: np.ndarray
    sizes: np.ndarray
    values: np.ndarray


def most_pairs(lower: np.ndarray, upper: np.ndarray, n: int) -> np.ndarray:
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


def group_sizes(inst: MdgpInstance, rng: np.random.Generator, profile: str) -> np.ndarray:
    """Group sizes within the bounds summing to n: ``most`` — the sizes with the most pairs inside
    groups (:func:`most_pairs`); otherwise every group at its lower bound, then the rest
    ``extreme`` — whole groups filled to their upper bound in random order (Σ C(s_g, 2) is convex in
    the sizes, so more pairs), ``balanced`` — one at a time to the smallest group, or ``random`` —
    one at a time to a random group with room."""
    if profile == "most":
        return most_pairs(inst.lower, inst.upper, inst.n)
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


def initial_assignment(
    inst: MdgpInstance, rng: np.random.Generator, profile: str = "extreme"
) -> np.ndarray:
    """A random assignment meeting the size bounds, with sizes of the given profile."""
    sizes = group_sizes(inst, rng, profile)
    order = rng.permutation(inst.n)
    return np.repeat(np.arange(inst.groups), sizes)[np.argsort(order)]


@loop_kernel
def move_element(
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
def rebuild_table(
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
