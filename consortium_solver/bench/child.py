"""One benchmark run, in a process of its own: ``python -m consortium_solver.bench.child``.

Reads the run's description (JSON) on stdin, runs it, and prints one line ``@result <JSON>`` on
stdout (solvers may print banners of their own before it). A process per run makes ``peak_mem_mb``
that run's own peak resident memory, and keeps one run's crash from taking the sweep with it.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from consortium_solver.core.options import TaskOptions
from consortium_solver.domain import Pool, Progress

Opts = TypeVar("Opts", bound=TaskOptions)

MARKER = "@result "


@dataclass(frozen=True)
class _Run:
    """One run's description: the instance (a suite's table), the solver, seed and limits."""

    inst: dict[str, Any]
    solver: str
    seed: int
    time_limit: float
    workers: int
    progress: Progress

    def options(self, model: type[Opts], **fields: Any) -> Opts:
        """The task's options model: the instance's own fields, then the solver's, and the run's
        limit, seed and workers; every field of the model reaches the run as the suite wrote it."""
        values = {**fields, **self.inst.get("options", {})}
        values |= {"time_limit": self.time_limit, "seed": self.seed, "workers": self.workers}
        return model.checked(values)


def peak_mem_mb() -> float:
    """This process's peak resident memory so far, in MB."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def run(spec: dict[str, Any]) -> dict[str, Any]:
    """Run one (instance, solver, seed); the row of results.csv plus the objective trace."""
    inst = spec["instance"]
    solver, seed = spec["solver"], int(spec["seed"])
    time_limit, workers = float(spec["time_limit"]), int(spec["workers"])
    trace: list[tuple[float, float]] = []
    start = time.perf_counter()

    def progress(elapsed: float, best: float | None, _bound: float | None) -> None:
        if best is not None and (not trace or best > trace[-1][1]):
            trace.append((round(elapsed, 4), best))

    if inst["task"] == "mdgp":
        out = _mdgp(spec["path"], _Run(inst, solver, seed, time_limit, workers, progress))
    elif inst["task"] == "exchange":
        out = _exchange(
            inst, spec.get("path"), _Run(inst, solver, seed, time_limit, workers, progress)
        )
    else:
        pool = _pool(inst, spec.get("path"))
        out = {"n": len(pool)}
        spec_run = _Run(inst, solver, seed, time_limit, workers, progress)
        out |= (_build if inst["task"] == "build" else _group)(pool, spec_run)
    wall = time.perf_counter() - start
    if out.get("objective") is not None and (not trace or trace[-1][1] != out["objective"]):
        trace.append((round(wall, 4), float(out["objective"])))
    return {
        **out,
        "wall_time_s": round(wall, 4),
        "peak_mem_mb": round(peak_mem_mb(), 1),
        "trace": trace,
    }


def _pool(inst: dict[str, Any], path: str | None) -> Pool:
    from consortium_solver import demo_pool
    from consortium_solver.io import read_pool
    from consortium_solver.synthetic.pools import generate_pool

    if inst.get("generate") is not None:
        params = dict(inst["generate"])
        n, seed = int(params.pop("n")), int(params.pop("seed", 0))
        for key in ("countries", "sectors"):
            if key in params:
                params[key] = tuple(params[key])
        return generate_pool(n, seed, **params)
    if inst["pool"] == "demo":
        return demo_pool()
    return read_pool(path or inst["pool"])


def _day(inst: dict[str, Any]) -> date | None:
    """The day an instance's call reads its dated country lists on (its ``date``), else None."""
    day = inst.get("date")
    return None if day is None else date.fromisoformat(str(day))


