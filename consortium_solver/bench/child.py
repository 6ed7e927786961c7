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
from typing import Any

MARKER = "@result "


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
        out = _mdgp(spec["path"], time_limit, seed)
    else:
        pool = _pool(inst, spec.get("path"))
        out = {"n": len(pool)}
        if inst["task"] == "build":
            out |= _build(pool, inst, solver, time_limit, workers, seed, progress)
        else:
            out |= _group(pool, inst, solver, time_limit, workers, seed, progress)
    wall = time.perf_counter() - start
    if out.get("objective") is not None and (not trace or trace[-1][1] != out["objective"]):
        trace.append((round(wall, 4), float(out["objective"])))
    return {
        **out,
        "wall_time_s": round(wall, 4),
        "peak_mem_mb": round(peak_mem_mb(), 1),
        "trace": trace,
    }


def _pool(inst: dict[str, Any], path: str | None) -> Any:
    from consortium_solver import demo_pool
    from consortium_solver.generate import generate_pool
    from consortium_solver.io import read_pool

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


def _size(text: str | None) -> tuple[int, int] | None:
    if text is None:
        return None
    low, _, high = text.partition("..")
    return int(low), int(high or low)


def _build(
    pool: Any,
    inst: dict[str, Any],
    solver: str,
    time_limit: float,
    workers: int,
    seed: int,
    progress: Any,
) -> dict[str, Any]:
    from consortium_solver.build import (
        BuildOptions,
        Demands,
        build,
        consortium_rules,
        eligible_candidates,
    )
    from consortium_solver.calls import load_call
    from consortium_solver.check import check
    from consortium_solver.errors import InternalError

    call = load_call(inst["call"])
    demands = Demands(size=_size(inst.get("size")))
    if solver == "cpsat":
        options = BuildOptions(time_limit=time_limit, workers=workers, seed=seed, progress=progress)
        result = build(pool, call, demands, options)
        return {"status": result.status.value, "objective": result.objective, "bound": result.bound}
    if solver == "highs":
        from consortium_solver.encode.highs import solve_highs

        mip = solve_highs(pool, call, demands, time_limit=time_limit, threads=workers)
        return {"status": mip.status, "objective": mip.objective, "bound": mip.bound}
    # greedy: the builder's construction and one local descent, no restarts (a baseline)
    from consortium_solver.heuristic import local_search

    low, high = demands.size or (call.search.min_size, call.search.max_size)
    candidates = eligible_candidates(pool, call, demands)
    rules = consortium_rules(call, demands)
    members = local_search(
        candidates,
        rules,
        call.objective,
        call.link_weights(),
        min_size=low,
        max_size=high,
        seed=seed,
        rounds=0,
    )
    if members is None:
        return {"status": "unknown", "objective": None, "bound": None}
    verdict = check(pool, call, members, extra_rules=demands.rules(call))
    if not verdict.eligible:
        raise InternalError("the greedy baseline returned a consortium the validator rejects")
    return {"status": "feasible", "objective": verdict.score, "bound": None}


def _group(
    pool: Any,
    inst: dict[str, Any],
    solver: str,
    time_limit: float,
    workers: int,
    seed: int,
    progress: Any,
) -> dict[str, Any]:
    from consortium_solver.calls import load_call
    from consortium_solver.group import GroupOptions, group, no_call

    call = no_call() if inst["call"] == "none" else load_call(inst["call"])
    options = GroupOptions(
        size=_size(inst.get("size")) or (3, 5),
        objective=inst.get("objective", "sum"),
        rounds=int(inst.get("rounds", 1)),
        time_limit=time_limit,
        seed=seed,
        workers=workers,
        progress=progress if inst.get("objective", "sum") == "sum" else None,
        improve=solver == "search",
    )
    result = group(pool, call, options)
    unassigned = len(result.unassigned or ())
    return {
        "status": result.status.value,
        "objective": result.objective,
        "bound": result.bound,
        "note": f"{unassigned} unassigned ({len(result.ineligible or ())} ineligible)",
    }


def _mdgp(path: str, time_limit: float, seed: int) -> dict[str, Any]:
    from consortium_solver.mdgp import read_mdgp, solve_mdgp

    inst = read_mdgp(path)
    result = solve_mdgp(inst, time_limit=time_limit, seed=seed)
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
