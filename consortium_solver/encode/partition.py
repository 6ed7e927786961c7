"""An exact CP-SAT model of a partition into groups, each group a consortium under the rules.

Used for small pools of one round (``group`` below its exact limit). One
:class:`SelectionModel` per group shares one CP-SAT model; a group's rules bind only when the group
is used. Lexicographic: first as many organisations placed as possible, then the objective (the total
score, or the worst group's score and then the total).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ortools.sat.python import cp_model

from consortium_solver.calls import Objective
from consortium_solver.domain import Organisation, Status
from consortium_solver.encode.model import SelectionModel
from consortium_solver.encode.rules import encode_rule
from consortium_solver.encode.runner import STATUS, SolveLimits, configure
from consortium_solver.encode.terms import encode_objective


@dataclass(frozen=True)
class PartitionOutcome:
    """Groups of organisation ids (empty groups left out), who is unplaced, and the status."""

    status: Status
    groups: list[list[str]] | None
    unassigned: list[str]


def partition_exact(
    orgs: Sequence[Organisation],
    rules: Sequence[Any],
    objective: Objective,
    links: Mapping[frozenset[str], float],
    *,
    min_size: int,
    max_size: int,
    groups: int,
    mode: str = "sum",
    limits: SolveLimits,
    apart: Sequence[tuple[str, str]] = (),
) -> PartitionOutcome:
    """Partition ``orgs`` into at most ``groups`` groups of ``min_size..max_size`` members.

    ``apart`` pairs never share a group (a user's --apart).
    """
    model = cp_model.CpModel()
    selections = []
    used = []
    scores = []
    scale = 1
    for g in range(groups):
        m = SelectionModel(orgs, max_size=max_size, model=model)
        u = model.new_bool_var(f"used[{g}]")
        for x in m.x.values():
            model.add_implication(x, u)
        model.add(m.size() >= min_size * u)
        model.add(m.size() <= max_size * u)
        for rule in rules:
            encode_rule(m, rule, u)
        scaled = encode_objective(m, objective, links)
        scale = scaled.scale
        selections.append(m)
        used.append(u)
        scores.append(scaled.expr)
    for g in range(groups - 1):  # used groups first
        model.add(used[g] >= used[g + 1])
    placed = []
    for org in orgs:
        xs = [m.x[org.id] for m in selections]
        model.add(cp_model.LinearExpr.sum(xs) <= 1)
        placed.extend(xs)
    for a, b in apart:
        for m in selections:
            if a in m.x and b in m.x:
                model.add(m.x[a] + m.x[b] <= 1)
    n_placed = cp_model.LinearExpr.sum(placed)

    def run() -> tuple[cp_model.CpSolver, Any]:
        solver = cp_model.CpSolver()
        configure(solver, limits)
        return solver, solver.solve(model)

    def read(solver: cp_model.CpSolver) -> list[list[str]]:
        found = [[o.id for o in orgs if solver.boolean_value(m.x[o.id])] for m in selections]
        return [g for g in found if g]

    # Phase 1: place as many as possible.
    model.maximize(n_placed)
    solver, status = run()
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return PartitionOutcome(STATUS[status], None, [o.id for o in orgs])
    proven = status == cp_model.OPTIMAL
    # The groups of the last phase that found a solution: a phase that ends without one (out of
    # time) leaves its solver holding no values, so nothing may be read from it.
    found = read(solver)
    model.add(n_placed >= int(solver.value(n_placed)))
    _hint_from(model, solver)
    # Phase 2 (and 3): the objective.
    total = cp_model.LinearExpr.sum(scores)
    if mode == "min":
        bound = scale * 10**6  # far above any group's score
        worst = model.new_int_var(-bound, bound, "worst")
        for u, score in zip(used, scores, strict=True):
            model.add(worst <= score).only_enforce_if(u)
        model.maximize(worst)
        solver, status = run()
        proven = proven and status == cp_model.OPTIMAL
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            found = read(solver)
            model.add(worst >= int(solver.value(worst)))
            _hint_from(model, solver)
    model.maximize(total)
    solver, status = run()
    proven = proven and status == cp_model.OPTIMAL
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        found = read(solver)
    inside = {i for g in found for i in g}
    return PartitionOutcome(
        Status.OPTIMAL if proven else Status.FEASIBLE,
        found,
        [o.id for o in orgs if o.id not in inside],
    )


def _hint_from(model: cp_model.CpModel, solver: cp_model.CpSolver) -> None:
    """Hint every variable with its value in the solver's last solution."""
    model.clear_hints()  # type: ignore[no-untyped-call]
    for index in range(len(model.proto.variables)):
        var = model.get_int_var_from_proto_index(index)
        model.add_hint(var, solver.value(var))