def _build(pool: Pool, run: _Run) -> dict[str, Any]:
    from consortium_solver.bench.baselines.greedy import greedy_build
    from consortium_solver.builder import BuildOptions, Demands, build
    from consortium_solver.rules import load_call, parse_size

    call = load_call(run.inst["call"], on=_day(run.inst))
    size = run.inst.get("size")
    demands = Demands(size=None if size is None else parse_size(size))
    if run.solver == "cpsat":
        result = build(pool, call, demands, run.options(BuildOptions), progress=run.progress)
        return {"status": result.status.value, "objective": result.objective, "bound": result.bound}
    if run.solver == "highs":
        from consortium_solver.bench.baselines.highs import solve_highs

        mip = solve_highs(pool, call, demands, time_limit=run.time_limit, threads=run.workers)
        return {"status": mip.status, "objective": mip.objective, "bound": mip.bound}
    score = greedy_build(pool, call, demands, run.seed)
    status = "unknown" if score is None else "feasible"
    return {"status": status, "objective": score, "bound": None}


def _group(pool: Pool, run: _Run) -> dict[str, Any]:
    from consortium_solver.group import GroupOptions, group
    from consortium_solver.rules import load_call, no_call, parse_size

    inst = run.inst
    call = no_call() if inst["call"] == "none" else load_call(inst["call"], on=_day(inst))
    options = run.options(
        GroupOptions,
        size=parse_size(inst.get("size") or "3..5"),
        objective=inst.get("objective", "sum"),
        rounds=int(inst.get("rounds", 1)),
        improve=run.solver == "search",
    )
    progress = run.progress if options.objective == "sum" else None
    result = group(pool, call, options, progress=progress)
    unassigned = len(result.unassigned)
    return {
        "status": result.status.value,
        "objective": result.objective,
        "bound": result.bound,
        "note": f"{unassigned} unassigned ({len(result.ineligible)} ineligible)",
    }


def _exchange(inst: dict[str, Any], path: str | None, run: _Run) -> dict[str, Any]:
    """A ClusterXchange programme by the planner, the budget-free flow, or the greedy baseline."""
    from consortium_solver.bench.baselines.greedy_exchange import greedy_exchange
    from consortium_solver.exchange import ExchangeOptions, plan_exchanges
    from consortium_solver.io.exchanges import read_exchange_pool
    from consortium_solver.rules.scheme import load_scheme
    from consortium_solver.synthetic.exchanges import generate_exchange_pool

    if inst.get("generate") is not None:
        params = dict(inst["generate"])
        pool = generate_exchange_pool(int(params.pop("n")), int(params.pop("seed", 0)), **params)
    else:
        pool = read_exchange_pool(path or inst["pool"])
    scheme = load_scheme()
    n, budgets = len(pool.participants), any(p.budget is not None for p in pool.partnerships)
    if run.solver == "greedy":
        return {
            "n": n,
            "status": "feasible",
            "objective": greedy_exchange(pool, scheme),
            "bound": None,
        }
    note = ""
    if run.solver == "flow":
        lifted = tuple(p.model_copy(update={"budget": None}) for p in pool.partnerships)
        pool = pool.model_copy(update={"partnerships": lifted})
        note = "budgets lifted: an upper bound, not a plan within them" if budgets else ""
    result = plan_exchanges(pool, scheme, run.options(ExchangeOptions), progress=run.progress)
    status = "relaxation" if note else result.status.value
    return {
        "n": n,
        "status": status,
        "objective": result.objective,
        "bound": result.bound,
        "note": note,
    }


def _mdgp(path: str, run: _Run) -> dict[str, Any]:
    from consortium_solver.mdgp import MdgpOptions, read_mdgp, solve_mdgp

    inst = read_mdgp(path)
    search = "tabu" if run.solver == "tabu" else "memetic"
    result = solve_mdgp(inst, run.options(MdgpOptions, search=search), progress=run.progress)
    return {
        "n": inst.n,
        "status": result.status.value,
        "objective": result.objective,
        "bound": None,
    }


def main() -> None:
    spec = json.loads(sys.stdin.read())
    row = run(spec)
    sys.stdout.write("\n" + MARKER + json.dumps(row) + "\n")


if __name__ == "__main__":
    main()
