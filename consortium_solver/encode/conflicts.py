"""Unsat cores: a minimal set of rule ids that cannot hold together (the explanation of an
infeasible build names these, with the facts behind them)."""

from __future__ import annotations

import time
from collections.abc import Sequence

from ortools.sat.python import cp_model

from consortium_solver.domain import Organisation, Status
from consortium_solver.encode.model import SelectionModel
from consortium_solver.encode.rules import encode_rule
from consortium_solver.encode.runner import STATUS, SolveLimits, configure, run_solver
from consortium_solver.rules import AnyRule


def minimal_conflict(
    orgs: Sequence[Organisation], rules: Sequence[AnyRule], limits: SolveLimits
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
        status = STATUS[run_solver(solver, m.model)]
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
