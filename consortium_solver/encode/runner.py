"""Running CP-SAT: limits, seed and workers, live progress, status mapping, and top-k cuts."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ortools.sat.python import cp_model

from consortium_solver.core.clock import Clock, interrupted
from consortium_solver.core.errors import InternalError
from consortium_solver.domain import Progress, Status
from consortium_solver.encode.model import SelectionModel

STATUS = {
    cp_model.OPTIMAL: Status.OPTIMAL,
    cp_model.FEASIBLE: Status.FEASIBLE,
    cp_model.INFEASIBLE: Status.INFEASIBLE,
    cp_model.UNKNOWN: Status.UNKNOWN,
}


@dataclass(frozen=True)
class SolveLimits:
    """How long and how CP-SAT searches.

    ``time_limit`` is wall-clock seconds; ``deterministic_time`` is CP-SAT's deterministic time, which
    makes runs repeatable for the same input, seed and workers (README, ``--deterministic``).
    """

    time_limit: float | None = None
    deterministic_time: float | None = None
    workers: int = 2
    seed: int = 0

    @classmethod
    def within(cls, clock: Clock, workers: int, seed: int) -> SolveLimits:
        """What is left of ``clock``: wall-clock seconds (at least 50 ms, so that a solve can
        still return the hint it was given), or in deterministic mode the nominal seconds left as
        CP-SAT's deterministic time, on one thread. Count what a solve used with
        ``clock.spend(outcome.deterministic_time)``."""
        if clock.deterministic:
            return cls(deterministic_time=clock.left(), workers=1, seed=seed)
        return cls(time_limit=max(0.05, clock.left()), workers=workers, seed=seed)

    @classmethod
    def of(cls, seconds: float, deterministic: bool, workers: int, seed: int) -> SolveLimits:
        """``seconds`` of wall-clock time, or (``deterministic``) of CP-SAT's deterministic time."""
        if deterministic:
            return cls(deterministic_time=seconds, workers=workers, seed=seed)
        return cls(time_limit=seconds, workers=workers, seed=seed)


@dataclass(frozen=True)
class Outcome:
    """What one solve found, in the solver's integer units."""

    status: Status
    members: list[str] | None
    objective: float | None
    bound: float | None
    wall_time: float
    deterministic_time: float = 0.0


def configure(solver: cp_model.CpSolver, limits: SolveLimits) -> None:
    params = solver.parameters
    params.num_workers = limits.workers
    params.random_seed = limits.seed
    if limits.time_limit is not None:
        params.max_time_in_seconds = max(limits.time_limit, 0.0)
    if limits.deterministic_time is not None:
        params.max_deterministic_time = max(limits.deterministic_time, 0.0)
        # Parallel workers share solutions as they come, so which of two equal optima is returned
        # depends on thread timing (3 different answers in 5 runs of the demo's --top 3, issue
        # 12); one thread with a deterministic limit repeats exactly. CP-SAT's interleave_search
        # is deterministic with several threads too, but proved nothing on a 2,000 pool where
        # one thread proved the optimum in 1.6 s (closing note of issue 12).
        params.num_workers = 1
    if params.num_workers >= 2:
        # With 2 workers CP-SAT runs one full subsolver beside LNS helpers; max_lp (the LP with
        # every constraint linearised) proves our models optimal where default_lp's bound stays
        # far off (benchmarks/README.md, "build: CP-SAT parameters").
        params.subsolvers.append("max_lp")
    else:
        params.linearization_level = 2
    # Ctrl-C is ours (consortium_solver.core.clock): it stops the search through stop_search and the run
    # keeps its best answer; CP-SAT's own SIGINT handler would swallow the signal.
    params.catch_sigint_signal = False
    # Probing in presolve costs about a second on pools of thousands and did not pay for
    # itself (benchmarks/README.md).
    params.cp_model_probing_level = 0


class _Watcher(cp_model.CpSolverSolutionCallback):
    def __init__(self, progress: Progress, start: float) -> None:
        super().__init__()
        self.progress = progress
        self.start = start

    def on_solution_callback(self) -> None:
        self.progress(
            time.perf_counter() - self.start, self.objective_value, self.best_objective_bound
        )


def run_solver(
    solver: cp_model.CpSolver, model: cp_model.CpModel, watcher: _Watcher | None = None
) -> Any:
    """``solver.solve``, stopped by Ctrl-C (``consortium_solver.core.clock``): it runs in a helper
    thread while this one waits and asks every 50 ms whether the user interrupted — Python runs a
    signal handler only in the main thread between bytecodes, never while it is inside the
    solver's C++, and CP-SAT forgets a ``stop_search`` asked before its solve began, so the stop
    is asked for as long as the solve runs. Every CP-SAT solve of the package goes through here."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["status"] = solver.solve(model, watcher)
        except BaseException as exc:  # handed to the main thread
            outcome["error"] = exc

    thread = threading.Thread(target=run, name="cp-sat", daemon=True)
    thread.start()
    while thread.is_alive():
        thread.join(0.05)
        if interrupted():
            solver.stop_search()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["status"]


def solve(m: SelectionModel, limits: SolveLimits, progress: Progress | None = None) -> Outcome:
    """Solve the model (with or without an objective) and decode the members."""
    solver = cp_model.CpSolver()
    configure(solver, limits)
    start = time.perf_counter()
    watcher = _Watcher(progress, start) if progress is not None else None
    if progress is not None:
        solver.best_bound_callback = lambda bound: progress(
            time.perf_counter() - start, None, bound
        )
    status = run_solver(solver, m.model, watcher)
    if status == cp_model.MODEL_INVALID:  # a bug in the encoder, never the user's fault
        raise InternalError(f"CP-SAT rejected the model: {m.model.validate()}")
    mapped = STATUS[status]
    found = mapped in (Status.OPTIMAL, Status.FEASIBLE)
    has_objective = m.model.has_objective()
    return Outcome(
        status=mapped,
        members=m.extract(solver) if found else None,
        objective=solver.objective_value if found and has_objective else None,
        # Without a solution CP-SAT's bound may be a placeholder (0.0 was once written as a claim).
        bound=solver.best_objective_bound if has_objective and found else None,
        wall_time=solver.wall_time,
        deterministic_time=solver.deterministic_time,
    )


def exclude_solution(m: SelectionModel, previous: Sequence[str], differ_by: int) -> None:
    """Later solutions must have at least ``differ_by`` members outside ``previous``."""
    outside = [x for org_id, x in m.x.items() if org_id not in set(previous)]
    m.model.add(cp_model.LinearExpr.sum(outside) >= differ_by)
