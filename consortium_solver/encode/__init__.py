"""The CP-SAT encoder: the only code that imports ortools (a ruff banned-api rule fences it in).

- :mod:`.model` — the decision variables of one consortium and what they mean in the domain;
- :mod:`.rules` — ``Encoder``, one method per rule kind of the vocabulary;
- :mod:`.terms` — one function per objective term, and the integer scaling of the weights;
- :mod:`.runner` — running CP-SAT (limits, seed, workers, progress) and the top-k cuts;
- :mod:`.conflicts` — unsat cores: a minimal set of conflicting rules;
- :mod:`.partition` — one round's partition into groups;
- :mod:`.event` — a small event's rounds solved exactly together.

Encoding is at the level of attribute values (presence Booleans per country, category, maturity and
sector; competence-level counts for met needs), so the model grows linearly with the pool.
"""

from consortium_solver.encode.conflicts import minimal_conflict
from consortium_solver.encode.model import SelectionModel
from consortium_solver.encode.rules import encode_rule
from consortium_solver.encode.runner import Outcome, SolveLimits, exclude_solution, solve
from consortium_solver.encode.terms import ScaledObjective, encode_objective

__all__ = [
    "Outcome",
    "ScaledObjective",
    "SelectionModel",
    "SolveLimits",
    "encode_objective",
    "encode_rule",
    "exclude_solution",
    "minimal_conflict",
    "solve",
]
