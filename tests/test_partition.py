"""The exact model of a small event (CP-SAT): its answer is always a schedule the validator
accepts, even when a later objective phase runs out of time."""

from __future__ import annotations

from typing import Any

import pytest

from consortium_solver import demo_pool, load_call
from consortium_solver.domain import Status
from consortium_solver.encode import event, runner
from consortium_solver.rules import MemberIn, Mode, Problem, Size
from consortium_solver.validate import check_grouping


@pytest.mark.parametrize(
    ("mode", "phases", "starved"), [("sum", 2, 2), ("min", 3, 2), ("min", 3, 3)]
)
def test_a_phase_out_of_time_keeps_the_last_solution(
    monkeypatch: pytest.MonkeyPatch, mode: Mode, phases: int, starved: int
) -> None:
    """A later phase given no time at all ends without a solution; the groups returned are those
    of the last phase that found one (before the fix they were read from the failed solve: members
    in several groups, groups over the size limit), and no later phase is tried."""
    configure = runner.configure
    solves = {"n": 0}

    def starve(solver: Any, limits: runner.SolveLimits) -> None:
        configure(solver, limits)
        solves["n"] += 1
        if solves["n"] == starved:
            solver.parameters.max_time_in_seconds = 0.0

    monkeypatch.setattr(event, "configure", starve)
    pool = demo_pool()
    call = load_call("COS-CLUSTER-2018-03-02")
    orgs = [o for o in pool.organisations[:40] if o.country != "CH"][:9]
    size = Size(id="user:size", min=3, max=5)
    rules = [r for r in call.rules if not isinstance(r, MemberIn)] + [size]
    problem = Problem(orgs, rules, call.objective, call.link_weights(), min_size=3, max_size=5)
    spec = event.EventSpec(problem=problem, caps=[[5, 5, 5]], absent=[frozenset()])
    outcome = event.event_exact(
        spec, mode=mode, limits=runner.SolveLimits(time_limit=10, workers=2, seed=0)
    )
    assert phases >= starved and solves["n"] == starved
    assert outcome.status is Status.FEASIBLE  # a phase was cut short: nothing is proven
    assert outcome.rounds is not None
    groups = [[orgs[i].id for i in g] for g in outcome.rounds[0] if g]
    assert groups
    verdict = check_grouping(pool, call, [groups], extra_rules=[size])
    assert verdict.valid, verdict.problems
    placed = [m for g in groups for m in g]
    unplaced = [orgs[i].id for i in outcome.unplaced[0]]
    assert sorted(placed + unplaced) == sorted(o.id for o in orgs)
