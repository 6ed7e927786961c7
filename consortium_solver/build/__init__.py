"""Building consortia: the best (or top-k) consortium for a call and the user's demands, proven
optimal by CP-SAT, with a fast primal heuristic for the first hint and explanations in words when
no consortium exists."""

from consortium_solver.build.builder import BuildOptions, build
from consortium_solver.build.demands import Demands, consortium_rules, eligible_candidates
from consortium_solver.build.explanations import explain
from consortium_solver.build.heuristic import local_search

__all__ = [
    "BuildOptions",
    "Demands",
    "build",
    "consortium_rules",
    "eligible_candidates",
    "explain",
    "local_search",
]
