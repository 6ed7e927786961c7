"""Schedules from finite geometry: the fields obey the field laws, and every schedule returned is a
sequence of partitions in which no pair meets twice (counted here, independently of the module's
own check), with as many rounds as asked."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consortium_solver.group.constructions.designs import (
    Field,
    affine_rounds,
    doubled_rounds,
    kirkman_rounds,
    known_rounds,
    prime_power,
    transversal_rounds,
)
from consortium_solver.group.constructions.rotational import (
    ROW_BASES,
    STARTERS,
    Abelian,
    develop,
    develop_rows,
    groups_of_order,
    row_schedule,
    starter,
)
from tests.conftest import assert_partitions, counted, meetings, scaled

FIELD_ORDERS = [2, 3, 4, 5, 7, 8, 9, 16, 25, 27]


def assert_schedule(rounds: list[list[list[int]]], n: int, size: int) -> None:
    assert_partitions(rounds, n, [size] * (n // size))
    assert max(meetings(rounds).values(), default=0) <= 1


@pytest.mark.parametrize("q", range(1, 130))
def test_prime_power_agrees_with_trial_division(q: int) -> None:
    primes = [p for p in range(2, q + 1) if all(p % d for d in range(2, p))]
    expected = next(((p, m) for p in primes for m in range(1, 8) if p**m == q), None)
    assert prime_power(q) == expected


@pytest.mark.parametrize("q", FIELD_ORDERS)
@settings(max_examples=scaled(30))
@given(data=st.data())
def test_fields_obey_the_field_laws(q: int, data: st.DataObject) -> None:
    f = Field(q)
    a, b, c = (data.draw(st.integers(0, q - 1)) for _ in range(3))
    add, mul = f.add, f.mul
    assert add[a][b] == add[b][a] and mul[a][b] == mul[b][a]
    assert add[add[a][b]][c] == add[a][add[b][c]]
    assert mul[mul[a][b]][c] == mul[a][mul[b][c]]
    assert mul[a][add[b][c]] == add[mul[a][b]][mul[a][c]]
    assert add[a][0] == a and mul[a][1] == a
    assert any(add[a][x] == 0 for x in range(q))
    if a:
        assert any(mul[a][x] == 1 for x in range(q))


@pytest.mark.parametrize(
    ("q", "t"), [(2, 3), (3, 2), (3, 3), (4, 2), (5, 2), (7, 2), (8, 2), (9, 2)]
)
def test_affine_geometry_meets_every_pair_exactly_once(q: int, t: int) -> None:
    rounds = affine_rounds(q, t)
    n = q**t
    assert len(rounds) == (n - 1) // (q - 1)
    assert_schedule(rounds, n, q)
    assert len(meetings(rounds)) == n * (n - 1) // 2


@pytest.mark.parametrize("t", [4, 6])
def test_doubled_space_misses_only_each_members_partner(t: int) -> None:
    """32 in fours for 10 rounds (the social golfer problem), 128 in fours for 42."""
    rounds = doubled_rounds(t)
    assert rounds is not None
    n = 2 ** (t + 1)
    assert len(rounds) == 2 * (2**t - 1) // 3
    assert_schedule(rounds, n, 4)
    met = meetings(rounds)
    for m in range(n):
        unmet = [x for x in range(n) if x != m and frozenset((m, x)) not in met]
        assert unmet == [m ^ 1]


@pytest.mark.parametrize("t", [2, 3, 5, 8])
def test_doubled_space_declines_other_dimensions(t: int) -> None:
    assert doubled_rounds(t) is None


@settings(max_examples=scaled(200))
@given(n=st.integers(2, 140), size=st.integers(2, 12), n_rounds=st.integers(1, 50))
@counted
def test_whatever_is_constructed_is_a_schedule_without_repeats(
    n: int, size: int, n_rounds: int
) -> None:
    rounds = known_rounds(n, size, n_rounds)
    if rounds is not None:
        assert len(rounds) == n_rounds
        assert_schedule(rounds, n, size)


def assert_complete(rounds: list[list[list[int]]], n: int, size: int) -> None:
    """A schedule in which every pair meets exactly once."""
    assert len(rounds) == (n - 1) // (size - 1)
    assert_schedule(rounds, n, size)
    assert len(meetings(rounds)) == n * (n - 1) // 2


@pytest.mark.parametrize(("g", "p"), [(2, 2), (3, 2), (5, 3), (7, 5), (8, 5), (9, 4), (8, 8)])
def test_transversal_design_meets_every_pair_of_rows_once(g: int, p: int) -> None:
    """g groups of p (7-5-7 and 8-5-8 among them): members of one row never meet, members of two
    rows exactly once."""
    rounds = transversal_rounds(g, p)
    assert len(rounds) == g
    assert_schedule(rounds, g * p, p)
    met = meetings(rounds)
    for a in range(g * p):
        for b in range(a + 1, g * p):
            assert met[frozenset((a, b))] == (a % p != b % p)


@pytest.mark.parametrize("q", [7, 13, 19, 25, 31])
def test_kirkman_systems_meet_every_pair_exactly_once(q: int) -> None:
    """21 in threes for 10 rounds (7-3-10), 39 for 19, ..., 93 for 46."""
    rounds = kirkman_rounds(q)
    assert rounds is not None
    assert_complete(rounds, 3 * q, 3)


@pytest.mark.parametrize("q", [5, 6, 9, 11, 15, 21])
def test_kirkman_construction_declines_other_orders(q: int) -> None:
    assert kirkman_rounds(q) is None


@pytest.mark.parametrize("order", [8, 12, 27, 32, 39, 64])
def test_abelian_groups_have_their_order_and_inverses(order: int) -> None:
    for group in groups_of_order(order):
        assert group.order == order
        for x in range(order):
            assert group.add(group.sub(0, x), x) == 0
            assert group.add(x, 1 % order) == group.add(1 % order, x)


@pytest.mark.parametrize("key", sorted(STARTERS))
def test_tabulated_starters_develop_into_complete_designs(key: tuple[int, int]) -> None:
    """28 and 40 in fours (7-4-9, 10-4-13), 52 in fours, 33 and 57 in threes."""
    n, size = key
    dims, h, blocks = STARTERS[key]
    assert_complete(develop(Abelian(dims), h, blocks), n, size)


@pytest.mark.parametrize(("n", "size"), [(16, 4), (28, 4), (33, 3), (40, 4)])
def test_the_starter_search_finds_what_the_table_holds(n: int, size: int) -> None:
    """The search that made the table finds a starter again (40 in fours: ~480,000 nodes)."""
    found = starter(n, size, budget=1_000_000)
    assert found is not None
    assert_complete(develop(*found), n, size)


@pytest.mark.parametrize("key", sorted(ROW_BASES))
def test_row_bases_develop_and_the_search_finds_them_again(key: tuple[int, int]) -> None:
    """36 in fours over Z_3 x Z_3 for 10 rounds (9-4-10): no pair twice, every round a partition;
    the search re-finds a base round of its own."""
    n, size = key
    dims, rows, shifts, base = ROW_BASES[key]
    group = Abelian(dims)
    rounds = develop_rows(group, rows, shifts, base)
    assert len(rounds) == group.order + len(shifts)
    assert_schedule(rounds, n, size)
    found = row_schedule(group, rows, size, len(shifts), budget=200_000)
    assert found is not None
    again = develop_rows(group, rows, *found)
    assert len(again) == len(rounds)
    assert_schedule(again, n, size)


def test_row_search_gives_none_beyond_its_budget() -> None:
    """Two orbit rounds besides the base round of 36 in fours: nothing within 2,000 nodes."""
    assert row_schedule(Abelian((3, 3)), 4, 4, 2, budget=2_000) is None


@pytest.mark.parametrize(("n", "size"), [(15, 3), (21, 3)])
def test_the_starter_search_proves_there_is_none(n: int, size: int) -> None:
    """No 1-rotational Kirkman system on 15 or 21 over the abelian groups tried: the search
    ends (well within its budget) without one."""
    assert starter(n, size, budget=10**7) is None


@pytest.mark.parametrize(
    ("n", "size", "n_rounds"),
    [
        (32, 4, 10),
        (128, 4, 42),
        (16, 4, 5),
        (49, 7, 8),
        (27, 3, 13),
        (81, 9, 10),
        (64, 2, 63),
        (21, 3, 10),
        (28, 4, 9),
        (40, 4, 13),
        (35, 5, 7),
        (40, 5, 8),
        (36, 4, 10),
    ],
)
def test_known_instances_are_constructed_to_their_maximum(n: int, size: int, n_rounds: int) -> None:
    rounds = known_rounds(n, size, n_rounds)
    assert rounds is not None and len(rounds) == n_rounds
    assert_schedule(rounds, n, size)
    assert known_rounds(n, size, n_rounds + 1) is None  # no construction claims more


@pytest.mark.parametrize(
    ("n", "size", "n_rounds"),
    [(30, 3, 2), (32, 4, 0), (12, 6, 2), (4, 4, 1), (36, 4, 11), (45, 5, 11)],
)
def test_numbers_that_fit_no_construction_get_none(n: int, size: int, n_rounds: int) -> None:
    assert known_rounds(n, size, n_rounds) is None
