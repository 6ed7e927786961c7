"""Research mode: MDGPLIB instances read, solved within their size bounds, small ones exactly."""

from __future__ import annotations

import csv
import gzip
import itertools
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consortium_solver.core.clock import Clock
from consortium_solver.core.errors import InputError
from consortium_solver.core.native import random_state
from consortium_solver.mdgp import (
    MdgpInstance,
    MdgpOptions,
    mdgp_value,
    read_mdgp,
    solve_mdgp,
)
from consortium_solver.mdgp.memetic import MemeticSearch, _crossover, _directed
from consortium_solver.mdgp.table import (
    PROFILES,
    group_sizes,
    initial_assignment,
    most_pairs,
    rebuild_table,
)

LIB = Path(__file__).resolve().parent.parent / "instances" / "mdgplib"
with (LIB / "best_known.csv").open(encoding="utf-8") as _f:
    BEST = {row["instance"]: row for row in csv.DictReader(_f)}
SMALL = sorted(name for name, row in BEST.items() if int(row["n"]) <= 12)


@pytest.mark.parametrize("name", SMALL)
def test_small_instances_reach_the_exact_optimum(name: str) -> None:
    """n = 10 and 12: the optimum found by exhaustive enumeration (best_known.csv)."""
    inst = read_mdgp(LIB / "instances" / f"{name}.txt")
    result = solve_mdgp(inst, MdgpOptions(seed=1, iterations=3000))
    assert result.objective == pytest.approx(float(BEST[name]["best_known"]), abs=1e-3)
    sizes = [len(g.members) for g in result.consortia]
    assert all(lo <= s <= hi for s, lo, hi in zip(sizes, inst.lower, inst.upper, strict=True))
    members = sorted(int(m) for g in result.consortia for m in g.members)
    assert members == list(range(inst.n))
    assert sum(g.score for g in result.consortia) == pytest.approx(result.objective)


def test_value_is_the_sum_of_pair_distances() -> None:
    """The objective counts each within-group pair once."""
    d = np.array([[0, 1, 2, 3], [1, 0, 4, 5], [2, 4, 0, 6], [3, 5, 6, 0]], dtype=float)
    assert mdgp_value(d, np.array([0, 0, 1, 1]), 2) == 1 + 6


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "expected a header"),
        ("4 2 ss 2\n", "expected a header"),
        ("4 2 ss 3 3 3 3\n0 1 1\n", "no partition meets these group sizes"),
        ("4 2 ss 2 2 2 2\n0 9 1.0\n", "line 2, value '0 9 1.0': element index out of range"),
        ("4 2 ss 2 2 2 2\n0 1 x\n", "line 2, value '0 1 x': expected 'i j d_ij'"),
    ],
)
def test_bad_instances(tmp_path: Path, text: str, fragment: str) -> None:
    """Malformed files are refused with the line and value named."""
    path = tmp_path / "bad.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_mdgp(path)
    assert fragment in str(info.value)


DS_SMALL = [name for name in SMALL if "_ds_" in name]


@pytest.mark.parametrize("name", DS_SMALL)
def test_size_ranges_race_to_the_exact_optimum(name: str) -> None:
    """The memetic search (ds instances, time-limited runs) ends at the exhaustive optimum on
    n = 10 and 12; the seconds are a ceiling, the optimum comes at once."""
    inst = read_mdgp(LIB / "instances" / f"{name}.txt")
    result = solve_mdgp(inst, MdgpOptions(time_limit=1, seed=2))
    assert result.objective == pytest.approx(float(BEST[name]["best_known"]), abs=1e-3)
    sizes = [len(g.members) for g in result.consortia]
    assert all(lo <= s <= hi for s, lo, hi in zip(sizes, inst.lower, inst.upper, strict=True))


