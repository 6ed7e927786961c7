"""Event groupings on generated pools: time to the first valid grouping, organisations left
unplaced, and the objective at 10, 30 and 60 s, side by side with the greedy construction alone.

    python benchmarks/group_events.py                  # n = 120, 300, 1000; seeds 1 2; 60 s
    python benchmarks/group_events.py --sizes 120 --seeds 1 --time-limit 10

Call COS-CLUSTER-2018-03-02, groups of 3..5, objective sum. "valid" means every group meets every
rule (the validator's verdict on the final answer; during the search, the engine's own rule checks).
"""

from __future__ import annotations

import argparse
import statistics
import time
from typing import Any


def run(n: int, seed: int, time_limit: float, checkpoints: list[float]) -> dict[str, Any]:
    from consortium_solver import load_call
    from consortium_solver.group import GroupOptions, group
    from consortium_solver.group.search import GroupingSearch
    from consortium_solver.rules import MemberIn, Problem, Size
    from consortium_solver.synthetic.pools import generate_pool
    from consortium_solver.validate import check_grouping, check_rule

    call = load_call("COS-CLUSTER-2018-03-02")
    pool = generate_pool(n, seed=seed)
    size_rule = Size(id="user:size", min=3, max=5)

    # Greedy baseline: the construction alone, groups breaking a rule dissolved.
    t = time.perf_counter()
    filters = [r for r in call.rules if isinstance(r, MemberIn)]
    eligible = [o for o in pool.organisations if all(check_rule(r, [o]).passed for r in filters)]
    rules = [r for r in call.rules if not isinstance(r, MemberIn)] + [size_rule]
    problem = Problem(eligible, rules, call.objective, call.link_weights(), min_size=3, max_size=5)
    search = GroupingSearch(problem, seed=seed)
    groups = search.valid_groups(search.construct()).rounds[0]
    greedy_s = time.perf_counter() - t
    ids = [[eligible[i].id for i in g] for g in groups]
    verdict = check_grouping(pool, call, [ids], extra_rules=[size_rule])
    assert verdict.valid, verdict.problems
    greedy = {
        "unplaced": len(eligible) - sum(len(g) for g in groups),
        "objective": sum(g.score for g in verdict.rounds[0]),
        "time": greedy_s,
    }

    trace: list[tuple[float, float]] = []

    def progress(elapsed: float, best: float | None, bound: float | None) -> None:
        if best is not None:
            trace.append((elapsed, best))

    options = GroupOptions(time_limit=time_limit, seed=seed)
    result = group(pool, call, options, progress=progress)
    placed = sum(len(c.members) for c in result.consortia)
    at = {}
    for c in checkpoints:
        seen = [v for e, v in trace if e <= c]
        at[c] = max(seen) if seen else None
    return {
        "n": n,
        "seed": seed,
        "eligible": len(eligible),
        "greedy": greedy,
        "first_valid_s": trace[0][0] if trace else None,
        "unplaced": len(eligible) - placed,
        "objective": result.objective,
        "at": at,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[120, 300, 1000])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--time-limit", type=float, default=60.0)
    args = parser.parse_args()
    checkpoints = [c for c in (10.0, 30.0, 60.0) if c <= args.time_limit]
    rows = []
    for n in args.sizes:
        for seed in args.seeds:
            row = run(n, seed, args.time_limit, checkpoints)
            rows.append(row)
            print(f"  {row}", flush=True)

    def med(values: list[Any]) -> str:
        values = [v for v in values if v is not None]
        return f"{statistics.median(values):.2f}" if values else "—"

    print()
    print(
        f"medians over seeds {args.seeds}; groups of 3..5; objective sum; limit {args.time_limit:g} s"
    )
    print()
    head = " | ".join(f"objective @{c:g} s" for c in checkpoints)
    print(
        f"| n | eligible | greedy: s | greedy: unplaced | greedy: objective | first valid s | unplaced | {head} | vs greedy |"
    )
    print(
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | "
        + " | ".join("---:" for _ in checkpoints)
        + " | ---: |"
    )
    for n in args.sizes:
        rs = [r for r in rows if r["n"] == n]
        final = statistics.median(r["objective"] for r in rs)
        greedy = statistics.median(r["greedy"]["objective"] for r in rs)
        cells = " | ".join(med([r["at"][c] for r in rs]) for c in checkpoints)
        print(
            f"| {n} | {med([r['eligible'] for r in rs])} | {med([r['greedy']['time'] for r in rs])} | "
            f"{med([r['greedy']['unplaced'] for r in rs])} | {greedy:.1f} | "
            f"{med([r['first_valid_s'] for r in rs])} | {med([r['unplaced'] for r in rs])} | {cells} | "
            f"{final / greedy:.2f}× |"
        )


if __name__ == "__main__":
    main()
