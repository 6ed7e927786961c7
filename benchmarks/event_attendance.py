"""Events as they run (issue 28): people who attend some rounds only, guests, table hosts — does the
search hold its time limit, and what does attendance cost? Side by side in the same run: the same
event with everyone attending every round (the baseline).

For pools of 100, 300, 1,000 and 2,000 (generated, seed 7; the 2018 call's rules, groups of 3..5;
3 rounds, 6 for 2,000), a fifth of the attendees come to a random part of the rounds (at least
one), and with ``--guests`` those the call leaves out sit with the groups as guests. Reported, for
the event with attendance and for the baseline: the wall time against the limit, the repeated
meetings left, the attendees of a round left without a group (summed over rounds), the guests
seated, and the objective; every answer judged by the validator.

    .venv/bin/python benchmarks/event_attendance.py                 # the table in the README
    .venv/bin/python benchmarks/event_attendance.py --sizes 100 --time-limit 5
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def event(n: int, rounds: int, attendance: bool) -> Any:
    from consortium_solver.domain import Pool
    from consortium_solver.synthetic.pools import generate_pool

    pool = generate_pool(n, 7)
    if not attendance:
        return pool
    rng = random.Random(n)
    orgs = []
    for org in pool.organisations:
        if rng.random() < 0.2:
            k = rng.randint(1, rounds - 1)
            org = org.model_copy(
                update={"rounds": tuple(sorted(rng.sample(range(1, rounds + 1), k)))}
            )
        orgs.append(org)
    return Pool(name=pool.name, organisations=tuple(orgs))


def run(n: int, rounds: int, limit: float, attendance: bool) -> dict[str, Any]:
    from consortium_solver import load_call
    from consortium_solver.group import GroupOptions, group
    from consortium_solver.rules import user_size
    from consortium_solver.validate import check_grouping

    call = load_call("COS-CLUSTER-2018-03-02")
    pool = event(n, rounds, attendance)
    options = GroupOptions(
        size=(3, 5), rounds=rounds, guests=True, time_limit=limit, seed=1, workers=1
    )
    start = time.perf_counter()
    result = group(pool, call, options)
    wall = time.perf_counter() - start
    schedule = [[g.members for g in groups] for groups in result.schedule()]
    guests = [[g.guests for g in groups] for groups in result.schedule()]
    verdict = check_grouping(
        pool, call, schedule, extra_rules=[user_size(3, 5)], guests=guests, allow_repeats=True
    )
    assert not [p for p in verdict.problems if not p.startswith("repeat:")], verdict.problems
    left = sum(
        1
        for r, groups in enumerate(schedule, start=1)
        for o in pool.organisations
        if o.attends(r)
        and o.id not in {m for g in groups for m in g}
        and o.id not in {m for g in guests[r - 1] for m in g}
    )
    return {
        "wall": wall,
        "repeats": verdict.repeats,
        "left": left,
        "guests": sum(len(g) for gs in guests for g in gs),
        "objective": result.objective or 0.0,
        "partial": sum(1 for o in pool.organisations if o.rounds is not None),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 300, 1000, 2000])
    parser.add_argument("--time-limit", type=float, default=None, help="seconds (default: by size)")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from consortium_solver.group.search import warm_up

    warm_up()
    print("| attendees | rounds | limit s | attending some rounds | with attendance: s | repeats"
          " | left without a group | guests seated | objective | everyone, every round: s"
          " | repeats | left | objective |")  # fmt: skip
    print(
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    )
    for n in args.sizes:
        rounds = 6 if n >= 2000 else 3
        limit = args.time_limit or {100: 10.0, 300: 10.0, 1000: 30.0}.get(n, 60.0)
        a = run(n, rounds, limit, attendance=True)
        b = run(n, rounds, limit, attendance=False)
        print(
            f"| {n:,} | {rounds} | {limit:g} | {a['partial']} | {a['wall']:.1f} | {a['repeats']}"
            f" | {a['left']} | {a['guests']} | {a['objective']:.0f} | {b['wall']:.1f}"
            f" | {b['repeats']} | {b['left']} | {b['objective']:.0f} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
