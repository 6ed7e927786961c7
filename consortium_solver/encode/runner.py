"""Running CP-SAT: limits, seed and workers, live progress, status mapping, and unsat cores."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ortools.sat.python import cp_model

from consortium_solver.domain import Organisation, Status
from consortium_solver.encode.model import SelectionModel
from consortium_solver.encode.rules import encode_rule

# progress(elapsed seconds, best objective or None, best bound or None), in the solver's units.
Progress = Callable[[float, float | None, float | None], None]

STATUS = {
    cp_model.OPTIMAL: Status.OPTIMAL,
    cp_model.FEASIBLE: Status.FEASIBLE,
    cp_model.INFEASIBLE: Status.INFEASIBLE,
    cp_model.UNKNOWN: Status.UNKNOWN,
}


@dataclass(frozen=True)
class SolveLimits:
    """How long and how CP-SAT searches.

    ``time_limit`` is wall-clock seconds; ``deterministic_time`` is CP-SAT's deterministic time, which
    makes runs repeatable for the same input, seed and workers (DESIGN §6).
    """

    time_limit: float | None = None
    deterministic_time: float | None = None
    workers: int = 2
    seed: int = 0


@dataclass(frozen=True)
class Outcome:
    """What one solve found, in the solver's integer units."""

    status: Status
    members: list[str] | None
    objective: float | None
    bound: float | None
    wall_time: float


def configure(solver: cp_model.CpSolver, limits: SolveLimits) -> None:
    params = solver.parameters
    params.num_workers = limits.workers
    params.random_seed = limits.seed
    if limits.time_limit is not None:
        params.max_time_in_seconds = max(limits.time_limit, 0.0)
    if limits.deterministic_time is not None:
        params.max_deterministic_time = limits.deterministic_time
    if limits.workers >= 2:
        # With 2 workers CP-SAT runs one full subsolver beside LNS helpers; max_lp (the LP with
        # every constraint linearised) proves our models optimal where default_lp's bound stays
        # far off (benchmarks/README.md, "build: CP-SAT parameters").
        params.subsolvers.append("max_lp")
    else:
        params.linearization_level = 2
    # Probing in presolve costs about a second on pools of thousands and did not pay for
    # itself (benchmarks/README.md).
    params.cp_model_probing_level = 0


class _Watcher(cp_model.CpSolverSolutionCallback):
    def __init__(self, progress: Progress, start: float) -> None:
        super().__init__()
        self.progress = progress
        self.start = start

    def on_solution_callback(self) -> None:
        self.progress(
            time.perf_counter() - self.start, self.objective_value, self.best_objective_bound
        )


def solve(m: SelectionModel, limits: SolveLimits, progress: Progress | None = None) -> Outcome:
    """Solve the model (with or without an objective) and decode the members."""
    solver = cp_model.CpSolver()
    configure(solver, limits)
    start = time.perf_counter()
    watcher = _Watcher(progress, start) if progress is not None else None
    if progress is not None:
        solver.best_bound_callback = lambda bound: progress(
            time.perf_counter() - start, None, bound
        )
    status = solver.solve(m.model, watcher)
    if status == cp_model.MODEL_INVALID:  # a bug in the encoder, never the user's fault
        raise RuntimeError(f"CP-SAT rejected the model: {m.model.validate()}")
    mapped = STATUS[status]
    found = mapped in (Status.OPTIMAL, Status.FEASIBLE)
    has_objective = m.model.has_objective()
    return Outcome(
        status=mapped,
        members=m.extract(solver) if found else None,
        objective=solver.objective_value if found and has_objective else None,
        bound=solver.best_objective_bound
        if has_objective and mapped is not Status.INFEASIBLE
        else None,
        wall_time=solver.wall_time,
    )


def exclude_solution(m: SelectionModel, previous: Sequence[str], differ_by: int) -> None:
    """Later solutions must have at least ``differ_by`` members outside ``previous``."""
    outside = [x for org_id, x in m.x.items() if org_id not in set(previous)]
    m.model.add(cp_model.LinearExpr.sum(outside) >= differ_by)


def minimal_conflict(
    orgs: Sequence[Organisation], rules: Sequence[Any], limits: SolveLimits
) -> list[str] | None:
    """A minimal set of rule ids that cannot hold together, or None if all rules can.

    One assumption literal per rule, a model without objective (CP-SAT does not minimise cores of
    models with an objective), one worker (assumptions are not compatible with parallel search), then
    deletion: drop each rule of the core in turn and keep it only if the rest becomes feasible.

    ``limits`` bound the whole explanation: its time limit is shared by every solve (each gets what
    is left until the deadline), and so is its deterministic time. When time runs out the set found
    so far is returned: its rules still conflict (call this only for rules known to conflict), but it
    may not be minimal; when even the first solve is cut short, that set is every rule.
    """
    m = SelectionModel(orgs, max_size=len(orgs))
    literal = {}
    for rule in rules:
        lit = m.model.new_bool_var(f"a[{rule.id}]")
        literal[rule.id] = lit
        encode_rule(m, rule, lit)
    by_index = {lit.index: rule_id for rule_id, lit in literal.items()}
    budget = _Budget(limits)

    def core_of(active: list[str]) -> tuple[Status, list[str]]:
        m.model.clear_assumptions()
        m.model.add_assumptions([literal[r] for r in active])
        solver = cp_model.CpSolver()
        configure(solver, budget.next_solve())
        status = STATUS[solver.solve(m.model)]
        budget.spent(solver.deterministic_time)
        if status is not Status.INFEASIBLE:
            return status, active
        core = {by_index[i] for i in solver.sufficient_assumptions_for_infeasibility()}
        return status, [r for r in active if r in core]

    status, core = core_of([rule.id for rule in rules])
    if status in (Status.OPTIMAL, Status.FEASIBLE):
        return None
    if status is not Status.INFEASIBLE:
        return core  # out of time: every rule
    for rule_id in list(core):
        if rule_id not in core:
            continue
        if budget.exhausted():
            break
        status, smaller = core_of([r for r in core if r != rule_id])
        if status is Status.INFEASIBLE:
            core = smaller
    return core


class _Budget:
    """What is left of an explanation's limits, handed out solve by solve."""

    def __init__(self, limits: SolveLimits) -> None:
        self.limits = limits
        self.deadline = (
            None if limits.time_limit is None else time.perf_counter() + limits.time_limit
        )
        self.deterministic_left = limits.deterministic_time

    def next_solve(self) -> SolveLimits:
        wall = None if self.deadline is None else max(0.0, self.deadline - time.perf_counter())
        return SolveLimits(
            time_limit=wall,
            deterministic_time=self.deterministic_left,
            workers=1,
            seed=self.limits.seed,
        )

    def spent(self, deterministic_time: float) -> None:
        if self.deterministic_left is not None:
            self.deterministic_left = max(0.0, self.deterministic_left - deterministic_time)

    def exhausted(self) -> bool:
        out_of_time = self.deadline is not None and time.perf_counter() >= self.deadline
        return out_of_time or self.deterministic_left == 0.0
