"""Benchmark harness: suites of instances x solvers x seeds, run locally or on Dask, reported as
CSV, Markdown and plots. See ``benchmarks/README.md`` for the protocol."""

from consortium_solver.bench.report import write_report
from consortium_solver.bench.runner import COLUMNS, Plan, execute, run_one
from consortium_solver.bench.suite import Suite, load_suite, packaged_suites

__all__ = [
    "COLUMNS",
    "Plan",
    "Suite",
    "execute",
    "load_suite",
    "packaged_suites",
    "run_one",
    "write_report",
]
