"""The CP-SAT encoder: the only code that imports ortools (a ruff banned-api rule fences it in).

- :mod:`.model` — the decision variables of one consortium and what they mean in the domain;
- :mod:`.rules` — one ``encode_<kind>`` per rule kind of the call-model vocabulary;
- :mod:`.terms` — one function per objective term of DESIGN §4, and the integer scaling of weights;
- :mod:`.runner` — running CP-SAT (limits, seed, workers, progress) and unsat cores.

Encoding is at the level of attribute values (presence Booleans per country, category, maturity and
sector; competence-level counts for met needs), so the model grows linearly with the pool.
"""

from consortium_solver.encode.model import SelectionModel
from consortium_solver.encode.rules import ENCODERS, encode_rule
from consortium_solver.encode.runner import (
    Outcome,
    SolveLimits,
    exclude_solution,
    minimal_conflict,
    solve,
)
from consortium_solver.encode.terms import ScaledObjective, encode_objective

__all__ = [
    "ENCODERS",
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
