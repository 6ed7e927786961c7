"""Balance on the organiser's own columns, and pairs limited to rounds (issue 28, items 3-4).

``--balance COLUMN[:WEIGHT]`` spreads a categorical column (every group within one of its ideal
count of each value) or a numeric one (equal group means) over the groups; ``COLUMN=VALUE:MIN..MAX``
bounds a value's count in every group. The kernels' imbalance is checked against a plain reading
of its definition, the bounds against a brute-force count, and every answer by the validator,
which measures balance on its own.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from consortium_solver.cli import app
from consortium_solver.core.native import random_state
from consortium_solver.core.options import OptionError
from consortium_solver.domain import Organisation, Pool, Status
from consortium_solver.domain.fields import Balance, number_of
from consortium_solver.group import GroupOptions, group
from consortium_solver.group.balance import (
    CATEGORY_POINTS,
    NUMERIC_POINTS,
    balance_arrays,
    resolve,
)
from consortium_solver.group.constraints import GroupRules
from consortium_solver.group.options import balance_of, balances_of
from consortium_solver.group.search.kernels import balance_cost, scratch_for
from consortium_solver.group.search.state import score_tables
from consortium_solver.rules import no_call, user_size
from consortium_solver.scoring import Scorer
from consortium_solver.testing import pools
from consortium_solver.validate import check_grouping
from tests.conftest import counted, scaled

runner = CliRunner()
ROLES = ("Buyer", "Supplier", "Expert")


def person(i: int, country: str = "DE") -> Organisation:
    """A participant of an event (the organisation's fields the call would read, filled)."""
    return Organisation(
        id=f"p{i}",
        name=f"Person {i}",
        country=country,
        organisation_type="cluster_organisation",
        eccp_status="registered",
        sectors=("digital",),
    )


def with_columns(pool: Pool, columns: dict[str, Sequence[str]]) -> Pool:
    """The pool with sheet columns added: ``columns[name][i]`` is organisation i's cell."""
    orgs = tuple(
        o.model_copy(update={"details": {**o.details, **{k: v[i] for k, v in columns.items()}}})
        for i, o in enumerate(pool.organisations)
    )
    return Pool(name=pool.name, organisations=orgs)


def event(n: int, seed: int = 1) -> Pool:
    """n participants with a Role (Buyer, Supplier, Expert in shares 1:2:1) and Years (1-30)."""
    rng = random.Random(seed)
    base = Pool(
        name="event",
        organisations=tuple(person(i, ("DE", "FR", "PL", "IT")[i % 4]) for i in range(n)),
    )
    roles = [("Buyer", "Supplier", "Supplier", "Expert")[i % 4] for i in range(n)]
    rng.shuffle(roles)
    years = [str(rng.randint(1, 30)) for _ in range(n)]
    return with_columns(base, {"Role": roles, "Years": years})


# --- reading --balance -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Role", Balance(column="Role")),
        ("Years of experience:2", Balance(column="Years of experience", weight=2)),
        ("Years:0,5", Balance(column="Years", weight=0.5)),
        ("Role=Buyer:1..2", Balance(column="Role", value="Buyer", low=1, high=2)),
        ("Role = Buyer : 1-2", Balance(column="Role", value="Buyer", low=1, high=2)),
        ("Role=Buyer:1..", Balance(column="Role", value="Buyer", low=1)),
        ("Role=Buyer:..2", Balance(column="Role", value="Buyer", low=0, high=2)),
        ("Role=Buyer:1", Balance(column="Role", value="Buyer", low=1, high=1)),
        ("Time: morning", Balance(column="Time: morning")),  # a colon in the column's name
    ],
)
def test_balance_as_written(text: str, expected: Balance) -> None:
    assert balance_of(text) == expected
    assert balance_of(expected.text()) == expected  # written back as it reads


def test_every_unreadable_balance_is_reported_at_once() -> None:
    with pytest.raises(OptionError) as caught:
        balances_of(["Role=Buyer:x", "Role", "Role=Buyer:3..1", "Years:-1", "=Buyer:1"])
    assert [value for _, value, _ in caught.value.problems] == [
        "Role=Buyer:x",
        "Role=Buyer:3..1",
        "Years:-1",
        "=Buyer:1",
    ]
    assert all(field == "balance" for field, _, _ in caught.value.problems)


