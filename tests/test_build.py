"""The builder: optimality and infeasibility against brute force through the validator, top-k,
the user's demands, determinism, and explanations that name the right rules."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consortium_solver import read_pool
from consortium_solver.builder import BuildOptions, Demands, build
from consortium_solver.core.errors import InputError
from consortium_solver.core.options import OptionError
from consortium_solver.domain import BuildResult, Organisation, Pool, Status
from consortium_solver.rules import AnyRule, Call, MaxPerValue, MinDistinct
from consortium_solver.synthetic.pools import generate_pool
from consortium_solver.testing import pools
from consortium_solver.validate import check, check_rule

FAST = BuildOptions(time_limit=20, deterministic=True)  # a failing drawn example replays


def brute_force(pool: Pool, call: Call, demands: Demands) -> list[tuple[float, tuple[str, ...]]]:
    """Every eligible consortium with its validator score, best first."""
    rules = demands.rules(call)
    ids = [o.id for o in pool.organisations]
    low, high = demands.size or (call.search.min_size, call.search.max_size)
    found = []
    for k in range(low, min(high, len(ids)) + 1):
        for combo in itertools.combinations(ids, k):
            assessment = check(pool, call, combo, extra_rules=rules)
            if assessment.eligible:
                found.append((assessment.score, combo))
    return sorted(found, key=lambda f: -f[0])


def assert_valid(pool: Pool, call: Call, demands: Demands, members: tuple[str, ...]) -> None:
    assert check(pool, call, members, extra_rules=demands.rules(call)).eligible


@settings(max_examples=40)
@given(pools(min_size=3, max_size=12), st.sampled_from([(3, 4), (3, 6), (2, 3)]))
def test_optimum_equals_brute_force(call_2018: Call, pool: Pool, size: tuple[int, int]) -> None:
    """On small pools the proven optimum is brute force's best; infeasible exactly when it finds
    nothing; every answer passes the validator."""
    demands = Demands(size=size)
    result = build(pool, call_2018, demands, FAST)
    best = brute_force(pool, call_2018, demands)
    if not best:
        assert result.status is Status.INFEASIBLE
        assert result.conflict
        return
    assert result.status is Status.OPTIMAL
    (consortium,) = result.consortia
    assert_valid(pool, call_2018, demands, consortium.members)
    assert consortium.score == pytest.approx(best[0][0])
    assert result.objective == pytest.approx(best[0][0])


@settings(max_examples=20)
@given(pools(min_size=4, max_size=9), st.integers(1, 2))
def test_top_k_against_brute_force(call_2018: Call, pool: Pool, differ_by: int) -> None:
    """--top lists distinct consortia in non-increasing score, each the best one not yet excluded
    by the earlier ones (checked against brute force)."""
    demands = Demands(size=(3, 4))
    result = build(
        pool,
        call_2018,
        demands,
        BuildOptions(time_limit=20, deterministic=True, top=3, differ_by=differ_by),
    )
    everything = brute_force(pool, call_2018, demands)
    listed: list[tuple[str, ...]] = []
    for consortium in result.consortia:
        assert_valid(pool, call_2018, demands, consortium.members)
        allowed = [
            (score, combo)
            for score, combo in everything
            if all(len(set(combo) - set(earlier)) >= differ_by for earlier in listed)
        ]
        assert allowed and consortium.score == pytest.approx(allowed[0][0])
        assert all(len(set(consortium.members) - set(e)) >= differ_by for e in listed)
        listed.append(consortium.members)
    scores = [c.score for c in result.consortia]
    assert scores == sorted(scores, reverse=True)
    if len(result.consortia) < 3:  # fewer only when no further consortium exists
        assert not [
            c for _, c in everything if all(len(set(c) - set(e)) >= differ_by for e in listed)
        ]


def test_demands_are_honoured(call_2018: Call) -> None:
    """The lead comes first, included members are in, excluded ones are out, the size holds."""
    pool = generate_pool(150, seed=21)
    first = build(pool, call_2018, options=FAST).consortia[0]
    out = first.members[0]
    lead = next(o.id for o in pool.organisations if o.id not in first.members and _eligible(o))
    demands = Demands(lead=lead, include=(first.members[1],), exclude=(out,), size=(4, 5))
    result = build(pool, call_2018, demands, FAST)
    (consortium,) = result.consortia
    assert consortium.members[0] == lead
    assert first.members[1] in consortium.members and out not in consortium.members
    assert 4 <= len(consortium.members) <= 5
    assert_valid(pool, call_2018, demands, consortium.members)


def _eligible(org: Organisation) -> bool:
    return (
        org.organisation_type.value != "other"
        and org.eccp_status.value != "none"
        and (org.country not in {"CH", "NO", "IL", "US"})
    )


def test_deterministic_mode_repeats_itself(call_2018: Call) -> None:
    """Same input, seed and one worker in deterministic mode: the same consortium."""
    pool = generate_pool(120, seed=5)
    options = BuildOptions(time_limit=5.0, deterministic=True, workers=1, seed=7)
    a, b = build(pool, call_2018, options=options), build(pool, call_2018, options=options)
    assert a.consortia == b.consortia
    assert a.status == b.status


def test_unknown_demanded_id_is_bad_input(call_2018: Call) -> None:
    """An id the pool does not have is an input error naming the field (every one at once)."""
    pool = generate_pool(20, seed=1)
    with pytest.raises(InputError, match="field 'lead'") as caught:
        build(pool, call_2018, Demands(lead="org-0001", include=("nobody",)))
    assert isinstance(caught.value, OptionError)
    assert [p[:2] for p in caught.value.problems] == [("lead", "org-0001"), ("include", "nobody")]
    assert "did you mean 'org-001'?" in caught.value.problems[0][2]
    assert len(caught.value.lines()) == 2


# ---------------------------------------------------------------------------------- explanations


def rules_named(result: BuildResult) -> set[str]:
    assert result.status is Status.INFEASIBLE
    return {c.rule for c in result.conflict or ()}


def test_two_countries_name_the_country_rule(call_2018: Call) -> None:
    """A pool of German and French clusters: min-3-countries, with the two countries named."""
    pool = generate_pool(60, seed=2, ineligible_share=0.0, non_eu_share=0.0)
    two = Pool(
        name="two",
        organisations=tuple(o for o in pool.organisations if o.country in {"DE", "FR"}),
    )
    result = build(two, call_2018, options=FAST)
    assert rules_named(result) == {"min-3-countries"}
    (conflict,) = result.conflict or ()
    assert "only 2 countries in the pool: DE, FR" in conflict.why


def test_no_lagging_region_names_the_category_rule(call_2018: Call, regions_pool: Pool) -> None:
    """Only more developed regions and unclassified ones: lagging-region is the conflict."""
    keep = {"toscana", "oberbayern", "idf", "ankara"}
    pool = Pool(
        name="rich", organisations=tuple(o for o in regions_pool.organisations if o.id in keep)
    )
    result = build(pool, call_2018, options=FAST)
    assert rules_named(result) == {"lagging-region"}
    assert (
        "no eligible organisation in a less developed or transition region"
        in (result.conflict or ())[0].why
        or "no organisation in a less developed or transition region"
        in (result.conflict or ())[0].why
    )


def test_including_an_ineligible_member_names_both_rules(
    call_2018: Call, regions_pool: Pool
) -> None:
    """Including the Swiss cluster conflicts with the COSME country filter."""
    result = build(regions_pool, call_2018, Demands(include=("bern",)), FAST)
    assert rules_named(result) == {"cosme-country", "user:include:bern"}
    assert any("bern (CH)" in c.why for c in result.conflict or ())


def test_size_below_the_calls_minimum(call_2018: Call, regions_pool: Pool) -> None:
    """--size 2..2 against the call's three members."""
    result = build(regions_pool, call_2018, Demands(size=(2, 2)), FAST)
    assert rules_named(result) == {"min-3-members", "user:size"}


