"""The cyclic schedule search: its cost model counts exactly the repeated meetings of the rounds it
develops, and what it returns repeats no pair (both judged by plain counting here)."""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consortium_solver.core.clock import Clock
from consortium_solver.group.constructions.cyclic import CyclicSearch
from consortium_solver.group.search import GroupingSearch
from consortium_solver.rules import Objective, Problem
from consortium_solver.synthetic.pools import generate_pool
from tests.conftest import assert_partitions, meetings


def repeated(rounds: list[list[list[int]]]) -> int:
    """Meetings beyond the first, summed over pairs (the search's measure)."""
    return sum(c - 1 for c in meetings(rounds).values())


@st.composite
def instances(draw: st.DrawFn) -> tuple[int, list[int], int, int]:
    groups = draw(st.integers(2, 6))
    sizes = [draw(st.integers(2, 5)) for _ in range(groups)]
    rounds = draw(st.integers(2, 7))
    return sum(sizes), sizes, rounds, draw(st.integers(0, 2**16))


@settings(max_examples=40, deadline=None)
@given(instances())
def test_cost_model_counts_the_repeats_of_the_developed_rounds(
    instance: tuple[int, list[int], int, int],
) -> None:
    n, sizes, n_rounds, seed = instance
    search = CyclicSearch(n, sizes, n_rounds, random.Random(seed))
    base = search._fresh()
    rounds = search.develop(base)
    assert len(rounds) == n_rounds
    assert_partitions(rounds, n, sizes)
    model = sum(search.repeats(o, u) for o, u in enumerate(search._uses(base)))
    assert model == repeated(rounds)


@settings(max_examples=25, deadline=None)
@given(instances())
def test_whatever_it_returns_repeats_no_pair(instance: tuple[int, list[int], int, int]) -> None:
    n, sizes, n_rounds, seed = instance
    found = CyclicSearch(n, sizes, n_rounds, random.Random(seed)).search(
        Clock(0.3, deterministic=True)  # counted steps: a failing example replays
    )
    if found is not None:
        assert_partitions(found, n, sizes)
        assert repeated(found) == 0


@pytest.mark.parametrize(
    ("groups", "size", "n_rounds"),
    [(5, 3, 7), (8, 4, 8), (8, 4, 9), (10, 3, 14)],  # Kirkman's schoolgirls; social golfers
)
def test_tight_schedules_are_found(groups: int, size: int, n_rounds: int) -> None:
    """Instances at (or next to) the most rounds possible; found in well under a second usually,
    the minute is only a ceiling."""
    n = groups * size
    search = CyclicSearch(n, [size] * groups, n_rounds, random.Random(1))
    found = search.search(Clock(60))
    assert found is not None
    assert_partitions(found, n, [size] * groups)
    assert repeated(found) == 0
    if (groups, size, n_rounds) == (5, 3, 7):  # a Kirkman triple system: every pair exactly once
        assert len(meetings(found)) == n * (n - 1) // 2


def test_more_fixed_points_than_groups_is_refused() -> None:
    """9 members over 6 rounds leave 3 fixed points (members every shift keeps in place); with 2
    groups two of them would share a group in every round, so no cyclic schedule exists."""
    search = CyclicSearch(9, [5, 4], 6, random.Random(0))
    assert [search.shift(p, 1) == p for p in range(9)].count(True) == 3
    assert search.search(Clock(5)) is None


def test_conflict_repair_removes_repeats_and_keeps_counts_consistent() -> None:
    """The general repair (no cyclic seed): 16 in fours over 5 rounds, an affine plane."""
    pool = generate_pool(16, seed=3)
    problem = Problem(pool.organisations, [], Objective(), {}, min_size=4, max_size=4)
    # No deadline: the greedy construction, which leaves repeats for most seeds; the first such.
    search, schedule = next(
        (s, c)
        for s in (GroupingSearch(problem, n_rounds=5, seed=seed) for seed in range(50))
        if (c := s.construct()).conflicts() > 0
    )
    assert search.repair(schedule, Clock(60)) == 0
    assert repeated(schedule.rounds) == 0 == schedule.conflicts()
    assert_partitions(schedule.rounds, 16, [4] * 4)
    recount = np.zeros_like(schedule.meet)
    for pair, count in meetings(schedule.rounds).items():
        a, b = tuple(pair)
        recount[a, b] = recount[b, a] = count
    assert (recount == schedule.meet).all()
