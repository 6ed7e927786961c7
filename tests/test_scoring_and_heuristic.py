"""The primal heuristic's scorers agree with the validator, and its answers meet every rule."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from consortium_solver.builder import local_search
from consortium_solver.core.clock import Clock
from consortium_solver.domain import Pool
from consortium_solver.rules import Call, Problem
from consortium_solver.scoring import Scorer, VectorScorer
from consortium_solver.synthetic.pools import generate_pool
from consortium_solver.testing import pools
from consortium_solver.validate import check_rule, score_terms, total


@given(pools(min_size=1, max_size=8), st.data())
def test_scorer_equals_the_validator(pool: Pool, data: st.DataObject) -> None:
    """The bitmask scorer gives the validator's score for any subset."""
    call = Call(id="t", title="t")
    orgs = list(pool.organisations)
    chosen = data.draw(st.lists(st.integers(0, len(orgs) - 1), min_size=1, unique=True))
    scorer = Scorer(orgs, call.objective, call.link_weights())
    expected = total(score_terms([orgs[i] for i in chosen], call.objective, call.link_weights()))
    assert scorer.score(chosen) == pytest.approx(expected)


@given(pools(min_size=2, max_size=8), st.data())
def test_vector_scorer_equals_the_scorer(pool: Pool, data: st.DataObject) -> None:
    """Scoring base + j for all j at once gives each set's own score."""
    call = Call(id="t", title="t")
    orgs = list(pool.organisations)
    base = data.draw(st.lists(st.integers(0, len(orgs) - 1), max_size=len(orgs) - 1, unique=True))
    scorer = Scorer(orgs, call.objective, call.link_weights())
    extended = VectorScorer(scorer).extend(base)
    for j in range(len(orgs)):
        if j not in base:
            assert extended[j] == pytest.approx(scorer.score([*base, j]))


def test_local_search_meets_the_rules(call_2018: Call) -> None:
    """Its consortium meets every rule it was given, includes the fixed members, stays in size."""
    pool = generate_pool(300, seed=4)
    rules = [r for r in call_2018.rules if r.kind != "member_in"]
    eligible = [
        o
        for o in pool.organisations
        if all(check_rule(r, [o]).passed for r in call_2018.rules if r.kind == "member_in")
    ]
    fixed = [eligible[0].id]
    problem = Problem(
        eligible, rules, call_2018.objective, call_2018.link_weights(), min_size=3, max_size=5
    )
    ids = local_search(problem, fixed=fixed, seed=1, clock=Clock(20, deterministic=True, rate=1))
    assert ids is not None and fixed[0] in ids and 3 <= len(ids) <= 5
    orgs = [pool.by_id[i] for i in ids]
    assert all(check_rule(r, orgs).passed for r in rules)


def test_local_search_with_rounds_is_repeatable(call_2018: Call) -> None:
    """A budget in rounds, not seconds, gives the same answer for the same seed."""
    pool = generate_pool(200, seed=9)
    problem = Problem(
        pool.organisations,
        [],
        call_2018.objective,
        call_2018.link_weights(),
        min_size=3,
        max_size=6,
    )
    a = local_search(problem, seed=3, clock=Clock(15, deterministic=True, rate=1))
    b = local_search(problem, seed=3, clock=Clock(15, deterministic=True, rate=1))
    assert a is not None and a == b
