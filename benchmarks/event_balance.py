"""Events balanced on an organiser's column (issue 28): does the search hold its time limit with
attendance and ``--balance``, and how balanced are the groups? Side by side in the same run: the
same event without ``--balance`` (the baseline), measured by the validator the same way.

For pools of 100, 300, 1,000 and 2,000 (generated, seed 7; the 2018 call's rules, groups of 3..5;
3 rounds, 6 for 2,000), a fifth of the attendees come to a random part of the rounds, those the call
leaves out sit as guests, and every organisation has a Role (Buyer, Supplier, Expert in shares
1:2:1) and Years of experience (1-30). ``--column Role`` balances the roles (categorical: the
deviation is the members beyond their group's ideal count, summed over groups and rounds, and the
groups with any); ``--column Years`` the years (numeric: the widest gap between two group means of
a round, in standard deviations of the column).

    .venv/bin/python benchmarks/event_balance.py                     # the tables in the README
    .venv/bin/python benchmarks/event_balance.py --column Years --sizes 100 300
    .venv/bin/python benchmarks/event_balance.py --sizes 100 --time-limit 5
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
ROLES = ("Buyer", "Supplier", "Supplier", "Expert")


def event(n: int, rounds: int) -> Any:
    """The generated pool with attendance (a fifth at some rounds) and the two columns."""
    from consortium_solver.domain import Pool
    from consortium_solver.synthetic.pools import generate_pool

    pool = generate_pool(n, 7)
    rng = random.Random(n)
    orgs = []
    for org in pool.organisations:
        update: dict[str, Any] = {
            "details": {"Role": rng.choice(ROLES), "Years": str(rng.randint(1, 30))}
        }
        if rng.random() < 0.2:
            k = rng.randint(1, rounds - 1)
            update["rounds"] = tuple(sorted(rng.sample(range(1, rounds + 1), k)))
        orgs.append(org.model_copy(update=update))
    return Pool(name=pool.name, organisations=tuple(orgs))


def run(pool: Any, rounds: int, limit: float, column: str, balanced: bool) -> dict[str, Any]:
    from consortium_solver import load_call
    from consortium_solver.domain.fields import Balance
    from consortium_solver.group import GroupOptions, group
    from consortium_solver.rules import user_size
    from consortium_solver.validate import check_grouping

    call = load_call("COS-CLUSTER-2018-03-02")
    spec = Balance(column=column)
    options = GroupOptions(size=(3, 5), rounds=rounds, guests=True, time_limit=limit, seed=1,
                           workers=1, balance=(spec,) if balanced else ())  # fmt: skip
    start = time.perf_counter()
    result = group(pool, call, options)
    wall = time.perf_counter() - start
    schedule = [[g.members for g in groups] for groups in result.schedule()]
    guests = [[g.guests for g in groups] for groups in result.schedule()]
    verdict = check_grouping(pool, call, schedule, extra_rules=[user_size(3, 5)], guests=guests,
                             allow_repeats=True, balance=[spec])  # fmt: skip
    assert not [p for p in verdict.problems if not p.startswith("repeat:")], verdict.problems
    (measure,) = verdict.balance
    years = [float(o.details["Years"]) for o in pool.organisations]
    spread = (measure.spread or 0.0) / statistics.pstdev(years)
    return {
        "wall": wall,
        "repeats": verdict.repeats,
        "left": len(verdict.unassigned),
        "off": measure.off,
        "groups_off": measure.groups_off,
        "groups": measure.groups,
        "spread": spread,
        "objective": result.objective or 0.0,
    }


def deviation(row: dict[str, Any], column: str) -> str:
    if column == "Years":
        return f"{row['spread']:.2f} sd"
    return f"{row['off']} ({row['groups_off']} of {row['groups']} groups)"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 300, 1000, 2000])
    parser.add_argument("--column", choices=["Role", "Years"], default="Role")
    parser.add_argument("--time-limit", type=float, default=None, help="seconds (default: by size)")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from consortium_solver.group.search import warm_up

    warm_up()
    what = "members off (groups)" if args.column == "Role" else "widest gap of means"
    print(f"| attendees | rounds | limit s | --balance {args.column}: s | repeats | left | {what}"
          f" | objective | without --balance: s | repeats | left | {what} | objective |")  # fmt: skip
    print(
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    )
    for n in args.sizes:
        rounds = 6 if n >= 2000 else 3
        limit = args.time_limit or {100: 10.0, 300: 10.0, 1000: 30.0}.get(n, 60.0)
        pool = event(n, rounds)
        a = run(pool, rounds, limit, args.column, balanced=True)
        b = run(pool, rounds, limit, args.column, balanced=False)
        print(
            f"| {n:,} | {rounds} | {limit:g} | {a['wall']:.1f} | {a['repeats']} | {a['left']}"
            f" | {deviation(a, args.column)} | {a['objective']:.0f} | {b['wall']:.1f}"
            f" | {b['repeats']} | {b['left']} | {deviation(b, args.column)}"
            f" | {b['objective']:.0f} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
