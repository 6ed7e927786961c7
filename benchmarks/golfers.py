"""Rounds without repeated meetings (the social golfer problem, CSPLib 010): time until a schedule of
G groups of S for W rounds has no pair meeting twice, by method, side by side with an earlier
commit (``--baseline``) in the same run.

    python benchmarks/golfers.py --baseline 4414ef5            # the issue's instances, seeds 1-3, 20 s
    python benchmarks/golfers.py --instances 8-4-9 --methods "general search" --seeds 1 2

Methods: "general search" — the construction without designs or cyclic seeds (rounds by freedom
since the native search; the greedy construction before), then the repair; "everything on" — what
`consortium group` does: a design where the numbers fit one (finite geometry, transversal design,
Kirkman triple system, 1-rotational design), else a cyclic seed (a quarter of the time, at most
10 s), then the repair. Each instance runs both methods unless ``--methods`` says otherwise. "time" is the median over the seeds that
succeed; "solved" counts them; "fewest" is the fewest repeated pairs left by a seed. Pure grouping:
no call rules, groups of exactly S. Runs one at a time.
"""

from __future__ import annotations

import argparse
import statistics
import time
from typing import Any

# The targets: solved by the general search alone, then also with everything on.
GENERAL = ["6-3-8", "7-3-10", "7-4-9", "9-4-10", "10-4-10"]
EVERYTHING = ["7-5-7", "8-5-8", "10-4-13"]
METHODS = {"general search": (False, False), "everything on": (True, True)}


def run(instance: str, seed: int, time_limit: float, method: str) -> dict[str, Any]:
    from consortium_solver.core.clock import Clock
    from consortium_solver.group import CYCLIC_MAX_S, CYCLIC_SHARE
    from consortium_solver.group.search import GroupingSearch
    from consortium_solver.rules import Objective, Problem
    from consortium_solver.synthetic.pools import generate_pool

    cyclic, designs = METHODS[method]
    groups, size, rounds = (int(v) for v in instance.split("-"))
    pool = generate_pool(groups * size, seed=1)
    start = time.perf_counter()
    problem = Problem(pool.organisations, [], Objective(), {}, min_size=size, max_size=size)
    search = GroupingSearch(problem, n_rounds=rounds, seed=seed)
    clock = Clock(time_limit, start=start)
    schedule = search.construct(
        clock.share(CYCLIC_SHARE, at_most=CYCLIC_MAX_S) if cyclic else None, designs=designs
    )
    search.repair(schedule, clock)
    elapsed = time.perf_counter() - start
    conflicts = schedule.conflicts()
    return {"solved": conflicts == 0, "time": elapsed, "repeats": conflicts}


def summary(runs: list[dict[str, Any]]) -> str:
    solved = [r["time"] for r in runs if r["solved"]]
    median = f"{statistics.median(solved):.2f}" if solved else "—"
    return f"{len(solved)}/{len(runs)} | {median} | {min(r['repeats'] for r in runs)}"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--instances", nargs="+", default=[*GENERAL, *EVERYTHING])
    parser.add_argument("--methods", nargs="+", default=None, choices=list(METHODS))
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--time-limit", type=float, default=20.0)
    parser.add_argument("--baseline", help="an earlier commit, run side by side (before columns)")
    args = parser.parse_args()
    from baseline import call

    before = args.baseline or "—"
    print(
        f"| instance | method | solved ({before}) | median s ({before}) | fewest ({before}) "
        "| solved | median s | fewest |"
    )
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for instance in args.instances:
        for method in args.methods or list(METHODS):
            old = "— | — | —"
            if args.baseline:
                old = summary(
                    [
                        call(args.baseline, "golfers:run", instance, s, args.time_limit, method)
                        for s in args.seeds
                    ]
                )
            new = summary([run(instance, s, args.time_limit, method) for s in args.seeds])
            print(f"| {instance} | {method} | {old} | {new} |", flush=True)


if __name__ == "__main__":
    main()