@settings(max_examples=60)
@given(
    bounds=st.lists(
        st.tuples(st.integers(0, 6), st.integers(0, 6)).map(sorted), min_size=1, max_size=6
    ),
    data=st.data(),
)
def test_size_profiles_fit_the_bounds(bounds: list[list[int]], data: st.DataObject) -> None:
    """Every starting profile gives sizes within the bounds that add up to n."""
    lower = np.array([lo for lo, _ in bounds])
    upper = np.array([hi for _, hi in bounds])
    n = data.draw(st.integers(int(lower.sum()), int(upper.sum())))
    if n < 2:
        return
    inst = MdgpInstance("drawn", np.zeros((n, n)), lower, upper)
    rng = np.random.default_rng(data.draw(st.integers(0, 1000)))
    for profile in PROFILES:
        sizes = group_sizes(inst, rng, profile)
        assert sizes.sum() == n and (sizes >= lower).all() and (sizes <= upper).all()
        drawn = np.bincount(initial_assignment(inst, rng, profile), minlength=len(bounds))
        assert drawn.sum() == n and (drawn >= lower).all() and (drawn <= upper).all()
    # balanced: a group given more than its lower bound is at most one above any group with room
    balanced = group_sizes(inst, rng, "balanced")
    for g in np.flatnonzero(balanced > lower):
        for h in np.flatnonzero(balanced < upper):
            assert balanced[g] - balanced[h] <= 1


@st.composite
def instances(draw: st.DrawFn) -> MdgpInstance:
    """Small random instances: 2-5 groups with size ranges, n within their bounds, integer
    distances (so that sums are exact)."""
    groups = draw(st.integers(2, 5))
    lower = np.array([draw(st.integers(1, 4)) for _ in range(groups)])
    upper = lower + np.array([draw(st.integers(0, 3)) for _ in range(groups)])
    n = draw(st.integers(max(int(lower.sum()), 2), int(upper.sum())))
    seed = draw(st.integers(0, 2**31))
    d = np.random.default_rng(seed).integers(0, 50, size=(n, n)).astype(float)
    d = np.triu(d, 1)
    return MdgpInstance("drawn", d + d.T, lower, upper)


def fits(inst: MdgpInstance, assign: np.ndarray) -> bool:
    sizes = np.bincount(assign, minlength=inst.groups)
    return bool(
        (sizes >= inst.lower).all() and (sizes <= inst.upper).all() and len(assign) == inst.n
    )


@settings(max_examples=60, deadline=None)
@given(inst=instances(), seed=st.integers(0, 1000))
def test_crossover_children_fit_the_bounds(inst: MdgpInstance, seed: int) -> None:
    """A child of any two assignments within the bounds is within them too."""
    rng = np.random.default_rng(seed)
    first, second = (
        initial_assignment(inst, rng, p).astype(np.int64) for p in ("extreme", "random")
    )
    child = _crossover(
        inst.d,
        first,
        second,
        inst.lower.astype(np.int64),
        inst.upper.astype(np.int64),
        random_state(seed),
    )
    assert fits(inst, child)


@settings(max_examples=60, deadline=None)
@given(inst=instances(), seed=st.integers(0, 1000))
def test_descent_ends_where_no_move_or_swap_gains(inst: MdgpInstance, seed: int) -> None:
    """After the descent, brute force finds no move (within the bounds) and no swap that raises
    the value, and the value it reports is the assignment's."""
    search = MemeticSearch(inst, seed)
    assign = initial_assignment(inst, search.rng, "random").astype(np.int64)
    value = search.improve(assign)
    assert fits(inst, assign)
    assert value == pytest.approx(mdgp_value(inst.d, assign, inst.groups))
    sizes = np.bincount(assign, minlength=inst.groups)
    for v in range(inst.n):
        for g in range(inst.groups):
            if (
                g != assign[v]
                and sizes[assign[v]] > inst.lower[assign[v]]
                and sizes[g] < inst.upper[g]
            ):
                moved = assign.copy()
                moved[v] = g
                assert mdgp_value(inst.d, moved, inst.groups) <= value + 1e-6
        for u in range(v + 1, inst.n):
            swapped = assign.copy()
            swapped[v], swapped[u] = assign[u], assign[v]
            assert mdgp_value(inst.d, swapped, inst.groups) <= value + 1e-6


