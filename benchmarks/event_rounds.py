"""Event rounds with the call's rules: 60 organisations (those the 2018 call lets in), groups of 4..5,
2 to 6 rounds without a repeated meeting, seeds 1-5, 30 s each — `consortium group` as an organiser
runs it, side by side with an earlier commit (``--baseline``) in the same run.

    python benchmarks/event_rounds.py --baseline 4414ef5 --jobs 2

"solved" counts seeds whose answer has no repeated pair (the validator's verdict); "objective" is
the median total score of the answers without repeats.
"""

from __future__ import annotations

import argparse
import statistics
from concurrent.futures import ProcessPoolExecutor
from typing import Any


def solve(rounds: int, seed: int, seconds: float) -> list[Any]:
    """One run of the code on the path: [repeated pairs, objective, seconds]."""
    from consortium_solver import load_call
    from consortium_solver.group import GroupOptions, group
    from consortium_solver.synthetic.pools import generate_pool

    pool = generate_pool(60, seed=1)
    options = GroupOptions(size=(4, 5), rounds=rounds, time_limit=seconds, seed=seed)
    result = group(pool, load_call("COS-CLUSTER-2018-03-02"), options)
    repeats = len(getattr(result, "repeated_pairs", ()) or ())
    if not result.rounds:
        repeats = -1  # nothing returned
    return [repeats, result.objective, result.wall_time_s]


def run(
    rounds: int, seed: int, seconds: float, rev: str | None
) -> tuple[int, str | None, list[Any]]:
    if rev is None:
        return rounds, rev, solve(rounds, seed, seconds)
    from baseline import call

    return rounds, rev, call(rev, "event_rounds:solve", rounds, seed, seconds)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--rounds", type=int, nargs="+", default=[2, 3, 4, 5, 6])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3, 4, 5])
    parser.add_argument("--time-limit", type=float, default=30.0)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--baseline", help="an earlier commit, run side by side (before columns)")
    args = parser.parse_args()
    revs: list[str | None] = [None] if args.baseline is None else [args.baseline, None]
    jobs = [(r, s, args.time_limit, rev) for r in args.rounds for s in args.seeds for rev in revs]
    found: dict[tuple[int, str | None], list[list[Any]]] = {}
    with ProcessPoolExecutor(max_workers=args.jobs) as ex:
        for rounds, rev, answer in ex.map(run, *zip(*jobs, strict=True)):
            found.setdefault((rounds, rev), []).append(answer)
            print(f"  {rounds} rounds {rev or 'this'}: {answer}", flush=True)
    names = ["this commit" if rev is None else rev for rev in revs]
    cols = " | ".join(f"solved {n} | objective {n}" for n in names)
    print(f"\n| rounds | {cols} |")
    print("| ---: |" + " ---: | ---: |" * len(revs))
    for rounds in args.rounds:
        cells = []
        for rev in revs:
            answers = found[rounds, rev]
            good = [a[1] for a in answers if a[0] == 0]
            objective = f"{statistics.median(good):g}" if good else "—"
            cells.append(f"{len(good)}/{len(answers)} | {objective}")
        print(f"| {rounds} | {' | '.join(cells)} |")


if __name__ == "__main__":
    main()
