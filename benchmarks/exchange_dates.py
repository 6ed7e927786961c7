"""A programme over months at scale (issue 30, done-means): the 2,000 × 1,000 pool with its budgets
(benchmarks/exchange.py, seed 1), dated — each visitor a three-week travel window somewhere in
March to November 2021, one host in five closed for a fortnight —, beside the same pool undated
(the baseline) in one run: the wall time against the limit, the value, the bound and the gap, the
exchanges and the visitors whose window left them no stay, for --top 1 and --top 3.

    .venv/bin/python benchmarks/exchange_dates.py --seconds 30
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from consortium_solver.domain.exchanges import ExchangePool
from consortium_solver.exchange import ExchangeOptions, plan_exchanges
from consortium_solver.rules.scheme import load_scheme

sys.path.insert(0, str(Path(__file__).resolve().parent))
from exchange import instance


def dated(pool: ExchangePool) -> ExchangePool:
    """The pool with travel windows and closed fortnights, spread deterministically."""
    first = date(2021, 3, 1)
    people = []
    for k, p in enumerate(pool.participants):
        if p.visits:
            start = first + timedelta(days=(k * 37) % 250)
            p = p.model_copy(update={"travel_from": start, "travel_to": start + timedelta(days=20)})
        elif k % 5 == 0:
            closed = first + timedelta(days=(k * 53) % 250)
            p = p.model_copy(update={"unavailable": ((closed, closed + timedelta(days=13)),)})
        people.append(p)
    return pool.model_copy(update={"participants": tuple(people), "name": pool.name + "-dated"})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=30.0)
    args = parser.parse_args()
    plain = instance(1)
    print("| pool | top | limit, s | wall, s | value | bound | gap | exchanges |"
          " no stay in the window |")  # fmt: skip
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for label, pool in (("undated (baseline)", plain), ("dated", dated(plain))):
        for top in (1, 3):
            began = time.perf_counter()
            options = ExchangeOptions(time_limit=args.seconds, top=top, seed=1)
            result = plan_exchanges(pool, load_scheme(), options)
            wall = time.perf_counter() - began
            value, bound = result.objective or 0.0, result.bound
            gap = "—" if not bound else f"{(bound - value) / bound:.2%}"
            windowless = sum("travel window" in u.reason for u in result.unplaced)
            print(
                f"| {label} | {top} | {args.seconds:g} | {wall:.1f} | {value:,.0f} |"
                f" {'—' if bound is None else f'{bound:,.0f}'} | {gap} |"
                f" {len(result.exchanges):,} | {windowless} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
