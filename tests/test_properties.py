"""Properties of everything the solvers output, on random pools *and random call models*
(``consortium_solver.testing``), judged by the validator and by brute force.

Example counts scale with the hypothesis profile (``tests/conftest.py``): ``ci`` runs a few hundred
derandomised examples in all, ``make soak`` (profile ``soak``) more than 10,000, and the session ends
with a line counting how many ran and passed.
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consortium_solver.builder import BuildOptions, build
from consortium_solver.domain import Organisation, Pool, Status
from consortium_solver.group import GroupOptions, group
from consortium_solver.rules import Call, Mode, Size
from consortium_solver.testing import calls, consortia, organisations, pools
from consortium_solver.validate import check, check_grouping
from tests.conftest import counted, scaled

# Deterministic limits throughout: a failing example replays exactly (hypothesis shrinks it).
OPTIONS = BuildOptions(time_limit=10, deterministic=True, workers=1, seed=1)


def size_rule(call: Call) -> Size:
    return Size(id="user:size", min=call.search.min_size, max=call.search.max_size)


def brute_force(pool: Pool, call: Call) -> float | None:
    """The best score of an eligible consortium within the call's search range, or None."""
    ids = [o.id for o in pool.organisations]
    extra = [size_rule(call)]
    best = None
    for k in range(call.search.min_size, min(call.search.max_size, len(ids)) + 1):
        for members in itertools.combinations(ids, k):
            verdict = check(pool, call, list(members), extra_rules=extra)
            if verdict.eligible and (best is None or verdict.score > best + 1e-9):
                best = verdict.score
    return best


def optimum(pool: Pool, call: Call) -> float | None:
    result = build(pool, call, options=OPTIONS)
    assert result.status in (Status.OPTIMAL, Status.INFEASIBLE), result.status
    return result.objective


@settings(max_examples=scaled(120))
@given(pool=pools(3, 14), call=calls())
@counted
def test_build_output_meets_the_rules_and_scores_what_it_claims(pool: Pool, call: Call) -> None:
    """Soundness: every consortium built passes the validator, with the validator's score equal to
    the one reported (and the objective)."""
    result = build(pool, call, options=OPTIONS)
    for consortium in result.consortia:
        verdict = check(pool, call, list(consortium.members), extra_rules=[size_rule(call)])
        assert verdict.eligible, [v.why for v in verdict.verdicts if not v.passed]
        assert verdict.score == pytest.approx(consortium.score, abs=1e-6)
    if result.consortia:
        assert result.objective is not None
        assert result.objective == pytest.approx(result.consortia[0].score, abs=1e-6)
        if result.bound is not None:
            assert result.bound >= result.objective - 1e-6


@settings(max_examples=scaled(150))
@given(pool=pools(1, 8), call=calls())
@counted
def test_build_is_exact_on_small_pools(pool: Pool, call: Call) -> None:
    """Exactness: the optimum equals brute force, and infeasible exactly when brute force finds
    nothing."""
    best = brute_force(pool, call)
    result = build(pool, call, options=OPTIONS)
    if best is None:
        assert result.status is Status.INFEASIBLE and not result.consortia
        assert result.conflict, "an infeasible answer names the rules in conflict"
    else:
        assert result.status is Status.OPTIMAL
        assert result.objective == pytest.approx(best, abs=1e-6)


@settings(max_examples=scaled(60))
@given(pool=pools(2, 9), call=calls(), data=st.data())
@counted
def test_renaming_and_reordering_keep_the_optimum(
    pool: Pool, call: Call, data: st.DataObject
) -> None:
    """Metamorphic: new ids and another order of the pool give the same optimal score."""
    order = data.draw(st.permutations(range(len(pool))))
    renamed = Pool(
        name="renamed",
        organisations=tuple(
            pool.organisations[i].model_copy(update={"id": f"x{k}-{pool.organisations[i].id}"})
            for k, i in enumerate(order)
        ),
    )
    before, after = optimum(pool, call), optimum(renamed, call)
    assert (before is None) == (after is None)
    if before is not None and after is not None:
        assert after == pytest.approx(before, abs=1e-6)


def with_member(pool: Pool, org: Organisation) -> Pool:
    return Pool(name=pool.name, organisations=(*pool.organisations, org))


@settings(max_examples=scaled(60))
@given(
    pool=pools(2, 9),
    call=calls(member_filters=True),
    newcomer=organisations("newcomer", eligible=False),
)
@counted
def test_an_ineligible_newcomer_changes_nothing(
    pool: Pool, call: Call, newcomer: Organisation
) -> None:
    """Metamorphic: adding an organisation that fails a member filter leaves the optimum as is."""
    before, after = optimum(pool, call), optimum(with_member(pool, newcomer), call)
    assert (before is None) == (after is None)
    if before is not None and after is not None:
        assert after == pytest.approx(before, abs=1e-6)