def satisfiable(pool: Pool, rules: list[AnyRule]) -> bool:
    """Whether some non-empty set of organisations meets every rule (brute force)."""
    orgs = list(pool.organisations)
    return any(
        all(check_rule(rule, list(combo)).passed for rule in rules)
        for k in range(1, len(orgs) + 1)
        for combo in itertools.combinations(orgs, k)
    )


def test_conflict_is_minimal(call_2018: Call, regions_pool: Pool) -> None:
    """The named rules cannot hold together, and dropping any one of them makes the rest hold."""
    call = call_2018.model_copy(
        update={
            "rules": (
                *call_2018.rules,
                MaxPerValue(id="one-per-country", field="country", max=1),
                MinDistinct(id="five-countries", field="country", min=5),
            )
        }
    )
    keep = {"toscana", "severovychod", "zapadne", "oberbayern", "consultancy", "bern"}
    pool = Pool(
        name="small", organisations=tuple(o for o in regions_pool.organisations if o.id in keep)
    )
    result = build(pool, call, options=FAST)
    named = rules_named(result)
    every = {r.id: r for r in [*call.rules, *Demands().rules(call)]}
    conflict = [every[r] for r in named]
    assert not satisfiable(pool, conflict)
    for dropped in conflict:
        assert satisfiable(pool, [r for r in conflict if r is not dropped]), dropped.id


@pytest.mark.parametrize("time_limit", [0.5, 3.0])
def test_explanation_stays_within_the_builds_time_limit(
    call_2018: Call, monkeypatch: pytest.MonkeyPatch, time_limit: float
) -> None:
    """The user's --time-limit bounds the whole build, explanation included: every solve of the
    conflict search is given at most what is left of it (before the fix: 30 s each)."""
    from consortium_solver.encode import conflicts, runner

    given: list[float | None] = []
    configure = runner.configure

    def spy(solver: Any, limits: runner.SolveLimits) -> None:
        given.append(limits.time_limit)
        configure(solver, limits)

    monkeypatch.setattr(runner, "configure", spy)
    monkeypatch.setattr(conflicts, "configure", spy)
    two_countries_pool = read_pool(Path(__file__).parent / "data" / "ok" / "two_countries_pool.csv")
    result = build(two_countries_pool, call_2018, options=BuildOptions(time_limit=time_limit))
    assert result.status is Status.INFEASIBLE and result.conflict
    assert len(given) >= 2  # the build's solve, then the explanation's
    assert all(limit is not None and limit <= time_limit for limit in given)


def test_explanation_out_of_time_names_every_rule(call_2018: Call) -> None:
    """With no time left the conflict search cannot shrink the set: it answers with every rule
    (they do conflict), never with None, which would claim the rules can hold together."""
    from consortium_solver.encode import SolveLimits, minimal_conflict

    pool = read_pool(Path(__file__).parent / "data" / "ok" / "two_countries_pool.csv")
    rules = [*call_2018.rules, *Demands().rules(call_2018)]
    core = minimal_conflict(pool.organisations, rules, SolveLimits(time_limit=0.0))
    assert core == [rule.id for rule in rules]
    assert minimal_conflict(pool.organisations, rules, SolveLimits(time_limit=10.0)) == [
        "min-3-countries"
    ]
