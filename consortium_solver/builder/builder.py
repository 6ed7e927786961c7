"""The consortium builder: the call's rules and the user's demands compiled to CP-SAT, the best
consortia found (and proven), decoded, and judged again by the independent validator.

Every consortium returned has passed :func:`consortium_solver.validate.check` with the call's rules
and the user's own; the scores reported are the validator's. A disagreement between the solver's
objective and the validator's score raises :class:`InternalError`: it is always a bug.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence

from consortium_solver.builder.demands import Demands, consortium_rules, eligible_candidates
from consortium_solver.builder.explanations import explain
from consortium_solver.builder.heuristic import local_search
from consortium_solver.builder.options import BuildOptions
from consortium_solver.core.clock import Clock, interrupted
from consortium_solver.core.errors import InternalError
from consortium_solver.domain import (
    BuildResult,
    Conflict,
    Consortium,
    Pool,
    Progress,
    Status,
)
from consortium_solver.encode import (
    Outcome,
    ScaledObjective,
    SelectionModel,
    SolveLimits,
    encode_objective,
    encode_rule,
    exclude_solution,
    minimal_conflict,
    solve,
)
from consortium_solver.rules import AnyRule, Call, Problem, Size
from consortium_solver.validate import check

log = logging.getLogger(__name__)

# Perturbation rounds of the primal heuristic in deterministic mode (instead of a time budget).
DETERMINISTIC_ROUNDS = 60
# The build's clock in deterministic mode counts CP-SAT's deterministic time (Clock.spend), in
# steps of a millisecond.
CPSAT_STEPS_PER_SECOND = 1000


def build(
    pool: Pool,
    call: Call,
    demands: Demands | None = None,
    options: BuildOptions | None = None,
    *,
    progress: Progress | None = None,
) -> BuildResult:
    """The best consortium (or the ``top`` best distinct ones) of the pool for the call;
    ``progress`` is told the best score and bound on the way.

    Returns a :class:`BuildResult` with status optimal (proven), feasible (found, not proven),
    infeasible (with ``conflict``: a minimal set of conflicting rules in words) or unknown (nothing
    found in time).

    Raises:
        OptionError: a demanded id is not in the pool (the models refuse impossible sizes).
        InternalError: the validator rejects a solver output, or scores it differently.
    """
    demands = demands or Demands()
    options = options or BuildOptions()
    demands.check_ids(pool)
    return _Builder(pool, call, demands, options, progress).run()


class _Builder:
    """One build: the rules, the candidates and the clock, and the steps from model to result."""

    def __init__(
        self,
        pool: Pool,
        call: Call,
        demands: Demands,
        options: BuildOptions,
        progress: Progress | None,
    ) -> None:
        # One clock for every solve: wall-clock seconds, or CP-SAT's deterministic time (each
        # solve's is counted against it), so that --top K spends one budget, not K.
        self.clock = options.clock(rate=CPSAT_STEPS_PER_SECOND, task="build")
        self.pool, self.call, self.demands, self.options = pool, call, demands, options
        self.progress = progress
        self.user_rules = demands.rules(call)
        self.rules: list[AnyRule] = [*call.rules, *self.user_rules]
        self.candidates = eligible_candidates(pool, call, demands)
        sizes = [r for r in self.rules if isinstance(r, Size)]
        self.min_size = max([1] + [r.min for r in sizes])
        self.max_size = min([len(self.candidates)] + [r.max for r in sizes if r.max is not None])

    def run(self) -> BuildResult:
        ids = {org.id for org in self.candidates}
        if self.max_size < 1 or any(i not in ids for i in self.demands.required()):
            return self.infeasible()
        problem = Problem(
            self.candidates,
            consortium_rules(self.call, self.demands),
            self.call.objective,
            self.call.link_weights(),
            min_size=self.min_size,
            max_size=self.max_size,
        )
        log.info(
            "build: %d candidates, %d rules, consortia of %d..%d",
            len(problem.candidates), len(problem.rules), problem.min_size, problem.max_size,
        )  # fmt: skip
        m = SelectionModel(problem.candidates, max_size=problem.max_size)
        for rule in problem.rules:
            encode_rule(m, rule)
        objective = encode_objective(m, problem.objective, problem.links)
        m.model.maximize(objective.expr)
        start_with = local_search(
            problem,
            fixed=self.demands.required(),
            seed=self.options.seed,
            clock=self._heuristic_clock(),
        )
        if start_with is not None:
            m.hint(start_with)
        return self.top_k(m, objective)

    def top_k(self, m: SelectionModel, objective: ScaledObjective) -> BuildResult:
        """The ``top`` best consortia, each next one differing from the earlier ones."""
        found: list[Consortium] = []
        statuses: list[Status] = []
        bound: float | None = None
        for k in range(self.options.top):
            if interrupted():
                break
            progress = self.progress
            scaled = _scaled(progress, objective.scale, self.clock) if progress else None
            outcome = solve(m, self.remaining(), scaled)
            self.clock.spend(outcome.deterministic_time)
            log.info("build: consortium %d: %s", k + 1, outcome.status.value)
            if outcome.members is None:
                if k == 0 and outcome.status is Status.INFEASIBLE:
                    return self.infeasible()
                if k == 0:
                    return self.result(outcome.status, bound=_unscale(outcome.bound, objective))
                if outcome.status is not Status.INFEASIBLE:
                    statuses.append(outcome.status)  # ran out of time looking for the next one
                break
            found.append(self.validated(outcome, objective))
            statuses.append(outcome.status)
            if k == 0:
                bound = _unscale(outcome.bound, objective)
            exclude_solution(m, outcome.members, self.options.differ_by)
        if not found:  # interrupted before the first solve
            return self.result(Status.UNKNOWN)
        if interrupted() and len(found) < self.options.top:
            statuses.append(Status.FEASIBLE)  # the rest of the top-k was not searched
        proven = all(s is Status.OPTIMAL for s in statuses)
        found.sort(key=lambda c: -c.score)
        return self.result(Status.OPTIMAL if proven else Status.FEASIBLE, found, bound=bound)

    def infeasible(self) -> BuildResult:
        """No consortium exists: name a minimal set of conflicting rules, within the time left."""
        core = minimal_conflict(self.pool.organisations, self.rules, self.remaining())
        return self.result(Status.INFEASIBLE, conflict=explain(self.pool, self.rules, core))

    def result(
        self,
        status: Status,
        consortia: Sequence[Consortium] = (),
        *,
        bound: float | None = None,
        conflict: Sequence[Conflict] | None = None,
    ) -> BuildResult:
        return BuildResult(
            call=self.call.id,
            pool=self.pool.name,
            status=status,
            objective=consortia[0].score if consortia else None,
            bound=bound,
            wall_time_s=round(self.clock.elapsed(), 3),
            seed=self.options.seed,
            workers=self.options.threads,
            consortia=tuple(consortia),
            conflict=None if conflict is None else tuple(conflict),
            interrupted=interrupted(),
        )

    def validated(self, outcome: Outcome, objective: ScaledObjective) -> Consortium:
        """Judge a solver output with the validator; any disagreement is an internal error."""
        assert outcome.members is not None and outcome.objective is not None
        members = _ordered(outcome.members, self.demands.lead)
        assessment = check(self.pool, self.call, members, extra_rules=self.user_rules)
        if not assessment.eligible:
            failed = ", ".join(f"{v.rule} ({v.why})" for v in assessment.failed)
            raise InternalError(f"the solver returned a consortium the validator rejects: {failed}")
        solver_score = outcome.objective / objective.scale
        tolerance = 1e-6 * max(1.0, abs(assessment.score)) * (1 if objective.exact else 1000)
        # Presence variables are linked one way, so a mere incumbent may under-count; at a proven
        # optimum the two must agree exactly.
        too_low = assessment.score < solver_score - tolerance
        off = abs(assessment.score - solver_score) > tolerance
        if too_low or (outcome.status is Status.OPTIMAL and off):
            raise InternalError(
                f"solver objective {solver_score} but validator score {assessment.score}"
                f" for {', '.join(members)}"
            )
        return Consortium(
            members=tuple(members), score=assessment.score, breakdown=assessment.breakdown
        )

    def remaining(self) -> SolveLimits:
        """What is left of the limits for the whole build: wall-clock seconds, or the deterministic
        time not yet spent by earlier solves."""
        return SolveLimits.within(self.clock, self.options.workers, self.options.seed)

    def _heuristic_clock(self) -> Clock:
        """The primal heuristic's budget: a share of the limit, more for larger pools, at most
        1 s; in deterministic mode a fixed number of perturbation rounds."""
        if self.options.deterministic:
            return Clock(DETERMINISTIC_ROUNDS, deterministic=True, rate=1)
        budget = min(1.0, 0.3 + len(self.candidates) / 10_000, 0.25 * self.options.time_limit)
        return Clock(budget)


def _ordered(members: list[str], lead: str | None) -> list[str]:
    if lead is None or lead not in members:
        return members
    return [lead, *(m for m in members if m != lead)]


def _unscale(value: float | None, objective: ScaledObjective) -> float | None:
    if value is None or math.isinf(value):
        return None
    return value / objective.scale


def _scaled(progress: Progress, scale: int, clock: Clock) -> Progress:
    """``progress`` told in score units and in seconds of the whole build (a solve's own times
    start at that solve)."""
    offset = clock.elapsed()

    def report(elapsed: float, best: float | None, bound: float | None) -> None:
        progress(
            offset + elapsed,
            None if best is None else best / scale,
            None if bound is None else bound / scale,
        )

    return report
