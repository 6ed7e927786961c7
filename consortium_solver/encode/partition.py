"""One round's partition into groups in a CP-SAT model, each group a consortium under the rules:
one :class:`SelectionModel` per group shares one CP-SAT model, a group's rules bind only when the
group is used. :mod:`.event` holds one per round of a small event and solves them together."""

from __future__ import annotations

from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from consortium_solver.encode.model import SelectionModel
from consortium_solver.encode.rules import encode_rule
from consortium_solver.encode.terms import encode_objective
from consortium_solver.rules import Problem

FOUND = (cp_model.OPTIMAL, cp_model.FEASIBLE)


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


def hint_from(model: cp_model.CpModel, solver: cp_model.CpSolver) -> None:
    """Hint every variable with its value in the solver's last solution."""
    model.clear_hints()  # type: ignore[no-untyped-call]
    for index in range(len(model.proto.variables)):
        var = model.get_int_var_from_proto_index(index)
        model.add_hint(var, solver.value(var))
