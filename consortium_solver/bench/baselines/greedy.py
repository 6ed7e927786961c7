"""The greedy baseline of ``build``: the primal heuristic's construction and one local descent, no
restarts and no CP-SAT; its consortium judged by the validator like any other answer."""

from __future__ import annotations

from consortium_solver.builder import Demands, consortium_rules, eligible_candidates, local_search
from consortium_solver.core.clock import Clock
from consortium_solver.core.errors import InternalError
from consortium_solver.domain import Pool
from consortium_solver.rules import Call, Problem
from consortium_solver.validate import check


def greedy_build(pool: Pool, call: Call, demands: Demands, seed: int) -> float | None:
    """The score of the greedy consortium, or None when the greedy search finds none."""
    low, high = demands.size_range(call)
    problem = Problem(
        eligible_candidates(pool, call, demands),
        consortium_rules(call, demands),
        call.objective,
        call.link_weights(),
        min_size=low,
        max_size=high,
    )
    # A clock of no steps: the greedy construction and one descent, no perturbation.
    members = local_search(problem, seed=seed, clock=Clock(0, deterministic=True))
    if members is None:
        return None
    verdict = check(pool, call, members, extra_rules=demands.rules(call))
    if not verdict.eligible:
        raise InternalError("the greedy baseline returned a consortium the validator rejects")
    return verdict.score