def test_a_column_the_sheet_lacks_is_named_with_the_closest_one() -> None:
    pool = event(12)
    with pytest.raises(OptionError) as caught:
        resolve(pool, pool.organisations, [Balance(column="Rol"), Balance(column="Role",
                value="Chef", low=1)])  # fmt: skip
    messages = [m for _, _, m in caught.value.problems]
    assert "did you mean 'Role'?" in messages[0]
    assert "no organisation has 'Chef' in 'Role'" in messages[1]
    assert "Buyer" in messages[1]  # what the column holds


def test_a_column_is_numeric_when_every_filled_cell_is_a_number() -> None:
    pool = with_columns(event(6), {"Size": ["10", "", "8,5", "1 200", "3", "3"],
                                    "Level": ["1", "2", "x", "1", "2", "1"]})  # fmt: skip
    columns, _ = resolve(pool, pool.organisations, [Balance(column="size"),
                                                    Balance(column="Level")])  # fmt: skip
    size, level = columns
    assert size.numeric and size.name == "Size"
    assert size.numbers[0] == 10 and math.isnan(size.numbers[1]) and size.numbers[3] == 1200
    assert not level.numeric and level.labels == ("1", "2", "x")


# --- the kernels' imbalance against its definition ---------------------------------------------


def plain_imbalance(pool: Pool, group_ids: Sequence[str], attendees: Sequence[str]) -> float:
    """The imbalance of a group of Role, Company and Years, read off its definition
    (group.balance)."""
    cells = {o.id: o.details for o in pool.organisations}
    total = 0.0
    for column in ("Role", "Company"):
        for value in {cells[a][column] for a in attendees}:
            share = sum(cells[a][column] == value for a in attendees) / len(attendees)
            ideal = len(group_ids) * share
            have = sum(cells[m][column] == value for m in group_ids)
            total += CATEGORY_POINTS * (
                max(0, math.floor(ideal + 1e-9) - have) + max(0, have - math.ceil(ideal - 1e-9))
            )
    years = [number_of(cells[o.id]["Years"]) or 0.0 for o in pool.organisations]
    mean, sd = float(np.mean(years)), float(np.std(years)) or 1.0
    z = {o.id: ((number_of(cells[o.id]["Years"]) or 0.0) - mean) / sd for o in pool.organisations}
    round_mean = float(np.mean([z[a] for a in attendees]))
    group_mean = float(np.mean([z[m] for m in group_ids]))
    return total + NUMERIC_POINTS * len(group_ids) * (group_mean - round_mean) ** 2