@settings(max_examples=scaled(60))
@given(
    pool=pools(2, 9),
    call=calls(member_filters=True),
    newcomer=organisations("newcomer", eligible=True),
)
@counted
def test_an_eligible_newcomer_never_lowers_the_optimum(
    pool: Pool, call: Call, newcomer: Organisation
) -> None:
    """Metamorphic: one more eligible organisation can only add consortia."""
    before, after = optimum(pool, call), optimum(with_member(pool, newcomer), call)
    if before is not None:
        assert after is not None and after >= before - 1e-6


@settings(max_examples=scaled(50))
@given(pool=pools(4, 24), call=calls(max_size=5), objective=st.sampled_from(("sum", "min")))
@counted
def test_group_output_meets_the_rules(pool: Pool, call: Call, objective: Mode) -> None:
    """Soundness: every group of a grouping passes the validator, nobody is placed twice, and the
    reported objective is the validator's."""
    options = GroupOptions(
        size=(3, 5), objective=objective, time_limit=0.5, deterministic=True, seed=1, workers=1
    )
    result = group(pool, call, options)
    rounds = [[c.members for c in result.consortia]]
    verdict = check_grouping(pool, call, rounds, extra_rules=[Size(id="s", min=3, max=5)])
    assert verdict.valid, verdict.problems
    scores = [c.score for c in result.consortia]
    if scores:
        expected = sum(scores) if objective == "sum" else min(scores)
        assert result.objective == pytest.approx(expected, abs=1e-6)
    placed = [m for c in result.consortia for m in c.members]
    assert sorted(placed + list(result.unassigned or ())) == sorted(
        o.id for o in pool.organisations
    )


@settings(max_examples=scaled(40))
@given(
    pool=pools(4, 22),
    call=calls(max_size=5),
    size=st.sampled_from(((3, 3), (4, 4), (3, 5), (2, 4))),
    n_rounds=st.integers(2, 4),
    allow_repeats=st.booleans(),
    objective=st.sampled_from(("sum", "min")),
    data=st.data(),
)
@counted
def test_rounds_meet_the_rules_and_never_repeat_a_pair(
    pool: Pool,
    call: Call,
    size: tuple[int, int],
    n_rounds: int,
    allow_repeats: bool,
    objective: Mode,
    data: st.DataObject,
) -> None:
    """Soundness over several rounds (with members left out when the sizes do not divide the pool):
    every group of every round passes the validator, nobody is placed twice in a round, together
    and apart pairs are honoured, and no pair meets twice unless repeats are allowed; no schedule at
    all comes with the reason."""
    ids = [o.id for o in pool.organisations]
    a, b, c, d = data.draw(st.permutations(ids))[:4]
    together = [(a, b)] if data.draw(st.booleans()) else []
    apart = [(c, d)] if data.draw(st.booleans()) else []
    options = GroupOptions(
        size=size,
        rounds=n_rounds,
        allow_repeats=allow_repeats,
        objective=objective,
        together=together,
        apart=apart,
        time_limit=0.4,
        deterministic=True,
        seed=2,
        workers=1,
    )
    result = group(pool, call, options)
    if not result.rounds:
        assert result.note and not result.consortia
        return
    assert len(result.rounds) == n_rounds
    rounds = [[c.members for c in groups] for groups in result.rounds]
    verdict = check_grouping(
        pool,
        call,
        rounds,
        extra_rules=[Size(id="s", min=size[0], max=size[1])],
        together=together,
        apart=apart,
        allow_repeats=allow_repeats or bool(result.repeated_pairs),
    )
    assert verdict.valid, verdict.problems
    # No schedule without repeats in time: the best one is given, its repeated pairs exactly listed.
    assert list(result.repeated_pairs) == ([] if allow_repeats else verdict.repeated)
    assert not result.repeated_pairs or (result.note and result.status.value == "unknown")


@settings(max_examples=scaled(30))
@given(pool=pools(3, 12), call=calls())
@counted
def test_deterministic_mode_repeats_itself(pool: Pool, call: Call) -> None:
    """Determinism: the same input, seed and workers give the same answer in deterministic mode."""
    options = BuildOptions(time_limit=5.0, deterministic=True, workers=1, seed=3)
    first, second = build(pool, call, options=options), build(pool, call, options=options)
    assert first.status == second.status
    assert [c.members for c in first.consortia] == [c.members for c in second.consortia]
    assert first.objective == second.objective


@settings(max_examples=scaled(60))
@given(pool=pools(1, 10), call=calls(), data=st.data())
@counted
def test_a_drawn_consortium_is_judged_the_same_in_any_order(
    pool: Pool, call: Call, data: st.DataObject
) -> None:
    """consortia(pool) draws member lists; the verdict and score do not depend on their order."""
    members = data.draw(consortia(pool))
    shuffled = data.draw(st.permutations(members))
    a, b = check(pool, call, list(members)), check(pool, call, list(shuffled))
    assert a.eligible == b.eligible
    assert [v.passed for v in a.verdicts] == [v.passed for v in b.verdicts]
    assert a.score == pytest.approx(b.score, abs=1e-9)
