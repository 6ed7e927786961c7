"""Does `exchange` hold its --time-limit at 2,000 visitors × 1,000 hosts (issue 30, item 6)? With and
without budgets, --top 1 and 3, limits of 2, 10 and 30 s: the wall time of `plan_exchanges` from
the call to the judged result (the plan, the bound, every visitor's reason), against the target
limit × 1.1 + 1 s. The pool is benchmarks/exchange.py's (seed 1, 1.8 million eligible pairs).

    .venv/bin/python benchmarks/exchange_limits.py
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from consortium_solver.exchange import ExchangeOptions, plan_exchanges
from consortium_solver.rules.scheme import load_scheme

sys.path.insert(0, str(Path(__file__).resolve().parent))
from exchange import instance


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limits", type=float, nargs="+", default=[2.0, 10.0, 30.0])
    args = parser.parse_args()
    budgeted = instance(1)
    free = budgeted.model_copy(
        update={"partnerships": tuple(p.model_copy(update={"budget": None})
                                      for p in budgeted.partnerships)}
    )  # fmt: skip
    print("| budgets | top | limit, s | wall, s | target (limit × 1.1 + 1), s | held | value |"
          " bound | status |")  # fmt: skip
    print("| --- | ---: | ---: | ---: | ---: | :---: | ---: | ---: | --- |")
    for label, pool in (("none", free), ("generated", budgeted)):
        for top in (1, 3):
            for limit in args.limits:
                began = time.perf_counter()
                result = plan_exchanges(
                    pool, load_scheme(), ExchangeOptions(time_limit=limit, top=top, seed=1)
                )
                wall = time.perf_counter() - began
                target = limit * 1.1 + 1
                bound = "—" if result.bound is None else f"{result.bound:,.0f}"
                print(
                    f"| {label} | {top} | {limit:g} | {wall:.1f} | {target:.1f} |"
                    f" {'yes' if wall <= target else '**no**'} | {result.objective or 0:,.0f} |"
                    f" {bound} | {result.status.value} |",
                    flush=True,
                )


if __name__ == "__main__":
    main()