@settings(max_examples=scaled(40), deadline=None)
@given(n=st.integers(4, 30), seed=st.integers(0, 10_000), data=st.data())
@counted
def test_the_kernels_imbalance_is_its_definition(n: int, seed: int, data: st.DataObject) -> None:
    pool = event(n, seed)
    # A column of many values (a company's name, most of them once): only the values present
    # and the common ones are looked at by the kernel.
    companies = [f"Company {data.draw(st.integers(0, n // 2))}" for _ in range(n)]
    pool = with_columns(pool, {"Company": companies})
    away = frozenset(data.draw(st.sets(st.integers(0, n - 1), max_size=n // 2)))
    attendees = [o.id for i, o in enumerate(pool.organisations) if i not in away]
    members = data.draw(
        st.lists(st.sampled_from(sorted(set(range(n)) - away)), min_size=1, max_size=8, unique=True)
    )
    columns, _ = resolve(pool, pool.organisations, [Balance(column="Role"),
                         Balance(column="Company"), Balance(column="Years")])  # fmt: skip
    tables = score_tables(
        Scorer(list(pool.organisations), no_call().objective, {}),
        balance_arrays(columns, [frozenset(), away], n, largest=8),
    )
    rules = GroupRules(list(pool.organisations), []).tables()
    work = scratch_for(rules, tables, n, 8, random_state(0))
    buf = np.array(members, dtype=np.int64)
    got = balance_cost(tables, work, buf, len(members), 1)  # round 2: the absent stay away
    ids = [pool.organisations[i].id for i in members]
    assert got == pytest.approx(plain_imbalance(pool, ids, attendees), abs=1e-9)


# --- bounds, hard: brute force and the search ----------------------------------------------------


@settings(max_examples=scaled(40), deadline=None)
@given(
    flags=st.lists(st.booleans(), min_size=1, max_size=12),
    low=st.integers(0, 3),
    extra=st.one_of(st.none(), st.integers(0, 3)),
    data=st.data(),
)
@counted
def test_a_bound_counts_like_a_brute_force(
    flags: list[bool], low: int, extra: int | None, data: st.DataObject
) -> None:
    """A bound compiled to a rule of the search is as far from holding as a plain count says."""
    assume(any(flags))  # a bound on a value nobody has is refused (tested above)
    high = None if extra is None else low + extra
    base = Pool(
        name="b",
        organisations=tuple(person(i) for i in range(len(flags))),
    )
    pool = with_columns(base, {"Role": ["Buyer" if f else "Supplier" for f in flags]})
    spec = Balance(column="Role", value="Buyer", low=low, high=high)
    _, (bound,) = resolve(pool, pool.organisations, [spec])
    rules = GroupRules(list(pool.organisations), [], extra=[bound.coded()])
    members = data.draw(st.lists(st.integers(0, len(flags) - 1), unique=True, max_size=8))
    have = sum(flags[i] for i in members)
    expected = max(0, low - have) + (max(0, have - high) if high is not None else 0)
    assert rules.violation(members) == expected


@settings(max_examples=scaled(15), deadline=None)
@given(pool=pools(8, 20, eligible_share=1.0), n_rounds=st.integers(1, 3), data=st.data())
@counted
def test_bounds_hold_in_every_group_the_search_returns(
    pool: Pool, n_rounds: int, data: st.DataObject
) -> None:
    roles = data.draw(st.lists(st.sampled_from(ROLES), min_size=len(pool), max_size=len(pool)))
    pool = with_columns(pool, {"Role": roles})
    if "Buyer" not in roles:
        return
    spec = Balance(column="Role", value="Buyer", low=1, high=2)
    options = GroupOptions(size=(3, 4), rounds=n_rounds, balance=(Balance(column="Role"), spec),
                           allow_repeats=True, time_limit=0.3, deterministic=True, workers=1)  # fmt: skip
    result = group(pool, no_call(), options)
    if not result.schedule():
        assert result.note  # infeasible in words: too few or too many buyers
        return
    buyers = {o.id for o, role in zip(pool.organisations, roles, strict=True) if role == "Buyer"}
    for groups in result.schedule():
        for grp in groups:
            assert 1 <= len(buyers & set(grp.members)) <= 2
    schedule = [[g.members for g in groups] for groups in result.schedule()]
    verdict = check_grouping(pool, no_call(), schedule, extra_rules=[user_size(3, 4)],
                             allow_repeats=True, balance=[spec])  # fmt: skip
    assert not [p for p in verdict.problems if p.startswith("balance")]


def test_too_few_with_a_value_for_every_group_is_said_in_words() -> None:
    pool = with_columns(event(24), {"Role": ["Buyer"] * 3 + ["Supplier"] * 21})
    spec = Balance(column="Role", value="Buyer", low=1, high=2)
    options = GroupOptions(size=(4, 4), balance=(spec,), time_limit=2, deterministic=True)
    result = group(pool, no_call(), options)
    assert result.status is Status.INFEASIBLE and not result.consortia
    assert (
        "seating the 24 attendees of round 1 takes 6 groups, and each of the 6 groups needs 1"
        " with Role Buyer, but only 3 attend" in (result.note or "")
    )


def test_the_validator_reports_a_bound_broken_in_a_group() -> None:
    pool = event(8)
    buyers = [o.id for o in pool.organisations if o.details["Role"] == "Buyer"]
    others = [o.id for o in pool.organisations if o.details["Role"] != "Buyer"]
    spec = Balance(column="Role", value="Buyer", low=1, high=1)
    verdict = check_grouping(pool, no_call(), [[[*buyers, others[0]], others[1:]]], balance=[spec])
    assert verdict.problems == [
        f"balance: Role=Buyer:1..1: round 1, group 1: {len(buyers)} with Role Buyer, not 1..1",
        "balance: Role=Buyer:1..1: round 1, group 2: 0 with Role Buyer, not 1..1",
    ]


# --- the soft targets: measured by the validator, met by the search ------------------------------


def test_the_validator_measures_a_categorical_column_by_hand() -> None:
    base = Pool(name="m", organisations=tuple(person(i) for i in range(8)))
    pool = with_columns(base, {"Role": ["B", "B", "B", "B", "S", "S", "S", "S"]})
    even = [["p0", "p1", "p4", "p5"], ["p2", "p3", "p6", "p7"]]
    (measure,) = check_grouping(pool, no_call(), [even], balance=[Balance(column="Role")]).balance
    assert (measure.off, measure.groups_off, measure.groups) == (0, 0, 2)
    lopsided = [["p0", "p1", "p2", "p4"], ["p3", "p5", "p6", "p7"]]
    (measure,) = check_grouping(
        pool, no_call(), [lopsided], balance=[Balance(column="Role")]
    ).balance
    # ideal 2 of each per group: one B too many and one S too few in the first, the other way
    # round in the second
    assert (measure.off, measure.groups_off) == (4, 2)
    assert "2 of 2 groups off their ideal count (4 members in all)" in measure.words()


def test_the_validator_measures_a_numeric_column_by_hand() -> None:
    base = Pool(name="m", organisations=tuple(person(i) for i in range(4)))
    pool = with_columns(base, {"Years": ["1", "3", "10", ""]})
    verdict = check_grouping(pool, no_call(), [[["p0", "p1"], ["p2", "p3"]]],
                             balance=[Balance(column="Years")])  # fmt: skip
    (measure,) = verdict.balance
    assert measure.numeric and measure.spread == 8.0 and measure.mean == pytest.approx(14 / 3)


@pytest.mark.parametrize("rounds", [1, 3])
def test_the_search_balances_a_categorical_column(rounds: int) -> None:
    """48 people, roles 1:2:1, tables of 4: one buyer, two suppliers and one expert each is the
    ideal, and the search reaches it in every group of every round."""
    pool = event(48)
    options = GroupOptions(size=(4, 4), rounds=rounds, balance=(Balance(column="Role"),),
                           time_limit=5, deterministic=True, seed=3)  # fmt: skip
    result = group(pool, no_call(), options)
    (measure,) = result.balance
    assert measure.off == 0 and measure.groups == 12 * rounds
    assert not result.unassigned


def test_the_search_brings_numeric_means_together() -> None:
    pool = event(60, seed=4)
    years = [number_of(o.details["Years"]) or 0.0 for o in pool.organisations]
    options = GroupOptions(size=(5, 5), balance=(Balance(column="Years"),), time_limit=5,
                           deterministic=True, seed=2)  # fmt: skip
    (measure,) = group(pool, no_call(), options).balance
    # Twelve groups of five drawn at random: means spread over about 1.5 standard deviations.
    assert measure.spread is not None and measure.spread < 0.25 * float(np.std(years))


def test_a_pair_apart_in_some_rounds_only() -> None:
    pool = event(12)
    options = GroupOptions(size=(3, 3), rounds=3, apart_in=(("p0", "p1", (1, 2)),),
                           together_in=(("p0", "p1", (3,)),), time_limit=2,
                           deterministic=True)  # fmt: skip
    result = group(pool, no_call(), options)
    rounds = result.schedule()
    together = [any({"p0", "p1"} <= set(g.members) for g in groups) for groups in rounds]
    assert together == [False, False, True]
    bad = [[["p0", "p1", "p2"], ["p3", "p4", "p5"], ["p6", "p7", "p8"], ["p9", "p10", "p11"]]]
    verdict = check_grouping(pool, no_call(), bad, apart_in=[("p0", "p1", (1,))])
    assert verdict.problems == ["user:apart:p0+p1@1: p0 and p1 share group 1"]


def test_pairs_are_named_as_in_the_sheet_and_a_close_name_is_suggested() -> None:
    pool = event(12)
    options = GroupOptions(size=(3, 3), rounds=2, meet=(("Person 1", "person 2"),),
                           time_limit=1, deterministic=True)  # fmt: skip
    result = group(pool, no_call(), options)
    assert any({"p1", "p2"} <= set(g.members) for groups in result.schedule() for g in groups)
    with pytest.raises(OptionError) as caught:
        group(pool, no_call(), GroupOptions(meet=(("Person 1", "Persn 2"),)))
    assert "did you mean 'Person 2'?" in caught.value.problems[0][2]


def test_bad_balance_on_the_command_line_is_every_problem_at_once(tmp_path: object) -> None:
    from pathlib import Path

    path = Path(str(tmp_path)) / "event.json"
    path.write_text(event(12).model_dump_json(), encoding="utf-8")
    args = ["group", str(path), "--call", "none", "--balance", "Rol", "--balance",
            "Role=Chef:1..2", "--apart", "p0,Persn 1@1"]  # fmt: skip
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    for words in ("did you mean 'Role'?", "no organisation has 'Chef'", "did you mean 'Person 1'?"):
        assert words in result.output
