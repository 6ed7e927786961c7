"""The consortium builder: the call's rules and the user's demands compiled to CP-SAT, the best
consortia found (and proven), decoded, and judged again by the independent validator.

Every consortium returned has passed :func:`consortium_solver.check.check` with the call's rules and
the user's own; the scores reported are the validator's. A disagreement between the solver's objective
and the validator's score raises :class:`InternalError`: it is always a bug.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from consortium_solver.calls import Call, Exclude, Include, MemberIn, Size, passes_filters
from consortium_solver.check import check
from consortium_solver.domain import (
    Conflict,
    Consortium,
    Organisation,
    Pool,
    Result,
    Status,
)
from consortium_solver.encode import (
    SelectionModel,
    SolveLimits,
    encode_objective,
    encode_rule,
    exclude_solution,
    minimal_conflict,
    solve,
)
from consortium_solver.errors import InputError, InternalError
from consortium_solver.heuristic import local_search

# Perturbation rounds of the primal heuristic in deterministic mode (instead of a time budget).
DETERMINISTIC_ROUNDS = 60

# progress(elapsed seconds, best score or None, best bound or None), in score units.
Progress = Callable[[float, float | None, float | None], None]


@dataclass(frozen=True)
class Demands:
    """What the user asks for beyond the call: a lead, members in or out, a size range."""

    lead: str | None = None
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    size: tuple[int, int] | None = None

    def rules(self, call: Call) -> list[Any]:
        """The demands as rules with ids (``user:lead:<id>``, ``user:include:<id>``, …).

        The size range is always a rule (``user:size``): the user's ``--size`` or the call model's
        default search range, so that an explanation can name it.
        """
        low, high = self.size or (call.search.min_size, call.search.max_size)
        out: list[Any] = [
            Size(id="user:size", min=low, max=high, text=f"between {low} and {high} members")
        ]
        if self.lead is not None:
            out.append(
                Include(
                    id=f"user:lead:{self.lead}", members=(self.lead,), text=f"{self.lead} leads"
                )
            )
        for org_id in self.include:
            if org_id != self.lead:
                out.append(Include(id=f"user:include:{org_id}", members=(org_id,)))
        for org_id in self.exclude:
            out.append(Exclude(id=f"user:exclude:{org_id}", members=(org_id,)))
        return out

    def check_ids(self, pool: Pool) -> None:
        for option, ids in (
            ("--lead", (self.lead,) if self.lead else ()),
            ("--include", self.include),
            ("--exclude", self.exclude),
        ):
            for org_id in ids:
                pool.require(org_id, option)
        if self.size is not None:
            low, high = self.size
            if low < 1 or low > high:
                raise InputError(
                    "expected A..B with 1 <= A <= B", field="--size", value=f"{low}..{high}"
                )


@dataclass
class BuildOptions:
    """How the search runs. ``deterministic_time`` replaces the wall-clock limit when set."""

    top: int = 1
    differ_by: int = 1
    time_limit: float | None = 60.0
    deterministic_time: float | None = None
    seed: int = 0
    workers: int = 2
    progress: Progress | None = field(default=None, repr=False)


def consortium_rules(call: Call, demands: Demands) -> list[Any]:
    """The call's and the user's rules on a consortium as a whole; member filters and exclusions
    are applied by filtering the candidates instead (:func:`eligible_candidates`)."""
    return [
        r for r in (*call.rules, *demands.rules(call)) if not isinstance(r, (MemberIn, Exclude))
    ]


def eligible_candidates(pool: Pool, call: Call, demands: Demands) -> list[Organisation]:
    """Organisations passing every member filter of the call and not excluded by the user."""
    excluded = set(demands.exclude)
    return [
        org
        for org in pool.organisations
        if org.id not in excluded and passes_filters(org, call.rules)
    ]


def build(
    pool: Pool,
    call: Call,
    demands: Demands | None = None,
    options: BuildOptions | None = None,
) -> Result:
    """The best consortium (or the ``top`` best distinct ones) of the pool for the call.

    Returns a :class:`Result` with status optimal (proven), feasible (found, not proven), infeasible
    (with ``conflict``: a minimal set of conflicting rules in words) or unknown (nothing found in time).

    Raises:
        InputError: a demanded id is not in the pool, or the size range is impossible.
        InternalError: the validator rejects a solver output, or scores it differently.
    """
    demands = demands or Demands()
    options = options or BuildOptions()
    if options.top < 1 or options.differ_by < 1:
        raise InputError("--top and --differ-by must be at least 1")
    demands.check_ids(pool)
    start = time.perf_counter()
    user_rules = demands.rules(call)
    rules = [*call.rules, *user_rules]
    candidates = eligible_candidates(pool, call, demands)

    def result(status: Status, consortia: Sequence[Consortium] = (), **extra: Any) -> Result:
        return Result(
            call=call.id,
            pool=pool.name,
            status=status,
            objective=consortia[0].score if consortia else None,
            wall_time_s=round(time.perf_counter() - start, 3),
            seed=options.seed,
            workers=options.workers,
            consortia=tuple(consortia),
            **{"bound": None, **extra},
        )

    max_size = min(
        [len(candidates)] + [r.max for r in rules if isinstance(r, Size) and r.max is not None]
    )
    candidate_ids = {org.id for org in candidates}
    missing = [
        i for r in user_rules if isinstance(r, Include) for i in r.members if i not in candidate_ids
    ]
    if max_size < 1 or missing:
        conflict = explain_infeasible(pool, rules, _remaining(options, start))
        return result(Status.INFEASIBLE, conflict=conflict)

    m = SelectionModel(candidates, max_size=max_size)
    for rule in rules:
        if not isinstance(rule, (MemberIn, Exclude)):  # applied above by filtering the candidates
            encode_rule(m, rule)
    objective = encode_objective(m, call.objective, call.link_weights())
    m.model.maximize(objective.expr)
    low = max([1] + [r.min for r in rules if isinstance(r, Size)])
    start_with = local_search(
        candidates,
        [r for r in rules if not isinstance(r, (MemberIn, Exclude))],
        call.objective,
        call.link_weights(),
        min_size=low,
        max_size=max_size,
        fixed=[i for r in user_rules if isinstance(r, Include) for i in r.members],
        seed=options.seed,
        time_budget=_heuristic_budget(options, len(candidates)),
        rounds=DETERMINISTIC_ROUNDS if options.deterministic_time is not None else None,
    )
    if start_with is not None:
        m.hint(start_with)

    found: list[Consortium] = []
    statuses: list[Status] = []
    bound: float | None = None
    for k in range(options.top):
        limits = _remaining(options, start)
        progress = _scaled(options.progress, objective.scale, start) if options.progress else None
        outcome = solve(m, limits, progress)
        if outcome.members is None:
            if k == 0:
                if outcome.status is Status.INFEASIBLE:
                    conflict = explain_infeasible(pool, rules, _remaining(options, start))
                    return result(Status.INFEASIBLE, conflict=conflict)
                return result(outcome.status, bound=_unscale(outcome.bound, objective.scale))
            if outcome.status is not Status.INFEASIBLE:
                statuses.append(outcome.status)  # ran out of time looking for the next one
            break
        assert outcome.objective is not None
        members = _ordered(outcome.members, demands.lead)
        found.append(
            _validated(pool, call, user_rules, members, outcome, objective.scale, objective.exact)
        )
        statuses.append(outcome.status)
        if k == 0:
            bound = _unscale(outcome.bound, objective.scale)
        exclude_solution(m, outcome.members, options.differ_by)

    status = Status.OPTIMAL if all(s is Status.OPTIMAL for s in statuses) else Status.FEASIBLE
    found.sort(key=lambda c: -c.score)
    return result(status, found, bound=bound)


def _heuristic_budget(options: BuildOptions, n: int) -> float:
    """Time for the primal heuristic: a share of the limit, more for larger pools, at most 1 s."""
    budget = min(1.0, 0.3 + n / 10_000)
    if options.time_limit is not None:
        budget = min(budget, 0.25 * options.time_limit)
    return budget


def _ordered(members: list[str], lead: str | None) -> list[str]:
    if lead is None or lead not in members:
        return members
    return [lead, *(m for m in members if m != lead)]


def _validated(
    pool: Pool,
    call: Call,
    user_rules: list[Any],
    members: list[str],
    outcome: Any,
    scale: int,
    exact: bool,
) -> Consortium:
    """Judge a solver output with the validator; any disagreement is an internal error."""
    assessment = check(pool, call, members, extra_rules=user_rules)
    if not assessment.eligible:
        failed = ", ".join(f"{v.rule} ({v.why})" for v in assessment.failed)
        raise InternalError(f"the solver returned a consortium the validator rejects: {failed}")
    solver_score = outcome.objective / scale
    tolerance = 1e-6 * max(1.0, abs(assessment.score)) * (1 if exact else 1000)
    # Presence variables are linked one way, so a mere incumbent may under-count; at a proven
    # optimum the two must agree exactly.
    too_low = assessment.score < solver_score - tolerance
    mismatch = outcome.status is Status.OPTIMAL and abs(assessment.score - solver_score) > tolerance
    if too_low or mismatch:
        raise InternalError(
            f"solver objective {solver_score} but validator score {assessment.score}"
            f" for {', '.join(members)}"
        )
    return Consortium(
        members=tuple(members), score=assessment.score, breakdown=assessment.breakdown
    )


def _remaining(options: BuildOptions, start: float) -> SolveLimits:
    time_limit = None
    if options.time_limit is not None:
        time_limit = max(0.05, options.time_limit - (time.perf_counter() - start))
    return SolveLimits(
        time_limit=None if options.deterministic_time is not None else time_limit,
        deterministic_time=options.deterministic_time,
        workers=options.workers,
        seed=options.seed,
    )


def _unscale(value: float | None, scale: int) -> float | None:
    if value is None or math.isinf(value):
        return None
    return value / scale


def _scaled(progress: Progress, scale: int, start: float) -> Progress:
    offset = time.perf_counter() - start

    def report(elapsed: float, best: float | None, bound: float | None) -> None:
        progress(
            offset + elapsed,
            None if best is None else best / scale,
            None if bound is None else bound / scale,
        )

    return report


def explain_infeasible(
    pool: Pool, rules: Sequence[Any], limits: SolveLimits
) -> tuple[Conflict, ...]:
    """A minimal set of conflicting rules, each with the facts behind it (see explain.py), found
    within ``limits`` (what is left of the build's time limit)."""
    from consortium_solver.explain import explain

    return explain(pool, rules, minimal_conflict(pool.organisations, rules, limits))
