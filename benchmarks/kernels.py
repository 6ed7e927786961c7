"""Speed of the searches' inner loops, side by side with an earlier commit in the same run: moves the
grouping annealing evaluates per second (event pools, the 2018 call's rules, groups of 3..5) and
iterations of the MDGP tabu search per second (each scores every move and swap).

    python benchmarks/kernels.py --baseline 4414ef5          # this commit vs the pure-Python one
    python benchmarks/kernels.py --baseline 4414ef5 --seconds 10 --seeds 1 2 3

Runs one at a time (one core each); medians over the seeds; the ratio is this commit's median over
the baseline's. The first call of a compiled kernel compiles it (cached on disk afterwards): each
measurement starts with a warm-up run that is not counted.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path
from typing import Any

LIB = Path(__file__).resolve().parent.parent / "instances" / "mdgplib" / "instances"
GROUPING = [(300, 1), (300, 3), (1000, 1)]  # (pool size, rounds)
MDGP = ["RanReal_n120_ss_01", "RanReal_n240_ss_01"]


def _layout() -> tuple[Any, Any]:
    """``Clock`` and ``generate_pool`` wherever the code being measured keeps them (the package
    was laid out anew in issue 26; a baseline commit may be older)."""
    import importlib
    import importlib.util

    if importlib.util.find_spec("consortium_solver.core") is not None:
        clock, pools = "consortium_solver.core.clock", "consortium_solver.synthetic.pools"
    else:  # the layout before issue 26
        clock, pools = "consortium_solver.clock", "consortium_solver.generate"
    return (
        importlib.import_module(clock).Clock,
        importlib.import_module(pools).generate_pool,
    )


FEATURES = {"on": False}  # the event's features (attendance and a balanced column) in use


def features(problem: Any, rounds: int) -> dict[str, Any]:
    """With ``FEATURES["on"]`` (issue 28): a fifth of the candidates away from one round each, and
    a column of three roles (1:2:1) balanced — the search's arguments for them."""
    if not FEATURES["on"]:
        return {}
    import random

    from consortium_solver.domain import Pool
    from consortium_solver.domain.fields import Balance
    from consortium_solver.group.balance import balance_arrays, resolve

    rng = random.Random(5)
    n = len(problem.candidates)
    away = [rng.randrange(rounds) if rng.random() < 0.2 else -1 for _ in range(n)]
    absent = [frozenset(i for i in range(n) if away[i] == r) for r in range(rounds)]
    roles = ("Buyer", "Supplier", "Supplier", "Expert")
    candidates = [
        o.model_copy(update={"details": {"Role": roles[rng.randrange(4)]}})
        for o in problem.candidates
    ]
    pool = Pool(name="event", organisations=tuple(candidates))
    columns, _ = resolve(pool, candidates, [Balance(column="Role")])
    return {"absent": absent, "balance": balance_arrays(columns, absent, n, problem.max_size)}


def event_rate(n: int, rounds: int, seconds: float, seed: int) -> float:
    """:func:`grouping_rate` with attendance and one balanced column (this commit only)."""
    FEATURES["on"] = True
    try:
        return grouping_rate(n, rounds, seconds, seed)
    finally:
        FEATURES["on"] = False


def grouping_rate(n: int, rounds: int, seconds: float, seed: int) -> float:
    """Moves the annealing evaluates per second of annealing (the repair before it not counted)."""
    from consortium_solver import load_call
    from consortium_solver.group.search import GroupingSearch, anneal
    from consortium_solver.rules import MemberIn, Problem, Size
    from consortium_solver.validate import check_rule

    Clock, generate_pool = _layout()
    call = load_call("COS-CLUSTER-2018-03-02")
    pool = generate_pool(n, seed=seed)
    filters = [r for r in call.rules if isinstance(r, MemberIn)]
    eligible = [o for o in pool.organisations if all(check_rule(r, [o]).passed for r in filters)]
    rules = [r for r in call.rules if not isinstance(r, MemberIn)] + [Size(id="s", min=3, max=5)]
    problem = Problem(eligible, rules, call.objective, call.link_weights(), min_size=3, max_size=5)
    counted = {"moves": 0, "seconds": 0.0}
    run = anneal.Annealing.run
    propose = getattr(anneal.Annealing, "_propose", None)  # the pure-Python annealing's

    def timed(self: Any, *args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        out = run(self, *args, **kwargs)
        counted["seconds"] += time.perf_counter() - start
        counted["moves"] += getattr(self, "steps", 0)
        return out

    def counting(self: Any, *args: Any) -> Any:
        counted["moves"] += 1
        return propose(self, *args)  # type: ignore[misc]

    anneal.Annealing.run = timed  # type: ignore[method-assign]
    if propose is not None:
        anneal.Annealing._propose = counting  # type: ignore[attr-defined]
    for limit in (1.0, seconds):  # a warm-up (compilation), then the measurement
        counted["moves"], counted["seconds"] = 0, 0.0
        search = GroupingSearch(problem, n_rounds=rounds, seed=seed, **features(problem, rounds))
        schedule = search.construct()
        # Deterministic cooling and stopping as in `consortium group`: the clock runs from here.
        search.search(schedule, clock=Clock(limit))
    return counted["moves"] / max(counted["seconds"], 1e-9)


def mdgp_rate(name: str, seconds: float, seed: int) -> float:
    """Iterations of the tabu search per second."""
    from consortium_solver.mdgp import read_mdgp, tabu

    inst = read_mdgp(LIB / f"{name}.txt")
    iterations = {"n": 0}
    walk = getattr(tabu, "_Walk", None)  # the numpy tabu search's
    if walk is not None:
        gains = walk.gains

        def counting(self: Any, *args: Any) -> Any:
            iterations["n"] += 1
            return gains(self, *args)

        walk.gains = counting
    rate = 0.0
    for limit in (0.5, seconds):
        iterations["n"] = 0
        search = tabu.TabuSearch(inst, seed)
        start = time.perf_counter()
        clock = _layout()[0]
        if clock.__module__.endswith("core.clock"):
            search.run(clock(limit))  # the run's clock
        else:
            search.run(start + limit)  # type: ignore[arg-type]  # a deadline, before issue 26
        took = time.perf_counter() - start
        rate = (iterations["n"] or getattr(search, "iterations", 0)) / took
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--baseline", required=True, help="the earlier commit (before column)")
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    args = parser.parse_args()
    from baseline import call

    print(f"| search | instance | {args.baseline} per s | this commit per s | ratio |")
    print("| --- | --- | ---: | ---: | ---: |")
    cases: list[tuple[str, str, str, tuple[Any, ...]]] = [
        ("grouping annealing, moves", f"event-{n}, {r} round(s)", "grouping_rate", (n, r))
        for n, r in GROUPING
    ]
    cases += [("MDGP tabu, iterations", name, "mdgp_rate", (name,)) for name in MDGP]
    # Issue 28: the baseline's plain event against this commit's with attendance and a balance.
    cases += [("grouping annealing, moves", "event-300, 3 round(s), attendance + balance",
               "event_rate", (300, 3))]  # fmt: skip
    for search, label, function, case in cases:
        before, after = [], []
        for seed in args.seeds:
            plain = "grouping_rate" if function == "event_rate" else function
            before.append(call(args.baseline, f"kernels:{plain}", *case, args.seconds, seed))
            after.append(globals()[function](*case, args.seconds, seed))
        b, a = statistics.median(before), statistics.median(after)
        print(f"| {search} | {label} | {b:,.0f} | {a:,.0f} | {a / b:.2f} |", flush=True)


if __name__ == "__main__":
    main()
