"""The trade-off budgets make (issue 30, item 10): with budgets binding, the most valuable programme
takes many short hops — a halved lump sum costs half and an exchange is worth its weight whatever
the distance. `--max-halved SHARE` caps the share of exchanges paid half. Side by side in one run on
the 2,000 × 1,000 pool with budgets (benchmarks/exchange.py, seed 1): without a cap (the baseline)
and with caps; per run the value, exchanges, the share halved and the share under 200 km, the money
spent, and the wall time.

    .venv/bin/python benchmarks/exchange_tradeoff.py --seconds 30
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
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--caps", type=float, nargs="+", default=[0.4, 0.2, 0.1])
    args = parser.parse_args()
    pool, scheme = instance(1), load_scheme()
    print("| --max-halved | value | exchanges | halved | under 200 km | spent EUR | wall, s |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for cap in [None, *args.caps]:
        began = time.perf_counter()
        options = ExchangeOptions(time_limit=args.seconds, seed=1, max_halved=cap)
        result = plan_exchanges(pool, scheme, options)
        wall = time.perf_counter() - began
        n = len(result.exchanges) or 1
        near = sum(x.distance_km < scheme.halve_below_km for x in result.exchanges)
        halved = sum(
            x.working_days < scheme.halve_below_working_days
            or x.distance_km < scheme.halve_below_km
            for x in result.exchanges
        )
        label = "none (baseline)" if cap is None else f"{cap:.0%}"
        print(
            f"| {label} | {result.objective or 0:,.0f} | {len(result.exchanges):,} |"
            f" {halved / n:.1%} | {near / n:.1%} | {sum(result.spending.values()):,.0f} |"
            f" {wall:.1f} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
