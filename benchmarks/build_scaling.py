"""How the builder scales: model-build time, time to a proven optimum and peak memory.

Generated pools (``generate_pool(n, seed)``) under COS-CLUSTER-2018-03-02, consortium size 3..6,
2 workers. Side by side in the same run:

- ``cpsat``: ``consortium_solver.builder.build`` (heuristic hint + CP-SAT with the pair-count cuts);
- ``highs``: HiGHS (highspy) on the same linearisation, read from the CP-SAT model's linear
  constraints (the two element constraints, redundant cuts, are left out; their linear secant stays);
- ``brute``: enumeration of every consortium with the bitmask scorer, where the pool is small.

Each run happens in a fresh process, so ``peak_mb`` is that run's own peak resident memory.

    python benchmarks/build_scaling.py                       # the table in benchmarks/README.md
    python benchmarks/build_scaling.py --sizes 200 --seeds 1 # a quick look
"""

from __future__ import annotations

import argparse
import itertools
import resource
import statistics
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from typing import Any

CALL = "COS-CLUSTER-2018-03-02"


def _setup(n: int, seed: int) -> tuple[Any, Any, Any, list[Any], list[Any]]:
    from consortium_solver import load_call
    from consortium_solver.builder import Demands, consortium_rules, eligible_candidates
    from consortium_solver.synthetic.pools import generate_pool

    call = load_call(CALL)
    pool = generate_pool(n, seed=seed)
    demands = Demands(size=(3, 6))
    candidates = eligible_candidates(pool, call, demands)
    rules = consortium_rules(call, demands)
    return call, pool, demands, candidates, rules


def _encode(call: Any, candidates: list[Any], rules: list[Any]) -> tuple[Any, Any]:
    from consortium_solver.encode import SelectionModel, encode_objective, encode_rule

    m = SelectionModel(candidates, max_size=6)
    for rule in rules:
        encode_rule(m, rule)
    objective = encode_objective(m, call.objective, call.link_weights())
    m.model.maximize(objective.expr)
    return m, objective


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_cpsat(n: int, seed: int, time_limit: float) -> dict[str, Any]:
    from consortium_solver.builder import BuildOptions, build

    call, pool, demands, candidates, rules = _setup(n, seed)
    t = time.perf_counter()
    _encode(call, candidates, rules)
    model_s = time.perf_counter() - t
    t = time.perf_counter()
    result = build(pool, call, demands, BuildOptions(time_limit=time_limit, workers=2, seed=seed))
    return {
        "solver": "cpsat",
        "status": result.status.value,
        "objective": result.objective,
        "bound": result.bound,
        "model_s": model_s,
        "total_s": time.perf_counter() - t,
        "peak_mb": _peak_mb(),
    }


def run_highs(n: int, seed: int, time_limit: float) -> dict[str, Any]:
    from consortium_solver.bench.baselines.highs import solve_highs

    call, pool, demands, _candidates, _rules = _setup(n, seed)
    t = time.perf_counter()
    mip = solve_highs(pool, call, demands, time_limit=time_limit, threads=2)
    return {
        "solver": "highs",
        "status": mip.status,
        "objective": mip.objective,
        "bound": mip.bound,
        "model_s": mip.model_s,
        "total_s": time.perf_counter() - t,
        "peak_mb": _peak_mb(),
    }


def run_brute(n: int, seed: int, time_limit: float) -> dict[str, Any]:
    from consortium_solver.scoring import Scorer
    from consortium_solver.validate import check_rule

    call, _pool, _demands, candidates, rules = _setup(n, seed)
    t = time.perf_counter()
    scorer = Scorer(candidates, call.objective, call.link_weights())
    best = float("-inf")
    for k in range(3, 7):
        for combo in itertools.combinations(range(len(candidates)), k):
            score = scorer.score(combo)
            if score > best:
                orgs = [candidates[i] for i in combo]
                if all(check_rule(r, orgs).passed for r in rules):
                    best = score
    return {
        "solver": "brute",
        "status": "optimal",
        "objective": best,
        "bound": best,
        "model_s": 0.0,
        "total_s": time.perf_counter() - t,
        "peak_mb": _peak_mb(),
    }


RUNNERS = {"cpsat": run_cpsat, "highs": run_highs, "brute": run_brute}


def one(solver: str, n: int, seed: int, time_limit: float) -> dict[str, Any]:
    """One run in a fresh process."""
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as ex:
        row = ex.submit(RUNNERS[solver], n, seed, time_limit).result()
    return {"n": n, "seed": seed, **row}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[25, 40, 200, 1000, 5000, 20000])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--solvers", nargs="+", default=["cpsat", "highs", "brute"])
    parser.add_argument("--brute-max", type=int, default=40, help="largest pool for brute force")
    args = parser.parse_args()

    rows = []
    for n in args.sizes:
        for solver in args.solvers:
            if solver == "brute" and n > args.brute_max:
                continue
            for seed in args.seeds:
                row = one(solver, n, seed, args.time_limit)
                rows.append(row)
                print(
                    f"  n={n} {solver} seed={seed}: {row['status']} {row['objective']} "
                    f"(bound {row['bound']}) model {row['model_s']:.3f}s total {row['total_s']:.2f}s "
                    f"peak {row['peak_mb']:.0f} MB",
                    flush=True,
                )

    print()
    print(f"median of seeds {args.seeds}; time limit {args.time_limit:g} s; 2 workers/threads")
    print()
    print(
        "| n | solver | proven | objective (median) | model build s | total s | peak MB | total vs cpsat |"
    )
    print("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for n in args.sizes:
        base = [r["total_s"] for r in rows if r["n"] == n and r["solver"] == "cpsat"]
        for solver in args.solvers:
            runs = [r for r in rows if r["n"] == n and r["solver"] == solver]
            if not runs:
                continue
            proven = sum(r["status"] == "optimal" for r in runs)
            objectives = [r["objective"] for r in runs if r["objective"] is not None]
            total = statistics.median(r["total_s"] for r in runs)
            ratio = f"{total / statistics.median(base):.2f}×" if base else "—"
            print(
                f"| {n} | {solver} | {proven}/{len(runs)} | "
                f"{statistics.median(objectives) if objectives else '—'} | "
                f"{statistics.median(r['model_s'] for r in runs):.3f} | {total:.2f} | "
                f"{statistics.median(r['peak_mb'] for r in runs):.0f} | {ratio} |"
            )


if __name__ == "__main__":
    main()
