"""The encoder: each rule kind against the shared satisfied/violated table, and every objective term
against the validator on fixed consortia."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consortium_solver.domain import Pool, Status
from consortium_solver.encode import (
    SelectionModel,
    SolveLimits,
    encode_objective,
    encode_rule,
    solve,
)
from consortium_solver.rules import AnyRule, Call, Objective, SectorLink
from consortium_solver.testing import pools
from consortium_solver.validate import score_terms, total
from tests.rule_cases import CASES, case_id

ONE_WORKER = SolveLimits(time_limit=10, workers=1)


@pytest.mark.parametrize(("rule", "ids", "passes"), CASES, ids=[case_id(c) for c in CASES])
def test_rule_table(regions_pool: Pool, rule: AnyRule, ids: tuple[str, ...], passes: bool) -> None:
    """Fixing the members, the model is feasible exactly when the rule holds."""
    m = SelectionModel(regions_pool.organisations, max_size=len(regions_pool))
    encode_rule(m, rule)
    m.fix(ids)
    expected = Status.OPTIMAL if passes else Status.INFEASIBLE
    assert solve(m, ONE_WORKER).status is expected


@pytest.mark.parametrize(("rule", "ids", "passes"), CASES, ids=[case_id(c) for c in CASES])
def test_rule_table_with_enforcement(
    regions_pool: Pool, rule: AnyRule, ids: tuple[str, ...], passes: bool
) -> None:
    """With an enforcement literal the rule binds only when the literal is true."""
    m = SelectionModel(regions_pool.organisations, max_size=len(regions_pool))
    lit = m.model.new_bool_var("on")
    encode_rule(m, rule, lit)
    m.fix(ids)
    m.model.add(lit == 1)
    assert (solve(m, ONE_WORKER).status is Status.OPTIMAL) is passes
    off = SelectionModel(regions_pool.organisations, max_size=len(regions_pool))
    lit_off = off.model.new_bool_var("off")
    encode_rule(off, rule, lit_off)
    off.fix(ids)
    off.model.add(lit_off == 0)
    assert solve(off, ONE_WORKER).status is Status.OPTIMAL


def solver_score(pool: Pool, ids: list[str], call: Call) -> float:
    m = SelectionModel(pool.organisations, max_size=len(pool))
    objective = encode_objective(m, call.objective, call.link_weights())
    m.model.maximize(objective.expr)
    m.fix(ids)
    outcome = solve(m, ONE_WORKER)
    assert outcome.status is Status.OPTIMAL and outcome.objective is not None
    return outcome.objective / objective.scale


weights = st.builds(
    Objective,
    sector_links=st.sampled_from([0.0, 0.5, 1.0, 0.25]),
    needs_met=st.sampled_from([0.0, 1.0, 2.0]),
    countries=st.sampled_from([0.0, 1.0, 0.3]),
    development_mix=st.sampled_from([0.0, 1.0]),
    maturity_mix=st.sampled_from([0.0, 0.5]),
    size=st.sampled_from([-0.5, 0.0, 1.0]),
)


@settings(max_examples=60)
@given(pools(min_size=1, max_size=7), st.data(), weights)
def test_objective_equals_the_validator_on_fixed_members(
    pool: Pool, data: st.DataObject, objective: Objective
) -> None:
    """For any fixed set of members the encoded objective at its best is the validator's score."""
    ids = data.draw(
        st.lists(st.sampled_from([o.id for o in pool.organisations]), min_size=1, unique=True)
    )
    call = Call(id="t", title="t", objective=objective)
    expected = total(score_terms([pool.by_id[i] for i in ids], objective, call.link_weights()))
    assert solver_score(pool, ids, call) == pytest.approx(expected)


@settings(max_examples=30)
@given(pools(min_size=2, max_size=6), st.data())
def test_weighted_sector_links_equal_the_validator(pool: Pool, data: st.DataObject) -> None:
    """With a link matrix, the sector-level encoding still matches the member-pair definition."""
    sectors = sorted({s for o in pool.organisations for s in o.sectors})
    links = tuple(
        SectorLink(a=a, b=b, weight=data.draw(st.sampled_from([0.0, 0.2, 0.75, 1.0])))
        for i, a in enumerate(sectors)
        for b in sectors[i + 1 :]
    )
    call = Call(id="t", title="t", sector_links=links)
    ids = [o.id for o in pool.organisations]
    expected = total(score_terms(list(pool.organisations), call.objective, call.link_weights()))
    assert solver_score(pool, ids, call) == pytest.approx(expected)
