"""An exact CP-SAT model of a partition into groups, each group a consortium under the rules.

Used for small pools of one round (``group`` below its exact limit). One :class:`SelectionModel` per
group shares one CP-SAT model; a group's rules bind only when the group is used. Lexicographic, one
solve per phase: first as many organisations placed as possible, then the objective (the total
score, or the worst group's score and then the total). Each phase keeps the previous one's value as
a constraint and its solution as a hint; the answer is the last solution found, so a phase that runs
out of time leaves the previous phase's groups (and the status unproven).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from consortium_solver.domain import Status
from consortium_solver.encode.model import SelectionModel
from consortium_solver.encode.rules import encode_rule
from consortium_solver.encode.runner import STATUS, SolveLimits, configure, run_solver
from consortium_solver.encode.terms import encode_objective
from consortium_solver.rules import Mode, Problem

FOUND = (cp_model.OPTIMAL, cp_model.FEASIBLE)


@dataclass(frozen=True)
class PartitionOutcome:
    """Groups of organisation ids (empty groups left out), who is unplaced, and the status."""

    status: Status
    groups: list[list[str]] | None
    unassigned: list[str]


@dataclass
class Partition:
    """The shared model: one selection, one 'used' Boolean and one score per group."""

    problem: Problem
    model: cp_model.CpModel = field(default_factory=cp_model.CpModel)
    selections: list[SelectionModel] = field(default_factory=list)
    used: list[cp_model.IntVar] = field(default_factory=list)
    scores: list[cp_model.LinearExprT] = field(default_factory=list)
    scale: int = 1

    def add_group(self, g: int) -> None:
        problem, model = self.problem, self.model
        m = SelectionModel(problem.candidates, max_size=problem.max_size, model=model)
        u = model.new_bool_var(f"used[{g}]")
        for x in m.x.values():
            model.add_implication(x, u)
        model.add(m.size() >= problem.min_size * u)
        model.add(m.size() <= problem.max_size * u)
        for rule in problem.rules:
            encode_rule(m, rule, u)
        scaled = encode_objective(m, problem.objective, problem.links)
        self.scale = scaled.scale
        self.selections.append(m)
        self.used.append(u)
        self.scores.append(scaled.expr)

    def groups_of(self, solver: cp_model.CpSolver) -> list[list[str]]:
        orgs = self.problem.candidates
        found = [[o.id for o in orgs if solver.boolean_value(m.x[o.id])] for m in self.selections]
        return [g for g in found if g]


def _model(problem: Problem, groups: int, apart: Sequence[tuple[str, str]]) -> Partition:
    p = Partition(problem)
    for g in range(groups):
        p.add_group(g)
    for g in range(groups - 1):  # used groups first
        p.model.add(p.used[g] >= p.used[g + 1])
    for org in problem.candidates:
        p.model.add(cp_model.LinearExpr.sum([m.x[org.id] for m in p.selections]) <= 1)
    for a, b in apart:
        for m in p.selections:
            if a in m.x and b in m.x:
                p.model.add(m.x[a] + m.x[b] <= 1)
    return p


def partition_exact(
    problem: Problem,
    *,
    groups: int,
    mode: Mode = "sum",
    limits: SolveLimits,
    apart: Sequence[tuple[str, str]] = (),
) -> PartitionOutcome:
    """Partition the candidates into at most ``groups`` groups of ``min_size..max_size`` members.

    ``apart`` pairs never share a group (a user's --apart). Each phase gets ``limits``.
    """
    p = _model(problem, groups, apart)
    model = p.model

    def run() -> tuple[cp_model.CpSolver, cp_model.CpSolverStatus]:
        solver = cp_model.CpSolver()
        configure(solver, limits)
        return solver, run_solver(solver, model)

    placed = cp_model.LinearExpr.sum([x for m in p.selections for x in m.x.values()])
    phases: list[cp_model.LinearExprT] = [placed]
    if mode == "min":
        bound = p.scale * 10**6  # far above any group's score
        worst = model.new_int_var(-bound, bound, "worst")
        for u, score in zip(p.used, p.scores, strict=True):
            model.add(worst <= score).only_enforce_if(u)
        phases.append(worst)
    total = cp_model.LinearExpr.sum(p.scores)
    phases.append(total)
    found: list[list[str]] | None = None
    proven = True
    for goal in phases:
        model.maximize(goal)
        solver, status = run()
        proven = proven and status == cp_model.OPTIMAL
        if status not in FOUND:
            if found is None:  # not even the first phase found a partition
                return PartitionOutcome(STATUS[status], None, [o.id for o in problem.candidates])
            break  # out of time: keep the last phase's solution, unproven
        found = p.groups_of(solver)
        model.add(goal >= int(solver.value(goal)))
        hint_from(model, solver)
    assert found is not None
    inside = {i for g in found for i in g}
    return PartitionOutcome(
        Status.OPTIMAL if proven else Status.FEASIBLE,
        found,
        [o.id for o in problem.candidates if o.id not in inside],
    )


def hint_from(model: cp_model.CpModel, solver: cp_model.CpSolver) -> None:
    """Hint every variable with its value in the solver's last solution."""
    model.clear_hints()  # type: ignore[no-untyped-call]
    for index in range(len(model.proto.variables)):
        var = model.get_int_var_from_proto_index(index)
        model.add_hint(var, solver.value(var))
