"""Rounds without repeated meetings (the social golfer problem, CSPLib 010): time until a schedule of
G groups of S for W rounds has no pair meeting twice, side by side: the repair alone (the greedy
construction, then the Dotú–Van Hentenryck tabu search), the cyclic seed plus repair, and -- where
the numbers fit one -- the finite-geometry construction (designs.py; what `consortium group` does).

    python benchmarks/golfers.py                      # the instances below, seeds 1 2, 20 s each
    python benchmarks/golfers.py --instances 8-4-9 --seeds 1 2 3 --time-limit 60

"time" is the median over the seeds that succeed; "solved" counts them. Pure grouping: no call rules,
groups of exactly S.
"""

from __future__ import annotations

import argparse
import statistics
import time
from typing import Any

INSTANCES = [
    "5-3-7",
    "6-3-8",
    "6-4-6",
    "7-4-7",
    "8-4-8",
    "8-4-9",
    "8-4-10",
    "10-3-14",
    "4-4-5",
    "7-7-8",
    "9-3-13",
    "32-4-42",
]
METHODS = {  # label: (cyclic seed, constructions)
    "repair only": (False, False),
    "cyclic seed + repair": (True, False),
    "construction": (True, True),
}


def run(instance: str, seed: int, time_limit: float, cyclic: bool, designs: bool) -> dict[str, Any]:
    from consortium_solver.clock import Clock
    from consortium_solver.generate import generate_pool
    from consortium_solver.group import CYCLIC_MAX_S, CYCLIC_SHARE
    from consortium_solver.group.search import GroupingSearch
    from consortium_solver.rules import Objective, Problem

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


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--instances", nargs="+", default=INSTANCES)
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--time-limit", type=float, default=20.0)
    args = parser.parse_args()

    print("| instance | method | solved | median time s | fewest repeats left |")
    print("| --- | --- | ---: | ---: | ---: |")
    from consortium_solver.group.constructions.designs import known_rounds

    for instance in args.instances:
        groups, size, rounds = (int(v) for v in instance.split("-"))
        for label, (cyclic, designs) in METHODS.items():
            if designs and known_rounds(groups * size, size, rounds) is None:
                continue  # no construction fits: the same as the cyclic seed
            runs = [run(instance, s, args.time_limit, cyclic, designs) for s in args.seeds]
            solved = [r["time"] for r in runs if r["solved"]]
            median = f"{statistics.median(solved):.2f}" if solved else "—"
            fewest = min(r["repeats"] for r in runs)
            print(
                f"| {instance} | {label} | {len(solved)}/{len(runs)} | {median} | {fewest} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
