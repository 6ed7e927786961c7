"""Building consortia: the best (or top-k) consortium for a call and the user's demands, proven
optimal by CP-SAT, with a fast primal heuristic for the first hint and explanations in words when
no consortium exists."""

from consortium_solver.builder.builder import build
from consortium_solver.builder.demands import Demands, consortium_rules, eligible_candidates
from consortium_solver.builder.explanations import explain
from consortium_solver.builder.heuristic import local_search
from consortium_solver.builder.options import BuildOptions

__all__ = [
    "BuildOptions",
    "Demands",
    "build",
    "consortium_rules",
    "eligible_candidates",
    "explain",
    "local_search",
]
