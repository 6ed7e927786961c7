"""Synthetic instances with a known shape, for demos, benchmarks and tests: pools of organisations on
real regions (:mod:`.pools`) and ClusterXchange participant pools (:mod:`.exchanges`)."""

from consortium_solver.synthetic.exchanges import generate_exchange_pool
from consortium_solver.synthetic.pools import generate_pool

__all__ = ["generate_exchange_pool", "generate_pool"]