@settings(max_examples=20, deadline=None)
@given(inst=instances(), seed=st.integers(0, 1000))
def test_memetic_search_answers_within_the_bounds(inst: MdgpInstance, seed: int) -> None:
    """A short run returns an assignment within the bounds, with its true value."""
    search = MemeticSearch(inst, seed)
    assign, value = search.run(Clock(0.5, deterministic=True, rate=10))
    assert fits(inst, assign)
    assert value == pytest.approx(mdgp_value(inst.d, assign, inst.groups))


@settings(max_examples=60, deadline=None)
@given(
    bounds=st.lists(
        st.tuples(st.integers(0, 5), st.integers(0, 5)).map(sorted), min_size=1, max_size=4
    ),
    data=st.data(),
)
def test_most_pairs_profile_is_the_best_by_brute_force(
    bounds: list[list[int]], data: st.DataObject
) -> None:
    """No sizes within the bounds adding up to n hold more pairs than the "most" profile's
    (every size vector enumerated)."""
    lower = np.array([lo for lo, _ in bounds])
    upper = np.array([hi for _, hi in bounds])
    n = data.draw(st.integers(int(lower.sum()), int(upper.sum())))
    sizes = most_pairs(lower, upper, n)
    assert sizes.sum() == n and (sizes >= lower).all() and (sizes <= upper).all()
    every = [
        sum(s * (s - 1) // 2 for s in combo)
        for combo in itertools.product(*(range(lo, hi + 1) for lo, hi in bounds))
        if sum(combo) == n
    ]
    assert int(sum(s * (s - 1) // 2 for s in sizes)) == max(every)


@settings(max_examples=60, deadline=None)
@given(inst=instances(), seed=st.integers(0, 1000), rounds=st.integers(1, 4))
def test_directed_perturbation_keeps_the_bounds_and_the_table(
    inst: MdgpInstance, seed: int, rounds: int
) -> None:
    """After the directed perturbation the sizes are within the bounds, and the distance table,
    sizes and value it kept up to date are those of the assignment rebuilt from scratch."""
    search = MemeticSearch(inst, seed)
    assign = initial_assignment(inst, search.rng, "random").astype(np.int64)
    rebuild_table(search.d, assign, search.table, search.sizes, search.values)
    _directed(search.state(assign), search.removed, rounds, search.kernel_rng)
    assert fits(inst, assign)
    table, sizes, value = search.table.copy(), search.sizes.copy(), float(search.values[0])
    rebuild_table(search.d, assign, search.table, search.sizes, search.values)
    np.testing.assert_allclose(table, search.table, atol=1e-9)
    np.testing.assert_array_equal(sizes, search.sizes)
    assert value == pytest.approx(mdgp_value(inst.d, assign, inst.groups))


def test_gzipped_instances_read_as_the_plain_file(tmp_path: Path) -> None:
    """A gzipped MDGPLIB file (how the n = 480 instances are stored) reads as its text; a broken
    one is refused in words."""
    plain = LIB / "instances" / "Geo_n010_ds_01.txt"
    packed = tmp_path / "Geo_n010_ds_01.txt.gz"
    packed.write_bytes(gzip.compress(plain.read_bytes()))
    a, b = read_mdgp(plain), read_mdgp(packed)
    assert b.name == a.name == "Geo_n010_ds_01"
    np.testing.assert_array_equal(a.d, b.d)
    np.testing.assert_array_equal(a.upper, b.upper)
    broken = tmp_path / "broken.txt.gz"
    broken.write_bytes(b"not gzip")
    with pytest.raises(InputError, match="gzip"):
        read_mdgp(broken)


def test_the_n480_instances_read() -> None:
    """The stored n = 480 instances (gzipped) read whole: 480 elements, 20 groups, no missing
    distance."""
    for path in sorted((LIB / "instances").glob("*_n480_*.txt.gz")):
        inst = read_mdgp(path)
        assert inst.n == 480 and inst.groups == 20, path
        off = inst.d[~np.eye(480, dtype=bool)]
        assert (off > 0).all(), path
